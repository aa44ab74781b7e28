//! Opening, creating and migrating the database.

use crate::{contains_all, p, T};

#[test]
fn a_new_database_is_private_wal_and_at_the_current_schema() {
    let t = T::new();
    t.ok(&["vendor", "list"]);
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
    assert_eq!(version, 3);
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
    assert_eq!(t.sql_count("PRAGMA user_version"), 3);
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
    contains_all(&err, &["not a vetter database"]);
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
    let err = t.fails(1, &["--db", p(&missing), "vendor", "list"]);
    contains_all(&err, &["does not exist"]);
}

#[test]
fn the_db_flag_beats_the_environment() {
    let t = T::new();
    let other = t.path("other.db");
    t.ok(&["--db", p(&other), "vendor", "add", "Acme"]);
    assert!(other.exists());
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
        "/migrations/0001_init.sql"
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
    assert_eq!(t.sql_count("PRAGMA user_version"), 3);
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
