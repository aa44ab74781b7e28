//! `vetter contract add|list|show|end`: the contracts with a vendor, and the
//! dates they imply (src/domain/contract.rs does the arithmetic).

use super::{find_active_vendor, find_vendor};
use crate::cli::{ContractAddArgs, ContractCommand};
use crate::domain::contract::{deadline_in_words, Contract, Ended, Shown};
use crate::error::{Error, Result};
use crate::output;
use crate::store::{self, Store};
use crate::{validate, Env};
use std::io::Write;

pub fn run(cmd: ContractCommand, env: &Env, store: &mut Store, out: &mut dyn Write) -> Result<()> {
    match cmd {
        ContractCommand::Add(args) => {
            let json = args.json.json;
            let added = add(env, store, args)?;
            super::print_record(json, out, &Shown::of(added, env.today()))
        }
        ContractCommand::List { vendor, all, json } => {
            list(env, store, vendor.as_deref(), all, json.json, out)
        }
        ContractCommand::Show { vendor, id, json } => show(env, store, &vendor, id, json.json, out),
        ContractCommand::End {
            vendor,
            id,
            on,
            reason,
            json,
        } => {
            let ended = end(env, store, &vendor, id, &on, &reason)?;
            super::print_record(json.json, out, &Shown::of(ended, env.today()))
        }
    }
}

pub fn add(env: &Env, store: &mut Store, args: ContractAddArgs) -> Result<Contract> {
    let vendor = find_active_vendor(store, &args.vendor)?;
    let contract = crate::domain::contract::new_contract(&args, &env.timestamp, &env.actor)?;
    if let Some(e) = args.evidence {
        super::ensure_evidence_of(store, e, &vendor)?;
    }
    let id = store.write(|tx| {
        let id = store::contract::insert(tx, vendor.id, &contract)?;
        // The event records the contract as stored, with its real id.
        let logged = Contract {
            id,
            ..contract.clone()
        };
        store::audit::append(
            tx,
            &env.event(
                "contract add",
                "contract",
                id,
                Some(vendor.id),
                None,
                Some(serde_json::to_value(&logged)?),
            ),
        )?;
        Ok(id)
    })?;
    let contract = Contract {
        id,
        vendor: vendor.slug.clone(),
        ..contract
    };
    output::note(format!(
        "contract #{id} of '{}': {}{}",
        vendor.slug,
        contract.terms_in_words(),
        contract
            .standing(env.today())
            .map(|s| format!("; {}", deadline_in_words(&contract, &s)))
            .unwrap_or_default()
    ));
    Ok(contract)
}

fn list(
    env: &Env,
    store: &Store,
    vendor: Option<&str>,
    all: bool,
    json: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let today = env.today();
    let contracts: Vec<Contract> = match vendor {
        Some(slug) => {
            let vendor = find_vendor(store, slug)?;
            store::contract::for_vendor(store.conn(), vendor.id)?
        }
        None => store::contract::all(store.conn())?
            .into_iter()
            .map(|(_, c)| c)
            .collect(),
    };
    let shown: Vec<Shown> = contracts
        .into_iter()
        .map(|c| Shown::of(c, today))
        .filter(|s| all || !s.today.as_ref().is_some_and(|t| t.over))
        .collect();
    if json {
        return output::json(out, &shown);
    }
    if shown.is_empty() {
        output::note(match vendor {
            Some(slug) => format!(
                "no running contracts for '{slug}'{}; add one with `vetter contract add {slug} --start DATE --end DATE`",
                if all { "" } else { " (--all shows ended ones)" }
            ),
            None => "no running contracts; add one with `vetter contract add VENDOR --start DATE --end DATE`".into(),
        });
        return Ok(());
    }
    let mut table = output::table([
        "#",
        "vendor",
        "term ends",
        "renews",
        "notice by",
        "convenience",
        "reference",
    ])
    .spill(&["reference"]);
    for s in &shown {
        let c = &s.contract;
        let t = s.today.as_ref();
        table.add_row(vec![
            c.id.to_string(),
            c.vendor.clone(),
            t.map(|t| t.term_end.to_string()).unwrap_or_default(),
            if c.auto_renew {
                format!("{} months", c.renewal_months.unwrap_or(12))
            } else {
                "no".into()
            },
            match t {
                Some(t) if t.over => "ended".into(),
                Some(t) if t.locked_in => format!(
                    "{} (this term's renewal locked in)",
                    t.next_notice_by.map(|d| d.to_string()).unwrap_or_default()
                ),
                Some(t) => t
                    .next_notice_by
                    .map(|d| d.to_string())
                    .unwrap_or("-".into()),
                None => String::new(),
            },
            match c.termination_for_convenience {
                Some(true) => "yes",
                Some(false) => "no",
                None => "?",
            }
            .into(),
            c.reference.clone().unwrap_or_default(),
        ]);
    }
    output::print_table(out, &table)
}

fn show(
    env: &Env,
    store: &Store,
    slug: &str,
    id: i64,
    json: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let vendor = find_vendor(store, slug)?;
    let contract = find_contract(store, vendor.id, slug, id)?;
    let shown = Shown::of(contract, env.today());
    if json {
        return output::json(out, &shown);
    }
    let c = &shown.contract;
    let mut lines = vec![
        format!("contract #{} of '{}'", c.id, slug),
        format!("terms: {}", shown.in_words),
    ];
    if let Some(s) = &shown.today {
        lines.push(format!(
            "today ({}): {}",
            env.today(),
            deadline_in_words(c, s)
        ));
    }
    for (label, value) in [
        ("reference", &c.reference),
        ("section", &c.section),
        ("quote", &c.quote),
    ] {
        if let Some(v) = value {
            lines.push(format!("{label}: {v}"));
        }
    }
    if let Some(e) = c.evidence {
        lines.push(format!("signed contract: evidence #{e}"));
    }
    lines.push(format!(
        "recorded {} by {}",
        output::day(&c.created_at),
        c.created_by
    ));
    if let Some(e) = &c.ended {
        lines.push(format!(
            "ended on {}: {} (recorded {} by {})",
            e.on,
            e.reason,
            output::day(&e.at),
            e.by
        ));
    }
    let width = output::terminal_width();
    for line in lines {
        for (n, part) in output::fill(&line, width.saturating_sub(2))
            .into_iter()
            .enumerate()
        {
            writeln!(out, "{}{part}", if n == 0 { "" } else { "  " })?;
        }
    }
    Ok(())
}

fn find_contract(store: &Store, vendor_id: i64, slug: &str, id: i64) -> Result<Contract> {
    store::contract::get(store.conn(), vendor_id, id)?.ok_or_else(|| {
        Error::user(format!("'{slug}' has no contract #{id}")).with_hint(format!(
            "list them with `vetter contract list {slug} --all`"
        ))
    })
}

fn end(
    env: &Env,
    store: &mut Store,
    slug: &str,
    id: i64,
    on: &str,
    reason: &str,
) -> Result<Contract> {
    let vendor = find_vendor(store, slug)?;
    let contract = find_contract(store, vendor.id, slug, id)?;
    if let Some(e) = &contract.ended {
        return Err(Error::user(format!(
            "contract #{id} of '{slug}' already ended on {} ({})",
            e.on, e.reason
        ))
        .with_hint("a contract ends once; record a new one with `vetter contract add`"));
    }
    let on = validate::date_from_today("--on", on, env.today())?;
    if on.to_string() < contract.start {
        return Err(Error::user(format!(
            "--on {on} is before the contract started ({})",
            contract.start
        ))
        .with_hint("give the last day the contract ran"));
    }
    let reason = validate::text("--reason", Some(reason))?.ok_or_else(|| {
        Error::user("--reason is empty")
            .with_hint("say why it ended, e.g. \"not renewed: notice given 2026-09-30\"")
    })?;
    let ended = Ended {
        on: on.to_string(),
        reason,
        at: env.timestamp.clone(),
        by: env.actor.clone(),
    };
    store.write(|tx| {
        store::contract::end(tx, id, &ended)?;
        store::audit::append(
            tx,
            &env.event(
                "contract end",
                "contract",
                id,
                Some(vendor.id),
                None,
                Some(serde_json::json!({ "ended": ended })),
            ),
        )?;
        Ok(())
    })?;
    output::note(format!(
        "contract #{id} of '{slug}' ended on {} ({})",
        ended.on, ended.reason
    ));
    Ok(Contract {
        ended: Some(ended),
        ..contract
    })
}
