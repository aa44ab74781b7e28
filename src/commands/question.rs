//! `vetter question add|answer|close|reopen|list`: questions to vendors
//! (`export` and `import`, the workbook a vendor fills, are in question_xlsx.rs).

use super::{find_active_vendor, find_vendor, ItemResolver};
use crate::cli::QuestionCommand;
use crate::error::{Error, Result};
use crate::model::{QuestionStatus, Resolution};
use crate::output;
use crate::store::{
    self,
    question::{NewQuestion, Question},
    Store,
};
use crate::{validate, Env};
use std::io::Write;

pub fn run(cmd: QuestionCommand, env: &Env, store: &mut Store, out: &mut dyn Write) -> Result<()> {
    match cmd {
        QuestionCommand::Add {
            vendor,
            item,
            text,
            clause,
            to,
            due,
            allow_past,
            json,
        } => {
            let id = add(
                env,
                store,
                &vendor,
                &item,
                &text,
                clause,
                to.as_deref(),
                due.as_deref(),
                allow_past,
            )?;
            print_question(env, store, id, json.json, out)
        }
        QuestionCommand::Answer {
            id,
            text,
            evidence,
            json,
        } => {
            answer(env, store, id, &text, evidence)?;
            print_question(env, store, id, json.json, out)
        }
        QuestionCommand::Close {
            id,
            resolution,
            json,
        } => {
            change(env, store, id, Some(resolution))?;
            print_question(env, store, id, json.json, out)
        }
        QuestionCommand::Reopen { id, json } => {
            change(env, store, id, None)?;
            print_question(env, store, id, json.json, out)
        }
        QuestionCommand::List {
            vendor,
            open,
            overdue,
            json,
        } => list(env, store, vendor.as_deref(), open, overdue, json.json, out),
        QuestionCommand::Export {
            vendor,
            xlsx,
            force,
        } => super::question_xlsx::export(env, store, &vendor, &xlsx, force),
        QuestionCommand::Import { vendor, file, json } => {
            let answered = super::question_xlsx::import(env, store, &vendor, &file)?;
            if !json.json {
                return Ok(());
            }
            let today = env.today().to_string();
            let questions = answered
                .iter()
                .map(|&id| store::question::by_id(store.conn(), id, &today))
                .collect::<Result<Vec<_>>>()?;
            output::json(out, &questions)
        }
    }
}

/// `--json` of the question commands: the question as `question list` shows it.
fn print_question(
    env: &Env,
    store: &Store,
    id: i64,
    json: bool,
    out: &mut dyn Write,
) -> Result<()> {
    if !json {
        return Ok(());
    }
    let q = store::question::by_id(store.conn(), id, &env.today().to_string())?;
    output::json(out, &q)
}

#[allow(clippy::too_many_arguments)]
pub fn add(
    env: &Env,
    store: &mut Store,
    slug: &str,
    item: &str,
    text: &str,
    clause: Option<i64>,
    to: Option<&str>,
    due: Option<&str>,
    allow_past: bool,
) -> Result<i64> {
    let vendor = find_active_vendor(store, slug)?;
    // The item must be part of the vendor's open review, when there is one.
    let item = match store::review::current(store.conn(), vendor.id)? {
        Some(review) => {
            ItemResolver::new(store, &review)?.resolve(item)?;
            item.to_string()
        }
        None => super::check_item_ids(store, &[item.to_string()])?.remove(0),
    };
    let text = validate::text("question text", Some(text))?.ok_or_else(|| {
        Error::user("the question text is empty").with_hint("say what you are asking the vendor")
    })?;
    if let Some(clause) = clause {
        super::ensure_clause_of(store, clause, &vendor)?;
    }
    let to = to.map(|t| validate::name("--to", t)).transpose()?;
    let due = due
        .map(|d| validate::due_date("--due", d, env.today(), allow_past).map(|d| d.to_string()))
        .transpose()?;
    let q = NewQuestion {
        vendor_id: vendor.id,
        item: &item,
        clause,
        text: &text,
        to: to.as_deref(),
        due: due.as_deref(),
    };
    let id = store.write(|tx| {
        let id = store::question::insert(tx, &q, &env.timestamp, &env.actor)?;
        let new = serde_json::json!({ "item": item, "clause": clause, "text": text, "to": to, "due": due });
        store::audit::append(tx, &env.event("question add", "question", id, Some(vendor.id), None, Some(new)))?;
        Ok(id)
    })?;
    output::note(format!(
        "asked question #{id} of '{}' about {item}{}",
        vendor.slug,
        due.map(|d| format!(", due {d}")).unwrap_or_default()
    ));
    Ok(id)
}

fn answer(env: &Env, store: &mut Store, id: i64, text: &str, evidence: Option<i64>) -> Result<()> {
    let today = env.today().to_string();
    let q = store::question::by_id(store.conn(), id, &today)?;
    let vendor = find_active_vendor(store, &q.vendor)?;
    if q.status == QuestionStatus::Closed {
        return Err(Error::user(format!(
            "question #{id} is closed ({})",
            q.resolution
                .map_or("no resolution".into(), |r| r.to_string())
        ))
        .with_hint(format!(
            "reopen it first with `vetter question reopen {id}`"
        )));
    }
    let text =
        validate::text("answer", Some(text))?.ok_or_else(|| Error::user("the answer is empty"))?;
    if let Some(e) = evidence {
        super::ensure_evidence_of(store, e, &vendor)?;
    }
    store.write(|tx| record_answer(tx, env, &q, &text, evidence))?;
    output::note(format!("recorded the answer to question #{id}"));
    Ok(())
}

/// Records `text` as the newest answer to `q` and marks it answered, with
/// its `question answer` audit event (which `verify` replays against the
/// answer row): the one way an answer is written, by `question answer` and
/// `question import` alike.
pub(super) fn record_answer(
    tx: &crate::store::sql::Tx,
    env: &Env,
    q: &Question,
    text: &str,
    evidence: Option<i64>,
) -> Result<()> {
    store::question::add_answer(tx, q.id, text, evidence, &env.timestamp, &env.actor)?;
    store::question::set_status(tx, q.id, QuestionStatus::Answered, None, &env.timestamp)?;
    let old = serde_json::json!({ "status": q.status, "answer": q.answer });
    let new = serde_json::json!({ "status": "answered", "answer": text, "evidence": evidence });
    store::audit::append(
        tx,
        &env.event(
            "question answer",
            "question",
            q.id,
            Some(q.vendor_id),
            Some(old),
            Some(new),
        ),
    )?;
    Ok(())
}

/// Closes (with a resolution) or reopens (None) a question.
fn change(env: &Env, store: &mut Store, id: i64, resolution: Option<Resolution>) -> Result<()> {
    let today = env.today().to_string();
    let q = store::question::by_id(store.conn(), id, &today)?;
    find_active_vendor(store, &q.vendor)?;
    let (status, command) = match resolution {
        Some(_) if q.status == QuestionStatus::Closed => {
            return Err(Error::user(format!("question #{id} is already closed"))
                .with_hint(format!("reopen it with `vetter question reopen {id}`")));
        }
        Some(_) => (QuestionStatus::Closed, "question close"),
        None if q.status != QuestionStatus::Closed => {
            return Err(Error::user(format!(
                "question #{id} is {}, not closed",
                q.status
            )));
        }
        // A reopened question is open again until a new answer comes.
        None => (QuestionStatus::Open, "question reopen"),
    };
    store.write(|tx| {
        store::question::set_status(tx, id, status, resolution, &env.timestamp)?;
        let old = serde_json::json!({ "status": q.status, "resolution": q.resolution });
        let new = serde_json::json!({ "status": status, "resolution": resolution });
        store::audit::append(
            tx,
            &env.event(
                command,
                "question",
                id,
                Some(q.vendor_id),
                Some(old),
                Some(new),
            ),
        )?;
        Ok(())
    })?;
    output::note(format!(
        "question #{id} is now {status}{}",
        resolution.map(|r| format!(" ({r})")).unwrap_or_default()
    ));
    Ok(())
}

fn list(
    env: &Env,
    store: &Store,
    slug: Option<&str>,
    open: bool,
    overdue: bool,
    json: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let vendor_id = slug
        .map(|s| find_vendor(store, s).map(|v| v.id))
        .transpose()?;
    let questions = store::question::list(
        store.conn(),
        vendor_id,
        open,
        overdue,
        &env.today().to_string(),
    )?;
    if json {
        return output::json(out, &questions);
    }
    if questions.is_empty() {
        output::note("no questions match");
        return Ok(());
    }
    let mut table = output::table([
        "#", "vendor", "item", "status", "due", "to", "question", "answer",
    ])
    .spill(&["to", "question", "answer"]);
    for q in &questions {
        let status = if q.overdue {
            "OVERDUE".to_string()
        } else {
            q.status.to_string()
        };
        table.add_row(vec![
            q.id.to_string(),
            q.vendor.clone(),
            q.item.clone(),
            status,
            output::cell(&q.due),
            output::cell(&q.to),
            q.text.clone(),
            output::cell(&q.answer),
        ]);
    }
    output::print_table(out, &table)
}
