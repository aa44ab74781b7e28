//! The store: every SQL statement of vetter lives under this module, on
//! one of two engines.
//!
//! - `sql` is the one interface statements run through (`Db`, `Tx`,
//!   `Row`), on either engine; the per-table modules (vendor, review,
//!   finding, ...) write their SQL once against it.
//! - `sqlite` opens one person's register, a file; `postgres` a team's, on
//!   a server (its connection settings, TLS, roles). Each has its own
//!   migrations, with the same version numbers.
//! - `Store::open_at` opens either; `write` runs a closure inside one write
//!   transaction (BEGIN IMMEDIATE on SQLite, the write lock on PostgreSQL),
//!   which is how every command that changes something records its change
//!   and its audit event together. Nothing above the store knows which
//!   engine it runs on.

pub mod as_of;
pub mod audit;
pub mod backup;
pub mod checklist;
pub mod clause;
pub mod contract;
pub mod copy;
pub mod evidence;
pub mod finding;
pub mod postgres;
pub mod profile;
pub mod question;
pub mod questionnaire;
pub mod replay;
pub mod review;
pub mod signoff;
pub mod sql;
pub mod sqlite;
pub mod subprocessor;
pub mod vendor;
pub mod waiver;

use crate::error::{Error, Result};
use sql::params;
use sqlite::last_os_error;
pub use sqlite::{is_vetter_database_file, sqlite_temp_dir, MIGRATIONS};
use std::path::Path;

/// `PRAGMA application_id` of a vetter database ("VETT"), so that another
/// program's SQLite file is refused rather than written into.
pub const APPLICATION_ID: i64 = 0x5645_5454;

/// Where a migration hands over to code for a step SQL cannot do (0006:
/// compute the hash chain over the events already written).
pub(crate) const CHAIN_EXISTING_EVENTS: &str = "-- @chain-existing-events";

/// The schema version this binary writes.
pub fn schema_version() -> i64 {
    sqlite::MIGRATIONS.len() as i64
}

pub struct Store {
    db: sql::Db,
}

/// Where the register is: a SQLite file (the default, one person's), or a
/// team's PostgreSQL server (`--db postgresql://…` or a libpq key=value
/// string).
#[derive(Debug, Clone)]
pub enum Location {
    Sqlite(std::path::PathBuf),
    Postgres(Box<postgres::conninfo::ConnSettings>),
}

impl Location {
    /// `--db` / VETTER_DB as given: a PostgreSQL connection string, or else
    /// a path. The PG* environment variables and ~/.pgpass fill in what a
    /// connection string leaves out, as libpq does.
    pub fn parse(db: &std::ffi::OsStr) -> Result<Location> {
        match db.to_str() {
            Some(text) if postgres::conninfo::is_postgres(text) => Ok(Location::Postgres(
                Box::new(postgres::conninfo::ConnSettings::resolve(text, &|key| {
                    std::env::var(key).ok()
                })?),
            )),
            _ => Ok(Location::Sqlite(db.into())),
        }
    }

    /// The file, for what only a SQLite register has (restore, its side
    /// files); None for a server.
    pub fn sqlite_path(&self) -> Option<&Path> {
        match self {
            Location::Sqlite(path) => Some(path),
            Location::Postgres(_) => None,
        }
    }

    /// How to show it: the path, or the URL with any password as `***`.
    pub fn shown(&self) -> String {
        match self {
            Location::Sqlite(path) => path.display().to_string(),
            Location::Postgres(settings) => settings.display(),
        }
    }
}

fn not_a_team_register(location: &Location) -> Error {
    Error::user(format!(
        "'{}' is a SQLite file; team roles exist on a PostgreSQL register",
        location.shown()
    ))
    .with_hint(
        "pass --db a PostgreSQL connection string (postgresql://dba@host/dbname), see docs/team.md",
    )
}

/// What a command will do with the database. A read never creates one: a
/// mistyped `--db` path must not silently become a new, empty database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Read,
    Write,
    /// A read that must not write the file at all (`--read-only`): opened
    /// read-only even when it could be written, never upgraded.
    ReadOnly,
}

impl Store {
    /// Opens the register wherever it is.
    pub fn open_at(location: &Location, access: Access) -> Result<Store> {
        match location {
            Location::Sqlite(path) => Store::open(path, access),
            Location::Postgres(settings) => Ok(Store {
                db: postgres::open(settings, access)?,
            }),
        }
    }

    /// `team init`: makes the team's roles and the register on the server
    /// `location` names, or upgrades them. Returns the roles it created.
    pub fn team_init(location: &Location) -> Result<Vec<String>> {
        let Location::Postgres(settings) = location else {
            return Err(not_a_team_register(location));
        };
        let db = postgres::connect(settings)?;
        postgres::team::init(&db)
    }

    /// The PostgreSQL side of a team command, or why there is none.
    pub fn team(&self) -> Result<&sql::Db> {
        match self.db.engine() {
            sql::Engine::Postgres => Ok(&self.db),
            sql::Engine::Sqlite => Err(Error::user(
                "team roles exist on a PostgreSQL register; this one is a SQLite file",
            )
            .with_hint("a SQLite register is one person's: its actor is the name given with --as / VETTER_USER. For a team, see docs/team.md")),
        }
    }

    /// The engine's own integrity checks, in words, as `verify` lists them.
    pub fn integrity_checks(&self) -> &'static str {
        match self.db.engine() {
            sql::Engine::Sqlite => "SQLite integrity_check and foreign_key_check",
            sql::Engine::Postgres => {
                "PostgreSQL checks its pages and enforces the foreign keys; the team rules' triggers are in place"
            }
        }
    }

    /// Whether the actor recorded is proven by the database (a PostgreSQL
    /// login) rather than a name the user typed (SQLite's --as).
    pub fn proves_identity(&self) -> bool {
        self.db.engine() == sql::Engine::Postgres
    }

    /// What `PRAGMA integrity_check` and `PRAGMA foreign_key_check` report;
    /// empty when the database is sound.
    pub fn integrity_problems(&self) -> Result<Vec<String>> {
        // The server checks its own pages and enforces the foreign keys.
        if self.db.engine() == sql::Engine::Postgres {
            return Ok(Vec::new());
        }
        // A page so damaged that the check itself cannot read it is a
        // finding too, not a crash.
        let checked = || -> rusqlite::Result<Vec<String>> {
            let mut problems: Vec<String> = self
                .sqlite()
                .prepare("PRAGMA integrity_check")?
                .query_map([], |r| r.get::<_, String>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            if problems == ["ok"] {
                problems.clear();
            }
            let mut stmt = self.sqlite().prepare("PRAGMA foreign_key_check")?;
            let rows = stmt.query_map([], |r| {
                Ok(format!(
                    "{} row {} refers to a missing {} row",
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<i64>>(1)?
                        .map_or("?".into(), |id| id.to_string()),
                    r.get::<_, String>(2)?
                ))
            })?;
            for row in rows {
                problems.push(row?);
            }
            Ok(problems)
        };
        match checked() {
            Ok(problems) => Ok(problems),
            Err(e @ rusqlite::Error::SqliteFailure(..))
                if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseCorrupt) =>
            {
                Ok(vec![format!("SQLite cannot read it: {e}")])
            }
            Err(e) => Err(e.into()),
        }
    }

    /// The triggers the migrations define that the database no longer has:
    /// someone lifted an append-only or numbering rule (and may have used
    /// the gap). The chain and the replay say what was changed; this says
    /// the door was opened.
    pub fn missing_triggers(&self) -> Result<Vec<String>> {
        if self.db.engine() == sql::Engine::Postgres {
            return postgres::missing_triggers(&self.db);
        }
        let present: std::collections::HashSet<String> = self
            .sqlite()
            .prepare("SELECT name FROM sqlite_schema WHERE type = 'trigger'")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(expected_triggers()
            .into_iter()
            .filter(|t| !present.contains(t))
            .collect())
    }

    pub fn user_version(&self) -> Result<i64> {
        if self.db.engine() == sql::Engine::Postgres {
            return Ok(postgres::schema_version(&self.db)?.unwrap_or(0));
        }
        Ok(self
            .sqlite()
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// Runs `f` on one consistent snapshot: a read transaction in WAL mode
    /// sees the database as of its first read, whatever other processes
    /// commit meanwhile, so a check or a packet never mixes two states.
    pub fn read_snapshot<T>(&self, f: impl FnOnce() -> Result<T>) -> Result<T> {
        // SQLite's snapshot starts at the first read; PostgreSQL's at the
        // first statement of a REPEATABLE READ transaction.
        let (begin, first_read) = match self.db.engine() {
            sql::Engine::Sqlite => ("BEGIN", "SELECT count(*) FROM sqlite_schema"),
            sql::Engine::Postgres => (
                "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
                "SELECT count(*) FROM vetter_schema",
            ),
        };
        // One round trip: the snapshot starts with the read.
        self.db.execute_batch(&format!("{begin}; {first_read}"))?;
        let result = f();
        let rollback = self.db.execute_batch("ROLLBACK");
        let value = result?;
        rollback?;
        Ok(value)
    }

    /// Runs `f` in one write transaction (BEGIN IMMEDIATE on SQLite; on
    /// PostgreSQL one that holds the write lock, retried on a serialization
    /// failure); commits only if it succeeds.
    pub fn write<T>(&mut self, mut f: impl FnMut(&sql::Tx) -> Result<T>) -> Result<T> {
        if self.db.engine() == sql::Engine::Postgres {
            return postgres::write(&self.db, f);
        }
        let errno_before = self.system_errno();
        let result = (|| {
            self.db.execute_batch("BEGIN IMMEDIATE")?;
            let result = f(&sql::Tx::new(&self.db));
            end_transaction(&self.db, result)
        })();
        result.map_err(|e| self.name_write_fault(e, errno_before))
    }

    /// Runs `f` in one write transaction that writes records made by
    /// others at other times (a copy): on PostgreSQL the team rules (the
    /// actor is the login) are set aside for it, which the server allows a
    /// superuser only, and the chain head is set to the copied events'.
    pub(crate) fn write_as_copy<T>(
        &mut self,
        mut f: impl FnMut(&sql::Tx) -> Result<T>,
    ) -> Result<T> {
        if self.db.engine() == sql::Engine::Sqlite {
            return self.write(f);
        }
        postgres::write(&self.db, |tx| {
            tx.execute_batch("SET LOCAL session_replication_role = replica")
                .map_err(|e| {
                    Error::user(format!(
                        "copying into PostgreSQL needs a superuser: {}",
                        e.message
                    ))
                    .with_hint("a copy writes records made by other people at other times, which the team rules let no ordinary login do; run it as the DBA (on RDS, a member of rds_superuser). Nothing was copied")
                })?;
            let value = f(tx)?;
            if let Some(head) = audit::head(tx)? {
                tx.execute(
                    "UPDATE chain_head SET seq = ?1, hash = ?2",
                    params![head.seq, head.hash],
                )?;
            }
            Ok(value)
        })
    }

    /// Read access. Reads outside a transaction see one consistent snapshot per statement.
    pub fn conn(&self) -> &sql::Db {
        &self.db
    }
}

/// Commits when `result` is Ok, rolls back otherwise; a failed commit is
/// the error.
pub(crate) fn end_transaction<T>(db: &sql::Db, result: Result<T>) -> Result<T> {
    match result {
        Ok(value) => {
            if let Err(e) = db.execute_batch("COMMIT") {
                let _ = db.execute_batch("ROLLBACK");
                return Err(e);
            }
            Ok(value)
        }
        Err(e) => {
            let _ = db.execute_batch("ROLLBACK");
            Err(e)
        }
    }
}

/// Runs a `SELECT key, count` query with one vendor parameter into a map,
/// e.g. item id -> number of linked clauses.
pub(crate) fn counts_by_key(
    conn: &sql::Db,
    sql: &str,
    vendor_id: i64,
) -> Result<std::collections::HashMap<String, i64>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map([vendor_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect()
}

/// Every trigger the migrations leave defined, in order of definition.
pub(crate) fn expected_triggers() -> Vec<String> {
    let mut triggers: Vec<String> = Vec::new();
    for (_, sql) in MIGRATIONS {
        let words: Vec<&str> = sql.split_whitespace().collect();
        for pair in words.windows(3) {
            match pair {
                ["CREATE", "TRIGGER", name] => triggers.push(name.to_string()),
                ["DROP", "TRIGGER", name] => {
                    let name = name.trim_end_matches(';');
                    triggers.retain(|t| t != name);
                }
                _ => {}
            }
        }
    }
    triggers
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_migrations_leave_the_append_only_triggers_defined() {
        let triggers = expected_triggers();
        for name in [
            "audit_event_no_update",
            "audit_event_no_delete",
            "audit_event_chained",
            "finding_no_update",
            "blob_no_update",
        ] {
            assert!(triggers.contains(&name.to_string()), "{name}: {triggers:?}");
        }
        assert_eq!(triggers.len(), 28, "{triggers:?}");
    }

    #[test]
    fn migration_list_matches_the_migrations_directory() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/sqlite");
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
