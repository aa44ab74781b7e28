//! What a contract's dates mean: the term that runs today, when it renews,
//! and the last day to give notice so that it does not.
//!
//! A tacit (automatic) renewal rolls the term forward by `renewal_months`
//! from the first term's end, term by term; notice must be given at least
//! `notice_days` before a term ends, counted in calendar days or in business
//! days (Monday to Friday; public holidays are not known to vetter and are
//! counted as business days). Months are added from the first end each time
//! (31 January + 2 months is 31 March), never month by month (which would
//! drift to the 28th after February).

use crate::cli::ContractAddArgs;
use crate::error::{Error, Result};
use crate::validate;
use chrono::{Datelike, Months, NaiveDate, Weekday};
use serde::Serialize;

/// A contract's terms, as recorded (`vetter contract add`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contract {
    pub id: i64,
    /// The vendor's slug (not recorded in the row; for output).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub vendor: String,
    pub start: String,
    /// The last day of the first term.
    pub end: String,
    pub auto_renew: bool,
    /// Each renewal's length in months (a tacit renewal only).
    pub renewal_months: Option<u32>,
    /// Notice needed before a term ends to stop it renewing (or to end it).
    pub notice_days: Option<u32>,
    /// `notice_days` counts business days (Monday to Friday).
    pub notice_business_days: bool,
    /// Whether we may end it early without cause: None when not recorded.
    pub termination_for_convenience: Option<bool>,
    pub reference: Option<String>,
    pub section: Option<String>,
    pub quote: Option<String>,
    pub evidence: Option<i64>,
    pub created_at: String,
    pub created_by: String,
    /// Set by `vetter contract end`.
    pub ended: Option<Ended>,
}

/// A contract ended: on which day, why, and who recorded it when.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ended {
    pub on: String,
    pub reason: String,
    pub at: String,
    pub by: String,
}

/// Where a contract stands on a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Standing {
    /// The last day of the term that runs on that day (the first term's end
    /// when the contract does not renew, even once it has passed).
    pub term_end: NaiveDate,
    /// The last day to give notice against `term_end` renewing (or, for a
    /// contract that does not renew, against it ending); None without a
    /// notice period.
    pub notice_by: Option<NaiveDate>,
    /// The notice day for `term_end` has passed while the term runs: the
    /// next renewal is locked in.
    pub locked_in: bool,
    /// The next notice deadline that can still be met: this term's, or,
    /// once it has passed, the next term's.
    pub next_notice_by: Option<NaiveDate>,
    /// The term that deadline is against.
    pub next_term_end: NaiveDate,
    /// The contract no longer runs: ended with `contract end`, or past the
    /// end of a term that does not renew.
    pub over: bool,
}

/// A date, for arithmetic on stored YYYY-MM-DD text.
pub fn date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

/// The last day of a term of `months` months that starts on `start`.
pub fn term_end(start: NaiveDate, months: u32) -> Option<NaiveDate> {
    start.checked_add_months(Months::new(months))?.pred_opt()
}

/// The end of the `k`-th term: the first term's end plus `k` renewals,
/// counted from the first end (no drift across short months). When the
/// first term ends on a month's last day, so does every renewal.
pub fn nth_term_end(first_end: NaiveDate, renewal_months: u32, k: u32) -> Option<NaiveDate> {
    let months = renewal_months.checked_mul(k)?;
    let end = first_end.checked_add_months(Months::new(months))?;
    if is_month_end(first_end) {
        month_end(end)
    } else {
        Some(end)
    }
}

fn is_month_end(d: NaiveDate) -> bool {
    d.succ_opt().is_some_and(|next| next.month() != d.month())
}

fn month_end(d: NaiveDate) -> Option<NaiveDate> {
    let first_next = if d.month() == 12 {
        NaiveDate::from_ymd_opt(d.year() + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(d.year(), d.month() + 1, 1)?
    };
    first_next.pred_opt()
}

fn is_business_day(d: NaiveDate) -> bool {
    !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The last day notice can be given for a term ending on `term_end`: `days`
/// calendar days before it, or the `days`-th business day before it
/// (counting back from the day before the term ends, skipping Saturdays
/// and Sundays).
pub fn notice_deadline(term_end: NaiveDate, days: u32, business: bool) -> Option<NaiveDate> {
    if !business {
        return term_end.checked_sub_days(chrono::Days::new(u64::from(days)));
    }
    let mut d = term_end;
    let mut counted = 0;
    while counted < days {
        d = d.pred_opt()?;
        if is_business_day(d) {
            counted += 1;
        }
    }
    // With no days of notice, the term's last day itself.
    Some(d)
}

/// A contract with where it stands on a day, as list, show, --json and the
/// packet give it.
#[derive(Debug, Serialize)]
pub struct Shown {
    #[serde(flatten)]
    pub contract: Contract,
    /// None when its dates cannot be read (never for one vetter recorded).
    pub today: Option<Standing>,
    /// Its terms as a reader says them.
    pub in_words: String,
    /// Where it stands, as a reader says it: "notice by D (...), or it
    /// renews", "the renewal on D is locked in ...", "ended on D".
    pub standing_in_words: Option<String>,
}

impl Shown {
    pub fn of(contract: Contract, today: NaiveDate) -> Shown {
        let standing = contract.standing(today);
        Shown {
            standing_in_words: standing.as_ref().map(|s| deadline_in_words(&contract, s)),
            today: standing,
            in_words: contract.terms_in_words(),
            contract,
        }
    }
}

/// "notice by 2026-10-02 (90 days before the term ends on 2026-12-31)", or
/// that the renewal is locked in.
pub fn deadline_in_words(c: &Contract, s: &Standing) -> String {
    if s.over {
        return match &c.ended {
            Some(e) => format!("ended on {} ({})", e.on, e.reason),
            None => format!("ended on {}", s.term_end),
        };
    }
    let Some(days) = c.notice_days else {
        return format!(
            "the term ends on {}{}; no notice period recorded",
            s.term_end,
            if c.auto_renew { " and renews" } else { "" }
        );
    };
    let unit = if c.notice_business_days {
        "business days"
    } else {
        "days"
    };
    let next = s
        .next_notice_by
        .map(|d| {
            format!(
                "notice by {d} ({days} {unit} before the term ends on {})",
                s.next_term_end
            )
        })
        .unwrap_or_default();
    if s.locked_in {
        format!(
            "the renewal on {} is locked in (notice was due by {}); next {next}",
            s.term_end,
            s.notice_by.map(|d| d.to_string()).unwrap_or_default()
        )
    } else if c.auto_renew {
        format!("{next}, or it renews")
    } else {
        next
    }
}

/// The longest term or renewal vetter takes, in months (100 years).
const MAX_MONTHS: u32 = 1200;
/// The longest notice period vetter takes, in days (10 years).
const MAX_NOTICE_DAYS: u32 = 3650;

fn months(flag: &str, value: u32) -> Result<u32> {
    if value == 0 || value > MAX_MONTHS {
        return Err(Error::user(format!(
            "{flag} {value} is not between 1 and {MAX_MONTHS} months"
        ))
        .with_hint(format!("give the length in months, e.g. {flag} 12")));
    }
    Ok(value)
}

/// A contract from `vetter contract add`'s arguments, checked: dates, the
/// first term's end (from --end or --term-months), the renewal and notice.
/// Whether its evidence is the vendor's is the caller's to check.
pub fn new_contract(args: &ContractAddArgs, at: &str, by: &str) -> Result<Contract> {
    let start = validate::date("--start", &args.start)?;
    let end = match (&args.end, args.term_months) {
        (Some(end), None) => {
            let end = validate::date("--end", end)?;
            if end < start {
                return Err(
                    Error::user(format!("--end {end} is before --start {start}"))
                        .with_hint("--end is the last day of the first term"),
                );
            }
            end
        }
        (None, Some(m)) => crate::domain::contract::term_end(start, months("--term-months", m)?)
            .ok_or_else(|| {
                Error::user(format!(
                    "--term-months {m} from {start} is past the last date vetter can count"
                ))
            })?,
        // clap requires exactly one of them.
        _ => unreachable!("clap requires --end or --term-months"),
    };
    let renewal_months = match (args.auto_renew, args.renewal_months) {
        (true, m) => Some(months("--renewal-months", m.unwrap_or(12))?),
        (false, Some(_)) => {
            return Err(Error::user("--renewal-months needs --auto-renew")
                .with_hint("a contract that does not renew tacitly has no renewal term; add --auto-renew if it does"))
        }
        (false, None) => None,
    };
    if let Some(days) = args.notice_days.filter(|d| *d > MAX_NOTICE_DAYS) {
        return Err(Error::user(format!(
            "--notice-days {days} is over {MAX_NOTICE_DAYS} days"
        ))
        .with_hint("give the notice period in days, e.g. --notice-days 90"));
    }
    if args.notice_business_days && args.notice_days.is_none() {
        return Err(Error::user("--notice-business-days needs --notice-days")
            .with_hint("e.g. --notice-days 30 --notice-business-days"));
    }
    let termination_for_convenience = match args.termination_for_convenience.as_deref() {
        None => None,
        Some("yes") => Some(true),
        Some("no") => Some(false),
        Some(other) => unreachable!("clap allows yes or no, not {other}"),
    };
    let contract = Contract {
        id: 0,
        vendor: String::new(),
        start: start.to_string(),
        end: end.to_string(),
        auto_renew: args.auto_renew,
        renewal_months,
        notice_days: args.notice_days,
        notice_business_days: args.notice_business_days,
        termination_for_convenience,
        reference: validate::text("--reference", args.reference.as_deref())?,
        section: validate::text("--section", args.section.as_deref())?,
        quote: validate::text("--quote", args.quote.as_deref())?,
        evidence: args.evidence,
        created_at: at.to_string(),
        created_by: by.to_string(),
        ended: None,
    };
    Ok(contract)
}

/// The most terms vetter rolls forward looking for today's (a 1-month
/// renewal for 100 years).
const MAX_TERMS: u32 = 1200;

impl Contract {
    /// Where the contract stands on `today`; None when its dates do not
    /// parse (they are validated when recorded).
    pub fn standing(&self, today: NaiveDate) -> Option<Standing> {
        let first_end = date(&self.end)?;
        let notice = |term: NaiveDate| {
            self.notice_days
                .and_then(|days| notice_deadline(term, days, self.notice_business_days))
        };
        let ended = self
            .ended
            .as_ref()
            .and_then(|e| date(&e.on))
            .is_some_and(|on| on <= today);
        let renewal = self.renewal_months.unwrap_or(12).max(1);
        if !self.auto_renew {
            let notice_by = notice(first_end);
            return Some(Standing {
                term_end: first_end,
                notice_by,
                locked_in: false,
                next_notice_by: notice_by.filter(|d| *d >= today),
                next_term_end: first_end,
                over: ended || first_end < today,
            });
        }
        // The term that runs today: the first whose end is today or later.
        let mut k = 0;
        let mut term = first_end;
        while term < today && k < MAX_TERMS {
            k += 1;
            term = nth_term_end(first_end, renewal, k)?;
        }
        let notice_by = notice(term);
        let locked_in = notice_by.is_some_and(|d| d < today);
        // The first term whose notice day is still ahead (with a notice
        // period longer than a renewal, several terms may be locked in).
        let (mut j, mut next_term_end) = (k, term);
        while notice(next_term_end).is_some_and(|d| d < today) && j < k + MAX_TERMS {
            j += 1;
            next_term_end = nth_term_end(first_end, renewal, j)?;
        }
        let next_notice_by = notice(next_term_end);
        Some(Standing {
            term_end: term,
            notice_by,
            locked_in,
            next_notice_by,
            next_term_end,
            over: ended,
        })
    }

    /// "12-month renewals, 90 days' notice" as a reader says it.
    pub fn terms_in_words(&self) -> String {
        let mut parts = vec![format!("{} to {}", self.start, self.end)];
        if self.auto_renew {
            parts.push(format!(
                "renews tacitly for {} months at a time",
                self.renewal_months.unwrap_or(12)
            ));
        } else {
            parts.push("does not renew by itself".into());
        }
        if let Some(days) = self.notice_days {
            parts.push(format!(
                "{days} {}days' notice",
                if self.notice_business_days {
                    "business "
                } else {
                    ""
                }
            ));
        }
        parts.push(
            match self.termination_for_convenience {
                Some(true) => "termination for convenience",
                Some(false) => "no termination for convenience",
                None => "termination for convenience not recorded",
            }
            .into(),
        );
        parts.join("; ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        date(s).unwrap()
    }

    fn contract(end: &str, auto: bool, months: u32, notice: u32, business: bool) -> Contract {
        Contract {
            id: 1,
            vendor: String::new(),
            start: "2025-01-01".into(),
            end: end.into(),
            auto_renew: auto,
            renewal_months: Some(months),
            notice_days: Some(notice),
            notice_business_days: business,
            termination_for_convenience: None,
            reference: None,
            section: None,
            quote: None,
            evidence: None,
            created_at: String::new(),
            created_by: String::new(),
            ended: None,
        }
    }

    #[test]
    fn a_tacit_renewal_rolls_term_by_term_and_locks_in_after_its_notice_day() {
        let c = contract("2026-12-31", true, 12, 90, false);
        let s = c.standing(d("2026-09-01")).unwrap();
        assert_eq!(s.term_end, d("2026-12-31"));
        assert_eq!(s.notice_by, Some(d("2026-10-02")));
        assert!(!s.locked_in);
        assert_eq!(s.next_notice_by, Some(d("2026-10-02")));
        // The day after the notice day: the renewal is locked in, and the
        // next deadline is a year on.
        let s = c.standing(d("2026-10-03")).unwrap();
        assert!(s.locked_in);
        assert_eq!(s.next_term_end, d("2027-12-31"));
        assert_eq!(s.next_notice_by, Some(d("2027-10-02")));
        // Two terms later.
        let s = c.standing(d("2028-06-30")).unwrap();
        assert_eq!(s.term_end, d("2028-12-31"));
        assert_eq!(s.notice_by, Some(d("2028-10-02")));
    }

    #[test]
    fn month_ends_and_29_february() {
        // A term ending on 31 January renews to the end of each month: no
        // drift to the 28th.
        assert_eq!(nth_term_end(d("2027-01-31"), 1, 1), Some(d("2027-02-28")));
        assert_eq!(nth_term_end(d("2027-01-31"), 1, 2), Some(d("2027-03-31")));
        assert_eq!(nth_term_end(d("2028-01-31"), 1, 1), Some(d("2028-02-29")));
        // 29 February renews yearly to the last day of February.
        assert_eq!(nth_term_end(d("2028-02-29"), 12, 1), Some(d("2029-02-28")));
        assert_eq!(nth_term_end(d("2028-02-29"), 12, 4), Some(d("2032-02-29")));
        // A 12-month term from 1 March 2027 ends on 29 February 2028.
        assert_eq!(term_end(d("2027-03-01"), 12), Some(d("2028-02-29")));
        // A mid-month end stays mid-month.
        assert_eq!(nth_term_end(d("2027-01-15"), 1, 1), Some(d("2027-02-15")));
    }

    #[test]
    fn business_days_skip_weekends() {
        // The term ends on Monday 2027-03-01: 1 business day's notice is
        // Friday 26 February; 5 business days is Monday 22 February.
        assert_eq!(
            notice_deadline(d("2027-03-01"), 1, true),
            Some(d("2027-02-26"))
        );
        assert_eq!(
            notice_deadline(d("2027-03-01"), 5, true),
            Some(d("2027-02-22"))
        );
        assert_eq!(
            notice_deadline(d("2027-03-01"), 5, false),
            Some(d("2027-02-24"))
        );
        assert_eq!(
            notice_deadline(d("2027-03-01"), 0, true),
            Some(d("2027-03-01"))
        );
    }

    #[test]
    fn a_contract_that_does_not_renew_is_over_after_its_end() {
        let c = contract("2026-12-31", false, 12, 30, false);
        let s = c.standing(d("2026-11-01")).unwrap();
        assert_eq!(s.next_notice_by, Some(d("2026-12-01")));
        assert!(!s.over && !s.locked_in);
        let s = c.standing(d("2027-01-01")).unwrap();
        assert!(s.over);
        assert_eq!(s.next_notice_by, None);
    }

    /// The plain reference: walk back day by day, counting the days that
    /// count, from the day before the term ends.
    fn reference_deadline(term_end: NaiveDate, days: u32, business: bool) -> NaiveDate {
        let mut d = term_end;
        let mut left = days;
        while left > 0 {
            d = d.pred_opt().unwrap();
            if !business || !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
                left -= 1;
            }
        }
        d
    }

    /// The plain reference of a term end: add the months to the year and
    /// month by hand, and clamp to the month's length (or take its last
    /// day when the first end was a month's last day).
    fn reference_term_end(first: NaiveDate, months: u32, k: u32) -> NaiveDate {
        let total = first.month0() + months * k;
        let (year, month) = (first.year() + (total / 12) as i32, total % 12 + 1);
        let days_in = |y: i32, m: u32| {
            let next = if m == 12 {
                NaiveDate::from_ymd_opt(y + 1, 1, 1)
            } else {
                NaiveDate::from_ymd_opt(y, m + 1, 1)
            };
            next.unwrap().pred_opt().unwrap().day()
        };
        let last_of_first = first.day() == days_in(first.year(), first.month());
        let day = if last_of_first {
            days_in(year, month)
        } else {
            first.day().min(days_in(year, month))
        };
        NaiveDate::from_ymd_opt(year, month, day).unwrap()
    }

    fn any_date() -> impl Strategy<Value = NaiveDate> {
        // 2020-2040, with every month end and both kinds of February.
        (0i64..7670).prop_map(|n| d("2020-01-01") + chrono::Duration::days(n))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn notice_deadlines_match_the_plain_reference(
            end in any_date(), days in 0u32..400, business in any::<bool>()
        ) {
            prop_assert_eq!(
                notice_deadline(end, days, business),
                Some(reference_deadline(end, days, business))
            );
        }

        #[test]
        fn term_ends_match_the_plain_reference(
            first in any_date(), months in 1u32..37, k in 0u32..30
        ) {
            prop_assert_eq!(
                nth_term_end(first, months, k),
                Some(reference_term_end(first, months, k))
            );
        }

        /// Today always falls in the term `standing` names, a notice day
        /// that can still be met is today or later, and a locked-in renewal
        /// is one whose notice day has passed.
        #[test]
        fn standing_is_consistent(
            end in any_date(), today in any_date(), months in 1u32..25,
            notice in 0u32..200, business in any::<bool>()
        ) {
            let c = contract(&end.to_string(), true, months, notice, business);
            let s = c.standing(today).unwrap();
            prop_assert!(s.term_end >= today);
            if s.term_end != end {
                // The term before it had ended.
                let k = (1..1200).find(|k| nth_term_end(end, months, *k) == Some(s.term_end)).unwrap();
                prop_assert!(nth_term_end(end, months, k - 1).unwrap() < today);
            }
            let next = s.next_notice_by.unwrap();
            prop_assert!(next >= today);
            prop_assert!(s.next_term_end >= s.term_end);
            prop_assert_eq!(s.locked_in, s.notice_by.unwrap() < today);
        }
    }
}
