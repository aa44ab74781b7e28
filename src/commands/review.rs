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
        ReviewCommand::Submit { vendor, note, json } => {
            let outcome = super::signoff::submit(env, store, &vendor, note.as_deref())?;
            // What the decision will be made without: items not judged and
            // questions still open, said now rather than found later.
            let v = super::find_active_vendor(store, &vendor)?;
            let status = crate::domain::status::gather_status(store, &v, env.today())?;
            let unjudged = status.totals.total() - status.totals.with_result();
            let open: i64 = status
                .sections
                .iter()
                .flat_map(|s| &s.items)
                .map(|i| i.open_questions)
                .sum();
            if unjudged > 0 || open > 0 {
                output::note(format!(
                    "note: submitted with {unjudged} of {} items without a result and {open} question{} open; the decision is made on what is recorded",
                    status.totals.total(),
                    if open == 1 { "" } else { "s" }
                ));
            }
            let mut record = serde_json::to_value(&outcome)?;
            if let serde_json::Value::Object(map) = &mut record {
                map.insert("items".into(), status.totals.total().into());
                map.insert("items_without_result".into(), unjudged.into());
                map.insert("open_questions".into(), open.into());
            }
            super::print_record(json.json, out, &record)
        }
        ReviewCommand::Reopen {
            vendor,
            reason,
            json,
        } => {
            let outcome = super::signoff::reopen(env, store, &vendor, &reason)?;
            super::print_record(json.json, out, &outcome)
        }
        ReviewCommand::Decide {
            vendor,
            decision,
            note,
            conditions,
            override_reason,
            json,
        } => {
            let outcome = super::signoff::decide(
                env,
                store,
                &vendor,
                super::signoff::DecideArgs {
                    decision,
                    note: &note,
                    conditions: conditions.as_deref(),
                    override_reason: override_reason.as_deref(),
                },
            )?;
            super::print_record(json.json, out, &outcome)
        }
        ReviewCommand::Diff {
            vendor,
            from,
            to,
            json,
        } => diff(env, store, &vendor, from, to, json.json, out),
    }
}

/// The vendor's newest decided review, if any.
fn last_decided(store: &Store, vendor_id: i64) -> Result<Option<Review>> {
    for review in store::review::list_for_vendor(store.conn(), vendor_id)?
        .into_iter()
        .rev()
    {
        if crate::domain::decision::Outcome::load(store.conn(), &review)?.stage
            == crate::domain::decision::Stage::Decided
        {
            return Ok(Some(review));
        }
    }
    Ok(None)
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
    let current = store::review::current(store.conn(), vendor.id)?;
    // The next cycle is judged on the vendor's checklist (its newest
    // version), not the built-in default: `due` says `review start VENDOR`,
    // and a switch of checklist would carry nothing forward.
    let checklist_spec = match (checklist_spec, &current) {
        (Some(spec), _) => spec.to_string(),
        (None, Some(r)) => r.checklist_id.clone(),
        (None, None) => checklist::DEFAULT_CHECKLIST.to_string(),
    };
    let checklist = super::checklist::resolve(store, &checklist_spec)?;
    // A decided review ends its cycle: the next one carries its findings
    // forward to be re-confirmed. An undecided one is only replaced on
    // request; superseding one that followed a decided review still carries
    // the decided one's findings.
    let last_decided = last_decided(store, vendor.id)?;
    let decided = matches!((&current, &last_decided), (Some(c), Some(d)) if c.id == d.id);
    let (open, previous) = if decided {
        (None, current)
    } else {
        (current, last_decided.filter(|_| supersede))
    };
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
    let (review_id, carried) = store.write(|tx| {
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
        // What verify checks later: the item snapshot, and exactly which
        // findings are carried (ids first.. first+count-1, one transaction).
        let items_sha256 = store::replay::review_items_digest(tx, id)?;
        let carry = match &previous {
            Some(p) => store::finding::carry_count(tx, p.id, id)?,
            None => 0,
        };
        let carried_first = store::finding::next_id(tx)?;
        let new = serde_json::json!({
            "review": id, "number": number,
            "checklist": checklist.id, "version": checklist.version, "sha256": checklist.sha256,
            "items": items.len(), "not_applicable": skipped, "due": due,
            "supersedes": open.as_ref().map(|r| r.number),
            "follows_decided": previous.as_ref().map(|r| r.number),
            "items_sha256": items_sha256,
            "carried": { "first": carried_first, "count": carry },
        });
        let event = store::audit::append(
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
        let carried = match &previous {
            Some(p) => {
                store::finding::carry_forward(tx, p.id, id, &env.timestamp, &env.actor, event)?
            }
            None => 0,
        };
        if carried as i64 != carry {
            return Err(Error::internal(format!(
                "carried {carried} findings, counted {carry} beforehand"
            )));
        }
        Ok((id, carried))
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
    if let Some(p) = &previous {
        output::note(format!(
            "carried {carried} findings forward from decided review #{}: each item shows 'to-reconfirm' (and scores nothing) until a new finding is recorded for it",
            p.number
        ));
    }
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
        return output::versioned_json(out, output::REVIEW_STATUS_FORMAT, &status);
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
    let width = output::terminal_width();
    let o = &status.outcome;
    let mut signoff = format!("Stage: {}; decision: {}", o.stage, o.summary());
    if let Some(next) = &o.next_review {
        signoff.push_str(&format!("; next review due {next}"));
    }
    output::write_indented(out, "", &signoff, width)?;
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
        let done = c.coverage().percent().unwrap_or_else(|| "-".into());
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
    if status.totals.to_reconfirm > 0 {
        let n = status.totals.to_reconfirm;
        let text = format!(
            "{n} item{} carried from the last cycle await re-confirmation (shown as no result; they score nothing until a new finding is recorded)",
            if n == 1 { "" } else { "s" }
        );
        output::write_indented(out, "", &text, width)?;
    }
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
        let mut table = output::table(header).spill(&["records", "title"]);
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
    let reviews = crate::domain::decision::cycles(store, vendor.id)?;
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
pub fn print_list(out: &mut dyn Write, cycles: &[crate::domain::decision::Cycle]) -> Result<()> {
    let mut table = output::table([
        "review",
        "checklist",
        "started",
        "by",
        "due",
        "stage",
        "decision",
    ])
    .spill(&["decision"]);
    for c in cycles {
        let r = &c.review;
        table.add_row(vec![
            format!("#{}", r.number),
            format!("{}@{}", r.checklist_id, r.checklist_version),
            output::day(&r.started_at).to_string(),
            r.started_by.clone(),
            output::cell(&r.due),
            c.outcome.stage.to_string(),
            c.outcome.summary(),
        ]);
    }
    output::print_table(out, &table)
}

/// `review diff`: what changed between two cycles of a vendor. A decided
/// side is read from the snapshot kept with its decision; an undecided one
/// as its records stand today.
fn diff(
    env: &Env,
    store: &Store,
    slug: &str,
    from: Option<i64>,
    to: Option<i64>,
    json: bool,
    out: &mut dyn Write,
) -> Result<()> {
    use crate::domain::cycle::{self, Side, Snapshot};
    let vendor = find_vendor(store, slug)?;
    let reviews = store::review::list_for_vendor(store.conn(), vendor.id)?;
    if reviews.len() < 2 {
        return Err(Error::user(format!(
            "vendor '{}' has {} review cycle{}; a diff needs two",
            vendor.slug,
            reviews.len(),
            if reviews.len() == 1 { "" } else { "s" }
        ))
        .with_hint(format!(
            "decide this cycle, then start the next with `vetter review start {}`",
            vendor.slug
        )));
    }
    let pick = |n: i64, flag: &str| {
        reviews.iter().find(|r| r.number == n).ok_or_else(|| {
            Error::user(format!(
                "vendor '{}' has no review #{n} ({flag})",
                vendor.slug
            ))
            .with_hint(format!("its reviews are #1 to #{}", reviews.len()))
        })
    };
    let to_review = match to {
        Some(n) => pick(n, "--to")?,
        None => reviews.last().expect("two reviews"),
    };
    let from_review = match from {
        Some(n) => pick(n, "--from")?,
        None => reviews
            .iter()
            .rev()
            .find(|r| r.number < to_review.number)
            .ok_or_else(|| {
                Error::user(format!("no review before #{}", to_review.number))
                    .with_hint("pass --from N")
            })?,
    };
    if from_review.number >= to_review.number {
        return Err(Error::user(format!(
            "--from #{} is not before --to #{}",
            from_review.number, to_review.number
        ))
        .with_hint("give the earlier cycle as --from and the later as --to"));
    }
    let profile = crate::profile::load(store)?;
    let side = |r: &Review| -> Result<Side> {
        let decision = store::signoff::for_review(store.conn(), r.id)?
            .into_iter()
            .rev()
            .find(|s| s.action == "decide")
            .and_then(|s| s.snapshot);
        let items = store::review::items_with_status(store.conn(), r.id)?
            .iter()
            .map(|i| (i.item_id.clone(), i.status_label().to_string()))
            .collect();
        let (snapshot, at_decision) = match decision {
            Some(text) => (serde_json::from_str::<Snapshot>(&text)?, true),
            None => (
                Snapshot::take(store, &profile, &vendor, r, env.today())?,
                false,
            ),
        };
        Ok(Side {
            number: r.number,
            items,
            snapshot,
            at_decision,
        })
    };
    let mut d = cycle::diff(&vendor.slug, side(from_review)?, side(to_review)?);
    let span = cycle::span_between(store, &vendor, from_review, to_review)?;
    (d.evidence_added, d.questions_added) =
        cycle::added_between(store, &vendor, span, env.today())?;
    if json {
        return output::json(out, &d);
    }
    let width = output::terminal_width();
    let pct = |c: Option<f64>| c.map_or("no score".into(), crate::domain::score::percent);
    let when = |decided: bool| {
        if decided {
            "at its decision"
        } else {
            "as of today"
        }
    };
    writeln!(
        out,
        "{} — review #{} ({}) to #{} ({})",
        vendor.name,
        d.from,
        when(d.from_at_decision),
        d.to,
        when(d.to_at_decision)
    )?;
    writeln!(
        out,
        "score: compliance {} -> {}; rating {} -> {}",
        pct(d.compliance.before),
        pct(d.compliance.after),
        d.rating.before,
        d.rating.after
    )?;
    let none = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
    writeln!(out, "\nItems whose status changed ({}):", d.items.len())?;
    for i in &d.items {
        let line = format!("{}: {} -> {}", i.item, none(&i.before), none(&i.after));
        output::write_indented(out, "  ", &line, width)?;
    }
    for (title, mark, flags) in [
        ("added", "  + ", &d.flags_added),
        ("removed", "  - ", &d.flags_removed),
    ] {
        writeln!(out, "\nRed flags {title} ({}):", flags.len())?;
        for f in flags {
            let waived = if f.waived { " (waived)" } else { "" };
            let line = format!("{} {}{waived}: {}", f.severity, f.rule, f.message);
            output::write_indented(out, mark, &line, width)?;
        }
    }
    let state = |f: &crate::domain::cycle::FlagRef| {
        format!("{}{}", f.severity, if f.waived { ", waived" } else { "" })
    };
    writeln!(
        out,
        "\nRed flags whose severity or waiver changed ({}):",
        d.flags_changed.len()
    )?;
    for c in &d.flags_changed {
        let line = format!(
            "{}: {} -> {}",
            c.after.rule,
            state(&c.before),
            state(&c.after)
        );
        output::write_indented(out, "  ", &line, width)?;
    }
    writeln!(out, "\nClauses changed ({}):", d.clauses.len())?;
    for c in &d.clauses {
        let line = format!(
            "#{} {}: {} -> {}",
            c.id,
            c.kind,
            none(&c.before),
            none(&c.after)
        );
        output::write_indented(out, "  ", &line, width)?;
    }
    let subs =
        d.subprocessors_added.len() + d.subprocessors_removed.len() + d.subprocessors_moved.len();
    writeln!(out, "\nSubprocessors changed ({subs}):")?;
    for s in &d.subprocessors_added {
        output::write_indented(
            out,
            "  + ",
            &format!("{} ({}, {})", s.name, s.purpose, s.location),
            width,
        )?;
    }
    for s in &d.subprocessors_removed {
        output::write_indented(
            out,
            "  - ",
            &format!("{} ({}, {})", s.name, s.purpose, s.location),
            width,
        )?;
    }
    for c in &d.subprocessors_moved {
        let line = format!(
            "{}: {}, {} -> {}, {}",
            c.before.name, c.before.purpose, c.before.location, c.after.purpose, c.after.location
        );
        output::write_indented(out, "  ~ ", &line, width)?;
    }
    for (title, added) in [
        ("Evidence added", &d.evidence_added),
        ("Questions asked", &d.questions_added),
    ] {
        writeln!(out, "\n{title} between the cycles ({}):", added.len())?;
        for a in added {
            let line = format!("#{} {} ({})", a.id, a.what, output::day(&a.at));
            output::write_indented(out, "  + ", &line, width)?;
        }
    }
    Ok(())
}
