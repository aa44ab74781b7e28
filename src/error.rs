//! One error type for the whole crate. Each error has a kind that decides the
//! exit code, a message that names the bad value, and an optional hint that
//! says how to fix it.

use std::fmt;

/// What went wrong, which decides the process exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Bad input, something not found, a refused operation: exit 1.
    User,
    /// A check the user asked for failed (`verify`, `flags --fail-on`): exit 3.
    CheckFailed,
    /// The database or the file system failed under us: exit 1, reported as such.
    Internal,
    /// stdout was closed by the reader (e.g. `| head`): exit quietly.
    BrokenPipe,
    /// The database server could not be reached or refused the connection
    /// (down, unreachable, timed out): exit 4, so a script can retry later.
    Unavailable,
}

#[derive(Debug)]
pub struct Error {
    pub kind: ErrorKind,
    pub message: String,
    pub hint: Option<String>,
    /// Set when SQLite failed to write a file (see `sqlite_write_fault`):
    /// the database, or, in a command that only reads it, one of SQLite's
    /// temporary files (see `store::Store::temp_store_fault`).
    pub(crate) sqlite_write: Option<std::io::Error>,
    /// A PostgreSQL serialization failure or deadlock (SQLSTATE 40001,
    /// 40P01): the writer runs its transaction again (`store::Store::write`).
    pub(crate) retry: bool,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn user(message: impl Into<String>) -> Self {
        Error {
            kind: ErrorKind::User,
            message: message.into(),
            hint: None,
            sqlite_write: None,
            retry: false,
        }
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Error {
            kind: ErrorKind::Internal,
            message: message.into(),
            hint: None,
            sqlite_write: None,
            retry: false,
        }
    }

    pub fn unavailable(message: impl Into<String>) -> Self {
        Error {
            kind: ErrorKind::Unavailable,
            message: message.into(),
            hint: None,
            sqlite_write: None,
            retry: false,
        }
    }

    pub fn check_failed(message: impl Into<String>) -> Self {
        Error {
            kind: ErrorKind::CheckFailed,
            message: message.into(),
            hint: None,
            sqlite_write: None,
            retry: false,
        }
    }

    /// The same error, its message led by `prefix` (e.g. the file and line
    /// a clause came from).
    pub fn prefixed(mut self, prefix: impl Into<String>) -> Self {
        self.message = format!("{}{}", prefix.into(), self.message);
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// The process exit code for this error (see DESIGN.md, "Exit codes").
    pub fn exit_code(&self) -> u8 {
        match self.kind {
            ErrorKind::BrokenPipe => 0,
            ErrorKind::User | ErrorKind::Internal => 1,
            ErrorKind::CheckFailed => 3,
            ErrorKind::Unavailable => 4,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// What to do about a failed database write, whatever its cause.
const DB_WRITE_FIX: &str = "nothing was changed; free some space on the disk that holds the database (or move the database to a disk with room and pass --db), then run the command again";

/// A write that failed for want of room or permission, in words: (what
/// happened, what to do about it). None for any other error.
pub fn storage_fault(kind: std::io::ErrorKind) -> Option<(&'static str, &'static str)> {
    use std::io::ErrorKind as K;
    Some(match kind {
        K::StorageFull => ("the disk is full", "free some space on it"),
        K::QuotaExceeded => (
            "the disk quota is exceeded",
            "free some space or ask for a larger quota",
        ),
        K::FileTooLarge => (
            "the file would exceed this process's file-size limit (`ulimit -f`)",
            "raise the limit (`ulimit -f unlimited`)",
        ),
        K::ReadOnlyFilesystem => ("the file system is read-only", "remount it read-write"),
        _ => return None,
    })
}

/// A failed write of `path`, naming a full disk, a quota, a file-size limit
/// or a read-only file system as such. `outcome` says what was kept (e.g.
/// "nothing was exported"), `elsewhere` how to write to another place.
pub fn write_failed(
    path: &std::path::Path,
    e: &std::io::Error,
    outcome: &str,
    elsewhere: &str,
) -> Error {
    let shown = path.display();
    match storage_fault(e.kind()) {
        Some((what, fix)) => Error::user(format!("cannot write '{shown}': {what} ({e})"))
            .with_hint(format!("{outcome}; {fix}, or {elsewhere}, then try again")),
        None => Error::user(format!("cannot write '{shown}': {e}")).with_hint(format!(
            "{outcome}; check that the directory is writable and has room, or {elsewhere}"
        )),
    }
}

/// A database write that failed because of the OS error `errno` (read back
/// from SQLite after the failure), when that error is one of the kinds
/// `storage_fault` names.
pub fn database_write_failed(errno: i32) -> Option<Error> {
    let e = std::io::Error::from_raw_os_error(errno);
    let (what, _) = storage_fault(e.kind())?;
    Some(
        Error::user(format!("cannot write the database: {what} ({e})")).with_hint(
            if e.kind() == std::io::ErrorKind::FileTooLarge {
                "nothing was changed; raise the file-size limit (`ulimit -f unlimited`), then run the command again"
            } else if e.kind() == std::io::ErrorKind::ReadOnlyFilesystem {
                READ_ONLY_FIX
            } else {
                DB_WRITE_FIX
            },
        ),
    )
}

/// Whether a SQLite I/O error's extended code is a failed write of a file
/// (not of the -shm index, which is mapped memory beside the database).
fn writes_a_file(extended_code: std::os::raw::c_int) -> bool {
    use rusqlite::ffi;
    matches!(
        extended_code,
        ffi::SQLITE_IOERR_WRITE
            | ffi::SQLITE_IOERR_FSYNC
            | ffi::SQLITE_IOERR_DIR_FSYNC
            | ffi::SQLITE_IOERR_TRUNCATE
    )
}

/// The OS error behind a SQLite error that says it could not write a file
/// (SQLITE_FULL, or an I/O error while writing), for `write_failed`; None
/// for any other error. `errno` is the connection's last OS error (0 when
/// unknown): SQLite reports a file-size limit as a bare "disk I/O error".
pub fn sqlite_write_fault(e: &rusqlite::Error, errno: i32) -> Option<std::io::Error> {
    let rusqlite::Error::SqliteFailure(code, _) = e else {
        return None;
    };
    match code.code {
        rusqlite::ErrorCode::DiskFull => Some(std::io::Error::new(
            std::io::ErrorKind::StorageFull,
            e.to_string(),
        )),
        rusqlite::ErrorCode::SystemIoFailure if writes_a_file(code.extended_code) => {
            Some(if errno != 0 {
                std::io::Error::from_raw_os_error(errno)
            } else {
                std::io::Error::other(e.to_string())
            })
        }
        _ => None,
    }
}

/// A write SQLite failed in a command that only reads the database, so
/// not of the database: of one of SQLite's temporary files (a sort or an
/// index too large for memory), in its temporary directory `dir`. `e` is
/// the OS error when known.
pub fn temp_store_failed(e: &std::io::Error, dir: Option<&std::path::Path>) -> Error {
    let place = match dir {
        Some(dir) => format!("in '{}'", dir.display()),
        None => "in its temporary directory".to_string(),
    };
    let (what, fix) = match storage_fault(e.kind()) {
        Some((what, fix)) => (format!("{what} ({e})"), fix),
        None => (
            e.to_string(),
            "the disk there may be full or over its quota: free some space",
        ),
    };
    let message = format!(
        "cannot write SQLite's temporary files {place} (the database itself is only read): {what}"
    );
    // The limit applies to every file the process writes, wherever it is.
    if e.kind() == std::io::ErrorKind::FileTooLarge {
        return Error::user(message).with_hint(
            "the database was not changed; raise the file-size limit (`ulimit -f unlimited`), then run the command again",
        );
    }
    Error::user(message).with_hint(format!(
        "the database was not changed; {fix}, or run the command with SQLITE_TMPDIR set to a directory on a disk with room (SQLite writes its temporary files to $SQLITE_TMPDIR, else $TMPDIR, else /var/tmp or /tmp)"
    ))
}

const READ_ONLY_FIX: &str = "nothing was changed; read commands and export still work. To write, make the database file and its directory writable, or copy it to a writable place and pass --db";

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ffi;
        use rusqlite::ErrorCode as C;
        if let rusqlite::Error::SqliteFailure(code, _) = &e {
            match code.code {
                C::DatabaseBusy | C::DatabaseLocked => {
                    return Error::internal(format!("the database is busy: {e}"))
                        .with_hint("another vetter command is writing; try again in a moment");
                }
                // SQLITE_FULL: the OS said ENOSPC, or PRAGMA max_page_count was reached.
                C::DiskFull => {
                    let mut err =
                        Error::user(format!("cannot write the database: the disk is full ({e})"))
                            .with_hint(DB_WRITE_FIX);
                    err.sqlite_write = sqlite_write_fault(&e, 0);
                    return err;
                }
                C::ReadOnly => {
                    return Error::user(format!(
                        "cannot write the database: it is read-only ({e})"
                    ))
                    .with_hint(READ_ONLY_FIX);
                }
                // A failed write, sync or resize: EFBIG, EDQUOT, EIO... `Store::write`
                // names the cause when SQLite kept the OS error.
                C::SystemIoFailure
                    if writes_a_file(code.extended_code)
                        || matches!(
                            code.extended_code,
                            ffi::SQLITE_IOERR_SHMSIZE | ffi::SQLITE_IOERR_SHMMAP
                        ) =>
                {
                    let mut err = Error::user(format!("cannot write the database: {e}")).with_hint(
                        "nothing was changed; the disk may be full or over its quota, or the file larger than this process may write (`ulimit -f`): free some space or raise the limit, then run the command again",
                    );
                    err.sqlite_write = sqlite_write_fault(&e, 0);
                    return err;
                }
                _ => {}
            }
        }
        Error::internal(format!("database error: {e}"))
    }
}

impl From<postgres::Error> for Error {
    /// A failed statement on PostgreSQL. Connection-level failures (refused,
    /// wrong password) are named by `store::pg` when it connects; these are
    /// the ones met afterwards.
    fn from(e: postgres::Error) -> Self {
        use postgres::error::SqlState;
        let Some(db) = e.as_db_error() else {
            let io = std::error::Error::source(&e).is_some_and(|s| s.is::<std::io::Error>());
            if e.is_closed() || io {
                return Error::unavailable(format!("the connection to the PostgreSQL server was lost: {e}"))
                    .with_hint("the server stopped or the network failed; nothing of this command was committed unless it said so. Run it again when the server is back");
            }
            return Error::internal(format!("database error: {e}"));
        };
        let code = db.code();
        // A rule the register enforces itself (append-only, four eyes):
        // its message says what was refused.
        if code.code() == "VT001" || *code == SqlState::RAISE_EXCEPTION {
            return Error::user(db.message().to_string()).with_hint(
                "nothing was changed; the database refuses this for every client, not only vetter",
            );
        }
        if *code == SqlState::INSUFFICIENT_PRIVILEGE {
            return Error::user(format!("the PostgreSQL server refused this: {}", db.message()))
                .with_hint("your login lacks the role this needs; `vetter team list` shows who has which role, and a vetter_admin can grant it with `vetter team grant LOGIN --role ROLE`");
        }
        if *code == SqlState::QUERY_CANCELED {
            return Error::unavailable(format!("the PostgreSQL server cancelled the statement: {}", db.message()))
                .with_hint("it ran past statement_timeout; nothing was changed. Try again when the server is less busy, or raise statement_timeout for your login");
        }
        if *code == SqlState::LOCK_NOT_AVAILABLE {
            return Error::unavailable(format!("the register is locked by another writer: {}", db.message()))
                .with_hint("nothing was changed; another vetter command held the lock past lock_timeout. Try again in a moment");
        }
        if code.code().starts_with("08") || code.code().starts_with("57P") {
            return Error::unavailable(format!("the PostgreSQL server is not available: {}", db.message()))
                .with_hint("nothing of this command was committed unless it said so; run it again when the server is back");
        }
        let mut err = Error::internal(format!(
            "database error: {} (SQLSTATE {})",
            db.message(),
            code.code()
        ));
        err.retry = is_retryable(&e);
        err
    }
}

/// True for a PostgreSQL error a writer should retry: a serialization
/// failure or a deadlock, which the server resolves by failing one side.
pub fn is_retryable(e: &postgres::Error) -> bool {
    use postgres::error::SqlState;
    e.code().is_some_and(|c| {
        *c == SqlState::T_R_SERIALIZATION_FAILURE || *c == SqlState::T_R_DEADLOCK_DETECTED
    })
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            return Error {
                kind: ErrorKind::BrokenPipe,
                message: e.to_string(),
                hint: None,
                sqlite_write: None,
                retry: false,
            };
        }
        // A database error met while streaming (e.g. writing a blob): the
        // database's own message and hint.
        if e.get_ref()
            .is_some_and(|inner| inner.is::<rusqlite::Error>())
        {
            let inner = e
                .into_inner()
                .and_then(|i| i.downcast::<rusqlite::Error>().ok());
            return Error::from(*inner.expect("checked to be a rusqlite::Error"));
        }
        if let Some((what, fix)) = storage_fault(e.kind()) {
            return Error::user(format!("cannot write: {what} ({e})"))
                .with_hint(format!("{fix}, or write to another disk, then try again"));
        }
        Error::internal(format!("I/O error: {e}"))
    }
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        // Writing JSON to a closed pipe (`--json | head`) is a closed pipe.
        if e.io_error_kind() == Some(std::io::ErrorKind::BrokenPipe) {
            return std::io::Error::from(std::io::ErrorKind::BrokenPipe).into();
        }
        Error::internal(format!("JSON error: {e}"))
    }
}

/// "did you mean ...?" for a value typed by a user, against the known values.
pub fn did_you_mean<'a>(typed: &str, known: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let typed_lower = typed.to_lowercase();
    let mut best: Option<(f64, &str)> = None;
    for candidate in known {
        let score = strsim::jaro_winkler(&typed_lower, &candidate.to_lowercase());
        // A candidate that contains what was typed (or the reverse) is a good guess
        // even when the edit distance is large, e.g. `breach` for `dpa.breach-notification`.
        let contains = candidate.contains(&typed_lower) && typed_lower.len() >= 3;
        let score = if contains { score.max(0.9) } else { score };
        if score >= 0.8 && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, c)| c.to_string())
}

/// At most this many problems of one file are listed; the rest are counted.
pub const MAX_LISTED: usize = 20;

/// "'FILE' has 3 bad values; nothing was imported:" and the problems, one
/// per line, the first MAX_LISTED of them: every bad row of a file is named
/// at once, not one per attempt.
pub fn listed_problems(shown: &str, what: &str, problems: Vec<String>) -> Error {
    let count = problems.len();
    let mut listed: Vec<String> = problems.into_iter().take(MAX_LISTED).collect();
    if count > MAX_LISTED {
        listed.push(format!("... and {} more", count - MAX_LISTED));
    }
    Error::user(format!(
        "'{shown}' has {count} {what}{}; nothing was imported:\n  {}",
        if count == 1 { "" } else { "s" },
        listed.join("\n  ")
    ))
}

/// A "not found" error with a did-you-mean hint when something close exists.
pub fn not_found<'a>(
    what: &str,
    typed: &str,
    known: impl IntoIterator<Item = &'a str>,
    fallback_hint: &str,
) -> Error {
    let err = Error::user(format!("unknown {what} '{typed}'"));
    match did_you_mean(typed, known) {
        Some(guess) => err.with_hint(format!("did you mean '{guess}'?")),
        None => err.with_hint(fallback_hint.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_item_ids() {
        let known = ["dpa.breach-notification", "dpa.subprocessors", "access.mfa"];
        assert_eq!(
            did_you_mean("dpa.breach-notifcation", known).as_deref(),
            Some("dpa.breach-notification")
        );
        assert_eq!(did_you_mean("zzzz", known), None);
    }
}
