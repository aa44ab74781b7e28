//! `vetter due [--within DAYS]`: what needs attention across all vendors.

use crate::error::Result;
use crate::output;
use crate::store::{self, Store};
use crate::Env;
use serde::Serialize;
use std::io::Write;

#[derive(Debug, Serialize)]
pub struct DueEntry {
    pub vendor: String,
    /// question | evidence | clause | review | reassessment
    pub what: &'static str,
    pub id: i64,
    pub date: String,
    /// overdue | expired | expiring | due
    pub state: &'static str,
    pub description: String,
}

pub fn run(
    env: &Env,
    store: &Store,
    within: u32,
    fail_if_overdue: bool,
    json: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let today = env.today();
    let horizon = (today + chrono::Duration::days(i64::from(within))).to_string();
    let today = today.to_string();
    let mut entries = Vec::new();
    for q in store::question::list(store.conn(), None, true, true, &today)? {
        entries.push(DueEntry {
            vendor: q.vendor,
            what: "question",
            id: q.id,
            date: q.due.unwrap_or_default(),
            state: "overdue",
            description: format!("{}: {}", q.item, q.text),
        });
    }
    for e in store::evidence::expiring(store.conn(), &horizon)? {
        let until = e.valid_until.clone().unwrap_or_default();
        let description = format!("{} {}", e.kind, e.name());
        entries.push(DueEntry {
            vendor: e.vendor,
            what: "evidence",
            id: e.id,
            state: expiry(&until, &today),
            date: until,
            description,
        });
    }
    for c in store::clause::expiring(store.conn(), &horizon)? {
        let until = c.valid_until.clone().unwrap_or_default();
        entries.push(DueEntry {
            vendor: c.vendor.clone(),
            what: "clause",
            id: c.id,
            state: expiry(&until, &today),
            date: until,
            description: c.label(),
        });
    }
    for (slug, r) in store::review::overdue(store.conn(), &today)? {
        entries.push(DueEntry {
            vendor: slug,
            what: "review",
            id: r.number,
            date: r.due.clone().unwrap_or_default(),
            state: "overdue",
            description: format!(
                "review #{} against {}@{}",
                r.number, r.checklist_id, r.checklist_version
            ),
        });
    }
    // Vendors whose last review is decided: due again on its next-review date.
    for (slug, number, decision) in store::signoff::awaiting_next_cycle(store.conn())? {
        let Some(next) = decision.next_review.filter(|d| *d <= horizon) else {
            continue;
        };
        entries.push(DueEntry {
            vendor: slug.clone(),
            what: "reassessment",
            id: number,
            state: if next < today { "overdue" } else { "due" },
            description: format!(
                "next review cycle (review #{number} was decided {} on {}); start it with `vetter review start {slug}`",
                decision.decision.as_deref().unwrap_or("?"),
                output::day(&decision.at)
            ),
            date: next,
        });
    }
    entries.sort_by(|a, b| {
        a.date
            .cmp(&b.date)
            .then(a.vendor.cmp(&b.vendor))
            .then(a.id.cmp(&b.id))
    });
    let overdue = entries.iter().filter(|e| e.state == "overdue").count();
    let check = || -> Result<()> {
        if fail_if_overdue && overdue > 0 {
            return Err(crate::error::Error::check_failed(format!(
                "{overdue} thing{} overdue",
                if overdue == 1 { " is" } else { "s are" }
            )));
        }
        Ok(())
    };
    if json {
        output::json(out, &entries)?;
        return check();
    }
    if entries.is_empty() {
        output::note(format!(
            "nothing overdue, and nothing expires or falls due within {within} days"
        ));
        return Ok(());
    }
    let mut table = output::table(["date", "state", "vendor", "what", "#", "description"])
        .spill(&["description"]);
    for e in &entries {
        table.add_row(vec![
            e.date.clone(),
            e.state.to_uppercase(),
            e.vendor.clone(),
            e.what.to_string(),
            e.id.to_string(),
            e.description.clone(),
        ]);
    }
    output::print_table(out, &table)?;
    check()
}

/// "expired" for a date before today, else "expiring".
fn expiry(until: &str, today: &str) -> &'static str {
    if until < today {
        "expired"
    } else {
        "expiring"
    }
}
