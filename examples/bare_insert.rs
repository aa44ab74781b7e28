//! Benchmark baseline for `vetter import findings`: the same N finding rows
//! inserted with bare rusqlite (one transaction, one prepared statement, no
//! CSV parsing or validation) into a copy of the same database. bench/run
//! compares the two.
//!
//! Usage: cargo run --release --example bare_insert -- DB ROWS

use rusqlite::{params, Connection};

fn main() -> rusqlite::Result<()> {
    let mut args = std::env::args().skip(1);
    let db = args.next().expect("usage: bare_insert DB ROWS");
    let rows: i64 = args
        .next()
        .expect("usage: bare_insert DB ROWS")
        .parse()
        .expect("ROWS is a number");
    let mut conn = Connection::open(db)?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;",
    )?;
    let items: Vec<i64> = conn
        .prepare("SELECT id FROM review_item WHERE review_id = (SELECT max(id) FROM review)")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let tx = conn.transaction()?;
    tx.execute(
        "INSERT INTO audit_event (at, actor, command, entity) VALUES ('2026-01-01T00:00:00Z', 'bench', 'bare', 'finding')",
        [],
    )?;
    let event = tx.last_insert_rowid();
    {
        let mut stmt = tx.prepare(
            "INSERT INTO finding (review_item_id, status, source, note, url, owner, recorded_at, recorded_by, event_id)
             VALUES (?1, 'met', 'dpa', ?2, NULL, NULL, '2026-01-01T00:00:00Z', 'bench', ?3)",
        )?;
        for i in 0..rows {
            let note = format!("row {i}: clause text recorded during bulk import");
            stmt.execute(params![items[i as usize % items.len()], note, event])?;
        }
    }
    tx.commit()
}
