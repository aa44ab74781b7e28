//! Trusting the records: the hash-chained audit log, `vetter verify`
//! (chain, replay, evidence, packets), tampering of every kind, backup and
//! restore, the schema upgrade of an old database, and what the audit log
//! records about time and files.

use super::{contains_all, p, NOW, T};
use rusqlite::Connection;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// A world holding the demo's database (a vendor, its review, findings,
/// clauses, evidence, questions, subprocessors, a contract: 43 audit events).
pub(super) fn demo() -> T {
    // The demo writes a SQLite file of its own.
    let mut t = T::sqlite();
    let out = t.path("demo");
    let run = t.cmd(&["demo", "--out", p(&out)]).output().unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    t.db = t.dir.path().join("demo/vetter.db");
    t
}

/// Runs SQL on the database with the append-only triggers lifted, as
/// someone with write access to the file could, then puts them back (so
/// what verify sees is the change itself; a dropped trigger has its own test).
pub(super) fn tamper(t: &T, sql: &str) {
    lifted(t, |conn| conn.execute_batch(sql).unwrap());
}

/// Runs `f` on the database with every trigger dropped, then restores them.
fn lifted(t: &T, f: impl FnOnce(&Connection)) {
    let conn = Connection::open(&t.db).unwrap();
    let triggers: Vec<(String, String)> = conn
        .prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'trigger'")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    // Someone editing the file by hand is not held to foreign keys either.
    conn.execute_batch("PRAGMA foreign_keys = OFF").unwrap();
    for (name, _) in &triggers {
        conn.execute_batch(&format!("DROP TRIGGER \"{name}\""))
            .unwrap();
    }
    f(&conn);
    for (_, create) in &triggers {
        conn.execute_batch(create).unwrap();
    }
}

/// `vetter verify` must exit 3; returns stdout.
pub(super) fn verify_fails(t: &T, extra: &[&str]) -> String {
    let mut args = vec!["verify"];
    args.extend_from_slice(extra);
    // Wide enough that no message is wrapped mid-phrase.
    let out = t.cmd(&args).env("COLUMNS", "1000").output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(3),
        "verify should fail\nstdout: {}\nstderr: {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The documented encoding (docs/security.md), written again independently
/// of vetter's code: the test fails if the two disagree.
fn event_hash(conn: &Connection, seq: i64) -> String {
    let row: Vec<Option<String>> = conn
        .query_row(
            "SELECT id, at, real_at, actor, command, entity, entity_id, vendor_id, old_value, new_value, prev_hash
             FROM audit_event WHERE id = ?1",
            [seq],
            |r| {
                (0..11)
                    .map(|i| {
                        let v = r.get_ref(i)?;
                        Ok(match v {
                            rusqlite::types::ValueRef::Null => None,
                            rusqlite::types::ValueRef::Integer(n) => Some(n.to_string()),
                            rusqlite::types::ValueRef::Text(t) => {
                                Some(String::from_utf8(t.to_vec()).unwrap())
                            }
                            other => panic!("unexpected {other:?}"),
                        })
                    })
                    .collect()
            },
        )
        .unwrap();
    let mut h = Sha256::new();
    for field in row {
        match field {
            None => h.update([0u8]),
            Some(text) => {
                h.update([1u8]);
                h.update((text.len() as u64).to_be_bytes());
                h.update(text.as_bytes());
            }
        }
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Recomputes the chain from event `from` on, as someone rewriting the log
/// carefully would.
pub(super) fn rechain_from(t: &T, from: i64) {
    lifted(t, |conn| {
        let last: i64 = conn
            .query_row("SELECT max(id) FROM audit_event", [], |r| r.get(0))
            .unwrap();
        for seq in from..=last {
            let prev: String = if seq == 1 {
                "0".repeat(64)
            } else {
                conn.query_row(
                    "SELECT hash FROM audit_event WHERE id = ?1",
                    [seq - 1],
                    |r| r.get(0),
                )
                .unwrap()
            };
            conn.execute(
                "UPDATE audit_event SET prev_hash = ?1 WHERE id = ?2",
                rusqlite::params![prev, seq],
            )
            .unwrap();
            let hash = event_hash(conn, seq);
            conn.execute(
                "UPDATE audit_event SET hash = ?1 WHERE id = ?2",
                rusqlite::params![hash, seq],
            )
            .unwrap();
        }
    });
}

#[test]
fn every_event_is_chained_and_the_head_is_printed() {
    let t = demo();
    let head = t.json(&["log", "--head", "--json"]);
    assert_eq!(head["seq"], 43);
    let conn = Connection::open(&t.db).unwrap();
    let mut prev = "0".repeat(64);
    for seq in 1..=43 {
        let (stored_prev, stored): (String, String) = conn
            .query_row(
                "SELECT prev_hash, hash FROM audit_event WHERE id = ?1",
                [seq],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(stored_prev, prev, "event {seq} links to the one before");
        assert_eq!(stored, event_hash(&conn, seq), "event {seq} hash");
        prev = stored;
    }
    assert_eq!(head["hash"], prev);
    assert_eq!(
        t.ok(&["log", "--head"]).trim(),
        format!("event 43 sha256 {prev}")
    );
    // The table refuses an unchained event even with the update triggers gone.
    let conn = Connection::open(&t.db).unwrap();
    let err = conn
        .execute_batch(
            "INSERT INTO audit_event (at, actor, command, entity) VALUES ('x', 'x', 'x', 'x')",
        )
        .unwrap_err();
    assert!(err.to_string().contains("hash-chained"), "{err}");
}

#[test]
fn the_documented_python_script_recomputes_an_event_hash() {
    let t = demo();
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/security.md")).unwrap();
    let block = doc
        .split("<!-- test: recompute-event-hash -->")
        .nth(1)
        .and_then(|rest| rest.split("```python\n").nth(1))
        .and_then(|rest| rest.split("```").next())
        .expect("docs/security.md has the marked python block");
    assert!(block.lines().count() <= 20, "the script stays short");
    let script = t.write("event_hash.py", block);
    let head = t.json(&["log", "--head", "--json"]);
    let Ok(run) = std::process::Command::new("python3")
        .args([p(&script), p(&t.db), "43"])
        .output()
    else {
        eprintln!("skipped: python3 is not installed (scripts/test installs it)");
        return;
    };
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(
        stdout.trim(),
        format!("{} OK", head["hash"].as_str().unwrap())
    );
}

#[test]
fn verify_passes_on_real_records_and_names_each_check() {
    let t = demo();
    let out = t.ok(&["verify"]);
    for check in ["integrity", "chain", "evidence", "replay"] {
        assert!(
            out.lines()
                .any(|l| l.starts_with(check) && l.contains(" ok ")),
            "{check} ok in:\n{out}"
        );
    }
    let report = t.json(&["verify", "--json"]);
    assert_eq!(report["ok"], true);
    assert_eq!(report["database"]["events"], 43);
    assert!(report["database"]["records_replayed"].as_i64().unwrap() > 30);
}

#[test]
fn edited_deleted_inserted_and_reordered_events_are_named() {
    // Edited in place, hash left alone.
    let t = demo();
    tamper(&t, "UPDATE audit_event SET actor = 'mallory' WHERE id = 10");
    contains_all(&verify_fails(&t, &[]), &["audit event #10: edited"]);

    // Edited, and its own hash recomputed: the next event gives it away.
    let t = demo();
    tamper(&t, "UPDATE audit_event SET actor = 'mallory' WHERE id = 10");
    lifted(&t, |conn| {
        let hash = event_hash(conn, 10);
        conn.execute("UPDATE audit_event SET hash = ?1 WHERE id = 10", [hash])
            .unwrap();
    });
    contains_all(
        &verify_fails(&t, &[]),
        &["audit event #10: edited", "event #11 recorded another hash"],
    );

    // Deleted.
    let t = demo();
    tamper(&t, "DELETE FROM audit_event WHERE id = 10");
    contains_all(&verify_fails(&t, &[]), &["audit event #10: deleted"]);

    // Deleted, and the later events renumbered to close the gap.
    let t = demo();
    tamper(
        &t,
        "DELETE FROM audit_event WHERE id = 10;
         UPDATE audit_event SET id = -id WHERE id > 10;
         UPDATE audit_event SET id = -id - 1 WHERE id < 0;",
    );
    contains_all(&verify_fails(&t, &[]), &["audit event #10: deleted"]);

    // Inserted without a hash.
    let t = demo();
    tamper(
        &t,
        "INSERT INTO audit_event (id, at, actor, command, entity) VALUES (44, 'x', 'mallory', 'vendor add', 'vendor')",
    );
    contains_all(&verify_fails(&t, &[]), &["audit event #44: inserted"]);

    // Inserted in the middle with a well-formed hash, later events shifted.
    let t = demo();
    tamper(
        &t,
        "UPDATE audit_event SET id = -id WHERE id >= 10;
         UPDATE audit_event SET id = -id + 1 WHERE id < 0;
         INSERT INTO audit_event (id, at, actor, command, entity, prev_hash)
         SELECT 10, '2026-11-26T09:00:00Z', 'mallory', 'profile set', 'profile', hash FROM audit_event WHERE id = 9;",
    );
    lifted(&t, |conn| {
        let hash = event_hash(conn, 10);
        conn.execute("UPDATE audit_event SET hash = ?1 WHERE id = 10", [hash])
            .unwrap();
    });
    contains_all(&verify_fails(&t, &[]), &["audit event #11: inserted"]);

    // Reordered: two events swap places.
    let t = demo();
    tamper(
        &t,
        "UPDATE audit_event SET id = -1 WHERE id = 10;
         UPDATE audit_event SET id = 10 WHERE id = 11;
         UPDATE audit_event SET id = 11 WHERE id = -1;",
    );
    contains_all(&verify_fails(&t, &[]), &["audit event #10: reordered"]);
}

#[test]
fn records_changed_or_added_in_sql_are_named() {
    // A finding's note, changed in place.
    let t = demo();
    tamper(&t, "UPDATE finding SET note = 'all fine' WHERE id = 4");
    contains_all(
        &verify_fails(&t, &[]),
        &["finding #4: changed outside vetter: note is \"all fine\""],
    );

    // A clause's quote.
    let t = demo();
    tamper(
        &t,
        "UPDATE clause SET quote = 'within 24 hours' WHERE id = 1",
    );
    contains_all(
        &verify_fails(&t, &[]),
        &["clause #1: changed outside vetter: quote"],
    );

    // A finding added in SQL, claiming an existing event.
    let t = demo();
    tamper(
        &t,
        "INSERT INTO finding (review_item_id, status, source, recorded_at, recorded_by, event_id)
         SELECT review_item_id, 'met', 'docs', 'x', 'mallory', event_id FROM finding WHERE id = 4",
    );
    contains_all(
        &verify_fails(&t, &[]),
        &["finding #25: added outside vetter"],
    );

    // A vendor's name, a waiver-free profile key, a question's text.
    let t = demo();
    tamper(
        &t,
        "UPDATE vendor SET name = 'Nimbus (approved)';
         UPDATE profile SET value = 'US' WHERE key = 'regions';
         UPDATE question SET text = 'nothing' WHERE id = 1;",
    );
    contains_all(
        &verify_fails(&t, &[]),
        &[
            "vendor 'nimbus': changed outside vetter: name",
            "profile key 'regions': changed outside vetter",
            "question #1: changed outside vetter: text",
        ],
    );

    // A vendor added in SQL.
    let t = demo();
    tamper(
        &t,
        "INSERT INTO vendor (slug, name, created_at, updated_at) VALUES ('ghost', 'Ghost', 'x', 'x')",
    );
    contains_all(
        &verify_fails(&t, &[]),
        &["vendor 'ghost': added outside vetter"],
    );
}

#[test]
fn evidence_rewritten_with_or_without_its_recorded_hash_is_caught() {
    // One byte of the stored file flipped (its 11th, a letter of the text).
    let t = demo();
    tamper(
        &t,
        "UPDATE blob SET content = CAST(substr(content, 1, 10) || '!' || substr(content, 12) AS BLOB)",
    );
    let conn = Connection::open(&t.db).unwrap();
    let size: i64 = conn
        .query_row("SELECT length(content) - size FROM blob", [], |r| r.get(0))
        .unwrap();
    assert_eq!(size, 0, "the same length, one byte different");
    drop(conn);
    contains_all(
        &verify_fails(&t, &[]),
        &["evidence #2 of 'nimbus': the stored file hashes to"],
    );

    // Content and recorded SHA-256 rewritten together: only the audit log
    // still knows the hash recorded at `evidence add`.
    let t = demo();
    let forged = b"Provider may notify Customer whenever convenient.";
    let sha: String = Sha256::digest(forged)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let conn = Connection::open(&t.db).unwrap();
    let old: String = conn
        .query_row("SELECT sha256 FROM evidence WHERE id = 2", [], |r| r.get(0))
        .unwrap();
    drop(conn);
    tamper(
        &t,
        &format!(
            "PRAGMA foreign_keys = OFF;
             UPDATE blob SET content = X'{}', sha256 = '{sha}', size = {} WHERE sha256 = '{old}';
             UPDATE evidence SET sha256 = '{sha}', size = {} WHERE id = 2;",
            forged
                .iter()
                .map(|b| format!("{b:02X}"))
                .collect::<String>(),
            forged.len(),
            forged.len()
        ),
    );
    contains_all(
        &verify_fails(&t, &[]),
        &[
            "evidence #2: changed outside vetter: the audit log recorded sha256",
            &old,
        ],
    );
}

/// Exports the demo vendor's packet into `name`; returns its directory.
fn export(t: &T, name: &str) -> PathBuf {
    let dir = t.path(name);
    t.ok(&["export", "nimbus", "--out", p(&dir)]);
    dir
}

#[test]
fn the_packet_carries_the_head_and_sha256sum_still_checks_it() {
    let t = demo();
    let dir = export(&t, "packet");
    let head = t.json(&["log", "--head", "--json"]);
    let hash = head["hash"].as_str().unwrap();
    let sums = std::fs::read_to_string(dir.join("SHA256SUMS")).unwrap();
    assert_eq!(
        sums.lines().next().unwrap(),
        format!("# vetter audit chain head: event 43 sha256 {hash}")
    );
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("packet.json")).unwrap()).unwrap();
    assert_eq!(json["audit_chain"]["head"], head);
    let text = super::export::pdf_text(&dir.join("packet.pdf"));
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    contains_all(
        &flat,
        &[
            "Audit chain head",
            "event #43 sha256",
            // The demo ran under VETTER_NOW: the cover says so.
            "carry an injected time (VETTER_NOW)",
        ],
    );
    assert!(
        flat.replace(' ', "").contains(hash),
        "the PDF shows the full hash"
    );
    // GNU sha256sum skips the comment line, even with --strict.
    let check = std::process::Command::new("sha256sum")
        .args(["-c", "--strict", "SHA256SUMS"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    // Still reproducible: a second export is byte-identical.
    let again = export(&t, "again");
    for file in ["SHA256SUMS", "packet.json", "packet.pdf"] {
        assert_eq!(
            std::fs::read(dir.join(file)).unwrap(),
            std::fs::read(again.join(file)).unwrap(),
            "{file} differs between two exports"
        );
    }
    t.ok(&["verify", "--packet", p(&dir)]);
}

#[test]
fn verify_packet_names_altered_added_and_missing_files() {
    let t = demo();
    let dir = export(&t, "packet");
    std::fs::write(dir.join("findings.csv"), "item,status\nx,met\n").unwrap();
    std::fs::write(dir.join("extra.txt"), "not from vetter").unwrap();
    std::fs::remove_file(dir.join("flags.csv")).unwrap();
    let out = verify_fails(&t, &["--packet", p(&dir)]);
    contains_all(
        &out,
        &[
            "findings.csv: altered",
            "extra.txt: added",
            "flags.csv: missing",
        ],
    );
    // The database's own checks still pass: only the packet line fails,
    // and the way out is the packet, not restoring the database.
    assert!(out
        .lines()
        .any(|l| l.starts_with("chain") && l.contains(" ok ")));
    let err = t
        .cmd(&["verify", "--packet", p(&dir)])
        .env("COLUMNS", "1000")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&err.stderr);
    contains_all(
        &err,
        &["the database checks passed", "vetter export VENDOR"],
    );
    assert!(!err.contains("vetter restore"), "{err}");
}

#[test]
fn a_log_truncated_or_rewritten_after_the_export_fails_against_the_packet() {
    let t = demo();
    let dir = export(&t, "packet");
    // The newest events deleted: the shorter chain is whole by itself, and
    // only the records those events wrote give it away...
    tamper(&t, "DELETE FROM audit_event WHERE id > 40");
    let out = verify_fails(&t, &[]);
    assert!(out
        .lines()
        .any(|l| l.starts_with("chain") && l.contains(" ok ")));
    contains_all(
        &out,
        &["subprocessor 'Stripe'", "added or changed outside vetter"],
    );
    // ...and the head the packet carries.
    contains_all(
        &verify_fails(&t, &["--packet", p(&dir)]),
        &["event #43", "truncated"],
    );

    // An event edited and the whole chain recomputed after it.
    let t = demo();
    let dir = export(&t, "packet");
    tamper(&t, "UPDATE audit_event SET actor = 'mallory' WHERE id = 5");
    rechain_from(&t, 5);
    contains_all(
        &verify_fails(&t, &["--packet", p(&dir)]),
        &["event #43", "rewritten"],
    );
    // Here the packet speaks against the log: restore is the way out.
    let err = t
        .cmd(&["verify", "--packet", p(&dir)])
        .env("COLUMNS", "1000")
        .output()
        .unwrap();
    contains_all(
        &String::from_utf8_lossy(&err.stderr),
        &["vetter restore FILE"],
    );
}

#[test]
fn verify_packet_refuses_what_is_not_a_packet() {
    let t = demo();
    let err = t.fails(1, &["verify", "--packet", "no-such-dir"]);
    contains_all(&err, &["no packet directory at 'no-such-dir'"]);
    std::fs::create_dir(t.path("empty")).unwrap();
    let err = t.fails(1, &["verify", "--packet", p(&t.path("empty"))]);
    contains_all(&err, &["is not a packet", "SHA256SUMS"]);
}

#[test]
fn an_injected_clock_is_recorded_beside_the_real_one() {
    let t = T::with_review();
    let events = t.json(&["log", "--json"]);
    for e in events.as_array().unwrap() {
        assert_eq!(e["at"], NOW);
        let real = e["real_at"].as_str().expect("real_at is recorded");
        assert!(real.starts_with("20"), "{real}");
        assert_ne!(real, NOW);
    }
    let out = t.ok(&["verify"]);
    contains_all(&out, &["2 events carry an injected time (VETTER_NOW)"]);
    // Without VETTER_NOW, the time is the real clock and nothing is added.
    let run = t
        .cmd(&["vendor", "add", "Other"])
        .env_remove("VETTER_NOW")
        .output()
        .unwrap();
    assert!(run.status.success());
    let last = t.json(&["log", "--limit", "1", "--json"]);
    assert!(last[0].get("real_at").is_none(), "{last}");
}

#[test]
fn an_import_records_the_file_name_not_the_reviewers_path() {
    if crate::engine::sqlite_only("it reads or alters the SQLite file itself") {
        return;
    }
    let t = T::with_review();
    let dir = t.path("home/alice/vendors");
    std::fs::create_dir_all(&dir).unwrap();
    let csv = dir.join("acme-findings.csv");
    std::fs::write(
        &csv,
        "item,status,source,note\ntrust.soc2-type2,met,trust-center,report seen\n",
    )
    .unwrap();
    t.ok(&["import", "findings", "acme", p(&csv)]);
    let event = &t.json(&["log", "--limit", "1", "--json"])[0];
    assert_eq!(event["new"]["file"], "acme-findings.csv");
    assert_eq!(event["new"]["sha256"].as_str().unwrap().len(), 64);
    assert_eq!(event["new"]["rows_sha256"].as_str().unwrap().len(), 64);
    // A subprocessor list likewise.
    let subs = dir.join("acme-subprocessors.csv");
    std::fs::write(&subs, "name,purpose,location\nAWS,Hosting,EU\n").unwrap();
    t.ok(&[
        "subprocessor",
        "import",
        "acme",
        p(&subs),
        "--seen",
        "2026-11-20",
    ]);
    let event = &t.json(&["log", "--limit", "1", "--json"])[0];
    assert_eq!(event["new"]["file"], "acme-subprocessors.csv");
    assert_eq!(event["new"]["sha256"].as_str().unwrap().len(), 64);
    let conn = Connection::open(&t.db).unwrap();
    let leaked: i64 = conn
        .query_row(
            "SELECT count(*) FROM audit_event WHERE new_value LIKE '%home/alice%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(leaked, 0, "no event stores the reviewer's path");
    drop(conn);
    t.ok(&["verify"]);
    tamper(&t, "UPDATE subprocessor SET location = 'US'");
    contains_all(
        &verify_fails(&t, &[]),
        &["subprocessor list", "its rows no longer match the SHA-256"],
    );
    let t = {
        let fresh = T::with_review();
        fresh.ok(&["import", "findings", "acme", p(&csv)]);
        fresh
    };
    // Each imported row is checked against that digest.
    tamper(&t, "UPDATE finding SET status = 'not-met'");
    contains_all(
        &verify_fails(&t, &[]),
        &["findings #1-#1: changed outside vetter"],
    );
}

#[test]
fn a_waiver_event_records_the_waivers_real_id() {
    let t = demo();
    t.ok(&[
        "flags",
        "waive",
        "nimbus",
        "breach.clock-at-confirmation",
        "--reason",
        "legal accepted",
    ]);
    let event = &t.json(&["log", "--limit", "1", "--json"])[0];
    assert_eq!(event["entity_id"], "1");
    assert_eq!(event["new"]["id"], 1);
    tamper(&t, "UPDATE waiver SET reason = 'nobody asked'");
    contains_all(
        &verify_fails(&t, &[]),
        &["waiver #1: changed outside vetter: reason"],
    );
}

fn fixture_v3(t: &T) {
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/v3-records.db"),
        &t.db,
    )
    .unwrap();
}

#[test]
fn a_real_version_3_database_is_chained_on_upgrade_and_verifies() {
    if crate::engine::sqlite_only("it reads or alters the SQLite file itself") {
        return;
    }
    // Written by vetter at schema 3 (commit f76879a~1): the demo plus a
    // second vendor, an import, an answer, a closed question, an evidence
    // link, a clause edit, a profile change and a waiver (52 events).
    let t = T::new();
    fixture_v3(&t);
    // As `clause edit --evidence` did then, without saying so in the log.
    Connection::open(&t.db)
        .unwrap()
        .execute_batch("INSERT INTO evidence_clause (evidence_id, clause_id) VALUES (2, 1)")
        .unwrap();
    let before = t.dump();
    let stderr = t.ok_stderr(&["verify"]);
    contains_all(
        &stderr,
        &["from schema 3 to", "the old database is kept at"],
    );
    let kept: Vec<PathBuf> = std::fs::read_dir(t.dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains("vetter.db.before-schema-"))
        .collect();
    assert_eq!(kept.len(), 1);
    let kept = T::at(kept[0].clone());
    assert!(kept.dump() == before, "the kept copy holds the old records");
    assert_eq!(kept.sql_count("PRAGMA user_version"), 3);
    // The 52 events are chained, and one more says so and records what
    // they left out.
    let head = t.json(&["log", "--head", "--json"]);
    assert_eq!(head["seq"], 53);
    let upgrade = &t.json(&["log", "--limit", "1", "--json"])[0];
    assert_eq!(upgrade["command"], "schema upgrade");
    assert_eq!(upgrade["actor"], "vetter");
    assert_eq!(upgrade["new"]["chained_events"], 52);
    assert_eq!(
        upgrade["new"]["evidence_clause_links"][0],
        serde_json::json!([2, 1])
    );
    let conn = Connection::open(&t.db).unwrap();
    for seq in [1, 52, 53] {
        let stored: String = conn
            .query_row("SELECT hash FROM audit_event WHERE id = ?1", [seq], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(stored, event_hash(&conn, seq), "event {seq}");
    }
    drop(conn);
    // New events chain on from the migrated ones.
    t.ok(&["vendor", "add", "Later Vendor"]);
    t.ok(&["verify"]);
    assert_eq!(t.json(&["log", "--head", "--json"])["seq"], 54);
    // The rows of the old import are checked from the upgrade on.
    tamper(&t, "UPDATE finding SET note = 'edited' WHERE id = 25");
    contains_all(
        &verify_fails(&t, &[]),
        &["findings #25-#26: changed outside vetter"],
    );
}

#[test]
fn an_upgrade_refuses_a_damaged_database_and_leaves_it_alone() {
    if crate::engine::sqlite_only("it reads or alters the SQLite file itself") {
        return;
    }
    let t = T::new();
    fixture_v3(&t);
    // Damage an index's page: the tables still read, integrity_check does not pass.
    let root: i64 = t.sql_count("SELECT rootpage FROM sqlite_schema WHERE name = 'audit_vendor'");
    let mut bytes = std::fs::read(&t.db).unwrap();
    let page = (root as usize - 1) * 4096;
    for b in &mut bytes[page + 8..page + 200] {
        *b = 0x55;
    }
    std::fs::write(&t.db, &bytes).unwrap();
    let err = t.fails(1, &["vendor", "list"]);
    contains_all(&err, &["is damaged", "integrity_check", "not upgraded"]);
    assert!(std::fs::read(&t.db).unwrap() == bytes, "left untouched");
}

fn backup_path(t: &T, name: &str) -> PathBuf {
    t.path(name)
}

#[test]
fn backup_writes_a_verified_copy_and_refuses_to_overwrite() {
    let t = demo();
    let file = backup_path(&t, "backup.db");
    let note = t.ok_stderr(&["backup", p(&file)]);
    contains_all(
        &note,
        &[
            "backed up",
            "passes integrity_check",
            "43 events up to event 43",
        ],
    );
    let copy = T::at(file.clone());
    copy.ok(&["verify"]);
    assert!(copy.dump() == t.dump(), "the copy holds every record");
    assert!(!Path::new(&format!("{}-wal", file.display())).exists());
    // An existing file is refused without --force, untouched.
    let before = std::fs::read(&file).unwrap();
    t.ok(&["vendor", "add", "Newer"]);
    let err = t.fails(1, &["backup", p(&file)]);
    contains_all(&err, &["already exists", "--force"]);
    assert_eq!(std::fs::read(&file).unwrap(), before);
    t.ok(&["backup", p(&file), "--force"]);
    assert!(copy.dump() == t.dump(), "--force replaced the copy");
}

#[test]
fn backup_is_consistent_while_another_process_writes() {
    if crate::engine::sqlite_only("it reads or alters the SQLite file itself") {
        return;
    }
    let t = T::with_review();
    // A writer adding findings in a loop, in another process.
    let vetter = env!("CARGO_BIN_EXE_vetter");
    let mut loop_writer = std::process::Command::new("bash")
        .args([
            "-c",
            &format!(
                "for i in $(seq 1 60); do '{vetter}' finding add acme trust.soc2-type2 --status met --source docs --note \"w$i\" 2>/dev/null || exit 9; done"
            ),
        ])
        .env("VETTER_DB", &t.db)
        .env("VETTER_USER", "writer")
        .spawn()
        .unwrap();
    let mut copies = 0;
    for n in 0..5 {
        std::thread::sleep(std::time::Duration::from_millis(100));
        let file = t.path(&format!("b{n}.db"));
        t.ok(&["backup", p(&file)]);
        copies += 1;
    }
    let status = loop_writer.wait().unwrap();
    assert!(status.success(), "every write succeeded while backups ran");
    assert_eq!(copies, 5);
    assert_eq!(
        t.sql_count("SELECT count(*) FROM finding WHERE note LIKE 'w%'"),
        60
    );
}

#[test]
fn restore_verifies_first_keeps_the_replaced_database_and_refuses_bad_files() {
    let t = demo();
    let file = backup_path(&t, "backup.db");
    t.ok(&["backup", p(&file)]);
    let at_backup = t.dump();
    t.ok(&["vendor", "add", "Added After Backup"]);
    let after = t.dump();

    // Bad input: missing, not a database, not vetter's, failing verify.
    t.refused(&["restore", "missing.db"]);
    let junk = t.write("junk.db", "this is not a database");
    contains_all(
        &t.refused(&["restore", p(&junk)]),
        &["not a SQLite database"],
    );
    let other = t.path("other.db");
    Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap();
    contains_all(
        &t.refused(&["restore", p(&other)]),
        &["not a vetter database"],
    );
    let bad = backup_path(&t, "tampered.db");
    std::fs::copy(&file, &bad).unwrap();
    tamper(
        &T::at(bad.clone()),
        "UPDATE finding SET note = 'edited' WHERE id = 1",
    );
    contains_all(
        &t.refused(&["restore", p(&bad)]),
        &["fails verify", "finding #1: changed outside vetter: note"],
    );
    assert!(t.dump() == after, "a refused restore changed the database");

    // A good backup: restored, the replaced database kept aside.
    let note = t.ok_stderr(&["restore", p(&file)]);
    contains_all(&note, &["restored", "verified: 43 events", "kept at"]);
    // The backup's records, and one more event saying it was restored.
    let event = &t.json(&["log", "--limit", "1", "--json"])[0];
    assert_eq!(event["command"], "restore");
    assert_eq!(event["new"]["file"], "backup.db");
    assert_eq!(event["new"]["head"]["seq"], 43);
    let without = T::at(t.path("without-restore-event.db"));
    std::fs::copy(&t.db, &without.db).unwrap();
    tamper(
        &without,
        "DELETE FROM audit_event WHERE command = 'restore'",
    );
    assert!(
        without.dump() == at_backup,
        "the restored records are the backup's"
    );
    t.ok(&["verify"]);
    let kept = std::fs::read_dir(t.db.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().contains("vetter.db.before-restore-"))
        .expect("the replaced database is kept");
    let kept_world = T::at(kept);
    assert!(
        kept_world.dump() == after,
        "the kept database is the one replaced"
    );
}

#[test]
fn findings_carried_into_a_new_cycle_are_checked_against_their_originals() {
    if crate::engine::sqlite_only("it reads or alters the SQLite file itself") {
        return;
    }
    let t = T::with_review();
    t.ok(&[
        "finding",
        "add",
        "acme",
        "trust.soc2-type2",
        "--status",
        "met",
        "--source",
        "docs",
        "--note",
        "report seen",
    ]);
    t.ok(&["review", "submit", "acme"]);
    let decided = t
        .cmd_as(
            "bob",
            &[
                "review",
                "decide",
                "acme",
                "--decision",
                "approve",
                "--note",
                "ok",
            ],
        )
        .output()
        .unwrap();
    assert!(
        decided.status.success(),
        "{}",
        String::from_utf8_lossy(&decided.stderr)
    );
    t.ok(&["review", "start", "acme"]);
    assert_eq!(
        t.sql_count("SELECT count(*) FROM finding WHERE carried_from = 1"),
        1
    );
    t.ok(&["verify"]);
    // The decision itself, changed in SQL.
    tamper(
        &t,
        "UPDATE review_signoff SET decision = 'reject' WHERE action = 'decide'",
    );
    contains_all(
        &verify_fails(&t, &[]),
        &["sign-off #2 (decide of review id 1): changed outside vetter: decision is \"reject\""],
    );
    tamper(
        &t,
        "UPDATE review_signoff SET decision = 'approve' WHERE action = 'decide'",
    );
    t.ok(&["verify"]);
    // The snapshot `review diff` reads as "at its decision", rewritten.
    tamper(
        &t,
        "UPDATE review_signoff SET snapshot = replace(snapshot, '\"rating\":\"', '\"rating\":\"blocker-') WHERE action = 'decide'",
    );
    contains_all(
        &verify_fails(&t, &[]),
        &["sign-off #2 (decide of review id 1): changed outside vetter: snapshot_sha256"],
    );
    tamper(
        &t,
        "UPDATE review_signoff SET snapshot = replace(snapshot, '\"rating\":\"blocker-', '\"rating\":\"') WHERE action = 'decide'",
    );
    t.ok(&["verify"]);
    // The current review marked superseded, which no `review start` did.
    tamper(
        &t,
        "UPDATE review SET state = 'superseded' WHERE number = 2",
    );
    contains_all(
        &verify_fails(&t, &[]),
        &["review #2 of vendor id 1: changed outside vetter: its state (superseded or not)"],
    );
    tamper(&t, "UPDATE review SET state = 'open' WHERE number = 2");
    t.ok(&["verify"]);
    tamper(
        &t,
        "UPDATE finding SET status = 'not-met' WHERE carried_from = 1",
    );
    contains_all(
        &verify_fails(&t, &[]),
        &["finding #2: changed outside vetter: it was carried forward from finding #1"],
    );
}

#[test]
fn records_moved_deleted_or_forged_in_sql_are_named() {
    // The demo plus a second vendor with a review of its own.
    let world = || {
        let t = demo();
        t.ok(&["vendor", "add", "Other Cloud", "--slug", "other"]);
        t.ok(&["review", "start", "other"]);
        t.ok(&[
            "flags",
            "waive",
            "nimbus",
            "breach.clock-at-confirmation",
            "--reason",
            "legal accepted",
        ]);
        t.ok(&["verify"]);
        t
    };
    let other: i64 = {
        let t = world();
        t.sql_count("SELECT id FROM vendor WHERE slug = 'other'")
    };
    // A waiver, a clause, evidence and a question moved to another vendor.
    for (table, place) in [
        ("waiver", "waiver #1"),
        ("clause", "clause #1"),
        ("evidence", "evidence #1"),
        ("question", "question #1"),
    ] {
        let t = world();
        tamper(
            &t,
            &format!("UPDATE {table} SET vendor_id = {other} WHERE id = 1"),
        );
        contains_all(
            &verify_fails(&t, &[]),
            &[&format!("{place}: moved outside vetter")],
        );
    }
    // The newest finding deleted (an older one becomes the current result).
    let t = world();
    tamper(&t, "DELETE FROM finding WHERE id = 24");
    contains_all(
        &verify_fails(&t, &[]),
        &["finding #24: deleted outside vetter"],
    );
    // A question closed, or answered, in SQL.
    let t = world();
    tamper(
        &t,
        "UPDATE question SET status = 'closed', resolution = 'accepted' WHERE id = 2",
    );
    contains_all(
        &verify_fails(&t, &[]),
        &["question #2: changed outside vetter: status"],
    );
    let t = world();
    tamper(
        &t,
        "INSERT INTO question_answer (question_id, text, answered_at, answered_by) VALUES (1, 'no', 'x', 'mallory')",
    );
    contains_all(
        &verify_fails(&t, &[]),
        &["question #1: answer added outside vetter"],
    );
    // What decides a score: an item's severity in the review's snapshot.
    let t = world();
    tamper(
        &t,
        "UPDATE review_item SET severity = 'low' WHERE item_id = 'trust.iso27001'",
    );
    contains_all(
        &verify_fails(&t, &[]),
        &["review #1 of vendor id 1: changed outside vetter: its item snapshot"],
    );
    // Who set a profile key.
    let t = world();
    tamper(&t, "UPDATE profile SET updated_by = 'ceo'");
    contains_all(
        &verify_fails(&t, &[]),
        &["profile key 'regimes': changed outside vetter: updated_by"],
    );
    // A finding copied from another vendor and passed off as carried.
    let t = world();
    tamper(
        &t,
        &format!(
            "INSERT INTO finding (review_item_id, status, source, recorded_at, recorded_by, event_id, carried_from)
             SELECT ri.id, 'met', 'docs', e.at, e.actor, e.id, 3
             FROM review_item ri, audit_event e
             WHERE ri.review_id = (SELECT max(id) FROM review WHERE vendor_id = {other})
               AND ri.item_id = 'trust.soc2-type2'
               AND e.command = 'review start' AND e.vendor_id = {other}"
        ),
    );
    contains_all(
        &verify_fails(&t, &[]),
        &["finding #25: added outside vetter: `review start`"],
    );
}

#[test]
fn restore_replaces_a_database_too_damaged_to_open() {
    let t = demo();
    let file = t.path("backup.db");
    t.ok(&["backup", p(&file)]);
    // Cut short: vetter cannot open it any more.
    let bytes = std::fs::read(&t.db).unwrap();
    std::fs::write(&t.db, &bytes[..bytes.len() / 2]).unwrap();
    contains_all(&t.fails(1, &["vendor", "list"]), &["is damaged"]);
    let note = t.ok_stderr(&["restore", p(&file)]);
    contains_all(
        &note,
        &["cannot be opened", "moving it aside whole", "restored"],
    );
    t.ok(&["verify"]);
    assert_eq!(t.json(&["vendor", "list", "--json"])[0]["slug"], "nimbus");
    let kept = std::fs::read_dir(t.db.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().contains("vetter.db.before-restore-"))
        .expect("the damaged database is kept");
    assert!(
        std::fs::read(kept).unwrap() == bytes[..bytes.len() / 2],
        "kept as it was"
    );
}

#[test]
fn a_packet_whose_head_line_or_files_were_forged_fails() {
    // The log truncated, the head line pointed at an event that survived,
    // and packet.json (which records the true head) removed with its line.
    let t = demo();
    let dir = export(&t, "packet");
    tamper(&t, "DELETE FROM audit_event WHERE id > 40");
    let sums = std::fs::read_to_string(dir.join("SHA256SUMS")).unwrap();
    let hash40: String = Connection::open(&t.db)
        .unwrap()
        .query_row("SELECT hash FROM audit_event WHERE id = 40", [], |r| {
            r.get(0)
        })
        .unwrap();
    let forged: String = sums
        .lines()
        .filter(|l| !l.ends_with("  packet.json"))
        .map(|l| {
            if l.starts_with('#') {
                format!("# vetter audit chain head: event 40 sha256 {hash40}\n")
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    std::fs::write(dir.join("SHA256SUMS"), forged).unwrap();
    std::fs::remove_file(dir.join("packet.json")).unwrap();
    contains_all(
        &verify_fails(&t, &["--packet", p(&dir)]),
        &["its chain head line cannot be confirmed: the packet has no packet.json"],
    );

    // A listed file replaced by a symlink to an endless device, and a path
    // listed twice: named, and verify does not hang.
    let t = demo();
    let dir = export(&t, "packet");
    std::fs::remove_file(dir.join("flags.csv")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", dir.join("flags.csv")).unwrap();
    let sums = std::fs::read_to_string(dir.join("SHA256SUMS")).unwrap();
    let again = sums.lines().find(|l| l.ends_with("  items.csv")).unwrap();
    std::fs::write(dir.join("SHA256SUMS"), format!("{sums}{again}\n")).unwrap();
    contains_all(
        &verify_fails(&t, &["--packet", p(&dir)]),
        &[
            "flags.csv: not a regular file",
            "lists 'items.csv' a second time",
        ],
    );
}

#[test]
fn verify_packet_checks_an_export_all_directory() {
    let t = demo();
    let dir = t.path("all");
    t.ok(&["export", "--all", "--out", p(&dir)]);
    t.ok(&["verify", "--packet", p(&dir)]);
    tamper(&t, "DELETE FROM audit_event WHERE id > 40");
    contains_all(
        &verify_fails(&t, &["--packet", p(&dir)]),
        &["event #43", "truncated"],
    );
}

#[test]
fn a_dropped_append_only_trigger_is_named() {
    let t = demo();
    Connection::open(&t.db)
        .unwrap()
        .execute_batch("DROP TRIGGER audit_event_no_delete")
        .unwrap();
    contains_all(
        &verify_fails(&t, &[]),
        &["integrity  FAIL", "trigger audit_event_no_delete: missing"],
    );
}

/// The demo's review submitted and decided by someone else.
fn decided_demo() -> T {
    let t = demo();
    t.ok(&["review", "submit", "nimbus", "--note", "ready"]);
    let out = t
        .cmd(&[
            "review",
            "decide",
            "nimbus",
            "--decision",
            "conditional",
            "--conditions",
            "a 48-hour breach notice",
            "--note",
            "acceptable with the condition",
        ])
        .env("VETTER_USER", "bob")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    t
}

#[test]
fn a_decision_disagreeing_with_the_records_as_of_it_is_named() {
    let t = decided_demo();
    // Later changes through vetter do not disturb the decision's snapshot.
    t.ok(&[
        "clause",
        "edit",
        "1",
        "--hours",
        "24",
        "--clock",
        "awareness",
    ]);
    t.ok(&["profile", "set", "max-breach-hours=24"]);
    contains_all(
        &t.ok(&["verify"]),
        &["decisions  ok    1 decision held against the records as of it"],
    );
    // A clause's terms rewritten in SQL: the records as of the decision no
    // longer give the snapshot's clause terms nor its flags.
    tamper(
        &t,
        "UPDATE clause SET terms = replace(terms, '\"notice_days\":14', '\"notice_days\":30') WHERE id = 2",
    );
    let out = verify_fails(&t, &[]);
    contains_all(
        &out,
        &[
            "decisions  FAIL",
            "'nimbus' decision of review #1",
            "clause in the snapshot but not in the records as of the decision: {\"id\":2",
            "notice-days=14",
            "flag in the snapshot but not in the records as of the decision: {\"rule\":\"subprocessors.short-notice\"",
        ],
    );
    // A snapshot rewritten to a better rating than the records gave.
    let t = decided_demo();
    tamper(
        &t,
        "UPDATE review_signoff SET snapshot = replace(snapshot, '\"rating\":\"high-risk\"', '\"rating\":\"low-risk\"') WHERE action = 'decide'",
    );
    contains_all(
        &verify_fails(&t, &[]),
        &["rating: the snapshot says low-risk; the records as of the decision give high-risk"],
    );
}
