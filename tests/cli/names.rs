//! Names that look like something they are not (issue 11, "trust the
//! records"): look-alike vendor names, slugs that drop letters, and invisible
//! or text-direction characters in names, slugs and file names.

use crate::{contains_all, p, T};

#[test]
fn names_that_look_like_an_existing_vendor_are_refused_naming_it() {
    let t = T::new();
    t.ok(&["vendor", "add", "Acme"]);
    t.ok(&["vendor", "add", "PayPal"]);
    // "Аcme" starts with CYRILLIC CAPITAL LETTER A; "PayPaI" ends in a capital i.
    let cyrillic = "\u{410}cme";
    let err = t.refused(&["vendor", "add", cyrillic, "--slug", "acme-ru"]);
    contains_all(
        &err,
        &[
            "looks like the name of the existing vendor 'Acme' (slug 'acme')",
            "--allow-similar",
        ],
    );
    let err = t.refused(&["vendor", "add", "PayPaI"]);
    contains_all(&err, &["existing vendor 'PayPal' (slug 'paypal')"]);
    // Case and spacing do not make a different vendor either.
    let err = t.refused(&["vendor", "add", "  PAYPAL ", "--slug", "pp"]);
    contains_all(&err, &["'PayPal'"]);
    // An archived vendor still owns its name.
    t.ok(&["vendor", "archive", "acme"]);
    let err = t.refused(&["vendor", "add", "ACME", "--slug", "acme2"]);
    contains_all(&err, &["'Acme' (slug 'acme', archived)"]);

    // A genuinely different vendor with a similar name is added on request.
    t.ok(&[
        "vendor",
        "add",
        cyrillic,
        "--slug",
        "acme-ru",
        "--allow-similar",
    ]);
    t.ok(&[
        "vendor",
        "add",
        "PayPaI",
        "--slug",
        "paypai",
        "--allow-similar",
    ]);
    let names: Vec<String> = t
        .json(&["vendor", "list", "--all", "--json"])
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, ["Acme", cyrillic, "PayPaI", "PayPal"]); // by slug
                                                               // Names that merely share words are not look-alikes.
    t.ok(&["vendor", "add", "Acme Cloud"]);
}

#[test]
fn renaming_to_a_look_alike_is_refused_but_renaming_oneself_is_not() {
    let t = T::new();
    t.ok(&["vendor", "add", "PayPal"]);
    t.ok(&["vendor", "add", "Stripe"]);
    let err = t.refused(&["vendor", "edit", "stripe", "--name", "PayPaI"]);
    contains_all(&err, &["existing vendor 'PayPal' (slug 'paypal')"]);
    let err = t.refused(&["vendor", "edit", "stripe", "--name", "Pay\u{200B}Pal"]);
    contains_all(&err, &["U+200B ZERO WIDTH SPACE at character 4"]);
    // A vendor's own name in other capitals is not a look-alike of itself.
    t.ok(&["vendor", "edit", "paypal", "--name", "PAYPAL"]);
    t.ok(&[
        "vendor",
        "edit",
        "stripe",
        "--name",
        "PayPaI",
        "--allow-similar",
    ]);
    assert_eq!(
        t.json(&["vendor", "show", "stripe", "--json"])["name"],
        "PayPaI"
    );
}

#[test]
fn names_are_stored_in_one_normal_form() {
    let t = T::new();
    // "Café" typed with a combining accent (as some keyboards do) is stored
    // composed, so it equals "Café" typed with é.
    t.ok(&["vendor", "add", "Cafe\u{301} Cloud"]);
    assert_eq!(
        t.json(&["vendor", "show", "cafe-cloud", "--json"])["name"],
        "Caf\u{e9} Cloud"
    );
    let err = t.refused(&["vendor", "add", "Caf\u{e9} Cloud", "--slug", "other"]);
    contains_all(&err, &["is already the name of the existing vendor"]);
}

#[test]
fn slugs_are_derived_faithfully_or_asked_for() {
    let t = T::new();
    // Accented Latin spells out well.
    t.ok(&["vendor", "add", "Société Générale Cloud"]);
    t.ok(&["vendor", "show", "societe-generale-cloud"]);
    // A letter with no ASCII spelling was dropped: Cyrillic "Аcme" became `cme`.
    let err = t.refused(&["vendor", "add", "\u{410}cme"]);
    contains_all(
        &err,
        &[
            "cannot derive a slug from the name",
            "U+0410, character 1",
            "--slug",
        ],
    );
    let err = t.refused(&["vendor", "add", "Ωmega Hosting"]);
    contains_all(&err, &["'Ω'", "--slug"]);
    t.ok(&["vendor", "add", "Ωmega Hosting", "--slug", "omega"]);
    t.ok(&["vendor", "show", "omega"]);
}

/// Invisible, control and text-direction characters, as the issue lists them.
const INVISIBLE: &[char] = &[
    '\u{AD}',
    '\u{2060}',
    '\u{FEFF}',
    '\u{61C}',
    '\u{3164}',
    '\u{2028}',
    '\u{2029}',
    '\n',
    '\t',
    '\r',
    '\u{1B}',
    '\u{7F}',
    '\u{85}',
    '\u{202A}',
    '\u{202B}',
    '\u{202C}',
    '\u{202D}',
    '\u{202E}',
    '\u{2066}',
    '\u{2067}',
    '\u{2068}',
    '\u{2069}',
    '\u{200B}',
    '\u{200C}',
    '\u{200D}',
    '\u{200E}',
    '\u{200F}',
    '\u{180E}',
    '\u{FE0F}',
    '\u{115F}',
    '\u{FFA0}',
    '\u{E0041}',
    '\u{600}',
];

#[test]
fn invisible_characters_are_refused_in_every_name() {
    if crate::engine::sqlite_only(
        "names given with --as are SQLite's; on PostgreSQL the actor is the login",
    ) {
        return;
    }
    let t = T::new();
    t.ok(&["vendor", "add", "Acme"]);
    for &c in INVISIBLE {
        let code = format!("U+{:04X}", c as u32);
        let err = t.refused(&["vendor", "add", &format!("Ne{c}on"), "--slug", "neon"]);
        contains_all(&err, &[&code, "at character 3", "vendor name"]);
        let err = t.refused(&["vendor", "add", "Neon", "--slug", &format!("ne{c}on")]);
        contains_all(&err, &[&code, "slug"]);
        let err = t.refused(&[
            "subprocessor",
            "add",
            "acme",
            &format!("AW{c}S"),
            "--purpose",
            "Hosting",
            "--location",
            "EU",
        ]);
        contains_all(&err, &[&code, "subprocessor name"]);
        let err = t.refused(&["--as", &format!("bo{c}b"), "vendor", "add", "Neon"]);
        contains_all(&err, &[&code, "actor"]);
    }
    // The message names the character and shows the value escaped, so the
    // terminal does not reorder it.
    let err = t.refused(&["vendor", "add", "Acme\u{202E}duolc", "--slug", "x"]);
    contains_all(
        &err,
        &["'Acme\\u{202e}duolc' contains U+202E RIGHT-TO-LEFT OVERRIDE at character 5"],
    );
}

#[test]
fn evidence_file_names_with_invisible_characters_are_refused() {
    let t = T::new();
    t.ok(&["vendor", "add", "Acme"]);
    // Displays as "we" / "irdexe.pdf": a newline, then a right-to-left override.
    let tricky = t.write("we\nird\u{202E}fdp.exe", "MZ not a pdf");
    let err = t.refused(&["evidence", "add", "acme", p(&tricky)]);
    contains_all(
        &err,
        &[
            "file name 'we\\nird\\u{202e}fdp.exe' contains U+000A LINE FEED (newline) at character 3",
            "rename the file",
        ],
    );
    for &c in &['\u{202E}', '\u{200B}', '\u{FEFF}', '\t'] {
        let file = t.write(&format!("report{c}.pdf"), "%PDF-1.4");
        let err = t.refused(&["evidence", "add", "acme", p(&file)]);
        contains_all(&err, &[&format!("U+{:04X}", c as u32)]);
    }
    let plain = t.write("soc2 report (2026).pdf", "%PDF-1.4");
    t.ok(&["evidence", "add", "acme", p(&plain)]);
}

#[test]
fn checklist_titles_with_invisible_characters_are_refused() {
    let t = T::new();
    let text = "id = \"mine\"\nversion = \"1.0\"\ntitle = \"Mine\"\n\n[[sections]]\nid = \"s\"\ntitle = \"S\u{202E}\"\n\n[[sections.items]]\nid = \"s.a\"\ntitle = \"A\"\nquestion = \"Q?\"\nguidance = \"G\"\nseverity = \"high\"\nowner = \"vendor\"\nevidence = [\"e\"]\n";
    let file = t.write("mine.toml", text);
    let err = t.refused(&["checklist", "add", p(&file)]);
    contains_all(&err, &["mine.toml:7: field `title`", "U+202E"]);
    let file = t.write("ok.toml", text.replace('\u{202E}', ""));
    t.ok(&["checklist", "validate", p(&file)]);
}

/// Four eyes compares actors' names, and so does whoever reads the log: a
/// Cyrillic "о" inside Latin "bob" (issue 19) is refused, through --as and
/// VETTER_USER alike, naming the letter; a name wholly in one script is a
/// name and is recorded as typed.
#[test]
fn an_actor_name_mixing_scripts_is_refused_and_one_in_one_script_is_not() {
    if crate::engine::sqlite_only(
        "names given with --as are SQLite's; on PostgreSQL the actor is the login",
    ) {
        return;
    }
    let t = T::new();
    t.ok(&["vendor", "add", "Acme"]);
    let says = [
        "actor (--as / VETTER_USER) 'b\u{43E}b' mixes scripts",
        "character 2 is '\u{43E}' (U+043E, Cyrillic) among Latin letters",
        "hint: write the name in one script",
    ];
    contains_all(
        &t.refused(&["--as", "b\u{43E}b", "vendor", "add", "Neon"]),
        &says,
    );
    let before = t.dump();
    let out = t
        .cmd(&["vendor", "add", "Neon"])
        .env("VETTER_USER", "b\u{43E}b")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    contains_all(&String::from_utf8_lossy(&out.stderr), &says);
    assert_eq!(before, t.dump(), "a refused actor wrote something");

    // Names in one script, Latin or not, are recorded as typed.
    t.ok(&["--as", "Борис", "vendor", "add", "Beta"]);
    let out = t
        .cmd(&["vendor", "add", "Gamma"])
        .env("VETTER_USER", "李雷")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let actors: Vec<String> = t
        .json(&["log", "--json"])
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["actor"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(actors, ["alice", "Борис", "李雷"]);
}
