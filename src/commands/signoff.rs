//! `vetter review submit|reopen|decide`: the four-eyes sign-off. The
//! preparer submits, someone else decides; each step is appended to the
//! review's sign-off history with its audit event.

use super::find_active_vendor;
use crate::domain::decision::{next_review_date, Outcome, Stage};
use crate::domain::{current_review, cycle::Snapshot};
use crate::error::{Error, Result};
use crate::model::{DecisionKind, FlagSeverity, Review, Vendor};
use crate::output;
use crate::store::{self, signoff::NewSignoff, Store};
use crate::{validate, Env};

/// The vendor's current review and where it stands.
fn current(store: &Store, slug: &str) -> Result<(Vendor, Review, Outcome)> {
    let vendor = find_active_vendor(store, slug)?;
    let review = current_review(store, &vendor)?;
    let outcome = Outcome::load(store.conn(), &review)?;
    Ok((vendor, review, outcome))
}

/// Records one step, with its audit event, in one transaction; returns the
/// review's outcome after it.
fn record(
    env: &Env,
    store: &mut Store,
    vendor: &Vendor,
    review: &Review,
    step: NewSignoff,
    event: serde_json::Value,
) -> Result<Outcome> {
    store.write(|tx| {
        // The stage may have moved since it was read: check it again here.
        let now = Outcome::load(tx, review)?;
        let expected = match step.action {
            "decide" | "reopen" => Stage::Submitted,
            _ => Stage::Open,
        };
        if now.stage != expected {
            return Err(Error::user(format!(
                "review #{} of '{}' changed to {} while this command ran",
                review.number, vendor.slug, now.stage
            ))
            .with_hint("run `vetter review status` and try again"));
        }
        let command = format!("review {}", step.action);
        let event_id = store::audit::append(
            tx,
            &env.event(
                &command,
                "review",
                review.id,
                Some(vendor.id),
                None,
                Some(event.clone()),
            ),
        )?;
        store::signoff::insert(
            tx,
            &NewSignoff {
                event_id,
                ..step.clone()
            },
        )?;
        Ok(())
    })?;
    Outcome::load(store.conn(), review)
}

/// Refuses unless the review is at `wanted`, saying what to do instead.
fn require(
    stage: Stage,
    wanted: Stage,
    vendor: &Vendor,
    review: &Review,
    outcome: &Outcome,
) -> Result<()> {
    if stage == wanted {
        return Ok(());
    }
    let slug = &vendor.slug;
    let n = review.number;
    Err(match stage {
        Stage::Open => Error::user(format!("review #{n} of '{slug}' is open, not submitted"))
            .with_hint(format!("the preparer submits it first: `vetter review submit {slug}`")),
        Stage::Submitted => Error::user(format!(
            "review #{n} of '{slug}' is already submitted ({})",
            outcome.summary()
        ))
        .with_hint(format!(
            "an approver decides it with `vetter review decide {slug} ...`, or reopen it with `vetter review reopen {slug} --reason TEXT`"
        )),
        Stage::Decided => Error::user(format!(
            "review #{n} of '{slug}' is already decided: {}",
            outcome.summary()
        ))
        .with_hint(format!(
            "a decision is final; start the next cycle with `vetter review start {slug}`"
        )),
        Stage::Superseded => Error::user(format!("review #{n} of '{slug}' is superseded")),
    })
}

fn required_text(field: &str, value: &str, hint: &str) -> Result<String> {
    validate::text(field, Some(value))?
        .ok_or_else(|| Error::user(format!("{field} is empty")).with_hint(hint.to_string()))
}

pub fn submit(env: &Env, store: &mut Store, slug: &str, note: Option<&str>) -> Result<Outcome> {
    let (vendor, review, outcome) = current(store, slug)?;
    require(outcome.stage, Stage::Open, &vendor, &review, &outcome)?;
    let note = validate::text("--note", note)?;
    let event = serde_json::json!({ "number": review.number, "stage": "submitted", "note": note });
    let outcome = record(
        env,
        store,
        &vendor,
        &review,
        NewSignoff {
            note: note.as_deref(),
            ..NewSignoff::new(review.id, "submit", &env.timestamp, &env.actor)
        },
        event,
    )?;
    output::note(format!(
        "submitted review #{} of '{}' for a decision; its findings are now frozen. \
         Someone other than {} decides it: `vetter review decide {} --decision approve|conditional|reject --note TEXT`",
        review.number, vendor.slug, env.actor, vendor.slug
    ));
    Ok(outcome)
}

pub fn reopen(env: &Env, store: &mut Store, slug: &str, reason: &str) -> Result<Outcome> {
    let (vendor, review, outcome) = current(store, slug)?;
    require(outcome.stage, Stage::Submitted, &vendor, &review, &outcome)?;
    let reason = required_text(
        "--reason",
        reason,
        "say why it is reopened; the history keeps it",
    )?;
    let event = serde_json::json!({ "number": review.number, "stage": "open", "reason": reason });
    let outcome = record(
        env,
        store,
        &vendor,
        &review,
        NewSignoff {
            note: Some(&reason),
            ..NewSignoff::new(review.id, "reopen", &env.timestamp, &env.actor)
        },
        event,
    )?;
    output::note(format!(
        "reopened review #{} of '{}': findings can be recorded again; submit it again when ready",
        review.number, vendor.slug
    ));
    Ok(outcome)
}

pub struct DecideArgs<'a> {
    pub decision: DecisionKind,
    pub note: &'a str,
    pub conditions: Option<&'a str>,
    pub override_reason: Option<&'a str>,
}

pub fn decide(env: &Env, store: &mut Store, slug: &str, args: DecideArgs) -> Result<Outcome> {
    let (vendor, review, outcome) = current(store, slug)?;
    require(outcome.stage, Stage::Submitted, &vendor, &review, &outcome)?;
    let submitter = outcome.submitted_by.clone().unwrap_or_default();
    // The same person under another spelling ("ALICE", Cyrillic "аlice",
    // full-width "ａｌｉｃｅ") is still the same person: names are compared as
    // vendor names are, by case and Unicode look-alike skeletons.
    if validate::look_alike(&submitter, &env.actor) {
        let spelled = if submitter == env.actor {
            String::new()
        } else {
            format!(
                " (as '{submitter}', a name that looks like '{}')",
                env.actor
            )
        };
        return Err(Error::user(format!(
            "{} submitted review #{} of '{}'{spelled} and cannot also decide it",
            env.actor, review.number, vendor.slug
        ))
        .with_hint(if store.proves_identity() {
            "four eyes: another vetter_approver decides, connected as themselves; the server refuses a decision by the login that submitted (docs/team.md)"
        } else {
            "four eyes: a different person decides, under their own name (VETTER_USER or --as); names are recorded, not authenticated (docs/security.md)"
        }));
    }
    let note = required_text(
        "--note",
        args.note,
        "say what the decision rests on; auditors read it",
    )?;
    let conditions = validate::text("--conditions", args.conditions)?;
    match (args.decision, &conditions) {
        (DecisionKind::Conditional, None) => {
            return Err(Error::user("a conditional decision needs --conditions")
                .with_hint("say what must happen, e.g. --conditions \"EU region committed in the DPA by 2027-03-31\""))
        }
        (DecisionKind::Approve | DecisionKind::Reject, Some(_)) => {
            return Err(Error::user(format!(
                "--conditions goes with --decision conditional, not {}",
                args.decision
            ))
            .with_hint("use --decision conditional, or drop --conditions"))
        }
        _ => {}
    }
    let profile = crate::profile::load(store)?;
    let snapshot = Snapshot::take(store, &profile, &vendor, &review, env.today())?;
    let critical: Vec<&str> = snapshot
        .flags
        .iter()
        .filter(|f| !f.waived && f.severity == FlagSeverity::Critical.as_str())
        .map(|f| f.rule.as_str())
        .collect();
    let override_reason = validate::text("--override-reason", args.override_reason)?;
    let approving = args.decision != DecisionKind::Reject;
    match (approving && !critical.is_empty(), &override_reason) {
        (true, None) => {
            return Err(Error::user(format!(
                "{} unwaived critical red flag{} open ({}); approving needs --override-reason",
                critical.len(),
                if critical.len() == 1 { " is" } else { "s are" },
                critical.join(", ")
            ))
            .with_hint("say why the risk is accepted anyway (it is shown wherever the decision is), waive the flag with a reason, or reject"))
        }
        (false, Some(_)) => {
            return Err(Error::user(
                "--override-reason is only for approving while a critical red flag is open, and none is (or the decision is reject)",
            )
            .with_hint("drop --override-reason"))
        }
        _ => {}
    }
    let next = next_review_date(&profile, vendor.tier, env.today()).to_string();
    // The snapshot is what `review diff` reads as "at its decision": its
    // SHA-256 in the event lets `verify` catch it rewritten.
    let snapshot_json = serde_json::to_string(&snapshot)?;
    let event = serde_json::json!({
        "number": review.number, "stage": "decided", "decision": args.decision, "note": note,
        "conditions": conditions, "override_reason": override_reason, "next_review": next,
        "submitted_by": submitter, "compliance": snapshot.compliance, "rating": snapshot.rating,
        "snapshot_sha256": crate::digest::sha256_hex(snapshot_json.as_bytes()),
    });
    let outcome = record(
        env,
        store,
        &vendor,
        &review,
        NewSignoff {
            note: Some(&note),
            decision: Some(args.decision.as_str()),
            conditions: conditions.as_deref(),
            override_reason: override_reason.as_deref(),
            next_review: Some(&next),
            snapshot: Some(snapshot_json),
            ..NewSignoff::new(review.id, "decide", &env.timestamp, &env.actor)
        },
        event,
    )?;
    output::note(format!(
        "decided review #{} of '{}': {}; next review due {next}",
        review.number,
        vendor.slug,
        outcome.summary()
    ));
    Ok(outcome)
}
