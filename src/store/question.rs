//! SQL for questions to vendors and their answers (answers are append-only).

use super::sql::{params, Db, Row, Tx};
use crate::error::{Error, Result};
use crate::model::{QuestionStatus, Resolution};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Question {
    pub id: i64,
    #[serde(skip)]
    pub vendor_id: i64,
    pub vendor: String,
    pub item: String,
    pub clause: Option<i64>,
    pub text: String,
    pub to: Option<String>,
    pub due: Option<String>,
    pub status: QuestionStatus,
    pub resolution: Option<Resolution>,
    /// Past its due date and not answered (computed for today).
    pub overdue: bool,
    pub asked_at: String,
    pub asked_by: String,
    pub updated_at: String,
    /// The newest answer, if any.
    pub answer: Option<String>,
    pub answer_evidence: Option<i64>,
    pub answered_at: Option<String>,
    pub answered_by: Option<String>,
}

const SELECT: &str = "SELECT q.id, q.vendor_id, v.slug, q.item_id, q.clause_id, q.text, q.to_contact, q.due, q.status, q.resolution,
        q.asked_at, q.asked_by, q.updated_at, a.text, a.evidence_id, a.answered_at, a.answered_by,
        (q.status = 'open' AND q.due IS NOT NULL AND q.due < ?1)
    FROM question q JOIN vendor v ON v.id = q.vendor_id
    LEFT JOIN question_answer a ON a.id = (SELECT max(id) FROM question_answer WHERE question_id = q.id)";

fn from_row(r: &Row) -> Result<Question> {
    Ok(Question {
        id: r.get(0)?,
        vendor_id: r.get(1)?,
        vendor: r.get(2)?,
        item: r.get(3)?,
        clause: r.get(4)?,
        text: r.get(5)?,
        to: r.get(6)?,
        due: r.get(7)?,
        status: r.get(8)?,
        resolution: r.get(9)?,
        asked_at: r.get(10)?,
        asked_by: r.get(11)?,
        updated_at: r.get(12)?,
        answer: r.get(13)?,
        answer_evidence: r.get(14)?,
        answered_at: r.get(15)?,
        answered_by: r.get(16)?,
        overdue: r.get(17)?,
    })
}

pub struct NewQuestion<'a> {
    pub vendor_id: i64,
    pub item: &'a str,
    pub clause: Option<i64>,
    pub text: &'a str,
    pub to: Option<&'a str>,
    pub due: Option<&'a str>,
}

pub fn insert(tx: &Tx, q: &NewQuestion, at: &str, by: &str) -> Result<i64> {
    tx.insert(
        "INSERT INTO question (vendor_id, item_id, clause_id, text, to_contact, due, status, asked_at, asked_by, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'open', ?7, ?8, ?7)",
        params![q.vendor_id, q.item, q.clause, q.text, q.to, q.due, at, by],
    )
}

pub fn add_answer(
    tx: &Tx,
    question: i64,
    text: &str,
    evidence: Option<i64>,
    at: &str,
    by: &str,
) -> Result<()> {
    tx.execute(
        "INSERT INTO question_answer (question_id, text, evidence_id, answered_at, answered_by) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![question, text, evidence, at, by],
    )?;
    Ok(())
}

pub fn set_status(
    tx: &Tx,
    id: i64,
    status: QuestionStatus,
    resolution: Option<Resolution>,
    at: &str,
) -> Result<()> {
    tx.execute(
        "UPDATE question SET status = ?2, resolution = ?3, updated_at = ?4 WHERE id = ?1",
        params![id, status, resolution, at],
    )?;
    Ok(())
}

pub fn by_id(conn: &Db, id: i64, today: &str) -> Result<Question> {
    conn.query_opt(
        &format!("{SELECT} WHERE q.id = ?2"),
        params![today, id],
        from_row,
    )?
    .ok_or_else(|| {
        Error::user(format!("unknown question #{id}"))
            .with_hint("list questions with `vetter question list`")
    })
}

/// Questions, oldest first: of one vendor or all (not archived), optionally
/// only open ones, or only overdue ones (open and due before `today`).
pub fn list(
    conn: &Db,
    vendor_id: Option<i64>,
    open_only: bool,
    overdue_only: bool,
    today: &str,
) -> Result<Vec<Question>> {
    // The overdue filter is written so that the (status, due) index serves it.
    // Every placeholder is used in every form (PostgreSQL types each one
    // by where it appears): ?1 is today, ?2 the vendor.
    let filter = if overdue_only {
        "q.status = 'open' AND q.due < ?1"
    } else if open_only {
        "q.status = 'open' AND CAST(?1 AS TEXT) IS NOT NULL"
    } else {
        "CAST(?1 AS TEXT) IS NOT NULL"
    };
    // Two statements rather than `?2 IS NULL OR ...`, which would keep
    // SQLite from using the (vendor_id, id) index for one vendor.
    let sql = match vendor_id {
        Some(_) => format!("{SELECT} WHERE q.vendor_id = ?2 AND {filter} ORDER BY q.id"),
        None => format!(
            "{SELECT} WHERE {filter} AND v.archived_at IS NULL AND CAST(?2 AS BIGINT) IS NULL ORDER BY q.id"
        ),
    };
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(params![today, vendor_id], from_row)?;
    rows.collect::<Result<_>>()
}

/// One open question's date, for the calendar: id, vendor slug, item, text
/// and due date (only what `due` shows: it lists tens of thousands).
pub struct DueQuestion {
    pub id: i64,
    pub vendor: String,
    pub item: String,
    pub text: String,
    pub due: String,
}

/// Open questions of active vendors due on or before `date`, soonest
/// first (the (status, due) index serves it).
pub fn due_by(conn: &Db, date: &str) -> Result<Vec<DueQuestion>> {
    let mut stmt = conn.prepare(
        "SELECT q.id, v.slug, q.item_id, q.text, q.due FROM question q
         JOIN vendor v ON v.id = q.vendor_id AND v.archived_at IS NULL
         WHERE q.status = 'open' AND q.due <= ?1 ORDER BY q.due, q.id",
    )?;
    let rows = stmt.query_map([date], |r| {
        Ok(DueQuestion {
            id: r.get(0)?,
            vendor: r.get(1)?,
            item: r.get(2)?,
            text: r.get(3)?,
            due: r.get(4)?,
        })
    })?;
    rows.collect::<Result<_>>()
}

/// item id -> number of open questions, for one vendor.
pub fn open_per_item(conn: &Db, vendor_id: i64) -> Result<std::collections::HashMap<String, i64>> {
    super::counts_by_key(conn, "SELECT item_id, count(*) FROM question WHERE vendor_id = ?1 AND status = 'open' GROUP BY item_id", vendor_id)
}
