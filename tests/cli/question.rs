//! `vetter question ...` and `vetter due`.

use crate::{contains_all, T};

#[test]
fn questions_are_asked_answered_closed_and_reopened_with_history() {
    let t = T::with_review();
    t.ok(&[
        "clause",
        "add",
        "acme",
        "breach-notification",
        "--hours",
        "72",
    ]);
    let msg = t.ok_stderr(&[
        "question",
        "add",
        "acme",
        "dpa.breach-notification",
        "Does the 72-hour clock start at awareness?",
        "--clause",
        "1",
        "--to",
        "security@acme.example",
        "--due",
        "2026-12-10",
    ]);
    contains_all(&msg, &["asked question #1", "due 2026-12-10"]);
    let q = &t.json(&["question", "list", "acme", "--json"])[0];
    assert_eq!(q["id"], 1);
    assert_eq!(q["vendor"], "acme");
    assert_eq!(q["item"], "dpa.breach-notification");
    assert_eq!(q["text"], "Does the 72-hour clock start at awareness?");
    assert_eq!(q["status"], "open");
    assert_eq!(q["due"], "2026-12-10");
    assert_eq!(q["overdue"], false);
    assert_eq!(q["clause"], 1);

    let dpa = t.write("amendment.pdf", "DPA amendment");
    t.ok(&["evidence", "add", "acme", crate::p(&dpa), "--kind", "dpa"]);
    t.ok(&[
        "--as",
        "bob",
        "question",
        "answer",
        "1",
        "Yes, from awareness; see amendment §2",
        "--evidence",
        "1",
    ]);
    let q = &t.json(&["question", "list", "--json"])[0];
    assert_eq!(q["status"], "answered");
    assert_eq!(q["answer"], "Yes, from awareness; see amendment §2");
    assert_eq!(q["answer_evidence"], 1);
    assert_eq!(q["answered_by"], "bob");
    t.ok(&["question", "close", "1", "--resolution", "accepted"]);
    contains_all(
        &t.refused(&["question", "answer", "1", "more"]),
        &["question #1 is closed (accepted)", "question reopen 1"],
    );
    contains_all(
        &t.refused(&["question", "close", "1", "--resolution", "rejected"]),
        &["already closed"],
    );
    t.ok(&["question", "reopen", "1"]);
    t.ok(&["question", "answer", "1", "Correction: from discovery"]);
    // Both answers are kept.
    assert_eq!(
        t.sql_count("SELECT count(*) FROM question_answer WHERE question_id = 1"),
        2
    );
    let log = t.json(&["log", "acme", "--json"]);
    let commands: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["command"].as_str().unwrap())
        .filter(|c| c.starts_with("question"))
        .collect();
    assert_eq!(
        commands,
        [
            "question add",
            "question answer",
            "question close",
            "question reopen",
            "question answer"
        ]
    );
    contains_all(
        &t.ok(&["question", "list"]),
        &[
            "dpa.breach-notification",
            "answered",
            "Correction: from discovery",
        ],
    );
    // Open questions are counted per item in the review status.
    t.ok(&[
        "question",
        "add",
        "acme",
        "dpa.ownership",
        "Who owns derived data?",
    ]);
    let item = t.item("acme", "dpa.ownership");
    assert_eq!(item["open_questions"], 1);
}

#[test]
fn overdue_means_past_due_and_not_answered() {
    let t = T::with_review();
    t.ok(&[
        "question",
        "add",
        "acme",
        "dpa.ownership",
        "Q1",
        "--due",
        "2026-12-01",
    ]);
    t.ok(&[
        "question",
        "add",
        "acme",
        "dpa.residency",
        "Q2",
        "--due",
        "2026-12-01",
    ]);
    t.ok(&["question", "add", "acme", "dpa.liability", "Q3"]);
    t.ok(&["question", "answer", "2", "answered in time"]);
    let later = |args: &[&str]| -> serde_json::Value {
        let out = t
            .cmd(args)
            .env("VETTER_NOW", "2026-12-05T00:00:00Z")
            .output()
            .unwrap();
        assert!(out.status.success());
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let overdue = later(&["question", "list", "--overdue", "--json"]);
    let ids: Vec<i64> = overdue
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [1]);
    assert_eq!(overdue[0]["overdue"], true);
    let open = later(&["question", "list", "--open", "--json"]);
    assert_eq!(open.as_array().unwrap().len(), 2);
    // Not yet overdue today.
    assert_eq!(
        t.json(&["question", "list", "--overdue", "--json"]),
        serde_json::json!([])
    );
}

#[test]
fn bad_questions_are_refused() {
    let t = T::with_review();
    contains_all(
        &t.refused(&[
            "question",
            "add",
            "acme",
            "dpa.ownership",
            "Q",
            "--due",
            "2026-01-01",
        ]),
        &["in the past", "--allow-past"],
    );
    t.ok(&[
        "question",
        "add",
        "acme",
        "dpa.ownership",
        "Old question",
        "--due",
        "2026-01-01",
        "--allow-past",
    ]);
    contains_all(
        &t.refused(&["question", "add", "acme", "dpa.ownershp", "Q"]),
        &["did you mean 'dpa.ownership'"],
    );
    contains_all(
        &t.refused(&["question", "add", "acme", "dpa.ownership", "  "]),
        &["question text is empty"],
    );
    contains_all(
        &t.refused(&[
            "question",
            "add",
            "acme",
            "dpa.ownership",
            "Q",
            "--due",
            "soon",
        ]),
        &["invalid --due 'soon'"],
    );
    contains_all(
        &t.refused(&["question", "answer", "99", "x"]),
        &["unknown question #99"],
    );
    contains_all(
        &t.refused(&["question", "close", "1", "--resolution", "fine"]),
        &["'fine'", "accepted, rejected, superseded"],
    );
    contains_all(
        &t.refused(&["question", "reopen", "1"]),
        &["is open, not closed"],
    );
}

#[test]
fn due_lists_what_needs_attention_across_vendors() {
    let t = T::with_review();
    t.ok(&["vendor", "add", "Beta"]);
    t.ok(&["review", "start", "beta", "--due", "2026-12-01"]);
    t.ok(&[
        "question",
        "add",
        "acme",
        "dpa.ownership",
        "Who owns derived data?",
        "--due",
        "2026-11-01",
        "--allow-past",
    ]);
    let soon = t.write("iso.pdf", "iso cert");
    t.ok(&[
        "evidence",
        "add",
        "beta",
        crate::p(&soon),
        "--kind",
        "iso27001",
        "--valid-until",
        "2026-12-15",
    ]);
    let later = t.write("soc2.pdf", "soc2");
    t.ok(&[
        "evidence",
        "add",
        "beta",
        crate::p(&later),
        "--kind",
        "soc2-type2",
        "--valid-until",
        "2027-06-30",
    ]);
    t.ok(&[
        "clause",
        "add",
        "acme",
        "other",
        "--section",
        "DPA term",
        "--valid-until",
        "2026-11-20",
    ]);
    let due = t.json(&["due", "--json"]);
    let summary: Vec<(String, String, String)> = due
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["what"].as_str().unwrap().into(),
                d["vendor"].as_str().unwrap().into(),
                d["state"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                "question".to_string(),
                "acme".to_string(),
                "overdue".to_string()
            ),
            (
                "clause".to_string(),
                "acme".to_string(),
                "expired".to_string()
            ),
            // Due in 5 days: listed before it is overdue.
            ("review".to_string(), "beta".to_string(), "due".to_string()),
            (
                "evidence".to_string(),
                "beta".to_string(),
                "expiring".to_string()
            ),
        ]
    );
    // A wider window and a later day bring in the rest.
    let out = t
        .cmd(&["due", "--within", "365", "--json"])
        .env("VETTER_NOW", "2026-12-05T00:00:00Z")
        .output()
        .unwrap();
    let due: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let whats: Vec<&str> = due
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["what"].as_str().unwrap())
        .collect();
    assert_eq!(
        whats,
        ["question", "clause", "review", "evidence", "review", "evidence"]
    );
    contains_all(&t.ok(&["due"]), &["OVERDUE", "EXPIRING", "beta"]);
}
