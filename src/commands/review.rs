//! `vetter review start|status|list`

use super::{find_active_vendor, find_vendor};
use crate::cli::ReviewCommand;
use crate::error::{Error, Result};
use crate::model::Review;
use crate::output;
use crate::store::{self, Store};
use crate::{checklist, validate, Env};
use std::io::Write;

pub fn run(cmd: ReviewCommand, env: &Env, store: &mut Store, out: &mut dyn Write) -> Result<()> {
    match cmd {
        ReviewCommand::Start {
            vendor,
            checklist,
            due,
            allow_past,
            supersede,
            json,
        } => {
            let review = start(
                env,
                store,
                &vendor,
                checklist.as_deref(),
                due.as_deref(),
                allow_past,
                supersede,
            )?;
            super::print_record(json.json, out, &review)
        }
        ReviewCommand::Status {
            vendor,
            items,
            json,
        } => status(store, &vendor, env.today(), items, json.json, out),
        ReviewCommand::List { vendor, json } => list(store, &vendor, json.json, out),
    }
}

pub fn start(
    env: &Env,
    store: &mut Store,
    slug: &str,
    checklist_spec: Option<&str>,
    due: Option<&str>,
    allow_past: bool,
    supersede: bool,
) -> Result<Review> {
    let vendor = find_active_vendor(store, slug)?;
    let due = due
        .map(|d| validate::due_date("--due", d, env.today(), allow_past).map(|d| d.to_string()))
        .transpose()?;
    let checklist = super::checklist::resolve(
        store,
        checklist_spec.unwrap_or(checklist::DEFAULT_CHECKLIST),
    )?;
    let open = store::review::current(store.conn(), vendor.id)?;
    if let (Some(open), false) = (&open, supersede) {
        return Err(Error::user(format!(
            "vendor '{}' already has an open review (#{}, {}@{}, started {})",
            vendor.slug, open.number, open.checklist_id, open.checklist_version, open.started_at
        ))
        .with_hint("keep working on it, or pass --supersede to start a new cycle (the open one is kept as superseded)"));
    }
    let items: Vec<_> = checklist
        .items()
        .filter(|(_, item)| item.applies_to(&vendor))
        .collect();
    let skipped = checklist.item_count() - items.len();
    let review_id = store.write(|tx| {
        if let Some(open) = &open {
            store::review::set_state(tx, open.id, "superseded")?;
        }
        let id = store::review::insert(
            tx,
            vendor.id,
            &checklist,
            &items,
            &env.timestamp,
            &env.actor,
            due.as_deref(),
        )?;
        let number = store::review::by_id(tx, id)?.map(|r| r.number);
        let new = serde_json::json!({
            "review": id, "number": number,
            "checklist": checklist.id, "version": checklist.version, "sha256": checklist.sha256,
            "items": items.len(), "not_applicable": skipped, "due": due,
            "supersedes": open.as_ref().map(|r| r.number),
        });
        store::audit::append(
            tx,
            &env.event(
                "review start",
                "review",
                id,
                Some(vendor.id),
                None,
                Some(new),
            ),
        )?;
        Ok(id)
    })?;
    let review = store::review::by_id(store.conn(), review_id)?
        .ok_or_else(|| Error::internal("review vanished after insert"))?;
    output::note(format!(
        "started review #{} of '{}' against {}@{}: {} items ({} not applicable to its hosting, tenancy or data)",
        review.number,
        vendor.slug,
        checklist.id,
        checklist.version,
        items.len(),
        skipped
    ));
    Ok(review)
}

fn status(
    store: &Store,
    slug: &str,
    today: chrono::NaiveDate,
    with_items: bool,
    json: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let vendor = find_vendor(store, slug)?;
    let status = crate::domain::gather_status(store, &vendor, today)?;
    if json {
        return output::json(out, &status);
    }
    writeln!(
        out,
        "{} — review #{} against {}@{}{}",
        vendor.name,
        status.review,
        status.checklist.id,
        status.checklist.version,
        status
            .due
            .as_ref()
            .map(|d| format!(", due {d}"))
            .unwrap_or_default()
    )?;
    let mut table = output::table([
        "section",
        "items",
        "met",
        "partial",
        "not-met",
        "n/a",
        "unknown",
        "no result",
        "covered",
    ]);
    let row = |label: &str, c: &crate::domain::Counts| {
        let done = c.coverage().unwrap_or_else(|| "-".into());
        let numbers = [
            c.total(),
            c.met,
            c.partial,
            c.not_met,
            c.not_applicable,
            c.unknown,
            c.no_result,
        ];
        let mut cells = vec![label.to_string()];
        cells.extend(numbers.iter().map(usize::to_string));
        cells.push(done);
        cells
    };
    for s in &status.sections {
        table.add_row(row(&s.id, &s.counts));
    }
    table.add_row(row("total", &status.totals));
    output::print_table(out, &table)?;
    let width = output::terminal_width();
    if status.totals.unknown > 0 {
        let n = status.totals.unknown;
        let text = format!(
            "covered counts met, partial, not-met and n/a; {n} unknown item{} not counted",
            if n == 1 { " is" } else { "s are" }
        );
        output::write_indented(out, "", &text, width)?;
    }
    if let Some(text) = crate::rules::describe_unreviewed(&status.unreviewed_clause_kinds) {
        output::write_indented(out, "", &text, width)?;
    }
    let s = &status.score;
    let score = format!(
        "Score ({}): {}; rating {}",
        s.formula_version,
        s.compliance_line(),
        s.rating.as_str().to_uppercase()
    );
    output::write_indented(out, "", &score, width)?;
    for reason in &s.rating_reasons {
        output::write_indented(out, "  ", &format!("because {reason}"), width)?;
    }
    if with_items {
        let header = ["item", "severity", "owner", "status", "records", "title"];
        let mut table = output::table(header).spill(&["title"]);
        for s in &status.sections {
            for i in &s.items {
                table.add_row(vec![
                    i.id.clone(),
                    i.severity.to_string(),
                    i.owner.to_string(),
                    i.status.clone(),
                    i.records(),
                    i.title.clone(),
                ]);
            }
        }
        output::print_table(out, &table)?;
    }
    Ok(())
}

fn list(store: &Store, slug: &str, json: bool, out: &mut dyn Write) -> Result<()> {
    let vendor = find_vendor(store, slug)?;
    let reviews = store::review::list_for_vendor(store.conn(), vendor.id)?;
    if json {
        return output::json(out, &reviews);
    }
    if reviews.is_empty() {
        output::note(format!(
            "vendor '{}' has no reviews; start one with `vetter review start {}`",
            vendor.slug, vendor.slug
        ));
        return Ok(());
    }
    print_list(out, &reviews)
}

/// A vendor's reviews, numbered as the vendor's first, second, ... review.
pub fn print_list(out: &mut dyn Write, reviews: &[Review]) -> Result<()> {
    let mut table = output::table(["review", "checklist", "started", "by", "due", "state"]);
    for r in reviews {
        table.add_row(vec![
            format!("#{}", r.number),
            format!("{}@{}", r.checklist_id, r.checklist_version),
            output::day(&r.started_at).to_string(),
            r.started_by.clone(),
            output::cell(&r.due),
            r.state.clone(),
        ]);
    }
    output::print_table(out, &table)
}
