//! `vetter backup FILE` and `vetter restore FILE`: copies of the whole
//! database with SQLite's online backup API, each verified as `vetter
//! verify` does before it is trusted.

use crate::domain::integrity::{self, DatabaseReport};
use crate::error::{Error, Result};
use crate::output;
use crate::store::{self, Access, Store};
use crate::Env;
use std::path::Path;

pub fn backup(env: &Env, store: &Store, file: &Path, force: bool) -> Result<()> {
    if file.is_dir() {
        return Err(Error::user(format!("'{}' is a directory", file.display()))
            .with_hint("name the backup file, e.g. backups/vetter-2026-11-27.db"));
    }
    if file.exists() && !force {
        return Err(Error::user(format!("'{}' already exists", file.display()))
            .with_hint("choose a new file name, or pass --force to replace it"));
    }
    if same_file(file, &env.db_path) {
        return Err(
            Error::user(format!("'{}' is the database itself", file.display()))
                .with_hint("write the backup to another file"),
        );
    }
    if let Some(parent) = file.parent().filter(|p| !p.as_os_str().is_empty()) {
        if !parent.is_dir() {
            return Err(Error::user(format!(
                "cannot write '{}': directory '{}' does not exist",
                file.display(),
                parent.display()
            ))
            .with_hint("create the directory first"));
        }
    }
    // Copied under a temporary name, verified there, then renamed: FILE is
    // either the old file or a verified copy, never a partial one.
    let tmp = file.with_file_name(format!(
        ".{}.verifying-{}",
        file.file_name().unwrap_or_default().to_string_lossy(),
        std::process::id()
    ));
    let _ = std::fs::remove_file(&tmp);
    let result = store::backup::copy_database(store.conn(), &tmp).and_then(|()| {
        let report = verify_file(&tmp)?;
        if !report.ok() {
            return Err(Error::check_failed(format!(
                "the copy fails verify ({}); the database itself is damaged or was changed outside vetter, so no backup was written",
                summary(&report)
            ))
            .with_hint("run `vetter verify` to see each problem"));
        }
        std::fs::rename(&tmp, file).map_err(|e| {
            Error::user(format!("cannot write '{}': {e}", file.display()))
        })?;
        Ok(report)
    });
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    let report = result?;
    let size = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    output::note(format!(
        "backed up '{}' to '{}' ({size} bytes); verified: {}",
        env.db_path.display(),
        file.display(),
        summary(&report)
    ));
    Ok(())
}

pub fn restore(env: &Env, file: &Path) -> Result<()> {
    if !file.is_file() {
        return Err(
            Error::user(format!("no backup file at '{}'", file.display()))
                .with_hint("pass a file written by `vetter backup`"),
        );
    }
    if same_file(file, &env.db_path) {
        return Err(
            Error::user(format!("'{}' is the database itself", file.display()))
                .with_hint("pass a backup file"),
        );
    }
    // Verified before anything is touched: a backup that fails is refused.
    let report = verify_file(file).map_err(|e| {
        Error::user(format!(
            "'{}' cannot be restored: {}",
            file.display(),
            e.message
        ))
        .with_hint("pass a file written by `vetter backup`")
    })?;
    if !report.ok() {
        let first = &report.problems[0];
        return Err(Error::user(format!(
            "'{}' fails verify and was not restored: {} problem{}, the first: {}: {}",
            file.display(),
            report.problems.len(),
            if report.problems.len() == 1 { "" } else { "s" },
            first.location,
            first.what
        ))
        .with_hint("restore another backup; the database was not changed"));
    }
    let backup = rusqlite::Connection::open_with_flags(
        file,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    let existed = env.db_path.exists();
    let mut live = Store::open(&env.db_path, Access::Write)?;
    let kept = if existed {
        let aside = store::backup::beside(&env.db_path, "before-restore");
        store::backup::copy_database(live.conn(), &aside)?;
        Some(aside)
    } else {
        None
    };
    store::backup::overwrite_database(&backup, live.conn_mut())?;
    drop(live);
    // The restored file is a vetter database again: open it as one (this
    // also upgrades an older schema, keeping a copy as any upgrade does).
    Store::open(&env.db_path, Access::Write)?;
    output::note(format!(
        "restored '{}' from '{}' ({}){}",
        env.db_path.display(),
        file.display(),
        summary(&report),
        kept.map(|k| format!("; the database it replaced is kept at '{}'", k.display()))
            .unwrap_or_default()
    ));
    Ok(())
}

/// Opens a database file read-only as a vetter database and checks it.
fn verify_file(file: &Path) -> Result<DatabaseReport> {
    let store = Store::open_checked_copy(file)?;
    integrity::check_database(&store)
}

fn summary(report: &DatabaseReport) -> String {
    if !report.ok() {
        return format!(
            "{} problem{}",
            report.problems.len(),
            if report.problems.len() == 1 { "" } else { "s" }
        );
    }
    let head = report
        .chain_head
        .as_ref()
        .map_or("empty log".to_string(), |h| {
            format!(
                "chain head event {} sha256 {}",
                h.seq,
                &h.hash[..16.min(h.hash.len())]
            )
        });
    let files = match report.evidence_files {
        1 => "1 evidence file".to_string(),
        n => format!("{n} evidence files"),
    };
    format!(
        "{} events, {head}, {files}, {} records match the log",
        report.events, report.records_replayed
    )
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}
