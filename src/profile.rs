//! Our obligations profile: the regimes that bind us and the thresholds the
//! red-flag rules hold vendor terms against. Only values set away from their
//! defaults are stored.

use crate::error::{did_you_mean, Error, Result};
use crate::model::{AiPolicy, Attestation, LiabilityPolicy, Regime};
use serde::Serialize;

/// (key, default, meaning), in the order `profile show` prints them.
pub const KEYS: &[(&str, &str, &str)] = &[
    (
        "regimes",
        "",
        "regimes that bind us: gdpr, uk-gdpr, hipaa, ccpa, hds, ... (comma list)",
    ),
    (
        "regions",
        "",
        "regions our data must stay in, e.g. EU (comma list; empty = none required)",
    ),
    (
        "max-breach-hours",
        "72",
        "longest acceptable breach-notification deadline, in hours",
    ),
    (
        "min-subprocessor-notice-days",
        "30",
        "shortest acceptable notice of a new subprocessor, in days",
    ),
    (
        "min-objection-days",
        "14",
        "shortest acceptable window to object to a new subprocessor, in days",
    ),
    (
        "max-deletion-days",
        "30",
        "longest acceptable time to delete our data after termination, in days",
    ),
    (
        "max-backup-days",
        "90",
        "longest acceptable time until backups holding our data are gone, in days",
    ),
    (
        "required-attestations",
        "",
        "attestations we require: soc2-type2, iso27001, iso27701, hds, ... (comma list)",
    ),
    (
        "ai-training",
        "forbid",
        "AI training on our data: forbid, or opt-in (allowed only if we opt in)",
    ),
    (
        "liability",
        "any",
        "data-protection liability: separate-cap (must sit outside the general cap) or any",
    ),
    (
        "min-cap-months",
        "0",
        "smallest acceptable data-protection liability cap, in months of fees (0 = no minimum)",
    ),
    (
        "review-months-critical",
        "6",
        "months from a decision until a critical-tier vendor is reviewed again",
    ),
    (
        "review-months-high",
        "12",
        "months from a decision until a high-tier vendor is reviewed again",
    ),
    (
        "review-months-medium",
        "24",
        "months until a medium-tier vendor (or one with no tier) is reviewed again",
    ),
    (
        "review-months-low",
        "36",
        "months from a decision until a low-tier vendor is reviewed again",
    ),
    (
        "max-report-age-months",
        "12",
        "oldest acceptable end of an attestation report's period (SOC 2, ...), in months, unless a bridge letter covers today",
    ),
    (
        "notice-warning-days",
        "30",
        "days before a contract's last day to give notice when its tacit renewal is flagged",
    ),
    (
        "termination-for-convenience",
        "require",
        "contracts we may end without cause: require (flag one that says no) or any",
    ),
];

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Profile {
    pub regimes: Vec<Regime>,
    pub regions: Vec<String>,
    pub max_breach_hours: u32,
    pub min_subprocessor_notice_days: u32,
    pub min_objection_days: u32,
    pub max_deletion_days: u32,
    pub max_backup_days: u32,
    pub required_attestations: Vec<Attestation>,
    pub ai_training: AiPolicy,
    pub liability: LiabilityPolicy,
    /// The smallest data-protection liability cap we accept, in months of
    /// fees; 0 sets no minimum.
    pub min_cap_months: u32,
    /// Months until the next review, by vendor tier.
    pub review_months_critical: u32,
    pub review_months_high: u32,
    pub review_months_medium: u32,
    pub review_months_low: u32,
    /// A report whose period ended longer ago than this is stale.
    pub max_report_age_months: u32,
    /// How far ahead a contract's notice day is flagged.
    pub notice_warning_days: u32,
    /// Whether a contract with no termination for convenience is flagged.
    pub require_termination_for_convenience: bool,
}

impl Default for Profile {
    fn default() -> Self {
        let mut profile = Profile {
            regimes: Vec::new(),
            regions: Vec::new(),
            max_breach_hours: 0,
            min_subprocessor_notice_days: 0,
            min_objection_days: 0,
            max_deletion_days: 0,
            max_backup_days: 0,
            required_attestations: Vec::new(),
            ai_training: AiPolicy::Forbid,
            liability: LiabilityPolicy::Any,
            min_cap_months: 0,
            review_months_critical: 0,
            review_months_high: 0,
            review_months_medium: 0,
            review_months_low: 0,
            max_report_age_months: 0,
            notice_warning_days: 0,
            require_termination_for_convenience: false,
        };
        for (key, default, _) in KEYS {
            profile
                .set(key, default)
                .expect("built-in defaults are valid");
        }
        profile
    }
}

fn list<T: std::str::FromStr<Err = Error> + Ord>(value: &str) -> Result<Vec<T>> {
    let mut out = Vec::new();
    for part in value.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        out.push(part.parse::<T>()?);
    }
    out.sort();
    out.dedup();
    Ok(out)
}

fn number(key: &str, value: &str, max: u32) -> Result<u32> {
    value
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|n| *n <= max)
        .ok_or_else(|| {
            Error::user(format!("invalid {key} '{value}'"))
                .with_hint(format!("{key} is a whole number from 0 to {max}"))
        })
}

/// A reassessment interval: 1 to 120 months.
fn months(key: &str, value: &str) -> Result<u32> {
    let months = value
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|n| (1..=120).contains(n));
    months.ok_or_else(|| {
        Error::user(format!("invalid {key} '{value}'"))
            .with_hint(format!("{key} is a whole number of months from 1 to 120"))
    })
}

/// A region code such as EU, US or UK: 2-16 letters, digits or hyphens, kept uppercase.
pub fn region(value: &str) -> Result<String> {
    let code = value.trim().to_uppercase();
    let ok = (2..=16).contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-');
    if ok {
        Ok(code)
    } else {
        Err(Error::user(format!("invalid region '{value}'")).with_hint(
            "a region is a code of 2-16 letters, digits or hyphens, e.g. EU, US, UK, CH",
        ))
    }
}

pub fn regions(value: &str) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for part in value.split(',').filter(|p| !p.trim().is_empty()) {
        out.push(region(part)?);
    }
    out.sort();
    out.dedup();
    Ok(out)
}

fn join<T: std::fmt::Display>(values: &[T]) -> String {
    values
        .iter()
        .map(|v| v.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

impl Profile {
    /// Sets one key from its text form, checking the value.
    pub fn set(&mut self, key: &str, value: &str) -> Result<()> {
        match key {
            "regimes" => self.regimes = list(value)?,
            "regions" => self.regions = regions(value)?,
            "max-breach-hours" => self.max_breach_hours = number(key, value, 8760)?,
            "min-subprocessor-notice-days" => {
                self.min_subprocessor_notice_days = number(key, value, 3650)?
            }
            "min-objection-days" => self.min_objection_days = number(key, value, 3650)?,
            "max-deletion-days" => self.max_deletion_days = number(key, value, 3650)?,
            "max-backup-days" => self.max_backup_days = number(key, value, 3650)?,
            "required-attestations" => self.required_attestations = list(value)?,
            "ai-training" => self.ai_training = value.trim().parse()?,
            "liability" => self.liability = value.trim().parse()?,
            "min-cap-months" => {
                self.min_cap_months = number(key, value, crate::clause::MAX_CAP_MONTHS as u32)?
            }
            "review-months-critical" => self.review_months_critical = months(key, value)?,
            "review-months-high" => self.review_months_high = months(key, value)?,
            "review-months-medium" => self.review_months_medium = months(key, value)?,
            "review-months-low" => self.review_months_low = months(key, value)?,
            "max-report-age-months" => self.max_report_age_months = months(key, value)?,
            "notice-warning-days" => self.notice_warning_days = number(key, value, 3650)?,
            "termination-for-convenience" => {
                self.require_termination_for_convenience = match value.trim() {
                    "require" => true,
                    "any" => false,
                    other => {
                        return Err(Error::user(format!(
                            "invalid termination-for-convenience '{other}'"
                        ))
                        .with_hint("termination-for-convenience is require or any"))
                    }
                }
            }
            _ => {
                let keys: Vec<&str> = KEYS.iter().map(|(k, _, _)| *k).collect();
                let err = Error::user(format!("unknown profile key '{key}'"));
                return Err(match did_you_mean(key, keys.iter().copied()) {
                    Some(guess) => {
                        err.with_hint(format!("did you mean '{guess}'? Keys: {}", keys.join(", ")))
                    }
                    None => err.with_hint(format!("keys: {}", keys.join(", "))),
                });
            }
        }
        Ok(())
    }

    /// The canonical text form of one key's value (as stored).
    pub fn get(&self, key: &str) -> String {
        match key {
            "regimes" => join(&self.regimes),
            "regions" => self.regions.join(","),
            "max-breach-hours" => self.max_breach_hours.to_string(),
            "min-subprocessor-notice-days" => self.min_subprocessor_notice_days.to_string(),
            "min-objection-days" => self.min_objection_days.to_string(),
            "max-deletion-days" => self.max_deletion_days.to_string(),
            "max-backup-days" => self.max_backup_days.to_string(),
            "required-attestations" => join(&self.required_attestations),
            "ai-training" => self.ai_training.to_string(),
            "liability" => self.liability.to_string(),
            "min-cap-months" => self.min_cap_months.to_string(),
            "review-months-critical" => self.review_months_critical.to_string(),
            "review-months-high" => self.review_months_high.to_string(),
            "review-months-medium" => self.review_months_medium.to_string(),
            "review-months-low" => self.review_months_low.to_string(),
            "max-report-age-months" => self.max_report_age_months.to_string(),
            "notice-warning-days" => self.notice_warning_days.to_string(),
            "termination-for-convenience" => if self.require_termination_for_convenience {
                "require"
            } else {
                "any"
            }
            .to_string(),
            _ => String::new(),
        }
    }

    /// The profile from the stored (key, value) pairs over the defaults.
    pub fn from_stored(pairs: &[(String, String)]) -> Result<Profile> {
        let mut profile = Profile::default();
        for (key, value) in pairs {
            profile.set(key, value).map_err(|e| {
                Error::internal(format!(
                    "stored profile value {key}={value} is invalid: {e}"
                ))
            })?;
        }
        Ok(profile)
    }

    pub fn has(&self, regime: Regime) -> bool {
        self.regimes.contains(&regime)
    }

    /// GDPR in any of its forms (EU or UK).
    pub fn gdpr(&self) -> bool {
        self.has(Regime::Gdpr) || self.has(Regime::UkGdpr)
    }
}

/// Our profile as stored (defaults for keys never set).
pub fn load(store: &crate::store::Store) -> crate::error::Result<Profile> {
    Profile::from_stored(&crate::store::profile::pairs(store.conn())?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_match_the_documented_keys() {
        let p = Profile::default();
        for (key, default, _) in KEYS {
            assert_eq!(p.get(key), *default, "{key}");
        }
        assert_eq!(p.max_breach_hours, 72);
    }

    #[test]
    fn values_are_checked_and_canonical() {
        let mut p = Profile::default();
        p.set("regimes", "hipaa, gdpr,gdpr").unwrap();
        assert_eq!(p.get("regimes"), "gdpr,hipaa");
        p.set("regions", "eu, us").unwrap();
        assert_eq!(p.get("regions"), "EU,US");
        assert!(p.set("max-breach-hours", "-1").is_err());
        assert!(p.set("max-breach-hours", "100000").is_err());
        assert!(p.set("regimes", "gdpr,sox-404").is_err());
        assert!(p
            .set("max-breach-hour", "1")
            .unwrap_err()
            .hint
            .unwrap()
            .contains("max-breach-hours"));
    }
}
