//! SQL for contracts and their ends.

use super::sql::{params, Db, Row, Tx};
use crate::domain::contract::{Contract, Ended};
use crate::error::Result;

/// Records a contract; returns its id.
pub fn insert(tx: &Tx, vendor_id: i64, c: &Contract) -> Result<i64> {
    tx.insert(
        "INSERT INTO contract (vendor_id, start, end_date, auto_renew, renewal_months, notice_days,
            notice_business_days, termination_for_convenience, reference, section, quote,
            evidence_id, created_at, created_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        params![
            vendor_id,
            c.start,
            c.end,
            c.auto_renew,
            c.renewal_months.map(i64::from),
            c.notice_days.map(i64::from),
            c.notice_business_days,
            c.termination_for_convenience,
            c.reference,
            c.section,
            c.quote,
            c.evidence,
            c.created_at,
            c.created_by
        ],
    )
}

/// Records that a contract ended.
pub fn end(tx: &Tx, contract_id: i64, e: &Ended) -> Result<()> {
    tx.execute(
        "INSERT INTO contract_end (contract_id, ended_on, reason, ended_at, ended_by)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![contract_id, e.on, e.reason, e.at, e.by],
    )?;
    Ok(())
}

const SELECT: &str = "SELECT c.id, v.slug, c.start, c.end_date, c.auto_renew, c.renewal_months,
        c.notice_days, c.notice_business_days, c.termination_for_convenience, c.reference,
        c.section, c.quote, c.evidence_id, c.created_at, c.created_by,
        e.ended_on, e.reason, e.ended_at, e.ended_by, c.vendor_id
    FROM contract c
    JOIN vendor v ON v.id = c.vendor_id
    LEFT JOIN contract_end e ON e.contract_id = c.id";

fn from_row(r: &Row) -> Result<(i64, Contract)> {
    let ended = match r.get::<Option<String>>(15)? {
        Some(on) => Some(Ended {
            on,
            reason: r.get(16)?,
            at: r.get(17)?,
            by: r.get(18)?,
        }),
        None => None,
    };
    Ok((
        r.get(19)?,
        Contract {
            id: r.get(0)?,
            vendor: r.get(1)?,
            start: r.get(2)?,
            end: r.get(3)?,
            auto_renew: r.get(4)?,
            renewal_months: r.get::<Option<i64>>(5)?.map(|m| m as u32),
            notice_days: r.get::<Option<i64>>(6)?.map(|d| d as u32),
            notice_business_days: r.get(7)?,
            termination_for_convenience: r.get(8)?,
            reference: r.get(9)?,
            section: r.get(10)?,
            quote: r.get(11)?,
            evidence: r.get(12)?,
            created_at: r.get(13)?,
            created_by: r.get(14)?,
            ended,
        },
    ))
}

/// A vendor's contracts, oldest first.
pub fn for_vendor(conn: &Db, vendor_id: i64) -> Result<Vec<Contract>> {
    let mut stmt =
        conn.prepare_cached(&format!("{SELECT} WHERE c.vendor_id = ?1 ORDER BY c.id"))?;
    let rows = stmt.query_map(params![vendor_id], |r| from_row(r).map(|(_, c)| c))?;
    rows.collect()
}

/// Every contract with its vendor's id, in id order (the calendar, replay).
pub fn all(conn: &Db) -> Result<Vec<(i64, Contract)>> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} ORDER BY c.id"))?;
    let rows = stmt.query_map([], from_row)?;
    rows.collect()
}

/// One contract of a vendor, by id.
pub fn get(conn: &Db, vendor_id: i64, id: i64) -> Result<Option<Contract>> {
    let mut stmt =
        conn.prepare_cached(&format!("{SELECT} WHERE c.vendor_id = ?1 AND c.id = ?2"))?;
    let mut rows = stmt.query_map(params![vendor_id, id], |r| from_row(r).map(|(_, c)| c))?;
    rows.next().transpose()
}
