//! Red-flag rules: pure functions of (our profile, a vendor's records, today).
//!
//! Each rule names its severity, its legal or practitioner basis, the profile
//! threshold it uses, and carries two examples: clauses that fire it and a
//! near miss that does not. A unit test runs both for every rule, and
//! docs/rules.md is generated from the same table (`vetter rules list
//! --markdown`), so the documentation, the tests and the code cannot drift.

mod catalog;

pub use catalog::RULES;

use crate::model::{Clause, ClauseKind, FlagSeverity, Status, Subprocessor, Vendor};
use crate::profile::Profile;
use crate::store::waiver::Waiver;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::HashMap;

/// Everything a rule may look at for one vendor.
pub struct Facts<'a> {
    pub vendor: &'a Vendor,
    pub clauses: &'a [Clause],
    /// Item id -> status of its newest finding in the vendor's open review.
    pub item_status: &'a HashMap<String, Status>,
    /// The vendor's current subprocessor list.
    pub subprocessors: &'a [Subprocessor],
    pub evidence: &'a [crate::model::Evidence],
    /// The vendor's contracts, ended ones included.
    pub contracts: &'a [crate::domain::contract::Contract],
    /// When the vendor is next due for review: the open review's due date,
    /// else the last decision's next-review date.
    pub next_review: Option<NaiveDate>,
    pub today: NaiveDate,
}

impl Facts<'_> {
    /// Clauses of `kind` that the agreement contains.
    pub fn present(&self, kind: ClauseKind) -> impl Iterator<Item = &Clause> {
        self.clauses
            .iter()
            .filter(move |c| c.kind == kind && !c.absent)
    }

    /// Clauses of `kind` recorded as missing from the agreement.
    pub fn absent(&self, kind: ClauseKind) -> impl Iterator<Item = &Clause> {
        self.clauses
            .iter()
            .filter(move |c| c.kind == kind && c.absent)
    }
}

/// One finding of a rule: the clause it concerns (if any) and what is wrong.
pub struct Hit {
    pub clause: Option<i64>,
    pub message: String,
    /// Set when this hit is more or less serious than the rule's default.
    pub severity: Option<FlagSeverity>,
}

impl Hit {
    /// A hit on a clause: the problem first, then the clause's section and
    /// verbatim quote, so a reader sees what is wrong and can check the words.
    pub fn on(clause: &Clause, problem: String) -> Hit {
        let message = if clause.section.is_some() || clause.quote.is_some() {
            let cite = crate::clause::cite(clause.section.as_deref(), clause.quote.as_deref());
            format!("{problem}; clause {cite}")
        } else {
            problem
        };
        Hit {
            clause: Some(clause.id),
            message,
            severity: None,
        }
    }

    pub fn general(message: String) -> Hit {
        Hit {
            clause: None,
            message,
            severity: None,
        }
    }

    pub fn with_severity(mut self, severity: FlagSeverity) -> Hit {
        self.severity = Some(severity);
        self
    }
}

/// Records that fire a rule (or, for a near miss, do not), as a reviewer
/// would type them. `profile` is `KEY=VALUE` pairs separated by spaces,
/// `data` the vendor's data categories, `clauses` the arguments of
/// `vetter clause add VENDOR ...`, `findings` (item, status) pairs, and
/// `evidence` the arguments of `vetter evidence add VENDOR ...`. Dates in
/// examples are as of 2026-11-26.
pub struct Example {
    pub profile: &'static str,
    pub data: &'static str,
    pub clauses: &'static [&'static str],
    pub findings: &'static [(&'static str, &'static str)],
    pub evidence: &'static [&'static str],
    /// `vetter contract add acme` arguments.
    pub contracts: &'static [&'static str],
    /// The open review's due date (YYYY-MM-DD), when the example has one.
    pub review_due: &'static str,
}

pub struct Rule {
    pub id: &'static str,
    pub title: &'static str,
    pub severity: FlagSeverity,
    /// The clause kind the rule concerns.
    pub kind: ClauseKind,
    pub basis: &'static str,
    /// The threshold the rule holds terms against, from the profile.
    pub threshold: fn(&Profile) -> String,
    pub check: fn(&Rule, &Profile, &Facts) -> Vec<Hit>,
    pub example: Example,
    pub near_miss: Example,
}

/// A raised red flag, as printed by `vetter flags`.
#[derive(Debug, Clone, Serialize)]
pub struct Flag {
    pub vendor: String,
    pub rule: &'static str,
    pub title: &'static str,
    pub severity: FlagSeverity,
    pub kind: ClauseKind,
    pub clause: Option<i64>,
    pub message: String,
    pub basis: &'static str,
    pub threshold: String,
    pub waived: bool,
    pub waiver: Option<Waiver>,
}

/// The DPA clause kinds the rules judge that have no clause recorded for the
/// vendor, present or absent. Their rules cannot fire until the clause is
/// read, so an unread DPA must be shown as unread, never as a clean one.
/// A BAA is only expected when HIPAA binds us or the vendor holds PHI.
pub fn unreviewed_kinds(profile: &Profile, vendor: &Vendor, clauses: &[Clause]) -> Vec<ClauseKind> {
    let baa_expected = profile.regimes.contains(&crate::model::Regime::Hipaa)
        || vendor.data.contains(&crate::model::DataCategory::Phi);
    ClauseKind::ALL
        .iter()
        .copied()
        .filter(|kind| *kind != ClauseKind::Other && (*kind != ClauseKind::Baa || baa_expected))
        .filter(|kind| RULES.iter().any(|r| r.kind == *kind))
        .filter(|kind| !clauses.iter().any(|c| c.kind == *kind))
        .collect()
}

/// "not yet reviewed: subprocessors, deletion-return", or None when every
/// kind is recorded.
pub fn describe_unreviewed(kinds: &[ClauseKind]) -> Option<String> {
    (!kinds.is_empty()).then(|| {
        format!(
            "DPA clauses not yet reviewed: {} (the rules that read their terms cannot fire until each is recorded with `vetter clause add`, or `--absent`)",
            kinds.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(", ")
        )
    })
}

/// Unwaived flags per severity, every severity present (zeros included),
/// as review status, the packet and compare count them.
pub fn unwaived_by_severity(flags: &[Flag]) -> std::collections::BTreeMap<String, usize> {
    let mut counts: std::collections::BTreeMap<String, usize> = FlagSeverity::ALL
        .iter()
        .map(|s| (s.to_string(), 0))
        .collect();
    for f in flags.iter().filter(|f| !f.waived) {
        *counts.entry(f.severity.to_string()).or_default() += 1;
    }
    counts
}

pub fn find(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// A rule's id today, for one it had before (a waiver keeps the id it was
/// given under): soc2.stale became evidence.stale when it came to cover
/// every attestation report.
pub fn current_id(id: &str) -> &str {
    match id {
        "soc2.stale" => "evidence.stale",
        other => other,
    }
}

/// Whether a waiver is in force today: it lapses on its `until` date.
pub fn waiver_active(waiver: &Waiver, today: NaiveDate) -> bool {
    match &waiver.until {
        None => true,
        Some(until) => {
            NaiveDate::parse_from_str(until, "%Y-%m-%d").is_ok_and(|until| today < until)
        }
    }
}

/// Whether a waiver accepts a flag of `severity`: one no more serious than
/// the rule was raised at when it was waived (audit.none waived at high is
/// not waived once GDPR makes it critical). A waiver from before that was
/// recorded covers any severity, as it did then.
pub fn waiver_covers(waiver: &Waiver, severity: FlagSeverity) -> bool {
    match waiver.severity.as_deref().map(str::parse::<FlagSeverity>) {
        Some(Ok(accepted)) => severity >= accepted,
        _ => true,
    }
}

/// Runs every rule; flags are ordered most serious first, then by rule id.
pub fn evaluate(profile: &Profile, facts: &Facts, waivers: &[Waiver]) -> Vec<Flag> {
    let mut flags = Vec::new();
    for rule in RULES {
        let waiver = waivers
            .iter()
            .find(|w| current_id(&w.rule) == rule.id && waiver_active(w, facts.today));
        for hit in (rule.check)(rule, profile, facts) {
            let severity = hit.severity.unwrap_or(rule.severity);
            flags.push(Flag {
                vendor: facts.vendor.slug.clone(),
                rule: rule.id,
                title: rule.title,
                severity,
                kind: rule.kind,
                clause: hit.clause,
                message: hit.message,
                basis: rule.basis,
                threshold: (rule.threshold)(profile),
                waived: waiver.is_some_and(|w| waiver_covers(w, severity)),
                waiver: waiver.cloned(),
            });
        }
    }
    flags.sort_by(|a, b| {
        a.severity
            .cmp(&b.severity)
            .then(a.rule.cmp(b.rule))
            .then(a.clause.cmp(&b.clause))
    });
    flags
}

/// Splits an example's clause arguments like a shell would (single quotes group).
pub fn split_args(text: &str) -> Vec<String> {
    let mut args = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut started = false;
    for c in text.chars() {
        match c {
            '\'' => {
                quoted = !quoted;
                started = true;
            }
            ' ' if !quoted => {
                if started {
                    args.push(std::mem::take(&mut current));
                    started = false;
                }
            }
            _ => {
                current.push(c);
                started = true;
            }
        }
    }
    if started {
        args.push(current);
    }
    args
}

/// Which rules judged a set of flags: this binary's version and a SHA-256
/// of the rule table as docs/rules.md states it (ids, severities, kinds,
/// thresholds, examples). The rules are pure functions of the records and
/// the profile, so the same records judged by the same rules give the same
/// flags; a packet and a decision say which rules they were judged by, so a
/// difference made by a newer binary is named as such.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RulesVersion {
    pub vetter: String,
    pub rules: usize,
    pub table_sha256: String,
}

pub fn version() -> RulesVersion {
    RulesVersion {
        vetter: env!("CARGO_PKG_VERSION").to_string(),
        rules: RULES.len(),
        table_sha256: crate::digest::sha256_hex(docs_markdown().as_bytes()),
    }
}

impl std::fmt::Display for RulesVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "vetter {}, {} rules, rule table sha256 {}",
            self.vetter,
            self.rules,
            &self.table_sha256[..16]
        )
    }
}

/// docs/rules.md, generated from the rule table.
pub fn docs_markdown() -> String {
    let defaults = Profile::default();
    let mut out = String::from(
        "# Red-flag rules\n\n\
         <!-- Generated by `vetter rules list --markdown`; a test keeps this file and the code in step. -->\n\n\
         `vetter flags VENDOR` holds the vendor's DPA clauses, findings and subprocessors against our\n\
         obligations profile (`vetter profile show`). Each rule below names its severity, the clause kind\n\
         it concerns, its legal or practitioner basis, the threshold it takes from the profile (shown\n\
         with the defaults), an example that fires it and a near miss that does not. Every example is\n\
         run by the test suite.\n\n\
         Severities: critical, high, medium, info. A waiver (`vetter flags waive VENDOR RULE --reason\n\
         TEXT [--until DATE]`) keeps a flag visible, marked waived, but out of the counts and of\n\
         `--fail-on`; it lapses on its date, and it covers the rule only at the severity it was\n\
         raised at when waived (a flag that becomes more serious is not waived). Dates in the\n\
         examples are as of 2026-11-26.\n\n",
    );
    out.push_str("| rule | severity | kind | basis |\n|---|---|---|---|\n");
    for rule in RULES {
        out.push_str(&format!(
            "| [`{}`](#{}) | {} | {} | {} |\n",
            rule.id,
            anchor(rule.id),
            rule.severity,
            rule.kind,
            rule.basis
        ));
    }
    for rule in RULES {
        out.push_str(&format!("\n## {}\n\n{}\n\n", rule.id, rule.title));
        out.push_str(&format!(
            "- severity: {}\n- clause kind: {}\n- basis: {}\n",
            rule.severity, rule.kind, rule.basis
        ));
        out.push_str(&format!("- threshold: {}\n\n", (rule.threshold)(&defaults)));
        out.push_str("Fires:\n\n```sh\n");
        out.push_str(&example_commands(&rule.example));
        out.push_str("```\n\nNear miss (does not fire):\n\n```sh\n");
        out.push_str(&example_commands(&rule.near_miss));
        out.push_str("```\n");
    }
    out
}

fn anchor(id: &str) -> String {
    id.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect()
}

fn example_commands(example: &Example) -> String {
    let mut out = String::new();
    if !example.profile.is_empty() {
        out.push_str(&format!("vetter profile set {}\n", example.profile));
    }
    if !example.data.is_empty() {
        out.push_str(&format!(
            "vetter vendor edit acme --data {}\n",
            example.data
        ));
    }
    for clause in example.clauses {
        out.push_str(&format!("vetter clause add acme {clause}\n"));
    }
    for (item, status) in example.findings {
        out.push_str(&format!(
            "vetter finding add acme {item} --status {status} --source trust-center\n"
        ));
    }
    for evidence in example.evidence {
        out.push_str(&format!("vetter evidence add acme {evidence}\n"));
    }
    if !example.review_due.is_empty() {
        out.push_str(&format!(
            "vetter review start acme --due {}\n",
            example.review_due
        ));
    }
    for contract in example.contracts {
        out.push_str(&format!("vetter contract add acme {contract}\n"));
    }
    out
}

#[cfg(test)]
mod tests;
