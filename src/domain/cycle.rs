//! Review cycles: what a decision was based on (a snapshot kept with it) and
//! what changed from one cycle to the next.

use crate::error::Result;
use crate::model::{Review, Vendor};
use crate::profile::Profile;
use crate::rules::Flag;
use crate::store::{self, Store};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The vendor-level records a review was judged on, frozen when it is
/// decided (clauses and subprocessors belong to the vendor and move on).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Snapshot {
    pub compliance: Option<f64>,
    pub rating: String,
    pub earned: f64,
    pub possible: f64,
    pub flags: Vec<FlagRef>,
    pub clauses: Vec<ClauseRef>,
    pub subprocessors: Vec<SubprocessorRef>,
    /// The rules the flags were judged by (decisions taken before vetter
    /// recorded it have none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rules: Option<crate::rules::RulesVersion>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FlagRef {
    pub rule: String,
    pub severity: String,
    pub clause: Option<i64>,
    pub waived: bool,
    pub message: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ClauseRef {
    pub id: i64,
    pub kind: String,
    pub terms: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SubprocessorRef {
    pub name: String,
    pub purpose: String,
    pub location: String,
}

impl Snapshot {
    /// The snapshot of `review` as its records stand on `today`.
    pub fn take(
        store: &Store,
        profile: &Profile,
        vendor: &Vendor,
        review: &Review,
        today: NaiveDate,
    ) -> Result<Snapshot> {
        let records = super::VendorRecords::load(store, vendor, Some(review.id), today)?;
        let flags = records.flags(profile, vendor, today);
        let items = store::review::items_with_status(store.conn(), review.id)?;
        let score = super::score::score(
            items
                .iter()
                .map(|i| (i.item_id.as_str(), i.severity, i.status_label())),
            &flags,
        );
        Ok(Snapshot {
            compliance: score.compliance,
            rating: score.rating.to_string(),
            earned: score.earned,
            possible: score.possible,
            flags: flags.iter().map(FlagRef::of).collect(),
            clauses: records
                .clauses
                .iter()
                .map(|c| ClauseRef {
                    id: c.id,
                    kind: c.kind.to_string(),
                    terms: crate::clause::terms_summary(c),
                })
                .collect(),
            subprocessors: records
                .subprocessors
                .iter()
                .map(|s| SubprocessorRef {
                    name: s.name.clone(),
                    purpose: s.purpose.clone(),
                    location: s.location.clone(),
                })
                .collect(),
            rules: Some(crate::rules::version()),
        })
    }
}

impl FlagRef {
    fn of(f: &Flag) -> FlagRef {
        FlagRef {
            rule: f.rule.to_string(),
            severity: f.severity.to_string(),
            clause: f.clause,
            waived: f.waived,
            message: f.message.clone(),
        }
    }
}

/// One side of a diff: a review, its item statuses and its snapshot, and
/// whether the snapshot is the one kept with its decision.
pub struct Side {
    pub number: i64,
    pub items: BTreeMap<String, String>,
    pub snapshot: Snapshot,
    pub at_decision: bool,
}

#[derive(Debug, Serialize)]
pub struct Change<T> {
    pub before: T,
    pub after: T,
}

#[derive(Debug, Serialize)]
pub struct ItemChange {
    pub item: String,
    /// The status label, or null where the item is not in that review.
    pub before: Option<String>,
    pub after: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct ClauseChange {
    pub id: i64,
    pub kind: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// What changed between two cycles.
#[derive(Debug, Serialize)]
pub struct CycleDiff {
    pub vendor: String,
    pub from: i64,
    pub to: i64,
    /// Whether each side's flags, clauses and subprocessors are as kept at
    /// its decision (true) or as they stand today (false).
    pub from_at_decision: bool,
    pub to_at_decision: bool,
    pub items: Vec<ItemChange>,
    pub flags_added: Vec<FlagRef>,
    pub flags_removed: Vec<FlagRef>,
    /// Flags raised on both sides whose severity or waiver changed (a
    /// waiver lapsed or given, high become critical).
    pub flags_changed: Vec<Change<FlagRef>>,
    pub clauses: Vec<ClauseChange>,
    pub subprocessors_added: Vec<SubprocessorRef>,
    pub subprocessors_removed: Vec<SubprocessorRef>,
    pub subprocessors_moved: Vec<Change<SubprocessorRef>>,
    pub compliance: Change<Option<f64>>,
    pub rating: Change<String>,
    /// Evidence recorded between the two cycles: after the earlier one's
    /// decision (else the later one's start), up to the later one's decision
    /// (else now).
    pub evidence_added: Vec<AddedRecord>,
    /// Questions asked in the same span, with where each stands now.
    pub questions_added: Vec<AddedRecord>,
}

/// A record added between two cycles.
#[derive(Debug, Serialize)]
pub struct AddedRecord {
    pub id: i64,
    /// When its audit event recorded it.
    pub at: String,
    /// What it is, in words: the evidence's kind and name, or the
    /// question's item, text and status.
    pub what: String,
}

/// Compares two sides.
pub fn diff(vendor: &str, from: Side, to: Side) -> CycleDiff {
    let mut items = Vec::new();
    let keys: std::collections::BTreeSet<&String> =
        from.items.keys().chain(to.items.keys()).collect();
    for key in keys {
        let (before, after) = (from.items.get(key), to.items.get(key));
        if before != after {
            items.push(ItemChange {
                item: key.clone(),
                before: before.cloned(),
                after: after.cloned(),
            });
        }
    }
    let flag_key = |f: &FlagRef| (f.rule.clone(), f.clause);
    let has = |list: &[FlagRef], f: &FlagRef| list.iter().any(|g| flag_key(g) == flag_key(f));
    let (a, b) = (&from.snapshot, &to.snapshot);
    let flags_added = b
        .flags
        .iter()
        .filter(|f| !has(&a.flags, f))
        .cloned()
        .collect();
    let flags_removed = a
        .flags
        .iter()
        .filter(|f| !has(&b.flags, f))
        .cloned()
        .collect();
    let flags_changed = b
        .flags
        .iter()
        .filter_map(|after| {
            let before = a.flags.iter().find(|g| flag_key(g) == flag_key(after))?;
            (before.severity != after.severity || before.waived != after.waived).then(|| Change {
                before: before.clone(),
                after: after.clone(),
            })
        })
        .collect();
    let mut clauses = Vec::new();
    let ids: std::collections::BTreeSet<i64> =
        a.clauses.iter().chain(&b.clauses).map(|c| c.id).collect();
    for id in ids {
        let (old, new) = (
            a.clauses.iter().find(|c| c.id == id),
            b.clauses.iter().find(|c| c.id == id),
        );
        if old.map(|c| &c.terms) != new.map(|c| &c.terms) {
            clauses.push(ClauseChange {
                id,
                kind: old.or(new).map(|c| c.kind.clone()).unwrap_or_default(),
                before: old.map(|c| c.terms.clone()),
                after: new.map(|c| c.terms.clone()),
            });
        }
    }
    let find = |list: &[SubprocessorRef], name: &str| {
        list.iter()
            .find(|s| s.name.eq_ignore_ascii_case(name))
            .cloned()
    };
    let subprocessors_added = b
        .subprocessors
        .iter()
        .filter(|s| find(&a.subprocessors, &s.name).is_none())
        .cloned()
        .collect();
    let subprocessors_removed = a
        .subprocessors
        .iter()
        .filter(|s| find(&b.subprocessors, &s.name).is_none())
        .cloned()
        .collect();
    let subprocessors_moved = a
        .subprocessors
        .iter()
        .filter_map(|s| {
            let after = find(&b.subprocessors, &s.name)?;
            (after.location != s.location || after.purpose != s.purpose).then(|| Change {
                before: s.clone(),
                after,
            })
        })
        .collect();
    CycleDiff {
        vendor: vendor.to_string(),
        from: from.number,
        to: to.number,
        from_at_decision: from.at_decision,
        to_at_decision: to.at_decision,
        items,
        flags_added,
        flags_removed,
        flags_changed,
        clauses,
        subprocessors_added,
        subprocessors_removed,
        subprocessors_moved,
        compliance: Change {
            before: a.compliance,
            after: b.compliance,
        },
        rating: Change {
            before: a.rating.clone(),
            after: b.rating.clone(),
        },
        evidence_added: Vec::new(),
        questions_added: Vec::new(),
    }
}

/// The events that bound what was added between two cycles: after the
/// earlier review's decision (else the later review's start) and up to the
/// later review's decision (None: up to now).
pub fn span_between(
    store: &Store,
    vendor: &Vendor,
    from: &Review,
    to: &Review,
) -> Result<(i64, Option<i64>)> {
    let decisions = store::signoff::decisions(store.conn(), Some(vendor.id))?;
    let decided = |r: &Review| {
        decisions
            .iter()
            .rev()
            .find(|d| d.review_id == r.id)
            .map(|d| d.event_id)
    };
    let after = match decided(from) {
        Some(event) => event,
        None => store::audit::event_for(store.conn(), "review start", to.id)?.unwrap_or(0),
    };
    Ok((after, decided(to)))
}

/// Evidence and questions of `vendor` recorded in the span, as they stand.
pub fn added_between(
    store: &Store,
    vendor: &Vendor,
    (after, upto): (i64, Option<i64>),
    today: NaiveDate,
) -> Result<(Vec<AddedRecord>, Vec<AddedRecord>)> {
    let conn = store.conn();
    let mut evidence = Vec::new();
    for (id, at) in store::audit::created_between(conn, vendor.id, "evidence add", after, upto)? {
        let e = store::evidence::by_id(conn, id)?;
        evidence.push(AddedRecord {
            id,
            at,
            what: format!("{} {}", e.kind, e.name()),
        });
    }
    let mut questions = Vec::new();
    for (id, at) in store::audit::created_between(conn, vendor.id, "question add", after, upto)? {
        let q = store::question::by_id(conn, id, &today.to_string())?;
        questions.push(AddedRecord {
            id,
            at,
            what: format!("{}: {} ({})", q.item, q.text, q.status),
        });
    }
    Ok((evidence, questions))
}
