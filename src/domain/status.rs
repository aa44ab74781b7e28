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

/// `vendor`'s review number `number`, or the refusal naming it.
pub fn review_numbered(store: &Store, vendor: &Vendor, number: i64) -> Result<Review> {
    store::review::by_number(store.conn(), vendor.id, number)?.ok_or_else(|| {
        Error::user(format!("vendor '{}' has no review #{number}", vendor.slug)).with_hint(format!(
            "list its reviews with `vetter review list {}`",
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
    /// recorded but is no result ("we could not tell" is not coverage), nor
    /// is a finding carried from the last cycle and not yet re-confirmed.
    pub fn with_result(&self) -> usize {
        self.met + self.partial + self.not_met + self.not_applicable
    }

    /// How many of these items have a result: the one definition of
    /// coverage, which every view reads.
    pub fn coverage(&self) -> Coverage {
        Coverage {
            covered: self.with_result(),
            items: self.total(),
        }
    }

    pub fn total(&self) -> usize {
        self.met + self.partial + self.not_met + self.not_applicable + self.unknown + self.no_result
    }
}

/// The coverage of a review or of one of its sections: its items with a
/// result (`Counts::with_result`) of all its items. review status, the
/// packet (PDF, packet.json, portfolio.csv) and compare all show it through
/// `percent`, so they cannot disagree; docs/scoring.md defines it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Coverage {
    pub covered: usize,
    pub items: usize,
}

impl Coverage {
    /// covered / items, unrounded; None when there are no items.
    pub fn share(self) -> Option<f64> {
        (self.items > 0).then(|| self.covered as f64 / self.items as f64)
    }

    /// The share as shown: to one decimal of a percent (thousandths),
    /// rounded half up as `score::as_shown` rounds, but in whole numbers so
    /// that 1 of 80 (1.25%) is exactly a tie, 1.3%. It reads 100.0% only when
    /// every item has a result and 0.0% only when none has (1,999 of 2,000
    /// is 99.9%, not 100.0%). What compare ranks on.
    pub fn shown(self) -> Option<f64> {
        if self.items == 0 {
            return None;
        }
        let thousandths = (2000 * self.covered + self.items) / (2 * self.items);
        let thousandths = match thousandths {
            1000 if self.covered < self.items => 999,
            0 if self.covered > 0 => 1,
            t => t,
        };
        Some(thousandths as f64 / 1000.0)
    }

    /// The share as every view prints it, e.g. "27.8%"; None when there are
    /// no items.
    pub fn percent(self) -> Option<String> {
        self.shown().map(super::score::percent)
    }

    /// "12/13": the items with a result of all, as the packet's chart
    /// labels a section.
    pub fn fraction(self) -> String {
        format!("{}/{}", self.covered, self.items)
    }
}

/// As JSON: `{"covered": 5, "items": 18, "percent": "27.8%"}`, `percent`
/// null when there are no items.
impl Serialize for Coverage {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut out = s.serialize_struct("Coverage", 3)?;
        out.serialize_field("covered", &self.covered)?;
        out.serialize_field("items", &self.items)?;
        out.serialize_field("percent", &self.percent())?;
        out.end()
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
    /// `counts.coverage()`, for --json.
    pub coverage: Coverage,
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
    /// `totals.coverage()`, for --json.
    pub coverage: Coverage,
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

/// `gather_status` with the vendor's records it was judged on and the red
/// flags they raised, for a caller that needs those too (compare) without
/// loading or judging them again.
pub fn gather_status_and_records(
    store: &Store,
    vendor: &Vendor,
    today: NaiveDate,
) -> Result<(ReviewStatus, super::VendorRecords, Vec<crate::rules::Flag>)> {
    let review = current_review(store, vendor)?;
    let items = store::review::items_with_status(store.conn(), review.id)?;
    let mut sections: Vec<SectionStatus> = store::review::sections(store.conn(), review.id)?
        .into_iter()
        .map(|(id, title)| SectionStatus {
            id,
            title,
            counts: Counts::default(),
            coverage: Counts::default().coverage(),
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
    for section in &mut sections {
        section.coverage = section.counts.coverage();
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
        coverage: totals.coverage(),
        totals,
        sections,
        unreviewed_clause_kinds,
        score,
        outcome,
        flags_by_severity,
        waived_flags: flags.iter().filter(|f| f.waived).count(),
    };
    Ok((status, records, flags))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn coverage(covered: usize, items: usize) -> Coverage {
        Coverage { covered, items }
    }

    #[test]
    fn coverage_is_shown_to_one_decimal_rounded_half_up() {
        assert_eq!(coverage(5, 18).percent().as_deref(), Some("27.8%"));
        assert_eq!(coverage(12, 13).percent().as_deref(), Some("92.3%"));
        assert_eq!(coverage(1, 80).percent().as_deref(), Some("1.3%"));
        assert_eq!(coverage(1, 16).percent().as_deref(), Some("6.3%"));
        assert_eq!(coverage(0, 7).percent().as_deref(), Some("0.0%"));
        assert_eq!(coverage(7, 7).percent().as_deref(), Some("100.0%"));
        assert_eq!(coverage(0, 0).percent(), None);
        assert_eq!(coverage(5, 18).shown(), Some(0.278));
    }

    #[test]
    fn coverage_reads_complete_or_empty_only_when_it_is() {
        assert_eq!(coverage(1999, 2000).percent().as_deref(), Some("99.9%"));
        assert_eq!(coverage(1, 2001).percent().as_deref(), Some("0.1%"));
    }

    #[test]
    fn an_unknown_item_is_neither_covered_nor_left_out_of_the_items() {
        let mut counts = Counts::default();
        for label in ["met", "unknown", "no-result", "to-reconfirm", "n/a"] {
            counts.add_label(label);
        }
        assert_eq!(counts.coverage(), coverage(2, 5));
        assert_eq!(counts.coverage().fraction(), "2/5");
    }
}
