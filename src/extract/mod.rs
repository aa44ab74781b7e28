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

/// One proposed clause: everything the document says about one kind,
/// however many sentences say it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Proposal {
    pub kind: &'static str,
    /// Term name (a long option of `clause add`) -> value; flags are `true`.
    /// A term in conflict holds the first value the document states.
    pub terms: BTreeMap<&'static str, Value>,
    /// Where each term is stated: the sentence it was read from.
    pub quotes: BTreeMap<&'static str, Quote>,
    /// Terms the document states with different values, each value with
    /// its quote, in document order; which one holds is the reviewer's call.
    pub conflicts: BTreeMap<&'static str, Vec<(Value, Quote)>>,
    /// The sections the terms were read in, in document order.
    pub section: Option<String>,
    pub page: Option<u32>,
    /// The sentences the terms were read from, each exactly
    /// `text[start..end]`, joined by " […] " in document order. A proposal
    /// with no terms (the document addresses the kind, no value could be
    /// read) quotes the sentence to read.
    pub quote: String,
    /// The first quoted sentence's start and the last one's end, in UTF-8
    /// bytes (they differ from characters once the text holds "é" or "§").
    pub start: usize,
    pub end: usize,
    pub confidence: f32,
    /// Another sentence states a different value for one of these terms.
    pub conflict: bool,
}

/// One sentence a proposal quotes: exactly `text[start..end]`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Quote {
    pub quote: String,
    pub section: Option<String>,
    pub page: Option<u32>,
    pub start: usize,
    pub end: usize,
}

/// How the parts of a joined quote are separated: an elision, as a reader
/// quoting two places of one agreement writes it.
pub const QUOTE_JOIN: &str = " […] ";

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
        TABLES
            .iter()
            .map(|t| Compiled {
                topic: pattern(t.topic),
                not: t.not.map(pattern),
                rules: t.rules.iter().map(|r| pattern(r.context)).collect(),
                unless: t.rules.iter().map(|r| r.unless.map(pattern)).collect(),
            })
            .collect()
    })
}

/// A table's pattern, compiled as the tables are.
fn pattern(p: &str) -> BytesRegex {
    // A space in a pattern is any run of whitespace: PDF text breaks
    // lines anywhere.
    let p = p.replace(' ', r"\s+");
    // A long bounded gap ("within 200 characters") costs as many automaton
    // states as its bound; within one sentence, an unbounded lazy gap says
    // the same.
    let p = long_gap().replace_all(&p, ".*?");
    BytesRegexBuilder::new(&p)
        .unicode(false)
        .case_insensitive(true)
        // A sentence wrapped over lines (PDF text) is still one.
        .dot_matches_new_line(true)
        .build()
        .unwrap_or_else(|e| panic!("pattern {p:?}: {e}"))
}

/// "for example, within", "e.g. at least": a number given as an example.
fn hedged() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"\b(for example|for instance|e\.g\.?|such as),?( \w+){0,3}$").expect("valid")
    })
}

/// "request (made) within", "ask within": a window the customer has.
fn request_window() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"\b(request|requests|ask|asks|notice)\b( \w+){0,2} (within|in)$")
            .expect("valid")
    })
}

/// `.{0,N}` with N of 60 or more, in a pattern's source.
fn long_gap() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"\.\{0,([6-9][0-9]|[1-9][0-9]{2,})\}").expect("valid"))
}

/// A sentence that defines a term ("\"Security Incident\" means ...",
/// "**Subprocessor**: any third party ..."). A definition states what a
/// word means, not a commitment: it is never a term by itself, but it tells
/// how the clauses that use the word read (see `definitions_apply`).
fn is_definition(sentence: &str) -> bool {
    static RE: OnceLock<BytesRegex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        BytesRegexBuilder::new(
            r#"(?x)^([\s\-*>\#]|\xe2\x80\xa2)*((\xc2\xa7|Section|Clause)?\s*\d+(\.\d+)*\.?(\*\*)?\s+)?(\(?[a-z0-9ivx]{1,5}[.)]\s*)*
               ([*_"']|\xe2\x80\x9c)*\s*[A-Z][A-Za-z0-9\ \-/&,.()]{1,80}?\s*([*_"']|\xe2\x80\x9d)*
               \s*(\([^)]{0,60}\)\s*)?
               (or\s+([*_"']|\xe2\x80\x9c)+[^"]{1,40}?([*_"']|\xe2\x80\x9d)+\s*)?
               (means|shall\ mean|has\ the\ meaning|refers\ to|is\ defined\ as|includes|:)"#,
        )
        .unicode(false)
        .build()
        .expect("the definition pattern is valid")
    });
    // Only a sentence that opens with a quoted or marked-up term, or with
    // "X means": a commitment that later says "means" is not a definition.
    let head = text::prefix(sentence, 240);
    let Some(m) = re.find(head.as_bytes()) else {
        return false;
    };
    let opening = &head[..m.end()];
    let marked = opening.contains('"')
        || opening.contains('\u{201c}')
        || opening.contains("**")
        || opening.contains("__");
    // "Term: ..." is a definition only when the term is marked as one.
    marked || !opening.trim_end().ends_with(':')
}

/// What one sentence states about one kind.
struct Hit {
    table: usize,
    sentence: usize,
    terms: BTreeMap<&'static str, Value>,
    confidence: f32,
}

/// Proposes clauses from a document: one proposal per kind it addresses.
pub fn extract(doc: &Document) -> Extraction {
    let sentences = text::sentences(&doc.text);
    let mut hits: Vec<Hit> = Vec::new();
    // The first sentence about each kind, for a kind addressed with no
    // value read: the reviewer is shown where to read.
    let mut first_topic: Vec<Option<usize>> = vec![None; TABLES.len()];
    let mut definitions: Vec<usize> = Vec::new();
    // A sentence that does not name its subject ("Customer may terminate
    // the affected Services") is read as part of the topic of the sentence
    // just before it in the same section.
    let mut last_on_topic: Vec<Option<(usize, Option<String>)>> = vec![None; TABLES.len()];
    for (n, s) in sentences.iter().enumerate() {
        let sentence = &doc.text[s.start..s.end];
        if is_definition(sentence) {
            definitions.push(n);
            continue;
        }
        let named_any: Vec<bool> = compiled()
            .iter()
            .map(|re| re.topic.is_match(sentence.as_bytes()))
            .collect();
        for (k, (table, re)) in TABLES.iter().zip(compiled()).enumerate() {
            if re
                .not
                .as_ref()
                .is_some_and(|no| no.is_match(sentence.as_bytes()))
            {
                continue;
            }
            let named = named_any[k];
            // A sentence about another kind is that kind's, not carried
            // into the topic of the one before it.
            let carried = !named
                && !named_any.iter().any(|n| *n)
                && last_on_topic[k].as_ref().is_some_and(|(at, section)| {
                    n - at <= 3 && top_section(section) == top_section(&s.section)
                });
            if named {
                last_on_topic[k] = Some((n, s.section.clone()));
                if first_topic[k].is_none() && worth_reading(sentence) {
                    first_topic[k] = Some(n);
                }
            }
            if !named && !carried {
                continue;
            }
            // A title ("2. Ex-EEA Transfers.") names a topic, it commits
            // to nothing.
            if sentence.split_whitespace().count() < 5 {
                continue;
            }
            let (terms, mut confidence) = read_terms(table, re, sentence);
            if carried {
                confidence *= 0.9;
            }
            if terms.is_empty() {
                continue;
            }
            hits.push(Hit {
                table: k,
                sentence: n,
                terms,
                confidence,
            });
        }
    }
    let mut proposals: Vec<Proposal> = Vec::new();
    for (k, table) in TABLES.iter().enumerate() {
        let mine: Vec<&Hit> = hits.iter().filter(|h| h.table == k).collect();
        let proposal = if mine.is_empty() {
            first_topic[k].map(|n| read_this(doc, table.kind, &sentences[n]))
        } else {
            Some(one_proposal(doc, table.kind, &sentences, &mine))
        };
        proposals.extend(proposal);
    }
    definitions_apply(doc, &sentences, &definitions, &mut proposals);
    proposals.sort_by_key(|p| p.start);
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

/// Adds `values` not already in `list` (a list term: mechanisms, regions,
/// government-request commitments; one value counts as a list of one),
/// in order, and says whether any was new.
fn add_to_list(list: &mut Value, values: &Value) -> bool {
    if !list.is_array() {
        *list = Value::Array(vec![list.take()]);
    }
    let Value::Array(list) = list else {
        unreachable!("made a list above")
    };
    let before = list.len();
    let new: &[Value] = match values {
        Value::Array(v) => v,
        one => std::slice::from_ref(one),
    };
    for v in new {
        if !list.contains(v) {
            list.push(v.clone());
        }
    }
    list.len() > before
}

/// A topic sentence worth sending the reviewer to: prose, not a heading or
/// a table of contents line.
fn worth_reading(sentence: &str) -> bool {
    sentence.split_whitespace().count() >= 8
}

fn quote_of(doc: &Document, s: &text::Sentence) -> Quote {
    Quote {
        quote: doc.text[s.start..s.end].to_string(),
        section: s.section.clone(),
        page: doc.page_of(s.start),
        start: s.start,
        end: s.end,
    }
}

/// A kind the document addresses with no value read: a proposal with no
/// terms, quoting where to read.
fn read_this(doc: &Document, kind: &'static str, s: &text::Sentence) -> Proposal {
    let q = quote_of(doc, s);
    Proposal {
        kind,
        terms: BTreeMap::new(),
        quotes: BTreeMap::new(),
        conflicts: BTreeMap::new(),
        section: q.section.clone(),
        page: q.page,
        quote: q.quote,
        start: q.start,
        end: q.end,
        confidence: 0.3,
        conflict: false,
    }
}

/// How two sentences' values of one term combine.
enum Combine {
    /// Both hold: the union, in document order (mechanisms, regions).
    Union,
    /// Both are read, the stronger stands for the clause (values listed
    /// strongest first): a DPA that promises to notify and to challenge
    /// a government request has both, and the challenge is what counts.
    Strongest(&'static [&'static str]),
    /// Different values contradict each other.
    Conflict,
}

fn combine(term: &str) -> Combine {
    match term {
        "mechanism" | "regions" | "gov" => Combine::Union,
        // "may terminate" then "will refund prepaid fees" is one remedy;
        // a decision at the vendor's discretion before termination is
        // still a termination right.
        "remedy" => {
            Combine::Strongest(&["terminate-refund", "terminate", "vendor-discretion", "none"])
        }
        // A notice sent only to subscribers is what the rest reduces to.
        "notice-channel" => Combine::Strongest(&["subscription-only", "email", "webpage"]),
        // Measures in an annex of the DPA, even ones the vendor may update.
        "annex" => Combine::Strongest(&["yes", "external-page", "industry-standard-only"]),
        // The broadest use the vendor keeps is the one that matters.
        "vendor-use" => Combine::Strongest(&[
            "training",
            "product-improvement",
            "deidentified-use",
            "service-only",
            "none",
        ]),
        // A DPA that states the right to audit and then routes it through
        // reports ("will only exercise its audit rights by instructing us
        // to provide reports") gives what the restriction leaves: the
        // weaker reading is the one a reviewer can rely on.
        "audit" => Combine::Strongest(&["none", "reports-only", "onsite"]),
        _ => Combine::Conflict,
    }
}

/// The hits of one kind as one proposal.
fn one_proposal(
    doc: &Document,
    kind: &'static str,
    sentences: &[text::Sentence],
    hits: &[&Hit],
) -> Proposal {
    let mut terms: BTreeMap<&'static str, Value> = BTreeMap::new();
    let mut quotes: BTreeMap<&'static str, Quote> = BTreeMap::new();
    let mut conflicts: BTreeMap<&'static str, Vec<(Value, Quote)>> = BTreeMap::new();
    let mut used: BTreeSet<usize> = BTreeSet::new();
    let mut confidence: f32 = 1.0;
    for h in hits {
        let q = || quote_of(doc, &sentences[h.sentence]);
        confidence = confidence.min(h.confidence);
        for (term, value) in &h.terms {
            let Some(old) = terms.get(term).cloned() else {
                terms.insert(term, value.clone());
                quotes.insert(term, q());
                used.insert(h.sentence);
                continue;
            };
            if old == *value {
                continue;
            }
            match combine(term) {
                Combine::Union => {
                    let list = terms.get_mut(term).expect("the term is read above");
                    // Only a sentence that adds a value joins the quote.
                    if add_to_list(list, value) {
                        used.insert(h.sentence);
                    }
                }
                Combine::Strongest(order) => {
                    let rank =
                        |v: &Value| order.iter().position(|o| v == *o).unwrap_or(order.len());
                    if rank(value) < rank(&old) {
                        terms.insert(term, value.clone());
                        quotes.insert(term, q());
                        used.insert(h.sentence);
                    }
                }
                Combine::Conflict => {
                    let list = conflicts
                        .entry(term)
                        .or_insert_with(|| vec![(old.clone(), quotes[term].clone())]);
                    if !list.iter().any(|(v, _)| v == value) {
                        list.push((value.clone(), q()));
                        used.insert(h.sentence);
                    }
                }
            }
        }
    }
    // The clock that counts is the one the deadline runs from: another
    // sentence that says "upon discovery" in passing is no contradiction.
    if let (Some(values), Some(deadline)) = (conflicts.get("clock"), quotes.get("hours")) {
        if let Some((value, quote)) = values.iter().find(|(_, q)| q.start == deadline.start) {
            terms.insert("clock", value.clone());
            quotes.insert("clock", quote.clone());
            conflicts.remove("clock");
        }
    }
    // A deadline read elsewhere replaces a "no deadline" read from a
    // sentence without one.
    if terms.contains_key("deletion-days") {
        terms.remove("no-deadline");
        quotes.remove("no-deadline");
    }
    let parts: Vec<&text::Sentence> = used.iter().map(|n| &sentences[*n]).collect();
    let mut sections: Vec<String> = Vec::new();
    for s in &parts {
        if let Some(sec) = &s.section {
            if !sections.contains(sec) {
                sections.push(sec.clone());
            }
        }
    }
    let first = parts.first().map_or(0, |s| s.start);
    // Sentences close together in one section are quoted with what stands
    // between them; places apart are joined by an elision.
    let mut quote = String::new();
    let mut last: Option<&text::Sentence> = None;
    for s in &parts {
        match last {
            Some(l)
                if s.start - l.end < 300 && top_section(&l.section) == top_section(&s.section) =>
            {
                quote.push_str(&doc.text[l.end..s.end]);
            }
            Some(_) => {
                quote.push_str(QUOTE_JOIN);
                quote.push_str(&doc.text[s.start..s.end]);
            }
            None => quote.push_str(&doc.text[s.start..s.end]),
        }
        last = Some(s);
    }
    Proposal {
        kind,
        conflict: !conflicts.is_empty(),
        terms,
        quotes,
        conflicts,
        section: (!sections.is_empty()).then(|| sections.join(", ")),
        page: doc.page_of(first),
        quote,
        start: first,
        end: parts.last().map_or(0, |s| s.end),
        confidence,
    }
}

/// The word a definition defines: "\"Security Incident\" means ..." gives
/// Security Incident.
fn defined_term(sentence: &str) -> Option<&str> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r#"^[\s\-*>#•]*(?:(?:§|Section|Clause)?\s*\d+(?:\.\d+)*\.?(?:\*\*)?\s+)?(?:\(?[a-z0-9ivx]{1,5}[.)]\s*)*(?:\*\*|__)?["“']?(?:\*\*|__)?([A-Z][A-Za-z0-9 \-]{1,60}?)(?:\*\*|__)?["”']?(?:\*\*|__)?\s*(?:\([^)]{0,60}\)\s*)?(?:means|shall mean|has the meaning|refers to|is defined as|includes|:)"#)
            .expect("valid")
    });
    re.captures(sentence)
        .and_then(|c| c.get(1))
        .map(|m| m.as_str().trim())
}

/// Reads the clauses in the light of the document's definitions:
/// - a breach notice about a term defined as a confirmed breach is owed
///   only for confirmed breaches;
/// - transfers made under a defined term ("the EEA SCCs") use the
///   mechanism its definition names (Implementing Decision 2021/914).
fn definitions_apply(
    doc: &Document,
    sentences: &[text::Sentence],
    definitions: &[usize],
    proposals: &mut Vec<Proposal>,
) {
    let defined: Vec<(&str, usize)> = definitions
        .iter()
        .filter_map(|n| {
            let s = &sentences[*n];
            defined_term(&doc.text[s.start..s.end]).map(|t| (t, *n))
        })
        .collect();
    static CONFIRMED: OnceLock<Regex> = OnceLock::new();
    let confirmed =
        CONFIRMED.get_or_init(|| Regex::new(r"(?i)\b(confirmed|actual|known)\b").expect("valid"));
    if let Some(breach) = proposals
        .iter_mut()
        .find(|p| p.kind == "breach-notification" && !p.terms.is_empty())
    {
        let lower = breach.quote.to_ascii_lowercase();
        let found = defined.iter().find(|(term, n)| {
            let s = &sentences[*n];
            let definition = &doc.text[s.start..s.end];
            let about_breach = term.to_ascii_lowercase().contains("breach")
                || term.to_ascii_lowercase().contains("incident");
            about_breach
                && confirmed.is_match(definition)
                && lower.contains(&term.to_ascii_lowercase())
        });
        if let (Some((_, n)), false) = (found, breach.terms.contains_key("confirmed-only")) {
            breach.terms.insert("confirmed-only", Value::Bool(true));
            breach
                .quotes
                .insert("confirmed-only", quote_of(doc, &sentences[*n]));
            breach.confidence = breach.confidence.min(0.7);
        }
    }
    // Mechanisms named by a definition, used where the defined word is.
    let k = TABLES
        .iter()
        .position(|t| t.kind == "transfers")
        .expect("a transfers table");
    let (table, re) = (&TABLES[k], &compiled()[k]);
    for (term, n) in &defined {
        let s = &sentences[*n];
        let (terms, _) = read_terms(table, re, &doc.text[s.start..s.end]);
        let Some(Value::Array(named)) = terms.get("mechanism") else {
            continue;
        };
        // The first sentence, not a definition, that relies on the word.
        let Some(user) = sentences.iter().enumerate().find(|(i, u)| {
            !definitions.contains(i) && {
                let text = &doc.text[u.start..u.end];
                text.contains(term) && re.topic.is_match(text.as_bytes())
            }
        }) else {
            continue;
        };
        let quote = quote_of(doc, user.1);
        let at = match proposals.iter().position(|p| p.kind == "transfers") {
            Some(at) => at,
            None => {
                proposals.push(read_this(doc, "transfers", user.1));
                proposals.len() - 1
            }
        };
        let p = &mut proposals[at];
        if p.terms.is_empty() {
            p.confidence = 0.8;
        }
        let list = p
            .terms
            .entry("mechanism")
            .or_insert_with(|| Value::Array(Vec::new()));
        add_to_list(list, &Value::Array(named.clone()));
        p.quotes.entry("mechanism").or_insert(quote);
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
    // Each duration's owner: the first rule of the table (its priority
    // order) whose context is in the text before it; a duration whose
    // context only follows it gets its rule only if no duration closer
    // after that context claims it ("if no request within 30 days, we
    // delete within 90 days": the 90 is the deletion period).
    let mut owners: Vec<Option<&patterns::Rule>> = Vec::with_capacity(durations.len());
    let mut after_only: Vec<Option<&patterns::Rule>> = Vec::with_capacity(durations.len());
    for (i, d) in durations.iter().enumerate() {
        let before = &sentence[if i == 0 { 0 } else { durations[i - 1].end }..d.start];
        let lower = before.trim_end().to_ascii_lowercase();
        // "every two years" is a frequency; "(for example, within 30
        // days)" an illustration: neither is a deadline.
        if lower.ends_with("every") || hedged().is_match(&lower) {
            owners.push(None);
            after_only.push(None);
            continue;
        }
        // "a request made within 30 days (after termination)" is the
        // customer's window to ask for its data, never a deletion period.
        if request_window().is_match(&lower) {
            let export = duration_rules
                .iter()
                .find(|(r, _)| r.term == "export-window-days")
                .map(|(r, _)| *r);
            owners.push(export);
            after_only.push(None);
            continue;
        }
        let after = &sentence[d.end..durations.get(i + 1).map_or(sentence.len(), |n| n.start)];
        owners.push(
            duration_rules
                .iter()
                .find(|(_, ctx)| ctx.is_match(before.as_bytes()))
                .map(|(r, _)| *r),
        );
        after_only.push(
            duration_rules
                .iter()
                .find(|(_, ctx)| ctx.is_match(after.as_bytes()))
                .map(|(r, _)| *r),
        );
    }
    for (i, d) in durations.iter().enumerate() {
        let owner = owners[i].or_else(|| {
            after_only[i].filter(|r| {
                !owners[i + 1..]
                    .iter()
                    .any(|o| o.is_some_and(|o| o.term == r.term))
            })
        });
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
        // Mechanisms and government-request commitments are lists: one
        // sentence may state several.
        let listed = matches!(rule.term, "mechanism" | "gov");
        if terms.contains_key(rule.term) && !listed {
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
                // Where the storage words are, not elsewhere in the sentence.
                let at = ctx.find(bytes).map_or(0, |m| m.start());
                let near = text::prefix(&sentence[at..], 200);
                let regions = regions(near);
                (!regions.is_empty()).then(|| Value::from(regions))
            }
            Read::AuditLimits => audit_limits(sentence).map(Value::from),
            Read::Hours | Read::Days | Read::Months => None,
        };
        if let Some(v) = value {
            if listed {
                let list = terms
                    .entry(rule.term)
                    .or_insert_with(|| Value::Array(Vec::new()));
                add_to_list(list, &v);
            } else {
                terms.insert(rule.term, v);
            }
            confidence = confidence.min(rule.confidence);
        }
    }
    (terms, confidence)
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
            (r"\b(European Union|Europe|EU|Germany|France|Ireland|Netherlands|Sweden|Finland|Belgium|Spain|Italy|Austria|Denmark|Poland|Portugal|Luxembourg|Frankfurt|Dublin|Amsterdam|Paris|Stockholm|Helsinki)\b", "EU"),
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
    // "Regulation (EU) 2016/679", "the EU GDPR", "UK law": a law's name
    // is not where data is.
    static LAWS: OnceLock<Regex> = OnceLock::new();
    let laws = LAWS.get_or_init(|| {
        Regex::new(r"(?i)\((EU|EC)\)( No)? ?\d{2,4}/\d+|\b(regulation|directive|decision) \((EU|EC)\)|\b(EU|EEA|UK|US|U\.S\.|Swiss|European Union|European|United Kingdom|United States)('s)?[- ](GDPR|general data protection|data protection|law|laws|addendum|SCCs?|standard contractual|representative|cloud act|privacy|commission|parliament|council|member states?|-U\.S\.)\w*|\bin (accordance|compliance|connection|relation|respect|line) with\b|\bin the context of\b")
            .expect("valid")
    });
    let sentence = laws.replace_all(&sentence, " ");
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
    let lower = sentence.to_ascii_lowercase();
    if !parts.iter().any(|p| p.ends_with("notice"))
        && (lower.contains("reasonable notice")
            || lower.contains("reasonable advance notice")
            || lower.contains("reasonable prior"))
    {
        parts.push("reasonable notice".to_string());
    }
    if lower.contains("business hours") {
        parts.push("business hours".to_string());
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
    fn two_deadlines_for_one_thing_are_one_proposal_in_conflict() {
        let got = propose("9.1 Provider shall notify Customer of a Security Incident within 48 hours.\n\nAnnex III Provider shall notify Customer of any Security Incident within 36 hours.\n");
        assert_eq!(got.len(), 1, "{got:?}");
        let p = &got[0];
        assert!(p.conflict);
        assert_eq!(p.terms["hours"], 48);
        let values: Vec<&Value> = p.conflicts["hours"].iter().map(|(v, _)| v).collect();
        assert_eq!(values, [&Value::from(48), &Value::from(36)]);
        assert_eq!(
            p.conflicts["hours"][1].1.section.as_deref(),
            Some("Annex III")
        );
        assert_eq!(p.section.as_deref(), Some("9.1, Annex III"));
        assert!(p.quote.contains(QUOTE_JOIN), "{}", p.quote);
    }

    /// "may terminate" and "will refund prepaid fees" in two sentences are
    /// one remedy, proposed once.
    #[test]
    fn one_fact_in_two_sentences_is_one_proposal() {
        let got = propose("7.4 If Customer objects to a new Subprocessor, Customer may terminate the affected Services. Provider will refund any prepaid fees for the terminated Services.\n");
        let subs: Vec<&Proposal> = got.iter().filter(|p| p.kind == "subprocessors").collect();
        assert_eq!(subs.len(), 1, "{got:?}");
        assert_eq!(subs[0].terms["remedy"], "terminate-refund");
        assert!(!subs[0].conflict);
    }

    /// A definition is never a term, but the notice clause that uses the
    /// defined word reads through it.
    #[test]
    fn a_definition_is_no_term_but_reads_the_clause_that_uses_it() {
        let defined = propose(
            "\"US Data Protection Laws\" means the laws of the United States on privacy.\n",
        );
        assert!(defined.iter().all(|p| p.terms.is_empty()), "{defined:?}");
        let text = "1.4 \"Security Incident\" means a confirmed breach of security leading to the accidental or unlawful destruction of Customer Data.\n\n9.1 Provider shall notify Customer of a Security Incident within 48 hours after becoming aware of it.\n";
        let got = propose(text);
        let breach = got
            .iter()
            .find(|p| p.kind == "breach-notification")
            .unwrap();
        assert_eq!(breach.terms["confirmed-only"], true);
        assert_eq!(breach.terms["hours"], 48);
        assert!(breach.quotes["confirmed-only"]
            .quote
            .contains("means a confirmed breach"));
        let other = "1.4 \"Security Incident\" means a confirmed breach of security.\n\n9.1 Provider shall notify Customer of a Personal Data Breach within 48 hours.\n";
        let got = propose(other);
        let breach = got
            .iter()
            .find(|p| p.kind == "breach-notification")
            .unwrap();
        assert!(!breach.terms.contains_key("confirmed-only"), "{breach:?}");
    }

    /// A kind the text addresses with no value read is still proposed,
    /// with no terms, quoting where to read.
    #[test]
    fn a_kind_addressed_without_a_value_is_a_read_this_proposal() {
        let got = propose("5.1 Provider shall notify Customer without undue delay of any Personal Data Breach affecting Customer Data.\n");
        let breach = got
            .iter()
            .find(|p| p.kind == "breach-notification")
            .unwrap();
        assert!(breach.terms.is_empty());
        assert!(breach.quote.starts_with("5.1 Provider shall notify"));
    }

    /// A run of like sentences is one proposal whose quote is its first.
    #[test]
    fn a_run_of_like_sentences_is_one_proposal() {
        let sentence = "Provider shall notify Customer of a Security Incident within 72 hours.";
        let text = format!("9.1 {}\n", vec![sentence; 50].join(" "));
        let doc = Document::from_text(Format::Text, text.clone());
        let got = extract(&doc).proposals;
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(&text[got[0].start..got[0].end], got[0].quote);
        assert_eq!(got[0].terms["hours"], 72);
    }

    #[test]
    fn quotes_are_exact_slices_of_the_text() {
        let text = "§ 7 Sub-processors\n7.2 Provider will notify Customer by email at least\nthirty (30) days before engaging a new Subprocessor. Customer may object within ten (10) days.\n";
        let doc = Document::from_text(Format::Text, text.to_string());
        for p in extract(&doc).proposals {
            for part in p.quote.split(QUOTE_JOIN) {
                assert!(text.contains(part), "{part:?}");
            }
            for q in p.quotes.values() {
                assert_eq!(&text[q.start..q.end], q.quote);
            }
        }
    }
}
