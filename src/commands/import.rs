//! `vetter import findings VENDOR FILE.csv`: all rows or none.
//!
//! The whole file is checked before anything is written; every problem is
//! reported with its line and column, and the rows are then inserted in one
//! transaction with one audit event that names the file and its SHA-256.

use super::{ensure_review_open, find_active_vendor, ItemResolver};
use crate::cli::ImportCommand;
use crate::digest::sha256_hex;
use crate::domain::current_review;
use crate::error::{did_you_mean, Error, Result};
use crate::model::{NewFinding, Owner, Source, Status};
use crate::output;
use crate::store::{self, Store};
use crate::{validate, Env};
use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

/// Files over this size are refused unless `--max-bytes` says otherwise.
pub const DEFAULT_MAX_BYTES: u64 = 100 * 1024 * 1024;

/// The columns of a findings CSV; the first three are required.
const COLUMNS: [&str; 6] = ["item", "status", "source", "note", "url", "owner"];
const REQUIRED: usize = 3;
pub fn run(cmd: ImportCommand, env: &Env, store: &mut Store, out: &mut dyn Write) -> Result<()> {
    match cmd {
        ImportCommand::Findings {
            vendor,
            file,
            max_bytes,
            allow_repeat,
            json,
        } => {
            let imported = findings(env, store, &vendor, &file, max_bytes, allow_repeat)?;
            super::print_record(json.json, out, &imported)
        }
        ImportCommand::Questionnaire {
            vendor,
            file,
            format,
            mapping,
            dry_run,
            json,
        } => {
            let format = format.as_deref().map(str::parse).transpose()?;
            super::questionnaire::import(
                env,
                store,
                &vendor,
                &file,
                format,
                mapping.as_deref(),
                dry_run,
                json.json,
                out,
            )
        }
    }
}

/// Reads a CSV file as UTF-8 text: refuses directories, files over `max_bytes`
/// (counted while reading, so /dev/zero and pipes are bounded too), invalid
/// UTF-8 (naming the line and column) and unterminated quotes. `hint` says
/// how to get past the size limit.
pub fn read_csv_text(file: &Path, max_bytes: u64, hint: &str) -> Result<String> {
    let bytes = validate::read_capped(file, "import", max_bytes, hint)?;
    csv_text(bytes, &file.display().to_string())
}

/// The physical line each CSV record starts on, for messages and the cells
/// an answer is recorded from. csv's own count is one short after a CRLF
/// line end (what Excel writes): it counts the LF as part of the next
/// record. Lines are counted from the record's byte offset instead, going
/// forward through the text once.
pub struct Lines<'a> {
    text: &'a [u8],
    at: usize,
    line: u64,
}

impl<'a> Lines<'a> {
    pub fn new(text: &'a str) -> Lines<'a> {
        Lines {
            text: text.as_bytes(),
            at: 0,
            line: 1,
        }
    }

    /// The line of the record (or error) at `position`; 0 when there is none.
    pub fn of(&mut self, position: Option<&csv::Position>) -> u64 {
        let Some(position) = position else { return 0 };
        let to = (position.byte() as usize).min(self.text.len());
        if to < self.at {
            (self.at, self.line) = (0, 1);
        }
        self.line += self.text[self.at..to]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64;
        self.at = to;
        // A record that starts at the LF of the CRLF before it is on the
        // next line.
        self.line + u64::from(self.text.get(to) == Some(&b'\n'))
    }
}

/// The bytes of a CSV file as text (see `read_csv_text`); `shown` names the
/// file in messages.
pub fn csv_text(bytes: Vec<u8>, shown: &str) -> Result<String> {
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let bytes = e.as_bytes();
            let bad = e.utf8_error().valid_up_to();
            let line = bytes[..bad].iter().filter(|&&b| b == b'\n').count() + 1;
            let line_start = bytes[..bad]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1);
            let column = String::from_utf8_lossy(&bytes[line_start..bad])
                .chars()
                .count()
                + 1;
            return Err(Error::user(format!(
                "'{shown}' line {line}, character {column}: invalid UTF-8 (byte 0x{:02X})",
                bytes[bad]
            ))
            .with_hint("save the file as UTF-8 (in a spreadsheet: \"CSV UTF-8\")"));
        }
    };
    let text = text
        .strip_prefix('\u{FEFF}')
        .map(str::to_string)
        .unwrap_or(text);
    if let Some(line) = unterminated_quote_line(&text) {
        return Err(Error::user(format!("'{shown}' line {line}: a quoted field is never closed"))
            .with_hint("close the field with a double quote; write a quote inside a field as two quotes (\"\")"));
    }
    Ok(text)
}

/// The line on which a quoted field opens and never closes, if any. In RFC
/// 4180 every quote either opens, closes, or is doubled inside a field, so a
/// scan that toggles on each quote ends "inside" only when one is missing.
fn unterminated_quote_line(text: &str) -> Option<usize> {
    let mut inside = false;
    let mut line = 1;
    let mut opened_on = 0;
    for b in text.bytes() {
        match b {
            b'"' => {
                inside = !inside;
                if inside {
                    opened_on = line;
                }
            }
            b'\n' => line += 1,
            _ => {}
        }
    }
    inside.then_some(opened_on)
}

/// Reads the header row: every column must be one of `known` (the first
/// `required` of which must be present), none twice. Returns column name ->
/// index in the file.
pub fn header_columns<R: std::io::Read>(
    reader: &mut csv::Reader<R>,
    known: &[&'static str],
    required: usize,
    shown: &str,
) -> Result<HashMap<&'static str, usize>> {
    let header = reader
        .headers()
        .map_err(|e| Error::user(format!("'{shown}': cannot read the header row: {e}")))?
        .clone();
    let mut columns = HashMap::new();
    for (index, name) in header.iter().enumerate() {
        let name = name.trim();
        let Some(column) = known.iter().find(|c| **c == name) else {
            let err = Error::user(format!("'{shown}' line 1: unknown column '{name}'"));
            return Err(match did_you_mean(name, known.iter().copied()) {
                Some(guess) => err.with_hint(format!(
                    "did you mean '{guess}'? The columns are: {}",
                    known.join(",")
                )),
                None => err.with_hint(format!("the columns are: {}", known.join(","))),
            });
        };
        if columns.insert(*column, index).is_some() {
            return Err(Error::user(format!(
                "'{shown}' line 1: column '{name}' appears twice"
            )));
        }
    }
    let missing: Vec<&str> = known[..required]
        .iter()
        .copied()
        .filter(|c| !columns.contains_key(c))
        .collect();
    if !missing.is_empty() {
        return Err(Error::user(format!(
            "'{shown}' line 1: missing column{} {}",
            if missing.len() > 1 { "s" } else { "" },
            missing.join(", ")
        ))
        .with_hint(format!("the header is: {}", known.join(","))));
    }
    Ok(columns)
}

fn parse_optional<T: std::str::FromStr<Err = Error>>(text: &str) -> Result<Option<T>> {
    if text.trim().is_empty() {
        Ok(None)
    } else {
        text.trim().parse().map(Some)
    }
}

pub fn findings(
    env: &Env,
    store: &mut Store,
    slug: &str,
    file: &Path,
    max_bytes: u64,
    allow_repeat: bool,
) -> Result<Imported> {
    let vendor = find_active_vendor(store, slug)?;
    let review = current_review(store, &vendor)?;
    let text = read_csv_text(
        file,
        max_bytes,
        "split the file, or raise the limit with --max-bytes",
    )?;
    let shown = file.display().to_string();
    let items = ItemResolver::new(store, &review)?;
    let rows = parse_findings(&text, &shown, &|item| items.resolve(item))?;

    let sha256 = sha256_hex(text.as_bytes());
    // The audit event names the file by its name and SHA-256, which find it
    // again; the reviewer's directories are nobody's business in a packet.
    let file_name = crate::validate::file_name_of(file);
    let count = rows.len();
    drop(items);
    // What every imported row became, so verify can check each one later.
    let item_names: std::collections::HashMap<i64, String> =
        store::review::item_ids(store.conn(), review.id)?
            .into_iter()
            .map(|(item, id)| (id, item))
            .collect();
    let mut digest = store::finding::RowsDigest::default();
    for row in &rows {
        digest.add_row(&store::finding::FindingValues {
            evidence: row.evidence,
            item: &item_names[&row.review_item_id],
            note: row.note.as_deref(),
            owner: row.owner.map(|o| o.as_str()),
            page: row.page.map(i64::from),
            review: review.id,
            source: row.source.as_str(),
            status: row.status.as_str(),
            url: row.url.as_deref(),
        });
    }
    let rows_sha256 = digest.finish();
    let (first, last) = store.write(|tx| {
        ensure_review_open(tx, &review, &vendor.slug)?;
        // The same file twice would double every item's history.
        if let (Some(earlier), false) = (store::audit::find_import(tx, review.id, &sha256)?, allow_repeat) {
            return Err(Error::user(format!(
                "'{shown}' was already imported into review #{} (event #{earlier}, same SHA-256); nothing was imported",
                review.number
            ))
            .with_hint("pass --allow-repeat to import the same rows again"));
        }
        let first = store::finding::next_id(tx)?;
        let last = first + count as i64 - 1;
        let new = serde_json::json!({
            "review": review.id, "file": file_name, "sha256": sha256, "rows": count,
            "first_finding": first, "last_finding": last, "rows_sha256": rows_sha256,
        });
        let event = store::audit::append(
            tx,
            &env.event(
                "import findings",
                "finding",
                format!("{first}-{last}"),
                Some(vendor.id),
                None,
                Some(new),
            ),
        )?;
        store::finding::insert_many(tx, first, &rows, &env.timestamp, &env.actor, event)?;
        Ok((first, last))
    })?;
    output::note(format!(
        "imported {count} findings (#{first}-#{last}) into review #{} of '{}'",
        review.number, vendor.slug
    ));
    Ok(Imported {
        vendor: vendor.slug,
        review: review.number,
        findings: count,
        first,
        last,
        sha256,
    })
}

/// Parses and checks the rows of a findings CSV, all of them before any is
/// kept: every bad value is listed with its line and column. `resolve` turns
/// a checklist item id into the review item's row id. `shown` names the file.
pub fn parse_findings(
    text: &str,
    shown: &str,
    resolve: &dyn Fn(&str) -> Result<i64>,
) -> Result<Vec<NewFinding>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(text.as_bytes());
    let columns = header_columns(&mut reader, &COLUMNS, REQUIRED, shown)?;

    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let mut record = csv::StringRecord::new();
    let mut lines = Lines::new(text);
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = lines.of(e.position());
                let message = match e.kind() {
                    csv::ErrorKind::UnequalLengths {
                        expected_len, len, ..
                    } => {
                        format!("has {len} fields, the header has {expected_len}")
                    }
                    _ => e.to_string(),
                };
                return Err(Error::user(format!("'{shown}' line {line}: {message}")));
            }
        }
        let line = lines.of(record.position());
        let field = |name: &str| columns.get(name).and_then(|&i| record.get(i)).unwrap_or("");
        let mut problem = |column: &str, e: Error| {
            let hint = e.hint.map(|h| format!(" ({h})")).unwrap_or_default();
            errors.push(format!(
                "line {line}, column '{column}': {}{hint}",
                e.message
            ));
        };
        // An oversized cell is reported by its size alone, never echoed.
        let oversized: Vec<&str> = columns
            .iter()
            .filter(|(_, &i)| record.get(i).map_or(0, str::len) > validate::MAX_TEXT_BYTES)
            .map(|(&name, _)| name)
            .collect();
        if !oversized.is_empty() {
            for column in oversized {
                let size = field(column).len();
                problem(
                    column,
                    Error::user(format!(
                        "the cell is {size} bytes, over the limit of {} bytes (64 KiB)",
                        validate::MAX_TEXT_BYTES
                    ))
                    .with_hint("shorten it, and attach the full document as evidence"),
                );
            }
            continue;
        }
        let item = field("item").trim();
        let review_item_id = match resolve(item) {
            Ok(id) => Some(id),
            Err(e) => {
                problem("item", e);
                None
            }
        };
        let status = field("status")
            .trim()
            .parse::<Status>()
            .map_err(|e| problem("status", e))
            .ok();
        let source = field("source")
            .trim()
            .parse::<Source>()
            .map_err(|e| problem("source", e))
            .ok();
        let owner = parse_optional::<Owner>(field("owner"))
            .map_err(|e| problem("owner", e))
            .ok();
        let note = validate::text("note", Some(field("note")))
            .map_err(|e| problem("note", e))
            .ok();
        let url = validate::url("url", Some(field("url")))
            .map_err(|e| problem("url", e))
            .ok();
        if let (
            Some(review_item_id),
            Some(status),
            Some(source),
            Some(owner),
            Some(note),
            Some(url),
        ) = (review_item_id, status, source, owner, note, url)
        {
            rows.push(NewFinding {
                review_item_id,
                status,
                source,
                note,
                url,
                owner,
                evidence: None,
                page: None,
            });
        }
    }
    if !errors.is_empty() {
        return Err(crate::error::listed_problems(shown, "bad value", errors));
    }
    if rows.is_empty() {
        return Err(Error::user(format!(
            "'{shown}' has a header but no rows; nothing was imported"
        )));
    }
    Ok(rows)
}

/// What `import findings --json` prints: the new findings are ids first..=last.
#[derive(Debug, serde::Serialize)]
pub struct Imported {
    pub vendor: String,
    pub review: i64,
    pub findings: usize,
    pub first: i64,
    pub last: i64,
    pub sha256: String,
}

#[cfg(test)]
mod tests {
    use super::unterminated_quote_line;

    #[test]
    fn finds_the_line_of_an_unclosed_quote() {
        assert_eq!(
            unterminated_quote_line("a,b\n\"x\",\"y \"\"q\"\"\"\n"),
            None
        );
        assert_eq!(
            unterminated_quote_line("a,b\nc,d\n\"open,e\nf,g\n"),
            Some(3)
        );
        assert_eq!(unterminated_quote_line("a,\"multi\nline\"\n"), None);
    }

    #[test]
    fn records_are_numbered_by_the_line_they_start_on_whatever_the_line_ends() {
        let starts = |text: &str| -> Vec<u64> {
            let mut reader = csv::Reader::from_reader(text.as_bytes());
            let mut lines = super::Lines::new(text);
            reader
                .records()
                .map(|r| lines.of(r.unwrap().position()))
                .collect()
        };
        assert_eq!(starts("a,b\n1,2\n3,4\n"), [2, 3]);
        // Excel's CRLF: csv's own count said 1 and 2.
        assert_eq!(starts("a,b\r\n1,2\r\n3,4\r\n"), [2, 3]);
        // A quoted field over two lines, then the next record.
        assert_eq!(starts("a,b\r\n\"x\r\ny\",2\r\n3,4\r\n"), [2, 4]);
        assert_eq!(starts("a,b\n\"x\ny\",2\n3,4"), [2, 4]);
    }
}
