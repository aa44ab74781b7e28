//! Opening, creating and migrating the database.

use crate::{contains_all, p, T};

#[test]
fn a_new_database_is_private_wal_and_at_the_current_schema() {
    let t = T::new();
    t.ok(&["vendor", "add", "Acme"]);
    assert!(t.db.exists());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&t.db).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "database mode is {mode:o}");
    }
    let conn = rusqlite::Connection::open(&t.db).unwrap();
    let journal: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(journal, "wal");
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 9);
    let app: i64 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .unwrap();
    assert_eq!(app, 0x5645_5454);
}

#[test]
fn an_existing_database_is_reopened_with_its_records() {
    let t = T::new();
    t.ok(&["vendor", "add", "Acme"]);
    t.ok(&["vendor", "add", "Beta"]);
    let list = t.json(&["vendor", "list", "--json"]);
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert_eq!(t.sql_count("PRAGMA user_version"), 9);
}

#[test]
fn a_database_newer_than_the_binary_is_refused() {
    let t = T::new();
    t.ok(&["vendor", "add", "Acme"]);
    rusqlite::Connection::open(&t.db)
        .unwrap()
        .execute_batch("PRAGMA user_version = 99")
        .unwrap();
    let err = t.refused(&["vendor", "list"]);
    contains_all(&err, &["schema version 99", "newer", "upgrade vetter"]);
}

#[test]
fn a_foreign_sqlite_file_or_a_text_file_is_refused() {
    let t = T::new();
    let other = t.path("other.db");
    rusqlite::Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE notes (x)")
        .unwrap();
    let err = t.fails(1, &["--db", p(&other), "vendor", "list"]);
    contains_all(&err, &["not a vetter database"]);
    let mode: String = rusqlite::Connection::open(&other)
        .unwrap()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "delete", "the foreign database was switched to WAL");

    let text = t.write(
        "notes.txt",
        "hello, this is not a database at all, just some text that is long enough",
    );
    let err = t.fails(1, &["--db", p(&text), "vendor", "list"]);
    contains_all(&err, &["is not a SQLite database", "72-byte file"]);
    let err = t.fails(1, &["--db", p(&text), "vendor", "add", "Acme"]);
    contains_all(&err, &["is not a SQLite database"]);
    assert_eq!(
        std::fs::read_to_string(&text).unwrap(),
        "hello, this is not a database at all, just some text that is long enough"
    );
}

#[test]
fn a_directory_or_missing_parent_as_database_is_refused() {
    let t = T::new();
    let err = t.fails(1, &["--db", p(t.dir.path()), "vendor", "list"]);
    contains_all(&err, &["is a directory", "--db"]);
    let missing = t.path("nope/vetter.db");
    let err = t.fails(1, &["--db", p(&missing), "vendor", "add", "Acme"]);
    contains_all(&err, &["does not exist"]);
}

#[test]
fn a_read_command_never_creates_a_database() {
    let t = T::new();
    let typo = t.path("reveiw.db");
    for args in [
        &["vendor", "list"][..],
        &["flags", "--all"],
        &["log"],
        &["review", "status", "acme"],
        &["due"],
        &["verify"],
    ] {
        let mut all = vec!["--db", p(&typo)];
        all.extend_from_slice(args);
        let err = t.fails(1, &all);
        contains_all(
            &err,
            &[
                &format!("no database at '{}'", typo.display()),
                "check --db / VETTER_DB",
                "any write command",
            ],
        );
        assert!(!typo.exists(), "vetter {args:?} created {}", typo.display());
    }
    // What a new register would hold is shown from the built-in defaults,
    // saying that there is no database there; nothing is created.
    let err = t.ok_stderr(&["--db", p(&typo), "checklist", "list"]);
    contains_all(
        &err,
        &[
            &format!("no database yet at '{}'", typo.display()),
            "built-in defaults",
        ],
    );
    assert!(!typo.exists());
    // An empty file is no database either (for a read); a write makes one of it.
    let empty = t.write("empty.db", "");
    let err = t.fails(1, &["--db", p(&empty), "vendor", "list"]);
    contains_all(&err, &["no database at", "the file is empty"]);
    t.ok(&["--db", p(&empty), "vendor", "add", "Acme"]);
    t.ok(&["--db", p(&empty), "vendor", "list"]);
    // So is a SQLite file with no tables (one whose tables were all dropped).
    let bare = t.path("bare.db");
    rusqlite::Connection::open(&bare)
        .unwrap()
        .execute_batch("CREATE TABLE t (x); DROP TABLE t;")
        .unwrap();
    let err = t.fails(1, &["--db", p(&bare), "vendor", "list"]);
    contains_all(&err, &["no database at", "has no tables"]);
}

#[test]
fn a_truncated_database_is_called_damaged_not_foreign() {
    let t = T::new();
    t.ok(&["vendor", "add", "Acme"]);
    for i in 0..40 {
        t.ok(&[
            "vendor",
            "add",
            &format!("Vendor {i} with a long enough name to fill pages"),
        ]);
    }
    // Fold the WAL into the file, then cut the file in half.
    rusqlite::Connection::open(&t.db)
        .unwrap()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
        .unwrap();
    let bytes = std::fs::read(&t.db).unwrap();
    assert!(
        bytes.len() >= 8192,
        "database is only {} bytes",
        bytes.len()
    );
    let cut = t.write("cut.db", &bytes[..bytes.len() / 2]);
    let err = t.fails(1, &["--db", p(&cut), "vendor", "list"]);
    contains_all(
        &err,
        &["is damaged", "truncated", "restore it from a backup"],
    );
    assert!(!err.contains("not a vetter database"), "{err}");
    // Garbage over the schema page of an intact-size file is damage too.
    let mut bad = bytes.clone();
    for b in &mut bad[100..4096] {
        *b = 0xAB;
    }
    let bad = t.write("bad.db", &bad);
    let err = t.fails(1, &["--db", p(&bad), "vendor", "list"]);
    contains_all(&err, &["is damaged"]);
}

/// A copy of the database (WAL folded in) at `dir/vetter.db`.
fn copy_db(t: &T, dir: &std::path::Path) -> std::path::PathBuf {
    rusqlite::Connection::open(&t.db)
        .unwrap()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
        .unwrap();
    std::fs::create_dir_all(dir).unwrap();
    let copy = dir.join("vetter.db");
    std::fs::copy(&t.db, &copy).unwrap();
    copy
}

/// Checks that a read works on `db`, saying it is read-only, and a write is
/// refused with nothing changed. `as_user` prefixes the command (to drop root).
fn reads_but_refuses_writes(t: &T, db: &std::path::Path, as_user: &[&str]) {
    let run = |args: &[&str]| {
        let mut all = vec!["--db", p(db)];
        all.extend_from_slice(args);
        t.cmd_via(as_user, &all).current_dir("/").output().unwrap()
    };
    let before = std::fs::read(db).unwrap();
    let out = run(&["vendor", "list", "--json"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "read failed: {stderr}");
    contains_all(&stderr, &["read-only", "opened it read-only"]);
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list[0]["slug"], "acme");
    let out = run(&["vendor", "add", "Beta"]);
    assert_eq!(out.status.code(), Some(1));
    contains_all(
        &String::from_utf8_lossy(&out.stderr),
        &["cannot be written", "this command changes records"],
    );
    assert_eq!(before, std::fs::read(db).unwrap());
}

#[test]
fn a_read_only_database_is_read_and_refuses_writes() {
    use std::os::unix::fs::PermissionsExt;
    let t = T::new();
    t.ok(&["vendor", "add", "Acme"]);
    let dir = t.path("ro");
    let ro = copy_db(&t, &dir);
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o444)).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o555)).unwrap();
    // Root writes through permission bits: run vetter as `nobody` then.
    let root = std::fs::OpenOptions::new().write(true).open(&ro).is_ok();
    let as_user: &[&str] = if root {
        &[
            "setpriv",
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
        ]
    } else {
        &[]
    };
    if root {
        std::fs::set_permissions(t.dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        if std::process::Command::new("setpriv")
            .arg("--version")
            .output()
            .is_err()
        {
            eprintln!("SKIP a_read_only_database_is_read_and_refuses_writes: running as root without setpriv (util-linux) to drop privileges");
            return;
        }
    }
    reads_but_refuses_writes(&t, &ro, as_user);
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn a_database_on_a_read_only_mount_is_read() {
    let t = T::new();
    t.ok(&["vendor", "add", "Acme"]);
    let src = t.path("src");
    copy_db(&t, &src);
    let mnt = t.path("mnt");
    std::fs::create_dir(&mnt).unwrap();
    let mount = |args: &[&str]| std::process::Command::new("mount").args(args).output();
    let bound = mount(&["--bind", p(&src), p(&mnt)]).is_ok_and(|o| o.status.success())
        && mount(&["-o", "remount,ro,bind", p(&mnt)]).is_ok_and(|o| o.status.success());
    if !bound {
        let _ = std::process::Command::new("umount").arg(&mnt).output();
        eprintln!("SKIP a_database_on_a_read_only_mount_is_read: cannot make a read-only bind mount here (needs root and mount permission)");
        return;
    }
    let db = mnt.join("vetter.db");
    let result = std::panic::catch_unwind(|| reads_but_refuses_writes(&t, &db, &[]));
    std::process::Command::new("umount")
        .arg(&mnt)
        .output()
        .unwrap();
    result.unwrap();
}

#[test]
fn the_db_flag_beats_the_environment() {
    let t = T::new();
    let other = t.path("other.db");
    t.ok(&["--db", p(&other), "vendor", "add", "Acme"]);
    assert!(other.exists());
    t.ok(&["profile", "set", "regimes=gdpr"]);
    assert_eq!(
        t.json(&["vendor", "list", "--json"])
            .as_array()
            .unwrap()
            .len(),
        0
    );
}

#[test]
fn records_cannot_be_deleted_behind_vetters_back() {
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
    let conn = rusqlite::Connection::open(&t.db).unwrap();
    for sql in [
        "DELETE FROM audit_event",
        "UPDATE audit_event SET actor = 'mallory'",
        "DELETE FROM finding",
        "DELETE FROM vendor",
    ] {
        assert!(conn.execute_batch(sql).is_err(), "{sql} was allowed");
    }
}

#[test]
fn a_version_1_database_is_upgraded_in_place_keeping_its_records() {
    let t = T::new();
    let v1 = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/migrations/sqlite/0001_init.sql"
    ))
    .unwrap();
    let conn = rusqlite::Connection::open(&t.db).unwrap();
    conn.execute_batch(&v1).unwrap();
    conn.execute_batch(
        "PRAGMA user_version = 1; PRAGMA application_id = 1447384148;
         INSERT INTO vendor (slug, name, created_at, updated_at) VALUES ('old', 'Old Vendor', 'x', 'x');",
    )
    .unwrap();
    drop(conn);
    let list = t.json(&["vendor", "list", "--json"]);
    assert_eq!(list[0]["slug"], "old");
    assert_eq!(t.sql_count("PRAGMA user_version"), 9);
    // The new tables work on the upgraded database.
    t.ok(&[
        "clause",
        "add",
        "old",
        "breach-notification",
        "--hours",
        "48",
    ]);
}

#[test]
fn a_version_3_database_numbers_its_reviews_per_vendor() {
    let t = T::new();
    let conn = rusqlite::Connection::open(&t.db).unwrap();
    for file in [
        "0001_init.sql",
        "0002_clauses_profile_subprocessors.sql",
        "0003_evidence_questions.sql",
    ] {
        let sql = std::fs::read_to_string(format!(
            "{}/migrations/sqlite/{file}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        conn.execute_batch(&sql).unwrap();
    }
    // Reviews of two vendors, interleaved as global ids 1..=3.
    conn.execute_batch(
        "PRAGMA user_version = 3; PRAGMA application_id = 1447384148;
         INSERT INTO vendor (id, slug, name, created_at, updated_at) VALUES (1, 'acme', 'Acme', 'x', 'x'), (2, 'neon', 'Neon', 'x', 'x');
         INSERT INTO review (vendor_id, checklist_id, checklist_version, checklist_title, checklist_sha256, started_at, started_by, state)
         VALUES (1, 'c', '1', 't', 's', '2026-01-01T00:00:00Z', 'a', 'superseded'),
                (2, 'c', '1', 't', 's', '2026-02-01T00:00:00Z', 'a', 'open'),
                (1, 'c', '1', 't', 's', '2026-03-01T00:00:00Z', 'a', 'open');",
    )
    .unwrap();
    drop(conn);
    let acme = t.json(&["review", "list", "acme", "--json"]);
    assert_eq!(
        (acme[0]["number"].as_i64(), acme[1]["number"].as_i64()),
        (Some(1), Some(2))
    );
    assert_eq!(
        t.json(&["review", "list", "neon", "--json"])[0]["number"],
        1
    );
    // A review inserted without a number (a script, a restore) gets the next;
    // a number, once set, never changes.
    let conn = rusqlite::Connection::open(&t.db).unwrap();
    conn.execute_batch(
        "INSERT INTO review (vendor_id, checklist_id, checklist_version, checklist_title, checklist_sha256, started_at, started_by, state)
         VALUES (2, 'c', '1', 't', 's', '2026-04-01T00:00:00Z', 'a', 'superseded')",
    )
    .unwrap();
    assert_eq!(t.sql_count("SELECT number FROM review WHERE id = 4"), 2);
    assert!(conn
        .execute_batch("UPDATE review SET number = 9 WHERE id = 1")
        .is_err());
}
