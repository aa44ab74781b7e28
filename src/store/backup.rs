//! Whole-database copies with SQLite's online backup API: `vetter backup`,
//! `vetter restore`, and the copy a migration keeps of the old schema. The
//! API reads one consistent snapshot while other processes go on writing
//! (WAL readers do not block writers), unlike copying the file.

use crate::error::{Error, Result};
use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};

/// A free name beside `path` for a copy kept aside, dated by the real clock:
/// `vetter.db.before-restore-20261127T031500Z`, then `...-2`, `...-3`.
pub fn beside(path: &Path, label: &str) -> PathBuf {
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
    let base = format!("{}.{label}-{stamp}", path.display());
    let mut candidate = PathBuf::from(&base);
    let mut n = 2;
    while candidate.exists() {
        candidate = PathBuf::from(format!("{base}-{n}"));
        n += 1;
    }
    candidate
}

/// Copies the database `source` is connected to into a new file `dest`
/// (mode 0600), as one self-contained file (rollback journal, not WAL). The
/// copy is written under a temporary name and renamed into place, so `dest`
/// never holds a partial copy. Refuses an existing `dest`.
pub fn copy_database(source: &Connection, dest: &Path) -> Result<()> {
    let tmp = temporary_beside(dest);
    let result = write_copy(source, &tmp).and_then(|()| {
        if dest.exists() {
            return Err(Error::user(format!("'{}' already exists", dest.display())));
        }
        std::fs::rename(&tmp, dest).map_err(|e| write_error(dest, e))
    });
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Replaces the contents of the database `live` is connected to with those
/// of `source`, page by page, inside SQLite's locking: other connections see
/// the old database or the new one, never a mix.
pub fn overwrite_database(source: &Connection, live: &mut Connection) -> Result<()> {
    run_backup(source, live)
}

fn write_copy(source: &Connection, tmp: &Path) -> Result<()> {
    // Owner-only, new (never through a symlink someone left there).
    crate::fsutil::create_private_file(tmp).map_err(|e| write_error(tmp, e))?;
    let mut dest = Connection::open_with_flags(
        tmp,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| Error::user(format!("cannot write '{}': {e}", tmp.display())))?;
    run_backup(source, &mut dest)?;
    // The source is in WAL mode and the copy inherits it; a backup file
    // should stand alone, with no -wal beside it.
    let mode: String = dest.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
    if mode != "delete" {
        return Err(Error::internal(format!(
            "cannot set the copy's journal mode (got {mode})"
        )));
    }
    drop(dest);
    std::fs::File::open(tmp)
        .and_then(|f| f.sync_all())
        .map_err(|e| write_error(tmp, e))
}

fn run_backup(source: &Connection, dest: &mut Connection) -> Result<()> {
    let backup = Backup::new(source, dest)?;
    // All pages in one step: one read snapshot of the source, so a writer
    // in another process cannot make the copy restart or mix two states.
    // A lock held elsewhere is waited for, up to the busy timeout's length.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        match backup.step(-1)? {
            StepResult::Done => return Ok(()),
            StepResult::More => continue,
            _ if std::time::Instant::now() > deadline => {
                return Err(Error::user(
                    "the database stayed locked by another process for 10 seconds",
                )
                .with_hint("run the command again when the other vetter command has finished"))
            }
            _ => std::thread::sleep(std::time::Duration::from_millis(50)),
        }
    }
}

fn temporary_beside(dest: &Path) -> PathBuf {
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "backup".into());
    dest.with_file_name(format!(".{name}.tmp-{}", std::process::id()))
}

fn write_error(path: &Path, e: std::io::Error) -> Error {
    Error::user(format!("cannot write '{}': {e}", path.display()))
}
