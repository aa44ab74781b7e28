//! `vetter review ...`

use crate::{contains_all, T};

#[test]
fn start_snapshots_only_the_items_that_apply() {
    let t = T::new();
    t.ok(&[
        "vendor",
        "add",
        "Acme",
        "--hosting",
        "baas",
        "--tenancy",
        "multi",
        "--data",
        "pii",
    ]);
    let msg = t.ok_stderr(&["review", "start", "acme", "--due", "2027-01-15"]);
    contains_all(&msg, &["started review #1", "backend-platform"]);
    let status = t.json(&["review", "status", "acme", "--json"]);
    assert_eq!(status["vendor"], "acme");
    assert_eq!(status["checklist"]["id"], "backend-platform");
    assert_eq!(status["due"], "2027-01-15");
    let ids = t.item_ids("acme");
    assert!(ids.contains(&"hosting.baas-responsibilities".to_string()));
    assert!(
        !ids.contains(&"hosting.iaas-responsibilities".to_string()),
        "IaaS item applied to a BaaS vendor"
    );
    assert!(
        !ids.contains(&"dpa.baa".to_string()),
        "PHI item applied to a vendor without PHI"
    );
    assert!(ids.contains(&"tenancy.isolation".to_string()));
    assert!(!ids.contains(&"tenancy.single-tenant-operations".to_string()));

    // A vendor with nothing recorded gets every item.
    t.ok(&["vendor", "add", "Unknown Co"]);
    t.ok(&["review", "start", "unknown-co"]);
    let all = t.json(&["review", "status", "unknown-co", "--json"]);
    let total: u64 = all["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["items"].as_array().unwrap().len() as u64)
        .sum();
    let builtin = t.json(&["checklist", "list", "--json"])[0]["items"]
        .as_u64()
        .unwrap();
    assert_eq!(total, builtin);
}

#[test]
fn status_counts_per_section_follow_the_newest_finding() {
    let t = T::with_review();
    let status = t.json(&["review", "status", "acme", "--json"]);
    let dpa = status["sections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "dpa")
        .unwrap();
    let n = dpa["items"].as_array().unwrap().len() as u64;
    assert_eq!(dpa["counts"]["no-result"], n);
    for key in ["met", "partial", "not-met", "n/a", "unknown"] {
        assert_eq!(dpa["counts"][key], 0, "{key}");
    }
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
    t.ok(&[
        "finding",
        "add",
        "acme",
        "dpa.residency",
        "--status",
        "partial",
        "--source",
        "dpa",
    ]);
    t.ok(&[
        "finding",
        "add",
        "acme",
        "dpa.residency",
        "--status",
        "not-met",
        "--source",
        "interview",
    ]);
    t.ok(&[
        "finding",
        "add",
        "acme",
        "dpa.liability",
        "--status",
        "n/a",
        "--source",
        "docs",
    ]);
    t.ok(&[
        "finding",
        "add",
        "acme",
        "dpa.audit-rights",
        "--status",
        "unknown",
        "--source",
        "questionnaire",
    ]);
    let status = t.json(&["review", "status", "acme", "--json"]);
    let dpa = status["sections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "dpa")
        .unwrap();
    assert_eq!(dpa["counts"]["met"], 1);
    assert_eq!(dpa["counts"]["partial"], 0);
    assert_eq!(dpa["counts"]["not-met"], 1);
    assert_eq!(dpa["counts"]["n/a"], 1);
    assert_eq!(dpa["counts"]["unknown"], 1);
    assert_eq!(dpa["counts"]["no-result"], n - 4);
    assert_eq!(t.item_status("acme", "dpa.residency"), "not-met");
    let table = t.ok(&["review", "status", "acme"]);
    contains_all(
        &table,
        &[
            "section",
            "met",
            "partial",
            "not-met",
            "n/a",
            "unknown",
            "no result",
            "dpa",
            "total",
        ],
    );
    contains_all(
        &t.ok(&["review", "status", "acme", "--items"]),
        &["dpa.residency", "not-met"],
    );
}

#[test]
fn a_second_review_needs_supersede() {
    let t = T::with_review();
    let err = t.refused(&["review", "start", "acme"]);
    contains_all(&err, &["already has an open review (#1", "--supersede"]);
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
    t.ok(&["review", "start", "acme", "--supersede"]);
    let reviews = t.json(&["review", "list", "acme", "--json"]);
    assert_eq!(reviews[0]["state"], "superseded");
    assert_eq!(reviews[1]["state"], "open");
    // The new cycle starts empty; the old findings stay in the database.
    assert_eq!(t.item_status("acme", "dpa.ownership"), "no-result");
    assert_eq!(t.sql_count("SELECT count(*) FROM finding"), 1);
    contains_all(
        &t.ok(&["review", "list", "acme"]),
        &["#1", "#2", "superseded", "open"],
    );
}

#[test]
fn bad_review_input_is_refused() {
    let t = T::new();
    t.ok(&["vendor", "add", "Acme"]);
    contains_all(
        &t.refused(&["review", "start", "acme", "--due", "31/12/2026"]),
        &["invalid --due '31/12/2026'", "YYYY-MM-DD"],
    );
    contains_all(
        &t.refused(&["review", "start", "acme", "--due", "2026-02-30"]),
        &["2026-02-30"],
    );
    contains_all(
        &t.refused(&["review", "start", "acme", "--checklist", "nope"]),
        &["unknown checklist 'nope'"],
    );
    contains_all(
        &t.refused(&["review", "start", "acmee"]),
        &["unknown vendor 'acmee'", "did you mean 'acme'?"],
    );
    contains_all(
        &t.refused(&["review", "status", "acme"]),
        &["no open review", "vetter review start acme"],
    );
}
