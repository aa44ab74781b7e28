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

/// The files SQLite may keep beside a database file while it writes it.
pub const SIDE_FILES: [&str; 3] = ["-journal", "-wal", "-shm"];

/// Copies the database `source` is connected to into a new file `dest`
/// (mode 0600), as one self-contained file (rollback journal, not WAL). The
/// copy is written under a temporary name and renamed into place, so `dest`
/// never holds a partial copy. Refuses an existing `dest`. For the copies
/// kept beside the database (before a restore, before an upgrade).
pub fn copy_database(source: &super::Store, dest: &Path) -> Result<()> {
    let tmp = temporary_beside(dest, "copy");
    let failed = |e: &std::io::Error| {
        crate::error::write_failed(
            dest,
            e,
            "nothing was changed",
            "move the database to a disk with room and pass --db",
        )
    };
    let result = write_copy(source, &tmp, &failed).and_then(|()| {
        if dest.exists() {
            return Err(Error::user(format!("'{}' already exists", dest.display())));
        }
        std::fs::rename(&tmp, dest).map_err(|e| failed(&e))
    });
    if result.is_err() {
        remove_copy(&tmp);
    }
    result
}

/// Replaces the contents of the database `live` is connected to with those
/// of `source`, page by page, inside SQLite's locking: other connections see
/// the old database or the new one, never a mix.
pub fn overwrite_database(source: &super::Store, live: &mut super::Store) -> Result<()> {
    match run_backup(source.sqlite(), live.sqlite_mut()) {
        Ok(true) => Ok(()),
        Ok(false) => Err(stayed_locked()),
        Err(e) => Err(e.into()),
    }
}

/// Writes a copy of the database `source` is connected to into the new
/// file `path` (owner-only, never through a symlink), as one self-contained
/// file, synced. A failure to write it (a full disk, a file-size limit) is
/// reported by `failed`, which names the file the caller is making: the
/// copy may be on another disk than the database.
pub fn write_copy(
    source: &super::Store,
    path: &Path,
    failed: &dyn Fn(&std::io::Error) -> Error,
) -> Result<()> {
    crate::fsutil::create_private_file(path).map_err(|e| failed(&e))?;
    if source.conn().engine() == super::sql::Engine::Postgres {
        // A PostgreSQL register is copied row by row into a new SQLite
        // register: one file an auditor can take offline and verify.
        let mut target = super::Store::open(path, super::Access::Write)?;
        super::copy::copy_register(source, &mut target)?;
        drop(target);
    }
    let mut dest = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| failed(&std::io::Error::other(e.to_string())))?;
    // Only the copy is written here, so a write SQLite fails is the copy's.
    let fault = |e: rusqlite::Error, dest: &Connection| match crate::error::sqlite_write_fault(
        &e,
        super::last_os_error(dest),
    ) {
        Some(io) => failed(&io),
        None => Error::from(e),
    };
    if let Some(source) = source.conn().as_sqlite() {
        match run_backup(source, &mut dest) {
            Ok(true) => {}
            Ok(false) => return Err(stayed_locked()),
            Err(e) => return Err(fault(e, &dest)),
        }
    }
    // The source is in WAL mode and the copy inherits it; a backup file
    // should stand alone, with no -wal beside it.
    let mode: String = dest
        .query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))
        .map_err(|e| fault(e, &dest))?;
    if mode != "delete" {
        return Err(Error::internal(format!(
            "cannot set the copy's journal mode (got {mode})"
        )));
    }
    drop(dest);
    std::fs::File::open(path)
        .and_then(|f| f.sync_all())
        .map_err(|e| failed(&e))
}

/// Removes a copy that was not finished, with SQLite's files beside it.
pub fn remove_copy(path: &Path) {
    let _ = std::fs::remove_file(path);
    for side in SIDE_FILES {
        let mut name = path.as_os_str().to_owned();
        name.push(side);
        let _ = std::fs::remove_file(PathBuf::from(name));
    }
}

/// Copies every page; false when the source stayed locked by another
/// process for 10 seconds.
fn run_backup(source: &Connection, dest: &mut Connection) -> rusqlite::Result<bool> {
    let backup = Backup::new(source, dest)?;
    // All pages in one step: one read snapshot of the source, so a writer
    // in another process cannot make the copy restart or mix two states.
    // A lock held elsewhere is waited for, up to the busy timeout's length.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        match backup.step(-1)? {
            StepResult::Done => return Ok(true),
            StepResult::More => continue,
            _ if std::time::Instant::now() > deadline => return Ok(false),
            _ => std::thread::sleep(std::time::Duration::from_millis(50)),
        }
    }
}

fn stayed_locked() -> Error {
    Error::user("the database stayed locked by another process for 10 seconds")
        .with_hint("run the command again when the other vetter command has finished")
}

/// `.NAME.vetter-WHAT-PID` beside `path`: the copy a backup, a restore, or
/// the copy kept before a restore or an upgrade (`copy`) is making. First
/// removes those an interrupted command of the same kind left in the same
/// directory (SIGKILL, a crash), whatever their NAME, with the files
/// SQLite keeps beside them, once their process is gone; and one of our
/// own pid, left by an earlier process (its journal would be replayed into
/// the new copy).
pub fn temporary_beside(path: &Path, what: &str) -> PathBuf {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let tag = format!(".vetter-{what}-");
    let suffixes = [&[""][..], &SIDE_FILES[..]].concat();
    let left_by = format!("an interrupted {what}");
    crate::fsutil::remove_stale(dir, crate::fsutil::Leftover::File, &left_by, |n| {
        // `.NAME` then the tag: "vetter" in it keeps a user's own
        // `.notes.backup-2024` out.
        let (name, pid) = n.rsplit_once(&tag)?;
        if !name.starts_with('.') || name.len() < 2 {
            return None;
        }
        crate::fsutil::pid_in_name(pid, "", &suffixes)
    });
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let tmp = dir.join(format!(".{name}{tag}{}", std::process::id()));
    remove_copy(&tmp);
    tmp
}
