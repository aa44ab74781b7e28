//! Whether the records can be trusted: what `vetter verify`, `backup` and
//! `restore` check. Each check says what is wrong and where:
//!
//! - integrity: SQLite's own `integrity_check` and `foreign_key_check`;
//! - chain: every audit event hashes to its stored hash and links to the one
//!   before it; the first break is named as an edit, a deletion, an
//!   insertion or a reordering;
//! - evidence: every stored file still hashes to its recorded SHA-256;
//! - replay: every record has the audit event that created it, and its
//!   values are what the log says they last became (a row changed or added
//!   in SQL, or evidence rewritten together with its recorded hash).

use crate::error::Result;
use crate::store::audit::{self, ChainHead, StoredEvent, GENESIS};
use crate::store::{self, Store};
use serde::Serialize;
use serde_json::Value;
use sha2::Digest as _;
use std::collections::{BTreeMap, HashMap};

/// One thing found wrong: which check, what, and where.
#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    pub check: &'static str,
    pub what: String,
    #[serde(rename = "where")]
    pub location: String,
}

impl Problem {
    fn new(check: &'static str, location: impl Into<String>, what: impl Into<String>) -> Problem {
        Problem {
            check,
            what: what.into(),
            location: location.into(),
        }
    }
}

/// What a whole-database check found.
#[derive(Debug, Serialize)]
pub struct DatabaseReport {
    pub events: i64,
    pub chain_head: Option<ChainHead>,
    /// Events whose time was injected (VETTER_NOW); each records the real
    /// clock beside it.
    pub injected_time_events: i64,
    pub evidence_files: usize,
    pub evidence_bytes: i64,
    pub records_replayed: usize,
    pub problems: Vec<Problem>,
}

impl DatabaseReport {
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }

    /// The problems of one check.
    pub fn of(&self, check: &str) -> impl Iterator<Item = &Problem> {
        let check = check.to_string();
        self.problems.iter().filter(move |p| p.check == check)
    }
}

/// The checks, in the order they are reported.
pub const CHECKS: [&str; 4] = ["integrity", "chain", "evidence", "replay"];

/// Runs every check on the database.
pub fn check_database(store: &Store) -> Result<DatabaseReport> {
    let mut problems: Vec<Problem> = store
        .integrity_problems()?
        .into_iter()
        .map(|p| Problem::new("integrity", "database", p))
        .collect();
    let chain = check_chain(store.conn())?;
    if let Some(p) = chain.problem {
        problems.push(p);
    }
    let (evidence_files, evidence_bytes) = check_blobs(store, &mut problems)?;
    let records_replayed = replay(store.conn(), &chain.events, &mut problems)?;
    Ok(DatabaseReport {
        events: chain.count,
        chain_head: chain.head,
        injected_time_events: chain.injected,
        evidence_files,
        evidence_bytes,
        records_replayed,
        problems,
    })
}

struct ChainCheck {
    count: i64,
    head: Option<ChainHead>,
    injected: i64,
    problem: Option<Problem>,
    events: Vec<StoredEvent>,
}

/// Walks the log in sequence order and names the first break.
fn check_chain(conn: &rusqlite::Connection) -> Result<ChainCheck> {
    let mut events = Vec::new();
    audit::for_each_stored(conn, |e| {
        events.push(e);
        Ok(())
    })?;
    let injected = events.iter().filter(|e| e.real_at.is_some()).count() as i64;
    let head = events.last().map(|e| ChainHead {
        seq: e.seq,
        hash: e.hash.clone().unwrap_or_default(),
    });
    let problem = first_break(&events);
    Ok(ChainCheck {
        count: events.len() as i64,
        head,
        injected,
        problem,
        events,
    })
}

/// The first place the chain does not hold, described as what most likely
/// happened there.
fn first_break(events: &[StoredEvent]) -> Option<Problem> {
    let position: HashMap<&str, usize> = events
        .iter()
        .enumerate()
        .filter_map(|(i, e)| Some((e.hash.as_deref()?, i)))
        .collect();
    let last_seq = events.last().map_or(0, |e| e.seq);
    let mut expected_prev = GENESIS;
    let mut expected_seq = 1;
    for (i, e) in events.iter().enumerate() {
        let at = |seq: i64| format!("audit event #{seq}");
        if e.seq != expected_seq {
            let gap = if e.seq - 1 == expected_seq {
                format!("event #{expected_seq} is missing")
            } else {
                format!("events #{expected_seq} to #{} are missing", e.seq - 1)
            };
            return Some(Problem::new(
                "chain",
                at(expected_seq),
                format!("deleted: {gap} from the log"),
            ));
        }
        let (Some(prev), Some(stored)) = (e.prev_hash.as_deref(), e.hash.as_deref()) else {
            return Some(Problem::new(
                "chain",
                at(e.seq),
                "inserted: the event has no hash, so it was not written by vetter",
            ));
        };
        let own_ok = e.compute_hash() == stored;
        let prev_ok = prev == expected_prev;
        if own_ok && prev_ok {
            expected_prev = stored;
            expected_seq += 1;
            continue;
        }
        let prev_at = position.get(prev).copied();
        // Where this event's hash says it was written, if not here.
        let written_as = if own_ok {
            Some(e.seq)
        } else {
            (1..=last_seq + 1).find(|&s| e.hash_as(s) == stored)
        };
        let what = match written_as {
            None => "edited: the event's fields no longer match its hash".to_string(),
            Some(s) if s == e.seq => match prev_at {
                Some(p) if p + 1 < i => format!(
                    "inserted: the chain runs from #{} straight to #{}, so the events between were inserted",
                    events[p].seq, e.seq
                ),
                Some(p) if p >= i => format!(
                    "reordered: #{} links to #{}, which now comes after it",
                    e.seq, events[p].seq
                ),
                _ if prev == GENESIS => {
                    "inserted: events before it were inserted ahead of the first event".to_string()
                }
                _ => {
                    return Some(Problem::new(
                        "chain",
                        at(e.seq - 1),
                        format!(
                            "edited: event #{} was changed and its hash recomputed; event #{} recorded another hash for it",
                            e.seq - 1,
                            e.seq
                        ),
                    ))
                }
            },
            Some(s) if s > e.seq && prev_at.is_none() => format!(
                "deleted: this event was written as #{s}; an event before it was deleted and the rest renumbered"
            ),
            Some(s) if s < e.seq && prev_at.is_some_and(|p| p + 1 < i) => format!(
                "inserted: this event was written as #{s}; an event was inserted before it"
            ),
            Some(s) => format!("reordered: this event was written as #{s}"),
        };
        return Some(Problem::new("chain", at(e.seq), what));
    }
    None
}

/// Re-hashes every stored evidence file.
fn check_blobs(store: &Store, problems: &mut Vec<Problem>) -> Result<(usize, i64)> {
    let blobs = store::evidence::blobs(store.conn())?;
    let mut bytes = 0;
    for (sha256, size) in &blobs {
        let actual = store::evidence::read_blob(store.conn(), sha256, &mut std::io::sink())?;
        bytes += size;
        if &actual != sha256 {
            for (evidence, vendor) in store::evidence::users_of_blob(store.conn(), sha256)? {
                problems.push(Problem::new(
                    "evidence",
                    format!("evidence #{evidence} of '{vendor}'"),
                    format!("the stored file hashes to {actual}, not its recorded {sha256}"),
                ));
            }
        }
    }
    Ok((blobs.len(), bytes))
}

/// Keys of a record's values that are not the record's own: the vendor slug
/// (it follows a rename) and the id (the event's entity id says it).
const NOT_COMPARED: [&str; 2] = ["id", "vendor"];

/// Replays the log: folds each event's new values into the state of the
/// record it names, then compares every record with its state.
fn replay(
    conn: &rusqlite::Connection,
    events: &[StoredEvent],
    problems: &mut Vec<Problem>,
) -> Result<usize> {
    let mut state: BTreeMap<(&'static str, String), serde_json::Map<String, Value>> =
        BTreeMap::new();
    let mut imports: HashMap<i64, (i64, i64, Option<String>)> = HashMap::new();
    let mut finding_events: HashMap<i64, (String, Value)> = HashMap::new();
    let mut review_starts: HashMap<i64, i64> = HashMap::new();
    for e in events {
        let new: Option<Value> = e
            .new_value
            .as_deref()
            .and_then(|t| serde_json::from_str(t).ok());
        let Some(Value::Object(new)) = new else {
            continue;
        };
        let id = e.entity_id.clone().unwrap_or_default();
        match (e.entity.as_str(), e.command.as_str()) {
            ("finding", "import findings") => {
                let num = |k: &str| new.get(k).and_then(Value::as_i64).unwrap_or(0);
                let digest = new
                    .get("rows_sha256")
                    .and_then(Value::as_str)
                    .map(str::to_string);
                imports.insert(e.seq, (num("first_finding"), num("last_finding"), digest));
            }
            ("finding", _) => {
                finding_events.insert(e.seq, (id, Value::Object(new)));
            }
            ("review", "review start") => {
                if let Some(review) = new.get("review").and_then(Value::as_i64) {
                    review_starts.insert(e.seq, review);
                }
            }
            ("vendor", _) => {
                let key = e.vendor_id.map(|v| v.to_string()).unwrap_or(id);
                merge(state.entry(("vendor", key)).or_default(), new);
            }
            ("evidence", "evidence link") => {
                let s = state.entry(("evidence", id)).or_default();
                push_to(s, "items", new.get("item"));
                push_to(s, "clauses", new.get("clause"));
            }
            ("clause", _) => {
                if let Some(evidence) = new.get("evidence").and_then(Value::as_i64) {
                    let clause = new.get("id").cloned().unwrap_or(Value::Null);
                    let s = state.entry(("evidence", evidence.to_string())).or_default();
                    push_to(s, "clauses", Some(&clause));
                }
                let mut new = new;
                new.remove("evidence");
                merge(state.entry(("clause", id)).or_default(), new);
            }
            ("profile", _) => {
                for (key, value) in new {
                    state.insert(
                        ("profile", key.clone()),
                        serde_json::Map::from_iter([(key, value)]),
                    );
                }
            }
            (entity @ ("evidence" | "question" | "waiver"), _) => {
                let entity = match entity {
                    "evidence" => "evidence",
                    "question" => "question",
                    _ => "waiver",
                };
                merge(state.entry((entity, id)).or_default(), new);
            }
            _ => {}
        }
    }

    let mut checked = 0;
    let defaults = crate::profile::Profile::default();
    for record in store::replay::current_records(conn)? {
        checked += 1;
        let place = match record.entity {
            "profile" => format!("profile key '{}'", record.key),
            "vendor" => format!(
                "vendor '{}'",
                record.values["slug"].as_str().unwrap_or_default()
            ),
            entity => format!("{entity} #{}", record.key),
        };
        let Some(logged) = state.remove(&(record.entity, record.key.clone())) else {
            problems.push(Problem::new(
                "replay",
                place,
                "added outside vetter: no audit event created it",
            ));
            continue;
        };
        let current = match record.entity {
            "profile" => serde_json::Map::from_iter([(record.key.clone(), record.values)]),
            _ => match record.values {
                Value::Object(map) => map,
                _ => continue,
            },
        };
        compare(&place, &current, &logged, problems);
    }
    // What the log says exists but the database no longer has.
    for ((entity, key), logged) in state {
        if entity == "profile" {
            // A key set back to its default is not stored.
            let value = logged.get(&key).and_then(Value::as_str).unwrap_or("");
            if value.is_empty() || value == defaults.get(&key) {
                continue;
            }
            problems.push(Problem::new(
                "replay",
                format!("profile key '{key}'"),
                format!("deleted outside vetter: the audit log says it is '{value}'"),
            ));
            continue;
        }
        problems.push(Problem::new(
            "replay",
            format!("{entity} #{key}"),
            "deleted outside vetter: the audit log records it, the database has no such row",
        ));
    }

    // Findings: each names the event that recorded it.
    let mut carried: Vec<(i64, i64, Value)> = Vec::new();
    let mut digests: HashMap<i64, store::finding::RowsDigest> = HashMap::new();
    store::replay::for_each_finding(conn, |f| {
        checked += 1;
        let place = format!("finding #{}", f.id);
        if let Some((recorded, logged)) = finding_events.get(&f.event_id) {
            if *recorded != f.id.to_string() {
                problems.push(Problem::new(
                    "replay",
                    place,
                    format!(
                        "added outside vetter: its event #{} records another finding",
                        f.event_id
                    ),
                ));
            } else if let (Value::Object(current), Value::Object(logged)) = (&f.values, logged) {
                compare(&place, current, logged, problems);
            }
        } else if let Some((first, last, digest)) = imports.get(&f.event_id) {
            if f.id < *first || f.id > *last {
                problems.push(Problem::new(
                    "replay",
                    place,
                    format!(
                        "added outside vetter: its import (event #{}) recorded findings #{first}-#{last}",
                        f.event_id
                    ),
                ));
            } else if digest.is_some() {
                digests.entry(f.event_id).or_default().add(&f.values);
            }
        } else if let (Some(from), true) = (
            f.carried_from,
            review_starts.get(&f.event_id) == Some(&f.review_id),
        ) {
            // Carried forward by `review start`: a copy of an earlier
            // finding, checked against it once all are read.
            carried.push((f.id, from, f.values));
        } else {
            problems.push(Problem::new(
                "replay",
                place,
                format!(
                    "added outside vetter: event #{} did not record it",
                    f.event_id
                ),
            ));
        }
        Ok(())
    })?;
    checked += check_signoffs(conn, events, problems)?;
    for (id, from, mut values) in carried {
        let original = store::replay::finding_values(conn, from)?;
        // The copy belongs to the new review; everything else is the original's.
        let same_but_review = original.is_some_and(|mut original| {
            original["review"] = Value::Null;
            values["review"] = Value::Null;
            original == values
        });
        if !same_but_review {
            problems.push(Problem::new(
                "replay",
                format!("finding #{id}"),
                format!("changed outside vetter: it was carried forward from finding #{from} and no longer matches it"),
            ));
        }
    }
    for (event, (first, last, digest)) in &imports {
        let Some(recorded) = digest else { continue };
        let actual = digests.remove(event).map(|d| d.finish());
        if actual.as_ref() != Some(recorded) {
            problems.push(Problem::new(
                "replay",
                format!("findings #{first}-#{last}"),
                format!(
                    "changed outside vetter: the rows imported by event #{event} no longer match the SHA-256 it recorded"
                ),
            ));
        }
    }
    Ok(checked)
}

/// Sign-off steps (submit, reopen, decide): each row is what its event
/// recorded, and every such event still has its row. A decision changed in
/// SQL (reject made approve) is named.
fn check_signoffs(
    conn: &rusqlite::Connection,
    events: &[StoredEvent],
    problems: &mut Vec<Problem>,
) -> Result<usize> {
    let mut steps: BTreeMap<i64, &StoredEvent> = events
        .iter()
        .filter(|e| {
            e.entity == "review"
                && matches!(
                    e.command.as_str(),
                    "review submit" | "review reopen" | "review decide"
                )
        })
        .map(|e| (e.seq, e))
        .collect();
    let rows = store::replay::signoffs(conn)?;
    for row in &rows {
        let place = format!(
            "sign-off #{} ({} of review id {})",
            row.id, row.action, row.review_id
        );
        let Some(event) = steps.remove(&row.event_id) else {
            problems.push(Problem::new(
                "replay",
                place,
                format!(
                    "added outside vetter: event #{} did not record it",
                    row.event_id
                ),
            ));
            continue;
        };
        let recorded_as_ours = event.command == format!("review {}", row.action)
            && event.entity_id.as_deref() == Some(&row.review_id.to_string())
            && event.at == row.at
            && event.actor == row.actor;
        if !recorded_as_ours {
            problems.push(Problem::new(
                "replay",
                place,
                format!(
                    "changed outside vetter: its action, review, time or actor is not what event #{} recorded",
                    row.event_id
                ),
            ));
            continue;
        }
        let logged = event
            .new_value
            .as_deref()
            .and_then(|t| serde_json::from_str::<Value>(t).ok());
        if let (Some(Value::Object(logged)), Value::Object(current)) = (logged, &row.values) {
            let logged = logged
                .into_iter()
                .filter(|(k, _)| current.contains_key(k))
                .collect();
            compare(&place, current, &logged, problems);
        }
    }
    for (seq, event) in steps {
        problems.push(Problem::new(
            "replay",
            format!("audit event #{seq}"),
            format!(
                "deleted outside vetter: the `{}` it records has no sign-off row",
                event.command
            ),
        ));
    }
    Ok(rows.len())
}

/// Sets each key of `new` in `state` (a later event's values win).
fn merge(state: &mut serde_json::Map<String, Value>, new: serde_json::Map<String, Value>) {
    state.extend(new);
}

/// Adds a linked id or item to a list in `state`, once.
fn push_to(state: &mut serde_json::Map<String, Value>, key: &str, value: Option<&Value>) {
    let Some(value) = value.filter(|v| !v.is_null()) else {
        return;
    };
    let list = state
        .entry(key.to_string())
        .or_insert_with(|| Value::Array(Vec::new()));
    if let Value::Array(list) = list {
        if !list.contains(value) {
            list.push(value.clone());
        }
    }
}

/// Names each value that differs from what the log last recorded.
fn compare(
    place: &str,
    current: &serde_json::Map<String, Value>,
    logged: &serde_json::Map<String, Value>,
    problems: &mut Vec<Problem>,
) {
    for (key, logged_value) in logged {
        if NOT_COMPARED.contains(&key.as_str()) {
            continue;
        }
        let Some(current_value) = current.get(key) else {
            continue;
        };
        if !same(current_value, logged_value) {
            let what = if key == "sha256" {
                format!(
                    "changed outside vetter: the audit log recorded sha256 {logged_value} when it was added; the record now says {current_value}"
                )
            } else {
                format!(
                    "changed outside vetter: {key} is {current_value} in the database, the audit log says {logged_value}"
                )
            };
            problems.push(Problem::new("replay", place, what));
        }
    }
}

/// Equal, with lists compared as sets (links are kept in no set order).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Array(a), Value::Array(b)) => {
            let mut a: Vec<String> = a.iter().map(Value::to_string).collect();
            let mut b: Vec<String> = b.iter().map(Value::to_string).collect();
            a.sort();
            b.sort();
            a == b
        }
        _ => a == b,
    }
}

/// What checking an exported packet found.
#[derive(Debug, Serialize)]
pub struct PacketReport {
    pub dir: String,
    pub files_listed: usize,
    pub head: Option<ChainHead>,
    pub problems: Vec<Problem>,
}

/// Checks a packet directory: every file against SHA256SUMS (altered,
/// added, missing), and that the chain head it carries is still in this
/// database's log. A directory that is not a packet is bad input.
pub fn check_packet(store: &Store, dir: &std::path::Path) -> Result<PacketReport> {
    use crate::error::Error;
    if !dir.is_dir() {
        return Err(
            Error::user(format!("no packet directory at '{}'", dir.display()))
                .with_hint("pass the directory `vetter export --out DIR` wrote"),
        );
    }
    let sums_path = dir.join("SHA256SUMS");
    let sums = std::fs::read_to_string(&sums_path).map_err(|e| {
        Error::user(format!(
            "'{}' is not a packet: cannot read its SHA256SUMS ({e})",
            dir.display()
        ))
        .with_hint("pass the directory `vetter export --out DIR` wrote")
    })?;
    let mut problems = Vec::new();
    let mut head = None;
    let mut listed: BTreeMap<String, String> = BTreeMap::new();
    for (n, line) in sums.lines().enumerate() {
        if line.starts_with('#') {
            if let Some(h) = crate::report::parse_head_line(line) {
                head = Some(h);
            }
            continue;
        }
        let entry = line
            .split_once("  ")
            .filter(|(hash, _)| hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()));
        match entry {
            Some((hash, path)) if is_inside(path) => {
                listed.insert(path.to_string(), hash.to_ascii_lowercase());
            }
            _ => problems.push(Problem::new(
                "packet",
                format!("SHA256SUMS line {}", n + 1),
                format!("not a 'SHA256  PATH' line inside the packet: {line:?}"),
            )),
        }
    }
    if listed.is_empty() {
        return Err(Error::user(format!(
            "'{}' is not a packet: its SHA256SUMS lists no files",
            dir.display()
        ))
        .with_hint("pass the directory `vetter export --out DIR` wrote"));
    }
    let mut present = Vec::new();
    list_files(dir, dir, &mut present)?;
    for path in &present {
        if path != "SHA256SUMS" && !listed.contains_key(path) {
            problems.push(Problem::new(
                "packet",
                path.clone(),
                "added: the file is not listed in SHA256SUMS",
            ));
        }
    }
    for (path, hash) in &listed {
        let full = dir.join(path);
        match std::fs::File::open(&full) {
            Err(_) => problems.push(Problem::new(
                "packet",
                path.clone(),
                "missing: SHA256SUMS lists it, the packet does not have it",
            )),
            Ok(mut file) => {
                let mut hasher = sha2::Sha256::new();
                std::io::copy(&mut file, &mut hasher)?;
                let actual = crate::digest::hex(&sha2::Digest::finalize(hasher));
                if &actual != hash {
                    problems.push(Problem::new(
                        "packet",
                        path.clone(),
                        format!("altered: it hashes to {actual}, SHA256SUMS says {hash}"),
                    ));
                }
            }
        }
    }
    match &head {
        None => problems.push(Problem::new(
            "packet",
            "SHA256SUMS",
            "carries no audit chain head, so the log cannot be checked against it; re-export the packet",
        )),
        Some(h) => {
            match store::audit::hash_of(store.conn(), h.seq)? {
                None => problems.push(Problem::new(
                    "packet",
                    format!("audit event #{}", h.seq),
                    format!(
                        "the packet's chain head is event #{}, which this database's log does not have: the log was truncated since the export (or this packet is from another database)",
                        h.seq
                    ),
                )),
                Some(stored) if stored.as_deref() != Some(h.hash.as_str()) => {
                    problems.push(Problem::new(
                        "packet",
                        format!("audit event #{}", h.seq),
                        "the database's event has another hash than the packet's head: the log was rewritten since the export (or this packet is from another database)",
                    ))
                }
                Some(_) => {}
            }
            packet_json_agrees(dir, h, &mut problems);
        }
    }
    Ok(PacketReport {
        dir: dir.display().to_string(),
        files_listed: listed.len(),
        head,
        problems,
    })
}

/// packet.json (covered by SHA256SUMS) carries the same head as the
/// manifest's comment line (which is not), or someone edited the comment.
fn packet_json_agrees(dir: &std::path::Path, head: &ChainHead, problems: &mut Vec<Problem>) {
    let Ok(text) = std::fs::read_to_string(dir.join("packet.json")) else {
        return;
    };
    let Ok(json) = serde_json::from_str::<Value>(&text) else {
        return;
    };
    let recorded = &json["audit_chain"]["head"];
    if recorded["seq"].as_i64() != Some(head.seq) || recorded["hash"].as_str() != Some(&head.hash) {
        problems.push(Problem::new(
            "packet",
            "SHA256SUMS",
            format!(
                "its chain head (event #{}) is not the one packet.json records ({recorded})",
                head.seq
            ),
        ));
    }
}

/// A relative path that stays inside the packet.
fn is_inside(path: &str) -> bool {
    let p = std::path::Path::new(path);
    !path.is_empty()
        && p.components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
}

/// Every file under `dir`, as paths relative to `root` with '/' separators.
fn list_files(root: &std::path::Path, dir: &std::path::Path, out: &mut Vec<String>) -> Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            list_files(root, &path, out)?;
        } else {
            let relative = path.strip_prefix(root).unwrap_or(&path);
            out.push(
                relative
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/"),
            );
        }
    }
    Ok(())
}
