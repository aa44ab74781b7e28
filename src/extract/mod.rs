//! Reading a DPA for the reviewer: proposals of clause records (kind and
//! terms, in the vocabulary of `vetter clause add`), each with the verbatim
//! sentence it was read from, its section, page and offsets, and a
//! confidence. Deterministic and offline: rules over sentences, no model.
//! Nothing here records anything; the reviewer accepts proposals by
//! importing a clause file (`commands::clause_file`).
//!
//! - text.rs: the document as text (text, Markdown, HTML, PDF) and its
//!   sentences with their sections;
//! - numbers.rs: durations written in digits, words or both;
//! - patterns.rs: one table of rules per clause kind.

pub mod numbers;
pub mod patterns;
pub mod text;

use patterns::{Read, Table, TABLES};
use regex::bytes::{Regex as BytesRegex, RegexBuilder as BytesRegexBuilder};
use regex::Regex;
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;
pub use text::{Document, Format};

/// One proposed clause.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Proposal {
    pub kind: &'static str,
    /// Term name (a long option of `clause add`) -> value; flags are `true`.
    pub terms: BTreeMap<&'static str, Value>,
    pub section: Option<String>,
    pub page: Option<u32>,
    /// Exactly `text[start..end]` of the document: offsets in UTF-8 bytes,
    /// not characters (they differ once the text holds "é" or "§").
    pub quote: String,
    pub start: usize,
    pub end: usize,
    pub confidence: f32,
    /// Another proposal states a different value for one of these terms.
    pub conflict: bool,
}

/// What reading one document gave.
#[derive(Debug, Serialize)]
pub struct Extraction {
    pub format: &'static str,
    pub characters: usize,
    pub proposals: Vec<Proposal>,
    /// Clause kinds the document never addresses, for the reviewer to check
    /// (never proposed as absent on their own).
    pub not_found: Vec<&'static str>,
}

/// The tables, compiled once per process. They match bytes with ASCII
/// classes (`.` is any byte, `\b` and `\w` are ASCII's, case folding is
/// ASCII's): the patterns are English words, and Unicode classes under
/// `.{0,200}` repetitions make the automata many times larger to build.
struct Compiled {
    topic: BytesRegex,
    not: Option<BytesRegex>,
    rules: Vec<BytesRegex>,
    unless: Vec<Option<BytesRegex>>,
}

fn compiled() -> &'static [Compiled] {
    static TABLES_RE: OnceLock<Vec<Compiled>> = OnceLock::new();
    TABLES_RE.get_or_init(|| {
        let re = |p: &str| {
            // A space in a pattern is any run of whitespace: PDF text
            // breaks lines anywhere.
            let p = p.replace(' ', r"\s+");
            // A long bounded gap ("within 200 characters") costs as many
            // automaton states as its bound; within one sentence, an
            // unbounded lazy gap says the same.
            let p = long_gap().replace_all(&p, ".*?");
            BytesRegexBuilder::new(&p)
                .unicode(false)
                .case_insensitive(true)
                // A sentence wrapped over lines (PDF text) is still one.
                .dot_matches_new_line(true)
                .build()
                .unwrap_or_else(|e| panic!("pattern {p:?}: {e}"))
        };
        TABLES
            .iter()
            .map(|t| Compiled {
                topic: re(t.topic),
                not: t.not.map(re),
                rules: t.rules.iter().map(|r| re(r.context)).collect(),
                unless: t.rules.iter().map(|r| r.unless.map(re)).collect(),
            })
            .collect()
    })
}

/// `.{0,N}` with N of 60 or more, in a pattern's source.
fn long_gap() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"\.\{0,([6-9][0-9]|[1-9][0-9]{2,})\}").expect("valid"))
}

/// Proposes clauses from a document.
pub fn extract(doc: &Document) -> Extraction {
    let mut proposals = Vec::new();
    // A sentence that does not name its subject ("Customer may terminate
    // the affected Services") is read as part of the topic of the sentence
    // just before it in the same section.
    let mut last_on_topic: Vec<Option<(usize, Option<String>)>> = vec![None; TABLES.len()];
    for (n, s) in text::sentences(&doc.text).into_iter().enumerate() {
        let sentence = &doc.text[s.start..s.end];
        for (k, (table, re)) in TABLES.iter().zip(compiled()).enumerate() {
            if re
                .not
                .as_ref()
                .is_some_and(|no| no.is_match(sentence.as_bytes()))
            {
                continue;
            }
            let named = re.topic.is_match(sentence.as_bytes());
            let carried = !named
                && last_on_topic[k].as_ref().is_some_and(|(at, section)| {
                    n - at <= 3 && top_section(section) == top_section(&s.section)
                });
            if named {
                last_on_topic[k] = Some((n, s.section.clone()));
            }
            if !named && !carried {
                continue;
            }
            let (terms, mut confidence) = read_terms(table, re, sentence);
            if carried {
                confidence *= 0.9;
            }
            if terms.is_empty() {
                continue;
            }
            proposals.push(Proposal {
                kind: table.kind,
                terms,
                section: s.section.clone(),
                page: doc.page_of(s.start),
                quote: sentence.to_string(),
                start: s.start,
                end: s.end,
                confidence,
                conflict: false,
            });
        }
    }
    mark_conflicts(&mut proposals);
    let proposals = merge_neighbours(&doc.text, proposals);
    let found: BTreeSet<&str> = proposals.iter().map(|p| p.kind).collect();
    let not_found = TABLES
        .iter()
        .map(|t| t.kind)
        .filter(|k| *k != "baa" && !found.contains(k))
        .collect();
    Extraction {
        format: doc.format.as_str(),
        characters: doc.text.chars().count(),
        proposals,
        not_found,
    }
}

/// The terms one sentence states for one kind, and how sure we are.
fn read_terms(
    table: &Table,
    re: &Compiled,
    sentence: &str,
) -> (BTreeMap<&'static str, Value>, f32) {
    let mut terms: BTreeMap<&'static str, Value> = BTreeMap::new();
    let mut confidence: f32 = 1.0;
    // Durations go to the rule whose context stands closest before them
    // (since the last duration), else closest after them ("within 14 days
    // before a new Subprocessor...").
    let durations = numbers::durations(sentence);
    // The rules that may own a duration, in priority order: each rule's
    // `unless` is about the whole sentence, so it is asked once here, not
    // once per duration (a long sentence holds many).
    let duration_rules: Vec<_> = table
        .rules
        .iter()
        .zip(&re.rules)
        .zip(&re.unless)
        .filter(|((r, _), unless)| {
            matches!(r.read, Read::Hours | Read::Days | Read::Months)
                && !unless
                    .as_ref()
                    .is_some_and(|u| u.is_match(sentence.as_bytes()))
        })
        .map(|(rule, _)| rule)
        .collect();
    for (i, d) in durations.iter().enumerate() {
        let before = &sentence[if i == 0 { 0 } else { durations[i - 1].end }..d.start];
        // "every two years" is a frequency, not a deadline.
        if before.trim_end().to_ascii_lowercase().ends_with("every") {
            continue;
        }
        let after = &sentence[d.end..durations.get(i + 1).map_or(sentence.len(), |n| n.start)];
        // The first rule of the table (its priority order) whose context
        // is in the text before the duration, else in the text after it.
        let owner = duration_rules
            .iter()
            .find(|(_, ctx)| ctx.is_match(before.as_bytes()))
            .or_else(|| {
                duration_rules
                    .iter()
                    .find(|(_, ctx)| ctx.is_match(after.as_bytes()))
            })
            .map(|(r, _)| r);
        let Some(rule) = owner else { continue };
        let value = match rule.read {
            Read::Hours => d.hours().map(Value::from),
            // A notice or deletion period in business days is stated as
            // that number of days: the agreement's own number.
            Read::Days if d.unit == numbers::Unit::BusinessDays => Some(Value::from(d.value)),
            Read::Days => d.days().map(Value::from),
            Read::Months => (d.unit == numbers::Unit::Months).then_some(Value::from(d.value)),
            _ => None,
        };
        if let Some(v) = value {
            terms.entry(rule.term).or_insert(v);
            confidence = confidence.min(rule.confidence);
        }
    }
    for ((rule, ctx), unless) in table.rules.iter().zip(&re.rules).zip(&re.unless) {
        if terms.contains_key(rule.term) {
            continue;
        }
        let bytes = sentence.as_bytes();
        if !ctx.is_match(bytes) || unless.as_ref().is_some_and(|u| u.is_match(bytes)) {
            continue;
        }
        let value = match rule.read {
            Read::Is(v) => Some(Value::from(v)),
            Read::Flag => Some(Value::Bool(true)),
            Read::Url => url(sentence).map(Value::from),
            Read::Amount => amount(sentence).map(Value::from),
            Read::Regions => {
                let regions = regions(sentence);
                (!regions.is_empty()).then(|| Value::from(regions))
            }
            Read::AuditLimits => audit_limits(sentence).map(Value::from),
            Read::Hours | Read::Days | Read::Months => None,
        };
        if let Some(v) = value {
            terms.insert(rule.term, v);
            confidence = confidence.min(rule.confidence);
        }
    }
    (terms, confidence)
}

/// Two proposals stating different values for the same term of the same
/// kind are both marked: real DPAs contradict themselves, and which one
/// holds is the reviewer's call.
fn mark_conflicts(proposals: &mut [Proposal]) {
    let mut values: BTreeMap<(&str, &str), BTreeSet<String>> = BTreeMap::new();
    for p in proposals.iter() {
        for (term, value) in &p.terms {
            values
                .entry((p.kind, term))
                .or_default()
                .insert(value.to_string());
        }
    }
    for p in proposals.iter_mut() {
        p.conflict = p
            .terms
            .keys()
            .any(|term| values[&(p.kind, *term)].len() > 1);
    }
}

/// Consecutive proposals of the same kind in the same section (at most one
/// sentence apart) become one, quoting from the first to the last, unless
/// either is in conflict.
fn merge_neighbours(text: &str, proposals: Vec<Proposal>) -> Vec<Proposal> {
    let mut out: Vec<Proposal> = Vec::with_capacity(proposals.len());
    // Whether out[i] took in a later proposal: its quote is cut from the
    // text once, at the end. Cutting it at every merge copied the growing
    // quote each time, quadratic in a run of like sentences (a 1.4 MB
    // section of one repeated deadline took 0.8 s, twice that 4 s).
    let mut merged: Vec<bool> = Vec::with_capacity(proposals.len());
    for p in proposals {
        if let Some(last) = out.last_mut() {
            let between = &text[last.end..p.start.max(last.end)];
            let close = between.len() < 600;
            // Sections 7.1 and 7.2 are one clause of section 7.
            let same = last.kind == p.kind
                && top_section(&last.section) == top_section(&p.section)
                && !last.conflict
                && !p.conflict
                && close
                && p.start >= last.end
                // A sentence repeating a term with the same value joins
                // the clause; a different value starts another.
                && p.terms.iter().all(|(t, v)| last.terms.get(t).is_none_or(|lv| lv == v));
            if same {
                last.terms.extend(p.terms);
                last.end = p.end;
                last.confidence = last.confidence.min(p.confidence);
                *merged.last_mut().expect("one flag per proposal kept") = true;
                continue;
            }
        }
        out.push(p);
        merged.push(false);
    }
    for (p, merged) in out.iter_mut().zip(merged) {
        if merged {
            p.quote = text[p.start..p.end].to_string();
        }
    }
    out
}

/// "7" of "7.2" or "7(b)": sentences of one top-level section are read
/// together.
fn top_section(section: &Option<String>) -> Option<&str> {
    section
        .as_deref()
        .map(|s| s.split(['.', '(']).next().unwrap_or(s))
}

fn url(sentence: &str) -> Option<String> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| Regex::new(r#"https?://[^\s)\]>,;"']+"#).expect("valid"));
    re.find(sentence)
        .map(|m| m.as_str().trim_end_matches(['.', ':']).to_string())
}

fn amount(sentence: &str) -> Option<String> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"(?i)(USD|US\$|\$|EUR|€|£|GBP)\s?\d{1,3}(,\d{3})+(\.\d+)?|(USD|US\$|\$|EUR|€|£|GBP)\s?\d+(\.\d+)?(\s?(million|thousand))?").expect("valid")
    });
    re.find(sentence).map(|m| m.as_str().to_string())
}

/// Region names a sentence mentions, as short codes, in a fixed order.
fn regions(sentence: &str) -> Vec<String> {
    static RE: OnceLock<Vec<(Regex, &str)>> = OnceLock::new();
    let table = RE.get_or_init(|| {
        [
            (r"\b(European Economic Area|EEA)\b", "EEA"),
            (r"\b(European Union|EU)\b", "EU"),
            (r"\b(United States|U\.S\.A?\.?|USA)\b|\bUS\b", "US"),
            (r"\b(United Kingdom|UK|London)\b", "UK"),
            (r"\bCanada\b", "CA"),
            (r"\bAustralia\b", "AU"),
            (r"\bSwitzerland\b", "CH"),
            (r"\bJapan\b", "JP"),
            (r"\bSingapore\b", "SG"),
            (r"\bIndia\b", "IN"),
            (r"\bBrazil\b", "BR"),
        ]
        .into_iter()
        .map(|(p, code)| (Regex::new(p).expect("valid"), code))
        .collect()
    });
    // "transfers from the EEA and the UK to the United States": the data
    // goes to the last, not the first.
    static FROM: OnceLock<Regex> = OnceLock::new();
    let from = FROM.get_or_init(|| Regex::new(r"(?is)\bfrom\b.{0,160}?\bto\b").expect("valid"));
    let sentence = from.replace_all(sentence, " to ");
    table
        .iter()
        .filter(|(re, _)| re.is_match(&sentence))
        .map(|(_, code)| code.to_string())
        .collect()
}

/// "once per year, 30 days' notice, at our cost" from an audit clause.
fn audit_limits(sentence: &str) -> Option<String> {
    static RE: OnceLock<(Regex, Regex)> = OnceLock::new();
    let (once, cost) = RE.get_or_init(|| {
        (
            Regex::new(r"(?i)\bonce (per|in any|every|a) (calendar )?(year|twelve|12)")
                .expect("valid"),
            Regex::new(r"(?i)\b(customer'?s?|its own) (sole )?(cost|expense)").expect("valid"),
        )
    });
    let mut parts = Vec::new();
    if once.is_match(sentence) {
        parts.push("once per year".to_string());
    }
    let lower = sentence.to_ascii_lowercase();
    // "notice" somewhere after a duration: found once, compared per duration.
    let last_notice = lower.rfind("notice");
    if let Some(d) = numbers::durations(sentence).into_iter().find(|d| {
        lower[d.end..].trim_start().starts_with('\'') || last_notice.is_some_and(|n| n >= d.end)
    }) {
        if let Some(days) = d.days() {
            parts.push(format!("{days} days' notice"));
        }
    }
    if cost.is_match(sentence) {
        parts.push("at our cost".to_string());
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn propose(text: &str) -> Vec<Proposal> {
        extract(&Document::from_text(Format::Text, text.to_string())).proposals
    }

    /// Every rule's motivating sentence yields its term.
    #[test]
    fn every_rule_reads_the_sentence_that_motivated_it() {
        let mut failures = Vec::new();
        for table in TABLES {
            for rule in table.rules {
                let got = propose(rule.example);
                let found = got
                    .iter()
                    .any(|p| p.kind == table.kind && p.terms.contains_key(rule.term));
                if !found {
                    failures.push(format!(
                        "{} / {}: {:?} gave {:?}",
                        table.kind, rule.term, rule.example, got
                    ));
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn a_breach_clause_gives_hours_clock_and_where_feasible() {
        let p = &propose("9.1 Provider shall notify Customer without undue delay and, where feasible, within seventy-two (72) hours after becoming aware of a Personal Data Breach.")[0];
        assert_eq!(p.kind, "breach-notification");
        assert_eq!(p.terms["hours"], 72);
        assert_eq!(p.terms["where-feasible"], true);
        assert_eq!(p.terms["clock"], "awareness");
        assert_eq!(p.section.as_deref(), Some("9.1"));
    }

    #[test]
    fn seventy_two_hours_about_something_else_is_no_breach_deadline() {
        let got =
            propose("Provider will respond to support tickets about any incident within 72 hours.");
        assert!(
            got.iter().all(|p| p.kind != "breach-notification"),
            "{got:?}"
        );
    }

    #[test]
    fn deletion_and_backups_get_their_own_days() {
        let p = &propose("Provider will delete Customer Data within thirty (30) days after termination, and backups within ninety (90) days.")[0];
        assert_eq!(p.terms["deletion-days"], 30);
        assert_eq!(p.terms["backup-days"], 90);
    }

    #[test]
    fn two_deadlines_for_one_thing_are_both_shown_as_a_conflict() {
        let got = propose("9.1 Provider shall notify Customer of a Security Incident within 48 hours.\n\nAnnex III Provider shall notify Customer of any Security Incident within 36 hours.\n");
        let breach: Vec<&Proposal> = got
            .iter()
            .filter(|p| p.kind == "breach-notification")
            .collect();
        assert_eq!(breach.len(), 2, "{got:?}");
        assert!(breach.iter().all(|p| p.conflict));
        assert_eq!(breach[0].terms["hours"], 48);
        assert_eq!(breach[1].terms["hours"], 36);
    }

    /// A run of like sentences merges into one proposal whose quote is cut
    /// from the text once, after the run (see `merge_neighbours`).
    #[test]
    fn a_run_of_like_sentences_is_one_proposal_quoting_all_of_them() {
        let sentence = "Provider shall notify Customer of a Security Incident within 72 hours.";
        let text = format!("9.1 {}\n", vec![sentence; 50].join(" "));
        let doc = Document::from_text(Format::Text, text.clone());
        let got = extract(&doc).proposals;
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].quote, text.trim_end());
        assert_eq!(&text[got[0].start..got[0].end], got[0].quote);
        assert_eq!(got[0].terms["hours"], 72);
    }

    #[test]
    fn quotes_are_exact_slices_of_the_text() {
        let text = "§ 7 Sub-processors\n7.2 Provider will notify Customer by email at least\nthirty (30) days before engaging a new Subprocessor. Customer may object within ten (10) days.\n";
        let doc = Document::from_text(Format::Text, text.to_string());
        for p in extract(&doc).proposals {
            assert_eq!(&text[p.start..p.end], p.quote);
        }
    }
}
