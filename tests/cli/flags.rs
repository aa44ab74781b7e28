//! `vetter rules list`, `vetter flags ...` and waivers, end to end.

use crate::{contains_all, T};

/// A GDPR + HIPAA profile and a vendor with PHI whose DPA has the usual gaps.
fn risky() -> T {
    let t = T::new();
    t.ok(&[
        "profile",
        "set",
        "regimes=gdpr,hipaa",
        "regions=EU",
        "max-breach-hours=48",
    ]);
    t.ok(&[
        "vendor",
        "add",
        "Acme Health Cloud",
        "--slug",
        "acme",
        "--data",
        "pii,phi",
    ]);
    t.ok(&[
        "clause",
        "add",
        "acme",
        "breach-notification",
        "--hours",
        "72",
        "--section",
        "§9.1",
        "--quote",
        "within 72 hours of becoming aware",
    ]);
    t.ok(&["clause", "add", "acme", "audit-rights", "--absent"]);
    t.ok(&[
        "clause",
        "add",
        "acme",
        "transfers",
        "--regions",
        "EU,US",
        "--section",
        "§10",
        "--quote",
        "may transfer to the United States",
    ]);
    t
}

#[test]
fn flags_name_rule_severity_kind_quote_threshold_and_basis() {
    let t = risky();
    let flags = t.json(&["flags", "acme", "--json"])["flags"].clone();
    let flags = flags.as_array().unwrap();
    let find = |rule: &str| {
        flags
            .iter()
            .find(|f| f["rule"] == rule)
            .unwrap_or_else(|| panic!("{rule} not raised: {flags:?}"))
            .clone()
    };
    let breach = find("breach.over-max-hours");
    assert_eq!(breach["severity"], "high");
    assert_eq!(breach["kind"], "breach-notification");
    assert_eq!(breach["waived"], false);
    contains_all(
        breach["message"].as_str().unwrap(),
        &[
            "72 hours",
            "48",
            "§9.1",
            "within 72 hours of becoming aware",
        ],
    );
    assert_eq!(breach["threshold"], "max-breach-hours = 48");
    contains_all(breach["basis"].as_str().unwrap(), &["GDPR Art. 33"]);
    assert_eq!(find("audit.none")["severity"], "critical");
    assert_eq!(find("hipaa.no-baa")["kind"], "baa");
    assert_eq!(find("transfers.no-mechanism")["severity"], "critical");
    contains_all(
        find("transfers.no-mechanism")["message"].as_str().unwrap(),
        &["US", "may transfer to the United States"],
    );
    // Most serious first.
    let order: Vec<&str> = flags
        .iter()
        .map(|f| f["severity"].as_str().unwrap())
        .collect();
    let rank = |s: &str| {
        ["critical", "high", "medium", "info"]
            .iter()
            .position(|x| *x == s)
            .unwrap()
    };
    assert!(
        order.windows(2).all(|w| rank(w[0]) <= rank(w[1])),
        "{order:?}"
    );
    contains_all(
        &t.ok(&["flags", "acme"]),
        &[
            "CRITICAL",
            "audit.none",
            "basis:",
            "threshold:",
            "red flags:",
        ],
    );
}

#[test]
fn fail_on_exits_3_only_at_or_above_the_severity() {
    let t = T::new();
    t.ok(&["vendor", "add", "Acme"]);
    t.ok(&[
        "clause",
        "add",
        "acme",
        "audit-rights",
        "--audit",
        "reports-only",
    ]);
    t.ok(&[
        "clause",
        "add",
        "acme",
        "security-measures",
        "--annex",
        "industry-standard-only",
    ]);
    // info + medium only
    t.ok(&["flags", "acme", "--fail-on", "high"]);
    let err = t.fails(3, &["flags", "acme", "--fail-on", "medium"]);
    contains_all(&err, &["1 unwaived red flag at medium or worse"]);
    t.ok(&["clause", "add", "acme", "breach-notification", "--absent"]);
    t.fails(3, &["flags", "acme", "--fail-on", "critical"]);
    contains_all(
        &t.refused(&["flags", "acme", "--fail-on", "info"]),
        &["'info'", "critical, high, medium"],
    );
}

#[test]
fn waivers_keep_the_flag_visible_uncounted_and_lapse_on_their_date() {
    let t = T::new();
    t.ok(&["vendor", "add", "Acme"]);
    t.ok(&["clause", "add", "acme", "breach-notification", "--absent"]);
    t.fails(3, &["flags", "acme", "--fail-on", "critical"]);
    t.ok(&[
        "--as",
        "ciso",
        "flags",
        "waive",
        "acme",
        "breach.absent",
        "--reason",
        "MSA §14 covers incident notice; DPA amendment signed Q1",
        "--until",
        "2027-01-01",
    ]);
    let flags = t.json(&["flags", "acme", "--json"])["flags"].clone();
    let f = flags
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "breach.absent")
        .unwrap()
        .clone();
    assert_eq!(f["waived"], true);
    assert_eq!(f["waiver"]["created_by"], "ciso");
    assert_eq!(f["waiver"]["until"], "2027-01-01");
    t.ok(&["flags", "acme", "--fail-on", "critical"]);
    contains_all(
        &t.ok(&["flags", "acme"]),
        &[
            "WAIVED by ciso",
            "until 2027-01-01",
            "0 red flags",
            "(1 waived, not counted)",
        ],
    );
    // In the packet the reason is read under the problem it accepts, at
    // that column's width: not squeezed a few words a line into a column of
    // its own.
    t.ok(&["review", "start", "acme"]);
    let packet = t.path("packet");
    t.ok(&["export", "acme", "--out", crate::p(&packet)]);
    let text = crate::export::pdf_text(&packet.join("packet.pdf"));
    assert!(
        text.lines()
            .any(|l| l.contains("covers incident notice; DPA amendment signed Q1")),
        "the waiver reason is split into short lines:\n{text}"
    );
    assert!(text.contains("CRITICAL\nwaived"), "{text}");
    // On its date the waiver lapses.
    let out = t
        .cmd(&["flags", "acme", "--fail-on", "critical"])
        .env("VETTER_NOW", "2027-01-01T00:00:00Z")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let log = t.json(&["log", "acme", "--json"]);
    assert!(log
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["command"] == "flags waive"
            && e["new"]["reason"].as_str().unwrap().contains("MSA §14")));
}

#[test]
fn bad_waivers_are_refused() {
    let t = risky();
    contains_all(
        &t.refused(&[
            "flags",
            "waive",
            "acme",
            "breach.over-max-hour",
            "--reason",
            "ok",
        ]),
        &[
            "unknown rule 'breach.over-max-hour'",
            "did you mean 'breach.over-max-hours'",
        ],
    );
    contains_all(
        &t.refused(&["flags", "waive", "acme", "audit.none", "--reason", "  "]),
        &["--reason is empty"],
    );
    contains_all(
        &t.refused(&[
            "flags",
            "waive",
            "acme",
            "audit.none",
            "--reason",
            "ok",
            "--until",
            "2026-11-26",
        ]),
        &["not in the future"],
    );
    contains_all(
        &t.refused(&["flags", "waive", "nobody", "audit.none", "--reason", "ok"]),
        &["unknown vendor 'nobody'"],
    );
    contains_all(&t.refused(&["flags"]), &["name a vendor, or pass --all"]);
}

#[test]
fn flags_all_covers_every_active_vendor() {
    let t = risky();
    t.ok(&["vendor", "add", "Clean Co"]);
    t.ok(&[
        "clause",
        "add",
        "clean-co",
        "breach-notification",
        "--hours",
        "24",
        "--clock",
        "awareness",
    ]);
    t.ok(&[
        "clause",
        "add",
        "clean-co",
        "residency",
        "--regions",
        "EU",
        "--region-commitment",
        "yes",
    ]);
    t.ok(&["vendor", "add", "Gone"]);
    t.ok(&["clause", "add", "gone", "audit-rights", "--absent"]);
    t.ok(&["vendor", "archive", "gone"]);
    let all = t.json(&["flags", "--all", "--json"])["flags"].clone();
    let vendors: std::collections::BTreeSet<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["vendor"].as_str().unwrap())
        .collect();
    assert_eq!(vendors.into_iter().collect::<Vec<_>>(), ["acme"]);
    t.fails(3, &["flags", "--all", "--fail-on", "high"]);
}

#[test]
fn attestation_rule_reads_findings_and_rules_list_shows_profile_thresholds() {
    let t = T::new();
    t.ok(&[
        "profile",
        "set",
        "required-attestations=iso27001",
        "max-deletion-days=14",
    ]);
    t.ok(&["vendor", "add", "Acme"]);
    t.ok(&["review", "start", "acme"]);
    t.ok(&[
        "finding",
        "add",
        "acme",
        "trust.iso27001",
        "--status",
        "not-met",
        "--source",
        "trust-center",
    ]);
    let rules_raised = |t: &T| -> Vec<String> {
        let flags = t.json(&["flags", "acme", "--json"])["flags"].clone();
        flags
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule"].as_str().unwrap().to_string())
            .collect()
    };
    // No ISO evidence yet, and the review records ISO 27001 as not met.
    assert_eq!(
        rules_raised(&t),
        ["attestation.missing", "attestation.not-met"]
    );
    t.ok(&[
        "finding",
        "add",
        "acme",
        "trust.iso27001",
        "--status",
        "met",
        "--source",
        "trust-center",
    ]);
    assert_eq!(rules_raised(&t), ["attestation.missing"]);
    let cert = t.write("iso.pdf", "%PDF-1.4 ISO/IEC 27001 certificate");
    t.ok(&[
        "evidence",
        "add",
        "acme",
        crate::p(&cert),
        "--kind",
        "iso27001",
        "--valid-until",
        "2027-06-30",
    ]);
    assert_eq!(
        t.json(&["flags", "acme", "--json"])["flags"].clone(),
        serde_json::json!([])
    );

    let rules = t.json(&["rules", "list", "--json"]);
    let deletion = rules
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "deletion.over-max-days")
        .unwrap();
    assert_eq!(deletion["threshold"], "max-deletion-days = 14");
    assert!(rules.as_array().unwrap().len() >= 30);
    for r in rules.as_array().unwrap() {
        for key in ["id", "title", "severity", "kind", "basis", "threshold"] {
            assert!(r[key].is_string(), "{key} missing in {r}");
        }
    }
    contains_all(
        &t.ok(&["rules", "list"]),
        &["breach.over-max-hours", "GDPR Art. 33"],
    );
    let md = t.ok(&["rules", "list", "--markdown"]);
    assert_eq!(
        md,
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/rules.md")).unwrap()
    );
}

/// Records a whole DPA and returns the rule ids raised, sorted.
fn raised(t: &T, vendor: &str, clauses: &[&[&str]]) -> Vec<String> {
    for clause in clauses {
        let mut args = vec!["clause", "add", vendor];
        args.extend_from_slice(clause);
        t.ok(&args);
    }
    let flags = t.json(&["flags", vendor, "--json"])["flags"].clone();
    let mut ids: Vec<String> = flags
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

#[test]
fn scenario_a_well_drafted_backend_platform_dpa() {
    // Modelled on the DPAs large backend and cloud platforms publish: SCCs for
    // US transfers, EU region commitment, 30-day deletion, SOC 2 reports in
    // place of audits, and "without undue delay" breach notice with no hours.
    let t = T::new();
    t.ok(&["profile", "set", "regimes=gdpr", "regions=EU"]);
    t.ok(&["vendor", "add", "Platform Co", "--data", "pii"]);
    let ids = raised(&t, "platform-co", &[
        &["breach-notification", "--clock", "awareness", "--section", "§8", "--quote", "Processor shall notify Controller without undue delay after becoming aware of a Personal Data Breach."],
        &["subprocessors", "--list-url", "https://platform.example/subprocessors", "--notice-days", "30", "--notice-channel", "email", "--objection-days", "30", "--remedy", "terminate-refund"],
        &["transfers", "--regions", "EU,US", "--mechanism", "scc-2021", "--section", "§10"],
        &["residency", "--regions", "EU", "--region-commitment", "yes"],
        &["deletion-return", "--deletion-days", "30", "--backup-days", "90", "--certificate", "on-request"],
        &["audit-rights", "--audit", "reports-only", "--quote", "Provider will provide its SOC 2 Type II report"],
        &["security-measures", "--annex", "yes"],
        &["government-access", "--gov", "challenge"],
        &["ownership", "--vendor-use", "service-only"],
    ]);
    assert_eq!(
        ids,
        [
            "audit.reports-only",
            "breach.no-deadline",
            "subprocessors.terminate-only"
        ]
    );
    t.ok(&["flags", "platform-co", "--fail-on", "critical"]);
    t.fails(3, &["flags", "platform-co", "--fail-on", "high"]);
}

#[test]
fn scenario_b_weak_startup_dpa_under_gdpr_and_hipaa() {
    let t = T::new();
    t.ok(&[
        "profile",
        "set",
        "regimes=gdpr,hipaa",
        "regions=EU",
        "liability=separate-cap",
    ]);
    t.ok(&["vendor", "add", "Startup Co", "--data", "pii,phi"]);
    let ids = raised(
        &t,
        "startup-co",
        &[
            &[
                "breach-notification",
                "--hours",
                "72",
                "--where-feasible",
                "--confirmed-only",
                "--section",
                "§6",
                "--quote",
                "where feasible within 72 hours of a confirmed Security Breach",
            ],
            &[
                "subprocessors",
                "--notice-days",
                "10",
                "--notice-channel",
                "subscription-only",
                "--objection-days",
                "5",
                "--remedy",
                "vendor-discretion",
            ],
            &[
                "deletion-return",
                "--no-deadline",
                "--on-request-only",
                "--certificate",
                "no",
            ],
            &[
                "ai-training",
                "--ai-training",
                "opt-out",
                "--vendor-use",
                "product-improvement",
            ],
            &["liability", "--cap", "inside-general-cap"],
            &["baa", "--days", "60"],
            &["instructions", "--absent"],
        ],
    );
    assert_eq!(
        ids,
        [
            "ai.training",
            "art28.instructions-absent",
            "breach.confirmed-only",
            "breach.where-feasible",
            "deletion.backups-not-covered",
            "deletion.no-certificate",
            "deletion.no-deadline",
            "deletion.on-request-only",
            "hipaa.baa-over-max-hours",
            "liability.inside-general-cap",
            "residency.no-commitment",
            "subprocessors.no-list",
            "subprocessors.objection-ineffective",
            "subprocessors.short-notice",
            "subprocessors.short-objection",
            "subprocessors.subscription-only",
            "use.beyond-service",
        ]
    );
}

/// A waiver accepts a rule at the severity it was raised at: audit.none
/// waived while high is not waived once GDPR makes it critical, so a
/// blocker cannot be approved on an old acceptance of a lesser risk.
#[test]
fn a_waiver_does_not_cover_a_flag_that_became_more_serious() {
    let t = T::with_review();
    t.ok(&["clause", "add", "acme", "audit-rights", "--audit", "none"]);
    let flag = |t: &T| {
        t.json(&["flags", "acme", "--json"])["flags"]
            .clone()
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["rule"] == "audit.none")
            .cloned()
            .unwrap()
    };
    assert_eq!(flag(&t)["severity"], "high");
    t.ok(&[
        "flags",
        "waive",
        "acme",
        "audit.none",
        "--reason",
        "reports suffice",
    ]);
    assert_eq!(flag(&t)["waived"], true);
    t.ok(&["profile", "set", "regimes=gdpr"]);
    let now = flag(&t);
    assert_eq!(
        (now["severity"].as_str(), now["waived"].as_bool()),
        (Some("critical"), Some(false))
    );
    contains_all(
        &t.ok(&["flags", "acme"]),
        &["NOT WAIVED at this severity", "accepted it at high"],
    );
    t.ok(&["verify"]);
}
