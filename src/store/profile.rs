//! SQL for the obligations profile (only non-default values are stored).

use super::sql::{params, Db, Tx};
use crate::error::Result;

pub fn pairs(conn: &Db) -> Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare("SELECT key, value FROM profile ORDER BY key")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect::<Result<_>>()
}

/// Stores `value` for `key`, or forgets the key when `value` is its default.
pub fn put(tx: &Tx, key: &str, value: Option<&str>, at: &str, by: &str) -> Result<()> {
    match value {
        Some(value) => tx.execute(
            "INSERT INTO profile (key, value, updated_at, updated_by) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (key) DO UPDATE SET value = ?2, updated_at = ?3, updated_by = ?4",
            params![key, value, at, by],
        )?,
        None => tx.execute("DELETE FROM profile WHERE key = ?1", [key])?,
    };
    Ok(())
}
