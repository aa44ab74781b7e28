//! The current records, read in the shape their audit events record them,
//! so `vetter verify` can replay the log and compare (src/domain/replay.rs).

use super::sql::{Db, Row};
use crate::error::Result;
use crate::store::{clause, evidence, vendor};
use serde_json::{json, Value};

/// One record as it stands: which kind, its key in the audit log (an id, or
/// a profile key), the vendor it belongs to, and its values.
pub struct CurrentRecord {
    pub entity: &'static str,
    pub key: String,
    pub vendor_id: Option<i64>,
    pub values: Value,
}

/// Vendors, clauses, evidence, questions, waivers, contracts and profile
/// keys. (Findings
/// are many; they are streamed by `for_each_finding`.)
pub fn current_records(conn: &Db) -> Result<Vec<CurrentRecord>> {
    let mut records = Vec::new();
    for v in vendor::list(conn, true)? {
        // Vendor events are keyed by the vendor's id: a slug can change.
        let id = v.id;
        records.push(record(
            "vendor",
            id.to_string(),
            Some(id),
            serde_json::to_value(&v)?,
        ));
    }
    for c in clause::all(conn)? {
        let (id, vendor) = (c.id, c.vendor_id);
        records.push(record(
            "clause",
            id.to_string(),
            Some(vendor),
            serde_json::to_value(&c)?,
        ));
    }
    for e in evidence::all(conn)? {
        let (id, vendor) = (e.id, e.vendor_id);
        records.push(record(
            "evidence",
            id.to_string(),
            Some(vendor),
            serde_json::to_value(&e)?,
        ));
    }
    let mut stmt = conn.prepare(
        "SELECT q.id, q.vendor_id, q.item_id, q.clause_id, q.text, q.to_contact, q.due, q.status,
                q.resolution, a.text, a.evidence_id, q.asked_at, q.asked_by
         FROM question q
         LEFT JOIN question_answer a ON a.id = (SELECT max(id) FROM question_answer WHERE question_id = q.id)
         ORDER BY q.id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(record(
            "question",
            r.get::<i64>(0)?.to_string(),
            Some(r.get(1)?),
            json!({
                "item": r.get::<String>(2)?, "clause": r.get::<Option<i64>>(3)?,
                "text": r.get::<String>(4)?, "to": r.get::<Option<String>>(5)?,
                "due": r.get::<Option<String>>(6)?, "status": r.get::<String>(7)?,
                "resolution": r.get::<Option<String>>(8)?, "answer": r.get::<Option<String>>(9)?,
                "evidence": r.get::<Option<i64>>(10)?,
                "asked_at": r.get::<String>(11)?, "asked_by": r.get::<String>(12)?,
            }),
        ))
    })?;
    for row in rows {
        records.push(row?);
    }
    let mut stmt = conn.prepare(
        "SELECT id, vendor_id, rule, reason, until, created_at, created_by, pre_emptive, severity FROM waiver ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(record(
            "waiver",
            r.get::<i64>(0)?.to_string(),
            Some(r.get(1)?),
            json!({
                "rule": r.get::<String>(2)?, "reason": r.get::<String>(3)?,
                "until": r.get::<Option<String>>(4)?, "created_at": r.get::<String>(5)?,
                "created_by": r.get::<String>(6)?, "pre_emptive": r.get::<bool>(7)?,
                "severity": r.get::<Option<String>>(8)?,
            }),
        ))
    })?;
    for row in rows {
        records.push(row?);
    }
    for (vendor, c) in super::contract::all(conn)? {
        // As `contract add` logged it: without the vendor's slug.
        let c = crate::domain::contract::Contract {
            vendor: String::new(),
            ..c
        };
        records.push(record(
            "contract",
            c.id.to_string(),
            Some(vendor),
            serde_json::to_value(&c)?,
        ));
    }
    let mut stmt =
        conn.prepare("SELECT key, value, updated_at, updated_by FROM profile ORDER BY key")?;
    let rows = stmt.query_map([], |r| {
        Ok(record(
            "profile",
            r.get(0)?,
            None,
            json!({
                "value": r.get::<String>(1)?, "updated_at": r.get::<String>(2)?,
                "updated_by": r.get::<String>(3)?,
            }),
        ))
    })?;
    for row in rows {
        records.push(row?);
    }
    Ok(records)
}

fn record(
    entity: &'static str,
    key: String,
    vendor_id: Option<i64>,
    values: Value,
) -> CurrentRecord {
    CurrentRecord {
        entity,
        key,
        vendor_id,
        values,
    }
}

/// A finding as stored, with the event that recorded it.
pub struct FindingRecord {
    pub id: i64,
    pub review_id: i64,
    pub event_id: i64,
    pub carried_from: Option<i64>,
    pub recorded_at: String,
    pub recorded_by: String,
    pub values: Value,
}

const FINDINGS: &str = "SELECT f.id, ri.review_id, ri.item_id, f.status, f.source, f.note, f.url, f.owner,
                f.evidence_id, f.evidence_page, f.event_id, f.carried_from, f.recorded_at, f.recorded_by
         FROM finding f JOIN review_item ri ON ri.id = f.review_item_id";

fn finding_record(r: &Row) -> Result<FindingRecord> {
    let review_id: i64 = r.get(1)?;
    let values = crate::store::finding::values(
        review_id,
        &r.get::<String>(2)?,
        &r.get::<String>(3)?,
        &r.get::<String>(4)?,
        r.get::<Option<String>>(5)?.as_deref(),
        r.get::<Option<String>>(6)?.as_deref(),
        r.get::<Option<String>>(7)?.as_deref(),
        r.get(8)?,
        r.get(9)?,
    );
    Ok(FindingRecord {
        id: r.get(0)?,
        review_id,
        event_id: r.get(10)?,
        carried_from: r.get(11)?,
        recorded_at: r.get(12)?,
        recorded_by: r.get(13)?,
        values,
    })
}

/// One finding as `for_each_finding` gives it.
pub fn finding(conn: &Db, id: i64) -> Result<Option<FindingRecord>> {
    conn.query_opt(&format!("{FINDINGS} WHERE f.id = ?1"), [id], finding_record)
}

/// Every finding in id order, in the shape `finding add` records
/// (`store::finding::values`).
pub fn for_each_finding(conn: &Db, mut f: impl FnMut(FindingRecord) -> Result<()>) -> Result<()> {
    conn.query_each(&format!("{FINDINGS} ORDER BY f.id"), [], |row| {
        f(finding_record(row)?)
    })
}

/// SHA-256 over findings' values, one line each; see `store::finding::RowsDigest`.
pub fn import_digests(conn: &Db) -> Result<std::collections::BTreeMap<i64, String>> {
    let mut digests: std::collections::BTreeMap<i64, crate::store::finding::RowsDigest> =
        Default::default();
    let imports: std::collections::HashSet<i64> = conn
        .prepare("SELECT id FROM audit_event WHERE command = 'import findings'")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_>>()?;
    for_each_finding(conn, |f| {
        if imports.contains(&f.event_id) {
            digests.entry(f.event_id).or_default().add(&f.values);
        }
        Ok(())
    })?;
    Ok(digests.into_iter().map(|(k, d)| (k, d.finish())).collect())
}

/// A review as stored, with a digest of its item snapshot.
pub struct ReviewRecord {
    pub id: i64,
    pub vendor_id: i64,
    pub number: i64,
    pub checklist_sha256: String,
    pub due: Option<String>,
    pub started_at: String,
    pub started_by: String,
    /// "open", or "superseded" by a later `review start --supersede`.
    pub state: String,
}

pub fn reviews(conn: &Db) -> Result<Vec<ReviewRecord>> {
    let mut stmt = conn.prepare(
        "SELECT id, vendor_id, number, checklist_sha256, due, started_at, started_by, state FROM review ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(ReviewRecord {
            id: r.get(0)?,
            vendor_id: r.get(1)?,
            number: r.get(2)?,
            checklist_sha256: r.get(3)?,
            due: r.get(4)?,
            started_at: r.get(5)?,
            started_by: r.get(6)?,
            state: r.get(7)?,
        })
    })?;
    rows.collect::<Result<_>>()
}

/// SHA-256 over a review's item snapshot (every column that decides how an
/// item is judged: severity, owner, applicability...), one JSON line per
/// item in position order. `review start` records it; verify recomputes it.
pub fn review_items_digest(conn: &Db, review_id: i64) -> Result<String> {
    let mut digest = crate::store::finding::RowsDigest::default();
    conn.query_each(
        "SELECT position, section_id, item_id, title, question, guidance, severity, owner, evidence, tags
         FROM review_item WHERE review_id = ?1 ORDER BY position, id",
        [review_id],
        |r| {
        digest.add(&json!([
            r.get::<i64>(0)?,
            r.get::<String>(1)?,
            r.get::<String>(2)?,
            r.get::<String>(3)?,
            r.get::<String>(4)?,
            r.get::<String>(5)?,
            r.get::<String>(6)?,
            r.get::<String>(7)?,
            r.get::<String>(8)?,
            r.get::<String>(9)?,
        ]));
        Ok(())
    })?;
    Ok(digest.finish())
}

/// (question id, answer text, evidence id, answered at, answered by) of
/// every answer, oldest first.
pub type AnswerRow = (i64, String, Option<i64>, String, String);

pub fn answers(conn: &Db) -> Result<Vec<AnswerRow>> {
    let mut stmt = conn.prepare(
        "SELECT question_id, text, evidence_id, answered_at, answered_by FROM question_answer ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
    })?;
    rows.collect::<Result<_>>()
}

/// (checklist id, version, content, recorded SHA-256) of every installed checklist.
pub fn checklists(conn: &Db) -> Result<Vec<(String, String, String, String)>> {
    let mut stmt =
        conn.prepare("SELECT checklist_id, version, content, sha256 FROM checklist ORDER BY id")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
    rows.collect::<Result<_>>()
}

/// Every (evidence id, clause id) link.
pub fn evidence_clause_links(conn: &Db) -> Result<Vec<(i64, i64)>> {
    let mut stmt = conn.prepare(
        "SELECT evidence_id, clause_id FROM evidence_clause ORDER BY evidence_id, clause_id",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect::<Result<_>>()
}

/// (review id, first id, count) of the findings carried forward into each
/// review.
pub fn carried_ranges(conn: &Db) -> Result<Vec<(i64, i64, i64)>> {
    let mut stmt = conn.prepare(
        "SELECT ri.review_id, min(f.id), count(*) FROM finding f JOIN review_item ri ON ri.id = f.review_item_id
         WHERE f.carried_from IS NOT NULL GROUP BY ri.review_id",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    rows.collect::<Result<_>>()
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
pub fn signoffs(conn: &Db) -> Result<Vec<SignoffRecord>> {
    let mut stmt = conn.prepare(
        "SELECT id, review_id, action, at, actor, note, decision, conditions, override_reason,
                next_review, event_id, snapshot
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
                "note": note, "decision": r.get::<Option<String>>(6)?,
                "conditions": r.get::<Option<String>>(7)?,
                "override_reason": r.get::<Option<String>>(8)?,
                "next_review": r.get::<Option<String>>(9)?,
                "snapshot_sha256": r.get::<Option<String>>(11)?
                    .map(|s| crate::digest::sha256_hex(s.as_bytes())),
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
    rows.collect::<Result<_>>()
}

/// A subprocessor observation as stored: added one by one, or one row of a
/// list snapshot (`origin`).
pub struct SubprocessorRecord {
    pub vendor_id: i64,
    pub origin: String,
    pub seen: String,
    pub recorded_at: String,
    pub recorded_by: String,
    /// `[name, purpose, location]`, as a snapshot's rows digest takes them.
    pub row: Value,
}

pub fn subprocessors(conn: &Db) -> Result<Vec<SubprocessorRecord>> {
    let mut stmt = conn.prepare(
        "SELECT vendor_id, name, purpose, location, seen, origin, recorded_at, recorded_by
         FROM subprocessor ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(SubprocessorRecord {
            vendor_id: r.get(0)?,
            row: subprocessor_row(
                &r.get::<String>(1)?,
                &r.get::<String>(2)?,
                &r.get::<String>(3)?,
            ),
            seen: r.get(4)?,
            origin: r.get(5)?,
            recorded_at: r.get(6)?,
            recorded_by: r.get(7)?,
        })
    })?;
    rows.collect::<Result<_>>()
}

/// One row of a subprocessor list as its snapshot's `rows_sha256` hashes it.
pub fn subprocessor_row(name: &str, purpose: &str, location: &str) -> Value {
    json!([name, purpose, location])
}

/// SHA-256 over each (vendor id, seen) snapshot's rows, keyed "vendor/seen".
pub fn snapshot_digests(conn: &Db) -> Result<std::collections::BTreeMap<String, String>> {
    let mut digests: std::collections::BTreeMap<String, crate::store::finding::RowsDigest> =
        Default::default();
    for s in subprocessors(conn)? {
        if s.origin == "snapshot" {
            digests
                .entry(format!("{}/{}", s.vendor_id, s.seen))
                .or_default()
                .add(&s.row);
        }
    }
    Ok(digests.into_iter().map(|(k, d)| (k, d.finish())).collect())
}
