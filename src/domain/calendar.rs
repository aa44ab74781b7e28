//! The vendor calendar: every date across all active vendors that is past
//! or falls due within a window, soonest first. `vetter due` lists it and
//! writes it as iCalendar; each entry names the vendor, what it is, its
//! record, the date and the days left.

use crate::domain::attestation::stale_from;
use crate::domain::contract::date;
use crate::error::Result;
use crate::output;
use crate::store::{self, Store};
use chrono::NaiveDate;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Due {
    pub vendor: String,
    /// question | review | reassessment | evidence | report | clause |
    /// waiver | contract-notice | contract-end | objection-window
    pub what: &'static str,
    /// The record's number: the question, review, evidence, clause, waiver
    /// or contract (the subprocessor clause for an objection window).
    pub id: i64,
    pub date: String,
    /// Days from today to `date`: negative when it has passed.
    pub days_left: i64,
    /// overdue | expired | stale | expiring | due
    pub state: &'static str,
    pub description: String,
}

/// Everything overdue, expired or stale, and everything that falls due
/// within `within` days of `today`.
pub fn gather(store: &Store, today: NaiveDate, within: u32) -> Result<Vec<Due>> {
    let conn = store.conn();
    let horizon = today + chrono::Duration::days(i64::from(within));
    let (day, until) = (today.to_string(), horizon.to_string());
    let profile = crate::profile::load(store)?;
    let mut out = Vec::new();
    let mut push = |vendor: String, what, id, on: NaiveDate, state, description: String| {
        out.push(Due {
            vendor,
            what,
            id,
            date: on.to_string(),
            days_left: (on - today).num_days(),
            state,
            description,
        })
    };
    let upcoming = |on: NaiveDate, past: &'static str| if on < today { past } else { "due" };

    for q in store::question::due_by(conn, &until)? {
        let Some(on) = date(&q.due) else {
            continue;
        };
        push(
            q.vendor,
            "question",
            q.id,
            on,
            upcoming(on, "overdue"),
            format!("{}: {}", q.item, q.text),
        );
    }
    for (slug, r) in store::review::due_by(conn, &until)? {
        let Some(on) = r.due.as_deref().and_then(date) else {
            continue;
        };
        push(
            slug,
            "review",
            r.number,
            on,
            upcoming(on, "overdue"),
            format!(
                "review #{} against {}@{} is due",
                r.number, r.checklist_id, r.checklist_version
            ),
        );
    }
    // Vendors whose last review is decided: due again on its next-review date.
    for (slug, number, decision) in store::signoff::awaiting_next_cycle(conn)? {
        let Some(on) = decision.next_review.as_deref().and_then(date) else {
            continue;
        };
        if on > horizon {
            continue;
        }
        push(
            slug.clone(),
            "reassessment",
            number,
            on,
            upcoming(on, "overdue"),
            format!(
                "next review cycle (review #{number} was decided {} on {}); start it with `vetter review start {slug}`",
                decision.decision.as_deref().unwrap_or("?"),
                output::day(&decision.at)
            ),
        );
    }
    for e in store::evidence::expiring(conn, &until)? {
        let Some(on) = e.valid_until.as_deref().and_then(date) else {
            continue;
        };
        push(
            e.vendor.clone(),
            "evidence",
            e.id,
            on,
            if on < today { "expired" } else { "expiring" },
            format!("{} {} is valid until {on}", e.kind, e.name()),
        );
    }
    // Reports: the newest of each vendor and kind goes stale on a day.
    let mut reports = store::evidence::with_period(conn)?;
    reports.sort_by(|a, b| {
        (a.vendor_id, a.kind.as_str(), &a.period_end, a.id).cmp(&(
            b.vendor_id,
            b.kind.as_str(),
            &b.period_end,
            b.id,
        ))
    });
    let newest = reports.iter().enumerate().filter(|(i, e)| {
        reports
            .get(i + 1)
            .is_none_or(|next| (next.vendor_id, next.kind) != (e.vendor_id, e.kind))
    });
    for (_, e) in newest {
        let Some(on) = stale_from(e, profile.max_report_age_months) else {
            continue;
        };
        if on > horizon {
            continue;
        }
        push(
            e.vendor.clone(),
            "report",
            e.id,
            on,
            if on <= today { "stale" } else { "due" },
            format!(
                "{} {}: period ended {}{}; stale from {on} (max-report-age-months = {})",
                e.kind,
                e.name(),
                e.period_end.as_deref().unwrap_or_default(),
                e.bridge_letter_until
                    .as_deref()
                    .map(|b| format!(", bridge letter until {b}"))
                    .unwrap_or_default(),
                profile.max_report_age_months
            ),
        );
    }
    for c in store::clause::expiring(conn, &until)? {
        let Some(on) = c.valid_until.as_deref().and_then(date) else {
            continue;
        };
        push(
            c.vendor.clone(),
            "clause",
            c.id,
            on,
            if on < today { "expired" } else { "expiring" },
            format!("{} is valid until {on}", c.label()),
        );
    }
    for (slug, w) in store::waiver::lapsing(conn, &day, &until)? {
        let Some(on) = w.until.as_deref().and_then(date) else {
            continue;
        };
        push(
            slug,
            "waiver",
            w.id,
            on,
            "due",
            format!(
                "the waiver of {} lapses (given by {}: {})",
                w.rule, w.created_by, w.reason
            ),
        );
    }
    let active: std::collections::HashSet<i64> = store::vendor::list(conn, false)?
        .iter()
        .map(|v| v.id)
        .collect();
    for (vendor_id, c) in store::contract::all(conn)? {
        if !active.contains(&vendor_id) {
            continue;
        }
        let Some(s) = c.standing(today).filter(|s| !s.over) else {
            continue;
        };
        let reference = c
            .reference
            .as_deref()
            .map(|r| format!(" ({r})"))
            .unwrap_or_default();
        if let Some(on) = s.next_notice_by.filter(|d| *d <= horizon) {
            let then = if c.auto_renew {
                format!("or it renews tacitly on {}", s.next_term_end)
            } else {
                format!("before the term ends on {}", s.next_term_end)
            };
            push(
                c.vendor.clone(),
                "contract-notice",
                c.id,
                on,
                "due",
                format!(
                    "last day to give notice on contract #{}{reference}, {then}",
                    c.id
                ),
            );
        }
        if !c.auto_renew && s.term_end >= today && s.term_end <= horizon {
            push(
                c.vendor.clone(),
                "contract-end",
                c.id,
                s.term_end,
                "due",
                format!("contract #{}{reference} ends (it does not renew)", c.id),
            );
        }
    }
    // A subprocessor added to the list opens the DPA's objection window.
    let windows: Vec<(u32, crate::model::Clause)> = store::clause::of_kind(conn, "subprocessors")?
        .into_iter()
        .filter_map(|c| c.terms.objection_days.map(|d| (d, c)))
        .collect();
    if !windows.is_empty() {
        for (vendor_id, name, seen) in store::subprocessor::additions(conn)? {
            for (days, clause) in windows.iter().filter(|(_, c)| c.vendor_id == vendor_id) {
                let Some(on) = date(&seen)
                    .and_then(|d| d.checked_add_days(chrono::Days::new(u64::from(*days))))
                else {
                    continue;
                };
                if on < today || on > horizon {
                    continue;
                }
                push(
                    clause.vendor.clone(),
                    "objection-window",
                    clause.id,
                    on,
                    "due",
                    format!(
                        "last day to object to subprocessor '{name}', added {seen} ({days} days under {})",
                        clause.label()
                    ),
                );
            }
        }
    }
    out.sort_by(|a, b| (&a.date, &a.vendor, a.what, a.id).cmp(&(&b.date, &b.vendor, b.what, b.id)));
    Ok(out)
}
