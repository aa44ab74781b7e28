//! packet.pdf: the packet model laid out as a document an auditor reads.
//! Sections are numbered so that contents, bookmarks and cross-references
//! agree; layout.rs does the measuring and page breaking.

mod archive;
pub mod compare;
mod file;
pub mod font;
mod icc;
mod layout;
pub mod signature_field;
mod subset;
mod tags;

use super::Packet;
use crate::domain::Counts;
use crate::error::{Error, Result};
use archive::Archive;
use font::Fonts;
use layout::*;
use printpdf::{Mm, OffsetDateTime, Op, PdfDocument, PdfPage, PdfSaveOptions};
use std::collections::BTreeMap;

/// What rendering found worth telling the user.
pub struct Rendered {
    pub bytes: Vec<u8>,
    pub pages: usize,
    /// Characters the font has no glyph for (drawn as boxes), with counts.
    pub missing: BTreeMap<char, usize>,
}

/// How many of the newest audit events the PDF prints; audit.csv has all.
const AUDIT_EXCERPT: usize = 60;

/// Width of the status column in the checklist section.
const STATUS_COLUMN: f32 = 52.0;

const H2: Style = Style::new(true, 9.5, INK);
/// What a subheading keeps with it: its table's header and first rows.
const SUBHEADING_KEEP: f32 = 48.0;
const LABEL: Style = Style::new(true, 8.5, MUTED);

/// Text colour per flag severity. Every text colour reaches WCAG AA contrast
/// (4.5:1) on each background text is set on: white, STRIPE, HEADER_FILL
/// (see the test `text_colours_reach_wcag_aa_on_every_background`).
fn severity_color(severity: &str) -> Rgb3 {
    match severity {
        "critical" => Rgb3(0.62, 0.05, 0.08),
        "high" => Rgb3(0.70, 0.25, 0.02),
        "medium" => Rgb3(0.52, 0.37, 0.0),
        _ => Rgb3(0.26, 0.37, 0.55),
    }
}

/// Chart colours per item status, in the order bars stack. These are fills
/// (bars, legend swatches); text uses `status_text_color`.
const STATUS_COLORS: [(&str, Rgb3); 6] = [
    ("met", Rgb3(0.20, 0.58, 0.32)),
    ("partial", Rgb3(0.93, 0.66, 0.13)),
    ("not-met", Rgb3(0.80, 0.20, 0.20)),
    ("unknown", Rgb3(0.55, 0.45, 0.72)),
    ("n/a", Rgb3(0.62, 0.64, 0.68)),
    ("no-result", Rgb3(0.87, 0.88, 0.90)),
];

/// Text colours per item status: the chart's hue, darkened until it reaches
/// WCAG AA contrast (4.5:1) on white, STRIPE and HEADER_FILL; the greys of
/// n/a and no-result are MUTED.
const STATUS_TEXT_COLORS: [(&str, Rgb3); 6] = [
    ("met", Rgb3(0.11, 0.43, 0.22)),
    ("partial", Rgb3(0.55, 0.36, 0.0)),
    ("not-met", Rgb3(0.70, 0.13, 0.13)),
    ("unknown", Rgb3(0.42, 0.30, 0.60)),
    ("n/a", MUTED),
    ("no-result", MUTED),
];

fn status_text_color(status: &str) -> Rgb3 {
    STATUS_TEXT_COLORS
        .iter()
        .find(|(s, _)| *s == status)
        .map_or(INK, |(_, c)| *c)
}

fn counts_in_order(c: &Counts) -> [usize; 6] {
    [
        c.met,
        c.partial,
        c.not_met,
        c.unknown,
        c.not_applicable,
        c.no_result,
    ]
}

fn coverage(c: &Counts) -> String {
    c.coverage().percent().unwrap_or_else(|| "-".into())
}

fn short_hash(h: &str) -> &str {
    &h[..12.min(h.len())]
}

/// The packet's PDF laid out: every page's drawing, and what the file says
/// about itself. It holds nothing of the packet, so the caller can drop the
/// packet before `write` converts the pages, the step that takes the most
/// memory (the pages' operators and their content streams side by side).
pub struct LaidOut {
    pages: Vec<Vec<Op>>,
    anchors: Vec<Anchor>,
    links: Vec<Link>,
    tags: tags::Tags,
    missing: BTreeMap<char, usize>,
    title: String,
    subject: String,
    as_of: String,
    author: String,
    generator: String,
}

impl LaidOut {
    /// The characters no face had a glyph for, with how often each came up.
    pub fn missing(&self) -> &BTreeMap<char, usize> {
        &self.missing
    }
}

/// Lays out the packet's PDF. `fonts` are loaded once by the caller so an
/// `export --all` parses them once.
pub fn lay_out(p: &Packet, fonts: &Fonts) -> LaidOut {
    // The contents list is drawn last, once page numbers are known, into the
    // pages kept for it after the cover. One page holds about 45 entries; a
    // checklist with more sections needs more, and then the body is laid out
    // again after that many (its entries are one line each, so a second
    // pass always fits).
    let mut kept = 1;
    let Laid {
        pages,
        anchors,
        links,
        tags,
        missing,
        ..
    } = loop {
        let mut laid = body(p, fonts, kept);
        let contents = contents(fonts, &laid.anchors);
        if contents.pages.len() > kept {
            kept = contents.pages.len();
            continue;
        }
        // The contents pages follow the cover, which may take more than one
        // page (long conditions of a decision, long addresses).
        let first = laid.contents_at;
        for (i, drawn) in contents.pages.into_iter().enumerate() {
            laid.pages[first + i] = drawn;
        }
        laid.links.extend(contents.links.into_iter().map(|l| Link {
            page: l.page + first,
            ..l
        }));
        laid.tags.adopt(contents.tags, first);
        break laid;
    };
    // The layout's scratch (wrapped lines, a first pass laid out again)
    // goes back to the system: the conversion allocates other sizes, so
    // mimalloc's freed pages would only add to its peak.
    crate::memory::release_freed();
    let total = pages.len();
    let pages = pages
        .into_iter()
        .enumerate()
        .map(|(i, mut ops)| {
            page_furniture(fonts, &mut ops, p, i + 1, total);
            ops
        })
        .collect();
    LaidOut {
        pages,
        anchors,
        links,
        tags,
        missing,
        title: format!("Vendor security review: {}", p.vendor.name),
        subject: format!(
            "Review #{} of {} against {}@{}, as of {}",
            p.review.number,
            p.vendor.slug,
            p.review.checklist_id,
            p.review.checklist_version,
            p.as_of
        ),
        as_of: p.as_of.clone(),
        author: p.prepared_by.clone(),
        generator: p.generator.clone(),
    }
}

impl LaidOut {
    /// Embeds the fonts and serializes the pages: the PDF's bytes.
    pub fn write(self, fonts: &Fonts) -> Result<Rendered> {
        let LaidOut {
            pages,
            anchors,
            links,
            tags,
            missing,
            title,
            subject,
            as_of,
            author,
            generator,
        } = self;
        let total = pages.len();
        let info = DocumentInfo {
            title,
            as_of: &as_of,
            author: &author,
            generator: &generator,
            subject,
        };
        let doc = document(fonts, &info, pages, Page::PORTRAIT)?;
        let bytes = serialize(
            doc,
            &Archive {
                info: &info,
                anchors: &anchors,
                links: &links,
                tags: &tags.elems,
                page: Page::PORTRAIT,
            },
        )?;
        Ok(Rendered {
            bytes,
            pages: total,
            missing,
        })
    }
}

/// Pages laid out, with what they link, tag and miss.
struct Laid {
    pages: Vec<Vec<Op>>,
    /// The index of the first (empty) page kept for the contents list.
    contents_at: usize,
    anchors: Vec<Anchor>,
    links: Vec<Link>,
    tags: tags::Tags,
    missing: BTreeMap<char, usize>,
}

/// The packet's pages, with `contents_pages` empty pages kept after the
/// cover for the contents list.
fn body(p: &Packet, fonts: &Fonts, contents_pages: usize) -> Laid {
    let mut w = Writer::new(fonts);
    cover(&mut w, p);
    let contents_at = w.page_index() + 1;
    for _ in 0..contents_pages {
        w.new_page();
    }
    w.new_page();
    summary(&mut w, p);
    w.new_page();
    flags(&mut w, p);
    w.new_page();
    checklist(&mut w, p);
    w.new_page();
    clauses(&mut w, p);
    w.new_page();
    subprocessors(&mut w, p);
    w.new_page();
    questions(&mut w, p);
    w.new_page();
    responsibility(&mut w, p);
    w.new_page();
    evidence(&mut w, p);
    w.new_page();
    audit(&mut w, p);
    w.new_page();
    sign_off(&mut w, p);
    if !p.questionnaires.is_empty() {
        w.new_page();
        questionnaires(&mut w, p);
    }
    if let Some(changed) = &p.changed_since {
        w.new_page();
        let number = if p.questionnaires.is_empty() { 11 } else { 12 };
        changed_since(&mut w, changed, number);
    }
    let links = std::mem::take(&mut w.links);
    let tags = w.take_tags();
    let (pages, anchors, missing) = w.finish();
    Laid {
        pages,
        contents_at,
        anchors,
        links,
        tags,
        missing,
    }
}

/// What a document says about itself in its Info dictionary.
pub struct DocumentInfo<'a> {
    pub title: String,
    /// YYYY-MM-DD: every date of the file is set from it, for reproducibility.
    pub as_of: &'a str,
    pub author: &'a str,
    pub generator: &'a str,
    pub subject: String,
}

impl DocumentInfo<'_> {
    /// The Info dictionary's and the XMP's Producer.
    pub fn producer(&self) -> String {
        format!("{} with printpdf 0.12.8", self.generator)
    }
}

/// A PDF document of laid-out pages with its fonts and metadata dated from
/// `as_of`. Bookmarks, links and the archival metadata are added by
/// archive.rs when it is saved.
fn document(
    fonts: &Fonts,
    info: &DocumentInfo,
    pages: Vec<Vec<Op>>,
    size: Page,
) -> Result<PdfDocument> {
    let mut doc = PdfDocument::new(&info.title);
    doc.resources.fonts = subset::embed(fonts, &pages)?;
    let stamp = chrono::NaiveDate::parse_from_str(info.as_of, "%Y-%m-%d")
        .map(|d| {
            d.and_hms_opt(0, 0, 0)
                .unwrap_or_default()
                .and_utc()
                .timestamp()
        })
        .unwrap_or(0);
    let date = OffsetDateTime::from_unix_timestamp(stamp).map_err(Error::internal)?;
    let meta = &mut doc.metadata.info;
    meta.creation_date = date;
    meta.modification_date = date;
    meta.metadata_date = date;
    meta.author = info.author.to_string();
    meta.creator = info.generator.to_string();
    meta.producer = info.producer();
    meta.subject = info.subject.clone();
    // Both layouts are A4, upright or on its side.
    let (w, h) = if size.width > size.height {
        (Mm(297.0), Mm(210.0))
    } else {
        (Mm(210.0), Mm(297.0))
    };
    doc.with_pages(
        pages
            .into_iter()
            .map(|ops| PdfPage::new(w, h, ops))
            .collect(),
    );
    Ok(doc)
}

/// Saves with fonts subset, finished as PDF/A-2b (archive.rs), and the
/// trailer /ID derived from the content, so the same packet gives the same
/// bytes (printpdf would put a random /ID). Objects are packed into
/// compressed object streams (PDF 1.5+, file.rs): the structure tree's
/// thousands of small objects would otherwise quadruple the file.
///
/// `doc` is dropped as soon as lopdf holds the pages' content streams: its
/// drawing operators (a hundred bytes each, hundreds per page) are not
/// needed after, and kept they were half the memory of a long packet.
fn serialize(doc: PdfDocument, archive: &Archive) -> Result<Vec<u8>> {
    let opts = PdfSaveOptions {
        optimize: false,
        subset_fonts: false,
        secure: true,
        image_optimization: None,
    };
    let mut warnings = Vec::new();
    let mut lo = doc.to_lopdf_document(&opts, &mut warnings);
    drop(doc);
    crate::memory::release_freed();
    compress(&mut lo)?;
    let elems = archive::finish(&mut lo, archive)?;
    // The /ID is a digest of the file itself. Saving twice (once to hash,
    // once with the digest) would compress every object stream twice, so the
    // file is saved once with a placeholder of the digest's length in the
    // /ID, hashed, and the placeholder overwritten: no offset moves.
    const PLACEHOLDER: &[u8; 32] = b"vetter-document-id-placeholder-0";
    let placeholder = lopdf::Object::string_literal(PLACEHOLDER.to_vec());
    lo.trailer.set(
        "ID",
        lopdf::Object::Array(vec![placeholder.clone(), placeholder]),
    );
    let deferred: Vec<&dyn file::Deferred> = elems.iter().map(|e| e as _).collect();
    let mut bytes = file::write(&lo, DEFLATE_LEVEL, &deferred)?;
    let id = crate::digest::sha256_hex(&bytes)[..32].to_string();
    let at: Vec<usize> = bytes
        .windows(PLACEHOLDER.len())
        .enumerate()
        .filter(|(_, w)| w == PLACEHOLDER)
        .map(|(i, _)| i)
        .collect();
    if at.len() != 2 {
        return Err(Error::internal(format!(
            "the PDF's /ID placeholder was found {} times, not twice",
            at.len()
        )));
    }
    for i in at {
        bytes[i..i + PLACEHOLDER.len()].copy_from_slice(id.as_bytes());
    }
    Ok(bytes)
}

/// zlib's level for every stream of the PDF (see `compress`).
const DEFLATE_LEVEL: u32 = 3;

/// Deflates every stream not yet filtered, at zlib level 3: lopdf's and
/// printpdf's compress use the best (slowest) level, which took a quarter of
/// a 46-page export; level 3 costs a tenth of that for files about 10%
/// larger (174 vs 156 KB), level 1 saves little more for 57% larger files.
/// XMP metadata stays plain text, as PDF/A asks, so any tool can read it.
fn compress(lo: &mut lopdf::Document) -> Result<()> {
    use std::io::Write;
    for object in lo.objects.values_mut() {
        let lopdf::Object::Stream(stream) = object else {
            continue;
        };
        let metadata = matches!(
            stream.dict.get(b"Type").and_then(|t| t.as_name()),
            Ok(b"Metadata")
        );
        if metadata || stream.dict.has(b"Filter") {
            continue;
        }
        let mut encoder =
            flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(DEFLATE_LEVEL));
        let deflated = encoder
            .write_all(&stream.content)
            .and_then(|_| encoder.finish());
        let compressed =
            deflated.map_err(|e| Error::internal(format!("cannot deflate a PDF stream: {e}")))?;
        if compressed.len() < stream.content.len() {
            stream.dict.set("Filter", "FlateDecode");
            stream.set_content(compressed);
        }
    }
    Ok(())
}

/// The running header and the "Page N of M" footer.
fn page_furniture(fonts: &Fonts, ops: &mut Vec<Op>, p: &Packet, page: usize, total: usize) {
    let mut w = Writer::furniture(fonts, Page::PORTRAIT);
    let style = Style::new(false, 7.0, MUTED);
    let left = format!(
        "{} · vendor security review #{}",
        p.vendor.name, p.review.number
    );
    let right = format!("as of {}", p.as_of);
    let right_w = w.measure(style, &right);
    let left = fit(&mut w, style, &left, CONTENT_W - right_w - 12.0);
    w.text_at(MARGIN_X, PAGE_H - 36.0, style, &left);
    w.text_at(MARGIN_X + CONTENT_W - right_w, PAGE_H - 36.0, style, &right);
    w.hline(MARGIN_X, MARGIN_X + CONTENT_W, PAGE_H - 42.0, RULE, 0.5);
    w.hline(MARGIN_X, MARGIN_X + CONTENT_W, 44.0, RULE, 0.5);
    let footer = format!(
        "{} audit packet · {}@{}",
        p.generator, p.review.checklist_id, p.review.checklist_version
    );
    let footer = fit(&mut w, style, &footer, CONTENT_W - 80.0);
    w.text_at(MARGIN_X, 32.0, style, &footer);
    let number = format!("Page {page} of {total}");
    let number_w = w.measure(style, &number);
    w.text_at(MARGIN_X + CONTENT_W - number_w, 32.0, style, &number);
    let (drawn, _, _) = w.finish();
    ops.extend(drawn.into_iter().flatten());
}

/// The first line of `text` wrapped to `width`, with an ellipsis when cut.
fn fit(w: &mut Writer, style: Style, text: &str, width: f32) -> String {
    let lines = w.wrap(style, text, width - w.measure(style, "…"));
    match lines.len() {
        0 => String::new(),
        1 => lines.into_iter().next().unwrap_or_default(),
        _ => format!("{}…", lines[0]),
    }
}

/// The contents list: its pages (to replace the empty ones kept after the
/// cover), a link on each entry's line leading to its heading, and its
/// structure (a TOC of TOCI entries). Page indices count from the first
/// contents page.
struct Contents {
    pages: Vec<Vec<Op>>,
    links: Vec<Link>,
    tags: tags::Tags,
}

fn contents(fonts: &Fonts, anchors: &[Anchor]) -> Contents {
    let mut w = Writer::new(fonts);
    w.heading(1, "Contents", 0.0);
    let mut links = Vec::new();
    w.begin("TOC");
    for (i, a) in anchors.iter().enumerate().filter(|(_, a)| a.level <= 2) {
        let style = if a.level == 1 {
            Style::new(true, 9.5, INK)
        } else {
            Style::new(false, 8.5, INK)
        };
        let indent = if a.level == 1 { 0.0 } else { 16.0 };
        let gap = if a.level == 1 { 5.0 } else { 1.0 };
        w.ensure(gap + style.leading());
        w.begin("TOCI");
        w.gap(gap);
        let number = (a.page + 1).to_string();
        let number_w = w.measure(style, &number);
        let title = fit(
            &mut w,
            style,
            &a.title,
            CONTENT_W - indent - number_w - 20.0,
        );
        w.y -= style.leading();
        let baseline = w.y + style.size * 0.25;
        w.text_at(MARGIN_X + indent, baseline, style, &title);
        w.text_at(
            MARGIN_X + CONTENT_W - number_w,
            baseline,
            style.colored(ACCENT),
            &number,
        );
        links.push(Link {
            page: w.page_index(),
            rect: [
                MARGIN_X,
                w.y - 1.0,
                MARGIN_X + CONTENT_W,
                w.y - 1.0 + style.leading(),
            ],
            target: Target::Anchor(i),
        });
        w.end();
    }
    w.end();
    let tags = w.take_tags();
    let (pages, _, _) = w.finish();
    Contents { pages, links, tags }
}

/// Label / value pairs in two columns.
fn facts(w: &mut Writer, rows: &[(&str, String)]) {
    let label_w = 130.0;
    for (label, value) in rows {
        w.begin("P");
        let lines = w.wrap(BODY, value, CONTENT_W - label_w);
        let runs = url_runs(value, &lines);
        // Kept on one page when it fits; a value taller than a page (long
        // conditions of a decision) runs on line by line.
        let page_h = w.page.top - w.page.bottom;
        w.ensure((BODY.leading() * lines.len().max(1) as f32).min(page_h));
        w.y -= BODY.leading();
        let baseline = w.y + BODY.size * 0.25;
        w.text_at(MARGIN_X, baseline, LABEL, label);
        for (i, (line, runs)) in lines.iter().zip(&runs).enumerate() {
            if i > 0 {
                w.ensure(BODY.leading());
                w.y -= BODY.leading();
            }
            w.text_linked(MARGIN_X + label_w, w.y + BODY.size * 0.25, BODY, line, runs);
        }
        w.end();
        w.gap(2.0);
    }
}

fn cover(w: &mut Writer, p: &Packet) {
    w.anchor("Cover".into(), 1);
    w.gap(90.0);
    w.paragraph(
        Style::new(false, 11.0, MUTED),
        "Vendor security review — audit packet",
        0.0,
    );
    w.gap(6.0);
    w.begin("H1");
    w.paragraph(Style::new(true, 24.0, ACCENT), &p.vendor.name, 0.0);
    w.end();
    w.gap(4.0);
    let unwaived: usize = p.summary.flags_by_severity.values().sum();
    let line = format!(
        "Review #{} · {} coverage · {} red flag{} · {} open question{}",
        p.review.number,
        coverage(&p.summary.totals),
        unwaived,
        if unwaived == 1 { "" } else { "s" },
        p.summary.open_questions,
        if p.summary.open_questions == 1 {
            ""
        } else {
            "s"
        },
    );
    w.paragraph(Style::new(false, 11.0, INK), &line, 0.0);
    if let Some(d) = &p.as_decided {
        w.gap(6.0);
        let changed = p.changed_since.as_ref().map_or(0, |c| c.changes.len());
        w.paragraph(
            Style::new(true, 10.0, ACCENT),
            &format!(
                "As decided on {} by {} ({}, review #{}, audit event #{}); records as of that moment. {}",
                crate::output::day(&d.decided_at),
                d.decided_by,
                d.decision,
                d.review,
                d.event,
                match changed {
                    0 => "Nothing has changed since.".to_string(),
                    1 => "1 record has changed since: see \"Changed since the decision\".".to_string(),
                    n => format!("{n} records have changed since: see \"Changed since the decision\"."),
                }
            ),
            0.0,
        );
    }
    w.gap(28.0);
    w.hline(MARGIN_X, MARGIN_X + CONTENT_W, w.y, RULE, 0.6);
    w.gap(10.0);
    let v = &p.vendor;
    let opt = |o: &Option<String>| o.clone().unwrap_or_else(|| "—".into());
    let data = if v.data.is_empty() {
        "—".to_string()
    } else {
        v.data
            .iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    facts(
        w,
        &[
            ("Vendor", format!("{} ({})", v.name, v.slug)),
            ("Website", opt(&v.website)),
            ("Trust Center", opt(&v.trust_center)),
            (
                "Hosting / tenancy",
                format!(
                    "{} / {}",
                    v.hosting.map_or("—".into(), |h| h.to_string()),
                    v.tenancy.map_or("—".into(), |t| t.to_string())
                ),
            ),
            ("Data in scope", data),
            ("Tier", v.tier.map_or("—".into(), |t| t.to_string())),
            (
                "Review",
                format!(
                    "#{}, started {} by {}{}; {}",
                    p.review.number,
                    crate::output::day(&p.review.started_at),
                    p.review.started_by,
                    p.review
                        .due
                        .as_ref()
                        .map(|d| format!(", due {d}"))
                        .unwrap_or_default(),
                    // The stage (open, submitted, decided, superseded): the
                    // stored state says only open or superseded.
                    p.signoff.stage
                ),
            ),
            (
                "Checklist",
                format!(
                    "{} version {} — {}",
                    p.review.checklist_id, p.review.checklist_version, p.review.checklist_title
                ),
            ),
            ("Checklist SHA-256", p.review.checklist_sha256.clone()),
            ("Decision", p.decision.clone()),
            (
                "Next contract notice",
                p.summary.next_notice.clone().unwrap_or_else(|| {
                    if p.contracts.is_empty() {
                        "no contract recorded".into()
                    } else {
                        "none pending".into()
                    }
                }),
            ),
            (
                "Attestations",
                if p.summary.attestations.is_empty() {
                    "none required or recorded".into()
                } else {
                    p.summary
                        .attestations
                        .iter()
                        .map(|a| format!("{}: {}", a.kind, a.state))
                        .collect::<Vec<_>>()
                        .join("; ")
                },
            ),
            ("Prepared by", p.prepared_by.clone()),
            ("As of", p.as_of.clone()),
            ("Generated by", p.generator.clone()),
            ("Flags judged by", p.rules.to_string()),
            ("Audit chain head", chain_head(p)),
        ],
    );
    w.gap(18.0);
    w.paragraph(
        Style::new(false, 7.5, MUTED),
        "This packet's CSV and JSON files carry the same records as the tables in this document. \
         SHA256SUMS lists the SHA-256 of every file in the packet; check them with `sha256sum -c SHA256SUMS` \
         inside the packet directory.",
        0.0,
    );
}

/// The log's head as the cover shows it: an auditor compares it with
/// `vetter log --head` or SHA256SUMS, and `vetter verify --packet` checks it.
fn chain_head(p: &Packet) -> String {
    let head = match &p.audit_chain.head {
        Some(h) => format!("event #{} sha256 {}", h.seq, h.hash),
        None => "the audit log is empty".to_string(),
    };
    match p.audit_chain.injected_time_events {
        0 => head,
        n => format!(
            "{head}; {n} events of the packet's audit trail carry an injected time (VETTER_NOW), each with the real clock recorded beside it"
        ),
    }
}

fn summary(w: &mut Writer, p: &Packet) {
    w.heading(1, "1 Executive summary", 60.0);
    let s = &p.summary;
    let t = &s.totals;
    // Key figures as a row of boxes.
    let figures = [
        ("Coverage", coverage(t)),
        ("Items", t.total().to_string()),
        ("Not met", t.not_met.to_string()),
        (
            "Red flags",
            s.flags_by_severity.values().sum::<usize>().to_string(),
        ),
        ("Open questions", s.open_questions.to_string()),
        ("Overdue", s.overdue_questions.to_string()),
    ];
    let box_w = CONTENT_W / figures.len() as f32;
    let box_h = 42.0;
    w.ensure(box_h + 10.0);
    let top = w.y;
    for (i, (label, value)) in figures.iter().enumerate() {
        let x = MARGIN_X + i as f32 * box_w;
        w.fill_rect(x + 2.0, top - box_h, box_w - 4.0, box_h, HEADER_FILL);
        w.text_at(x + 8.0, top - 20.0, Style::new(true, 15.0, ACCENT), value);
        w.text_at(x + 8.0, top - 34.0, Style::new(false, 7.5, MUTED), label);
    }
    w.y = top - box_h;
    w.gap(6.0);
    // What the figures leave out, said next to them.
    if t.unknown > 0 {
        w.paragraph(
            BODY,
            &format!(
                "Coverage counts items found met, partial, not met or n/a; {} item{} recorded as unknown {} not counted.",
                t.unknown,
                if t.unknown == 1 { "" } else { "s" },
                if t.unknown == 1 { "is" } else { "are" }
            ),
            0.0,
        );
    }
    if let Some(text) = crate::rules::describe_unreviewed(&s.unreviewed_clause_kinds) {
        w.paragraph(Style::new(true, BODY.size, ACCENT), &text, 0.0);
    }
    if let Some(m) = &p.hosting_model {
        let ratings: Vec<String> = crate::hosting::RATINGS
            .iter()
            .zip(m.ratings.all())
            .map(|(name, r)| format!("{name} {}/5", r.score))
            .collect();
        w.paragraph(
            BODY,
            &format!(
                "Hosting model: {} ({}): {}. {} checklist items shift to us under it (see vetter hosting).",
                m.name,
                m.id,
                ratings.join(", "),
                m.shifted_items.len()
            ),
            0.0,
        );
    }
    // The score with the inputs an auditor needs to redo it (docs/scoring.md).
    let sc = &s.score;
    w.paragraph(
        Style::new(true, BODY.size, INK),
        &format!(
            "Score ({}): {}; rating {}",
            sc.formula_version,
            sc.compliance_line(),
            sc.rating.as_str().to_uppercase()
        ),
        0.0,
    );
    for reason in &sc.rating_reasons {
        w.paragraph(BODY, &format!("Because {reason}."), 10.0);
    }
    w.paragraph(
        Style::new(false, 7.5, MUTED),
        "Compliance = sum of weight x value / sum of weights over items not n/a; value met 1, partial 0.5, \
         not met, unknown and no result 0; weight critical 4, high 3, medium 2, low 1. \
         packet.json summary.score has every item's part.",
        0.0,
    );
    w.gap(8.0);

    w.subheading(H2, "Red flags by severity", SUBHEADING_KEEP);
    w.gap(2.0);
    let flag_line = crate::model::FlagSeverity::ALL
        .iter()
        .map(|sev| {
            format!(
                "{sev}: {}",
                s.flags_by_severity.get(sev.as_str()).unwrap_or(&0)
            )
        })
        .collect::<Vec<_>>()
        .join("   ");
    let waived = if s.waived_flags > 0 {
        format!("   (waived, not counted: {})", s.waived_flags)
    } else {
        String::new()
    };
    w.paragraph(BODY, &format!("{flag_line}{waived}"), 0.0);
    w.gap(10.0);

    bar_chart(w, p);
    w.gap(8.0);
    let columns = [
        col("Section", 0.34),
        col("Items", 0.07),
        col("Met", 0.07),
        col("Partial", 0.08),
        col("Not met", 0.08),
        col("Unknown", 0.10),
        col("N/A", 0.06),
        col("No result", 0.10),
        col("Coverage", 0.10),
    ];
    let row = |label: String, c: &Counts| -> Vec<Cell> {
        let mut cells: Vec<Cell> = vec![label.into(), c.total().to_string().into()];
        cells.extend(counts_in_order(c).iter().map(|n| Cell::from(n.to_string())));
        cells.push(coverage(c).into());
        cells
    };
    let mut rows: Vec<Vec<Cell>> = s
        .sections
        .iter()
        .map(|sec| row(format!("{} ({})", sec.title, sec.id), &sec.counts))
        .collect();
    let mut total = row("Total".into(), t);
    total[0].style = Some(Style::new(true, 7.5, INK));
    rows.push(total);
    w.table(&columns, rows);

    w.subheading(
        H2,
        &format!(
            "Expired or expiring within {} days",
            super::EXPIRY_WINDOW_DAYS
        ),
        SUBHEADING_KEEP,
    );
    w.gap(4.0);
    if s.expiring.is_empty() {
        w.paragraph(
            BODY.colored(MUTED),
            "Nothing recorded expires in the window.",
            0.0,
        );
        w.gap(8.0);
    } else {
        let rows = s
            .expiring
            .iter()
            .map(|e| {
                vec![
                    Cell::from(format!("{} #{}", e.record, e.id)),
                    e.what.clone().into(),
                    e.valid_until.clone().into(),
                    Cell {
                        text: if e.expired { "expired" } else { "expiring" }.into(),
                        style: Some(SMALL.colored(if e.expired {
                            severity_color("critical")
                        } else {
                            severity_color("medium")
                        })),
                    },
                ]
            })
            .collect();
        w.table(
            &[
                col("Record", 0.15),
                col("What", 0.55),
                col("Valid until", 0.15),
                col("State", 0.15),
            ],
            rows,
        );
    }

    w.subheading(H2, "Attestations and contracts", SUBHEADING_KEEP);
    w.gap(4.0);
    let mut rows: Vec<Vec<Cell>> = s
        .attestations
        .iter()
        .map(|a| {
            let lapsed = a.state.starts_with("STALE") || a.state.starts_with("EXPIRED");
            vec![
                Cell::from(format!(
                    "{}{}",
                    a.kind,
                    if a.required { " (required)" } else { "" }
                )),
                Cell {
                    text: a.state.clone(),
                    style: lapsed.then(|| SMALL.colored(severity_color("critical"))),
                },
                Cell::from(
                    a.evidence
                        .map(|e| format!("evidence #{e}"))
                        .unwrap_or_default(),
                ),
            ]
        })
        .collect();
    rows.extend(p.contracts.iter().map(|c| {
        vec![
            Cell::from(format!(
                "contract #{}{}",
                c.contract.id,
                c.contract
                    .reference
                    .as_deref()
                    .map(|r| format!(" ({r})"))
                    .unwrap_or_default()
            )),
            Cell {
                text: c.standing_in_words.clone().unwrap_or_default(),
                style: c
                    .today
                    .as_ref()
                    .is_some_and(|t| t.locked_in)
                    .then(|| SMALL.colored(severity_color("high"))),
            },
            Cell::from(c.in_words.clone()),
        ]
    }));
    if rows.is_empty() {
        w.paragraph(
            BODY.colored(MUTED),
            "No attestation is required or recorded, and no contract is recorded (`vetter contract add`).",
            0.0,
        );
        w.gap(8.0);
    } else {
        w.table(
            &[
                col("Attestation or contract", 0.24),
                col("On the as-of date", 0.40),
                col("Evidence or terms", 0.36),
            ],
            rows,
        );
    }

    w.subheading(H2, "Our obligations (profile)", SUBHEADING_KEEP);
    w.gap(4.0);
    let rows = p
        .profile
        .iter()
        .map(|r| {
            vec![
                Cell::from(r.key.clone()),
                Cell::from(if r.value.is_empty() {
                    "(none)".to_string()
                } else {
                    r.value.clone()
                }),
            ]
        })
        .collect();
    w.table(&[col("Key", 0.35), col("Value", 0.65)], rows);
}

/// One stacked horizontal bar per checklist section, drawn as vector shapes.
fn bar_chart(w: &mut Writer, p: &Packet) {
    let label_w = 150.0;
    let count_w = 40.0;
    let bar_w = CONTENT_W - label_w - count_w;
    let bar_h = 9.0;
    let row_h = 14.0;
    let label = Style::new(false, 7.5, INK);
    // Kept on one page with its title when it fits; a checklist of more
    // sections than a page holds starts on a new page and runs on row by row.
    w.ensure(H2.leading() + 4.0 + row_h * (p.summary.sections.len() + 2) as f32);
    w.subheading(H2, "Status by checklist section", SUBHEADING_KEEP);
    w.gap(4.0);
    for sec in &p.summary.sections {
        w.ensure(row_h);
        let c = &sec.counts;
        let total = c.total().max(1) as f32;
        let top = w.y;
        let text = fit(w, label, &sec.title, label_w - 8.0);
        w.text_at(MARGIN_X, top - bar_h + 1.5, label, &text);
        let mut x = MARGIN_X + label_w;
        for (n, (_, color)) in counts_in_order(c).iter().zip(STATUS_COLORS.iter()) {
            let width = bar_w * *n as f32 / total;
            if width > 0.0 {
                w.fill_rect(x, top - bar_h, width, bar_h, *color);
            }
            x += width;
        }
        // Items with a result of all: the section's coverage, which an
        // item recorded unknown is not part of.
        let done = c.coverage().fraction();
        let done_w = w.measure(label, &done);
        w.text_at(
            MARGIN_X + CONTENT_W - done_w,
            top - bar_h + 1.5,
            label,
            &done,
        );
        w.y -= row_h;
    }
    // Legend.
    w.ensure(row_h);
    let mut x = MARGIN_X + label_w;
    let top = w.y - 2.0;
    for (status, color) in STATUS_COLORS {
        w.fill_rect(x, top - 7.0, 7.0, 7.0, color);
        w.text_at(x + 10.0, top - 6.5, Style::new(false, 7.0, MUTED), status);
        x += 14.0 + w.measure(Style::new(false, 7.0, MUTED), status) + 10.0;
    }
    w.y = top - 12.0;
}

fn flags(w: &mut Writer, p: &Packet) {
    w.heading(1, "2 Red flags", 40.0);
    w.paragraph(
        BODY.colored(MUTED),
        "Each flag names the problem, then quotes the clause it comes from. Flags are computed from \
         the DPA clause register, the profile, findings, evidence and subprocessors on the as-of date.",
        0.0,
    );
    w.gap(6.0);
    if p.flags.is_empty() {
        w.paragraph(BODY, "No red flags.", 0.0);
        return;
    }
    // A waiver is read under the problem it accepts, at the problem's width
    // (a column of its own squeezed a reason into ten lines); the severity
    // cell says at a glance that the flag is waived.
    let rows = p
        .flags
        .iter()
        .map(|f| {
            let sev = f.severity.to_string();
            let (mark, waiver) = match (&f.waiver, f.waived) {
                (Some(wv), true) => ("\nwaived", format!("\n\n{}", wv.describe())),
                (Some(wv), false) => ("", format!("\n\n{}", wv.describe_outgrown())),
                (None, _) => ("", String::new()),
            };
            vec![
                Cell {
                    text: format!("{}{mark}", sev.to_uppercase()),
                    style: Some(Style::new(true, 7.5, severity_color(&sev))),
                },
                Cell::from(format!(
                    "{}{}",
                    f.rule,
                    f.clause
                        .map(|c| format!("\nclause #{c}"))
                        .unwrap_or_default()
                )),
                Cell::from(format!("{}{waiver}", f.message)),
                Cell::from(format!("{}\nthreshold: {}", f.basis, f.threshold)),
            ]
        })
        .collect();
    w.table(
        &[
            col("Severity", 0.10),
            col("Rule", 0.19),
            col("Problem and clause quote; waiver", 0.50),
            col("Basis", 0.21),
        ],
        rows,
    );
}

fn checklist(w: &mut Writer, p: &Packet) {
    w.heading(1, "3 Checklist by section", 40.0);
    let findings: BTreeMap<i64, &crate::model::Finding> =
        p.findings.iter().map(|f| (f.id, f)).collect();
    let clauses: BTreeMap<i64, &super::ClauseRow> =
        p.clauses.iter().map(|c| (c.clause.id, c)).collect();
    let questions: BTreeMap<i64, &crate::store::question::Question> =
        p.questions.iter().map(|q| (q.id, q)).collect();
    let evidence: BTreeMap<i64, &super::EvidenceRow> =
        p.evidence.iter().map(|e| (e.evidence.id, e)).collect();
    // Items of a section, in order; each section's items with no result and
    // nothing recorded are listed together at its end, a line each rather
    // than a block each (a young review had six pages of them).
    let mut sections: Vec<Vec<&super::ItemRow>> = Vec::new();
    for item in &p.items {
        match sections.last_mut() {
            Some(last) if last[0].section == item.section => last.push(item),
            _ => sections.push(vec![item]),
        }
    }
    for (n, items) in sections.iter().enumerate() {
        w.heading(2, &format!("3.{} {}", n + 1, items[0].section_title), 50.0);
        let bare = |i: &&super::ItemRow| {
            i.status == "no-result"
                && i.findings.is_empty()
                && i.clauses.is_empty()
                && i.questions.is_empty()
                && i.evidence.is_empty()
        };
        for item in items.iter().filter(|i| !bare(i)) {
            item_block(w, item, &findings, &clauses, &questions, &evidence);
        }
        let waiting: Vec<&&super::ItemRow> = items.iter().filter(|i| bare(i)).collect();
        if !waiting.is_empty() {
            w.ensure(BODY.leading() * 2.0 + 6.0);
            w.gap(4.0);
            w.paragraph(
                Style::new(true, 8.0, MUTED),
                &format!(
                    "No result and nothing recorded yet ({} item{}):",
                    waiting.len(),
                    if waiting.len() == 1 { "" } else { "s" }
                ),
                0.0,
            );
            for item in waiting {
                w.paragraph(
                    SMALL,
                    &format!(
                        "{} — {} ({}, {})",
                        item.id, item.title, item.severity, item.owner
                    ),
                    STATUS_COLUMN,
                );
            }
        }
    }
}

/// One item with its status, question and everything recorded for it.
fn item_block(
    w: &mut Writer,
    item: &super::ItemRow,
    findings: &BTreeMap<i64, &crate::model::Finding>,
    clauses: &BTreeMap<i64, &super::ClauseRow>,
    questions: &BTreeMap<i64, &crate::store::question::Question>,
    evidence: &BTreeMap<i64, &super::EvidenceRow>,
) {
    {
        // Keep an item's title with its first lines.
        w.ensure(BODY.leading() * 3.0 + 6.0);
        w.gap(4.0);
        // The status sits in a fixed left column so item titles align.
        let status_style = Style::new(true, 7.0, status_text_color(&item.status));
        let tag_w = STATUS_COLUMN;
        let title_style = Style::new(true, 8.5, INK);
        let title_lines = w.wrap(
            title_style,
            &format!("{} — {}", item.id, item.title),
            CONTENT_W - tag_w,
        );
        w.y -= BODY.leading();
        w.text_at(
            MARGIN_X,
            w.y + 2.0,
            status_style,
            &item.status.to_uppercase(),
        );
        for (i, line) in title_lines.iter().enumerate() {
            if i > 0 {
                w.ensure(BODY.leading());
                w.y -= BODY.leading();
            }
            w.text_at(MARGIN_X + tag_w, w.y + 2.0, title_style, line);
        }
        let detail = SMALL.colored(MUTED);
        w.paragraph(
            detail,
            &format!(
                "Severity {} · responsibility {} · {}",
                item.severity, item.owner, item.question
            ),
            tag_w,
        );
        let mut lines: Vec<String> = Vec::new();
        for id in &item.findings {
            if let Some(f) = findings.get(id) {
                lines.push(format!(
                    "Finding #{} · {} · {} · {} by {}{}{}{}",
                    f.id,
                    f.status,
                    f.source,
                    crate::output::day(&f.recorded_at),
                    f.recorded_by,
                    // A note that starts indented (a tab, spaces) starts on
                    // a line of its own, where its indentation shows.
                    f.note
                        .as_ref()
                        .map(|n| if n.starts_with([' ', '\t']) {
                            format!(" —\n{n}")
                        } else {
                            format!(" — {n}")
                        })
                        .unwrap_or_default(),
                    f.url
                        .as_ref()
                        .map(|u| format!(" <{u}>"))
                        .unwrap_or_default(),
                    f.evidence
                        .map(|e| format!(
                            " [evidence #{e}{}]",
                            f.page.map(|p| format!(" p. {p}")).unwrap_or_default()
                        ))
                        .unwrap_or_default(),
                ));
            }
        }
        for id in &item.clauses {
            if let Some(c) = clauses.get(id) {
                let c = &c.clause;
                lines.push(format!(
                    "Clause #{} · {} · {}",
                    c.id,
                    c.kind,
                    if c.absent {
                        "ABSENT from the agreement".to_string()
                    } else {
                        crate::clause::cite(c.section.as_deref(), c.quote.as_deref())
                    }
                ));
            }
        }
        for id in &item.questions {
            if let Some(q) = questions.get(id) {
                lines.push(format!(
                    "Question #{} · {}{}{} · {}",
                    q.id,
                    q.status,
                    q.due
                        .as_ref()
                        .map(|d| format!(", due {d}"))
                        .unwrap_or_default(),
                    if q.overdue { ", OVERDUE" } else { "" },
                    q.text
                ));
            }
        }
        for id in &item.evidence {
            if let Some(e) = evidence.get(id) {
                let e = &e.evidence;
                lines.push(format!(
                    "Evidence #{} · {} · {}{}",
                    e.id,
                    e.kind,
                    e.title
                        .as_deref()
                        .or(e.file_name.as_deref())
                        .unwrap_or("(untitled)"),
                    e.sha256
                        .as_ref()
                        .map(|h| format!(" · sha256 {}…", short_hash(h)))
                        .unwrap_or_default()
                ));
            }
        }
        if lines.is_empty() {
            w.paragraph(
                SMALL.colored(MUTED),
                "No findings, clauses, questions or evidence recorded.",
                tag_w,
            );
        }
        for line in lines {
            w.paragraph(SMALL, &format!("• {line}"), tag_w);
        }
    }
}

fn clauses(w: &mut Writer, p: &Packet) {
    w.heading(1, "4 DPA clause register", 40.0);
    if p.clauses.is_empty() {
        w.paragraph(BODY, "No DPA clauses recorded.", 0.0);
        return;
    }
    let rows = p
        .clauses
        .iter()
        .map(|r| {
            let c = &r.clause;
            vec![
                Cell::from(c.id.to_string()),
                Cell::from(c.kind.to_string()),
                Cell::from(c.section.clone().unwrap_or_default()),
                Cell::from(if c.absent {
                    "ABSENT".to_string()
                } else {
                    c.quote
                        .as_deref()
                        .map(|q| format!("\"{}\"", crate::markup::plain(q)))
                        .unwrap_or_default()
                }),
                Cell::from(r.terms_in_words.clone()),
                Cell::from(format!(
                    "{}{}",
                    c.items.join(" "),
                    c.valid_until
                        .as_ref()
                        .map(|v| format!("\nvalid until {v}"))
                        .unwrap_or_default()
                )),
            ]
        })
        .collect();
    w.table(
        &[
            col("#", 0.05),
            col("Kind", 0.14),
            col("Section", 0.09),
            col("Quote", 0.38),
            col("Terms", 0.17),
            col("Items", 0.17),
        ],
        rows,
    );
}

fn subprocessors(w: &mut Writer, p: &Packet) {
    w.heading(1, "5 Subprocessors", 40.0);
    if p.subprocessors.is_empty() {
        w.paragraph(
            BODY,
            &format!("No subprocessor list recorded as of {}.", p.as_of),
            0.0,
        );
        return;
    }
    w.paragraph(
        BODY.colored(MUTED),
        &format!("The vendor's list as recorded on or before {}.", p.as_of),
        0.0,
    );
    w.gap(4.0);
    let rows = p
        .subprocessors
        .iter()
        .map(|s| {
            vec![
                Cell::from(s.name.clone()),
                Cell::from(s.purpose.clone()),
                Cell::from(s.location.clone()),
                Cell::from(s.seen.clone()),
            ]
        })
        .collect();
    w.table(
        &[
            col("Name", 0.28),
            col("Purpose", 0.40),
            col("Location", 0.17),
            col("Listed on", 0.15),
        ],
        rows,
    );
}

/// The closing section of a packet as decided: each record that reads
/// otherwise today, with the value decided on beside the current one.
fn changed_since(w: &mut Writer, changed: &crate::report::changes::ChangedSince, number: usize) {
    w.heading(1, &format!("{number} Changed since the decision"), 40.0);
    let d = &changed.as_decided;
    w.paragraph(
        BODY.colored(MUTED),
        &format!(
            "Everything before this section is the packet as it stood right after the decision \
             (audit event #{}, {}). Below, each record that reads otherwise on {}: the value decided on, \
             then the current one. An empty cell means the record did not exist on that side.",
            d.event, d.decided_at, changed.now
        ),
        0.0,
    );
    w.gap(4.0);
    if changed.changes.is_empty() {
        w.paragraph(BODY, "Nothing has changed since the decision.", 0.0);
        return;
    }
    let rows = changed
        .changes
        .iter()
        .map(|c| {
            vec![
                Cell::from(format!("{} {}", c.record, c.id)),
                Cell::from(c.field.clone()),
                Cell::from(c.decided.clone()),
                Cell::from(c.now.clone()),
            ]
        })
        .collect();
    w.table(
        &[
            col("Record", 0.20),
            col("Change", 0.12),
            col("As decided", 0.34),
            col("Now", 0.34),
        ],
        rows,
    );
}

fn questions(w: &mut Writer, p: &Packet) {
    w.heading(1, "6 Questions to the vendor", 40.0);
    if p.questions.is_empty() {
        w.paragraph(BODY, "No questions recorded.", 0.0);
        return;
    }
    let rows = p
        .questions
        .iter()
        .map(|q| {
            let state = format!(
                "{}{}{}",
                q.status,
                q.resolution.map(|r| format!(" ({r})")).unwrap_or_default(),
                if q.overdue { "\nOVERDUE" } else { "" }
            );
            vec![
                Cell::from(q.id.to_string()),
                Cell::from(q.item.clone()),
                Cell::from(format!(
                    "{}{}",
                    q.text,
                    q.to.as_ref()
                        .map(|t| format!("\nto: {t}"))
                        .unwrap_or_default()
                )),
                Cell::from(q.due.clone().unwrap_or_else(|| "—".into())),
                Cell {
                    text: state,
                    style: q
                        .overdue
                        .then_some(Style::new(true, 7.5, severity_color("critical"))),
                },
                Cell::from(q.answer.clone().unwrap_or_default()),
            ]
        })
        .collect();
    w.table(
        &[
            col("#", 0.05),
            col("Item", 0.17),
            col("Question", 0.33),
            col("Due", 0.11),
            col("Status", 0.10),
            col("Latest answer", 0.24),
        ],
        rows,
    );
}

fn responsibility(w: &mut Writer, p: &Packet) {
    w.heading(1, "7 Shared-responsibility matrix", 40.0);
    w.paragraph(
        BODY.colored(MUTED),
        "Who is responsible for each item: the owner of its newest finding, else the checklist's default.",
        0.0,
    );
    w.gap(4.0);
    let mark = |item: &super::ItemRow, who: &str| -> Cell {
        if item.owner.as_str() == who {
            Cell {
                text: "●".into(),
                style: Some(Style::new(true, 7.5, ACCENT)),
            }
        } else {
            Cell::from("")
        }
    };
    let rows = p
        .items
        .iter()
        .map(|i| {
            vec![
                Cell::from(i.id.clone()),
                Cell::from(i.title.clone()),
                mark(i, "vendor"),
                mark(i, "customer"),
                mark(i, "shared"),
                Cell {
                    text: i.status.clone(),
                    style: Some(SMALL.colored(status_text_color(&i.status))),
                },
            ]
        })
        .collect();
    w.table(&RESPONSIBILITY_COLUMNS, rows);
}

/// The matrix's columns: each title fits its column on one line in the
/// bundled font (a title is never broken inside a word; see the test
/// `responsibility_matrix_titles_fit_their_columns`).
const RESPONSIBILITY_COLUMNS: [Column<'static>; 6] = [
    col("Item", 0.24),
    col("Title", 0.34),
    col("Vendor", 0.10),
    col("Customer", 0.11),
    col("Shared", 0.09),
    col("Status", 0.12),
];

fn evidence(w: &mut Writer, p: &Packet) {
    w.heading(1, "8 Evidence index", 40.0);
    if p.evidence.is_empty() {
        w.paragraph(BODY, "No evidence recorded.", 0.0);
        return;
    }
    w.paragraph(
        BODY.colored(MUTED),
        "Files are in the packet under the path shown; their SHA-256 is also listed in SHA256SUMS.",
        0.0,
    );
    w.gap(4.0);
    let rows = p
        .evidence
        .iter()
        .map(|r| {
            let e = &r.evidence;
            let what = format!(
                "{}{}{}",
                e.title
                    .as_deref()
                    .or(e.file_name.as_deref())
                    .unwrap_or("(untitled)"),
                e.source_url
                    .as_ref()
                    .map(|u| format!("\n{u}"))
                    .unwrap_or_default(),
                e.quote
                    .as_ref()
                    .map(|q| format!("\n\"{q}\""))
                    .unwrap_or_default(),
            );
            let validity = match (&e.valid_from, &e.valid_until) {
                (Some(f), Some(u)) => format!("{f} to {u}"),
                (None, Some(u)) => format!("until {u}"),
                (Some(f), None) => format!("from {f}"),
                (None, None) => "—".into(),
            };
            vec![
                Cell::from(e.id.to_string()),
                Cell::from(e.kind.to_string()),
                Cell::from(what),
                Cell::from(match (&e.sha256, &r.packet_path) {
                    (Some(h), Some(path)) => format!("{h}\n{path}"),
                    _ => "(no file: a quote)".into(),
                }),
                Cell::from(validity),
            ]
        })
        .collect();
    w.table(
        &[
            col("#", 0.05),
            col("Kind", 0.12),
            col("Title, source", 0.33),
            col("SHA-256 and file in packet", 0.35),
            col("Validity", 0.15),
        ],
        rows,
    );
}

fn audit(w: &mut Writer, p: &Packet) {
    w.heading(1, "9 Audit trail (excerpt)", 40.0);
    let shown = audit_excerpt(&p.audit);
    let which = if shown.len() == p.audit.len() {
        format!(
            "All {} recorded changes to this vendor's records and to the obligations profile.",
            p.audit.len()
        )
    } else {
        format!(
            "{} of the {} recorded changes to this vendor's records and to the obligations profile: the newest {}, and older profile changes whose values are still in effect.",
            shown.len(),
            p.audit.len(),
            p.audit.len().min(AUDIT_EXCERPT),
        )
    };
    w.paragraph(
        BODY.colored(MUTED),
        &format!(
            "{which} Changes marked global are to the profile, which every vendor's red flags are judged against. audit.csv has every change, with old and new values."
        ),
        0.0,
    );
    w.gap(4.0);
    let rows = shown
        .into_iter()
        .map(|row| {
            let e = &row.event;
            vec![
                Cell::from(e.id.to_string()),
                Cell::from(e.at.clone()),
                Cell::from(e.actor.clone()),
                Cell::from(e.command.clone()),
                Cell::from(format!(
                    "{}{}{}",
                    e.entity,
                    e.entity_id
                        .as_ref()
                        .map(|i| format!(" #{i}"))
                        .unwrap_or_default(),
                    if row.global { "\nglobal" } else { "" }
                )),
            ]
        })
        .collect();
    w.table(
        &[
            col("#", 0.08),
            col("When (UTC)", 0.24),
            col("Who", 0.18),
            col("Command", 0.28),
            col("Record", 0.22),
        ],
        rows,
    );
}

/// The events the PDF prints, oldest first: the newest AUDIT_EXCERPT, and
/// before them every older global event that last set a profile key (its
/// value is still in effect, so the flags depend on it). A profile event
/// names the keys it changed in `entity_id`, comma-separated.
fn audit_excerpt(audit: &[super::AuditRow]) -> Vec<&super::AuditRow> {
    let newest = audit.len().saturating_sub(AUDIT_EXCERPT);
    let keys = |row: &super::AuditRow| -> Vec<String> {
        row.event
            .entity_id
            .as_deref()
            .unwrap_or_default()
            .split(',')
            .map(str::to_string)
            .collect()
    };
    let mut settled = std::collections::BTreeSet::new();
    let mut in_effect = std::collections::BTreeSet::new();
    for (index, row) in audit.iter().enumerate().rev().filter(|(_, r)| r.global) {
        for key in keys(row) {
            if settled.insert(key) {
                in_effect.insert(index);
            }
        }
    }
    audit
        .iter()
        .enumerate()
        .filter(|(index, _)| *index >= newest || in_effect.contains(index))
        .map(|(_, row)| row)
        .collect()
}

/// The review's questionnaires, newest first: each one's counts and every
/// "No" with the vendor's words; then which findings came from which
/// questions.
fn questionnaires(w: &mut Writer, p: &Packet) {
    if p.questionnaires.is_empty() {
        return;
    }
    w.heading(1, "11 Questionnaire", 40.0);
    w.paragraph(
        BODY,
        &format!(
            "{} imported into this review on or before {}, newest first. questionnaire.csv lists every answer of each \
             (its questionnaire column is the # below); the question text is not reproduced (ids and the vendor's own words only).",
            match p.questionnaires.len() {
                1 => "One questionnaire was".to_string(),
                n => format!("{n} questionnaires were"),
            },
            p.as_of
        ),
        0.0,
    );
    for q in &p.questionnaires {
        questionnaire(w, q, &p.vendor.slug);
    }
    w.heading(2, "Findings from the questionnaires", 30.0);
    let from: Vec<Vec<Cell>> = p
        .findings
        .iter()
        .filter(|f| f.source.as_str() == "questionnaire")
        .map(|f| {
            vec![
                Cell::from(f.item.clone()),
                Cell::from(f.status.to_string()),
                Cell::from(f.note.clone().unwrap_or_default()),
            ]
        })
        .collect();
    if from.is_empty() {
        w.paragraph(BODY, "No finding came from a questionnaire.", 0.0);
    } else {
        w.table(
            &[
                col("Item", 0.28),
                col("Result", 0.10),
                col("From (question ids, the vendor's words)", 0.62),
            ],
            from,
        );
    }
}

/// One questionnaire: what it is, its counts, and every "No" with the
/// vendor's words.
fn questionnaire(w: &mut Writer, q: &super::QuestionnaireSection, slug: &str) {
    let title = format!(
        "Questionnaire #{}: {} {}",
        q.meta.id,
        q.meta.format.to_uppercase(),
        q.meta.version
    );
    w.heading(2, &title, 30.0);
    let count = |k: &str| q.counts.get(k).copied().unwrap_or(0);
    w.paragraph(
        BODY,
        &format!(
            "Imported {} by {} (mapping {}): {} answers: {} yes, {} no, {} n/a, {} blank; {} mapped to checklist items.",
            crate::output::day(&q.meta.imported_at),
            q.meta.imported_by,
            q.meta.mapping,
            q.answers.len(),
            count("yes"),
            count("no"),
            count("na"),
            count("blank"),
            q.mapped
        ),
        0.0,
    );
    let since = match &q.previous {
        Some(prev) => format!(
            "Since questionnaire #{} ({} {}, imported {}): {} answers changed ({} changed, {} reworded, {} added, {} removed); {} item results changed. `vetter questionnaire diff {}` lists them.",
            prev.id,
            prev.format.to_uppercase(),
            prev.version,
            crate::output::day(&prev.imported_at),
            prev.changes.total(),
            prev.changes.changed,
            prev.changes.reworded,
            prev.changes.added,
            prev.changes.removed,
            prev.items_changed,
            slug
        ),
        None => "The first questionnaire of its kind from this vendor: nothing earlier to compare.".into(),
    };
    w.paragraph(BODY.colored(MUTED), &since, 0.0);
    w.subheading(
        H2,
        &format!("Answered No (#{})", q.meta.id),
        SUBHEADING_KEEP,
    );
    let no: Vec<Vec<Cell>> = q
        .answers
        .iter()
        .filter(|a| a.answer == "no")
        .map(|a| {
            vec![
                Cell::from(a.question.clone()),
                Cell::from(if a.items.is_empty() {
                    "(no item)".to_string()
                } else {
                    a.items.join("\n")
                }),
                Cell::from(a.description.clone().unwrap_or_default()),
            ]
        })
        .collect();
    if no.is_empty() {
        w.paragraph(BODY, "No question was answered No.", 0.0);
    } else {
        w.table(
            &[
                col("Question", 0.16),
                col("Items", 0.30),
                col("The vendor says", 0.54),
            ],
            no,
        );
    }
}

fn sign_off(w: &mut Writer, p: &Packet) {
    w.heading(1, "10 Sign-off", 40.0);
    w.paragraph(
        BODY,
        &format!(
            "We reviewed {} ({}) against checklist {}@{} as of {}. The findings, clauses, questions and evidence in this packet are the records held in vetter on that date.",
            p.vendor.name, p.vendor.slug, p.review.checklist_id, p.review.checklist_version, p.as_of
        ),
        0.0,
    );
    // The sign-off as recorded: who submitted, who decided what, and why.
    let o = &p.signoff;
    let mut rows: Vec<(&str, String)> = vec![
        ("Stage", o.stage.to_string()),
        (
            "Decision",
            o.decision.clone().unwrap_or_else(|| "none yet".into()),
        ),
    ];
    if let (Some(by), Some(at)) = (&o.submitted_by, &o.submitted_at) {
        rows.push((
            "Submitted by",
            format!("{by} on {}", crate::output::day(at)),
        ));
    }
    if let (Some(by), Some(at)) = (&o.decided_by, &o.decided_at) {
        rows.push(("Decided by", format!("{by} on {}", crate::output::day(at))));
    }
    for (label, value) in [
        ("Decision note", &o.note),
        ("Conditions", &o.conditions),
        ("OVERRIDE of an open critical red flag", &o.override_reason),
        ("Next review due", &o.next_review),
    ] {
        if let Some(v) = value {
            rows.push((label, v.clone()));
        }
    }
    w.gap(8.0);
    facts(w, &rows);
    if o.history.len() > 1 {
        w.gap(6.0);
        w.subheading(H2, "Sign-off history", SUBHEADING_KEEP);
        for s in &o.history {
            let line = format!(
                "{} {} by {}{}{}",
                crate::output::day(&s.at),
                s.action,
                s.actor,
                s.decision
                    .as_ref()
                    .map(|d| format!(": {d}"))
                    .unwrap_or_default(),
                s.note
                    .as_ref()
                    .map(|n| format!(" ({n})"))
                    .unwrap_or_default()
            );
            w.paragraph(BODY, &line, 0.0);
        }
    }
    w.gap(18.0);
    for role in ["Prepared by", "Reviewed by", "Approved by"] {
        w.ensure(70.0);
        w.subheading(H2, role, SUBHEADING_KEEP);
        w.gap(26.0);
        let y = w.y;
        let col = CONTENT_W / 3.0;
        for (i, label) in ["Name", "Signature", "Date"].iter().enumerate() {
            let x = MARGIN_X + i as f32 * col;
            w.hline(x, x + col - 14.0, y, INK, 0.5);
            w.text_at(x, y - 10.0, Style::new(false, 7.0, MUTED), label);
        }
        w.y = y - 14.0;
        w.gap(18.0);
    }
    w.paragraph(
        Style::new(false, 7.5, MUTED),
        &format!("Exported from vetter by {}.", p.prepared_by),
        0.0,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    /// WCAG 2 relative luminance of an sRGB colour.
    fn luminance(c: Rgb3) -> f32 {
        let channel = |v: f32| {
            if v <= 0.03928 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(c.0) + 0.7152 * channel(c.1) + 0.0722 * channel(c.2)
    }

    /// WCAG 2 contrast ratio, 1 to 21.
    fn contrast(a: Rgb3, b: Rgb3) -> f32 {
        let (la, lb) = (luminance(a), luminance(b));
        (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
    }

    #[test]
    fn contrast_is_computed_as_wcag_defines_it() {
        let white = Rgb3(1.0, 1.0, 1.0);
        assert!((contrast(Rgb3(0.0, 0.0, 0.0), white) - 21.0).abs() < 0.01);
        assert!((contrast(white, white) - 1.0).abs() < 0.001);
        // #767676 on white is the classic 4.54:1.
        let grey = 0x76 as f32 / 255.0;
        assert!((contrast(Rgb3(grey, grey, grey), white) - 4.54).abs() < 0.01);
    }

    /// Text is set on white (the page), STRIPE (odd table rows) and
    /// HEADER_FILL (table headers, the summary's figure boxes). Every colour
    /// text is drawn in is checked on all three, which covers every pair the
    /// PDF uses (and a few it does not yet).
    #[test]
    fn text_colours_reach_wcag_aa_on_every_background() {
        let backgrounds = [
            ("white", Rgb3(1.0, 1.0, 1.0)),
            ("STRIPE", STRIPE),
            ("HEADER_FILL", HEADER_FILL),
        ];
        let mut texts = vec![
            ("INK".to_string(), INK),
            ("MUTED".to_string(), MUTED),
            ("ACCENT".to_string(), ACCENT),
        ];
        for severity in ["critical", "high", "medium", "info"] {
            texts.push((format!("severity {severity}"), severity_color(severity)));
        }
        for (status, color) in STATUS_TEXT_COLORS {
            texts.push((format!("status {status}"), color));
        }
        let mut low = Vec::new();
        for (text, color) in &texts {
            for (background, fill) in backgrounds {
                let ratio = contrast(*color, fill);
                if ratio < 4.5 {
                    low.push(format!("{text} on {background}: {ratio:.2}"));
                }
            }
        }
        assert!(low.is_empty(), "below 4.5:1: {low:?}");
    }

    fn event(id: i64, global: bool, keys: &str) -> crate::report::AuditRow {
        crate::report::AuditRow {
            event: crate::store::audit::Event {
                id,
                at: "2026-11-20T10:00:00Z".into(),
                real_at: None,
                actor: "alice".into(),
                command: if global { "profile set" } else { "finding add" }.into(),
                entity: if global { "profile" } else { "finding" }.into(),
                entity_id: Some(keys.into()),
                vendor: (!global).then(|| "acme".into()),
                old: None,
                new: None,
                hash: None,
            },
            global,
        }
    }

    #[test]
    fn the_excerpt_keeps_older_profile_changes_whose_values_are_in_effect() {
        let mut audit = vec![
            event(1, true, "max-breach-hours"),
            event(2, true, "max-breach-hours,regions"),
            event(3, true, "regimes"),
        ];
        audit.extend((10..10 + AUDIT_EXCERPT as i64).map(|id| event(id, false, "1")));
        let shown: Vec<i64> = audit_excerpt(&audit).iter().map(|r| r.event.id).collect();
        // Event 1's value was replaced by event 2's; 2 and 3 are in effect.
        assert_eq!(shown[..2], [2, 3]);
        assert_eq!(shown.len(), 2 + AUDIT_EXCERPT);
        assert_eq!(*shown.last().unwrap(), 9 + AUDIT_EXCERPT as i64);
        // A short trail is shown whole.
        let short: Vec<i64> = audit_excerpt(&audit[..5])
            .iter()
            .map(|r| r.event.id)
            .collect();
        assert_eq!(short, [1, 2, 3, 10, 11]);
    }

    #[test]
    fn responsibility_matrix_titles_fit_their_columns() {
        let fonts = Fonts::load(&[]).unwrap();
        let mut w = Writer::new(&fonts);
        let head = Style::new(true, 7.5, INK);
        for column in RESPONSIBILITY_COLUMNS {
            let (style, lines) = w.header_lines(head, column.title, column.share * CONTENT_W - 6.0);
            assert_eq!(lines, [column.title], "{}", column.title);
            assert_eq!(style.size, head.size, "{} was set smaller", column.title);
        }
    }
}
