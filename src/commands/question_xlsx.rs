//! `vetter question export VENDOR --xlsx FILE` and `vetter question import
//! VENDOR FILE`: a vendor's open questions out as a workbook the vendor fills,
//! and the answers back.
//!
//! The workbook has one sheet, `Questions`, with a header row and one row per
//! open question: ID, Item, Question and Due date are locked (the sheet is
//! protected), Answer and Status are the unlocked cells to fill; Status is a
//! list (answered, need more time, not applicable). Import checks every row
//! before it writes, then records each answer as `question answer` does (the
//! same store calls and audit event), all in one transaction.

use super::find_active_vendor;
use crate::error::{Error, Result};
use crate::model::QuestionStatus;
use crate::output;
use crate::store::{self, question::Question, Store};
use crate::{validate, Env};
use std::collections::HashMap;
use std::path::Path;

/// The sheet export writes and import reads.
pub const SHEET: &str = "Questions";
/// The header row, one label per column (A to F).
pub const HEADER: [&str; 6] = ["ID", "Item", "Question", "Due date", "Answer", "Status"];
const ID: u16 = 0;
const ITEM: u16 = 1;
const QUESTION: u16 = 2;
const ANSWER: u16 = 4;
const STATUS: u16 = 5;
/// The values of the Status list.
pub const STATUSES: [&str; 3] = ["answered", "need more time", "not applicable"];
/// A filled workbook of questions is a few hundred KiB at most; anything far
/// larger is not one.
pub const MAX_WORKBOOK_BYTES: u64 = 20 * 1024 * 1024;
/// The most the workbook's parts may unpack to, as its zip directory says: a
/// real one unpacks to a few times its size; a zip bomb to thousands.
pub const MAX_UNPACKED_BYTES: u64 = 200 * 1024 * 1024;
/// The status a vendor chose for a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RowStatus {
    Blank,
    Answered,
    MoreTime,
    NotApplicable,
}

pub fn export(env: &Env, store: &Store, slug: &str, file: &Path, force: bool) -> Result<()> {
    super::check_output_file(
        file,
        force,
        super::OutputKind::QuestionWorkbook,
        "--xlsx questions.xlsx",
    )?;
    let vendor = find_active_vendor(store, slug)?;
    let today = env.today().to_string();
    let questions = store::question::list(store.conn(), Some(vendor.id), true, false, &today)?;
    if questions.is_empty() {
        return Err(Error::user(format!(
            "vendor '{}' has no open questions; nothing was written",
            vendor.slug
        ))
        .with_hint(format!(
            "ask one with `vetter question add {} ITEM TEXT`; `vetter question list {}` shows the answered and closed ones",
            vendor.slug, vendor.slug
        )));
    }
    let bytes = workbook(env, &vendor.name, &questions).map_err(|e| {
        Error::internal(format!("cannot build the workbook: {e}"))
            .with_hint("nothing was written; a question text over 32,767 characters does not fit a spreadsheet cell")
    })?;
    super::write_file_atomically(file, &bytes)?;
    output::note(format!(
        "wrote {} open question{} of '{}' to {}: the vendor fills the Answer and Status columns; read it back with `vetter question import {} FILE`",
        questions.len(),
        if questions.len() == 1 { "" } else { "s" },
        vendor.slug,
        file.display(),
        vendor.slug
    ));
    Ok(())
}

/// The workbook's bytes: one protected sheet with the questions.
fn workbook(
    env: &Env,
    vendor_name: &str,
    questions: &[Question],
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{
        DataValidation, DataValidationErrorStyle, DocProperties, ExcelDateTime, Format,
        FormatAlign, FormatBorder, ProtectionOptions, Workbook,
    };
    let mut book = Workbook::new();
    // The creation time is the command's clock (VETTER_NOW in tests), so the
    // same questions give the same file.
    let created = ExcelDateTime::from_timestamp(env.now.timestamp())?;
    book.set_properties(
        &DocProperties::new()
            .set_title(format!("Open questions to {vendor_name}"))
            .set_author(env.actor.as_str())
            .set_creation_datetime(&created),
    );
    let sheet = book.add_worksheet();
    sheet.set_name(SHEET)?;

    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_border_bottom(FormatBorder::Thin)
        .set_background_color("#D9D9D9");
    let locked = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let date = locked.clone().set_num_format("yyyy-mm-dd");
    // The cells to fill: unlocked, and tinted so they stand out.
    let editable = Format::new()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_unlocked()
        .set_background_color("#FFF2CC");

    for (col, (label, width)) in HEADER
        .iter()
        .zip([8.0, 28.0, 60.0, 12.0, 60.0, 18.0])
        .enumerate()
    {
        let col = col as u16;
        sheet.write_string_with_format(0, col, *label, &header)?;
        sheet.set_column_width(col, width)?;
    }
    for (n, q) in questions.iter().enumerate() {
        let row = n as u32 + 1;
        sheet.write_number_with_format(row, ID, q.id as f64, &locked)?;
        sheet.write_string_with_format(row, ITEM, &q.item, &locked)?;
        sheet.write_string_with_format(row, QUESTION, &q.text, &locked)?;
        // A date cell, so the vendor's spreadsheet sorts and filters by it.
        match q.due.as_deref().map(ExcelDateTime::parse_from_str) {
            Some(Ok(due)) => sheet.write_datetime_with_format(row, 3, &due, &date)?,
            Some(Err(_)) => {
                sheet.write_string_with_format(row, 3, q.due.as_deref().unwrap_or(""), &locked)?
            }
            None => sheet.write_blank(row, 3, &locked)?,
        };
        sheet.write_blank(row, ANSWER, &editable)?;
        sheet.write_blank(row, STATUS, &editable)?;
    }
    let last = questions.len() as u32;
    let status = DataValidation::new()
        .allow_list_strings(&STATUSES)?
        .set_input_title("Status")?
        .set_input_message("answered, need more time or not applicable")?
        .set_error_style(DataValidationErrorStyle::Stop)
        .set_error_title("Unknown status")?
        .set_error_message("Choose answered, need more time or not applicable.")?;
    sheet.add_data_validation(1, STATUS, last, STATUS, &status)?;
    sheet.set_freeze_panes(1, 0)?;
    // No password: the protection keeps the layout import reads, it is not a
    // secret. Columns and rows may be resized to read long questions.
    sheet.protect_with_options(&ProtectionOptions {
        format_columns: true,
        format_rows: true,
        ..ProtectionOptions::default()
    });
    book.save_to_buffer()
}

/// One row of the workbook that records an answer.
struct Answer {
    question: Question,
    text: String,
}

/// Reads the filled workbook and records its answers in one transaction.
/// Returns the ids of the questions answered.
pub fn import(env: &Env, store: &mut Store, slug: &str, file: &Path) -> Result<Vec<i64>> {
    let vendor = find_active_vendor(store, slug)?;
    let shown = file.display().to_string();
    let bytes = validate::read_capped(
        file,
        "question workbook",
        MAX_WORKBOOK_BYTES,
        "give the workbook `vetter question export` wrote, filled in by the vendor",
    )?;
    let rows = read_rows(&bytes, &shown)?;

    let today = env.today().to_string();
    let open: HashMap<i64, Question> =
        store::question::list(store.conn(), Some(vendor.id), true, false, &today)?
            .into_iter()
            .map(|q| (q.id, q))
            .collect();
    let mut errors = Vec::new();
    let mut seen: HashMap<i64, String> = HashMap::new();
    let mut answers = Vec::new();
    let mut no_answer = 0;
    let mut marked_answered_but_empty = Vec::new();
    let mut more_time = Vec::new();
    for row in rows {
        let id_cell = cell_name(ID, row.row);
        let answer_cell = cell_name(ANSWER, row.row);
        let status_cell = cell_name(STATUS, row.row);
        if row.id.trim().is_empty() {
            if !row.answer.trim().is_empty() || !row.status.trim().is_empty() {
                errors.push(format!(
                    "{id_cell}: the ID is empty, but the row has an answer or a status"
                ));
            }
            continue;
        }
        let id = match parse_id(&row.id) {
            Some(id) => id,
            None => {
                errors.push(format!(
                    "{id_cell}: '{}' is not a question ID",
                    clip(&row.id)
                ));
                continue;
            }
        };
        if let Some(first) = seen.insert(id, id_cell.clone()) {
            errors.push(format!(
                "{id_cell}: question #{id} is listed twice (also at {first})"
            ));
            continue;
        }
        let Some(question) = open.get(&id) else {
            errors.push(format!(
                "{id_cell}: question #{id} is not an open question of '{}'{}",
                vendor.slug,
                why_not_open(store, id, vendor.id, &today)
            ));
            continue;
        };
        // The sheet's protection has no password: a vendor can rewrite a
        // question or move an answer to another row. An answer is recorded
        // only against the question its row still shows.
        let same = |a: &str, b: &str| a.split_whitespace().eq(b.split_whitespace());
        let answered = !row.answer.trim().is_empty() || !row.status.trim().is_empty();
        if answered && !(same(&row.item, &question.item) && same(&row.question, &question.text)) {
            errors.push(format!(
                "{}: the row of question #{id} shows '{}: {}', not the question asked ('{}: {}')",
                cell_name(QUESTION, row.row),
                clip(&row.item),
                clip(&row.question),
                question.item,
                clip(&question.text)
            ));
            continue;
        }
        let status = match parse_status(&row.status) {
            Some(status) => status,
            None => {
                errors.push(format!(
                    "{status_cell}: unknown status '{}'; the statuses are: {}",
                    clip(&row.status),
                    STATUSES.join(", ")
                ));
                continue;
            }
        };
        let text = match validate::text("the answer", Some(&row.answer)) {
            Ok(text) => text,
            Err(e) => {
                errors.push(format!("{answer_cell}: {e}"));
                continue;
            }
        };
        let text = match (status, text) {
            // Nothing is recorded for a question still being worked on; a
            // draft answer beside it is said to be left out, not dropped
            // unseen.
            (RowStatus::MoreTime, draft) => {
                let draft = if draft.is_some() {
                    ", its draft answer not recorded"
                } else {
                    ""
                };
                more_time.push(format!("#{id} ({answer_cell}{draft})"));
                continue;
            }
            (RowStatus::NotApplicable, None) => "Not applicable".to_string(),
            (RowStatus::NotApplicable, Some(text)) => format!("Not applicable: {text}"),
            (RowStatus::Answered, None) => {
                marked_answered_but_empty.push(answer_cell);
                continue;
            }
            (RowStatus::Blank, None) => {
                no_answer += 1;
                continue;
            }
            (RowStatus::Blank | RowStatus::Answered, Some(text)) => text,
        };
        answers.push(Answer {
            question: question.clone(),
            text,
        });
    }
    if !errors.is_empty() {
        return Err(crate::error::listed_problems(&shown, "bad cell", errors)
        .with_hint(format!(
            "fix or delete those rows; `vetter question export {} --xlsx FILE` writes a fresh workbook of the open questions",
            vendor.slug
        )));
    }

    store.write(|tx| {
        for answer in &answers {
            // Still open: nothing answered or closed it since it was read.
            let now = store::question::by_id(tx, answer.question.id, &today)?;
            if now.status != QuestionStatus::Open {
                return Err(Error::user(format!(
                    "question #{} became {} while the workbook was read; nothing was imported",
                    now.id, now.status
                )));
            }
            super::question::record_answer(tx, env, &answer.question, &answer.text, None)?;
        }
        Ok(())
    })?;

    let ids: Vec<i64> = answers.iter().map(|a| a.question.id).collect();
    let mut message = match ids.len() {
        0 => format!("recorded no answers from '{shown}' for '{}'", vendor.slug),
        n => format!(
            "recorded {n} answer{} from '{shown}' for '{}' ({})",
            if n == 1 { "" } else { "s" },
            vendor.slug,
            ids.iter()
                .map(|id| format!("#{id}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    if no_answer > 0 {
        message.push_str(&format!(
            "; skipped {no_answer} row{} with no answer",
            if no_answer == 1 { "" } else { "s" }
        ));
    }
    if !marked_answered_but_empty.is_empty() {
        message.push_str(&format!(
            "; skipped {} row{} marked answered with an empty answer ({})",
            marked_answered_but_empty.len(),
            if marked_answered_but_empty.len() == 1 {
                ""
            } else {
                "s"
            },
            marked_answered_but_empty.join(", ")
        ));
    }
    if !more_time.is_empty() {
        message.push_str(&format!(
            "; left open, the vendor needs more time: {}",
            more_time.join(", ")
        ));
    }
    output::note(message);
    Ok(ids)
}

/// The cells import reads from one row of the sheet, as text.
struct Row {
    /// 0-based row index.
    row: u32,
    id: String,
    item: String,
    question: String,
    answer: String,
    status: String,
}

/// Opens the workbook, finds the Questions sheet and checks its header; the
/// rows below it, as text.
fn read_rows(bytes: &[u8], shown: &str) -> Result<Vec<Row>> {
    use calamine::{Reader, Xlsx, XlsxError};
    check_unpacked_size(bytes, shown)?;
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).map_err(|e| match e {
            XlsxError::Password => Error::user(format!(
                "'{shown}' is password-protected; nothing was imported"
            ))
            .with_hint("save it again without a password to open"),
            e => not_a_workbook(shown, &e.to_string()),
        })?;
    if !book.sheet_names().iter().any(|s| s == SHEET) {
        let names = book.sheet_names();
        return Err(Error::user(format!(
            "'{shown}' has no sheet named '{SHEET}' (its sheets: {}); nothing was imported",
            names.join(", ")
        ))
        .with_hint("give the workbook `vetter question export` wrote, filled in by the vendor"));
    }
    let range = book
        .worksheet_range(SHEET)
        .map_err(|e| not_a_workbook(shown, &e.to_string()))?;
    let formulas = book
        .worksheet_formula(SHEET)
        .map_err(|e| not_a_workbook(shown, &e.to_string()))?;
    let text = |row: u32, col: u16| -> String {
        range
            .get_value((row, u32::from(col)))
            .map(crate::workbook::cell_text)
            .unwrap_or_default()
    };
    for (col, label) in HEADER.iter().enumerate() {
        let found = text(0, col as u16);
        if !found.trim().eq_ignore_ascii_case(label) {
            return Err(Error::user(format!(
                "{}: the header is '{}', expected '{label}'; nothing was imported",
                cell_name(col as u16, 0),
                clip(&found)
            ))
            .with_hint(format!(
                "the first row of sheet '{SHEET}' is: {}, as `vetter question export` writes it",
                HEADER.join(", ")
            )));
        }
    }
    let last = range.end().map_or(0, |(row, _)| row);
    let mut rows = Vec::new();
    for row in 1..=last {
        // The vendor's cells hold what the vendor typed: a formula's value
        // is only what it last computed (see `workbook::formula_in`).
        for (col, what) in [(ANSWER, "answer"), (STATUS, "status")] {
            if let Some(formula) = crate::workbook::formula_in(&formulas, row, u32::from(col)) {
                let shows = text(row, col);
                return Err(Error::user(format!(
                    "{}: the {what} cell holds the formula {formula} (showing '{}'), not a typed {what}; nothing was imported",
                    cell_name(col, row),
                    clip(&shows)
                ))
                .with_hint(format!(
                    "type the {what} itself into the cell, not a formula (in Excel: copy it, then Paste Special > Values), or clear it"
                )));
            }
        }
        // A formula that failed (#N/A, #REF!) is no answer: refused, not
        // recorded as the text "#N/A" or read as blank.
        if let Some(code) = crate::workbook::error_in(range.get_value((row, u32::from(ANSWER)))) {
            return Err(Error::user(format!(
                "{}: the answer cell shows the error {code}, not an answer; nothing was imported",
                cell_name(ANSWER, row)
            ))
            .with_hint("ask the vendor to type the answer as text, or clear the cell"));
        }
        rows.push(Row {
            row,
            id: text(row, ID),
            item: text(row, ITEM),
            question: text(row, QUESTION),
            answer: text(row, ANSWER),
            status: text(row, STATUS),
        });
    }
    Ok(rows)
}

/// Refuses a workbook whose parts would unpack to more than
/// MAX_UNPACKED_BYTES, before calamine unpacks any of them.
pub fn check_unpacked_size(bytes: &[u8], shown: &str) -> Result<()> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| not_a_workbook(shown, &format!("not a zip archive: {e}")))?;
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let size = zip
            .by_index_raw(i)
            .map_err(|e| not_a_workbook(shown, &e.to_string()))?
            .size();
        total = total.saturating_add(size);
    }
    if total > MAX_UNPACKED_BYTES {
        return Err(Error::user(format!(
            "'{shown}' unpacks to {}, over the limit of {} for a question workbook; nothing was imported",
            validate::bytes_and_size(total),
            validate::bytes_and_size(MAX_UNPACKED_BYTES)
        ))
        .with_hint("give the workbook `vetter question export` wrote, filled in by the vendor"));
    }
    Ok(())
}

fn not_a_workbook(shown: &str, why: &str) -> Error {
    Error::user(format!(
        "'{shown}' is not a readable .xlsx workbook ({why}); nothing was imported"
    ))
    .with_hint("give the workbook `vetter question export` wrote, filled in and saved as an Excel workbook (.xlsx)")
}

fn parse_id(text: &str) -> Option<i64> {
    let text = text.trim();
    let text = text.strip_prefix('#').unwrap_or(text);
    text.parse().ok().filter(|id| *id > 0)
}

fn parse_status(text: &str) -> Option<RowStatus> {
    let text = text.trim().to_lowercase();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match text.as_str() {
        "" => Some(RowStatus::Blank),
        "answered" => Some(RowStatus::Answered),
        "need more time" => Some(RowStatus::MoreTime),
        "not applicable" => Some(RowStatus::NotApplicable),
        _ => None,
    }
}

/// Why question `id` is not an open question of the vendor: " (answered)",
/// " (closed)", " (a question to another vendor)" or " (no such question)".
fn why_not_open(store: &Store, id: i64, vendor_id: i64, today: &str) -> String {
    match store::question::by_id(store.conn(), id, today) {
        Ok(q) if q.vendor_id != vendor_id => " (it is a question to another vendor)".into(),
        Ok(q) => format!(" (it is {})", q.status),
        Err(_) => " (there is no such question)".into(),
    }
}

/// `Questions!E7` for column 4, row index 6.
fn cell_name(col: u16, row: u32) -> String {
    let letter = crate::workbook::column_name(usize::from(col));
    format!("{SHEET}!{letter}{}", row + 1)
}

/// A cell's text for a message: one line, at most 60 characters.
fn clip(text: &str) -> String {
    let line: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let line = line.trim();
    match line.char_indices().nth(60) {
        Some((at, _)) => format!("{}...", &line[..at]),
        None => line.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_named_like_a_spreadsheet() {
        assert_eq!(cell_name(0, 6), "Questions!A7");
        assert_eq!(cell_name(STATUS, 1), "Questions!F2");
    }

    #[test]
    fn statuses_ids_and_cells_read_leniently() {
        assert_eq!(
            parse_status("  Need  More Time "),
            Some(RowStatus::MoreTime)
        );
        assert_eq!(parse_status(""), Some(RowStatus::Blank));
        assert_eq!(parse_status("done"), None);
        assert_eq!(parse_id(" #7 "), Some(7));
        assert_eq!(parse_id("7.5"), None);
        assert_eq!(parse_id("0"), None);
        assert_eq!(clip(&"x".repeat(70)).len(), 63);
    }
}
