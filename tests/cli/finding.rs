//! `vetter finding ...`

use crate::{contains_all, T};

#[test]
fn the_newest_finding_sets_the_status_and_history_is_kept() {
    let t = T::with_review();
    t.ok(&[
        "finding",
        "add",
        "acme",
        "dpa.breach-notification",
        "--status",
        "unknown",
        "--source",
        "trust-center",
        "--note",
        "Trust Center says 'promptly'",
    ]);
    t.ok(&[
        "--as",
        "bob",
        "finding",
        "add",
        "acme",
        "dpa.breach-notification",
        "--status",
        "partial",
        "--source",
        "dpa",
        "--note",
        "§9.1: within 72 hours, where feasible — «après confirmation»",
        "--url",
        "https://acme.example/dpa#9",
        "--owner",
        "shared",
    ]);
    assert_eq!(t.item_status("acme", "dpa.breach-notification"), "partial");
    let list = t.json(&[
        "finding",
        "list",
        "acme",
        "--item",
        "dpa.breach-notification",
        "--json",
    ]);
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["status"], "unknown");
    assert_eq!(list[0]["recorded_by"], "alice");
    assert_eq!(list[1]["status"], "partial");
    assert_eq!(list[1]["source"], "dpa");
    assert_eq!(list[1]["owner"], "shared");
    assert_eq!(list[1]["recorded_by"], "bob");
    assert_eq!(list[1]["recorded_at"], crate::NOW);
    assert_eq!(
        list[1]["note"],
        "§9.1: within 72 hours, where feasible — «après confirmation»"
    );
    assert_eq!(list[1]["url"], "https://acme.example/dpa#9");
    // The owner recorded on the finding overrides the checklist default.
    let item = t.item("acme", "dpa.breach-notification");
    assert_eq!(item["owner"], "shared");
    assert_eq!(item["findings"], 2);
    contains_all(
        &t.ok(&["finding", "list", "acme"]),
        &["dpa.breach-notification", "partial", "bob"],
    );
}

#[test]
fn bad_findings_are_refused_with_the_value_and_choices() {
    let t = T::with_review();
    let err = t.refused(&[
        "finding",
        "add",
        "acme",
        "dpa.breach-notifcation",
        "--status",
        "met",
        "--source",
        "dpa",
    ]);
    contains_all(
        &err,
        &[
            "unknown checklist item 'dpa.breach-notifcation'",
            "did you mean 'dpa.breach-notification'?",
        ],
    );
    let err = t.refused(&[
        "finding",
        "add",
        "acme",
        "dpa.ownership",
        "--status",
        "done",
        "--source",
        "dpa",
    ]);
    contains_all(&err, &["'done'", "met, partial, not-met, n/a, unknown"]);
    let err = t.refused(&[
        "finding",
        "add",
        "acme",
        "dpa.ownership",
        "--status",
        "met",
        "--source",
        "rumour",
    ]);
    contains_all(&err, &["'rumour'", "trust-center", "interview"]);
    let err = t.refused(&[
        "finding",
        "add",
        "acme",
        "dpa.ownership",
        "--status",
        "met",
        "--source",
        "dpa",
        "--url",
        "acme.example/dpa",
    ]);
    contains_all(&err, &["invalid --url 'acme.example/dpa'"]);
    let err = t.refused(&[
        "finding",
        "add",
        "acme",
        "dpa.ownership",
        "--status",
        "met",
        "--source",
        "dpa",
        "--note",
        "ok\u{202E}evil",
    ]);
    contains_all(&err, &["U+202E"]);
    let err = t.refused(&[
        "finding",
        "add",
        "acme",
        "dpa.ownership",
        "--status",
        "met",
        "--source",
        "dpa",
        "--owner",
        "nobody",
    ]);
    contains_all(&err, &["'nobody'", "vendor, customer, shared"]);
    // An item of the checklist that does not apply to this vendor (no PHI) is
    // explained as such, not as a typo.
    let err = t.refused(&[
        "finding", "add", "acme", "dpa.baa", "--status", "met", "--source", "dpa",
    ]);
    contains_all(
        &err,
        &[
            "'dpa.baa' is not part of review #1",
            "does not apply",
            "--supersede",
        ],
    );
    let err = t.refused(&["finding", "list", "acme", "--item", "dpa.nope"]);
    contains_all(&err, &["unknown checklist item 'dpa.nope'"]);
}

#[test]
fn a_finding_needs_an_open_review() {
    let t = T::new();
    t.ok(&["vendor", "add", "Acme"]);
    let err = t.refused(&[
        "finding",
        "add",
        "acme",
        "dpa.ownership",
        "--status",
        "met",
        "--source",
        "dpa",
    ]);
    contains_all(&err, &["no open review", "vetter review start acme"]);
}

/// Free text that begins with "-" is text, not an option: a price cap, a
/// bullet list. clap refused it (exit 2) with a tip that does not work for
/// an option's value.
#[test]
fn free_text_may_begin_with_a_hyphen() {
    let t = T::with_review();
    t.ok(&[
        "finding",
        "add",
        "acme",
        "dpa.breach-notification",
        "--status",
        "partial",
        "--source",
        "dpa",
        "--note",
        "-5% price cap on renewals",
    ]);
    t.ok(&[
        "clause",
        "add",
        "acme",
        "breach-notification",
        "--hours",
        "72",
        "--quote",
        "- notify within 72 hours",
    ]);
    let history = t.json(&["finding", "list", "acme", "--json"]);
    assert_eq!(history[0]["note"], "-5% price cap on renewals", "{history}");
    let clauses = t.json(&["clause", "list", "acme", "--json"]);
    assert_eq!(clauses[0]["quote"], "- notify within 72 hours", "{clauses}");
    t.ok(&[
        "review",
        "submit",
        "acme",
        "--note",
        "- DPA read\n- two questions open",
    ]);
    let decided = t
        .cmd_as(
            "approver",
            &[
                "review",
                "decide",
                "acme",
                "--decision",
                "conditional",
                "--note",
                "-- accepted with conditions",
                "--conditions",
                "- shorten the breach window",
            ],
        )
        .output()
        .unwrap();
    assert!(
        decided.status.success(),
        "{}",
        String::from_utf8_lossy(&decided.stderr)
    );
    // A missing value is still an error, not the next option taken as text.
    let missing = t.run(&[
        "finding",
        "add",
        "acme",
        "dpa.breach-notification",
        "--status",
        "met",
        "--source",
        "dpa",
        "--note",
    ]);
    assert!(!missing.status.success());
    contains_all(
        &String::from_utf8_lossy(&missing.stderr),
        &["a value is required for '--note"],
    );
}
