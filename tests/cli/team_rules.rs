//! The team's rules hold against `psql`, not only against vetter: records
//! stay append-only, the actor is the login, nobody decides a review they
//! submitted, an auditor writes nothing. Each refusal is tried through the
//! real `psql` client, and the register is checked unchanged.
//! Runs when the suite runs on PostgreSQL.

use super::*;

/// A login holding exactly `roles` (made here: logins are the cluster's,
/// and tests run in parallel, so an existing one is reused).
fn login(name: &str, roles: &[&str]) {
    let mut c = engine::server().client("postgres");
    c.batch_execute(&format!(
        "DO $$ BEGIN CREATE ROLE {name} LOGIN PASSWORD '{name}-pw';
         EXCEPTION WHEN duplicate_object THEN NULL; END $$"
    ))
    .unwrap();
    for role in roles {
        c.batch_execute(&format!("GRANT {role} TO {name}")).unwrap();
    }
}

/// Runs `sql` with psql as `user` on the test's register; (exit success, stderr).
fn psql(t: &T, user: &str, sql: &str) -> (bool, String) {
    let url = t.db_for(user);
    let out = std::process::Command::new("psql")
        .arg(&url)
        .args([
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-c",
            "SET search_path = vetter",
            "-c",
            sql,
        ])
        .output()
        .expect("psql (postgresql-client)");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// vetter run as `user`: its exit code and what it said on stderr.
fn as_user(t: &T, user: &str, args: &[&str]) -> (Option<i32>, String) {
    let out = t.cmd_as(user, args).output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A register with a vendor, a review with a finding and evidence, submitted by alice.
fn submitted() -> T {
    let t = T::with_review();
    t.ok(&[
        "finding",
        "add",
        "acme",
        "access.sso-saml",
        "--status",
        "met",
        "--source",
        "docs",
    ]);
    let file = t.write("soc2.pdf", "%PDF-1.4 stand-in");
    t.ok(&["evidence", "add", "acme", p(&file), "--kind", "soc2-type2"]);
    t.ok(&["review", "submit", "acme", "--note", "ready"]);
    t
}

#[test]
fn nobody_can_change_or_remove_a_record_through_psql() {
    if !engine::postgres_only() {
        return;
    }
    let t = submitted();
    let before = t.dump();
    for user in ["alice", "bob"] {
        for sql in [
            "UPDATE audit_event SET actor = 'mallory'",
            "DELETE FROM audit_event",
            "TRUNCATE audit_event CASCADE",
            "UPDATE finding SET status = 'not-met'",
            "DELETE FROM finding",
            "TRUNCATE finding CASCADE",
            "UPDATE review_signoff SET note = 'changed'",
            "DELETE FROM review_signoff",
            "UPDATE evidence SET title = 'changed'",
            "DELETE FROM evidence",
            "TRUNCATE review_signoff CASCADE",
            "TRUNCATE evidence CASCADE",
            "DELETE FROM blob",
            "TRUNCATE blob CASCADE",
            "UPDATE blob_chunk SET data = ''",
            "DELETE FROM blob_chunk",
            "TRUNCATE blob_chunk",
            "UPDATE blob SET size = 1",
            "UPDATE chain_head SET seq = 0",
        ] {
            let (ok, err) = psql(&t, user, sql);
            assert!(!ok, "{user} could run {sql}");
            assert!(
                err.contains("permission denied")
                    || err.contains("append-only")
                    || err.contains("never"),
                "{user}: {sql}: {err}"
            );
        }
    }
    assert_eq!(before, t.dump(), "a refused statement changed the register");
}

#[test]
fn the_actor_is_the_login_and_the_chain_must_be_extended() {
    if !engine::postgres_only() {
        return;
    }
    let t = submitted();
    let before = t.dump();
    let item: i64 = t.sql_count("SELECT min(id) FROM review_item");
    let event: i64 = t.sql_count("SELECT max(id) FROM audit_event");
    let (ok, err) = psql(
        &t,
        "alice",
        &format!(
            "INSERT INTO finding (review_item_id, status, source, recorded_at, recorded_by, event_id)
             VALUES ({item}, 'met', 'docs', '2026-11-26T09:00:00Z', 'bob', {event})"
        ),
    );
    assert!(!ok);
    contains_all(&err, &["recorded_by", "bob", "alice"]);
    // An event in someone else's name, extending the head correctly.
    let (ok, err) = psql(
        &t,
        "alice",
        "INSERT INTO audit_event (id, at, actor, command, entity, prev_hash, hash)
         SELECT seq + 1, '2026-11-26T09:00:00Z', 'bob', 'forged', 'x', hash, 'h' FROM chain_head",
    );
    assert!(!ok);
    contains_all(&err, &["actor", "bob", "alice"]);
    // An event that does not extend the chain head.
    let (ok, err) = psql(
        &t,
        "alice",
        "INSERT INTO audit_event (at, actor, command, entity, prev_hash, hash)
         VALUES ('2026-11-26T09:00:00Z', 'alice', 'forged', 'x', 'not-the-head', 'h')",
    );
    assert!(!ok);
    assert!(err.contains("chain"), "{err}");
    assert_eq!(before, t.dump());
}

#[test]
fn the_submitter_cannot_decide_through_vetter_or_psql_and_another_approver_can() {
    if !engine::postgres_only() {
        return;
    }
    let t = submitted();
    // alice submitted; she holds the approver role too.
    let err = t.refused(&[
        "review",
        "decide",
        "acme",
        "--decision",
        "approve",
        "--note",
        "mine",
    ]);
    contains_all(&err, &["alice submitted review #1", "four eyes"]);
    let review: i64 = t.sql_count("SELECT max(id) FROM review");
    let event: i64 = t.sql_count("SELECT max(id) FROM audit_event");
    let decide = format!(
        "INSERT INTO review_signoff (review_id, action, at, actor, decision, event_id)
         VALUES ({review}, 'decide', '2026-11-26T09:00:00Z', '{{who}}', 'approve', {event})"
    );
    let before = t.dump();
    let (ok, err) = psql(&t, "alice", &decide.replace("{who}", "alice"));
    assert!(!ok, "the submitter decided through psql");
    contains_all(&err, &["four eyes", "alice submitted"]);
    // A reviewer who is not an approver may not decide either.
    login("rita", &["vetter_reviewer"]);
    let (ok, err) = psql(&t, "rita", &decide.replace("{who}", "rita"));
    assert!(!ok);
    assert!(err.contains("only a vetter_approver decides"), "{err}");
    // ... nor waive a flag.
    let vendor: i64 = t.sql_count("SELECT id FROM vendor");
    let (ok, err) = psql(
        &t,
        "rita",
        &format!(
            "INSERT INTO waiver (vendor_id, rule, reason, created_at, created_by, pre_emptive)
             VALUES ({vendor}, 'audit.none', 'x', '2026-11-26T09:00:00Z', 'rita', 0)"
        ),
    );
    assert!(!ok);
    assert!(err.contains("permission denied"), "{err}");
    // Another approver's decision passes the trigger (rolled back here).
    let (ok, err) = psql(
        &t,
        "bob",
        &format!("BEGIN; {}; ROLLBACK", decide.replace("{who}", "bob")),
    );
    assert!(ok, "another approver's decision was refused: {err}");
    assert_eq!(before, t.dump());
    // Another approver decides, through vetter.
    let out = t
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
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let log = t.json(&["log", "--json"]);
    let decided = log
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["command"] == "review decide")
        .unwrap();
    assert_eq!(decided["actor"], "bob");
}

#[test]
fn an_auditor_reads_verifies_exports_and_backs_up_but_writes_nothing() {
    if !engine::postgres_only() {
        return;
    }
    let t = submitted();
    let auditor = engine::AUDITOR;
    let before = t.dump();
    // Through vetter.
    let out = t
        .cmd_as(auditor, &["vendor", "add", "Other"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    contains_all(
        &String::from_utf8_lossy(&out.stderr),
        &["permission denied", "team grant"],
    );
    // Through psql, into every kind of record.
    for sql in [
        "INSERT INTO vendor (slug, name, created_at, updated_at) VALUES ('x', 'X', 't', 't')",
        "INSERT INTO audit_event (at, actor, command, entity, prev_hash, hash) VALUES ('t', 'audrey', 'c', 'e', 'p', 'h')",
        "INSERT INTO profile (key, value, updated_at, updated_by) VALUES ('max-breach-hours', '1', 't', 'audrey')",
        "UPDATE vendor SET name = 'changed'",
    ] {
        let (ok, err) = psql(&t, auditor, sql);
        assert!(!ok, "the auditor ran {sql}");
        assert!(err.contains("permission denied"), "{sql}: {err}");
    }
    // ... but reads everything.
    let (ok, err) = psql(
        &t,
        auditor,
        "SELECT count(*) FROM vendor, finding, audit_event, review_signoff, evidence, blob_chunk",
    );
    assert!(ok, "the auditor cannot read: {err}");
    assert_eq!(before, t.dump());
    // What an auditor is for.
    for args in [
        &["verify"][..],
        &["log", "--json"],
        &["export", "acme", "--out", "packet"],
        &["backup", "offline.db"],
    ] {
        let out = t.cmd_as(auditor, args).output().unwrap();
        assert!(
            out.status.success(),
            "auditor: vetter {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert!(t.path("packet/packet.pdf").is_file());
    T::at(t.path("offline.db")).ok(&["verify"]);
    assert_eq!(before, t.dump(), "reading changed the register");
}

#[test]
fn team_grants_are_made_by_an_admin_and_recorded() {
    if !engine::postgres_only() {
        return;
    }
    let t = T::new();
    login("adam", &["vetter_admin"]);
    login("nora", &[]);
    let (code, err) = as_user(
        &t,
        "adam",
        &["team", "grant", "nora", "--role", "vetter_reviewer"],
    );
    assert_eq!(code, Some(0), "{err}");
    let members = t.json(&["team", "list", "--json"]);
    let nora = members
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["login"] == "nora")
        .expect("nora listed");
    assert!(nora["roles"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r == "vetter_reviewer"));
    let event = &t.json(&["log", "--json"])[0];
    assert_eq!(event["command"], "team grant");
    assert_eq!(event["actor"], "adam");
    // A reviewer cannot manage the team; unknown roles and logins are named.
    let (code, err) = as_user(
        &t,
        "nora",
        &["team", "grant", "nora", "--role", "vetter_approver"],
    );
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("only a vetter_admin"));
    let (code, err) = as_user(
        &t,
        "adam",
        &["team", "grant", "nora", "--role", "superuser"],
    );
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("unknown role 'superuser'"));
    let (code, err) = as_user(
        &t,
        "adam",
        &["team", "grant", "nobody_here", "--role", "vetter_reviewer"],
    );
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("no login named nobody_here"));
    // init again (an upgrade does this) changes nothing and says so.
    let before = t.dump();
    let admin = engine::server().admin_url(t.pg.as_ref().unwrap());
    let out = t
        .cmd(&["--db", &admin, "team", "init"])
        .env_remove("VETTER_USER")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("up to date"));
    assert_eq!(before, t.dump());
    // Revoked, nora may no longer record.
    let (code, err) = as_user(&t, "nora", &["vendor", "add", "Nora Co"]);
    assert_eq!(code, Some(0), "{err}");
    let (code, err) = as_user(
        &t,
        "adam",
        &["team", "revoke", "nora", "--role", "vetter_reviewer"],
    );
    assert_eq!(code, Some(0), "{err}");
    let (code, err) = as_user(&t, "nora", &["vendor", "add", "Nora Two"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("permission denied"));
    let log = t.json(&["log", "--json"]);
    let newest = log.as_array().unwrap().last().unwrap();
    assert_eq!(
        (&newest["command"], &newest["actor"]),
        (&"team revoke".into(), &"adam".into())
    );
    // --as someone else is refused: the login is who acts.
    for (flag, env) in [(Some(["--as", "bob"]), None), (None, Some("bob"))] {
        let mut cmd = t.cmd(&["vendor", "add", "Acme"]);
        cmd.env("VETTER_DB", t.db_for("alice"));
        if let Some(flag) = flag {
            cmd = t.cmd(&[flag[0], flag[1], "vendor", "add", "Acme"]);
            cmd.env("VETTER_DB", t.db_for("alice"));
        }
        if let Some(user) = env {
            cmd.env("VETTER_USER", user);
        }
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(1));
        contains_all(
            &String::from_utf8_lossy(&out.stderr),
            &["names 'bob'", "as 'alice'"],
        );
    }
}

#[test]
fn the_password_in_the_connection_string_is_never_shown() {
    if !engine::postgres_only() {
        return;
    }
    let t = submitted();
    // alice's password is "alice-pw", in every URL the suite gives vetter.
    let secret = "alice-pw";
    let mut seen = String::new();
    for args in [
        &["vendor", "list"][..],
        &["log", "--json"],
        &["log", "--head"],
        &["verify", "--json"],
        &["review", "status", "acme", "--json"],
        &["export", "acme", "--out", "packet"],
        // Refusals name the register too.
        &["restore", "nothing.db"],
        &["team", "init"],
    ] {
        let out = t.run(args);
        seen.push_str(&String::from_utf8_lossy(&out.stdout));
        seen.push_str(&String::from_utf8_lossy(&out.stderr));
    }
    assert!(
        seen.contains("postgresql://alice:***@"),
        "the register is named: {seen}"
    );
    assert!(!seen.contains(secret), "the password was shown:\n{seen}");
    for entry in std::fs::read_dir(t.path("packet")).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            let bytes = std::fs::read(&path).unwrap();
            assert!(
                !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                "{} holds the password",
                path.display()
            );
        }
    }
}
