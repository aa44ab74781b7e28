//! SQL for imported questionnaires and their answers.

use super::sql::{params, Db, Tx};
use crate::error::Result;
use crate::questionnaire::AnswerRow;
use serde::Serialize;

pub struct NewQuestionnaire<'a> {
    pub vendor_id: i64,
    pub review_id: i64,
    pub format: &'a str,
    pub version: &'a str,
    pub evidence_id: Option<i64>,
    pub mapping: &'a str,
}

/// Records a questionnaire and its answers (with the items each fed);
/// returns its id.
pub fn insert(
    tx: &Tx,
    q: &NewQuestionnaire,
    answers: &[(AnswerRow, Vec<String>)],
    at: &str,
    by: &str,
    event_id: i64,
) -> Result<i64> {
    let id = tx.insert(
        "INSERT INTO questionnaire (vendor_id, review_id, format, version, evidence_id, mapping, imported_at, imported_by, event_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![q.vendor_id, q.review_id, q.format, q.version, q.evidence_id, q.mapping, at, by, event_id],
    )?;
    let mut stmt = tx.prepare_cached(
        "INSERT INTO questionnaire_answer (questionnaire_id, position, question_id, answer, owner, description, cell, items)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for (n, (a, items)) in answers.iter().enumerate() {
        stmt.execute(params![
            id,
            n as i64 + 1,
            a.question,
            a.answer.as_str(),
            a.owner,
            a.description,
            a.cell,
            items.join(" ")
        ])?;
    }
    Ok(id)
}

/// An imported questionnaire, as `questionnaire show` and the packet list it.
#[derive(Debug, Clone, Serialize)]
pub struct Questionnaire {
    pub id: i64,
    pub format: String,
    pub version: String,
    pub review: i64,
    pub evidence: Option<i64>,
    pub mapping: String,
    pub imported_at: String,
    pub imported_by: String,
}

/// One stored answer.
#[derive(Debug, Clone, Serialize)]
pub struct StoredAnswer {
    pub questionnaire: i64,
    pub question: String,
    pub answer: String,
    pub owner: Option<String>,
    pub description: Option<String>,
    pub cell: String,
    pub items: Vec<String>,
}

/// The vendor's questionnaires, newest first.
pub fn for_vendor(conn: &Db, vendor_id: i64) -> Result<Vec<Questionnaire>> {
    select(conn, "q.vendor_id = ?1", vendor_id)
}

/// The questionnaires imported into one review (by its id), newest first.
pub fn for_review(conn: &Db, review_id: i64) -> Result<Vec<Questionnaire>> {
    select(conn, "q.review_id = ?1", review_id)
}

fn select(conn: &Db, filter: &str, value: i64) -> Result<Vec<Questionnaire>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT q.id, q.format, q.version, r.number, q.evidence_id, q.mapping, q.imported_at, q.imported_by
         FROM questionnaire q JOIN review r ON r.id = q.review_id
         WHERE {filter} ORDER BY q.id DESC"
    ))?;
    let rows = stmt.query_map([value], |r| {
        Ok(Questionnaire {
            id: r.get(0)?,
            format: r.get(1)?,
            version: r.get(2)?,
            review: r.get(3)?,
            evidence: r.get(4)?,
            mapping: r.get(5)?,
            imported_at: r.get(6)?,
            imported_by: r.get(7)?,
        })
    })?;
    rows.collect::<Result<_>>()
}

/// The review and the range of finding ids the import of questionnaire
/// `id` recorded (from its audit event); None when it recorded none.
pub fn finding_range(conn: &Db, id: i64) -> Result<Option<(i64, i64, i64)>> {
    let row: Option<(i64, Option<String>)> = conn.query_opt(
        "SELECT q.review_id, e.new_value FROM questionnaire q
         JOIN audit_event e ON e.id = q.event_id WHERE q.id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let Some((review, Some(new))) = row else {
        return Ok(None);
    };
    let new: serde_json::Value = serde_json::from_str(&new)?;
    Ok(
        match (new["first_finding"].as_i64(), new["last_finding"].as_i64()) {
            (Some(first), Some(last)) => Some((review, first, last)),
            _ => None,
        },
    )
}

/// The answers of one questionnaire, in the workbook's order.
pub fn answers(conn: &Db, questionnaire: i64) -> Result<Vec<StoredAnswer>> {
    let mut stmt = conn.prepare_cached(
        "SELECT questionnaire_id, question_id, answer, owner, description, cell, items
         FROM questionnaire_answer WHERE questionnaire_id = ?1 ORDER BY position",
    )?;
    let rows = stmt.query_map([questionnaire], |r| {
        let items: String = r.get(6)?;
        Ok(StoredAnswer {
            questionnaire: r.get(0)?,
            question: r.get(1)?,
            answer: r.get(2)?,
            owner: r.get(3)?,
            description: r.get(4)?,
            cell: r.get(5)?,
            items: items.split_whitespace().map(str::to_string).collect(),
        })
    })?;
    rows.collect::<Result<_>>()
}

/// SHA-256 over answers as the import event records them: one JSON line
/// per answer (question, answer, owner, description, cell, items).
pub fn answers_digest<'a>(
    answers: impl Iterator<
        Item = (
            &'a str,
            &'a str,
            Option<&'a str>,
            Option<&'a str>,
            &'a str,
            String,
        ),
    >,
) -> String {
    let mut digest = crate::store::finding::RowsDigest::default();
    for (question, answer, owner, description, cell, items) in answers {
        digest.add(&serde_json::json!([
            question,
            answer,
            owner,
            description,
            cell,
            items
        ]));
    }
    digest.finish()
}

/// A questionnaire row as stored, for `vetter verify`'s replay check.
pub struct ReplayRow {
    pub id: i64,
    pub event_id: i64,
    pub vendor_id: i64,
    pub review_id: i64,
    pub format: String,
    pub version: String,
    pub evidence_id: Option<i64>,
    pub mapping: String,
    pub imported_at: String,
    pub imported_by: String,
    /// The SHA-256 of its stored answers (`answers_digest`).
    pub answers_sha256: String,
}

/// Every questionnaire row with the digest of its stored answers.
pub fn replay_rows(conn: &Db) -> Result<Vec<ReplayRow>> {
    let mut rows: Vec<ReplayRow> = conn
        .prepare(
            "SELECT id, event_id, vendor_id, review_id, format, version, evidence_id, mapping, imported_at, imported_by
             FROM questionnaire ORDER BY id",
        )?
        .query_map([], |r| {
            Ok(ReplayRow {
                id: r.get(0)?,
                event_id: r.get(1)?,
                vendor_id: r.get(2)?,
                review_id: r.get(3)?,
                format: r.get(4)?,
                version: r.get(5)?,
                evidence_id: r.get(6)?,
                mapping: r.get(7)?,
                imported_at: r.get(8)?,
                imported_by: r.get(9)?,
                answers_sha256: String::new(),
            })
        })?
        .collect::<Result<_>>()?;
    for row in &mut rows {
        let answers = answers(conn, row.id)?;
        row.answers_sha256 = answers_digest(answers.iter().map(|a| {
            (
                a.question.as_str(),
                a.answer.as_str(),
                a.owner.as_deref(),
                a.description.as_deref(),
                a.cell.as_str(),
                a.items.join(" "),
            )
        }));
    }
    Ok(rows)
}
