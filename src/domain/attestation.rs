//! What we hold for an attestation: the one answer the rules
//! (`attestation.missing`, `attestation.claimed`), compare and anything else
//! that says "held" read, so they can never disagree.
//!
//! An attestation is held only when the report or certificate itself is
//! stored (a file, so it has a sha256) with the period it covers or the date
//! it is valid until. A trust-centre badge or quote is the vendor's own
//! statement, and a file with no date cannot be judged current: both are
//! claims, not a report seen.

use crate::model::{Evidence, EvidenceKind};
use chrono::NaiveDate;

/// The date that makes a stored report or certificate count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeldDate {
    /// A certificate's (or report's) `--valid-until`.
    ValidUntil(String),
    /// A SOC 2 report's `--period-end`.
    PeriodEnd(String),
}

impl HeldDate {
    /// The date itself, YYYY-MM-DD.
    pub fn as_str(&self) -> &str {
        match self {
            HeldDate::ValidUntil(d) | HeldDate::PeriodEnd(d) => d,
        }
    }
}

/// What we hold for one attestation.
#[derive(Debug, Clone, PartialEq)]
pub enum Holding<'a> {
    /// The report or certificate is stored, with its period or validity.
    Held {
        evidence: &'a Evidence,
        date: HeldDate,
    },
    /// Only the vendor's claim: a web quote or URL, or a file with no period
    /// or validity date.
    Claimed { evidence: &'a Evidence },
    /// Nothing of the kind is recorded.
    None,
}

/// The dated file that makes `e` held, if it is one.
fn held_date(e: &Evidence) -> Option<HeldDate> {
    e.sha256.as_ref()?;
    e.valid_until
        .clone()
        .map(HeldDate::ValidUntil)
        .or_else(|| e.period_end.clone().map(HeldDate::PeriodEnd))
}

/// What `evidence` (one vendor's) holds for attestations of `kind`: the
/// current-most held report (latest date, then newest), else the newest
/// claim, else none.
pub fn holding(evidence: &[Evidence], kind: EvidenceKind) -> Holding<'_> {
    let of_kind = || evidence.iter().filter(move |e| e.kind == kind);
    let held = of_kind()
        .filter_map(|e| held_date(e).map(|date| (e, date)))
        .max_by(|(a, da), (b, db)| (da.as_str(), a.id).cmp(&(db.as_str(), b.id)));
    if let Some((evidence, date)) = held {
        return Holding::Held { evidence, date };
    }
    match of_kind().max_by_key(|e| e.id) {
        Some(evidence) => Holding::Claimed { evidence },
        None => Holding::None,
    }
}

/// Why a claim is not a report seen, for messages: "a page quote of URL",
/// "file NAME has no period end or valid-until date".
pub fn why_claimed(e: &Evidence) -> String {
    match (&e.sha256, &e.source_url) {
        (Some(_), _) => format!(
            "file '{}' has no period end or valid-until date",
            e.file_name.as_deref().unwrap_or_else(|| e.name())
        ),
        (None, Some(url)) => format!("a page quote or link of {url}, no report file"),
        (None, None) => "no report file".to_string(),
    }
}

/// The option that dates evidence of `kind`: a SOC 2 report covers a period,
/// a certificate is valid until a date.
pub fn date_option(kind: EvidenceKind) -> &'static str {
    if kind.is_soc2() {
        "--period-end"
    } else {
        "--valid-until"
    }
}

/// A SOC 2 report is stale when its period ended more than 12 months ago and
/// no bridge letter covers today (a report always covers a past period, so an
/// ended period alone is not out of date). Says why, or None when current.
pub fn soc2_is_stale(e: &Evidence, today: NaiveDate) -> Option<String> {
    let date = |text: &Option<String>| NaiveDate::parse_from_str(text.as_deref()?, "%Y-%m-%d").ok();
    let end = date(&e.period_end)?;
    let cutoff = today.checked_sub_months(chrono::Months::new(12))?;
    let bridged = date(&e.bridge_letter_until).is_some_and(|until| until >= today);
    (end < cutoff && !bridged).then(|| match &e.bridge_letter_until {
        Some(until) => format!("the report period ended {end} and the bridge letter ran out on {until}"),
        None => format!("the report period ended {end}, more than 12 months ago, and no bridge letter covers today"),
    })
}

/// How a holding reads in compare and the packet: "none", "claimed, report
/// not seen", "valid until D", "EXPIRED D", "period ends D", "STALE: period
/// ended D".
pub fn describe(holding: &Holding, today: NaiveDate) -> String {
    match holding {
        Holding::None => "none".into(),
        Holding::Claimed { .. } => "claimed, report not seen".into(),
        Holding::Held {
            date: HeldDate::ValidUntil(d),
            ..
        } => {
            if d.as_str() < today.to_string().as_str() {
                format!("EXPIRED {d}")
            } else {
                format!("valid until {d}")
            }
        }
        Holding::Held {
            evidence,
            date: HeldDate::PeriodEnd(d),
        } => match soc2_is_stale(evidence, today) {
            Some(_) => format!("STALE: period ended {d}"),
            None => format!("period ends {d}"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn evidence(id: i64, kind: EvidenceKind) -> Evidence {
        Evidence {
            id,
            vendor_id: 1,
            vendor: "acme".into(),
            kind,
            title: None,
            file_name: None,
            sha256: None,
            size: None,
            source_url: None,
            quote: None,
            retrieved: None,
            valid_from: None,
            valid_until: None,
            period_start: None,
            period_end: None,
            opinion: None,
            exceptions: None,
            cuecs: None,
            subservice: None,
            bridge_letter_until: None,
            items: vec![],
            clauses: vec![],
            created_at: String::new(),
            created_by: String::new(),
        }
    }

    fn file(mut e: Evidence) -> Evidence {
        e.file_name = Some("report.pdf".into());
        e.sha256 = Some("0".repeat(64));
        e
    }

    #[test]
    fn only_a_dated_file_is_held() {
        let kind = EvidenceKind::Soc2Type2;
        assert_eq!(holding(&[], kind), Holding::None);

        let mut quote = evidence(1, kind);
        quote.source_url = Some("https://trust.acme.example".into());
        quote.quote = Some("SOC 2 Type II".into());
        // A web quote, even one with a date, is the vendor's claim.
        quote.period_end = Some("2026-09-30".into());
        let undated = file(evidence(2, kind));
        assert!(
            matches!(holding(&[quote.clone()], kind), Holding::Claimed { evidence } if evidence.id == 1)
        );
        assert!(
            matches!(holding(&[quote.clone(), undated.clone()], kind), Holding::Claimed { evidence } if evidence.id == 2)
        );
        assert!(why_claimed(&quote).contains("page quote"));
        assert!(why_claimed(&undated).contains("no period end"));

        let mut report = file(evidence(3, kind));
        report.period_end = Some("2026-06-30".into());
        let mut older = file(evidence(4, kind));
        older.period_end = Some("2025-06-30".into());
        let all = [quote, undated, report, older];
        assert_eq!(
            holding(&all, kind),
            Holding::Held {
                evidence: &all[2],
                date: HeldDate::PeriodEnd("2026-06-30".into())
            }
        );
        // Another kind's evidence holds nothing for this one.
        assert_eq!(holding(&all, EvidenceKind::Iso27001), Holding::None);
    }

    #[test]
    fn a_certificate_is_held_until_its_date() {
        let mut cert = file(evidence(1, EvidenceKind::Iso27001));
        cert.valid_until = Some("2027-06-30".into());
        assert!(matches!(
            holding(std::slice::from_ref(&cert), EvidenceKind::Iso27001),
            Holding::Held { date: HeldDate::ValidUntil(d), .. } if d == "2027-06-30"
        ));
        assert_eq!(date_option(EvidenceKind::Iso27001), "--valid-until");
        assert_eq!(date_option(EvidenceKind::Soc2Type2), "--period-end");
        let day = |d: &str| NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
        let held = holding(std::slice::from_ref(&cert), EvidenceKind::Iso27001);
        assert_eq!(describe(&held, day("2027-06-30")), "valid until 2027-06-30");
        assert_eq!(describe(&held, day("2027-07-01")), "EXPIRED 2027-06-30");
    }

    #[test]
    fn a_report_period_that_ended_is_current_for_twelve_months() {
        let mut report = file(evidence(1, EvidenceKind::Soc2Type2));
        report.period_end = Some("2025-11-26".into());
        let all = [report];
        let held = holding(&all, EvidenceKind::Soc2Type2);
        let day = |d: &str| NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
        assert_eq!(describe(&held, day("2026-11-26")), "period ends 2025-11-26");
        assert_eq!(
            describe(&held, day("2026-11-27")),
            "STALE: period ended 2025-11-26"
        );
        assert_eq!(describe(&Holding::None, day("2026-11-27")), "none");
    }
}
