//! The current records, read in the shape their audit events record them,
//! so `vetter verify` can replay the log and compare (src/domain/integrity.rs).

use crate::error::Result;
use crate::store::{clause, evidence, vendor};
use rusqlite::{params, Connection};
use serde_json::{json, Value};

/// One record as it stands: which kind, its key in the audit log (an id, or
/// a profile key), and its values.
pub struct CurrentRecord {
    pub entity: &'static str,
    pub key: String,
    pub values: Value,
}

/// Vendors, clauses, evidence, questions, waivers and profile keys. (Findings
/// are many; they are streamed by `for_each_finding`.)
pub fn current_records(conn: &Connection) -> Result<Vec<CurrentRecord>> {
    let mut records = Vec::new();
    for v in vendor::list(conn, true)? {
        // Vendor events are keyed by the vendor's id: a slug can change.
        records.push(record(
            "vendor",
            v.id.to_string(),
            serde_json::to_value(&v)?,
        ));
    }
    for c in clause::all(conn)? {
        records.push(record(
            "clause",
            c.id.to_string(),
            serde_json::to_value(&c)?,
        ));
    }
    for e in evidence::all(conn)? {
        records.push(record(
            "evidence",
            e.id.to_string(),
            serde_json::to_value(&e)?,
        ));
    }
    let mut stmt = conn.prepare(
        "SELECT q.id, q.item_id, q.clause_id, q.text, q.to_contact, q.due, q.status, q.resolution,
                a.text, a.evidence_id
         FROM question q
         LEFT JOIN question_answer a ON a.id = (SELECT max(id) FROM question_answer WHERE question_id = q.id)
         ORDER BY q.id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(record(
            "question",
            r.get::<_, i64>(0)?.to_string(),
            json!({
                "item": r.get::<_, String>(1)?, "clause": r.get::<_, Option<i64>>(2)?,
                "text": r.get::<_, String>(3)?, "to": r.get::<_, Option<String>>(4)?,
                "due": r.get::<_, Option<String>>(5)?, "status": r.get::<_, String>(6)?,
                "resolution": r.get::<_, Option<String>>(7)?, "answer": r.get::<_, Option<String>>(8)?,
                "evidence": r.get::<_, Option<i64>>(9)?,
            }),
        ))
    })?;
    for row in rows {
        records.push(row?);
    }
    let mut stmt = conn.prepare(
        "SELECT id, rule, reason, until, created_at, created_by, pre_emptive FROM waiver ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(record(
            "waiver",
            r.get::<_, i64>(0)?.to_string(),
            json!({
                "rule": r.get::<_, String>(1)?, "reason": r.get::<_, String>(2)?,
                "until": r.get::<_, Option<String>>(3)?, "created_at": r.get::<_, String>(4)?,
                "created_by": r.get::<_, String>(5)?, "pre_emptive": r.get::<_, bool>(6)?,
            }),
        ))
    })?;
    for row in rows {
        records.push(row?);
    }
    for (key, value) in crate::store::profile::pairs(conn)? {
        records.push(record("profile", key, Value::String(value)));
    }
    Ok(records)
}

fn record(entity: &'static str, key: String, values: Value) -> CurrentRecord {
    CurrentRecord {
        entity,
        key,
        values,
    }
}

/// A finding as stored, with the event that recorded it.
pub struct FindingRecord {
    pub id: i64,
    pub review_id: i64,
    pub event_id: i64,
    pub carried_from: Option<i64>,
    pub values: Value,
}

const FINDINGS: &str =
    "SELECT f.id, ri.review_id, ri.item_id, f.status, f.source, f.note, f.url, f.owner,
                f.evidence_id, f.evidence_page, f.event_id, f.carried_from
         FROM finding f JOIN review_item ri ON ri.id = f.review_item_id";

fn finding_record(r: &rusqlite::Row) -> rusqlite::Result<FindingRecord> {
    let review_id: i64 = r.get(1)?;
    let values = crate::store::finding::values(
        review_id,
        &r.get::<_, String>(2)?,
        &r.get::<_, String>(3)?,
        &r.get::<_, String>(4)?,
        r.get::<_, Option<String>>(5)?.as_deref(),
        r.get::<_, Option<String>>(6)?.as_deref(),
        r.get::<_, Option<String>>(7)?.as_deref(),
        r.get(8)?,
        r.get(9)?,
    );
    Ok(FindingRecord {
        id: r.get(0)?,
        review_id,
        event_id: r.get(10)?,
        carried_from: r.get(11)?,
        values,
    })
}

/// One finding's values, as `for_each_finding` gives them.
pub fn finding_values(conn: &Connection, id: i64) -> Result<Option<Value>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .query_row(&format!("{FINDINGS} WHERE f.id = ?1"), [id], finding_record)
        .optional()?
        .map(|f| f.values))
}

/// Every finding in id order, in the shape `finding add` records
/// (`store::finding::values`).
pub fn for_each_finding(
    conn: &Connection,
    mut f: impl FnMut(FindingRecord) -> Result<()>,
) -> Result<()> {
    let mut stmt = conn.prepare(&format!("{FINDINGS} ORDER BY f.id"))?;
    let mut rows = stmt.query(params![])?;
    while let Some(row) = rows.next()? {
        f(finding_record(row)?)?;
    }
    Ok(())
}

/// A sign-off step as stored (submit, reopen, decide), with its event.
pub struct SignoffRecord {
    pub id: i64,
    pub review_id: i64,
    pub action: String,
    pub at: String,
    pub actor: String,
    pub event_id: i64,
    /// What the step's audit event records of it, from the row.
    pub values: Value,
}

/// Every sign-off step, by id.
pub fn signoffs(conn: &Connection) -> Result<Vec<SignoffRecord>> {
    let mut stmt = conn.prepare(
        "SELECT id, review_id, action, at, actor, note, decision, conditions, override_reason,
                next_review, event_id
         FROM review_signoff ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| {
        let action: String = r.get(2)?;
        let note: Option<String> = r.get(5)?;
        // The event names a reopen's note its reason.
        let values = match action.as_str() {
            "reopen" => json!({ "reason": note }),
            "submit" => json!({ "note": note }),
            _ => json!({
                "note": note, "decision": r.get::<_, Option<String>>(6)?,
                "conditions": r.get::<_, Option<String>>(7)?,
                "override_reason": r.get::<_, Option<String>>(8)?,
                "next_review": r.get::<_, Option<String>>(9)?,
            }),
        };
        Ok(SignoffRecord {
            id: r.get(0)?,
            review_id: r.get(1)?,
            action,
            at: r.get(3)?,
            actor: r.get(4)?,
            event_id: r.get(10)?,
            values,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
