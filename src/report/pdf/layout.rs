//! Line layout for the PDF: text wrapped by measured glyph widths, tables that
//! split across pages with their header repeated, and a cursor that never lets
//! anything past the page margins.

use super::font::{Face, Fonts, MISSING};
use super::tags::Tags;
use printpdf::{Color, Line, LinePoint, Op, PaintMode, Point, Pt, Rect, Rgb, TextItem, TextMatrix};
use std::collections::BTreeMap;

/// A4 portrait, in points.
pub const PAGE_W: f32 = 595.28;
pub const PAGE_H: f32 = 841.89;
pub const MARGIN_X: f32 = 48.0;
/// Where body content starts and stops; the header and footer sit outside.
pub const TOP: f32 = PAGE_H - 64.0;
pub const BOTTOM: f32 = 60.0;
pub const CONTENT_W: f32 = PAGE_W - 2.0 * MARGIN_X;

/// A page's size and the box text is laid out in, in points.
#[derive(Clone, Copy, Debug)]
pub struct Page {
    pub width: f32,
    pub height: f32,
    pub margin_x: f32,
    pub top: f32,
    pub bottom: f32,
}

impl Page {
    /// A4 upright: the audit packet.
    pub const PORTRAIT: Page = Page {
        width: PAGE_W,
        height: PAGE_H,
        margin_x: MARGIN_X,
        top: TOP,
        bottom: BOTTOM,
    };
    /// A4 on its side: the comparison, one column per vendor.
    pub const LANDSCAPE: Page = Page {
        width: PAGE_H,
        height: PAGE_W,
        margin_x: 36.0,
        top: PAGE_W - 54.0,
        bottom: 48.0,
    };

    pub fn content_w(&self) -> f32 {
        self.width - 2.0 * self.margin_x
    }
}

#[derive(Clone, Copy, PartialEq)]
pub struct Rgb3(pub f32, pub f32, pub f32);

impl Rgb3 {
    pub fn color(self) -> Color {
        Color::Rgb(Rgb::new(self.0, self.1, self.2, None))
    }
}

pub const INK: Rgb3 = Rgb3(0.11, 0.12, 0.14);
/// Secondary text: 5.2:1 on HEADER_FILL, WCAG AA (4.5:1) on every background.
pub const MUTED: Rgb3 = Rgb3(0.36, 0.38, 0.42);
pub const ACCENT: Rgb3 = Rgb3(0.10, 0.23, 0.45);
pub const RULE: Rgb3 = Rgb3(0.78, 0.80, 0.84);
pub const HEADER_FILL: Rgb3 = Rgb3(0.90, 0.92, 0.95);
pub const STRIPE: Rgb3 = Rgb3(0.965, 0.97, 0.98);

#[derive(Clone, Copy)]
pub struct Style {
    pub bold: bool,
    pub size: f32,
    pub color: Rgb3,
}

impl Style {
    pub const fn new(bold: bool, size: f32, color: Rgb3) -> Style {
        Style { bold, size, color }
    }
    /// Baseline-to-baseline distance.
    pub fn leading(self) -> f32 {
        self.size * 1.3
    }
    pub fn colored(self, color: Rgb3) -> Style {
        Style { color, ..self }
    }
}

pub const BODY: Style = Style::new(false, 8.5, INK);
pub const SMALL: Style = Style::new(false, 7.5, INK);

/// A bookmark / contents entry: title, nesting level, 0-based page index,
/// and the y of the heading's top, where a bookmark lands.
pub struct Anchor {
    pub title: String,
    pub level: u8,
    pub page: usize,
    pub y: f32,
}

/// Where a click on a link goes.
#[derive(Clone, Debug, PartialEq)]
pub enum Target {
    /// A web address (made ASCII by the archive step).
    Uri(String),
    /// The heading of `anchors[i]`.
    Anchor(usize),
}

/// A clickable rectangle (x0, y0, x1, y1 in points) on a 0-based page.
#[derive(Clone, Debug)]
pub struct Link {
    pub page: usize,
    pub rect: [f32; 4],
    pub target: Target,
}

/// Where URLs fall in one drawn line: (start, end) byte range and the URL.
pub type UrlRuns = Vec<(usize, usize, String)>;

pub struct Column<'a> {
    pub title: &'a str,
    /// Share of the content width.
    pub share: f32,
}

/// A column of `title` taking `share` of the content width.
pub const fn col(title: &str, share: f32) -> Column<'_> {
    Column { title, share }
}

/// A table cell: text and an optional colour for it.
pub struct Cell {
    pub text: String,
    pub style: Option<Style>,
}

impl From<String> for Cell {
    fn from(text: String) -> Cell {
        Cell { text, style: None }
    }
}

impl From<&str> for Cell {
    fn from(text: &str) -> Cell {
        Cell {
            text: text.to_string(),
            style: None,
        }
    }
}

pub struct Writer<'f> {
    fonts: &'f Fonts,
    pub page: Page,
    /// Finished pages' ops; the current page is `ops`.
    pub pages: Vec<Vec<Op>>,
    ops: Vec<Op>,
    /// The top of the free space on the current page.
    pub y: f32,
    pub anchors: Vec<Anchor>,
    /// URL rectangles drawn so far, for the archive step's link annotations.
    pub links: Vec<Link>,
    /// The structure tree (Tagged PDF) drawn so far.
    tags: Tags,
    /// Characters the font lacks, with how often each was replaced.
    pub missing: BTreeMap<char, usize>,
    /// The fill colour and font the current page's content stream has set
    /// last, so text_at sets them only when they change: a 46-page packet
    /// draws thousands of lines, and every operator is serialized.
    fill: Option<Rgb3>,
    font: Option<(*const Face, f32)>,
}

impl<'f> Writer<'f> {
    pub fn new(fonts: &'f Fonts) -> Writer<'f> {
        Writer::with_page(fonts, Page::PORTRAIT)
    }

    pub fn with_page(fonts: &'f Fonts, page: Page) -> Writer<'f> {
        Writer {
            fonts,
            page,
            pages: Vec::new(),
            ops: Vec::new(),
            y: page.top,
            anchors: Vec::new(),
            links: Vec::new(),
            tags: Tags::default(),
            missing: BTreeMap::new(),
            fill: None,
            font: None,
        }
    }

    /// A writer for page furniture (running header, footer): everything it
    /// draws is marked as an artifact, outside the structure tree.
    pub fn furniture(fonts: &'f Fonts, page: Page) -> Writer<'f> {
        Writer {
            tags: Tags::artifacts(),
            ..Writer::with_page(fonts, page)
        }
    }

    /// Starts a structure element (a standard role: "H1", "P", "Table", ...)
    /// that what is drawn until `end` belongs to.
    pub fn begin(&mut self, role: &'static str) -> usize {
        let page = self.page_index();
        self.tags.begin(role, page, &mut self.ops)
    }

    pub fn end(&mut self) {
        self.tags.leave(&mut self.ops);
    }

    /// The structure tree, once drawing is done (before `finish`).
    pub fn take_tags(&mut self) -> Tags {
        self.tags.end_page(&mut self.ops);
        std::mem::take(&mut self.tags)
    }

    /// The index of the current page.
    pub fn page_index(&self) -> usize {
        self.pages.len()
    }

    pub fn new_page(&mut self) {
        self.tags.end_page(&mut self.ops);
        self.pages.push(std::mem::take(&mut self.ops));
        self.y = self.page.top;
        // A page's content stream starts from the default graphics state.
        self.fill = None;
        self.font = None;
    }

    fn set_fill(&mut self, color: Rgb3) {
        if self.fill != Some(color) {
            self.ops.push(Op::SetFillColor { col: color.color() });
            self.fill = Some(color);
        }
    }

    /// Starts a new page unless `height` fits below the cursor.
    pub fn ensure(&mut self, height: f32) {
        if self.y - height < self.page.bottom && self.y < self.page.top {
            self.new_page();
        }
    }

    pub fn gap(&mut self, height: f32) {
        self.y = (self.y - height).max(self.page.bottom);
    }

    /// Ends layout: every page's ops, the current page included.
    pub fn finish(mut self) -> (Vec<Vec<Op>>, Vec<Anchor>, BTreeMap<char, usize>) {
        self.tags.end_page(&mut self.ops);
        self.pages.push(std::mem::take(&mut self.ops));
        (self.pages, self.anchors, self.missing)
    }

    pub fn anchor(&mut self, title: String, level: u8) {
        let (page, y) = (self.page_index(), self.y);
        self.anchors.push(Anchor {
            title,
            level,
            page,
            y,
        });
    }

    // ---- measuring and wrapping ----

    /// `text` with every character no face has replaced by MISSING (and
    /// counted); a carriage return (alone or before a line feed) is a line
    /// break, a tab at the start of a line four spaces of indentation, and
    /// any other tab a space.
    fn drawable(&mut self, style: Style, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut chars = text.chars().peekable();
        let mut line_start = true;
        while let Some(c) = chars.next() {
            match c {
                '\r' => {
                    chars.next_if_eq(&'\n');
                    out.push('\n');
                }
                '\t' if line_start => out.push_str("    "),
                '\t' => out.push(' '),
                '\n' => out.push(c),
                c if self.fonts.face_for(style.bold, c).is_some() || is_zero_width(c) => {
                    out.push(c)
                }
                // A space no face has (U+3000 in DejaVu) is still a space:
                // drawn as one, it keeps link rectangles, which count
                // non-space characters, on their URLs.
                c if c.is_whitespace() => out.push(' '),
                c => {
                    *self.missing.entry(c).or_default() += 1;
                    out.push(MISSING);
                }
            }
            line_start = matches!(c, '\n' | '\r') || (line_start && matches!(c, ' ' | '\t'));
        }
        out
    }

    fn char_width(&self, style: Style, c: char) -> f32 {
        self.fonts
            .face_for(style.bold, c)
            .and_then(|face| face.advance(c))
            .unwrap_or(0.6)
            * style.size
    }

    pub fn measure(&self, style: Style, text: &str) -> f32 {
        text.chars().map(|c| self.char_width(style, c)).sum()
    }

    /// Lines of `text` no wider than `width` points: broken at spaces, and
    /// inside a word only when the word alone is wider than a line. A
    /// paragraph's leading indentation is kept on each of its lines (up to
    /// half the width).
    pub fn wrap(&mut self, style: Style, text: &str, width: f32) -> Vec<String> {
        let text = self.drawable(style, text);
        let space = self.char_width(style, ' ');
        let mut lines = Vec::new();
        for paragraph in text.split('\n') {
            let body = paragraph.trim_start_matches(' ');
            let spaces = (paragraph.len() - body.len()).min((width / 2.0 / space) as usize);
            let indent = " ".repeat(spaces);
            let first = lines.len();
            self.wrap_paragraph(style, body, width - spaces as f32 * space, &mut lines);
            if spaces > 0 {
                for line in &mut lines[first..] {
                    line.insert_str(0, &indent);
                }
            }
        }
        lines.into_iter().map(|l| visual_order(&l)).collect()
    }

    /// One paragraph (no line breaks) wrapped to `width`, onto `lines`.
    fn wrap_paragraph(&self, style: Style, paragraph: &str, width: f32, lines: &mut Vec<String>) {
        let space = self.char_width(style, ' ');
        let mut line = String::new();
        let mut line_w = 0.0;
        for word in paragraph.split(' ').filter(|w| !w.is_empty()) {
            let word_w = self.measure(style, word);
            let lead = if line.is_empty() { 0.0 } else { space };
            if line_w + lead + word_w <= width {
                if !line.is_empty() {
                    line.push(' ');
                }
                line.push_str(word);
                line_w += lead + word_w;
                continue;
            }
            if word_w <= width {
                lines.push(std::mem::take(&mut line));
                line.push_str(word);
                line_w = word_w;
                continue;
            }
            // A token wider than the line (a URL, a hash): fill the
            // current line, then break it by glyph widths.
            if !line.is_empty() {
                if line_w + space + 4.0 * style.size <= width {
                    line.push(' ');
                    line_w += space;
                } else {
                    lines.push(std::mem::take(&mut line));
                    line_w = 0.0;
                }
            }
            // Where the token starts on the current line.
            let mut from = line.len();
            for c in word.chars() {
                let w = self.char_width(style, c);
                if line_w + w > width && !line.is_empty() {
                    // Prefer to break after a separator of the token
                    // (`breach.clock-at-...`, URL paths) when one is on
                    // this line; else break between any two characters.
                    // The cut is taken only when what follows it fits the
                    // next line with this character, else that line would
                    // run past `width`.
                    let cut = line[from..]
                        .rfind(['-', '.', '/', '_', '?', '&', '='])
                        .map(|i| from + i + 1)
                        .filter(|&i| i < line.len() && i > 0)
                        .filter(|&i| self.measure(style, &line[i..]) + w <= width);
                    let rest = match cut {
                        Some(i) => line.split_off(i),
                        None => String::new(),
                    };
                    lines.push(std::mem::replace(&mut line, rest));
                    from = 0;
                    line_w = self.measure(style, &line);
                }
                line.push(c);
                line_w += w;
            }
        }
        lines.push(line);
    }

    // ---- drawing ----

    /// Draws one already-wrapped line with its baseline at `baseline`: one
    /// text object, switching face where the fallback chain does (the pen
    /// advances by each glyph's width, so runs need no positions of their own).
    pub fn text_at(&mut self, x: f32, baseline: f32, style: Style, line: &str) {
        if line.is_empty() {
            return;
        }
        // Tagged PDF: the text goes into its structure element's sequence.
        let page = self.page_index();
        self.tags.mark(page, &mut self.ops);
        // Layout keeps every line inside the page box; debug builds (the
        // tests) check it on every line drawn.
        debug_assert!(
            x >= 0.0
                && x + self.measure(style, line) <= self.page.width - self.page.margin_x + 0.5
                && baseline >= 20.0
                && baseline + style.size <= self.page.height,
            "line outside the page box at ({x}, {baseline}): {line:?}"
        );
        self.ops.push(Op::StartTextSection);
        self.set_fill(style.color);
        self.ops.push(Op::SetTextMatrix {
            matrix: TextMatrix::Translate(Pt(x), Pt(baseline)),
        });
        let primary = if style.bold {
            &self.fonts.bold
        } else {
            &self.fonts.regular
        };
        let mut runs: Vec<(&Face, String)> = Vec::new();
        for c in line.chars() {
            // A mark no face has (zero-width) stays with the run before it.
            let face = self.fonts.face_for(style.bold, c);
            match (runs.last_mut(), face) {
                (Some((current, run)), Some(face)) if std::ptr::eq(*current, face) => run.push(c),
                (Some((_, run)), None) => run.push(c),
                (_, face) => runs.push((face.unwrap_or(primary), c.to_string())),
            }
        }
        for (face, run) in runs {
            // The font is text state, which outlives the text object.
            let font = (face as *const Face, style.size);
            if self.font != Some(font) {
                self.ops.push(Op::SetFont {
                    font: face.handle(),
                    size: Pt(style.size),
                });
                self.font = Some(font);
            }
            self.ops.push(Op::ShowText {
                items: vec![TextItem::Text(run)],
            });
        }
        self.ops.push(Op::EndTextSection);
    }

    pub fn fill_rect(&mut self, x: f32, y: f32, w: f32, h: f32, color: Rgb3) {
        self.tags.artifact(&mut self.ops);
        self.set_fill(color);
        self.ops.push(Op::DrawRectangle {
            rectangle: Rect {
                x: Pt(x),
                y: Pt(y),
                width: Pt(w),
                height: Pt(h),
                mode: Some(PaintMode::Fill),
                winding_order: None,
            },
        });
    }

    pub fn hline(&mut self, x1: f32, x2: f32, y: f32, color: Rgb3, width: f32) {
        self.tags.artifact(&mut self.ops);
        self.ops.extend([
            Op::SetOutlineColor { col: color.color() },
            Op::SetOutlineThickness { pt: Pt(width) },
            Op::DrawLine {
                line: Line {
                    points: vec![
                        LinePoint {
                            p: Point {
                                x: Pt(x1),
                                y: Pt(y),
                            },
                            bezier: false,
                        },
                        LinePoint {
                            p: Point {
                                x: Pt(x2),
                                y: Pt(y),
                            },
                            bezier: false,
                        },
                    ],
                    is_closed: false,
                },
            },
        ]);
    }

    /// Draws one wrapped line and records a link rectangle over each part of
    /// it that belongs to a URL (`runs`, from `url_runs`).
    pub fn text_linked(&mut self, x: f32, baseline: f32, style: Style, line: &str, runs: &UrlRuns) {
        self.text_at(x, baseline, style, line);
        for (start, end, url) in runs {
            let x0 = x + self.measure(style, &line[..*start]);
            let x1 = x0 + self.measure(style, &line[*start..*end]);
            self.links.push(Link {
                page: self.page_index(),
                rect: [
                    x0,
                    baseline - 0.25 * style.size,
                    x1,
                    baseline + 0.9 * style.size,
                ],
                target: Target::Uri(url.clone()),
            });
        }
    }

    /// A wrapped paragraph at `indent` from the left margin: a P of its
    /// own unless drawn inside a heading, a cell or another paragraph.
    pub fn paragraph(&mut self, style: Style, text: &str, indent: f32) {
        let own = !self.tags.in_leaf();
        if own {
            self.begin("P");
        }
        let lines = self.wrap(style, text, self.page.content_w() - indent);
        let runs = url_runs(text, &lines);
        for (line, runs) in lines.iter().zip(&runs) {
            self.ensure(style.leading());
            self.y -= style.leading();
            self.text_linked(
                self.page.margin_x + indent,
                self.y + style.size * 0.25,
                style,
                line,
                runs,
            );
        }
        if own {
            self.end();
        }
    }

    /// A heading inside a section ("Our obligations (profile)"): tagged H3,
    /// and kept with at least `keep` points of what follows rather than
    /// left as the last line of a page.
    pub fn subheading(&mut self, style: Style, title: &str, keep: f32) {
        self.ensure(style.leading() + 4.0 + keep);
        self.begin("H3");
        self.paragraph(style, title, 0.0);
        self.end();
    }

    /// A numbered heading, kept with at least `keep` points of what follows,
    /// recorded as a bookmark and contents entry.
    pub fn heading(&mut self, level: u8, title: &str, keep: f32) {
        let style = match level {
            1 => Style::new(true, 15.0, ACCENT),
            _ => Style::new(true, 11.0, ACCENT),
        };
        let before = if self.y < self.page.top {
            style.size
        } else {
            0.0
        };
        self.ensure(before + style.leading() + 6.0 + keep);
        self.gap(before);
        self.anchor(title.to_string(), level);
        self.begin(if level == 1 { "H1" } else { "H2" });
        self.paragraph(style, title, 0.0);
        self.end();
        if level == 1 {
            let (x, w) = (self.page.margin_x, self.page.content_w());
            self.hline(x, x + w, self.y - 3.0, ACCENT, 0.8);
        }
        self.gap(6.0);
    }

    /// A column title wrapped at spaces only: when one of its words is wider
    /// than the column, the title is set smaller (down to MIN_HEADER_SIZE)
    /// rather than broken inside the word ("Custome/r"). A word still too
    /// wide at that size is broken as `wrap` breaks it.
    pub fn header_lines(&mut self, style: Style, title: &str, width: f32) -> (Style, Vec<String>) {
        const MIN_HEADER_SIZE: f32 = 5.5;
        let mut style = style;
        while style.size > MIN_HEADER_SIZE
            && title
                .split_whitespace()
                .any(|word| self.measure(style, word) > width)
        {
            style.size = (style.size - 0.25).max(MIN_HEADER_SIZE);
        }
        (style, self.wrap(style, title, width))
    }

    /// A table: a bold header row on a tinted band, wrapped cells, striped
    /// rows. A row that does not fit goes to the next page under a repeated
    /// header; a row taller than a page is split between pages.
    pub fn table(&mut self, columns: &[Column], rows: Vec<Vec<Cell>>) {
        const PAD: f32 = 3.0;
        let style = SMALL;
        let head_style = Style::new(true, 7.5, INK);
        let lh = style.leading();
        let (margin_x, content_w) = (self.page.margin_x, self.page.content_w());
        let (top, bottom) = (self.page.top, self.page.bottom);
        let widths: Vec<f32> = columns.iter().map(|c| c.share * content_w).collect();
        let header: Vec<(Style, Vec<String>)> = columns
            .iter()
            .zip(&widths)
            .map(|(c, w)| self.header_lines(head_style, c.title, w - 2.0 * PAD))
            .collect();
        let header_h = header.iter().map(|h| h.1.len()).max().unwrap_or(1) as f32 * lh + 2.0 * PAD;
        // Tagged as a Table of TR rows of TH / TD cells. The header's
        // cells are TH the first time; repeated on a later page, an artifact.
        let draw_header = |w: &mut Writer, cells: Option<&[usize]>| {
            let top = w.y;
            w.fill_rect(margin_x, top - header_h, content_w, header_h, HEADER_FILL);
            if cells.is_none() {
                w.tags.begin_artifact();
            }
            let mut x = margin_x;
            for (c, ((style, lines), width)) in header.iter().zip(&widths).enumerate() {
                if let Some(cells) = cells {
                    w.tags.enter(cells[c], &mut w.ops);
                }
                for (i, line) in lines.iter().enumerate() {
                    let baseline = top - PAD - (i as f32 + 1.0) * lh + lh * 0.25;
                    w.text_at(x + PAD, baseline, *style, line);
                }
                if cells.is_some() {
                    w.tags.leave(&mut w.ops);
                }
                x += width;
            }
            if cells.is_none() {
                w.tags.end_artifact();
            }
            w.y -= header_h;
        };
        type Wrapped = Vec<(Vec<String>, Vec<UrlRuns>, Style)>;
        let wrapped: Vec<Wrapped> = rows
            .iter()
            .map(|row| {
                row.iter()
                    .zip(&widths)
                    .map(|(cell, w)| {
                        let s = cell.style.unwrap_or(style);
                        let lines = self.wrap(s, &cell.text, w - 2.0 * PAD);
                        let runs = url_runs(&cell.text, &lines);
                        (lines, runs, s)
                    })
                    .collect()
            })
            .collect();
        let line_counts: Vec<usize> = wrapped
            .iter()
            .map(|cells| cells.iter().map(|c| c.0.len()).max().unwrap_or(1).max(1))
            .collect();
        let height_of = |lines: usize| lines as f32 * lh + 2.0 * PAD;
        let full_page = ((top - bottom - header_h - 2.0 * PAD) / lh).floor() as usize;
        let page_room = top - bottom - header_h;
        // The header goes with its first row whole (or the first two of a
        // two-row table), not alone at the foot of a page.
        let opening: f32 = line_counts
            .iter()
            .take(if line_counts.len() == 2 { 2 } else { 1 })
            .map(|&n| height_of(n))
            .sum();
        self.ensure(header_h + opening.min(page_room).max(height_of(1)));
        self.begin("Table");
        let header_cells = self.row_cells("TH", columns.len());
        draw_header(self, Some(&header_cells));
        let last = wrapped.len().saturating_sub(1);
        for (index, cells) in wrapped.into_iter().enumerate() {
            let total = line_counts[index];
            // The last row is not left alone on a page: when it would be,
            // the row before it goes over with it.
            if index + 1 == last && index > 0 {
                let pair = height_of(total) + height_of(line_counts[last]);
                let room = self.y - bottom;
                if height_of(total) <= room && pair > room && pair <= page_room {
                    self.new_page();
                    draw_header(self, None);
                }
            }
            let row_cells = self.row_cells("TD", cells.len());
            let mut done = 0;
            while done < total {
                let remaining = total - done;
                let fits = ((self.y - bottom - 2.0 * PAD) / lh).floor().max(0.0) as usize;
                // Move a row that would fit on a page of its own to the next
                // page whole; split only a row taller than a page.
                let take = if remaining <= fits {
                    remaining
                } else if fits == 0 || (done == 0 && remaining <= full_page) {
                    self.new_page();
                    draw_header(self, None);
                    continue;
                } else {
                    fits
                };
                let height = take as f32 * lh + 2.0 * PAD;
                if index % 2 == 1 {
                    self.fill_rect(margin_x, self.y - height, content_w, height, STRIPE);
                }
                let mut x = margin_x;
                for (c, ((lines, runs, s), width)) in cells.iter().zip(&widths).enumerate() {
                    self.tags.enter(row_cells[c], &mut self.ops);
                    let shown = lines.iter().zip(runs).skip(done).take(take);
                    for (i, (line, runs)) in shown.enumerate() {
                        let baseline = self.y - PAD - (i as f32 + 1.0) * lh + lh * 0.25;
                        self.text_linked(x + PAD, baseline, *s, line, runs);
                    }
                    self.tags.leave(&mut self.ops);
                    x += width;
                }
                self.y -= height;
                self.hline(margin_x, margin_x + content_w, self.y, RULE, 0.4);
                done += take;
                if done < total {
                    self.new_page();
                    draw_header(self, None);
                }
            }
        }
        self.end();
        self.gap(8.0);
    }

    /// A TR under the open Table with `n` cells of `role`, not entered: a
    /// row's cells are filled column by column, and again on the next page
    /// when the row is split.
    fn row_cells(&mut self, role: &'static str, n: usize) -> Vec<usize> {
        let page = self.page_index();
        let tr = self.tags.begin("TR", page, &mut self.ops);
        let cells = (0..n).map(|_| self.tags.create(role, page)).collect();
        self.tags.leave(&mut self.ops);
        debug_assert!(self.tags.elems[tr].kids.len() == n);
        cells
    }
}

/// The URLs in `text`, each as a range of its non-whitespace characters
/// (a URL has no spaces, and wrapping keeps every non-space character in
/// order, so the count finds a URL again in the wrapped lines).
fn url_spans(text: &str) -> Vec<(usize, usize, String)> {
    let mut spans = Vec::new();
    let mut from = 0;
    while let Some(at) = ["https://", "http://"]
        .iter()
        .filter_map(|scheme| text[from..].find(scheme))
        .min()
        .map(|i| from + i)
    {
        let len = text[at..]
            .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '\u{201D}'))
            .unwrap_or(text.len() - at);
        let mut url = &text[at..at + len];
        // Punctuation that ends a sentence is not part of the address; a
        // closing bracket is, when the address opened one.
        loop {
            let trimmed = url.trim_end_matches(['.', ',', ';', ':', '!', '?', '\'']);
            let trimmed = match trimmed.chars().last() {
                Some(')') if !trimmed.contains('(') => &trimmed[..trimmed.len() - 1],
                Some(']') if !trimmed.contains('[') => &trimmed[..trimmed.len() - 1],
                _ => trimmed,
            };
            if trimmed.len() == url.len() {
                break;
            }
            url = trimmed;
        }
        let start = text[..at].chars().filter(|c| !c.is_whitespace()).count();
        let count = url.chars().count();
        if url.len() > "https://".len() {
            spans.push((start, start + count, url.to_string()));
        }
        from = at + len.max(1);
    }
    spans
}

/// For each wrapped line of `text`, the byte ranges that show a URL: a URL
/// wrapped over two lines gives a range on each.
pub fn url_runs(text: &str, lines: &[String]) -> Vec<UrlRuns> {
    let spans = url_spans(text);
    let mut runs = vec![UrlRuns::new(); lines.len()];
    if spans.is_empty() {
        return runs;
    }
    let mut k = 0; // non-whitespace characters seen so far
    for (line, out) in lines.iter().zip(runs.iter_mut()) {
        // Right-to-left lines are reordered for display: their character
        // positions no longer match, so they get no rectangle.
        let rtl = has_rtl(line);
        let mut open: Option<(usize, usize, usize)> = None; // (span, start, end)
        for (b, c) in line.char_indices() {
            if c.is_whitespace() {
                out.extend(open.take().map(|(s, a, z)| (a, z, spans[s].2.clone())));
                continue;
            }
            let span = spans.iter().position(|&(a, z, _)| a <= k && k < z);
            k += 1;
            match (span, open) {
                (Some(s), Some((o, a, _))) if s == o => open = Some((s, a, b + c.len_utf8())),
                (Some(s), _) => {
                    out.extend(open.take().map(|(s, a, z)| (a, z, spans[s].2.clone())));
                    open = Some((s, b, b + c.len_utf8()));
                }
                (None, _) => out.extend(open.take().map(|(s, a, z)| (a, z, spans[s].2.clone()))),
            }
        }
        out.extend(open.take().map(|(s, a, z)| (a, z, spans[s].2.clone())));
        if rtl {
            out.clear();
        }
    }
    runs
}

/// True when `line` holds right-to-left letters (Arabic, Hebrew).
fn has_rtl(line: &str) -> bool {
    use unicode_bidi::{bidi_class, BidiClass};
    // No right-to-left letter sits below U+0590: most lines skip the lookup.
    line.chars()
        .any(|c| c >= '\u{0590}' && matches!(bidi_class(c), BidiClass::R | BidiClass::AL))
}

/// Combining marks and format characters draw nothing of their own.
fn is_zero_width(c: char) -> bool {
    matches!(c as u32, 0x200B..=0x200F | 0xFE00..=0xFE0F | 0x0300..=0x036F)
}

/// A line in display order: right-to-left runs (Arabic, Hebrew) reversed by
/// the Unicode bidi algorithm. Lines without RTL text are returned as they are.
fn visual_order(line: &str) -> String {
    use unicode_bidi::{BidiInfo, Level};
    if !has_rtl(line) {
        return line.to_string();
    }
    let info = BidiInfo::new(line, Some(Level::ltr()));
    match info.paragraphs.first() {
        Some(para) => info.reorder_line(para, para.range.clone()).into_owned(),
        None => line.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn without_spaces(s: &str) -> String {
        s.chars().filter(|c| !c.is_whitespace()).collect()
    }

    #[test]
    fn wrapped_lines_fit_their_width_and_keep_every_character() {
        let fonts = Fonts::load(&[]).unwrap();
        let mut w = Writer::new(&fonts);
        let text = format!(
            "Short words, then a token {} and https://trust.example.com/a/long/path/{} — Ωμέγα Привет end",
            "x".repeat(700),
            "y".repeat(300)
        );
        for width in [40.0, 123.0, CONTENT_W] {
            let lines = w.wrap(BODY, &text, width);
            assert!(lines.len() > 1);
            for line in &lines {
                let measured = w.measure(BODY, line);
                assert!(measured <= width + 0.01, "{measured} > {width}: {line}");
            }
            assert_eq!(without_spaces(&lines.concat()), without_spaces(&text));
        }
    }

    /// A table whose last row would fall alone on the next page takes the
    /// row before it along; the header goes with its first row.
    #[test]
    fn a_tables_last_row_is_not_left_alone_on_a_page() {
        let fonts = Fonts::load(&[]).unwrap();
        let columns = [
            Column {
                title: "Id",
                share: 0.2,
            },
            Column {
                title: "Text",
                share: 0.8,
            },
        ];
        let rows = |n: usize| -> Vec<Vec<Cell>> {
            (0..n)
                .map(|i| {
                    vec![
                        Cell::from(format!("{i}")),
                        Cell::from("one line".to_string()),
                    ]
                })
                .collect()
        };
        let row_h = SMALL.leading() + 6.0;
        let header_h = SMALL.leading() + 6.0;
        // Room for the header, four rows and half of a fifth: of five rows,
        // the fourth and fifth go to the next page together.
        let mut w = Writer::new(&fonts);
        let bottom = w.page.bottom;
        w.y = bottom + header_h + 4.0 * row_h + 0.5 * row_h;
        let first_page = w.page_index();
        w.table(&columns, rows(5));
        assert_eq!(w.page_index(), first_page + 1);
        let used = w.page.top - w.y - 8.0;
        assert!(
            (used - (header_h + 2.0 * row_h)).abs() < 0.01,
            "the next page holds {used} points, not the header and two rows"
        );
        // With room for the header and no whole row, the table starts on
        // the next page.
        let mut w = Writer::new(&fonts);
        w.y = bottom + header_h + 0.5 * row_h;
        let first_page = w.page_index();
        w.table(&columns, rows(1));
        assert_eq!(w.page_index(), first_page + 1);
    }

    #[test]
    fn column_titles_are_set_smaller_rather_than_broken_inside_a_word() {
        let fonts = Fonts::load(&[]).unwrap();
        let mut w = Writer::new(&fonts);
        let head = Style::new(true, 7.5, INK);
        let narrow = w.measure(head, "Customer") - 4.0;
        let (style, lines) = w.header_lines(head, "Customer share", narrow);
        assert_eq!(lines, ["Customer", "share"]);
        assert!(style.size < head.size);
        let (style, lines) = w.header_lines(head, "Vendor", 200.0);
        assert_eq!((lines, style.size), (vec!["Vendor".to_string()], head.size));
    }

    #[test]
    fn long_tokens_break_after_a_separator_when_there_is_one() {
        let fonts = Fonts::load(&[]).unwrap();
        let mut w = Writer::new(&fonts);
        let lines = w.wrap(SMALL, "subprocessors.terminate-only", 70.0);
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(lines[0].ends_with(['.', '-']), "{lines:?}");
    }

    #[test]
    fn a_cut_after_a_separator_never_makes_a_line_wider_than_its_box() {
        // A separator as a token's only break, then wide glyphs: the part
        // after the cut was nearly a full line, and one glyph more ran 3 pt
        // past the box (found by a second read).
        let fonts = Fonts::load(&[]).unwrap();
        let mut w = Writer::new(&fonts);
        let small = Style::new(false, 7.5, INK);
        let big = Style::new(false, 8.5, INK);
        for (style, width, text) in [
            (small, 447.28, format!("x\n.{}", "D".repeat(150))),
            (small, 447.28, format!("-{}", "@".repeat(150))),
            (big, CONTENT_W, format!("-{}", "W".repeat(150))),
            (small, 447.28, format!("/{}", "%".repeat(150))),
        ] {
            let lines = w.wrap(style, &text, width);
            for line in &lines {
                let measured = w.measure(style, line);
                assert!(measured <= width + 0.01, "{measured} > {width}: {line}");
            }
            assert_eq!(without_spaces(&lines.concat()), without_spaces(&text));
        }
    }

    #[test]
    fn a_space_no_face_has_is_drawn_as_a_space_and_links_stay_on_their_url() {
        let fonts = Fonts::load(&[]).unwrap();
        let mut w = Writer::new(&fonts);
        let text = "See\u{3000}\u{3000}\u{3000} https://example.com/policy for more";
        let lines = w.wrap(BODY, text, CONTENT_W);
        assert_eq!(lines, ["See https://example.com/policy for more"]);
        assert!(w.missing.is_empty(), "{:?}", w.missing);
        let runs = url_runs(text, &lines);
        let (a, z, url) = &runs[0][0];
        assert_eq!(&lines[0][*a..*z], "https://example.com/policy");
        assert_eq!(url, "https://example.com/policy");
    }

    #[test]
    fn characters_missing_from_the_font_are_boxes_and_counted() {
        let fonts = Fonts::load(&[]).unwrap();
        let mut w = Writer::new(&fonts);
        let lines = w.wrap(BODY, "漢字 ok", CONTENT_W);
        assert_eq!(lines, [format!("{MISSING}{MISSING} ok")]);
        assert_eq!(w.missing.get(&'漢'), Some(&1));
        assert_eq!(w.missing.len(), 2);
    }

    #[test]
    fn urls_are_found_again_in_the_wrapped_lines() {
        let fonts = Fonts::load(&[]).unwrap();
        let mut w = Writer::new(&fonts);
        let url = format!("https://trust.example.com/{}/x_(y)", "segment/".repeat(20));
        let text = format!("See <{url}>, then http://b.example. Done");
        let lines = w.wrap(SMALL, &text, 120.0);
        let runs = url_runs(&text, &lines);
        let mut first = String::new();
        let mut second = Vec::new();
        for (line, runs) in lines.iter().zip(&runs) {
            for (a, z, u) in runs {
                if *u == url {
                    first.push_str(&line[*a..*z]);
                } else {
                    second.push((line[*a..*z].to_string(), u.clone()));
                }
            }
        }
        assert!(
            runs.iter().filter(|r| !r.is_empty()).count() > 2,
            "{lines:?}"
        );
        assert_eq!(first, url);
        assert_eq!(
            second,
            [(
                "http://b.example".to_string(),
                "http://b.example".to_string()
            )]
        );
        assert!(url_runs("no address here", &["no address here".into()])[0].is_empty());
    }

    #[test]
    fn right_to_left_runs_are_put_in_display_order() {
        assert_eq!(visual_order("abc"), "abc");
        // Hebrew alef-bet-gimel is drawn gimel-bet-alef.
        assert_eq!(visual_order("x אבג y"), "x גבא y");
    }
}
