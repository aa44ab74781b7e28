//! Cells of the xlsx workbooks vendors fill (questionnaires, the question
//! workbook `question export` writes), read with calamine as the text a
//! person sees in the cell.

use calamine::Data;

/// A cell's value as shown: numbers without a trailing ".0", a date as
/// YYYY-MM-DD (with the time when it has one), booleans TRUE/FALSE. A date
/// typed into a cell is stored as a serial number (2026-12-01 is 46357):
/// recording that number as the vendor's words would misquote them. An error
/// cell reads as its code ("#N/A"); `error_in` tells the readers that
/// refuse one.
pub fn cell_text(data: &Data) -> String {
    match data {
        Data::Empty => String::new(),
        // A vertical tab is how a line break pasted from Word (Shift+Enter)
        // sits in a cell; Excel shows it as a new line, and so does vetter.
        Data::String(s) => s.replace('\u{b}', "\n"),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(d) if d.is_datetime() => match d.as_datetime() {
            Some(at) if at.time() == chrono::NaiveTime::MIN => at.format("%Y-%m-%d").to_string(),
            Some(at) => at.format("%Y-%m-%d %H:%M:%S").to_string(),
            None => d.to_string(),
        },
        Data::DateTime(d) => d.to_string(),
        Data::Error(e) => e.to_string(),
    }
}

/// Column letters of a 0-based column index: 0 -> A, 27 -> AB.
pub fn column_name(mut index: usize) -> String {
    let mut name = Vec::new();
    loop {
        name.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    name.reverse();
    String::from_utf8(name).expect("ASCII")
}

/// The error a cell shows (#N/A, #DIV/0!, #REF!...), when it holds one: a
/// formula that failed is no answer, and reading it as blank would hide that.
pub fn error_in(data: Option<&Data>) -> Option<String> {
    match data {
        Some(Data::Error(e)) => Some(e.to_string()),
        _ => None,
    }
}

/// The formula cell (`row`, `col`, absolute 0-based) holds, as typed
/// ("=2+2"), shortened to 60 characters for a message; None when it holds
/// a value. `formulas` is calamine's `worksheet_formula` of the sheet. A
/// formula cell's value is the result the program that saved the file last
/// computed (cached), not what the vendor typed: recorded as an answer, "4"
/// would stand for "=2+2", or for a lookup into a sheet that changed since.
pub fn formula_in(formulas: &calamine::Range<String>, row: u32, col: u32) -> Option<String> {
    let formula = formulas.get_value((row, col)).filter(|f| !f.is_empty())?;
    let formula = format!("={}", formula.trim_start_matches('='));
    Some(match formula.char_indices().nth(60) {
        Some((at, _)) => format!("{}...", &formula[..at]),
        None => formula,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{CellErrorType, ExcelDateTime, ExcelDateTimeType};

    #[test]
    fn cells_read_as_a_person_sees_them() {
        assert_eq!(cell_text(&Data::Float(12.0)), "12");
        assert_eq!(cell_text(&Data::Float(0.5)), "0.5");
        assert_eq!(cell_text(&Data::Bool(true)), "TRUE");
        let date = ExcelDateTime::new(46357.0, ExcelDateTimeType::DateTime, false);
        assert_eq!(cell_text(&Data::DateTime(date)), "2026-12-01");
        let at = ExcelDateTime::new(46357.5, ExcelDateTimeType::DateTime, false);
        assert_eq!(cell_text(&Data::DateTime(at)), "2026-12-01 12:00:00");
        let na = Data::Error(CellErrorType::NA);
        assert_eq!(error_in(Some(&na)).as_deref(), Some("#N/A"));
        assert_eq!(error_in(Some(&Data::Empty)), None);
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(2), "C");
        assert_eq!(column_name(27), "AB");
    }

    #[test]
    fn a_formula_is_shown_as_typed_and_shortened() {
        let mut formulas: calamine::Range<String> = calamine::Range::new((0, 0), (1, 1));
        formulas.set_value((1, 1), "2+2".to_string());
        formulas.set_value((0, 1), "A1&".repeat(30));
        assert_eq!(formula_in(&formulas, 1, 1).as_deref(), Some("=2+2"));
        assert_eq!(
            formula_in(&formulas, 0, 0),
            None,
            "an empty cell holds none"
        );
        assert_eq!(
            formula_in(&formulas, 9, 9),
            None,
            "nor one outside the range"
        );
        let long = formula_in(&formulas, 0, 1).unwrap();
        assert!(long.starts_with("=A1&A1&") && long.ends_with("..."));
        assert_eq!(long.chars().count(), 63);
    }
}
