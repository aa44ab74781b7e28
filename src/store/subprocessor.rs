//! SQL for subprocessor observations.

use super::sql::{params, Db, Tx};
use crate::error::Result;
use crate::model::Subprocessor;

pub struct Observation {
    pub sub: Subprocessor,
    /// "snapshot" rows of one date form the vendor's complete list on that date.
    pub snapshot: bool,
}

pub fn insert(
    tx: &Tx,
    vendor_id: i64,
    s: &Subprocessor,
    snapshot: bool,
    at: &str,
    by: &str,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO subprocessor (vendor_id, name, purpose, location, seen, origin, recorded_at, recorded_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        vendor_id,
        s.name,
        s.purpose,
        s.location,
        s.seen,
        if snapshot { "snapshot" } else { "add" },
        at,
        by
    ])?;
    Ok(())
}

/// Every observation of a vendor, oldest date first, in recording order.
pub fn observations(conn: &Db, vendor_id: i64) -> Result<Vec<Observation>> {
    let mut stmt = conn.prepare_cached(
        "SELECT name, purpose, location, seen, origin FROM subprocessor WHERE vendor_id = ?1 ORDER BY seen, id",
    )?;
    let rows = stmt.query_map([vendor_id], |r| {
        let origin: String = r.get(4)?;
        Ok(Observation {
            sub: Subprocessor {
                name: r.get(0)?,
                purpose: r.get(1)?,
                location: r.get(2)?,
                seen: r.get(3)?,
            },
            snapshot: origin == "snapshot",
        })
    })?;
    rows.collect::<Result<_>>()
}

/// Subprocessors added to vendors' lists after each vendor's first
/// observation: (vendor id, name, the day it was first seen), in one query.
pub fn additions(conn: &Db) -> Result<Vec<(i64, String, String)>> {
    let mut stmt = conn.prepare(
        "SELECT s.vendor_id, min(s.name), min(s.seen) FROM subprocessor s
         GROUP BY s.vendor_id, lower(s.name)
         HAVING min(s.seen) > (SELECT min(f.seen) FROM subprocessor f WHERE f.vendor_id = s.vendor_id)
         ORDER BY s.vendor_id, min(s.seen), min(s.name)",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    rows.collect::<Result<_>>()
}
