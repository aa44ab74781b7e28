//! SQL for red-flag waivers.

use super::sql::{params, Db, Row, Tx};
use crate::error::Result;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Waiver {
    pub id: i64,
    pub rule: String,
    pub reason: String,
    pub until: Option<String>,
    pub created_at: String,
    pub created_by: String,
    /// Given before the rule was raised for the vendor (`--pre-emptive`).
    pub pre_emptive: bool,
    /// The most serious severity it covers: the rule's flags' when it was
    /// given. None for waivers from before schema 8 (any severity).
    pub severity: Option<String>,
}

pub fn insert(tx: &Tx, vendor_id: i64, w: &Waiver) -> Result<i64> {
    tx.insert(
        "INSERT INTO waiver (vendor_id, rule, reason, until, created_at, created_by, pre_emptive, severity)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            vendor_id,
            w.rule,
            w.reason,
            w.until,
            w.created_at,
            w.created_by,
            w.pre_emptive,
            w.severity
        ],
    )
}

/// The newest waiver of each rule for a vendor.
pub fn newest_for_vendor(conn: &Db, vendor_id: i64) -> Result<Vec<Waiver>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, rule, reason, until, created_at, created_by, pre_emptive, severity FROM waiver w
         WHERE vendor_id = ?1 AND id = (SELECT max(id) FROM waiver WHERE vendor_id = w.vendor_id AND rule = w.rule)
         ORDER BY rule",
    )?;
    let rows = stmt.query_map(params![vendor_id], |r| from_row_at(r, 0))?;
    rows.collect::<Result<_>>()
}

/// A waiver from its columns (id, rule, reason, until, created_at,
/// created_by, pre_emptive, severity) starting at column `at`.
fn from_row_at(r: &Row, at: usize) -> Result<Waiver> {
    Ok(Waiver {
        id: r.get(at)?,
        rule: r.get(at + 1)?,
        reason: r.get(at + 2)?,
        until: r.get(at + 3)?,
        created_at: r.get(at + 4)?,
        created_by: r.get(at + 5)?,
        pre_emptive: r.get(at + 6)?,
        severity: r.get(at + 7)?,
    })
}

impl Waiver {
    /// "WAIVED by alice on 2026-11-26 until 2027-06-30: reason", as flags
    /// print it.
    pub fn describe(&self) -> String {
        format!(
            "WAIVED{} by {} on {}{}: {}",
            if self.pre_emptive {
                " pre-emptively"
            } else {
                ""
            },
            self.created_by,
            crate::output::day(&self.created_at),
            self.until
                .as_ref()
                .map(|u| format!(" until {u}"))
                .unwrap_or_default(),
            self.reason
        )
    }

    /// For a flag this waiver does not cover, being more serious than the
    /// severity it was given at: "not waived: waiver #3 by alice on
    /// 2026-11-26 accepted it at high".
    pub fn describe_outgrown(&self) -> String {
        format!(
            "NOT WAIVED at this severity: waiver #{} by {} on {} accepted it at {}",
            self.id,
            self.created_by,
            crate::output::day(&self.created_at),
            self.severity.as_deref().unwrap_or("any severity")
        )
    }
}

/// Waivers in force that lapse between `today` and `date` (inclusive): the
/// newest of each active vendor and rule, with the vendor's slug.
pub fn lapsing(conn: &Db, today: &str, date: &str) -> Result<Vec<(String, Waiver)>> {
    let mut stmt = conn.prepare(
        "SELECT v.slug, w.id, w.rule, w.reason, w.until, w.created_at, w.created_by, w.pre_emptive, w.severity
         FROM waiver w JOIN vendor v ON v.id = w.vendor_id AND v.archived_at IS NULL
         WHERE w.until IS NOT NULL AND w.until >= ?1 AND w.until <= ?2
           AND w.id = (SELECT max(id) FROM waiver WHERE vendor_id = w.vendor_id AND rule = w.rule)
         ORDER BY w.until, w.id",
    )?;
    let rows = stmt.query_map(params![today, date], |r| {
        Ok((r.get(0)?, from_row_at(r, 1)?))
    })?;
    rows.collect::<Result<_>>()
}
