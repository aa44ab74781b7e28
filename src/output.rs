//! Printing: aligned tables for people, stable JSON for scripts.

use crate::error::Result;
use serde::Serialize;
use std::fmt::Write as _;
use std::io::Write;
use unicode_width::UnicodeWidthStr;

/// Pretty JSON followed by a newline.
pub fn json<T: Serialize + ?Sized>(out: &mut dyn Write, value: &T) -> Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)?;
    Ok(())
}

/// Cells wider than this are cut with "…" in tables; `--json` has the full text.
const MAX_CELL_WIDTH: usize = 72;

/// A plain table: a header, a rule, and rows with columns aligned by display
/// width (so accented, CJK and emoji text lines up). Cells are kept to one
/// line: newlines show as "↵" and long text is cut, because a table is a
/// summary and `--json` carries the full record.
pub struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

pub fn table<I, S>(header: I) -> Table
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    Table {
        header: header.into_iter().map(Into::into).collect(),
        rows: Vec::new(),
    }
}

fn one_line(text: &str) -> String {
    let flat: String = text
        .chars()
        .map(|c| {
            if c == '\n' {
                '↵'
            } else if c.is_control() {
                ' '
            } else {
                c
            }
        })
        .collect();
    if flat.width() <= MAX_CELL_WIDTH {
        return flat;
    }
    let mut cut = String::new();
    for c in flat.chars() {
        if cut.width() + unicode_width::UnicodeWidthChar::width(c).unwrap_or(0) >= MAX_CELL_WIDTH {
            break;
        }
        cut.push(c);
    }
    cut.push('…');
    cut
}

impl Table {
    pub fn add_row(&mut self, row: Vec<String>) {
        self.rows.push(row.iter().map(|c| one_line(c)).collect());
    }

    pub fn render(&self) -> String {
        let columns = self.header.len();
        let mut widths: Vec<usize> = self.header.iter().map(|h| h.width()).collect();
        for row in &self.rows {
            for (i, cell) in row.iter().enumerate().take(columns) {
                widths[i] = widths[i].max(cell.width());
            }
        }
        let mut out = String::with_capacity(
            (self.rows.len() + 2) * (widths.iter().sum::<usize>() + 2 * columns),
        );
        let line = |cells: &[String], out: &mut String| {
            let mut text = String::new();
            for (i, cell) in cells.iter().enumerate().take(columns) {
                if i + 1 == columns {
                    text.push_str(cell);
                } else {
                    let _ = write!(text, "{cell}{:pad$}  ", "", pad = widths[i] - cell.width());
                }
            }
            out.push_str(text.trim_end());
            out.push('\n');
        };
        line(&self.header, &mut out);
        let rule_width = widths.iter().sum::<usize>() + 2 * columns.saturating_sub(1);
        out.push_str(&"─".repeat(rule_width));
        out.push('\n');
        for row in &self.rows {
            line(row, &mut out);
        }
        out
    }
}

pub fn print_table(out: &mut dyn Write, table: &Table) -> Result<()> {
    out.write_all(table.render().as_bytes())?;
    Ok(())
}

/// An optional value for a table cell.
pub fn cell<T: std::fmt::Display>(value: &Option<T>) -> String {
    value
        .as_ref()
        .map_or_else(|| "-".to_string(), |v| v.to_string())
}

/// The date (YYYY-MM-DD) of a stored RFC 3339 timestamp.
pub fn day(timestamp: &str) -> &str {
    timestamp.get(..10).unwrap_or(timestamp)
}

static QUIET: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Silences `note` (the demo records dozens of findings and prints a summary).
pub fn set_quiet(quiet: bool) {
    QUIET.store(quiet, std::sync::atomic::Ordering::Relaxed);
}

/// A status message for the person at the terminal (stderr, never stdout).
pub fn note(message: impl std::fmt::Display) {
    if !QUIET.load(std::sync::atomic::Ordering::Relaxed) {
        eprintln!("{message}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_align_by_display_width() {
        let mut t = table(["name", "tier"]);
        t.add_row(vec!["株式会社テスト".into(), "high".into()]);
        t.add_row(vec!["Société".into(), "low".into()]);
        let text = t.render();
        let lines: Vec<&str> = text.lines().collect();
        let col = |l: &str| l.find(['h', 'l']).map(|i| l[..i].width());
        assert_eq!(col(lines[2]), col(lines[3]));
        assert_eq!(lines[0], format!("name{}tier", " ".repeat(14 - 4 + 2)));
    }

    #[test]
    fn cells_stay_on_one_line() {
        assert_eq!(one_line("a\nb"), "a↵b");
        let long = "x".repeat(500);
        assert_eq!(one_line(&long).width(), MAX_CELL_WIDTH);
    }
}
