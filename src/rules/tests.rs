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
    run_with(example, &[])
}

/// The flags `example` raises with `waivers` in force.
fn run_with(example: &Example, waivers: &[Waiver]) -> Vec<Flag> {
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
                // A stored file always has its sha256; a page quote has none.
                sha256: a.file.as_ref().map(|_| "0".repeat(64)),
                file_name: a.file.map(|f| f.display().to_string()),
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
    let contracts: Vec<crate::domain::contract::Contract> = example
        .contracts
        .iter()
        .enumerate()
        .map(|(i, text)| {
            let mut argv = vec![
                "vetter".to_string(),
                "contract".into(),
                "add".into(),
                "acme".into(),
            ];
            argv.extend(split_args(text));
            let cli = Cli::try_parse_from(&argv)
                .unwrap_or_else(|e| panic!("example `{text}` does not parse: {e}"));
            let Command::Contract(crate::cli::ContractCommand::Add(a)) = cli.command else {
                unreachable!()
            };
            let mut c = crate::domain::contract::new_contract(&a, "2026-11-26T00:00:00Z", "test")
                .unwrap_or_else(|e| panic!("example `{text}` is refused: {e}"));
            c.id = i as i64 + 1;
            c
        })
        .collect();
    let facts = Facts {
        vendor: &vendor,
        clauses: &clauses,
        item_status: &item_status,
        subprocessors: &[],
        evidence: &evidence,
        contracts: &contracts,
        next_review: (!example.review_due.is_empty())
            .then(|| NaiveDate::parse_from_str(example.review_due, "%Y-%m-%d").unwrap()),
        today: NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
    };
    evaluate(&profile, &facts, waivers)
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
        contracts: &[],
        review_due: "",
    };
    let other = Example {
        profile: "",
        data: "",
        clauses: &["audit-rights --absent"],
        findings: &[],
        evidence: &[],
        contracts: &[],
        review_due: "",
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

const EMPTY: Example = Example {
    profile: "",
    data: "",
    clauses: &[],
    findings: &[],
    evidence: &[],
    contracts: &[],
    review_due: "",
};

fn raised_ids(profile: &'static str, clauses: &'static [&'static str]) -> Vec<&'static str> {
    run(&Example {
        profile,
        clauses,
        ..EMPTY
    })
    .iter()
    .map(|f| f.rule)
    .collect()
}

#[test]
fn an_absent_liability_clause_leaves_the_general_cap_in_force() {
    let ids = raised_ids(
        "liability=separate-cap",
        &["liability --absent --section MSA"],
    );
    assert!(ids.contains(&"liability.inside-general-cap"), "{ids:?}");
    let fired = run(&Example {
        profile: "liability=separate-cap",
        clauses: &["liability --absent"],
        ..EMPTY
    });
    let flag = fired
        .iter()
        .find(|f| f.rule == "liability.inside-general-cap")
        .unwrap();
    assert!(flag.message.contains("general cap"), "{}", flag.message);
    assert_eq!(flag.clause, Some(1));
    // Under a profile that accepts any cap, an absent clause is not flagged.
    assert!(!raised_ids("liability=any", &["liability --absent"])
        .contains(&"liability.inside-general-cap"));
}

#[test]
fn cap_size_and_repealed_sccs_need_their_profile() {
    let small = &["liability --cap separate-cap --cap-months 1"];
    assert!(raised_ids("min-cap-months=12", small).contains(&"liability.cap-below-min"));
    // 0 (the default) sets no minimum.
    assert!(!raised_ids("", small).contains(&"liability.cap-below-min"));
    // A cap given only as an amount cannot be compared with months of fees.
    assert!(!raised_ids(
        "min-cap-months=12",
        &["liability --cap separate-cap --cap-amount 'USD 1,000,000'"]
    )
    .contains(&"liability.cap-below-min"));
    let old = &["transfers --regions EU,US --mechanism scc-2010"];
    assert!(raised_ids("regimes=uk-gdpr", old).contains(&"transfers.scc-2010"));
    assert!(raised_ids(
        "regimes=gdpr",
        &["residency --regions US --mechanism scc-2010"]
    )
    .contains(&"transfers.scc-2010"));
    assert!(!raised_ids("regimes=ccpa", old).contains(&"transfers.scc-2010"));
    // A repealed mechanism is still a mechanism: no-mechanism does not fire too.
    assert!(!raised_ids("regimes=gdpr regions=EU", old).contains(&"transfers.no-mechanism"));
}

#[test]
fn a_list_in_an_annex_or_on_request_is_not_no_list() {
    let annex = raised_ids("", &["subprocessors --list-in annex"]);
    assert!(!annex.contains(&"subprocessors.no-list"), "{annex:?}");
    assert!(
        !annex.contains(&"subprocessors.list-on-request"),
        "{annex:?}"
    );
    let asked = raised_ids("", &["subprocessors --list-in on-request"]);
    assert!(!asked.contains(&"subprocessors.no-list"), "{asked:?}");
    assert!(
        asked.contains(&"subprocessors.list-on-request"),
        "{asked:?}"
    );
}

#[test]
fn repealed_sccs_name_the_deadline_of_the_regime() {
    let clauses = &["transfers --regions EU,US --mechanism scc-2010"];
    let message = |profile: &'static str| {
        run(&Example {
            profile,
            clauses,
            ..EMPTY
        })
        .into_iter()
        .find(|f| f.rule == "transfers.scc-2010")
        .unwrap()
        .message
    };
    assert!(message("regimes=gdpr").contains("27 December 2022"));
    assert!(message("regimes=gdpr,uk-gdpr").contains("27 December 2022"));
    assert!(message("regimes=uk-gdpr").contains("21 March 2024 under UK GDPR"));
}

/// The rules judge the set of mechanisms: the UK Addendum amends the 2021
/// SCCs for UK transfers and covers no EU transfer on its own; the EU SCCs
/// alone no longer cover UK transfers; the DPF covers the US only.
#[test]
fn transfer_mechanisms_are_judged_as_a_set() {
    let no_mechanism = |profile: &'static str, clause: &'static str| {
        run(&Example {
            profile,
            clauses: Box::leak(Box::new([clause])),
            ..EMPTY
        })
        .into_iter()
        .find(|f| f.rule == "transfers.no-mechanism")
        .map(|f| f.message)
    };
    let eu = "regimes=gdpr regions=EU";
    let addendum_alone = no_mechanism(eu, "transfers --regions EU,US --mechanism uk-addendum");
    assert!(
        addendum_alone.as_deref().is_some_and(
            |m| m.contains("do not cover transfers from EU") && m.contains("UK Addendum alone")
        ),
        "{addendum_alone:?}"
    );
    assert_eq!(
        no_mechanism(
            eu,
            "transfers --regions EU,US --mechanism scc-2021,uk-addendum"
        ),
        None
    );
    let uk = "regimes=uk-gdpr regions=UK";
    let sccs_alone = no_mechanism(uk, "transfers --regions UK,US --mechanism scc-2021");
    assert!(
        sccs_alone
            .as_deref()
            .is_some_and(|m| m.contains("need the UK Addendum")),
        "{sccs_alone:?}"
    );
    assert_eq!(
        no_mechanism(
            uk,
            "transfers --regions UK,US --mechanism scc-2021,uk-addendum"
        ),
        None
    );
    assert_eq!(
        no_mechanism(eu, "transfers --regions EU,US --mechanism dpf"),
        None
    );
    assert!(no_mechanism(eu, "transfers --regions EU,US,IN --mechanism dpf").is_some());
}

/// The EEA and the EU are one area for transfers, and the mechanisms of
/// the agreement cover the regions recorded under residency too.
#[test]
fn transfers_are_judged_across_the_agreement() {
    let ids = |clauses: &'static [&'static str]| raised_ids("regimes=gdpr regions=EU", clauses);
    assert!(!ids(&["residency --regions EEA"]).contains(&"transfers.no-mechanism"));
    assert!(ids(&["residency --regions EEA,US"]).contains(&"transfers.no-mechanism"));
    assert!(!ids(&[
        "residency --regions EEA,US",
        "transfers --mechanism scc-2021"
    ])
    .contains(&"transfers.no-mechanism"));
}

/// A waiver given under a rule's former id (soc2.stale) still waives the
/// rule it became (evidence.stale).
#[test]
fn a_waiver_under_a_former_rule_id_still_applies() {
    let rule = RULES.iter().find(|r| r.id == "evidence.stale").unwrap();
    let fired = run(&rule.example);
    assert!(fired.iter().any(|f| f.rule == "evidence.stale"));
    let waiver = Waiver {
        id: 1,
        rule: "soc2.stale".into(),
        reason: "bridge letter requested".into(),
        until: None,
        created_at: "2026-01-01T00:00:00Z".into(),
        created_by: "test".into(),
        pre_emptive: false,
        severity: None,
    };
    assert_eq!(current_id(&waiver.rule), "evidence.stale");
    assert!(!fired.iter().any(|f| f.waived));
    let waived = run_with(&rule.example, &[waiver]);
    let stale = waived.iter().find(|f| f.rule == "evidence.stale").unwrap();
    assert!(
        stale.waived,
        "the soc2.stale waiver does not cover evidence.stale"
    );
}
