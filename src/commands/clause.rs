//! `vetter clause add|list|show|edit`: the DPA clause register.

use super::{find_active_vendor, find_vendor};
use crate::cli::{ClauseCommand, ClauseTermArgs};
use crate::error::Result;
use crate::model::{ClauseKind, Vendor};
use crate::output;
use crate::store::{self, Store};
use crate::{clause, Env};
use std::io::Write;

pub fn run(cmd: ClauseCommand, env: &Env, store: &mut Store, out: &mut dyn Write) -> Result<()> {
    match cmd {
        ClauseCommand::Add {
            vendor,
            kind,
            absent,
            terms,
            json,
        } => {
            let id = add(env, store, &vendor, kind, absent, &terms)?;
            super::print_record(json.json, out, &store::clause::by_id(store.conn(), id)?)
        }
        ClauseCommand::Extract {
            vendor,
            file,
            out: to,
            flags,
            json,
        } => super::clause_file::extract(
            env,
            store,
            &vendor,
            &file,
            to.as_deref(),
            flags,
            json.json,
            out,
        ),
        ClauseCommand::Import {
            vendor,
            file,
            evidence,
            dry_run,
            accept_first,
        } => {
            super::clause_file::import(env, store, &vendor, &file, evidence, dry_run, accept_first)
        }
        ClauseCommand::Export { vendor, out: to } => {
            super::clause_file::export(store, &vendor, to.as_deref(), out)
        }
        ClauseCommand::List { vendor, json } => list(store, &vendor, json.json, out),
        ClauseCommand::Show { id, json } => show(store, id, json.json, out),
        ClauseCommand::Edit {
            id,
            absent,
            present,
            terms,
            json,
        } => {
            edit(env, store, id, absent, present, &terms)?;
            super::print_record(json.json, out, &store::clause::by_id(store.conn(), id)?)
        }
    }
}

pub fn add(
    env: &Env,
    store: &mut Store,
    slug: &str,
    kind: ClauseKind,
    absent: bool,
    args: &ClauseTermArgs,
) -> Result<i64> {
    let vendor = find_active_vendor(store, slug)?;
    let mut c = clause::new_clause(&vendor, kind, absent, args, &env.timestamp, &env.actor)?;
    c.items = super::check_item_ids(store, &args.items)?;
    if let Some(e) = args.evidence {
        super::ensure_evidence_of(store, e, &vendor)?;
    }
    let id = store.write(|tx| record(tx, env, &vendor, &mut c, args.evidence, args.page))?;
    output::note(format!(
        "recorded clause #{id}: {kind}{} for '{}'",
        if absent { " (absent)" } else { "" },
        vendor.slug
    ));
    Ok(id)
}

/// Inside a write transaction: records a new clause (and its link to the
/// evidence it was read from) with its `clause add` event; returns its id.
pub fn record(
    tx: &crate::store::sql::Tx,
    env: &Env,
    vendor: &Vendor,
    c: &mut crate::model::Clause,
    evidence: Option<i64>,
    page: Option<u32>,
) -> Result<i64> {
    let id = store::clause::next_id(tx)?;
    c.id = id;
    store::clause::insert(tx, id, c)?;
    if let Some(e) = evidence {
        store::evidence::link_clause(tx, e, id, page)?;
    }
    store::audit::append(
        tx,
        &env.event(
            "clause add",
            "clause",
            id,
            Some(vendor.id),
            None,
            Some(with_evidence_link(serde_json::to_value(&*c)?, evidence)),
        ),
    )?;
    Ok(id)
}

fn edit(
    env: &Env,
    store: &mut Store,
    id: i64,
    absent: bool,
    present: bool,
    args: &ClauseTermArgs,
) -> Result<()> {
    let before = store::clause::by_id(store.conn(), id)?;
    let vendor = find_active_vendor(store, &before.vendor)?;
    let mut after = before.clone();
    if absent {
        after.absent = true;
        after.quote = None;
        after.terms = Default::default();
    }
    if present {
        after.absent = false;
    }
    clause::check_absent(after.absent, args)?;
    clause::apply_text(&mut after, args)?;
    clause::apply_terms(after.kind, args, &mut after.terms)?;
    for item in super::check_item_ids(store, &args.items)? {
        if !after.items.contains(&item) {
            after.items.push(item);
        }
    }
    after.items.sort();
    let (old, mut new) = (
        serde_json::to_value(&before)?,
        serde_json::to_value(&after)?,
    );
    if old == new {
        output::note(format!("clause #{id} unchanged: nothing to edit"));
        return Ok(());
    }
    after.updated_at = env.timestamp.clone();
    new = serde_json::to_value(&after)?;
    if let Some(e) = args.evidence {
        super::ensure_evidence_of(store, e, &vendor)?;
    }
    store.write(|tx| {
        store::clause::update(tx, &after)?;
        if let Some(e) = args.evidence {
            store::evidence::link_clause(tx, e, id, args.page)?;
        }
        store::audit::append(
            tx,
            &env.event(
                "clause edit",
                "clause",
                id,
                Some(vendor.id),
                Some(old.clone()),
                Some(with_evidence_link(new.clone(), args.evidence)),
            ),
        )?;
        Ok(())
    })?;
    output::note(format!("updated clause #{id}"));
    Ok(())
}

/// A clause event's values, plus the evidence it was linked to (which
/// changes that evidence's record, so the log must say so for verify).
fn with_evidence_link(mut values: serde_json::Value, evidence: Option<i64>) -> serde_json::Value {
    if let (Some(e), Some(map)) = (evidence, values.as_object_mut()) {
        map.insert("evidence".into(), e.into());
    }
    values
}

fn list(store: &Store, slug: &str, json: bool, out: &mut dyn Write) -> Result<()> {
    let vendor: Vendor = find_vendor(store, slug)?;
    let clauses = store::clause::for_vendor(store.conn(), vendor.id)?;
    if json {
        return output::json(out, &clauses);
    }
    if clauses.is_empty() {
        output::note(format!(
            "no clauses recorded for '{}'; add one with `vetter clause add {} KIND`",
            vendor.slug, vendor.slug
        ));
        return Ok(());
    }
    let mut table = output::table(["#", "kind", "section", "terms", "quote", "items"])
        .spill(&["quote", "items"]);
    for c in &clauses {
        table.add_row(vec![
            c.id.to_string(),
            c.kind.to_string(),
            output::cell(&c.section),
            crate::clause::terms_summary(c),
            output::cell(&c.quote.as_deref().map(crate::markup::plain)),
            c.items.join(","),
        ]);
    }
    output::print_table(out, &table)
}

fn show(store: &Store, id: i64, json: bool, out: &mut dyn Write) -> Result<()> {
    let c = store::clause::by_id(store.conn(), id)?;
    if json {
        return output::json(out, &c);
    }
    let rows = [
        ("clause", format!("#{}", c.id)),
        ("vendor", c.vendor.clone()),
        ("kind", c.kind.to_string()),
        ("section", output::cell(&c.section)),
        ("terms", crate::clause::terms_summary(&c)),
        ("quote", output::cell(&c.quote)),
        ("valid until", output::cell(&c.valid_until)),
        (
            "items",
            if c.items.is_empty() {
                "-".into()
            } else {
                c.items.join(", ")
            },
        ),
        ("recorded", format!("{} by {}", c.created_at, c.created_by)),
        ("updated", c.updated_at.clone()),
    ];
    output::print_fields(out, &rows)
}
