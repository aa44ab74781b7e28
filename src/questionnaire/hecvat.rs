//! HECVAT workbooks as EDUCAUSE ships them (layouts read from real, public
//! workbooks: docs/questionnaires.md names them).
//!
//! - **3.x** (Lite and Full, 3.01-3.06): one answer sheet,
//!   `HECVAT - Full | Vendor Response` (3.01 Lite: `HECVAT - Lite`), with
//!   `Version 3.06` in E1 or E2. There is no single header row: each section
//!   starts with a row reading `Vendor Answers | Additional Information`.
//! - **4.x**: eight answer tabs (`START HERE`, `Organization`, ... `Privacy`),
//!   `Version 4.1.4` in F2; section rows read `Answer | Additional
//!   Information`. GNRL and REQU rows are repeated on the other tabs as
//!   formulas looking up `START HERE`: those mirrors are not read twice.
//!
//! In both, a question row is one whose id cell matches `^[A-Z]{4}-\d{2}$`
//! (the id column is found by that pattern, not by a header), the answer sits
//! two columns right of the id and the vendor's additional information three
//! (unless a section row names them). Guidance and analyst columns are
//! formulas and are never read. An answer in words (a date, a contact, "Tier
//! III", "3) Both modes available") is kept word for word in the description,
//! with a blank Yes/No answer: it is no "Yes".

use super::{answer_row, bad_id, refuse_error_cell, Answer, AnswerRow, Cells, Filled, Format};
use crate::error::{Error, Result};
use calamine::Reader;

type Book = calamine::Sheets<std::io::Cursor<Vec<u8>>>;

/// The answer tabs of a HECVAT 4.x workbook, in order. Only `START HERE` is
/// required: a vendor may delete the tabs that do not apply.
const TABS_4X: [&str; 8] = [
    "START HERE",
    "Organization",
    "Product",
    "Infrastructure",
    "IT Accessibility",
    "Case-Specific",
    "AI",
    "Privacy",
];

/// The HECVAT major versions whose layout this reader knows.
const MAJORS: [&str; 2] = ["3", "4"];

/// How a workbook lays out its answers.
enum Layout {
    /// One answer sheet; the edition (Lite or Full) when the sheet says.
    V3 {
        sheet: String,
        edition: Option<&'static str>,
    },
    /// The 4.x answer tabs present, in workbook order of `TABS_4X`.
    V4 { tabs: Vec<String> },
}

/// The HECVAT answer sheet (3.x) or tabs (4.x) among `names`, if any.
pub(super) fn detect(names: &[String]) -> Option<String> {
    let trimmed = |n: &String| n.trim().to_string();
    names
        .iter()
        .find(|n| n.trim().eq_ignore_ascii_case("START HERE"))
        .or_else(|| names.iter().find(|n| is_3x_sheet(n)))
        .map(trimmed)
}

/// `HECVAT - Full | Vendor Response`, `HECVAT - Lite`, or any sheet named
/// as a vendor response.
fn is_3x_sheet(name: &str) -> bool {
    let lower = name.trim().to_ascii_lowercase();
    lower.contains("vendor response") || lower == "hecvat - lite" || lower == "hecvat - full"
}

fn layout(names: &[String]) -> Option<Layout> {
    let find = |tab: &str| names.iter().find(|n| n.trim().eq_ignore_ascii_case(tab));
    if find("START HERE").is_some() {
        let tabs = TABS_4X
            .iter()
            .filter_map(|tab| find(tab).cloned())
            .collect();
        return Some(Layout::V4 { tabs });
    }
    let sheet = names.iter().find(|n| is_3x_sheet(n))?.clone();
    let edition = edition_in(&sheet);
    Some(Layout::V3 { sheet, edition })
}

/// Reads a HECVAT workbook's answers (see the module comment).
pub(super) fn read(shown: &str, book: &mut Book, names: &[String]) -> Result<Filled> {
    let Some(layout) = layout(names) else {
        return Err(Error::user(format!(
            "'{shown}' has no HECVAT answer sheet (its sheets: {})",
            names.join(", ")
        ))
        .with_hint("a HECVAT 3 workbook has a 'HECVAT - Full | Vendor Response' sheet, a HECVAT 4 one a 'START HERE' tab"));
    };
    let (first_sheet, edition) = match &layout {
        Layout::V3 { sheet, edition } => (sheet.clone(), *edition),
        Layout::V4 { tabs } => (tabs[0].clone(), None),
    };
    let first = sheet(shown, book, &first_sheet)?;
    let mut version = find_version(&first.0);
    let mut edition = edition.or_else(|| edition_near_top(&first.0));
    if version.is_none() {
        // Some copies carry the version on their first (cover) sheet only.
        if let Some(cover) = names.first() {
            if let Ok(range) = book.worksheet_range(cover) {
                version = find_version(&range);
                edition = edition.or_else(|| edition_near_top(&range));
            }
        }
    }
    let Some(version) = version else {
        return Err(Error::user(format!(
            "'{shown}': no HECVAT version found in sheet {first_sheet} (a cell reading 'Version 3.06' near its top)"
        ))
        .with_hint("pass the workbook as EDUCAUSE ships it, with its version cell, or save its answers as CSV"));
    };
    let major = version.split('.').next().unwrap_or_default();
    if !MAJORS.contains(&major) {
        return Err(Error::user(format!(
            "'{shown}' is a HECVAT {version} workbook; this vetter reads HECVAT 3.x (Lite and Full) and 4.x"
        ))
        .with_hint("question ids change meaning between HECVAT versions: ask for a current workbook, or save its answers as CSV with a mapping for that version"));
    }
    let expected = match layout {
        Layout::V3 { .. } => "3",
        Layout::V4 { .. } => "4",
    };
    if major != expected {
        return Err(Error::user(format!(
            "'{shown}' says it is HECVAT {version}, but it is laid out as HECVAT {expected} (sheet {first_sheet})"
        ))
        .with_hint("pass the workbook as EDUCAUSE ships it; a HECVAT 4 workbook has a START HERE tab, a HECVAT 3 one a '... | Vendor Response' sheet"));
    }
    let mut answers = Vec::new();
    match &layout {
        Layout::V3 { sheet, .. } => sheet_answers(shown, sheet, &first, &mut answers)?,
        Layout::V4 { tabs } => {
            sheet_answers(shown, &tabs[0], &first, &mut answers)?;
            for tab in &tabs[1..] {
                let cells = sheet(shown, book, tab)?;
                sheet_answers(shown, tab, &cells, &mut answers)?;
            }
        }
    }
    if answers.is_empty() {
        return Err(Error::user(format!(
            "'{shown}': sheet {first_sheet} has no question ids (DOCU-01, AAAI-03) in any column"
        ))
        .with_hint("pass the HECVAT workbook as EDUCAUSE ships it, or its answers as CSV"));
    }
    Ok(Filled {
        format: Format::Hecvat,
        version,
        edition,
        answers,
    })
}

fn sheet(shown: &str, book: &mut Book, name: &str) -> Result<super::Sheet> {
    super::sheet_and_formulas(shown, book, name)
}

/// A HECVAT question id: four capitals, a dash, two digits. Anchored: a
/// 3.x Full sheet has "GNRL-01 through GNRL-08; ..." above the GNRL rows.
fn is_id(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 7
        && b[..4].iter().all(u8::is_ascii_uppercase)
        && b[4] == b'-'
        && b[5..].iter().all(u8::is_ascii_digit)
}

/// Text that was meant as an id but is not one ("docu-01", "DOCU 1"): a
/// row with it and an answer is refused, not skipped as prose.
fn is_near_id(text: &str) -> bool {
    let re =
        regex::Regex::new(r"^[A-Za-z&]{2,6}\s*[-_.]?\s*[0-9]{1,3}(\.[0-9]+)?$").expect("valid");
    re.is_match(text)
}

/// The labels of a section row; its cells name the answer columns.
fn answer_label(text: &str) -> bool {
    matches!(
        text.trim().to_ascii_lowercase().as_str(),
        "vendor answers" | "vendor answer" | "answer" | "answers"
    )
}

fn description_label(text: &str) -> bool {
    text.trim().eq_ignore_ascii_case("additional information")
}

/// The answers of one sheet, appended to `answers` (see the module comment).
fn sheet_answers(
    shown: &str,
    sheet: &str,
    (range, formulas): &super::Sheet,
    answers: &mut Vec<AnswerRow>,
) -> Result<()> {
    let (row0, col0) = range.start().unwrap_or((0, 0));
    let text = |row: &[calamine::Data], i: usize| {
        row.get(i)
            .map(crate::workbook::cell_text)
            .unwrap_or_default()
    };
    // The id column: the one where most cells are ids.
    let mut counts = vec![0usize; range.width()];
    for row in range.rows() {
        for (i, cell) in row.iter().enumerate() {
            if is_id(crate::workbook::cell_text(cell).trim()) {
                counts[i] += 1;
            }
        }
    }
    let Some((id_col, _)) = counts
        .iter()
        .enumerate()
        .filter(|(_, n)| **n > 0)
        .max_by_key(|(i, n)| (**n, std::cmp::Reverse(*i)))
    else {
        return Ok(());
    };
    // A section row names the answer columns; without one they sit two and
    // three columns right of the id, as in every HECVAT 3 and 4 workbook.
    let labelled = |is_label: fn(&str) -> bool| {
        range
            .rows()
            .find_map(|row| (id_col + 1..row.len()).find(|&i| is_label(&text(row, i))))
    };
    let answer_col = labelled(answer_label).unwrap_or(id_col + 2);
    let description_col = labelled(description_label).unwrap_or(answer_col + 1);
    for (r, row) in range.rows().enumerate() {
        let abs_row = row0 + r as u32;
        let at = |col: usize| {
            format!(
                "{sheet}!{}{}",
                crate::workbook::column_name(col0 as usize + col),
                abs_row + 1
            )
        };
        let id = text(row, id_col);
        let id = id.trim();
        let (answer, description) = (text(row, answer_col), text(row, description_col));
        if !is_id(id) {
            let empty = answer.trim().is_empty() && description.trim().is_empty();
            let section_row = answer_label(&answer) || description_label(&description);
            // Prose in the id column (a section title, "Date Completed",
            // an instruction) makes the row no question; an answer with no
            // id, or with a mistyped one, is refused rather than dropped.
            if empty || section_row || !(id.is_empty() || is_near_id(id)) {
                continue;
            }
            return Err(bad_id(shown, &at(id_col), id));
        }
        let formula = |col: usize| {
            formulas
                .get_value((abs_row, col0 + col as u32))
                .filter(|f| !f.is_empty())
        };
        // HECVAT 4 repeats START HERE's rows on other tabs as lookups.
        let mirror = [answer_col, description_col]
            .iter()
            .any(|&c| formula(c).is_some_and(|f| f.to_ascii_uppercase().contains("'START HERE'!")));
        if mirror {
            continue;
        }
        for col in [answer_col, description_col] {
            if let Some(formula) = crate::workbook::formula_in(formulas, abs_row, col0 + col as u32)
            {
                return Err(Error::user(format!(
                    "'{shown}' {} holds the formula {formula} (showing {:?}), not a value the vendor typed; nothing was recorded",
                    at(col),
                    text(row, col)
                ))
                .with_hint("type the value itself into the cell, not a formula (in Excel: copy it, then Paste Special > Values), or ask the vendor to"));
            }
        }
        refuse_error_cell(shown, &at(answer_col), row.get(answer_col))?;
        refuse_error_cell(shown, &at(description_col), row.get(description_col))?;
        let (answer, description) = in_words(&answer, &description);
        answers.push(answer_row(
            shown,
            id,
            answer,
            "",
            &description,
            Cells {
                id: at(id_col),
                answer: at(answer_col),
                owner: at(answer_col),
                description: at(description_col),
            },
        )?);
    }
    Ok(())
}

/// A HECVAT answer cell read: "Yes", "No", "N/A", or a numbered list value
/// ("1) Yes") is that answer; anything else (a date, a name, "Tier III",
/// "3) Both modes available") is the vendor's answer in words, kept ahead of
/// the additional information with a blank answer.
fn in_words<'a>(answer: &'a str, description: &str) -> (&'a str, String) {
    let trimmed = answer.trim();
    let unnumbered = trimmed
        .split_once(") ")
        .filter(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        .map_or(trimmed, |(_, rest)| rest.trim());
    // Vendors leave trailing spaces ("AES-256. "): not their words.
    let description = description.trim();
    if Answer::parse(unnumbered).is_some() {
        return (unnumbered, description.to_string());
    }
    let words = if description.is_empty() {
        format!("Answered in words: {trimmed}")
    } else {
        format!("Answered in words: {trimmed}\n{description}")
    };
    ("", words)
}

/// "Lite" or "Full" as a sheet name says it ("HECVAT - Lite | Vendor
/// Response"); the word itself ("carefully" says nothing).
fn edition_in(text: &str) -> Option<&'static str> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .map(str::to_ascii_lowercase)
        .collect();
    if words.iter().any(|w| w == "lite") {
        Some("Lite")
    } else if words.iter().any(|w| w == "full") {
        Some("Full")
    } else {
        None
    }
}

/// The edition a cell near the top names ("HECVAT Full v3.06").
fn edition_near_top(range: &calamine::Range<calamine::Data>) -> Option<&'static str> {
    range
        .rows()
        .take(10)
        .flat_map(|row| row.iter())
        .map(crate::workbook::cell_text)
        .filter(|t| t.to_ascii_lowercase().contains("hecvat"))
        .find_map(|t| edition_in(&t))
}

/// The version a cell near the top states: "Version 3.06" (E1/E2 in 3.x,
/// F2 in 4.x), "HECVAT Lite v3.06".
fn find_version(range: &calamine::Range<calamine::Data>) -> Option<String> {
    let re = regex::Regex::new(r"(?i)\b(?:hecvat[^0-9]{0,30}|version\s*|v)(\d+\.\d+(?:\.\d+)?)\b")
        .expect("valid");
    range
        .rows()
        .take(10)
        .flat_map(|row| row.iter())
        .find_map(|c| {
            re.captures(&crate::workbook::cell_text(c))
                .map(|m| m[1].to_string())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_answers_and_words_as_hecvat_writes_them() {
        assert!(is_id("DOCU-01") && is_id("AAAI-19"));
        assert!(!is_id("GNRL-01 through GNRL-08; populated by the Vendor"));
        assert!(!is_id("docu-01") && !is_id("DOC-01") && !is_id("DOCU-1"));
        assert!(is_near_id("docu-01") && is_near_id("DOCU 1") && is_near_id("CEK-03.2"));
        assert!(!is_near_id("Date Completed") && !is_near_id(" Data"));
        assert_eq!(in_words("1) Yes", ""), ("Yes", String::new()));
        assert_eq!(in_words("2) No ", "x "), ("No", "x".to_string()));
        assert_eq!(in_words("N/A", ""), ("N/A", String::new()));
        assert_eq!(
            in_words("3) Both modes available", "SAML and passwords"),
            (
                "",
                "Answered in words: 3) Both modes available\nSAML and passwords".to_string()
            )
        );
        assert_eq!(in_words("Tier III", "").0, "");
        assert_eq!(edition_in("HECVAT - Full | Vendor Response"), Some("Full"));
        assert_eq!(edition_in("HECVAT - Lite"), Some("Lite"));
        assert_eq!(edition_in("Read carefully"), None);
    }
}
