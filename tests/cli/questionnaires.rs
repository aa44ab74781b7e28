//! `vetter import questionnaire`, `questionnaire show`, `mapping validate`
//! and the questionnaire in the packet, against workbooks built here in the
//! layouts of CAIQ v4.0.3 and HECVAT Lite 3.06, with placeholder question
//! text (CAIQ's may not be redistributed).

use super::{contains_all, p, T};
use rust_xlsxwriter::{Format, Workbook};
use std::path::{Path, PathBuf};

/// What every question's text cell holds: it must never reach the database
/// or the packet.
const PLACEHOLDER: &str = "PLACEHOLDER-QUESTION-TEXT";

const MAPPINGS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/mappings");

/// One row of a filled CAIQ: id, answer, SSRM ownership, description.
type Row<'a> = (&'a str, &'a str, &'a str, &'a str);

/// A CAIQ workbook: an extra first sheet, then `CAIQv{version}` with two
/// title rows, a merged title, the header row, a hidden column, a formula
/// column, the answers, and a trailing copyright row.
fn caiq_workbook(path: &Path, version: &str, rows: &[Row]) {
    caiq_workbook_with_formulas(path, version, rows, &[]);
}

/// A formula cell: row, column (0-based), the formula, and the value a
/// spreadsheet computed and saved with it.
type FormulaCell<'a> = (u32, u16, &'a str, &'a str);

/// `caiq_workbook` with `formulas` written over their cells of the answer sheet.
fn caiq_workbook_with_formulas(path: &Path, version: &str, rows: &[Row], formulas: &[FormulaCell]) {
    let mut book = Workbook::new();
    let intro = book.add_worksheet();
    intro.set_name("Introduction").unwrap();
    intro
        .write_string(0, 0, "Consensus Assessments Initiative Questionnaire")
        .unwrap();
    let sheet = book.add_worksheet();
    sheet.set_name(format!("CAIQv{version}")).unwrap();
    sheet
        .merge_range(
            0,
            0,
            0,
            5,
            "Consensus Assessments Initiative Questionnaire v4",
            &Format::new(),
        )
        .unwrap();
    sheet.write_string(1, 0, "Version 4.0.3").unwrap();
    let header = [
        "Question ID",
        "Question",
        "CSP CAIQ Answer",
        "SSRM Control Ownership",
        "CSP Implementation Description (Optional/Recommended)",
        "CSC Responsibilities (Optional/Recommended)",
        "CCM Control ID",
        "Length",
    ];
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(2, c as u16, *h).unwrap();
    }
    sheet.set_column_hidden(5).unwrap();
    for (r, (id, answer, owner, description)) in rows.iter().enumerate() {
        let row = 3 + r as u32;
        sheet.write_string(row, 0, *id).unwrap();
        sheet.write_string(row, 1, PLACEHOLDER).unwrap();
        if !answer.is_empty() {
            sheet.write_string(row, 2, *answer).unwrap();
        }
        if !owner.is_empty() {
            sheet.write_string(row, 3, *owner).unwrap();
        }
        if !description.is_empty() {
            sheet.write_string(row, 4, *description).unwrap();
        }
        sheet
            .write_string(row, 6, id.split('.').next().unwrap())
            .unwrap();
        sheet
            .write_formula(row, 7, format!("=LEN(E{})", row + 1).as_str())
            .unwrap();
    }
    let last = 3 + rows.len() as u32 + 1;
    sheet
        .write_string(
            last,
            0,
            "© Copyright 2021-2023 Cloud Security Alliance - All rights reserved.",
        )
        .unwrap();
    write_formulas(sheet, formulas);
    book.save(path).unwrap();
}

fn write_formulas(sheet: &mut rust_xlsxwriter::Worksheet, formulas: &[FormulaCell]) {
    for &(row, col, formula, result) in formulas {
        sheet
            .write_formula(
                row,
                col,
                rust_xlsxwriter::Formula::new(formula).set_result(result),
            )
            .unwrap();
    }
}

/// A HECVAT Lite 3.06 answer sheet cut down to one header row (ID |
/// Question | Vendor Answer | Additional Information) under its version
/// cell: the reader finds ids by their pattern either way. The layouts
/// EDUCAUSE ships are built in hecvat.rs.
fn hecvat_workbook(path: &Path, version: &str, rows: &[(&str, &str, &str)]) {
    hecvat_edition_workbook(path, "Lite", version, rows);
}

/// `hecvat_workbook` of `edition` (Lite, Full; "" names none).
fn hecvat_edition_workbook(path: &Path, edition: &str, version: &str, rows: &[(&str, &str, &str)]) {
    hecvat_workbook_with_formulas(path, edition, version, rows, &[]);
}

/// `hecvat_edition_workbook` with `formulas` written over their cells of the
/// response sheet.
fn hecvat_workbook_with_formulas(
    path: &Path,
    edition: &str,
    version: &str,
    rows: &[(&str, &str, &str)],
    formulas: &[FormulaCell],
) {
    let mut book = Workbook::new();
    let intro = book.add_worksheet();
    intro.set_name("Instructions").unwrap();
    intro.write_string(0, 0, "Read the instructions").unwrap();
    let sheet = book.add_worksheet();
    sheet
        .set_name(format!("HECVAT - {edition} | Vendor Response"))
        .unwrap();
    sheet
        .write_string(0, 0, format!("HECVAT {edition} v{version}"))
        .unwrap();
    for (c, h) in ["ID", "Question", "Vendor Answer", "Additional Information"]
        .iter()
        .enumerate()
    {
        sheet.write_string(2, c as u16, *h).unwrap();
    }
    for (r, (id, answer, info)) in rows.iter().enumerate() {
        let row = 3 + r as u32;
        sheet.write_string(row, 0, *id).unwrap();
        sheet.write_string(row, 1, PLACEHOLDER).unwrap();
        sheet.write_string(row, 2, *answer).unwrap();
        sheet.write_string(row, 3, *info).unwrap();
    }
    write_formulas(sheet, formulas);
    book.save(path).unwrap();
}

/// The built-in CAIQ mapping as (question, item, relation).
fn caiq_mapping() -> Vec<(String, String, String)> {
    let table: toml::Table = std::fs::read_to_string(format!("{MAPPINGS}/caiq-v4.0.x.toml"))
        .unwrap()
        .parse()
        .unwrap();
    table["map"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["question"].as_str().unwrap().to_string(),
                m["item"].as_str().unwrap().to_string(),
                m["relation"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// An item of acme's review that `n` or more CAIQ questions map to only
/// (those questions map to no other item), and its questions.
fn item_with_questions(t: &T, n: usize, skip: &[String]) -> (String, Vec<String>) {
    let items = t.item_ids("acme");
    let map = caiq_mapping();
    for item in &items {
        if skip.contains(item) {
            continue;
        }
        let questions: Vec<String> = map
            .iter()
            .filter(|(_, i, _)| i == item)
            .map(|(q, _, _)| q.clone())
            .filter(|q| map.iter().filter(|(q2, _, _)| q2 == q).count() == 1)
            .collect();
        if questions.len() >= n {
            return (item.clone(), questions);
        }
    }
    panic!("no item with {n} questions of its own");
}

fn newest(t: &T, item: &str) -> serde_json::Value {
    let list = t.json(&["finding", "list", "acme", "--item", item, "--json"]);
    list.as_array().unwrap().last().cloned().unwrap_or_default()
}

#[test]
fn a_caiq_workbook_becomes_findings_with_their_reasons() {
    let t = T::with_review();
    let (mixed, mixed_q) = item_with_questions(&t, 2, &[]);
    let (blank, blank_q) = item_with_questions(&t, 1, std::slice::from_ref(&mixed));
    let (yes, yes_q) = item_with_questions(&t, 1, &[mixed.clone(), blank.clone()]);
    let mut rows: Vec<Row> = vec![
        (
            &mixed_q[0],
            "Yes",
            "CSP-owned",
            "Encrypted with AES-256, keys in our KMS.",
        ),
        (&mixed_q[1], "No", "CSP-owned", "Not on the standard plan."),
        (&blank_q[0], "", "CSC-owned", ""),
        (
            &yes_q[0],
            "Yes",
            "Shared CSP and CSC",
            "Documented in our shared responsibility guide.",
        ),
        ("GRC-01.1", "N/A", "", ""),
        ("GRC-02.1", "NA", "3rd-party outsourced", ""),
        (
            "HRS-01.1",
            "No",
            "CSP-owned",
            "We do not run background checks.",
        ),
    ];
    rows.dedup_by(|a, b| a.0 == b.0);
    let file = t.path("nimbus-caiq.xlsx");
    caiq_workbook(&file, "4.0.3", &rows);

    // A dry run shows before and after, and records nothing.
    let before = t.dump();
    let out = t.ok(&["import", "questionnaire", "acme", p(&file), "--dry-run"]);
    contains_all(&out, &[mixed.as_str(), "no result", "not-met"]);
    assert!(t.dump() == before, "a dry run wrote something");

    let report = t.json(&["import", "questionnaire", "acme", p(&file), "--json"]);
    assert_eq!(report["format"], "caiq");
    assert_eq!(report["version"], "4.0.3");
    assert_eq!(report["answers"], rows.len());

    // The worst answer wins; a note names the questions and quotes the vendor.
    let f = newest(&t, &mixed);
    assert_eq!(f["status"], "not-met");
    assert_eq!(f["source"], "questionnaire");
    assert_eq!(f["owner"], "vendor");
    let note = f["note"].as_str().unwrap();
    contains_all(
        note,
        &[
            "CAIQ",
            &mixed_q[0],
            &mixed_q[1],
            "Not on the standard plan.",
        ],
    );
    // A blank answer is unknown, never not-met.
    assert_eq!(newest(&t, &blank)["status"], "unknown");
    assert_eq!(newest(&t, &blank)["owner"], "customer");
    // Yes, through a relation other than `equal`, is at most partial.
    let relation = caiq_mapping()
        .into_iter()
        .find(|(q, _, _)| *q == yes_q[0])
        .unwrap()
        .2;
    let expected = if relation == "equal" {
        "met"
    } else {
        "partial"
    };
    assert_eq!(newest(&t, &yes)["status"], expected);
    assert_eq!(newest(&t, &yes)["owner"], "shared");

    // Every answer is kept, the unmapped "No" included.
    let shown = t.ok(&[
        "questionnaire",
        "show",
        "acme",
        "--answer",
        "no",
        "--unmapped",
    ]);
    contains_all(
        &shown,
        &[
            "HRS-01.1",
            "We do not run background checks.",
            "(none)",
            "2 no",
        ],
    );
    let all = t.json(&["questionnaire", "show", "acme", "--json"]);
    assert_eq!(all[0]["answers"].as_array().unwrap().len(), rows.len());
    assert_eq!(all[0]["counts"]["na"], 2, "N/A and NA alike");

    // The workbook is evidence; no question text is stored; verify holds.
    assert_eq!(
        t.sql_count("SELECT count(*) FROM evidence WHERE kind = 'questionnaire'"),
        1
    );
    assert!(
        !t.dump().contains(placeholder_as_dumped()),
        "question text reached the database"
    );
    t.ok(&["verify"]);

    // The packet: questionnaire.csv, and a PDF section with the No answers.
    let packet = t.path("packet");
    t.ok(&["export", "acme", "--out", p(&packet)]);
    let csv = std::fs::read_to_string(packet.join("questionnaire.csv")).unwrap();
    contains_all(
        &csv,
        &[
            "\"question\",\"answer\"",
            "\"HRS-01.1\",\"no\"",
            "We do not run background checks.",
        ],
    );
    for entry in std::fs::read_dir(&packet).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            let bytes = std::fs::read(&path).unwrap();
            assert!(
                !String::from_utf8_lossy(&bytes).contains(PLACEHOLDER),
                "question text in {}",
                path.display()
            );
        }
    }
    let text = super::export::pdf_text(&packet.join("packet.pdf"));
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    contains_all(
        &flat,
        &[
            "11 Questionnaire",
            "Answered No",
            "HRS-01.1",
            "Findings from the questionnaire",
        ],
    );

    // A newer workbook adds newer findings and keeps the history.
    let newer = t.path("nimbus-caiq-2.xlsx");
    let mut fixed = rows.clone();
    fixed[1] = (&mixed_q[1], "Yes", "CSP-owned", "Now on every plan.");
    caiq_workbook(&newer, "4.0.3", &fixed);
    t.ok(&["import", "questionnaire", "acme", p(&newer)]);
    let history = t.json(&["finding", "list", "acme", "--item", &mixed, "--json"]);
    assert_eq!(history.as_array().unwrap().len(), 2);
    assert_ne!(newest(&t, &mixed)["status"], "not-met");
    t.ok(&["verify"]);
}

/// The placeholder as the dump prints text (the dump shows bytes of text
/// columns as numbers, so look for them that way).
fn placeholder_as_dumped() -> &'static str {
    static S: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    S.get_or_init(|| {
        format!("{:?}", PLACEHOLDER.as_bytes())
            .trim_matches(['[', ']'])
            .to_string()
    })
}

#[test]
fn bad_workbooks_are_refused_naming_what_and_where() {
    let t = T::with_review();
    // CAIQ v3 is not read.
    let v3 = t.path("v3.xlsx");
    caiq_workbook(&v3, "3.1", &[("AAC-01.1", "Yes", "", "")]);
    contains_all(
        &t.refused(&["import", "questionnaire", "acme", p(&v3)]),
        &["CAIQ 3.1", "4.0.3"],
    );
    // An answer outside Yes/No/NA, named by its cell.
    let bad = t.path("bad.xlsx");
    caiq_workbook(
        &bad,
        "4.0.3",
        &[("A&A-01.1", "Yes", "", ""), ("A&A-02.1", "Maybe", "", "")],
    );
    contains_all(
        &t.refused(&["import", "questionnaire", "acme", p(&bad)]),
        &["CAIQv4.0.3!C5", "Maybe", "A&A-02.1"],
    );
    // The same question twice: both rows named.
    let dup = t.path("dup.xlsx");
    caiq_workbook(
        &dup,
        "4.0.3",
        &[("A&A-01.1", "Yes", "", ""), ("A&A-01.1", "No", "", "")],
    );
    contains_all(
        &t.refused(&["import", "questionnaire", "acme", p(&dup)]),
        &["twice", "CAIQv4.0.3!C4", "CAIQv4.0.3!C5"],
    );
    // Not a workbook; a corrupt one; a workbook without an answer sheet.
    let fake = t.write("fake.xlsx", "name,answer\n");
    contains_all(
        &t.refused(&["import", "questionnaire", "acme", p(&fake)]),
        &["is not a workbook"],
    );
    let mut zip = std::fs::read(&bad).unwrap();
    zip.truncate(zip.len() / 2);
    let corrupt = t.write("corrupt.xlsx", zip);
    contains_all(
        &t.refused(&["import", "questionnaire", "acme", p(&corrupt)]),
        &["is not a readable .xlsx workbook"],
    );
    let other = t.path("other.xlsx");
    let mut book = Workbook::new();
    book.add_worksheet().write_string(0, 0, "hello").unwrap();
    book.save(&other).unwrap();
    contains_all(
        &t.refused(&["import", "questionnaire", "acme", p(&other)]),
        &["no CAIQ or HECVAT answer sheet", "Sheet1"],
    );
    // A password-protected workbook (an encrypted OOXML is a CFB container).
    let mut cfb = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    cfb.resize(4096, 0);
    let locked = t.write("locked.xlsx", cfb);
    contains_all(
        &t.refused(&["import", "questionnaire", "acme", p(&locked)]),
        &["password-protected"],
    );
    // Over the size cap (a sparse file).
    let big = t.path("huge.csv");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(21 * 1024 * 1024)
        .unwrap();
    contains_all(
        &t.refused(&["import", "questionnaire", "acme", p(&big)]),
        &["huge.csv", "20 MiB"],
    );
}

#[test]
fn a_hecvat_workbook_imports_with_its_version_checked() {
    let t = T::with_review();
    let ids: Vec<String> = std::fs::read_to_string(format!("{MAPPINGS}/hecvat-3.x.ids"))
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .take(5)
        .collect();
    let rows: Vec<(&str, &str, &str)> = ids
        .iter()
        .map(|i| (i.as_str(), "Yes", "Covered."))
        .collect();
    let file = t.path("hecvat.xlsx");
    hecvat_workbook(&file, "3.06", &rows);
    let report = t.json(&["import", "questionnaire", "acme", p(&file), "--json"]);
    assert_eq!(report["format"], "hecvat");
    assert_eq!(report["version"], "3.06");
    let old = t.path("hecvat-2.xlsx");
    hecvat_workbook(&old, "2.11", &rows);
    contains_all(
        &t.refused(&["import", "questionnaire", "acme", p(&old)]),
        &["HECVAT 2.11", "reads HECVAT 3.x (Lite and Full) and 4.x"],
    );
    t.ok(&["verify"]);
}

fn write_mapping(t: &T, name: &str, body: &str) -> PathBuf {
    t.write(
        name,
        format!("questionnaire = \"in-house\"\nversions = [\"2026\"]\nchecklist = \"backend-platform\"\n{body}"),
    )
}

#[test]
fn a_csv_questionnaire_needs_a_mapping_which_is_validated() {
    let t = T::with_review();
    let item = t.item_ids("acme")[5].clone();
    let csv = t.write(
        "sig.csv",
        "id,answer,comment,owner\nQ-01,Yes,We do,vendor\nQ-02,No,We do not,customer\nQ-03,,,\n",
    );
    contains_all(
        &t.refused(&["import", "questionnaire", "acme", p(&csv)]),
        &["needs", "--mapping"],
    );
    let mapping = write_mapping(
        &t,
        "sig.toml",
        &format!("[[map]]\nquestion = \"Q-01\"\nitem = \"{item}\"\nrelation = \"equal\"\n[[map]]\nquestion = \"Q-02\"\nitem = \"{item}\"\nrelation = \"equal\"\n"),
    );
    t.ok(&["mapping", "validate", p(&mapping)]);
    t.ok(&[
        "import",
        "questionnaire",
        "acme",
        p(&csv),
        "--mapping",
        p(&mapping),
    ]);
    assert_eq!(newest(&t, &item)["status"], "not-met");
    // A mapping naming an unknown item, or one pair twice, is refused.
    let typo = write_mapping(
        &t,
        "typo.toml",
        "[[map]]\nquestion = \"Q-01\"\nitem = \"dpa.breach-notifcation\"\nrelation = \"equal\"\n",
    );
    contains_all(
        &t.fails(1, &["mapping", "validate", p(&typo)]),
        &[
            "unknown item 'dpa.breach-notifcation'",
            "did you mean dpa.breach-notification?",
        ],
    );
    contains_all(
        &t.refused(&[
            "import",
            "questionnaire",
            "acme",
            p(&csv),
            "--mapping",
            p(&typo),
        ]),
        &["dpa.breach-notifcation"],
    );
    // The built-in mappings are valid, and every question they map is one
    // their questionnaire has (a mistyped id would feed nothing, unseen).
    for (m, ids) in [
        ("caiq-v4.0.x.toml", "caiq-v4.0.x.ids"),
        ("hecvat-3.x.toml", "hecvat-3.x.ids"),
        ("hecvat-3.x-full.toml", "hecvat-3.x-full.ids"),
        ("hecvat-4.x.toml", "hecvat-4.x.ids"),
    ] {
        t.ok(&["mapping", "validate", &format!("{MAPPINGS}/{m}")]);
        let known = std::fs::read_to_string(format!("{MAPPINGS}/{ids}")).unwrap();
        let known: Vec<&str> = known.lines().filter(|l| !l.starts_with('#')).collect();
        let table: toml::Table = std::fs::read_to_string(format!("{MAPPINGS}/{m}"))
            .unwrap()
            .parse()
            .unwrap();
        for entry in table["map"].as_array().unwrap() {
            let question = entry["question"].as_str().unwrap();
            assert!(
                known.contains(&question),
                "{m} maps {question}, which {ids} does not list"
            );
        }
    }
}

#[test]
fn an_answer_changed_in_sql_fails_verify() {
    if crate::engine::sqlite_only(
        "it alters the SQLite file (tests/cli/team_rules.rs tries the same through psql)",
    ) {
        return;
    }
    let t = T::with_review();
    let file = t.path("caiq.xlsx");
    caiq_workbook(&file, "4.0.3", &[("A&A-01.1", "No", "", "Nothing yet.")]);
    t.ok(&["import", "questionnaire", "acme", p(&file)]);
    t.ok(&["verify"]);
    let conn = rusqlite::Connection::open(&t.db).unwrap();
    conn.execute_batch(
        "DROP TRIGGER questionnaire_answer_no_update; UPDATE questionnaire_answer SET answer = 'yes';",
    )
    .unwrap();
    let out = t.cmd(&["verify"]).env("COLUMNS", "1000").output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    contains_all(
        &String::from_utf8_lossy(&out.stdout),
        &["questionnaire #1: changed outside vetter"],
    );
}

/// The questionnaire row itself is checked against its import event:
/// moved to another vendor or review, its version, mapping, evidence, time
/// or importer changed in SQL, verify names the field.
#[test]
fn a_questionnaire_row_changed_in_sql_fails_verify() {
    if crate::engine::sqlite_only(
        "it alters the SQLite file (tests/cli/team_rules.rs tries the same through psql)",
    ) {
        return;
    }
    let t = T::with_review();
    t.ok(&["vendor", "add", "Other Cloud", "--slug", "other"]);
    t.ok(&["review", "start", "other", "--due", "2026-12-31"]);
    let file = t.path("caiq.xlsx");
    caiq_workbook(&file, "4.0.3", &[("A&A-01.1", "No", "", "Nothing yet.")]);
    t.ok(&["import", "questionnaire", "acme", p(&file)]);
    t.ok(&["verify"]);
    let saved: (String, String) = rusqlite::Connection::open(&t.db)
        .unwrap()
        .query_row("SELECT mapping, imported_at FROM questionnaire", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    for (set, says) in [
        (
            "vendor_id = 2, review_id = 2",
            "vendor_id is 2 in the database",
        ),
        (
            "review_id = 2",
            "review is 2 in the database, the audit log says 1",
        ),
        ("format = 'csv'", "format is \"csv\""),
        ("version = '4.0.1'", "version is \"4.0.1\""),
        (
            "mapping = 'mine.toml sha256 00'",
            "mapping is \"mine.toml sha256 00\"",
        ),
        ("evidence_id = NULL", "evidence is null"),
        (
            "imported_at = '2020-01-01T00:00:00Z'",
            "imported_at is \"2020-01-01T00:00:00Z\"",
        ),
        ("imported_by = 'mallory'", "imported_by is \"mallory\""),
    ] {
        super::trust::tamper(&t, &format!("UPDATE questionnaire SET {set}"));
        contains_all(
            &super::trust::verify_fails(&t, &[]),
            &["questionnaire #1: changed outside vetter", says],
        );
        super::trust::tamper(
            &t,
            &format!(
                "UPDATE questionnaire SET vendor_id = 1, review_id = 1, format = 'caiq', version = '4.0.3', mapping = '{}', evidence_id = 1, imported_at = '{}', imported_by = 'alice'",
                saved.0, saved.1
            ),
        );
        t.ok(&["verify"]);
    }
}

/// The packet of a review carries that review's questionnaires, all of
/// them, and no other review's; `questionnaire show` lists them all, or one
/// review's.
#[test]
fn the_packet_carries_every_questionnaire_of_its_review_and_only_those() {
    let t = T::with_review();
    let first = t.path("first.xlsx");
    caiq_workbook(
        &first,
        "4.0.3",
        &[("HRS-01.1", "No", "CSP-owned", "First review's words.")],
    );
    t.ok(&["import", "questionnaire", "acme", p(&first)]);
    let item = t.item_ids("acme")[5].clone();
    let mapping = write_mapping(
        &t,
        "own.toml",
        &format!("[[map]]\nquestion = \"Q-01\"\nitem = \"{item}\"\nrelation = \"equal\"\n"),
    );
    let csv = t.write("own.csv", "id,answer,comment\nQ-01,No,Our CSV words.\n");
    t.ok(&[
        "import",
        "questionnaire",
        "acme",
        p(&csv),
        "--mapping",
        p(&mapping),
    ]);
    t.ok(&[
        "review",
        "start",
        "acme",
        "--due",
        "2026-12-31",
        "--supersede",
    ]);
    let second = t.path("second.xlsx");
    caiq_workbook(
        &second,
        "4.0.3",
        &[("HRS-01.1", "Yes", "CSP-owned", "Second review's words.")],
    );
    t.ok(&["import", "questionnaire", "acme", p(&second)]);

    // Review #1's packet: its CAIQ and its CSV, not review #2's workbook.
    let packet = t.path("packet-1");
    t.ok(&["export", "acme", "--review", "1", "--out", p(&packet)]);
    let csv_out = std::fs::read_to_string(packet.join("questionnaire.csv")).unwrap();
    contains_all(
        &csv_out,
        &[
            "\"questionnaire\",\"format\"",
            "First review's words.",
            "Our CSV words.",
        ],
    );
    assert!(!csv_out.contains("Second review's words."), "{csv_out}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(packet.join("packet.json")).unwrap())
            .unwrap();
    assert_eq!(json["format_version"], 7);
    let ids: Vec<i64> = json["questionnaires"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [2, 1], "newest first");
    let text = super::export::pdf_text(&packet.join("packet.pdf"));
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    contains_all(
        &flat,
        &[
            "Questionnaire #2: CSV csv",
            "Questionnaire #1: CAIQ 4.0.3",
            "First review's words.",
            "Our CSV words.",
        ],
    );
    assert!(!flat.contains("Second review's words."));

    // Review #2's packet: only its own.
    let packet = t.path("packet-2");
    t.ok(&["export", "acme", "--out", p(&packet)]);
    let csv_out = std::fs::read_to_string(packet.join("questionnaire.csv")).unwrap();
    contains_all(&csv_out, &["Second review's words."]);
    assert!(!csv_out.contains("First review's words."), "{csv_out}");

    // show: every questionnaire, newest first; --review N only that review's.
    let all = t.json(&["questionnaire", "show", "acme", "--json"]);
    let ids: Vec<i64> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["questionnaire"]["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [3, 2, 1]);
    let one = t.json(&["questionnaire", "show", "acme", "--review", "1", "--json"]);
    assert_eq!(one.as_array().unwrap().len(), 2);
    contains_all(
        &t.ok(&["questionnaire", "show", "acme"]),
        &[
            "#3 CAIQ 4.0.3 (review #2",
            "#2 CSV csv (review #1",
            "#1 CAIQ 4.0.3 (review #1",
        ],
    );
    contains_all(
        &t.fails(1, &["questionnaire", "show", "acme", "--review", "9"]),
        &["vendor 'acme' has no review #9", "review list acme"],
    );
}

/// An answer whose id is mistyped is refused, naming its cell; a section
/// title or a copyright line (no answer, no words) is still skipped.
#[test]
fn an_answer_with_a_mistyped_id_is_refused_not_dropped() {
    let t = T::with_review();
    let file = t.path("typo.xlsx");
    caiq_workbook(
        &file,
        "4.0.3",
        &[
            ("CEK-03.1", "Yes", "CSP-owned", "Encrypted."),
            ("Cryptography, Encryption & Key Management", "", "", ""),
            ("CEK 04.1", "No", "CSP-owned", "Not on the standard plan."),
        ],
    );
    contains_all(
        &t.refused(&["import", "questionnaire", "acme", p(&file)]),
        &[
            "CAIQv4.0.3!A6",
            "\"CEK 04.1\"",
            "not an id",
            "nothing was recorded",
        ],
    );
    // The same row without the typo imports, the section title skipped.
    let fixed = t.path("fixed.xlsx");
    caiq_workbook(
        &fixed,
        "4.0.3",
        &[
            ("CEK-03.1", "Yes", "CSP-owned", "Encrypted."),
            ("Cryptography, Encryption & Key Management", "", "", ""),
            ("CEK-04.1", "No", "CSP-owned", "Not on the standard plan."),
        ],
    );
    let report = t.json(&["import", "questionnaire", "acme", p(&fixed), "--json"]);
    assert_eq!(report["answers"], 2);
    // A CSV row with an answer but no id is refused too.
    let mapping = write_mapping(&t, "m.toml", "");
    let csv = t.write("no-id.csv", "id,answer,comment\nQ-01,Yes,\n,No,We do not\n");
    contains_all(
        &t.refused(&[
            "import",
            "questionnaire",
            "acme",
            p(&csv),
            "--mapping",
            p(&mapping),
        ]),
        &["line 3 has no question id"],
    );
}

/// A HECVAT 3 workbook that does not say whether it is Lite or Full (their
/// ids differ) is refused unless a mapping is passed.
#[test]
fn a_hecvat_workbook_of_no_edition_needs_its_own_mapping() {
    let t = T::with_review();
    let file = t.path("which.xlsx");
    hecvat_edition_workbook(&file, "", "3.06", &[("DOCU-01", "Yes", "SOC 2 Type II")]);
    contains_all(
        &t.refused(&["import", "questionnaire", "acme", p(&file)]),
        &[
            "HECVAT 3.06 (the workbook does not say whether it is Lite or Full)",
            "--mapping",
        ],
    );
    let item = t.item_ids("acme")[5].clone();
    let mapping = t.write(
        "mine.toml",
        format!("questionnaire = \"hecvat\"\nversions = [\"3.06\"]\nchecklist = \"backend-platform\"\n[[map]]\nquestion = \"DOCU-01\"\nitem = \"{item}\"\nrelation = \"intersect\"\n"),
    );
    t.ok(&[
        "import",
        "questionnaire",
        "acme",
        p(&file),
        "--mapping",
        p(&mapping),
    ]);
    t.ok(&["verify"]);
}

/// Ids are the CSA's own, exactly: a lowercase or unknown id is an answer
/// that would feed no item, so it is refused naming its cell. A message
/// names the cell at fault (the description's, not the answer's), and a
/// date in a description is the date, not Excel's serial number.
#[test]
fn caiq_ids_must_be_the_csas_own_and_messages_name_the_cell_at_fault() {
    let t = T::with_review();
    for (id, why) in [
        ("cek-04.1", "\"cek-04.1\", which is not an id like CEK-03.2"),
        ("CEK-٠٤.1", "which is not an id like CEK-03.2"),
        ("CEK-99.1", "CEK-99.1, which CAIQ v4.0.x does not have"),
    ] {
        let file = t.path("odd-id.xlsx");
        caiq_workbook(
            &file,
            "4.0.3",
            &[
                ("CEK-03.1", "Yes", "CSP-owned", "Encrypted."),
                (id, "No", "CSP-owned", "Not at rest."),
            ],
        );
        contains_all(
            &t.refused(&["import", "questionnaire", "acme", p(&file)]),
            &["CAIQv4.0.3!A5", why, "nothing was recorded"],
        );
    }
    let file = t.path("bidi.xlsx");
    caiq_workbook(
        &file,
        "4.0.3",
        &[("CEK-03.1", "Yes", "CSP-owned", "Encrypted\u{202E} at rest")],
    );
    contains_all(
        &t.refused(&["import", "questionnaire", "acme", p(&file)]),
        &["CAIQv4.0.3!E4", "description"],
    );
    let file = t.path("owner.xlsx");
    caiq_workbook(&file, "4.0.3", &[("CEK-03.1", "Yes", "Vendor-owned", "")]);
    contains_all(
        &t.refused(&["import", "questionnaire", "acme", p(&file)]),
        &["CAIQv4.0.3!D4", "ownership"],
    );
    // A guide sheet named like the answer sheet is not read; a date typed
    // into a description is kept as the date.
    let file = t.path("guide.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let guide = book.add_worksheet();
    guide.set_name("CAIQv4.0.3 Guide").unwrap();
    guide.write_string(0, 0, "How to fill it in").unwrap();
    let sheet = book.add_worksheet();
    sheet.set_name("CAIQv4.0.3").unwrap();
    for (c, h) in [
        "Question ID",
        "Question",
        "CSP CAIQ Answer",
        "SSRM Control Ownership",
        "CSP Implementation Description",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    sheet.write_string(1, 0, "CEK-03.1").unwrap();
    sheet.write_string(1, 2, "Yes").unwrap();
    let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2026, 12, 1).unwrap();
    let format = Format::new().set_num_format("yyyy-mm-dd");
    sheet
        .write_datetime_with_format(1, 4, &date, &format)
        .unwrap();
    book.save(&file).unwrap();
    t.ok(&["import", "questionnaire", "acme", p(&file)]);
    let shown = t.json(&["questionnaire", "show", "acme", "--json"]);
    let answer = &shown[0]["answers"][0];
    assert_eq!(answer["question"], "CEK-03.1", "{shown}");
    assert_eq!(answer["description"], "2026-12-01", "{shown}");
    assert_eq!(answer["cell"], "CAIQv4.0.3!C2", "{shown}");
    // --format that disagrees with the file says what the file is.
    let caiq = t.path("plain.xlsx");
    caiq_workbook(&caiq, "4.0.3", &[("CEK-03.1", "Yes", "CSP-owned", "")]);
    contains_all(
        &t.refused(&[
            "import",
            "questionnaire",
            "acme",
            p(&caiq),
            "--format",
            "hecvat",
        ]),
        &["is a CAIQ workbook (sheet CAIQv4.0.3), not HECVAT"],
    );
    contains_all(
        &t.refused(&[
            "import",
            "questionnaire",
            "acme",
            p(&caiq),
            "--format",
            "csv",
        ]),
        &["is an .xlsx workbook, not a CSV"],
    );
    // Last year's answers beside this year's: two answer sheets, refused
    // rather than one picked.
    let file = t.path("two-years.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    for name in ["CAIQv4.0.2", "CAIQv4.0.3"] {
        let sheet = book.add_worksheet();
        sheet.set_name(name).unwrap();
        for (c, h) in [
            "Question ID",
            "CSP CAIQ Answer",
            "SSRM Control Ownership",
            "CSP Implementation Description",
        ]
        .iter()
        .enumerate()
        {
            sheet.write_string(0, c as u16, *h).unwrap();
        }
        sheet.write_string(1, 0, "CEK-03.1").unwrap();
        sheet.write_string(1, 1, "Yes").unwrap();
    }
    book.save(&file).unwrap();
    contains_all(
        &t.refused(&["import", "questionnaire", "acme", p(&file)]),
        &["2 CAIQ answer sheets (CAIQv4.0.2, CAIQv4.0.3)"],
    );
}

/// A formula in a cell the vendor fills (issue 19): its value is what the
/// spreadsheet last computed, not what the vendor typed. CAIQ's answer,
/// ownership and description cells and HECVAT's answer and additional
/// information cells with a formula are refused naming the cell; formulas
/// elsewhere (CAIQ's length column, HECVAT's guidance) are not read.
#[test]
fn a_formula_in_an_answer_column_is_refused_naming_the_cell() {
    let t = T::with_review();
    let rows: &[Row] = &[
        ("A&A-01.1", "Yes", "CSP-owned", "Audited yearly."),
        ("A&A-02.1", "No", "Shared CSP and CSC", "Not yet."),
    ];
    for (col, cell, formula, shows) in [
        (2, "CAIQv4.0.3!C5", "=IF(1=1,\"Yes\",\"No\")", "Yes"),
        (3, "CAIQv4.0.3!D4", "=\"CSP-owned\"", "CSP-owned"),
        (4, "CAIQv4.0.3!E5", "=Guide!B7", "Described in our policy."),
    ] {
        let file = t.path(&format!("caiq-{col}.xlsx"));
        let row = if cell.ends_with('5') { 4 } else { 3 };
        caiq_workbook_with_formulas(&file, "4.0.3", rows, &[(row, col, formula, shows)]);
        contains_all(
            &t.refused(&["import", "questionnaire", "acme", p(&file), "--dry-run"]),
            &[
                &format!("{cell} holds the formula {formula} (showing \"{shows}\"), not a value the vendor typed; nothing was recorded"),
                "hint: type the value itself into the cell, not a formula",
            ],
        );
    }
    // The same answers typed import, beside the sheet's formula column.
    let typed = t.path("typed.xlsx");
    caiq_workbook(&typed, "4.0.3", rows);
    t.ok(&["import", "questionnaire", "acme", p(&typed), "--dry-run"]);

    let ids: Vec<String> = std::fs::read_to_string(format!("{MAPPINGS}/hecvat-3.x.ids"))
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .take(2)
        .collect();
    let rows: Vec<(&str, &str, &str)> = ids
        .iter()
        .map(|i| (i.as_str(), "Yes", "Covered."))
        .collect();
    let hecvat = t.path("hecvat.xlsx");
    hecvat_workbook_with_formulas(&hecvat, "Lite", "3.06", &rows, &[(3, 2, "=2+2", "4")]);
    contains_all(
        &t.refused(&["import", "questionnaire", "acme", p(&hecvat)]),
        &["HECVAT - Lite | Vendor Response!C4 holds the formula =2+2 (showing \"4\")"],
    );
    // A guidance column beside the answers may compute what it likes.
    let guided = t.path("hecvat-guidance.xlsx");
    hecvat_workbook_with_formulas(
        &guided,
        "Lite",
        "3.06",
        &rows,
        &[
            (2, 4, "=\"Guidance\"", "Guidance"),
            (3, 4, "=IF(C4=\"Yes\",\"\",\"Explain\")", ""),
        ],
    );
    t.ok(&["import", "questionnaire", "acme", p(&guided)]);
}
