//! The audit packet: one model gathered once from the store, rendered three
//! ways (csv.rs, json.rs, pdf/). Every table the PDF prints is a Vec here, so
//! the CSV and JSON carry exactly the PDF's rows. docs/packet-format.md
//! documents every file and column.

pub mod changes;
pub mod compare;
pub mod csv;
pub mod ics;
pub mod json;
pub mod pdf;

use crate::domain::VendorRecords;
use crate::domain::{Counts, Coverage};
use crate::error::Result;
use crate::model::{Clause, Evidence, Finding, Owner, Review, Vendor};
use crate::profile::Profile;
use crate::rules::Flag;
use crate::store::{self, audit::Event, question::Question, Store};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// The packet format's version, carried in packet.json. Bump it when a
/// column or field changes meaning or disappears (3: `questionnaire`, one
/// object or null, became `questionnaires`, a list; 4: the audit trail names
/// a review by its per-vendor number, not its internal id; 7: `rules` and
/// `as_decided`).
pub const FORMAT_VERSION: u32 = 7;

/// How far ahead the summary looks for evidence and clauses about to expire.
pub const EXPIRY_WINDOW_DAYS: i64 = 90;

#[derive(Debug, Serialize)]
pub struct Packet {
    pub format_version: u32,
    pub generator: String,
    /// The date the packet speaks for: flags, overdue questions and expiry are
    /// judged on it.
    pub as_of: String,
    pub prepared_by: String,
    /// The rules the flags were judged by.
    pub rules: crate::rules::RulesVersion,
    /// Set by `export --as-decided`: the decision the records are as of.
    pub as_decided: Option<crate::domain::as_decided::AsDecided>,
    /// With `as_decided`: what reads otherwise today (changed-since.csv and
    /// changed-since.json, and the PDF's closing section; not packet.json,
    /// which holds only the records as decided).
    #[serde(skip)]
    pub changed_since: Option<changes::ChangedSince>,
    pub vendor: Vendor,
    /// The vendor's hosting model from reference/hosting-models.toml, when
    /// its hosting is recorded.
    pub hosting_model: Option<crate::hosting::HostingModel>,
    pub review: Review,
    /// The decision in one line ("approve by bob on 2026-11-26; ..." or
    /// "pending: ..."), as the cover and portfolio.csv show it.
    pub decision: String,
    /// The four-eyes sign-off: stage, who submitted and decided, the
    /// decision, conditions, override and next review date, with history.
    pub signoff: crate::domain::decision::Outcome,
    /// Every profile key with its value, defaults included.
    pub profile: Vec<ProfileRow>,
    pub summary: Summary,
    pub flags: Vec<Flag>,
    pub items: Vec<ItemRow>,
    pub findings: Vec<Finding>,
    pub clauses: Vec<ClauseRow>,
    pub questions: Vec<Question>,
    pub evidence: Vec<EvidenceRow>,
    pub subprocessors: Vec<crate::model::Subprocessor>,
    /// The vendor's contracts, ended ones included, each with where it
    /// stands on the as-of date.
    pub contracts: Vec<crate::domain::contract::Shown>,
    /// The questionnaires (CAIQ, HECVAT, CSV) imported into this review on
    /// or before the as-of date, newest first: every answer of each, with
    /// the items each fed.
    pub questionnaires: Vec<QuestionnaireSection>,
    /// The vendor's audit events and the global ones its flags depend on,
    /// oldest first (see `audit_rows`).
    pub audit: Vec<AuditRow>,
    pub audit_chain: AuditChain,
}

/// One event of the packet's audit trail.
#[derive(Debug, Serialize)]
pub struct AuditRow {
    #[serde(flatten)]
    pub event: Event,
    /// The event belongs to no vendor: a change of the obligations profile,
    /// which every vendor's red flags are judged against.
    pub global: bool,
}

/// A questionnaire as the packet shows it.
#[derive(Debug, Serialize)]
pub struct QuestionnaireSection {
    #[serde(flatten)]
    pub meta: store::questionnaire::Questionnaire,
    /// Answers per value: yes, no, na, blank.
    pub counts: std::collections::BTreeMap<String, usize>,
    pub mapped: usize,
    pub answers: Vec<store::questionnaire::StoredAnswer>,
    /// The questionnaire the vendor filled before this one (the same kind
    /// and major version), and how many answers changed since.
    pub previous: Option<PreviousQuestionnaire>,
}

/// The previous cycle's questionnaire, as `questionnaire diff` compares it.
#[derive(Debug, Serialize)]
pub struct PreviousQuestionnaire {
    pub id: i64,
    pub format: String,
    pub version: String,
    pub imported_at: String,
    pub changes: crate::domain::questionnaire_diff::Counts,
    /// Items whose result from the questionnaire changed.
    pub items_changed: usize,
}

/// The comment line SHA256SUMS starts with, e.g.
/// `# vetter audit chain head: event 42 sha256 9f2c...`.
pub fn head_line(head: &store::audit::ChainHead) -> String {
    format!("{HEAD_PREFIX}event {} sha256 {}", head.seq, head.hash)
}

/// Reads the head back from a SHA256SUMS line written by `head_line`.
pub fn parse_head_line(line: &str) -> Option<store::audit::ChainHead> {
    let rest = line.strip_prefix(HEAD_PREFIX)?;
    let (seq, hash) = rest.strip_prefix("event ")?.split_once(" sha256 ")?;
    let hash = hash.trim();
    (hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit())).then(|| {
        Some(store::audit::ChainHead {
            seq: seq.parse().ok()?,
            hash: hash.to_string(),
        })
    })?
}

const HEAD_PREFIX: &str = "# vetter audit chain head: ";

/// Where the database's audit log stood when the packet was gathered: its
/// head lets an auditor check later that the log was not truncated or
/// rewritten since (`vetter verify --packet`).
#[derive(Debug, Serialize)]
pub struct AuditChain {
    /// The newest event of the whole log (not only this vendor's).
    pub head: Option<store::audit::ChainHead>,
    /// The events of the packet's audit trail (the vendor's and the global
    /// ones) whose time was injected (VETTER_NOW); each also records the
    /// real clock.
    pub injected_time_events: usize,
}

#[derive(Debug, Serialize)]
pub struct ProfileRow {
    pub key: String,
    pub value: String,
}

#[derive(Debug, Serialize)]
pub struct Summary {
    pub totals: Counts,
    /// `totals.coverage()`, for packet.json.
    pub coverage: Coverage,
    pub sections: Vec<SectionSummary>,
    /// Unwaived flags per severity, every severity present.
    pub flags_by_severity: BTreeMap<String, usize>,
    pub waived_flags: usize,
    pub open_questions: usize,
    pub overdue_questions: usize,
    /// Evidence and clauses expired or expiring within EXPIRY_WINDOW_DAYS.
    pub expiring: Vec<Expiring>,
    /// DPA clause kinds the rules judge with no clause recorded yet: their
    /// flags cannot be raised, so the DPA is not shown as clean.
    pub unreviewed_clause_kinds: Vec<crate::model::ClauseKind>,
    /// The review's score as `review status` computes it, with its formula
    /// version and per-item breakdown.
    pub score: crate::domain::score::Score,
    /// How fresh each attestation is on the as-of date: every kind that is
    /// required or has evidence recorded.
    pub attestations: Vec<AttestationState>,
    /// The soonest last day to give notice on a running contract, in words.
    pub next_notice: Option<String>,
}

/// One attestation's freshness: "period ends D", "STALE: period ended D",
/// "valid until D", "EXPIRED D", "claimed, report not seen", "none".
#[derive(Debug, Serialize)]
pub struct AttestationState {
    pub kind: crate::model::EvidenceKind,
    pub required: bool,
    pub state: String,
    /// The evidence it rests on, when any is recorded.
    pub evidence: Option<i64>,
}

#[derive(Debug, Serialize)]
pub struct SectionSummary {
    pub id: String,
    pub title: String,
    pub counts: Counts,
    /// `counts.coverage()`, for packet.json.
    pub coverage: Coverage,
}

#[derive(Debug, Serialize)]
pub struct Expiring {
    /// "evidence" or "clause".
    pub record: &'static str,
    pub id: i64,
    pub what: String,
    pub valid_until: String,
    pub expired: bool,
}

/// One checklist item of the review with its result and links.
#[derive(Debug, Serialize)]
pub struct ItemRow {
    pub section: String,
    pub section_title: String,
    pub id: String,
    pub title: String,
    pub question: String,
    pub severity: crate::model::Severity,
    /// Who is responsible: the newest finding's owner, else the checklist default.
    pub owner: Owner,
    /// The newest finding's status, or "no-result".
    pub status: String,
    pub findings: Vec<i64>,
    pub clauses: Vec<i64>,
    pub questions: Vec<i64>,
    pub evidence: Vec<i64>,
}

#[derive(Debug, Serialize)]
pub struct ClauseRow {
    #[serde(flatten)]
    pub clause: Clause,
    /// The structured terms in one line, as `clause list` shows them.
    pub terms_summary: String,
    /// The terms as a reader says them, for the PDF (not in packet.json,
    /// which has the terms themselves).
    #[serde(skip)]
    pub terms_in_words: String,
}

#[derive(Debug, Serialize)]
pub struct EvidenceRow {
    #[serde(flatten)]
    pub evidence: Evidence,
    /// Where the file is inside the packet (`evidence/<sha256>.<ext>`), when
    /// the evidence has a file.
    pub packet_path: Option<String>,
}

/// Gathers the packet of `vendor`'s review number `review_number` (the
/// current one when None) as of `as_of`.
pub fn gather(
    store: &Store,
    profile: &Profile,
    vendor: &Vendor,
    review_number: Option<i64>,
    as_of: NaiveDate,
    prepared_by: &str,
) -> Result<Packet> {
    let conn = store.conn();
    let review = match review_number {
        Some(number) => crate::domain::review_numbered(store, vendor, number)?,
        None => crate::domain::current_review(store, vendor)?,
    };
    let audit = audit_rows(store, vendor)?;
    let audit_chain = AuditChain {
        head: store::audit::head(conn)?,
        injected_time_events: audit.iter().filter(|e| e.event.real_at.is_some()).count(),
    };
    let signoff = crate::domain::decision::Outcome::load(conn, &review)?;
    let today = as_of.to_string();
    let records = VendorRecords::load(store, vendor, Some(review.id), as_of)?;
    let flags = records.flags(profile, vendor, as_of);
    let VendorRecords {
        clauses,
        evidence,
        subprocessors,
        contracts,
        ..
    } = records;
    let findings = store::finding::list(conn, review.id, None)?;
    let questions = store::question::list(conn, Some(vendor.id), false, false, &today)?;
    let review_items = store::review::items_with_status(conn, review.id)?;
    let section_titles: Vec<(String, String)> = store::review::sections(conn, review.id)?;

    let items = item_rows(
        &review_items,
        &section_titles,
        &findings,
        &clauses,
        &questions,
        &evidence,
    );
    let mut summary = summarise(
        &items,
        &section_titles,
        &flags,
        &questions,
        &clauses,
        &evidence,
        as_of,
    );
    summary.unreviewed_clause_kinds = crate::rules::unreviewed_kinds(profile, vendor, &clauses);
    summary.attestations = attestation_states(profile, &evidence, as_of);
    let contracts: Vec<crate::domain::contract::Shown> = contracts
        .into_iter()
        .map(|c| crate::domain::contract::Shown::of(c, as_of))
        .collect();
    summary.next_notice = contracts
        .iter()
        .filter_map(|c| {
            let t = c.today.as_ref().filter(|t| !t.over)?;
            Some((t.next_notice_by?, c))
        })
        .min_by_key(|(d, c)| (*d, c.contract.id))
        .map(|(_, c)| {
            format!(
                "contract #{}{}: {}",
                c.contract.id,
                c.contract
                    .reference
                    .as_deref()
                    .map(|r| format!(" ({r})"))
                    .unwrap_or_default(),
                c.standing_in_words.clone().unwrap_or_default()
            )
        });

    let profile_rows = crate::profile::KEYS
        .iter()
        .map(|(key, _, _)| ProfileRow {
            key: key.to_string(),
            value: profile.get(key),
        })
        .collect();
    let questionnaires = questionnaire_sections(conn, vendor.id, review.id, &today)?;
    Ok(Packet {
        format_version: FORMAT_VERSION,
        generator: format!("vetter {}", env!("CARGO_PKG_VERSION")),
        as_of: today,
        prepared_by: prepared_by.to_string(),
        rules: crate::rules::version(),
        as_decided: None,
        changed_since: None,
        vendor: vendor.clone(),
        hosting_model: vendor.hosting.map(crate::hosting::model).transpose()?,
        decision: signoff.summary(),
        signoff,
        review,
        profile: profile_rows,
        summary,
        flags,
        items,
        findings,
        clauses: clauses
            .into_iter()
            .map(|c| ClauseRow {
                terms_summary: crate::clause::terms_summary(&c),
                terms_in_words: crate::clause::terms_in_words(&c),
                clause: c,
            })
            .collect(),
        questions,
        evidence: evidence
            .into_iter()
            .map(|e| {
                Ok(EvidenceRow {
                    packet_path: e
                        .sha256
                        .as_deref()
                        .map(|h| crate::stored_path::evidence_in_packet(h, e.file_name.as_deref()))
                        .transpose()?,
                    evidence: e,
                })
            })
            .collect::<Result<_>>()?,
        subprocessors,
        contracts,
        questionnaires,
        audit,
        audit_chain,
    })
}

/// The freshness of every attestation kind that is required or has
/// evidence, in the catalogue's order.
fn attestation_states(
    profile: &Profile,
    evidence: &[Evidence],
    as_of: NaiveDate,
) -> Vec<AttestationState> {
    use crate::domain::attestation::{describe, holding, Holding};
    use crate::model::EvidenceKind as K;
    let required: Vec<K> = profile
        .required_attestations
        .iter()
        .filter_map(|a| K::for_attestation(*a))
        .collect();
    [
        K::Soc2Type2,
        K::Soc2Type1,
        K::Iso27001,
        K::Iso27701,
        K::Hds,
        K::HipaaAttestation,
    ]
    .into_iter()
    .filter(|k| required.contains(k) || evidence.iter().any(|e| e.kind == *k))
    .map(|kind| {
        let held = holding(evidence, kind, as_of, profile.max_report_age_months);
        let id = match &held {
            Holding::Held { evidence, .. }
            | Holding::Lapsed { evidence, .. }
            | Holding::Claimed { evidence } => Some(evidence.id),
            Holding::None => None,
        };
        AttestationState {
            kind,
            required: required.contains(&kind),
            state: describe(&held),
            evidence: id,
        }
    })
    .collect()
}

/// The packet's audit trail: every event of the vendor's records, and every
/// change of the obligations profile, marked global.
///
/// The red flags are judged against the profile as it is now, and each key's
/// value was set by the newest profile event naming it; the older profile
/// events are that value's history (a breach-notice limit loosened from 24 to
/// 72 hours the week before the vendor was approved is exactly what an
/// auditor looks for). So the whole profile history goes in, not only the
/// events behind today's values: it is a handful of rows, and with it the
/// trail has no unexplained gaps where a profile change sat between the
/// vendor's events. Nothing after the as-of moment can be in it: a packet
/// of a past moment is gathered from the register as it stood then
/// (src/store/as_of.rs). Other global events
/// (checklists, other vendors) do not change this vendor's flags and stay
/// out; a review snapshots the checklist items it uses.
fn audit_rows(store: &Store, vendor: &Vendor) -> Result<Vec<AuditRow>> {
    Ok(store::audit::for_packet(store.conn(), vendor.id)?
        .into_iter()
        .map(|event| AuditRow {
            global: event.vendor.is_none(),
            event,
        })
        .collect())
}

/// The questionnaires of review `review_id` imported on or before `as_of`
/// (YYYY-MM-DD), newest first, each with its answers and counts.
fn questionnaire_sections(
    conn: &crate::store::sql::Db,
    vendor_id: i64,
    review_id: i64,
    as_of: &str,
) -> Result<Vec<QuestionnaireSection>> {
    use crate::domain::questionnaire_diff;
    let everyone = store::questionnaire::for_vendor(conn, vendor_id)?;
    let mut sections = Vec::new();
    for meta in store::questionnaire::for_review(conn, review_id)? {
        if crate::output::day(&meta.imported_at) > as_of {
            continue;
        }
        let answers = store::questionnaire::answers(conn, meta.id)?;
        let mut counts = std::collections::BTreeMap::new();
        for a in &answers {
            *counts.entry(a.answer.clone()).or_insert(0) += 1;
        }
        let mapped = answers.iter().filter(|a| !a.items.is_empty()).count();
        let previous = match questionnaire_diff::previous(&everyone, &meta) {
            Some(before) => {
                let d = questionnaire_diff::diff(conn, before.clone(), meta.clone())?;
                Some(PreviousQuestionnaire {
                    id: before.id,
                    format: before.format.clone(),
                    version: before.version.clone(),
                    imported_at: before.imported_at.clone(),
                    items_changed: d.items.len(),
                    changes: d.counts,
                })
            }
            None => None,
        };
        sections.push(QuestionnaireSection {
            meta,
            counts,
            mapped,
            answers,
            previous,
        });
    }
    Ok(sections)
}

fn item_rows(
    review_items: &[crate::model::ReviewItem],
    sections: &[(String, String)],
    findings: &[Finding],
    clauses: &[Clause],
    questions: &[Question],
    evidence: &[Evidence],
) -> Vec<ItemRow> {
    let mut by_item: HashMap<&str, ItemLinks> = HashMap::new();
    for f in findings {
        by_item.entry(&f.item).or_default().findings.push(f.id);
    }
    for c in clauses {
        for item in &c.items {
            by_item.entry(item).or_default().clauses.push(c.id);
        }
    }
    for q in questions {
        by_item.entry(&q.item).or_default().questions.push(q.id);
    }
    for e in evidence {
        for item in &e.items {
            by_item.entry(item).or_default().evidence.push(e.id);
        }
    }
    let titles: HashMap<&str, &str> = sections
        .iter()
        .map(|(id, t)| (id.as_str(), t.as_str()))
        .collect();
    review_items
        .iter()
        .map(|i| {
            let links = by_item.remove(i.item_id.as_str()).unwrap_or_default();
            ItemRow {
                section: i.section_id.clone(),
                section_title: titles.get(i.section_id.as_str()).unwrap_or(&"").to_string(),
                id: i.item_id.clone(),
                title: i.title.clone(),
                question: i.question.clone(),
                severity: i.severity,
                owner: i.finding_owner.unwrap_or(i.owner),
                status: i.status_label().to_string(),
                findings: links.findings,
                clauses: links.clauses,
                questions: links.questions,
                evidence: links.evidence,
            }
        })
        .collect()
}

#[derive(Default)]
struct ItemLinks {
    findings: Vec<i64>,
    clauses: Vec<i64>,
    questions: Vec<i64>,
    evidence: Vec<i64>,
}

fn summarise(
    items: &[ItemRow],
    sections: &[(String, String)],
    flags: &[Flag],
    questions: &[Question],
    clauses: &[Clause],
    evidence: &[Evidence],
    as_of: NaiveDate,
) -> Summary {
    let mut totals = Counts::default();
    let mut per_section: Vec<SectionSummary> = sections
        .iter()
        .map(|(id, title)| SectionSummary {
            id: id.clone(),
            title: title.clone(),
            counts: Counts::default(),
            coverage: Counts::default().coverage(),
        })
        .collect();
    for item in items {
        totals.add_label(&item.status);
        if let Some(s) = per_section.iter_mut().find(|s| s.id == item.section) {
            s.counts.add_label(&item.status);
        }
    }
    for section in &mut per_section {
        section.coverage = section.counts.coverage();
    }
    let flags_by_severity = crate::rules::unwaived_by_severity(flags);
    let horizon = (as_of + chrono::Duration::days(EXPIRY_WINDOW_DAYS)).to_string();
    let today = as_of.to_string();
    let mut expiring = Vec::new();
    for e in evidence {
        if let Some(until) = e.valid_until.as_ref().filter(|u| **u <= horizon) {
            expiring.push(Expiring {
                record: "evidence",
                id: e.id,
                what: format!("{} {}", e.kind, e.name()),
                valid_until: until.clone(),
                expired: *until < today,
            });
        }
    }
    for c in clauses {
        if let Some(until) = c.valid_until.as_ref().filter(|u| **u <= horizon) {
            expiring.push(Expiring {
                record: "clause",
                id: c.id,
                what: c.label(),
                valid_until: until.clone(),
                expired: *until < today,
            });
        }
    }
    expiring.sort_by(|a, b| a.valid_until.cmp(&b.valid_until).then(a.id.cmp(&b.id)));
    Summary {
        coverage: totals.coverage(),
        totals,
        sections: per_section,
        flags_by_severity,
        waived_flags: flags.iter().filter(|f| f.waived).count(),
        open_questions: questions
            .iter()
            .filter(|q| q.status.as_str() == "open")
            .count(),
        overdue_questions: questions.iter().filter(|q| q.overdue).count(),
        expiring,
        unreviewed_clause_kinds: Vec::new(),
        attestations: Vec::new(),
        next_notice: None,
        score: crate::domain::score::score(
            items
                .iter()
                .map(|i| (i.id.as_str(), i.severity, i.status.as_str())),
            flags,
        ),
    }
}
