//! Bounded input (issue 11): every file is read up to its cap and no
//! further, whatever the file is (/dev/zero, a pipe), and every text value
//! has a size cap, on the command line and in each CSV cell alike.

use crate::{contains_all, p, T};
use std::io::Write;
use std::process::Stdio;
use std::time::{Duration, Instant};

/// Runs vetter under an address-space limit of 1 GiB when `prlimit` is
/// installed: reading /dev/zero whole would abort on allocation instead of
/// refusing with a message. Expects exit 1 fast and nothing written.
fn refused_bounded(t: &T, args: &[&str]) -> String {
    let before = t.dump();
    let started = Instant::now();
    let has_prlimit = std::process::Command::new("prlimit")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let prefix: &[&str] = if has_prlimit {
        &["prlimit", "--as=1073741824"]
    } else {
        &[]
    };
    let out = t.cmd_via(prefix, args).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(1), "vetter {args:?}: {err}");
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "vetter {args:?} took {:?}",
        started.elapsed()
    );
    assert_eq!(before, t.dump(), "vetter {args:?} changed the database");
    err
}

#[test]
fn endless_files_are_refused_at_their_cap_not_read_whole() {
    let t = T::with_review();
    let err = refused_bounded(&t, &["import", "findings", "acme", "/dev/zero"]);
    contains_all(
        &err,
        &[
            "'/dev/zero' is over the import limit of 104857600 bytes (100 MiB)",
            "more than 104857600 bytes arrived",
            "--max-bytes",
        ],
    );
    let err = refused_bounded(
        &t,
        &[
            "subprocessor",
            "import",
            "acme",
            "/dev/zero",
            "--seen",
            "2026-11-01",
        ],
    );
    contains_all(&err, &["over the import limit of 104857600 bytes"]);
    for verb in ["validate", "add"] {
        let err = refused_bounded(&t, &["checklist", verb, "/dev/zero"]);
        contains_all(
            &err,
            &["'/dev/zero' is over the checklist limit of 4194304 bytes (4 MiB)"],
        );
    }
}

#[test]
fn a_pipe_cannot_bypass_max_bytes() {
    let t = T::with_review();
    let item = &t.item_ids("acme")[0];
    let mut csv = String::from("item,status,source\n");
    while csv.len() < 5000 {
        csv.push_str(&format!("{item},met,docs\n"));
    }
    let before = t.dump();
    let mut child = t
        .cmd(&[
            "import",
            "findings",
            "acme",
            "/dev/stdin",
            "--max-bytes",
            "1000",
        ])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // vetter stops reading at the cap and exits, so a write may meet a closed pipe.
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(csv.as_bytes());
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    contains_all(
        &err,
        &[
            "'/dev/stdin' is over the import limit of 1000 bytes",
            "more than 1000 bytes arrived",
        ],
    );
    assert_eq!(before, t.dump());

    // The same rows under the cap come through a pipe fine.
    let small = format!("item,status,source\n{item},met,docs\n");
    let mut child = t
        .cmd(&[
            "import",
            "findings",
            "acme",
            "/dev/stdin",
            "--max-bytes",
            "1000",
        ])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(small.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_huge_csv_cell_is_refused_by_row_column_and_size_without_echoing_it() {
    let t = T::with_review();
    let item = &t.item_ids("acme")[0];
    let note = "A".repeat(10 * 1024 * 1024);
    let file = t.write(
        "big.csv",
        format!("item,status,source,note\n{item},met,docs,short\n{item},met,docs,{note}\n"),
    );
    let err = t.refused(&["import", "findings", "acme", p(&file)]);
    contains_all(
        &err,
        &[
            "line 3, column 'note'",
            "10485760 bytes",
            "over the limit of 65536 bytes (64 KiB)",
            "nothing was imported",
        ],
    );
    assert!(
        err.len() < 2000,
        "the message echoes the cell: {} bytes",
        err.len()
    );

    // Any column: a 100 KB item id is refused by size, not looked up.
    let file = t.write(
        "item.csv",
        format!("item,status,source\n{},met,docs\n", "x".repeat(100_000)),
    );
    let err = t.refused(&["import", "findings", "acme", p(&file)]);
    contains_all(&err, &["line 2, column 'item'", "100000 bytes"]);
    assert!(err.len() < 2000);

    // Subprocessor names are names: at most 200 characters.
    let file = t.write(
        "subs.csv",
        format!("name,purpose,location\n{},Hosting,EU\n", "S".repeat(201)),
    );
    let err = t.refused(&[
        "subprocessor",
        "import",
        "acme",
        p(&file),
        "--seen",
        "2026-11-01",
    ]);
    contains_all(
        &err,
        &["line 2", "201 characters long, over the limit of 200"],
    );
}

#[test]
fn text_options_have_a_size_cap_naming_both_sizes() {
    let t = T::with_review();
    let item = &t.item_ids("acme")[0];
    let long = "n".repeat(64 * 1024 + 1);
    let err = t.refused(&[
        "finding", "add", "acme", item, "--status", "met", "--source", "docs", "--note", &long,
    ]);
    contains_all(
        &err,
        &[
            "--note is 65537 bytes, over the limit of 65536 bytes (64 KiB)",
            "evidence",
        ],
    );
    let at_cap = "n".repeat(64 * 1024);
    t.ok(&[
        "finding", "add", "acme", item, "--status", "met", "--source", "docs", "--note", &at_cap,
    ]);
    let err = t.refused(&["question", "add", "acme", item, &long]);
    contains_all(&err, &["question text is 65537 bytes"]);
    let err = t.refused(&["vendor", "add", &"V".repeat(201)]);
    contains_all(
        &err,
        &["vendor name is 201 characters long, over the limit of 200"],
    );
    // The hint reads as English: "an actor", "a vendor name".
    let err = t.refused(&["vendor", "add", "Beta", "--as", &"a".repeat(201)]);
    contains_all(&err, &["an actor (--as / VETTER_USER) is at most 200"]);
    let url = format!("https://example.com/{}", "p".repeat(2048));
    let err = t.refused(&["vendor", "edit", "acme", "--website", &url]);
    contains_all(
        &err,
        &["--website is 2068 bytes long, over the limit of 2048 bytes"],
    );
}

#[test]
fn each_file_limit_is_named_in_plain_words() {
    // "over the a questionnaire limit" once: each limit name reads after "the".
    let t = T::with_review();
    let cases: [(&[&str], &str); 4] = [
        (
            &["import", "questionnaire", "acme", "/dev/zero"],
            "'/dev/zero' is over the questionnaire limit of 20971520 bytes (20 MiB)",
        ),
        (
            &["mapping", "validate", "/dev/zero"],
            "'/dev/zero' is over the mapping limit of 4194304 bytes (4 MiB)",
        ),
        (
            &["clause", "extract", "acme", "/dev/zero"],
            "'/dev/zero' is over the DPA file limit of 20971520 bytes (20 MiB)",
        ),
        (
            &["clause", "import", "acme", "/dev/zero"],
            "'/dev/zero' is over the clause file limit of 4194304 bytes (4 MiB)",
        ),
    ];
    for (args, says) in cases {
        let err = refused_bounded(&t, args);
        contains_all(&err, &[says]);
        assert!(!err.contains("the a "), "{err}");
    }
}
