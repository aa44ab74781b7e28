//! The score of a review, computed so that a reviewer can redo it by hand:
//! every weight and threshold is a constant here, every item's contribution
//! is in the breakdown, and the rating names the figures and flags that set
//! it. docs/scoring.md explains the formula with a worked example (a test
//! runs that example).

use crate::model::{FlagSeverity, Severity, Status};
use crate::rules::Flag;
use serde::Serialize;

/// Which formula produced a score; raised whenever a weight, a value or a
/// threshold below changes, and recorded in the packet.
pub const FORMULA_VERSION: &str = "score-1";

/// What an item's newest status is worth. `None`: the item is left out of
/// both sums (n/a). Silence is not assurance: unknown and no result earn 0.
pub fn status_value(status: Option<Status>) -> Option<f64> {
    match status {
        Some(Status::Met) => Some(1.0),
        Some(Status::Partial) => Some(0.5),
        Some(Status::NotMet) | Some(Status::Unknown) | None => Some(0.0),
        Some(Status::NotApplicable) => None,
    }
}

/// How much an item counts, by its checklist severity.
pub fn severity_weight(severity: Severity) -> u32 {
    match severity {
        Severity::Critical => 4,
        Severity::High => 3,
        Severity::Medium => 2,
        Severity::Low => 1,
    }
}

/// Compliance at or above this, with no open high flag: low risk.
pub const LOW_RISK_MIN_COMPLIANCE: f64 = 0.80;
/// Compliance below this: high risk.
pub const HIGH_RISK_BELOW_COMPLIANCE: f64 = 0.50;
/// This many unwaived high flags or more: high risk.
pub const HIGH_RISK_MIN_HIGH_FLAGS: usize = 3;

/// How a review came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rating {
    /// An unwaived critical red flag is open.
    Blocker,
    HighRisk,
    MediumRisk,
    LowRisk,
    /// Nothing scorable yet and no critical flag.
    Unrated,
}

impl Rating {
    pub fn as_str(self) -> &'static str {
        match self {
            Rating::Blocker => "blocker",
            Rating::HighRisk => "high-risk",
            Rating::MediumRisk => "medium-risk",
            Rating::LowRisk => "low-risk",
            Rating::Unrated => "unrated",
        }
    }
}

impl std::fmt::Display for Rating {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One item's part in the score.
#[derive(Debug, Clone, Serialize)]
pub struct ItemScore {
    pub id: String,
    pub severity: Severity,
    /// The newest finding's status, or "no-result".
    pub status: String,
    pub weight: u32,
    /// What the status is worth (null: n/a, left out of both sums).
    pub value: Option<f64>,
    /// weight x value.
    pub earned: f64,
}

/// A review's score with everything it was computed from.
#[derive(Debug, Clone, Serialize)]
pub struct Score {
    pub formula_version: &'static str,
    /// Items with a result (met, partial, not-met, n/a) / items in the review.
    pub coverage: Option<f64>,
    pub items_with_result: usize,
    pub items: usize,
    /// Sum of weight x value over the items that are not n/a.
    pub earned: f64,
    /// Sum of the weights of the items that are not n/a.
    pub possible: f64,
    /// earned / possible; null when nothing is scorable.
    pub compliance: Option<f64>,
    pub rating: Rating,
    /// Why the rating is what it is, naming the figures and flags.
    pub rating_reasons: Vec<String>,
    /// Unwaived critical and high flags (rule ids) the rating looked at.
    pub open_critical_flags: Vec<String>,
    pub open_high_flags: Vec<String>,
    pub breakdown: Vec<ItemScore>,
}

/// Scores a review from its items (id, severity, status label: "met", ...,
/// "no-result", or "to-reconfirm", which earns nothing until re-confirmed)
/// and the vendor's red flags.
pub fn score<'a>(
    items: impl IntoIterator<Item = (&'a str, Severity, &'a str)>,
    flags: &[Flag],
) -> Score {
    let mut breakdown = Vec::new();
    let (mut earned, mut possible) = (0.0, 0.0);
    let mut counts = super::Counts::default();
    for (id, severity, label) in items {
        let status: Option<Status> = label.parse().ok();
        let weight = severity_weight(severity);
        let value = status_value(status);
        counts.add_label(label);
        let item_earned = value.map_or(0.0, |v| f64::from(weight) * v);
        if value.is_some() {
            earned += item_earned;
            possible += f64::from(weight);
        }
        breakdown.push(ItemScore {
            id: id.to_string(),
            severity,
            status: label.to_string(),
            weight,
            value,
            earned: item_earned,
        });
    }
    let compliance = (possible > 0.0).then(|| earned / possible);
    // The rating counts rules, not flags: one rule raised by three clauses
    // (the DPA, the MSA, an addendum) is one problem. The reason says how
    // many flags each rule has.
    let open = |severity: FlagSeverity| -> (Vec<String>, Vec<String>) {
        let mut rules: Vec<String> = flags
            .iter()
            .filter(|f| !f.waived && f.severity == severity)
            .map(|f| f.rule.to_string())
            .collect();
        let raised = rules.clone();
        rules.sort();
        rules.dedup();
        let labels = rules
            .iter()
            .map(|rule| match raised.iter().filter(|r| *r == rule).count() {
                1 => rule.clone(),
                n => format!("{rule} ({n} flags)"),
            })
            .collect();
        (rules, labels)
    };
    let ((critical, critical_labels), (high, high_labels)) =
        (open(FlagSeverity::Critical), open(FlagSeverity::High));
    let (rating, rating_reasons) = rate(compliance, &critical_labels, &high_labels);
    let coverage = counts.coverage();
    Score {
        formula_version: FORMULA_VERSION,
        coverage: coverage.share(),
        items_with_result: coverage.covered,
        items: coverage.items,
        earned,
        possible,
        compliance,
        rating,
        rating_reasons,
        open_critical_flags: critical,
        open_high_flags: high,
        breakdown,
    }
}

/// The rating and the reasons for it, most serious first.
fn rate(compliance: Option<f64>, critical: &[String], high: &[String]) -> (Rating, Vec<String>) {
    if !critical.is_empty() {
        return (
            Rating::Blocker,
            vec![format!(
                "{} rule{} with an unwaived critical red flag: {}",
                critical.len(),
                plural(critical.len()),
                critical.join(", ")
            )],
        );
    }
    let Some(c) = compliance else {
        return (
            Rating::Unrated,
            vec!["nothing scorable yet: every item is n/a or the review has no items".into()],
        );
    };
    let pct = percent(c);
    let highs = || {
        format!(
            "{} rule{} with an unwaived high red flag: {}",
            high.len(),
            plural(high.len()),
            high.join(", ")
        )
    };
    // "79.95% is below 80.0%", never "80.0% is below 80.0%".
    let below = |threshold: f64| {
        let (shown, limit) = percent_apart(c, threshold);
        format!("compliance {shown} is below {limit}")
    };
    let mut reasons = Vec::new();
    let rating = if c < HIGH_RISK_BELOW_COMPLIANCE || high.len() >= HIGH_RISK_MIN_HIGH_FLAGS {
        if c < HIGH_RISK_BELOW_COMPLIANCE {
            reasons.push(below(HIGH_RISK_BELOW_COMPLIANCE));
        }
        if high.len() >= HIGH_RISK_MIN_HIGH_FLAGS {
            reasons.push(format!("{} (at least {HIGH_RISK_MIN_HIGH_FLAGS})", highs()));
        }
        Rating::HighRisk
    } else if c < LOW_RISK_MIN_COMPLIANCE || !high.is_empty() {
        if c < LOW_RISK_MIN_COMPLIANCE {
            reasons.push(below(LOW_RISK_MIN_COMPLIANCE));
        }
        if !high.is_empty() {
            reasons.push(highs());
        }
        Rating::MediumRisk
    } else {
        reasons.push(format!(
            "compliance {pct} is at least {} and no high or critical red flag is open",
            percent(LOW_RISK_MIN_COMPLIANCE)
        ));
        Rating::LowRisk
    };
    (rating, reasons)
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// A share as a percentage with one decimal, e.g. "39.3%": `as_shown`'s
/// figure, so what is printed and what compare ranks on are one rounding
/// (half away from zero: 1/16 is 6.3%, never 6.2% in one place and 6.3% in
/// another).
pub fn percent(share: f64) -> String {
    format!("{:.1}%", as_shown(share) * 100.0)
}

/// The share as `percent` shows it (0.7995 -> 0.8): what compare ranks on,
/// so two figures that read the same are a tie.
pub fn as_shown(share: f64) -> f64 {
    (share * 1000.0).round() / 1000.0
}

/// `share` and `threshold` as percentages with as many decimals (one to
/// four) as it takes for them to read differently: 0.7995 and 0.8 give
/// "79.95%" and "80.00%".
fn percent_apart(share: f64, threshold: f64) -> (String, String) {
    let mut digits = 1;
    loop {
        let (a, b) = (
            format!("{:.*}%", digits, share * 100.0),
            format!("{:.*}%", digits, threshold * 100.0),
        );
        if a != b || digits == 4 {
            return (a, b);
        }
        digits += 1;
    }
}

impl Score {
    /// "compliance 39.3% (5.5 of 14 weighted points)", or "no score".
    pub fn compliance_line(&self) -> String {
        match self.compliance {
            Some(c) => format!(
                "compliance {} ({} of {} weighted points)",
                percent(c),
                self.earned,
                self.possible
            ),
            None => "no compliance score (nothing scorable)".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_values_and_thresholds() {
        let items = [
            ("a", Severity::Critical, "met"),
            ("b", Severity::High, "partial"),
            ("c", Severity::Medium, "not-met"),
            ("d", Severity::Low, "n/a"),
            ("e", Severity::High, "unknown"),
            ("f", Severity::Medium, "no-result"),
        ];
        let s = score(items, &[]);
        assert_eq!((s.earned, s.possible), (5.5, 14.0));
        assert_eq!(
            s.compliance_line(),
            "compliance 39.3% (5.5 of 14 weighted points)"
        );
        assert_eq!(s.rating, Rating::HighRisk);
        assert_eq!((s.items_with_result, s.items), (4, 6));
        // Nothing scorable is no score, never 0.
        let none = score([("d", Severity::Low, "n/a")], &[]);
        assert_eq!((none.compliance, none.rating), (None, Rating::Unrated));
        let all_met = score([("a", Severity::High, "met")], &[]);
        assert_eq!(all_met.rating, Rating::LowRisk);
        // A finding carried from the last cycle earns nothing until re-confirmed.
        let carried = score(
            [
                ("a", Severity::High, "to-reconfirm"),
                ("b", Severity::Low, "met"),
            ],
            &[],
        );
        assert_eq!((carried.earned, carried.possible), (1.0, 4.0));
    }

    fn high_flag(rule: &'static str, clause: i64) -> Flag {
        Flag {
            vendor: "acme".into(),
            rule,
            title: "",
            severity: FlagSeverity::High,
            kind: crate::model::ClauseKind::BreachNotification,
            clause: Some(clause),
            message: String::new(),
            basis: "",
            threshold: String::new(),
            waived: false,
            waiver: None,
        }
    }

    #[test]
    fn the_rating_counts_rules_and_says_how_many_flags_each_has() {
        let items = [("a", Severity::High, "met")];
        // One rule raised by three clauses: one rule, medium risk.
        let flags: Vec<Flag> = (1..=3)
            .map(|c| high_flag("breach.over-max-hours", c))
            .collect();
        let s = score(items, &flags);
        assert_eq!(s.rating, Rating::MediumRisk);
        assert_eq!(
            s.rating_reasons,
            ["1 rule with an unwaived high red flag: breach.over-max-hours (3 flags)"]
        );
        // Three rules, interleaved: high risk.
        let flags = [
            high_flag("r.one", 1),
            high_flag("r.two", 2),
            high_flag("r.one", 3),
            high_flag("r.three", 4),
        ];
        let s = score(items, &flags);
        assert_eq!(s.rating, Rating::HighRisk);
        assert_eq!(s.open_high_flags, ["r.one", "r.three", "r.two"]);
    }

    #[test]
    fn a_reason_never_reads_as_equal_to_the_threshold_it_is_below() {
        // 161.5 of 202 = 79.95%: one decimal would say "80.0% is below 80.0%".
        assert_eq!(
            percent_apart(161.5 / 202.0, LOW_RISK_MIN_COMPLIANCE),
            ("79.95%".to_string(), "80.00%".to_string())
        );
        assert_eq!(
            percent_apart(0.5, LOW_RISK_MIN_COMPLIANCE),
            ("50.0%".to_string(), "80.0%".to_string())
        );
        assert_eq!(as_shown(161.5 / 202.0), as_shown(0.8));
    }

    #[test]
    fn percent_and_as_shown_round_a_tie_alike() {
        // 1/16 is 6.25% exactly: printed and ranked as 6.3%.
        assert_eq!(percent(1.0 / 16.0), "6.3%");
        assert_eq!(as_shown(1.0 / 16.0), 0.063);
        assert_eq!(percent(5.0 / 18.0), "27.8%");
    }
}
