//! HECVAT 3.x (Lite and Full) and 4.x workbooks in the layouts EDUCAUSE
//! ships, as read from real public workbooks (docs/questionnaires.md names
//! them): built here with rust_xlsxwriter and placeholder question text,
//! since HECVAT's text is CC BY-NC-SA and not ours to commit.

use super::{contains_all, p, T};
use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Url, Workbook, Worksheet};
use std::collections::HashMap;
use std::path::Path;

const MAPPINGS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/mappings");

/// What every question's text cell shows; it must never reach the database.
const PLACEHOLDER: &str = "PLACEHOLDER-HECVAT-QUESTION";

/// The ids of an .ids file, in order; `# tab: NAME` lines start a 4.x tab.
fn ids_by_tab(file: &str) -> Vec<(String, Vec<String>)> {
    let text = std::fs::read_to_string(format!("{MAPPINGS}/{file}")).unwrap();
    let mut tabs: Vec<(String, Vec<String>)> = vec![(String::new(), Vec::new())];
    for line in text.lines().map(str::trim) {
        if let Some(tab) = line.strip_prefix("# tab: ") {
            tabs.push((tab.to_string(), Vec::new()));
        } else if !line.is_empty() && !line.starts_with('#') {
            tabs.last_mut().unwrap().1.push(line.to_string());
        }
    }
    tabs.retain(|(_, ids)| !ids.is_empty());
    tabs
}

/// A cell a test writes: the answer (C) and additional information (D).
type Answers<'a> = HashMap<&'a str, (&'a str, &'a str)>;

/// A formula with the value Excel saved beside it.
fn formula(text: &str, cached: &str) -> Formula {
    Formula::new(text).set_result(cached)
}

/// A HECVAT 3.x answer sheet laid out as the 3.06 Full (and Lite) files
/// are: notice row, title and version cell (E2; E1 in 3.04), DATE-01 as a
/// date cell, GNRL rows with C:E merged, a section row `Vendor Answers |
/// Additional Information | Guidance | Analyst Notes` before each id prefix,
/// question text as a lookup formula, guidance and analyst-note formulas in
/// E and F, `End Table Data` in G, and an end row. Returns where each id's
/// row is (1-based, as Excel numbers it).
fn hecvat3(
    path: &Path,
    edition: &str,
    version: &str,
    version_row: u32,
    answers: &Answers,
) -> HashMap<String, u32> {
    let ids_file = if edition == "Full" {
        "hecvat-3.x-full.ids"
    } else {
        "hecvat-3.x.ids"
    };
    let ids = ids_by_tab(ids_file).remove(0).1;
    let mut book = Workbook::new();
    for name in ["Introduction", "Instructions"] {
        book.add_worksheet()
            .set_name(name)
            .unwrap()
            .write_string(0, 0, "Read me first")
            .unwrap();
    }
    let sheet = book.add_worksheet();
    let name = format!("HECVAT - {edition} | Vendor Response");
    sheet.set_name(&name).unwrap();
    let plain = Format::new();
    sheet
        .write_string(
            0,
            0,
            "Cells contained in this worksheet may contain dropdown lists. ",
        )
        .unwrap();
    sheet.merge_range(1, 0, 1, 3, &name, &plain).unwrap();
    sheet
        .write_string(version_row, 4, format!("Version {version}"))
        .unwrap();
    sheet
        .merge_range(2, 0, 2, 4, "Vendor Response", &plain)
        .unwrap();
    let mut rows = HashMap::new();
    let mut row: u32 = 3;
    let mut prefix = String::new();
    for (n, id) in ids.iter().enumerate() {
        let this_prefix = &id[..4];
        if id == "DATE-01" {
            sheet.write_string(row, 0, id).unwrap();
            sheet.write_string(row, 1, "Date").unwrap();
            let date = Format::new().set_num_format("yyyy-mm-dd");
            sheet.merge_range(row, 2, row, 4, "", &date).unwrap();
            sheet
                .write_datetime_with_format(
                    row,
                    2,
                    ExcelDateTime::from_ymd(2024, 4, 30).unwrap(),
                    &date,
                )
                .unwrap();
            rows.insert(id.clone(), row + 1);
            row += 1;
            prefix = this_prefix.to_string();
            continue;
        }
        if this_prefix != prefix {
            if this_prefix == "GNRL" {
                sheet
                    .merge_range(row, 0, row, 1, "General Information", &plain)
                    .unwrap();
                sheet
                    .merge_range(
                        row + 1,
                        0,
                        row + 1,
                        4,
                        "In order to protect the institution ...",
                        &plain,
                    )
                    .unwrap();
                sheet
                    .merge_range(
                        row + 2,
                        0,
                        row + 2,
                        4,
                        "GNRL-01 through GNRL-08; populated by the Vendor",
                        &plain,
                    )
                    .unwrap();
                row += 3;
            } else {
                // Some section titles are formulas whose text depends on
                // the qualifiers; the labels in C:F are what mark the row.
                sheet
                    .write_formula(
                        row,
                        0,
                        formula(
                            "=IF($C$29=\"No\",\"Optional\",\"Section\")",
                            &format!("{this_prefix} section "),
                        ),
                    )
                    .unwrap();
                for (c, label) in [
                    "Vendor Answers",
                    "Additional Information",
                    "Guidance",
                    "Analyst Notes",
                ]
                .iter()
                .enumerate()
                {
                    sheet.write_string(row, 2 + c as u16, *label).unwrap();
                }
                row += 1;
            }
            prefix = this_prefix.to_string();
        }
        let r = row;
        sheet.write_string(r, 0, id).unwrap();
        sheet
            .write_formula(
                r,
                1,
                formula(
                    &format!("=VLOOKUP(A{},Questions!$B$3:$C$256,2,FALSE)", r + 1),
                    PLACEHOLDER,
                ),
            )
            .unwrap();
        let (answer, info) = answers.get(id.as_str()).copied().unwrap_or(("", ""));
        if this_prefix == "GNRL" {
            sheet.merge_range(r, 2, r, 4, answer, &plain).unwrap();
        } else {
            if !answer.is_empty() {
                sheet.write_string(r, 2, answer).unwrap();
            }
            // Vendors leave a single space where they have nothing to add.
            sheet
                .write_string(r, 3, if info.is_empty() { " " } else { info })
                .unwrap();
            sheet
                .write_formula(
                    r,
                    4,
                    formula(
                        &format!(
                            "=IF((C{0}=\"\"),\"\",IF(C{0}=\"Yes\",\"\",\"Explain\"))",
                            r + 1
                        ),
                        " ",
                    ),
                )
                .unwrap();
            sheet
                .write_formula(
                    r,
                    5,
                    formula(
                        &format!("=VLOOKUP(A{},'Analyst Report'!$A$39:$E$288,5,FALSE)", r + 1),
                        " ",
                    ),
                )
                .unwrap();
        }
        let last_of_section = ids.get(n + 1).is_none_or(|next| next[..4] != *this_prefix);
        if last_of_section {
            sheet
                .write_string(
                    r,
                    if this_prefix == "GNRL" { 5 } else { 6 },
                    "End Table Data",
                )
                .unwrap();
        }
        rows.insert(id.clone(), r + 1);
        row += 1;
        if this_prefix == "GNRL" && last_of_section {
            sheet
                .merge_range(row, 0, row, 1, "Instructions", &plain)
                .unwrap();
            sheet
                .merge_range(
                    row + 1,
                    0,
                    row + 1,
                    4,
                    "Step 1: Complete the Qualifiers section first.",
                    &plain,
                )
                .unwrap();
            row += 2;
        }
    }
    sheet.write_string(row, 0, "End of worksheet ").unwrap();
    sheet.set_column_hidden(7).unwrap();
    for name in ["Analyst Report", "Summary Report", "Questions", "ChangeLog"] {
        let other = book.add_worksheet();
        other.set_name(name).unwrap();
        other
            .write_formula(
                1,
                8,
                formula(
                    &format!("='{}'!E2", "HECVAT - Full | Vendor Response"),
                    &format!("Version {version}"),
                ),
            )
            .unwrap();
    }
    book.save(path).unwrap();
    rows
}

/// A HECVAT 4.x workbook laid out as the 4.1.4 template is: eight answer
/// tabs (row 1 hidden, title in A2, the version in F2 as a formula, the date
/// in START HERE!C3 and mirrored on the other tabs), a section row `Answer |
/// Additional Information | Guidance | Analyst Notes` before each id prefix,
/// GNRL and REQU rows repeated on the other tabs as lookups into START HERE,
/// and a copyright row; then the evaluation and hidden sheets. `tabs` keeps
/// only the named tabs (all when empty). Returns each answer cell's address.
fn hecvat4(
    path: &Path,
    version: &str,
    answers: &Answers,
    tabs: &[&str],
) -> HashMap<String, String> {
    let mut book = Workbook::new();
    let mut cells = HashMap::new();
    // Where START HERE put each id: the mirrors look it up.
    let mut start_rows: HashMap<String, u32> = HashMap::new();
    for (tab, ids) in ids_by_tab("hecvat-4.x.ids") {
        if !tabs.is_empty() && !tabs.contains(&tab.as_str()) {
            continue;
        }
        let sheet = book.add_worksheet();
        sheet.set_name(&tab).unwrap();
        sheet
            .write_string(0, 0, "Cells contained in this worksheet ...")
            .unwrap();
        sheet.set_row_hidden(0).unwrap();
        sheet
            .write_string(1, 0, format!("HECVAT Solution Provider Response - {tab}"))
            .unwrap();
        sheet
            .write_formula(
                1,
                5,
                formula("='Auto Responses'!$A$36", &format!("Version {version}")),
            )
            .unwrap();
        sheet.write_string(2, 0, "Date Completed").unwrap();
        if tab == "START HERE" {
            let date = Format::new().set_num_format("yyyy-mm-dd");
            sheet
                .write_datetime_with_format(
                    2,
                    2,
                    ExcelDateTime::from_ymd(2025, 9, 1).unwrap(),
                    &date,
                )
                .unwrap();
        } else {
            sheet
                .write_formula(2, 2, formula("='START HERE'!$C$3", "45901"))
                .unwrap();
        }
        sheet
            .write_string(3, 0, "Instructions for Solution Providers")
            .unwrap();
        let mut row: u32 = 11;
        // Other tabs open with START HERE's GNRL and REQU rows, mirrored.
        let mirrored: Vec<String> = if tab == "START HERE" {
            Vec::new()
        } else {
            ["GNRL-01", "GNRL-02", "GNRL-03", "GNRL-08", "REQU-01"]
                .iter()
                .map(|s| s.to_string())
                .collect()
        };
        let mut prefix = String::new();
        for (mirror, id) in mirrored
            .iter()
            .map(|i| (true, i))
            .chain(ids.iter().map(|i| (false, i)))
        {
            let this_prefix = &id[..4];
            if this_prefix != prefix {
                sheet
                    .write_formula(
                        row,
                        0,
                        formula(
                            &format!(
                                "=VLOOKUP(LEFT($A{}, 4),'Auto Responses'!$N$4:$O$38,2,0)&\"\"",
                                row + 2
                            ),
                            &format!(" {this_prefix} questions"),
                        ),
                    )
                    .unwrap();
                for (c, label) in [
                    "Answer",
                    "Additional Information",
                    "Guidance",
                    "Analyst Notes",
                ]
                .iter()
                .enumerate()
                {
                    sheet.write_string(row, 2 + c as u16, *label).unwrap();
                }
                row += 1;
                prefix = this_prefix.to_string();
            }
            sheet.write_string(row, 0, id).unwrap();
            sheet
                .write_formula(
                    row,
                    1,
                    formula(
                        &format!("=VLOOKUP($A{},Questions!$A$2:$X$333,2,0)", row + 1),
                        PLACEHOLDER,
                    ),
                )
                .unwrap();
            let (answer, info) = answers.get(id.as_str()).copied().unwrap_or(("", ""));
            if mirror {
                let at = start_rows.get(id).copied().unwrap_or(13);
                sheet
                    .write_formula(
                        row,
                        2,
                        formula(
                            &format!(
                                "=VLOOKUP($A{},'START HERE'!$A$13:$C${at},3,0)&\"\"",
                                row + 1
                            ),
                            answer,
                        ),
                    )
                    .unwrap();
                sheet
                    .write_formula(
                        row,
                        3,
                        formula(
                            &format!(
                                "=VLOOKUP($A{},'START HERE'!$A$13:$D${at},4,0)&\"\"",
                                row + 1
                            ),
                            info,
                        ),
                    )
                    .unwrap();
            } else {
                if !answer.is_empty() {
                    sheet.write_string(row, 2, answer).unwrap();
                }
                if !info.is_empty() {
                    sheet.write_string(row, 3, info).unwrap();
                }
                cells.insert(id.clone(), format!("{tab}!C{}", row + 1));
                if tab == "START HERE" {
                    start_rows.insert(id.clone(), row + 1);
                }
            }
            sheet
                .write_formula(
                    row,
                    4,
                    formula(&format!("=IF(C{}=\"\",\"\",\"Guidance\")", row + 1), ""),
                )
                .unwrap();
            sheet
                .write_formula(
                    row,
                    5,
                    formula(
                        &format!(
                            "=VLOOKUP($A{},'Institution Evaluation'!$A$56:$F$345,6,0)&\"\"",
                            row + 1
                        ),
                        "",
                    ),
                )
                .unwrap();
            row += 1;
        }
        sheet.write_string(row - 1, 6, "End Table Data").unwrap();
        sheet
            .write_string(row, 0, "Copyright © 2025 EDUCAUSE")
            .unwrap();
        hide_helpers(sheet);
    }
    for name in ["Institution Evaluation", "Questions", "Auto Responses"] {
        let other = book.add_worksheet();
        other.set_name(name).unwrap();
        other.write_string(53, 0, "ID").unwrap();
        other
            .write_formula(55, 0, formula("='START HERE'!$A$13", "GNRL-01"))
            .unwrap();
        if name == "Auto Responses" {
            other
                .write_string(35, 0, format!("Version {version}"))
                .unwrap();
        }
    }
    book.save(path).unwrap();
    cells
}

fn hide_helpers(sheet: &mut Worksheet) {
    for col in 7..13 {
        sheet.set_column_hidden(col).unwrap();
    }
}

fn import_json(t: &T, file: &Path) -> serde_json::Value {
    t.json(&["import", "questionnaire", "acme", p(file), "--json"])
}

/// The after-status the import gave `item`.
fn after(report: &serde_json::Value, item: &str) -> String {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["item"] == item)
        .unwrap_or_else(|| panic!("no finding for {item} in {report}"))["after"]
        .as_str()
        .unwrap()
        .to_string()
}

/// A stored answer's (answer, description).
fn stored(t: &T, question: &str) -> (String, String) {
    let all = t.json(&["questionnaire", "show", "acme", "--json"]);
    let a = all[0]["answers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["question"] == question)
        .unwrap_or_else(|| panic!("{question} not stored"))
        .clone();
    (
        a["answer"].as_str().unwrap().to_string(),
        a["description"].as_str().unwrap_or_default().to_string(),
    )
}

/// A 3.06 Full workbook as a vendor fills it: section rows are no error,
/// Yes/No feed the Full mapping's items, a blank answer is unknown, the numbered "1) Yes" list is Yes, and answers in words (the
/// date, the vendor's name, "4) AWS", "3) Both modes available") are kept
/// word for word with a blank answer, never read as "Yes".
#[test]
fn a_hecvat_3_full_workbook_imports_as_educause_ships_it() {
    let t = T::with_review();
    let file = t.path("full.xlsx");
    let answers: Answers = HashMap::from([
        ("GNRL-01", ("Acme Cloud ", "")),
        ("QUAL-07", ("4) AWS", "")),
        ("DOCU-01", ("Yes", "SOC 2 Type II, period ending March.")),
        (
            "DATA-03",
            ("No", "TLS 1.0 still accepted on the legacy API."),
        ),
        ("DATA-04", ("Yes", "AES-256.")),
        ("AAAI-01", ("3) Both modes available", "")),
        ("AAAI-09", ("1) Yes", "SAML2 and OIDC.")),
        ("HFIH-01", ("Yes", "Line one\u{b}line two")),
    ]);
    let rows = hecvat3(&file, "Full", "3.06", 1, &answers);
    let report = import_json(&t, &file);
    assert_eq!(report["format"], "hecvat");
    assert_eq!(report["version"], "3.06");
    assert_eq!(report["edition"], "Full");
    assert_eq!(report["mapping"], "built-in hecvat-3.x-full.toml");
    assert_eq!(report["answers"], 255, "every id row, once");
    assert_eq!(after(&report, "trust.soc2-type2"), "partial");
    assert_eq!(after(&report, "security.encryption-in-transit"), "not-met");
    // HFIH-01 is Yes, HFIH-02 and -03 are blank: a blank is unknown, and the worst wins.
    assert_eq!(after(&report, "trust.incident-response"), "unknown");
    // AAAI-01 in words is blank: with AAAI-09's "1) Yes" the item is unknown, not met.
    assert_eq!(after(&report, "access.sso-saml"), "unknown");
    assert_eq!(stored(&t, "AAAI-09").0, "yes");
    assert_eq!(
        stored(&t, "AAAI-01"),
        (
            "blank".into(),
            "Answered in words: 3) Both modes available".into()
        )
    );
    assert_eq!(stored(&t, "DATE-01").1, "Answered in words: 2024-04-30");
    assert_eq!(stored(&t, "GNRL-01").1, "Answered in words: Acme Cloud");
    assert_eq!(stored(&t, "QUAL-07").1, "Answered in words: 4) AWS");
    assert_eq!(
        stored(&t, "HFIH-01").1,
        "Line one\nline two",
        "a pasted line break is one"
    );
    let all = t.json(&["questionnaire", "show", "acme", "--json"]);
    let docu = all[0]["answers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["question"] == "DOCU-01")
        .unwrap()
        .clone();
    assert_eq!(
        docu["cell"],
        format!("HECVAT - Full | Vendor Response!C{}", rows["DOCU-01"])
    );
    assert!(
        !t.dump().contains(PLACEHOLDER),
        "question text reached the database"
    );
    t.ok(&["verify"]);
}

/// 3.04 puts its version in E1 and has Full's ids (EDUCAUSE's change log:
/// no renumbering after 3.03); Lite 3.04 has Lite's. A 3.03 Full, whose ids
/// were renumbered, is refused naming what the built-in mappings cover.
#[test]
fn hecvat_3_versions_and_editions_pick_their_own_mapping() {
    let t = T::with_review();
    let answers: Answers = HashMap::from([("DOCU-01", ("Yes", ""))]);
    let full = t.path("full-304.xlsx");
    hecvat3(&full, "Full", "3.04", 0, &answers);
    let report = t.json(&[
        "import",
        "questionnaire",
        "acme",
        p(&full),
        "--json",
        "--dry-run",
    ]);
    assert_eq!(report["version"], "3.04");
    assert_eq!(report["mapping"], "built-in hecvat-3.x-full.toml");
    let lite = t.path("lite-305.xlsx");
    hecvat3(&lite, "Lite", "3.05", 1, &answers);
    let report = t.json(&[
        "import",
        "questionnaire",
        "acme",
        p(&lite),
        "--json",
        "--dry-run",
    ]);
    assert_eq!(report["mapping"], "built-in hecvat-3.x.toml");
    assert_eq!(report["answers"], 94);
    let old = t.path("full-303.xlsx");
    hecvat3(&old, "Full", "3.03", 1, &answers);
    contains_all(
        &t.refused(&["import", "questionnaire", "acme", p(&old)]),
        &[
            "no built-in mapping for HECVAT Full 3.03",
            "HECVAT Full 3.04, 3.05, 3.06",
            "HECVAT 4.1.4, 4.1.5",
            "--mapping FILE",
        ],
    );
    let ancient = t.path("v2.xlsx");
    hecvat3(&ancient, "Full", "2.11", 1, &answers);
    contains_all(
        &t.refused(&["import", "questionnaire", "acme", p(&ancient)]),
        &["HECVAT 2.11", "3.x (Lite and Full) and 4.x"],
    );
    // A mapping written for Lite does not read a Full workbook's ids.
    let lite_mapping = t.path("lite.toml");
    std::fs::copy(format!("{MAPPINGS}/hecvat-3.x.toml"), &lite_mapping).unwrap();
    contains_all(
        &t.refused(&[
            "import",
            "questionnaire",
            "acme",
            p(&full),
            "--mapping",
            p(&lite_mapping),
        ]),
        &["is for HECVAT Lite 3.04, 3.05, 3.06, not hecvat Full 3.04"],
    );
}

/// A 4.x workbook: answers on every tab, mirrors of START HERE's rows read
/// once, the 4.x mapping (whose ids mean other things than 3.x's: DOCU-01
/// is business continuity), and a version no mapping covers refused.
#[test]
fn a_hecvat_4_workbook_imports_tab_by_tab() {
    let t = T::with_review();
    let answers: Answers = HashMap::from([
        ("GNRL-01", ("Acme Cloud", "")),
        ("REQU-01", ("Yes", "")),
        ("DOCU-01", ("No", "The plan is being written.")),
        ("DOCU-03", ("Yes", "SOC 2 Type II.")),
        ("DATA-02", ("Yes", "TLS 1.2+")),
        ("DCTR-01", ("AWS", "")),
        ("PRPO-11", ("N/A", "")),
    ]);
    let file = t.path("hecvat4.xlsx");
    let cells = hecvat4(&file, "4.1.4", &answers, &[]);
    let report = import_json(&t, &file);
    assert_eq!(report["version"], "4.1.4");
    assert_eq!(report["edition"], serde_json::Value::Null);
    assert_eq!(report["mapping"], "built-in hecvat-4.x.toml");
    assert_eq!(
        report["answers"], 331,
        "mirrored GNRL/REQU rows are not answers twice"
    );
    assert_eq!(after(&report, "monitoring.dr-playbook"), "not-met");
    assert_eq!(after(&report, "trust.soc2-type2"), "partial");
    assert_eq!(after(&report, "security.encryption-in-transit"), "partial");
    assert_eq!(after(&report, "dpa.government-access"), "n/a");
    assert_eq!(stored(&t, "DCTR-01").1, "Answered in words: AWS");
    let all = t.json(&["questionnaire", "show", "acme", "--json"]);
    let gnrl = all[0]["answers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["question"] == "GNRL-01")
        .unwrap()
        .clone();
    assert_eq!(gnrl["cell"], cells["GNRL-01"]);
    assert!(cells["GNRL-01"].starts_with("START HERE!"));
    assert!(cells["DATA-02"].starts_with("Product!"));

    // A vendor may delete the tabs that do not apply to it.
    let fewer = t.path("fewer-tabs.xlsx");
    hecvat4(
        &fewer,
        "4.1.5",
        &answers,
        &["START HERE", "Organization", "Product"],
    );
    let report = t.json(&[
        "import",
        "questionnaire",
        "acme",
        p(&fewer),
        "--json",
        "--dry-run",
    ]);
    assert_eq!(report["version"], "4.1.5");
    assert_eq!(after(&report, "trust.soc2-type2"), "partial");

    let newer = t.path("hecvat416.xlsx");
    hecvat4(&newer, "4.1.6", &answers, &[]);
    contains_all(
        &t.refused(&["import", "questionnaire", "acme", p(&newer)]),
        &[
            "no built-in mapping for HECVAT 4.1.6",
            "HECVAT 4.1.4, 4.1.5",
        ],
    );
}

/// What is not an answer is refused naming its cell, with nothing written:
/// an answer beside no id, a mistyped id, a formula typed into an answer
/// cell that is no START HERE mirror.
#[test]
fn hecvat_cells_that_are_no_answer_are_refused_naming_the_cell() {
    let t = T::with_review();
    let file = t.path("bad.xlsx");
    let answers: Answers = HashMap::from([("DOCU-01", ("Yes", ""))]);
    let cells = hecvat4(&file, "4.1.4", &answers, &["START HERE", "Organization"]);
    t.ok(&["import", "questionnaire", "acme", p(&file), "--dry-run"]);

    // Rewrite one tab's cells with rust_xlsxwriter again: a new workbook
    // whose Organization tab has the faulty row after the real ones.
    for (case, expected) in [
        ("no id", "Organization!A80 has no question id"),
        (
            "docu-02",
            "Organization!A80 has the question id \"docu-02\"",
        ),
        ("formula", "Organization!C80 holds the formula =1+1"),
    ] {
        let bad = t.path("bad-row.xlsx");
        let mut book = Workbook::new();
        for (tab, ids) in ids_by_tab("hecvat-4.x.ids").into_iter().take(2) {
            let sheet = book.add_worksheet();
            sheet.set_name(&tab).unwrap();
            sheet
                .write_formula(1, 5, formula("='Auto Responses'!$A$36", "Version 4.1.4"))
                .unwrap();
            for (n, id) in ids.iter().enumerate() {
                sheet.write_string(12 + n as u32, 0, id).unwrap();
            }
            if tab == "Organization" {
                match case {
                    "no id" => sheet.write_string(79, 2, "Yes").map(|_| ()).unwrap(),
                    "docu-02" => {
                        sheet.write_string(79, 0, "docu-02").unwrap();
                        sheet.write_string(79, 2, "Yes").map(|_| ()).unwrap()
                    }
                    _ => {
                        sheet.write_string(79, 0, "DOCU-02").unwrap();
                        sheet
                            .write_formula(79, 2, formula("=1+1", "2"))
                            .map(|_| ())
                            .unwrap()
                    }
                }
            }
        }
        book.save(&bad).unwrap();
        let err = t.refused(&["import", "questionnaire", "acme", p(&bad)]);
        contains_all(&err, &[expected]);
    }
    assert!(cells.contains_key("DOCU-01"));
}

/// Hyperlink cells (GNRL-04 shows "Privacy Policy" and links elsewhere)
/// read as the text the vendor shows.
#[test]
fn a_hyperlink_answer_reads_as_its_shown_text() {
    let t = T::with_review();
    let file = t.path("link.xlsx");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("HECVAT - Full | Vendor Response").unwrap();
    sheet.write_string(1, 4, "Version 3.06").unwrap();
    sheet.write_string(7, 0, "GNRL-04").unwrap();
    sheet
        .write_url_with_text(
            7,
            2,
            Url::new("https://example.com/privacy"),
            "Privacy Policy",
        )
        .unwrap();
    sheet.write_string(8, 0, "DOCU-01").unwrap();
    sheet.write_string(8, 2, "Yes").unwrap();
    book.save(&file).unwrap();
    import_json(&t, &file);
    assert_eq!(stored(&t, "GNRL-04").1, "Answered in words: Privacy Policy");
}

/// The next cycle's workbook against the previous one: each answer
/// changed, reworded, added or removed with both answers and the vendor's
/// words, the items whose result changed, and the packet's questionnaire
/// section names the previous one; ids of another kind are not compared.
#[test]
fn the_next_cycles_questionnaire_shows_exactly_what_changed() {
    let t = T::with_review();
    let first = t.path("2025.xlsx");
    hecvat3(
        &first,
        "Full",
        "3.06",
        1,
        &HashMap::from([
            ("DOCU-01", ("Yes", "SOC 2 Type II.")),
            ("DATA-03", ("Yes", "TLS 1.2.")),
            ("DATA-04", ("Yes", "AES-256.")),
        ]),
    );
    import_json(&t, &first);
    let second = t.path("2026.xlsx");
    hecvat3(
        &second,
        "Full",
        "3.06",
        1,
        &HashMap::from([
            ("DOCU-01", ("No", "The audit lapsed.")),
            ("DATA-03", ("Yes", "TLS 1.3 only.")),
            ("DATA-04", ("Yes", "AES-256.")),
        ]),
    );
    import_json(&t, &second);
    let d = t.json(&["questionnaire", "diff", "acme", "--json"]);
    assert_eq!(d["from"]["id"], 1);
    assert_eq!(d["to"]["id"], 2);
    assert_eq!(d["counts"]["changed"], 1);
    assert_eq!(d["counts"]["reworded"], 1);
    assert_eq!(d["counts"]["added"], 0);
    let change = |q: &str| {
        d["answers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["question"] == q)
            .unwrap_or_else(|| panic!("{q} not in {d}"))
            .clone()
    };
    let docu = change("DOCU-01");
    assert_eq!(docu["change"], "changed");
    assert_eq!(docu["before"]["answer"], "yes");
    assert_eq!(docu["after"]["answer"], "no");
    assert_eq!(docu["after"]["description"], "The audit lapsed.");
    assert_eq!(change("DATA-03")["change"], "reworded");
    let soc2 = d["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["item"] == "trust.soc2-type2")
        .expect("trust.soc2-type2 changed")
        .clone();
    assert_eq!(
        (soc2["before"].as_str(), soc2["after"].as_str()),
        (Some("partial"), Some("not-met"))
    );
    assert!(!d["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["item"] == "security.encryption-at-rest"));
    contains_all(
        &t.ok(&["questionnaire", "diff", "acme"]),
        &[
            "1 changed, 1 reworded, 0 added, 0 removed",
            "DOCU-01",
            "The audit lapsed.",
            "trust.soc2-type2",
        ],
    );
    let packet = t.path("packet");
    t.ok(&["export", "acme", "--out", p(&packet)]);
    let text = crate::export::pdf_text(&packet.join("packet.pdf"));
    contains_all(
        &text,
        &[
            "Since questionnaire #1 (HECVAT 3.06",
            "2 answers changed (1 changed, 1 reworded",
        ],
    );

    // A HECVAT 4 workbook's ids mean other questions: not compared.
    let four = t.path("hecvat4.xlsx");
    hecvat4(
        &four,
        "4.1.4",
        &HashMap::from([("DOCU-01", ("Yes", ""))]),
        &["START HERE", "Organization"],
    );
    import_json(&t, &four);
    contains_all(
        &t.refused(&["questionnaire", "diff", "acme", "--from", "2", "--to", "3"]),
        &["do not use the same question ids"],
    );
    // With no --from, the one before of the same kind: none for the 4.x one.
    contains_all(
        &t.refused(&["questionnaire", "diff", "acme"]),
        &["has no earlier one of the same kind"],
    );
    contains_all(
        &t.refused(&["questionnaire", "diff", "acme", "--to", "9"]),
        &["no questionnaire #9"],
    );
}
