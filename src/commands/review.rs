//! `vetter review start|status|list`

use super::{current_review, find_active_vendor, find_vendor};
use crate::cli::ReviewCommand;
use crate::error::{Error, Result};
use crate::model::{Review, Status, Vendor};
use crate::output;
use crate::store::{self, Store};
use crate::{checklist, validate, Env};
use serde::Serialize;
use std::collections::BTreeMap;
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
        } => status(store, &vendor, items, json.json, out),
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

impl ItemStatus {
    /// What is linked to the item, e.g. "2 findings, 1 open question"; "-" when nothing.
    fn records(&self) -> String {
        let parts: Vec<String> = [
            (self.findings, "finding", "findings"),
            (self.clauses, "clause", "clauses"),
            (self.open_questions, "open question", "open questions"),
            (self.evidence, "evidence", "evidence"),
        ]
        .iter()
        .filter(|(n, _, _)| *n > 0)
        .map(|(n, one, many)| format!("{n} {}", if *n == 1 { one } else { many }))
        .collect();
        if parts.is_empty() {
            "-".into()
        } else {
            parts.join(", ")
        }
    }
}

/// Counts per status for one section; `no-result` counts items with no finding yet.
#[derive(Debug, Default, Serialize, Clone)]
pub struct Counts {
    pub met: usize,
    pub partial: usize,
    #[serde(rename = "not-met")]
    pub not_met: usize,
    #[serde(rename = "n/a")]
    pub not_applicable: usize,
    pub unknown: usize,
    #[serde(rename = "no-result")]
    pub no_result: usize,
}

impl Counts {
    pub fn add(&mut self, status: Option<Status>) {
        match status {
            Some(Status::Met) => self.met += 1,
            Some(Status::Partial) => self.partial += 1,
            Some(Status::NotMet) => self.not_met += 1,
            Some(Status::NotApplicable) => self.not_applicable += 1,
            Some(Status::Unknown) => self.unknown += 1,
            None => self.no_result += 1,
        }
    }

    /// Items with a result: met, partial, not-met or n/a. `unknown` is
    /// recorded but is no result ("we could not tell" is not coverage).
    pub fn with_result(&self) -> usize {
        self.met + self.partial + self.not_met + self.not_applicable
    }

    /// The share of items with a result, as "42%"; None when there are no items.
    pub fn coverage(&self) -> Option<String> {
        (self.with_result() * 100)
            .checked_div(self.total())
            .map(|p| format!("{p}%"))
    }

    pub fn total(&self) -> usize {
        self.met + self.partial + self.not_met + self.not_applicable + self.unknown + self.no_result
    }
}

#[derive(Debug, Serialize)]
pub struct ItemStatus {
    pub id: String,
    pub title: String,
    pub severity: crate::model::Severity,
    pub owner: crate::model::Owner,
    /// The status of the newest finding, or "no-result".
    pub status: String,
    pub findings: i64,
    /// The vendor's DPA clauses linked to the item.
    pub clauses: i64,
    pub open_questions: i64,
    /// The vendor's evidence linked to the item.
    pub evidence: i64,
}

#[derive(Debug, Serialize)]
pub struct SectionStatus {
    pub id: String,
    pub title: String,
    pub counts: Counts,
    pub items: Vec<ItemStatus>,
}

#[derive(Debug, Serialize)]
pub struct ChecklistRef {
    pub id: String,
    pub version: String,
    pub sha256: String,
}

#[derive(Debug, Serialize)]
pub struct ReviewStatus {
    pub vendor: String,
    pub review: i64,
    pub checklist: ChecklistRef,
    pub due: Option<String>,
    pub totals: Counts,
    pub sections: Vec<SectionStatus>,
    /// DPA clause kinds the rules judge with no clause recorded yet.
    pub unreviewed_clause_kinds: Vec<crate::model::ClauseKind>,
}

/// Gathers the per-section progress of a vendor's current review.
pub fn gather_status(store: &Store, vendor: &Vendor) -> Result<ReviewStatus> {
    let review = current_review(store, vendor)?;
    let items = store::review::items_with_status(store.conn(), review.id)?;
    let mut sections: Vec<SectionStatus> = store::review::sections(store.conn(), review.id)?
        .into_iter()
        .map(|(id, title)| SectionStatus {
            id,
            title,
            counts: Counts::default(),
            items: Vec::new(),
        })
        .collect();
    let index: BTreeMap<String, usize> = sections
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.clone(), i))
        .collect();
    let mut totals = Counts::default();
    let clauses = store::clause::count_per_item(store.conn(), vendor.id)?;
    let profile = super::profile::load(store)?;
    let unreviewed_clause_kinds = crate::rules::unreviewed_kinds(
        &profile,
        vendor,
        &store::clause::for_vendor(store.conn(), vendor.id)?,
    );
    let questions = store::question::open_per_item(store.conn(), vendor.id)?;
    let evidence = store::evidence::count_per_item(store.conn(), vendor.id)?;
    let count =
        |map: &std::collections::HashMap<String, i64>, id: &str| map.get(id).copied().unwrap_or(0);
    for item in items {
        let section = &mut sections[index[&item.section_id]];
        section.counts.add(item.status);
        totals.add(item.status);
        section.items.push(ItemStatus {
            id: item.item_id.clone(),
            title: item.title,
            severity: item.severity,
            owner: item.finding_owner.unwrap_or(item.owner),
            status: item.status.map_or("no-result", |s| s.as_str()).to_string(),
            findings: item.finding_count,
            clauses: count(&clauses, &item.item_id),
            open_questions: count(&questions, &item.item_id),
            evidence: count(&evidence, &item.item_id),
        });
    }
    Ok(ReviewStatus {
        vendor: vendor.slug.clone(),
        review: review.number,
        checklist: ChecklistRef {
            id: review.checklist_id,
            version: review.checklist_version,
            sha256: review.checklist_sha256,
        },
        due: review.due,
        totals,
        sections,
        unreviewed_clause_kinds,
    })
}

fn status(
    store: &Store,
    slug: &str,
    with_items: bool,
    json: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let vendor = find_vendor(store, slug)?;
    let status = gather_status(store, &vendor)?;
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
    let row = |label: &str, c: &Counts| {
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
