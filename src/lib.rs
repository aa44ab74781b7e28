//! vetter as a library: `run` executes a parsed command line against an
//! `Env` (database path, actor, clock), so the binary, the demo and tests all
//! drive the same code.

pub mod checklist;
pub mod clause;
pub mod cli;
pub mod commands;
pub mod digest;
pub mod domain;
pub mod error;
pub mod extract;
pub mod fsutil;
pub mod hosting;
pub mod markup;
pub mod memory;
pub mod model;
pub mod output;
pub mod packet_dir;
pub mod profile;
pub mod questionnaire;
pub mod report;
pub mod rules;
pub mod signature;
pub mod store;
pub mod stored_path;
pub mod validate;
pub mod workbook;

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use error::{Error, Result};
use std::path::PathBuf;

/// Who is acting, where the database is, and what time it is. The clock is
/// injected (`VETTER_NOW`) so tests and reproducible packets can pin it.
#[derive(Debug, Clone)]
pub struct Env {
    /// The register: a SQLite file or a PostgreSQL server.
    pub db: store::Location,
    pub actor: String,
    pub now: DateTime<Utc>,
    /// `now` as stored: RFC 3339, UTC, seconds.
    pub timestamp: String,
    /// The machine's real clock when `now` is injected (`VETTER_NOW`), so
    /// the audit log records both and never passes off an injected time as
    /// the real one. None when `now` is the real clock.
    pub real_timestamp: Option<String>,
    /// `--read-only`: the database is opened read-only, whatever its mode.
    pub read_only: bool,
}

impl Env {
    /// An environment on the real clock.
    pub fn new(db: store::Location, actor: String, now: DateTime<Utc>) -> Env {
        let timestamp = now.to_rfc3339_opts(SecondsFormat::Secs, true);
        Env {
            db,
            actor,
            now,
            timestamp,
            real_timestamp: None,
            read_only: false,
        }
    }

    /// The same environment with its clock injected at `now`.
    pub fn with_injected_clock(self, now: DateTime<Utc>) -> Env {
        let real = Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true);
        Env {
            real_timestamp: Some(real),
            read_only: self.read_only,
            ..Env::new(self.db, self.actor, now)
        }
    }

    /// Builds the environment from the command line and `VETTER_NOW`.
    pub fn from_cli(cli: &cli::Cli) -> Result<Env> {
        let db = match &cli.db {
            Some(path) => store::Location::parse(path.as_os_str())?,
            None => store::Location::Sqlite(default_db_path()?),
        };
        let actor = match (&db, &cli.actor) {
            // On a team register the actor is the login the server
            // authenticates (its triggers refuse any other name).
            (store::Location::Postgres(settings), named) => {
                let login = settings.user().to_string();
                match named {
                    Some(name) if *name != login => {
                        return Err(Error::user(format!(
                            "--as / VETTER_USER names '{name}', but you are connecting to the team register as '{login}'"
                        ))
                        .with_hint(format!(
                            "on PostgreSQL every record is made by the login that connects, so no one can act under another name; connect as '{name}' (user= in --db, or PGUSER) or drop --as / VETTER_USER"
                        )));
                    }
                    _ => login,
                }
            }
            (store::Location::Sqlite(_), Some(name)) => {
                validate::actor("actor (--as / VETTER_USER)", name)?
            }
            (store::Location::Sqlite(_), None) => os_user(),
        };
        let mut env = Env::new(db, actor, Utc::now());
        env.read_only = cli.read_only;
        Ok(match injected_clock()? {
            Some(now) => env.with_injected_clock(now),
            None => env,
        })
    }

    pub fn today(&self) -> NaiveDate {
        self.now.date_naive()
    }

    /// Opens the database; with `--read-only` a read opens it read-only and
    /// a write is refused before the file is touched.
    pub fn open_store(&self, access: store::Access) -> Result<store::Store> {
        let access = match access {
            store::Access::Write if self.read_only => return Err(read_only_refusal()),
            store::Access::Read if self.read_only => store::Access::ReadOnly,
            other => other,
        };
        store::Store::open_at(&self.db, access)
    }
}

/// A command that changes records, run with `--read-only`.
pub fn read_only_refusal() -> Error {
    Error::user("this command changes records, and the database was opened read-only (--read-only or VETTER_READ_ONLY)")
        .with_hint("nothing was written; to write, run it again without --read-only and with VETTER_READ_ONLY unset")
}

/// `VETTER_NOW` when set (RFC 3339).
fn injected_clock() -> Result<Option<DateTime<Utc>>> {
    match std::env::var("VETTER_NOW") {
        Ok(text) if !text.is_empty() => DateTime::parse_from_rfc3339(&text)
            .map(|t| Some(t.with_timezone(&Utc)))
            .map_err(|_| {
                Error::user(format!("invalid VETTER_NOW '{text}'")).with_hint(
                    "VETTER_NOW is an RFC 3339 time such as 2026-11-26T09:00:00Z, or unset",
                )
            }),
        _ => Ok(None),
    }
}

/// The OS user: $USER / $LOGNAME / $USERNAME, else (e.g. under cron or a bare
/// container shell) the name of this process's uid from /etc/passwd, else
/// "uid:N", so the audit log always names an account.
pub fn os_user() -> String {
    if let Some(name) = ["USER", "LOGNAME", "USERNAME"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .find(|v| !v.trim().is_empty())
    {
        return name;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let Ok(uid) = std::fs::metadata("/proc/self").map(|m| m.uid()) {
            let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
            let name = passwd.lines().find_map(|line| {
                let fields: Vec<&str> = line.split(':').collect();
                (fields.len() > 2 && fields[2] == uid.to_string()).then(|| fields[0].to_string())
            });
            return name.unwrap_or_else(|| format!("uid:{uid}"));
        }
    }
    "unknown".to_string()
}

/// `DATA_DIR/vetter/vetter.db`, creating the directory (mode 0700) if needed.
fn default_db_path() -> Result<PathBuf> {
    let base = dirs::data_dir().ok_or_else(|| {
        Error::user("cannot find a data directory for the default database")
            .with_hint("pass --db PATH or set VETTER_DB")
    })?;
    let dir = base.join("vetter");
    if !dir.is_dir() {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(&dir).map_err(|e| {
            Error::user(format!(
                "cannot create data directory '{}': {e}",
                dir.display()
            ))
            .with_hint("pass --db PATH or set VETTER_DB")
        })?;
    }
    Ok(dir.join("vetter.db"))
}

/// Runs one parsed command, writing its output to `out`.
pub fn run(cli: cli::Cli, out: &mut dyn std::io::Write) -> Result<()> {
    commands::dispatch(cli, out)
}
