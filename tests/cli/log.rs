//! `vetter log` and the audit events every write appends.

use crate::{contains_all, T};

#[test]
fn every_write_appends_one_event_with_actor_time_and_values() {
    let t = T::new();
    t.ok(&["vendor", "add", "Acme", "--tier", "low"]);
    t.ok(&["--as", "carol", "vendor", "edit", "acme", "--tier", "high"]);
    t.cmd(&["review", "start", "acme"])
        .env("VETTER_USER", "dave")
        .output()
        .unwrap();
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
    t.ok(&["vendor", "add", "Other"]);
    t.ok(&["vendor", "archive", "other"]);

    let all = t.json(&["log", "--json"]);
    let events = all.as_array().unwrap();
    let commands: Vec<&str> = events
        .iter()
        .map(|e| e["command"].as_str().unwrap())
        .collect();
    assert_eq!(
        commands,
        [
            "vendor add",
            "vendor edit",
            "review start",
            "finding add",
            "vendor add",
            "vendor archive"
        ]
    );
    assert_eq!(events[0]["actor"], "alice");
    assert_eq!(events[1]["actor"], "carol");
    assert_eq!(events[2]["actor"], "dave");
    assert!(events.iter().all(|e| e["at"] == crate::NOW));
    assert_eq!(events[0]["old"], serde_json::Value::Null);
    assert_eq!(events[0]["new"]["name"], "Acme");
    assert_eq!(events[1]["old"]["tier"], "low");
    assert_eq!(events[3]["entity"], "finding");
    assert_eq!(events[3]["entity_id"], "1");
    assert_eq!(events[3]["new"]["item"], "dpa.ownership");
    assert_eq!(events[5]["old"]["archived_at"], serde_json::Value::Null);
    assert_eq!(events[5]["new"]["archived_at"], crate::NOW);

    let acme = t.json(&["log", "acme", "--json"]);
    assert_eq!(acme.as_array().unwrap().len(), 4);
    assert!(acme
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["vendor"] == "acme"));
    let last = t.json(&["log", "--limit", "2", "--json"]);
    assert_eq!(last.as_array().unwrap().len(), 2);
    assert_eq!(last[1]["command"], "vendor archive");
    contains_all(
        &t.ok(&["log", "acme"]),
        &["vendor edit", "carol", "tier: low -> high"],
    );
}

#[test]
fn the_clock_can_be_injected_and_a_bad_clock_is_refused() {
    let t = T::new();
    t.cmd(&["vendor", "add", "Acme"])
        .env("VETTER_NOW", "2030-01-02T03:04:05+01:00")
        .output()
        .unwrap();
    assert_eq!(t.json(&["log", "--json"])[0]["at"], "2030-01-02T02:04:05Z");
    let out = t
        .cmd(&["vendor", "add", "Beta"])
        .env("VETTER_NOW", "yesterday")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    contains_all(
        &String::from_utf8_lossy(&out.stderr),
        &["invalid VETTER_NOW 'yesterday'", "RFC 3339"],
    );
    assert_eq!(t.json(&["log", "--json"]).as_array().unwrap().len(), 1);
}

#[test]
fn a_failed_command_leaves_no_event() {
    let t = T::with_review();
    let before = t.sql_count("SELECT count(*) FROM audit_event");
    t.refused(&[
        "finding", "add", "acme", "dpa.nope", "--status", "met", "--source", "dpa",
    ]);
    assert_eq!(before, t.sql_count("SELECT count(*) FROM audit_event"));
}

#[test]
fn without_vetter_user_the_os_account_is_recorded() {
    let t = T::new();
    let out = t
        .cmd(&["vendor", "add", "Acme"])
        .env_remove("VETTER_USER")
        .env("USER", "os-erin")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(t.json(&["log", "--json"])[0]["actor"], "os-erin");
    // With no user variables at all, the account is still named (never "unknown").
    let out = t
        .cmd(&["vendor", "add", "Beta"])
        .env_remove("VETTER_USER")
        .env_remove("USER")
        .env_remove("LOGNAME")
        .env_remove("USERNAME")
        .output()
        .unwrap();
    assert!(out.status.success());
    let actor = t.json(&["log", "--json"])[1]["actor"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(!actor.is_empty() && actor != "unknown", "{actor}");
}
