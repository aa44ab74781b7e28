//! `vetter compare V1 V2 [...]`: candidate vendors side by side, on the
//! terminal, as JSON, CSV and a landscape PDF, all from one model
//! (report::compare).

use super::find_vendor;
use super::OutputKind;
use crate::cli::CompareArgs;
use crate::error::{Error, Result};
use crate::model::Vendor;
use crate::output;
use crate::report::compare::{self, Comparison};
use crate::store::{self, Store};
use crate::Env;
use std::io::Write;

pub fn run(args: CompareArgs, env: &Env, store: &Store, out: &mut dyn Write) -> Result<()> {
    let vendors = check_vendors(store, &args.vendors, args.include_unreviewed)?;
    // Check the output files and load the font before any work, so bad
    // input writes nothing.
    if let Some(path) = &args.csv {
        super::check_output_file(
            path,
            args.force,
            OutputKind::CompareCsv,
            "--csv compare.csv",
        )?;
    }
    if let Some(path) = &args.pdf {
        super::check_output_file(path, args.force, OutputKind::Pdf, "--pdf compare.pdf")?;
    }
    let fonts = match &args.pdf {
        Some(_) => Some(crate::report::pdf::font::Fonts::load(&args.font)?),
        None => None,
    };
    let comparison = match &args.as_of {
        None => compare::gather(store, &vendors, env.today())?,
        Some(text) => as_of(store, &vendors, text, env)?,
    };
    if let Some(path) = &args.csv {
        let (header, rows) = compare::csv_rows(&comparison);
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        let mut bytes = Vec::new();
        crate::report::csv::write(&mut bytes, &header, &rows, false)?;
        super::write_file_atomically(path, &bytes)?;
        output::note(format!("wrote {}", path.display()));
    }
    if let (Some(path), Some(fonts)) = (&args.pdf, &fonts) {
        use crate::report::pdf::{compare::render, font::Fonts};
        let (mut bytes, mut missing) = render(&comparison, fonts, &env.actor)?;
        let file = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        // As export: with no --font, what the bundled face lacks is drawn
        // from the machine's own fonts when one has it, and said so.
        if args.font.is_empty() && !missing.is_empty() {
            let lacking: std::collections::BTreeSet<char> = missing.keys().copied().collect();
            if let Some((more, paths)) = Fonts::with_system_fallbacks(&lacking) {
                (bytes, missing) = render(&comparison, &more, &env.actor)?;
                output::note(super::export::drawn_from_machine(
                    &file,
                    lacking.len(),
                    &paths,
                ));
            }
        }
        super::export::warn_missing_glyphs(&file, &fonts.source, &missing);
        super::write_file_atomically(path, &bytes)?;
        output::note(format!("wrote {}", path.display()));
    }
    if args.json.json {
        return output::versioned_json(out, output::COMPARE_FORMAT, &comparison);
    }
    print(out, &comparison)
}

/// The comparison of `vendors` as their records stood at the moment
/// `text` names (see `export --as-of`).
fn as_of(store: &Store, vendors: &[Vendor], text: &str, env: &Env) -> Result<Comparison> {
    let moment = crate::domain::as_decided::Moment::past("--as-of", text, env.today())?;
    store.read_snapshot(|| {
        let event = moment.event(store, "--as-of")?;
        let ids: Vec<i64> = vendors.iter().map(|v| v.id).collect();
        let then = store::as_of::rewind(store, store::as_of::Vendors::These(&ids), event)?;
        let mut as_they_were = Vec::new();
        for v in vendors {
            as_they_were.push(store::vendor::by_id(then.conn(), v.id)?.ok_or_else(|| {
                Error::user(format!(
                    "'{}' was not yet recorded at {}",
                    v.slug, moment.at
                ))
                .with_hint("leave it out, or pass a later --as-of")
            })?);
        }
        compare::gather(&then, &as_they_were, moment.day)
    })
}

/// Two or more distinct, active vendors, each with a review unless
/// `include_unreviewed`.
fn check_vendors(store: &Store, slugs: &[String], include_unreviewed: bool) -> Result<Vec<Vendor>> {
    if slugs.len() < 2 {
        return Err(Error::user(format!(
            "compare needs two or more vendors; got {}",
            slugs.iter().map(|s| format!("'{s}'")).collect::<Vec<_>>().join(", ")
        ))
        .with_hint("e.g. `vetter compare supabase neon`; see one vendor with `vetter review status VENDOR`"));
    }
    let mut vendors: Vec<Vendor> = Vec::new();
    for slug in slugs {
        let vendor = find_vendor(store, slug)?;
        if vendors.iter().any(|v| v.id == vendor.id) {
            return Err(Error::user(format!("vendor '{slug}' is named twice"))
                .with_hint("name each vendor once"));
        }
        if vendor.archived_at.is_some() {
            return Err(
                Error::user(format!("vendor '{slug}' is archived")).with_hint(
                    "compare active candidates; `vetter vendor list --all` shows archived ones",
                ),
            );
        }
        if !include_unreviewed && store::review::current(store.conn(), vendor.id)?.is_none() {
            return Err(Error::user(format!("vendor '{slug}' has no review to compare"))
                .with_hint(format!(
                    "start one with `vetter review start {slug}`, or pass --include-unreviewed to show it as \"no review\""
                )));
        }
        vendors.push(vendor);
    }
    Ok(vendors)
}

/// One table per group: row labels, then a column per vendor; the best and
/// worst values of ranked rows marked (and coloured on a terminal).
fn print(out: &mut dyn Write, c: &Comparison) -> Result<()> {
    let color = output::use_color();
    writeln!(
        out,
        "Comparison as of {} (score {}); best \u{2713}, worst \u{2717}",
        c.as_of, c.score_formula
    )?;
    for group in &c.groups {
        writeln!(out, "\n{}", group.title)?;
        let mut header = vec![String::new()];
        header.extend(c.vendors.iter().map(|v| v.slug.clone()));
        let mut table = output::table(header);
        for r in &group.rows {
            let mut cells = vec![r.label.clone()];
            let mut colors = vec![None];
            for cell in &r.cells {
                let (mark, code) = match (cell.best, cell.worst) {
                    (true, _) => (" \u{2713}", Some(output::GREEN)),
                    (_, true) => (" \u{2717}", Some(output::RED)),
                    _ => ("", None),
                };
                cells.push(format!("{}{mark}", cell.value));
                colors.push(code.filter(|_| color));
            }
            table.add_colored_row(cells, colors);
        }
        output::print_table(out, &table)?;
    }
    writeln!(out, "\n{}", compare::RED_FLAGS)?;
    if c.red_flags.is_empty() {
        writeln!(out, "none")?;
    } else {
        let mut header = vec!["rule".to_string(), "severity".into()];
        header.extend(c.vendors.iter().map(|v| v.slug.clone()));
        let mut table = output::table(header);
        for f in &c.red_flags {
            let mut cells = vec![f.rule.clone(), f.severity.to_string()];
            cells.extend(f.cells.iter().cloned());
            table.add_row(cells);
        }
        output::print_table(out, &table)?;
    }
    writeln!(out, "\nReading")?;
    for line in output::wrap(&c.reading.text, output::terminal_width()) {
        writeln!(out, "{line}")?;
    }
    Ok(())
}
