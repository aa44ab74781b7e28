//! A team's roles on PostgreSQL, and the rules the server enforces for them.
//!
//! `init` makes four group roles and a `vetter_owner` role that owns the
//! schema and that nobody logs in as (so no person can ALTER or DROP the
//! register's tables, or disable its triggers), applies the migrations as
//! that owner, then installs the team rules (`TEAM_SQL`) and the grants.
//! The rules are triggers, so they hold for `psql` as much as for vetter:
//! - the actor written in every record is the login that wrote it;
//! - only a vetter_approver decides, and never the person who submitted;
//! - records stay append-only (the migrations' own triggers, and no UPDATE
//!   or DELETE granted on them).
//!
//! Creating logins and their passwords stays the DBA's job (docs/team.md).

use super::super::sql::Db;
use crate::error::{Error, Result};
use serde::Serialize;

/// The group roles, in the order `team list` shows them, and what each may do.
pub const ROLES: &[(&str, &str)] = &[
    ("vetter_reviewer", "records vendors, reviews, findings, clauses, questions, evidence and imports; submits a review"),
    ("vetter_approver", "a reviewer who also decides reviews (never one they submitted) and waives flags"),
    ("vetter_auditor", "reads, verifies, exports and backs up; writes nothing"),
    ("vetter_admin", "sets the profile and checklists, and manages the team"),
];

/// The role that owns the schema; nobody logs in as it.
pub const OWNER: &str = "vetter_owner";

/// The triggers `TEAM_SQL` defines (verify reports any that went missing).
pub const TRIGGERS: &[&str] = &[
    "checklist_actor",
    "review_actor",
    "finding_actor",
    "audit_event_actor",
    "profile_actor",
    "clause_actor",
    "subprocessor_actor",
    "waiver_actor",
    "evidence_actor",
    "question_actor",
    "question_answer_actor",
    "review_signoff_actor",
    "questionnaire_actor",
    "contract_actor",
    "contract_end_actor",
    "review_signoff_four_eyes",
];

/// The team's rules and grants, idempotent (run again by every `team
/// init`, e.g. after an upgrade). Runs as the owner.
const TEAM_SQL: &str = include_str!("../../../migrations/postgres/team.sql");

/// Which table's actor column each identity trigger checks.
const ACTOR_COLUMNS: &[(&str, &str)] = &[
    ("checklist", "installed_by"),
    ("review", "started_by"),
    ("finding", "recorded_by"),
    ("audit_event", "actor"),
    ("profile", "updated_by"),
    ("clause", "created_by"),
    ("subprocessor", "recorded_by"),
    ("waiver", "created_by"),
    ("evidence", "created_by"),
    ("question", "asked_by"),
    ("question_answer", "answered_by"),
    ("review_signoff", "actor"),
    ("questionnaire", "imported_by"),
    ("contract", "created_by"),
    ("contract_end", "ended_by"),
];

/// Makes the roles (those missing), the schema and its tables, and the team
/// rules. Run by a login that may create roles (a superuser, or one with
/// CREATEROLE, e.g. RDS's master user); safe to run again, which is also how
/// a register is upgraded to a newer vetter's schema.
pub fn init(db: &Db) -> Result<Vec<String>> {
    let mut created = Vec::new();
    db.execute_batch("BEGIN")?;
    let result = (|| -> Result<()> {
        db.execute("SELECT pg_advisory_xact_lock(?1)", [super::WRITE_LOCK])?;
        for role in std::iter::once(OWNER).chain(ROLES.iter().map(|(r, _)| *r)) {
            if !role_exists(db, role)? {
                db.execute_batch(&format!("CREATE ROLE {role} NOLOGIN"))
                    .map_err(|e| cannot_create_roles(db, e))?;
                created.push(role.to_string());
            }
        }
        // An approver is a reviewer who may also decide and waive.
        db.execute_batch("GRANT vetter_reviewer TO vetter_approver")?;
        // The one doing init must be able to act as the owner to build the
        // schema; a superuser always can.
        db.execute_batch(&format!(
            "GRANT {OWNER} TO CURRENT_USER;
             CREATE SCHEMA IF NOT EXISTS {schema} AUTHORIZATION {OWNER};",
            schema = super::SCHEMA
        ))?;
        // The owner manages team membership through `team grant/revoke`
        // (SECURITY DEFINER functions that check the caller is an admin).
        for (role, _) in ROLES {
            db.execute_batch(&format!("GRANT {role} TO {OWNER} WITH ADMIN OPTION"))?;
        }
        Ok(())
    })();
    super::super::end_transaction(db, result)?;
    db.execute_batch(&format!("SET ROLE {OWNER}"))?;
    let applied = super::migrate(db).and_then(|()| {
        db.execute_batch("BEGIN")?;
        let result = install_rules(db);
        super::super::end_transaction(db, result)
    });
    db.execute_batch("RESET ROLE")?;
    applied?;
    Ok(created)
}

fn install_rules(db: &Db) -> Result<()> {
    db.execute("SELECT pg_advisory_xact_lock(?1)", [super::WRITE_LOCK])?;
    db.execute_batch(TEAM_SQL)?;
    for (table, column) in ACTOR_COLUMNS {
        let trigger = format!("{table}_actor");
        let events = if *table == "profile" {
            "INSERT OR UPDATE"
        } else {
            "INSERT"
        };
        db.execute_batch(&format!(
            "DROP TRIGGER IF EXISTS {trigger} ON {table};
             CREATE TRIGGER {trigger} BEFORE {events} ON {table}
             FOR EACH ROW EXECUTE FUNCTION vetter_actor_is_login('{column}');"
        ))?;
    }
    Ok(())
}

fn role_exists(db: &Db, role: &str) -> Result<bool> {
    Ok(db
        .query_opt("SELECT 1 FROM pg_roles WHERE rolname = ?1", [role], |r| {
            r.get::<i64>(0)
        })?
        .is_some())
}

fn cannot_create_roles(db: &Db, e: Error) -> Error {
    let who = super::session_user(db).unwrap_or_default();
    Error::user(format!(
        "'{who}' cannot create the team's roles: {}",
        e.message
    ))
    .with_hint("run `vetter team init` as a login that may create roles: a superuser, or one with CREATEROLE (on RDS or Cloud SQL, the master user). Nothing was changed")
}

/// Adds `login` to the group `role`. Only a vetter_admin may (the server
/// checks, in `vetter_team_grant`).
pub fn grant(db: &Db, login: &str, role: &str) -> Result<()> {
    check_role_name(role)?;
    db.execute("SELECT vetter_team_grant(?1, ?2)", [login, role])?;
    Ok(())
}

/// Removes `login` from the group `role`.
pub fn revoke(db: &Db, login: &str, role: &str) -> Result<()> {
    check_role_name(role)?;
    db.execute("SELECT vetter_team_revoke(?1, ?2)", [login, role])?;
    Ok(())
}

fn check_role_name(role: &str) -> Result<()> {
    if ROLES.iter().any(|(r, _)| *r == role) {
        return Ok(());
    }
    let names: Vec<&str> = ROLES.iter().map(|(r, _)| *r).collect();
    Err(Error::user(format!("unknown role '{role}'"))
        .with_hint(format!("the roles are {}", names.join(", "))))
}

/// A login and the vetter roles it holds, directly or through another.
#[derive(Debug, Serialize)]
pub struct Member {
    pub login: String,
    pub roles: Vec<String>,
    pub can_log_in: bool,
}

/// Every role that holds a vetter group role, by name.
pub fn list(db: &Db) -> Result<Vec<Member>> {
    let rows: Vec<(String, String, bool)> = db.query_map(
        "SELECT m.rolname, g.rolname, m.rolcanlogin
         FROM pg_auth_members a
         JOIN pg_roles g ON g.oid = a.roleid
         JOIN pg_roles m ON m.oid = a.member
         WHERE g.rolname IN ('vetter_reviewer', 'vetter_approver', 'vetter_auditor', 'vetter_admin')
           AND m.rolname NOT LIKE 'vetter\\_%'
         ORDER BY m.rolname COLLATE \"C\", g.rolname COLLATE \"C\"",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let mut members: Vec<Member> = Vec::new();
    for (login, role, can_log_in) in rows {
        match members.last_mut() {
            Some(m) if m.login == login => m.roles.push(role),
            _ => members.push(Member {
                login,
                roles: vec![role],
                can_log_in,
            }),
        }
    }
    Ok(members)
}
