//! Mappings from questionnaire question ids to checklist items (TOML files
//! under mappings/, or the user's own), and how answers become findings.
//!
//! The rules (docs/questionnaires.md): Yes -> met, No -> not-met, NA -> n/a,
//! blank -> unknown (never not-met); when several questions map to one item
//! the worst answer wins (not-met, then unknown, then partial, then met;
//! n/a counts only when every answer is n/a); a relation other than `equal`
//! caps met at partial; the owner comes from the questionnaire's ownership
//! (all agree -> that owner, else shared).

use super::{Answer, AnswerRow, Filled, Format};
use crate::error::{Error, Result};
use crate::model::{Owner, Status};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};

/// The built-in mappings, by file name.
pub const BUILT_IN: &[(&str, &str)] = &[
    (
        "caiq-v4.0.x.toml",
        include_str!("../../mappings/caiq-v4.0.x.toml"),
    ),
    (
        "hecvat-3.x.toml",
        include_str!("../../mappings/hecvat-3.x.toml"),
    ),
    (
        "hecvat-3.x-full.toml",
        include_str!("../../mappings/hecvat-3.x-full.toml"),
    ),
    (
        "hecvat-4.x.toml",
        include_str!("../../mappings/hecvat-4.x.toml"),
    ),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Relation {
    Equal,
    Subset,
    Superset,
    Intersect,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub question: String,
    pub item: String,
    pub relation: Relation,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    pub questionnaire: String,
    #[serde(default)]
    pub versions: Vec<String>,
    /// HECVAT 3's edition, `Lite` or `Full`: their question ids differ.
    /// None for a questionnaire that has one edition (CAIQ, HECVAT 4).
    #[serde(default)]
    pub edition: Option<String>,
    pub checklist: String,
    #[serde(rename = "map", default)]
    pub entries: Vec<Entry>,
    /// Where it came from ("built-in caiq-v4.0.x.toml", or a path), and its
    /// SHA-256: what the audit event records.
    #[serde(skip)]
    pub source: String,
    #[serde(skip)]
    pub sha256: String,
}

impl Mapping {
    pub fn parse(text: &str, source: &str) -> Result<Mapping> {
        let mut m: Mapping = toml::from_str(text).map_err(|e| {
            let (line, col) = e
                .span()
                .map(|s| {
                    let before = &text[..s.start.min(text.len())];
                    (before.matches('\n').count() + 1, before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1)
                })
                .unwrap_or((0, 0));
            Error::user(format!("mapping '{source}' line {line}, column {col}: {}", e.message()))
                .with_hint("a mapping has questionnaire, versions, checklist and [[map]] tables of question, item, relation")
        })?;
        m.source = source.to_string();
        m.sha256 = crate::digest::sha256_hex(text.as_bytes());
        Ok(m)
    }

    /// The built-in mapping for a questionnaire's format, edition and
    /// version; a workbook none covers is refused, naming those that are.
    pub fn built_in(filled: &Filled) -> Result<Mapping> {
        let mut covered = Vec::new();
        for (name, text) in BUILT_IN {
            let m = Mapping::parse(text, &format!("built-in {name}"))?;
            if m.questionnaire != filled.format.as_str() {
                continue;
            }
            if m.edition.as_deref() == filled.edition && m.versions.contains(&filled.version) {
                return Ok(m);
            }
            covered.push(m.covers());
        }
        let found = match (filled.format, filled.edition) {
            (Format::Hecvat, None) if filled.version.starts_with("3.") => format!(
                "HECVAT {} (the workbook does not say whether it is Lite or Full)",
                filled.version
            ),
            _ => filled.title(),
        };
        let mut err = Error::user(format!("no built-in mapping for {found}"));
        if !covered.is_empty() {
            err = err.with_hint(format!(
                "built-in mappings cover {}; question ids change meaning between versions and editions, so pass a mapping written for this workbook's ids with --mapping FILE (docs/questionnaires.md says how)",
                covered.join("; ")
            ));
        } else {
            err = err.with_hint("pass your own with --mapping FILE (see docs/questionnaires.md)");
        }
        Err(err)
    }

    /// What a mapping is for, as a person says it: "HECVAT Full 3.04, 3.05, 3.06".
    pub fn covers(&self) -> String {
        let name = match self.questionnaire.as_str() {
            "caiq" => "CAIQ".to_string(),
            "hecvat" => "HECVAT".to_string(),
            other => other.to_string(),
        };
        match &self.edition {
            Some(edition) => format!("{name} {edition} {}", self.versions.join(", ")),
            None => format!("{name} {}", self.versions.join(", ")),
        }
    }

    /// Refuses a mapping made for another questionnaire or version.
    pub fn check_fits(&self, filled: &Filled) -> Result<()> {
        let fits_format =
            filled.format == Format::Csv || self.questionnaire == filled.format.as_str();
        let fits_version = filled.format == Format::Csv
            || self.versions.is_empty()
            || self.versions.contains(&filled.version);
        // A mapping that names an edition fits only that edition.
        let fits_edition = match (&self.edition, filled.edition) {
            (Some(wanted), Some(found)) => wanted.eq_ignore_ascii_case(found),
            (Some(_), None) => filled.format == Format::Csv,
            (None, _) => true,
        };
        if !fits_format || !fits_version || !fits_edition {
            let found = match filled.edition {
                Some(edition) => format!("{} {edition} {}", filled.format.as_str(), filled.version),
                None => format!("{} {}", filled.format.as_str(), filled.version),
            };
            return Err(Error::user(format!(
                "mapping '{}' is for {}, not {found}",
                self.source,
                self.covers(),
            ))
            .with_hint("question ids change meaning between questionnaires and versions: use a mapping made for this one"));
        }
        Ok(())
    }

    /// Problems of the mapping against the items a checklist has: unknown
    /// items (with did-you-mean) and duplicate question-item pairs.
    pub fn problems(&self, items: &[String]) -> Vec<String> {
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        for e in &self.entries {
            if !items.contains(&e.item) {
                let hint = crate::error::did_you_mean(&e.item, items.iter().map(String::as_str))
                    .map(|c| format!(" (did you mean {c}?)"))
                    .unwrap_or_default();
                out.push(format!(
                    "{} maps to unknown item '{}'{hint}",
                    e.question, e.item
                ));
            }
            if !seen.insert((&e.question, &e.item)) {
                out.push(format!("{} maps to {} twice", e.question, e.item));
            }
        }
        out
    }
}

/// What one checklist item gets from the answers mapped to it.
#[derive(Debug, Clone, Serialize)]
pub struct Derived {
    pub item: String,
    pub status: Status,
    pub owner: Option<Owner>,
    /// "CAIQ A&A-01.1 yes, CEK-03.1 no (subset): <the vendor's words>".
    pub note: String,
    pub questions: Vec<String>,
}

/// Findings for the items of `review_items`, from the answers the mapping
/// maps to them.
pub fn derive(filled: &Filled, mapping: &Mapping, review_items: &[String]) -> Vec<Derived> {
    let by_question: BTreeMap<&str, &AnswerRow> = filled
        .answers
        .iter()
        .map(|a| (a.question.as_str(), a))
        .collect();
    let mut per_item: BTreeMap<&str, Vec<(&AnswerRow, Relation)>> = BTreeMap::new();
    for e in &mapping.entries {
        if let Some(a) = by_question.get(e.question.as_str()) {
            per_item.entry(&e.item).or_default().push((a, e.relation));
        }
    }
    let label = match filled.format {
        Format::Caiq => "CAIQ",
        Format::Hecvat => "HECVAT",
        Format::Csv => "questionnaire",
    };
    let mut out = Vec::new();
    for item in review_items {
        let Some(answers) = per_item.get(item.as_str()) else {
            continue;
        };
        let status = worst(answers);
        let owners: HashSet<&str> = answers.iter().filter_map(|(a, _)| a.owner).collect();
        let owner = match owners.len() {
            0 => None,
            1 => owners.iter().next().and_then(|o| o.parse().ok()),
            _ => Some(Owner::Shared),
        };
        let listed: Vec<String> = answers
            .iter()
            .map(|(a, r)| {
                let rel = if *r == Relation::Equal {
                    String::new()
                } else {
                    format!(" ({})", relation_name(*r))
                };
                format!("{} {}{rel}", a.question, a.answer.as_str())
            })
            .collect();
        let words: Vec<String> = answers
            .iter()
            .filter_map(|(a, _)| {
                a.description
                    .as_ref()
                    .map(|d| format!("{}: \"{}\"", a.question, d))
            })
            .collect();
        let mut note = format!("{label} {}", listed.join(", "));
        if !words.is_empty() {
            note.push_str("; vendor says ");
            note.push_str(&words.join("; "));
        }
        // A note is capped at 64 KiB (docs: Limits); long descriptions are cut
        // at a character boundary with the question ids kept.
        let cap = crate::validate::MAX_TEXT_BYTES - 64;
        if note.len() > cap {
            let mut end = cap;
            while !note.is_char_boundary(end) {
                end -= 1;
            }
            note.truncate(end);
            note.push_str(" [cut: see questionnaire show]");
        }
        out.push(Derived {
            item: item.clone(),
            status,
            owner,
            note,
            questions: answers.iter().map(|(a, _)| a.question.clone()).collect(),
        });
    }
    out
}

fn relation_name(r: Relation) -> &'static str {
    match r {
        Relation::Equal => "equal",
        Relation::Subset => "subset",
        Relation::Superset => "superset",
        Relation::Intersect => "intersect",
    }
}

/// The worst status among the answers (see the module comment).
fn worst(answers: &[(&AnswerRow, Relation)]) -> Status {
    let statuses: Vec<Status> = answers
        .iter()
        .map(|(a, r)| match (a.answer, r) {
            (Answer::Yes, Relation::Equal) => Status::Met,
            (Answer::Yes, _) => Status::Partial,
            (Answer::No, _) => Status::NotMet,
            (Answer::Na, _) => Status::NotApplicable,
            (Answer::Blank, _) => Status::Unknown,
        })
        .collect();
    let rank = |s: &Status| match s {
        Status::NotMet => 0,
        Status::Unknown => 1,
        Status::Partial => 2,
        Status::Met => 3,
        Status::NotApplicable => 4,
    };
    let applicable: Vec<&Status> = statuses
        .iter()
        .filter(|s| **s != Status::NotApplicable)
        .collect();
    if applicable.is_empty() {
        return Status::NotApplicable;
    }
    **applicable
        .iter()
        .min_by_key(|s| rank(s))
        .expect("not empty")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(q: &str, answer: Answer, owner: Option<&'static str>) -> AnswerRow {
        AnswerRow {
            question: q.into(),
            answer,
            owner,
            description: Some(format!("words for {q}")),
            cell: "x".into(),
        }
    }

    fn mapping(entries: &[(&str, &str, Relation)]) -> Mapping {
        Mapping {
            questionnaire: "caiq".into(),
            versions: vec!["4.0.3".into()],
            edition: None,
            checklist: "backend-platform".into(),
            entries: entries
                .iter()
                .map(|(q, i, r)| Entry {
                    question: q.to_string(),
                    item: i.to_string(),
                    relation: *r,
                })
                .collect(),
            source: "test".into(),
            sha256: String::new(),
        }
    }

    #[test]
    fn the_worst_answer_wins_and_a_partial_relation_caps_met() {
        let filled = Filled {
            format: Format::Caiq,
            version: "4.0.3".into(),
            edition: None,
            answers: vec![
                row("CEK-03.1", Answer::Yes, Some("vendor")),
                row("CEK-03.2", Answer::No, Some("vendor")),
                row("IAM-14.1", Answer::Yes, Some("vendor")),
                row("IAM-14.2", Answer::Blank, Some("customer")),
                row("LOG-01.1", Answer::Yes, None),
                row("DSP-07.1", Answer::Na, None),
            ],
        };
        let m = mapping(&[
            ("CEK-03.1", "enc", Relation::Equal),
            ("CEK-03.2", "enc", Relation::Equal),
            ("IAM-14.1", "mfa", Relation::Equal),
            ("IAM-14.2", "mfa", Relation::Equal),
            ("LOG-01.1", "log", Relation::Subset),
            ("DSP-07.1", "na", Relation::Equal),
        ]);
        let items: Vec<String> = ["enc", "mfa", "log", "na", "unmapped"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let d = derive(&filled, &m, &items);
        let status = |i: &str| d.iter().find(|x| x.item == i).unwrap().status;
        assert_eq!(status("enc"), Status::NotMet);
        assert_eq!(
            status("mfa"),
            Status::Unknown,
            "a blank is unknown, never not-met"
        );
        assert_eq!(status("log"), Status::Partial, "subset caps met at partial");
        assert_eq!(status("na"), Status::NotApplicable);
        assert!(d.iter().all(|x| x.item != "unmapped"));
        let mfa = d.iter().find(|x| x.item == "mfa").unwrap();
        assert_eq!(mfa.owner, Some(Owner::Shared), "owners disagree");
        assert!(
            mfa.note.starts_with(
                "CAIQ IAM-14.1 yes, IAM-14.2 blank; vendor says IAM-14.1: \"words for IAM-14.1\""
            ),
            "{}",
            mfa.note
        );
    }
}
