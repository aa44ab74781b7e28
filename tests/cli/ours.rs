//! Never touch what isn't ours: `export --force` replaces only a packet
//! vetter wrote, `--db` never changes a device node, a path is never built
//! from a forged stored value, and every input is read through a bound.
//! Each test reproduces a bug exactly as it was found (issue 19).

use crate::trust::tamper;
use crate::{contains_all, p, T};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

fn mode(path: &Path) -> u32 {
    std::fs::symlink_metadata(path)
        .unwrap()
        .permissions()
        .mode()
        & 0o777
}

/// Every entry under `dir` (relative paths, sorted), hidden ones included.
fn tree(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            out.push(path.strip_prefix(root).unwrap().display().to_string());
            if path.is_dir() && !path.is_symlink() {
                walk(root, &path, out);
            }
        }
    }
    walk(dir, dir, &mut out);
    out.sort();
    out
}

#[track_caller]
fn refused(t: &T, args: &[&str]) -> String {
    let out = t.run(args);
    assert_eq!(
        out.status.code(),
        Some(1),
        "vetter {args:?} should have been refused: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn force_never_deletes_a_directory_that_merely_holds_a_sha256sums() {
    // As reported: mkdir fake; touch fake/SHA256SUMS; echo precious > fake/precious.txt
    let t = T::with_review();
    let fake = t.path("fake");
    std::fs::create_dir(&fake).unwrap();
    std::fs::write(fake.join("SHA256SUMS"), "").unwrap();
    std::fs::write(fake.join("precious.txt"), "precious\n").unwrap();
    std::fs::create_dir(fake.join("sub")).unwrap();
    std::fs::write(fake.join("sub/more.txt"), "more\n").unwrap();
    let before = tree(t.dir.path());
    let err = refused(&t, &["export", "acme", "--out", "fake", "--force"]);
    contains_all(
        &err,
        &["'fake' is not a complete vetter packet", "'precious.txt'"],
    );
    assert_eq!(
        std::fs::read_to_string(fake.join("precious.txt")).unwrap(),
        "precious\n"
    );
    assert_eq!(tree(t.dir.path()), before, "export changed the file system");
}

#[test]
fn force_never_deletes_a_file_a_user_added_to_a_packet() {
    let t = T::with_review();
    t.ok(&["export", "acme", "--out", "pkt"]);
    let pkt = t.path("pkt");
    let sums = std::fs::read(pkt.join("SHA256SUMS")).unwrap();
    // Their notes, then a signature in a folder of its own.
    for (added, shown) in [("notes.txt", "'notes.txt'"), ("sig/packet.sig", "'sig'")] {
        let path = pkt.join(added);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, "mine\n").unwrap();
        let before = tree(t.dir.path());
        let err = refused(&t, &["export", "acme", "--out", "pkt", "--force"]);
        contains_all(&err, &["not a complete vetter packet", shown]);
        assert_eq!(tree(t.dir.path()), before);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "mine\n");
        std::fs::remove_dir_all(pkt.join("sig")).ok();
        std::fs::remove_file(pkt.join("notes.txt")).ok();
    }
    // A file the packet lists, gone: not the packet vetter wrote either.
    std::fs::rename(pkt.join("findings.csv"), t.path("findings.csv")).unwrap();
    let err = refused(&t, &["export", "acme", "--out", "pkt", "--force"]);
    contains_all(&err, &["'findings.csv'", "is missing"]);
    std::fs::rename(t.path("findings.csv"), pkt.join("findings.csv")).unwrap();
    // A symlink in the packet is not the packet's.
    std::os::unix::fs::symlink("/etc/hostname", pkt.join("link")).unwrap();
    let err = refused(&t, &["export", "acme", "--out", "pkt", "--force"]);
    contains_all(&err, &["'link' is a symlink"]);
    std::fs::remove_file(pkt.join("link")).unwrap();
    assert_eq!(std::fs::read(pkt.join("SHA256SUMS")).unwrap(), sums);
}

#[test]
fn force_replaces_a_whole_packet_and_leaves_nothing_behind() {
    let t = T::with_review();
    t.ok(&["export", "acme", "--out", "out/pkt"]);
    t.ok(&[
        "finding",
        "add",
        "acme",
        "dpa.breach-notification",
        "--status",
        "met",
        "--source",
        "dpa",
    ]);
    t.ok(&["export", "acme", "--out", "out/pkt", "--force"]);
    assert_eq!(
        tree(&t.path("out"))
            .iter()
            .filter(|e| !e.starts_with("pkt"))
            .count(),
        0,
        "a temporary or set-aside packet was left: {:?}",
        tree(&t.path("out"))
    );
    let findings = std::fs::read_to_string(t.path("out/pkt/findings.csv")).unwrap();
    assert!(findings.contains("dpa.breach-notification"), "{findings}");
    let check = std::process::Command::new("sha256sum")
        .args(["-c", "--quiet", "SHA256SUMS"])
        .current_dir(t.path("out/pkt"))
        .status()
        .unwrap();
    assert!(check.success());
    // A portfolio (a packet per vendor in sub-directories) too.
    t.ok(&["export", "--all", "--out", "all"]);
    t.ok(&["export", "--all", "--out", "all", "--force"]);
    std::fs::write(t.path("all/acme/mine.txt"), "mine").unwrap();
    let err = refused(&t, &["export", "--all", "--out", "all", "--force"]);
    contains_all(&err, &["'acme/mine.txt' is not listed"]);
}

#[test]
fn a_device_node_fifo_or_socket_is_never_taken_for_a_database() {
    let t = T::new();
    // A private character device like /dev/null (1,3), never the system's.
    let node = t.path("null");
    let made = std::process::Command::new("mknod")
        .args([p(&node), "c", "1", "3"])
        .status()
        .is_ok_and(|s| s.success());
    if made {
        std::fs::set_permissions(&node, std::fs::Permissions::from_mode(0o666)).unwrap();
        let err = refused(&t, &["--db", p(&node), "vendor", "add", "Zeta"]);
        contains_all(&err, &["is a character device, not a database file"]);
        assert_eq!(mode(&node), 0o666, "vetter changed the device's mode");
        // Through a symlink, and for a read.
        std::os::unix::fs::symlink(&node, t.path("db-link")).unwrap();
        refused(&t, &["--db", "db-link", "vendor", "add", "Zeta"]);
        refused(&t, &["--db", p(&node), "vendor", "list"]);
        assert_eq!(mode(&node), 0o666);
    } else {
        eprintln!("SKIP device-node part: mknod is not permitted here (not root)");
    }
    // A FIFO would block the open; it is refused at once instead.
    let fifo = t.path("fifo");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let out = t
        .cmd_via(
            &["timeout", "20"],
            &["--db", p(&fifo), "vendor", "add", "Zeta"],
        )
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    contains_all(&String::from_utf8_lossy(&out.stderr), &["is a FIFO"]);
}

#[test]
fn a_forged_evidence_hash_never_writes_outside_the_packet() {
    let t = T::with_review();
    let report = t.write("report.pdf", "%PDF-1.4\nsoc2\n");
    t.ok(&[
        "evidence",
        "add",
        "acme",
        p(&report),
        "--kind",
        "soc2-type2",
    ]);
    tamper(
        &t,
        "UPDATE evidence SET sha256 = '../../../../outside/pwned'; \
         UPDATE blob SET sha256 = '../../../../outside/pwned';",
    );
    // The export's staging directory is three levels below the test's
    // directory, so the forged path would land in <test>/outside.
    std::fs::create_dir(t.path("outside")).unwrap();
    std::fs::create_dir_all(t.path("a/b")).unwrap();
    let out = t.run(&["export", "acme", "--out", "a/b/pkt"]);
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    contains_all(
        &String::from_utf8_lossy(&out.stderr),
        &[
            "'../../../../outside/pwned'",
            "altered outside vetter",
            "vetter verify",
        ],
    );
    assert_eq!(tree(&t.path("outside")), Vec::<String>::new());
    assert_eq!(
        tree(&t.path("a")),
        vec!["b".to_string()],
        "a packet or its temporary directory was left"
    );
}

#[test]
fn a_forged_vendor_slug_never_writes_outside_a_portfolio() {
    let t = T::with_review();
    tamper(&t, "UPDATE vendor SET slug = '../escape'");
    let out = t.run(&["export", "--all", "--out", "all"]);
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    contains_all(
        &String::from_utf8_lossy(&out.stderr),
        &["'../escape'", "altered"],
    );
    assert!(!t.path("escape").exists());
    assert!(!t.path("all").exists());
}

/// Runs `args` and returns (exit code, the child's peak RSS in KiB), read
/// with wait4 for that one process (which reaps it: std's wait is not used).
#[allow(clippy::zombie_processes)]
fn peak_rss(t: &T, args: &[&str]) -> (Option<i32>, i64) {
    let child = t
        .cmd(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut status = 0;
    // SAFETY: an all-zero rusage is valid; wait4 fills it for our child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as libc::pid_t);
    let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    (code, usage.ru_maxrss)
}

#[test]
fn a_font_that_never_ends_is_read_only_up_to_its_limit() {
    let t = T::with_review();
    t.ok(&["vendor", "add", "Beta", "--slug", "beta"]);
    t.ok(&["review", "start", "beta"]);
    for args in [
        &["export", "acme", "--out", "pkt", "--font", "/dev/zero"][..],
        &[
            "compare",
            "acme",
            "beta",
            "--pdf",
            "c.pdf",
            "--font",
            "/dev/zero",
        ][..],
    ] {
        let (code, kib) = peak_rss(&t, args);
        assert_eq!(code, Some(1), "{args:?}");
        // 64 MiB is the limit, and the buffer is never doubled past it
        // (about 90 MB in all); it reached 5.2 GB when the reader had none.
        assert!(kib < 160 * 1024, "{args:?} peaked at {kib} KiB");
        let err = refused(&t, args);
        contains_all(
            &err,
            &["'/dev/zero' is over the", "64 MiB", "reading stopped there"],
        );
    }
    assert!(!t.path("pkt").exists() && !t.path("c.pdf").exists());
}

#[test]
fn force_overwrites_only_a_file_vetter_wrote() {
    let t = T::with_review();
    t.ok(&["vendor", "add", "Beta", "--slug", "beta"]);
    t.ok(&["review", "start", "beta"]);
    t.ok(&[
        "question",
        "add",
        "acme",
        "dpa.breach-notification",
        "When does the clock start?",
    ]);
    // Each output, written once, is replaced by --force.
    let compare = [
        "compare", "acme", "beta", "--pdf", "c.pdf", "--csv", "c.csv",
    ];
    t.ok(&compare);
    t.ok(&[&compare[..], &["--force"]].concat());
    t.ok(&["question", "export", "acme", "--xlsx", "q.xlsx"]);
    t.ok(&["question", "export", "acme", "--xlsx", "q.xlsx", "--force"]);
    t.ok(&["backup", "b.db"]);
    t.ok(&["backup", "b.db", "--force"]);
    // A user's files of the same names are not vetter's: refused, unchanged.
    let theirs = [
        (
            "mine.pdf",
            "%PDF-1.7\nmy thesis\n",
            &["compare", "acme", "beta", "--pdf", "mine.pdf"][..],
        ),
        (
            "mine.csv",
            "a,b\n1,2\n",
            &["compare", "acme", "beta", "--csv", "mine.csv"][..],
        ),
        (
            "mine.xlsx",
            "PK\u{3}\u{4}not a workbook",
            &["question", "export", "acme", "--xlsx", "mine.xlsx"][..],
        ),
        (
            "mine.db",
            "SQLite format 3\0 another program's",
            &["backup", "mine.db"][..],
        ),
    ];
    for (name, content, args) in theirs {
        t.write(name, content);
        let err = refused(&t, &[args, &["--force"]].concat());
        contains_all(
            &err,
            &[
                &format!("'{name}' is not a"),
                "--force replaces only a file vetter wrote",
            ],
        );
        assert_eq!(std::fs::read_to_string(t.path(name)).unwrap(), content);
    }
    // Nor a device node: renaming over it would replace the device.
    let node = t.path("null");
    if std::process::Command::new("mknod")
        .args([p(&node), "c", "1", "3"])
        .status()
        .is_ok_and(|s| s.success())
    {
        for args in [
            &["compare", "acme", "beta", "--pdf", "null", "--force"][..],
            &["backup", "null", "--force"][..],
        ] {
            let err = refused(&t, args);
            contains_all(&err, &["'null' is a character device"]);
            let meta = std::fs::symlink_metadata(&node).unwrap();
            assert!(std::os::unix::fs::FileTypeExt::is_char_device(
                &meta.file_type()
            ));
        }
    } else {
        eprintln!("SKIP device-node part: mknod is not permitted here (not root)");
    }
}

#[test]
fn man_pages_never_overwrite_through_a_link_or_a_foreign_file() {
    let t = T::new();
    let dir = t.path("man1");
    t.ok(&["man", "--out-dir", p(&dir)]);
    let page = dir.join("vetter-vendor-add.1");
    assert_eq!(mode(&page), 0o644);
    // Written again: vetter's own pages are replaced.
    t.ok(&["man", "--out-dir", p(&dir)]);
    // A symlink planted under a page's name (to a file of someone else's)
    // is not followed: the file it points to is unchanged.
    let victim = t.write("victim.txt", "not a man page\n");
    std::fs::remove_file(&page).unwrap();
    std::os::unix::fs::symlink(&victim, &page).unwrap();
    let err = refused(&t, &["man", "--out-dir", p(&dir)]);
    contains_all(&err, &["'", "vetter-vendor-add.1' is a symlink"]);
    assert_eq!(
        std::fs::read_to_string(&victim).unwrap(),
        "not a man page\n"
    );
    // A page of the same name that vetter did not write is not replaced.
    std::fs::remove_file(&page).unwrap();
    std::fs::write(&page, "my notes\n").unwrap();
    let err = refused(&t, &["man", "--out-dir", p(&dir)]);
    contains_all(&err, &["is not a man page vetter wrote"]);
    assert_eq!(std::fs::read_to_string(&page).unwrap(), "my notes\n");
}

/// A small PDF whose text is huge: `pages` pages all drawing one shared
/// content stream of 60 lines of 100 letters (about 6 KB of text a page).
fn text_bomb_pdf(pages: usize) -> Vec<u8> {
    let mut content = String::from("BT /F1 8 Tf 20 780 Td 12 TL\n");
    for _ in 0..60 {
        content.push_str(&format!("({}) '\n", "A".repeat(100)));
    }
    content.push_str("ET\n");
    let mut objects = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        String::new(), // the page tree, once the kids are known
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
        format!(
            "<< /Length {} >>\nstream\n{content}endstream",
            content.len()
        ),
    ];
    let first_page = objects.len() + 1;
    for _ in 0..pages {
        objects.push(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R \
             /Resources << /Font << /F1 3 0 R >> >> >>"
                .to_string(),
        );
    }
    let kids: Vec<String> = (first_page..first_page + pages)
        .map(|n| format!("{n} 0 R"))
        .collect();
    objects[1] = format!(
        "<< /Type /Pages /Kids [{}] /Count {pages} >>",
        kids.join(" ")
    );
    crate::extraction::pdf_of_objects(&objects)
}

#[test]
fn the_text_of_a_pdf_is_read_only_up_to_its_limit() {
    if std::process::Command::new("pdftotext")
        .arg("-v")
        .output()
        .is_err()
    {
        eprintln!("SKIP: pdftotext (poppler-utils) is not installed; scripts/test installs it");
        return;
    }
    let t = T::with_review();
    // Under 1 MB on disk, about 22 MiB of text: over the 20 MiB DPA limit.
    let pdf = t.write("bomb.pdf", text_bomb_pdf(3_600));
    assert!(std::fs::metadata(&pdf).unwrap().len() < 1 << 20);
    let before = t.dump();
    let (code, kib) = peak_rss(
        &t,
        &["clause", "extract", "acme", "bomb.pdf", "--out", "c.toml"],
    );
    assert_eq!(code, Some(1));
    assert!(kib < 200 * 1024, "clause extract peaked at {kib} KiB");
    let err = refused(
        &t,
        &["clause", "extract", "acme", "bomb.pdf", "--out", "c.toml"],
    );
    contains_all(
        &err,
        &[
            "the text of the PDF",
            "over the DPA text limit",
            "reading stopped there",
        ],
    );
    assert!(!t.path("c.toml").exists());
    assert_eq!(t.dump(), before);
    // The same shape, small, is read whole.
    t.write("small.pdf", text_bomb_pdf(3));
    t.ok(&[
        "clause",
        "extract",
        "acme",
        "small.pdf",
        "--out",
        "small.toml",
    ]);
}

/// Under a file-size limit too small for SQLite's `-shm` index, opening a
/// sound database said it was "damaged"; it names the limit instead.
#[test]
fn a_side_file_that_cannot_grow_is_not_called_a_damaged_database() {
    let t = T::with_review();
    let before = t.dump();
    for side in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{side}", p(&t.db)));
    }
    let limit = crate::faults::ulimit(16);
    let limit: Vec<&str> = limit.iter().map(String::as_str).collect();
    let out = crate::faults::run_via(&t, &limit, &["vendor", "list"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    contains_all(
        &err,
        &[
            "cannot write the -shm and -wal files",
            "ulimit -f",
            "not damaged",
        ],
    );
    assert!(!err.contains("is damaged"), "{err}");
    assert_eq!(t.dump(), before);
}

/// `demo --force` replaces its own database and packet; a file the user put
/// in the packet is refused before the old database is touched.
#[test]
fn demo_force_refuses_before_it_replaces_anything() {
    let t = T::new();
    t.ok(&["demo", "--out", "demo"]);
    t.ok(&["demo", "--out", "demo", "--force"]);
    std::fs::write(t.path("demo/packet/notes.txt"), "mine").unwrap();
    let db_before = std::fs::read(t.path("demo/vetter.db")).unwrap();
    let err = refused(&t, &["demo", "--out", "demo", "--force"]);
    contains_all(&err, &["'notes.txt' is not listed"]);
    assert_eq!(std::fs::read(t.path("demo/vetter.db")).unwrap(), db_before);
    assert_eq!(
        std::fs::read_to_string(t.path("demo/packet/notes.txt")).unwrap(),
        "mine"
    );
}
