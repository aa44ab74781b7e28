//! `vetter finding add|list`

use super::{ensure_review_open, find_active_vendor, find_vendor, print_record, ItemResolver};
use crate::cli::{FindingAddArgs, FindingCommand};
use crate::domain::current_review;
use crate::error::Result;
use crate::model::NewFinding;
use crate::output::{self, cell};
use crate::store::{self, Store};
use crate::{validate, Env};
use std::io::Write;

pub fn run(cmd: FindingCommand, env: &Env, store: &mut Store, out: &mut dyn Write) -> Result<()> {
    match cmd {
        FindingCommand::Add(args) => {
            let json = args.json.json;
            let id = add(args, env, store)?;
            print_record(json, out, &store::finding::by_id(store.conn(), id)?)
        }
        FindingCommand::List { vendor, item, json } => {
            list(store, &vendor, item.as_deref(), json.json, out)
        }
    }
}

pub fn add(args: FindingAddArgs, env: &Env, store: &mut Store) -> Result<i64> {
    let vendor = find_active_vendor(store, &args.vendor)?;
    let review = current_review(store, &vendor)?;
    let review_item_id = ItemResolver::new(store, &review)?.resolve(&args.item)?;
    let finding = NewFinding {
        review_item_id,
        status: args.status,
        source: args.source,
        note: validate::text("--note", args.note.as_deref())?,
        url: validate::url("--url", args.url.as_deref())?,
        owner: args.owner,
        evidence: args.evidence,
        page: args.page,
    };
    if let Some(e) = args.evidence {
        super::ensure_evidence_of(store, e, &vendor)?;
    }
    let id = store.write(|tx| {
        ensure_review_open(tx, &review, &vendor.slug)?;
        let new = store::finding::values(
            review.id,
            &args.item,
            finding.status.as_str(),
            finding.source.as_str(),
            finding.note.as_deref(),
            finding.url.as_deref(),
            finding.owner.map(|o| o.as_str()),
            finding.evidence,
            finding.page.map(i64::from),
        );
        // BEGIN IMMEDIATE holds the write lock, so the next id cannot be taken
        // by another writer between here and the insert.
        let id = store::finding::next_id(tx)?;
        let event = store::audit::append(
            tx,
            &env.event(
                "finding add",
                "finding",
                id,
                Some(vendor.id),
                None,
                Some(new),
            ),
        )?;
        store::finding::insert(tx, id, &finding, &env.timestamp, &env.actor, event)?;
        Ok(id)
    })?;
    output::note(format!(
        "recorded finding #{id}: {} is {} ({})",
        args.item, finding.status, finding.source
    ));
    Ok(id)
}

fn list(
    store: &Store,
    slug: &str,
    item: Option<&str>,
    json: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let vendor = find_vendor(store, slug)?;
    let review = current_review(store, &vendor)?;
    if let Some(item) = item {
        ItemResolver::new(store, &review)?.resolve(item)?;
    }
    let findings = store::finding::list(store.conn(), review.id, item)?;
    if json {
        return output::json(out, &findings);
    }
    if findings.is_empty() {
        output::note(format!("no findings yet for '{}'", vendor.slug));
        return Ok(());
    }
    let mut table = output::table([
        "#", "item", "status", "source", "owner", "note", "url", "recorded", "by",
    ])
    .spill(&["note", "url"]);
    for f in &findings {
        table.add_row(vec![
            f.id.to_string(),
            f.item.clone(),
            f.status.to_string(),
            f.source.to_string(),
            cell(&f.owner),
            cell(&f.note),
            cell(&f.url),
            output::day(&f.recorded_at).to_string(),
            f.recorded_by.clone(),
        ]);
    }
    output::print_table(out, &table)
}
