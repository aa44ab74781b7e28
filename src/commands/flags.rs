//! `vetter flags VENDOR | --all [--fail-on SEVERITY]` and `vetter flags waive`.

use super::{find_active_vendor, find_vendor};
use crate::cli::{FlagsArgs, FlagsCommand};
use crate::error::{not_found, Error, Result};
use crate::model::FlagSeverity;
use crate::output;
use crate::rules::{self, Flag};
use crate::store::{self, waiver::Waiver, Store};
use crate::{validate, Env};
use std::collections::HashMap;
use std::io::Write;

pub fn run(args: FlagsArgs, env: &Env, store: &mut Store, out: &mut dyn Write) -> Result<()> {
    if let Some(FlagsCommand::Waive {
        vendor,
        rule,
        reason,
        until,
        pre_emptive,
        json,
    }) = args.command
    {
        let waiver = waive(
            env,
            store,
            &vendor,
            &rule,
            &reason,
            until.as_deref(),
            pre_emptive,
        )?;
        return super::print_record(json.json, out, &waiver);
    }
    let profile = crate::profile::load(store)?;
    let vendors = match (&args.vendor, args.all) {
        (Some(slug), _) => vec![find_vendor(store, slug)?],
        (None, true) => store::vendor::list(store.conn(), false)?,
        (None, false) => {
            return Err(Error::user("name a vendor, or pass --all")
                .with_hint("e.g. `vetter flags acme` or `vetter flags --all --fail-on high`"));
        }
    };
    let mut all = Vec::new();
    let mut unreviewed = Vec::new();
    for vendor in &vendors {
        let review = store::review::current(store.conn(), vendor.id)?;
        let records =
            crate::domain::VendorRecords::load(store, vendor, review.map(|r| r.id), env.today())?;
        all.extend(records.flags(&profile, vendor, env.today()));
        unreviewed.push((
            vendor.slug.as_str(),
            rules::unreviewed_kinds(&profile, vendor, &records.clauses),
        ));
    }
    if args.json.json {
        // An object, not a bare array, so that it can carry its format_version.
        #[derive(serde::Serialize)]
        struct FlagsJson<'a> {
            format_version: u32,
            flags: &'a [rules::Flag],
        }
        output::json(
            out,
            &FlagsJson {
                format_version: output::FLAGS_FORMAT,
                flags: &all,
            },
        )?;
    } else {
        print(out, &all, vendors.len() > 1)?;
        // What the flags cannot see yet: an unread DPA is not a clean one.
        let width = output::terminal_width();
        for (slug, kinds) in &unreviewed {
            if let Some(text) = rules::describe_unreviewed(kinds) {
                let text = if vendors.len() > 1 {
                    format!("{slug}: {text}")
                } else {
                    text
                };
                output::write_indented(out, "", &text, width)?;
            }
        }
    }
    if let Some(fail_on) = args.fail_on {
        let failing = all
            .iter()
            .filter(|f| !f.waived && fail_on.is_reached_by(f.severity))
            .count();
        if failing > 0 {
            return Err(Error::check_failed(format!(
                "{failing} unwaived red flag{} at {fail_on} or worse",
                if failing == 1 { "" } else { "s" }
            )));
        }
    }
    Ok(())
}

fn print(out: &mut dyn Write, flags: &[Flag], with_vendor: bool) -> Result<()> {
    let mut counts: HashMap<FlagSeverity, usize> = HashMap::new();
    for f in flags.iter().filter(|f| !f.waived) {
        *counts.entry(f.severity).or_default() += 1;
    }
    // Blocks, not a table: a flag's message quotes the clause and must be
    // read whole, wrapped to the terminal.
    let width = output::terminal_width();
    for f in flags {
        let vendor = if with_vendor {
            format!("{}  ", f.vendor)
        } else {
            String::new()
        };
        let clause = f
            .clause
            .map(|c| format!(" (clause #{c})"))
            .unwrap_or_default();
        writeln!(
            out,
            "{vendor}{:<8}  {}{clause}",
            f.severity.as_str().to_uppercase(),
            f.rule
        )?;
        output::write_indented(out, "  ", &f.message, width)?;
        let basis = format!("basis: {}; threshold: {}", f.basis, f.threshold);
        output::write_indented(out, "  ", &basis, width)?;
        match (&f.waiver, f.waived) {
            (Some(w), true) => output::write_indented(out, "  ", &w.describe(), width)?,
            (Some(w), false) => output::write_indented(out, "  ", &w.describe_outgrown(), width)?,
            (None, _) => {}
        }
        writeln!(out)?;
    }
    let waived = flags.iter().filter(|f| f.waived).count();
    let summary: Vec<String> = FlagSeverity::ALL
        .iter()
        .map(|s| format!("{} {s}", counts.get(s).copied().unwrap_or(0)))
        .collect();
    writeln!(
        out,
        "{} red flag{}: {}{}",
        flags.len() - waived,
        if flags.len() - waived == 1 { "" } else { "s" },
        summary.join(", "),
        if waived > 0 {
            format!(" ({waived} waived, not counted)")
        } else {
            String::new()
        }
    )?;
    Ok(())
}

fn waive(
    env: &Env,
    store: &mut Store,
    slug: &str,
    rule: &str,
    reason: &str,
    until: Option<&str>,
    pre_emptive: bool,
) -> Result<Waiver> {
    let vendor = find_active_vendor(store, slug)?;
    if rules::find(rule).is_none() {
        return Err(not_found(
            "rule",
            rule,
            rules::RULES.iter().map(|r| r.id),
            "list the rules with `vetter rules list`",
        ));
    }
    // A waiver answers a raised flag. Waiving a rule that is not raised is
    // usually a typo'd vendor or rule, so it must be asked for by name.
    let profile = crate::profile::load(store)?;
    // The most serious severity the rule is raised at today: what the
    // waiver accepts. A flag that becomes more serious later is not covered.
    let raised_at = crate::domain::vendor_flags(store, &profile, &vendor, env.today())?
        .iter()
        .filter(|f| f.rule == rule)
        .map(|f| f.severity)
        .min();
    let raised = raised_at.is_some();
    if raised && pre_emptive {
        return Err(Error::user(format!(
            "{rule} is raised for '{}' today, so the waiver is not pre-emptive",
            vendor.slug
        ))
        .with_hint("drop --pre-emptive"));
    }
    if !raised && !pre_emptive {
        return Err(Error::user(format!(
            "{rule} is not raised for '{}' today; there is nothing to waive",
            vendor.slug
        ))
        .with_hint(format!(
            "see the raised flags with `vetter flags {}`; to accept the risk before it is raised, pass --pre-emptive",
            vendor.slug
        )));
    }
    let reason = validate::text("--reason", Some(reason))?.ok_or_else(|| {
        Error::user("--reason is empty").with_hint("say why the risk is accepted; auditors read it")
    })?;
    let until = match until {
        Some(d) => {
            let date = validate::date_from_today("--until", d, env.today())?;
            if date <= env.today() {
                return Err(Error::user(format!(
                    "--until {date} is not in the future (today is {})",
                    env.today()
                ))
                .with_hint("a waiver lapses on its --until date; give a later date"));
            }
            Some(date.to_string())
        }
        None => None,
    };
    let waiver = Waiver {
        id: 0,
        rule: rule.to_string(),
        reason,
        until,
        created_at: env.timestamp.clone(),
        created_by: env.actor.clone(),
        pre_emptive,
        severity: Some(
            raised_at
                .or_else(|| rules::find(rule).map(|r| r.severity))
                .map_or("critical", |s| s.as_str())
                .to_string(),
        ),
    };
    let id = store.write(|tx| {
        super::ensure_not_awaiting_decision(tx, vendor.id, &vendor.slug)?;
        let id = store::waiver::insert(tx, vendor.id, &waiver)?;
        // The event records the waiver as stored, with its real id.
        let waiver = Waiver {
            id,
            ..waiver.clone()
        };
        store::audit::append(
            tx,
            &env.event(
                "flags waive",
                "waiver",
                id,
                Some(vendor.id),
                None,
                Some(serde_json::to_value(&waiver)?),
            ),
        )?;
        Ok(id)
    })?;
    output::note(format!(
        "waiver #{id}: {rule} accepted for '{}'{}{}",
        vendor.slug,
        waiver
            .until
            .as_ref()
            .map(|u| format!(" until {u}"))
            .unwrap_or_default(),
        if pre_emptive {
            " (pre-emptive: not raised today)"
        } else {
            ""
        }
    ));
    Ok(Waiver { id, ..waiver })
}
