//! `vetter demo --out DIR`: builds a sample database with an example review of
//! a fictional backend platform, recorded through the same library calls the
//! commands use, and prints its status.

use crate::cli::{Cli, DemoArgs, FindingAddArgs, VendorAddArgs, VendorFields};
use crate::error::{Error, Result};
use crate::model::{DataCategory, Hosting, Owner, PacketFormat, Source, Status, Tenancy, Tier};
use crate::{output, Env};
use std::io::Write;

/// (item, status, source, note, url, owner override)
type DemoFinding = (
    &'static str,
    Status,
    Source,
    &'static str,
    Option<&'static str>,
    Option<Owner>,
);

const TRUST: &str = "https://trust.nimbus-backend.example/";
const DPA: &str = "https://nimbus-backend.example/legal/dpa";

/// What a reviewer might record in a first pass over a BaaS vendor's Trust
/// Center, DPA and docs.
const FINDINGS: &[DemoFinding] = &[
    ("obligations.data-categories", Status::Met, Source::Interview, "We will store customer PII and invoices (financial). No PHI, no children's data.", None, Some(Owner::Customer)),
    ("obligations.eu-data-subjects", Status::Met, Source::Interview, "EU end users in scope: GDPR applies; EU hosting required by two enterprise contracts.", None, Some(Owner::Customer)),
    ("trust.soc2-type2", Status::Met, Source::TrustCenter, "SOC 2 Type II report available under NDA; period 2025-10-01 to 2026-09-30.", Some(TRUST), None),
    ("trust.iso27001", Status::NotMet, Source::TrustCenter, "No ISO 27001 certificate listed; vendor says audit planned for 2027.", Some(TRUST), None),
    ("trust.incident-history", Status::Partial, Source::TrustCenter, "Status page shows incidents for 12 months only; no post-mortems published.", Some("https://status.nimbus-backend.example/"), None),
    ("dpa.breach-notification", Status::Partial, Source::Dpa, "§9.1: notify 'without undue delay and, where feasible, within 72 hours' after confirmation of a breach.", Some(DPA), None),
    ("dpa.subprocessors", Status::Partial, Source::Dpa, "§7: list published; 14 days' notice by webpage update only; objection = terminate.", Some(DPA), None),
    ("dpa.residency", Status::Met, Source::Dpa, "§8.2: customer chooses region (eu-central-1 available); data at rest stays in region.", Some(DPA), None),
    ("dpa.deletion-return", Status::Partial, Source::Dpa, "§11: deletion within 30 days of termination; backups roll off within 90 days; certificate on request.", Some(DPA), None),
    ("dpa.ownership", Status::Met, Source::Dpa, "§3.1: customer retains all rights in customer data.", Some(DPA), None),
    ("dpa.ai-training", Status::Unknown, Source::Docs, "AI assistant feature: docs silent on whether prompts are used for training. Asked vendor.", None, None),
    ("security.mfa-operators", Status::Met, Source::Test, "Dashboard enforces TOTP and WebAuthn; org-wide enforcement toggle verified.", None, None),
    ("security.encryption-at-rest", Status::Met, Source::Docs, "AES-256 at rest via cloud provider KMS; keys managed by vendor.", Some("https://docs.nimbus-backend.example/security"), None),
    ("security.customer-managed-keys", Status::NotMet, Source::Docs, "BYOK only on the Enterprise plan; not in our quote.", None, None),
    ("security.backups-restore", Status::Partial, Source::Docs, "Daily backups, 7-day retention; point-in-time recovery is an add-on.", None, Some(Owner::Shared)),
    ("access.sso-saml", Status::Met, Source::Test, "SAML SSO with Okta tested in trial org.", None, None),
    ("access.scim", Status::NotMet, Source::Docs, "No SCIM; deprovisioning is manual.", None, Some(Owner::Customer)),
    ("access.custom-roles", Status::Partial, Source::Test, "Predefined roles only (owner/admin/developer/read-only); no custom roles.", None, None),
    ("access.vendor-staff-access", Status::Unknown, Source::Questionnaire, "Questionnaire answer vague: 'support staff access is limited'. Follow up.", None, None),
    ("tenancy.isolation", Status::Met, Source::Docs, "Dedicated Postgres database per project; shared compute pool.", None, None),
    ("monitoring.bug-bounty", Status::Met, Source::TrustCenter, "Public bug bounty on a major platform; security.txt present.", Some(TRUST), None),
    ("monitoring.pentest", Status::Met, Source::TrustCenter, "Annual third-party pentest; summary letter dated 2026-05.", Some(TRUST), None),
    ("monitoring.audit-log", Status::Partial, Source::Test, "Audit log retained 7 days on our plan (90 on Enterprise); no export API.", None, None),
    ("monitoring.siem", Status::NotMet, Source::Docs, "No log drain to SIEM on our plan.", None, Some(Owner::Customer)),
];

/// What the demo DPA says, as a reviewer would type it after `clause add nimbus`.
const CLAUSES: &[&str] = &[
    "breach-notification --hours 72 --where-feasible --clock confirmation --section §9.1 --quote 'Provider shall notify Customer without undue delay and, where feasible, within 72 hours after confirming a Personal Data Breach.' --item dpa.breach-notification",
    "subprocessors --list-url https://nimbus-backend.example/legal/subprocessors --notice-days 14 --notice-channel webpage --objection-days 14 --remedy terminate --section §7 --quote 'Provider will update the subprocessor page at least 14 days before a new Subprocessor begins processing.' --item dpa.subprocessors",
    "residency --regions EU --region-commitment yes --section §8.2 --quote 'Customer Data at rest remains in the region selected by Customer.' --item dpa.residency",
    "deletion-return --deletion-days 30 --backup-days 90 --certificate on-request --section §11 --quote 'Provider will delete Customer Data within 30 days of termination; backups expire within 90 days.' --item dpa.deletion-return",
    "ownership --vendor-use service-only --section §3.1 --quote 'Customer retains all right, title and interest in Customer Data.' --item dpa.ownership",
    "audit-rights --audit reports-only --section §12 --quote 'Provider will make its most recent SOC 2 Type II report available under NDA.' --item dpa.audit-rights",
    "security-measures --annex yes --section 'Annex II' --item dpa.security-responsibilities",
    "government-access --absent",
];

/// (name, purpose, location) on the vendor's published list.
const SUBPROCESSORS: &[(&str, &str, &str)] = &[
    ("Amazon Web Services", "Hosting", "EU (Frankfurt)"),
    ("Stripe", "Billing", "US"),
    ("Sentry", "Error monitoring", "US"),
];

pub fn run(args: &DemoArgs, cli: &Cli, out: &mut dyn Write) -> Result<()> {
    let dir = &args.out;
    if dir.exists() && !dir.is_dir() {
        return Err(Error::user(format!(
            "--out '{}' is a file, not a directory",
            dir.display()
        )));
    }
    let db_path = dir.join("vetter.db");
    if dir.is_dir() && std::fs::read_dir(dir)?.next().is_some() {
        if !args.force {
            return Err(
                Error::user(format!("--out '{}' exists and is not empty", dir.display()))
                    .with_hint(
                    "choose a new directory, or pass --force to replace the demo database in it",
                ),
            );
        }
        if db_path.exists() {
            // --force replaces a demo database, never a real one.
            let slugs = crate::store::vendor::slugs(
                crate::store::Store::open(&db_path, crate::store::Access::Read)?.conn(),
            )?;
            if slugs != ["nimbus"] {
                return Err(Error::user(format!(
                    "'{}' is not a demo database (its vendors: {}); refusing to replace it",
                    db_path.display(),
                    if slugs.is_empty() {
                        "none".to_string()
                    } else {
                        slugs.join(", ")
                    }
                ))
                .with_hint("choose another --out directory"));
            }
        }
        // The packet is replaced at the end: refuse now, before the old
        // database goes, if it is not one vetter wrote.
        let packet = dir.join("packet");
        if std::fs::symlink_metadata(&packet).is_ok() {
            crate::packet_dir::ours_to_replace(&packet)?;
        }
        for suffix in ["", "-wal", "-shm"] {
            let path = dir.join(format!("vetter.db{suffix}"));
            if path.exists() {
                std::fs::remove_file(&path)?;
            }
        }
    }
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::user(format!("cannot create '{}': {e}", dir.display())))?;

    let base = Env::from_cli(cli)?;
    let actor = if cli.actor.is_some() {
        base.actor.clone()
    } else {
        "demo-reviewer".to_string()
    };
    let env = Env {
        db: crate::store::Location::Sqlite(db_path.clone()),
        actor,
        ..base
    };
    let mut store = env.open_store(crate::store::Access::Write)?;
    let db_path = db_path.canonicalize()?;
    output::set_quiet(true);
    let recorded = record_sample(&env, &mut store);
    output::set_quiet(false);
    let vendor = recorded?;

    let status = crate::domain::gather_status(&store, &vendor, env.today())?;
    let profile = crate::profile::load(&store)?;
    let flags = crate::domain::vendor_flags(&store, &profile, &vendor, env.today())?;
    print_summary(out, &db_path, &vendor, &status)?;
    writeln!(out)?;
    let width = output::terminal_width();
    output::write_indented(
        out,
        "",
        &format!(
            "Red flags of the DPA against a GDPR profile that requires EU hosting ({} clauses recorded):",
            CLAUSES.len()
        ),
        width,
    )?;
    let mut table = output::table(["severity", "rule", "problem"]);
    for f in &flags {
        table.add_row(vec![
            f.severity.as_str().to_uppercase(),
            f.rule.to_string(),
            f.title.to_string(),
        ]);
    }
    output::print_table(out, &table)?;
    // The packet an auditor would receive, built the way `vetter export` builds it.
    let packet = dir.join("packet");
    output::set_quiet(true);
    let exported = super::export::run(
        crate::cli::ExportArgs {
            sign: None,
            sign_pdf: None,
            vendor: Some(vendor.slug.clone()),
            all: false,
            out: packet.clone(),
            review: None,
            as_of: None,
            as_decided: false,
            format: vec![PacketFormat::Pdf, PacketFormat::Csv, PacketFormat::Json],
            force: true,
            excel: false,
            font: Vec::new(),
        },
        &env,
        &store,
    );
    output::set_quiet(false);
    exported?;
    let packet = packet.canonicalize()?;
    writeln!(out)?;
    writeln!(out, "Audit packet: {}", packet.display())?;
    writeln!(
        out,
        "  packet.pdf, one CSV per table, packet.json, evidence/ and SHA256SUMS;"
    )?;
    writeln!(out, "  check it with")?;
    writeln!(
        out,
        "  (cd {} && sha256sum -c SHA256SUMS)",
        packet.display()
    )?;
    writeln!(out)?;
    writeln!(out, "Explore it:")?;
    writeln!(out, "  export VETTER_DB={}", db_path.display())?;
    writeln!(out, "  vetter review status nimbus --items")?;
    writeln!(out, "  vetter clause list nimbus")?;
    writeln!(out, "  vetter flags nimbus")?;
    writeln!(out, "  vetter question list nimbus --open")?;
    writeln!(out, "  vetter due")?;
    writeln!(out, "  vetter log nimbus")?;
    writeln!(out, "  vetter export nimbus --out nimbus-packet")?;
    Ok(())
}

/// The fictional DPA text the demo's clauses quote.
const DPA_EXCERPT: &str =
    "Nimbus Backend Cloud - Data Processing Addendum v3.2 (excerpt, fictional)\n\n\
§7 Subprocessors. Provider will update the subprocessor page at least 14 days before a new \
Subprocessor begins processing. Customer may object in writing within 14 days; Customer's sole \
remedy is to terminate the affected Service.\n\n\
§9.1 Personal Data Breach. Provider shall notify Customer without undue delay and, where feasible, \
within 72 hours after confirming a Personal Data Breach.\n";

/// Records the sample vendor, its review and its findings.
fn record_sample(env: &Env, store: &mut crate::store::Store) -> Result<crate::model::Vendor> {
    let vendor = super::vendor::add(
        VendorAddArgs {
            name: "Nimbus Backend Cloud".into(),
            slug: Some("nimbus".into()),
            allow_similar: false,
            fields: VendorFields {
                website: Some("https://nimbus-backend.example/".into()),
                trust_center: Some(TRUST.into()),
                hosting: Some(Hosting::Baas),
                tenancy: Some(Tenancy::Multi),
                data: Some(vec![DataCategory::Pii, DataCategory::Financial]),
                tier: Some(Tier::High),
            },
            json: Default::default(),
        },
        env,
        store,
    )?;
    let due = (env.today() + chrono::Duration::days(30)).to_string();
    super::review::start(env, store, &vendor.slug, None, Some(&due), false, false)?;
    for (item, status, source, note, url, owner) in FINDINGS {
        super::finding::add(
            FindingAddArgs {
                vendor: vendor.slug.clone(),
                item: item.to_string(),
                status: *status,
                source: *source,
                note: Some(note.to_string()),
                url: url.map(str::to_string),
                owner: *owner,
                evidence: None,
                page: None,
                json: Default::default(),
            },
            env,
            store,
        )?;
    }
    super::profile::set(
        store,
        env,
        &["regimes=gdpr".to_string(), "regions=EU".to_string()],
    )?;
    for text in CLAUSES {
        let mut argv = vec![
            "vetter".to_string(),
            "clause".into(),
            "add".into(),
            vendor.slug.clone(),
        ];
        argv.extend(crate::rules::split_args(text));
        let cli = <Cli as clap::Parser>::try_parse_from(&argv)
            .map_err(|e| Error::internal(format!("demo clause `{text}`: {e}")))?;
        if let crate::cli::Command::Clause(crate::cli::ClauseCommand::Add {
            kind,
            absent,
            terms,
            ..
        }) = cli.command
        {
            super::clause::add(env, store, &vendor.slug, kind, absent, &terms)?;
        }
    }
    // A dated quote of the Trust Center page, and two questions still open.
    let retrieved = (env.today() - chrono::Duration::days(7)).to_string();
    let evidence = <Cli as clap::Parser>::try_parse_from([
        "vetter",
        "evidence",
        "add",
        &vendor.slug,
        "--url",
        TRUST,
        "--retrieved",
        &retrieved,
        "--quote",
        "SOC 2 Type II report available under NDA. ISO 27001 certification planned for 2027.",
        "--item",
        "trust.soc2-type2",
        "--item",
        "trust.iso27001",
    ])
    .map_err(|e| Error::internal(format!("demo evidence: {e}")))?;
    if let crate::cli::Command::Evidence(crate::cli::EvidenceCommand::Add(args)) = evidence.command
    {
        super::evidence::add(env, store, *args)?;
    }
    // The DPA excerpt the clauses quote, as a file in the evidence store.
    let excerpt = env
        .db
        .sqlite_path()
        .and_then(std::path::Path::parent)
        .unwrap_or(std::path::Path::new("."))
        .join("nimbus-dpa-excerpt.txt");
    std::fs::write(&excerpt, DPA_EXCERPT)?;
    let excerpt = excerpt.to_string_lossy().into_owned();
    let evidence = <Cli as clap::Parser>::try_parse_from([
        "vetter",
        "evidence",
        "add",
        &vendor.slug,
        &excerpt,
        "--kind",
        "dpa",
        "--title",
        "Nimbus Data Processing Addendum v3.2 (excerpt)",
        "--item",
        "dpa.breach-notification",
        "--item",
        "dpa.subprocessors",
    ])
    .map_err(|e| Error::internal(format!("demo evidence: {e}")))?;
    if let crate::cli::Command::Evidence(crate::cli::EvidenceCommand::Add(args)) = evidence.command
    {
        super::evidence::add(env, store, *args)?;
    }
    let due = (env.today() + chrono::Duration::days(14)).to_string();
    super::question::add(
        env,
        store,
        &vendor.slug,
        "dpa.ai-training",
        "Are prompts sent to the AI assistant used to train models, by you or your model provider?",
        None,
        Some("security@nimbus-backend.example"),
        Some(&due),
        false,
    )?;
    super::question::add(env, store, &vendor.slug, "access.vendor-staff-access", "How many support staff hold standing production access, and is access to customer data logged?", None, Some("security@nimbus-backend.example"), Some(&due), false)?;
    let seen = (env.today() - chrono::Duration::days(7)).to_string();
    for (name, purpose, location) in SUBPROCESSORS {
        super::subprocessor::add(
            env,
            store,
            &vendor.slug,
            name,
            purpose,
            location,
            Some(&seen),
        )?;
    }
    // The contract: a tacit renewal whose notice day falls in two weeks, so
    // `due` and the packet have a date to show.
    let end = env.today() + chrono::Duration::days(75);
    let start = end
        .checked_sub_months(chrono::Months::new(12))
        .and_then(|d| d.succ_opt())
        .unwrap_or(end);
    let contract = <Cli as clap::Parser>::try_parse_from([
        "vetter",
        "contract",
        "add",
        &vendor.slug,
        "--start",
        &start.to_string(),
        "--end",
        &end.to_string(),
        "--auto-renew",
        "--notice-days",
        "60",
        "--termination-for-convenience",
        "no",
        "--reference",
        "MSA-2025-031",
    ])
    .map_err(|e| Error::internal(format!("demo contract: {e}")))?;
    if let crate::cli::Command::Contract(crate::cli::ContractCommand::Add(args)) = contract.command
    {
        super::contract::add(env, store, args)?;
    }
    Ok(vendor)
}

fn print_summary(
    out: &mut dyn Write,
    db_path: &std::path::Path,
    vendor: &crate::model::Vendor,
    status: &crate::domain::ReviewStatus,
) -> Result<()> {
    let t = &status.totals;
    writeln!(out, "Demo database: {}", db_path.display())?;
    let summary = format!(
        "Review #{} of {} against {}@{}: {} findings recorded; met {}, partial {}, not-met {}, unknown {}, no result yet {}.",
        status.review,
        vendor.name,
        status.checklist.id,
        status.checklist.version,
        FINDINGS.len(),
        t.met,
        t.partial,
        t.not_met,
        t.unknown,
        t.no_result
    );
    output::write_indented(out, "", &summary, output::terminal_width())?;
    writeln!(out)?;
    let mut table = output::table([
        "section",
        "met",
        "partial",
        "not-met",
        "unknown",
        "no result",
    ]);
    for s in &status.sections {
        let c = &s.counts;
        table.add_row(vec![
            s.title.clone(),
            c.met.to_string(),
            c.partial.to_string(),
            c.not_met.to_string(),
            c.unknown.to_string(),
            c.no_result.to_string(),
        ]);
    }
    output::print_table(out, &table)
}
