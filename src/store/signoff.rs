//! SQL for the four-eyes sign-off history of reviews (append-only).

use super::sql::{params, Db, Row, Tx};
use crate::error::Result;
use serde::Serialize;

/// One sign-off step: a submission, a reopening or a decision.
#[derive(Debug, Clone, Serialize)]
pub struct Signoff {
    pub id: i64,
    #[serde(skip)]
    pub review_id: i64,
    pub action: String,
    pub at: String,
    pub actor: String,
    pub note: Option<String>,
    pub decision: Option<String>,
    pub conditions: Option<String>,
    pub override_reason: Option<String>,
    pub next_review: Option<String>,
    #[serde(skip)]
    pub snapshot: Option<String>,
}

/// A sign-off step to record.
#[derive(Clone)]
pub struct NewSignoff<'a> {
    pub review_id: i64,
    pub action: &'a str,
    pub at: &'a str,
    pub actor: &'a str,
    pub note: Option<&'a str>,
    pub decision: Option<&'a str>,
    pub conditions: Option<&'a str>,
    pub override_reason: Option<&'a str>,
    pub next_review: Option<&'a str>,
    pub snapshot: Option<String>,
    pub event_id: i64,
}

impl<'a> NewSignoff<'a> {
    /// A step with no note, decision or snapshot; set what applies.
    pub fn new(review_id: i64, action: &'a str, at: &'a str, actor: &'a str) -> Self {
        NewSignoff {
            review_id,
            action,
            at,
            actor,
            note: None,
            decision: None,
            conditions: None,
            override_reason: None,
            next_review: None,
            snapshot: None,
            event_id: 0,
        }
    }
}

const COLUMNS: &str = "id, review_id, action, at, actor, note, decision, conditions, override_reason, next_review, snapshot";

fn from_row(r: &Row) -> Result<Signoff> {
    from_row_at(r, 0)
}

/// A sign-off from the columns of `COLUMNS` starting at column `at`.
fn from_row_at(r: &Row, at: usize) -> Result<Signoff> {
    Ok(Signoff {
        id: r.get(at)?,
        review_id: r.get(at + 1)?,
        action: r.get(at + 2)?,
        at: r.get(at + 3)?,
        actor: r.get(at + 4)?,
        note: r.get(at + 5)?,
        decision: r.get(at + 6)?,
        conditions: r.get(at + 7)?,
        override_reason: r.get(at + 8)?,
        next_review: r.get(at + 9)?,
        snapshot: r.get(at + 10)?,
    })
}

pub fn insert(tx: &Tx, s: &NewSignoff) -> Result<i64> {
    tx.insert(
        "INSERT INTO review_signoff (review_id, action, at, actor, note, decision, conditions, override_reason,
                                     next_review, snapshot, event_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            s.review_id, s.action, s.at, s.actor, s.note, s.decision, s.conditions, s.override_reason,
            s.next_review, s.snapshot, s.event_id
        ],
    )
}

/// A review's sign-off steps, oldest first.
pub fn for_review(conn: &Db, review_id: i64) -> Result<Vec<Signoff>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM review_signoff WHERE review_id = ?1 ORDER BY id"
    ))?;
    let rows = stmt.query_map([review_id], from_row)?;
    rows.collect::<Result<_>>()
}

/// Active vendors whose newest review is decided, with that review's number
/// and decision step: the vendors waiting for their next cycle (`due`).
pub fn awaiting_next_cycle(conn: &Db) -> Result<Vec<(String, i64, Signoff)>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT v.slug, r.number, {} FROM review_signoff s
         JOIN review r ON r.id = s.review_id
         JOIN vendor v ON v.id = r.vendor_id AND v.archived_at IS NULL
         WHERE s.id = (SELECT max(s2.id) FROM review_signoff s2 WHERE s2.review_id = r.id)
           AND s.action = 'decide'
           AND r.id = (SELECT max(r2.id) FROM review r2 WHERE r2.vendor_id = r.vendor_id)
         ORDER BY v.slug",
        COLUMNS
            .split(", ")
            .map(|c| format!("s.{c}"))
            .collect::<Vec<_>>()
            .join(", ")
    ))?;
    // The sign-off's columns follow the slug and the number.
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, from_row_at(r, 2)?)))?;
    rows.collect::<Result<_>>()
}

/// A decision step with where it sits: the vendor and review it decided
/// and the audit event that recorded it (the moment "as decided" reads).
#[derive(Debug, Clone)]
pub struct Decision {
    pub vendor_id: i64,
    pub review_id: i64,
    pub review_number: i64,
    pub event_id: i64,
    pub step: Signoff,
}

/// Every decision of `vendor_id` (of every vendor when None), oldest first.
pub fn decisions(conn: &Db, vendor_id: Option<i64>) -> Result<Vec<Decision>> {
    let cols: Vec<String> = COLUMNS.split(", ").map(|c| format!("s.{c}")).collect();
    conn.query_map(
        &format!(
            "SELECT r.vendor_id, r.number, s.event_id, {} FROM review_signoff s
             JOIN review r ON r.id = s.review_id
             WHERE s.action = 'decide' AND (CAST(?1 AS BIGINT) IS NULL OR r.vendor_id = CAST(?1 AS BIGINT))
             ORDER BY s.id",
            cols.join(", ")
        ),
        params![vendor_id],
        |r| {
            let step = from_row_at(r, 3)?;
            Ok(Decision {
                vendor_id: r.get(0)?,
                review_id: step.review_id,
                review_number: r.get(1)?,
                event_id: r.get(2)?,
                step,
            })
        },
    )
}
