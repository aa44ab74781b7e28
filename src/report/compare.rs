//! The comparison of candidate vendors: one model, gathered once through the
//! domain layer, that the terminal table, JSON, CSV and the landscape PDF all
//! render. Rows whose values can be ranked carry the number they are ranked
//! by and which way is better, so the best and worst cells are marked the
//! same everywhere.

use crate::domain::attestation::{describe, holding};
use crate::domain::{self, decision::Stage};
use crate::error::Result;
use crate::model::{ClauseKind, EvidenceKind, FlagSeverity, Terms, Vendor};
use crate::rules::Flag;
use crate::store::{self, Store};
use chrono::NaiveDate;
use serde::Serialize;

/// Which way a row's numbers are better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Better {
    Higher,
    Lower,
}

#[derive(Debug, Clone, Serialize)]
pub struct Cell {
    pub value: String,
    /// The number the row is ranked by, when it is ranked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number: Option<f64>,
    pub best: bool,
    pub worst: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub label: String,
    /// Null: not ranked (text, or not comparable).
    pub better: Option<Better>,
    /// The numbers are places in an order of terms (1 is best), not
    /// quantities: the orders are in docs/compare.md.
    pub ordinal: bool,
    /// The clause kind a DPA-term row reads, so that the reading gives at
    /// most one deciding fact per clause.
    #[serde(skip)]
    pub kind: Option<ClauseKind>,
    /// One cell per vendor, in the order of `vendors`.
    pub cells: Vec<Cell>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Group {
    pub title: String,
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Column {
    pub slug: String,
    pub name: String,
    /// The review compared (the vendor's current one), when there is one.
    pub review: Option<i64>,
    /// For the chart: compliance (0-1) and unwaived red flags.
    pub compliance: Option<f64>,
    pub flags: usize,
}

/// One unwaived red flag side by side: what each candidate's records say
/// that raised it, or "—" when the candidate does not raise it.
#[derive(Debug, Clone, Serialize)]
pub struct FlagRow {
    pub rule: String,
    pub severity: FlagSeverity,
    pub title: String,
    /// One cell per vendor, in the order of `vendors`.
    pub cells: Vec<String>,
}

/// Which candidate the recorded evidence favours, and why; or why no
/// reading is given.
#[derive(Debug, Clone, Serialize)]
pub struct Reading {
    /// The slug of the favoured candidate; null when withheld or tied.
    pub favoured: Option<String>,
    /// True when no reading may be given (a DPA partly unread, no review).
    pub withheld: bool,
    /// The deciding facts, each from a row shown (at most three).
    pub reasons: Vec<String>,
    /// The one paragraph shown.
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    pub generator: String,
    pub as_of: String,
    pub score_formula: &'static str,
    pub vendors: Vec<Column>,
    pub groups: Vec<Group>,
    /// Every unwaived red flag, one row per rule and severity.
    pub red_flags: Vec<FlagRow>,
    pub reading: Reading,
}

/// One vendor's facts, gathered once.
struct Facts {
    vendor: Vendor,
    status: Option<domain::ReviewStatus>,
    /// The unwaived red flags of the current review (none without one).
    flags: Vec<Flag>,
    clauses: Vec<crate::model::Clause>,
    evidence: Vec<crate::model::Evidence>,
    contracts: Vec<crate::domain::contract::Contract>,
    open_questions: usize,
    overdue_questions: usize,
}

/// Gathers the comparison of `vendors` (checked by the caller: two or more,
/// distinct, active) as of `today`.
pub fn gather(store: &Store, vendors: &[Vendor], today: NaiveDate) -> Result<Comparison> {
    let day = today.to_string();
    let profile = crate::profile::load(store)?;
    let facts: Vec<Facts> = vendors
        .iter()
        .map(|v| {
            // A reviewed vendor's clauses and evidence come with its status.
            let (status, flags, clauses, evidence) =
                match store::review::current(store.conn(), v.id)? {
                    Some(_) => {
                        let (status, records, flags) =
                            domain::status::gather_status_and_records(store, v, today)?;
                        let unwaived = flags.into_iter().filter(|f| !f.waived).collect();
                        (Some(status), unwaived, records.clauses, records.evidence)
                    }
                    None => (
                        None,
                        Vec::new(),
                        store::clause::for_vendor(store.conn(), v.id)?,
                        store::evidence::for_vendor(store.conn(), v.id)?,
                    ),
                };
            let questions = store::question::list(store.conn(), Some(v.id), true, false, &day)?;
            Ok(Facts {
                vendor: v.clone(),
                status,
                flags,
                clauses,
                evidence,
                contracts: store::contract::for_vendor(store.conn(), v.id)?,
                open_questions: questions.len(),
                overdue_questions: questions.iter().filter(|q| q.overdue).count(),
            })
        })
        .collect::<Result<_>>()?;
    let mut groups = vec![
        hosting(&facts)?,
        outcome(&facts),
        sections(&facts),
        flags(&facts),
        dpa_terms(&facts),
        attestations(&facts, today, profile.max_report_age_months),
        contract_rows(&facts, today),
        Group {
            title: "Questions".into(),
            rows: vec![
                ranked("Open questions", Better::Lower, &facts, |f| {
                    Some((f.open_questions.to_string(), f.open_questions as f64))
                }),
                ranked("Overdue questions", Better::Lower, &facts, |f| {
                    Some((f.overdue_questions.to_string(), f.overdue_questions as f64))
                }),
            ],
        },
    ];
    // On the rows the checklist's results make (score, rating, sections),
    // a candidate with no item judged is never best: its "high-risk"
    // against another's "blocker" says nothing about it yet.
    let judged: Vec<bool> = facts.iter().map(reviewed).collect();
    let anyone = vec![true; facts.len()];
    // outcome() and sections(): the second and third groups.
    for (g, group) in groups.iter_mut().enumerate() {
        let from_results = g == 1 || g == 2;
        for row in &mut group.rows {
            mark(row, if from_results { &judged } else { &anyone });
        }
    }
    let reading = reading(&facts, &groups);
    Ok(Comparison {
        generator: format!("vetter {}", env!("CARGO_PKG_VERSION")),
        as_of: day,
        score_formula: domain::score::FORMULA_VERSION,
        vendors: facts
            .iter()
            .map(|f| Column {
                slug: f.vendor.slug.clone(),
                name: f.vendor.name.clone(),
                review: f.status.as_ref().map(|s| s.review),
                compliance: f.status.as_ref().and_then(|s| s.score.compliance),
                flags: f
                    .status
                    .as_ref()
                    .map_or(0, |s| s.flags_by_severity.values().sum()),
            })
            .collect(),
        groups,
        red_flags: flag_table(&facts),
        reading,
    })
}

fn text(label: &str, facts: &[Facts], value: impl Fn(&Facts) -> String) -> Row {
    Row {
        label: label.into(),
        better: None,
        ordinal: false,
        kind: None,
        cells: facts
            .iter()
            .map(|f| Cell {
                value: value(f),
                number: None,
                best: false,
                worst: false,
            })
            .collect(),
    }
}

/// A ranked row: `value` gives the text and the number ranked, or None
/// (shown as "-", not ranked).
fn ranked(
    label: &str,
    better: Better,
    facts: &[Facts],
    value: impl Fn(&Facts) -> Option<(String, f64)>,
) -> Row {
    Row {
        label: label.into(),
        better: Some(better),
        ordinal: false,
        kind: None,
        cells: facts
            .iter()
            .map(|f| {
                let v = value(f);
                Cell {
                    value: v.as_ref().map_or("-".into(), |(t, _)| t.clone()),
                    number: v.map(|(_, n)| n),
                    best: false,
                    worst: false,
                }
            })
            .collect(),
    }
}

/// Whether a candidate has a review with at least one item judged.
fn reviewed(f: &Facts) -> bool {
    status(f)
        .and_then(|s| s.totals.coverage().shown())
        .is_some_and(|covered| covered > 0.0)
}

/// Marks the best and worst cells of a ranked row: only when at least two
/// vendors have a number and not all numbers are equal. Only an `eligible`
/// candidate (one with something recorded) can be best; any can be worst.
fn mark(row: &mut Row, eligible: &[bool]) {
    let Some(better) = row.better else { return };
    let numbers: Vec<f64> = row.cells.iter().filter_map(|c| c.number).collect();
    if numbers.len() < 2 {
        return;
    }
    let max = numbers.iter().copied().fold(f64::MIN, f64::max);
    let min = numbers.iter().copied().fold(f64::MAX, f64::min);
    if max == min {
        return;
    }
    let worst = match better {
        Better::Higher => min,
        Better::Lower => max,
    };
    let best_of_eligible = row
        .cells
        .iter()
        .zip(eligible)
        .filter(|(_, e)| **e)
        .filter_map(|(c, _)| c.number)
        .reduce(|a, b| match better {
            Better::Higher => a.max(b),
            Better::Lower => a.min(b),
        });
    for (c, e) in row.cells.iter_mut().zip(eligible) {
        c.best = *e && best_of_eligible.is_some_and(|b| c.number == Some(b) && b != worst);
        c.worst = c.number == Some(worst);
    }
}

fn status(f: &Facts) -> Option<&domain::ReviewStatus> {
    f.status.as_ref()
}

fn hosting(facts: &[Facts]) -> Result<Group> {
    let models: Vec<Option<crate::hosting::HostingModel>> = facts
        .iter()
        .map(|f| f.vendor.hosting.map(crate::hosting::model).transpose())
        .collect::<Result<_>>()?;
    let mut rows = vec![
        text("Hosting model", facts, |f| {
            f.vendor.hosting.map_or("-".into(), |h| h.to_string())
        }),
        text("Tenancy", facts, |f| {
            f.vendor.tenancy.map_or("-".into(), |t| t.to_string())
        }),
    ];
    // Expertise, budget and responsibility left to us: less is better.
    let better = [
        Better::Lower,
        Better::Higher,
        Better::Lower,
        Better::Lower,
        Better::Higher,
    ];
    for (i, name) in crate::hosting::RATINGS.iter().enumerate() {
        let mut row = ranked(&format!("Hosting: {name} (1-5)"), better[i], facts, |_| {
            None
        });
        for (cell, m) in row.cells.iter_mut().zip(&models) {
            if let Some(m) = m {
                let score = m.ratings.all()[i].score;
                cell.value = format!("{score}/5");
                cell.number = Some(f64::from(score));
            }
        }
        rows.push(row);
    }
    let mut shifted = ranked("Items shifted to us", Better::Lower, facts, |_| None);
    for (cell, m) in shifted.cells.iter_mut().zip(&models) {
        if let Some(m) = m {
            cell.value = m.shifted_items.len().to_string();
            cell.number = Some(m.shifted_items.len() as f64);
        }
    }
    rows.push(shifted);
    Ok(Group {
        title: "Hosting".into(),
        rows,
    })
}

fn outcome(facts: &[Facts]) -> Group {
    use domain::score::Rating;
    let rank = |r: Rating| match r {
        Rating::LowRisk => Some(1.0),
        Rating::MediumRisk => Some(2.0),
        Rating::HighRisk => Some(3.0),
        Rating::Blocker => Some(4.0),
        Rating::Unrated => None,
    };
    Group {
        title: "Score and decision".into(),
        rows: vec![
            text("Review", facts, |f| {
                status(f).map_or("no review".into(), |s| format!("#{}", s.review))
            }),
            ranked("Rating", Better::Lower, facts, |f| {
                let r = status(f)?.score.rating;
                Some((r.to_string(), rank(r)?))
            }),
            ranked("Compliance", Better::Higher, facts, |f| {
                let c = status(f)?.score.compliance?;
                // Ranked on the figure shown: two vendors both showing
                // 80.0% are a tie, not best and worst.
                Some((domain::score::percent(c), domain::score::as_shown(c)))
            }),
            ranked("Coverage", Better::Higher, facts, |f| {
                let c = status(f)?.totals.coverage();
                Some((c.percent()?, c.shown()?))
            }),
            text("Stage", facts, |f| {
                status(f).map_or("-".into(), |s| s.outcome.stage.to_string())
            }),
            text("Decision", facts, |f| {
                status(f).map_or("-".into(), |s| match s.outcome.stage {
                    Stage::Decided => s.outcome.summary(),
                    _ => "pending".into(),
                })
            }),
            text("Next review", facts, |f| {
                status(f)
                    .and_then(|s| s.outcome.next_review.clone().or(s.due.clone()))
                    .unwrap_or_else(|| "-".into())
            }),
        ],
    }
}

fn sections(facts: &[Facts]) -> Group {
    let mut ids: Vec<(String, String)> = Vec::new();
    for s in facts.iter().filter_map(status) {
        for sec in &s.sections {
            if !ids.iter().any(|(id, _)| *id == sec.id) {
                ids.push((sec.id.clone(), sec.title.clone()));
            }
        }
    }
    let rows = ids
        .iter()
        .map(|(id, title)| {
            ranked(title, Better::Higher, facts, |f| {
                let sec = status(f)?.sections.iter().find(|s| s.id == *id)?;
                let c = &sec.counts;
                let total = c.total();
                // Ranked on the items that apply: an n/a item is no
                // failure, and a section all n/a is not ranked.
                let applicable = total - c.not_applicable;
                (total > 0)
                    .then(|| {
                        let na = if c.not_applicable > 0 {
                            format!(" ({} n/a)", c.not_applicable)
                        } else {
                            String::new()
                        };
                        (
                            format!("{}/{}/{} of {total}{na}", c.met, c.partial, c.not_met),
                            c.met as f64 / applicable.max(1) as f64,
                        )
                    })
                    .filter(|_| applicable > 0)
            })
        })
        .collect();
    Group {
        title: "Status by section (met/partial/not-met of items)".into(),
        rows,
    }
}

/// An unread DPA raises few flags: a vendor whose DPA is not fully
/// recorded is shown on a flag row but not ranked there, so it cannot look
/// best.
fn unrank_partly_unread(row: &mut Row, facts: &[Facts]) {
    for (cell, f) in row.cells.iter_mut().zip(facts) {
        let unread = status(f).is_some_and(|s| !s.unreviewed_clause_kinds.is_empty());
        if unread && cell.number.is_some() {
            cell.number = None;
            cell.value.push_str(" (DPA partly unread)");
        }
    }
}

fn flags(facts: &[Facts]) -> Group {
    let mut rows: Vec<Row> = crate::model::FlagSeverity::ALL
        .iter()
        .map(|sev| {
            let mut row = ranked(&format!("Red flags: {sev}"), Better::Lower, facts, |f| {
                let n = *status(f)?.flags_by_severity.get(sev.as_str())?;
                Some((n.to_string(), n as f64))
            });
            unrank_partly_unread(&mut row, facts);
            row
        })
        .collect();
    rows.push(ranked(
        "DPA clause kinds not reviewed",
        Better::Lower,
        facts,
        |f| {
            let n = status(f)?.unreviewed_clause_kinds.len();
            Some((n.to_string(), n as f64))
        },
    ));
    rows.push(dealbreakers(facts));
    rows.push(text("Waived flags", facts, |f| {
        status(f).map_or("-".into(), |s| s.waived_flags.to_string())
    }));
    Group {
        title: "Red flags (unwaived)".into(),
        rows,
    }
}

/// Open critical and high flags of a candidate: (critical, high).
fn dealbreaker_counts(f: &Facts) -> (usize, usize) {
    let count = |sev| f.flags.iter().filter(|x| x.severity == sev).count();
    (count(FlagSeverity::Critical), count(FlagSeverity::High))
}

/// Each candidate's open critical and high flags, named by rule id; ranked
/// by critical flags, then high ones, unless the DPA is partly unread.
fn dealbreakers(facts: &[Facts]) -> Row {
    let mut row = ranked(DEALBREAKERS, Better::Lower, facts, |f| {
        // No review, no flags judged: not shown as "none".
        status(f)?;
        let mut names: Vec<String> = Vec::new();
        for sev in [FlagSeverity::Critical, FlagSeverity::High] {
            for flag in f.flags.iter().filter(|x| x.severity == sev) {
                let name = format!("{} ({sev})", flag.rule);
                if !names.contains(&name) {
                    names.push(name);
                }
            }
        }
        let (critical, high) = dealbreaker_counts(f);
        let text = if names.is_empty() {
            "none".to_string()
        } else {
            names.join(", ")
        };
        Some((text, (critical * 10_000 + high) as f64))
    });
    row.ordinal = true;
    unrank_partly_unread(&mut row, facts);
    row
}

pub const DEALBREAKERS: &str = "Dealbreakers (critical, high)";

/// Every unwaived flag side by side: one row per rule and severity, most
/// severe first; a cell holds the candidate's messages, or "—".
fn flag_table(facts: &[Facts]) -> Vec<FlagRow> {
    let mut keys: Vec<(FlagSeverity, &'static str, &'static str)> = facts
        .iter()
        .flat_map(|f| f.flags.iter().map(|x| (x.severity, x.rule, x.title)))
        .collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .map(|(severity, rule, title)| FlagRow {
            rule: rule.to_string(),
            severity,
            title: title.to_string(),
            cells: facts
                .iter()
                .map(|f| {
                    let messages: Vec<&str> = f
                        .flags
                        .iter()
                        .filter(|x| x.rule == rule && x.severity == severity)
                        .map(|x| x.message.as_str())
                        .collect();
                    if messages.is_empty() {
                        "\u{2014}".to_string()
                    } else {
                        messages.join("; ")
                    }
                })
                .collect(),
        })
        .collect()
}

/// The reading: withheld when a candidate has no review or a partly unread
/// DPA; else the candidate first on (fewest open critical flags, fewest
/// high, most best-marked key DPA terms, fewest worst-marked), with up to
/// three deciding facts from the rows shown. A tie names no one.
fn reading(facts: &[Facts], groups: &[Group]) -> Reading {
    let withheld = |text: String| Reading {
        favoured: None,
        withheld: true,
        reasons: Vec::new(),
        text,
    };
    let unreviewed: Vec<&str> = facts
        .iter()
        .filter(|f| f.status.is_none())
        .map(|f| f.vendor.slug.as_str())
        .collect();
    if !unreviewed.is_empty() {
        return withheld(format!(
            "No reading: {} ha{} no review, so {} red flags are not judged.",
            unreviewed.join(", "),
            if unreviewed.len() == 1 { "s" } else { "ve" },
            if unreviewed.len() == 1 {
                "its"
            } else {
                "their"
            },
        ));
    }
    let unread: Vec<String> = facts
        .iter()
        .filter_map(|f| {
            let kinds = &status(f)?.unreviewed_clause_kinds;
            (!kinds.is_empty()).then(|| {
                let names: Vec<String> = kinds.iter().map(|k| k.to_string()).collect();
                format!("{} (not recorded: {})", f.vendor.slug, names.join(", "))
            })
        })
        .collect();
    if !unread.is_empty() {
        return withheld(format!(
            "No reading: the DPA of {} {} partly unread, and an unread clause raises no flag. \
             Record each kind (or record it --absent) to get a reading.",
            unread.join("; "),
            if unread.len() == 1 { "is" } else { "are" },
        ));
    }
    let terms: Vec<&Row> = groups
        .iter()
        .filter(|g| g.title == KEY_TERMS)
        .flat_map(|g| &g.rows)
        .filter(|r| r.better.is_some())
        .collect();
    let marked = |i: usize, best: bool| {
        terms
            .iter()
            .filter(|r| {
                let c = &r.cells[i];
                if best {
                    c.best
                } else {
                    c.worst
                }
            })
            .count()
    };
    let keys: Vec<(usize, usize, std::cmp::Reverse<usize>, usize)> = facts
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let (critical, high) = dealbreaker_counts(f);
            (
                critical,
                high,
                std::cmp::Reverse(marked(i, true)),
                marked(i, false),
            )
        })
        .collect();
    let first = keys.iter().min().expect("two or more vendors");
    let leaders: Vec<usize> = (0..facts.len()).filter(|&i| keys[i] == *first).collect();
    if leaders.len() > 1 {
        let names: Vec<&str> = leaders
            .iter()
            .map(|&i| facts[i].vendor.slug.as_str())
            .collect();
        return Reading {
            favoured: None,
            withheld: false,
            reasons: Vec::new(),
            text: format!(
                "The recorded evidence favours no one candidate: {} tie on open critical and high \
                 flags and on best-marked key DPA terms.",
                names.join(" and ")
            ),
        };
    }
    let won = leaders[0];
    let others: Vec<usize> = (0..facts.len()).filter(|&i| i != won).collect();
    // "against 2" for two candidates; "against 2 (beta), 1 (gamma)" for more.
    let against = |value: &dyn Fn(usize) -> String| {
        let parts: Vec<String> = others
            .iter()
            .map(|&i| {
                if others.len() == 1 {
                    value(i)
                } else {
                    format!("{} ({})", value(i), facts[i].vendor.slug)
                }
            })
            .collect();
        parts.join(", ")
    };
    let mut reasons = Vec::new();
    let counts: Vec<(usize, usize)> = facts.iter().map(dealbreaker_counts).collect();
    if others.iter().any(|&i| counts[i].0 != counts[won].0) {
        reasons.push(format!(
            "{} critical flags against {}",
            counts[won].0,
            against(&|i| counts[i].0.to_string())
        ));
    }
    if others.iter().any(|&i| counts[i].1 != counts[won].1) {
        reasons.push(format!(
            "{} high flags against {}",
            counts[won].1,
            against(&|i| counts[i].1.to_string())
        ));
    }
    let mut kinds = Vec::new();
    for row in terms.iter().filter(|r| r.cells[won].best) {
        if reasons.len() == 3 {
            break;
        }
        // One fact per clause: confirmed-only is already in the breach row.
        if row.kind.is_some_and(|k| kinds.contains(&k)) {
            continue;
        }
        kinds.extend(row.kind);
        reasons.push(format!(
            "{}: {} against {}",
            row.label.to_lowercase(),
            row.cells[won].value,
            against(&|i| row.cells[i].value.clone())
        ));
    }
    reasons.truncate(3);
    let name = &facts[won].vendor.name;
    let text = format!(
        "The recorded evidence favours {name}: {}. {name} is best on {} of {} ranked key DPA terms \
         and has {} critical and {} high open flags.",
        reasons.join("; "),
        marked(won, true),
        terms.len(),
        counts[won].0,
        counts[won].1,
    );
    Reading {
        favoured: Some(facts[won].vendor.slug.clone()),
        withheld: false,
        reasons,
        text,
    }
}

/// The first clause of a kind, or None when none is recorded.
fn clause(f: &Facts, kind: ClauseKind) -> Option<&crate::model::Clause> {
    f.clauses.iter().find(|c| c.kind == kind)
}

/// A clause term: "ABSENT" for a clause recorded absent, "not reviewed"
/// when no clause of the kind is recorded.
fn term(
    f: &Facts,
    kind: ClauseKind,
    value: impl Fn(&crate::model::Terms) -> Option<String>,
) -> String {
    match clause(f, kind) {
        None => "not reviewed".into(),
        Some(c) if c.absent => "ABSENT".into(),
        Some(c) => value(&c.terms).unwrap_or_else(|| "-".into()),
    }
}

/// A ranked row of one clause kind: `value` gives the text and number of a
/// present clause's terms; other vendors show "not reviewed", "ABSENT" or
/// "-", unranked.
fn term_row(
    label: &str,
    better: Better,
    facts: &[Facts],
    kind: ClauseKind,
    value: impl Fn(&crate::model::Terms) -> Option<(String, f64)>,
) -> Row {
    let mut row = ranked(label, better, facts, |f| {
        value(&clause(f, kind).filter(|c| !c.absent)?.terms)
    });
    row.kind = Some(kind);
    for (cell, f) in row.cells.iter_mut().zip(facts) {
        if cell.number.is_none() {
            cell.value = term(f, kind, |_| None);
        }
    }
    row
}

/// A term counted in days, ranked.
fn days_term(
    label: &str,
    better: Better,
    facts: &[Facts],
    kind: ClauseKind,
    days: impl Fn(&crate::model::Terms) -> Option<u32>,
) -> Row {
    term_row(label, better, facts, kind, |t| {
        days(t).map(|d| (format!("{d} days"), f64::from(d)))
    })
}

/// A row ranked by an order of terms (docs/compare.md): `place` gives the
/// text and the place (1 is best) of a clause of `kind`, from its terms, or
/// from None when the clause is recorded absent. A vendor with no clause
/// of the kind recorded shows "not reviewed" and is not ranked; a term not
/// recorded in a present clause shows "-", not ranked.
fn ordinal_row(
    label: &str,
    facts: &[Facts],
    kind: ClauseKind,
    place: impl Fn(Option<&Terms>) -> Option<(String, f64)>,
) -> Row {
    let mut row = ranked(label, Better::Lower, facts, |f| {
        let c = clause(f, kind)?;
        place((!c.absent).then_some(&c.terms))
    });
    row.ordinal = true;
    row.kind = Some(kind);
    for (cell, f) in row.cells.iter_mut().zip(facts) {
        if cell.number.is_none() {
            cell.value = term(f, kind, |_| None);
        }
    }
    row
}

/// The places of one term's values, best first; values on one place tie.
fn place_of<T: PartialEq>(order: &[&[T]], value: &T) -> Option<f64> {
    order
        .iter()
        .position(|tier| tier.contains(value))
        .map(|i| (i + 1) as f64)
}

/// The breach-notice clause as text with its qualifiers, and its place:
/// ranked by (hours stated, firm, clock, not confirmed-only, hours) in that
/// order, so a firm 72 h from awareness beats 48 h where feasible, and a
/// clause with no hours is worse than any deadline. Lower is better.
pub fn breach_place(t: &Terms) -> (String, f64) {
    use crate::model::NotifyClock as C;
    let mut text = match t.hours {
        Some(h) => format!("{h} h"),
        None => "no deadline in hours".to_string(),
    };
    if let Some(clock) = t.clock {
        text.push_str(&format!(" from {clock}"));
    }
    if t.where_feasible {
        text.push_str(", where feasible");
    }
    if t.confirmed_only {
        text.push_str(", confirmed incidents only");
    }
    // An unstated clock starts when the vendor says: worst.
    let clock = match t.clock {
        Some(C::Awareness) => 0,
        Some(C::Discovery) => 1,
        Some(C::Confirmation) => 2,
        None => 3,
    };
    let hours = t.hours.map_or(99_999, |h| u64::from(h.min(99_999)));
    let number = u64::from(t.hours.is_none()) * 100_000_000
        + u64::from(t.where_feasible) * 10_000_000
        + clock * 1_000_000
        + u64::from(t.confirmed_only) * 100_000
        + hours;
    (text, number as f64)
}

/// The place of a breach clause recorded absent: after every clause.
const BREACH_ABSENT: f64 = 1_000_000_000.0;

fn dpa_terms(facts: &[Facts]) -> Group {
    use crate::model::{AiTraining as Ai, AuditScope as A, Certificate, GovAccess as G};
    use crate::model::{LiabilityCap as L, Remedy as R, YesNo};
    use ClauseKind as K;
    let join = |v: &[String]| (!v.is_empty()).then(|| v.join(", "));
    let absent = |text: &str, place: f64| Some((format!("ABSENT ({text})"), place));
    let breach = ordinal_row("Breach notice", facts, K::BreachNotification, |t| match t {
        Some(t) => Some(breach_place(t)),
        None => absent("no breach notice", BREACH_ABSENT),
    });
    let confirmed_only = ordinal_row(
        "Breach: confirmed incidents only",
        facts,
        K::BreachNotification,
        |t| match t {
            Some(t) if t.confirmed_only => Some(("yes".into(), 2.0)),
            Some(_) => Some(("no".into(), 1.0)),
            None => None,
        },
    );
    let remedy = ordinal_row("Objection remedy", facts, K::Subprocessors, |t| match t {
        Some(t) => {
            let r = t.remedy?;
            let order: &[&[R]] = &[
                &[R::TerminateRefund],
                &[R::Terminate],
                &[R::VendorDiscretion, R::None],
            ];
            Some((r.to_string(), place_of(order, &r)?))
        }
        None => absent("no remedy", 3.0),
    });
    let deletion = {
        let mut row = days_term(
            "Deletion after exit",
            Better::Lower,
            facts,
            K::DeletionReturn,
            |t| t.deletion_days,
        );
        // No deadline is worse than any number of days.
        for (cell, f) in row.cells.iter_mut().zip(facts) {
            if let Some(c) = clause(f, K::DeletionReturn) {
                if !c.absent && c.terms.deletion_days.is_none() && c.terms.no_deadline {
                    cell.value = "no deadline".into();
                    cell.number = Some(100_000.0);
                }
            }
        }
        row
    };
    let on_request = ordinal_row(
        "Deletion only on request",
        facts,
        K::DeletionReturn,
        |t| match t {
            Some(t) if t.on_request_only => Some(("yes".into(), 2.0)),
            Some(_) => Some(("no".into(), 1.0)),
            None => None,
        },
    );
    let certificate = ordinal_row("Deletion certificate", facts, K::DeletionReturn, |t| {
        let c = t?.certificate?;
        let order: &[&[Certificate]] = &[
            &[Certificate::Yes, Certificate::OnRequest],
            &[Certificate::No],
        ];
        Some((c.to_string(), place_of(order, &c)?))
    });
    let audit = ordinal_row("Audit rights", facts, K::AuditRights, |t| match t {
        Some(t) => {
            let a = t.audit?;
            let order: &[&[A]] = &[&[A::Onsite], &[A::ReportsOnly], &[A::None]];
            Some((a.to_string(), place_of(order, &a)?))
        }
        None => absent("no audit right", 3.0),
    });
    let liability = ordinal_row("Liability cap", facts, K::Liability, |t| match t {
        Some(t) => {
            let cap = t.cap?;
            // The kind of cap, then its size: "separate-cap, 12 months of fees".
            let size = t
                .cap_months
                .map(|m| format!("{m} month{} of fees", if m == 1 { "" } else { "s" }))
                .into_iter()
                .chain(t.cap_amount.clone());
            let parts: Vec<String> = std::iter::once(cap.to_string()).chain(size).collect();
            // Uncapped is best for us: the vendor's liability is not limited.
            let order: &[&[L]] = &[
                &[L::Uncapped],
                &[L::SeparateCap],
                &[L::InsideGeneralCap],
                &[L::NotStated],
            ];
            Some((parts.join(", "), place_of(order, &cap)?))
        }
        None => absent("not stated", 4.0),
    });
    let government = ordinal_row(
        "Government access",
        facts,
        K::GovernmentAccess,
        |t| match t {
            Some(t) => {
                let order: &[&[G]] = &[
                    &[G::Challenge],
                    &[G::NotifyBefore],
                    &[G::NotifyAfterDisclosure],
                    &[G::None],
                ];
                // Ranked by the strongest commitment; all are shown.
                let best = t
                    .gov
                    .iter()
                    .filter_map(|g| place_of(order, g))
                    .reduce(f64::min)?;
                let shown: Vec<String> = t.gov.iter().map(|g| g.to_string()).collect();
                Some((shown.join(", "), best))
            }
            None => absent("no commitment", 4.0),
        },
    );
    let ai = ordinal_row("AI training", facts, K::AiTraining, |t| match t {
        Some(t) => {
            let a = t.ai_training?;
            let order: &[&[Ai]] = &[&[Ai::No], &[Ai::OptIn], &[Ai::OptOut], &[Ai::Yes]];
            Some((a.to_string(), place_of(order, &a)?))
        }
        None => absent("not addressed", 4.0),
    });
    // Residency or transfers: a "yes" in either commits the vendor.
    let mut commitment = ranked("Region commitment", Better::Lower, facts, |f| {
        let recorded: Vec<&crate::model::Clause> = f
            .clauses
            .iter()
            .filter(|c| matches!(c.kind, K::Residency | K::Transfers))
            .collect();
        let said = |v: YesNo| {
            recorded
                .iter()
                .any(|c| !c.absent && c.terms.region_commitment == Some(v))
        };
        if said(YesNo::Yes) {
            Some(("yes".into(), 1.0))
        } else if said(YesNo::No) {
            Some(("no".into(), 2.0))
        } else if !recorded.is_empty() && recorded.iter().all(|c| c.absent) {
            Some(("none (ABSENT)".into(), 2.0))
        } else {
            None
        }
    });
    commitment.ordinal = true;
    commitment.kind = Some(K::Residency);
    for (cell, f) in commitment.cells.iter_mut().zip(facts) {
        if cell.number.is_none() {
            cell.value = term(f, K::Residency, |_| None);
            if cell.value == "not reviewed" {
                cell.value = term(f, K::Transfers, |_| None);
            }
        }
    }
    let rows = vec![
        breach,
        confirmed_only,
        days_term(
            "Subprocessor notice",
            Better::Higher,
            facts,
            K::Subprocessors,
            |t| t.notice_days,
        ),
        days_term(
            "Objection window",
            Better::Higher,
            facts,
            K::Subprocessors,
            |t| t.objection_days,
        ),
        remedy,
        deletion,
        on_request,
        certificate,
        days_term(
            "Backups purged",
            Better::Lower,
            facts,
            K::DeletionReturn,
            |t| t.backup_days,
        ),
        text("Regions", facts, |f| {
            let r = term(f, K::Residency, |t| join(&t.regions));
            if r == "not reviewed" {
                term(f, K::Transfers, |t| join(&t.regions))
            } else {
                r
            }
        }),
        commitment,
        text("Transfer mechanism", facts, |f| {
            term(f, K::Transfers, |t| {
                (!t.mechanism.is_empty()).then(|| {
                    let names: Vec<String> = t.mechanism.iter().map(|m| m.to_string()).collect();
                    names.join(", ")
                })
            })
        }),
        audit,
        liability,
        government,
        ai,
    ];
    Group {
        title: KEY_TERMS.into(),
        rows,
    }
}

/// The running contract whose notice day comes first (the one a reader
/// must act on), with where it stands.
fn first_contract(
    f: &Facts,
    today: NaiveDate,
) -> Option<(
    &crate::domain::contract::Contract,
    crate::domain::contract::Standing,
)> {
    f.contracts
        .iter()
        .filter_map(|c| c.standing(today).map(|s| (c, s)))
        .filter(|(_, s)| !s.over)
        .min_by_key(|(c, s)| (s.next_notice_by.unwrap_or(s.term_end), c.id))
}

fn contract_rows(facts: &[Facts], today: NaiveDate) -> Group {
    let none = || "no contract".to_string();
    let rows = vec![
        text("Contract: term ends", facts, |f| {
            first_contract(f, today).map_or_else(none, |(c, s)| {
                format!(
                    "{}{}",
                    s.term_end,
                    if c.auto_renew {
                        format!(", renews for {} months", c.renewal_months.unwrap_or(12))
                    } else {
                        ", does not renew".into()
                    }
                )
            })
        }),
        text("Contract: last day to give notice", facts, |f| {
            first_contract(f, today).map_or_else(none, |(_, s)| {
                match (s.next_notice_by, s.locked_in) {
                    (Some(d), true) => format!("{d} (this term's renewal locked in)"),
                    (Some(d), false) => d.to_string(),
                    (None, _) => "no notice period recorded".into(),
                }
            })
        }),
        ranked(
            "Contract: termination for convenience",
            Better::Higher,
            facts,
            |f| {
                let (c, _) = first_contract(f, today)?;
                match c.termination_for_convenience {
                    Some(true) => Some(("yes".into(), 1.0)),
                    Some(false) => Some(("no".into(), 0.0)),
                    None => None,
                }
            },
        ),
    ];
    Group {
        title: "Contract".into(),
        rows,
    }
}

/// The title of the group of key DPA terms, which the reading counts.
pub const KEY_TERMS: &str = "Key DPA terms";

fn attestations(facts: &[Facts], today: NaiveDate, max_report_age_months: u32) -> Group {
    let kinds = [
        EvidenceKind::Soc2Type2,
        EvidenceKind::Iso27001,
        EvidenceKind::Iso27701,
        EvidenceKind::Hds,
        EvidenceKind::HipaaAttestation,
    ];
    let rows = kinds
        .iter()
        .map(|kind| {
            text(&format!("Attestation: {kind}"), facts, |f| {
                describe(&holding(&f.evidence, *kind, today, max_report_age_months))
            })
        })
        .collect();
    Group {
        title: "Attestations".into(),
        rows,
    }
}

/// The comparison as CSV rows: group, row, which way is better, then one
/// cell per vendor; best and worst cells end in " [best]" / " [worst]".
pub fn csv_rows(c: &Comparison) -> (Vec<String>, Vec<Vec<String>>) {
    let mut header = vec!["group".to_string(), "row".into(), "better".into()];
    header.extend(c.vendors.iter().map(|v| v.slug.clone()));
    let mut rows = Vec::new();
    for g in &c.groups {
        for r in &g.rows {
            let mut row = vec![
                g.title.clone(),
                r.label.clone(),
                r.better.map_or(String::new(), |b| match b {
                    Better::Higher => "higher".into(),
                    Better::Lower => "lower".into(),
                }),
            ];
            row.extend(r.cells.iter().map(|cell| {
                let mark = match (cell.best, cell.worst) {
                    (true, _) => " [best]",
                    (_, true) => " [worst]",
                    _ => "",
                };
                format!("{}{mark}", cell.value)
            }));
            rows.push(row);
        }
    }
    // The red flags side by side: the rule and its severity, then what each
    // candidate's records say, or "—".
    for f in &c.red_flags {
        let mut row = vec![
            RED_FLAGS.to_string(),
            format!("{} ({})", f.rule, f.severity),
            String::new(),
        ];
        row.extend(f.cells.iter().cloned());
        rows.push(row);
    }
    // The reading: its paragraph, and which candidate it favours.
    let mut row = vec!["Reading".to_string(), c.reading.text.clone(), String::new()];
    row.extend(c.vendors.iter().map(|v| {
        if c.reading.favoured.as_deref() == Some(v.slug.as_str()) {
            "favoured".to_string()
        } else {
            String::new()
        }
    }));
    rows.push(row);
    (header, rows)
}

/// The title of the side-by-side table of red flags, in every output.
pub const RED_FLAGS: &str = "Red flags side by side (unwaived)";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::NotifyClock as C;

    fn breach(hours: Option<u32>, firm: bool, clock: Option<C>, confirmed_only: bool) -> f64 {
        let terms = Terms {
            hours,
            where_feasible: !firm,
            clock,
            confirmed_only,
            ..Terms::default()
        };
        breach_place(&terms).1
    }

    #[test]
    fn breach_notice_is_ranked_by_firmness_clock_scope_then_hours() {
        let a = Some(C::Awareness);
        // A firm 72 h beats 48 h where feasible.
        assert!(breach(Some(72), true, a, false) < breach(Some(48), false, a, false));
        // Awareness beats discovery beats confirmation beats no clock.
        assert!(
            breach(Some(72), true, a, false) < breach(Some(24), true, Some(C::Discovery), false)
        );
        assert!(
            breach(Some(72), true, Some(C::Discovery), false)
                < breach(Some(24), true, Some(C::Confirmation), false)
        );
        assert!(
            breach(Some(72), true, Some(C::Confirmation), false)
                < breach(Some(24), true, None, false)
        );
        // Confirmed-only is worse; then fewer hours.
        assert!(breach(Some(72), true, a, false) < breach(Some(24), true, a, true));
        assert!(breach(Some(24), true, a, false) < breach(Some(72), true, a, false));
        // No hours is worse than any deadline; an absent clause worse still.
        assert!(breach(Some(9_999), false, None, true) < breach(None, true, a, false));
        assert!(breach(None, false, None, true) < BREACH_ABSENT);
        assert_eq!(
            breach_place(&Terms {
                hours: Some(48),
                where_feasible: true,
                clock: Some(C::Confirmation),
                confirmed_only: true,
                ..Terms::default()
            })
            .0,
            "48 h from confirmation, where feasible, confirmed incidents only"
        );
    }

    #[test]
    fn equal_values_share_a_place() {
        use crate::model::Certificate as Cert;
        let order: &[&[Cert]] = &[&[Cert::Yes, Cert::OnRequest], &[Cert::No]];
        assert_eq!(
            place_of(order, &Cert::Yes),
            place_of(order, &Cert::OnRequest)
        );
        assert_eq!(place_of(order, &Cert::No), Some(2.0));
    }
}
