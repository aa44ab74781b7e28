//! The comparison of candidate vendors: one model, gathered once through the
//! domain layer, that the terminal table, JSON, CSV and the landscape PDF all
//! render. Rows whose values can be ranked carry the number they are ranked
//! by and which way is better, so the best and worst cells are marked the
//! same everywhere.

use crate::domain::attestation::{describe, holding};
use crate::domain::{self, decision::Stage};
use crate::error::Result;
use crate::model::{ClauseKind, EvidenceKind, Vendor};
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

#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    pub generator: String,
    pub as_of: String,
    pub score_formula: &'static str,
    pub vendors: Vec<Column>,
    pub groups: Vec<Group>,
}

/// One vendor's facts, gathered once.
struct Facts {
    vendor: Vendor,
    status: Option<domain::ReviewStatus>,
    clauses: Vec<crate::model::Clause>,
    evidence: Vec<crate::model::Evidence>,
    open_questions: usize,
    overdue_questions: usize,
}

/// Gathers the comparison of `vendors` (checked by the caller: two or more,
/// distinct, active) as of `today`.
pub fn gather(store: &Store, vendors: &[Vendor], today: NaiveDate) -> Result<Comparison> {
    let day = today.to_string();
    let facts: Vec<Facts> = vendors
        .iter()
        .map(|v| {
            // A reviewed vendor's clauses and evidence come with its status.
            let (status, clauses, evidence) = match store::review::current(store.conn(), v.id)? {
                Some(_) => {
                    let (status, records) =
                        domain::status::gather_status_and_records(store, v, today)?;
                    (Some(status), records.clauses, records.evidence)
                }
                None => (
                    None,
                    store::clause::for_vendor(store.conn(), v.id)?,
                    store::evidence::for_vendor(store.conn(), v.id)?,
                ),
            };
            let questions = store::question::list(store.conn(), Some(v.id), true, false, &day)?;
            Ok(Facts {
                vendor: v.clone(),
                status,
                clauses,
                evidence,
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
        attestations(&facts, today),
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
    for group in &mut groups {
        for row in &mut group.rows {
            mark(row);
        }
    }
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
    })
}

fn text(label: &str, facts: &[Facts], value: impl Fn(&Facts) -> String) -> Row {
    Row {
        label: label.into(),
        better: None,
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

/// Marks the best and worst cells of a ranked row: only when at least two
/// vendors have a number and not all numbers are equal.
fn mark(row: &mut Row) {
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
    let (best, worst) = match better {
        Better::Higher => (max, min),
        Better::Lower => (min, max),
    };
    for c in &mut row.cells {
        c.best = c.number == Some(best);
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

fn flags(facts: &[Facts]) -> Group {
    // An unread DPA raises few flags: a vendor whose DPA is not fully
    // recorded is shown but not ranked on flags, so it cannot look best.
    let unread = |f: &Facts| status(f).map_or(0, |s| s.unreviewed_clause_kinds.len());
    let mut rows: Vec<Row> = crate::model::FlagSeverity::ALL
        .iter()
        .map(|sev| {
            let mut row = ranked(&format!("Red flags: {sev}"), Better::Lower, facts, |f| {
                let n = *status(f)?.flags_by_severity.get(sev.as_str())?;
                Some((n.to_string(), n as f64))
            });
            for (cell, f) in row.cells.iter_mut().zip(facts) {
                if unread(f) > 0 && cell.number.is_some() {
                    cell.number = None;
                    cell.value.push_str(" (DPA partly unread)");
                }
            }
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
    rows.push(text("Waived flags", facts, |f| {
        status(f).map_or("-".into(), |s| s.waived_flags.to_string())
    }));
    Group {
        title: "Red flags (unwaived)".into(),
        rows,
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

fn dpa_terms(facts: &[Facts]) -> Group {
    use ClauseKind as K;
    let join = |v: &[String]| (!v.is_empty()).then(|| v.join(", "));
    let breach = term_row(
        "Breach notice",
        Better::Lower,
        facts,
        K::BreachNotification,
        |t| {
            let h = t.hours?;
            let mut text = format!("{h} h");
            if let Some(clock) = t.clock {
                text.push_str(&format!(" from {clock}"));
            }
            if t.where_feasible {
                text.push_str(", where feasible");
            }
            Some((text, f64::from(h)))
        },
    );
    let rows = vec![
        breach,
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
        text("Objection remedy", facts, |f| {
            term(f, K::Subprocessors, |t| t.remedy.map(|r| r.to_string()))
        }),
        days_term(
            "Deletion after exit",
            Better::Lower,
            facts,
            K::DeletionReturn,
            |t| t.deletion_days,
        ),
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
        text("Transfer mechanism", facts, |f| {
            term(f, K::Transfers, |t| {
                (!t.mechanism.is_empty()).then(|| {
                    let names: Vec<String> = t.mechanism.iter().map(|m| m.to_string()).collect();
                    names.join(", ")
                })
            })
        }),
        text("Audit rights", facts, |f| {
            term(f, K::AuditRights, |t| t.audit.map(|a| a.to_string()))
        }),
        text("Liability cap", facts, |f| {
            term(f, K::Liability, |t| {
                // The kind of cap, then its size: "separate-cap, 12 months of fees".
                let size = t
                    .cap_months
                    .map(|m| format!("{m} month{} of fees", if m == 1 { "" } else { "s" }))
                    .into_iter()
                    .chain(t.cap_amount.clone());
                let parts: Vec<String> = t
                    .cap
                    .map(|c| c.to_string())
                    .into_iter()
                    .chain(size)
                    .collect();
                (!parts.is_empty()).then(|| parts.join(", "))
            })
        }),
        text("AI training", facts, |f| {
            term(f, K::AiTraining, |t| t.ai_training.map(|a| a.to_string()))
        }),
    ];
    Group {
        title: "Key DPA terms".into(),
        rows,
    }
}

fn attestations(facts: &[Facts], today: NaiveDate) -> Group {
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
                describe(&holding(&f.evidence, *kind), today)
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
    (header, rows)
}
