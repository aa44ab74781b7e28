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
}

#[derive(Debug)]
pub struct Error {
    pub kind: ErrorKind,
    pub message: String,
    pub hint: Option<String>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn user(message: impl Into<String>) -> Self {
        Error {
            kind: ErrorKind::User,
            message: message.into(),
            hint: None,
        }
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Error {
            kind: ErrorKind::Internal,
            message: message.into(),
            hint: None,
        }
    }

    pub fn check_failed(message: impl Into<String>) -> Self {
        Error {
            kind: ErrorKind::CheckFailed,
            message: message.into(),
            hint: None,
        }
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
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        if let rusqlite::Error::SqliteFailure(code, _) = &e {
            if code.code == rusqlite::ErrorCode::DatabaseBusy
                || code.code == rusqlite::ErrorCode::DatabaseLocked
            {
                return Error::internal(format!("the database is busy: {e}"))
                    .with_hint("another vetter command is writing; try again in a moment");
            }
        }
        Error::internal(format!("database error: {e}"))
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            return Error {
                kind: ErrorKind::BrokenPipe,
                message: e.to_string(),
                hint: None,
            };
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
