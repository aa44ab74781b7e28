//! Whether the records can be trusted: what `vetter verify`, `backup` and
//! `restore` check. Each check says what is wrong and where:
//!
//! - integrity: SQLite's own `integrity_check` and `foreign_key_check`, and
//!   the append-only triggers the schema defines;
//! - chain: every audit event hashes to its stored hash and links to the one
//!   before it; the first break is named as an edit, a deletion, an
//!   insertion or a reordering;
//! - evidence: every stored file still hashes to its recorded SHA-256;
//! - replay (domain/replay.rs): every record is what the log says it last
//!   became;
//! - packet: an exported packet's files and chain head.

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
    pub(crate) fn new(
        check: &'static str,
        location: impl Into<String>,
        what: impl Into<String>,
    ) -> Problem {
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
    /// Decisions whose snapshot was held against the records rebuilt as
    /// of the decision.
    pub decisions: super::as_decided::SnapshotCheck,
    pub problems: Vec<Problem>,
    /// What the engine's own integrity check is, in words (not in --json,
    /// which is the same on both engines).
    #[serde(skip)]
    pub integrity_checks: &'static str,
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

/// Runs every check on the database.
pub fn check_database(store: &Store) -> Result<DatabaseReport> {
    check(store, true)
}

/// The checks that say a copy of a database is sound and whole: SQLite's
/// integrity checks and the chain. (The records in it are the original's,
/// page for page; `check_database` judges those.)
pub fn check_structure(store: &Store) -> Result<DatabaseReport> {
    check(store, false)
}

fn check(store: &Store, records: bool) -> Result<DatabaseReport> {
    let mut problems: Vec<Problem> = store
        .integrity_problems()?
        .into_iter()
        .map(|p| Problem::new("integrity", "database", p))
        .collect();
    for trigger in store.missing_triggers()? {
        problems.push(Problem::new(
            "integrity",
            format!("trigger {trigger}"),
            "missing: someone dropped this append-only rule of the schema (the chain and replay checks say whether records were changed meanwhile)",
        ));
    }
    let chain = check_chain(store.conn())?;
    if let Some(p) = chain.problem {
        problems.push(p);
    }
    let (mut evidence_files, mut evidence_bytes, mut records_replayed) = (0, 0, 0);
    let mut decisions = Default::default();
    if records {
        (evidence_files, evidence_bytes) = check_blobs(store, &mut problems)?;
        records_replayed = super::replay::check(store.conn(), &chain.events, &mut problems)?;
        decisions = super::as_decided::check_snapshots(store, &mut problems)?;
    }
    Ok(DatabaseReport {
        events: chain.count,
        chain_head: chain.head,
        injected_time_events: chain.injected,
        evidence_files,
        evidence_bytes,
        records_replayed,
        decisions,
        problems,
        integrity_checks: store.integrity_checks(),
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
fn check_chain(conn: &crate::store::sql::Db) -> Result<ChainCheck> {
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
        if e.seq < expected_seq {
            return Some(Problem::new(
                "chain",
                at(e.seq),
                format!(
                    "inserted: event #{} comes before the first event of the log",
                    e.seq
                ),
            ));
        }
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
            // Its own fields changed, or (when it still links to the event
            // before) that event was rewritten and this link forged to match.
            None if prev_ok && i > 0 => format!(
                "edited: event #{} no longer matches its hash: its fields were changed, or event #{} was rewritten and this event's link to it forged",
                e.seq,
                e.seq - 1
            ),
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
                _ if prev == GENESIS => format!(
                    "inserted: it links to the start of the log, not to event #{}",
                    e.seq - 1
                ),
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

/// What checking an exported packet found.
#[derive(Debug, Serialize)]
pub struct PacketReport {
    pub dir: String,
    pub files_listed: usize,
    pub head: Option<ChainHead>,
    /// Who signed SHA256SUMS, when --allowed-signers was given and the
    /// signature verified.
    pub signed_by: Option<crate::signature::Signer>,
    pub problems: Vec<Problem>,
}

/// Checks a packet directory: every file against SHA256SUMS (altered,
/// added, missing), its signature when `allowed` signers are given, and,
/// with a `store`, that the chain head it carries is still in that
/// database's log (without one, the packet is checked on its own). A
/// directory that is not a packet is bad input.
pub fn check_packet(
    store: Option<&Store>,
    dir: &std::path::Path,
    allowed: Option<&[crate::signature::AllowedSigner]>,
) -> Result<PacketReport> {
    use crate::error::Error;
    if !dir.is_dir() {
        return Err(
            Error::user(format!("no packet directory at '{}'", dir.display()))
                .with_hint("pass the directory `vetter export --out DIR` wrote"),
        );
    }
    let manifest = crate::packet_dir::read_manifest(dir)?;
    let head = manifest.head;
    let listed = manifest.listed;
    let mut problems: Vec<Problem> = manifest
        .bad_lines
        .into_iter()
        .map(|(line, why)| Problem::new("packet", format!("SHA256SUMS line {line}"), why))
        .collect();
    if listed.is_empty() {
        return Err(Error::user(format!(
            "'{}' is not a packet: its SHA256SUMS lists no files",
            dir.display()
        ))
        .with_hint("pass the directory `vetter export --out DIR` wrote"));
    }
    for entry in crate::packet_dir::entries(dir)? {
        let listed_here = listed.contains_key(&entry.path);
        if entry.kind != crate::packet_dir::EntryKind::Dir
            && entry.path != "SHA256SUMS"
            && entry.path != crate::signature::FILE
            && !listed_here
        {
            problems.push(Problem::new(
                "packet",
                entry.path.clone(),
                "added: the file is not listed in SHA256SUMS",
            ));
        }
    }
    for (path, hash) in &listed {
        let full = dir.join(path);
        // Only regular files are read: a symlink could point anywhere, a
        // FIFO or /dev/zero would never end.
        let kind = std::fs::symlink_metadata(&full).map(|m| m.file_type());
        match kind {
            Err(_) => problems.push(Problem::new(
                "packet",
                path.clone(),
                "missing: SHA256SUMS lists it, the packet does not have it",
            )),
            Ok(kind) if !kind.is_file() => problems.push(Problem::new(
                "packet",
                path.clone(),
                "not a regular file (a symlink, directory, FIFO or device); a packet holds only files",
            )),
            Ok(_) => {
                let mut file = std::fs::File::open(&full)?;
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
            let in_log = match store {
                Some(store) => Some(store::audit::hash_of(store.conn(), h.seq)?),
                None => None,
            };
            match in_log {
                None => {}
                Some(None) => problems.push(Problem::new(
                    "packet",
                    format!("audit event #{}", h.seq),
                    format!(
                        "the packet's chain head is event #{}, which this database's log does not have: the log was truncated since the export (or this packet is from another database)",
                        h.seq
                    ),
                )),
                Some(Some(stored)) if stored.as_deref() != Some(h.hash.as_str()) => {
                    problems.push(Problem::new(
                        "packet",
                        format!("audit event #{}", h.seq),
                        "the database's event has another hash than the packet's head: the log was rewritten since the export (or this packet is from another database)",
                    ))
                }
                Some(Some(_)) => {}
            }
            heads_agree(store, dir, &listed, h, &mut problems)?;
        }
    }
    // The signature covers SHA256SUMS byte for byte, and with it every
    // file's hash and the chain head: checked first in the report.
    let mut signed_by = None;
    if let Some(allowed) = allowed {
        let sig_path = dir.join(crate::signature::FILE);
        match crate::validate::read_capped(&sig_path, "signature", crate::signature::MAX_SIG_BYTES, "") {
            Err(_) => problems.insert(
                0,
                Problem::new(
                    "signature",
                    crate::signature::FILE,
                    "missing or unreadable: the packet is not signed, so nothing proves who wrote SHA256SUMS",
                ),
            ),
            Ok(sig) => {
                let manifest = crate::packet_dir::read_manifest_bytes(dir)?;
                match crate::signature::verify(&sig, &manifest, allowed) {
                    Ok(signer) => signed_by = Some(signer),
                    Err(why) => problems.insert(0, Problem::new("signature", crate::signature::FILE, why)),
                }
            }
        }
    }
    Ok(PacketReport {
        dir: dir.display().to_string(),
        files_listed: listed.len(),
        head,
        signed_by,
        problems,
    })
}

/// The head line of SHA256SUMS is not covered by any hash, so it must be
/// the one the packet's packet.json records (which is covered); for an
/// `export --all` directory, it must be at or after every vendor packet's,
/// and each of those must be in the database's chain too.
fn heads_agree(
    store: Option<&Store>,
    dir: &std::path::Path,
    listed: &BTreeMap<String, String>,
    head: &ChainHead,
    problems: &mut Vec<Problem>,
) -> Result<()> {
    let jsons: Vec<&String> = listed
        .keys()
        .filter(|p| crate::packet_dir::is_packet_json(p))
        .collect();
    if jsons.is_empty() {
        problems.push(Problem::new(
            "packet",
            "SHA256SUMS",
            "its chain head line cannot be confirmed: the packet has no packet.json (export it with the json format)",
        ));
    }
    for path in jsons {
        let recorded = crate::validate::read_capped(
            &dir.join(path),
            "packet.json",
            crate::report::json::MAX_BYTES,
            "a packet.json this large was not written by vetter",
        )
        .ok()
        .and_then(|t| serde_json::from_slice::<Value>(&t).ok())
        .and_then(|j| serde_json::from_value::<ChainHead>(j["audit_chain"]["head"].clone()).ok());
        let Some(recorded) = recorded else {
            problems.push(Problem::new(
                "packet",
                path.clone(),
                "records no audit chain head",
            ));
            continue;
        };
        let agrees = if path == "packet.json" {
            recorded == *head
        } else {
            recorded.seq <= head.seq
        };
        if !agrees {
            problems.push(Problem::new(
                "packet",
                "SHA256SUMS",
                format!(
                    "its chain head (event #{}) does not agree with the one {path} records (event #{})",
                    head.seq, recorded.seq
                ),
            ));
        } else if let Some(store) = store.filter(|_| path != "packet.json") {
            let stored = store::audit::hash_of(store.conn(), recorded.seq)?.flatten();
            if stored.as_deref() == Some(recorded.hash.as_str()) {
                continue;
            }
            problems.push(Problem::new(
                "packet",
                format!("audit event #{}", recorded.seq),
                format!("{path} carries a chain head this database's log no longer has: the log was truncated or rewritten since the export"),
            ));
        }
    }
    Ok(())
}
