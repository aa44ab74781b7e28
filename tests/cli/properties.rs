//! Property tests: the parsers take any input without panicking and answer
//! with a value or a user error; names, slugs and CSV cells keep their
//! promises for any text. Library functions are called in-process; the PDF
//! layout is driven through the binary, fewer times, since its module is
//! private. Case counts are bounded so the suite stays fast.

use crate::{p, T};
use proptest::prelude::*;
use vetter::commands::import::{csv_text, parse_findings};
use vetter::commands::subprocessor::parse_list;
use vetter::error::{Error, ErrorKind, Result};
use vetter::validate;

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        // A failure is kept in the test's output, not in a file in the tree.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// A parse result is fine when it is a value or a user error: never an
/// internal error, never a panic (a panic fails the property by itself).
fn user_error_or_ok<T>(result: &Result<T>) -> std::result::Result<(), TestCaseError> {
    match result {
        Ok(_) => Ok(()),
        Err(e) if e.kind == ErrorKind::User => Ok(()),
        Err(e) => Err(TestCaseError::fail(format!("not a user error: {e:?}"))),
    }
}

// ---- checklist TOML ----

/// Pieces of checklist TOML, good and broken, that a generated file is
/// assembled from, so the parser's checks are reached, not only its syntax errors.
const TOML_LINES: &[&str] = &[
    "id = \"mine\"",
    "version = \"1.0\"",
    "version = \"1..0\"",
    "title = \"Mine\"",
    "title = \"\"",
    "description = \"d\"",
    "[[sections]]",
    "id = \"s\"",
    "id = \"S S\"",
    "title = \"S\"",
    "[[sections.items]]",
    "id = \"s.a\"",
    "id = \"s.a\"",
    "id = \"other.a\"",
    "question = \"Q?\"",
    "guidance = \"G\"",
    "severity = \"high\"",
    "severity = \"hgh\"",
    "owner = \"vendor\"",
    "evidence = [\"e\"]",
    "evidence = []",
    "regimes = [\"gdpr\"]",
    "hosting = [\"nope\"]",
    "[sections]",
    "id = 3",
    "x = ",
    "\"unterminated",
    "title = \"\u{202E}\"",
];

fn checklist_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            4 => prop::sample::select(TOML_LINES).prop_map(str::to_string),
            1 => any::<String>(),
        ],
        0..40,
    )
    .prop_map(|lines| lines.join("\n"))
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn checklist_parser_answers_any_text(text in prop_oneof![any::<String>(), checklist_text()]) {
        let result = vetter::checklist::parse("c.toml", &text, "user");
        user_error_or_ok(&result)?;
        if let Ok(c) = result {
            prop_assert!(c.item_count() > 0);
        }
    }
}

// ---- CSV imports ----

const CELLS: &[&str] = &[
    "dpa.a",
    "dpa.b",
    "met",
    "partial",
    "unknown",
    "dpa",
    "docs",
    "vendor",
    "shared",
    "https://example.com/x",
    "ftp://x",
    "AWS",
    "Hosting",
    "EU",
    "",
    " ",
    "\"",
    "\"\"",
    "\"a,b\"",
    "a\nb",
    "\"x\ny\"",
    "=1+1",
    "\u{202E}",
    "\u{FEFF}",
];

/// Cells a findings or subprocessor CSV is made of: real values, near
/// misses, quotes, separators and arbitrary text.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(CELLS).prop_map(str::to_string),
        1 => any::<String>(),
    ]
}

fn csv_file(header: &'static [&'static str]) -> impl Strategy<Value = String> {
    let header = prop::sample::subsequence(header, 0..=header.len()).prop_map(|h| h.join(","));
    let rows = prop::collection::vec(prop::collection::vec(cell(), 0..7), 0..8);
    (header, rows).prop_map(|(header, rows)| {
        let mut text = header;
        for row in rows {
            text.push('\n');
            text.push_str(&row.join(","));
        }
        text
    })
}

fn resolve(item: &str) -> Result<i64> {
    match item {
        "dpa.a" => Ok(1),
        "dpa.b" => Ok(2),
        _ => Err(Error::user(format!("unknown item '{item}'"))),
    }
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn findings_csv_parser_answers_any_file(
        text in prop_oneof![
            3 => csv_file(&["item", "status", "source", "note", "url", "owner"]),
            1 => any::<String>(),
        ]
    ) {
        let result = parse_findings(&text, "f.csv", &resolve);
        user_error_or_ok(&result)?;
        if let Ok(rows) = result {
            prop_assert!(!rows.is_empty());
            for row in rows {
                prop_assert!(row.review_item_id == 1 || row.review_item_id == 2);
                prop_assert!(row.note.as_ref().is_none_or(|n| n.len() <= validate::MAX_TEXT_BYTES));
            }
        }
    }

    #[test]
    fn subprocessor_csv_parser_answers_any_file(
        text in prop_oneof![
            3 => csv_file(&["name", "purpose", "location"]),
            1 => any::<String>(),
        ]
    ) {
        let result = parse_list(&text, "s.csv", "2026-01-01");
        user_error_or_ok(&result)?;
        for sub in result.unwrap_or_default() {
            for value in [&sub.name, &sub.purpose, &sub.location] {
                prop_assert!(validate::visible("name", value).is_ok());
                prop_assert!(value.chars().count() <= validate::MAX_NAME_CHARS);
            }
        }
    }

    #[test]
    fn csv_bytes_are_text_or_a_user_error(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        user_error_or_ok(&csv_text(bytes, "b.csv"))?;
    }
}

// ---- the packet's CSV cells ----

/// The documented way back from a written cell to the recorded text
/// (docs/packet-format.md): a cell that starts with `'` had one added; drop
/// exactly one.
fn recorded_text(cell: &str) -> &str {
    cell.strip_prefix('\'').unwrap_or(cell)
}

/// Whether a spreadsheet could open the cell as a formula: it starts with
/// `=`, `+`, `-`, `@`, a tab, CR or LF, and is not a plain negative number
/// (`-5`, `-0.25`, `-5%`), which opens as a constant. Written out here
/// rather than taken from the exporter, so the test does not trust it.
fn opens_as_formula(cell: &str) -> bool {
    let plain_negative = regex::Regex::new(r"^-[0-9]+(\.[0-9]+)?%?$").unwrap();
    cell.starts_with(['=', '+', '-', '@', '\t', '\r', '\n']) && !plain_negative.is_match(cell)
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn packet_csv_cells_never_start_a_formula_and_read_back(
        text in prop_oneof![
            any::<String>(),
            "[=+@\\-\t\r\n'\"]{0,3}[a-z0-9(),;\"]{0,10}",
            "'{0,3}-?[0-9]{0,3}\\.?[0-9]{0,2}%?[ a-z+]{0,3}",
        ]
    ) {
        let mut out = Vec::new();
        vetter::report::csv::write(&mut out, &["cell"], &[vec![text.clone()]], false).unwrap();
        let mut reader = csv::ReaderBuilder::new().from_reader(out.as_slice());
        let record = reader.records().next().expect("one row").unwrap();
        prop_assert_eq!(record.len(), 1);
        let cell = &record[0];
        prop_assert!(!opens_as_formula(cell), "cell starts a formula: {:?}", cell);
        prop_assert_eq!(recorded_text(cell), text.as_str());
    }
}

// ---- names and slugs ----

/// Characters a name may not hold (a sample of each class).
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
    '\0',
    '\u{202A}',
    '\u{202E}',
    '\u{2066}',
    '\u{2069}',
    '\u{200B}',
    '\u{200D}',
    '\u{200E}',
    '\u{200F}',
    '\u{FE0F}',
    '\u{E0041}',
    '\u{180E}',
    '\u{9F}',
];

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn visible_names_are_accepted_as_typed(
        name in "[A-Za-z0-9éüßØçñ&.,()' -]{0,40}[A-Za-zé][A-Za-z0-9éüßØçñ&.,()' -]{0,40}"
    ) {
        let stored = validate::name("vendor name", &name).unwrap();
        prop_assert_eq!(stored, name.trim());
    }

    #[test]
    fn a_name_with_an_invisible_character_is_refused_naming_it(
        name in "[A-Za-z0-9é &.-]{0,30}",
        c in prop::sample::select(INVISIBLE),
        at in any::<prop::sample::Index>(),
    ) {
        let mut chars: Vec<char> = name.chars().collect();
        let at = at.index(chars.len() + 1);
        chars.insert(at, c);
        let name: String = chars.into_iter().collect();
        let err = validate::name("vendor name", &name).unwrap_err();
        prop_assert!(err.message.contains(&format!("U+{:04X}", c as u32)), "{}", err.message);
        prop_assert!(err.message.contains(&format!("at character {}", at + 1)), "{}", err.message);
        prop_assert!(validate::slug(&name).is_err());
    }

    #[test]
    fn any_text_is_a_clean_name_or_refused(text in any::<String>()) {
        if let Ok(name) = validate::name("name", &text) {
            prop_assert!(!name.is_empty());
            prop_assert!(name.chars().count() <= validate::MAX_NAME_CHARS);
            prop_assert!(validate::visible("name", &name).is_ok());
        }
    }

    #[test]
    fn a_derived_slug_is_a_valid_slug(text in prop_oneof![any::<String>(), "[A-Za-zéßØ0-9 &.-]{0,80}"]) {
        if let Ok(slug) = validate::slug_from_name(&text) {
            prop_assert!(validate::slug(&slug).is_ok(), "{:?} -> {:?}", text, slug);
        }
    }

    #[test]
    fn look_alike_letters_and_case_make_look_alike_names(
        name in "[a-z]{1,12}",
        swap in prop::collection::vec(any::<bool>(), 12),
    ) {
        // Cyrillic а е о р с х у look like Latin a e o p c x y.
        let cyrillic = |c: char| match c {
            'a' => '\u{430}', 'e' => '\u{435}', 'o' => '\u{43E}', 'p' => '\u{440}',
            'c' => '\u{441}', 'x' => '\u{445}', 'y' => '\u{443}', other => other,
        };
        let disguised: String = name
            .chars()
            .zip(swap.iter().cycle())
            .map(|(c, &swap)| if swap { cyrillic(c) } else { c })
            .collect();
        prop_assert!(validate::look_alike(&name, &disguised));
        prop_assert!(validate::look_alike(&name, &name.to_uppercase()));
        prop_assert!(validate::look_alike(&disguised.to_uppercase(), &name));
    }
}

// ---- the PDF layout, through the binary ----

/// Text that stresses line layout: long unbroken tokens, right-to-left and
/// wide scripts, characters the font lacks, many short lines.
fn layout_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            "[a-zA-Z]{1,12}",
            "[a-z0-9./_-]{60,400}",
            "[אבגדה ]{1,30}",
            "[漢字テスト]{1,40}",
            "[ΩμέγαПривет ]{1,30}",
            Just("\n".to_string()),
            "[ \t]{1,3}",
            any::<String>().prop_map(|s| s.chars().filter(|c| !c.is_control()).collect()),
        ],
        1..30,
    )
    .prop_map(|parts| parts.join(" "))
}

proptest! {
    // Each case exports a whole packet, so only a few.
    #![proptest_config(config(6))]

    /// Debug builds (the tests) assert on every line drawn that it lies
    /// inside the page box (layout.rs `text_at`), so a line that escapes
    /// makes export panic and exit 101.
    #[test]
    fn any_text_lays_out_inside_the_page(
        name in "[A-Za-zé ]{1,20}[a-z][A-Za-z0-9é]{0,150}",
        note in layout_text(),
    ) {
        let t = T::with_review();
        t.ok(&["vendor", "add", &name, "--slug", "v", "--allow-similar"]);
        t.ok(&["review", "start", "v", "--due", "2026-12-31"]);
        let item = t.item_ids("v")[0].clone();
        let note: String = note.chars().filter(|c| validate::visible("", &c.to_string()).is_ok() || *c == '\n').collect();
        let note: String = note.chars().take(4000).collect();
        t.ok(&["finding", "add", "v", &item, "--status", "partial", "--source", "docs", "--note", &note]);
        let out = t.path("packet");
        let run = t.run(&["export", "v", "--out", p(&out), "--format", "pdf"]);
        prop_assert!(
            run.status.success(),
            "export failed ({:?}): {}",
            run.status.code(),
            String::from_utf8_lossy(&run.stderr)
        );
    }
}
