//! `vetter team init|grant|revoke|list`: a team's roles on a PostgreSQL
//! register. The server enforces them (src/store/postgres/team.rs); these
//! commands make them and say who holds which.

use crate::cli::TeamCommand;
use crate::error::Result;
use crate::store::{self, Store};
use crate::{output, Env};
use std::io::Write;

pub fn init(env: &Env, out: &mut dyn Write) -> Result<()> {
    let created = Store::team_init(&env.db)?;
    if created.is_empty() {
        writeln!(out, "the team register at {} is up to date", env.db.shown())?;
    } else {
        writeln!(
            out,
            "made the team register at {} and the roles {}",
            env.db.shown(),
            created.join(", ")
        )?;
    }
    output::note("next: a DBA makes each person's login (CREATE ROLE alice LOGIN PASSWORD ...), then a vetter_admin gives it a role: `vetter team grant alice --role vetter_reviewer` (docs/team.md)");
    Ok(())
}

pub fn run(cmd: TeamCommand, env: &Env, store: &mut Store, out: &mut dyn Write) -> Result<()> {
    match cmd {
        TeamCommand::Init => unreachable!("team init opens the server itself"),
        TeamCommand::Grant { login, role } => change(env, store, &login, &role, true, out),
        TeamCommand::Revoke { login, role } => change(env, store, &login, &role, false, out),
        TeamCommand::List { json } => {
            let members = store::postgres::team::list(store.team()?)?;
            if json.json {
                return output::json(out, &members);
            }
            if members.is_empty() {
                writeln!(out, "nobody holds a vetter role yet; a vetter_admin grants one with `vetter team grant LOGIN --role ROLE`")?;
                return Ok(());
            }
            for m in members {
                let login = if m.can_log_in {
                    String::new()
                } else {
                    " (cannot log in)".to_string()
                };
                writeln!(out, "{}{login}: {}", m.login, m.roles.join(", "))?;
            }
            Ok(())
        }
    }
}

/// A grant or revoke, recorded in the audit log in the same transaction.
fn change(
    env: &Env,
    store: &mut Store,
    login: &str,
    role: &str,
    grant: bool,
    out: &mut dyn Write,
) -> Result<()> {
    store.team()?;
    let (command, verb) = if grant {
        ("team grant", "granted")
    } else {
        ("team revoke", "revoked")
    };
    store.write(|tx| {
        if grant {
            store::postgres::team::grant(tx, login, role)?;
        } else {
            store::postgres::team::revoke(tx, login, role)?;
        }
        let change = serde_json::json!({ "login": login, "role": role });
        store::audit::append(
            tx,
            &env.event(command, "team", login.to_string(), None, None, Some(change)),
        )?;
        Ok(())
    })?;
    writeln!(
        out,
        "{verb} {role} {} {login}",
        if grant { "to" } else { "from" }
    )?;
    Ok(())
}
