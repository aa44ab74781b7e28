//! The append-only audit log. Every write command appends one event in the
//! same transaction as its change. `prev_hash`/`hash` are reserved for the hash
//! chain (see DESIGN.md) and left NULL until it lands.

use crate::error::Result;
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::Serialize;

/// An event to append. `old`/`new` are the entity's values before and after,
/// as JSON; `None` when there was nothing before (a creation) or after.
pub struct NewEvent<'a> {
    pub at: &'a str,
    pub actor: &'a str,
    pub command: &'a str,
    pub entity: &'a str,
    pub entity_id: Option<String>,
    pub vendor_id: Option<i64>,
    pub old: Option<serde_json::Value>,
    pub new: Option<serde_json::Value>,
}

pub fn append(tx: &Transaction, event: &NewEvent) -> Result<i64> {
    tx.prepare_cached(
        "INSERT INTO audit_event (at, actor, command, entity, entity_id, vendor_id, old_value, new_value)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        event.at,
        event.actor,
        event.command,
        event.entity,
        event.entity_id,
        event.vendor_id,
        event.old.as_ref().map(|v| v.to_string()),
        event.new.as_ref().map(|v| v.to_string()),
    ])?;
    Ok(tx.last_insert_rowid())
}

/// An event as read back for `vetter log`.
#[derive(Debug, Serialize)]
pub struct Event {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub command: String,
    pub entity: String,
    pub entity_id: Option<String>,
    pub vendor: Option<String>,
    pub old: Option<serde_json::Value>,
    pub new: Option<serde_json::Value>,
}

/// Events, oldest first; for one vendor when `vendor_id` is given; the newest
/// `limit` when a limit is given.
pub fn list(conn: &Connection, vendor_id: Option<i64>, limit: Option<u32>) -> Result<Vec<Event>> {
    let mut stmt = conn.prepare(
        "SELECT * FROM (
            SELECT e.id, e.at, e.actor, e.command, e.entity, e.entity_id, v.slug, e.old_value, e.new_value
            FROM audit_event e LEFT JOIN vendor v ON v.id = e.vendor_id
            WHERE ?1 IS NULL OR e.vendor_id = ?1
            ORDER BY e.id DESC LIMIT ?2
         ) ORDER BY id",
    )?;
    let limit = limit.map(i64::from).unwrap_or(-1);
    let rows = stmt.query_map(params![vendor_id, limit], |r| {
        let parse = |s: Option<String>| s.and_then(|s| serde_json::from_str(&s).ok());
        Ok(Event {
            id: r.get(0)?,
            at: r.get(1)?,
            actor: r.get(2)?,
            command: r.get(3)?,
            entity: r.get(4)?,
            entity_id: r.get(5)?,
            vendor: r.get(6)?,
            old: parse(r.get(7)?),
            new: parse(r.get(8)?),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM audit_event", [], |r| r.get(0))?)
}

pub fn last_id(conn: &Connection) -> Result<Option<i64>> {
    Ok(conn
        .query_row("SELECT max(id) FROM audit_event", [], |r| r.get(0))
        .optional()?
        .flatten())
}

/// (id, at) of the newest event that can change a vendor's packet: its own
/// records, or the profile its red flags are judged against.
pub fn last_change_for(conn: &Connection, vendor_id: i64) -> Result<Option<(i64, String)>> {
    Ok(conn
        .query_row(
            "SELECT id, at FROM audit_event WHERE vendor_id = ?1 OR entity = 'profile' ORDER BY id DESC LIMIT 1",
            [vendor_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// The event that imported a file with this SHA-256 into this review, if any.
pub fn find_import(conn: &Connection, review_id: i64, sha256: &str) -> Result<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT id FROM audit_event
             WHERE command = 'import findings'
               AND json_extract(new_value, '$.review') = ?1 AND json_extract(new_value, '$.sha256') = ?2
             ORDER BY id LIMIT 1",
            params![review_id, sha256],
            |r| r.get(0),
        )
        .optional()?)
}
