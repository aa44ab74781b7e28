//! The same records give the same bytes on both engines: the demo's
//! register (a decided review with findings, clauses, evidence, questions,
//! subprocessors and waivers) is copied from SQLite into PostgreSQL with
//! `vetter copy`, then every `--json`, every CSV and the packet (PDF,
//! SHA256SUMS and all) are read from both and compared byte for byte.
//! Runs when the suite runs on PostgreSQL (VETTER_TEST_ENGINE=postgres).

use super::*;

/// The demo's register in a SQLite file, and an empty PostgreSQL register
/// it is copied into (as the superuser: a copy writes others' records).
fn both() -> Option<(T, T)> {
    if !engine::postgres_only() {
        return None;
    }
    let sqlite = super::trust::demo();
    // A second candidate, so that compare has two to put side by side.
    sqlite.ok(&[
        "vendor",
        "add",
        "Other Cloud",
        "--slug",
        "other",
        "--hosting",
        "paas",
        "--data",
        "pii",
    ]);
    sqlite.ok(&["review", "start", "other", "--due", "2026-12-31"]);
    let pg = T::new();
    let name = pg.pg.clone().unwrap();
    let out = sqlite
        .cmd(&[
            "copy",
            "--from",
            p(&sqlite.db),
            "--to",
            &engine::server().admin_url(&name),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "copy failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some((sqlite, pg))
}

#[test]
fn every_json_and_csv_is_the_same_on_both_engines() {
    let Some((sqlite, pg)) = both() else { return };
    let reads: &[&[&str]] = &[
        &["vendor", "list", "--all", "--json"],
        &["vendor", "show", "nimbus", "--json"],
        &["review", "status", "nimbus", "--items", "--json"],
        &["review", "list", "nimbus", "--json"],
        &["finding", "list", "nimbus", "--json"],
        &["clause", "list", "nimbus", "--json"],
        &["evidence", "list", "nimbus", "--json"],
        &["question", "list", "--json"],
        &["subprocessor", "list", "nimbus", "--json"],
        &["flags", "nimbus", "--json"],
        &["log", "--json"],
        &["log", "--head"],
        &["due", "--within", "365", "--json"],
        &["verify", "--json"],
        &["profile", "show", "--json"],
    ];
    for args in reads {
        let on_sqlite = sqlite.run(args);
        let on_pg = pg.run(args);
        assert_eq!(
            (
                on_sqlite.status.code(),
                String::from_utf8_lossy(&on_sqlite.stderr)
            ),
            (on_pg.status.code(), String::from_utf8_lossy(&on_pg.stderr)),
            "vetter {args:?}: exit or messages differ"
        );
        assert!(
            on_sqlite.stdout == on_pg.stdout,
            "vetter {args:?} differs:\n--- SQLite\n{}\n--- PostgreSQL\n{}",
            String::from_utf8_lossy(&on_sqlite.stdout),
            String::from_utf8_lossy(&on_pg.stdout)
        );
    }
    // compare's CSV and PDF too.
    for t in [&sqlite, &pg] {
        t.ok(&[
            "compare",
            "nimbus",
            "other",
            "--csv",
            p(&t.path("compare.csv")),
            "--pdf",
            p(&t.path("compare.pdf")),
        ]);
    }
    for file in ["compare.csv", "compare.pdf"] {
        assert!(
            std::fs::read(sqlite.path(file)).unwrap() == std::fs::read(pg.path(file)).unwrap(),
            "{file} differs between the engines"
        );
    }
}

#[test]
fn the_packet_is_byte_identical_on_both_engines() {
    let Some((sqlite, pg)) = both() else { return };
    for t in [&sqlite, &pg] {
        t.ok(&["export", "nimbus", "--out", p(&t.path("packet"))]);
    }
    let files = |t: &T| {
        let mut names: Vec<String> = walk(&t.path("packet"));
        names.sort();
        names
    };
    let names = files(&sqlite);
    assert_eq!(names, files(&pg), "the packets hold different files");
    assert!(names.iter().any(|n| n == "packet.pdf"));
    assert!(names.iter().any(|n| n == "SHA256SUMS"));
    for name in &names {
        let a = std::fs::read(sqlite.path("packet").join(name)).unwrap();
        let b = std::fs::read(pg.path("packet").join(name)).unwrap();
        assert!(a == b, "{name} differs between the engines");
    }
    // And the PostgreSQL register verifies its own packet.
    pg.ok(&["verify", "--packet", p(&pg.path("packet"))]);
}

/// Every file under `dir`, as paths relative to it.
fn walk(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            for inner in walk(&path) {
                out.push(format!(
                    "{}/{inner}",
                    path.file_name().unwrap().to_string_lossy()
                ));
            }
        } else {
            out.push(path.file_name().unwrap().to_string_lossy().into_owned());
        }
    }
    out
}

#[test]
fn copy_carries_the_chain_both_ways_and_refuses_what_it_must() {
    let Some((sqlite, pg)) = both() else { return };
    let head = |t: &T| t.ok(&["log", "--head"]);
    assert_eq!(head(&sqlite), head(&pg));
    pg.ok(&["verify"]);
    // Back out to a new SQLite file, as an auditor's login may.
    let back = sqlite.path("back.db");
    let auditor = engine::AUDITOR;
    let out = pg
        .cmd_as(
            auditor,
            &[
                "copy",
                "--from",
                &pg.db_for(auditor).to_string_lossy(),
                "--to",
                p(&back),
            ],
        )
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let back_t = T::at(&back);
    assert_eq!(head(&back_t), head(&sqlite));
    back_t.ok(&["verify"]);
    // Into a register that holds records: refused, and it is unchanged.
    let before = pg.dump();
    let admin = engine::server().admin_url(pg.pg.as_ref().unwrap());
    let out = sqlite
        .cmd(&["copy", "--from", p(&sqlite.db), "--to", &admin])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not empty"));
    assert_eq!(before, pg.dump());
    // Into PostgreSQL as an ordinary login: refused, nothing copied.
    let empty = T::new();
    let out = sqlite
        .cmd(&[
            "copy",
            "--from",
            p(&sqlite.db),
            "--to",
            &empty.db_for("alice").to_string_lossy(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    contains_all(
        &String::from_utf8_lossy(&out.stderr),
        &["needs a superuser"],
    );
    assert_eq!(empty.sql_count("SELECT count(*) FROM audit_event"), 0);
    // A failed copy leaves no new SQLite file behind.
    let target = sqlite.path("never.db");
    let out = sqlite
        .cmd(&[
            "copy",
            "--from",
            "postgresql://nobody:x@127.0.0.1:1/none",
            "--to",
            p(&target),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    assert!(!target.exists());
}
