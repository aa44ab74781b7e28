//! The replay check of `vetter verify`: fold the audit log into what each
//! record should be, then compare every record with it. A record no event
//! created, a value the log never recorded, a record moved to another vendor
//! or deleted, are each named with the field and the event.
//!
//! The log says what each command wrote: the values of vendors, clauses,
//! evidence and waivers whole; a finding's values; an import's row range and
//! a SHA-256 over its rows; a review's item snapshot as a SHA-256 and the
//! findings it carried forward; sign-off steps; question answers. Databases
//! chained by migration 0006 got one `schema upgrade` event holding the same
//! digests for the records written before the chain (what the log did not
//! say then), so those are checked from the upgrade on.

use super::integrity::Problem;
use crate::error::Result;
use crate::store::audit::StoredEvent;
use crate::store::{self, replay::FindingRecord};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap};

/// Keys of a record's values that are not the record's own: the vendor slug
/// (it follows a rename) and the id (the event's entity id says it).
const NOT_COMPARED: [&str; 2] = ["id", "vendor"];

type Key = (&'static str, String);

/// What the log says, folded event by event.
#[derive(Default)]
struct Log<'a> {
    /// The values each record last became.
    state: BTreeMap<Key, Map<String, Value>>,
    /// The vendor each record was created for.
    owner: HashMap<Key, Option<i64>>,
    /// `finding add` events: seq -> (the finding id it names, its values).
    finding_adds: BTreeMap<i64, (String, Value)>,
    /// `import findings` events: seq -> the rows it wrote.
    imports: BTreeMap<i64, Range>,
    /// `review start` events, by review id.
    starts: BTreeMap<i64, Start<'a>>,
    /// Answer events per question id, oldest first.
    answers: BTreeMap<i64, Vec<&'a StoredEvent>>,
    /// Sign-off events by seq.
    signoffs: BTreeMap<i64, &'a StoredEvent>,
    events: HashMap<i64, &'a StoredEvent>,
    /// `subprocessor add` observations not yet matched to a row.
    subprocessor_adds: Vec<(i64, &'a StoredEvent, Value)>,
    /// `subprocessor import` snapshots by "vendor id/seen".
    snapshots: BTreeMap<String, (&'a StoredEvent, Range)>,
    /// `import questionnaire` events by seq, with the values they recorded.
    questionnaires: BTreeMap<i64, (&'a StoredEvent, Map<String, Value>)>,
}

/// A range of finding ids one event wrote, and (when recorded) a SHA-256
/// over their values.
#[derive(Default, Clone)]
struct Range {
    first: i64,
    count: i64,
    digest: Option<String>,
}

struct Start<'a> {
    event: &'a StoredEvent,
    new: Map<String, Value>,
    carried: Option<Range>,
    items_sha256: Option<String>,
}

pub fn check(
    conn: &crate::store::sql::Db,
    events: &[StoredEvent],
    problems: &mut Vec<Problem>,
) -> Result<usize> {
    let log = fold(events);
    let mut checked = check_records(conn, &log, problems)?;
    checked += check_reviews(conn, &log, problems)?;
    checked += check_findings(conn, &log, problems)?;
    checked += check_answers(conn, &log, problems)?;
    checked += check_signoffs(conn, &log, problems)?;
    checked += check_subprocessors(conn, &log, problems)?;
    checked += check_questionnaires(conn, &log, problems)?;
    for (id, version, content, sha256) in store::replay::checklists(conn)? {
        checked += 1;
        let actual = crate::digest::sha256_hex(content.as_bytes());
        if actual != sha256 {
            problems.push(Problem::new(
                "replay",
                format!("checklist {id}@{version}"),
                format!("changed outside vetter: its content hashes to {actual}, not its recorded {sha256}"),
            ));
        }
    }
    Ok(checked)
}

fn parse(text: Option<&str>) -> Option<Map<String, Value>> {
    match text.and_then(|t| serde_json::from_str(t).ok()) {
        Some(Value::Object(map)) => Some(map),
        _ => None,
    }
}

fn fold(events: &[StoredEvent]) -> Log<'_> {
    let mut log = Log::default();
    for e in events {
        log.events.insert(e.seq, e);
        let Some(new) = parse(e.new_value.as_deref()) else {
            continue;
        };
        let id = e.entity_id.clone().unwrap_or_default();
        let num = |k: &str| new.get(k).and_then(Value::as_i64);
        match (e.entity.as_str(), e.command.as_str()) {
            ("finding", "import findings" | "import questionnaire") => {
                if e.command == "import questionnaire" {
                    log.questionnaires.insert(e.seq, (e, new.clone()));
                }
                let first = num("first_finding").unwrap_or(0);
                let range = Range {
                    first,
                    count: num("last_finding").unwrap_or(first - 1) - first + 1,
                    digest: new
                        .get("rows_sha256")
                        .and_then(Value::as_str)
                        .map(Into::into),
                };
                log.imports.insert(e.seq, range);
            }
            ("finding", _) => {
                log.finding_adds.insert(e.seq, (id, Value::Object(new)));
            }
            ("review", "review start") => {
                let Some(review) = num("review") else {
                    continue;
                };
                let carried = new.get("carried").map(|c| Range {
                    first: c["first"].as_i64().unwrap_or(0),
                    count: c["count"].as_i64().unwrap_or(0),
                    digest: None,
                });
                let items_sha256 = new
                    .get("items_sha256")
                    .and_then(Value::as_str)
                    .map(Into::into);
                log.starts.insert(
                    review,
                    Start {
                        event: e,
                        new,
                        carried,
                        items_sha256,
                    },
                );
            }
            ("review", "review submit" | "review reopen" | "review decide") => {
                log.signoffs.insert(e.seq, e);
            }
            ("database", "schema upgrade") => log.upgrade(&new),
            ("vendor", _) => {
                let key = e.vendor_id.map(|v| v.to_string()).unwrap_or(id);
                log.merge(("vendor", key), e, new);
            }
            ("evidence", "evidence link") => {
                let s = log.state.entry(("evidence", id)).or_default();
                push_to(s, "items", new.get("item"));
                push_to(s, "clauses", new.get("clause"));
            }
            ("clause", _) => {
                let mut new = new;
                if let Some(evidence) = new.remove("evidence").and_then(|v| v.as_i64()) {
                    let clause = new.get("id").cloned().unwrap_or(Value::Null);
                    let s = log
                        .state
                        .entry(("evidence", evidence.to_string()))
                        .or_default();
                    push_to(s, "clauses", Some(&clause));
                }
                log.merge(("clause", id), e, new);
            }
            ("profile", _) => {
                for (key, value) in new {
                    // Who set it and when, as the row records them too.
                    let values = Map::from_iter([
                        ("value".to_string(), value),
                        ("updated_at".to_string(), e.at.clone().into()),
                        ("updated_by".to_string(), e.actor.clone().into()),
                    ]);
                    log.state.insert(("profile", key), values);
                }
            }
            ("question", command) => {
                let mut new = new;
                if command == "question add" {
                    // What a new question is, though the event leaves it out.
                    for (k, v) in [
                        ("status", Value::from("open")),
                        ("resolution", Value::Null),
                        ("answer", Value::Null),
                        ("evidence", Value::Null),
                        ("asked_at", e.at.clone().into()),
                        ("asked_by", e.actor.clone().into()),
                    ] {
                        new.entry(k).or_insert(v);
                    }
                }
                if command == "question answer" {
                    if let Ok(q) = id.parse() {
                        log.answers.entry(q).or_default().push(e);
                    }
                }
                log.merge(("question", id), e, new);
            }
            ("subprocessor", "subprocessor add") => {
                let text = |k: &str| new.get(k).and_then(Value::as_str).unwrap_or_default();
                let row = store::replay::subprocessor_row(
                    text("name"),
                    text("purpose"),
                    text("location"),
                );
                let seen = Value::from(text("seen"));
                log.subprocessor_adds.push((
                    e.vendor_id.unwrap_or_default(),
                    e,
                    Value::Array(vec![row, seen]),
                ));
            }
            ("subprocessor", "subprocessor import") => {
                let key = format!(
                    "{}/{}",
                    e.vendor_id.unwrap_or_default(),
                    new.get("seen").and_then(Value::as_str).unwrap_or_default()
                );
                let range = Range {
                    first: 0,
                    count: num("rows").unwrap_or(0),
                    digest: new
                        .get("rows_sha256")
                        .and_then(Value::as_str)
                        .map(Into::into),
                };
                log.snapshots.insert(key, (e, range));
            }
            ("evidence", _) => log.merge(("evidence", id), e, new),
            ("waiver", _) => log.merge(("waiver", id), e, new),
            ("contract", _) => log.merge(("contract", id), e, new),
            _ => {}
        }
    }
    log
}

impl Log<'_> {
    /// Sets each key of `new` in the record's state (a later event's values
    /// win); the first event names the vendor the record belongs to.
    fn merge(&mut self, key: Key, e: &StoredEvent, new: Map<String, Value>) {
        self.owner.entry(key.clone()).or_insert(e.vendor_id);
        self.state.entry(key).or_default().extend(new);
    }

    /// The snapshot a schema upgrade recorded of what older events left out.
    fn upgrade(&mut self, new: &Map<String, Value>) {
        for link in new
            .get("evidence_clause_links")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let s = self
                .state
                .entry(("evidence", link[0].to_string()))
                .or_default();
            push_to(s, "clauses", Some(&link[1]));
        }
        let map = |k: &str| {
            new.get(k)
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default()
        };
        for (seq, digest) in map("import_rows_sha256") {
            if let Some(range) = seq.parse().ok().and_then(|s: i64| self.imports.get_mut(&s)) {
                range
                    .digest
                    .get_or_insert(digest.as_str().unwrap_or_default().into());
            }
        }
        for (review, digest) in map("review_items_sha256") {
            if let Some(start) = review
                .parse()
                .ok()
                .and_then(|r: i64| self.starts.get_mut(&r))
            {
                start
                    .items_sha256
                    .get_or_insert(digest.as_str().unwrap_or_default().into());
            }
        }
        for (key, digest) in map("subprocessor_snapshots_sha256") {
            if let Some((_, range)) = self.snapshots.get_mut(&key) {
                range
                    .digest
                    .get_or_insert(digest.as_str().unwrap_or_default().into());
            }
        }
        for (review, range) in map("carried") {
            if let Some(start) = review
                .parse()
                .ok()
                .and_then(|r: i64| self.starts.get_mut(&r))
            {
                start.carried.get_or_insert(Range {
                    first: range["first"].as_i64().unwrap_or(0),
                    count: range["count"].as_i64().unwrap_or(0),
                    digest: None,
                });
            }
        }
    }
}

/// Vendors, clauses, evidence, questions, waivers, contracts and profile keys.
fn check_records(
    conn: &crate::store::sql::Db,
    log: &Log,
    problems: &mut Vec<Problem>,
) -> Result<usize> {
    let mut state = log.state.clone();
    let mut checked = 0;
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
        let key = (record.entity, record.key.clone());
        let Some(logged) = state.remove(&key) else {
            problems.push(Problem::new(
                "replay",
                place,
                "added outside vetter: no audit event created it",
            ));
            continue;
        };
        if let Some(Some(owner)) = log.owner.get(&key) {
            if record.entity != "vendor" && record.vendor_id != Some(*owner) {
                problems.push(Problem::new(
                    "replay",
                    place.clone(),
                    format!(
                        "moved outside vetter: it belongs to vendor id {} in the database, the audit log created it for vendor id {owner}",
                        record.vendor_id.unwrap_or_default()
                    ),
                ));
            }
        }
        if let Value::Object(current) = &record.values {
            let logged = if record.entity == "clause" {
                terms_as_read_now(logged)
            } else {
                logged
            };
            compare(&place, current, &logged, problems);
        }
    }
    // What the log says exists but the database no longer has.
    let defaults = crate::profile::Profile::default();
    for ((entity, key), logged) in state {
        if entity == "profile" {
            // A key set back to its default is not stored.
            let value = logged.get("value").and_then(Value::as_str).unwrap_or("");
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
    Ok(checked)
}

/// Each review against its `review start` event: vendor, checklist, due
/// date, who and when, and the item snapshot's SHA-256.
fn check_reviews(
    conn: &crate::store::sql::Db,
    log: &Log,
    problems: &mut Vec<Problem>,
) -> Result<usize> {
    let reviews = store::replay::reviews(conn)?;
    let mut unmatched: BTreeMap<i64, ()> = log.starts.keys().map(|k| (*k, ())).collect();
    // The reviews a `review start --supersede` set aside, by vendor and
    // number: only those may be in state "superseded".
    let superseded: std::collections::BTreeSet<(i64, i64)> = log
        .starts
        .values()
        .filter_map(|start| {
            let number = start.new.get("supersedes").and_then(Value::as_i64)?;
            Some((start.event.vendor_id?, number))
        })
        .collect();
    for r in &reviews {
        let place = format!("review #{} of vendor id {}", r.number, r.vendor_id);
        let Some(start) = log.starts.get(&r.id) else {
            problems.push(Problem::new(
                "replay",
                place,
                "added outside vetter: no `review start` event created it",
            ));
            continue;
        };
        unmatched.remove(&r.id);
        let e = start.event;
        let mut differs = Vec::new();
        if e.vendor_id != Some(r.vendor_id) {
            differs.push("vendor");
        }
        if start.new.get("sha256").and_then(Value::as_str) != Some(&r.checklist_sha256) {
            differs.push("checklist SHA-256");
        }
        if start.new.get("due").map(|d| d.as_str()) != Some(r.due.as_deref()) {
            differs.push("due date");
        }
        if e.at != r.started_at || e.actor != r.started_by {
            differs.push("who started it and when");
        }
        if (r.state == "superseded") != superseded.contains(&(r.vendor_id, r.number)) {
            differs.push("state (superseded or not)");
        }
        if let Some(recorded) = &start.items_sha256 {
            if &store::replay::review_items_digest(conn, r.id)? != recorded {
                differs.push("item snapshot (severity, owner, questions...)");
            }
        }
        if !differs.is_empty() {
            problems.push(Problem::new(
                "replay",
                place,
                format!(
                    "changed outside vetter: its {} differ from what event #{} recorded",
                    differs.join(", "),
                    e.seq
                ),
            ));
        }
    }
    for review in unmatched.keys() {
        problems.push(Problem::new(
            "replay",
            format!("review id {review}"),
            format!(
                "deleted outside vetter: event #{} started it, the database has no such review",
                log.starts[review].event.seq
            ),
        ));
    }
    Ok(reviews.len())
}

/// Every finding names the event that wrote it: a `finding add` of that id,
/// an import whose row range holds it, or the `review start` that carried it
/// forward. Who and when must be the event's; an add's values must be what
/// it recorded; an import's rows must hash to what it recorded; a carried
/// copy must match its original in the vendor's previous decided review.
/// Then every event must still have all its findings.
fn check_findings(
    conn: &crate::store::sql::Db,
    log: &Log,
    problems: &mut Vec<Problem>,
) -> Result<usize> {
    let starts_by_event: HashMap<i64, i64> = log
        .starts
        .iter()
        .map(|(review, s)| (s.event.seq, *review))
        .collect();
    let reviews: HashMap<i64, store::replay::ReviewRecord> = store::replay::reviews(conn)?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let mut seen: HashMap<i64, i64> = HashMap::new();
    let mut digests: HashMap<i64, store::finding::RowsDigest> = HashMap::new();
    let mut carried: Vec<FindingRecord> = Vec::new();
    let mut checked = 0;
    store::replay::for_each_finding(conn, |f| {
        checked += 1;
        let place = format!("finding #{}", f.id);
        let outside = |why: String| Problem::new("replay", place.clone(), why);
        if let Some(e) = log.events.get(&f.event_id) {
            if e.at != f.recorded_at || e.actor != f.recorded_by {
                problems.push(outside(format!(
                    "changed outside vetter: recorded by {} at {}, but event #{} was {} at {}",
                    f.recorded_by, f.recorded_at, e.seq, e.actor, e.at
                )));
            }
        }
        if let Some((named, logged)) = log.finding_adds.get(&f.event_id) {
            if *named != f.id.to_string() {
                problems.push(outside(format!(
                    "added outside vetter: its event #{} records finding #{named}",
                    f.event_id
                )));
            } else if let (Value::Object(current), Value::Object(logged)) = (&f.values, logged) {
                compare(&place, current, logged, problems);
            }
        } else if let Some(range) = log.imports.get(&f.event_id) {
            if f.id < range.first || f.id >= range.first + range.count {
                problems.push(outside(format!(
                    "added outside vetter: its import (event #{}) wrote findings #{}-#{}",
                    f.event_id,
                    range.first,
                    range.first + range.count - 1
                )));
            } else if range.digest.is_some() {
                digests.entry(f.event_id).or_default().add(&f.values);
            }
        } else if let Some(review) = starts_by_event.get(&f.event_id) {
            let range = log.starts[review].carried.clone();
            let inside = range.is_some_and(|r| f.id >= r.first && f.id < r.first + r.count);
            if *review != f.review_id || f.carried_from.is_none() || !inside {
                problems.push(outside(format!(
                    "added outside vetter: `review start` (event #{}) did not carry it",
                    f.event_id
                )));
            } else {
                carried.push(f);
                return Ok(());
            }
        } else {
            problems.push(outside(format!(
                "added outside vetter: event #{} did not record it",
                f.event_id
            )));
        }
        *seen.entry(f.event_id).or_default() += 1;
        Ok(())
    })?;
    for f in carried {
        *seen.entry(f.event_id).or_default() += 1;
        let from = f.carried_from.unwrap_or_default();
        let start = &log.starts[&f.review_id];
        let follows = start.new.get("follows_decided").and_then(Value::as_i64);
        let original = store::replay::finding(conn, from)?;
        let ok = original.is_some_and(|o| {
            let previous = reviews.get(&o.review_id);
            let same_vendor_previous = previous.is_some_and(|p| {
                Some(p.number) == follows && Some(p.vendor_id) == start.event.vendor_id
            });
            let (mut a, mut b) = (o.values, f.values.clone());
            a["review"] = Value::Null;
            b["review"] = Value::Null;
            same_vendor_previous && a == b
        });
        if !ok {
            problems.push(Problem::new(
                "replay",
                format!("finding #{}", f.id),
                format!("changed outside vetter: it was carried forward from finding #{from} and no longer matches it (or that finding is not in the vendor's previous decided review)"),
            ));
        }
    }
    // Every event still has all it wrote.
    for (seq, (named, _)) in &log.finding_adds {
        if !seen.contains_key(seq) {
            problems.push(Problem::new(
                "replay",
                format!("finding #{named}"),
                format!("deleted outside vetter: event #{seq} recorded it, the database has no such finding"),
            ));
        }
    }
    let mut ranges: Vec<(i64, &Range, &str)> = log
        .imports
        .iter()
        .map(|(seq, r)| (*seq, r, "imported"))
        .collect();
    for s in log.starts.values() {
        if let Some(r) = &s.carried {
            ranges.push((s.event.seq, r, "carried forward"));
        }
    }
    for (seq, range, what) in ranges {
        let have = seen.get(&seq).copied().unwrap_or(0);
        if have != range.count {
            problems.push(Problem::new(
                "replay",
                format!("findings #{}-#{}", range.first, range.first + range.count - 1),
                format!(
                    "deleted outside vetter: event #{seq} {what} {} findings, the database has {have}",
                    range.count
                ),
            ));
        }
        if let Some(recorded) = &range.digest {
            // An import that wrote no rows recorded the digest of none.
            let actual = digests.remove(&seq).unwrap_or_default().finish();
            if have == range.count && actual != *recorded {
                problems.push(Problem::new(
                    "replay",
                    format!("findings #{}-#{}", range.first, range.first + range.count - 1),
                    format!("changed outside vetter: the rows imported by event #{seq} no longer match the SHA-256 it recorded"),
                ));
            }
        }
    }
    Ok(checked)
}

/// Every answer row is one `question answer` event: text, evidence, who, when.
fn check_answers(
    conn: &crate::store::sql::Db,
    log: &Log,
    problems: &mut Vec<Problem>,
) -> Result<usize> {
    let rows = store::replay::answers(conn)?;
    let mut by_question: BTreeMap<i64, Vec<&store::replay::AnswerRow>> = BTreeMap::new();
    for row in &rows {
        by_question.entry(row.0).or_default().push(row);
    }
    let empty = Vec::new();
    let questions: std::collections::BTreeSet<i64> = by_question
        .keys()
        .chain(log.answers.keys())
        .copied()
        .collect();
    for q in questions {
        let rows = by_question.get(&q).unwrap_or(&empty);
        let events = log.answers.get(&q).map(Vec::as_slice).unwrap_or_default();
        let place = format!("question #{q}");
        if rows.len() != events.len() {
            let how = if rows.len() > events.len() {
                "added"
            } else {
                "deleted"
            };
            problems.push(Problem::new(
                "replay",
                place,
                format!(
                    "answer {how} outside vetter: the database has {} answers, the audit log records {}",
                    rows.len(),
                    events.len()
                ),
            ));
            continue;
        }
        for (n, (row, e)) in rows.iter().zip(events).enumerate() {
            let new = parse(e.new_value.as_deref()).unwrap_or_default();
            let same = new.get("answer").and_then(Value::as_str) == Some(row.1.as_str())
                && new.get("evidence").and_then(Value::as_i64) == row.2
                && e.at == row.3
                && e.actor == row.4;
            if !same {
                problems.push(Problem::new(
                    "replay",
                    place.clone(),
                    format!(
                        "answer {} changed outside vetter: its text, evidence, time or author is not what event #{} recorded",
                        n + 1,
                        e.seq
                    ),
                ));
            }
        }
    }
    Ok(rows.len())
}

/// Sign-off steps (submit, reopen, decide): each row is what its event
/// recorded, and every such event still has its row. A decision changed in
/// SQL (reject made approve) is named.
fn check_signoffs(
    conn: &crate::store::sql::Db,
    log: &Log,
    problems: &mut Vec<Problem>,
) -> Result<usize> {
    let mut steps = log.signoffs.clone();
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
        if let (Some(logged), Value::Object(current)) =
            (parse(event.new_value.as_deref()), &row.values)
        {
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

/// Subprocessor observations: each one added by hand is one `subprocessor
/// add` event (vendor, who, when, name, purpose, location, date); each list
/// snapshot has the rows its `subprocessor import` recorded (count and
/// SHA-256), by whom and when.
fn check_subprocessors(
    conn: &crate::store::sql::Db,
    log: &Log,
    problems: &mut Vec<Problem>,
) -> Result<usize> {
    let rows = store::replay::subprocessors(conn)?;
    let mut adds = log.subprocessor_adds.clone();
    let mut snapshots: BTreeMap<String, (usize, store::finding::RowsDigest)> = BTreeMap::new();
    for r in &rows {
        let name = r.row[0].as_str().unwrap_or_default();
        let place = format!(
            "subprocessor '{name}' of vendor id {} seen {}",
            r.vendor_id, r.seen
        );
        if r.origin == "add" {
            let observed = Value::Array(vec![r.row.clone(), r.seen.clone().into()]);
            let found = adds.iter().position(|(vendor, e, values)| {
                *vendor == r.vendor_id
                    && e.at == r.recorded_at
                    && e.actor == r.recorded_by
                    && *values == observed
            });
            match found {
                Some(i) => {
                    adds.swap_remove(i);
                }
                None => problems.push(Problem::new(
                    "replay",
                    place,
                    "added or changed outside vetter: no `subprocessor add` event recorded it",
                )),
            }
            continue;
        }
        let key = format!("{}/{}", r.vendor_id, r.seen);
        match log.snapshots.get(&key) {
            Some((e, _)) if e.at == r.recorded_at && e.actor == r.recorded_by => {
                let entry = snapshots.entry(key).or_default();
                entry.0 += 1;
                entry.1.add(&r.row);
            }
            _ => problems.push(Problem::new(
                "replay",
                place,
                "added outside vetter: no `subprocessor import` of that list recorded it",
            )),
        }
    }
    for (vendor, e, values) in adds {
        problems.push(Problem::new(
            "replay",
            format!("subprocessor {} of vendor id {vendor}", values[0][0]),
            format!("deleted or changed outside vetter: event #{} recorded it, the database has no such row", e.seq),
        ));
    }
    for (key, (e, range)) in &log.snapshots {
        let (count, digest) = snapshots
            .remove(key)
            .map_or((0, None), |(n, d)| (n as i64, Some(d.finish())));
        let place = format!("subprocessor list {key} (vendor id/date)");
        if count != range.count {
            problems.push(Problem::new(
                "replay",
                place,
                format!(
                    "changed outside vetter: event #{} imported {} rows, the database has {count}",
                    e.seq, range.count
                ),
            ));
        } else if range.digest.is_some() && digest != range.digest {
            problems.push(Problem::new(
                "replay",
                place,
                format!("changed outside vetter: its rows no longer match the SHA-256 event #{} recorded", e.seq),
            ));
        }
    }
    Ok(rows.len())
}

/// Every imported questionnaire is what its import recorded: the row
/// (vendor, review, format, version, mapping, evidence, time, actor) and its
/// answers (a SHA-256 over them); and every import still has its
/// questionnaire.
fn check_questionnaires(
    conn: &crate::store::sql::Db,
    log: &Log,
    problems: &mut Vec<Problem>,
) -> Result<usize> {
    let stored = store::questionnaire::replay_rows(conn)?;
    let mut unmatched: BTreeMap<i64, ()> = log.questionnaires.keys().map(|k| (*k, ())).collect();
    for row in &stored {
        let place = format!("questionnaire #{}", row.id);
        let event = row.event_id;
        let Some((e, new)) = log.questionnaires.get(&event) else {
            problems.push(Problem::new(
                "replay",
                place,
                format!("added outside vetter: event #{event} did not import it"),
            ));
            continue;
        };
        unmatched.remove(&event);
        // The row's values beside what the event says they were: the
        // import's own values, and the event's vendor, time and actor.
        let current = serde_json::json!({
            "vendor_id": row.vendor_id, "review": row.review_id, "format": row.format,
            "version": row.version, "mapping": row.mapping, "evidence": row.evidence_id,
            "imported_at": row.imported_at, "imported_by": row.imported_by,
        });
        let mut logged: Map<String, Value> = new
            .iter()
            .filter(|(k, _)| {
                matches!(
                    k.as_str(),
                    "review" | "format" | "version" | "mapping" | "evidence"
                )
            })
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        logged.insert("vendor_id".into(), e.vendor_id.into());
        logged.insert("imported_at".into(), e.at.clone().into());
        logged.insert("imported_by".into(), e.actor.clone().into());
        if let Value::Object(current) = &current {
            compare(&place, current, &logged, problems);
        }
        let recorded = new.get("answers_sha256").and_then(Value::as_str);
        if recorded.is_some_and(|r| r != row.answers_sha256) {
            problems.push(Problem::new(
                "replay",
                place,
                format!("changed outside vetter: its answers no longer match the SHA-256 event #{event} recorded"),
            ));
        }
    }
    for seq in unmatched.keys() {
        problems.push(Problem::new(
            "replay",
            format!("audit event #{seq}"),
            "deleted outside vetter: the questionnaire it imported is gone",
        ));
    }
    Ok(stored.len())
}

/// Adds a linked id or item to a list in `state`, once.
fn push_to(state: &mut Map<String, Value>, key: &str, value: Option<&Value>) {
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
    current: &Map<String, Value>,
    logged: &Map<String, Value>,
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

/// A clause's logged terms as the model reads them today: a term that has
/// since become a list (the transfer mechanisms) was logged as one value,
/// and both say the same.
fn terms_as_read_now(mut logged: Map<String, Value>) -> Map<String, Value> {
    if let Some(terms) = logged.get_mut("terms") {
        if let Ok(read) = serde_json::from_value::<crate::model::Terms>(terms.clone()) {
            if let Ok(value) = serde_json::to_value(read) {
                *terms = value;
            }
        }
    }
    logged
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
