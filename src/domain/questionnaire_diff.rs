//! What changed between two questionnaires a vendor filled (the next
//! cycle's CAIQ or HECVAT against the previous one): each answer changed,
//! added or removed with both answers and the vendor's words, and each item
//! whose result from the questionnaire changed, as the two imports recorded
//! it (their findings, not a re-derivation under today's mapping).

use crate::error::{Error, Result};
use crate::store::questionnaire::{Questionnaire, StoredAnswer};
use crate::store::sql::Db;
use crate::store::{self};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Serialize)]
pub struct Diff {
    pub from: Questionnaire,
    pub to: Questionnaire,
    /// Answers that differ, in the newer workbook's order (removed ones
    /// last, in the older one's).
    pub answers: Vec<AnswerChange>,
    /// Items whose result from the questionnaire changed.
    pub items: Vec<ItemChange>,
    pub counts: Counts,
}

#[derive(Debug, Default, Serialize)]
pub struct Counts {
    pub changed: usize,
    pub reworded: usize,
    pub added: usize,
    pub removed: usize,
    pub unchanged: usize,
}

impl Counts {
    /// Answers whose value or words changed, or that came or went.
    pub fn total(&self) -> usize {
        self.changed + self.reworded + self.added + self.removed
    }
}

#[derive(Debug, Serialize)]
pub struct AnswerChange {
    pub question: String,
    /// changed (the answer) | reworded (the same answer, other words) |
    /// added | removed
    pub change: &'static str,
    pub before: Option<Side>,
    pub after: Option<Side>,
}

/// One side of a change: the answer and the vendor's words.
#[derive(Debug, Serialize)]
pub struct Side {
    pub answer: String,
    pub description: Option<String>,
    pub cell: String,
}

impl Side {
    fn of(a: &StoredAnswer) -> Side {
        Side {
            answer: a.answer.clone(),
            description: a.description.clone(),
            cell: a.cell.clone(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct ItemChange {
    pub item: String,
    /// The status the older import recorded (None: it fed no finding).
    pub before: Option<String>,
    pub after: Option<String>,
}

/// Whether two questionnaires' ids mean the same questions: the same
/// questionnaire, major version and built-in mapping (a mapping names the
/// edition: HECVAT Lite and Full ids differ). A user's own mappings are
/// taken as the user says.
fn comparable(a: &Questionnaire, b: &Questionnaire) -> bool {
    let major = |v: &str| v.split('.').next().unwrap_or_default().to_string();
    let built_in = |m: &str| m.starts_with("built-in ").then(|| m.to_string());
    a.format == b.format
        && major(&a.version) == major(&b.version)
        && (built_in(&a.mapping).is_none()
            || built_in(&b.mapping).is_none()
            || a.mapping == b.mapping)
}

/// The item statuses the import of `q` recorded: the findings its event
/// names (first_finding..last_finding of its review).
fn recorded_results(conn: &Db, q: &Questionnaire) -> Result<BTreeMap<String, String>> {
    let Some((review_id, first, last)) = store::questionnaire::finding_range(conn, q.id)? else {
        return Ok(BTreeMap::new());
    };
    Ok(store::finding::list(conn, review_id, None)?
        .into_iter()
        .filter(|f| (first..=last).contains(&f.id))
        .map(|f| (f.item, f.status.to_string()))
        .collect())
}

/// The diff from `from` to `to` (ids of the vendor's questionnaires).
pub fn diff(conn: &Db, from: Questionnaire, to: Questionnaire) -> Result<Diff> {
    if !comparable(&from, &to) {
        return Err(Error::user(format!(
            "questionnaire #{} ({} {}, mapping {}) and #{} ({} {}, mapping {}) do not use the same question ids",
            from.id, from.format, from.version, from.mapping, to.id, to.format, to.version, to.mapping
        ))
        .with_hint("compare two questionnaires of the same kind and major version; pick them with --from N --to N (`vetter questionnaire show VENDOR` lists them)"));
    }
    let before = store::questionnaire::answers(conn, from.id)?;
    let after = store::questionnaire::answers(conn, to.id)?;
    let old: BTreeMap<&str, &StoredAnswer> =
        before.iter().map(|a| (a.question.as_str(), a)).collect();
    let new: BTreeMap<&str, &StoredAnswer> =
        after.iter().map(|a| (a.question.as_str(), a)).collect();
    let mut counts = Counts::default();
    let mut answers = Vec::new();
    for a in &after {
        let change = match old.get(a.question.as_str()) {
            None => "added",
            Some(b) if b.answer != a.answer => "changed",
            Some(b) if b.description != a.description => "reworded",
            Some(_) => {
                counts.unchanged += 1;
                continue;
            }
        };
        match change {
            "added" => counts.added += 1,
            "changed" => counts.changed += 1,
            _ => counts.reworded += 1,
        }
        answers.push(AnswerChange {
            question: a.question.clone(),
            change,
            before: old.get(a.question.as_str()).map(|b| Side::of(b)),
            after: Some(Side::of(a)),
        });
    }
    for b in before
        .iter()
        .filter(|b| !new.contains_key(b.question.as_str()))
    {
        counts.removed += 1;
        answers.push(AnswerChange {
            question: b.question.clone(),
            change: "removed",
            before: Some(Side::of(b)),
            after: None,
        });
    }
    let (was, is) = (recorded_results(conn, &from)?, recorded_results(conn, &to)?);
    let mut items: Vec<ItemChange> = Vec::new();
    let names: std::collections::BTreeSet<&String> = was.keys().chain(is.keys()).collect();
    for item in names {
        let (b, a) = (was.get(item), is.get(item));
        if b != a {
            items.push(ItemChange {
                item: item.clone(),
                before: b.cloned(),
                after: a.cloned(),
            });
        }
    }
    Ok(Diff {
        from,
        to,
        answers,
        items,
        counts,
    })
}

/// The questionnaire of the vendor filled before `to`: the newest older one
/// whose ids mean the same questions, if any.
pub fn previous<'a>(all: &'a [Questionnaire], to: &Questionnaire) -> Option<&'a Questionnaire> {
    all.iter()
        .filter(|q| q.id < to.id && comparable(q, to))
        .max_by_key(|q| q.id)
}
