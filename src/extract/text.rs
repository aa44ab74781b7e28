//! A DPA as text: read from plain text, Markdown, HTML or PDF, with the
//! offsets of its pages (PDF), split into sentences that each know the
//! section they sit in. Every quote the extractor proposes is a slice of
//! `Document::text`, so its offsets point into exactly that text.

use crate::error::{Error, Result};
use std::path::Path;
use std::sync::OnceLock;

/// The largest DPA read (bytes of the file): a 40-page agreement is about
/// 150,000 characters.
pub const MAX_BYTES: u64 = 20 * 1024 * 1024;

/// What a DPA file holds, as the extractor reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Html,
    Pdf,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Markdown => "markdown",
            Format::Html => "html",
            Format::Pdf => "pdf",
        }
    }
}

pub struct Document {
    pub format: Format,
    /// The text every offset and quote refers to.
    pub text: String,
    /// Byte offsets at which pages 2, 3, ... start (PDF only).
    page_starts: Vec<usize>,
}

impl Document {
    /// A document from text already in memory (tests, stored evidence).
    pub fn from_text(format: Format, text: String) -> Document {
        Document {
            format,
            text,
            page_starts: Vec::new(),
        }
    }

    /// The page (from 1) holding byte `offset`, for a PDF. A binary search
    /// of the sorted page starts: counting them was a pass over every page
    /// per proposal, quadratic in a long PDF.
    pub fn page_of(&self, offset: usize) -> Option<u32> {
        if self.format != Format::Pdf {
            return None;
        }
        Some(self.page_starts.partition_point(|&s| s <= offset) as u32 + 1)
    }

    /// Reads a DPA file: PDF (through poppler's pdftotext), HTML, Markdown
    /// or plain text, told apart by their content and extension.
    pub fn read(path: &Path) -> Result<Document> {
        let shown = path.display();
        let bytes = crate::validate::read_capped(
            path,
            "DPA file",
            MAX_BYTES,
            "extract the agreement's own pages into a smaller file",
        )?;
        if bytes.iter().all(|b| b.is_ascii_whitespace()) {
            return Err(Error::user(format!("'{shown}' is empty: no text to read"))
                .with_hint("pass the DPA's text, Markdown, HTML or PDF file"));
        }
        if bytes.starts_with(b"%PDF-") {
            return Document::from_pdf(path, &bytes);
        }
        let text = String::from_utf8(bytes).map_err(|e| {
            Error::user(format!(
                "'{shown}' is not a text, Markdown, HTML or PDF file (byte {} is not UTF-8)",
                e.utf8_error().valid_up_to()
            ))
            .with_hint("save the agreement as PDF, HTML, Markdown or UTF-8 text")
        })?;
        if text.contains('\0') {
            return Err(Error::user(format!(
                "'{shown}' is not a text, Markdown, HTML or PDF file (it holds NUL bytes)"
            ))
            .with_hint("save the agreement as PDF, HTML, Markdown or UTF-8 text"));
        }
        let extension = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        let head = prefix(&text, 2048).to_ascii_lowercase();
        if matches!(extension.as_str(), "html" | "htm" | "xhtml")
            || head.contains("<html")
            || head.contains("<!doctype html")
        {
            return Ok(Document::from_text(Format::Html, html_to_text(&text)));
        }
        if matches!(extension.as_str(), "md" | "markdown") {
            // Markdown may carry inline HTML (<span>, <br>): its visible
            // text is what the agreement says.
            return Ok(Document::from_text(
                Format::Markdown,
                strip_inline_html(&text),
            ));
        }
        Ok(Document::from_text(Format::Text, text))
    }

    fn from_pdf(path: &Path, bytes: &[u8]) -> Result<Document> {
        let shown = path.display();
        let output = std::process::Command::new("pdftotext")
            .args(["-enc", "UTF-8", "-"])
            .arg("-")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut child| {
                use std::io::{Read, Write};
                let mut stdin = child.stdin.take().expect("piped stdin");
                let bytes = bytes.to_vec();
                let writer = std::thread::spawn(move || stdin.write_all(&bytes));
                // Its output is read through a bound too: a 20 MiB PDF of
                // compressed streams can expand to gigabytes of text.
                let stderr = child.stderr.take().expect("piped stderr");
                let errors = std::thread::spawn(move || {
                    let mut text = Vec::new();
                    let _ = stderr.take(64 * 1024).read_to_end(&mut text);
                    text
                });
                let mut stdout = Vec::new();
                let read = child
                    .stdout
                    .take()
                    .expect("piped stdout")
                    .take(MAX_BYTES + 1)
                    .read_to_end(&mut stdout);
                let over = stdout.len() as u64 > MAX_BYTES;
                if over {
                    // Stops it writing; its exit status no longer matters.
                    let _ = child.kill();
                }
                let status = child.wait()?;
                read?;
                let _ = writer.join();
                let stderr = errors.join().unwrap_or_default();
                Ok((status, stdout, stderr, over))
            });
        let (status, stdout, stderr, over) = match output {
            Ok(o) => o,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Error::user(format!(
                    "cannot read the PDF '{shown}': pdftotext is not installed"
                ))
                .with_hint("install poppler-utils (Debian/Ubuntu: `apt-get install poppler-utils`, macOS: `brew install poppler`), or pass the agreement as text or HTML"))
            }
            Err(e) => return Err(Error::user(format!("cannot run pdftotext on '{shown}': {e}"))),
        };
        if over {
            return Err(Error::user(format!(
                "the text of the PDF '{shown}' is over the DPA text limit of {}: more than {MAX_BYTES} bytes arrived from pdftotext, and reading stopped there",
                crate::validate::bytes_and_size(MAX_BYTES)
            ))
            .with_hint("extract the agreement's own pages into a smaller PDF"));
        }
        if !status.success() {
            return Err(Error::user(format!(
                "'{shown}' could not be read as a PDF: {}",
                String::from_utf8_lossy(&stderr).trim()
            ))
            .with_hint("check that the file is a whole, unencrypted PDF"));
        }
        let raw = String::from_utf8_lossy(&stdout).into_owned();
        if raw.chars().all(|c| c.is_whitespace()) {
            return Err(Error::user(format!(
                "no text found in '{shown}': the PDF may be a scan; run OCR first (e.g. `ocrmypdf in.pdf out.pdf`)"
            )));
        }
        // pdftotext ends each page with a form feed, so the piece after the
        // last one is no page. Every other piece is one, a blank page
        // included: skipping it would number the pages after it one too low.
        let mut pages: Vec<&str> = raw.split('\u{c}').collect();
        if pages.len() > 1 && pages.last().is_some_and(|p| p.trim().is_empty()) {
            pages.pop();
        }
        let mut text = String::with_capacity(raw.len());
        let mut page_starts = Vec::new();
        for (n, page) in pages.into_iter().enumerate() {
            if n > 0 {
                text.push('\n');
                page_starts.push(text.len());
            }
            text.push_str(page);
        }
        Ok(Document {
            format: Format::Pdf,
            text,
            page_starts,
        })
    }
}

/// The longest start of `text` of at most `max` bytes that ends at a
/// character boundary (a byte index may fall inside a character).
pub fn prefix(text: &str, max: usize) -> &str {
    let mut end = max.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Markdown with its inline HTML tags removed and entities decoded; the
/// lines and the Markdown markup stay as they are.
fn strip_inline_html(text: &str) -> String {
    if !text.contains('<') && !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        let after = &rest[lt + 1..];
        // A tag starts with a letter or '/': "a < b" stays.
        let is_tag = after.starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!');
        match (is_tag, after.find('>')) {
            (true, Some(gt)) if !after[..gt].contains('\n') => rest = &after[gt + 1..],
            _ => {
                out.push('<');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    decode_entities(&out)
}

/// The visible text of an HTML page: tags dropped (block tags become line
/// breaks), script/style/head content dropped, entities decoded.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    let mut skipping: Option<String> = None;
    while let Some(lt) = rest.find('<') {
        if skipping.is_none() {
            out.push_str(&decode_entities(&rest[..lt]));
        }
        let after = &rest[lt + 1..];
        let Some(gt) = after.find('>') else {
            rest = "";
            break;
        };
        let tag = after[..gt].trim();
        rest = &after[gt + 1..];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if let Some(skip) = &skipping {
            if closing && &name == skip {
                skipping = None;
            }
            continue;
        }
        if !closing && matches!(name.as_str(), "script" | "style" | "head" | "template") {
            skipping = Some(name);
            continue;
        }
        if matches!(
            name.as_str(),
            "p" | "div"
                | "br"
                | "li"
                | "tr"
                | "h1"
                | "h2"
                | "h3"
                | "h4"
                | "h5"
                | "h6"
                | "section"
                | "article"
                | "header"
                | "footer"
                | "nav"
                | "table"
                | "ul"
                | "ol"
                | "blockquote"
        ) {
            if !out.ends_with('\n') {
                out.push('\n');
            }
            if matches!(name.as_str(), "p" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6") && closing {
                out.push('\n');
            }
        } else if matches!(name.as_str(), "td" | "th") && !out.ends_with([' ', '\n']) {
            out.push(' ');
        }
    }
    if skipping.is_none() {
        out.push_str(&decode_entities(rest));
    }
    // Collapse runs of spaces and blank lines the markup left.
    let mut text = String::with_capacity(out.len());
    let mut blank = 0;
    for line in out.lines() {
        let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if line.is_empty() {
            blank += 1;
            if blank == 1 && !text.is_empty() {
                text.push('\n');
            }
            continue;
        }
        blank = 0;
        text.push_str(&line);
        text.push('\n');
    }
    text
}

fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let end = after.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let name = &after[..e];
            let c = match name {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" | "#39" => '\'',
                "nbsp" => ' ',
                "sect" => '§',
                "para" => '¶',
                "mdash" => '—',
                "ndash" => '–',
                "rsquo" => '\u{2019}',
                "lsquo" => '\u{2018}',
                "ldquo" => '\u{201c}',
                "rdquo" => '\u{201d}',
                "hellip" => '…',
                "euro" => '€',
                "pound" => '£',
                "copy" => '©',
                "reg" => '®',
                "trade" => '™',
                _ => {
                    let code =
                        if let Some(hex) = name.strip_prefix("#x").or(name.strip_prefix("#X")) {
                            u32::from_str_radix(hex, 16).ok()
                        } else {
                            name.strip_prefix('#').and_then(|d| d.parse().ok())
                        };
                    return code.and_then(char::from_u32).map(|c| (c, e));
                }
            };
            Some((c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &after[e + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// A sentence of the document: its byte range in `Document::text` and the
/// section it sits in, as the document numbers it.
#[derive(Debug, Clone)]
pub struct Sentence {
    pub start: usize,
    pub end: usize,
    pub section: Option<String>,
}

/// Splits the text into sentences. A paragraph (or a line) that starts with
/// a section number ("9.1", "Section 9.1", "§ 9.1", "Clause 9", "Article
/// 5(3)", "Annex II", "Schedule 3", a Markdown heading "## 9. Breach") sets
/// the section of the sentences that follow.
pub fn sentences(text: &str) -> Vec<Sentence> {
    let section_re = section_regex();
    let mut out = Vec::new();
    let mut section: Option<String> = None;
    let mut outline = Outline::default();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let line_start = offset;
        offset += line.len();
        let trimmed = line.trim_end_matches(['\n', '\r']);
        // Blank lines, and Markdown table rows (lists of subprocessors,
        // not prose), hold no sentences.
        if trimmed.trim().is_empty() || trimmed.trim_start().starts_with('|') {
            continue;
        }
        if let Some(number) = outline.line(trimmed, &section_re) {
            section = Some(number);
        }
        split_line(trimmed, line_start, &section, &mut out);
    }
    cap_length(text, merge_wrapped(text, out))
}

/// The longest sentence read whole, in bytes. A clause sentence is a few
/// hundred; a longer run (a table flattened into one line, a file with no
/// full stops) is read in pieces, so reading time stays linear in the text.
pub const MAX_SENTENCE_BYTES: usize = 4000;

/// Sentences longer than `MAX_SENTENCE_BYTES` split into pieces, each cut
/// after the last whitespace that fits (else at a character boundary).
fn cap_length(text: &str, sentences: Vec<Sentence>) -> Vec<Sentence> {
    let mut out = Vec::with_capacity(sentences.len());
    for mut s in sentences {
        while s.end - s.start > MAX_SENTENCE_BYTES {
            let window = prefix(&text[s.start..s.end], MAX_SENTENCE_BYTES);
            let cut = match window.rfind(char::is_whitespace) {
                Some(at) if at > 0 => at,
                _ => window.len(),
            };
            out.push(Sentence {
                start: s.start,
                end: s.start + cut,
                section: s.section.clone(),
            });
            let rest = &text[s.start + cut..s.end];
            s.start += cut + (rest.len() - rest.trim_start().len());
        }
        if s.end > s.start {
            out.push(s);
        }
    }
    out
}

/// Sentences end at `.`, `;`, `!`, `?` (or `:` before a list) followed by
/// a space and not after an abbreviation or inside a number; a line that
/// ends without one continues on the next (merged by `merge_wrapped`).
fn split_line(line: &str, base: usize, section: &Option<String>, out: &mut Vec<Sentence>) {
    let bytes = line.as_bytes();
    let mut start = line.len() - line.trim_start().len();
    let mut i = start;
    while i < bytes.len() {
        let c = bytes[i];
        if matches!(c, b'.' | b';' | b'!' | b'?') {
            // "**7.2 Notification.** The Supplier...": the markup that
            // closes a bold heading belongs to the sentence it ends.
            while matches!(bytes.get(i + 1), Some(b'*') | Some(b'_'))
                && matches!(
                    bytes.get(i + 2),
                    Some(b'*') | Some(b'_') | Some(b' ') | Some(b'\t') | None
                )
            {
                i += 1;
            }
            let next = bytes.get(i + 1).copied();
            let ends = match next {
                None => true,
                Some(b' ') | Some(b'\t') => !is_abbreviation(&line[start..i]) || c != b'.',
                _ => false,
            };
            if ends && i + 1 > start {
                out.push(Sentence {
                    start: base + start,
                    end: base + i + 1,
                    section: section.clone(),
                });
                let mut j = i + 1;
                while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                    j += 1;
                }
                start = j;
                i = j;
                continue;
            }
        }
        i += 1;
    }
    if start < line.len() && !line[start..].trim().is_empty() {
        let end = line.trim_end().len();
        out.push(Sentence {
            start: base + start,
            end: base + end,
            section: section.clone(),
        });
    }
}

/// "e.g.", "i.e.", "Inc.", "No.", "Sec.", a single letter ("U.S."), or a
/// number ("9." of "9.1" never reaches here; "Section 9." does).
fn is_abbreviation(before: &str) -> bool {
    let word = before
        .rsplit(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or("");
    let lower = word.to_ascii_lowercase();
    matches!(
        lower.as_str(),
        "e.g"
            | "i.e"
            | "etc"
            | "inc"
            | "ltd"
            | "llc"
            | "no"
            | "nos"
            | "sec"
            | "art"
            | "para"
            | "cf"
            | "vs"
            | "co"
            | "corp"
            | "mr"
            | "ms"
            | "dr"
            | "st"
            | "u.s"
            | "u.k"
            | "e.u"
    ) || (word.len() <= 2 && word.chars().all(|c| c.is_ascii_alphanumeric()))
        // "EU-U.S. Data Privacy Framework", "U.K.-based".
        || lower.ends_with("-u.s")
        || lower.ends_with("-u.k")
}

/// A line of a wrapped paragraph (PDF text, hard-wrapped Markdown) that did
/// not end its sentence is joined with the next line's first sentence.
fn merge_wrapped(text: &str, sentences: Vec<Sentence>) -> Vec<Sentence> {
    let mut out: Vec<Sentence> = Vec::with_capacity(sentences.len());
    for s in sentences {
        if let Some(last) = out.last_mut() {
            let ended = text[last.start..last.end]
                .trim_end()
                .ends_with(['.', ';', '!', '?', ':']);
            let between = &text[last.end..s.start];
            let next_starts_item = text[s.start..s.end].trim_start().starts_with(|c: char| {
                c.is_ascii_digit() || c == '#' || c == '(' || c == '-' || c == '*' || c == '•'
            });
            let one_line_break =
                between.matches('\n').count() == 1 && between.chars().all(char::is_whitespace);
            if !ended && one_line_break && !next_starts_item && last.section == s.section {
                last.end = s.end;
                continue;
            }
        }
        out.push(s);
    }
    out
}

/// Where a line stands in the document's numbering. Markdown numbers the
/// items of a list from 1 under each heading ("## 6. Subprocessors" then
/// "2. Customer may object"), and lettered items nest under numbered ones:
/// a reader cites them 6.2 and 6.2(a), not 2 and (a).
#[derive(Default)]
struct Outline {
    /// Open levels, outermost first: (indent, number, what opened it).
    stack: Vec<(usize, String, Level)>,
}

#[derive(Clone, Copy, PartialEq)]
enum Level {
    /// A Markdown heading or "Section 6" / "Article 5" / "§ 6": the items
    /// under it are its subsections.
    Heading,
    /// A bare "9.1": a full number; the next "10." is not under it.
    Full,
    /// A list item "2." under a heading.
    Item,
    /// "(a)", "(iv)", "b)".
    Letter,
}

impl Outline {
    /// The section `line` starts, if it starts one.
    fn line(&mut self, line: &str, section_re: &regex::Regex) -> Option<String> {
        static ITEM: OnceLock<(regex::Regex, regex::Regex)> = OnceLock::new();
        let (digit, letter) = ITEM.get_or_init(|| {
            (
                regex::Regex::new(r"^(\s*)(?:\*\*)?(\d{1,2})\\?\.(?:\*\*)?(?:\s|$)").expect("valid"),
                regex::Regex::new(r"^(\s*)(?:[-*]\s+)?(?:\*\*)?(?:\(([a-z]{1,2}|[ivx]{1,5})\)|([a-z])\))(?:\*\*)?\s")
                    .expect("valid"),
            )
        });
        let indent = |s: &str| {
            s.chars()
                .map(|c| if c == '\t' { 4 } else { 1 })
                .sum::<usize>()
        };
        let heading = line.trim_start().starts_with('#');
        if let Some(c) = digit.captures(line).filter(|_| !heading) {
            let at = indent(&c[1]);
            // A new item closes the items at its depth or deeper, and
            // every full number: "10." after "9.1" is section 10.
            self.stack.retain(|(i, _, level)| match level {
                Level::Heading => true,
                Level::Full => false,
                Level::Item | Level::Letter => *i < at,
            });
            let number = match self.stack.last() {
                Some((_, parent, _)) => format!("{parent}.{}", &c[2]),
                None => c[2].to_string(),
            };
            self.stack.push((at, number.clone(), Level::Item));
            return Some(number);
        }
        if let Some(c) = section_re.captures(line) {
            let number = normalise_section(&c[1]);
            let keyword = heading
                || !c[1]
                    .trim_start()
                    .starts_with(|ch: char| ch.is_ascii_digit());
            let level = if keyword { Level::Heading } else { Level::Full };
            self.stack = vec![(0, number.clone(), level)];
            return Some(number);
        }
        if heading {
            // A heading with no number ends the numbered levels.
            self.stack.clear();
            return None;
        }
        if let Some(c) = letter.captures(line) {
            let at = indent(&c[1]);
            self.stack
                .retain(|(i, _, level)| *level != Level::Letter || *i < at);
            let (_, parent, _) = self.stack.last()?;
            let mark = c.get(2).or(c.get(3)).map_or("", |m| m.as_str());
            let number = format!("{parent}({mark})");
            self.stack.push((at, number.clone(), Level::Letter));
            return Some(number);
        }
        None
    }
}

fn section_regex() -> regex::Regex {
    regex::Regex::new(
        r"(?x)^\s*(?:\#{1,6}\s*)?(?:\*\*)?
          (
            (?:Section|Clause|Article|Paragraph|Sec\.)\s+\d+(?:\.\d+)*(?:\([a-z0-9]+\))?
          | §\s*\d+(?:\.\d+)*(?:\([a-z0-9]+\))?
          | (?:Annex|Schedule|Exhibit|Appendix)\s+(?:[IVX]+|\d+|[A-Z])\b
          | \d+(?:\\?\.\d+)+\\?\.?
          | \d+\\?\.
          )(?:\s|$|\*)",
    )
    .expect("the section pattern is valid")
}

/// "Section 9.1" -> "9.1", "§ 9.1" -> "9.1", "9." -> "9", "Clause 9" ->
/// "9", "Annex II" stays "Annex II", "Article 5(3)" -> "5(3)".
fn normalise_section(raw: &str) -> String {
    // Markdown escapes a dot after a number: `2\.1` is 2.1.
    let raw = raw.replace('\\', "");
    let raw = raw.trim().trim_end_matches('.');
    for prefix in ["Section", "Clause", "Article", "Paragraph", "Sec.", "§"] {
        if let Some(rest) = raw.strip_prefix(prefix) {
            return rest.trim().to_string();
        }
    }
    raw.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<(String, Option<String>)> {
        sentences(text)
            .into_iter()
            .map(|s| (text[s.start..s.end].to_string(), s.section))
            .collect()
    }

    #[test]
    fn an_offset_is_on_the_page_whose_start_is_last_before_it() {
        let doc = Document {
            format: Format::Pdf,
            text: "one\ntwo\nthree".into(),
            page_starts: vec![4, 8],
        };
        let pages: Vec<_> = [0, 3, 4, 7, 8, 12]
            .map(|at| doc.page_of(at).unwrap())
            .into();
        assert_eq!(pages, [1, 1, 2, 2, 3, 3]);
        assert_eq!(
            Document::from_text(Format::Text, "x".into()).page_of(0),
            None
        );
    }

    #[test]
    fn a_prefix_ends_at_a_character_boundary() {
        assert_eq!(prefix("aé", 2), "a");
        assert_eq!(prefix("aé", 3), "aé");
        assert_eq!(prefix("aé", 10), "aé");
    }

    #[test]
    fn sentences_know_their_section() {
        let text = "9. Security Incidents\n9.1 Provider will notify Customer within 72 hours. It will \
                    cooperate, e.g. by sharing logs.\n\nSection 10.2 Sub-processors. Provider may engage them.\n";
        let got = split(text);
        assert_eq!(
            got[1].0,
            "9.1 Provider will notify Customer within 72 hours."
        );
        assert_eq!(got[1].1.as_deref(), Some("9.1"));
        assert_eq!(got[2].0, "It will cooperate, e.g. by sharing logs.");
        assert_eq!(got[3].1.as_deref(), Some("10.2"));
    }

    /// Markdown list numbers under a numbered heading, escaped dots, and
    /// lettered items nested under numbers give the sections a reader cites.
    #[test]
    fn nested_list_numbers_give_real_sections() {
        let text = "## 6. Subprocessors\n\n1. Customer authorises the engagement of Subprocessors.\n2. Provider will notify Customer.\n   (a) by email;\n   (b) on its website.\n\n## 9\\. Breach\n\n3. Provider will notify Customer of a breach.\n\n2\\.6 Each party.\n\n(a) Provider will assist.\n\n10. Term.\n";
        let got = split(text);
        let section_of = |start: &str| {
            got.iter()
                .find(|(s, _)| s.starts_with(start))
                .and_then(|(_, sec)| sec.clone())
                .unwrap_or_else(|| panic!("no sentence starting {start:?} in {got:?}"))
        };
        assert_eq!(section_of("1. Customer authorises"), "6.1");
        assert_eq!(section_of("2. Provider will notify"), "6.2");
        assert_eq!(section_of("(b) on its website"), "6.2(b)");
        assert_eq!(section_of("3. Provider will notify"), "9.3");
        assert_eq!(section_of("2\\.6 Each party"), "2.6");
        assert_eq!(section_of("(a) Provider will assist"), "2.6(a)");
        assert_eq!(section_of("10. Term"), "10");
    }

    #[test]
    fn a_run_longer_than_a_sentence_is_read_in_pieces() {
        let text = "é word ".repeat(2000);
        let got = sentences(&text);
        assert!(got.len() > 1);
        for s in &got {
            assert!(s.end - s.start <= MAX_SENTENCE_BYTES);
            assert!(!text[s.start..s.end].trim().is_empty());
        }
        assert_eq!(got.first().unwrap().start, 0);
        assert_eq!(got.last().unwrap().end, text.trim_end().len());
    }

    #[test]
    fn wrapped_lines_join_into_one_sentence() {
        let text = "§ 7.2 Provider shall delete Customer Data within\nthirty (30) days after termination.\n";
        let got = split(text);
        assert_eq!(got.len(), 1);
        assert_eq!(
            got[0].0,
            "§ 7.2 Provider shall delete Customer Data within\nthirty (30) days after termination."
        );
        assert_eq!(got[0].1.as_deref(), Some("7.2"));
    }

    #[test]
    fn html_becomes_its_visible_text() {
        let html =
            "<html><head><title>x</title><style>p{}</style></head><body><nav>Home | 24/7</nav>\
                    <h2>&sect; 9 Breach</h2><p>Provider will notify&nbsp;Customer &amp; its \
                    Affiliates within 48&nbsp;hours.</p><script>var x = 72;</script></body></html>";
        let text = html_to_text(html);
        assert!(text.contains("§ 9 Breach\n"), "{text}");
        assert!(text.contains("Provider will notify Customer & its Affiliates within 48 hours."));
        assert!(!text.contains("72"));
    }
}
