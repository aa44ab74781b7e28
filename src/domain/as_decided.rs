//! Records as they stood at a past moment: the moment a review was decided
//! (`export --as-decided`), any moment (`--as-of`), and verify's check that
//! a decision's stored snapshot agrees with the records rebuilt as of its
//! decision. The rebuilding is the store's (src/store/as_of.rs); this says
//! which moment, and what a decision there means.

use super::cycle::Snapshot;
use super::integrity::Problem;
use crate::error::{Error, Result};
use crate::model::Vendor;
use crate::profile::Profile;
use crate::store::{self, as_of, Store};
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use serde::Serialize;

/// The decision a packet is rendered as of: packet.json's `as_decided`.
#[derive(Debug, Clone, Serialize)]
pub struct AsDecided {
    /// The review's per-vendor number.
    pub review: i64,
    /// approve | conditional | reject.
    pub decision: String,
    pub decided_by: String,
    pub decided_at: String,
    /// The audit event that recorded the decision: the records are as they
    /// stood right after it.
    pub event: i64,
}

/// The newest decision of `vendor`'s review number `review` (of any of its
/// reviews when None).
pub fn last_decision(store: &Store, vendor: &Vendor, review: Option<i64>) -> Result<AsDecided> {
    if let Some(n) = review {
        crate::domain::review_numbered(store, vendor, n)?;
    }
    let decisions = store::signoff::decisions(store.conn(), Some(vendor.id))?;
    let found = decisions
        .iter()
        .rev()
        .find(|d| review.is_none_or(|n| d.review_number == n));
    let Some(d) = found else {
        let what = match review {
            Some(n) => format!("review #{n} of '{}' has not been decided", vendor.slug),
            None => format!("'{}' has no decided review", vendor.slug),
        };
        return Err(Error::user(what).with_hint(format!(
            "a packet as decided needs a decision: see `vetter review list {}`; export the records as they stand without --as-decided",
            vendor.slug
        )));
    };
    Ok(AsDecided {
        review: d.review_number,
        decision: d.step.decision.clone().unwrap_or_default(),
        decided_by: d.step.actor.clone(),
        decided_at: d.step.at.clone(),
        event: d.event_id,
    })
}

/// The UTC day of an event time (RFC 3339, as events are stamped): the day
/// a decision's packet speaks for.
pub fn day_of(at: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(crate::output::day(at), "%Y-%m-%d")
        .map_err(|e| Error::internal(format!("event time {at}: {e}")))
}

/// A moment typed on the command line: a date (its end, 23:59:59 UTC) or
/// an RFC 3339 time; with the date the packet speaks for.
pub struct Moment {
    /// As typed.
    pub typed: String,
    /// RFC 3339 in UTC with seconds, as events are stamped.
    pub at: String,
    pub day: NaiveDate,
}

impl Moment {
    /// The moment `text` names, refused when it is on a day after `today`.
    pub fn past(flag: &str, text: &str, today: NaiveDate) -> Result<Moment> {
        let moment = Moment::parse(flag, text)?;
        moment.not_future(today)?;
        Ok(moment)
    }

    fn parse(flag: &str, text: &str) -> Result<Moment> {
        if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            return Ok(Moment {
                typed: text.to_string(),
                at: format!("{day}T23:59:59Z"),
                day,
            });
        }
        let time = DateTime::parse_from_rfc3339(text).map_err(|_| {
            Error::user(format!("{flag} '{text}' is neither a date nor a time")).with_hint(format!(
                "pass a date, e.g. {flag} 2026-11-26, or a time, e.g. {flag} 2026-11-26T14:30:00Z"
            ))
        })?;
        let utc = time.with_timezone(&Utc);
        Ok(Moment {
            typed: text.to_string(),
            at: utc.to_rfc3339_opts(SecondsFormat::Secs, true),
            day: utc.date_naive(),
        })
    }

    /// Refuses a moment on a day that has not come.
    fn not_future(&self, today: NaiveDate) -> Result<()> {
        if self.day > today {
            return Err(Error::user(format!(
                "the as-of date {} is in the future (today is {today})",
                self.day
            ))
            .with_hint("no record can be read as of a day that has not come; pass --as-of today or earlier"));
        }
        Ok(())
    }

    /// The newest event at or before the moment; refused before the
    /// register's first event.
    pub fn event(&self, store: &Store, flag: &str) -> Result<i64> {
        match as_of::event_at(store.conn(), &self.at)? {
            Some((id, _)) => Ok(id),
            None => {
                let first = as_of::first_event(store.conn())?;
                Err(Error::user(match &first {
                    Some((_, at)) => format!(
                        "{flag} {} is before the register's first event ({at})",
                        self.typed
                    ),
                    None => "the register has no events yet".to_string(),
                })
                .with_hint("nothing was recorded then; pass a later moment"))
            }
        }
    }
}

/// One vendor's records as they stood right after event `event`: a scratch
/// register holding them, the vendor's fields and the profile then.
pub struct Then {
    pub store: Store,
    pub vendor: Vendor,
    pub profile: Profile,
}

pub fn vendor_then(store: &Store, vendor: &Vendor, event: i64) -> Result<Then> {
    let scratch = as_of::rewind(store, as_of::Vendors::These(&[vendor.id]), event)?;
    let then = store::vendor::by_id(scratch.conn(), vendor.id)?.ok_or_else(|| {
        Error::user(format!(
            "'{}' was not yet recorded as of audit event #{event}",
            vendor.slug
        ))
        .with_hint(format!(
            "see when it was added with `vetter log {}`; pass a later moment",
            vendor.slug
        ))
    })?;
    let profile = crate::profile::load(&scratch)?;
    Ok(Then {
        store: scratch,
        vendor: then,
        profile,
    })
}

/// What verify's decision check found.
#[derive(Debug, Default, Serialize)]
pub struct SnapshotCheck {
    /// Decisions whose snapshot was held against the records rebuilt as of
    /// the decision.
    pub decisions: usize,
    /// Of those, the ones judged by other rules (another binary, or taken
    /// before decisions recorded their rules): their clause terms and
    /// subprocessors are compared, not their flags and score.
    pub other_rules: usize,
}

/// Holds every decision's stored snapshot against the records as they stood
/// at its decision. One of the two is wrong where they disagree: a record
/// changed outside vetter (the replay check says which), or a snapshot that
/// was not what the approver saw.
pub fn check_snapshots(store: &Store, problems: &mut Vec<Problem>) -> Result<SnapshotCheck> {
    let mut check = SnapshotCheck::default();
    let rules_now = crate::rules::version();
    for d in store::signoff::decisions(store.conn(), None)? {
        let Some(text) = d.step.snapshot.as_deref() else {
            continue;
        };
        let place = format!(
            "decision of review #{} (audit event #{})",
            d.review_number, d.event_id
        );
        let stored: Snapshot = match serde_json::from_str(text) {
            Ok(s) => s,
            Err(e) => {
                problems.push(Problem::new(
                    "decisions",
                    place,
                    format!("its snapshot cannot be read: {e}"),
                ));
                continue;
            }
        };
        let Some(vendor) = store::vendor::by_id(store.conn(), d.vendor_id)? else {
            continue;
        };
        let place = format!("'{}' {place}", vendor.slug);
        // The snapshot is taken inside the decide command, before its event:
        // the records the approver decided on. (A rule that reads the
        // decision itself, as contract.renews-without-review reads the next
        // review date it sets, can read otherwise right after it.)
        let then = vendor_then(store, &vendor, d.event_id - 1)?;
        let Some(review) = store::review::by_id(then.store.conn(), d.review_id)? else {
            problems.push(Problem::new(
                "decisions",
                place,
                "the review is missing from the records as of its decision",
            ));
            continue;
        };
        let day = day_of(&d.step.at)?;
        let rebuilt = Snapshot::take(&then.store, &then.profile, &then.vendor, &review, day)?;
        check.decisions += 1;
        let same_rules = stored.rules.as_ref() == Some(&rules_now);
        if !same_rules {
            check.other_rules += 1;
        }
        for what in disagreements(&stored, &rebuilt, same_rules) {
            problems.push(Problem::new("decisions", place.clone(), what));
        }
    }
    Ok(check)
}

/// Where a stored snapshot and the rebuilt one differ, in words.
fn disagreements(stored: &Snapshot, rebuilt: &Snapshot, flags_too: bool) -> Vec<String> {
    let mut out = Vec::new();
    let differ = |what: &str, a: String, b: String, out: &mut Vec<String>| {
        if a != b {
            out.push(format!(
                "{what}: the snapshot says {a}; the records as of the decision give {b}"
            ));
        }
    };
    if flags_too {
        differ(
            "rating",
            stored.rating.clone(),
            rebuilt.rating.clone(),
            &mut out,
        );
        // Floating-point sums may differ in the last bits with the order
        // they were added in: compared to a millionth.
        let score = |s: &Snapshot| {
            format!(
                "{} ({:.6} of {:.6})",
                s.compliance
                    .map_or("none".to_string(), |c| format!("{c:.6}")),
                s.earned,
                s.possible
            )
        };
        differ("score", score(stored), score(rebuilt), &mut out);
        listed("flag", &stored.flags, &rebuilt.flags, &mut out);
    }
    listed("clause", &stored.clauses, &rebuilt.clauses, &mut out);
    listed(
        "subprocessor",
        &stored.subprocessors,
        &rebuilt.subprocessors,
        &mut out,
    );
    out
}

/// The entries only one list has, each named with its JSON.
fn listed<T: Serialize + PartialEq>(
    what: &str,
    stored: &[T],
    rebuilt: &[T],
    out: &mut Vec<String>,
) {
    let json = |v: &T| serde_json::to_string(v).unwrap_or_default();
    for s in stored.iter().filter(|s| !rebuilt.contains(s)) {
        out.push(format!(
            "{what} in the snapshot but not in the records as of the decision: {}",
            json(s)
        ));
    }
    for r in rebuilt.iter().filter(|r| !stored.contains(r)) {
        out.push(format!(
            "{what} in the records as of the decision but not in the snapshot: {}",
            json(r)
        ));
    }
}
