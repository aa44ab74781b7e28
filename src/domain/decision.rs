//! Where a review stands in its four-eyes sign-off, the decision it ended in,
//! and when the vendor is due again. The stage is derived from the
//! append-only sign-off history: the newest step decides it.

use crate::model::{Review, Tier};
use crate::profile::Profile;
use crate::store::signoff::Signoff;
use chrono::NaiveDate;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stage {
    /// Findings are being recorded.
    Open,
    /// The preparer says it is ready; waiting for an approver.
    Submitted,
    /// An approver decided it.
    Decided,
    /// Replaced by a newer cycle before it was decided.
    Superseded,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Open => "open",
            Stage::Submitted => "submitted",
            Stage::Decided => "decided",
            Stage::Superseded => "superseded",
        }
    }
}

impl std::fmt::Display for Stage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The stage of `review` given its sign-off steps (oldest first). A review
/// set aside by `review start --supersede` is superseded even when it had
/// been submitted: it will never be decided.
pub fn stage(review: &Review, signoffs: &[Signoff]) -> Stage {
    match signoffs.last().map(|s| s.action.as_str()) {
        Some("decide") => Stage::Decided,
        _ if review.state == "superseded" => Stage::Superseded,
        Some("submit") => Stage::Submitted,
        _ => Stage::Open,
    }
}

/// A review's outcome as everything that shows it (status, packet, compare)
/// reads it.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    pub stage: Stage,
    pub submitted_by: Option<String>,
    pub submitted_at: Option<String>,
    /// approve | conditional | reject, once decided.
    pub decision: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    pub note: Option<String>,
    pub conditions: Option<String>,
    /// Why it was approved while a critical red flag was open.
    pub override_reason: Option<String>,
    pub next_review: Option<String>,
    /// The rating and compliance the decision was taken on (its snapshot):
    /// today's records may rate the review otherwise, and a reader of a
    /// decided review must see what the approver saw.
    pub decided_rating: Option<String>,
    pub decided_compliance: Option<f64>,
    /// Every submission, reopening and decision, oldest first.
    pub history: Vec<Signoff>,
}

impl Outcome {
    pub fn of(review: &Review, history: Vec<Signoff>) -> Outcome {
        let stage = stage(review, &history);
        let submit = history.iter().rev().find(|s| s.action == "submit");
        let decide = history.last().filter(|s| s.action == "decide");
        let snapshot: Option<serde_json::Value> = decide
            .and_then(|d| d.snapshot.as_deref())
            .and_then(|s| serde_json::from_str(s).ok());
        let taken_on = |key: &str| snapshot.as_ref().and_then(|s| s.get(key).cloned());
        Outcome {
            stage,
            submitted_by: submit.map(|s| s.actor.clone()),
            submitted_at: submit.map(|s| s.at.clone()),
            decision: decide.and_then(|d| d.decision.clone()),
            decided_by: decide.map(|d| d.actor.clone()),
            decided_at: decide.map(|d| d.at.clone()),
            note: decide.and_then(|d| d.note.clone()),
            conditions: decide.and_then(|d| d.conditions.clone()),
            override_reason: decide.and_then(|d| d.override_reason.clone()),
            next_review: decide.and_then(|d| d.next_review.clone()),
            decided_rating: taken_on("rating").and_then(|r| r.as_str().map(String::from)),
            decided_compliance: taken_on("compliance").and_then(|c| c.as_f64()),
            history,
        }
    }

    /// The outcome of `review` as its stored sign-off history makes it.
    pub fn load(conn: &crate::store::sql::Db, review: &Review) -> crate::error::Result<Outcome> {
        Ok(Outcome::of(
            review,
            crate::store::signoff::for_review(conn, review.id)?,
        ))
    }

    /// One line for covers and tables, e.g. "approve (bob, 2026-11-26)",
    /// "pending: submitted by alice, awaiting a decision".
    pub fn summary(&self) -> String {
        match (&self.decision, self.stage) {
            (Some(d), _) => {
                let mut text = format!(
                    "{d} by {} on {}",
                    self.decided_by.as_deref().unwrap_or("?"),
                    self.decided_at.as_deref().map_or("?", crate::output::day)
                );
                if let Some(rating) = &self.decided_rating {
                    let compliance = self
                        .decided_compliance
                        .map_or("no score".into(), crate::domain::score::percent);
                    text.push_str(&format!(", on a {rating} rating ({compliance})"));
                }
                if let Some(c) = &self.conditions {
                    text.push_str(&format!("; conditions: {c}"));
                }
                if let Some(o) = &self.override_reason {
                    text.push_str(&format!("; OVERRIDE of an open critical red flag: {o}"));
                }
                text
            }
            (None, Stage::Submitted) => format!(
                "pending: submitted by {} on {}, awaiting a decision",
                self.submitted_by.as_deref().unwrap_or("?"),
                self.submitted_at.as_deref().map_or("?", crate::output::day)
            ),
            (None, Stage::Superseded) => "no decision (superseded by a newer cycle)".into(),
            (None, _) => "pending: review open, not yet submitted".into(),
        }
    }
}

/// Months until the next review, by the vendor's tier (no tier: medium).
pub fn review_interval_months(profile: &Profile, tier: Option<Tier>) -> u32 {
    match tier {
        Some(Tier::Critical) => profile.review_months_critical,
        Some(Tier::High) => profile.review_months_high,
        Some(Tier::Low) => profile.review_months_low,
        Some(Tier::Medium) | None => profile.review_months_medium,
    }
}

/// The date a vendor decided on `decided` is due for review again.
pub fn next_review_date(profile: &Profile, tier: Option<Tier>, decided: NaiveDate) -> NaiveDate {
    let months = review_interval_months(profile, tier);
    decided
        .checked_add_months(chrono::Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

/// A review with where it stands: what `review list` and `vendor show` print.
#[derive(Debug, Clone, Serialize)]
pub struct Cycle {
    #[serde(flatten)]
    pub review: Review,
    pub outcome: Outcome,
}

/// Every review of a vendor, oldest first, with its outcome.
pub fn cycles(store: &crate::store::Store, vendor_id: i64) -> crate::error::Result<Vec<Cycle>> {
    crate::store::review::list_for_vendor(store.conn(), vendor_id)?
        .into_iter()
        .map(|review| {
            Ok(Cycle {
                outcome: Outcome::load(store.conn(), &review)?,
                review,
            })
        })
        .collect()
}
