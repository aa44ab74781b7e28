//! Printing: aligned tables for people, stable JSON for scripts.

use crate::error::Result;
use serde::Serialize;
use std::io::Write;
use unicode_width::UnicodeWidthStr;

/// Pretty JSON followed by a newline.
pub fn json<T: Serialize + ?Sized>(out: &mut dyn Write, value: &T) -> Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)?;
    Ok(())
}

/// The `format_version` of each JSON output that scripts read, besides
/// packet.json's (`report::FORMAT_VERSION`). Bump one when its shape changes:
/// docs/packet.schema.json describes each version, and a test holds every
/// output the suite writes to it.
pub const REVIEW_STATUS_FORMAT: u32 = 1;
pub const COMPARE_FORMAT: u32 = 1;
pub const FLAGS_FORMAT: u32 = 1;

/// An object's JSON with `format_version` as its first key.
pub fn versioned_json<T: Serialize>(
    out: &mut dyn Write,
    format_version: u32,
    value: &T,
) -> Result<()> {
    #[derive(Serialize)]
    struct Versioned<'a, T> {
        format_version: u32,
        #[serde(flatten)]
        value: &'a T,
    }
    json(
        out,
        &Versioned {
            format_version,
            value,
        },
    )
}

/// The width tables and wrapped text are fitted to: `COLUMNS` when set, else
/// the terminal's width when stdout is one, else 100 (a pipe or a file).
pub fn terminal_width() -> usize {
    if let Some(columns) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&c| c > 0)
    {
        return columns;
    }
    terminal_size::terminal_size_of(std::io::stdout())
        .map(|(w, _)| usize::from(w.0))
        .filter(|&w| w > 0)
        .unwrap_or(100)
}

pub const GREEN: &str = "\x1b[32m";
pub const RED: &str = "\x1b[31m";

/// Whether to colour output: stdout is a terminal, `NO_COLOR` is unset or
/// empty (no-color.org), and `TERM` is not `dumb`.
pub fn use_color() -> bool {
    use std::io::IsTerminal;
    std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::env::var("TERM").map_or(true, |t| t != "dumb")
}

/// Columns are never squeezed below this many characters to make a table fit.
const MIN_COLUMN_WIDTH: usize = 6;

/// A plain table: a header, a rule, and rows with columns aligned by display
/// width (so accented, CJK and emoji text lines up). When the table is wider
/// than the terminal, the widest columns are narrowed first and their text
/// wraps inside the cell (at spaces, else after `/ . - _`, else anywhere), so
/// nothing is cut and short columns such as ids and statuses stay whole.
pub struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    /// Per row, an optional ANSI colour per cell (see `add_colored_row`).
    colors: Vec<Vec<Option<&'static str>>>,
    /// Columns that move under their row, as an indented `name: text` line,
    /// when the table does not fit (notes, URLs, questions: prose that reads
    /// badly in a narrow column).
    spill: Vec<bool>,
}

pub fn table<I, S>(header: I) -> Table
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    let header: Vec<String> = header.into_iter().map(Into::into).collect();
    Table {
        spill: vec![false; header.len()],
        header,
        rows: Vec::new(),
        colors: Vec::new(),
    }
}

/// A cell's text with control characters made visible as spaces; newlines
/// stay, as line breaks inside the cell. Borrowed when there are none.
fn clean(text: &str) -> std::borrow::Cow<'_, str> {
    // Control characters are bytes below 0x20, 0x7F, or U+0080..U+009F,
    // which UTF-8 encodes after a 0xC2 byte: a byte scan rules most text out.
    let bytes = text.as_bytes();
    // A fold, not `any`: without the early exit the scan is vectorised.
    let ascii_control = bytes
        .iter()
        .fold(false, |found, &b| found | (b < 0x20) | (b == 0x7f));
    let c1_control = bytes.contains(&0xc2)
        && bytes
            .windows(2)
            .any(|w| w[0] == 0xc2 && (0x80..0xa0).contains(&w[1]));
    if !(ascii_control || c1_control) || !text.chars().any(|c| c.is_control() && c != '\n') {
        return text.into();
    }
    let text = text.replace("\r\n", "\n");
    text.chars()
        .map(|c| if c != '\n' && c.is_control() { ' ' } else { c })
        .collect::<String>()
        .into()
}

/// Display width; ASCII text (most cells) is its length.
fn width(text: &str) -> usize {
    if text.is_ascii() {
        text.len()
    } else {
        text.width()
    }
}

/// Breaks `text` into lines of at most `max` display columns: at spaces,
/// else after a `/ . - _` inside a long token (URLs, item ids), else
/// anywhere. Newlines in `text` always break. Never drops a character other
/// than the spaces it breaks at. The lines are slices of `text`.
pub fn wrap(text: &str, max: usize) -> Vec<&str> {
    let max = max.max(1);
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let paragraph = paragraph.trim_end();
        // A character is never wider than its UTF-8 bytes.
        if paragraph.len() <= max || width(paragraph) <= max {
            lines.push(paragraph);
            continue;
        }
        if paragraph.is_ascii() {
            wrap_ascii(paragraph, max, &mut lines);
            continue;
        }
        // The current line is paragraph[start..end], `used` columns wide.
        let (mut start, mut end, mut used) = (0, 0, 0);
        let mut open = false;
        let mut pos = 0;
        for word in paragraph.split(' ') {
            let word_end = pos + word.len();
            pos = word_end + 1;
            let word_width = width(word);
            if open && used + 1 + word_width <= max {
                end = word_end;
                used += 1 + word_width;
                continue;
            }
            if open {
                lines.push(&paragraph[start..end]);
            }
            let mut rest = word;
            while width(rest) > max {
                let (head, tail) = split_token(rest, max);
                lines.push(head);
                rest = tail;
            }
            start = word_end - rest.len();
            end = word_end;
            used = width(rest);
            open = true;
        }
        lines.push(&paragraph[start..end]);
    }
    lines
}

/// `wrap` for ASCII text, where a byte is a column: each line ends at the
/// last space that fits, found by one backward scan rather than word by word
/// (this runs for every flag of `flags --all`).
fn wrap_ascii<'a>(paragraph: &'a str, max: usize, lines: &mut Vec<&'a str>) {
    let mut rest = paragraph;
    while rest.len() > max {
        match rest.as_bytes()[..=max].iter().rposition(|&b| b == b' ') {
            Some(at) if !rest[..at].trim_end().is_empty() => {
                lines.push(rest[..at].trim_end());
                rest = rest[at + 1..].trim_start_matches(' ');
            }
            // Spaces only before the break: drop them.
            Some(at) => rest = &rest[at + 1..],
            None => {
                let (head, tail) = split_token(rest, max);
                lines.push(head);
                rest = tail;
            }
        }
    }
    lines.push(rest);
}

/// Splits a token wider than `max` after its last `/ . - _ ? & =` that fits,
/// or else at `max` columns.
fn split_token(token: &str, max: usize) -> (&str, &str) {
    let mut fit = 0; // byte index where `max` columns end
    let mut soft = None; // byte index after the last soft break that fits
    let mut used = 0;
    for (i, c) in token.char_indices() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > max {
            break;
        }
        used += w;
        fit = i + c.len_utf8();
        if matches!(c, '/' | '.' | '-' | '_' | '?' | '&' | '=') && fit < token.len() {
            soft = Some(fit);
        }
    }
    // A soft break in the first third would leave a very short line: cut hard.
    // At least one whole character, even when it alone is wider than `max`.
    let first = token.chars().next().map_or(0, char::len_utf8);
    let at = soft.filter(|&s| s * 3 >= fit).unwrap_or(fit.max(first));
    token.split_at(at)
}

impl Table {
    /// Marks the columns named in `names` to move under their row when the
    /// table is too wide for the terminal.
    pub fn spill(mut self, names: &[&str]) -> Table {
        for (i, h) in self.header.iter().enumerate() {
            if names.contains(&h.as_str()) {
                self.spill[i] = true;
            }
        }
        self
    }

    /// A row whose cells may be coloured (an ANSI SGR sequence such as
    /// `GREEN`), for a terminal that shows colour (see `use_color`).
    pub fn add_colored_row(&mut self, row: Vec<String>, colors: Vec<Option<&'static str>>) {
        self.colors.resize(self.rows.len(), Vec::new());
        self.colors.push(colors);
        self.add_row(row);
    }

    pub fn add_row(&mut self, row: Vec<String>) {
        self.rows
            .push(row.into_iter().map(|c| clean(&c).into_owned()).collect());
    }

    /// The table fitted to the terminal (see `terminal_width`).
    pub fn render(&self) -> String {
        self.render_width(terminal_width())
    }

    /// The table fitted to `max_width` columns where it can be: a table of
    /// more columns than fit at `MIN_COLUMN_WIDTH` each is wider.
    pub fn render_width(&self, max_width: usize) -> String {
        let gaps = |n: usize| 2 * n.saturating_sub(1);
        let natural: Vec<usize> = (0..self.header.len())
            .map(|i| {
                std::iter::once(&self.header[i])
                    .chain(self.rows.iter().filter_map(|r| r.get(i)))
                    .flat_map(|cell| cell.split('\n'))
                    .map(width)
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let fits = natural.iter().sum::<usize>() + gaps(natural.len()) <= max_width;
        // The columns laid out side by side; the spilled ones go under rows.
        let shown: Vec<usize> = (0..self.header.len())
            .filter(|&i| fits || !self.spill[i])
            .collect();
        let shown_natural: Vec<usize> = shown.iter().map(|&i| natural[i]).collect();
        let prose: Vec<bool> = shown
            .iter()
            .map(|&i| {
                self.rows
                    .iter()
                    .any(|r| r.get(i).is_some_and(|c| c.contains(' ')))
            })
            .collect();
        let budget = max_width.saturating_sub(gaps(shown.len()));
        let widths = fit_columns(&shown_natural, &prose, budget);
        let mut out = String::with_capacity(
            (self.rows.len() + 2) * (widths.iter().sum::<usize>() + 2 * shown.len()),
        );
        let line = |cells: &[String], colors: &[Option<&str>], out: &mut String| {
            let wrapped: Vec<Vec<&str>> = shown
                .iter()
                .zip(&widths)
                .map(|(&i, &w)| wrap(cells.get(i).map_or("", String::as_str), w))
                .collect();
            let height = wrapped.iter().map(Vec::len).max().unwrap_or(1);
            for k in 0..height {
                let start = out.len();
                for (n, cell) in wrapped.iter().enumerate() {
                    let text = cell.get(k).copied().unwrap_or("");
                    match colors.get(shown[n]).copied().flatten() {
                        // Escapes around the text, padding outside them, so
                        // columns line up by what is visible.
                        Some(code) if !text.is_empty() => {
                            out.push_str(code);
                            out.push_str(text);
                            out.push_str("\x1b[0m");
                        }
                        _ => out.push_str(text),
                    }
                    if n + 1 < wrapped.len() {
                        let pad = widths[n].saturating_sub(width(text)) + 2;
                        out.extend(std::iter::repeat_n(' ', pad));
                    }
                }
                let end = out[start..].trim_end().len() + start;
                out.truncate(end);
                out.push('\n');
            }
        };
        let header: Vec<String> = self.header.clone();
        line(&header, &[], &mut out);
        let rule_width = widths.iter().sum::<usize>() + gaps(shown.len());
        out.push_str(&"─".repeat(rule_width));
        out.push('\n');
        for (r, row) in self.rows.iter().enumerate() {
            line(row, self.colors.get(r).map_or(&[], Vec::as_slice), &mut out);
            if fits {
                continue;
            }
            for (i, cell) in row.iter().enumerate() {
                if self.spill[i] && !cell.is_empty() && cell != "-" {
                    let text = format!("{}: {cell}", self.header[i]);
                    for l in wrap(&text, max_width.saturating_sub(4).max(20)) {
                        out.push_str("    ");
                        out.push_str(l);
                        out.push('\n');
                    }
                }
            }
        }
        out
    }
}

/// Column widths that add up to at most `budget`: every column keeps its
/// natural width up to a cap chosen as high as fits, so the widest columns
/// give way first; what the cap leaves over goes back to the capped columns.
fn fit_columns(natural: &[usize], prose: &[bool], budget: usize) -> Vec<usize> {
    if natural.iter().sum::<usize>() <= budget {
        return natural.to_vec();
    }
    // Prose (text with spaces) wraps well; ids, dates and URLs do not. So
    // prose columns give way first, down to MIN_COLUMN_WIDTH; only then are
    // all columns capped together.
    let fixed: usize = natural
        .iter()
        .zip(prose)
        .filter(|(_, p)| !**p)
        .map(|(n, _)| n)
        .sum();
    if prose.iter().any(|p| *p) && fixed < budget {
        let prose_natural: Vec<usize> = natural
            .iter()
            .zip(prose)
            .filter(|(_, p)| **p)
            .map(|(n, _)| *n)
            .collect();
        let prose_widths = water_fill(&prose_natural, budget - fixed, MIN_COLUMN_WIDTH);
        if prose_widths.iter().sum::<usize>() + fixed <= budget {
            let mut next = prose_widths.into_iter();
            return natural
                .iter()
                .zip(prose)
                .map(|(n, p)| if *p { next.next().unwrap_or(*n) } else { *n })
                .collect();
        }
    }
    water_fill(natural, budget, MIN_COLUMN_WIDTH)
}

/// Widths that add up to at most `budget` where a cap of at least `floor`
/// allows: every column keeps its natural width up to one cap chosen as high
/// as fits, so the widest give way first; what the cap leaves over goes back
/// to the capped columns.
fn water_fill(natural: &[usize], budget: usize, floor: usize) -> Vec<usize> {
    let total = |cap: usize| natural.iter().map(|&n| n.min(cap)).sum::<usize>();
    let widest = natural.iter().copied().max().unwrap_or(0);
    let (mut low, mut high) = (floor, widest.max(floor));
    while low < high {
        let mid = (low + high).div_ceil(2);
        if total(mid) <= budget {
            low = mid;
        } else {
            high = mid - 1;
        }
    }
    let mut widths: Vec<usize> = natural.iter().map(|&n| n.min(low)).collect();
    let mut spare = budget.saturating_sub(widths.iter().sum());
    for (w, &n) in widths.iter_mut().zip(natural) {
        if spare == 0 {
            break;
        }
        if n > *w {
            let more = (n - *w).min(spare);
            *w += more;
            spare -= more;
        }
    }
    widths
}

/// Breaks `text` at spaces into lines of at most `max` columns, never
/// inside a token: a hash, a URL or `key=value` wider than the line stands
/// whole on a line of its own (copied whole, it still works). A token of
/// JSON wider than the line breaks after its commas, so each key and value
/// stays whole.
pub fn fill(text: &str, max: usize) -> Vec<&str> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let paragraph = paragraph.trim_end();
        if width(paragraph) <= max {
            lines.push(paragraph);
            continue;
        }
        // The current line is paragraph[start..end], `used` columns wide.
        let (mut start, mut end, mut used) = (0, 0, 0);
        let mut pos = 0;
        let words = paragraph.split(' ').flat_map(|word| {
            let at = pos;
            pos += word.len() + 1;
            json_parts(word, max)
                .into_iter()
                .map(move |(offset, part)| (at + offset, part))
        });
        for (word_start, word) in words {
            if word.is_empty() {
                continue;
            }
            let word_end = word_start + word.len();
            // The line as it would print, runs of spaces and all.
            if used > 0 && width(&paragraph[start..word_end]) > max {
                lines.push(&paragraph[start..end]);
                used = 0;
            }
            if used == 0 {
                start = word_start;
            }
            used = width(&paragraph[start..word_end]);
            end = word_end;
        }
        lines.push(&paragraph[start..end]);
    }
    lines
}

/// A word as the pieces `fill` may put on separate lines, with their
/// offsets: itself, or for a JSON value wider than `max`, its parts up to
/// and including each comma.
fn json_parts(word: &str, max: usize) -> Vec<(usize, &str)> {
    if width(word) <= max {
        return vec![(0, word)];
    }
    let json = word.contains("={") || word.contains("=[") || word.starts_with(['{', '[']);
    // A URL wider than the whole line can only fit broken after a `/`
    // (`?`, `&`): never inside a name. A hash stays whole.
    let breaks: &[char] = if json {
        &[',']
    } else if word.contains('/') {
        &['/', '?', '&']
    } else {
        return vec![(0, word)];
    };
    let mut parts = Vec::new();
    let mut start = 0;
    for (i, c) in word.char_indices() {
        if breaks.contains(&c) && i + 1 < word.len() {
            parts.push((start, &word[start..=i]));
            start = i + 1;
        }
    }
    parts.push((start, &word[start..]));
    parts
}

/// Writes `text` wrapped to `width` columns, each line after `indent`;
/// tokens are never split (see `fill`).
pub fn write_indented(out: &mut dyn Write, indent: &str, text: &str, width: usize) -> Result<()> {
    if text.is_empty() {
        return Ok(());
    }
    let text = clean(text);
    for line in fill(&text, width.saturating_sub(indent.width()).max(20)) {
        // A token too wide for the indented line that fits the whole width
        // (a SHA-256 with its key) goes to the margin rather than past it.
        let indent = if indent.width() + self::width(line) > width && self::width(line) <= width {
            ""
        } else {
            indent
        };
        // Plain writes: this runs once per line of `flags --all`.
        out.write_all(indent.as_bytes())?;
        out.write_all(line.as_bytes())?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// A record as `label  value` lines, labels aligned, long values wrapped
/// under their first line (`vendor show`, `clause show`, `evidence show`).
pub fn print_fields<L: AsRef<str>>(out: &mut dyn Write, fields: &[(L, String)]) -> Result<()> {
    let label_width = fields
        .iter()
        .map(|(l, _)| l.as_ref().width())
        .max()
        .unwrap_or(0);
    let indent = " ".repeat(label_width + 2);
    let value_width = terminal_width().saturating_sub(label_width + 2).max(20);
    for (label, value) in fields {
        let label = label.as_ref();
        let value = clean(value);
        for (i, line) in wrap(&value, value_width).iter().enumerate() {
            if i == 0 {
                let pad = label_width - label.width() + 2;
                writeln!(out, "{label}{:pad$}{line}", "")?;
            } else {
                writeln!(out, "{indent}{line}")?;
            }
        }
    }
    Ok(())
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

/// A status message for the person at the terminal (stderr, never stdout),
/// wrapped to the terminal's width (see `message_width`).
pub fn note(message: impl std::fmt::Display) {
    if !QUIET.load(std::sync::atomic::Ordering::Relaxed) {
        eprint!("{}", wrapped_message("", &message.to_string()));
    }
}

/// The width messages on stderr are wrapped to: `COLUMNS` when set, else
/// the terminal's when stderr is one. Piped or logged, a message stays one
/// line (grep finds it whole).
pub fn message_width() -> Option<usize> {
    if let Some(columns) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&c| c > 0)
    {
        return Some(columns);
    }
    terminal_size::terminal_size_of(std::io::stderr())
        .map(|(w, _)| usize::from(w.0))
        .filter(|&w| w > 0)
}

/// `prefix` and `message`, each line ending in a newline: wrapped at spaces
/// to `message_width`, later lines indented by two spaces, and a token (a
/// path, a hash, a command's argument) never split: one wider than the line
/// stands whole on its own.
pub fn wrapped_message(prefix: &str, message: &str) -> String {
    wrap_message(prefix, message, message_width())
}

fn wrap_message(prefix: &str, message: &str, width: Option<usize>) -> String {
    let text = format!("{prefix}{message}");
    let Some(width) = width else {
        return format!("{text}\n");
    };
    let mut out = String::with_capacity(text.len() + 8);
    for paragraph in text.split('\n') {
        // A paragraph's own indentation stays; its later lines go two
        // further in.
        let lead = &paragraph[..paragraph.len() - paragraph.trim_start_matches(' ').len()];
        let more = format!("{lead}  ");
        let mut line = String::new();
        let mut indent = lead;
        for word in paragraph.split(' ').filter(|w| !w.is_empty()) {
            let room = width.saturating_sub(indent.len());
            if !line.is_empty() && line.width() + 1 + word.width() > room {
                out.push_str(indent);
                out.push_str(&line);
                out.push('\n');
                line.clear();
                indent = &more;
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        out.push_str(indent);
        out.push_str(&line);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_breaks_at_spaces_only() {
        let hash = "items_sha256=".to_string() + &"9".repeat(64);
        let text = format!("items=79 {hash} not_applicable=12 number=1");
        let lines = fill(&text, 40);
        assert_eq!(
            lines,
            ["items=79", hash.as_str(), "not_applicable=12 number=1"]
        );
        assert_eq!(fill("a  b", 10), ["a  b"]);
        let json = r#"terms={"list_url":"https://x.example/subprocessors","notice_channel":"webpage","notice_days":14}"#;
        let lines = fill(json, 50);
        assert_eq!(
            lines,
            [
                r#"terms={"list_url":"https://x.example/subprocessors","#,
                r#""notice_channel":"webpage","notice_days":14}"#
            ]
        );
        assert_eq!(fill("one two\nthree", 5), ["one", "two", "three"]);
    }

    #[test]
    fn a_message_wraps_at_spaces_and_never_splits_a_token() {
        let long = "a".repeat(40);
        let text = wrap_message(
            "hint: ",
            &format!(
                "run `vetter backup --out {long}` now\n  line 3: kept indented here and wrapped"
            ),
            Some(30),
        );
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "hint: run `vetter backup --out");
        assert_eq!(lines[1], format!("  {long}`"));
        assert_eq!(lines[2], "  now");
        assert_eq!(lines[3], "  line 3: kept indented here");
        assert_eq!(lines[4], "    and wrapped");
        assert!(text.contains(&long), "the token stays whole");
        // Not a terminal and no COLUMNS: one line, as written.
        assert_eq!(wrap_message("error: ", "a b", None), "error: a b\n");
    }

    #[test]
    fn a_character_wider_than_the_line_is_kept_whole() {
        // Each character on a line of its own, none cut in two.
        let lines = wrap("日本", 1);
        assert_eq!(&lines[..2], ["日", "本"]);
        assert_eq!(lines.concat(), "日本");
    }

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
    fn a_wide_table_wraps_its_widest_column_to_fit() {
        let mut t = table(["#", "status", "note"]);
        let note = "without undue delay, where feasible within 72 hours of confirming a breach";
        t.add_row(vec!["1".into(), "partial".into(), note.into()]);
        t.add_row(vec!["2".into(), "met".into(), "short\nsecond line".into()]);
        let text = t.render_width(40);
        for line in text.lines() {
            assert!(line.width() <= 40, "{line:?} is wider than 40");
        }
        // Nothing is lost: the note's words all come back, in order.
        let words: Vec<&str> = text
            .lines()
            .skip(2)
            .map(|l| l.get(12..).unwrap_or(""))
            .flat_map(str::split_whitespace)
            .collect();
        let expected: Vec<&str> = note.split(' ').chain(["short", "second", "line"]).collect();
        assert_eq!(words, expected);
        assert!(text.lines().nth(2).unwrap().starts_with("1  partial  "));
    }

    #[test]
    fn long_tokens_break_after_a_separator_or_hard() {
        let url = "https://vendor.example/legal/data-processing-agreement";
        let lines = wrap(url, 20);
        assert_eq!(lines.concat(), url);
        assert!(lines.iter().all(|l| l.width() <= 20));
        assert_eq!(
            lines[0], "https://vendor.",
            "breaks after the last separator that fits"
        );
        let cjk = "株式会社テスト株式会社テスト";
        let lines = wrap(cjk, 5);
        assert_eq!(lines.concat(), cjk);
        assert!(lines.iter().all(|l| l.width() <= 5));
    }

    #[test]
    fn a_table_that_fits_is_not_changed() {
        let mut t = table(["a", "b"]);
        t.add_row(vec!["x".into(), "y".into()]);
        assert_eq!(t.render_width(100), "a  b\n────\nx  y\n");
    }
}
