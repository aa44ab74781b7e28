//! The SQLite store: every SQL statement of vetter lives under this module.
//!
//! `Store::open` sets the pragmas and brings the schema up to date; `write`
//! runs a closure inside one `BEGIN IMMEDIATE` transaction, which is how every
//! command that changes something records its change and its audit event
//! together.

pub mod audit;
pub mod checklist;
pub mod clause;
pub mod evidence;
pub mod finding;
pub mod profile;
pub mod question;
pub mod review;
pub mod subprocessor;
pub mod vendor;
pub mod waiver;

use crate::error::{Error, Result};
use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};
use std::path::Path;
use std::time::Duration;

/// `PRAGMA application_id` of a vetter database ("VETT"), so that another
/// program's SQLite file is refused rather than written into.
pub const APPLICATION_ID: i64 = 0x5645_5454;

/// The migrations, in order. Migration N brings `user_version` to N.
/// A unit test checks this list against the files in `migrations/`.
pub const MIGRATIONS: &[(&str, &str)] = &[
    (
        "0001_init.sql",
        include_str!("../../migrations/0001_init.sql"),
    ),
    (
        "0002_clauses_profile_subprocessors.sql",
        include_str!("../../migrations/0002_clauses_profile_subprocessors.sql"),
    ),
    (
        "0003_evidence_questions.sql",
        include_str!("../../migrations/0003_evidence_questions.sql"),
    ),
];

/// The schema version this binary writes.
pub fn schema_version() -> i64 {
    MIGRATIONS.len() as i64
}

pub struct Store {
    conn: Connection,
}

impl Store {
    /// Opens (creating if needed) the database at `path` and migrates it.
    pub fn open(path: &Path) -> Result<Store> {
        if path.is_dir() {
            return Err(
                Error::user(format!("database path '{}' is a directory", path.display()))
                    .with_hint("pass a file path with --db, e.g. --db vetter.db"),
            );
        }
        create_private_file(path)?;
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags)
            .map_err(|e| Error::user(format!("cannot open database '{}': {e}", path.display())))?;
        conn.busy_timeout(Duration::from_secs(10))?;
        let mut store = Store { conn };
        // Identify the file before changing anything in it: a file that is not
        // SQLite fails on the first read of its header, and another program's
        // database is refused untouched.
        store.check_identity(path)?;
        let journal: String = store
            .conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        if journal != "wal" {
            return Err(Error::internal(format!(
                "cannot enable WAL on '{}' (got {journal})",
                path.display()
            )));
        }
        store
            .conn
            .execute_batch("PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;")?;
        store.migrate()?;
        Ok(store)
    }

    fn check_identity(&self, path: &Path) -> Result<()> {
        let not_ours = |detail: String| {
            Error::user(format!(
                "'{}' is not a vetter database ({detail})",
                path.display()
            ))
            .with_hint(
                "pass the path of a vetter database with --db, or a new file name to create one",
            )
        };
        let version = self.user_version().map_err(|e| not_ours(e.message))?;
        let known = schema_version();
        if version > known {
            return Err(Error::user(format!(
                "database '{}' has schema version {version}, newer than this vetter supports ({known})",
                path.display()
            ))
            .with_hint("upgrade vetter to open this database; it was written by a newer release"));
        }
        let app_id: i64 = self
            .conn
            .query_row("PRAGMA application_id", [], |r| r.get(0))?;
        let tables: i64 = self
            .conn
            .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
        if version > 0 && app_id != APPLICATION_ID {
            return Err(not_ours(format!("its application id is {app_id:#x}")));
        }
        if version == 0 && tables > 0 {
            return Err(not_ours("it is another program's SQLite database".into()));
        }
        Ok(())
    }

    /// Applies each pending migration in its own transaction, together with
    /// the `user_version` bump, so a failed migration leaves the old schema.
    fn migrate(&mut self) -> Result<()> {
        // The common case, an up-to-date database, takes no write lock.
        if self.user_version()? >= schema_version() {
            return Ok(());
        }
        for (index, (name, sql)) in MIGRATIONS.iter().enumerate() {
            let target = index as i64 + 1;
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            // Another process may have migrated while we waited for the lock.
            let current: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            if current >= target {
                continue;
            }
            tx.execute_batch(sql)
                .map_err(|e| Error::internal(format!("migration {name} failed: {e}")))?;
            tx.execute_batch(&format!(
                "PRAGMA user_version = {target}; PRAGMA application_id = {APPLICATION_ID};"
            ))?;
            tx.commit()?;
        }
        Ok(())
    }

    pub fn user_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// Runs `f` in one `BEGIN IMMEDIATE` transaction; commits only if it succeeds.
    pub fn write<T>(&mut self, f: impl FnOnce(&Transaction) -> Result<T>) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let value = f(&tx)?;
        tx.commit()?;
        Ok(value)
    }

    /// Read access. Reads outside a transaction see one consistent snapshot per statement.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }
}

/// Runs a `SELECT key, count` query with one vendor parameter into a map,
/// e.g. item id -> number of linked clauses.
pub(crate) fn counts_by_key(
    conn: &Connection,
    sql: &str,
    vendor_id: i64,
) -> Result<std::collections::HashMap<String, i64>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map([vendor_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Creates an empty database file readable only by its owner (0600), so that
/// vendor contracts and findings are not world-readable. An existing file is
/// left alone.
fn create_private_file(path: &Path) -> Result<()> {
    use std::fs::OpenOptions;
    #[cfg(unix)]
    use std::os::unix::fs::OpenOptionsExt;

    if path.exists() {
        return Ok(());
    }
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        if !parent.is_dir() {
            return Err(Error::user(format!(
                "cannot create database '{}': directory '{}' does not exist",
                path.display(),
                parent.display()
            ))
            .with_hint("create the directory first, or pass another path with --db"));
        }
    }
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    options.mode(0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(Error::user(format!(
            "cannot create database '{}': {e}",
            path.display()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migration_list_matches_the_migrations_directory() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.ends_with(".sql"))
            .collect();
        files.sort();
        let listed: Vec<&str> = MIGRATIONS.iter().map(|(n, _)| *n).collect();
        assert_eq!(files, listed);
        for (i, name) in listed.iter().enumerate() {
            assert!(
                name.starts_with(&format!("{:04}_", i + 1)),
                "{name} is out of sequence"
            );
        }
    }
}
