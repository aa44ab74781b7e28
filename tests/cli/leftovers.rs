//! What an interrupted or failed write leaves behind (issue 19, items 5 and
//! 6): a backup or restore killed mid-copy leaves files the next one
//! removes; a clause file on a full disk is not left half-written; and a
//! full disk is blamed on the file that was being written, not the database.

use crate::faults::{large_csv, large_file, run_via, ulimit, Mount};
use crate::{contains_all, p, T};
use std::path::Path;
use std::process::{Command, Stdio};

/// `n` bytes that do not compress, different for each `seed`.
fn noise(n: usize, seed: u64) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(n + 8);
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15 ^ seed;
    while bytes.len() < n {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        bytes.extend_from_slice(&x.to_le_bytes());
    }
    bytes
}

/// Vendor `acme` under review in a database of about 60 MB (two evidence
/// files of 30 MB), so that copying it takes long enough to be caught.
fn big_review() -> T {
    let t = T::with_review();
    for seed in 0..2 {
        let file = t.write("evidence.bin", noise(30 << 20, seed));
        t.ok(&["evidence", "add", "acme", p(&file), "--max-bytes=100000000"]);
        std::fs::remove_file(&file).unwrap();
    }
    t
}

/// The names of the hidden entries of `dir`: vetter's temporary files.
fn hidden(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    names.sort();
    names
}

/// Runs `args` and SIGKILLs it the moment a hidden file containing
/// `mark` and ending in "-journal" appears in `dir` (SQLite's journal of
/// a copy being written). False when the command finished first.
fn killed_mid_copy(t: &T, args: &[&str], dir: &Path, mark: &str) -> bool {
    let mut child = t
        .cmd(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    loop {
        if hidden(dir)
            .iter()
            .any(|n| n.contains(mark) && n.ends_with("-journal"))
        {
            child.kill().unwrap(); // SIGKILL
            child.wait().unwrap();
            return true;
        }
        if child.try_wait().unwrap().is_some() {
            return false;
        }
    }
}

/// Kills `args` mid-copy, trying again when it finished too fast to be
/// caught, with `before_each` run before each try; returns the hidden
/// files it left in `dir`.
fn kill_mid_copy(
    t: &T,
    args: &[&str],
    dir: &Path,
    mark: &str,
    mut before_each: impl FnMut(),
) -> Vec<String> {
    for _ in 0..10 {
        before_each();
        if killed_mid_copy(t, args, dir, mark) {
            return hidden(dir);
        }
    }
    panic!("vetter {args:?} always finished before it could be killed");
}

#[test]
fn a_killed_backup_leaves_files_the_next_backup_removes() {
    let t = big_review();
    let dir = t.path("backups");
    std::fs::create_dir(&dir).unwrap();
    let first = dir.join("first.db");
    let left = kill_mid_copy(&t, &["backup", p(&first)], &dir, "first.db", || {
        let _ = std::fs::remove_file(&first);
    });
    assert!(!first.exists(), "a killed backup gave the file its name");
    // The copy, as far as it got, and its journal.
    assert_eq!(left.len(), 2, "{left:?}");

    // A later backup into the same directory, under another name.
    let second = dir.join("second.db");
    let note = t.ok_stderr(&["backup", p(&second)]);
    for name in &left {
        contains_all(&note, &[&format!("removed '{}'", dir.join(name).display())]);
    }
    contains_all(&note, &["left by an interrupted backup", "backed up"]);
    assert_eq!(hidden(&dir), Vec::<String>::new());
    T::at(&second).ok(&["verify"]);
    // Named with one dot: `.first.db...`, not `..first.db...`.
    assert!(left.iter().all(|n| n.starts_with(".first.db.")), "{left:?}");
}

#[test]
fn a_killed_restore_leaves_a_copy_the_next_restore_removes() {
    let t = big_review();
    let backup = t.path("backup.db");
    t.ok(&["backup", p(&backup)]);
    // The log, not `dump`: the rows hold 60 MB of evidence.
    let log = || t.ok(&["log", "--json"]);
    let mut before = String::new();
    let left = kill_mid_copy(
        &t,
        &["restore", p(&backup)],
        t.dir.path(),
        "restore",
        || before = log(),
    );
    assert!(!left.is_empty());
    assert_eq!(
        before,
        log(),
        "a restore killed while staging changed the database"
    );

    let note = t.ok_stderr(&["restore", p(&backup)]);
    for name in &left {
        contains_all(&note, &[&format!("removed '{}'", t.path(name).display())]);
    }
    contains_all(&note, &["left by an interrupted restore", "restored"]);
    assert_eq!(hidden(t.dir.path()), Vec::<String>::new());
    t.ok(&["verify"]);
    assert!(
        left.iter().all(|n| n.starts_with(".vetter.db.")),
        "{left:?}"
    );
}

/// A pid no process has: a child that has exited and been waited for.
fn dead_pid() -> u32 {
    let mut child = Command::new("true").spawn().unwrap();
    let pid = child.id();
    child.wait().unwrap();
    pid
}

#[test]
fn only_vetters_own_leftovers_of_a_finished_process_are_removed() {
    let t = T::with_review();
    let dir = t.path("backups");
    std::fs::create_dir(&dir).unwrap();
    let mut sleeping = Command::new("sleep").arg("60").spawn().unwrap();
    let (alive, dead, ours) = (sleeping.id(), dead_pid(), std::process::id());
    let precious = t.write("precious.txt", "not vetter's");
    let kept = [
        // Whose process is still running: this test, and a `sleep`.
        format!(".a.db.vetter-backup-{ours}"),
        format!(".a.db.vetter-backup-{alive}"),
        format!(".a.db.vetter-backup-{alive}-journal"),
        // Near misses of the pattern.
        format!(".a.db.backup-{dead}"),
        format!("a.db.vetter-backup-{dead}"),
        format!(".a.db.vetter-backup-{dead}x"),
        format!(".a.db.vetter-backup-+{dead}"),
        format!(".a.db.vetter-backup-{dead}-journal2"),
        format!(".vetter-backup-{dead}"),
    ];
    for name in &kept {
        std::fs::write(dir.join(name), "keep me").unwrap();
    }
    // The right name, but a directory and a link: never vetter's copy.
    std::fs::create_dir(dir.join(format!(".b.db.vetter-backup-{dead}"))).unwrap();
    std::os::unix::fs::symlink(&precious, dir.join(format!(".c.db.vetter-backup-{dead}"))).unwrap();
    let removed = [
        format!(".a.db.vetter-backup-{dead}"),
        format!(".a.db.vetter-backup-{dead}-journal"),
        format!(".other.db.vetter-backup-{dead}-wal"),
    ];
    for name in &removed {
        std::fs::write(dir.join(name), "stale").unwrap();
    }

    let note = t.ok_stderr(&["backup", p(&dir.join("new.db"))]);
    sleeping.kill().unwrap();
    sleeping.wait().unwrap();
    for name in &removed {
        assert!(!dir.join(name).exists(), "{name} was kept");
        contains_all(
            &note,
            &[&format!(
                "removed '{}', left by an interrupted backup (process {dead}, no longer running)",
                dir.join(name).display()
            )],
        );
    }
    for name in &kept {
        assert_eq!(
            std::fs::read_to_string(dir.join(name)).unwrap(),
            "keep me",
            "{name}"
        );
    }
    assert!(dir.join(format!(".b.db.vetter-backup-{dead}")).is_dir());
    assert!(dir
        .join(format!(".c.db.vetter-backup-{dead}"))
        .symlink_metadata()
        .is_ok());
    assert_eq!(std::fs::read_to_string(&precious).unwrap(), "not vetter's");
    assert_eq!(note.matches("removed '").count(), removed.len(), "{note}");
}

/// Fills the file system at `dir` to the last byte.
fn fill(dir: &Path) {
    let mut filler = std::fs::File::create(dir.join("filler")).unwrap();
    for chunk in [64 << 10, 4 << 10, 512, 1] {
        let block = vec![0u8; chunk];
        while std::io::Write::write_all(&mut filler, &block).is_ok() {}
    }
}

/// The entries of `dir` other than `except`.
fn entries_but(dir: &Path, except: &[&str]) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !except.contains(&n.as_str()))
        .collect()
}

/// Expects `args` to exit 1 (not a signal) saying each of `says`; returns stderr.
#[track_caller]
fn fails_saying(t: &T, prefix: &[&str], args: &[&str], says: &[&str]) -> String {
    let out = run_via(t, prefix, args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "{:?}: {stderr}", out.status);
    contains_all(&stderr, says);
    stderr
}

const DPA: &str = "Data Processing Agreement\n\n\
    6.2 The Processor shall notify the Controller without undue delay and in any event \
    within 48 hours after becoming aware of a Personal Data Breach.\n";

#[test]
fn clause_files_on_a_full_disk_are_not_left_half_written() {
    let test = "clause_files_on_a_full_disk_are_not_left_half_written";
    let t = T::with_review();
    let dpa = t.write("dpa.txt", DPA);
    let Some(mnt) = Mount::tmpfs(test, t.path("full"), "1m") else {
        return;
    };
    fill(&mnt.0);
    let extracted = mnt.0.join("clauses.toml");
    let err = fails_saying(
        &t,
        &[],
        &["clause", "extract", "acme", p(&dpa), "--out", p(&extracted)],
        &[
            &format!("cannot write '{}': the disk is full", extracted.display()),
            &format!("nothing was written to '{}'", extracted.display()),
            // The agreement itself went into the database, on another disk.
            "stored as evidence #1",
        ],
    );
    assert!(!extracted.exists(), "a partial clause file was left: {err}");
    let exported = mnt.0.join("export.toml");
    let err = fails_saying(
        &t,
        &[],
        &["clause", "export", "acme", "--out", p(&exported)],
        &[
            &format!("cannot write '{}': the disk is full", exported.display()),
            "nothing was written",
        ],
    );
    assert!(!exported.exists(), "a partial clause file was left: {err}");
    assert_eq!(entries_but(&mnt.0, &["filler"]), Vec::<String>::new());
    // With room, the same commands write the whole file.
    std::fs::remove_file(mnt.0.join("filler")).unwrap();
    t.ok(&["clause", "extract", "acme", p(&dpa), "--out", p(&extracted)]);
    contains_all(
        &std::fs::read_to_string(&extracted).unwrap(),
        &["evidence = 1", "breach-notification"],
    );
    drop(t);
    drop(mnt);
}

#[test]
fn a_clause_export_over_the_file_size_limit_writes_no_file() {
    let t = T::with_review();
    // About 50 KB of clause file; the database's -shm needs 32 KiB.
    let quote = "The processor notifies the controller of a breach. ".repeat(1000);
    t.ok(&[
        "clause",
        "add",
        "acme",
        "breach-notification",
        "--hours",
        "48",
        "--quote",
        &quote,
    ]);
    let limit = ulimit(40);
    let prefix: Vec<&str> = limit.iter().map(String::as_str).collect();
    let out = t.path("clauses.toml");
    fails_saying(
        &t,
        &prefix,
        &["clause", "export", "acme", "--out", p(&out)],
        &[
            &format!("cannot write '{}'", out.display()),
            "file-size limit",
            &format!("hint: nothing was written to '{}'", out.display()),
        ],
    );
    assert!(!out.exists(), "a truncated clause file was left");
    assert_eq!(hidden(t.dir.path()), Vec::<String>::new());
}

#[test]
fn a_backup_to_a_full_disk_names_the_backup_not_the_database() {
    let test = "a_backup_to_a_full_disk_names_the_backup_not_the_database";
    let t = T::with_review();
    // A database larger than the room the backup gets.
    let big = large_file(&t);
    t.ok(&["evidence", "add", "acme", p(&big), "--max-bytes=100000000"]);
    let before = t.dump();
    let wrong = "the disk that holds the database";

    let limit = ulimit(1024);
    let prefix: Vec<&str> = limit.iter().map(String::as_str).collect();
    let file = t.path("limited.db");
    let err = fails_saying(
        &t,
        &prefix,
        &["backup", p(&file)],
        &[
            &format!("cannot write '{}'", file.display()),
            "file-size limit",
            "hint: nothing was backed up",
        ],
    );
    assert!(
        !err.contains(wrong) && !err.contains("cannot write the database"),
        "{err}"
    );
    assert!(!file.exists());
    assert_eq!(hidden(t.dir.path()), Vec::<String>::new());

    let Some(mnt) = Mount::tmpfs(test, t.path("full"), "1m") else {
        return;
    };
    let file = mnt.0.join("backup.db");
    let err = fails_saying(
        &t,
        &[],
        &["backup", p(&file)],
        &[
            &format!("cannot write '{}': the disk is full", file.display()),
            "hint: nothing was backed up and the database was not changed; free some space on it, or write the backup to another disk",
        ],
    );
    assert!(
        !err.contains(wrong) && !err.contains("cannot write the database"),
        "{err}"
    );
    assert_eq!(entries_but(&mnt.0, &[]), Vec::<String>::new());
    assert_eq!(before, t.dump());
    drop(t);
    drop(mnt);
}

/// Runs `args` with SQLite's temporary files sent to `tmp`.
fn with_sqlite_tmpdir(t: &T, prefix: &[&str], tmp: &Path, args: &[&str]) -> (i32, String) {
    let out = t
        .cmd_via(prefix, args)
        .env("SQLITE_TMPDIR", tmp)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_read_that_fills_sqlites_temporary_directory_names_it() {
    let test = "a_read_that_fills_sqlites_temporary_directory_names_it";
    let t = T::with_review();
    // Enough findings that listing them in order sorts more than SQLite
    // keeps in memory: it spills to a temporary file.
    let csv = large_csv(&t);
    t.ok(&[
        "import",
        "findings",
        "acme",
        p(&csv),
        "--max-bytes=100000000",
    ]);
    let before = t.dump();
    let packet = t.path("packet");
    let reads: [&[&str]; 2] = [
        &["export", "acme", "--out", p(&packet)],
        &["finding", "list", "acme"],
    ];

    // A file-size limit (SQLite says only "disk I/O error").
    let tmp = t.path("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let limit = ulimit(1024);
    let prefix: Vec<&str> = limit.iter().map(String::as_str).collect();
    for args in reads {
        let (code, err) = with_sqlite_tmpdir(&t, &prefix, &tmp, args);
        assert_eq!(code, 1, "{args:?}: {err}");
        contains_all(
            &err,
            &[
                &format!(
                    "cannot write SQLite's temporary files in '{}' (the database itself is only read)",
                    tmp.display()
                ),
                "file-size limit",
                "hint: the database was not changed; raise the file-size limit",
            ],
        );
        assert!(!err.contains("cannot write the database"), "{err}");
    }
    assert!(!packet.exists());
    assert_eq!(hidden(t.dir.path()), Vec::<String>::new());

    let Some(mnt) = Mount::tmpfs(test, t.path("full"), "64k") else {
        return;
    };
    fill(&mnt.0);
    for args in reads {
        let (code, err) = with_sqlite_tmpdir(&t, &[], &mnt.0, args);
        assert_eq!(code, 1, "{args:?}: {err}");
        contains_all(
            &err,
            &[
                &format!(
                    "cannot write SQLite's temporary files in '{}' (the database itself is only read): the disk is full",
                    mnt.0.display()
                ),
                "run the command with SQLITE_TMPDIR set to a directory on a disk with room",
            ],
        );
        assert!(!err.contains("cannot write the database"), "{err}");
    }
    assert!(!packet.exists());
    assert_eq!(hidden(t.dir.path()), Vec::<String>::new());
    // Pointed at a directory with room, the same export works.
    let (code, err) = with_sqlite_tmpdir(&t, &[], &tmp, reads[0]);
    assert_eq!(code, 0, "{err}");
    assert!(packet.join("SHA256SUMS").is_file());
    assert_eq!(before, t.dump());
    drop(mnt);
}

/// The copy a restore keeps of the database it replaces is made under a
/// temporary name too; one an interrupted restore left is removed by the
/// next, with its journal, once its process is gone.
#[test]
fn a_kept_copy_left_by_an_interrupted_restore_is_removed_by_the_next() {
    let t = T::with_review();
    let backup = t.path("backup.db");
    t.ok(&["backup", p(&backup)]);
    let pid = dead_pid();
    let stale = format!(".vetter.db.before-restore-20261126T090000Z.vetter-copy-{pid}");
    std::fs::write(t.path(&stale), b"half a copy").unwrap();
    std::fs::write(t.path(&format!("{stale}-journal")), b"journal").unwrap();
    // A user's file of a like name stays.
    std::fs::write(t.path(".notes.copy-123"), b"mine").unwrap();
    let note = t.ok_stderr(&["restore", p(&backup)]);
    contains_all(&note, &[&stale, "left by an interrupted copy"]);
    assert!(!t.path(&stale).exists());
    assert!(!t.path(&format!("{stale}-journal")).exists());
    assert!(t.path(".notes.copy-123").exists());
    t.ok(&["verify"]);
}
