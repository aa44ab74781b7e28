//! `vetter profile show|set`: our obligations.

use crate::cli::ProfileCommand;
use crate::error::{Error, Result};
use crate::output;
use crate::profile::{Profile, KEYS};
use crate::store::{self, Store};
use crate::Env;
use std::io::Write;

pub fn run(cmd: ProfileCommand, env: &Env, store: &mut Store, out: &mut dyn Write) -> Result<()> {
    match cmd {
        ProfileCommand::Show { json } => show(store, json.json, out),
        ProfileCommand::Set { pairs, json } => {
            set(store, env, &pairs)?;
            if json.json {
                show(store, true, out)?;
            }
            Ok(())
        }
    }
}

fn show(store: &Store, json: bool, out: &mut dyn Write) -> Result<()> {
    let profile = crate::profile::load(store)?;
    if json {
        return output::json(out, &profile);
    }
    let mut table = output::table(["key", "value", "default", "meaning"]).spill(&["meaning"]);
    for (key, default, meaning) in KEYS {
        let value = profile.get(key);
        table.add_row(vec![
            key.to_string(),
            if value.is_empty() { "-".into() } else { value },
            if default.is_empty() {
                "-".into()
            } else {
                default.to_string()
            },
            meaning.to_string(),
        ]);
    }
    output::print_table(out, &table)
}

pub fn set(store: &mut Store, env: &Env, pairs: &[String]) -> Result<()> {
    let before = crate::profile::load(store)?;
    let mut after = before.clone();
    let mut keys = Vec::new();
    for pair in pairs {
        let (key, value) = pair.split_once('=').ok_or_else(|| {
            Error::user(format!("'{pair}' is not KEY=VALUE"))
                .with_hint("e.g. `vetter profile set regimes=gdpr,hipaa max-breach-hours=48`")
        })?;
        let key = key.trim();
        after.set(key, value)?;
        keys.push(key);
    }
    let defaults = Profile::default();
    let changed: Vec<&str> = keys
        .iter()
        .copied()
        .filter(|k| before.get(k) != after.get(k))
        .collect();
    if changed.is_empty() {
        output::note("profile unchanged");
        return Ok(());
    }
    let old: serde_json::Map<String, serde_json::Value> = changed
        .iter()
        .map(|k| (k.to_string(), before.get(k).into()))
        .collect();
    let new: serde_json::Map<String, serde_json::Value> = changed
        .iter()
        .map(|k| (k.to_string(), after.get(k).into()))
        .collect();
    store.write(|tx| {
        for key in &changed {
            let value = after.get(key);
            let stored = (value != defaults.get(key)).then_some(value.as_str());
            store::profile::put(tx, key, stored, &env.timestamp, &env.actor)?;
        }
        store::audit::append(
            tx,
            &env.event(
                "profile set",
                "profile",
                changed.join(","),
                None,
                Some(old.clone().into()),
                Some(new.clone().into()),
            ),
        )?;
        Ok(())
    })?;
    for key in changed {
        output::note(format!("{key} = {}", after.get(key)));
    }
    Ok(())
}
