//! compare.pdf: the comparison on landscape A4. Up to six vendors side by
//! side per table; more vendors continue in further tables, each with the
//! row labels again. Best and worst values are bold and marked.

use super::layout::*;
use super::{document, fit, serialize, Archive, DocumentInfo, Fonts};
use crate::error::Result;
use crate::report::compare::{Better, Comparison, Group, KEY_TERMS, RED_FLAGS};

/// Vendors per table: at least five must fit a page width (issue 10); six do.
const VENDORS_PER_TABLE: usize = 6;

/// The comparison's PDF, and the characters no face had a glyph for (drawn
/// as boxes), with how often each was drawn.
pub fn render(
    c: &Comparison,
    fonts: &Fonts,
    prepared_by: &str,
) -> Result<(Vec<u8>, std::collections::BTreeMap<char, usize>)> {
    let mut w = Writer::with_page(fonts, Page::LANDSCAPE);
    let names: Vec<&str> = c.vendors.iter().map(|v| v.name.as_str()).collect();
    w.anchor("Vendor comparison".into(), 1);
    w.begin("H1");
    w.paragraph(Style::new(true, 18.0, ACCENT), "Vendor comparison", 0.0);
    w.end();
    w.paragraph(
        BODY,
        &format!(
            "{} · as of {} · score formula {} (docs/scoring.md) · prepared by {prepared_by}",
            names.join(" · "),
            c.as_of,
            c.score_formula
        ),
        0.0,
    );
    w.paragraph(
        Style::new(false, 7.5, MUTED),
        "Best and worst values of each ranked row are bold and marked \u{2713} (best) and \u{2717} (worst); \
         rows without a direction are not ranked. Each vendor is compared on its current review.",
        0.0,
    );
    w.gap(4.0);
    reading(&mut w, c);
    // The key DPA terms first, so they are on the first page; then the
    // chart and the other groups as the model orders them.
    let mut groups: Vec<&Group> = c.groups.iter().filter(|g| g.title == KEY_TERMS).collect();
    groups.extend(c.groups.iter().filter(|g| g.title != KEY_TERMS));
    let parts = c.vendors.len().div_ceil(VENDORS_PER_TABLE);
    for (part, chunk) in (0..c.vendors.len())
        .collect::<Vec<_>>()
        .chunks(VENDORS_PER_TABLE)
        .enumerate()
    {
        for (i, group) in groups.iter().enumerate() {
            if part == 0 && i == 1 {
                w.gap(8.0);
                chart(&mut w, c);
            }
            w.gap(6.0);
            let title = chunk_title(c, &group.title, chunk);
            w.ensure(60.0);
            heading(&mut w, &title);
            let mut columns = vec![col("", 0.22)];
            columns.extend(vendor_columns(c, chunk, 0.22));
            let rows = group
                .rows
                .iter()
                .map(|r| {
                    let label = match (r.better, r.ordinal) {
                        (Some(_), true) => format!("{} (ranked by terms)", r.label),
                        (Some(Better::Higher), _) => format!("{} (higher is better)", r.label),
                        (Some(Better::Lower), _) => format!("{} (lower is better)", r.label),
                        (None, _) => r.label.clone(),
                    };
                    let mut cells = vec![Cell::from(label)];
                    cells.extend(chunk.iter().map(|&i| {
                        let cell = &r.cells[i];
                        let mark = match (cell.best, cell.worst) {
                            (true, _) => " \u{2713}",
                            (_, true) => " \u{2717}",
                            _ => "",
                        };
                        Cell {
                            text: format!("{}{mark}", cell.value),
                            style: (cell.best || cell.worst).then(|| Style::new(true, 7.5, INK)),
                        }
                    }));
                    cells
                })
                .collect();
            w.table(&columns, rows);
        }
        red_flags(&mut w, c, chunk);
        if part + 1 < parts {
            w.new_page();
        }
    }
    let links = std::mem::take(&mut w.links);
    let tags = w.take_tags();
    let (pages, anchors, missing) = w.finish();
    let total = pages.len();
    let pages = pages
        .into_iter()
        .enumerate()
        .map(|(i, mut ops)| {
            footer(fonts, &mut ops, c, i + 1, total);
            ops
        })
        .collect();
    let info = DocumentInfo {
        title: format!("Vendor comparison: {}", names.join(", ")),
        as_of: &c.as_of,
        author: prepared_by,
        generator: &c.generator,
        subject: format!(
            "Comparison of {} vendors as of {}",
            c.vendors.len(),
            c.as_of
        ),
    };
    let doc = document(fonts, &info, pages, Page::LANDSCAPE)?;
    let bytes = serialize(
        doc,
        &Archive {
            info: &info,
            anchors: &anchors,
            links: &links,
            tags: &tags.elems,
            page: Page::LANDSCAPE,
        },
    )?;
    Ok((bytes, missing))
}

/// A group's title, with the vendors it shows when they take more than one
/// set of tables.
fn chunk_title(c: &Comparison, title: &str, chunk: &[usize]) -> String {
    if c.vendors.len() > VENDORS_PER_TABLE {
        format!(
            "{title} (vendors {}-{})",
            chunk[0] + 1,
            chunk[chunk.len() - 1] + 1
        )
    } else {
        title.to_string()
    }
}

fn heading(w: &mut Writer, title: &str) {
    w.anchor(title.to_string(), 2);
    w.begin("H2");
    w.paragraph(Style::new(true, 10.0, ACCENT), title, 0.0);
    w.end();
    w.gap(2.0);
}

/// One column per vendor of `chunk`, sharing what the label columns
/// (`labels` of the width) leave.
fn vendor_columns<'a>(c: &'a Comparison, chunk: &[usize], labels: f32) -> Vec<Column<'a>> {
    let share = (1.0 - labels) / chunk.len() as f32;
    chunk
        .iter()
        .map(|&i| col(c.vendors[i].name.as_str(), share))
        .collect()
}

/// The reading: which candidate the recorded evidence favours and why, or
/// why no reading is given.
fn reading(w: &mut Writer, c: &Comparison) {
    heading(w, "Reading");
    w.paragraph(BODY, &c.reading.text, 0.0);
    w.paragraph(
        Style::new(false, 7.5, MUTED),
        "Derived only from the rows below: open critical, then high flags, then the key DPA \
         terms marked best (docs/compare.md).",
        0.0,
    );
}

/// Every unwaived red flag side by side for the vendors of `chunk`: rule,
/// severity, then each vendor's message or "\u{2014}".
fn red_flags(w: &mut Writer, c: &Comparison, chunk: &[usize]) {
    w.gap(6.0);
    w.ensure(60.0);
    heading(w, &chunk_title(c, RED_FLAGS, chunk));
    let rows: Vec<Vec<Cell>> = c
        .red_flags
        .iter()
        .filter(|f| chunk.iter().any(|&i| f.cells[i] != "\u{2014}"))
        .map(|f| {
            let mut cells = vec![
                Cell::from(f.rule.clone()),
                Cell::from(f.severity.to_string()),
            ];
            cells.extend(chunk.iter().map(|&i| Cell::from(f.cells[i].clone())));
            cells
        })
        .collect();
    if rows.is_empty() {
        w.paragraph(BODY, "No unwaived red flags.", 0.0);
        return;
    }
    let mut columns = vec![col("Rule", 0.16), col("Severity", 0.06)];
    columns.extend(vendor_columns(c, chunk, 0.22));
    w.table(&columns, rows);
}

/// Two bars per vendor: compliance (of 100%) and unwaived red flags (of the
/// most any vendor has).
fn chart(w: &mut Writer, c: &Comparison) {
    let page = w.page;
    let label_w = 170.0;
    let bar_w = (page.content_w() - label_w - 60.0) / 2.0;
    let row_h = 14.0;
    let most_flags = c.vendors.iter().map(|v| v.flags).max().unwrap_or(0).max(1);
    // Kept on one page with its title when it fits; else it starts on a new
    // page and runs on row by row.
    let title = Style::new(true, 10.0, ACCENT);
    w.ensure(title.leading() + 4.0 + row_h * (c.vendors.len() + 1) as f32);
    w.paragraph(title, "Score and red flags", 0.0);
    w.gap(4.0);
    let small = Style::new(false, 7.0, MUTED);
    let x0 = page.margin_x + label_w;
    let x1 = x0 + bar_w + 30.0;
    w.text_at(x0, w.y - 8.0, small, "Compliance (0-100%)");
    w.text_at(
        x1,
        w.y - 8.0,
        small,
        &format!("Unwaived red flags (0-{most_flags})"),
    );
    w.y -= row_h;
    for v in &c.vendors {
        w.ensure(row_h);
        let y = w.y;
        // A long name is cut with an ellipsis to its column; the tables
        // below give it whole.
        let name = fit(w, BODY, &v.name, label_w - 8.0);
        w.text_at(page.margin_x, y - 9.0, BODY, &name);
        w.fill_rect(x0, y - 11.0, bar_w, 9.0, STRIPE);
        if let Some(share) = v.compliance {
            w.fill_rect(
                x0,
                y - 11.0,
                bar_w * share as f32,
                9.0,
                Rgb3(0.18, 0.55, 0.34),
            );
        }
        let score = v
            .compliance
            .map_or("no score".into(), crate::domain::score::percent);
        w.text_at(x0 + bar_w + 3.0, y - 9.0, small, &score);
        w.fill_rect(x1, y - 11.0, bar_w, 9.0, STRIPE);
        let share = v.flags as f32 / most_flags as f32;
        w.fill_rect(x1, y - 11.0, bar_w * share, 9.0, Rgb3(0.75, 0.22, 0.17));
        w.text_at(x1 + bar_w + 3.0, y - 9.0, small, &v.flags.to_string());
        w.y -= row_h;
    }
}

fn footer(fonts: &Fonts, ops: &mut Vec<printpdf::Op>, c: &Comparison, page: usize, total: usize) {
    let mut w = Writer::furniture(fonts, Page::LANDSCAPE);
    let p = w.page;
    let style = Style::new(false, 7.0, MUTED);
    w.hline(p.margin_x, p.width - p.margin_x, 40.0, RULE, 0.5);
    w.text_at(
        p.margin_x,
        28.0,
        style,
        &format!("{} vendor comparison · as of {}", c.generator, c.as_of),
    );
    let number = format!("Page {page} of {total}");
    let number_w = w.measure(style, &number);
    w.text_at(p.width - p.margin_x - number_w, 28.0, style, &number);
    let (drawn, _, _) = w.finish();
    ops.extend(drawn.into_iter().flatten());
}
