//! SQL for user-installed checklists (the TOML text is stored verbatim).

use super::sql::{params, Db, Tx};
use crate::error::Result;

pub struct StoredChecklist {
    pub checklist_id: String,
    pub version: String,
    pub content: String,
    pub sha256: String,
}

pub fn insert(tx: &Tx, c: &StoredChecklist, title: &str, at: &str, by: &str) -> Result<i64> {
    tx.insert(
        "INSERT INTO checklist (checklist_id, version, title, content, sha256, installed_at, installed_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![c.checklist_id, c.version, title, c.content, c.sha256, at, by],
    )
}

pub fn list(conn: &Db) -> Result<Vec<StoredChecklist>> {
    let mut stmt = conn.prepare(
        "SELECT checklist_id, version, content, sha256 FROM checklist ORDER BY checklist_id, id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(StoredChecklist {
            checklist_id: r.get(0)?,
            version: r.get(1)?,
            content: r.get(2)?,
            sha256: r.get(3)?,
        })
    })?;
    rows.collect::<Result<_>>()
}
