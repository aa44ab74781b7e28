//! "Changed since the decision": every record of a packet as decided that
//! reads otherwise today, with the value decided on beside the current one.
//! Both sides are whole packets gathered by the same code (one from the
//! register as of the decision, one from the register now), so a change is
//! anything a reader of the two packets would see differ.

use super::Packet;
use serde::Serialize;
use std::collections::BTreeMap;

/// changed-since.json: the changes, and when "now" was read.
#[derive(Debug, Serialize)]
pub struct ChangedSince {
    pub format_version: u32,
    pub as_decided: crate::domain::as_decided::AsDecided,
    /// The date the current records were read on (the export's as-of date).
    pub now: String,
    pub changes: Vec<ChangeRow>,
}

/// changed-since.json's format version.
pub const FORMAT_VERSION: u32 = 1;

/// One record that changed since the decision. `decided` or `now` is empty
/// where the record did not exist on that side.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ChangeRow {
    /// vendor, profile, score, review, flag, clause, subprocessor,
    /// evidence, question, finding, contract, questionnaire.
    pub record: &'static str,
    /// Its id ("#12"), rule and clause for a flag, key for the profile.
    pub id: String,
    /// What changed: a field, or "added" / "removed".
    pub field: String,
    pub decided: String,
    pub now: String,
}

/// What reads otherwise in `now` than in `decided`, record kind by kind in
/// the packet's order.
pub fn between(decided: &Packet, now: &Packet) -> Vec<ChangeRow> {
    let mut out = Vec::new();
    // The vendor and the profile: field by field.
    fields(
        &mut out,
        "vendor",
        &decided.vendor.slug,
        &serde_json::to_value(&decided.vendor).unwrap_or_default(),
        &serde_json::to_value(&now.vendor).unwrap_or_default(),
        &["updated_at"],
    );
    let profile = |p: &Packet| -> BTreeMap<String, String> {
        p.profile
            .iter()
            .map(|r| (r.key.clone(), r.value.clone()))
            .collect()
    };
    keyed(
        &mut out,
        "profile",
        &profile(decided),
        &profile(now),
        "value",
    );
    // The score and the review's sign-off.
    let score = |p: &Packet| {
        let s = &p.summary.score;
        BTreeMap::from([
            ("rating".to_string(), format!("{}", s.rating)),
            (
                "compliance".to_string(),
                s.compliance
                    .map(|c| format!("{:.1}% ({} of {})", c * 100.0, s.earned, s.possible))
                    .unwrap_or_else(|| "none".into()),
            ),
        ])
    };
    for (key, (a, b)) in pair(&score(decided), &score(now)) {
        push(&mut out, "score", key.clone(), "value", a, b);
    }
    if decided.decision != now.decision || decided.review.number != now.review.number {
        push(
            &mut out,
            "review",
            format!("#{}", decided.review.number),
            "decision",
            Some(&decided.decision),
            Some(&format!("review #{}: {}", now.review.number, now.decision)),
        );
    }
    // Flags by rule and clause: raised, gone, or severity and waiver.
    let flags = |p: &Packet| -> BTreeMap<String, String> {
        p.flags
            .iter()
            .map(|f| {
                let key = match f.clause {
                    Some(c) => format!("{} (clause #{c})", f.rule),
                    None => f.rule.to_string(),
                };
                let waived = match (&f.waiver, f.waived) {
                    (Some(w), true) => format!(
                        "; waived{}",
                        w.until
                            .as_deref()
                            .map(|u| format!(" until {u}"))
                            .unwrap_or_default()
                    ),
                    _ => String::new(),
                };
                (key, format!("{}{waived}: {}", f.severity, f.message))
            })
            .collect()
    };
    keyed(&mut out, "flag", &flags(decided), &flags(now), "flag");
    let clauses = |p: &Packet| -> BTreeMap<String, String> {
        p.clauses
            .iter()
            .map(|c| {
                let quote = c.clause.quote.as_deref().unwrap_or("");
                (
                    format!("#{}", c.clause.id),
                    format!(
                        "{}: {}{}",
                        c.clause.label(),
                        if c.clause.absent {
                            "absent"
                        } else {
                            c.terms_summary.as_str()
                        },
                        if quote.is_empty() {
                            String::new()
                        } else {
                            format!(" \u{2014} \u{201c}{quote}\u{201d}")
                        }
                    ),
                )
            })
            .collect()
    };
    keyed(
        &mut out,
        "clause",
        &clauses(decided),
        &clauses(now),
        "terms",
    );
    let subprocessors = |p: &Packet| -> BTreeMap<String, String> {
        p.subprocessors
            .iter()
            .map(|s| {
                (
                    s.name.clone(),
                    format!("{} ({}), seen {}", s.purpose, s.location, s.seen),
                )
            })
            .collect()
    };
    keyed(
        &mut out,
        "subprocessor",
        &subprocessors(decided),
        &subprocessors(now),
        "listing",
    );
    let evidence = |p: &Packet| -> BTreeMap<String, String> {
        p.evidence
            .iter()
            .map(|e| {
                let e = &e.evidence;
                (
                    format!("#{}", e.id),
                    format!(
                        "{} {}{}",
                        e.kind,
                        e.name(),
                        e.valid_until
                            .as_deref()
                            .map(|u| format!(", valid until {u}"))
                            .unwrap_or_default()
                    ),
                )
            })
            .collect()
    };
    keyed(
        &mut out,
        "evidence",
        &evidence(decided),
        &evidence(now),
        "record",
    );
    let questions = |p: &Packet| -> BTreeMap<String, String> {
        p.questions
            .iter()
            .map(|q| {
                let mut state = q.status.to_string();
                if let Some(r) = &q.resolution {
                    state.push_str(&format!(" ({r})"));
                }
                if let Some(a) = &q.answer {
                    state.push_str(&format!(": \u{201c}{a}\u{201d}"));
                }
                (format!("#{}", q.id), format!("{} \u{2014} {state}", q.text))
            })
            .collect()
    };
    keyed(
        &mut out,
        "question",
        &questions(decided),
        &questions(now),
        "status",
    );
    // Findings are append-only: only additions (a newer finding supersedes).
    if decided.review.number == now.review.number {
        let known: std::collections::BTreeSet<i64> =
            decided.findings.iter().map(|f| f.id).collect();
        for f in now.findings.iter().filter(|f| !known.contains(&f.id)) {
            push(
                &mut out,
                "finding",
                format!("#{}", f.id),
                "added",
                None,
                Some(&format!("{} {} ({})", f.item, f.status, f.source)),
            );
        }
    }
    let contracts = |p: &Packet| -> BTreeMap<String, String> {
        p.contracts
            .iter()
            .map(|c| {
                let ended = c
                    .contract
                    .ended
                    .as_ref()
                    .map(|e| format!("; ended {}", e.on))
                    .unwrap_or_default();
                (
                    format!("#{}", c.contract.id),
                    format!("{}{ended}", c.in_words),
                )
            })
            .collect()
    };
    keyed(
        &mut out,
        "contract",
        &contracts(decided),
        &contracts(now),
        "terms",
    );
    let questionnaires = |p: &Packet| -> BTreeMap<String, String> {
        p.questionnaires
            .iter()
            .map(|q| {
                (
                    format!("#{}", q.meta.id),
                    format!(
                        "{} {} imported {}",
                        q.meta.format, q.meta.version, q.meta.imported_at
                    ),
                )
            })
            .collect()
    };
    keyed(
        &mut out,
        "questionnaire",
        &questionnaires(decided),
        &questionnaires(now),
        "import",
    );
    out
}

fn push(
    out: &mut Vec<ChangeRow>,
    record: &'static str,
    id: String,
    field: &str,
    decided: Option<&String>,
    now: Option<&String>,
) {
    out.push(ChangeRow {
        record,
        id,
        field: field.to_string(),
        decided: decided.cloned().unwrap_or_default(),
        now: now.cloned().unwrap_or_default(),
    });
}

/// Keys on either side whose values differ (or that one side lacks).
/// A key with its value on each side (None where a side lacks it).
type Paired<'a> = (&'a String, (Option<&'a String>, Option<&'a String>));

fn pair<'a>(a: &'a BTreeMap<String, String>, b: &'a BTreeMap<String, String>) -> Vec<Paired<'a>> {
    let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    keys.into_iter()
        .map(|k| (k, (a.get(k), b.get(k))))
        .filter(|(_, (x, y))| x != y)
        .collect()
}

/// Records keyed by id: added, removed, or changed in `field`.
fn keyed(
    out: &mut Vec<ChangeRow>,
    record: &'static str,
    decided: &BTreeMap<String, String>,
    now: &BTreeMap<String, String>,
    field: &str,
) {
    for (key, (a, b)) in pair(decided, now) {
        let field = match (a, b) {
            (None, _) => "added",
            (_, None) => "removed",
            _ => field,
        };
        push(out, record, key.clone(), field, a, b);
    }
}

/// A record's fields (as its JSON has them), but `skip`.
fn fields(
    out: &mut Vec<ChangeRow>,
    record: &'static str,
    id: &str,
    decided: &serde_json::Value,
    now: &serde_json::Value,
    skip: &[&str],
) {
    let (Some(a), Some(b)) = (decided.as_object(), now.as_object()) else {
        return;
    };
    for (key, value) in a {
        if skip.contains(&key.as_str()) {
            continue;
        }
        let other = b.get(key).unwrap_or(&serde_json::Value::Null);
        if value != other {
            push(
                out,
                record,
                id.to_string(),
                key,
                Some(&shown(value)),
                Some(&shown(other)),
            );
        }
    }
}

fn shown(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(items) => items.iter().map(shown).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}
