//! Files only their owner can read. Databases, backups, packets and evidence
//! copies hold contracts and findings, so everything vetter writes is created
//! owner-only (files 0600, directories 0700), whatever the umask.
//!
//! The binary also sets its umask to 0077 at start-up (`harden_process`),
//! which covers what others create for us (SQLite's journal files, a library
//! writing a file); the explicit modes here keep the library private when it
//! is driven by another program.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Owner read and write: the mode of every file vetter creates.
pub const PRIVATE_FILE: u32 = 0o600;
/// Owner only: the mode of every directory vetter creates.
pub const PRIVATE_DIR: u32 = 0o700;

/// Sets up the process for safe writing; called first thing by `main`.
///
/// - umask 0077: nothing created by this process (including SQLite's own
///   -wal and -shm files and temporary files) is group- or world-readable.
/// - SIGXFSZ ignored: by default a process that writes past its file-size
///   limit (`ulimit -f`) is killed by that signal, in the middle of a write,
///   with no message. Ignored, the write fails with EFBIG instead, which
///   SQLite and the export turn into an error that says what happened, and
///   the transaction or packet is rolled back as for a full disk.
pub fn harden_process() {
    #[cfg(unix)]
    // SAFETY: both calls only change process-wide settings; they are made
    // before any thread is started.
    unsafe {
        libc::umask(0o077);
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
}

/// True when no process `pid` exists (so what it left behind is stale).
/// False when it exists, even as another user's, or when that cannot be told.
pub fn process_is_gone(pid: u32) -> bool {
    #[cfg(unix)]
    {
        let Ok(pid) = libc::pid_t::try_from(pid) else {
            return false;
        };
        // SAFETY: signal 0 sends nothing; kill only checks the process.
        let alive = unsafe { libc::kill(pid, 0) } == 0;
        !alive && std::io::Error::last_os_error().raw_os_error() == Some(libc::ESRCH)
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        false
    }
}

/// The pid in a temporary name vetter gives what it is writing,
/// `{prefix}{pid}{suffix}` with `suffix` one of `suffixes` (e.g. `""` and
/// SQLite's `"-journal"`); None for any other name. The pid must be plain
/// digits, so nothing but vetter's own pattern matches.
pub fn pid_in_name(name: &str, prefix: &str, suffixes: &[&str]) -> Option<u32> {
    let rest = name.strip_prefix(prefix)?;
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let (pid, suffix) = rest.split_at(digits);
    if pid.is_empty() || !suffixes.contains(&suffix) {
        return None;
    }
    pid.parse().ok()
}

/// What an interrupted command leaves: a file (a backup's copy) or a
/// directory (an export's packet).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Leftover {
    File,
    Dir,
}

/// Removes what interrupted vetter processes (Ctrl-C, a kill, a crash) left
/// in `dir`: each `kind` of entry (a symlink is never one) whose name
/// `is_ours` recognises as one of vetter's temporary names and maps to a
/// pid, when that pid is not ours and its process is gone, so what a
/// running command is writing is never touched. Says on stderr what it
/// removed (`left_by`: "an interrupted backup"), and returns those paths.
pub fn remove_stale(
    dir: &Path,
    kind: Leftover,
    left_by: &str,
    is_ours: impl Fn(&str) -> Option<u32>,
) -> Vec<PathBuf> {
    let mut removed = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return removed;
    };
    for entry in entries.flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(&is_ours) else {
            continue;
        };
        if pid == std::process::id() || !process_is_gone(pid) {
            continue;
        }
        let path = entry.path();
        // The entry itself, not what a link names.
        let gone = match (kind, std::fs::symlink_metadata(&path)) {
            (Leftover::Dir, Ok(meta)) if meta.is_dir() => std::fs::remove_dir_all(&path),
            (Leftover::File, Ok(meta)) if meta.is_file() => std::fs::remove_file(&path),
            _ => continue,
        };
        if gone.is_ok() {
            crate::output::note(format!(
                "removed '{}', left by {left_by} (process {pid}, no longer running)",
                path.display()
            ));
            removed.push(path);
        }
    }
    removed
}

/// A new file written under a temporary name beside its target
/// (`.NAME.tmp-PID`, owner-only), which takes the target's name only once
/// it is whole and synced (`commit`): the target is never a partial file.
/// Dropped uncommitted, the temporary file is removed.
pub struct NewFile {
    path: PathBuf,
    tmp: PathBuf,
    file: Option<io::BufWriter<File>>,
}

impl NewFile {
    /// Creates the temporary file beside `path`, first removing those an
    /// interrupted write of the same name left.
    pub fn create(path: &Path) -> io::Result<NewFile> {
        let name = path
            .file_name()
            .ok_or_else(|| io::Error::other("not a file name"))?
            .to_string_lossy()
            .into_owned();
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let prefix = format!(".{name}.tmp-");
        remove_stale(dir, Leftover::File, "an interrupted write", |n| {
            pid_in_name(n, &prefix, &[""])
        });
        let tmp = dir.join(format!("{prefix}{}", std::process::id()));
        // Ours by its pid, so left by an earlier process with our pid.
        let _ = std::fs::remove_file(&tmp);
        let file = create_private_file(&tmp)?;
        Ok(NewFile {
            path: path.to_path_buf(),
            tmp,
            file: Some(io::BufWriter::new(file)),
        })
    }

    /// Syncs the file and gives it its name: replacing what is there when
    /// `replace`, else failing with `AlreadyExists` rather than replace a
    /// file that appeared meanwhile.
    pub fn commit(mut self, replace: bool) -> io::Result<()> {
        let file = self.file.take().expect("committed once");
        file.into_inner()
            .map_err(io::IntoInnerError::into_error)?
            .sync_all()?;
        if replace {
            std::fs::rename(&self.tmp, &self.path)
        } else {
            std::fs::hard_link(&self.tmp, &self.path)?;
            std::fs::remove_file(&self.tmp)
        }
    }
}

impl Write for NewFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.file.as_mut().expect("not committed").write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.as_mut().expect("not committed").flush()
    }
}

impl Drop for NewFile {
    fn drop(&mut self) {
        // Removed after a failed commit too (a link made, then an error).
        let _ = std::fs::remove_file(&self.tmp);
    }
}

/// Writes `path` whole or not at all (see `NewFile`): `write` fills the
/// temporary file; `replace` says whether an existing file is replaced.
pub fn write_file_atomically(
    path: &Path,
    replace: bool,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let mut file = NewFile::create(path)?;
    write(&mut file)?;
    file.commit(replace)
}

/// Runs `f` with the umask set to `mask`, then restores it. Only for files
/// meant for everyone (man pages); vetter runs single-threaded there.
pub fn with_umask<T>(mask: u32, f: impl FnOnce() -> T) -> T {
    #[cfg(unix)]
    {
        // SAFETY: umask only changes a process-wide setting.
        let old = unsafe { libc::umask(mask as libc::mode_t) };
        let value = f();
        unsafe { libc::umask(old) };
        value
    }
    #[cfg(not(unix))]
    {
        let _ = mask;
        f()
    }
}

/// Creates a new file (never an existing one, never through a symlink at
/// `path`) readable and writable by its owner only.
pub fn create_private_file(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, PRIVATE_FILE);
    options.open(path)
}

/// Creates one directory (its parent must exist) that only its owner can
/// enter or list.
pub fn create_private_dir(path: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, PRIVATE_DIR);
    builder.create(path)
}

/// The permission bits of `path` that let others than its owner in, if any
/// (e.g. 0o044 for a 0644 file); None for a private or missing file.
pub fn exposed_bits(path: &Path) -> Option<u32> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).ok()?.permissions().mode() & 0o777;
        (mode & 0o077 != 0).then_some(mode)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// Removes group and other permissions from an existing regular file,
/// keeping the owner's. Returns the old mode when it changed anything.
///
/// The mode is changed through the opened file, after checking that it is
/// a regular file: a device node, FIFO or socket (`--db /dev/null`) is never
/// a database, and changing /dev/null's mode would break every other
/// program on the machine.
pub fn make_private(path: &Path) -> io::Result<Option<u32>> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        // O_NONBLOCK: opening a FIFO must not wait for a writer; O_NOFOLLOW
        // is not wanted (a database may be reached through a symlink).
        let file = OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NONBLOCK)
            .open(path)?;
        let meta = file.metadata()?;
        if !meta.is_file() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("it is {}, not a regular file", kind_of(&meta)),
            ));
        }
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 == 0 {
            return Ok(None);
        }
        file.set_permissions(std::fs::Permissions::from_mode(mode & 0o700))?;
        Ok(Some(mode))
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        Ok(None)
    }
}

/// What a file system entry is, in words for a message: "a regular file",
/// "a directory", "a symlink", "a character device", "a FIFO", ...
pub fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    let kind = meta.file_type();
    if kind.is_file() {
        return "a regular file";
    }
    if kind.is_dir() {
        return "a directory";
    }
    if kind.is_symlink() {
        return "a symlink";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_char_device() {
            return "a character device";
        }
        if kind.is_block_device() {
            return "a block device";
        }
        if kind.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    "not a regular file"
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn creates_private_files_and_dirs_and_tightens_open_ones() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f");
        create_private_file(&file).unwrap();
        assert_eq!(mode(&file), 0o600);
        assert!(
            create_private_file(&file).is_err(),
            "an existing file was opened"
        );
        let sub = dir.path().join("d");
        create_private_dir(&sub).unwrap();
        assert_eq!(mode(&sub), 0o700);

        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o664)).unwrap();
        assert_eq!(exposed_bits(&file), Some(0o664));
        assert_eq!(make_private(&file).unwrap(), Some(0o664));
        assert_eq!(mode(&file), 0o600);
        assert_eq!(make_private(&file).unwrap(), None);
    }

    #[test]
    fn only_vetters_exact_temporary_names_give_a_pid() {
        let suffixes = ["", "-journal"];
        let pid = |n| pid_in_name(n, ".a.db.tmp-", &suffixes);
        assert_eq!(pid(".a.db.tmp-42"), Some(42));
        assert_eq!(pid(".a.db.tmp-42-journal"), Some(42));
        for other in [
            ".a.db.tmp-",
            ".a.db.tmp-+42",
            ".a.db.tmp-42x",
            ".a.db.tmp-42-wal",
            ".a.db.tmp--42",
            "a.db.tmp-42",
            ".b.db.tmp-42",
            ".a.db.tmp-99999999999",
        ] {
            assert_eq!(pid(other), None, "{other}");
        }
    }

    #[test]
    fn a_new_file_takes_its_name_only_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.toml");
        let names = || -> Vec<String> {
            let mut n: Vec<String> = std::fs::read_dir(dir.path())
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            n.sort();
            n
        };
        // A failure part-way leaves neither the file nor its temporary.
        let failed = write_file_atomically(&path, false, |w| {
            w.write_all(b"half")?;
            Err(io::Error::other("disk full"))
        });
        assert!(failed.is_err());
        assert_eq!(names(), Vec::<String>::new());
        write_file_atomically(&path, false, |w| w.write_all(b"one")).unwrap();
        assert_eq!(mode(&path), 0o600);
        // Never replaced unless asked.
        let refused = write_file_atomically(&path, false, |w| w.write_all(b"two"));
        assert_eq!(refused.unwrap_err().kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read(&path).unwrap(), b"one");
        write_file_atomically(&path, true, |w| w.write_all(b"three")).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"three");
        assert_eq!(names(), vec!["out.toml".to_string()]);
    }
}
