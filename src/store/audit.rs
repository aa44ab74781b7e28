//! The append-only, hash-chained audit log. Every write command appends one
//! event in the same transaction as its change. Each event's `hash` is
//! SHA-256 over its fields and the previous event's hash (docs/security.md
//! gives the encoding and a script that recomputes it), so an edited,
//! deleted, inserted or reordered event breaks the chain.

use super::sql::{params, Db, Row, Tx};
use crate::error::{Error, Result};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// The `prev_hash` of the first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// An event to append. `old`/`new` are the entity's values before and after,
/// as JSON; `None` when there was nothing before (a creation) or after.
pub struct NewEvent<'a> {
    pub at: &'a str,
    /// The machine's clock when `at` was injected (VETTER_NOW, the demo).
    pub real_at: Option<&'a str>,
    pub actor: &'a str,
    pub command: &'a str,
    pub entity: &'a str,
    pub entity_id: Option<String>,
    pub vendor_id: Option<i64>,
    pub old: Option<serde_json::Value>,
    pub new: Option<serde_json::Value>,
}

/// Appends an event, chained to the newest one. The caller's transaction
/// (BEGIN IMMEDIATE) holds the write lock, so no other writer can append
/// between reading the head and inserting.
pub fn append(tx: &Tx, event: &NewEvent) -> Result<i64> {
    let (last, prev_hash) = match head(tx)? {
        Some(head) => (head.seq, head.hash),
        None => (0, GENESIS.to_string()),
    };
    let stored = StoredEvent {
        seq: last + 1,
        at: event.at.to_string(),
        real_at: event.real_at.map(str::to_string),
        actor: event.actor.to_string(),
        command: event.command.to_string(),
        entity: event.entity.to_string(),
        entity_id: event.entity_id.clone(),
        vendor_id: event.vendor_id,
        old_value: event.old.as_ref().map(|v| v.to_string()),
        new_value: event.new.as_ref().map(|v| v.to_string()),
        prev_hash: Some(prev_hash),
        hash: None,
    };
    let hash = stored.compute_hash();
    tx.prepare_cached(
        "INSERT INTO audit_event (id, at, real_at, actor, command, entity, entity_id, vendor_id, old_value, new_value, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(params![
        stored.seq,
        stored.at,
        stored.real_at,
        stored.actor,
        stored.command,
        stored.entity,
        stored.entity_id,
        stored.vendor_id,
        stored.old_value,
        stored.new_value,
        stored.prev_hash,
        hash,
    ])?;
    Ok(stored.seq)
}

/// The newest event's sequence number and hash: what a packet carries so a
/// later truncation or rewrite of the log can be detected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct ChainHead {
    pub seq: i64,
    pub hash: String,
}

/// The chain head, or None for an empty log.
pub fn head(conn: &Db) -> Result<Option<ChainHead>> {
    let row: Option<(i64, Option<String>)> = conn
        .prepare_cached("SELECT id, hash FROM audit_event ORDER BY id DESC LIMIT 1")?
        .query_opt([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    match row {
        None => Ok(None),
        Some((seq, Some(hash))) => Ok(Some(ChainHead { seq, hash })),
        Some((seq, None)) => Err(Error::user(format!(
            "audit event #{seq} has no hash: it was not written by vetter"
        ))
        .with_hint("run `vetter verify` to see what was changed, and restore a backup")),
    }
}

/// The records `command` (e.g. "evidence add") created for `vendor_id`
/// in the events after `after` up to `upto` (every later one when None):
/// each record's id and its event's time, oldest first.
pub fn created_between(
    conn: &Db,
    vendor_id: i64,
    command: &str,
    after: i64,
    upto: Option<i64>,
) -> Result<Vec<(i64, String)>> {
    conn.query_map(
        "SELECT entity_id, at FROM audit_event
         WHERE vendor_id = ?1 AND command = ?2 AND id > ?3 AND (CAST(?4 AS BIGINT) IS NULL OR id <= CAST(?4 AS BIGINT))
         ORDER BY id",
        params![vendor_id, command, after, upto],
        |r| {
            let id: String = r.get(0)?;
            Ok((id.parse().unwrap_or_default(), r.get(1)?))
        },
    )
}

/// The event of `command` on the record `entity_id` (e.g. the `review
/// start` of review 7), the oldest if there are several.
pub fn event_for(conn: &Db, command: &str, entity_id: i64) -> Result<Option<i64>> {
    conn.query_opt(
        "SELECT min(id) FROM audit_event WHERE command = ?1 AND entity_id = ?2",
        params![command, entity_id.to_string()],
        |r| r.get(0),
    )
    .map(Option::flatten)
}

/// The stored hash of event `seq`, if there is such an event.
pub fn hash_of(conn: &Db, seq: i64) -> Result<Option<Option<String>>> {
    conn.query_opt("SELECT hash FROM audit_event WHERE id = ?1", [seq], |r| {
        r.get(0)
    })
}

/// An event exactly as stored: the fields its hash covers, in the order the
/// encoding takes them, then the stored hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEvent {
    pub seq: i64,
    pub at: String,
    pub real_at: Option<String>,
    pub actor: String,
    pub command: String,
    pub entity: String,
    pub entity_id: Option<String>,
    pub vendor_id: Option<i64>,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    pub prev_hash: Option<String>,
    pub hash: Option<String>,
}

impl StoredEvent {
    /// SHA-256 (hex) over the fields in order, each encoded as one byte 0
    /// for NULL, or one byte 1, its UTF-8 length as 8 bytes big-endian, and
    /// the bytes. Integers are written in decimal. Length prefixes make the
    /// encoding unambiguous: no two different events encode alike.
    pub fn compute_hash(&self) -> String {
        self.hash_as(self.seq)
    }

    /// The hash this event would have at sequence number `seq`: how verify
    /// tells an event moved to another place from one whose text changed.
    pub fn hash_as(&self, seq: i64) -> String {
        fn field(h: &mut Sha256, value: Option<&str>) {
            match value {
                None => h.update([0u8]),
                Some(text) => {
                    h.update([1u8]);
                    h.update((text.len() as u64).to_be_bytes());
                    h.update(text.as_bytes());
                }
            }
        }
        let mut h = Sha256::new();
        field(&mut h, Some(&seq.to_string()));
        field(&mut h, Some(&self.at));
        field(&mut h, self.real_at.as_deref());
        field(&mut h, Some(&self.actor));
        field(&mut h, Some(&self.command));
        field(&mut h, Some(&self.entity));
        field(&mut h, self.entity_id.as_deref());
        field(&mut h, self.vendor_id.map(|v| v.to_string()).as_deref());
        field(&mut h, self.old_value.as_deref());
        field(&mut h, self.new_value.as_deref());
        field(&mut h, self.prev_hash.as_deref());
        crate::digest::hex(&h.finalize())
    }
}

const STORED_COLUMNS: &str = "id, at, real_at, actor, command, entity, entity_id, vendor_id, old_value, new_value, prev_hash, hash";

fn stored_row(r: &Row) -> Result<StoredEvent> {
    Ok(StoredEvent {
        seq: r.get(0)?,
        at: r.get(1)?,
        real_at: r.get(2)?,
        actor: r.get(3)?,
        command: r.get(4)?,
        entity: r.get(5)?,
        entity_id: r.get(6)?,
        vendor_id: r.get(7)?,
        old_value: r.get(8)?,
        new_value: r.get(9)?,
        prev_hash: r.get(10)?,
        hash: r.get(11)?,
    })
}

/// Every event as stored, in sequence order, handed to `f` one at a time
/// (a log can be long; verify does not hold it all).
pub fn for_each_stored(conn: &Db, mut f: impl FnMut(StoredEvent) -> Result<()>) -> Result<()> {
    conn.query_each(
        &format!("SELECT {STORED_COLUMNS} FROM audit_event ORDER BY id"),
        [],
        |row| f(stored_row(row)?),
    )
}

/// Fills in `prev_hash`/`hash` of events written before the chain existed
/// (migration 0006), in sequence order, from the genesis value.
pub fn chain_unchained(tx: &Tx) -> Result<usize> {
    let mut events = Vec::new();
    for_each_stored(tx, |e| {
        events.push(e);
        Ok(())
    })?;
    let mut prev = GENESIS.to_string();
    let mut update =
        tx.prepare("UPDATE audit_event SET prev_hash = ?1, hash = ?2 WHERE id = ?3")?;
    for mut event in events.iter().cloned() {
        event.prev_hash = Some(prev);
        let hash = event.compute_hash();
        update.execute(params![event.prev_hash, hash, event.seq])?;
        prev = hash;
    }
    Ok(events.len())
}

/// An event as people and auditors read it: `vetter log`, and the packet's
/// audit.csv, packet.json and PDF. A review is known everywhere else by its
/// per-vendor number (review #1 of this vendor), while the stored event
/// holds the register's internal id, so `name_reviews` translates: a
/// review's `entity_id` is its number, and a `review` key in `old`/`new`
/// holds the number, with the internal id beside it as `review_id`. The
/// stored text, which the hash covers, is never changed: verify and the
/// replay read it through `for_each_stored`.
#[derive(Debug, Serialize)]
pub struct Event {
    pub id: i64,
    pub at: String,
    /// The real clock when `at` was injected (VETTER_NOW).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub real_at: Option<String>,
    pub actor: String,
    pub command: String,
    pub entity: String,
    /// The record's id as the rest of the packet names it: a review's
    /// per-vendor number, any other record's id.
    pub entity_id: Option<String>,
    pub vendor: Option<String>,
    pub old: Option<serde_json::Value>,
    pub new: Option<serde_json::Value>,
    pub hash: Option<String>,
}

/// Events, oldest first; for one vendor when `vendor_id` is given; the newest
/// `limit` when a limit is given.
pub fn list(conn: &Db, vendor_id: Option<i64>, limit: Option<u32>) -> Result<Vec<Event>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT * FROM (
            SELECT {EVENT_COLUMNS}
            FROM audit_event e LEFT JOIN vendor v ON v.id = e.vendor_id
            WHERE CAST(?1 AS BIGINT) IS NULL OR e.vendor_id = ?1
            ORDER BY e.id DESC LIMIT ?2
         ) AS newest ORDER BY id"
    ))?;
    // No limit is the largest one: PostgreSQL refuses SQLite's -1.
    let limit = limit.map(i64::from).unwrap_or(i64::MAX);
    let rows = stmt.query_map(params![vendor_id, limit], event_row)?;
    with_review_numbers(conn, rows.collect::<Result<_>>()?)
}

/// The events a vendor's packet carries, oldest first: the vendor's own, and
/// every change of the obligations profile, which belongs to no vendor but
/// is what the vendor's red flags are judged against. These are the events
/// `last_change_for` looks at. A profile event has no vendor (`vendor` is
/// None).
pub fn for_packet(conn: &Db, vendor_id: i64) -> Result<Vec<Event>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {EVENT_COLUMNS}
         FROM audit_event e LEFT JOIN vendor v ON v.id = e.vendor_id
         WHERE e.vendor_id = ?1 OR (e.vendor_id IS NULL AND e.entity = 'profile')
         ORDER BY e.id"
    ))?;
    let rows = stmt.query_map([vendor_id], event_row)?;
    with_review_numbers(conn, rows.collect::<Result<_>>()?)
}

/// `events` with the reviews they refer to named by their numbers.
fn with_review_numbers(conn: &Db, mut events: Vec<Event>) -> Result<Vec<Event>> {
    let numbers = super::review::numbers(conn)?;
    for event in &mut events {
        name_reviews(event, &numbers);
    }
    Ok(events)
}

/// Names the review an event refers to by its per-vendor number (see
/// `Event`); `numbers` maps internal review ids to numbers. Every event that
/// refers to a review holds its internal id: a review event as `entity_id`,
/// `review start`, `finding add` and the imports as a `review` key. A
/// review the register does not have (its rows are append-only; verify
/// names one that went missing) gets no number rather than a wrong one.
fn name_reviews(event: &mut Event, numbers: &HashMap<i64, i64>) {
    let number = |id: i64| numbers.get(&id).copied();
    if event.entity == "review" {
        let id = event.entity_id.as_deref().and_then(|id| id.parse().ok());
        event.entity_id = id.and_then(number).map(|n| n.to_string());
    }
    for values in [&mut event.old, &mut event.new].into_iter().flatten() {
        let Some(map) = values.as_object_mut() else {
            continue;
        };
        if map.contains_key("review_id") {
            continue;
        }
        if let Some(id) = map.remove("review") {
            if let Some(n) = id.as_i64().and_then(number) {
                map.insert("review".into(), n.into());
            }
            map.insert("review_id".into(), id);
        }
    }
}

/// The columns `event_row` reads, from `audit_event e` joined with `vendor v`.
const EVENT_COLUMNS: &str = "e.id, e.at, e.actor, e.command, e.entity, e.entity_id, v.slug, e.old_value, e.new_value, e.real_at, e.hash";

fn event_row(r: &Row) -> Result<Event> {
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
        real_at: r.get(9)?,
        hash: r.get(10)?,
    })
}

pub fn count(conn: &Db) -> Result<i64> {
    conn.query_row("SELECT count(*) FROM audit_event", [], |r| r.get(0))
}

pub fn last_id(conn: &Db) -> Result<Option<i64>> {
    Ok(conn
        .query_opt("SELECT max(id) FROM audit_event", [], |r| r.get(0))?
        .flatten())
}

/// (id, at) of the newest event that can change a vendor's packet: its own
/// records, or the profile its red flags are judged against.
pub fn last_change_for(conn: &Db, vendor_id: i64) -> Result<Option<(i64, String)>> {
    conn
        .query_opt(
            "SELECT id, at FROM audit_event WHERE vendor_id = ?1 OR entity = 'profile' ORDER BY id DESC LIMIT 1",
            [vendor_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
}

/// The event that imported a file with this SHA-256 into this review, if any.
pub fn find_import(conn: &Db, review_id: i64, sha256: &str) -> Result<Option<i64>> {
    // The event's values are JSON text; each engine reads it its own way.
    let sql = match conn.engine() {
        super::sql::Engine::Sqlite => {
            "SELECT id FROM audit_event
             WHERE command = 'import findings'
               AND json_extract(new_value, '$.review') = ?1 AND json_extract(new_value, '$.sha256') = ?2
             ORDER BY id LIMIT 1"
        }
        super::sql::Engine::Postgres => {
            "SELECT id FROM audit_event
             WHERE command = 'import findings'
               AND CAST(new_value AS jsonb) ->> 'review' = ?1 AND CAST(new_value AS jsonb) ->> 'sha256' = ?2
             ORDER BY id LIMIT 1"
        }
    };
    conn.query_opt(sql, params![review_id, sha256], |r| r.get(0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn event(entity: &str, entity_id: &str, new: serde_json::Value) -> Event {
        Event {
            id: 1,
            at: String::new(),
            real_at: None,
            actor: String::new(),
            command: String::new(),
            entity: entity.into(),
            entity_id: Some(entity_id.into()),
            vendor: None,
            old: None,
            new: Some(new),
            hash: None,
        }
    }

    #[test]
    fn a_review_is_named_by_its_number_with_the_internal_id_beside_it() {
        let numbers = HashMap::from([(2, 1)]);
        let mut start = event("review", "2", json!({ "review": 2, "number": 1 }));
        name_reviews(&mut start, &numbers);
        assert_eq!(start.entity_id.as_deref(), Some("1"));
        assert_eq!(
            start.new,
            Some(json!({ "review": 1, "review_id": 2, "number": 1 }))
        );
        // A finding's own id is left alone.
        let mut finding = event("finding", "2", json!({ "review": 2 }));
        name_reviews(&mut finding, &numbers);
        assert_eq!(finding.entity_id.as_deref(), Some("2"));
        assert_eq!(finding.new, Some(json!({ "review": 1, "review_id": 2 })));
    }

    #[test]
    fn a_review_the_register_lacks_gets_no_number_rather_than_its_id() {
        let mut start = event("review", "9", json!({ "review": 9 }));
        name_reviews(&mut start, &HashMap::new());
        assert_eq!(start.entity_id, None);
        assert_eq!(start.new, Some(json!({ "review_id": 9 })));
    }
}
