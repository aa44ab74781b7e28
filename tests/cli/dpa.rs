//! `vetter profile ...` and `vetter clause ...`.

use crate::{contains_all, T};

#[test]
fn profile_shows_defaults_and_sets_checked_values_with_an_audit_event() {
    let t = T::with_db();
    let p = t.json(&["profile", "show", "--json"]);
    assert_eq!(p["max-breach-hours"], 72);
    assert_eq!(p["min-subprocessor-notice-days"], 30);
    assert_eq!(p["min-objection-days"], 14);
    assert_eq!(p["max-deletion-days"], 30);
    assert_eq!(p["max-backup-days"], 90);
    assert_eq!(p["ai-training"], "forbid");
    assert_eq!(p["liability"], "any");
    assert_eq!(p["regimes"], serde_json::json!([]));

    t.ok(&[
        "--as",
        "dpo",
        "profile",
        "set",
        "regimes=gdpr,hipaa",
        "regions=eu",
        "max-breach-hours=48",
        "required-attestations=soc2-type2,iso27001",
    ]);
    let p = t.json(&["profile", "show", "--json"]);
    assert_eq!(p["regimes"], serde_json::json!(["gdpr", "hipaa"]));
    assert_eq!(p["regions"], serde_json::json!(["EU"]));
    assert_eq!(p["max-breach-hours"], 48);
    assert_eq!(
        p["required-attestations"],
        serde_json::json!(["soc2-type2", "iso27001"])
    );
    let event = &t.json(&["log", "--json"])[0];
    assert_eq!(event["command"], "profile set");
    assert_eq!(event["actor"], "dpo");
    assert_eq!(event["old"]["max-breach-hours"], "72");
    assert_eq!(event["new"]["max-breach-hours"], "48");
    contains_all(
        &t.ok(&["profile", "show"]),
        &["max-breach-hours", "48", "72"],
    );
    // Back to the default: the stored row goes, the value reads as the default.
    t.ok(&["profile", "set", "max-breach-hours=72"]);
    assert_eq!(
        t.sql_count("SELECT count(*) FROM profile WHERE key = 'max-breach-hours'"),
        0
    );
}

#[test]
fn bad_profile_values_change_nothing() {
    let t = T::new();
    contains_all(
        &t.refused(&["profile", "set", "max-breach-hours=-1"]),
        &["invalid max-breach-hours '-1'", "0 to 8760"],
    );
    contains_all(
        &t.refused(&["profile", "set", "max-breach-hours=100000"]),
        &["'100000'"],
    );
    // One range, said the same way whatever the bad value.
    for bad in ["0", "-1", "100000"] {
        contains_all(
            &t.refused(&["profile", "set", &format!("review-months-high={bad}")]),
            &["whole number of months from 1 to 120"],
        );
    }
    contains_all(
        &t.refused(&["profile", "set", "regimes=gdpr,sox"]),
        &["invalid regime 'sox'", "hipaa"],
    );
    contains_all(
        &t.refused(&["profile", "set", "ai-training=sometimes"]),
        &["'sometimes'", "forbid, opt-in"],
    );
    contains_all(
        &t.refused(&["profile", "set", "max-breach-hour=1"]),
        &[
            "unknown profile key 'max-breach-hour'",
            "did you mean 'max-breach-hours'",
        ],
    );
    contains_all(
        &t.refused(&["profile", "set", "regimes"]),
        &["not KEY=VALUE"],
    );
    // One bad pair refuses the whole command.
    t.refused(&["profile", "set", "regimes=gdpr", "max-deletion-days=x"]);
    assert_eq!(
        t.json(&["profile", "show", "--json"])["regimes"],
        serde_json::json!([])
    );
}

#[test]
fn clauses_record_structured_terms_quotes_and_item_links() {
    let t = T::new();
    t.ok(&["vendor", "add", "Acme"]);
    let msg = t.ok_stderr(&[
        "clause",
        "add",
        "acme",
        "breach-notification",
        "--hours",
        "72",
        "--where-feasible",
        "--clock",
        "confirmation",
        "--section",
        "§9.1",
        "--quote",
        "Le prestataire notifie « sans délai » — within 72 hours",
        "--item",
        "dpa.breach-notification",
        "--item",
        "responsibility.regulatory-notifications",
    ]);
    contains_all(&msg, &["recorded clause #1: breach-notification"]);
    t.ok(&[
        "clause",
        "add",
        "acme",
        "audit-rights",
        "--absent",
        "--section",
        "§12",
    ]);
    let list = t.json(&["clause", "list", "acme", "--json"]);
    let c = &list[0];
    assert_eq!(c["kind"], "breach-notification");
    assert_eq!(c["terms"]["hours"], 72);
    assert_eq!(c["terms"]["where_feasible"], true);
    assert_eq!(c["terms"]["clock"], "confirmation");
    assert_eq!(c["section"], "§9.1");
    assert_eq!(
        c["quote"],
        "Le prestataire notifie « sans délai » — within 72 hours"
    );
    assert_eq!(
        c["items"],
        serde_json::json!([
            "dpa.breach-notification",
            "responsibility.regulatory-notifications"
        ])
    );
    assert_eq!(list[1]["absent"], true);
    assert_eq!(
        t.json(&["clause", "show", "2", "--json"])["kind"],
        "audit-rights"
    );
    contains_all(
        &t.ok(&["clause", "list", "acme"]),
        &["breach-notification", "hours=72", "ABSENT"],
    );
    contains_all(
        &t.ok(&["clause", "show", "1"]),
        &["§9.1", "clock=confirmation"],
    );
}

#[test]
fn clause_edit_replaces_given_terms_and_records_old_and_new() {
    let t = T::new();
    t.ok(&["vendor", "add", "Acme"]);
    t.ok(&[
        "clause",
        "add",
        "acme",
        "deletion-return",
        "--no-deadline",
        "--section",
        "§11",
    ]);
    t.ok(&[
        "--as",
        "bob",
        "clause",
        "edit",
        "1",
        "--deletion-days",
        "30",
        "--backup-days",
        "90",
        "--item",
        "dpa.deletion-return",
    ]);
    let c = t.json(&["clause", "show", "1", "--json"]);
    assert_eq!(c["terms"]["deletion_days"], 30);
    assert!(c["terms"].get("no_deadline").is_none(), "{c}");
    assert_eq!(c["items"], serde_json::json!(["dpa.deletion-return"]));
    let edit = t
        .json(&["log", "acme", "--json"])
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["command"] == "clause edit")
        .unwrap()
        .clone();
    assert_eq!(edit["actor"], "bob");
    assert_eq!(edit["old"]["terms"]["no_deadline"], true);
    assert_eq!(edit["new"]["terms"]["deletion_days"], 30);
    // A missing clause that turns up in an amendment.
    t.ok(&["clause", "add", "acme", "audit-rights", "--absent"]);
    t.ok(&[
        "clause",
        "edit",
        "2",
        "--present",
        "--audit",
        "reports-only",
        "--quote",
        "SOC 2 report on request",
    ]);
    assert_eq!(t.json(&["clause", "show", "2", "--json"])["absent"], false);
}

#[test]
fn bad_clauses_are_refused_with_the_valid_choices() {
    let t = T::new();
    t.ok(&["vendor", "add", "Acme"]);
    contains_all(
        &t.refused(&["clause", "add", "acme", "warranty"]),
        &["'warranty'", "breach-notification", "government-access"],
    );
    contains_all(
        &t.refused(&[
            "clause",
            "add",
            "acme",
            "breach-notification",
            "--clock",
            "whenever",
        ]),
        &["'whenever'", "awareness, discovery, confirmation"],
    );
    contains_all(
        &t.refused(&[
            "clause",
            "add",
            "acme",
            "breach-notification",
            "--hours",
            "-1",
        ]),
        &["--hours -1 is out of range", "0 to 8760"],
    );
    contains_all(
        &t.refused(&[
            "clause",
            "add",
            "acme",
            "breach-notification",
            "--hours",
            "100000",
        ]),
        &["--hours 100000 is out of range"],
    );
    contains_all(
        &t.refused(&[
            "clause",
            "add",
            "acme",
            "subprocessors",
            "--notice-days",
            "99999",
        ]),
        &["--notice-days 99999 is out of range"],
    );
    contains_all(
        &t.refused(&["clause", "add", "acme", "subprocessors", "--hours", "24"]),
        &[
            "--hours does not apply to a subprocessors clause",
            "breach-notification and baa",
        ],
    );
    contains_all(
        &t.refused(&["clause", "add", "acme", "liability", "--deletion-days", "3"]),
        &["--deletion-days does not apply to a liability clause"],
    );
    contains_all(
        &t.refused(&[
            "clause",
            "add",
            "acme",
            "breach-notification",
            "--quote",
            "  ",
        ]),
        &["--quote is empty"],
    );
    contains_all(
        &t.refused(&[
            "clause",
            "add",
            "acme",
            "audit-rights",
            "--absent",
            "--audit",
            "none",
        ]),
        &["--absent clause has no quote and no terms"],
    );
    contains_all(
        &t.refused(&[
            "clause",
            "add",
            "acme",
            "deletion-return",
            "--deletion-days",
            "3",
            "--no-deadline",
        ]),
        &["contradict"],
    );
    contains_all(
        &t.refused(&[
            "clause", "add", "acme", "baa", "--hours", "3", "--days", "1",
        ]),
        &["contradict"],
    );
    contains_all(
        &t.refused(&[
            "clause",
            "add",
            "acme",
            "subprocessors",
            "--list-url",
            "vendor.example/subs",
        ]),
        &["invalid --list-url"],
    );
    contains_all(
        &t.refused(&["clause", "add", "acme", "transfers", "--regions", "E"]),
        &["invalid region 'E'"],
    );
    contains_all(
        &t.refused(&[
            "clause",
            "add",
            "acme",
            "other",
            "--item",
            "dpa.breach-notifcation",
        ]),
        &["did you mean 'dpa.breach-notification'"],
    );
    contains_all(
        &t.refused(&[
            "clause",
            "add",
            "acme",
            "other",
            "--valid-until",
            "2026-13-01",
        ]),
        &["invalid --valid-until"],
    );
    contains_all(
        &t.refused(&["clause", "add", "acmee", "other"]),
        &["unknown vendor 'acmee'"],
    );
    contains_all(
        &t.refused(&["clause", "show", "99"]),
        &["unknown clause #99"],
    );
    contains_all(
        &t.refused(&["clause", "edit", "99", "--quote", "x"]),
        &["unknown clause #99"],
    );
}
