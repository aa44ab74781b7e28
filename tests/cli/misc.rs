//! Completions, man page, demo, exit codes.

use crate::{contains_all, p, T};

#[test]
fn completions_and_man_page_are_generated() {
    let t = T::new();
    let bash = t.ok(&["completions", "bash"]);
    contains_all(&bash, &["_vetter", "vendor", "finding"]);
    let zsh = t.ok(&["completions", "zsh"]);
    contains_all(&zsh, &["#compdef vetter"]);
    let man = t.ok(&["man"]);
    contains_all(&man, &[".TH vetter", "VETTER_DB"]);
    assert!(!t.db.exists(), "generating docs must not create a database");
}

#[test]
fn usage_errors_exit_2_and_help_exits_0() {
    let t = T::new();
    t.fails(2, &["frobnicate"]);
    t.fails(2, &["vendor", "add"]);
    t.fails(2, &["finding", "add", "acme", "x", "--status", "met"]);
    contains_all(
        &t.ok(&["--help"]),
        &[
            "vendor",
            "checklist",
            "review",
            "finding",
            "import",
            "log",
            "demo",
        ],
    );
    t.ok(&["--version"]);
}

#[test]
fn demo_builds_a_sample_review_and_refuses_to_overwrite() {
    let t = T::new();
    let out_dir = t.path("demo");
    let out = t.ok(&["demo", "--out", p(&out_dir)]);
    contains_all(
        &out,
        &[
            "Red flags of the DPA",
            "breach.clock-at-confirmation",
            "Demo database:",
            "Nimbus Backend Cloud",
            "backend-platform",
            "Data processing agreement",
        ],
    );
    let db = out_dir.join("vetter.db");
    assert!(db.exists());
    // The demo ends with the audit packet, and says where it is.
    let packet = out_dir.join("packet").canonicalize().unwrap();
    contains_all(&out, &[&format!("Audit packet: {}", packet.display())]);
    let check = std::process::Command::new("sha256sum")
        .args(["-c", "--strict", "SHA256SUMS"])
        .current_dir(&packet)
        .output()
        .unwrap();
    assert!(check.status.success());
    assert!(packet.join("packet.pdf").exists());
    assert_eq!(
        std::fs::read_dir(packet.join("evidence")).unwrap().count(),
        1,
        "the demo's DPA excerpt is in the packet"
    );
    let demo = |args: &[&str]| {
        let mut all = vec!["--db", p(&db)];
        all.extend_from_slice(args);
        t.json(&all)
    };
    let status = demo(&["review", "status", "nimbus", "--json"]);
    assert!(status["totals"]["met"].as_u64().unwrap() > 5);
    assert!(status["totals"]["no-result"].as_u64().unwrap() > 0);
    assert_eq!(
        demo(&["log", "--json"])[0]["actor"],
        "alice",
        "VETTER_USER is honoured by the demo"
    );

    let err = t.fails(1, &["demo", "--out", p(&out_dir)]);
    contains_all(&err, &["not empty", "--force"]);
    t.ok(&["demo", "--out", p(&out_dir), "--force"]);
    // --force never replaces a real database.
    t.ok(&["--db", p(&db), "vendor", "add", "Real Vendor"]);
    let err = t.fails(1, &["demo", "--out", p(&out_dir), "--force"]);
    contains_all(&err, &["not a demo database", "real-vendor"]);
    assert_eq!(
        demo(&["vendor", "list", "--json"])
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let findings = demo(&["finding", "list", "nimbus", "--json"]);
    assert_eq!(
        findings.as_array().unwrap().len() as u64,
        status["totals"]
            .as_object()
            .unwrap()
            .iter()
            .filter(|(k, _)| *k != "no-result")
            .map(|(_, v)| v.as_u64().unwrap())
            .sum::<u64>()
    );
}
