//! `vetter backup FILE` and `vetter restore FILE`: copies of the whole
//! database with SQLite's online backup API, each checked before it is
//! trusted. A backup checks that the copy is sound and holds the chain it
//! copied; a restore runs every check of `vetter verify` on the backup first.

use crate::domain::integrity::{self, DatabaseReport};
use crate::error::{Error, Result};
use crate::output;
use crate::store::{self, Access, Store};
use crate::Env;
use std::path::{Path, PathBuf};

pub fn backup(env: &Env, store: &Store, file: &Path, force: bool) -> Result<()> {
    if file.is_dir() {
        return Err(Error::user(format!("'{}' is a directory", file.display()))
            .with_hint("name the backup file, e.g. backups/vetter-2026-11-27.db"));
    }
    if std::fs::symlink_metadata(file).is_ok() {
        if !force {
            return Err(already_exists(file));
        }
        // --force replaces an earlier backup, never another file.
        super::ours_to_overwrite(file, super::OutputKind::Database)?;
    }
    if env.db.sqlite_path().is_some_and(|db| same_file(file, db)) {
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
    // Copied under a temporary name, checked there, then given its name:
    // FILE is either what it was or a checked copy, never a partial one.
    let tmp = store::backup::temporary_beside(file, "backup");
    // A write that fails is the backup's, on the backup's disk, which may
    // not be the database's.
    let failed = |e: &std::io::Error| {
        crate::error::write_failed(
            file,
            e,
            "nothing was backed up and the database was not changed",
            "write the backup to another disk",
        )
    };
    let result = store::backup::write_copy(store, &tmp, &failed).and_then(|()| {
        let report = check_copy(store, &tmp)?;
        if force {
            std::fs::rename(&tmp, file).map_err(|e| failed(&e))?;
        } else {
            // A link fails rather than replace a file made meanwhile.
            std::fs::hard_link(&tmp, file).map_err(|e| match e.kind() {
                std::io::ErrorKind::AlreadyExists => already_exists(file),
                _ => failed(&e),
            })?;
            std::fs::remove_file(&tmp).map_err(|e| write_error(&tmp, e))?;
        }
        Ok(report)
    });
    if result.is_err() {
        store::backup::remove_copy(&tmp);
    }
    let report = result?;
    let size = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    output::note(format!(
        "backed up '{}' to '{}' ({size} bytes); the copy passes integrity_check and its chain holds {} events up to {}, as in the database (`vetter verify` checks the records themselves)",
        env.db.shown(),
        file.display(),
        report.events,
        head_text(&report)
    ));
    Ok(())
}

/// A copy is sound, its chain is whole, and its head is in the database's
/// own chain (which can only have grown since the copy's snapshot).
fn check_copy(source: &Store, copy: &Path) -> Result<DatabaseReport> {
    let report = integrity::check_structure(&Store::open_checked_copy(copy)?)?;
    if let Some(p) = report.problems.first() {
        return Err(Error::check_failed(format!(
            "the copy fails its checks ({}: {}); no backup was written",
            p.location, p.what
        ))
        .with_hint("run `vetter verify` on the database to see each problem"));
    }
    if let Some(head) = &report.chain_head {
        let source_hash = store::audit::hash_of(source.conn(), head.seq)?.flatten();
        if source_hash.as_deref() != Some(head.hash.as_str()) {
            return Err(Error::internal(format!(
                "the copy's chain head (event {}) is not in the database's log",
                head.seq
            )));
        }
    }
    Ok(report)
}

pub fn restore(env: &Env, file: &Path) -> Result<()> {
    let Some(db_path) = env.db.sqlite_path() else {
        return Err(Error::user(format!(
            "restore replaces a SQLite register; {} is a PostgreSQL one",
            env.db.shown()
        ))
        .with_hint(format!(
            "to load a backup into PostgreSQL, copy it into an empty database: `vetter copy --from {} --to URL`",
            file.display()
        )));
    };
    if !file.is_file() {
        return Err(
            Error::user(format!("no backup file at '{}'", file.display()))
                .with_hint("pass a file written by `vetter backup`"),
        );
    }
    if same_file(file, db_path) {
        return Err(
            Error::user(format!("'{}' is the database itself", file.display()))
                .with_hint("pass a backup file"),
        );
    }
    // The backup is first copied to a private file beside the database:
    // what is verified is exactly what is restored, even if FILE changes.
    let staged = store::backup::temporary_beside(db_path, "restore");
    let result = stage_and_verify(file, &staged).and_then(|report| {
        let kept = put_in_place(env, &staged)?;
        record_restore(env, file, &report)?;
        Ok((report, kept))
    });
    store::backup::remove_copy(&staged);
    let (report, kept) = result?;
    output::note(format!(
        "restored '{}' from '{}' (verified: {} events up to {}, {} evidence file{}, {} records match the log){}",
        env.db.shown(),
        file.display(),
        report.events,
        head_text(&report),
        report.evidence_files,
        if report.evidence_files == 1 { "" } else { "s" },
        report.records_replayed,
        kept.map(|k| format!("; the database it replaced is kept at '{}'", k.display()))
            .unwrap_or_default()
    ));
    Ok(())
}

/// Copies FILE to `staged` and runs every check of `vetter verify` on it.
fn stage_and_verify(file: &Path, staged: &Path) -> Result<DatabaseReport> {
    let cannot = |e: Error| {
        Error::user(format!(
            "'{}' cannot be restored: {}",
            file.display(),
            e.message
        ))
        .with_hint(
            e.hint
                .unwrap_or_else(|| "pass a file written by `vetter backup`".into()),
        )
    };
    let backup = Store::open_checked_copy(file).map_err(cannot)?;
    // Staged beside the database: a full disk there is the database's.
    let failed = |e: &std::io::Error| {
        crate::error::write_failed(
            staged,
            e,
            "nothing was restored and the database was not changed",
            "move the database to a disk with room and pass --db",
        )
    };
    store::backup::write_copy(&backup, staged, &failed)?;
    drop(backup);
    let report = integrity::check_database(&Store::open_checked_copy(staged).map_err(cannot)?)?;
    if let Some(first) = report.problems.first() {
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
    Ok(report)
}

/// Puts the staged copy in place of the database, keeping the database it
/// replaces aside. Returns where that was kept.
fn put_in_place(env: &Env, staged: &Path) -> Result<Option<PathBuf>> {
    let db = env
        .db
        .sqlite_path()
        .expect("restore checked the register is a file");
    if !db.exists() {
        std::fs::rename(staged, db).map_err(|e| write_error(db, e))?;
        return Ok(None);
    }
    let aside = store::backup::beside(db, "before-restore");
    match Store::open(db, Access::Write) {
        // A sound database: copied aside, then overwritten page by page
        // inside SQLite's locking, so other connections see one or the other.
        Ok(mut live) => {
            store::backup::copy_database(&live, &aside)?;
            let backup = Store::open_checked_copy(staged)?;
            store::backup::overwrite_database(&backup, &mut live)?;
        }
        // One that cannot be opened (damaged, cut short) is moved aside
        // whole, with its -wal and -shm, and the copy renamed into place.
        Err(e) => {
            output::note(format!(
                "the database cannot be opened ({}); moving it aside whole",
                e.message
            ));
            for suffix in ["", "-wal", "-shm"] {
                let from = PathBuf::from(format!("{}{suffix}", db.display()));
                if from.exists() {
                    let to = PathBuf::from(format!("{}{suffix}", aside.display()));
                    std::fs::rename(&from, &to).map_err(|e| write_error(&from, e))?;
                }
            }
            std::fs::rename(staged, db).map_err(|e| write_error(db, e))?;
        }
    }
    Ok(Some(aside))
}

/// The restored database's log says it was restored, from what, by whom.
fn record_restore(env: &Env, file: &Path, report: &DatabaseReport) -> Result<()> {
    let sha256 = {
        use sha2::Digest;
        let mut hasher = sha2::Sha256::new();
        std::io::copy(&mut std::fs::File::open(file)?, &mut hasher)?;
        crate::digest::hex(&hasher.finalize())
    };
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let new = serde_json::json!({
        "file": name, "sha256": sha256, "head": report.chain_head,
    });
    let mut store = Store::open_at(&env.db, Access::Write)?;
    store.write(|tx| {
        store::audit::append(
            tx,
            &env.event(
                "restore",
                "database",
                name.clone(),
                None,
                None,
                Some(new.clone()),
            ),
        )?;
        Ok(())
    })
}

fn head_text(report: &DatabaseReport) -> String {
    report
        .chain_head
        .as_ref()
        .map_or("an empty log".to_string(), |h| {
            format!(
                "event {} (sha256 starts {})",
                h.seq,
                &h.hash[..16.min(h.hash.len())]
            )
        })
}

fn already_exists(file: &Path) -> Error {
    Error::user(format!("'{}' already exists", file.display()))
        .with_hint("choose a new file name, or pass --force to replace it")
}

fn write_error(path: &Path, e: std::io::Error) -> Error {
    Error::user(format!("cannot write '{}': {e}", path.display()))
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}
