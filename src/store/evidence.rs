//! SQL for evidence and its content-addressed blobs.
//!
//! Content is streamed in and out (see `insert_blob`), so a 50 MB file
//! never sits in memory whole.

use super::sql::{params, Db, Row, Tx};
use crate::error::{Error, Result};
use crate::model::Evidence;
use sha2::{Digest, Sha256};
use std::io::{Read, Write};

const CHUNK: usize = 1 << 20;

pub fn blob_exists(conn: &Db, sha256: &str) -> Result<bool> {
    Ok(conn
        .query_opt("SELECT 1 FROM blob WHERE sha256 = ?1", [sha256], |_| Ok(()))?
        .is_some())
}

/// Streams `reader` (exactly `size` bytes) into a new blob keyed by
/// `sha256`, hashing as it goes; fails (and the transaction rolls back) if
/// the bytes do not hash to `sha256`, e.g. because the file changed since it
/// was hashed.
///
/// SQLite: a row of the right size is inserted as a zeroblob and the file
/// streamed into it. PostgreSQL: `blob` holds the size and `blob_chunk` the
/// content in 1 MiB rows, so neither engine holds a whole file in memory.
pub fn insert_blob(tx: &Tx, sha256: &str, size: u64, reader: &mut dyn Read) -> Result<()> {
    match tx.as_sqlite() {
        Some(conn) => {
            conn.execute(
                "INSERT INTO blob (sha256, size, content) VALUES (?1, ?2, zeroblob(?2))",
                rusqlite::params![sha256, size as i64],
            )?;
            let rowid = conn.last_insert_rowid();
            let mut blob = conn.blob_open(rusqlite::MAIN_DB, c"blob", c"content", rowid, false)?;
            copy_checked(reader, sha256, size, |chunk| Ok(blob.write_all(chunk)?))
        }
        None => {
            tx.execute(
                "INSERT INTO blob (sha256, size) VALUES (?1, ?2)",
                params![sha256, size as i64],
            )?;
            let mut n: i64 = 0;
            copy_checked(reader, sha256, size, |chunk| {
                tx.execute(
                    "INSERT INTO blob_chunk (sha256, n, data) VALUES (?1, ?2, ?3)",
                    params![sha256, n, chunk],
                )?;
                n += 1;
                Ok(())
            })
        }
    }
}

/// Reads `reader` to its end in chunks of at most 1 MiB, each handed to
/// `write`, checking that it is `size` bytes that hash to `sha256`.
fn copy_checked(
    reader: &mut dyn Read,
    sha256: &str,
    size: u64,
    mut write: impl FnMut(&[u8]) -> Result<()>,
) -> Result<()> {
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; CHUNK];
    let mut written: u64 = 0;
    loop {
        // Whole chunks: PostgreSQL stores one row per chunk.
        let mut n = 0;
        while n < buf.len() {
            match reader.read(&mut buf[n..])? {
                0 => break,
                read => n += read,
            }
        }
        if n == 0 {
            break;
        }
        written += n as u64;
        if written > size {
            return Err(
                Error::user("the file grew while it was being stored; nothing was stored")
                    .with_hint("try again once the file is complete"),
            );
        }
        hasher.update(&buf[..n]);
        write(&buf[..n])?;
    }
    let actual = crate::digest::hex(&hasher.finalize());
    if written != size || actual != sha256 {
        return Err(
            Error::user("the file changed while it was being stored; nothing was stored")
                .with_hint("try again once the file is no longer being written"),
        );
    }
    Ok(())
}

/// Streams the content of blob `sha256` into `out`, returning the SHA-256 of
/// what was written.
pub fn read_blob(conn: &Db, sha256: &str, out: &mut dyn Write) -> Result<String> {
    let mut hasher = Sha256::new();
    match conn.as_sqlite() {
        Some(sqlite) => {
            let rowid: i64 =
                sqlite.query_row("SELECT rowid FROM blob WHERE sha256 = ?1", [sha256], |r| {
                    r.get(0)
                })?;
            let mut blob = sqlite.blob_open(rusqlite::MAIN_DB, c"blob", c"content", rowid, true)?;
            let mut buf = vec![0u8; CHUNK];
            loop {
                let n = blob.read(&mut buf)?;
                if n == 0 {
                    break;
                }
                hasher.update(&buf[..n]);
                out.write_all(&buf[..n])?;
            }
        }
        None => {
            // One chunk per round trip: a file of hundreds of MB is never
            // held whole.
            let chunks: i64 = conn.query_row(
                "SELECT count(*) FROM blob_chunk WHERE sha256 = ?1",
                [sha256],
                |r| r.get(0),
            )?;
            for n in 0..chunks {
                let data: Vec<u8> = conn.query_row(
                    "SELECT data FROM blob_chunk WHERE sha256 = ?1 AND n = ?2",
                    params![sha256, n],
                    |r| r.get(0),
                )?;
                hasher.update(&data);
                out.write_all(&data)?;
            }
        }
    }
    Ok(crate::digest::hex(&hasher.finalize()))
}

/// Every blob: (sha256 as recorded, size).
pub fn blobs(conn: &Db) -> Result<Vec<(String, i64)>> {
    let mut stmt = conn.prepare("SELECT sha256, size FROM blob ORDER BY sha256")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect::<Result<_>>()
}

const SELECT: &str = "SELECT e.id, e.vendor_id, v.slug, e.kind, e.title, e.file_name, e.sha256, e.size, e.source_url, e.quote,
        e.retrieved, e.valid_from, e.valid_until, e.period_start, e.period_end, e.opinion, e.exceptions, e.cuecs,
        e.subservice, e.bridge_letter_until, e.created_at, e.created_by,
        (SELECT string_agg(item_id, ',') FROM (SELECT item_id FROM evidence_item WHERE evidence_id = e.id ORDER BY item_id) AS i),
        (SELECT string_agg(CAST(clause_id AS TEXT), ',') FROM (SELECT clause_id FROM evidence_clause WHERE evidence_id = e.id ORDER BY clause_id) AS c)
    FROM evidence e JOIN vendor v ON v.id = e.vendor_id";

fn from_row(r: &Row) -> Result<Evidence> {
    let items: Option<String> = r.get(22)?;
    let clauses: Option<String> = r.get(23)?;
    Ok(Evidence {
        id: r.get(0)?,
        vendor_id: r.get(1)?,
        vendor: r.get(2)?,
        kind: r.get(3)?,
        title: r.get(4)?,
        file_name: r.get(5)?,
        sha256: r.get(6)?,
        size: r.get(7)?,
        source_url: r.get(8)?,
        quote: r.get(9)?,
        retrieved: r.get(10)?,
        valid_from: r.get(11)?,
        valid_until: r.get(12)?,
        period_start: r.get(13)?,
        period_end: r.get(14)?,
        opinion: r.get(15)?,
        exceptions: r.get(16)?,
        cuecs: r.get(17)?,
        subservice: r.get(18)?,
        bridge_letter_until: r.get(19)?,
        created_at: r.get(20)?,
        created_by: r.get(21)?,
        items: items
            .map(|s| s.split(',').map(str::to_string).collect())
            .unwrap_or_default(),
        clauses: clauses
            .map(|s| s.split(',').filter_map(|c| c.parse().ok()).collect())
            .unwrap_or_default(),
    })
}

pub fn insert(tx: &Tx, e: &Evidence) -> Result<i64> {
    tx.insert(
        "INSERT INTO evidence (vendor_id, kind, title, file_name, sha256, size, source_url, quote, retrieved, valid_from,
                               valid_until, period_start, period_end, opinion, exceptions, cuecs, subservice,
                               bridge_letter_until, created_at, created_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)",
        params![
            e.vendor_id, e.kind, e.title, e.file_name, e.sha256, e.size, e.source_url, e.quote, e.retrieved, e.valid_from,
            e.valid_until, e.period_start, e.period_end, e.opinion, e.exceptions, e.cuecs, e.subservice,
            e.bridge_letter_until, e.created_at, e.created_by
        ],
    )
}

pub fn link_item(tx: &Tx, evidence_id: i64, item: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO evidence_item (evidence_id, item_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
        params![evidence_id, item],
    )?;
    Ok(())
}

pub fn link_clause(tx: &Tx, evidence_id: i64, clause_id: i64, page: Option<u32>) -> Result<()> {
    tx.execute(
        "INSERT INTO evidence_clause (evidence_id, clause_id, page) VALUES (?1, ?2, ?3)
         ON CONFLICT (evidence_id, clause_id) DO UPDATE SET page = coalesce(?3, evidence_clause.page)",
        params![evidence_id, clause_id, page],
    )?;
    Ok(())
}

pub fn by_id(conn: &Db, id: i64) -> Result<Evidence> {
    conn.query_opt(&format!("{SELECT} WHERE e.id = ?1"), [id], from_row)?
        .ok_or_else(|| {
            Error::user(format!("unknown evidence #{id}"))
                .with_hint("list evidence with `vetter evidence list VENDOR`")
        })
}

/// Every piece of evidence of every vendor, by id.
pub fn all(conn: &Db) -> Result<Vec<Evidence>> {
    let mut stmt = conn.prepare(&format!("{SELECT} ORDER BY e.id"))?;
    let rows = stmt.query_map([], from_row)?;
    rows.collect::<Result<_>>()
}

pub fn for_vendor(conn: &Db, vendor_id: i64) -> Result<Vec<Evidence>> {
    let mut stmt =
        conn.prepare_cached(&format!("{SELECT} WHERE e.vendor_id = ?1 ORDER BY e.id"))?;
    let rows = stmt.query_map([vendor_id], from_row)?;
    rows.collect::<Result<_>>()
}

/// Evidence of vendors not archived whose valid_until is on or before `until`.
pub fn expiring(conn: &Db, until: &str) -> Result<Vec<Evidence>> {
    let mut stmt = conn.prepare(&format!(
        "{SELECT} WHERE e.valid_until IS NOT NULL AND e.valid_until <= ?1 AND v.archived_at IS NULL ORDER BY e.valid_until, e.id"
    ))?;
    let rows = stmt.query_map([until], from_row)?;
    rows.collect::<Result<_>>()
}

/// Evidence of active vendors that covers a period (a report with
/// `--period-end`), for the calendar's staleness dates.
pub fn with_period(conn: &Db) -> Result<Vec<Evidence>> {
    let mut stmt = conn.prepare(&format!(
        "{SELECT} WHERE e.period_end IS NOT NULL AND v.archived_at IS NULL ORDER BY e.id"
    ))?;
    let rows = stmt.query_map([], from_row)?;
    rows.collect::<Result<_>>()
}

/// (evidence id, vendor slug) of every piece of evidence holding blob `sha256`.
pub fn users_of_blob(conn: &Db, sha256: &str) -> Result<Vec<(i64, String)>> {
    let mut stmt = conn.prepare("SELECT e.id, v.slug FROM evidence e JOIN vendor v ON v.id = e.vendor_id WHERE e.sha256 = ?1 ORDER BY e.id")?;
    let rows = stmt.query_map([sha256], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect::<Result<_>>()
}
