//! SQL for the DPA clause register.

use super::sql::{params, Db, Row, Tx};
use crate::error::{Error, Result};
use crate::model::{Clause, Terms};

const SELECT: &str = "SELECT c.id, c.vendor_id, v.slug, c.kind, c.section, c.quote, c.absent, c.terms, c.valid_until,
                             c.created_at, c.created_by, c.updated_at,
                             (SELECT string_agg(item_id, ',') FROM (SELECT item_id FROM clause_item WHERE clause_id = c.id ORDER BY item_id) AS i)
                      FROM clause c JOIN vendor v ON v.id = c.vendor_id";

fn from_row(r: &Row) -> Result<Clause> {
    let terms: String = r.get(7)?;
    let items: Option<String> = r.get(12)?;
    Ok(Clause {
        id: r.get(0)?,
        vendor_id: r.get(1)?,
        vendor: r.get(2)?,
        kind: r.get(3)?,
        section: r.get(4)?,
        quote: r.get(5)?,
        absent: r.get(6)?,
        terms: serde_json::from_str::<Terms>(&terms).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(7, rusqlite::types::Type::Text, Box::new(e))
        })?,
        valid_until: r.get(8)?,
        created_at: r.get(9)?,
        created_by: r.get(10)?,
        updated_at: r.get(11)?,
        items: items
            .map(|s| s.split(',').map(str::to_string).collect())
            .unwrap_or_default(),
    })
}

/// The id the next clause will get (clauses are never deleted).
pub fn next_id(tx: &Tx) -> Result<i64> {
    tx.query_row("SELECT coalesce(max(id), 0) + 1 FROM clause", [], |r| {
        r.get(0)
    })
}

pub fn insert(tx: &Tx, id: i64, c: &Clause) -> Result<()> {
    tx.execute(
        "INSERT INTO clause (id, vendor_id, kind, section, quote, absent, terms, valid_until, created_at, created_by, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            id,
            c.vendor_id,
            c.kind,
            c.section,
            c.quote,
            c.absent,
            serde_json::to_string(&c.terms)?,
            c.valid_until,
            c.created_at,
            c.created_by,
            c.updated_at
        ],
    )?;
    link_items(tx, id, &c.items)
}

pub fn update(tx: &Tx, c: &Clause) -> Result<()> {
    tx.execute(
        "UPDATE clause SET section = ?2, quote = ?3, absent = ?4, terms = ?5, valid_until = ?6, updated_at = ?7 WHERE id = ?1",
        params![c.id, c.section, c.quote, c.absent, serde_json::to_string(&c.terms)?, c.valid_until, c.updated_at],
    )?;
    link_items(tx, c.id, &c.items)
}

fn link_items(tx: &Tx, clause_id: i64, items: &[String]) -> Result<()> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO clause_item (clause_id, item_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
    )?;
    for item in items {
        stmt.execute(params![clause_id, item])?;
    }
    Ok(())
}

pub fn by_id(conn: &Db, id: i64) -> Result<Clause> {
    conn.query_opt(&format!("{SELECT} WHERE c.id = ?1"), [id], from_row)?
        .ok_or_else(|| {
            Error::user(format!("unknown clause #{id}"))
                .with_hint("list clauses with `vetter clause list VENDOR`")
        })
}

/// Every clause of every vendor, by id.
pub fn all(conn: &Db) -> Result<Vec<Clause>> {
    let mut stmt = conn.prepare(&format!("{SELECT} ORDER BY c.id"))?;
    let rows = stmt.query_map([], from_row)?;
    rows.collect::<Result<_>>()
}

/// The present clauses of one kind, of active vendors (the calendar reads
/// the subprocessor clauses' objection windows).
pub fn of_kind(conn: &Db, kind: &str) -> Result<Vec<Clause>> {
    let mut stmt = conn.prepare(&format!(
        "{SELECT} WHERE c.kind = ?1 AND c.absent = 0 AND v.archived_at IS NULL ORDER BY c.id"
    ))?;
    let rows = stmt.query_map([kind], from_row)?;
    rows.collect::<Result<_>>()
}

pub fn for_vendor(conn: &Db, vendor_id: i64) -> Result<Vec<Clause>> {
    let mut stmt =
        conn.prepare_cached(&format!("{SELECT} WHERE c.vendor_id = ?1 ORDER BY c.id"))?;
    let rows = stmt.query_map([vendor_id], from_row)?;
    rows.collect::<Result<_>>()
}

/// Clauses of active vendors whose agreement ends on or before `until`, by date.
pub fn expiring(conn: &Db, until: &str) -> Result<Vec<Clause>> {
    let mut stmt = conn.prepare(&format!(
        "{SELECT} WHERE c.valid_until IS NOT NULL AND c.valid_until <= ?1 AND v.archived_at IS NULL
         ORDER BY c.valid_until, c.id"
    ))?;
    let rows = stmt.query_map([until], from_row)?;
    rows.collect::<Result<_>>()
}
