//! SQL for reviews and their snapshotted checklist items.

use super::sql::{params, Db, Row, Tx};
use crate::checklist::{Checklist, Item, Section};
use crate::error::Result;
use crate::model::{Review, ReviewItem};
use std::collections::HashMap;

const COLUMNS: &str =
    "id, vendor_id, checklist_id, checklist_version, checklist_title, checklist_sha256,
                       started_at, started_by, due, state, number";

fn from_row(r: &Row) -> Result<Review> {
    from_row_at(r, 0)
}

/// A review from the columns of `COLUMNS` starting at column `at`.
fn from_row_at(r: &Row, at: usize) -> Result<Review> {
    Ok(Review {
        id: r.get(at)?,
        vendor_id: r.get(at + 1)?,
        checklist_id: r.get(at + 2)?,
        checklist_version: r.get(at + 3)?,
        checklist_title: r.get(at + 4)?,
        checklist_sha256: r.get(at + 5)?,
        started_at: r.get(at + 6)?,
        started_by: r.get(at + 7)?,
        due: r.get(at + 8)?,
        state: r.get(at + 9)?,
        number: r.get(at + 10)?,
    })
}

/// Stores a review with a copy of the sections and items it uses.
pub fn insert(
    tx: &Tx,
    vendor_id: i64,
    checklist: &Checklist,
    items: &[(&Section, &Item)],
    at: &str,
    by: &str,
    due: Option<&str>,
) -> Result<i64> {
    // The vendor's next review number; BEGIN IMMEDIATE holds the write lock.
    let review_id = tx.insert(
        "INSERT INTO review (vendor_id, checklist_id, checklist_version, checklist_title, checklist_sha256,
                             started_at, started_by, due, number)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,
                 (SELECT coalesce(max(number), 0) + 1 FROM review WHERE vendor_id = ?1))",
        params![vendor_id, checklist.id, checklist.version, checklist.title, checklist.sha256, at, by, due],
    )?;
    let mut section_stmt =
        tx.prepare("INSERT INTO review_section (review_id, position, section_id, title) VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING")?;
    for (position, section) in checklist.sections.iter().enumerate() {
        if items.iter().any(|(s, _)| s.id == section.id) {
            section_stmt.execute(params![
                review_id,
                position as i64,
                section.id,
                section.title
            ])?;
        }
    }
    let mut item_stmt = tx.prepare(
        "INSERT INTO review_item (review_id, position, section_id, item_id, title, question, guidance, severity,
                                  owner, evidence, tags)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?;
    for (position, (section, item)) in items.iter().enumerate() {
        item_stmt.execute(params![
            review_id,
            position as i64,
            section.id,
            item.id,
            item.title,
            item.question,
            item.guidance,
            item.severity,
            item.owner,
            serde_json::to_string(&item.evidence)?,
            serde_json::to_string(&item.applies_to)?,
        ])?;
    }
    Ok(review_id)
}

pub fn set_state(tx: &Tx, review_id: i64, state: &str) -> Result<()> {
    tx.execute(
        "UPDATE review SET state = ?2 WHERE id = ?1",
        params![review_id, state],
    )?;
    Ok(())
}

/// The vendor's current review: the newest one still open.
pub fn current(conn: &Db, vendor_id: i64) -> Result<Option<Review>> {
    let sql = format!("SELECT {COLUMNS} FROM review WHERE vendor_id = ?1 AND state = 'open' ORDER BY id DESC LIMIT 1");
    conn.query_opt(&sql, [vendor_id], from_row)
}

/// When the vendor is next due for review: its open review's due date, or,
/// when its newest review is decided, the decision's next-review date.
pub fn next_due(conn: &Db, vendor_id: i64) -> Result<Option<String>> {
    let row: Option<(Option<String>, Option<String>, Option<String>)> = conn.query_opt(
        "SELECT r.due, s.action, s.next_review FROM review r
         LEFT JOIN review_signoff s ON s.id = (SELECT max(id) FROM review_signoff WHERE review_id = r.id)
         WHERE r.vendor_id = ?1 AND r.state = 'open' ORDER BY r.id DESC LIMIT 1",
        [vendor_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    Ok(row.and_then(|(due, action, next)| {
        if action.as_deref() == Some("decide") {
            next
        } else {
            due
        }
    }))
}

/// The current review of each active vendor that is due on or before
/// `date` and not decided (a decided review's vendor is due on its
/// next-review date instead): (vendor slug, review), soonest first.
pub fn due_by(conn: &Db, date: &str) -> Result<Vec<(String, Review)>> {
    let columns = COLUMNS
        .split(',')
        .map(|c| format!("r.{}", c.trim()))
        .collect::<Vec<_>>()
        .join(", ");
    let mut stmt = conn.prepare(&format!(
        "SELECT v.slug, {columns} FROM review r JOIN vendor v ON v.id = r.vendor_id AND v.archived_at IS NULL
         WHERE r.state = 'open' AND r.due <= ?1
           AND r.id = (SELECT max(n.id) FROM review n WHERE n.vendor_id = r.vendor_id AND n.state = 'open')
           AND coalesce((SELECT s.action FROM review_signoff s WHERE s.review_id = r.id ORDER BY s.id DESC LIMIT 1), '') != 'decide'
         ORDER BY r.due, v.slug"
    ))?;
    let rows = stmt.query_map([date], |row| {
        let slug: String = row.get(0)?;
        // The review's columns follow the slug.
        Ok((slug, from_row_at(row, 1)?))
    })?;
    rows.collect::<Result<_>>()
}

/// The vendor's review with this per-vendor number.
pub fn by_number(conn: &Db, vendor_id: i64, number: i64) -> Result<Option<Review>> {
    let sql = format!("SELECT {COLUMNS} FROM review WHERE vendor_id = ?1 AND number = ?2");
    conn.query_opt(&sql, params![vendor_id, number], from_row)
}

/// Every review's per-vendor number, by internal id: how the audit trail
/// names the reviews its events refer to (store::audit::list).
pub fn numbers(conn: &Db) -> Result<HashMap<i64, i64>> {
    let mut stmt = conn.prepare("SELECT id, number FROM review")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect::<Result<_>>()
}

pub fn by_id(conn: &Db, review_id: i64) -> Result<Option<Review>> {
    let sql = format!("SELECT {COLUMNS} FROM review WHERE id = ?1");
    conn.query_opt(&sql, [review_id], from_row)
}

pub fn list_for_vendor(conn: &Db, vendor_id: i64) -> Result<Vec<Review>> {
    let sql = format!("SELECT {COLUMNS} FROM review WHERE vendor_id = ?1 ORDER BY id");
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([vendor_id], from_row)?;
    rows.collect::<Result<_>>()
}

/// (section id, title) of a review, in checklist order.
pub fn sections(conn: &Db, review_id: i64) -> Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare(
        "SELECT section_id, title FROM review_section WHERE review_id = ?1 ORDER BY position",
    )?;
    let rows = stmt.query_map([review_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect::<Result<_>>()
}

/// Every item of a review with the status of its newest finding.
pub fn items_with_status(conn: &Db, review_id: i64) -> Result<Vec<ReviewItem>> {
    let mut stmt = conn.prepare(
        "SELECT ri.id, ri.section_id, ri.item_id, ri.title, ri.severity, ri.owner, f.status, f.owner,
                (SELECT count(*) FROM finding c WHERE c.review_item_id = ri.id), ri.question,
                f.carried_from IS NOT NULL
         FROM review_item ri
         LEFT JOIN finding f ON f.id = (SELECT max(m.id) FROM finding m WHERE m.review_item_id = ri.id)
         WHERE ri.review_id = ?1
         ORDER BY ri.position",
    )?;
    let rows = stmt.query_map([review_id], |r| {
        Ok(ReviewItem {
            id: r.get(0)?,
            section_id: r.get(1)?,
            item_id: r.get(2)?,
            title: r.get(3)?,
            severity: r.get(4)?,
            owner: r.get(5)?,
            status: r.get(6)?,
            finding_owner: r.get(7)?,
            finding_count: r.get(8)?,
            question: r.get(9)?,
            to_reconfirm: r.get::<Option<bool>>(10)?.unwrap_or(false),
        })
    })?;
    rows.collect::<Result<_>>()
}

/// item id -> review_item row id, for resolving what a user typed.
pub fn item_ids(conn: &Db, review_id: i64) -> Result<HashMap<String, i64>> {
    let mut stmt = conn.prepare("SELECT item_id, id FROM review_item WHERE review_id = ?1")?;
    let rows = stmt.query_map([review_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect::<Result<_>>()
}

/// item id -> status of its newest finding, for the items that have one.
pub fn latest_statuses(conn: &Db, review_id: i64) -> Result<HashMap<String, crate::model::Status>> {
    let mut stmt = conn.prepare_cached(
        "SELECT ri.item_id, f.status FROM review_item ri
         JOIN finding f ON f.id = (SELECT max(m.id) FROM finding m WHERE m.review_item_id = ri.id)
         WHERE ri.review_id = ?1",
    )?;
    let rows = stmt.query_map([review_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect::<Result<_>>()
}
