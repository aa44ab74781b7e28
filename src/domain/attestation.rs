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
    /// The report or certificate is stored, with its period or validity,
    /// and is current.
    Held {
        evidence: &'a Evidence,
        date: HeldDate,
    },
    /// The newest stored report is too old to rely on (its period ended
    /// more than `max-report-age-months` ago, no bridge letter covering
    /// today), or the certificate's date has passed: recorded, not held.
    Lapsed {
        evidence: &'a Evidence,
        date: HeldDate,
        why: String,
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

/// What `evidence` (one vendor's) holds for attestations of `kind` on
/// `today`: the current-most stored report (latest date, then newest) when
/// it is current, lapsed when it is not; else the newest claim; else none.
/// `max_age_months` is the profile's `max-report-age-months`.
pub fn holding(
    evidence: &[Evidence],
    kind: EvidenceKind,
    today: NaiveDate,
    max_age_months: u32,
) -> Holding<'_> {
    let of_kind = || evidence.iter().filter(move |e| e.kind == kind);
    let held = of_kind()
        .filter_map(|e| held_date(e).map(|date| (e, date)))
        .max_by(|(a, da), (b, db)| (da.as_str(), a.id).cmp(&(db.as_str(), b.id)));
    if let Some((evidence, date)) = held {
        let why = match &date {
            HeldDate::ValidUntil(d) => {
                (d.as_str() < today.to_string().as_str()).then(|| format!("it was valid until {d}"))
            }
            HeldDate::PeriodEnd(_) => is_stale(evidence, today, max_age_months),
        };
        return match why {
            Some(why) => Holding::Lapsed {
                evidence,
                date,
                why,
            },
            None => Holding::Held { evidence, date },
        };
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

/// A report is stale when its period ended more than `max_age_months` ago
/// (the profile's `max-report-age-months`, 12 by default) and no bridge
/// letter covers today (a report always covers a past period, so an ended
/// period alone is not out of date). Says why, or None when current.
pub fn is_stale(e: &Evidence, today: NaiveDate, max_age_months: u32) -> Option<String> {
    let date = |text: &Option<String>| NaiveDate::parse_from_str(text.as_deref()?, "%Y-%m-%d").ok();
    let end = date(&e.period_end)?;
    let cutoff = today.checked_sub_months(chrono::Months::new(max_age_months))?;
    let bridged = date(&e.bridge_letter_until).is_some_and(|until| until >= today);
    (end < cutoff && !bridged).then(|| match &e.bridge_letter_until {
        Some(until) => format!("the report period ended {end} and the bridge letter ran out on {until}"),
        None => format!("the report period ended {end}, more than {max_age_months} months ago, and no bridge letter covers today"),
    })
}

/// When a current report goes stale, for the calendar: the day after its
/// period end plus `max_age_months`, or the day after its bridge letter
/// runs out if that is later. None for a report with no period end.
pub fn stale_from(e: &Evidence, max_age_months: u32) -> Option<NaiveDate> {
    let date = |text: &Option<String>| NaiveDate::parse_from_str(text.as_deref()?, "%Y-%m-%d").ok();
    let end = date(&e.period_end)?;
    // The first day on which end < today - max_age: end + max_age + 1 day.
    let aged = end
        .checked_add_months(chrono::Months::new(max_age_months))?
        .succ_opt()?;
    let bridged = date(&e.bridge_letter_until).and_then(|d| d.succ_opt());
    Some(bridged.map_or(aged, |b| b.max(aged)))
}

/// How a holding reads in compare and the packet: "none", "claimed, report
/// not seen", "valid until D", "EXPIRED D", "period ends D", "STALE: period
/// ended D".
pub fn describe(holding: &Holding) -> String {
    match holding {
        Holding::None => "none".into(),
        Holding::Claimed { .. } => "claimed, report not seen".into(),
        Holding::Held {
            date: HeldDate::ValidUntil(d),
            ..
        } => format!("valid until {d}"),
        Holding::Held {
            date: HeldDate::PeriodEnd(d),
            ..
        } => format!("period ends {d}"),
        Holding::Lapsed {
            date: HeldDate::ValidUntil(d),
            ..
        } => format!("EXPIRED {d}"),
        Holding::Lapsed {
            date: HeldDate::PeriodEnd(d),
            ..
        } => format!("STALE: period ended {d}"),
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
        let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        assert_eq!(holding(&[], kind, today, 12), Holding::None);

        let mut quote = evidence(1, kind);
        quote.source_url = Some("https://trust.acme.example".into());
        quote.quote = Some("SOC 2 Type II".into());
        // A web quote, even one with a date, is the vendor's claim.
        quote.period_end = Some("2026-09-30".into());
        let undated = file(evidence(2, kind));
        assert!(
            matches!(holding(&[quote.clone()], kind, today, 12), Holding::Claimed { evidence } if evidence.id == 1)
        );
        assert!(
            matches!(holding(&[quote.clone(), undated.clone()], kind, today, 12), Holding::Claimed { evidence } if evidence.id == 2)
        );
        assert!(why_claimed(&quote).contains("page quote"));
        assert!(why_claimed(&undated).contains("no period end"));

        let mut report = file(evidence(3, kind));
        report.period_end = Some("2026-06-30".into());
        let mut older = file(evidence(4, kind));
        older.period_end = Some("2025-06-30".into());
        let all = [quote, undated, report, older];
        assert_eq!(
            holding(&all, kind, today, 12),
            Holding::Held {
                evidence: &all[2],
                date: HeldDate::PeriodEnd("2026-06-30".into())
            }
        );
        // Another kind's evidence holds nothing for this one.
        assert_eq!(
            holding(&all, EvidenceKind::Iso27001, today, 12),
            Holding::None
        );
    }

    #[test]
    fn a_certificate_is_held_until_its_date() {
        let mut cert = file(evidence(1, EvidenceKind::Iso27001));
        cert.valid_until = Some("2027-06-30".into());
        let day = |d: &str| NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
        let certs = std::slice::from_ref(&cert);
        assert!(matches!(
            holding(certs, EvidenceKind::Iso27001, day("2027-06-30"), 12),
            Holding::Held { date: HeldDate::ValidUntil(d), .. } if d == "2027-06-30"
        ));
        assert_eq!(date_option(EvidenceKind::Iso27001), "--valid-until");
        assert_eq!(date_option(EvidenceKind::Soc2Type2), "--period-end");
        let on = |d: &str| describe(&holding(certs, EvidenceKind::Iso27001, day(d), 12));
        assert_eq!(on("2027-06-30"), "valid until 2027-06-30");
        assert_eq!(on("2027-07-01"), "EXPIRED 2027-06-30");
    }

    #[test]
    fn a_report_is_current_for_max_report_age_months_or_its_bridge_letter() {
        let mut report = file(evidence(1, EvidenceKind::Soc2Type2));
        report.period_end = Some("2025-11-26".into());
        let day = |d: &str| NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
        let on = |all: &[Evidence], d: &str, months| {
            describe(&holding(all, EvidenceKind::Soc2Type2, day(d), months))
        };
        let all = [report.clone()];
        assert_eq!(on(&all, "2026-11-26", 12), "period ends 2025-11-26");
        assert_eq!(on(&all, "2026-11-27", 12), "STALE: period ended 2025-11-26");
        assert_eq!(on(&all, "2027-05-26", 18), "period ends 2025-11-26");
        assert_eq!(on(&all, "2027-05-27", 18), "STALE: period ended 2025-11-26");
        assert_eq!(stale_from(&report, 12), Some(day("2026-11-27")));
        // A bridge letter keeps it current through its date.
        report.bridge_letter_until = Some("2027-02-28".into());
        let bridged = [report.clone()];
        assert_eq!(on(&bridged, "2027-02-28", 12), "period ends 2025-11-26");
        assert_eq!(
            on(&bridged, "2027-03-01", 12),
            "STALE: period ended 2025-11-26"
        );
        assert_eq!(stale_from(&report, 12), Some(day("2027-03-01")));
        assert!(matches!(
            holding(&bridged, EvidenceKind::Soc2Type2, day("2027-03-01"), 12),
            Holding::Lapsed { why, .. } if why.contains("bridge letter ran out on 2027-02-28")
        ));
    }
}
