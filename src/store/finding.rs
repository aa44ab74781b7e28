//! SQL for findings. Findings are append-only (enforced by triggers).

use crate::error::Result;
use crate::model::{Finding, NewFinding};
use rusqlite::{params, Connection, Transaction};

/// The id the next finding will get. Findings are never deleted, so ids only grow.
pub fn next_id(tx: &Transaction) -> Result<i64> {
    Ok(
        tx.query_row("SELECT coalesce(max(id), 0) + 1 FROM finding", [], |r| {
            r.get(0)
        })?,
    )
}

/// Appends finding `id` (from `next_id`), linked to the audit event that records it.
pub fn insert(
    tx: &Transaction,
    id: i64,
    f: &NewFinding,
    at: &str,
    by: &str,
    event_id: i64,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO finding (id, review_item_id, status, source, note, url, owner, recorded_at, recorded_by, event_id,
                              evidence_id, evidence_page)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(params![id, f.review_item_id, f.status, f.source, f.note, f.url, f.owner, at, by, event_id, f.evidence, f.page])?;
    Ok(())
}

const SELECT: &str = "SELECT f.id, rv.number, ri.item_id, f.status, f.source, f.note, f.url, f.owner, f.recorded_at, f.recorded_by,
                f.evidence_id, f.evidence_page, f.carried_from
         FROM finding f JOIN review_item ri ON ri.id = f.review_item_id JOIN review rv ON rv.id = ri.review_id";

/// How many findings `carry_forward(from, to)` would copy.
pub fn carry_count(tx: &Transaction, from: i64, to: i64) -> Result<i64> {
    Ok(tx.query_row(
        "SELECT count(*)
         FROM review_item old_item
         JOIN finding f ON f.id = (SELECT max(m.id) FROM finding m WHERE m.review_item_id = old_item.id)
         JOIN review_item new_item ON new_item.review_id = ?2 AND new_item.item_id = old_item.item_id
         WHERE old_item.review_id = ?1",
        params![from, to],
        |r| r.get(0),
    )?)
}

/// Copies the newest finding of each item of review `from` into the same
/// item of review `to`, marked as carried (to be re-confirmed). Returns how
/// many were carried.
pub fn carry_forward(
    tx: &Transaction,
    from: i64,
    to: i64,
    at: &str,
    by: &str,
    event_id: i64,
) -> Result<usize> {
    Ok(tx.execute(
        "INSERT INTO finding (review_item_id, status, source, note, url, owner, recorded_at, recorded_by, event_id,
                              evidence_id, evidence_page, carried_from)
         SELECT new_item.id, f.status, f.source, f.note, f.url, f.owner, ?3, ?4, ?5,
                f.evidence_id, f.evidence_page, f.id
         FROM review_item old_item
         JOIN finding f ON f.id = (SELECT max(m.id) FROM finding m WHERE m.review_item_id = old_item.id)
         JOIN review_item new_item ON new_item.review_id = ?2 AND new_item.item_id = old_item.item_id
         WHERE old_item.review_id = ?1
         ORDER BY new_item.position",
        params![from, to, at, by, event_id],
    )?)
}

/// Findings of a review, oldest first, optionally for one item.
pub fn list(conn: &Connection, review_id: i64, item_id: Option<&str>) -> Result<Vec<Finding>> {
    let mut stmt = conn.prepare(&format!(
        "{SELECT} WHERE ri.review_id = ?1 AND (?2 IS NULL OR ri.item_id = ?2) ORDER BY f.id"
    ))?;
    let rows = stmt.query_map(params![review_id, item_id], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One finding by id.
pub fn by_id(conn: &Connection, id: i64) -> Result<Finding> {
    Ok(conn.query_row(&format!("{SELECT} WHERE f.id = ?1"), [id], from_row)?)
}

fn from_row(r: &rusqlite::Row) -> rusqlite::Result<Finding> {
    Ok(Finding {
        id: r.get(0)?,
        review: r.get(1)?,
        item: r.get(2)?,
        status: r.get(3)?,
        source: r.get(4)?,
        note: r.get(5)?,
        url: r.get(6)?,
        owner: r.get(7)?,
        recorded_at: r.get(8)?,
        recorded_by: r.get(9)?,
        evidence: r.get(10)?,
        page: r.get(11)?,
        carried_from: r.get(12)?,
    })
}

/// A finding's values in the shape its audit event records them: what
/// `finding add` writes into the log, what an import's `rows_sha256` is
/// computed over, and what `vetter verify` compares the stored row against.
#[allow(clippy::too_many_arguments)]
pub fn values(
    review_id: i64,
    item: &str,
    status: &str,
    source: &str,
    note: Option<&str>,
    url: Option<&str>,
    owner: Option<&str>,
    evidence: Option<i64>,
    page: Option<i64>,
) -> serde_json::Value {
    serde_json::json!({
        "review": review_id, "item": item, "status": status, "source": source,
        "note": note, "url": url, "owner": owner, "evidence": evidence, "page": page,
    })
}

/// SHA-256 over findings' values, one canonical JSON line each, in id
/// order: what an import records so verify can check every imported row.
#[derive(Default)]
pub struct RowsDigest(sha2::Sha256);

impl RowsDigest {
    pub fn add(&mut self, values: &serde_json::Value) {
        use sha2::Digest;
        self.0.update(values.to_string().as_bytes());
        self.0.update(b"\n");
    }

    pub fn finish(self) -> String {
        use sha2::Digest;
        crate::digest::hex(&self.0.finalize())
    }
}
