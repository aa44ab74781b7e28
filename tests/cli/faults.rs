//! Trusting the records when the machine does not help (issue 11): files
//! private whatever the umask, `--read-only`, and full disks or file-size
//! limits that fail cleanly, changing nothing.

use crate::{contains_all, p, T};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs vetter under `umask 022`, the usual default that makes new files
/// world-readable.
const UMASK_022: &[&str] = &["sh", "-c", "umask 022; exec \"$0\" \"$@\""];

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

pub(crate) fn run_via(t: &T, prefix: &[&str], args: &[&str]) -> Output {
    t.cmd_via(prefix, args).output().expect("run vetter")
}

#[track_caller]
fn ok_via(t: &T, prefix: &[&str], args: &[&str]) -> String {
    let out = run_via(t, prefix, args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "vetter {args:?} failed: {stderr}");
    stderr
}

/// Every file and directory under `dir` (and `dir` itself) is owner-only.
#[track_caller]
fn all_private(dir: &Path) {
    assert_eq!(mode(dir), 0o700, "{}", dir.display());
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            all_private(&path);
        } else {
            assert_eq!(mode(&path), 0o600, "{}", path.display());
        }
    }
}

#[test]
fn every_file_vetter_writes_is_owner_only_under_umask_022() {
    let t = T::new();
    // The shell really applies umask 022: a file it makes is world-readable.
    let control = t.path("control");
    let out = Command::new("sh")
        .args(["-c", "umask 022; : > \"$0\"", p(&control)])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(mode(&control), 0o644);

    let u = UMASK_022;
    ok_via(&t, u, &["vendor", "add", "Acme", "--slug", "acme"]);
    assert_eq!(mode(&t.db), 0o600, "database");
    ok_via(&t, u, &["review", "start", "acme"]);
    // While another connection holds the database open, vetter's -wal and
    // -shm stay on disk to be looked at.
    let held = rusqlite::Connection::open(&t.db).unwrap();
    held.query_row("SELECT count(*) FROM vendor", [], |r| r.get::<_, i64>(0))
        .unwrap();
    let evidence = t.write("report.pdf", b"%PDF-1.4 a SOC 2 report under NDA");
    ok_via(&t, u, &["evidence", "add", "acme", p(&evidence)]);
    for side in ["vetter.db-wal", "vetter.db-shm"] {
        assert_eq!(mode(&t.path(side)), 0o600, "{side}");
    }
    drop(held);

    let copy = t.path("copy.pdf");
    ok_via(&t, u, &["evidence", "get", "1", "--out", p(&copy)]);
    assert_eq!(mode(&copy), 0o600, "evidence get");

    // A packet: the directory, evidence/ and every file; its parent
    // directories made for it too.
    let packet = t.path("packets/2026/acme");
    ok_via(&t, u, &["export", "acme", "--out", p(&packet)]);
    assert!(
        packet.join("evidence").is_dir(),
        "the packet has no evidence/"
    );
    all_private(&t.path("packets"));
    // --all: one directory per vendor.
    let all = t.path("all");
    ok_via(&t, u, &["export", "--all", "--out", p(&all)]);
    assert!(all.join("acme").is_dir());
    all_private(&all);

    // compare's CSV and PDF.
    ok_via(&t, u, &["vendor", "add", "Beta", "--slug", "beta"]);
    ok_via(&t, u, &["review", "start", "beta"]);
    let (csv, pdf) = (t.path("compare.csv"), t.path("compare.pdf"));
    ok_via(
        &t,
        u,
        &[
            "compare",
            "acme",
            "beta",
            "--csv",
            p(&csv),
            "--pdf",
            p(&pdf),
        ],
    );
    assert_eq!((mode(&csv), mode(&pdf)), (0o600, 0o600), "compare");

    // A backup, and the copy a restore keeps of the database it replaces.
    let backup = t.path("backup.db");
    ok_via(&t, u, &["backup", p(&backup)]);
    assert_eq!(mode(&backup), 0o600, "backup");
    ok_via(&t, u, &["restore", p(&backup)]);
    let kept: Vec<_> = std::fs::read_dir(t.dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains("before-restore"))
        .collect();
    assert_eq!(kept.len(), 1);
    assert_eq!(mode(&kept[0]), 0o600, "the database kept by restore");

    // Man pages are documentation for everyone: the usual umask applies.
    let man = t.path("man");
    ok_via(&t, u, &["man", "--out-dir", p(&man)]);
    assert_eq!(mode(&man.join("vetter.1")), 0o644, "man page");
}

#[test]
fn a_world_readable_database_is_made_private_or_warned_about() {
    let t = T::new();
    t.ok(&["vendor", "add", "Acme"]);
    std::fs::set_permissions(&t.db, std::fs::Permissions::from_mode(0o644)).unwrap();
    // SQLite gives the -wal and -shm the database's mode, whatever the umask:
    // a connection opened now makes them world-readable too.
    let held = rusqlite::Connection::open(&t.db).unwrap();
    held.query_row("SELECT count(*) FROM vendor", [], |r| r.get::<_, i64>(0))
        .unwrap();
    let wal = t.path("vetter.db-wal");
    assert_eq!(mode(&wal), 0o644, "SQLite did not copy the database's mode");

    // Read-only: left as it is, with a warning saying how to fix it.
    let err = ok_via(&t, UMASK_022, &["--read-only", "vendor", "list"]);
    contains_all(
        &err,
        &["can be read by other users", "mode 644", "chmod 600"],
    );
    assert_eq!(mode(&t.db), 0o644);

    // Opened for writing (even by a read command): made private, with a note.
    let err = ok_via(&t, UMASK_022, &["vendor", "list"]);
    contains_all(&err, &["could be read by other users", "made it private"]);
    for path in [t.db.clone(), wal, t.path("vetter.db-shm")] {
        assert_eq!(mode(&path), 0o600, "{}", path.display());
    }
    drop(held);
    let err = ok_via(&t, UMASK_022, &["vendor", "list"]);
    assert!(!err.contains("other users"), "{err}");
}

/// The database's bytes and modification time, to show nothing touched it.
fn fingerprint(db: &Path) -> (Vec<u8>, std::time::SystemTime) {
    (
        std::fs::read(db).unwrap(),
        std::fs::metadata(db).unwrap().modified().unwrap(),
    )
}

#[test]
fn read_only_refuses_every_write_before_touching_the_database() {
    let t = T::with_review();
    t.ok(&[
        "question",
        "add",
        "acme",
        "dpa.ai-training",
        "Do you train on our data?",
    ]);
    let evidence = t.write("soc2.pdf", "a report");
    t.ok(&["evidence", "add", "acme", p(&evidence)]);
    let csv = t.write(
        "findings.csv",
        "item,status,source,note,url,owner\ndpa.ownership,met,dpa,ok,,\n",
    );
    let subs = t.write("subs.csv", "name,purpose,location\nAWS,hosting,EU\n");
    // All the WAL folded into the file, and no -wal or -shm left.
    rusqlite::Connection::open(&t.db)
        .unwrap()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
        .unwrap();
    let wal = t.path("vetter.db-wal");
    let shm = t.path("vetter.db-shm");
    let _ = std::fs::remove_file(&wal);
    let _ = std::fs::remove_file(&shm);
    let before = fingerprint(&t.db);
    std::thread::sleep(std::time::Duration::from_millis(20));

    let writes: &[&[&str]] = &[
        &["vendor", "add", "Beta"],
        &["vendor", "edit", "acme", "--tier", "high"],
        &["vendor", "archive", "acme"],
        &["checklist", "add", p(&evidence)],
        &["review", "start", "acme", "--supersede"],
        &["review", "submit", "acme"],
        &["review", "reopen", "acme", "--reason", "more"],
        &[
            "review",
            "decide",
            "acme",
            "--decision",
            "approve",
            "--note",
            "ok",
        ],
        &[
            "finding",
            "add",
            "acme",
            "dpa.ownership",
            "--status",
            "met",
            "--source",
            "dpa",
        ],
        &["import", "findings", "acme", p(&csv)],
        &["profile", "set", "regimes=gdpr"],
        &[
            "clause",
            "add",
            "acme",
            "breach-notification",
            "--hours",
            "48",
        ],
        &["clause", "edit", "1", "--hours", "24"],
        &[
            "subprocessor",
            "add",
            "acme",
            "AWS",
            "--purpose",
            "hosting",
            "--location",
            "EU",
        ],
        &[
            "subprocessor",
            "import",
            "acme",
            p(&subs),
            "--seen",
            "2026-11-01",
        ],
        &[
            "flags",
            "waive",
            "acme",
            "breach.absent",
            "--reason",
            "MSA covers it",
        ],
        &["evidence", "add", "acme", p(&evidence)],
        &["evidence", "link", "1", "--item", "dpa.subprocessors"],
        &["question", "answer", "1", "no"],
        &["question", "close", "1", "--resolution", "accepted"],
        &["question", "reopen", "1"],
        &["demo", "--out", "demo"],
    ];
    for args in writes {
        let mut all = vec!["--read-only"];
        all.extend_from_slice(args);
        let err = t.fails(1, &all);
        contains_all(
            &err,
            &["changes records", "opened read-only", "without --read-only"],
        );
    }
    let out = t
        .cmd(&["vendor", "add", "Beta"])
        .env("VETTER_READ_ONLY", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    contains_all(&String::from_utf8_lossy(&out.stderr), &["opened read-only"]);
    assert!(before == fingerprint(&t.db), "the database was touched");
    assert!(!t.path("demo").exists());
    // Not even a missing database is created.
    let missing = t.path("missing.db");
    t.fails(
        1,
        &["--read-only", "--db", p(&missing), "vendor", "add", "X"],
    );
    assert!(!missing.exists());

    // Reads and export work, and change no record either.
    let list = t.json(&["--read-only", "vendor", "list", "--json"]);
    assert_eq!(list[0]["slug"], "acme");
    for args in [
        &["--read-only", "review", "status", "acme"][..],
        &["--read-only", "flags", "acme"],
        &["--read-only", "log"],
        &["--read-only", "due"],
        &["--read-only", "question", "list", "acme"],
    ] {
        t.ok(args);
    }
    let packet = t.path("packet");
    t.ok(&["--read-only", "export", "acme", "--out", p(&packet)]);
    assert!(packet.join("SHA256SUMS").is_file());
    t.ok(&["--read-only", "export", "--all", "--out", p(&t.path("all"))]);
    assert!(
        before.0 == std::fs::read(&t.db).unwrap(),
        "a read changed the database"
    );
}

/// A dry run writes nothing, so `--read-only` (and VETTER_READ_ONLY) allows
/// it: `clause import --dry-run` and `import questionnaire --dry-run` check
/// everything and leave the file untouched; without --dry-run they are still
/// refused.
#[test]
fn read_only_allows_a_dry_run_which_writes_nothing() {
    let t = T::with_review();
    let clauses = t.write(
        "clauses.toml",
        "vendor = \"acme\"\n\n[[clause]]\nkind = \"breach-notification\"\nsection = \"9.1\"\n[clause.terms]\nhours = 48\n",
    );
    let item = t.item_ids("acme")[5].clone();
    let answers = t.write("sig.csv", "id,answer,comment\nQ-01,No,We do not\n");
    let mapping = t.write(
        "sig.toml",
        format!("questionnaire = \"in-house\"\nversions = [\"2026\"]\nchecklist = \"backend-platform\"\n[[map]]\nquestion = \"Q-01\"\nitem = \"{item}\"\nrelation = \"equal\"\n"),
    );
    let questionnaire = [
        "import",
        "questionnaire",
        "acme",
        p(&answers),
        "--mapping",
        p(&mapping),
    ];
    let clause_import = ["clause", "import", "acme", p(&clauses)];
    rusqlite::Connection::open(&t.db)
        .unwrap()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
        .unwrap();
    let before = fingerprint(&t.db);
    std::thread::sleep(std::time::Duration::from_millis(20));
    for args in [&clause_import[..], &questionnaire] {
        let dry: Vec<&str> = ["--read-only"]
            .iter()
            .chain(args)
            .chain(&["--dry-run"])
            .copied()
            .collect();
        let err = t.ok_stderr(&dry);
        contains_all(&err, &["dry run", "nothing was recorded"]);
        let out = t
            .cmd(&[args, &["--dry-run"][..]].concat())
            .env("VETTER_READ_ONLY", "1")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "VETTER_READ_ONLY=1 {args:?} --dry-run: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let write: Vec<&str> = ["--read-only"].iter().chain(args).copied().collect();
        contains_all(
            &t.fails(1, &write),
            &["changes records", "opened read-only"],
        );
    }
    assert!(
        before == fingerprint(&t.db),
        "a dry run touched the database"
    );
    // Nor does a dry run create a database that is not there.
    let missing = t.path("missing.db");
    t.fails(
        1,
        &[&["--db", p(&missing)][..], &clause_import, &["--dry-run"]].concat(),
    );
    assert!(!missing.exists());
}

/// A copy of the database (WAL folded in) at `dir/vetter.db`.
fn copy_db(t: &T, dir: &Path) -> PathBuf {
    rusqlite::Connection::open(&t.db)
        .unwrap()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
        .unwrap();
    std::fs::create_dir_all(dir).unwrap();
    let copy = dir.join("vetter.db");
    std::fs::copy(&t.db, &copy).unwrap();
    copy
}

/// A mount over a directory of the test's, unmounted when dropped (even
/// when the test fails).
pub(crate) struct Mount(pub(crate) PathBuf);

impl Mount {
    /// Mounts with `mount ARGS... DIR`; None (and the reason printed) when
    /// this machine does not allow it (not root, no CAP_SYS_ADMIN in a
    /// container).
    fn new(test: &str, dir: PathBuf, args: &[&str]) -> Option<Mount> {
        std::fs::create_dir_all(&dir).unwrap();
        let out = Command::new("mount").args(args).arg(&dir).output();
        match out {
            Ok(o) if o.status.success() => Some(Mount(dir)),
            Ok(o) => {
                eprintln!(
                    "SKIP {test}: cannot mount here (mount {args:?}: {})",
                    String::from_utf8_lossy(&o.stderr).trim()
                );
                None
            }
            Err(e) => {
                eprintln!("SKIP {test}: cannot run mount: {e}");
                None
            }
        }
    }

    /// A tmpfs of `size` (e.g. "1m").
    pub(crate) fn tmpfs(test: &str, dir: PathBuf, size: &str) -> Option<Mount> {
        Mount::new(
            test,
            dir,
            &[
                "-t",
                "tmpfs",
                "-o",
                &format!("size={size},mode=0755"),
                "tmpfs",
            ],
        )
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let ok = Command::new("umount")
            .arg(&self.0)
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            // Busy (a process still holds a file): detach it now, gone when released.
            let _ = Command::new("umount").arg("-l").arg(&self.0).status();
        }
    }
}

#[test]
fn export_works_from_a_database_on_a_read_only_mount() {
    let test = "export_works_from_a_database_on_a_read_only_mount";
    let t = T::with_review();
    let evidence = t.write("soc2.pdf", "a report");
    t.ok(&["evidence", "add", "acme", p(&evidence)]);
    let src = t.path("src");
    let db = copy_db(&t, &src);
    let before = std::fs::read(&db).unwrap();
    let Some(mnt) = Mount::new(test, t.path("mnt"), &["--bind", p(&src)]) else {
        return;
    };
    let remount = Command::new("mount")
        .args(["-o", "remount,ro,bind"])
        .arg(&mnt.0)
        .status();
    if !remount.is_ok_and(|s| s.success()) {
        eprintln!("SKIP {test}: cannot remount the bind mount read-only");
        return;
    }
    let ro = mnt.0.join("vetter.db");
    for flag in [&[][..], &["--read-only"]] {
        let out = t.path(&format!("packet{}", flag.len()));
        let mut args = flag.to_vec();
        args.extend_from_slice(&["--db", p(&ro), "export", "acme", "--out", p(&out)]);
        t.ok(&args);
        assert!(out.join("SHA256SUMS").is_file());
        assert!(out.join("evidence").is_dir());
        let mut args = flag.to_vec();
        args.extend_from_slice(&["--db", p(&ro), "vendor", "add", "Beta"]);
        contains_all(&t.fails(1, &args), &["read-only"]);
    }
    drop(mnt);
    assert_eq!(before, std::fs::read(&db).unwrap());
}

/// Runs `args` (a write), expects it to fail cleanly: exit 1 (not a signal),
/// a message with `says` and a hint, and the database unchanged. Returns stderr.
#[track_caller]
fn fails_cleanly(t: &T, prefix: &[&str], args: &[&str], says: &[&str]) -> String {
    let before = t.dump();
    let out = run_via(t, prefix, args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(
        out.status.code(),
        Some(1),
        "vetter {args:?} ended with {:?}: {stderr}",
        out.status
    );
    contains_all(&stderr, says);
    contains_all(&stderr, &["hint: nothing was"]);
    assert_eq!(
        before,
        t.dump(),
        "vetter {args:?} failed but changed the database"
    );
    // Still a working database.
    t.ok(&["vendor", "list"]);
    stderr
}

/// A file-size limit of `kib` KiB on the vetter process (bash's `ulimit -f`
/// counts 1024-byte blocks).
pub(crate) fn ulimit(kib: u64) -> [String; 3] {
    [
        "bash".into(),
        "-c".into(),
        format!("ulimit -f {kib}; exec \"$0\" \"$@\""),
    ]
}

/// A world whose database lives in `dir`, with vendor `acme` under review.
fn review_in(dir: &Path) -> T {
    let mut t = T::new();
    t.db = dir.join("vetter.db");
    t.ok(&["vendor", "add", "Acme", "--slug", "acme", "--data", "pii"]);
    t.ok(&["review", "start", "acme"]);
    t
}

/// About 3 MB of findings, far more than the space left.
pub(crate) fn large_csv(t: &T) -> PathBuf {
    let mut csv = String::from("item,status,source,note,url,owner\n");
    let note = "x".repeat(200);
    for _ in 0..15_000 {
        csv.push_str(&format!("dpa.ownership,met,dpa,{note},,\n"));
    }
    t.write("large.csv", csv)
}

/// 2 MB that does not compress.
pub(crate) fn large_file(t: &T) -> PathBuf {
    let mut bytes = Vec::with_capacity(2 << 20);
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    while bytes.len() < 2 << 20 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        bytes.extend_from_slice(&x.to_le_bytes());
    }
    t.write("large.bin", bytes)
}

#[test]
fn a_full_disk_fails_an_import_and_an_evidence_add_changing_nothing() {
    let test = "a_full_disk_fails_an_import_and_an_evidence_add_changing_nothing";
    let dir = tempfile::tempdir().unwrap();
    let Some(mnt) = Mount::tmpfs(test, dir.path().join("full"), "1m") else {
        return;
    };
    let t = review_in(&mnt.0);
    let csv = large_csv(&t);
    let max = "--max-bytes=100000000";
    let says = [
        "cannot write the database: the disk is full",
        "free some space",
    ];
    fails_cleanly(
        &t,
        &[],
        &["import", "findings", "acme", p(&csv), max],
        &says,
    );
    let big = large_file(&t);
    fails_cleanly(&t, &[], &["evidence", "add", "acme", p(&big), max], &says);
    drop(t);
    drop(mnt);
}

#[test]
fn a_file_size_limit_fails_an_import_and_an_evidence_add_without_a_signal() {
    // Without SIGXFSZ ignored, `ulimit -f` kills vetter mid-write.
    let t = T::with_review();
    let csv = large_csv(&t);
    let big = large_file(&t);
    // Room for the database as it is (a few hundred KiB), not for the new rows.
    let size = std::fs::metadata(&t.db).unwrap().len() / 1024;
    let limit = ulimit(size + 512);
    let prefix: Vec<&str> = limit.iter().map(String::as_str).collect();
    let max = "--max-bytes=100000000";
    let says = ["cannot write the database", "file-size limit", "ulimit -f"];
    fails_cleanly(
        &t,
        &prefix,
        &["import", "findings", "acme", p(&csv), max],
        &says,
    );
    fails_cleanly(
        &t,
        &prefix,
        &["evidence", "add", "acme", p(&big), max],
        &says,
    );
}

/// Expects an export into `out` to fail cleanly: exit 1 with `says`,
/// no packet and no temporary directory left beside it.
#[track_caller]
fn export_fails_cleanly(t: &T, prefix: &[&str], out: &Path, says: &[&str]) {
    let before = t.dump();
    let output = run_via(t, prefix, &["export", "acme", "--out", p(out)]);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(
        output.status.code(),
        Some(1),
        "{:?}: {stderr}",
        output.status
    );
    contains_all(&stderr, says);
    contains_all(&stderr, &["hint: nothing was exported"]);
    assert!(
        !out.exists(),
        "a partial packet was left at {}",
        out.display()
    );
    let parent = out.parent().unwrap();
    let left: Vec<_> = std::fs::read_dir(parent)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().contains(".tmp-"))
        .collect();
    assert!(left.is_empty(), "temporary files left: {left:?}");
    assert_eq!(before, t.dump());
}

#[test]
fn an_export_into_a_full_disk_leaves_no_partial_packet() {
    let test = "an_export_into_a_full_disk_leaves_no_partial_packet";
    let t = T::with_review();
    let big = large_file(&t);
    t.ok(&["evidence", "add", "acme", p(&big), "--max-bytes=100000000"]);

    // A file-size limit: the 2 MB evidence file cannot be written.
    let limit = ulimit(1024);
    let prefix: Vec<&str> = limit.iter().map(String::as_str).collect();
    export_fails_cleanly(
        &t,
        &prefix,
        &t.path("packet"),
        &["file-size limit", "ulimit -f"],
    );

    let Some(mnt) = Mount::tmpfs(test, t.path("full"), "1m") else {
        return;
    };
    export_fails_cleanly(
        &t,
        &[],
        &mnt.0.join("packet"),
        &[
            "the disk is full",
            "free some space",
            "--out on another disk",
        ],
    );
    // The full disk still takes a packet that fits.
    std::fs::remove_file(&big).unwrap();
    let small = T::with_review();
    small.ok(&[
        "export",
        "acme",
        "--out",
        p(&mnt.0.join("small")),
        "--format",
        "csv",
    ]);
}
