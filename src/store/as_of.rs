//! The register as it stood at a past moment: every record kind read as of
//! audit event #N, so a packet, a comparison or a decision's check sees what
//! was there then and nothing recorded since.
//!
//! How: the records of the vendors asked for (and the profile and
//! checklists every vendor is judged with) are copied into a register in
//! memory, the audit events up to #N with them; then every event after #N
//! that touched those records is undone, newest first, from what the event
//! itself recorded (a creation removes the rows it made; an edit puts back
//! the `old` values it logged). Most records are append-only, so undoing is
//! mostly removing; the few that change in place (vendor fields, a clause,
//! a question's status, the profile, a superseded review) are exactly the
//! ones whose events carry their old values. An event of a kind this file
//! does not know is refused, never skipped: a record it made would
//! otherwise show in the past.
//!
//! The result is an ordinary `Store`, so the packet, compare and the
//! decision snapshot read it through the same code as the live register.
//! Evidence content is not copied (it never changes, and is addressed by
//! its SHA-256): read it from the live register.

use super::sql::{Db, Engine, Tx};
use super::Store;
use crate::error::{Error, Result};
use serde_json::Value;

/// Which vendors' records to carry into the past.
#[derive(Debug, Clone, Copy)]
pub enum Vendors<'a> {
    These(&'a [i64]),
    All,
}

impl Vendors<'_> {
    /// A condition on a vendor id column, for SQL: the ids are the store's
    /// own integers, never text from a user.
    fn condition(&self, column: &str) -> String {
        match self {
            Vendors::All => "1 = 1".to_string(),
            Vendors::These([]) => "1 = 0".to_string(),
            Vendors::These(ids) => {
                let list: Vec<String> = ids.iter().map(i64::to_string).collect();
                format!("{column} IN ({})", list.join(", "))
            }
        }
    }
}

/// The newest event at or before `moment` (RFC 3339 in UTC with seconds,
/// as events are stamped), with its time; None when the register's first
/// event is later. Event times are compared as written: an event whose time
/// was injected (VETTER_NOW) out of order counts by its stated time.
pub fn event_at(conn: &Db, moment: &str) -> Result<Option<(i64, String)>> {
    conn.query_opt(
        "SELECT id, at FROM audit_event WHERE id = (SELECT max(id) FROM audit_event WHERE at <= ?1)",
        [moment],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

/// The register's first event: (id, time).
pub fn first_event(conn: &Db) -> Result<Option<(i64, String)>> {
    conn.query_opt(
        "SELECT id, at FROM audit_event ORDER BY id LIMIT 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

/// Events after `upto` that touch `vendors`' records or the profile: what
/// a rewind undoes, and what "changed since" names.
pub fn events_after(conn: &Db, vendors: Vendors, upto: i64) -> Result<Vec<Later>> {
    conn.query_map(
        &format!(
            "SELECT id, at, actor, command, entity, entity_id, vendor_id, old_value, new_value
             FROM audit_event WHERE id > ?1 AND ({} OR vendor_id IS NULL) ORDER BY id",
            vendors.condition("vendor_id")
        ),
        [upto],
        |r| {
            Ok(Later {
                seq: r.get(0)?,
                at: r.get(1)?,
                actor: r.get(2)?,
                command: r.get(3)?,
                entity: r.get(4)?,
                entity_id: r.get(5)?,
                vendor_id: r.get(6)?,
                old: json(r.get::<Option<String>>(7)?)?,
                new: json(r.get::<Option<String>>(8)?)?,
            })
        },
    )
}

fn json(text: Option<String>) -> Result<Value> {
    Ok(match text {
        Some(t) => serde_json::from_str(&t)?,
        None => Value::Null,
    })
}

/// An event recorded after the moment, as undone.
#[derive(Debug, Clone)]
pub struct Later {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub command: String,
    pub entity: String,
    pub entity_id: Option<String>,
    pub vendor_id: Option<i64>,
    pub old: Value,
    pub new: Value,
}

/// A register in memory holding `vendors`' records, the profile and the
/// checklists exactly as they stood right after event `upto`. Call it
/// inside the source's `read_snapshot`, so the rows and the events it
/// undoes are of one moment.
pub fn rewind(source: &Store, vendors: Vendors, upto: i64) -> Result<Store> {
    let mut scratch = Store::in_memory_scratch()?;
    let later = events_after(source.conn(), vendors, upto)?;
    scratch.write(|tx| {
        copy_slice(source.conn(), tx, vendors, upto)?;
        for event in later.iter().rev() {
            undo(tx, event).map_err(|e| {
                Error::internal(format!(
                    "cannot read the register as of event #{upto}: undoing event #{} ({}) failed: {e}",
                    event.seq, event.command
                ))
            })?;
        }
        Ok(())
    })?;
    Ok(scratch)
}

/// The vendors on the register right after event `upto`, archived ones
/// included, with their rows as they stood then: the vendor table alone,
/// rewound by undoing the later events on vendors.
pub fn vendors_then(source: &Store, upto: i64) -> Result<Vec<crate::model::Vendor>> {
    let mut scratch = Store::in_memory_scratch()?;
    let later = events_after(source.conn(), Vendors::All, upto)?;
    scratch.write(|tx| {
        let columns = super::copy::columns(tx, "vendor")?;
        super::copy::copy_table(source.conn(), tx, "vendor", "id", &columns, "")?;
        for event in later.iter().rev().filter(|e| e.entity == "vendor") {
            undo(tx, event)?;
        }
        Ok(())
    })?;
    super::vendor::list(scratch.conn(), true)
}

/// Whether the vendor had a review right after event `upto`: a rewind
/// removes each review whose `review start` came later.
pub fn reviewed_then(conn: &Db, vendor: i64, upto: i64) -> Result<bool> {
    let (reviews, later): (i64, i64) = conn.query_row(
        "SELECT (SELECT count(*) FROM review WHERE vendor_id = ?1),
                (SELECT count(*) FROM audit_event
                 WHERE vendor_id = ?1 AND command = 'review start' AND id > ?2)",
        [vendor, upto],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(reviews > later)
}

/// Copies the rows of `vendors` (and every checklist and profile key, and
/// the audit events up to `upto` that are theirs or global) into `tx`.
fn copy_slice(source: &Db, tx: &Tx, vendors: Vendors, upto: i64) -> Result<()> {
    let of_vendor = vendors.condition("vendor_id");
    let reviews = format!("review_id IN (SELECT id FROM review WHERE {of_vendor})");
    let tables: Vec<(&str, &str, String)> = vec![
        ("checklist", "id", String::new()),
        ("profile", "key", String::new()),
        ("vendor", "id", vendors.condition("id")),
        (
            "audit_event",
            "id",
            format!("(id <= {upto} AND ({of_vendor} OR vendor_id IS NULL)) OR id = {upto}"),
        ),
        ("review", "id", of_vendor.clone()),
        ("review_section", "review_id, position", reviews.clone()),
        ("review_item", "id", reviews.clone()),
        ("clause", "id", of_vendor.clone()),
        (
            "clause_item",
            "clause_id, item_id",
            format!("clause_id IN (SELECT id FROM clause WHERE {of_vendor})"),
        ),
        ("subprocessor", "id", of_vendor.clone()),
        ("waiver", "id", of_vendor.clone()),
        ("evidence", "id", of_vendor.clone()),
        (
            "evidence_item",
            "evidence_id, item_id",
            format!("evidence_id IN (SELECT id FROM evidence WHERE {of_vendor})"),
        ),
        (
            "evidence_clause",
            "evidence_id, clause_id",
            format!("evidence_id IN (SELECT id FROM evidence WHERE {of_vendor})"),
        ),
        (
            "finding",
            "id",
            format!(
                "review_item_id IN (SELECT i.id FROM review_item i JOIN review r ON r.id = i.review_id WHERE {})", vendors.condition("r.vendor_id")
            ),
        ),
        ("question", "id", of_vendor.clone()),
        (
            "question_answer",
            "id",
            format!("question_id IN (SELECT id FROM question WHERE {of_vendor})"),
        ),
        ("review_signoff", "id", reviews),
        ("questionnaire", "id", of_vendor.clone()),
        (
            "questionnaire_answer",
            "questionnaire_id, position",
            format!("questionnaire_id IN (SELECT id FROM questionnaire WHERE {of_vendor})"),
        ),
        ("contract", "id", of_vendor.clone()),
        (
            "contract_end",
            "contract_id",
            format!("contract_id IN (SELECT id FROM contract WHERE {of_vendor})"),
        ),
    ];
    for (table, order, filter) in &tables {
        // The scratch's columns: the same names on both engines.
        let columns = super::copy::columns(tx, table)?;
        super::copy::copy_table(source, tx, table, order, &columns, filter)?;
    }
    debug_assert_eq!(tx.engine(), Engine::Sqlite);
    Ok(())
}

/// Puts back what `event` changed. Every kind of event vetter records is
/// named here; see the module comment.
fn undo(tx: &Tx, event: &Later) -> Result<()> {
    let seq = event.seq;
    // The rows an event made that carry its id.
    tx.execute("DELETE FROM finding WHERE event_id = ?1", [seq])?;
    tx.execute("DELETE FROM review_signoff WHERE event_id = ?1", [seq])?;
    tx.execute(
        "DELETE FROM questionnaire_answer WHERE questionnaire_id IN (SELECT id FROM questionnaire WHERE event_id = ?1)",
        [seq],
    )?;
    tx.execute("DELETE FROM questionnaire WHERE event_id = ?1", [seq])?;
    let id = || -> Result<i64> {
        event
            .entity_id
            .as_deref()
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| Error::internal("the event names no record id"))
    };
    match (event.command.as_str(), event.entity.as_str()) {
        // Made only rows that carry the event's id (removed above).
        ("finding add" | "import findings", "finding")
        | ("import questionnaire", "finding")
        | ("review submit" | "review reopen" | "review decide", "review") => {}
        ("vendor add", "vendor") => {
            tx.execute("DELETE FROM vendor WHERE id = ?1", [event.vendor_id])?;
        }
        (_, "vendor") if event.old.is_object() => restore_vendor(tx, event)?,
        ("review start", "review") => {
            let review = id()?;
            for table in ["review_item", "review_section"] {
                tx.execute(
                    &format!("DELETE FROM {table} WHERE review_id = ?1"),
                    [review],
                )?;
            }
            tx.execute("DELETE FROM review WHERE id = ?1", [review])?;
            if let Some(number) = event.new.get("supersedes").and_then(Value::as_i64) {
                tx.execute(
                    "UPDATE review SET state = 'open' WHERE vendor_id = ?1 AND number = ?2",
                    super::sql::params![event.vendor_id, number],
                )?;
            }
        }
        ("clause add", "clause") => {
            let clause = id()?;
            for table in ["clause_item", "evidence_clause"] {
                tx.execute(
                    &format!("DELETE FROM {table} WHERE clause_id = ?1"),
                    [clause],
                )?;
            }
            tx.execute("DELETE FROM clause WHERE id = ?1", [clause])?;
        }
        ("clause edit", "clause") => {
            let clause = id()?;
            let old = &event.old;
            tx.execute(
                "UPDATE clause SET section = ?2, quote = ?3, absent = ?4, terms = ?5, valid_until = ?6, updated_at = ?7 WHERE id = ?1",
                super::sql::params![
                    clause,
                    text(old, "section"),
                    text(old, "quote"),
                    old.get("absent").and_then(Value::as_bool).unwrap_or(false),
                    old.get("terms").map(Value::to_string).unwrap_or_else(|| "{}".into()),
                    text(old, "valid_until"),
                    text(old, "updated_at"),
                ],
            )?;
            tx.execute("DELETE FROM clause_item WHERE clause_id = ?1", [clause])?;
            for item in strings(old, "items") {
                tx.execute(
                    "INSERT INTO clause_item (clause_id, item_id) VALUES (?1, ?2)",
                    super::sql::params![clause, item],
                )?;
            }
            if let Some(evidence) = event.new.get("evidence").and_then(Value::as_i64) {
                unlink_clause_if_new(tx, evidence, clause)?;
            }
        }
        ("evidence add", "evidence") => {
            let evidence = id()?;
            for table in ["evidence_item", "evidence_clause"] {
                tx.execute(
                    &format!("DELETE FROM {table} WHERE evidence_id = ?1"),
                    [evidence],
                )?;
            }
            tx.execute("DELETE FROM evidence WHERE id = ?1", [evidence])?;
        }
        ("evidence link", "evidence") => {
            let evidence = id()?;
            if let Some(item) = event.new.get("item").and_then(Value::as_str) {
                if !linked_before(tx, evidence, Link::Item(item))? {
                    tx.execute(
                        "DELETE FROM evidence_item WHERE evidence_id = ?1 AND item_id = ?2",
                        super::sql::params![evidence, item],
                    )?;
                }
            }
            if let Some(clause) = event.new.get("clause").and_then(Value::as_i64) {
                unlink_clause_if_new(tx, evidence, clause)?;
            }
        }
        ("question add", "question") => {
            let question = id()?;
            tx.execute(
                "DELETE FROM question_answer WHERE question_id = ?1",
                [question],
            )?;
            tx.execute("DELETE FROM question WHERE id = ?1", [question])?;
        }
        ("question answer", "question") => {
            let question = id()?;
            // Answers are undone newest first: this event's is the newest left.
            tx.execute(
                "DELETE FROM question_answer WHERE id = (SELECT max(id) FROM question_answer WHERE question_id = ?1)",
                [question],
            )?;
            restore_question(tx, question, &event.old, false)?;
        }
        ("question close" | "question reopen", "question") => {
            restore_question(tx, id()?, &event.old, true)?;
        }
        ("subprocessor add", "subprocessor") => {
            tx.execute(
                "DELETE FROM subprocessor WHERE id = (SELECT max(id) FROM subprocessor WHERE vendor_id = ?1 AND name = ?2 AND origin = 'add')",
                super::sql::params![event.vendor_id, event.entity_id],
            )?;
        }
        ("subprocessor import", "subprocessor") => {
            tx.execute(
                "DELETE FROM subprocessor WHERE vendor_id = ?1 AND origin = 'snapshot' AND seen = ?2",
                super::sql::params![event.vendor_id, text(&event.new, "seen")],
            )?;
        }
        ("flags waive", "waiver") => {
            tx.execute("DELETE FROM waiver WHERE id = ?1", [id()?])?;
        }
        ("contract add", "contract") => {
            let contract = id()?;
            tx.execute(
                "DELETE FROM contract_end WHERE contract_id = ?1",
                [contract],
            )?;
            tx.execute("DELETE FROM contract WHERE id = ?1", [contract])?;
        }
        ("contract end", "contract") => {
            tx.execute("DELETE FROM contract_end WHERE contract_id = ?1", [id()?])?;
        }
        ("profile set", "profile") => {
            let Some(old) = event.old.as_object() else {
                return Err(Error::internal("a profile event without its old values"));
            };
            // The old value as shown, stored even where it is the default:
            // a key reads the same either way.
            for (key, value) in old {
                match value.as_str() {
                    Some(v) => super::profile::put(tx, key, Some(v), &event.at, &event.actor)?,
                    None => super::profile::put(tx, key, None, &event.at, &event.actor)?,
                }
            }
        }
        ("checklist add", "checklist") => {
            tx.execute(
                "DELETE FROM checklist WHERE checklist_id || '@' || version = ?1",
                [event.entity_id.as_deref().unwrap_or_default()],
            )?;
        }
        // A restore replaced the register with a backup whose own events
        // come before it; a schema upgrade and a team role change no record.
        (_, "database" | "team") => {}
        (command, entity) => {
            return Err(Error::internal(format!(
                "vetter does not know how to undo a '{command}' event on a {entity}"
            )))
        }
    }
    Ok(())
}

fn text(values: &Value, key: &str) -> Option<String> {
    values.get(key).and_then(Value::as_str).map(str::to_string)
}

fn strings(values: &Value, key: &str) -> Vec<String> {
    values
        .get(key)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// A vendor's fields as its edit's `old` values logged them.
fn restore_vendor(tx: &Tx, event: &Later) -> Result<()> {
    let old = &event.old;
    tx.execute(
        "UPDATE vendor SET name = ?2, website = ?3, trust_center = ?4, hosting = ?5, tenancy = ?6,
                data_categories = ?7, tier = ?8, updated_at = ?9, archived_at = ?10
         WHERE id = ?1",
        super::sql::params![
            event.vendor_id,
            text(old, "name"),
            text(old, "website"),
            text(old, "trust_center"),
            text(old, "hosting"),
            text(old, "tenancy"),
            strings(old, "data").join(","),
            text(old, "tier"),
            text(old, "updated_at"),
            text(old, "archived_at"),
        ],
    )?;
    Ok(())
}

/// A question's status (and, for close and reopen, its resolution) as the
/// event's `old` logged it; `updated_at` from the newest event on the
/// question still in the scratch (each change stamps the question with its
/// event's time), else when it was asked.
fn restore_question(tx: &Tx, question: i64, old: &Value, resolution: bool) -> Result<()> {
    let status = text(old, "status").unwrap_or_else(|| "open".into());
    let updated: Option<String> = tx.query_opt(
        "SELECT at FROM audit_event WHERE entity = 'question' AND entity_id = ?1 ORDER BY id DESC LIMIT 1",
        [question.to_string()],
        |r| r.get(0),
    )?;
    if resolution {
        tx.execute(
            "UPDATE question SET status = ?2, resolution = ?3, updated_at = coalesce(?4, asked_at) WHERE id = ?1",
            super::sql::params![question, status, text(old, "resolution"), updated],
        )?;
    } else {
        tx.execute(
            "UPDATE question SET status = ?2, updated_at = coalesce(?3, asked_at) WHERE id = ?1",
            super::sql::params![question, status, updated],
        )?;
    }
    Ok(())
}

enum Link<'a> {
    Item(&'a str),
    Clause(i64),
}

/// Whether an event still in the scratch (at or before the moment) linked
/// `evidence` to the item or clause: then the link stood at the moment.
fn linked_before(tx: &Tx, evidence: i64, link: Link) -> Result<bool> {
    let events: Vec<(String, Option<String>)> = tx.query_map(
        "SELECT entity, new_value FROM audit_event
         WHERE (entity = 'evidence' AND entity_id = ?1) OR entity = 'clause'",
        [evidence.to_string()],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    for (entity, new) in events {
        let new = json(new)?;
        let hit = match (&link, entity.as_str()) {
            (Link::Item(item), "evidence") => {
                new.get("item").and_then(Value::as_str) == Some(item)
                    || strings(&new, "items").iter().any(|i| i == item)
            }
            (Link::Clause(clause), "evidence") => {
                new.get("clause").and_then(Value::as_i64) == Some(*clause)
                    || new
                        .get("clauses")
                        .and_then(Value::as_array)
                        .is_some_and(|a| a.iter().any(|c| c.as_i64() == Some(*clause)))
            }
            (Link::Clause(clause), "clause") => {
                new.get("id").and_then(Value::as_i64) == Some(*clause)
                    && new.get("evidence").and_then(Value::as_i64) == Some(evidence)
            }
            _ => false,
        };
        if hit {
            return Ok(true);
        }
    }
    Ok(false)
}

fn unlink_clause_if_new(tx: &Tx, evidence: i64, clause: i64) -> Result<()> {
    if !linked_before(tx, evidence, Link::Clause(clause))? {
        tx.execute(
            "DELETE FROM evidence_clause WHERE evidence_id = ?1 AND clause_id = ?2",
            super::sql::params![evidence, clause],
        )?;
    }
    Ok(())
}
