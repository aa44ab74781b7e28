//! Benchmark baseline for `vetter import findings`: the same N finding rows
//! inserted with bare rusqlite (one transaction, one prepared statement, no
//! CSV parsing or validation) into a copy of the same database. bench/run
//! compares the two.
//!
//! The one audit event the rows point at must carry a hash since migration
//! 0006 (the `audit_event_chained` trigger refuses NULL hashes). By default
//! it gets a dummy one: no chain, no digest, the baseline "without it".
//! With `--chained` the event is appended by vetter's own `audit::append`
//! (read the head, SHA-256 over the event, link to it) and carries vetter's
//! SHA-256 over the rows' values (`RowsDigest::add_row`, as `import
//! findings` computes it), which is what an import pays for the chain; the
//! difference between the two modes is its cost.
//!
//! Usage: cargo run --release --example bare_insert -- DB ROWS [--chained]
//!
//! The database is a throwaway copy: the dummy-hash mode leaves a log that
//! `vetter verify` rightly calls broken.

use rusqlite::{params, Connection};
use vetter::store::{audit, finding};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: bare_insert DB ROWS [--chained]";
    let db = args.next().expect(usage);
    let rows: i64 = args.next().expect(usage).parse().expect("ROWS is a number");
    let chained = match args.next().as_deref() {
        None => false,
        Some("--chained") => true,
        Some(other) => panic!("unknown argument '{other}'; {usage}"),
    };
    let conn = Connection::open(db)?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;",
    )?;
    let (review, items): (i64, Vec<(i64, String)>) = {
        let review: i64 = conn.query_row("SELECT max(id) FROM review", [], |r| r.get(0))?;
        let items = conn
            .prepare("SELECT id, item_id FROM review_item WHERE review_id = ?1")?
            .query_map([review], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        (review, items)
    };
    let note = |i: i64| format!("row {i}: clause text recorded during bulk import");
    // One transaction, begun by hand so that vetter's `audit::append` (which
    // takes vetter's own connection type) can run inside it.
    let db = vetter::store::sql::Db::sqlite(conn);
    db.execute_batch("BEGIN IMMEDIATE")?;
    let tx = db.as_sqlite().expect("a SQLite connection");
    let event = if chained {
        // What an import hashes besides the event: every row's values.
        let mut digest = finding::RowsDigest::default();
        for i in 0..rows {
            let (_, item) = &items[i as usize % items.len()];
            let note = note(i);
            digest.add_row(&finding::FindingValues {
                evidence: None,
                item,
                note: Some(&note),
                owner: None,
                page: None,
                review,
                source: "dpa",
                status: "met",
                url: None,
            });
        }
        append_event(
            &vetter::store::sql::Tx::new(&db),
            review,
            rows,
            digest.finish(),
        )?
    } else {
        tx.execute(
            "INSERT INTO audit_event (at, actor, command, entity, prev_hash, hash)
             VALUES ('2026-01-01T00:00:00Z', 'bench', 'bare', 'finding', 'unchained', 'unchained')",
            [],
        )?;
        tx.last_insert_rowid()
    };
    {
        let mut stmt = tx.prepare(
            "INSERT INTO finding (review_item_id, status, source, note, url, owner, recorded_at, recorded_by, event_id)
             VALUES (?1, 'met', 'dpa', ?2, NULL, NULL, '2026-01-01T00:00:00Z', 'bench', ?3)",
        )?;
        for i in 0..rows {
            stmt.execute(params![items[i as usize % items.len()].0, note(i), event])?;
        }
    }
    db.execute_batch("COMMIT")?;
    Ok(())
}

/// The one chained event, as vetter appends it.
fn append_event(
    tx: &vetter::store::sql::Tx,
    review: i64,
    rows: i64,
    rows_sha256: String,
) -> Result<i64, Box<dyn std::error::Error>> {
    let new = serde_json::json!({ "review": review, "rows": rows, "rows_sha256": rows_sha256 });
    Ok(audit::append(
        tx,
        &audit::NewEvent {
            at: "2026-01-01T00:00:00Z",
            real_at: None,
            actor: "bench",
            command: "bare",
            entity: "finding",
            entity_id: None,
            vendor_id: None,
            old: None,
            new: Some(new),
        },
    )?)
}
