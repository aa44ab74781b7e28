//! The first hour of a new user (issue 9): closed pipes, tables that fit the
//! terminal, per-vendor review numbers, --json on writes, the same checks
//! everywhere, and flags that say what they cannot see.

use crate::{contains_all, p, T};
use std::process::Stdio;

/// Runs vetter with stdout connected to a pipe whose reader is already
/// closed, as `vetter ... | head -c1` is once head has read its byte.
fn into_closed_pipe(t: &T, args: &[&str]) -> std::process::Output {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    t.cmd(args)
        .stdout(Stdio::from(writer))
        .stderr(Stdio::piped())
        .output()
        .unwrap()
}

#[test]
fn a_closed_pipe_ends_every_kind_of_output_quietly() {
    let t = T::with_review();
    t.ok(&[
        "finding",
        "add",
        "acme",
        "dpa.ownership",
        "--status",
        "met",
        "--source",
        "dpa",
    ]);
    for args in [
        &["completions", "bash"][..],
        &["man"],
        &["checklist", "show", "backend-platform"],
        &["checklist", "show", "backend-platform", "--json"],
        &["review", "status", "acme", "--items"],
        &["log"],
        &["log", "--json"],
        &["flags", "acme"],
        &["rules", "list", "--markdown"],
        &["vendor", "add", "Beta", "--json"],
    ] {
        let out = into_closed_pipe(&t, args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "vetter {args:?}: {stderr}");
        assert!(
            !stderr.contains("error") && !stderr.contains("panicked"),
            "vetter {args:?} complained about the closed pipe: {stderr}"
        );
    }
    // And through a real shell pipeline, into head -c1, output larger than
    // the pipe's buffer.
    let vetter = env!("CARGO_BIN_EXE_vetter");
    for args in ["completions bash", "checklist show backend-platform --json"] {
        let out = std::process::Command::new("bash")
            .arg("-c")
            .arg(format!(
                "\"$VETTER_BIN\" {args} | head -c1 >/dev/null; echo \"${{PIPESTATUS[0]}}\""
            ))
            .env("VETTER_BIN", vetter)
            .env("VETTER_DB", t.db_for("alice"))
            .output()
            .unwrap();
        assert_eq!(
            String::from_utf8_lossy(&out.stdout).trim(),
            "0",
            "vetter {args} | head -c1"
        );
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            "",
            "vetter {args} | head -c1"
        );
    }
}

#[test]
fn every_table_fits_an_80_column_terminal() {
    let t = T::new();
    let demo = t.path("demo");
    t.ok(&["demo", "--out", p(&demo)]);
    let db = demo.join("vetter.db");
    let run = |args: &[&str]| {
        let mut all = vec!["--db", p(&db)];
        all.extend_from_slice(args);
        let out = t.cmd(&all).env("COLUMNS", "80").output().unwrap();
        assert!(
            out.status.success(),
            "vetter {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    // Long prose, a long URL and wide characters in one record.
    let note = format!(
        "{} 株式会社テストの回答: データは東京リージョンに保存されます。",
        "word ".repeat(40)
    );
    run(&[
        "finding",
        "add",
        "nimbus",
        "tenancy.isolation",
        "--status",
        "partial",
        "--source",
        "interview",
        "--note",
        &note,
        "--url",
        &format!(
            "https://nimbus-backend.example/{}",
            "very-long-path-segment/".repeat(8)
        ),
    ]);
    run(&[
        "question",
        "add",
        "nimbus",
        "tenancy.isolation",
        &"How are tenants isolated? ".repeat(8),
        "--due",
        "2026-11-01",
        "--allow-past",
    ]);
    let commands: &[&[&str]] = &[
        &["vendor", "list"],
        &["vendor", "show", "nimbus"],
        &["checklist", "list"],
        &["checklist", "show", "backend-platform"],
        &["review", "status", "nimbus"],
        &["review", "status", "nimbus", "--items"],
        &["review", "list", "nimbus"],
        &["finding", "list", "nimbus"],
        &["clause", "list", "nimbus"],
        &["clause", "show", "1"],
        &["subprocessor", "list", "nimbus"],
        &["subprocessor", "diff", "nimbus"],
        &["rules", "list"],
        &["flags", "nimbus"],
        &["flags", "--all"],
        &["evidence", "list", "nimbus"],
        &["evidence", "show", "1"],
        &["question", "list"],
        &["due", "--within", "400"],
        &["log"],
        &["profile", "show"],
        &["verify"],
    ];
    for args in commands {
        let text = run(args);
        assert!(!text.is_empty(), "vetter {args:?} printed nothing");
        for line in text.lines() {
            let width = unicode_width::UnicodeWidthStr::width(line);
            assert!(
                width <= 80,
                "vetter {args:?} printed a {width}-column line:\n{line}"
            );
        }
        assert!(
            !text.contains('…'),
            "vetter {args:?} cut text with an ellipsis"
        );
    }
    // Wrapped, not cut: every word of the long note is in the table.
    let findings = run(&["finding", "list", "nimbus"]);
    for word in ["株式会社テストの回答:", "very-long-path-segment/"] {
        assert!(
            findings.contains(word) || findings.replace('\n', "").contains(word),
            "{word} missing"
        );
    }
    // The log shows each change in full, without --json.
    contains_all(&run(&["log"]), &["note=word word", "東京リージョン"]);
    // Without COLUMNS and not a terminal, tables are fitted to 100 columns.
    let out = t
        .cmd(&["--db", p(&db), "finding", "list", "nimbus"])
        .env_remove("COLUMNS")
        .output()
        .unwrap();
    let widest = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(unicode_width::UnicodeWidthStr::width)
        .max()
        .unwrap();
    assert!(widest <= 100 && widest > 80, "widest line {widest}");
}

#[test]
fn reviews_are_numbered_per_vendor() {
    let t = T::with_review();
    t.ok(&["vendor", "add", "Neon", "--hosting", "baas"]);
    let neon = t.run(&["review", "start", "neon", "--due", "2026-12-31"]);
    contains_all(
        &String::from_utf8_lossy(&neon.stderr),
        &["started review #1 of 'neon'"],
    );
    let second = t.json(&["review", "start", "acme", "--supersede", "--json"]);
    assert_eq!(second["number"], 2);
    assert!(second.get("id").is_none(), "the internal id is not shown");
    let acme = t.json(&["review", "list", "acme", "--json"]);
    assert_eq!(acme[0]["number"], 1);
    assert_eq!(acme[0]["state"], "superseded");
    assert_eq!(acme[1]["number"], 2);
    assert_eq!(
        t.json(&["review", "list", "neon", "--json"])[0]["number"],
        1
    );
    assert_eq!(t.json(&["review", "status", "acme", "--json"])["review"], 2);
    // vendor show lists the reviews, not just a count.
    let shown = t.ok(&["vendor", "show", "acme"]);
    contains_all(
        &shown,
        &[
            "Reviews",
            "#1",
            "#2",
            "backend-platform@1.0",
            "superseded",
            "open",
            "2026-11-26",
        ],
    );
    assert_eq!(
        t.json(&["vendor", "show", "acme", "--json"])["reviews"][1]["number"],
        2
    );
    // export --review takes the vendor's number.
    let out = t.path("packet");
    t.ok(&[
        "export",
        "acme",
        "--review",
        "1",
        "--format",
        "json",
        "--out",
        p(&out),
    ]);
    let packet: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("packet.json")).unwrap()).unwrap();
    assert_eq!(packet["review"]["number"], 1);
    assert_eq!(packet["review"]["state"], "superseded");
    let err = t.refused(&["export", "neon", "--review", "2", "--out", p(&t.path("p2"))]);
    contains_all(&err, &["vendor 'neon' has no review #2"]);
}

/// Runs a write command with --json: stdout is only the record, the
/// sentence for people is on stderr.
fn record(t: &T, args: &[&str]) -> serde_json::Value {
    let out = t.run(args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "vetter {args:?}: {stderr}");
    assert!(!stderr.is_empty(), "vetter {args:?} said nothing on stderr");
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "vetter {args:?} printed no JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

#[test]
fn write_commands_print_the_record_with_json() {
    let t = T::new();
    let v = record(
        &t,
        &[
            "vendor",
            "add",
            "Acme Cloud",
            "--slug",
            "acme",
            "--hosting",
            "baas",
            "--json",
        ],
    );
    assert_eq!(v["slug"], "acme");
    assert_eq!(v["hosting"], "baas");
    assert_eq!(
        record(&t, &["vendor", "edit", "acme", "--tier", "high", "--json"])["tier"],
        "high"
    );
    assert_eq!(
        record(&t, &["review", "start", "acme", "--json"])["number"],
        1
    );
    let f = record(
        &t,
        &[
            "finding",
            "add",
            "acme",
            "dpa.ownership",
            "--status",
            "met",
            "--source",
            "dpa",
            "--json",
        ],
    );
    assert_eq!(
        (f["id"].as_i64(), f["item"].as_str(), f["review"].as_i64()),
        (Some(1), Some("dpa.ownership"), Some(1))
    );
    let csv = t.write(
        "f.csv",
        "item,status,source\ndpa.subprocessors,partial,dpa\naccess.scim,not-met,docs\n",
    );
    let i = record(&t, &["import", "findings", "acme", p(&csv), "--json"]);
    assert_eq!(
        (
            i["findings"].as_i64(),
            i["first"].as_i64(),
            i["last"].as_i64()
        ),
        (Some(2), Some(2), Some(3))
    );
    let c = record(
        &t,
        &[
            "clause",
            "add",
            "acme",
            "breach-notification",
            "--hours",
            "72",
            "--json",
        ],
    );
    assert_eq!(
        (c["id"].as_i64(), c["kind"].as_str()),
        (Some(1), Some("breach-notification"))
    );
    assert_eq!(
        record(&t, &["clause", "edit", "1", "--hours", "48", "--json"])["terms"]["hours"],
        48
    );
    let e = record(
        &t,
        &[
            "evidence",
            "add",
            "acme",
            p(&t.write("dpa.txt", "the DPA")),
            "--kind",
            "dpa",
            "--json",
        ],
    );
    assert_eq!(e["id"], 1);
    assert_eq!(e["sha256"].as_str().unwrap().len(), 64);
    assert_eq!(
        record(&t, &["evidence", "link", "1", "--clause", "1", "--json"])["id"],
        1
    );
    let q = record(
        &t,
        &[
            "question",
            "add",
            "acme",
            "dpa.ownership",
            "Who owns derived data?",
            "--json",
        ],
    );
    assert_eq!(
        (q["id"].as_i64(), q["status"].as_str()),
        (Some(1), Some("open"))
    );
    assert_eq!(
        record(&t, &["question", "answer", "1", "We do not", "--json"])["status"],
        "answered"
    );
    assert_eq!(
        record(
            &t,
            &[
                "question",
                "close",
                "1",
                "--resolution",
                "accepted",
                "--json"
            ]
        )["status"],
        "closed"
    );
    assert_eq!(
        record(&t, &["question", "reopen", "1", "--json"])["status"],
        "open"
    );
    assert_eq!(
        record(&t, &["profile", "set", "max-breach-hours=24", "--json"])["max-breach-hours"],
        24
    );
    let s = record(
        &t,
        &[
            "subprocessor",
            "add",
            "acme",
            "AWS",
            "--purpose",
            "hosting",
            "--location",
            "EU",
            "--json",
        ],
    );
    assert_eq!(s["name"], "AWS");
    let list = t.write(
        "s.csv",
        "name,purpose,location\nAWS,hosting,EU\nStripe,billing,US\n",
    );
    let subs = record(
        &t,
        &[
            "subprocessor",
            "import",
            "acme",
            p(&list),
            "--seen",
            "2026-11-01",
            "--json",
        ],
    );
    assert_eq!(subs.as_array().unwrap().len(), 2);
    let w = record(
        &t,
        &[
            "flags",
            "waive",
            "acme",
            "breach.over-max-hours",
            "--reason",
            "negotiating",
            "--json",
        ],
    );
    assert_eq!(
        (w["rule"].as_str(), w["pre_emptive"].as_bool()),
        (Some("breach.over-max-hours"), Some(false))
    );
    assert_eq!(
        record(&t, &["vendor", "archive", "acme", "--json"])["archived_at"],
        crate::NOW
    );
}

#[test]
fn past_due_dates_are_refused_everywhere_unless_allowed() {
    let t = T::new();
    t.ok(&["vendor", "add", "Acme"]);
    let err = t.refused(&["review", "start", "acme", "--due", "2020-01-01"]);
    contains_all(
        &err,
        &[
            "--due 2020-01-01 is in the past (today is 2026-11-26)",
            "--allow-past",
        ],
    );
    let err = t.refused(&["review", "start", "acme", "--due", "soon"]);
    contains_all(&err, &["invalid --due 'soon'", "+30d"]);
    t.ok(&[
        "review",
        "start",
        "acme",
        "--due",
        "2020-01-01",
        "--allow-past",
    ]);
    t.ok(&["review", "start", "acme", "--due", "+30d", "--supersede"]);
    assert_eq!(
        t.json(&["review", "status", "acme", "--json"])["due"],
        "2026-12-26"
    );
    let err = t.refused(&[
        "question",
        "add",
        "acme",
        "dpa.ownership",
        "Q?",
        "--due",
        "2026-11-25",
    ]);
    contains_all(&err, &["--due 2026-11-25 is in the past", "--allow-past"]);
    let q = t.json(&[
        "question",
        "add",
        "acme",
        "dpa.ownership",
        "Q?",
        "--due",
        "+2w",
        "--json",
    ]);
    assert_eq!(q["due"], "2026-12-10");
}

#[test]
fn coverage_counts_only_items_with_a_result() {
    let t = T::with_review();
    for (item, status) in [
        ("dpa.ownership", "met"),
        ("dpa.subprocessors", "unknown"),
        ("access.scim", "unknown"),
    ] {
        t.ok(&[
            "finding", "add", "acme", item, "--status", status, "--source", "dpa",
        ]);
    }
    let status = t.json(&["review", "status", "acme", "--json"]);
    let totals = &status["totals"];
    assert_eq!(
        (totals["met"].as_u64(), totals["unknown"].as_u64()),
        (Some(1), Some(2))
    );
    let items = t.item_ids("acme").len();
    // 1 of the items, in tenths of a percent rounded half up.
    let tenths = (2000 + items) / (2 * items);
    let shown = format!("{}.{}%", tenths / 10, tenths % 10);
    let text = t.ok(&["review", "status", "acme"]);
    let total = text.lines().find(|l| l.starts_with("total")).unwrap();
    assert!(total.ends_with(&format!(" {shown}")), "{total}");
    contains_all(&text, &["2 unknown items are not counted"]);
    // The packet says the same.
    let out = t.path("packet");
    t.ok(&["export", "acme", "--format", "pdf,json", "--out", p(&out)]);
    let pdf = crate::export::pdf_text(&out.join("packet.pdf"));
    contains_all(
        &pdf,
        &[
            &format!("{shown} coverage"),
            "2 items recorded as unknown are not counted",
        ],
    );
}

#[test]
fn a_waiver_needs_a_raised_flag_or_says_it_is_pre_emptive() {
    let t = T::with_review();
    t.ok(&["profile", "set", "max-breach-hours=48"]);
    let err = t.refused(&[
        "flags",
        "waive",
        "acme",
        "breach.over-max-hours",
        "--reason",
        "r",
    ]);
    contains_all(
        &err,
        &[
            "breach.over-max-hours is not raised for 'acme' today",
            "--pre-emptive",
        ],
    );
    t.ok(&[
        "flags",
        "waive",
        "acme",
        "breach.over-max-hours",
        "--reason",
        "we accept up to 72h",
        "--pre-emptive",
    ]);
    t.ok(&[
        "clause",
        "add",
        "acme",
        "breach-notification",
        "--hours",
        "72",
    ]);
    let flags = t.ok(&["flags", "acme"]);
    contains_all(
        &flags,
        &[
            "breach.over-max-hours",
            "WAIVED pre-emptively by alice",
            "we accept up to 72h",
        ],
    );
    let err = t.refused(&[
        "flags",
        "waive",
        "acme",
        "breach.over-max-hours",
        "--reason",
        "r",
        "--pre-emptive",
    ]);
    contains_all(&err, &["is raised for 'acme' today", "drop --pre-emptive"]);
    t.ok(&[
        "flags",
        "waive",
        "acme",
        "breach.over-max-hours",
        "--reason",
        "renewed",
    ]);
}

#[test]
fn flags_explain_a_met_attestation_without_evidence() {
    let t = T::with_review();
    t.ok(&["profile", "set", "required-attestations=soc2-type2"]);
    let flags = t.ok(&["flags", "acme"]);
    contains_all(
        &flags,
        &[
            "attestation.missing",
            "soc2-type2 is required and no soc2-type2 evidence is stored",
        ],
    );
    t.ok(&[
        "finding",
        "add",
        "acme",
        "trust.soc2-type2",
        "--status",
        "met",
        "--source",
        "trust-center",
    ]);
    let flags = t.ok(&["flags", "acme"]);
    contains_all(
        &flags,
        &[
            "recorded met in trust.soc2-type2, but no soc2-type2 evidence is stored",
            "vetter evidence add acme FILE --kind soc2-type2 --period-end DATE --item",
        ],
    );
    let report = t.write("soc2.pdf", "%PDF-1.4 report");
    t.ok(&[
        "evidence",
        "add",
        "acme",
        p(&report),
        "--kind",
        "soc2-type2",
        "--period-end",
        "2026-09-30",
        "--item",
        "trust.soc2-type2",
    ]);
    assert!(!t.ok(&["flags", "acme"]).contains("attestation.missing"));
}

#[test]
fn an_unread_dpa_never_looks_clean() {
    let t = T::with_review();
    let flags = t.ok(&["flags", "acme"]);
    contains_all(
        &flags,
        &[
            "0 red flags",
            "DPA clauses not yet reviewed:",
            "subprocessors",
            "deletion-return",
            "breach-notification",
        ],
    );
    assert!(
        !flags.contains("baa"),
        "a BAA is not expected without HIPAA or PHI"
    );
    t.ok(&[
        "clause",
        "add",
        "acme",
        "subprocessors",
        "--notice-days",
        "30",
        "--objection-days",
        "30",
    ]);
    t.ok(&["clause", "add", "acme", "audit-rights", "--absent"]);
    let status = t.json(&["review", "status", "acme", "--json"]);
    let kinds: Vec<&str> = status["unreviewed_clause_kinds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"deletion-return")
            && !kinds.contains(&"subprocessors")
            && !kinds.contains(&"audit-rights"),
        "{kinds:?}"
    );
    contains_all(
        &t.ok(&["review", "status", "acme"]),
        &["DPA clauses not yet reviewed:", "deletion-return"],
    );
    t.ok(&["profile", "set", "regimes=gdpr,hipaa"]);
    assert!(
        t.ok(&["flags", "acme"]).contains("baa"),
        "with HIPAA a BAA is expected"
    );
    // The packet says so too: in packet.json, the PDF and portfolio.csv.
    let out = t.path("packet");
    t.ok(&["export", "acme", "--out", p(&out)]);
    let packet: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("packet.json")).unwrap()).unwrap();
    assert!(packet["summary"]["unreviewed_clause_kinds"]
        .as_array()
        .unwrap()
        .iter()
        .any(|k| k == "deletion-return"));
    let pdf = crate::export::pdf_text(&out.join("packet.pdf"));
    contains_all(&pdf, &["DPA clauses not yet reviewed:", "deletion-return"]);
    let all = t.path("all");
    t.ok(&["export", "--all", "--out", p(&all)]);
    let portfolio = std::fs::read_to_string(all.join("portfolio.csv")).unwrap();
    contains_all(&portfolio, &["\"dpa_not_reviewed\"", "deletion-return"]);
}

#[test]
fn top_level_help_lists_commands_in_review_order_and_each_command_has_examples() {
    let t = T::new();
    let help = t.ok(&["--help"]);
    let at = |name: &str| {
        help.find(&format!("\n  {name} "))
            .unwrap_or_else(|| panic!("{name} not in --help:\n{help}"))
    };
    let order = [
        "vendor", "review", "finding", "clause", "flags", "evidence", "question", "export",
    ];
    for pair in order.windows(2) {
        assert!(
            at(pair[0]) < at(pair[1]),
            "{} listed after {}",
            pair[0],
            pair[1]
        );
    }
    for args in [
        &["review", "start", "--help"][..],
        &["finding", "add", "--help"],
        &["export", "--help"],
    ] {
        let text = t.ok(args);
        contains_all(&text, &["Examples:\n  vetter "]);
    }
    assert!(!t.db.exists());
}

/// Before the first write, a newcomer can read the defaults, the built-in
/// checklist and the rules: nothing is created, and vetter says so.
#[test]
fn the_defaults_can_be_read_before_the_first_write() {
    if crate::engine::sqlite_only("it starts with no database file") {
        return;
    }
    let t = T::sqlite();
    for args in [
        &["profile", "show"][..],
        &["checklist", "list"][..],
        &["checklist", "show", "backend-platform"][..],
        &["rules", "list"][..],
    ] {
        let out = t.run(args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        contains_all(
            &String::from_utf8_lossy(&out.stderr),
            &["no database yet at", "these are the built-in defaults"],
        );
        assert!(!t.db.exists(), "{args:?} created the database");
    }
    contains_all(
        &t.ok(&["checklist", "show", "backend-platform"]),
        &["backend-platform 1.0"],
    );
    contains_all(&t.ok(&["profile", "show"]), &["max-breach-hours"]);
    // A command about records still needs them.
    let err = t.fails(1, &["vendor", "list"]);
    contains_all(&err, &["no database at"]);
}

/// At COLUMNS=80 every message vetter writes on stderr fits, wrapped at
/// spaces: the long one-liners of review start, evidence add, clause
/// extract, backup, review submit and decide.
#[test]
fn every_message_fits_an_80_column_terminal() {
    let t = T::new();
    let run = |user: &str, args: &[&str]| {
        let out = t.cmd_as(user, args).env("COLUMNS", "80").output().unwrap();
        assert!(
            out.status.success(),
            "vetter {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let err = String::from_utf8(out.stderr).unwrap();
        for line in err.lines() {
            let width = unicode_width::UnicodeWidthStr::width(line);
            assert!(
                width <= 80,
                "vetter {args:?} wrote a {width}-column line:\n{line}"
            );
        }
        err
    };
    run(
        "alice",
        &[
            "vendor",
            "add",
            "Acme Cloud Platform Incorporated",
            "--slug",
            "acme",
        ],
    );
    let said = run("alice", &["review", "start", "acme"]);
    assert!(
        said.lines().count() > 1,
        "the long note is wrapped, not cut:\n{said}"
    );
    let report = t.write("soc2.pdf", b"%PDF-1.4 a stand-in report\n");
    run(
        "alice",
        &[
            "evidence",
            "add",
            "acme",
            p(&report),
            "--kind",
            "soc2-type2",
            "--period-end",
            "2026-09-30",
        ],
    );
    let dpa = t.write(
        "dpa.txt",
        "9.1 Provider shall notify Customer within seventy-two (72) hours after becoming aware of a Personal Data Breach.\n",
    );
    let extracted = run(
        "alice",
        &[
            "clause",
            "extract",
            "acme",
            p(&dpa),
            "--out",
            p(&t.path("c.toml")),
        ],
    );
    contains_all(&extracted, &["stored evidence #2"]);
    run("alice", &["backup", p(&t.path("backup.db"))]);
    run(
        "alice",
        &["review", "submit", "acme", "--note", "ready for a decision"],
    );
    run(
        "bob",
        &[
            "review",
            "decide",
            "acme",
            "--decision",
            "reject",
            "--note",
            "not enough evidence yet",
        ],
    );
    // The demo's summary and its red flags too.
    if crate::engine::sqlite_only("the demo writes its own SQLite file") {
        return;
    }
    let out = t
        .cmd(&["demo", "--out", p(&t.path("demo"))])
        .env("COLUMNS", "80")
        .output()
        .unwrap();
    assert!(out.status.success());
    for line in String::from_utf8(out.stdout).unwrap().lines() {
        let width = unicode_width::UnicodeWidthStr::width(line);
        assert!(
            width <= 80,
            "the demo printed a {width}-column line:
{line}"
        );
    }
}

/// Every command's examples fit 80 columns: a long one continues on the
/// next line after a backslash, as a shell reads it, never wrapped mid-way.
#[test]
fn help_examples_fit_80_columns_and_continue_with_a_backslash() {
    let t = T::new();
    let help = |path: &[String]| {
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let out = t.cmd(&args).env("COLUMNS", "80").output().unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    // The commands of a help text: the lines under "Commands:".
    let commands = |text: &str| -> Vec<String> {
        text.split("Commands:\n")
            .nth(1)
            .map(|rest| {
                rest.lines()
                    .take_while(|l| l.starts_with("  "))
                    .filter_map(|l| l.split_whitespace().next())
                    .filter(|c| *c != "help")
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut paths: Vec<Vec<String>> = commands(&help(&[])).into_iter().map(|c| vec![c]).collect();
    let mut checked = 0;
    while let Some(path) = paths.pop() {
        let text = help(&path);
        for sub in commands(&text) {
            let mut next = path.clone();
            next.push(sub);
            paths.push(next);
        }
        let Some(examples) = text.split("Examples:\n").nth(1) else {
            continue;
        };
        checked += 1;
        let lines: Vec<&str> = examples.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let width = unicode_width::UnicodeWidthStr::width(*line);
            assert!(
                width <= 80,
                "{path:?}: a {width}-column example line:\n{line}"
            );
            // An example, or its continuation after a backslash: a line
            // the terminal wrapped is neither.
            let continued = i > 0 && lines[i - 1].ends_with('\\');
            assert!(
                line.is_empty()
                    || line.starts_with("  vetter ")
                    || (continued && line.starts_with("      ")),
                "{path:?}: an example wrapped without a backslash:\n{line}"
            );
        }
    }
    assert!(checked > 30, "only {checked} commands have examples");
}
