//! `vetter subprocessor add|import|list|diff`: the vendor's subprocessors as
//! dated observations of its published list.

use super::find_active_vendor;
use super::find_vendor;
use crate::cli::SubprocessorCommand;
use crate::error::{Error, Result};
use crate::model::Subprocessor;
use crate::output;
use crate::store::{self, Store};
use crate::{validate, Env};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

pub fn run(
    cmd: SubprocessorCommand,
    env: &Env,
    store: &mut Store,
    out: &mut dyn Write,
) -> Result<()> {
    match cmd {
        SubprocessorCommand::Add {
            vendor,
            name,
            purpose,
            location,
            seen,
            json,
        } => {
            let sub = add(
                env,
                store,
                &vendor,
                &name,
                &purpose,
                &location,
                seen.as_deref(),
            )?;
            super::print_record(json.json, out, &sub)
        }
        SubprocessorCommand::Import {
            vendor,
            file,
            seen,
            json,
        } => {
            let subs = import(env, store, &vendor, &file, &seen)?;
            super::print_record(json.json, out, &subs)
        }
        SubprocessorCommand::List { vendor, at, json } => {
            list(env, store, &vendor, at.as_deref(), json.json, out)
        }
        SubprocessorCommand::Diff {
            vendor,
            from,
            to,
            json,
        } => diff(
            store,
            &vendor,
            from.as_deref(),
            to.as_deref(),
            json.json,
            out,
        ),
    }
}

/// A date given with --seen: valid and not in the future.
fn seen_date(env: &Env, value: Option<&str>) -> Result<String> {
    let Some(value) = value else {
        return Ok(env.today().to_string());
    };
    let date = validate::date("--seen", value)?;
    if date > env.today() {
        return Err(Error::user(format!(
            "--seen {date} is in the future (today is {})",
            env.today()
        ))
        .with_hint("give the date the list was read"));
    }
    Ok(date.to_string())
}

fn checked(name: &str, purpose: &str, location: &str, seen: &str) -> Result<Subprocessor> {
    Ok(Subprocessor {
        name: validate::name("subprocessor name", name)?,
        purpose: validate::name("--purpose", purpose)?,
        location: validate::name("--location", location)?,
        seen: seen.to_string(),
    })
}

pub fn add(
    env: &Env,
    store: &mut Store,
    slug: &str,
    name: &str,
    purpose: &str,
    location: &str,
    seen: Option<&str>,
) -> Result<Subprocessor> {
    let vendor = find_active_vendor(store, slug)?;
    let sub = checked(name, purpose, location, &seen_date(env, seen)?)?;
    store.write(|tx| {
        store::subprocessor::insert(tx, vendor.id, &sub, false, &env.timestamp, &env.actor)?;
        store::audit::append(
            tx,
            &env.event(
                "subprocessor add",
                "subprocessor",
                &sub.name,
                Some(vendor.id),
                None,
                Some(serde_json::to_value(&sub)?),
            ),
        )?;
        Ok(())
    })?;
    output::note(format!(
        "recorded subprocessor '{}' ({}, {}) for '{}' as of {}",
        sub.name, sub.purpose, sub.location, vendor.slug, sub.seen
    ));
    Ok(sub)
}

/// Records a whole list; returns it as recorded.
fn import(
    env: &Env,
    store: &mut Store,
    slug: &str,
    file: &Path,
    seen: &str,
) -> Result<Vec<Subprocessor>> {
    let vendor = find_active_vendor(store, slug)?;
    let seen = seen_date(env, Some(seen))?;
    let text = super::import::read_csv_text(
        file,
        super::import::DEFAULT_MAX_BYTES,
        "a subprocessor list is at most 100 MiB: check that this is the list",
    )?;
    let shown = file.display().to_string();
    let sha256 = crate::digest::sha256_hex(text.as_bytes());
    let subs = parse_list(&text, &shown, &seen)?;
    if subs.is_empty() {
        return Err(Error::user(format!("'{shown}' has no rows; nothing was imported"))
            .with_hint(format!("to record that the vendor uses no subprocessors, record the DPA's words with `vetter clause add {} subprocessors --quote ...`", vendor.slug)));
    }
    let count = subs.len();
    store.write(|tx| {
        let already = store::subprocessor::observations(tx, vendor.id)?.iter().any(|o| o.snapshot && o.sub.seen == seen);
        if already {
            return Err(Error::user(format!("'{}' already has a snapshot of its subprocessor list dated {seen}", vendor.slug))
                .with_hint("a published list is read once per date; use another --seen date for a later reading"));
        }
        for sub in &subs {
            store::subprocessor::insert(tx, vendor.id, sub, true, &env.timestamp, &env.actor)?;
        }
        // The file's name and SHA-256, not where it sat on the reviewer's machine.
        let mut rows = store::finding::RowsDigest::default();
        for sub in &subs {
            rows.add(&store::replay::subprocessor_row(&sub.name, &sub.purpose, &sub.location));
        }
        let new = serde_json::json!({
            "seen": seen, "rows": count, "file": crate::validate::file_name_of(file), "sha256": sha256,
            "rows_sha256": rows.finish(),
        });
        store::audit::append(tx, &env.event("subprocessor import", "subprocessor", format!("snapshot {seen}"), Some(vendor.id), None, Some(new)))?;
        Ok(())
    })?;
    output::note(format!(
        "recorded {count} subprocessors of '{}' as listed on {seen}",
        vendor.slug
    ));
    Ok(subs)
}

/// Parses and checks a subprocessor list (CSV with name, purpose, location),
/// every row before any is kept; a name listed twice is a problem. `shown`
/// names the file in messages; `seen` is the date the list was read.
pub fn parse_list(text: &str, shown: &str, seen: &str) -> Result<Vec<Subprocessor>> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let columns =
        super::import::header_columns(&mut reader, &["name", "purpose", "location"], 3, shown)?;
    let (name_at, purpose_at, location_at) =
        (columns["name"], columns["purpose"], columns["location"]);
    let mut subs: Vec<Subprocessor> = Vec::new();
    let mut first_line: BTreeMap<String, u64> = BTreeMap::new();
    let mut errors = Vec::new();
    let mut lines = super::import::Lines::new(text);
    for record in reader.records() {
        let record = record
            .map_err(|e| Error::user(format!("'{shown}' line {}: {e}", lines.of(e.position()))))?;
        let line = lines.of(record.position());
        match checked(
            &record[name_at],
            &record[purpose_at],
            &record[location_at],
            seen,
        ) {
            Err(e) => {
                let hint = e.hint.map(|h| format!(" ({h})")).unwrap_or_default();
                errors.push(format!("line {line}: {}{hint}", e.message))
            }
            Ok(sub) => match first_line.get(&sub.name.to_lowercase()) {
                Some(first) => errors.push(format!(
                    "line {line}: '{}' is listed twice (first on line {first})",
                    sub.name
                )),
                None => {
                    first_line.insert(sub.name.to_lowercase(), line);
                    subs.push(sub);
                }
            },
        }
    }
    if !errors.is_empty() {
        return Err(crate::error::listed_problems(shown, "problem", errors));
    }
    Ok(subs)
}

fn list(
    env: &Env,
    store: &Store,
    slug: &str,
    at: Option<&str>,
    json: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let vendor = find_vendor(store, slug)?;
    let date = match at {
        Some(d) => validate::date("--at", d)?.to_string(),
        None => env.today().to_string(),
    };
    let subs = crate::domain::list_at(
        &store::subprocessor::observations(store.conn(), vendor.id)?,
        &date,
    );
    if json {
        return output::json(out, &subs);
    }
    if subs.is_empty() {
        output::note(format!(
            "no subprocessors recorded for '{}' as of {date}",
            vendor.slug
        ));
        return Ok(());
    }
    let mut table = output::table(["name", "purpose", "location", "seen"]);
    for s in &subs {
        table.add_row(vec![
            s.name.clone(),
            s.purpose.clone(),
            s.location.clone(),
            s.seen.clone(),
        ]);
    }
    output::print_table(out, &table)
}

#[derive(Debug, Serialize)]
pub struct Change {
    pub name: String,
    pub from: Subprocessor,
    pub to: Subprocessor,
}

#[derive(Debug, Serialize)]
pub struct Diff {
    pub vendor: String,
    pub from: String,
    pub to: String,
    pub added: Vec<Subprocessor>,
    pub removed: Vec<Subprocessor>,
    pub location_changed: Vec<Change>,
    pub purpose_changed: Vec<Change>,
}

fn diff(
    store: &Store,
    slug: &str,
    from: Option<&str>,
    to: Option<&str>,
    json: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let vendor = find_vendor(store, slug)?;
    let observations = store::subprocessor::observations(store.conn(), vendor.id)?;
    let mut dates: Vec<&str> = observations.iter().map(|o| o.sub.seen.as_str()).collect();
    dates.dedup();
    let to = match to {
        Some(d) => validate::date("--to", d)?.to_string(),
        None => dates.last().map(|d| d.to_string()).ok_or_else(|| {
            Error::user(format!("no subprocessors recorded for '{}'", vendor.slug))
                .with_hint(format!("record the published list with `vetter subprocessor import {} FILE.csv --seen DATE`", vendor.slug))
        })?,
    };
    let from = match from {
        Some(d) => validate::date("--from", d)?.to_string(),
        // The observation date before `to`, or before everything (all added).
        None => dates
            .iter()
            .rev()
            .find(|d| **d < to.as_str())
            .map_or("0000-01-01".to_string(), |d| d.to_string()),
    };
    if from > to {
        return Err(
            Error::user(format!("--from {from} is after --to {to}")).with_hint("swap the dates")
        );
    }
    let (old, new) = (
        crate::domain::list_at(&observations, &from),
        crate::domain::list_at(&observations, &to),
    );
    let find = |list: &[Subprocessor], name: &str| {
        list.iter()
            .find(|s| s.name.eq_ignore_ascii_case(name))
            .cloned()
    };
    let mut d = Diff {
        vendor: vendor.slug.clone(),
        from,
        to,
        added: vec![],
        removed: vec![],
        location_changed: vec![],
        purpose_changed: vec![],
    };
    for s in &new {
        match find(&old, &s.name) {
            None => d.added.push(s.clone()),
            Some(before) => {
                if before.location != s.location {
                    d.location_changed.push(Change {
                        name: s.name.clone(),
                        from: before.clone(),
                        to: s.clone(),
                    });
                }
                if before.purpose != s.purpose {
                    d.purpose_changed.push(Change {
                        name: s.name.clone(),
                        from: before,
                        to: s.clone(),
                    });
                }
            }
        }
    }
    d.removed = old
        .iter()
        .filter(|s| find(&new, &s.name).is_none())
        .cloned()
        .collect();
    if json {
        return output::json(out, &d);
    }
    writeln!(
        out,
        "{}: subprocessors from {} to {}",
        vendor.name, d.from, d.to
    )?;
    let mut table = output::table(["change", "name", "purpose", "location"]);
    for s in &d.added {
        table.add_row(vec![
            "added".into(),
            s.name.clone(),
            s.purpose.clone(),
            s.location.clone(),
        ]);
    }
    for s in &d.removed {
        table.add_row(vec![
            "removed".into(),
            s.name.clone(),
            s.purpose.clone(),
            s.location.clone(),
        ]);
    }
    for c in &d.location_changed {
        table.add_row(vec![
            "location changed".into(),
            c.name.clone(),
            c.to.purpose.clone(),
            format!("{} -> {}", c.from.location, c.to.location),
        ]);
    }
    for c in &d.purpose_changed {
        table.add_row(vec![
            "purpose changed".into(),
            c.name.clone(),
            format!("{} -> {}", c.from.purpose, c.to.purpose),
            c.to.location.clone(),
        ]);
    }
    if d.added.is_empty()
        && d.removed.is_empty()
        && d.location_changed.is_empty()
        && d.purpose_changed.is_empty()
    {
        writeln!(out, "no changes")?;
        return Ok(());
    }
    output::print_table(out, &table)
}
