//! How far a review has come: counts per status and section, per item, and
//! the DPA clause kinds not yet read.

use crate::error::{Error, Result};
use crate::model::{Review, Status, Vendor};
use crate::store::{self, Store};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

/// The vendor's open review, or an error saying how to start one.
pub fn current_review(store: &Store, vendor: &Vendor) -> Result<Review> {
    store::review::current(store.conn(), vendor.id)?.ok_or_else(|| {
        Error::user(format!("vendor '{}' has no open review", vendor.slug)).with_hint(format!(
            "start one with `vetter review start {}`",
            vendor.slug
        ))
    })
}

impl ItemStatus {
    /// What is linked to the item, e.g. "2 findings, 1 open question"; "-" when nothing.
    pub fn records(&self) -> String {
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
    /// Items whose newest finding was carried from the previous cycle and
    /// not yet re-confirmed (also counted in `no-result`).
    #[serde(rename = "to-reconfirm")]
    pub to_reconfirm: usize,
}

impl Counts {
    /// Counts one item by its label ("met", ..., "no-result", "to-reconfirm").
    pub fn add_label(&mut self, label: &str) {
        if label == "to-reconfirm" {
            self.to_reconfirm += 1;
        }
        self.add(label.parse().ok());
    }

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
    /// The review's score, with its inputs and per-item breakdown.
    pub score: super::score::Score,
    /// Where the review stands in its sign-off, and its decision.
    pub outcome: super::decision::Outcome,
    /// Unwaived red flags per severity (every severity present), and waived ones.
    pub flags_by_severity: BTreeMap<String, usize>,
    pub waived_flags: usize,
}

/// item id -> how many of the records (each with its linked item ids) link it.
fn per_item<'a>(
    records: impl Iterator<Item = &'a [String]>,
) -> std::collections::HashMap<String, i64> {
    let mut counts = std::collections::HashMap::new();
    for item in records.flatten() {
        *counts.entry(item.clone()).or_default() += 1;
    }
    counts
}

/// Gathers the per-section progress and the score of a vendor's current
/// review, its red flags judged on `today`.
pub fn gather_status(store: &Store, vendor: &Vendor, today: NaiveDate) -> Result<ReviewStatus> {
    Ok(gather_status_and_records(store, vendor, today)?.0)
}

/// `gather_status` with the vendor's records it was judged on, for a caller
/// that needs those too (compare) without loading them again.
pub fn gather_status_and_records(
    store: &Store,
    vendor: &Vendor,
    today: NaiveDate,
) -> Result<(ReviewStatus, super::VendorRecords)> {
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
    let profile = crate::profile::load(store)?;
    let records = super::VendorRecords::load(store, vendor, Some(review.id), today)?;
    let flags = records.flags(&profile, vendor, today);
    let flags_by_severity = crate::rules::unwaived_by_severity(&flags);
    let unreviewed_clause_kinds =
        crate::rules::unreviewed_kinds(&profile, vendor, &records.clauses);
    let score = super::score::score(
        items
            .iter()
            .map(|i| (i.item_id.as_str(), i.severity, i.status_label())),
        &flags,
    );
    let questions = store::question::open_per_item(store.conn(), vendor.id)?;
    // Clauses and evidence per item, from the records already loaded.
    let clauses = per_item(records.clauses.iter().map(|c| c.items.as_slice()));
    let evidence = per_item(records.evidence.iter().map(|e| e.items.as_slice()));
    let count =
        |map: &std::collections::HashMap<String, i64>, id: &str| map.get(id).copied().unwrap_or(0);
    for item in items {
        let section = &mut sections[index[&item.section_id]];
        section.counts.add_label(item.status_label());
        totals.add_label(item.status_label());
        section.items.push(ItemStatus {
            id: item.item_id.clone(),
            title: item.title.clone(),
            severity: item.severity,
            owner: item.finding_owner.unwrap_or(item.owner),
            status: item.status_label().to_string(),
            findings: item.finding_count,
            clauses: count(&clauses, &item.item_id),
            open_questions: count(&questions, &item.item_id),
            evidence: count(&evidence, &item.item_id),
        });
    }
    let outcome = super::decision::Outcome::load(store.conn(), &review)?;
    let status = ReviewStatus {
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
        score,
        outcome,
        flags_by_severity,
        waived_flags: flags.iter().filter(|f| f.waived).count(),
    };
    Ok((status, records))
}
