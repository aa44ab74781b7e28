//! `vetter log` and the audit events every write appends.

use crate::{contains_all, p, T};

#[test]
fn every_write_appends_one_event_with_actor_time_and_values() {
    let t = T::new();
    t.ok(&["vendor", "add", "Acme", "--tier", "low"]);
    t.ok(&["--as", "carol", "vendor", "edit", "acme", "--tier", "high"]);
    t.cmd_as("dave", &["review", "start", "acme"])
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
    if crate::engine::sqlite_only(
        "on PostgreSQL the actor is the login, not the OS account or --as (tests/cli/team_rules.rs)",
    ) {
        return;
    }
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

/// Issue 19 item 7: vendor beta's review #1 is the register's second review
/// (internal id 2). Everywhere the trail is read it is review #1: the log,
/// log --json, and the packet's audit.csv, packet.json and PDF; the
/// internal id appears only under the name `review_id`. The stored events
/// keep their text, so the chain and the replay still verify.
#[test]
fn the_audit_trail_names_a_review_by_its_per_vendor_number() {
    if crate::engine::sqlite_only(
        "on PostgreSQL the actor is the login, not the OS account or --as (tests/cli/team_rules.rs)",
    ) {
        return;
    }
    let t = T::new();
    t.ok(&["vendor", "add", "Alpha Co", "--slug", "alpha"]);
    t.ok(&["review", "start", "alpha"]);
    t.ok(&["vendor", "add", "Beta Co", "--slug", "beta"]);
    t.ok(&["review", "start", "beta"]);
    assert_eq!(
        t.sql_count("SELECT r.id FROM review r JOIN vendor v ON v.id = r.vendor_id WHERE v.slug = 'beta' AND r.number = 1"),
        2,
        "beta's review #1 should have internal id 2"
    );
    t.ok(&[
        "finding",
        "add",
        "beta",
        "dpa.ownership",
        "--status",
        "met",
        "--source",
        "dpa",
    ]);
    let csv = t.write(
        "findings.csv",
        "item,status,source\naccess.scim,partial,docs\n",
    );
    t.ok(&["import", "findings", "beta", p(&csv)]);
    t.ok(&["review", "submit", "beta", "--note", "ready"]);

    // Every event that refers to a review names it #1, by entity_id or by
    // a `review` key; 2 only as `review_id`.
    #[track_caller]
    fn assert_names_review_one(events: &[serde_json::Value], what: &str) {
        let mut referring = 0;
        for e in events {
            if e["entity"] == "review" {
                assert_eq!(e["entity_id"], "1", "{what}: {e}");
                referring += 1;
            }
            for values in [&e["old"], &e["new"]] {
                if let Some(review) = values.get("review") {
                    assert_eq!(review, 1, "{what}: {e}");
                    assert_eq!(values["review_id"], 2, "{what}: {e}");
                    referring += 1;
                }
            }
        }
        // review start (twice: entity and key), finding add, import, submit.
        assert_eq!(referring, 5, "{what}: {events:?}");
    }
    let log = t.json(&["log", "beta", "--json"]);
    assert_names_review_one(log.as_array().unwrap(), "log --json");

    let human = t.ok(&["log", "beta"]);
    contains_all(
        &human,
        &[
            "review start  review #1  [beta]",
            "review submit  review #1  [beta]",
        ],
    );
    assert!(!human.contains("review #2"), "{human}");
    assert_eq!(human.matches("review=1").count(), 3, "{human}");
    assert!(!human.contains("review=2"), "{human}");

    let out = t.path("packet");
    t.ok(&["export", "beta", "--out", p(&out)]);
    let packet: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("packet.json")).unwrap()).unwrap();
    assert_eq!(packet["format_version"], 7);
    assert_eq!(packet["review"]["number"], 1);
    assert_names_review_one(packet["audit"].as_array().unwrap(), "packet.json");

    // audit.csv read with the csv crate; its JSON cells parsed back.
    let mut reader = csv::Reader::from_path(out.join("audit.csv")).unwrap();
    let header = reader.headers().unwrap().clone();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<serde_json::Value> = reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            let json = |name: &str| match &r[column(name)] {
                "" => serde_json::Value::Null,
                text => serde_json::from_str(text).unwrap(),
            };
            serde_json::json!({
                "entity": &r[column("entity")],
                "entity_id": &r[column("entity_id")],
                "old": json("old"),
                "new": json("new"),
            })
        })
        .collect();
    assert_names_review_one(&rows, "audit.csv");

    let pdf = crate::export::pdf_text(&out.join("packet.pdf"));
    let trail = &pdf[pdf.rfind("9 Audit trail").unwrap()..];
    contains_all(
        trail,
        &["review start review #1", "review submit review #1"],
    );
    assert!(!pdf.contains("review #2"), "{trail}");

    // What the hash covers is as it was written: the internal id.
    assert_eq!(
        t.sql_count("SELECT count(*) FROM audit_event WHERE entity = 'review' AND entity_id = '2'"),
        2
    );
    assert_eq!(
        t.sql_count(
            "SELECT count(*) FROM audit_event WHERE json_extract(new_value, '$.review') = 2"
        ),
        3
    );
    t.ok(&["verify"]);
}
