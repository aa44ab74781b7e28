//! The rules. Each check is a pure function; the examples are run by
//! rules/tests.rs and printed in docs/rules.md.

use super::{Example, Facts, Hit, Rule};
use crate::clause::baa_hours;
use crate::domain::attestation::{date_option, holding, is_stale, why_claimed, Holding};
use crate::model::{
    AiPolicy, AiTraining, Annex, Attestation, AuditScope, Certificate, Clause, ClauseKind as K,
    DataCategory, Evidence, EvidenceKind, FlagSeverity as S, GovAccess, LiabilityCap,
    LiabilityPolicy, ListIn, Mechanism, NoticeChannel, NotifyClock, Opinion, Regime, Remedy,
    Status, Subservice, VendorUse, YesNo,
};
use crate::profile::Profile;

const NONE: Example = Example {
    profile: "",
    data: "",
    clauses: &[],
    findings: &[],
    evidence: &[],
    contracts: &[],
    review_due: "",
};

fn no_threshold(_: &Profile) -> String {
    "none".to_string()
}

fn gdpr_threshold(p: &Profile) -> String {
    format!(
        "applies when regimes include gdpr or uk-gdpr (regimes = {})",
        or_none(&p.get("regimes"))
    )
}

fn or_none(text: &str) -> String {
    if text.is_empty() {
        "none".to_string()
    } else {
        text.to_string()
    }
}

/// An Art. 28(3) element recorded as absent while GDPR applies.
fn absent_under_gdpr(rule: &Rule, p: &Profile, f: &Facts) -> Vec<Hit> {
    if !p.gdpr() {
        return Vec::new();
    }
    f.absent(rule.kind)
        .map(|c| {
            Hit::on(
                c,
                format!(
                    "the DPA has no {} clause{}",
                    rule.kind,
                    c.section
                        .as_ref()
                        .map(|s| format!(" ({s})"))
                        .unwrap_or_default()
                ),
            )
        })
        .collect()
}

macro_rules! art28 {
    ($id:literal, $title:literal, $kind:expr, $severity:expr, $basis:literal, $kind_text:literal) => {
        Rule {
            id: $id,
            title: $title,
            severity: $severity,
            kind: $kind,
            basis: $basis,
            threshold: gdpr_threshold,
            check: absent_under_gdpr,
            example: Example {
                profile: "regimes=gdpr",
                data: "",
                clauses: &[concat!($kind_text, " --absent")],
                ..NONE
            },
            near_miss: Example {
                profile: "regimes=ccpa",
                data: "",
                clauses: &[concat!($kind_text, " --absent")],
                ..NONE
            },
        }
    };
}

// ---- breach notification ----

fn breach_absent(_: &Rule, _: &Profile, f: &Facts) -> Vec<Hit> {
    f.absent(K::BreachNotification)
        .map(|c| Hit::on(c, "the DPA has no breach-notification clause".into()))
        .collect()
}

fn breach_no_deadline(_: &Rule, _: &Profile, f: &Facts) -> Vec<Hit> {
    f.present(K::BreachNotification)
        .filter(|c| c.terms.hours.is_none())
        .map(|c| {
            Hit::on(
                c,
                "no deadline in hours, only \"without undue delay\" or similar".to_string(),
            )
        })
        .collect()
}

fn breach_over_max(_: &Rule, p: &Profile, f: &Facts) -> Vec<Hit> {
    f.present(K::BreachNotification)
        .filter_map(|c| {
            c.terms
                .hours
                .filter(|h| *h > p.max_breach_hours)
                .map(|h| (c, h))
        })
        .map(|(c, h)| {
            Hit::on(
                c,
                format!(
                    "{h} hours, over our maximum of {} hours",
                    p.max_breach_hours
                ),
            )
        })
        .collect()
}

fn breach_where_feasible(_: &Rule, _: &Profile, f: &Facts) -> Vec<Hit> {
    f.present(K::BreachNotification)
        .filter(|c| c.terms.where_feasible)
        .map(|c| {
            Hit::on(
                c,
                "the deadline applies only \"where feasible\", a target rather than a commitment"
                    .to_string(),
            )
        })
        .collect()
}

fn breach_clock_confirmation(_: &Rule, _: &Profile, f: &Facts) -> Vec<Hit> {
    f.present(K::BreachNotification)
        .filter(|c| c.terms.clock == Some(NotifyClock::Confirmation))
        .map(|c| {
            Hit::on(
                c,
                "the clock starts at confirmation, not when the vendor becomes aware".to_string(),
            )
        })
        .collect()
}

fn breach_confirmed_only(_: &Rule, _: &Profile, f: &Facts) -> Vec<Hit> {
    f.present(K::BreachNotification)
        .filter(|c| c.terms.confirmed_only)
        .map(|c| {
            Hit::on(
                c,
                "only confirmed incidents are notified, suspected ones are not".to_string(),
            )
        })
        .collect()
}

// ---- HIPAA ----

/// 60 days, 45 CFR 164.410(b), in hours.
const HIPAA_MAX_HOURS: u32 = 60 * 24;

fn hipaa_no_baa(_: &Rule, p: &Profile, f: &Facts) -> Vec<Hit> {
    if !p.has(Regime::Hipaa)
        || !f.vendor.data.contains(&DataCategory::Phi)
        || f.present(K::Baa).next().is_some()
    {
        return Vec::new();
    }
    let how = match f.absent(K::Baa).next() {
        Some(c) => format!(
            "the vendor has no BAA (recorded absent{})",
            c.section
                .as_ref()
                .map(|s| format!(", {s}"))
                .unwrap_or_default()
        ),
        None => "no BAA is recorded".to_string(),
    };
    vec![Hit {
        clause: f.absent(K::Baa).next().map(|c| c.id),
        message: format!("PHI is in scope but {how}"),
        severity: None,
    }]
}

fn hipaa_baa_over_60(_: &Rule, p: &Profile, f: &Facts) -> Vec<Hit> {
    if !p.has(Regime::Hipaa) {
        return Vec::new();
    }
    f.present(K::Baa)
        .filter_map(|c| {
            baa_hours(&c.terms)
                .filter(|h| *h > HIPAA_MAX_HOURS)
                .map(|h| (c, h))
        })
        .map(|(c, h)| {
            Hit::on(
                c,
                format!(
                    "breach report within {} days, beyond the 60-day outer limit",
                    h.div_ceil(24)
                ),
            )
        })
        .collect()
}

fn hipaa_baa_over_max(_: &Rule, p: &Profile, f: &Facts) -> Vec<Hit> {
    if !p.has(Regime::Hipaa) {
        return Vec::new();
    }
    f.present(K::Baa)
        .filter_map(|c| {
            baa_hours(&c.terms)
                .filter(|h| *h > p.max_breach_hours && *h <= HIPAA_MAX_HOURS)
                .map(|h| (c, h))
        })
        .map(|(c, h)| {
            Hit::on(
                c,
                format!(
                    "breach report within {h} hours, over our maximum of {} hours",
                    p.max_breach_hours
                ),
            )
        })
        .collect()
}

// ---- subprocessors ----

fn sub_no_list(_: &Rule, _: &Profile, f: &Facts) -> Vec<Hit> {
    f.present(K::Subprocessors)
        .filter(|c| c.terms.list_url.is_none() && c.terms.list_in.is_none())
        .map(|c| Hit::on(c, "no published subprocessor list is named".to_string()))
        .collect()
}

fn sub_list_on_request(_: &Rule, _: &Profile, f: &Facts) -> Vec<Hit> {
    f.present(K::Subprocessors)
        .filter(|c| c.terms.list_in == Some(ListIn::OnRequest))
        .map(|c| {
            Hit::on(
                c,
                "the subprocessor list is only sent on request, not published where we can check it"
                    .to_string(),
            )
        })
        .collect()
}

fn sub_reasonable_grounds(_: &Rule, _: &Profile, f: &Facts) -> Vec<Hit> {
    f.present(K::Subprocessors)
        .filter(|c| c.terms.reasonable_grounds)
        .map(|c| {
            Hit::on(
                c,
                "an objection must rest on \"reasonable grounds\", which the vendor may dispute"
                    .to_string(),
            )
        })
        .collect()
}

fn sub_short_notice(_: &Rule, p: &Profile, f: &Facts) -> Vec<Hit> {
    let min = p.min_subprocessor_notice_days;
    f.present(K::Subprocessors)
        .filter_map(|c| match c.terms.notice_days {
            None => Some(Hit::on(
                c,
                format!("no advance notice period for new subprocessors (we need {min} days)"),
            )),
            Some(d) if d < min => Some(Hit::on(
                c,
                format!("{d} days' notice of new subprocessors, under our minimum of {min}"),
            )),
            Some(_) => None,
        })
        .collect()
}

fn sub_subscription_only(_: &Rule, _: &Profile, f: &Facts) -> Vec<Hit> {
    f.present(K::Subprocessors)
        .filter(|c| c.terms.notice_channel == Some(NoticeChannel::SubscriptionOnly))
        .map(|c| {
            Hit::on(
                c,
                "notice goes only to those who subscribed to updates".to_string(),
            )
        })
        .collect()
}

fn sub_short_objection(_: &Rule, p: &Profile, f: &Facts) -> Vec<Hit> {
    let min = p.min_objection_days;
    f.present(K::Subprocessors)
        .filter_map(|c| match (c.terms.objection_days, c.terms.notice_days) {
            (None, _) => Some(Hit::on(
                c,
                "no window to object to a new subprocessor".to_string(),
            )),
            (Some(o), _) if o < min => Some(Hit::on(
                c,
                format!("{o} days to object, under our minimum of {min}"),
            )),
            (Some(o), Some(n)) if o < n => Some(Hit::on(
                c,
                format!("{o} days to object, shorter than the {n}-day notice"),
            )),
            _ => None,
        })
        .collect()
}

fn sub_objection_ineffective(_: &Rule, _: &Profile, f: &Facts) -> Vec<Hit> {
    f.present(K::Subprocessors)
        .filter(|c| {
            matches!(
                c.terms.remedy,
                Some(Remedy::VendorDiscretion | Remedy::None)
            )
        })
        .map(|c| {
            Hit::on(
                c,
                "an objection has no effect the vendor must honour".to_string(),
            )
        })
        .collect()
}

fn sub_terminate_only(_: &Rule, _: &Profile, f: &Facts) -> Vec<Hit> {
    f.present(K::Subprocessors)
        .filter(|c| {
            matches!(
                c.terms.remedy,
                Some(Remedy::Terminate | Remedy::TerminateRefund)
            )
        })
        .map(|c| {
            Hit::on(
                c,
                "the only remedy for an objection is to terminate".to_string(),
            )
        })
        .collect()
}

fn sub_no_refund(_: &Rule, _: &Profile, f: &Facts) -> Vec<Hit> {
    f.present(K::Subprocessors)
        .filter(|c| c.terms.remedy == Some(Remedy::Terminate))
        .map(|c| {
            Hit::on(
                c,
                "terminating over an objection does not refund prepaid fees".to_string(),
            )
        })
        .collect()
}

// ---- transfers and residency ----

fn regions_threshold(p: &Profile) -> String {
    format!("regions = {}", or_none(&p.get("regions")))
}

fn located<'a>(f: &'a Facts<'a>) -> impl Iterator<Item = &'a Clause> {
    f.present(K::Transfers).chain(f.present(K::Residency))
}

fn transfers_no_mechanism(_: &Rule, p: &Profile, f: &Facts) -> Vec<Hit> {
    if p.regions.is_empty() {
        return Vec::new();
    }
    let severity = if p.gdpr() { S::Critical } else { S::High };
    // The agreement's mechanisms cover its transfers wherever they are
    // recorded: a DPA states them under transfers and the regions under
    // residency.
    let mechanisms =
        &crate::clause::one_each(located(f).flat_map(|c| c.terms.mechanism.iter().copied()));
    located(f)
        .filter_map(|c| {
            let outside: Vec<&str> = c
                .terms
                .regions
                .iter()
                .filter(|r| !within_ours(r, &p.regions))
                .map(String::as_str)
                .collect();
            if outside.is_empty() {
                return None;
            }
            let message = if matches!(mechanisms.as_slice(), [] | [Mechanism::None]) {
                format!(
                    "data goes to {} outside our regions ({}) with no transfer mechanism",
                    outside.join(", "),
                    p.regions.join(", ")
                )
            } else {
                let uncovered: Vec<&str> = p
                    .regions
                    .iter()
                    .map(String::as_str)
                    .filter(|from| !covers(mechanisms, from, &outside))
                    .collect();
                if uncovered.is_empty() {
                    return None;
                }
                let named: Vec<String> = mechanisms.iter().map(|m| m.to_string()).collect();
                format!(
                    "data goes to {} and the mechanisms relied on ({}) do not cover transfers from {}: {}",
                    outside.join(", "),
                    named.join(", "),
                    uncovered.join(", "),
                    why_uncovered(mechanisms, &uncovered)
                )
            };
            Some(Hit::on(c, message).with_severity(severity))
        })
        .collect()
}

/// Whether data in `region` stays in our regions. The EEA and the EU are
/// one area for transfers: GDPR applies in the whole EEA, so data moving
/// between them is no transfer under Chapter V.
fn within_ours(region: &str, ours: &[String]) -> bool {
    let ours = |r: &str| ours.iter().any(|o| o == r);
    ours(region) || (region == "EEA" && ours("EU")) || (region == "EU" && ours("EEA"))
}

/// Whether the mechanisms relied on cover a transfer out of our region
/// `from` to `to`. The UK Addendum only amends the 2021 SCCs for transfers
/// out of the UK, and the EU SCCs alone no longer do for those (the ICO's
/// transition ended 21 March 2024); the Data Privacy Framework covers
/// transfers to the US only. The repealed SCCs count here: their own rule
/// (transfers.scc-2010) says they are repealed.
fn covers(mechanisms: &[Mechanism], from: &str, to: &[&str]) -> bool {
    let uk = from == "UK";
    mechanisms.iter().any(|m| match m {
        Mechanism::Bcr | Mechanism::Adequacy | Mechanism::Consent | Mechanism::Scc2010 => true,
        Mechanism::Scc2021 => !uk,
        Mechanism::UkAddendum => uk,
        Mechanism::Dpf => to.iter().all(|r| *r == "US"),
        Mechanism::None => false,
    })
}

fn why_uncovered(mechanisms: &[Mechanism], uncovered: &[&str]) -> &'static str {
    let only = |m: Mechanism| mechanisms.iter().all(|x| *x == m);
    if only(Mechanism::UkAddendum) {
        "the UK Addendum alone covers transfers out of the UK only; it amends the 2021 SCCs, which must be in place for the EU"
    } else if uncovered == ["UK"] && mechanisms.contains(&Mechanism::Scc2021) {
        "the 2021 SCCs need the UK Addendum (or the IDTA) for transfers out of the UK"
    } else if only(Mechanism::Dpf) {
        "the Data Privacy Framework covers transfers to certified US organisations only"
    } else {
        "add the mechanism the agreement uses for them, or record that it has none"
    }
}

fn transfers_scc_2010(_: &Rule, p: &Profile, f: &Facts) -> Vec<Hit> {
    if !p.gdpr() {
        return Vec::new();
    }
    // The EU deadline when GDPR binds us, else the UK one.
    let until = if p.has(Regime::Gdpr) {
        "27 December 2022"
    } else {
        "21 March 2024 under UK GDPR"
    };
    located(f)
        .filter(|c| c.terms.mechanism.contains(&Mechanism::Scc2010))
        .map(|c| {
            Hit::on(
                c,
                format!(
                    "the transfer relies on the repealed pre-2021 SCCs (Decisions 2001/497/EC, \
                     2004/915/EC, 2010/87/EU), no longer valid since {until}"
                ),
            )
        })
        .collect()
}

fn residency_no_commitment(_: &Rule, p: &Profile, f: &Facts) -> Vec<Hit> {
    if p.regions.is_empty() || located(f).any(|c| c.terms.region_commitment == Some(YesNo::Yes)) {
        return Vec::new();
    }
    let refusals: Vec<Hit> = located(f)
        .filter(|c| c.terms.region_commitment == Some(YesNo::No))
        .map(|c| {
            Hit::on(
                c,
                format!("no commitment to keep our data in {}", p.regions.join(", ")),
            )
        })
        .collect();
    if refusals.is_empty() {
        vec![Hit::general(format!(
            "no clause commits the vendor to keep our data in {}",
            p.regions.join(", ")
        ))]
    } else {
        refusals
    }
}

// ---- deletion and return ----

fn deletion_none(_: &Rule, _: &Profile, f: &Facts) -> Vec<Hit> {
    f.absent(K::DeletionReturn)
        .map(|c| Hit::on(c, "the DPA has no deletion or return clause".into()))
        .collect()
}

fn deletion_no_deadline(_: &Rule, p: &Profile, f: &Facts) -> Vec<Hit> {
    f.present(K::DeletionReturn)
        .filter(|c| c.terms.deletion_days.is_none())
        .map(|c| {
            Hit::on(
                c,
                format!(
                    "no deadline for deleting our data (we need {} days)",
                    p.max_deletion_days
                ),
            )
        })
        .collect()
}

fn deletion_over_max(_: &Rule, p: &Profile, f: &Facts) -> Vec<Hit> {
    f.present(K::DeletionReturn)
        .filter_map(|c| {
            c.terms
                .deletion_days
                .filter(|d| *d > p.max_deletion_days)
                .map(|d| (c, d))
        })
        .map(|(c, d)| {
            Hit::on(
                c,
                format!(
                    "deletion within {d} days, over our maximum of {}",
                    p.max_deletion_days
                ),
            )
        })
        .collect()
}

fn deletion_on_request(_: &Rule, _: &Profile, f: &Facts) -> Vec<Hit> {
    f.present(K::DeletionReturn)
        .filter(|c| c.terms.on_request_only)
        .map(|c| Hit::on(c, "data is deleted only if we ask".to_string()))
        .collect()
}

fn deletion_backups_uncovered(_: &Rule, _: &Profile, f: &Facts) -> Vec<Hit> {
    f.present(K::DeletionReturn)
        .filter(|c| c.terms.backup_days.is_none())
        .map(|c| {
            Hit::on(
                c,
                "nothing says when backups holding our data are deleted".to_string(),
            )
        })
        .collect()
}

fn deletion_backups_over_max(_: &Rule, p: &Profile, f: &Facts) -> Vec<Hit> {
    f.present(K::DeletionReturn)
        .filter_map(|c| {
            c.terms
                .backup_days
                .filter(|d| *d > p.max_backup_days)
                .map(|d| (c, d))
        })
        .map(|(c, d)| {
            Hit::on(
                c,
                format!(
                    "backups kept {d} days, over our maximum of {}",
                    p.max_backup_days
                ),
            )
        })
        .collect()
}

fn deletion_no_certificate(_: &Rule, _: &Profile, f: &Facts) -> Vec<Hit> {
    f.present(K::DeletionReturn)
        .filter(|c| matches!(c.terms.certificate, None | Some(Certificate::No)))
        .map(|c| Hit::on(c, "no certificate of deletion".to_string()))
        .collect()
}

// ---- audit ----

fn audit_none(_: &Rule, p: &Profile, f: &Facts) -> Vec<Hit> {
    let severity = if p.gdpr() { S::Critical } else { S::High };
    let absent = f
        .absent(K::AuditRights)
        .map(|c| Hit::on(c, "the DPA has no audit clause".into()));
    let refused = f
        .present(K::AuditRights)
        .filter(|c| c.terms.audit == Some(AuditScope::None))
        .map(|c| Hit::on(c, "no audits of the vendor are allowed".to_string()));
    absent
        .chain(refused)
        .map(|h| h.with_severity(severity))
        .collect()
}

fn audit_reports_only(_: &Rule, _: &Profile, f: &Facts) -> Vec<Hit> {
    f.present(K::AuditRights)
        .filter(|c| c.terms.audit == Some(AuditScope::ReportsOnly))
        .map(|c| {
            Hit::on(
                c,
                "audits are limited to the vendor's third-party reports".to_string(),
            )
        })
        .collect()
}

// ---- vendor use and AI ----

fn with_terms<'a>(f: &'a Facts<'a>) -> impl Iterator<Item = &'a Clause> {
    f.present(K::Ownership).chain(f.present(K::AiTraining))
}

fn use_beyond_service(_: &Rule, _: &Profile, f: &Facts) -> Vec<Hit> {
    with_terms(f)
        .filter_map(|c| match c.terms.vendor_use {
            Some(u @ (VendorUse::ProductImprovement | VendorUse::Training)) => Some(Hit::on(
                c,
                format!("the vendor may use our data for {u}, beyond providing the service"),
            )),
            _ => None,
        })
        .collect()
}

fn use_deidentified(_: &Rule, _: &Profile, f: &Facts) -> Vec<Hit> {
    with_terms(f)
        .filter(|c| c.terms.vendor_use == Some(VendorUse::DeidentifiedUse))
        .map(|c| {
            Hit::on(
                c,
                "the vendor may use de-identified or aggregated data for its own products"
                    .to_string(),
            )
        })
        .collect()
}

fn ai_training(_: &Rule, p: &Profile, f: &Facts) -> Vec<Hit> {
    with_terms(f)
        .filter_map(|c| match (c.terms.ai_training, p.ai_training) {
            (Some(AiTraining::Yes), _) => {
                Some(Hit::on(c, "models are trained on our data".to_string()))
            }
            (Some(AiTraining::OptOut), _) => Some(Hit::on(
                c,
                "models are trained on our data unless we opt out".to_string(),
            )),
            (Some(AiTraining::OptIn), AiPolicy::Forbid) => Some(
                Hit::on(
                    c,
                    "training is possible if someone opts in; our policy forbids it".to_string(),
                )
                .with_severity(S::Info),
            ),
            _ => None,
        })
        .collect()
}

// ---- liability, government access, security, dates, attestations ----

fn liability_inside_cap(_: &Rule, p: &Profile, f: &Facts) -> Vec<Hit> {
    if p.liability != LiabilityPolicy::SeparateCap {
        return Vec::new();
    }
    // With no liability clause in the DPA, the agreement's general cap is
    // the one that limits data-protection liability.
    let absent = f.absent(K::Liability).map(|c| {
        Hit::on(
            c,
            "the DPA has no liability clause, so the agreement's general cap also limits \
             data-protection liability"
                .to_string(),
        )
    });
    let present = f.present(K::Liability).filter_map(|c| match c.terms.cap {
        Some(LiabilityCap::InsideGeneralCap) => Some(Hit::on(
            c,
            "data-protection liability sits inside the general cap".to_string(),
        )),
        Some(LiabilityCap::NotStated) => Some(Hit::on(
            c,
            "no separate cap for data-protection liability is stated".to_string(),
        )),
        _ => None,
    });
    absent.chain(present).collect()
}

/// "1 month", "12 months".
fn months(n: u32) -> String {
    if n == 1 {
        "1 month".to_string()
    } else {
        format!("{n} months")
    }
}

fn liability_cap_below_min(_: &Rule, p: &Profile, f: &Facts) -> Vec<Hit> {
    let min = p.min_cap_months;
    if min == 0 {
        return Vec::new();
    }
    f.present(K::Liability)
        .filter_map(|c| c.terms.cap_months.filter(|m| *m < min).map(|m| (c, m)))
        .map(|(c, m)| {
            Hit::on(
                c,
                format!(
                    "data-protection liability is capped at {} of fees, under our minimum of {}",
                    months(m),
                    months(min)
                ),
            )
        })
        .collect()
}

fn gov_after_disclosure(_: &Rule, _: &Profile, f: &Facts) -> Vec<Hit> {
    f.present(K::GovernmentAccess)
        // Told after the fact, and not before.
        .filter(|c| {
            c.terms.gov.contains(&GovAccess::NotifyAfterDisclosure)
                && !c.terms.gov.contains(&GovAccess::NotifyBefore)
        })
        .map(|c| {
            Hit::on(
                c,
                "we hear of a government request only after our data is disclosed".to_string(),
            )
        })
        .collect()
}

fn gov_no_commitment(_: &Rule, _: &Profile, f: &Facts) -> Vec<Hit> {
    let absent = f
        .absent(K::GovernmentAccess)
        .map(|c| Hit::on(c, "the DPA says nothing about government requests".into()));
    let none = f
        .present(K::GovernmentAccess)
        .filter(|c| c.terms.gov.contains(&GovAccess::None))
        .map(|c| {
            Hit::on(
                c,
                "no commitment to notify us or challenge a government request".to_string(),
            )
        });
    absent.chain(none).collect()
}

fn security_industry_standard(_: &Rule, _: &Profile, f: &Facts) -> Vec<Hit> {
    f.present(K::SecurityMeasures)
        .filter(|c| c.terms.annex == Some(Annex::IndustryStandardOnly))
        .map(|c| {
            Hit::on(
                c,
                "security is described only as \"industry standard\", with no annex of measures"
                    .to_string(),
            )
        })
        .collect()
}

fn security_external_page(_: &Rule, _: &Profile, f: &Facts) -> Vec<Hit> {
    f.present(K::SecurityMeasures)
        .filter(|c| c.terms.annex == Some(Annex::ExternalPage))
        .map(|c| {
            Hit::on(
                c,
                "the security measures are incorporated from a web page the vendor can change \
                 without our agreement"
                    .to_string(),
            )
        })
        .collect()
}

fn dates_expired(_: &Rule, _: &Profile, f: &Facts) -> Vec<Hit> {
    f.clauses
        .iter()
        .filter_map(|c| {
            let until =
                chrono::NaiveDate::parse_from_str(c.valid_until.as_deref()?, "%Y-%m-%d").ok()?;
            (until < f.today)
                .then(|| Hit::on(c, format!("the {} clause expired on {until}", c.kind)))
        })
        .collect()
}

/// The checklist item whose status shows whether an attestation is held.
fn attestation_item(a: Attestation) -> &'static str {
    match a {
        Attestation::Soc2Type2 | Attestation::Soc2Type1 => "trust.soc2-type2",
        Attestation::Iso27001 => "trust.iso27001",
        Attestation::Iso27701 => "trust.iso27701",
        Attestation::Hds | Attestation::HipaaAttestation => "trust.hipaa-hds",
        Attestation::PciDss => "obligations.financial-data",
    }
}

fn attestation_not_met(_: &Rule, p: &Profile, f: &Facts) -> Vec<Hit> {
    p.required_attestations
        .iter()
        .filter(|a| f.item_status.get(attestation_item(**a)) == Some(&Status::NotMet))
        .map(|a| {
            Hit::general(format!(
                "{a} is required, and the review records {} as not met",
                attestation_item(*a)
            ))
        })
        .collect()
}

// ---- evidence: SOC 2 reports, attestations, expiry ----

fn date(text: &Option<String>) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(text.as_deref()?, "%Y-%m-%d").ok()
}

fn evidence_name(e: &Evidence) -> String {
    format!("evidence #{} ({} {})", e.id, e.kind, e.name())
}

/// The newest SOC 2 report of each type (by period end): older reports
/// superseded by a newer one raise nothing.
fn latest_soc2<'a>(f: &'a Facts<'a>) -> Vec<&'a Evidence> {
    let mut latest: Vec<&Evidence> = Vec::new();
    for kind in [EvidenceKind::Soc2Type2, EvidenceKind::Soc2Type1] {
        if let Some(e) = f
            .evidence
            .iter()
            .filter(|e| e.kind == kind)
            .max_by_key(|e| (e.period_end.clone(), e.id))
        {
            latest.push(e);
        }
    }
    latest
}

/// The newest report of each kind that covers a period (by period end):
/// older reports superseded by a newer one raise nothing.
fn latest_reports<'a>(f: &'a Facts<'a>) -> Vec<&'a Evidence> {
    let mut latest: Vec<&Evidence> = Vec::new();
    for e in f
        .evidence
        .iter()
        .filter(|e| e.kind.is_report() && e.period_end.is_some())
    {
        match latest.iter_mut().find(|l| l.kind == e.kind) {
            Some(l) if (&e.period_end, e.id) > (&l.period_end, l.id) => *l = e,
            Some(_) => {}
            None => latest.push(e),
        }
    }
    latest
}

fn evidence_stale(_: &Rule, p: &Profile, f: &Facts) -> Vec<Hit> {
    latest_reports(f)
        .into_iter()
        .filter_map(|e| {
            is_stale(e, f.today, p.max_report_age_months).map(|why| Hit {
                clause: None,
                message: format!("{}: {why}", evidence_name(e)),
                severity: None,
            })
        })
        .collect()
}

// ---- contracts ----

/// Contracts that still run, with where they stand today.
fn running<'a>(
    f: &'a Facts<'a>,
) -> impl Iterator<
    Item = (
        &'a crate::domain::contract::Contract,
        crate::domain::contract::Standing,
    ),
> + 'a {
    f.contracts
        .iter()
        .filter_map(|c| c.standing(f.today).map(|s| (c, s)))
        .filter(|(_, s)| !s.over)
}

fn contract_notice_window(_: &Rule, p: &Profile, f: &Facts) -> Vec<Hit> {
    running(f)
        .filter(|(c, _)| c.auto_renew && c.notice_days.is_some())
        .filter_map(|(c, s)| {
            let reference = c.reference.as_deref().map(|r| format!(" ({r})")).unwrap_or_default();
            if s.locked_in {
                return Some(Hit::general(format!(
                    "contract #{}{reference}: notice was due by {} and the renewal on {} is locked in; the next chance is {} (against the term ending {})",
                    c.id,
                    s.notice_by?,
                    s.term_end,
                    s.next_notice_by?,
                    s.next_term_end
                )));
            }
            let by = s.next_notice_by?;
            let left = (by - f.today).num_days();
            (left <= i64::from(p.notice_warning_days)).then(|| {
                Hit::general(format!(
                    "contract #{}{reference}: notice is due by {by}, in {left} day{}, or it renews tacitly on {}",
                    c.id,
                    if left == 1 { "" } else { "s" },
                    s.next_term_end
                ))
                .with_severity(S::Medium)
            })
        })
        .collect()
}

fn contract_renews_without_review(_: &Rule, _: &Profile, f: &Facts) -> Vec<Hit> {
    let Some(review) = f.next_review else {
        return Vec::new();
    };
    running(f)
        .filter(|(c, _)| c.auto_renew && c.notice_days.is_some())
        .filter_map(|(c, s)| {
            let by = s.next_notice_by?;
            (by < review).then(|| {
                Hit::general(format!(
                    "contract #{}: the last day to give notice, {by}, comes before the next review is due ({review}); the contract renews on {} before we look again",
                    c.id, s.next_term_end
                ))
            })
        })
        .collect()
}

fn contract_no_termination_for_convenience(_: &Rule, p: &Profile, f: &Facts) -> Vec<Hit> {
    if !p.require_termination_for_convenience {
        return Vec::new();
    }
    running(f)
        .filter(|(c, _)| c.termination_for_convenience == Some(false))
        .map(|(c, s)| {
            let cite = match (&c.section, &c.quote) {
                (None, None) => String::new(),
                (section, quote) => format!(
                    "; {}",
                    crate::clause::cite(section.as_deref(), quote.as_deref())
                ),
            };
            Hit::general(format!(
                "contract #{} cannot be ended without cause before its term ends on {}{cite}",
                c.id, s.term_end
            ))
        })
        .collect()
}

fn soc2_opinion(_: &Rule, _: &Profile, f: &Facts) -> Vec<Hit> {
    latest_soc2(f)
        .into_iter()
        .filter_map(|e| {
            let severity = match e.opinion? {
                Opinion::Unqualified => return None,
                Opinion::Qualified => S::High,
                Opinion::Adverse | Opinion::Disclaimer => S::Critical,
            };
            Some(
                Hit::general(format!(
                    "{}: the auditor's opinion is {}",
                    evidence_name(e),
                    e.opinion?
                ))
                .with_severity(severity),
            )
        })
        .collect()
}

fn soc2_exceptions(_: &Rule, _: &Profile, f: &Facts) -> Vec<Hit> {
    latest_soc2(f)
        .into_iter()
        .filter(|e| e.exceptions.is_some_and(|n| n > 0))
        .map(|e| {
            Hit::general(format!(
                "{}: {} exception(s) noted in testing",
                evidence_name(e),
                e.exceptions.unwrap_or(0)
            ))
        })
        .collect()
}

fn soc2_carve_out(_: &Rule, _: &Profile, f: &Facts) -> Vec<Hit> {
    latest_soc2(f)
        .into_iter()
        .filter(|e| e.subservice == Some(Subservice::CarveOut))
        .map(|e| {
            Hit::general(format!(
                "{}: subservice organisations are carved out; their controls are not covered",
                evidence_name(e)
            ))
        })
        .collect()
}

/// The required attestations that have an evidence kind, with it.
fn required_kinds(p: &Profile) -> impl Iterator<Item = (Attestation, EvidenceKind)> + '_ {
    p.required_attestations
        .iter()
        .filter_map(|a| EvidenceKind::for_attestation(*a).map(|k| (*a, k)))
}

fn attestation_missing(_: &Rule, p: &Profile, f: &Facts) -> Vec<Hit> {
    // A recorded claim raises attestation.claimed instead, a stale or
    // expired report evidence.stale or evidence.expired: one flag each.
    required_kinds(p)
        .filter(|(_, kind)| holding(f.evidence, *kind, f.today, p.max_report_age_months) == Holding::None)
        .map(|(a, kind)| {
            let item = attestation_item(a);
            let add = format!(
                "add it with `vetter evidence add {} FILE --kind {kind} {} DATE --item {item}`",
                f.vendor.slug,
                date_option(kind)
            );
            // A finding that says "met" is a claim; the flag stays until the
            // report itself is stored, and says so, so the two do not look
            // like they contradict each other.
            match f.item_status.get(item) {
                Some(status @ (Status::Met | Status::Partial)) => Hit::general(format!(
                    "{a} is required: recorded {status} in {item}, but no {kind} evidence is stored; {add}"
                )),
                _ => Hit::general(format!(
                    "{a} is required and no {kind} evidence is stored; {add}"
                )),
            }
        })
        .collect()
}

fn attestation_claimed(_: &Rule, p: &Profile, f: &Facts) -> Vec<Hit> {
    required_kinds(p)
        .filter_map(|(a, kind)| match holding(f.evidence, kind, f.today, p.max_report_age_months) {
            Holding::Claimed { evidence } => Some((a, kind, evidence)),
            _ => None,
        })
        .map(|(a, kind, e)| {
            Hit::general(format!(
                "{a} is required and only claimed, report not seen: {} is {}; add the report or certificate with `vetter evidence add {} FILE --kind {kind} {} DATE --item {}`",
                evidence_name(e),
                why_claimed(e),
                f.vendor.slug,
                date_option(kind),
                attestation_item(a)
            ))
        })
        .collect()
}

/// Kinds of evidence whose expiry matters: agreements and attestations.
fn expires(kind: EvidenceKind) -> bool {
    !matches!(
        kind,
        EvidenceKind::Pentest
            | EvidenceKind::SubprocessorList
            | EvidenceKind::TrustCenterSnapshot
            | EvidenceKind::Questionnaire
            | EvidenceKind::Screenshot
            | EvidenceKind::Other
    )
}

fn evidence_expired(_: &Rule, _: &Profile, f: &Facts) -> Vec<Hit> {
    let current = |kind: EvidenceKind| {
        f.evidence
            .iter()
            .any(|e| e.kind == kind && date(&e.valid_until).is_none_or(|u| u >= f.today))
    };
    f.evidence
        .iter()
        .filter(|e| expires(e.kind) && !current(e.kind))
        .filter_map(|e| {
            date(&e.valid_until)
                .filter(|u| *u < f.today)
                .map(|u| (e, u))
        })
        .map(|(e, u)| {
            Hit::general(format!(
                "{} expired on {u} and no current {} is recorded",
                evidence_name(e),
                e.kind
            ))
        })
        .collect()
}

pub static RULES: &[Rule] = &[
    art28!("art28.processing-details-absent", "No processing details (subject matter, duration, purpose, data, data subjects)", K::ProcessingDetails, S::High, "GDPR Art. 28(3) (first sentence)", "processing-details"),
    art28!("art28.instructions-absent", "No duty to process only on our documented instructions", K::Instructions, S::High, "GDPR Art. 28(3)(a)", "instructions"),
    art28!("art28.confidentiality-absent", "No confidentiality duty on the vendor's staff", K::Confidentiality, S::High, "GDPR Art. 28(3)(b)", "confidentiality"),
    art28!("art28.security-measures-absent", "No security-measures (Art. 32) clause", K::SecurityMeasures, S::High, "GDPR Art. 28(3)(c), Art. 32", "security-measures"),
    art28!("art28.subprocessors-absent", "No subprocessor conditions", K::Subprocessors, S::High, "GDPR Art. 28(2), 28(3)(d), 28(4)", "subprocessors"),
    art28!("art28.data-subject-assistance-absent", "No help with data-subject requests", K::DataSubjectAssistance, S::Medium, "GDPR Art. 28(3)(e)", "data-subject-assistance"),
    art28!("art28.compliance-assistance-absent", "No help with security, breach notices and DPIAs (Art. 32-36)", K::ComplianceAssistance, S::Medium, "GDPR Art. 28(3)(f)", "compliance-assistance"),
    Rule {
        id: "breach.absent",
        title: "No breach-notification clause",
        severity: S::Critical,
        kind: K::BreachNotification,
        basis: "GDPR Art. 33(2), Art. 28(3)(f)",
        threshold: no_threshold,
        check: breach_absent,
        example: Example { clauses: &["breach-notification --absent"], ..NONE },
        near_miss: Example { clauses: &["breach-notification --hours 48 --section §9.1 --quote 'within 48 hours of becoming aware'"], ..NONE },
    },
    Rule {
        id: "breach.no-deadline",
        title: "Breach notice \"without undue delay\" with no hard deadline",
        severity: S::High,
        kind: K::BreachNotification,
        basis: "GDPR Art. 33(2); Art. 33(1) gives us 72 hours",
        threshold: |p| format!("a deadline in hours (max-breach-hours = {})", p.max_breach_hours),
        check: breach_no_deadline,
        example: Example { clauses: &["breach-notification --section §9.1 --quote 'Provider will notify Customer without undue delay.'"], ..NONE },
        near_miss: Example { clauses: &["breach-notification --hours 72 --section §9.1 --quote 'without undue delay and in any event within 72 hours'"], ..NONE },
    },
    Rule {
        id: "breach.over-max-hours",
        title: "Breach-notification deadline longer than our maximum",
        severity: S::High,
        kind: K::BreachNotification,
        basis: "GDPR Art. 33(1) (72 hours to the authority), Art. 33(2)",
        threshold: |p| format!("max-breach-hours = {}", p.max_breach_hours),
        check: breach_over_max,
        example: Example { clauses: &["breach-notification --hours 73 --section §9.1 --quote 'within seventy-three (73) hours'"], ..NONE },
        near_miss: Example { clauses: &["breach-notification --hours 72 --section §9.1 --quote 'within seventy-two (72) hours'"], ..NONE },
    },
    Rule {
        id: "breach.where-feasible",
        title: "Breach deadline only \"where feasible\"",
        severity: S::Medium,
        kind: K::BreachNotification,
        basis: "GDPR Art. 33(2); practitioner: a deadline qualified by \"where feasible\" is a target, not a commitment",
        threshold: no_threshold,
        check: breach_where_feasible,
        example: Example { clauses: &["breach-notification --hours 48 --where-feasible --section §9.1 --quote 'where feasible, within 48 hours'"], ..NONE },
        near_miss: Example { clauses: &["breach-notification --hours 48 --section §9.1 --quote 'within 48 hours'"], ..NONE },
    },
    Rule {
        id: "breach.clock-at-confirmation",
        title: "Breach clock starts at confirmation, not awareness",
        severity: S::High,
        kind: K::BreachNotification,
        basis: "GDPR Art. 33(2) (\"after becoming aware\"); EDPB Guidelines 9/2022",
        threshold: no_threshold,
        check: breach_clock_confirmation,
        example: Example { clauses: &["breach-notification --hours 48 --clock confirmation --section §9.1 --quote 'within 48 hours after confirming a Security Incident'"], ..NONE },
        near_miss: Example { clauses: &["breach-notification --hours 48 --clock awareness --section §9.1 --quote 'within 48 hours after becoming aware'"], ..NONE },
    },
    Rule {
        id: "breach.confirmed-only",
        title: "Only confirmed incidents are notified",
        severity: S::High,
        kind: K::BreachNotification,
        basis: "GDPR Art. 33(2), Art. 4(12); EDPB Guidelines 9/2022",
        threshold: no_threshold,
        check: breach_confirmed_only,
        example: Example { clauses: &["breach-notification --hours 48 --confirmed-only --section §9.2 --quote 'notify Customer of any confirmed Personal Data Breach'"], ..NONE },
        near_miss: Example { clauses: &["breach-notification --hours 48 --section §9.2 --quote 'notify Customer of any Personal Data Breach'"], ..NONE },
    },
    Rule {
        id: "hipaa.no-baa",
        title: "PHI in scope without a Business Associate Agreement",
        severity: S::Critical,
        kind: K::Baa,
        basis: "45 CFR 164.502(e), 164.504(e)",
        threshold: |p| format!("applies when regimes include hipaa (regimes = {}) and the vendor's data includes phi", or_none(&p.get("regimes"))),
        check: hipaa_no_baa,
        example: Example { profile: "regimes=hipaa", data: "phi", clauses: &["baa --absent"], ..NONE },
        near_miss: Example { profile: "regimes=hipaa", data: "phi", clauses: &["baa --days 30 --section 'BAA §5' --quote 'report any Breach within thirty (30) days'"], ..NONE },
    },
    Rule {
        id: "hipaa.baa-over-60-days",
        title: "BAA breach report beyond the 60-day HIPAA limit",
        severity: S::Critical,
        kind: K::Baa,
        basis: "45 CFR 164.410(b)",
        threshold: |_| "60 days".to_string(),
        check: hipaa_baa_over_60,
        example: Example { profile: "regimes=hipaa", clauses: &["baa --days 61 --section 'BAA §5' --quote 'within sixty-one (61) days of discovery'"], ..NONE },
        near_miss: Example { profile: "regimes=hipaa max-breach-hours=1440", clauses: &["baa --days 60 --section 'BAA §5' --quote 'within sixty (60) days of discovery'"], ..NONE },
    },
    Rule {
        id: "hipaa.baa-over-max-hours",
        title: "BAA breach report slower than our maximum",
        severity: S::High,
        kind: K::Baa,
        basis: "45 CFR 164.410(b); our max-breach-hours",
        threshold: |p| format!("max-breach-hours = {}", p.max_breach_hours),
        check: hipaa_baa_over_max,
        example: Example { profile: "regimes=hipaa", clauses: &["baa --hours 73 --section 'BAA §5' --quote 'within 73 hours of discovery'"], ..NONE },
        near_miss: Example { profile: "regimes=hipaa", clauses: &["baa --hours 72 --section 'BAA §5' --quote 'within 72 hours of discovery'"], ..NONE },
    },
    Rule {
        id: "subprocessors.no-list",
        title: "No published subprocessor list",
        severity: S::High,
        kind: K::Subprocessors,
        basis: "GDPR Art. 28(2), 28(4); SCC 2021/914 Clause 9(a)",
        threshold: no_threshold,
        check: sub_no_list,
        example: Example { clauses: &["subprocessors --notice-days 30 --objection-days 30 --section §7 --quote 'Provider may engage Subprocessors'"], ..NONE },
        near_miss: Example { clauses: &["subprocessors --list-url https://vendor.example/subprocessors --notice-days 30 --objection-days 30 --section §7"], ..NONE },
    },
    Rule {
        id: "subprocessors.list-on-request",
        title: "Subprocessor list only available on request",
        severity: S::Medium,
        kind: K::Subprocessors,
        basis: "GDPR Art. 28(2) (informed of changes, to be able to object), Art. 28(3)(d); SCC 2021/914 Clause 9(a) (an agreed list)",
        threshold: no_threshold,
        check: sub_list_on_request,
        example: Example { clauses: &["subprocessors --list-in on-request --notice-days 30 --objection-days 30 --section §7.1 --quote 'a list of Subprocessors is available upon written request'"], ..NONE },
        near_miss: Example { clauses: &["subprocessors --list-in annex --notice-days 30 --objection-days 30 --section 'Annex III' --quote 'the Subprocessors listed in Annex III'"], ..NONE },
    },
    Rule {
        id: "subprocessors.short-notice",
        title: "Notice of new subprocessors missing or shorter than our minimum",
        severity: S::High,
        kind: K::Subprocessors,
        basis: "GDPR Art. 28(2); SCC 2021/914 Clause 9(a) (\"specified time period\")",
        threshold: |p| format!("min-subprocessor-notice-days = {}", p.min_subprocessor_notice_days),
        check: sub_short_notice,
        example: Example { clauses: &["subprocessors --list-url https://vendor.example/subprocessors --notice-days 29 --objection-days 29 --section §7.2 --quote 'at least 29 days before'"], ..NONE },
        near_miss: Example { clauses: &["subprocessors --list-url https://vendor.example/subprocessors --notice-days 30 --objection-days 30 --section §7.2 --quote 'at least 30 days before'"], ..NONE },
    },
    Rule {
        id: "subprocessors.subscription-only",
        title: "Subprocessor notice only to subscribers",
        severity: S::Medium,
        kind: K::Subprocessors,
        basis: "GDPR Art. 28(2) (the controller must be informed)",
        threshold: no_threshold,
        check: sub_subscription_only,
        example: Example { clauses: &["subprocessors --list-url https://vendor.example/subprocessors --notice-days 30 --objection-days 30 --notice-channel subscription-only --section §7.2 --quote 'to customers who subscribe to updates'"], ..NONE },
        near_miss: Example { clauses: &["subprocessors --list-url https://vendor.example/subprocessors --notice-days 30 --objection-days 30 --notice-channel email --section §7.2 --quote 'by email to the account owner'"], ..NONE },
    },
    Rule {
        id: "subprocessors.short-objection",
        title: "Objection window missing, shorter than our minimum or than the notice",
        severity: S::Medium,
        kind: K::Subprocessors,
        basis: "GDPR Art. 28(2) (opportunity to object); SCC 2021/914 Clause 9(a)",
        threshold: |p| format!("min-objection-days = {}, and not shorter than the notice", p.min_objection_days),
        check: sub_short_objection,
        example: Example { clauses: &["subprocessors --list-url https://vendor.example/subprocessors --notice-days 30 --objection-days 13 --section §7.3 --quote 'may object within 13 days'"], ..NONE },
        near_miss: Example { clauses: &["subprocessors --list-url https://vendor.example/subprocessors --notice-days 14 --objection-days 14 --section §7.3 --quote 'may object within 14 days'"], profile: "min-subprocessor-notice-days=14", ..NONE },
    },
    Rule {
        id: "subprocessors.objection-ineffective",
        title: "An objection to a subprocessor has no binding effect",
        severity: S::High,
        kind: K::Subprocessors,
        basis: "GDPR Art. 28(2) (opportunity to object)",
        threshold: no_threshold,
        check: sub_objection_ineffective,
        example: Example { clauses: &["subprocessors --list-url https://vendor.example/subprocessors --notice-days 30 --objection-days 30 --remedy vendor-discretion --section §7.4 --quote 'Provider will consider the objection in good faith'"], ..NONE },
        near_miss: Example { clauses: &["subprocessors --list-url https://vendor.example/subprocessors --notice-days 30 --objection-days 30 --remedy terminate-refund --section §7.4"], ..NONE },
    },
    Rule {
        id: "subprocessors.reasonable-grounds",
        title: "Objection to a subprocessor needs \"reasonable grounds\"",
        severity: S::Info,
        kind: K::Subprocessors,
        basis: "GDPR Art. 28(2) and SCC 2021/914 Clause 9(a) give a right to object without requiring grounds; practitioner: common in vendor DPAs, so info (the remedy rules judge what an objection achieves)",
        threshold: no_threshold,
        check: sub_reasonable_grounds,
        example: Example { clauses: &["subprocessors --list-url https://vendor.example/subprocessors --notice-days 30 --objection-days 30 --reasonable-grounds --remedy terminate-refund --section §7.3 --quote 'Customer may object on reasonable grounds relating to data protection'"], ..NONE },
        near_miss: Example { clauses: &["subprocessors --list-url https://vendor.example/subprocessors --notice-days 30 --objection-days 30 --remedy terminate-refund --section §7.3 --quote 'Customer may object to the new Subprocessor'"], ..NONE },
    },
    Rule {
        id: "subprocessors.terminate-only",
        title: "Objecting to a subprocessor means leaving",
        severity: S::Info,
        kind: K::Subprocessors,
        basis: "Practitioner: objection should lead to an alternative, not only termination",
        threshold: no_threshold,
        check: sub_terminate_only,
        example: Example { clauses: &["subprocessors --list-url https://vendor.example/subprocessors --notice-days 30 --objection-days 30 --remedy terminate-refund --section §7.4 --quote 'Customer may terminate the affected Services'"], ..NONE },
        near_miss: Example { clauses: &["subprocessors --list-url https://vendor.example/subprocessors --notice-days 30 --objection-days 30 --section §7.4"], ..NONE },
    },
    Rule {
        id: "subprocessors.no-refund",
        title: "Termination over a subprocessor objection without refund",
        severity: S::Medium,
        kind: K::Subprocessors,
        basis: "Practitioner: termination for objection should refund prepaid fees",
        threshold: no_threshold,
        check: sub_no_refund,
        example: Example { clauses: &["subprocessors --list-url https://vendor.example/subprocessors --notice-days 30 --objection-days 30 --remedy terminate --section §7.4 --quote 'terminate without refund'"], ..NONE },
        near_miss: Example { clauses: &["subprocessors --list-url https://vendor.example/subprocessors --notice-days 30 --objection-days 30 --remedy terminate-refund --section §7.4 --quote 'terminate and receive a pro-rata refund'"], ..NONE },
    },
    Rule {
        id: "transfers.no-mechanism",
        title: "Transfer out of our regions with no mechanism that covers it",
        severity: S::High,
        kind: K::Transfers,
        basis: "GDPR Art. 44, 46; SCC 2021/914; UK GDPR Art. 46 and the ICO's Addendum to the SCCs (the Addendum alone covers no EU transfer); critical when gdpr applies",
        threshold: regions_threshold,
        check: transfers_no_mechanism,
        example: Example { profile: "regions=EU", clauses: &["transfers --regions EU,US --section §10 --quote 'Provider may process data in the United States'"], ..NONE },
        near_miss: Example { profile: "regions=EU", clauses: &["transfers --regions EU,US --mechanism scc-2021 --section §10 --quote 'Module 2 of the SCCs applies'"], ..NONE },
    },
    Rule {
        id: "transfers.scc-2010",
        title: "Transfers rely on the repealed pre-2021 SCCs",
        severity: S::High,
        kind: K::Transfers,
        basis: "Commission Implementing Decision (EU) 2021/914 Art. 4 (repealed Decisions 2001/497/EC and 2010/87/EU, with 2004/915/EC amending the former; contracts on them had to move by 27 December 2022); GDPR Art. 46(2)(c); under UK GDPR, the ICO's transitional period for them ended 21 March 2024",
        threshold: gdpr_threshold,
        check: transfers_scc_2010,
        example: Example { profile: "regimes=gdpr", clauses: &["transfers --regions EU,US --mechanism scc-2010 --section §10 --quote 'the Standard Contractual Clauses set out in Commission Decision 2010/87/EU'"], ..NONE },
        near_miss: Example { profile: "regimes=gdpr", clauses: &["transfers --regions EU,US --mechanism scc-2021 --section §10 --quote 'Module 2 of the Standard Contractual Clauses (EU) 2021/914'"], ..NONE },
    },
    Rule {
        id: "residency.no-commitment",
        title: "No commitment to keep data in our regions",
        severity: S::High,
        kind: K::Residency,
        basis: "Our data-residency obligations (profile regions); GDPR Art. 44",
        threshold: regions_threshold,
        check: residency_no_commitment,
        example: Example { profile: "regions=EU", clauses: &["residency --regions EU --region-commitment no --section §8 --quote 'Customer may select a hosting region'"], ..NONE },
        near_miss: Example { profile: "regions=EU", clauses: &["residency --regions EU --region-commitment yes --section §8 --quote 'Customer Data will be stored only in the selected region'"], ..NONE },
    },
    Rule {
        id: "deletion.none",
        title: "No deletion or return of data after termination",
        severity: S::High,
        kind: K::DeletionReturn,
        basis: "GDPR Art. 28(3)(g)",
        threshold: no_threshold,
        check: deletion_none,
        example: Example { clauses: &["deletion-return --absent"], ..NONE },
        near_miss: Example { clauses: &["deletion-return --deletion-days 30 --backup-days 90 --certificate yes --section §11"], ..NONE },
    },
    Rule {
        id: "deletion.no-deadline",
        title: "No deadline for deleting our data",
        severity: S::High,
        kind: K::DeletionReturn,
        basis: "GDPR Art. 28(3)(g), Art. 5(1)(e)",
        threshold: |p| format!("max-deletion-days = {}", p.max_deletion_days),
        check: deletion_no_deadline,
        example: Example { clauses: &["deletion-return --no-deadline --backup-days 90 --certificate yes --section §11 --quote 'will delete Customer Data in accordance with its retention policies'"], ..NONE },
        near_miss: Example { clauses: &["deletion-return --deletion-days 30 --backup-days 90 --certificate yes --section §11 --quote 'within 30 days'"], ..NONE },
    },
    Rule {
        id: "deletion.over-max-days",
        title: "Deletion takes longer than our maximum",
        severity: S::Medium,
        kind: K::DeletionReturn,
        basis: "GDPR Art. 28(3)(g); our max-deletion-days",
        threshold: |p| format!("max-deletion-days = {}", p.max_deletion_days),
        check: deletion_over_max,
        example: Example { clauses: &["deletion-return --deletion-days 31 --backup-days 90 --certificate yes --section §11 --quote 'within 31 days'"], ..NONE },
        near_miss: Example { clauses: &["deletion-return --deletion-days 30 --backup-days 90 --certificate yes --section §11 --quote 'within 30 days'"], ..NONE },
    },
    Rule {
        id: "deletion.on-request-only",
        title: "Data deleted only on request",
        severity: S::Medium,
        kind: K::DeletionReturn,
        basis: "GDPR Art. 28(3)(g) (deletion is the default at the end of the services)",
        threshold: no_threshold,
        check: deletion_on_request,
        example: Example { clauses: &["deletion-return --deletion-days 30 --on-request-only --backup-days 90 --certificate yes --section §11 --quote 'upon Customer written request'"], ..NONE },
        near_miss: Example { clauses: &["deletion-return --deletion-days 30 --backup-days 90 --certificate yes --section §11"], ..NONE },
    },
    Rule {
        id: "deletion.backups-not-covered",
        title: "Backups not covered by deletion",
        severity: S::Medium,
        kind: K::DeletionReturn,
        basis: "GDPR Art. 28(3)(g), Art. 17; practitioner: backups are the usual gap",
        threshold: |p| format!("max-backup-days = {}", p.max_backup_days),
        check: deletion_backups_uncovered,
        example: Example { clauses: &["deletion-return --deletion-days 30 --certificate yes --section §11 --quote 'delete Customer Data from production systems'"], ..NONE },
        near_miss: Example { clauses: &["deletion-return --deletion-days 30 --backup-days 90 --certificate yes --section §11"], ..NONE },
    },
    Rule {
        id: "deletion.backups-over-max-days",
        title: "Backups kept longer than our maximum",
        severity: S::Medium,
        kind: K::DeletionReturn,
        basis: "GDPR Art. 5(1)(e); our max-backup-days",
        threshold: |p| format!("max-backup-days = {}", p.max_backup_days),
        check: deletion_backups_over_max,
        example: Example { clauses: &["deletion-return --deletion-days 30 --backup-days 91 --certificate yes --section §11.3 --quote 'backups are overwritten within 91 days'"], ..NONE },
        near_miss: Example { clauses: &["deletion-return --deletion-days 30 --backup-days 90 --certificate yes --section §11.3 --quote 'backups are overwritten within 90 days'"], ..NONE },
    },
    Rule {
        id: "deletion.no-certificate",
        title: "No certificate of deletion",
        severity: S::Info,
        kind: K::DeletionReturn,
        basis: "Practitioner: a written certification evidences Art. 28(3)(g) compliance",
        threshold: no_threshold,
        check: deletion_no_certificate,
        example: Example { clauses: &["deletion-return --deletion-days 30 --backup-days 90 --certificate no --section §11"], ..NONE },
        near_miss: Example { clauses: &["deletion-return --deletion-days 30 --backup-days 90 --certificate on-request --section §11"], ..NONE },
    },
    Rule {
        id: "audit.none",
        title: "No audit rights",
        severity: S::High,
        kind: K::AuditRights,
        basis: "GDPR Art. 28(3)(h) (critical when gdpr applies)",
        threshold: no_threshold,
        check: audit_none,
        example: Example { profile: "regimes=gdpr", clauses: &["audit-rights --audit none --section §12 --quote 'Customer shall have no right to audit Provider'"], ..NONE },
        near_miss: Example { profile: "regimes=gdpr", clauses: &["audit-rights --audit onsite --section §12 --quote 'once per year on 30 days notice'"], ..NONE },
    },
    Rule {
        id: "audit.reports-only",
        title: "Audits limited to third-party reports",
        severity: S::Info,
        kind: K::AuditRights,
        basis: "GDPR Art. 28(3)(h); acceptable when reports are current and in scope",
        threshold: no_threshold,
        check: audit_reports_only,
        example: Example { clauses: &["audit-rights --audit reports-only --section §12 --quote 'Provider will make its SOC 2 report available'"], ..NONE },
        near_miss: Example { clauses: &["audit-rights --audit onsite --section §12"], ..NONE },
    },
    Rule {
        id: "use.beyond-service",
        title: "Vendor may use our data beyond providing the service",
        severity: S::High,
        kind: K::Ownership,
        basis: "GDPR Art. 28(3)(a), Art. 28(10)",
        threshold: no_threshold,
        check: use_beyond_service,
        example: Example { clauses: &["ownership --vendor-use product-improvement --section §3.2 --quote 'to improve and develop our products'"], ..NONE },
        near_miss: Example { clauses: &["ownership --vendor-use service-only --section §3.2 --quote 'solely to provide the Services'"], ..NONE },
    },
    Rule {
        id: "use.deidentified",
        title: "Vendor may use de-identified data for its own purposes",
        severity: S::Medium,
        kind: K::Ownership,
        basis: "GDPR Art. 28(10), Recital 26 (anonymisation must be irreversible)",
        threshold: no_threshold,
        check: use_deidentified,
        example: Example { clauses: &["ownership --vendor-use deidentified-use --section §3.3 --quote 'aggregated and de-identified data'"], ..NONE },
        near_miss: Example { clauses: &["ownership --vendor-use none --section §3.3"], ..NONE },
    },
    Rule {
        id: "ai.training",
        title: "AI training on our data against our policy",
        severity: S::High,
        kind: K::AiTraining,
        basis: "GDPR Art. 28(3)(a), Art. 28(10); our ai-training policy",
        threshold: |p| format!("ai-training = {}", p.ai_training),
        check: ai_training,
        example: Example { clauses: &["ai-training --ai-training opt-out --section §4 --quote 'unless Customer opts out in settings'"], ..NONE },
        near_miss: Example { profile: "ai-training=opt-in", clauses: &["ai-training --ai-training opt-in --section §4 --quote 'only if Customer opts in'"], ..NONE },
    },
    Rule {
        id: "liability.inside-general-cap",
        title: "Data-protection liability inside the general cap",
        severity: S::Medium,
        kind: K::Liability,
        basis: "Practitioner: a separate (super) cap for data-protection breaches; a DPA with no liability clause (recorded --absent) leaves the agreement's general cap in force",
        threshold: |p| format!("liability = {}", p.liability),
        check: liability_inside_cap,
        example: Example { profile: "liability=separate-cap", clauses: &["liability --cap inside-general-cap --section 'MSA §14' --quote 'total liability shall not exceed fees paid in the prior 12 months'"], ..NONE },
        near_miss: Example { profile: "liability=separate-cap", clauses: &["liability --cap separate-cap --section 'MSA §14.3' --quote 'data protection claims are capped at 3x fees'"], ..NONE },
    },
    Rule {
        id: "liability.cap-below-min",
        title: "Data-protection liability cap smaller than our minimum",
        severity: S::Medium,
        kind: K::Liability,
        basis: "GDPR Art. 82(2), 82(5) (our recourse against the processor for damage it caused); practitioner: data-protection caps are set as months of fees; our min-cap-months",
        threshold: |p| format!("min-cap-months = {} (0 = no minimum)", p.min_cap_months),
        check: liability_cap_below_min,
        example: Example { profile: "min-cap-months=12", clauses: &["liability --cap separate-cap --cap-months 1 --section §13 --quote 'shall not exceed the average monthly payment made by Customer'"], ..NONE },
        near_miss: Example { profile: "min-cap-months=12", clauses: &["liability --cap separate-cap --cap-months 12 --section §13 --quote 'shall not exceed the fees paid in the twelve (12) months before the claim'"], ..NONE },
    },
    Rule {
        id: "gov.after-disclosure",
        title: "Government requests notified only after disclosure",
        severity: S::Medium,
        kind: K::GovernmentAccess,
        basis: "SCC 2021/914 Clause 15.1(a)",
        threshold: no_threshold,
        check: gov_after_disclosure,
        example: Example { clauses: &["government-access --gov notify-after-disclosure --section §13 --quote 'will inform Customer after responding'"], ..NONE },
        near_miss: Example { clauses: &["government-access --gov notify-before --section §13 --quote 'will notify Customer before disclosure where legally permitted'"], ..NONE },
    },
    Rule {
        id: "gov.no-commitment",
        title: "No commitment on government requests",
        severity: S::Medium,
        kind: K::GovernmentAccess,
        basis: "SCC 2021/914 Clause 15",
        threshold: no_threshold,
        check: gov_no_commitment,
        example: Example { clauses: &["government-access --absent"], ..NONE },
        near_miss: Example { clauses: &["government-access --gov challenge --section §13 --quote 'will challenge overbroad requests'"], ..NONE },
    },
    Rule {
        id: "security.industry-standard-only",
        title: "Security measures only \"industry standard\"",
        severity: S::Medium,
        kind: K::SecurityMeasures,
        basis: "GDPR Art. 28(3)(c), Art. 32; SCC 2021/914 Annex II",
        threshold: no_threshold,
        check: security_industry_standard,
        example: Example { clauses: &["security-measures --annex industry-standard-only --section §6 --quote 'industry-standard security measures'"], ..NONE },
        near_miss: Example { clauses: &["security-measures --annex yes --section 'Annex II'"], ..NONE },
    },
    Rule {
        id: "security.external-page",
        title: "Security measures on a web page the vendor can change",
        severity: S::Medium,
        kind: K::SecurityMeasures,
        basis: "GDPR Art. 28(3)(c), Art. 32, Art. 28(9) (the terms in writing); SCC 2021/914 Annex II (measures described in the contract); waive with a reason when the DPA forbids lowering the overall level of security",
        threshold: no_threshold,
        check: security_external_page,
        example: Example { clauses: &["security-measures --annex external-page --section §6 --quote 'the measures described at vendor.example/security, as updated from time to time'"], ..NONE },
        near_miss: Example { clauses: &["security-measures --annex yes --section 'Annex II' --quote 'the technical and organisational measures in Annex II'"], ..NONE },
    },
    Rule {
        id: "dates.expired",
        title: "Agreement expired",
        severity: S::High,
        kind: K::Other,
        basis: "Practitioner: an expired DPA or BAA no longer binds the vendor",
        threshold: |_| "valid-until before today".to_string(),
        check: dates_expired,
        example: Example { clauses: &["baa --days 30 --valid-until 2020-01-01"], ..NONE },
        near_miss: Example { clauses: &["baa --days 30 --valid-until 2099-12-31"], ..NONE },
    },
    Rule {
        id: "attestation.not-met",
        title: "A required attestation is recorded as not met",
        severity: S::High,
        kind: K::Other,
        basis: "Our required-attestations; GDPR Art. 28(1) (sufficient guarantees)",
        threshold: |p| format!("required-attestations = {}", or_none(&p.get("required-attestations"))),
        check: attestation_not_met,
        example: Example { profile: "required-attestations=iso27001", findings: &[("trust.iso27001", "not-met")], ..NONE },
        near_miss: Example { profile: "required-attestations=iso27001", findings: &[("trust.iso27001", "partial")], ..NONE },
    },
    Rule {
        id: "evidence.stale",
        title: "Attestation report out of date, with no bridge letter",
        severity: S::High,
        kind: K::Other,
        basis: "AICPA SOC 2 (reports cover a past period); practitioner: a period ending over 12 months ago needs a bridge letter (this rule was soc2.stale; its waivers still apply)",
        threshold: |p| format!("max-report-age-months = {} (or a bridge letter covering today)", p.get("max-report-age-months")),
        check: evidence_stale,
        example: Example { evidence: &["soc2.pdf --kind soc2-type2 --period-start 2024-11-25 --period-end 2025-11-25 --opinion unqualified"], ..NONE },
        near_miss: Example { evidence: &["soc2.pdf --kind soc2-type2 --period-start 2024-11-25 --period-end 2025-11-25 --bridge-letter-until 2027-01-31"], ..NONE },
    },
    Rule {
        id: "contract.notice-window-passed",
        title: "A tacit renewal is locked in, or its notice day is near",
        severity: S::High,
        kind: K::Other,
        basis: "Practitioner: a contract that renews unless notice is given binds us for another term once the notice day passes; medium while the day is within notice-warning-days",
        threshold: |p| format!("notice-warning-days = {}", p.get("notice-warning-days")),
        check: contract_notice_window,
        example: Example { contracts: &["--start 2025-12-01 --term-months 12 --auto-renew --notice-days 90"], ..NONE },
        near_miss: Example { contracts: &["--start 2026-06-01 --term-months 12 --auto-renew --notice-days 90"], ..NONE },
    },
    Rule {
        id: "contract.renews-without-review",
        title: "A contract renews before the vendor's next review",
        severity: S::Medium,
        kind: K::Other,
        basis: "Practitioner: the last day to stop a tacit renewal should fall after a review that can decide on it",
        threshold: |p| format!(
            "the next review: the open review's due date, else review-months-critical/high/medium/low = {}/{}/{}/{} after the decision",
            p.get("review-months-critical"), p.get("review-months-high"), p.get("review-months-medium"), p.get("review-months-low")
        ),
        check: contract_renews_without_review,
        example: Example { contracts: &["--start 2026-03-01 --term-months 12 --auto-renew --notice-days 60"], review_due: "2027-03-31", ..NONE },
        near_miss: Example { contracts: &["--start 2026-03-01 --term-months 12 --auto-renew --notice-days 60"], review_due: "2026-12-15", ..NONE },
    },
    Rule {
        id: "contract.no-termination-for-convenience",
        title: "A contract we cannot end without cause",
        severity: S::Medium,
        kind: K::Other,
        basis: "Practitioner: without termination for convenience, leaving a vendor that fails a review waits for the term's end or a breach",
        threshold: |p| format!("termination-for-convenience = {}", p.get("termination-for-convenience")),
        check: contract_no_termination_for_convenience,
        example: Example { contracts: &["--start 2026-01-01 --term-months 36 --termination-for-convenience no --section 14.2 --quote 'Neither party may terminate for convenience.'"], ..NONE },
        near_miss: Example { contracts: &["--start 2026-01-01 --term-months 36 --termination-for-convenience yes"], ..NONE },
    },
    Rule {
        id: "soc2.opinion",
        title: "SOC 2 opinion qualified, adverse or disclaimed",
        severity: S::High,
        kind: K::Other,
        basis: "AICPA AT-C 205 (modified opinions); critical when adverse or disclaimed",
        threshold: |_| "an unqualified opinion".to_string(),
        check: soc2_opinion,
        example: Example { evidence: &["soc2.pdf --kind soc2-type2 --period-end 2026-09-30 --opinion qualified"], ..NONE },
        near_miss: Example { evidence: &["soc2.pdf --kind soc2-type2 --period-end 2026-09-30 --opinion unqualified"], ..NONE },
    },
    Rule {
        id: "soc2.exceptions",
        title: "SOC 2 report notes exceptions",
        severity: S::Medium,
        kind: K::Other,
        basis: "AICPA SOC 2 section 4 (tests of controls and results)",
        threshold: |_| "0 exceptions".to_string(),
        check: soc2_exceptions,
        example: Example { evidence: &["soc2.pdf --kind soc2-type2 --period-end 2026-09-30 --opinion unqualified --exceptions 1"], ..NONE },
        near_miss: Example { evidence: &["soc2.pdf --kind soc2-type2 --period-end 2026-09-30 --opinion unqualified --exceptions 0"], ..NONE },
    },
    Rule {
        id: "soc2.carve-out",
        title: "SOC 2 report carves out subservice organisations",
        severity: S::Medium,
        kind: K::Other,
        basis: "AICPA SOC 2 (carve-out method): the subservice organisations' own reports are needed",
        threshold: no_threshold,
        check: soc2_carve_out,
        example: Example { evidence: &["soc2.pdf --kind soc2-type2 --period-end 2026-09-30 --subservice carve-out"], ..NONE },
        near_miss: Example { evidence: &["soc2.pdf --kind soc2-type2 --period-end 2026-09-30 --subservice inclusive"], ..NONE },
    },
    Rule {
        id: "attestation.missing",
        title: "A required attestation has no evidence",
        severity: S::High,
        kind: K::Other,
        basis: "Our required-attestations; GDPR Art. 28(1) (sufficient guarantees)",
        threshold: |p| format!("required-attestations = {}", or_none(&p.get("required-attestations"))),
        check: attestation_missing,
        example: Example { profile: "required-attestations=soc2-type2,iso27001", evidence: &["iso.pdf --kind iso27001 --valid-until 2027-06-30"], ..NONE },
        near_miss: Example { profile: "required-attestations=soc2-type2,iso27001", evidence: &["iso.pdf --kind iso27001 --valid-until 2027-06-30", "soc2.pdf --kind soc2-type2 --period-end 2026-09-30"], ..NONE },
    },
    Rule {
        id: "attestation.claimed",
        title: "A required attestation is only claimed: report not seen",
        severity: S::Medium,
        kind: K::Other,
        basis: "AICPA SOC 2 reports are restricted-use; a trust-centre badge is the vendor's statement, not the auditor's; GDPR Art. 28(1) (sufficient guarantees)",
        threshold: |p| format!("required-attestations = {}; held only as a stored report or certificate file with --period-end or --valid-until", or_none(&p.get("required-attestations"))),
        check: attestation_claimed,
        example: Example { profile: "required-attestations=soc2-type2", evidence: &["--url https://vendor.example/trust --quote 'SOC 2 Type II compliant' --kind soc2-type2"], ..NONE },
        near_miss: Example { profile: "required-attestations=soc2-type2", evidence: &["--url https://vendor.example/trust --quote 'SOC 2 Type II compliant' --kind soc2-type2", "soc2.pdf --kind soc2-type2 --period-end 2026-09-30"], ..NONE },
    },
    Rule {
        id: "evidence.expired",
        title: "Agreement or attestation evidence expired",
        severity: S::High,
        kind: K::Other,
        basis: "Practitioner: an expired DPA, BAA or certificate no longer evidences anything",
        threshold: |_| "valid-until on or after today, or a current one of the same kind".to_string(),
        check: evidence_expired,
        example: Example { evidence: &["iso.pdf --kind iso27001 --valid-until 2026-11-25"], ..NONE },
        near_miss: Example { evidence: &["iso.pdf --kind iso27001 --valid-until 2026-11-26"], ..NONE },
    },
];
