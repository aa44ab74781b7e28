//! Every rule fires on its example and not on its near miss; docs/rules.md is
//! the generated documentation of exactly these rules.

use super::*;
use crate::cli::{ClauseCommand, Cli, Command};
use crate::model::{Clause, Vendor};
use clap::Parser;

fn vendor(data: &str) -> Vendor {
    Vendor {
        id: 1,
        slug: "acme".into(),
        name: "Acme".into(),
        website: None,
        trust_center: None,
        hosting: None,
        tenancy: None,
        data: crate::model::parse_data_categories(data).unwrap(),
        tier: None,
        created_at: String::new(),
        updated_at: String::new(),
        archived_at: None,
    }
}

/// The flags `example` raises, by rule id.
fn run(example: &Example) -> Vec<Flag> {
    let mut profile = Profile::default();
    for pair in example.profile.split_whitespace() {
        let (k, v) = pair.split_once('=').unwrap();
        profile.set(k, v).unwrap();
    }
    let vendor = vendor(example.data);
    let clauses: Vec<Clause> = example
        .clauses
        .iter()
        .enumerate()
        .map(|(i, text)| {
            let mut argv = vec![
                "vetter".to_string(),
                "clause".into(),
                "add".into(),
                "acme".into(),
            ];
            argv.extend(split_args(text));
            let cli = Cli::try_parse_from(&argv)
                .unwrap_or_else(|e| panic!("example `{text}` does not parse: {e}"));
            let Command::Clause(ClauseCommand::Add {
                kind,
                absent,
                terms,
                ..
            }) = cli.command
            else {
                unreachable!()
            };
            let mut c = crate::clause::new_clause(
                &vendor,
                kind,
                absent,
                &terms,
                "2026-11-26T00:00:00Z",
                "test",
            )
            .unwrap_or_else(|e| panic!("example `{text}` is refused: {e}"));
            c.id = i as i64 + 1;
            c
        })
        .collect();
    let item_status = example
        .findings
        .iter()
        .map(|(i, s)| (i.to_string(), s.parse().unwrap()))
        .collect();
    let evidence: Vec<crate::model::Evidence> = example
        .evidence
        .iter()
        .enumerate()
        .map(|(i, text)| {
            let mut argv = vec![
                "vetter".to_string(),
                "evidence".into(),
                "add".into(),
                "acme".into(),
            ];
            argv.extend(split_args(text));
            let cli = Cli::try_parse_from(&argv)
                .unwrap_or_else(|e| panic!("example `{text}` does not parse: {e}"));
            let Command::Evidence(crate::cli::EvidenceCommand::Add(a)) = cli.command else {
                unreachable!()
            };
            crate::model::Evidence {
                id: i as i64 + 1,
                vendor_id: 1,
                vendor: "acme".into(),
                kind: a.kind.unwrap_or(crate::model::EvidenceKind::Other),
                title: a.title,
                file_name: a.file.map(|f| f.display().to_string()),
                sha256: None,
                size: None,
                source_url: a.source_url,
                quote: a.quote,
                retrieved: None,
                valid_from: a.valid_from,
                valid_until: a.valid_until,
                period_start: a.period_start,
                period_end: a.period_end,
                opinion: a.opinion,
                exceptions: a.exceptions,
                cuecs: a.cuecs,
                subservice: a.subservice,
                bridge_letter_until: a.bridge_letter_until,
                items: vec![],
                clauses: vec![],
                created_at: String::new(),
                created_by: String::new(),
            }
        })
        .collect();
    let facts = Facts {
        vendor: &vendor,
        clauses: &clauses,
        item_status: &item_status,
        subprocessors: &[],
        evidence: &evidence,
        today: NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
    };
    evaluate(&profile, &facts, &[])
}

#[test]
fn every_rule_fires_on_its_example_and_not_on_its_near_miss() {
    for rule in RULES {
        let fired = run(&rule.example);
        let hit = fired.iter().find(|f| f.rule == rule.id);
        let hit = hit.unwrap_or_else(|| panic!("{} does not fire on its example", rule.id));
        assert!(!hit.message.is_empty() && !hit.basis.is_empty());
        if let Some(quote) = rule
            .example
            .clauses
            .first()
            .and_then(|c| c.split("--quote '").nth(1))
        {
            let quote = quote.split('\'').next().unwrap();
            assert!(
                hit.message.contains(quote),
                "{}: message does not quote the clause: {}",
                rule.id,
                hit.message
            );
        }
        let missed = run(&rule.near_miss);
        assert!(
            !missed.iter().any(|f| f.rule == rule.id),
            "{} fires on its near miss: {:?}",
            rule.id,
            missed
                .iter()
                .filter(|f| f.rule == rule.id)
                .map(|f| &f.message)
                .collect::<Vec<_>>()
        );
    }
}

#[test]
fn rule_ids_are_unique_and_well_formed() {
    let mut seen = std::collections::HashSet::new();
    for rule in RULES {
        assert!(seen.insert(rule.id), "duplicate rule {}", rule.id);
        assert!(
            rule.id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-'),
            "{}",
            rule.id
        );
    }
}

#[test]
fn docs_rules_md_is_generated_from_the_rules() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules.md");
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == docs_markdown(),
        "docs/rules.md is out of date: run `cargo run -- rules list --markdown > docs/rules.md`"
    );
}

#[test]
fn severities_scale_with_the_regime() {
    // Audit none is critical under GDPR, high otherwise.
    let gdpr = Example {
        profile: "regimes=gdpr",
        data: "",
        clauses: &["audit-rights --absent"],
        findings: &[],
        evidence: &[],
    };
    let other = Example {
        profile: "",
        data: "",
        clauses: &["audit-rights --absent"],
        findings: &[],
        evidence: &[],
    };
    assert_eq!(
        run(&gdpr)
            .iter()
            .find(|f| f.rule == "audit.none")
            .unwrap()
            .severity,
        crate::model::FlagSeverity::Critical
    );
    assert_eq!(
        run(&other)
            .iter()
            .find(|f| f.rule == "audit.none")
            .unwrap()
            .severity,
        crate::model::FlagSeverity::High
    );
}
