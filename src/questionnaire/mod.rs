//! Standard questionnaires a vendor fills: the CSA CAIQ v4, the EDUCAUSE
//! HECVAT 3 and 4 (`hecvat.rs`), or any questionnaire as CSV (`id,answer,comment[,owner]`).
//! Reading keeps every answer, the vendor's own words and where each sat
//! (`CAIQv4.0.3!C57`); it never keeps question text (CAIQ's may not be
//! redistributed). `mapping.rs` maps answers to checklist items.

mod hecvat;
pub mod mapping;

use crate::error::{Error, Result};
use serde::Serialize;
use std::collections::HashMap;
use std::path::Path;

/// The largest questionnaire file read.
pub const MAX_BYTES: u64 = 20 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Caiq,
    Hecvat,
    Csv,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Caiq => "caiq",
            Format::Hecvat => "hecvat",
            Format::Csv => "csv",
        }
    }

    /// The questionnaire's name as people write it.
    pub fn label(self) -> &'static str {
        match self {
            Format::Caiq => "CAIQ",
            Format::Hecvat => "HECVAT",
            Format::Csv => "CSV",
        }
    }
}

impl std::str::FromStr for Format {
    type Err = Error;
    fn from_str(s: &str) -> Result<Format> {
        match s {
            "caiq" => Ok(Format::Caiq),
            "hecvat" => Ok(Format::Hecvat),
            "csv" => Ok(Format::Csv),
            _ => Err(Error::user(format!("unknown questionnaire format '{s}'"))
                .with_hint("valid formats: caiq, hecvat, csv")),
        }
    }
}

/// The CAIQ and HECVAT versions whose layout this vetter reads.
pub const CAIQ_VERSIONS: &[&str] = &["4.0.1", "4.0.2", "4.0.3"];

/// The columns of a CAIQ v4 answer sheet that vetter reads, as its header
/// row names them (case-insensitive prefixes).
const CAIQ_HEADER: [&str; 4] = [
    "Question ID",
    "CSP CAIQ Answer",
    "SSRM Control Ownership",
    "CSP Implementation Description",
];

/// The question ids a questionnaire has, to refuse an answer to one it does
/// not, with what the message and its hint say.
struct KnownIds {
    questionnaire: &'static str,
    /// One id a line.
    ids: &'static str,
    hint: &'static str,
}

/// The 261 question ids of CAIQ v4.0.x (ids only: the CSA's question text is
/// not ours to ship).
const CAIQ_IDS: KnownIds = KnownIds {
    questionnaire: "CAIQ v4.0.x",
    ids: include_str!("../../mappings/caiq-v4.0.x.ids"),
    hint: "fix the id as the CSA wrote it (mappings/caiq-v4.0.x.ids lists all 261), or clear the row's answer and description",
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Answer {
    Yes,
    No,
    Na,
    Blank,
}

impl Answer {
    pub fn as_str(self) -> &'static str {
        match self {
            Answer::Yes => "yes",
            Answer::No => "no",
            Answer::Na => "na",
            Answer::Blank => "blank",
        }
    }

    /// A cell's answer: Yes / No / NA / N/A / Not Applicable / blank, in
    /// any case; anything else is refused by the caller, naming the cell.
    fn parse(text: &str) -> Option<Answer> {
        match text.trim().to_ascii_lowercase().as_str() {
            "" => Some(Answer::Blank),
            "yes" | "y" => Some(Answer::Yes),
            "no" | "n" => Some(Answer::No),
            "na" | "n/a" | "n.a." | "not applicable" => Some(Answer::Na),
            _ => None,
        }
    }
}

impl std::str::FromStr for Answer {
    type Err = Error;
    fn from_str(s: &str) -> Result<Answer> {
        match s {
            "yes" => Ok(Answer::Yes),
            "no" => Ok(Answer::No),
            "na" => Ok(Answer::Na),
            "blank" => Ok(Answer::Blank),
            _ => Err(Error::user(format!("unknown answer '{s}'"))
                .with_hint("valid answers: yes, no, na, blank")),
        }
    }
}

/// Who the vendor says is responsible (CAIQ's SSRM control ownership, or a
/// CSV `owner` column), in vetter's words.
fn parse_owner(text: &str) -> Option<Option<&'static str>> {
    let t = text.trim().to_ascii_lowercase();
    if t.is_empty() {
        return Some(None);
    }
    if t.starts_with("shared") {
        return Some(Some("shared"));
    }
    if t.starts_with("csp")
        || t.starts_with("3rd")
        || t.starts_with("third")
        || t == "vendor"
        || t == "provider"
    {
        return Some(Some("vendor"));
    }
    if t.starts_with("csc") || t == "customer" {
        return Some(Some("customer"));
    }
    None
}

/// One answer as the vendor gave it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AnswerRow {
    pub question: String,
    pub answer: Answer,
    /// vendor / customer / shared, when the questionnaire says.
    pub owner: Option<&'static str>,
    /// The vendor's own description or comment.
    pub description: Option<String>,
    /// Where the answer sat: `CAIQv4.0.3!C57`, or `line 12` of a CSV.
    pub cell: String,
}

/// A questionnaire as read: its format, version and every answer in order.
#[derive(Debug, Serialize)]
pub struct Filled {
    pub format: Format,
    pub version: String,
    /// HECVAT's edition, `Lite` or `Full`, when the workbook says which
    /// (their question ids differ); None for CAIQ and CSV.
    pub edition: Option<&'static str>,
    pub answers: Vec<AnswerRow>,
}

impl Filled {
    /// What the vendor filled, as people name it: "HECVAT Full 3.06",
    /// "CAIQ 4.0.3", "CSV".
    pub fn title(&self) -> String {
        match (self.format, self.edition) {
            (Format::Csv, _) => "CSV".to_string(),
            (format, Some(edition)) => format!("{} {edition} {}", format.label(), self.version),
            (format, None) => format!("{} {}", format.label(), self.version),
        }
    }
}

/// Reads a questionnaire file: an .xlsx (CAIQ or HECVAT, told apart by
/// their sheets) or a .csv. `format` forces one. Returns the file's bytes
/// too (they are stored as evidence).
pub fn read(path: &Path, format: Option<Format>) -> Result<(Filled, Vec<u8>)> {
    let shown = path.display().to_string();
    let bytes = crate::validate::read_capped(
        path,
        "questionnaire",
        MAX_BYTES,
        "remove sheets the vendor added, or save the answers as CSV",
    )?;
    let is_zip = bytes.starts_with(b"PK\x03\x04");
    // A CFB container (D0 CF 11 E0) is an encrypted OOXML or an old .xls.
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(Error::user(format!(
            "'{shown}' is a password-protected workbook (or an old .xls), which vetter cannot read"
        ))
        .with_hint("ask the vendor for an unprotected .xlsx, or save the answers as CSV"));
    }
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if matches!(extension.as_str(), "xlsx" | "xlsm" | "xls") && !is_zip {
        return Err(Error::user(format!(
            "'{shown}' is not a workbook (it is not an .xlsx file inside)"
        ))
        .with_hint("pass the .xlsx the vendor filled, or save its answers as CSV"));
    }
    let filled = match (format, is_zip) {
        (Some(Format::Csv), true) => {
            return Err(
                Error::user(format!("'{shown}' is an .xlsx workbook, not a CSV")).with_hint(
                    "drop --format csv: vetter reads CAIQ and HECVAT workbooks as they are",
                ),
            )
        }
        (Some(Format::Csv), false) | (None, false) => read_csv(&shown, &bytes)?,
        (Some(f), false) => {
            return Err(Error::user(format!(
                "'{shown}' is not an .xlsx workbook, so it cannot be a {} questionnaire",
                f.as_str()
            ))
            .with_hint("pass the workbook the vendor sent, or --format csv for a CSV"))
        }
        (forced, true) => read_workbook(&shown, bytes.clone(), forced)?,
    };
    check_duplicates(&shown, &filled.answers)?;
    Ok((filled, bytes))
}

fn check_duplicates(shown: &str, answers: &[AnswerRow]) -> Result<()> {
    // Case-insensitively: "a&a-06.1" in a CSV is the question A&A-06.1.
    let mut seen: HashMap<String, &str> = HashMap::new();
    for a in answers {
        if let Some(first) = seen.insert(a.question.to_uppercase(), &a.cell) {
            return Err(Error::user(format!(
                "'{shown}' answers question {} twice: {first} and {}",
                a.question, a.cell
            ))
            .with_hint("keep one row per question id"));
        }
    }
    Ok(())
}

fn read_csv(shown: &str, bytes: &[u8]) -> Result<Filled> {
    let text = crate::commands::import::csv_text(bytes.to_vec(), shown)?;
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| Error::user(format!("'{shown}': {e}")))?
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    let col = |name: &str| headers.iter().position(|h| h == name);
    let (Some(id), Some(answer)) = (col("id"), col("answer")) else {
        return Err(Error::user(format!(
            "'{shown}' is not a questionnaire CSV: its header is {:?}",
            headers.join(",")
        ))
        .with_hint("a questionnaire CSV has the columns id,answer,comment[,owner]"));
    };
    let (comment, owner) = (col("comment"), col("owner"));
    let mut answers = Vec::new();
    let mut lines = crate::commands::import::Lines::new(&text);
    for record in reader.records() {
        let record = record.map_err(|e| Error::user(format!("'{shown}': {e}")))?;
        let line = lines.of(record.position());
        let cell = format!("line {line}");
        let get = |i: Option<usize>| i.and_then(|i| record.get(i)).unwrap_or("").trim();
        let question = get(Some(id));
        if question.is_empty() {
            if get(Some(answer)).is_empty() && get(comment).is_empty() {
                continue;
            }
            return Err(bad_id(shown, &cell, question));
        }
        answers.push(answer_row(
            shown,
            question,
            get(Some(answer)),
            get(owner),
            get(comment),
            Cells::line(line),
        )?);
    }
    if answers.is_empty() {
        return Err(Error::user(format!("'{shown}' has no answers")));
    }
    Ok(Filled {
        format: Format::Csv,
        version: "csv".into(),
        edition: None,
        answers,
    })
}

/// Where an answer row's values are, so a message names the cell at fault;
/// the answer's own cell is recorded with the answer.
struct Cells {
    id: String,
    answer: String,
    owner: String,
    description: String,
}

impl Cells {
    /// A CSV row: every value is on its line.
    fn line(line: u64) -> Cells {
        let at = format!("line {line}");
        Cells {
            id: at.clone(),
            answer: at.clone(),
            owner: at.clone(),
            description: at,
        }
    }
}

fn answer_row(
    shown: &str,
    question: &str,
    answer: &str,
    owner: &str,
    description: &str,
    cells: Cells,
) -> Result<AnswerRow> {
    crate::validate::visible("question id", question)
        .map_err(|e| e.prefixed(format!("'{shown}' {}: ", cells.id)))?;
    let Some(parsed) = Answer::parse(answer) else {
        return Err(Error::user(format!(
            "'{shown}' {}: answer {answer:?} to {question} is not Yes, No, NA or blank",
            cells.answer
        ))
        .with_hint("fix the cell, or ask the vendor to; vetter records only these answers"));
    };
    let Some(owner) = parse_owner(owner) else {
        return Err(Error::user(format!(
            "'{shown}' {}: ownership {owner:?} of {question} is not CSP-owned, CSC-owned or shared",
            cells.owner
        ))
        .with_hint("fix the cell, or leave it empty"));
    };
    let description = crate::validate::text("description", Some(description))
        .map_err(|e| e.prefixed(format!("'{shown}' {}: ", cells.description)))?;
    Ok(AnswerRow {
        question: question.to_string(),
        answer: parsed,
        owner,
        description,
        cell: cells.answer,
    })
}

/// A cell that shows a spreadsheet error (#N/A, #REF!): a formula that
/// failed is no answer and no description, so it is refused, never read as
/// blank.
fn refuse_error_cell(shown: &str, cell: &str, data: Option<&calamine::Data>) -> Result<()> {
    match crate::workbook::error_in(data) {
        Some(code) => Err(Error::user(format!(
            "'{shown}' {cell} shows the error {code}, not an answer; nothing was recorded"
        ))
        .with_hint("ask the vendor to type the value as text, or clear the cell")),
        None => Ok(()),
    }
}

fn read_workbook(shown: &str, bytes: Vec<u8>, forced: Option<Format>) -> Result<Filled> {
    use calamine::Reader;
    // A zip bomb is refused before calamine unpacks anything.
    crate::commands::question_xlsx::check_unpacked_size(&bytes, shown).map_err(|e| {
        Error::user(e.message.replace("a question workbook", "a questionnaire"))
            .with_hint("pass the .xlsx the vendor filled, undamaged, or its answers as CSV")
    })?;
    let mut book =
        calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).map_err(|e| {
            let why = e.to_string();
            let hint = if why.to_ascii_lowercase().contains("password") || why.contains("Encrypted")
            {
                "the workbook is password-protected: ask the vendor for an unprotected copy"
            } else {
                "pass the .xlsx the vendor filled, undamaged, or its answers as CSV"
            };
            Error::user(format!("'{shown}' cannot be read as a workbook: {why}")).with_hint(hint)
        })?;
    let names = book.sheet_names();
    // CAIQ: a sheet named like "CAIQv4.0.3"; HECVAT: a "... | Vendor Response" sheet.
    // A sheet is named exactly "CAIQ" + version ("CAIQv4.0.3"): a guide
    // sheet such as "CAIQv4.0.3 Guide" is not one. Of several (last year's
    // answers kept beside this year's), the one with the header row is
    // read; two with answers are refused rather than one picked.
    let version_re = regex::Regex::new(r"^caiqv?([0-9]+(?:\.[0-9]+)*)$").expect("valid");
    let candidates: Vec<(String, String)> = names
        .iter()
        .filter_map(|n| {
            let compact: String = n.chars().filter(|c| !c.is_whitespace()).collect();
            let lower = compact.to_ascii_lowercase();
            version_re
                .captures(&lower)
                .map(|m| (n.clone(), m[1].to_string()))
        })
        .collect();
    let caiq = match candidates.len() {
        0 | 1 => candidates.into_iter().next(),
        _ => {
            let with_header: Vec<(String, String)> = candidates
                .iter()
                .filter(|(sheet, _)| {
                    book.worksheet_range(sheet)
                        .ok()
                        .and_then(|range| find_header(&range, &CAIQ_HEADER))
                        .is_some()
                })
                .cloned()
                .collect();
            match with_header.len() {
                0 => candidates.into_iter().next(),
                1 => with_header.into_iter().next(),
                _ => {
                    let sheets: Vec<&str> = with_header.iter().map(|(s, _)| s.as_str()).collect();
                    return Err(Error::user(format!(
                        "'{shown}' has {} CAIQ answer sheets ({}); vetter reads one",
                        sheets.len(),
                        sheets.join(", ")
                    ))
                    .with_hint("delete the sheets that are not the answers to import, or save those answers as CSV"));
                }
            }
        }
    };
    let hecvat = hecvat::detect(&names);
    match (forced, caiq, hecvat) {
        (Some(Format::Caiq) | None, Some((sheet, version)), _) => {
            if !CAIQ_VERSIONS.contains(&version.as_str()) {
                return Err(Error::user(format!(
                    "'{shown}' is a CAIQ {version} workbook; this vetter reads CAIQ {}",
                    CAIQ_VERSIONS.join(", ")
                ))
                .with_hint("ask the vendor for the CAIQ v4 workbook, or save its answers as CSV with a mapping of your own"));
            }
            let (range, formulas) = sheet_and_formulas(shown, &mut book, &sheet)?;
            read_caiq(shown, &sheet, &range, &formulas, version)
        }
        (Some(Format::Hecvat) | None, _, Some(_)) => hecvat::read(shown, &mut book, &names),
        (Some(Format::Hecvat), Some((sheet, _)), None) => Err(Error::user(format!(
            "'{shown}' is a CAIQ workbook (sheet {sheet}), not HECVAT"
        ))
        .with_hint("drop --format hecvat, or pass the HECVAT workbook")),
        (Some(Format::Caiq), None, Some(sheet)) => Err(Error::user(format!(
            "'{shown}' is a HECVAT workbook (sheet {sheet}), not CAIQ"
        ))
        .with_hint("drop --format caiq, or pass the CAIQ workbook")),
        _ => Err(Error::user(format!(
            "'{shown}' has no CAIQ or HECVAT answer sheet (its sheets: {})",
            names.join(", ")
        ))
        .with_hint("a CAIQ v4 workbook has a sheet like 'CAIQv4.0.3'; a HECVAT 3 one a '... | Vendor Response' sheet, a HECVAT 4 one a 'START HERE' tab")),
    }
}

/// A sheet's cells and the formulas among them (answer cells must hold
/// none, see `answer_rows`).
type Sheet = (calamine::Range<calamine::Data>, calamine::Range<String>);

fn sheet_and_formulas(
    shown: &str,
    book: &mut calamine::Sheets<std::io::Cursor<Vec<u8>>>,
    sheet: &str,
) -> Result<Sheet> {
    use calamine::Reader;
    let unreadable = |e: calamine::Error| Error::user(format!("'{shown}': sheet {sheet}: {e}"));
    let range = book.worksheet_range(sheet).map_err(unreadable)?;
    let formulas = book.worksheet_formula(sheet).map_err(unreadable)?;
    Ok((range, formulas))
}

/// The header row (within the first 20) holding every one of `wanted`
/// (case-insensitive prefixes), and each wanted column's index.
fn find_header(
    range: &calamine::Range<calamine::Data>,
    wanted: &[&str],
) -> Option<(usize, Vec<usize>)> {
    for (r, row) in range.rows().take(20).enumerate() {
        let texts: Vec<String> = row
            .iter()
            .map(|c| crate::workbook::cell_text(c).trim().to_ascii_lowercase())
            .collect();
        let cols: Option<Vec<usize>> = wanted
            .iter()
            .map(|w| {
                texts
                    .iter()
                    .position(|t| t.starts_with(&w.to_ascii_lowercase()))
            })
            .collect();
        if let Some(cols) = cols {
            return Some((r, cols));
        }
    }
    None
}

/// Where a sheet's answers are: column indices of its rows. HECVAT has no
/// ownership column.
struct AnswerColumns {
    id: usize,
    answer: usize,
    owner: Option<usize>,
    description: usize,
}

/// The answers in the rows below `header` of `sheet`, each checked and named
/// by its cells. A row with neither answer nor description (a copyright
/// line, a section title, a blank line) is no answer; one with either is an
/// answer whose id must be valid (and, with `known`, one the questionnaire
/// has), never silently dropped.
fn answer_rows(
    shown: &str,
    sheet: &str,
    range: &calamine::Range<calamine::Data>,
    formulas: &calamine::Range<String>,
    header: usize,
    columns: &AnswerColumns,
    known: Option<&KnownIds>,
) -> Result<Vec<AnswerRow>> {
    let (row0, col0) = range.start().unwrap_or((0, 0));
    let mut answers = Vec::new();
    for (r, row) in range.rows().enumerate().skip(header + 1) {
        let text = |i: usize| {
            row.get(i)
                .map(crate::workbook::cell_text)
                .unwrap_or_default()
        };
        let question = text(columns.id);
        let question = question.trim();
        let (answer, description) = (text(columns.answer), text(columns.description));
        let at = |col: usize| {
            format!(
                "{sheet}!{}{}",
                crate::workbook::column_name(col0 as usize + col),
                row0 as usize + r + 1
            )
        };
        // The vendor's cells hold what the vendor typed; a formula's value
        // is only what it last computed (guidance and scoring columns may
        // hold formulas: they are not read).
        for col in [
            Some(columns.answer),
            columns.owner,
            Some(columns.description),
        ]
        .into_iter()
        .flatten()
        {
            let (abs_row, abs_col) = (row0 + r as u32, col0 + col as u32);
            if let Some(formula) = crate::workbook::formula_in(formulas, abs_row, abs_col) {
                return Err(Error::user(format!(
                    "'{shown}' {} holds the formula {formula} (showing {:?}), not a value the vendor typed; nothing was recorded",
                    at(col),
                    text(col)
                ))
                .with_hint("type the value itself into the cell, not a formula (in Excel: copy it, then Paste Special > Values), or ask the vendor to"));
            }
        }
        refuse_error_cell(shown, &at(columns.answer), row.get(columns.answer))?;
        refuse_error_cell(
            shown,
            &at(columns.description),
            row.get(columns.description),
        )?;
        if !looks_like_id(question) {
            if answer.trim().is_empty() && description.trim().is_empty() {
                continue;
            }
            return Err(bad_id(shown, &at(columns.id), question));
        }
        // An id the questionnaire does not have feeds no item: refused, not
        // kept unmapped (a "No" would drop out of the findings unseen).
        if let Some(known) = known.filter(|k| !k.ids.lines().any(|id| id == question)) {
            return Err(Error::user(format!(
                "'{shown}' {} has the question id {question}, which {} does not have; nothing was recorded",
                at(columns.id),
                known.questionnaire
            ))
            .with_hint(known.hint));
        }
        let owner = columns.owner.map(text).unwrap_or_default();
        answers.push(answer_row(
            shown,
            question,
            &answer,
            &owner,
            &description,
            Cells {
                id: at(columns.id),
                answer: at(columns.answer),
                owner: at(columns.owner.unwrap_or(columns.answer)),
                description: at(columns.description),
            },
        )?);
    }
    if answers.is_empty() {
        return Err(Error::user(format!(
            "'{shown}': sheet {sheet} has no answers"
        )));
    }
    Ok(answers)
}

fn read_caiq(
    shown: &str,
    sheet: &str,
    range: &calamine::Range<calamine::Data>,
    formulas: &calamine::Range<String>,
    version: String,
) -> Result<Filled> {
    let wanted = CAIQ_HEADER;
    let Some((header, cols)) = find_header(range, &wanted) else {
        return Err(Error::user(format!(
            "'{shown}': sheet {sheet} has no header row with {}",
            wanted.join(" | ")
        ))
        .with_hint("pass the CAIQ workbook as the CSA publishes it, with its header row"));
    };
    let columns = AnswerColumns {
        id: cols[0],
        answer: cols[1],
        owner: Some(cols[2]),
        description: cols[3],
    };
    let answers = answer_rows(
        shown,
        sheet,
        range,
        formulas,
        header,
        &columns,
        Some(&CAIQ_IDS),
    )?;
    Ok(Filled {
        format: Format::Caiq,
        version,
        edition: None,
        answers,
    })
}

/// A row that carries an answer or a description but no valid question id.
fn bad_id(shown: &str, cell: &str, question: &str) -> Error {
    let what = if question.is_empty() {
        "has no question id".to_string()
    } else {
        format!("has the question id {question:?}, which is not an id like CEK-03.2")
    };
    Error::user(format!(
        "'{shown}' {cell} {what}, but its row has an answer or a description; nothing was recorded"
    ))
    .with_hint("fix the id (capital letters, a dash, digits: CEK-03.2, DOCU-01), or clear the row's answer and description if it is no question")
}

/// "A&A-01.1", "CEK-03.2", "DOCU-01", "HFIH-01": capital letters (and &), a
/// dash, ASCII digits, optional ".N". Mappings look ids up exactly, so
/// "cek-04.1" or Arabic-Indic digits would be an answer that feeds nothing.
fn looks_like_id(text: &str) -> bool {
    let re = regex::Regex::new(r"^[A-Z&]{2,6}-[0-9]{1,3}(\.[0-9]{1,3})?$").expect("valid");
    re.is_match(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_and_owners_as_questionnaires_write_them() {
        assert_eq!(Answer::parse(" Yes "), Some(Answer::Yes));
        assert_eq!(Answer::parse("N/A"), Some(Answer::Na));
        assert_eq!(Answer::parse("NA"), Some(Answer::Na));
        assert_eq!(Answer::parse(""), Some(Answer::Blank));
        assert_eq!(Answer::parse("Partially"), None);
        assert_eq!(parse_owner("CSP-owned"), Some(Some("vendor")));
        assert_eq!(parse_owner("CSC-owned"), Some(Some("customer")));
        assert_eq!(parse_owner("Shared CSP and CSC"), Some(Some("shared")));
        assert_eq!(parse_owner("3rd-party outsourced"), Some(Some("vendor")));
        assert_eq!(parse_owner("Nobody"), None);
        assert!(looks_like_id("A&A-01.1") && looks_like_id("DOCU-01"));
        assert!(!looks_like_id("© Cloud Security Alliance"));
    }
}
