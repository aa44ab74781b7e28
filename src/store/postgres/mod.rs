//! The PostgreSQL engine: a team's register on a server it already runs.
//!
//! The register lives in the schema `vetter`, owned by the role
//! `vetter_owner`, which nobody logs in as (docs/team.md). People log in as
//! themselves and act through the group roles `vetter_reviewer`,
//! `vetter_approver`, `vetter_auditor` and `vetter_admin`; the server, not
//! vetter, decides what each may do, and records who did it
//! (`session_user`). `team init` makes the roles and the schema; every other
//! command only opens it.

pub mod conninfo;
pub mod team;
pub mod tls;

use super::sql::{Db, Tx};
use super::Access;
use crate::error::{Error, Result};
use conninfo::ConnSettings;
use std::time::Duration;

/// The schema the register's tables live in.
pub const SCHEMA: &str = "vetter";

/// The migrations, in order, with the same names and version numbers as
/// SQLite's (`store::MIGRATIONS`); a unit test checks the two lists agree.
pub const MIGRATIONS: &[(&str, &str)] = &[
    (
        "0001_init.sql",
        include_str!("../../../migrations/postgres/0001_init.sql"),
    ),
    (
        "0002_clauses_profile_subprocessors.sql",
        include_str!("../../../migrations/postgres/0002_clauses_profile_subprocessors.sql"),
    ),
    (
        "0003_evidence_questions.sql",
        include_str!("../../../migrations/postgres/0003_evidence_questions.sql"),
    ),
    (
        "0004_review_numbers_preemptive_waivers.sql",
        include_str!("../../../migrations/postgres/0004_review_numbers_preemptive_waivers.sql"),
    ),
    (
        "0005_signoff_and_cycles.sql",
        include_str!("../../../migrations/postgres/0005_signoff_and_cycles.sql"),
    ),
    (
        "0006_hash_chain.sql",
        include_str!("../../../migrations/postgres/0006_hash_chain.sql"),
    ),
    (
        "0007_questionnaires.sql",
        include_str!("../../../migrations/postgres/0007_questionnaires.sql"),
    ),
    (
        "0008_waiver_severity.sql",
        include_str!("../../../migrations/postgres/0008_waiver_severity.sql"),
    ),
    (
        "0009_contracts.sql",
        include_str!("../../../migrations/postgres/0009_contracts.sql"),
    ),
];

/// The key of the transaction-scoped advisory lock every write takes first
/// ("vetter" in ASCII): writers run one at a time, as on SQLite, so ids
/// stay gapless (max + 1) and the chain has one head. The chain-head row
/// the audit trigger locks is the backstop for a writer that skips it.
pub const WRITE_LOCK: i64 = 0x7665_7474_6572;

/// How long a statement may run, and how long a writer waits for the lock,
/// before the command fails with a message rather than hangs (unless the
/// server, the login or PGOPTIONS say otherwise).
const STATEMENT_TIMEOUT: &str = "5min";
const LOCK_TIMEOUT: &str = "60s";

/// Connects and checks that the database holds a vetter register of this
/// binary's schema.
pub(super) fn open(settings: &ConnSettings, access: Access) -> Result<Db> {
    // --read-only: the server itself refuses any write of this session.
    let read_only = if access == Access::ReadOnly {
        " -c default_transaction_read_only=on"
    } else {
        ""
    };
    let (db, register) = connect_with(settings, read_only)?;
    match register {
        None => Err(Error::user(format!(
            "{} has no vetter register",
            settings.describe()
        ))
        .with_hint(
            "create one with `vetter --db URL team init`, run once by a login that may create roles (docs/team.md)",
        )),
        Some(v) if v > super::schema_version() => Err(Error::user(format!(
            "the register at {} has schema version {v}, newer than this vetter supports ({})",
            settings.describe(),
            super::schema_version()
        ))
        .with_hint("upgrade vetter; the register was written by a newer release")),
        Some(v) if v < super::schema_version() => Err(Error::user(format!(
            "the register at {} has schema version {v}, older than this vetter's ({})",
            settings.describe(),
            super::schema_version()
        ))
        .with_hint(
            "a vetter_admin upgrades it with `vetter --db URL team init` (the team's other vetter binaries must be upgraded too)",
        )),
        Some(_) => Ok(db),
    }
}

/// A session as every command needs it: UTC, the register's schema first,
/// and limits that turn a stuck server into an error.
pub(super) fn connect(settings: &ConnSettings) -> Result<Db> {
    Ok(connect_with(settings, "")?.0)
}

/// Connects with `extra` startup settings; returns the session and the
/// register's schema version (None when the database has no register).
/// Everything after the connection is one round trip: a command's start
/// is most of what a short command costs on a server.
fn connect_with(settings: &ConnSettings, extra: &str) -> Result<(Db, Option<i64>)> {
    // Set at startup, so they cost no round trip.
    let client = settings.connect_with(&format!(
        "-c TimeZone=UTC -c search_path={SCHEMA},pg_catalog{extra}"
    ))?;
    let db = Db::postgres(client);
    // vetter's limits, unless the server, the role or PGOPTIONS set their
    // own, and whether there is a register: one round trip, in plain SQL
    // (a DO block loads PL/pgSQL into the new backend: 2 ms of a 10 ms
    // command).
    let limits: String = [
        ("statement_timeout", STATEMENT_TIMEOUT),
        ("lock_timeout", LOCK_TIMEOUT),
        ("idle_in_transaction_session_timeout", "10min"),
    ]
    .iter()
    .map(|(name, value)| {
        format!(
            "SELECT set_config('{name}', '{value}', false) WHERE current_setting('{name}') = '0'; "
        )
    })
    .collect();
    let exists = db.batch_value(&format!(
        "{limits}SELECT CAST(to_regclass('vetter.vetter_schema') AS TEXT)"
    ))?;
    if exists.is_none() {
        return Ok((db, None));
    }
    let row: Option<(i64, i64)> = db.query_opt(
        "SELECT application_id, version FROM vetter.vetter_schema",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let version = match row {
        None => None,
        Some((app, _)) if app != super::APPLICATION_ID => return Err(Error::user(format!(
            "schema vetter holds another program's tables (application id {app:#x})"
        ))
        .with_hint(
            "pass --db the URL of a vetter register, or a database without a schema named vetter",
        )),
        Some((_, version)) => Some(version),
    };
    Ok((db, version))
}

/// The register's schema version, or None when the database has none
/// (for the migrations, which run where there may be none yet).
pub(super) fn schema_version(db: &Db) -> Result<Option<i64>> {
    let exists: Option<String> = db.query_row(
        "SELECT CAST(to_regclass('vetter.vetter_schema') AS TEXT)",
        [],
        |r| r.get(0),
    )?;
    if exists.is_none() {
        return Ok(None);
    }
    db.query_opt("SELECT version FROM vetter.vetter_schema", [], |r| r.get(0))
}

/// The login the server authenticated: the actor of every event.
pub fn session_user(db: &Db) -> Result<String> {
    db.query_row("SELECT session_user", [], |r| r.get(0))
}

/// Runs `f` in one transaction that holds the write lock; commits only if
/// it succeeds. A serialization failure or deadlock (which the server
/// resolves by failing one side) runs it again, a few times, with backoff.
pub(super) fn write<T>(db: &Db, mut f: impl FnMut(&Tx) -> Result<T>) -> Result<T> {
    let mut delay = Duration::from_millis(25);
    let mut attempt = 1;
    loop {
        db.execute_batch("BEGIN ISOLATION LEVEL READ COMMITTED")?;
        let result = db
            .execute("SELECT pg_advisory_xact_lock(?1)", [WRITE_LOCK])
            .and_then(|_| f(&Tx::new(db)));
        match super::end_transaction(db, result) {
            Err(e) if e.retry && attempt < 6 => {
                std::thread::sleep(delay);
                delay *= 2;
                attempt += 1;
            }
            other => return other,
        }
    }
}

/// Applies each pending migration in its own transaction, as the owner
/// role, together with the version in `vetter_schema`.
pub(super) fn migrate(db: &Db) -> Result<()> {
    for (index, (name, sql)) in MIGRATIONS.iter().enumerate() {
        let target = index as i64 + 1;
        db.execute_batch("BEGIN")?;
        let result = (|| -> Result<()> {
            db.execute("SELECT pg_advisory_xact_lock(?1)", [WRITE_LOCK])?;
            if schema_version(db)?.unwrap_or(0) >= target {
                return Ok(());
            }
            let failed = |e: Error| Error::internal(format!("migration {name} failed: {e}"));
            // 0006's code step (chain the events written before the chain
            // existed) has nothing to chain on a register that starts here.
            let sql = sql.replace(super::CHAIN_EXISTING_EVENTS, "");
            db.execute_batch(&sql).map_err(failed)?;
            db.execute("DELETE FROM vetter.vetter_schema", [])?;
            db.execute(
                "INSERT INTO vetter.vetter_schema (application_id, version) VALUES (?1, ?2)",
                [super::APPLICATION_ID, target],
            )?;
            Ok(())
        })();
        super::end_transaction(db, result)?;
    }
    Ok(())
}

/// The triggers the register needs that it no longer has (someone with the
/// owner's rights lifted a rule). Compared by name with those the
/// migrations and `team init` define.
pub(super) fn missing_triggers(db: &Db) -> Result<Vec<String>> {
    let present: std::collections::HashSet<String> = db
        .query_map(
            "SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
             JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = 'vetter' AND NOT t.tgisinternal AND t.tgenabled <> 'D'",
            [],
            |r| r.get(0),
        )?
        .into_iter()
        .collect();
    Ok(super::expected_triggers()
        .into_iter()
        .chain(team::TRIGGERS.iter().map(|t| t.to_string()))
        .filter(|t| !present.contains(t))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_postgres_migrations_match_the_sqlite_ones() {
        let sqlite: Vec<&str> = crate::store::MIGRATIONS.iter().map(|(n, _)| *n).collect();
        let postgres: Vec<&str> = MIGRATIONS.iter().map(|(n, _)| *n).collect();
        assert_eq!(sqlite, postgres);
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/postgres");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.ends_with(".sql") && n.starts_with(|c: char| c.is_ascii_digit()))
            .collect();
        files.sort();
        assert_eq!(files, postgres);
    }
}
