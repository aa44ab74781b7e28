//! `vetter question export VENDOR --xlsx FILE` and `vetter question import
//! VENDOR FILE`: open questions out as a workbook, the vendor's answers back.

use crate::{contains_all, p, T};
use calamine::Reader;
use std::io::Read;
use std::path::Path;

/// `acme` with three open questions (#1 due 2026-12-10, #2, #3) and one
/// answered (#4), which export leaves out.
fn with_questions() -> T {
    let t = T::with_review();
    for (item, text, due) in [
        (
            "dpa.breach-notification",
            "Does the 72-hour clock start at awareness?",
            Some("2026-12-10"),
        ),
        ("dpa.ownership", "Who owns derived data?", None),
        (
            "access.scim",
            "=HYPERLINK(\"x\") Is SCIM on every plan?",
            None,
        ),
        ("dpa.ownership", "Already answered?", None),
    ] {
        let mut args = vec!["question", "add", "acme", item, text];
        if let Some(due) = due {
            args.extend(["--due", due]);
        }
        t.ok(&args);
    }
    t.ok(&["question", "answer", "4", "Yes"]);
    t
}

/// Every cell of sheet `Questions`, as text, row by row.
fn read_sheet(path: &Path) -> Vec<Vec<String>> {
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(path).expect("an xlsx workbook");
    let range = book
        .worksheet_range("Questions")
        .expect("a Questions sheet");
    range
        .rows()
        .map(|row| {
            row.iter()
                .map(|cell| match cell {
                    calamine::Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

/// Writes `rows` (header first) as sheet `sheet` of a new workbook, the way a
/// vendor's spreadsheet would save it: whole numbers as numbers.
fn write_sheet(path: &Path, sheet: &str, rows: &[Vec<String>]) {
    write_sheet_with_formulas(path, sheet, rows, &[]);
}

/// `write_sheet`, then `formulas` (row, column, formula, the value a
/// spreadsheet computed and saved with it) written over their cells.
fn write_sheet_with_formulas(
    path: &Path,
    sheet: &str,
    rows: &[Vec<String>],
    formulas: &[(u32, u16, &str, &str)],
) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name(sheet).unwrap();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            match cell.parse::<f64>() {
                Ok(n) if !cell.is_empty() => ws.write_number(r, c, n).unwrap(),
                _ if cell.is_empty() => ws,
                _ => ws.write_string(r, c, cell).unwrap(),
            };
        }
    }
    for &(r, c, formula, result) in formulas {
        ws.write_formula(
            r,
            c,
            rust_xlsxwriter::Formula::new(formula).set_result(result),
        )
        .unwrap();
    }
    book.save(path).unwrap();
}

/// The exported sheet with answer (E) and status (F) filled in per question id.
fn filled(exported: &[Vec<String>], answers: &[(&str, &str, &str)]) -> Vec<Vec<String>> {
    let mut rows = exported.to_vec();
    for row in rows.iter_mut().skip(1) {
        row.resize(6, String::new());
        if let Some((_, answer, status)) = answers.iter().find(|(id, _, _)| *id == row[0]) {
            row[4] = answer.to_string();
            row[5] = status.to_string();
        }
    }
    rows
}

/// The XML of the first worksheet inside an .xlsx.
fn sheet_xml(path: &Path) -> String {
    let file = std::fs::File::open(path).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut xml = String::new();
    zip.by_name("xl/worksheets/sheet1.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    xml
}

#[test]
fn open_questions_go_out_as_a_protected_workbook_and_the_answers_come_back() {
    let t = with_questions();
    let out = t.path("acme-questions.xlsx");
    let msg = t.ok_stderr(&["question", "export", "acme", "--xlsx", p(&out)]);
    contains_all(
        &msg,
        &["wrote 3 open questions of 'acme'", "question import acme"],
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "the workbook is owner-only");
    }

    // Open questions only, in id order, under the header; text kept as text.
    let sheet = read_sheet(&out);
    assert_eq!(
        sheet[0],
        ["ID", "Item", "Question", "Due date", "Answer", "Status"]
    );
    let ids: Vec<&str> = sheet[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(ids, ["1", "2", "3"]);
    assert_eq!(sheet[1][1], "dpa.breach-notification");
    assert_eq!(sheet[1][2], "Does the 72-hour clock start at awareness?");
    // The due date is a date cell: the serial of 2026-12-10, shown in the
    // workbook's yyyy-mm-dd format (a text cell would not sort as a date).
    assert_eq!(sheet[1][3], "46366");
    let styles = {
        let mut zip = zip::ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap();
        let mut xml = String::new();
        zip.by_name("xl/styles.xml")
            .unwrap()
            .read_to_string(&mut xml)
            .unwrap();
        xml
    };
    assert!(
        styles.contains(r#"formatCode="yyyy\-mm\-dd""#)
            || styles.contains(r#"formatCode="yyyy-mm-dd""#),
        "{styles}"
    );
    assert_eq!(sheet[3][2], "=HYPERLINK(\"x\") Is SCIM on every plan?");

    // A protected sheet with its header frozen, the answer and status cells
    // unlocked, and a list of statuses on the status column.
    let xml = sheet_xml(&out);
    contains_all(
        &xml,
        &[
            "<sheetProtection sheet=\"1\"",
            "state=\"frozen\"",
            "type=\"list\"",
            "sqref=\"F2:F4\"",
            "answered,need more time,not applicable",
        ],
    );
    assert!(!xml.contains("<f>"), "no formula in the sheet:\n{xml}");

    // An existing file is kept unless --force.
    contains_all(
        &t.refused(&["question", "export", "acme", "--xlsx", p(&out)]),
        &["already exists", "--force"],
    );
    t.ok(&["question", "export", "acme", "--xlsx", p(&out), "--force"]);

    // The vendor fills it in.
    let back = t.path("acme-filled.xlsx");
    write_sheet(
        &back,
        "Questions",
        &filled(
            &sheet,
            &[
                ("1", "Yes, from awareness (amendment §2)", "answered"),
                ("2", "Legal is reviewing a draft", "need more time"),
                ("3", "", "Not Applicable"),
            ],
        ),
    );
    let msg = t.ok_stderr(&["--as", "bob", "question", "import", "acme", p(&back)]);
    contains_all(
        &msg,
        &[
            "recorded 2 answers",
            "#1, #3",
            "left open, the vendor needs more time: #2 (Questions!E3, its draft answer not recorded)",
        ],
    );
    let list = t.json(&["question", "list", "acme", "--json"]);
    let q = |id: usize| &list[id - 1];
    assert_eq!(q(1)["status"], "answered");
    assert_eq!(q(1)["answer"], "Yes, from awareness (amendment §2)");
    assert_eq!(q(1)["answered_by"], "bob");
    assert_eq!(q(2)["status"], "open");
    assert_eq!(q(2)["answer"], serde_json::Value::Null);
    assert_eq!(q(3)["answer"], "Not applicable");
    // One `question answer` event per answer, as `question answer` writes.
    let log = t.json(&["log", "acme", "--json"]);
    let answers = log
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["command"] == "question answer")
        .count();
    assert_eq!(answers, 3);
    t.ok(&["verify"]);

    // What is left open goes out again; the same workbook cannot answer twice.
    t.ok(&["question", "export", "acme", "--xlsx", p(&out), "--force"]);
    let ids: Vec<String> = read_sheet(&out)[1..].iter().map(|r| r[0].clone()).collect();
    assert_eq!(ids, ["2"]);
    contains_all(
        &t.refused(&["question", "import", "acme", p(&back)]),
        &[
            "Questions!A2: question #1 is not an open question of 'acme' (it is answered)",
            "nothing was imported",
        ],
    );
}

#[test]
fn import_prints_the_answered_questions_with_json_and_skips_empty_rows() {
    let t = with_questions();
    let out = t.path("q.xlsx");
    t.ok(&["question", "export", "acme", "--xlsx", p(&out)]);
    let back = t.path("filled.xlsx");
    write_sheet(
        &back,
        "Questions",
        &filled(
            &read_sheet(&out),
            &[("2", "The customer owns it.", ""), ("3", "", "answered")],
        ),
    );
    let out = t.run(&["question", "import", "acme", p(&back), "--json"]);
    assert!(out.status.success());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 1);
    assert_eq!(json[0]["id"], 2);
    assert_eq!(json[0]["answer"], "The customer owns it.");
    contains_all(
        &String::from_utf8_lossy(&out.stderr),
        &[
            "recorded 1 answer ",
            "skipped 1 row with no answer",
            "marked answered with an empty answer (Questions!E4)",
        ],
    );
    t.ok(&["verify"]);
}

#[test]
fn a_row_that_is_not_an_open_question_of_the_vendor_is_named_and_nothing_is_recorded() {
    let t = with_questions();
    t.ok(&[
        "vendor",
        "add",
        "Other",
        "--hosting",
        "paas",
        "--tenancy",
        "multi",
    ]);
    t.ok(&["review", "start", "other"]);
    t.ok(&["question", "add", "other", "dpa.ownership", "Theirs?"]);
    let out = t.path("q.xlsx");
    t.ok(&["question", "export", "acme", "--xlsx", p(&out)]);
    let mut rows = filled(
        &read_sheet(&out),
        &[("1", "Yes", "answered"), ("2", "Fine", "done")],
    );
    for (id, answer, status) in [
        ("99", "An answer", ""),
        ("5", "Answer to another vendor", ""),
        ("4", "Already answered", ""),
        ("1", "Twice", ""),
        ("x1", "Bad id", ""),
        ("", "No id", ""),
    ] {
        rows.push(vec![
            id.into(),
            String::new(),
            String::new(),
            String::new(),
            answer.into(),
            status.into(),
        ]);
    }
    let back = t.path("filled.xlsx");
    write_sheet(&back, "Questions", &rows);
    let err = t.refused(&["question", "import", "acme", p(&back)]);
    contains_all(
        &err,
        &[
            "has 7 bad cells; nothing was imported",
            "Questions!A5: question #99 is not an open question of 'acme' (there is no such question)",
            "Questions!A6: question #5 is not an open question of 'acme' (it is a question to another vendor)",
            "Questions!A7: question #4 is not an open question of 'acme' (it is answered)",
            "Questions!F3: unknown status 'done'; the statuses are: answered, need more time, not applicable",
            "Questions!A8: question #1 is listed twice (also at Questions!A2)",
            "Questions!A9: 'x1' is not a question ID",
            "Questions!A10: the ID is empty",
            "question export acme --xlsx FILE",
        ],
    );
}

#[test]
fn files_that_are_not_the_questions_workbook_are_refused_naming_what_is_wrong() {
    let t = with_questions();
    let csv = t.write("answers.csv", "ID,Answer\n1,Yes\n");
    contains_all(
        &t.refused(&["question", "import", "acme", p(&csv)]),
        &[
            "answers.csv' is not a readable .xlsx workbook",
            "nothing was imported",
        ],
    );

    // A workbook cut short, as by a failed download.
    let out = t.path("q.xlsx");
    t.ok(&["question", "export", "acme", "--xlsx", p(&out)]);
    let bytes = std::fs::read(&out).unwrap();
    let cut = t.write("cut.xlsx", &bytes[..bytes.len() / 2]);
    contains_all(
        &t.refused(&["question", "import", "acme", p(&cut)]),
        &["cut.xlsx' is not a readable .xlsx workbook"],
    );

    let other = t.path("other.xlsx");
    write_sheet(&other, "Sheet1", &[vec!["ID".into()]]);
    contains_all(
        &t.refused(&["question", "import", "acme", p(&other)]),
        &["has no sheet named 'Questions' (its sheets: Sheet1)"],
    );

    let header = t.path("header.xlsx");
    write_sheet(
        &header,
        "Questions",
        &[["ID", "Item", "Question", "Due", "Answer", "Status"]
            .map(String::from)
            .to_vec()],
    );
    contains_all(
        &t.refused(&["question", "import", "acme", p(&header)]),
        &["Questions!D1: the header is 'Due', expected 'Due date'"],
    );

    // Over the size cap: refused before it is parsed.
    let big = t.path("big.xlsx");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(20 * 1024 * 1024 + 1)
        .unwrap();
    contains_all(
        &t.refused(&["question", "import", "acme", p(&big)]),
        &["big.xlsx'", "20 MiB"],
    );

    contains_all(
        &t.refused(&["question", "import", "acme", "missing.xlsx"]),
        &["cannot read 'missing.xlsx'"],
    );
}

#[test]
fn export_refuses_a_vendor_with_nothing_open_and_needs_the_xlsx_flag() {
    let t = T::with_review();
    let out = t.path("q.xlsx");
    contains_all(
        &t.fails(1, &["question", "export", "acme", "--xlsx", p(&out)]),
        &["vendor 'acme' has no open questions", "question add acme"],
    );
    assert!(!out.exists());
    contains_all(
        &t.fails(2, &["question", "export", "acme"]),
        &["--xlsx <FILE>"],
    );
    contains_all(
        &t.fails(1, &["question", "export", "acmee", "--xlsx", p(&out)]),
        &["acme"],
    );
    // Export reads: it works on a read-only database.
    t.ok(&["question", "add", "acme", "dpa.ownership", "Q?"]);
    t.ok(&[
        "--read-only",
        "question",
        "export",
        "acme",
        "--xlsx",
        p(&out),
    ]);
    assert!(t
        .fails(1, &["--read-only", "question", "import", "acme", p(&out)])
        .contains("read-only"));
}

/// Opens the export in LibreOffice and converts it to CSV, where LibreOffice
/// is installed; a bonus check that a real spreadsheet program reads it.
#[test]
fn libreoffice_opens_the_export_where_installed() {
    let Ok(found) = std::process::Command::new("soffice")
        .arg("--version")
        .output()
    else {
        eprintln!("skipped: soffice (LibreOffice) is not installed");
        return;
    };
    if !found.status.success() {
        eprintln!("skipped: soffice --version failed");
        return;
    }
    let t = with_questions();
    let out = t.path("q.xlsx");
    t.ok(&["question", "export", "acme", "--xlsx", p(&out)]);
    let status = std::process::Command::new("soffice")
        .args(["--headless", "--convert-to", "csv", "--outdir"])
        .arg(t.dir.path())
        .arg(&out)
        .env("HOME", t.dir.path())
        .status()
        .unwrap();
    assert!(status.success());
    let csv = std::fs::read_to_string(t.path("q.csv")).unwrap();
    contains_all(&csv, &["Who owns derived data?", "dpa.breach-notification"]);
}

#[test]
fn a_workbook_that_unpacks_past_the_cap_is_refused_before_it_is_read() {
    use std::io::Write;
    let t = with_questions();
    let bomb = t.path("bomb.xlsx");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&bomb).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    zip.start_file("xl/worksheets/sheet1.xml", options).unwrap();
    let zeros = vec![b' '; 1 << 20];
    for _ in 0..201 {
        zip.write_all(&zeros).unwrap();
    }
    zip.finish().unwrap();
    assert!(std::fs::metadata(&bomb).unwrap().len() < 1 << 20);
    contains_all(
        &t.refused(&["question", "import", "acme", "bomb.xlsx"]),
        &["'bomb.xlsx' unpacks to 210763776 bytes (201 MiB), over the limit of 209715200 bytes (200 MiB)"],
    );
}

/// The sheet's protection has no password: a vendor can swap rows or
/// rewrite a question. An answer is recorded only against the question its
/// row still shows; a date typed as an answer is recorded as a date, not
/// Excel's serial number.
#[test]
fn an_answer_is_recorded_only_against_the_question_its_row_shows() {
    let t = with_questions();
    let out = t.path("q.xlsx");
    t.ok(&["question", "export", "acme", "--xlsx", p(&out)]);
    let exported = read_sheet(&out);
    let mut rows = filled(
        &exported,
        &[
            ("1", "At awareness.", "answered"),
            ("2", "We do.", "answered"),
        ],
    );
    // The IDs of rows 2 and 3 swapped, their texts left: each answer now
    // sits beside the other question.
    let (a, b) = (rows[1][0].clone(), rows[2][0].clone());
    rows[1][0] = b;
    rows[2][0] = a;
    let back = t.path("swapped.xlsx");
    write_sheet(&back, "Questions", &rows);
    let err = t.refused(&["question", "import", "acme", p(&back)]);
    contains_all(
        &err,
        &[
            "Questions!C2: the row of question #2 shows 'dpa.breach-notification: Does the 72-hour clock start at awareness?', not the question asked ('dpa.ownership: Who owns derived data?')",
            "Questions!C3: the row of question #1",
            "nothing was imported",
        ],
    );
    // A rewritten question on its own row is refused the same way.
    let mut rows = filled(&exported, &[("2", "Nobody.", "answered")]);
    rows[2][2] = "Do you have a website?".into();
    let back = t.path("rewritten.xlsx");
    write_sheet(&back, "Questions", &rows);
    contains_all(
        &t.refused(&["question", "import", "acme", p(&back)]),
        &["Questions!C3: the row of question #2 shows 'dpa.ownership: Do you have a website?'"],
    );
    // A date cell as the answer reads as the date the vendor typed.
    let rows = filled(&exported, &[("1", "", "answered")]);
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name("Questions").unwrap();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            match cell.parse::<f64>() {
                Ok(n) => ws.write_number(r, c, n).unwrap(),
                Err(_) if cell.is_empty() => ws,
                Err(_) => ws.write_string(r, c, cell).unwrap(),
            };
        }
    }
    let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2026, 12, 1).unwrap();
    let format = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    ws.write_datetime_with_format(1, 4, &date, &format).unwrap();
    let back = t.path("dated.xlsx");
    book.save(&back).unwrap();
    t.ok(&["question", "import", "acme", p(&back)]);
    let listed = t.json(&["question", "list", "acme", "--json"]);
    let first = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["id"] == 1)
        .unwrap();
    assert_eq!(first["answer"], "2026-12-01", "{first}");
}

/// A formula in a cell the vendor fills (issue 19): its value is what the
/// spreadsheet last computed ("=2+2" shows "4"), not what the vendor typed.
/// Refused naming the cell and the formula, nothing recorded; the same value
/// typed is recorded.
#[test]
fn a_formula_in_an_answer_or_status_cell_is_refused_naming_the_cell() {
    let t = with_questions();
    let out = t.path("q.xlsx");
    t.ok(&["question", "export", "acme", "--xlsx", p(&out)]);
    let exported = read_sheet(&out);
    let rows = filled(
        &exported,
        &[("1", "", "answered"), ("2", "Only EU staff", "answered")],
    );
    let answer = t.path("answer-formula.xlsx");
    write_sheet_with_formulas(&answer, "Questions", &rows, &[(1, 4, "=2+2", "4")]);
    contains_all(
        &t.refused(&["question", "import", "acme", p(&answer)]),
        &[
            "Questions!E2: the answer cell holds the formula =2+2 (showing '4'), not a typed answer; nothing was imported",
            "hint: type the answer itself into the cell, not a formula",
        ],
    );
    let rows = filled(
        &exported,
        &[("1", "Yes", ""), ("2", "Only EU staff", "answered")],
    );
    let status = t.path("status-formula.xlsx");
    write_sheet_with_formulas(
        &status,
        "Questions",
        &rows,
        &[(1, 5, "=IF(E2<>\"\",\"answered\",\"\")", "answered")],
    );
    contains_all(
        &t.refused(&["question", "import", "acme", p(&status)]),
        &[
            "Questions!F2: the status cell holds the formula =IF(E2<>\"\",\"answered\",\"\")",
            "type the status itself",
        ],
    );
    // The value typed is an answer like any other.
    let typed = t.path("typed.xlsx");
    write_sheet(
        &typed,
        "Questions",
        &filled(&exported, &[("1", "4", "answered")]),
    );
    t.ok(&["question", "import", "acme", p(&typed)]);
    let q = t.json(&["question", "list", "acme", "--json"]);
    let first = q.as_array().unwrap().iter().find(|q| q["id"] == 1).unwrap();
    assert_eq!(first["answer"], "4");
}
