//! `vetter evidence ...` and `vetter verify`.

use crate::{contains_all, p, T};

fn sha256_of(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn files_are_stored_by_content_and_come_back_byte_for_byte() {
    let t = T::with_review();
    let content: Vec<u8> = (0..300_000u32).flat_map(|i| i.to_le_bytes()).collect();
    let file = t.write("SOC 2 Type II – Acme 2026.pdf", &content);
    let msg = t.ok_stderr(&[
        "evidence",
        "add",
        "acme",
        p(&file),
        "--kind",
        "soc2-type2",
        "--title",
        "SOC 2 Type II report 2026",
        "--source-url",
        "https://trust.acme.example/soc2",
        "--retrieved",
        "2026-11-20",
        "--valid-until",
        "2027-09-30",
        "--period-start",
        "2025-10-01",
        "--period-end",
        "2026-09-30",
        "--opinion",
        "unqualified",
        "--exceptions",
        "2",
        "--cuecs",
        "Customers manage user access; customers enable MFA",
        "--subservice",
        "carve-out",
        "--item",
        "trust.soc2-type2",
    ]);
    contains_all(&msg, &["stored evidence #1", &sha256_of(&content)]);
    let list = t.json(&["evidence", "list", "acme", "--json"]);
    let e = &list[0];
    assert_eq!(e["id"], 1);
    assert_eq!(e["sha256"], sha256_of(&content));
    assert_eq!(e["kind"], "soc2-type2");
    assert_eq!(e["file_name"], "SOC 2 Type II – Acme 2026.pdf");
    assert_eq!(e["valid_until"], "2027-09-30");
    assert_eq!(e["size"], content.len());
    assert_eq!(e["exceptions"], 2);
    assert_eq!(e["items"], serde_json::json!(["trust.soc2-type2"]));
    contains_all(
        &t.ok(&["evidence", "show", "1"]),
        &["period end", "2026-09-30", "carve-out"],
    );

    let out = t.path("copy.pdf");
    t.ok(&["evidence", "get", "1", "--out", p(&out)]);
    assert_eq!(std::fs::read(&out).unwrap(), content);
    // The SOC 2 fields feed the red flags.
    let flags = t.json(&["flags", "acme", "--json"])["flags"].clone();
    let rules: Vec<&str> = flags
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(
        rules.contains(&"soc2.exceptions") && rules.contains(&"soc2.carve-out"),
        "{rules:?}"
    );
    // Item counts in the review status.
    contains_all(
        &t.ok(&["review", "status", "acme", "--items"]),
        &["evidence"],
    );
    let item = t.item("acme", "trust.soc2-type2");
    assert_eq!(item["evidence"], 1);
}

#[test]
fn identical_content_is_stored_once_and_empty_files_warn() {
    let t = T::with_review();
    let a = t.write("dpa-v1.pdf", "%PDF-1.4 the DPA");
    let b = t.write("dpa-copy.pdf", "%PDF-1.4 the DPA");
    t.ok(&["evidence", "add", "acme", p(&a), "--kind", "dpa"]);
    let msg = t.ok_stderr(&["evidence", "add", "acme", p(&b), "--kind", "dpa"]);
    contains_all(
        &msg,
        &[
            "identical content is already stored",
            "evidence #2 links the existing copy",
        ],
    );
    assert_eq!(t.sql_count("SELECT count(*) FROM blob"), 1);
    assert_eq!(t.sql_count("SELECT count(*) FROM evidence"), 2);
    let empty = t.write("empty.txt", "");
    contains_all(
        &t.ok_stderr(&["evidence", "add", "acme", p(&empty)]),
        &["warning", "empty (0 bytes)"],
    );
}

#[test]
fn page_quotes_are_evidence_without_a_file() {
    let t = T::with_review();
    t.ok(&[
        "evidence",
        "add",
        "acme",
        "--url",
        "https://trust.acme.example/",
        "--quote",
        "SOC 2 Type II, ISO 27001 (expires 2027-03)",
        "--retrieved",
        "2026-11-01",
        "--item",
        "trust.iso27001",
    ]);
    let e = &t.json(&["evidence", "list", "acme", "--json"])[0];
    assert_eq!(e["kind"], "trust-center-snapshot");
    assert_eq!(e["sha256"], serde_json::Value::Null);
    assert_eq!(e["quote"], "SOC 2 Type II, ISO 27001 (expires 2027-03)");
    contains_all(
        &t.refused(&["evidence", "get", "1", "--out", p(&t.path("x"))]),
        &["page quote with no file"],
    );
}

#[test]
fn bad_evidence_input_is_refused_and_writes_nothing() {
    let t = T::with_review();
    contains_all(
        &t.refused(&["evidence", "add", "acme", "missing.pdf"]),
        &["cannot read 'missing.pdf'"],
    );
    contains_all(
        &t.refused(&["evidence", "add", "acme", p(t.dir.path())]),
        &["is a directory"],
    );
    let real = t.write("real.pdf", "content");
    let link = t.path("link.pdf");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    contains_all(
        &t.refused(&["evidence", "add", "acme", p(&link)]),
        &["is a symbolic link", "--follow-symlinks"],
    );
    t.ok(&["evidence", "add", "acme", p(&link), "--follow-symlinks"]);
    let big = t.write("big.bin", vec![7u8; 5000]);
    contains_all(
        &t.refused(&["evidence", "add", "acme", p(&big), "--max-bytes", "4096"]),
        &[
            "is 5000 bytes, over the evidence limit of 4096 bytes",
            "--max-bytes",
        ],
    );
    contains_all(
        &t.refused(&[
            "evidence",
            "add",
            "acme",
            p(&real),
            "--kind",
            "dpa",
            "--opinion",
            "qualified",
        ]),
        &["do not apply to dpa evidence"],
    );
    contains_all(
        &t.refused(&["evidence", "add", "acme", p(&real), "--kind", "certificate"]),
        &["'certificate'", "soc2-type2", "trust-center-snapshot"],
    );
    contains_all(
        &t.refused(&[
            "evidence",
            "add",
            "acme",
            p(&real),
            "--valid-until",
            "2026-02-30",
        ]),
        &["invalid --valid-until"],
    );
    contains_all(
        &t.refused(&[
            "evidence",
            "add",
            "acme",
            p(&real),
            "--valid-from",
            "2027-01-01",
            "--valid-until",
            "2026-12-01",
        ]),
        &["before --valid-from"],
    );
    contains_all(
        &t.refused(&[
            "evidence",
            "add",
            "acme",
            p(&real),
            "--kind",
            "soc2-type2",
            "--exceptions",
            "-1",
        ]),
        &["--exceptions -1 is out of range"],
    );
    contains_all(
        &t.refused(&["evidence", "add", "acme", p(&real), "--item", "trust.soc3"]),
        &["unknown checklist item 'trust.soc3'"],
    );
    contains_all(
        &t.refused(&["evidence", "add", "acme", p(&real), "--clause", "9"]),
        &["unknown clause #9"],
    );
    contains_all(
        &t.refused(&[
            "evidence",
            "add",
            "acme",
            "--url",
            "https://x.example",
            "--quote",
            " ",
        ]),
        &["--quote is empty"],
    );
    t.fails(2, &["evidence", "add", "acme"]);
}

#[test]
fn get_never_overwrites_or_follows_a_symlink() {
    let t = T::with_review();
    let file = t.write("dpa.pdf", "the DPA");
    t.ok(&["evidence", "add", "acme", p(&file), "--kind", "dpa"]);
    let existing = t.write("existing.pdf", "keep me");
    contains_all(
        &t.fails(1, &["evidence", "get", "1", "--out", p(&existing)]),
        &["already exists", "never overwrites"],
    );
    assert_eq!(std::fs::read_to_string(&existing).unwrap(), "keep me");
    let victim = t.write("victim.txt", "do not touch");
    let trap = t.path("trap.pdf");
    std::os::unix::fs::symlink(&victim, &trap).unwrap();
    t.fails(1, &["evidence", "get", "1", "--out", p(&trap)]);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "do not touch");
    let dangling = t.path("dangling.pdf");
    std::os::unix::fs::symlink(t.path("nowhere.pdf"), &dangling).unwrap();
    t.fails(1, &["evidence", "get", "1", "--out", p(&dangling)]);
    assert!(!t.path("nowhere.pdf").exists());
    contains_all(
        &t.fails(
            1,
            &[
                "evidence",
                "get",
                "1",
                "--out",
                p(&t.path("no/such/dir.pdf")),
            ],
        ),
        &["does not exist"],
    );
    // No temporary files are left behind.
    let leftovers: Vec<_> = std::fs::read_dir(t.dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".vetter-"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn links_and_citations_from_findings_and_clauses() {
    let t = T::with_review();
    let dpa = t.write("dpa.pdf", "the DPA text");
    t.ok(&["evidence", "add", "acme", p(&dpa), "--kind", "dpa"]);
    t.ok(&[
        "clause",
        "add",
        "acme",
        "breach-notification",
        "--hours",
        "48",
        "--evidence",
        "1",
        "--page",
        "9",
        "--item",
        "dpa.breach-notification",
    ]);
    t.ok(&[
        "finding",
        "add",
        "acme",
        "dpa.breach-notification",
        "--status",
        "met",
        "--source",
        "dpa",
        "--evidence",
        "1",
        "--page",
        "9",
    ]);
    t.ok(&["evidence", "link", "1", "--item", "dpa.subprocessors"]);
    let e = t.json(&["evidence", "show", "1", "--json"]);
    assert_eq!(e["clauses"], serde_json::json!([1]));
    assert_eq!(e["items"], serde_json::json!(["dpa.subprocessors"]));
    let f = &t.json(&["finding", "list", "acme", "--json"])[0];
    assert_eq!(
        (f["evidence"].as_i64(), f["page"].as_i64()),
        (Some(1), Some(9))
    );
    assert_eq!(
        t.sql_count("SELECT page FROM evidence_clause WHERE clause_id = 1"),
        9
    );
    // Evidence of another vendor cannot be cited.
    t.ok(&["vendor", "add", "Other"]);
    let other = t.write("other.pdf", "other vendor");
    t.ok(&["evidence", "add", "other", p(&other)]);
    contains_all(
        &t.refused(&[
            "finding",
            "add",
            "acme",
            "dpa.ownership",
            "--status",
            "met",
            "--source",
            "dpa",
            "--evidence",
            "2",
        ]),
        &["belongs to vendor 'other'"],
    );
    contains_all(
        &t.refused(&["evidence", "link", "2", "--clause", "1"]),
        &["belongs to vendor 'acme'"],
    );
    t.fails(
        2,
        &[
            "finding",
            "add",
            "acme",
            "dpa.ownership",
            "--status",
            "met",
            "--source",
            "dpa",
            "--page",
            "3",
        ],
    );
}

#[test]
fn verify_rehashes_every_file_and_exits_3_on_tampering() {
    if crate::engine::sqlite_only("it alters the SQLite file to tamper with evidence (tests/cli/team_rules.rs tries the same through psql)") {
        return;
    }
    let t = T::with_review();
    let a = t.write("a.pdf", "first file");
    let b = t.write("b.pdf", "second file");
    t.ok(&["evidence", "add", "acme", p(&a)]);
    t.ok(&["evidence", "add", "acme", p(&b)]);
    contains_all(
        &t.ok(&["verify"]),
        &["evidence   ok    2 stored files (21 bytes) re-hashed"],
    );
    let conn = rusqlite::Connection::open(&t.db).unwrap();
    conn.execute_batch("DROP TRIGGER blob_no_update; UPDATE blob SET content = CAST('tampered!!' AS BLOB) WHERE size = 11;").unwrap();
    drop(conn);
    let out = t.run(&["verify"]);
    assert_eq!(out.status.code(), Some(3));
    let stdout = String::from_utf8_lossy(&out.stdout);
    contains_all(
        &stdout,
        &[
            "evidence   FAIL",
            "evidence #2 of 'acme': the stored file hashes to",
        ],
    );
    let report: serde_json::Value =
        serde_json::from_slice(&t.run(&["verify", "--json"]).stdout).unwrap();
    assert_eq!(report["ok"], false);
    // (The dropped trigger is reported too, under "integrity".)
    let problems = report["database"]["problems"].as_array().unwrap();
    let problem = problems
        .iter()
        .find(|p| p["check"] == "evidence")
        .expect("an evidence problem");
    assert_eq!(problem["where"], "evidence #2 of 'acme'");
    contains_all(
        &t.fails(
            3,
            &["evidence", "get", "2", "--out", p(&t.path("b-copy.pdf"))],
        ),
        &["does not match its recorded sha256"],
    );
    assert!(!t.path("b-copy.pdf").exists());
}

/// Rule ids raised for `vendor`, in the order `flags` lists them.
fn raised(t: &T, vendor: &str) -> Vec<String> {
    t.json(&["flags", vendor, "--json"])["flags"]
        .clone()
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect()
}

/// The message of the flag `rule` raised for `vendor`.
fn message(t: &T, vendor: &str, rule: &str) -> String {
    t.json(&["flags", vendor, "--json"])["flags"]
        .clone()
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == rule)
        .unwrap_or_else(|| panic!("{rule} not raised"))["message"]
        .as_str()
        .unwrap()
        .to_string()
}

/// The compare cell of `row` for each vendor.
fn compare_cells(t: &T, row: &str) -> Vec<String> {
    let c = t.json(&["compare", "acme", "other", "--json"]);
    let row = c["groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["rows"].as_array().unwrap().clone())
        .find(|r| r["label"] == row)
        .unwrap_or_else(|| panic!("no row {row}"));
    row["cells"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["value"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_trust_centre_quote_is_a_claim_not_a_report_seen() {
    let t = T::with_review();
    t.ok(&["vendor", "add", "Other Co", "--slug", "other"]);
    t.ok(&["review", "start", "other"]);
    t.ok(&["profile", "set", "required-attestations=soc2-type2"]);
    let attestation_rules = |t: &T| -> Vec<String> {
        raised(t, "acme")
            .into_iter()
            .filter(|r| r.starts_with("attestation."))
            .collect()
    };
    assert_eq!(attestation_rules(&t), ["attestation.missing"]);
    assert_eq!(
        compare_cells(&t, "Attestation: soc2-type2"),
        ["none", "none"]
    );

    // The vendor's own page says so: a claim, at a lower severity.
    t.ok(&[
        "evidence",
        "add",
        "acme",
        "--url",
        "https://trust.acme.example/",
        "--quote",
        "SOC 2 Type II certified",
        "--kind",
        "soc2-type2",
    ]);
    assert_eq!(attestation_rules(&t), ["attestation.claimed"]);
    let flags = t.json(&["flags", "acme", "--json"])["flags"].clone();
    let claimed = flags
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "attestation.claimed")
        .unwrap();
    assert_eq!(claimed["severity"], "medium");
    contains_all(
        claimed["message"].as_str().unwrap(),
        &[
            "only claimed, report not seen",
            "https://trust.acme.example/",
            "vetter evidence add acme FILE --kind soc2-type2 --period-end DATE",
        ],
    );
    assert!(claimed["basis"]
        .as_str()
        .unwrap()
        .contains("restricted-use"));
    assert_eq!(
        compare_cells(&t, "Attestation: soc2-type2"),
        ["claimed, report not seen", "none"]
    );

    // A report file with no period: still a claim (its currency is unknown).
    let undated = t.write("soc2-undated.pdf", "%PDF-1.4 SOC 2 report, undated");
    t.ok(&[
        "evidence",
        "add",
        "acme",
        p(&undated),
        "--kind",
        "soc2-type2",
    ]);
    assert_eq!(attestation_rules(&t), ["attestation.claimed"]);
    contains_all(
        &message(&t, "acme", "attestation.claimed"),
        &["soc2-undated.pdf", "has no period end or valid-until date"],
    );

    // The report itself, with its period: held, and both flags clear.
    let report = t.write("soc2.pdf", "%PDF-1.4 SOC 2 Type II report");
    t.ok(&[
        "evidence",
        "add",
        "acme",
        p(&report),
        "--kind",
        "soc2-type2",
        "--period-end",
        "2026-09-30",
    ]);
    assert!(attestation_rules(&t).is_empty(), "{:?}", raised(&t, "acme"));
    assert_eq!(
        compare_cells(&t, "Attestation: soc2-type2"),
        ["period ends 2026-09-30", "none"]
    );
    // Text and CSV read the same rows as --json.
    let text = t
        .cmd(&["compare", "acme", "other"])
        .env("COLUMNS", "200")
        .output()
        .unwrap();
    contains_all(
        &String::from_utf8(text.stdout).unwrap(),
        &["period ends 2026-09-30"],
    );

    // The other vendor: a certificate file with no validity is a claim in
    // every output, CSV included.
    t.ok(&["profile", "set", "required-attestations=iso27001"]);
    let cert = t.write("iso.pdf", "%PDF-1.4 ISO/IEC 27001 certificate");
    t.ok(&["evidence", "add", "other", p(&cert), "--kind", "iso27001"]);
    assert_eq!(
        raised(&t, "other")
            .iter()
            .filter(|r| r.starts_with("attestation."))
            .collect::<Vec<_>>(),
        ["attestation.claimed"]
    );
    contains_all(
        &message(&t, "other", "attestation.claimed"),
        &["--kind iso27001 --valid-until DATE --item trust.iso27001"],
    );
    let csv = t.path("compare.csv");
    t.ok(&["compare", "acme", "other", "--csv", p(&csv)]);
    let pdf = t.path("compare.pdf");
    t.ok(&["compare", "acme", "other", "--pdf", p(&pdf)]);
    contains_all(
        &crate::export::pdf_text(&pdf),
        &["claimed, report not seen", "period ends 2026-09-30"],
    );
    let csv = std::fs::read_to_string(&csv).unwrap();
    contains_all(
        &csv,
        &[r#""Attestation: iso27001","","none","claimed, report not seen""#],
    );
}
