//! The SQLite engine: one person's register in one file. Opening it (what
//! is at the path, whether it is ours, read-only or not, private or not),
//! its migrations, and what SQLite alone reports (its OS errors, its
//! temporary directory, its own integrity check).

use super::{audit, replay};
use super::{
    backup, end_transaction, schema_version, sql, Access, Store, APPLICATION_ID,
    CHAIN_EXISTING_EVENTS,
};
use crate::error::{Error, ErrorKind, Result};
use rusqlite::{Connection, OpenFlags};
use std::path::Path;
use std::time::Duration;

/// The migrations, in order. Migration N brings `user_version` to N.
/// A unit test checks this list against the files in `migrations/sqlite/`.
pub const MIGRATIONS: &[(&str, &str)] = &[
    (
        "0001_init.sql",
        include_str!("../../migrations/sqlite/0001_init.sql"),
    ),
    (
        "0002_clauses_profile_subprocessors.sql",
        include_str!("../../migrations/sqlite/0002_clauses_profile_subprocessors.sql"),
    ),
    (
        "0003_evidence_questions.sql",
        include_str!("../../migrations/sqlite/0003_evidence_questions.sql"),
    ),
    (
        "0004_review_numbers_preemptive_waivers.sql",
        include_str!("../../migrations/sqlite/0004_review_numbers_preemptive_waivers.sql"),
    ),
    (
        "0005_signoff_and_cycles.sql",
        include_str!("../../migrations/sqlite/0005_signoff_and_cycles.sql"),
    ),
    (
        "0006_hash_chain.sql",
        include_str!("../../migrations/sqlite/0006_hash_chain.sql"),
    ),
    (
        "0007_questionnaires.sql",
        include_str!("../../migrations/sqlite/0007_questionnaires.sql"),
    ),
    (
        "0008_waiver_severity.sql",
        include_str!("../../migrations/sqlite/0008_waiver_severity.sql"),
    ),
    (
        "0009_contracts.sql",
        include_str!("../../migrations/sqlite/0009_contracts.sql"),
    ),
];

/// Why a writable database is opened read-only: the user asked.
const READ_ONLY_FLAG: &str = "--read-only";

impl Store {
    /// Opens the database at `path` and brings its schema up to date. For a
    /// write, a missing file is created (mode 0600); for a read it is refused.
    /// A file that exists but cannot be written (permissions, a read-only
    /// mount) is opened read-only for a read and refused for a write.
    pub fn open(path: &Path, access: Access) -> Result<Store> {
        if path.is_dir() {
            return Err(
                Error::user(format!("database path '{}' is a directory", path.display()))
                    .with_hint("pass a file path with --db, e.g. --db vetter.db"),
            );
        }
        let mut state = file_state(path)?;
        if access == Access::ReadOnly && state == FileState::Writable {
            state = FileState::ReadOnly(READ_ONLY_FLAG.into());
        }
        match (&state, access) {
            (FileState::Missing | FileState::Empty, Access::Read | Access::ReadOnly) => {
                let empty = if state == FileState::Empty {
                    " (the file is empty)"
                } else {
                    ""
                };
                return Err(Error::user(format!(
                    "no database at '{}'{empty}",
                    path.display()
                ))
                .with_hint(
                    "check --db / VETTER_DB, or create one with any write command, e.g. `vetter vendor add NAME`",
                ));
            }
            (FileState::Missing, Access::Write) => create_private_file(path)?,
            (FileState::ReadOnly(why), Access::Write) => {
                return Err(Error::user(format!(
                    "database '{}' is read-only and cannot be written ({why}); this command changes records",
                    path.display()
                ))
                .with_hint("nothing was written; read commands and export still work on it. To write, make the file and its directory writable, or copy it somewhere writable and pass --db"));
            }
            _ => {}
        }
        let read_only = matches!(state, FileState::ReadOnly(_));
        keep_private(path, read_only);
        let conn = if read_only {
            open_read_only(path)?
        } else {
            let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
            Connection::open_with_flags(path, flags).map_err(|e| {
                Error::user(format!("cannot open database '{}': {e}", path.display()))
            })?
        };
        conn.busy_timeout(Duration::from_secs(10))?;
        let mut store = Store {
            db: sql::Db::sqlite(conn),
        };
        // Identify the file before changing anything in it: another program's
        // database is refused untouched, a damaged one is named as such.
        store.check_identity(path)?;
        if access != Access::Write && store.user_version()? == 0 {
            // An empty SQLite file (no tables yet) holds no records either.
            return Err(Error::user(format!(
                "no database at '{}' (the SQLite file has no tables)",
                path.display()
            ))
            .with_hint("check --db / VETTER_DB, or create one with any write command, e.g. `vetter vendor add NAME`"));
        }
        if let FileState::ReadOnly(why) = &state {
            if store.user_version()? < schema_version() {
                return Err(Error::user(format!(
                    "database '{}' has schema version {}, older than this vetter's ({}), and cannot be upgraded: it is read-only ({why})",
                    path.display(),
                    store.user_version()?,
                    schema_version()
                ))
                .with_hint("open it once where it can be written, to upgrade it"));
            }
            // Asked for: no need to say so.
            if why != READ_ONLY_FLAG {
                crate::output::note(format!(
                    "note: '{}' is read-only ({why}); opened it read-only",
                    path.display()
                ));
            }
            return Ok(store);
        }
        let journal: String = store
            .sqlite()
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .map_err(|e| damaged(path, &e.to_string()))?;
        if journal != "wal" {
            return Err(Error::internal(format!(
                "cannot enable WAL on '{}' (got {journal})",
                path.display()
            )));
        }
        store
            .sqlite()
            .execute_batch("PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;")?;
        store.migrate(path)?;
        Ok(store)
    }

    /// An empty register in memory with this binary's schema and none of
    /// its rules against change: the scratch a past moment is rebuilt in
    /// (src/store/as_of.rs), which removes and restores rows the real
    /// register never lets anyone touch. It is never written to disk.
    pub fn in_memory_scratch() -> Result<Store> {
        let conn = Connection::open_in_memory()?;
        let mut store = Store {
            db: sql::Db::sqlite(conn),
        };
        store.migrate(Path::new(":memory:"))?;
        // A slice of the register: the events name vendors it leaves out.
        store.sqlite().execute_batch("PRAGMA foreign_keys = OFF")?;
        let triggers: Vec<String> = store
            .sqlite()
            .prepare("SELECT name FROM sqlite_schema WHERE type = 'trigger'")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for name in triggers {
            store
                .sqlite()
                .execute_batch(&format!("DROP TRIGGER \"{name}\""))?;
        }
        Ok(store)
    }

    /// Opens a file that is not the working database (a backup) read-only,
    /// as a vetter database of this schema, without changing it.
    pub fn open_checked_copy(path: &Path) -> Result<Store> {
        match file_state(path)? {
            FileState::Missing => {
                return Err(Error::user(format!("no file at '{}'", path.display())))
            }
            FileState::Empty => {
                return Err(Error::user(format!(
                    "'{}' is not a vetter database (the file is empty)",
                    path.display()
                )))
            }
            _ => {}
        }
        let conn = open_read_only(path)?;
        conn.busy_timeout(Duration::from_secs(10))?;
        let store = Store {
            db: sql::Db::sqlite(conn),
        };
        store.check_identity(path)?;
        let version = store.user_version()?;
        if version == 0 {
            return Err(Error::user(format!(
                "'{}' is not a vetter database (the SQLite file has no tables)",
                path.display()
            )));
        }
        if version < schema_version() {
            return Err(Error::user(format!(
                "'{}' has schema version {version}, older than this vetter's ({})",
                path.display(),
                schema_version()
            ))
            .with_hint(format!(
                "upgrade a copy of it first: `cp {} upgraded.db && vetter --db upgraded.db verify`",
                path.display()
            )));
        }
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
        // The header was checked by `file_state`; a failure to read the schema
        // now means the pages themselves are damaged.
        let tables: i64 = self
            .sqlite()
            .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
            .map_err(|e| self.unreadable(path, e))?;
        let version = self.user_version()?;
        let known = schema_version();
        if version > known {
            return Err(Error::user(format!(
                "database '{}' has schema version {version}, newer than this vetter supports ({known})",
                path.display()
            ))
            .with_hint("upgrade vetter to open this database; it was written by a newer release"));
        }
        let app_id: i64 = self
            .sqlite()
            .query_row("PRAGMA application_id", [], |r| r.get(0))?;
        if version > 0 && app_id != APPLICATION_ID {
            return Err(not_ours(format!("its application id is {app_id:#x}")));
        }
        if version == 0 && tables > 0 {
            return Err(not_ours("it is another program's SQLite database".into()));
        }
        Ok(())
    }

    /// Why the schema of a file whose header is sound cannot be read: SQLite
    /// could not make or grow the `-shm`/`-wal` files it keeps beside the
    /// database (a full disk, a file-size limit: nothing is wrong with the
    /// database), or else the pages themselves are damaged.
    fn unreadable(&self, path: &Path, e: rusqlite::Error) -> Error {
        use rusqlite::ffi;
        let errno = self.system_errno();
        // `sqlite_write_fault` leaves out the -shm index (mapped memory):
        // here its failures are the point.
        let shm = matches!(
            &e,
            rusqlite::Error::SqliteFailure(code, _)
                if matches!(
                    code.extended_code,
                    ffi::SQLITE_IOERR_SHMSIZE | ffi::SQLITE_IOERR_SHMMAP | ffi::SQLITE_IOERR_SHMOPEN
                )
        );
        let io = match crate::error::sqlite_write_fault(&e, errno) {
            Some(io) => io,
            None if shm && errno != 0 => std::io::Error::from_raw_os_error(errno),
            None if shm => std::io::Error::other(e.to_string()),
            None => return damaged(path, &e.to_string()),
        };
        let (what, fix) = crate::error::storage_fault(io.kind()).unwrap_or((
            "the write failed",
            "check that its directory is writable and has room",
        ));
        Error::user(format!(
            "cannot open database '{}': SQLite cannot write the -shm and -wal files it keeps beside it: {what} ({io})",
            path.display()
        ))
        .with_hint(format!(
            "the database itself is not damaged and nothing was changed; {fix}, then run the command again"
        ))
    }

    /// Applies each pending migration in its own transaction, together with
    /// the `user_version` bump, so a failed migration leaves the old schema.
    /// A database with records is checked first (a damaged one is refused:
    /// migrating would build on broken pages) and copied aside.
    fn migrate(&mut self, path: &Path) -> Result<()> {
        // The common case, an up-to-date database, takes no write lock.
        let from = self.user_version()?;
        if from >= schema_version() {
            return Ok(());
        }
        if from > 0 {
            let problems = self.integrity_problems()?;
            if !problems.is_empty() {
                return Err(damaged(
                    path,
                    &format!(
                        "PRAGMA integrity_check reports: {}; it was not upgraded",
                        problems.join("; ")
                    ),
                ));
            }
            let copy = backup::beside(path, &format!("before-schema-{}", schema_version()));
            backup::copy_database(self, &copy)?;
            crate::output::note(format!(
                "upgrading '{}' from schema {from} to {}; the old database is kept at '{}'",
                path.display(),
                schema_version(),
                copy.display()
            ));
        }
        for (index, (name, sql)) in MIGRATIONS.iter().enumerate() {
            let target = index as i64 + 1;
            self.db.execute_batch("BEGIN IMMEDIATE")?;
            let tx = sql::Tx::new(&self.db);
            let result = (|| -> Result<bool> {
                // Another process may have migrated while we waited for the lock.
                let current: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
                if current >= target {
                    return Ok(false);
                }
                let failed = |e: Error| Error::internal(format!("migration {name} failed: {e}"));
                match sql.split_once(CHAIN_EXISTING_EVENTS) {
                    Some((before, after)) => {
                        tx.execute_batch(before).map_err(failed)?;
                        chain_existing_events(&tx, from)?;
                        tx.execute_batch(after).map_err(failed)?;
                    }
                    None => tx.execute_batch(sql).map_err(failed)?,
                }
                tx.execute_batch(&format!(
                    "PRAGMA user_version = {target}; PRAGMA application_id = {APPLICATION_ID};"
                ))?;
                Ok(true)
            })();
            end_transaction(&self.db, result)?;
        }
        Ok(())
    }

    pub(super) fn system_errno(&self) -> i32 {
        self.db.as_sqlite().map_or(0, last_os_error)
    }

    /// `e`, met by a command that only reads the database: a write SQLite
    /// failed there was not of the database but of one of its temporary
    /// files (a sort too large for memory), so the message names SQLite's
    /// temporary directory and how to choose another.
    pub fn temp_store_fault(&self, e: Error) -> Error {
        let Some(io) = &e.sqlite_write else {
            return e;
        };
        // SQLite reports a file-size limit as a bare "disk I/O error"; the
        // connection kept the OS error.
        let errno = self.system_errno();
        let io = match io.kind() {
            std::io::ErrorKind::Other if errno != 0 => std::io::Error::from_raw_os_error(errno),
            _ => std::io::Error::new(io.kind(), io.to_string()),
        };
        crate::error::temp_store_failed(&io, sqlite_temp_dir().as_deref())
    }

    /// A write that failed on a file operation says which: SQLite reports a
    /// full file-size limit or quota as a bare "disk I/O error", and keeps
    /// the OS error that says which it was.
    pub(super) fn name_write_fault(&self, e: Error, errno_before: i32) -> Error {
        let errno = self.system_errno();
        let fresh = errno != 0 && errno != errno_before;
        if !fresh || !matches!(e.kind, ErrorKind::User | ErrorKind::Internal) {
            return e;
        }
        crate::error::database_write_failed(errno).unwrap_or(e)
    }

    /// The SQLite connection, for what only SQLite has (PRAGMAs, the
    /// backup API, blob I/O).
    pub(crate) fn sqlite(&self) -> &Connection {
        self.db.as_sqlite().expect("a SQLite register")
    }

    /// The connection itself, for whole-database operations (restore).
    pub(crate) fn sqlite_mut(&mut self) -> &mut Connection {
        self.db.as_sqlite_mut().expect("a SQLite register")
    }
}

/// The OS error (errno) of `conn`'s last failed file operation, kept by
/// SQLite; 0 if none has failed.
pub(crate) fn last_os_error(conn: &Connection) -> i32 {
    // SAFETY: the handle is valid while `conn` lives; the call only reads a
    // field of the connection.
    unsafe { rusqlite::ffi::sqlite3_system_errno(conn.handle()) }
}

/// The directory SQLite puts its temporary files in, found as SQLite finds
/// it (unixTempFileDir in os_unix.c): the first of $SQLITE_TMPDIR, $TMPDIR,
/// /var/tmp, /usr/tmp, /tmp and the current directory that is a directory
/// this process may write to.
pub fn sqlite_temp_dir() -> Option<std::path::PathBuf> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let from_env = ["SQLITE_TMPDIR", "TMPDIR"]
            .into_iter()
            .filter_map(std::env::var_os)
            .map(std::path::PathBuf::from);
        let fixed = ["/var/tmp", "/usr/tmp", "/tmp", "."]
            .into_iter()
            .map(std::path::PathBuf::from);
        from_env.chain(fixed).find(|dir| {
            let Ok(c) = std::ffi::CString::new(dir.as_os_str().as_bytes()) else {
                return false;
            };
            // SAFETY: `c` is a valid NUL-terminated path; access only checks it.
            dir.is_dir() && unsafe { libc::access(c.as_ptr(), libc::W_OK | libc::X_OK) } == 0
        })
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// Migration 0006's code step: chains the events written before the chain
/// existed, then appends one `schema upgrade` event recording what those
/// events did not (links, digests of imported rows and review snapshots, the
/// findings carried forward), so verify can check those records from now on.
fn chain_existing_events(tx: &sql::Tx, from: i64) -> Result<()> {
    let chained = audit::chain_unchained(tx)?;
    if chained == 0 {
        return Ok(());
    }
    let mut items = serde_json::Map::new();
    for review in replay::reviews(tx)? {
        items.insert(
            review.id.to_string(),
            replay::review_items_digest(tx, review.id)?.into(),
        );
    }
    let carried: serde_json::Map<String, serde_json::Value> = replay::carried_ranges(tx)?
        .into_iter()
        .map(|(review, first, count)| {
            (
                review.to_string(),
                serde_json::json!({ "first": first, "count": count }),
            )
        })
        .collect();
    let snapshot = serde_json::json!({
        "schema": { "from": from, "to": schema_version() },
        "chained_events": chained,
        "evidence_clause_links": replay::evidence_clause_links(tx)?,
        "import_rows_sha256": replay::import_digests(tx)?,
        "review_items_sha256": items,
        "carried": carried,
        "subprocessor_snapshots_sha256": replay::snapshot_digests(tx)?,
    });
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    audit::append(
        tx,
        &audit::NewEvent {
            at: &now,
            real_at: None,
            actor: "vetter",
            command: "schema upgrade",
            entity: "database",
            entity_id: Some(format!("schema {from} to {}", schema_version())),
            vendor_id: None,
            old: None,
            new: Some(snapshot),
        },
    )?;
    Ok(())
}

/// What is at the database path before SQLite opens it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum FileState {
    Missing,
    /// A zero-length file: what SQLite itself would make into a new database.
    Empty,
    /// A SQLite file that can be read and written.
    Writable,
    /// A SQLite file that can be read but not written, and why.
    ReadOnly(String),
}

/// Keeps the database and its -wal and -shm files owner-only. SQLite gives
/// the -wal and -shm files it creates the database file's own mode, whatever
/// the umask, so a database made world-readable (by an older vetter, a copy,
/// `sqlite3` under umask 022) would expose each write. One we may write is
/// made private (0600) with a note; one opened read-only gets a warning.
fn keep_private(path: &Path, read_only: bool) {
    let shown = path.display();
    let Some(mode) = crate::fsutil::exposed_bits(path) else {
        // The side files of a private database are private too, unless they
        // were made while it was not (tightened below on the next write).
        if !read_only {
            tighten_side_files(path);
        }
        return;
    };
    let fix = format!("make it private with `chmod 600 '{shown}'`");
    if read_only {
        crate::output::note(format!(
            "warning: database '{shown}' can be read by other users (mode {mode:o}); {fix}"
        ));
        return;
    }
    match crate::fsutil::make_private(path) {
        Ok(_) => {
            tighten_side_files(path);
            crate::output::note(format!(
                "note: database '{shown}' could be read by other users (mode {mode:o}); made it private (mode {:o})",
                mode & 0o700
            ));
        }
        Err(e) => crate::output::note(format!(
            "warning: database '{shown}' can be read by other users (mode {mode:o}) and vetter cannot change that ({e}); {fix}"
        )),
    }
}

/// Makes existing -wal and -shm files beside `path` owner-only.
fn tighten_side_files(path: &Path) {
    for suffix in ["-wal", "-shm"] {
        let mut side = path.as_os_str().to_owned();
        side.push(suffix);
        let _ = crate::fsutil::make_private(Path::new(&side));
    }
}

/// The 16 bytes every SQLite database file starts with.
const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// Whether the file at `path` is a vetter database by its 100-byte header
/// (SQLite's magic, then vetter's `application_id` at byte 68), read
/// without opening it as a database: how `backup --force` tells an earlier
/// backup from another program's file.
pub fn is_vetter_database_file(path: &Path) -> std::io::Result<bool> {
    use std::io::Read;
    let mut header = Vec::with_capacity(100);
    std::fs::File::open(path)?
        .take(100)
        .read_to_end(&mut header)?;
    Ok(header.len() == 100
        && header.starts_with(SQLITE_MAGIC)
        && i64::from(u32::from_be_bytes([
            header[68], header[69], header[70], header[71],
        ])) == APPLICATION_ID)
}

/// Looks at the file before SQLite does, so each way of failing gets its own
/// message: missing, unreadable, not SQLite at all, cut short, or read-only.
fn file_state(path: &Path) -> Result<FileState> {
    use std::io::Read;
    // A device node, FIFO or socket is never a database: refused before it
    // is opened (a FIFO would block the open; /dev/null would read as an
    // empty file and be "made private", breaking the machine).
    match std::fs::metadata(path) {
        Ok(meta) if !meta.is_file() && !meta.is_dir() => {
            return Err(Error::user(format!(
                "'{}' is {}, not a database file",
                path.display(),
                crate::fsutil::kind_of(&meta)
            ))
            .with_hint(
                "pass the path of a vetter database with --db, or a new file name to create one; nothing was changed",
            ))
        }
        _ => {}
    }
    let mut file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(FileState::Missing),
        Err(e) => {
            return Err(
                Error::user(format!("cannot read database '{}': {e}", path.display()))
                    .with_hint("check the file's permissions, or pass another path with --db"),
            )
        }
    };
    let size = file.metadata()?.len();
    if size == 0 {
        return Ok(FileState::Empty);
    }
    let mut header = Vec::with_capacity(100);
    (&mut file).take(100).read_to_end(&mut header)?;
    if header.len() < 100 || &header[..16] != SQLITE_MAGIC {
        return Err(Error::user(format!(
            "'{}' is not a SQLite database (it is a {size}-byte file of another kind)",
            path.display()
        ))
        .with_hint(
            "pass the path of a vetter database with --db, or a new file name to create one",
        ));
    }
    // Bytes 16-17: page size (1 means 65536); 28-31: pages in the database,
    // valid when 92-95 (version-valid-for) equals 24-27 (change counter).
    let page_size = match u16::from_be_bytes([header[16], header[17]]) {
        1 => 65536,
        n => u64::from(n),
    };
    let pages = u64::from(u32::from_be_bytes([
        header[28], header[29], header[30], header[31],
    ]));
    let header_valid = header[24..28] == header[92..96];
    // While another process checkpoints the WAL or closes the database, the
    // header may for a moment count pages the file does not hold yet: only a
    // shortfall that lasts, with no -wal beside the file, is a cut-short file.
    let short = |size: u64| header_valid && pages > 0 && size < pages * page_size;
    let lasting = short(size)
        && (0..5).all(|_| {
            std::thread::sleep(Duration::from_millis(20));
            let now = std::fs::metadata(path).map(|m| m.len()).unwrap_or(size);
            let mut header_now = Vec::with_capacity(100);
            let read = std::fs::File::open(path)
                .and_then(|f| f.take(100).read_to_end(&mut header_now))
                .is_ok();
            !wal_path(path).exists() && read && header_now == header && short(now)
        });
    if lasting {
        return Err(damaged(
            path,
            &format!(
                "it is truncated: its header says {} bytes, the file has {size}",
                pages * page_size
            ),
        ));
    }
    match std::fs::OpenOptions::new().write(true).open(path) {
        Ok(_) => Ok(FileState::Writable),
        Err(e) => Ok(FileState::ReadOnly(e.to_string())),
    }
}

/// The -wal file SQLite keeps beside a database in WAL mode.
fn wal_path(path: &Path) -> std::path::PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push("-wal");
    std::path::PathBuf::from(name)
}

/// A vetter database (or a SQLite file) whose contents cannot be read back.
fn damaged(path: &Path, detail: &str) -> Error {
    Error::user(format!(
        "database '{}' is damaged: {detail}",
        path.display()
    ))
    .with_hint("restore it from a backup; `sqlite3 FILE .recover` may save what is left")
}

/// Opens a file that cannot be written. A WAL database needs its -shm file,
/// which cannot be made on a read-only mount; then the file is opened as
/// immutable, which is what it is while it sits there.
fn open_read_only(path: &Path) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let cannot =
        |e: rusqlite::Error| Error::user(format!("cannot open database '{}': {e}", path.display()));
    let conn = Connection::open_with_flags(path, flags).map_err(cannot)?;
    if conn
        .query_row("SELECT count(*) FROM sqlite_schema", [], |r| {
            r.get::<_, i64>(0)
        })
        .is_ok()
    {
        return Ok(conn);
    }
    drop(conn);
    // Opened as immutable, SQLite reads the main file alone: commits still
    // in a -wal beside it would silently be missing from what is shown.
    let wal = wal_path(path);
    if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
        crate::output::note(format!(
            "warning: '{}' holds changes not yet written into '{}'; on this read-only location they cannot be read, so what follows may miss the newest records",
            wal.display(),
            path.display()
        ));
    }
    let uri = url::Url::from_file_path(std::path::absolute(path)?)
        .map_err(|()| Error::user(format!("cannot open database '{}'", path.display())))?;
    Connection::open_with_flags(
        format!("{uri}?immutable=1"),
        flags | OpenFlags::SQLITE_OPEN_URI,
    )
    .map_err(cannot)
}

/// Creates an empty database file readable only by its owner (0600), so that
/// vendor contracts and findings are not world-readable. An existing file is
/// left alone.
pub(crate) fn create_private_file(path: &Path) -> Result<()> {
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
    match crate::fsutil::create_private_file(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(Error::user(format!(
            "cannot create database '{}': {e}",
            path.display()
        ))),
    }
}
