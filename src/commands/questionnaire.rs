//! `vetter import questionnaire`, `vetter questionnaire show` and `vetter
//! mapping validate`: a vendor's filled CAIQ / HECVAT / CSV questionnaire,
//! every answer kept, mapped onto checklist items as findings whose note
//! names the questions and quotes the vendor.

use super::{ensure_review_open, find_active_vendor, find_vendor};
use crate::domain::current_review;
use crate::error::{Error, Result};
use crate::model::{EvidenceKind, NewFinding, Source};
use crate::output;
use crate::questionnaire::{self, mapping::Mapping, Answer, Format};
use crate::store::{self, Store};
use crate::Env;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

/// What an import records (or, with --dry-run, would record).
#[derive(Debug, Serialize)]
pub struct Imported {
    pub vendor: String,
    pub review: i64,
    pub format: &'static str,
    pub version: String,
    /// HECVAT 3's edition (Lite or Full); null for CAIQ, HECVAT 4 and CSV.
    pub edition: Option<&'static str>,
    pub mapping: String,
    pub answers: usize,
    pub mapped_answers: usize,
    pub findings: Vec<Change>,
    pub dry_run: bool,
}

/// One item's finding from the questionnaire: its result before and after.
#[derive(Debug, Serialize)]
pub struct Change {
    pub item: String,
    pub before: String,
    pub after: String,
    pub questions: Vec<String>,
}

#[allow(clippy::too_many_arguments)]
pub fn import(
    env: &Env,
    store: &mut Store,
    slug: &str,
    file: &Path,
    format: Option<Format>,
    mapping_file: Option<&Path>,
    dry_run: bool,
    json: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let vendor = find_active_vendor(store, slug)?;
    let review = current_review(store, &vendor)?;
    let (filled, bytes) = questionnaire::read(file, format)?;
    let mapping = match mapping_file {
        Some(path) => {
            let text = crate::validate::read_capped(path, "mapping", 4 * 1024 * 1024, "split it")?;
            let text = String::from_utf8(text)
                .map_err(|_| Error::user(format!("mapping '{}' is not UTF-8 text", path.display())))?;
            Mapping::parse(&text, &crate::validate::file_name_of(path))?
        }
        None if filled.format == Format::Csv => {
            return Err(Error::user(format!(
                "'{}' is a CSV questionnaire: it needs a mapping of its question ids to checklist items",
                file.display()
            ))
            .with_hint("pass --mapping FILE (docs/questionnaires.md says how to write one)"))
        }
        None => Mapping::built_in(&filled)?,
    };
    mapping.check_fits(&filled)?;
    if mapping.checklist != review.checklist_id {
        return Err(Error::user(format!(
            "mapping '{}' maps to checklist {}, but review #{} of '{}' uses {}",
            mapping.source, mapping.checklist, review.number, vendor.slug, review.checklist_id
        ))
        .with_hint("use a mapping made for the review's checklist"));
    }
    let item_ids = store::review::item_ids(store.conn(), review.id)?;
    let mut items: Vec<String> = item_ids.keys().cloned().collect();
    items.sort();
    let problems = mapping.problems(
        &crate::commands::checklist::resolve(
            store,
            &format!("{}@{}", review.checklist_id, review.checklist_version),
        )?
        .items()
        .map(|(_, i)| i.id.clone())
        .collect::<Vec<_>>(),
    );
    if !problems.is_empty() {
        return Err(Error::user(format!(
            "mapping '{}' does not fit checklist {}: {}",
            mapping.source,
            mapping.checklist,
            problems.join("; ")
        ))
        .with_hint("check it with `vetter mapping validate FILE`"));
    }
    let derived = questionnaire::mapping::derive(&filled, &mapping, &items);
    // The items each answer fed (within this review).
    let mut fed: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for e in &mapping.entries {
        if item_ids.contains_key(&e.item) {
            fed.entry(e.question.as_str())
                .or_default()
                .push(e.item.clone());
        }
    }
    let answers: Vec<(questionnaire::AnswerRow, Vec<String>)> = filled
        .answers
        .iter()
        .map(|a| {
            (
                a.clone(),
                fed.get(a.question.as_str()).cloned().unwrap_or_default(),
            )
        })
        .collect();
    let mapped_answers = answers
        .iter()
        .filter(|(_, items)| !items.is_empty())
        .count();
    let before = |item: &str| -> Result<String> {
        Ok(store::finding::list(store.conn(), review.id, Some(item))?
            .last()
            .map_or("no result".to_string(), |f| f.status.to_string()))
    };
    let mut changes = Vec::new();
    for d in &derived {
        changes.push(Change {
            item: d.item.clone(),
            before: before(&d.item)?,
            after: d.status.to_string(),
            questions: d.questions.clone(),
        });
    }
    let report = Imported {
        vendor: vendor.slug.clone(),
        review: review.number,
        format: filled.format.as_str(),
        version: filled.version.clone(),
        edition: filled.edition,
        mapping: mapping.source.clone(),
        answers: answers.len(),
        mapped_answers,
        findings: changes,
        dry_run,
    };
    if dry_run {
        print(&report, json, out)?;
        output::note("dry run: nothing was recorded");
        return Ok(());
    }
    let file_name = crate::validate::file_name_of(file);
    let mapping_label = format!("{} sha256 {}", mapping.source, mapping.sha256);
    store.write(|tx| {
        ensure_review_open(tx, &review, &vendor.slug)?;
        let evidence = super::evidence::record_bytes(
            tx,
            env,
            &vendor,
            &bytes,
            &file_name,
            EvidenceKind::Questionnaire,
        )?;
        let first = store::finding::next_id(tx)?;
        let last = first + derived.len() as i64 - 1;
        let mut rows = store::finding::RowsDigest::default();
        let new_findings: Vec<NewFinding> = derived
            .iter()
            .map(|d| NewFinding {
                review_item_id: item_ids[&d.item],
                status: d.status,
                source: Source::Questionnaire,
                note: Some(d.note.clone()),
                url: None,
                owner: d.owner,
                evidence: Some(evidence),
                page: None,
            })
            .collect();
        for (f, d) in new_findings.iter().zip(&derived) {
            rows.add_row(&store::finding::FindingValues {
                evidence: f.evidence,
                item: &d.item,
                note: f.note.as_deref(),
                owner: f.owner.map(|o| o.as_str()),
                page: None,
                review: review.id,
                source: f.source.as_str(),
                status: f.status.as_str(),
                url: None,
            });
        }
        let answers_sha256 =
            store::questionnaire::answers_digest(answers.iter().map(|(a, items)| {
                (
                    a.question.as_str(),
                    a.answer.as_str(),
                    a.owner,
                    a.description.as_deref(),
                    a.cell.as_str(),
                    items.join(" "),
                )
            }));
        let new = serde_json::json!({
            "review": review.id, "file": file_name, "sha256": crate::digest::sha256_hex(&bytes),
            "format": filled.format.as_str(), "version": filled.version, "mapping": mapping_label,
            "answers": answers.len(), "answers_sha256": answers_sha256,
            "rows": derived.len(), "first_finding": first, "last_finding": last,
            "rows_sha256": rows.finish(), "evidence": evidence,
        });
        let event = store::audit::append(
            tx,
            &env.event(
                "import questionnaire",
                "finding",
                format!("{first}-{last}"),
                Some(vendor.id),
                None,
                Some(new),
            ),
        )?;
        for (offset, f) in new_findings.iter().enumerate() {
            store::finding::insert(
                tx,
                first + offset as i64,
                f,
                &env.timestamp,
                &env.actor,
                event,
            )?;
        }
        store::questionnaire::insert(
            tx,
            &store::questionnaire::NewQuestionnaire {
                vendor_id: vendor.id,
                review_id: review.id,
                format: filled.format.as_str(),
                version: &filled.version,
                evidence_id: Some(evidence),
                mapping: &mapping_label,
            },
            &answers,
            &env.timestamp,
            &env.actor,
            event,
        )?;
        Ok(())
    })?;
    print(&report, json, out)?;
    output::note(format!(
        "imported {} {} answers ({} mapped) into review #{} of '{}': {} findings",
        report.answers,
        filled.title(),
        mapped_answers,
        review.number,
        vendor.slug,
        derived.len()
    ));
    Ok(())
}

fn print(report: &Imported, json: bool, out: &mut dyn Write) -> Result<()> {
    if json {
        return output::json(out, report);
    }
    let mut table = output::table(["item", "before", "after", "questions"]);
    for c in &report.findings {
        table.add_row(vec![
            c.item.clone(),
            c.before.clone(),
            c.after.clone(),
            c.questions.join(" "),
        ]);
    }
    output::print_table(out, &table)
}

#[derive(Debug, Serialize)]
struct Shown {
    questionnaire: store::questionnaire::Questionnaire,
    answers: Vec<store::questionnaire::StoredAnswer>,
    counts: BTreeMap<String, usize>,
    mapped: usize,
}

/// Which questionnaires and answers `questionnaire show` lists.
pub struct ShowFilter {
    /// Only those imported into this review (its number).
    pub review: Option<i64>,
    /// Only answers of this value.
    pub answer: Option<Answer>,
    /// Only answers that fed no item.
    pub unmapped: bool,
}

/// `vetter questionnaire show`: every questionnaire of the vendor (or of one
/// of its reviews), newest first, each with its answers and counts.
pub fn show(
    store: &Store,
    slug: &str,
    filter: &ShowFilter,
    json: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let vendor = find_vendor(store, slug)?;
    let questionnaires = match filter.review {
        None => store::questionnaire::for_vendor(store.conn(), vendor.id)?,
        Some(number) => {
            let review = crate::domain::review_numbered(store, &vendor, number)?;
            store::questionnaire::for_review(store.conn(), review.id)?
        }
    };
    if questionnaires.is_empty() {
        let whose = match filter.review {
            None => format!("'{}' has no imported questionnaire", vendor.slug),
            Some(n) => format!(
                "review #{n} of '{}' has no imported questionnaire",
                vendor.slug
            ),
        };
        return Err(Error::user(whose).with_hint(format!(
            "import one with `vetter import questionnaire {} FILE`",
            vendor.slug
        )));
    }
    let mut shown = Vec::new();
    for q in questionnaires {
        let all = store::questionnaire::answers(store.conn(), q.id)?;
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for a in &all {
            *counts.entry(a.answer.clone()).or_default() += 1;
        }
        let mapped = all.iter().filter(|a| !a.items.is_empty()).count();
        let answers: Vec<_> = all
            .into_iter()
            .filter(|a| filter.answer.is_none_or(|w| a.answer == w.as_str()))
            .filter(|a| !filter.unmapped || a.items.is_empty())
            .collect();
        shown.push(Shown {
            questionnaire: q,
            answers,
            counts,
            mapped,
        });
    }
    if json {
        return output::json(out, &shown);
    }
    for (n, s) in shown.iter().enumerate() {
        if n > 0 {
            writeln!(out)?;
        }
        print_one(s, out)?;
    }
    Ok(())
}

/// One questionnaire's answers as a table, then its line of counts.
fn print_one(s: &Shown, out: &mut dyn Write) -> Result<()> {
    let q = &s.questionnaire;
    let mut table = output::table(["question", "answer", "owner", "items", "vendor says"]);
    for a in &s.answers {
        table.add_row(vec![
            a.question.clone(),
            a.answer.clone(),
            a.owner.clone().unwrap_or_default(),
            if a.items.is_empty() {
                "(none)".into()
            } else {
                a.items.join(" ")
            },
            a.description.clone().unwrap_or_default(),
        ]);
    }
    output::print_table(out, &table)?;
    let total: usize = s.counts.values().sum();
    let per: Vec<String> = ["yes", "no", "na", "blank"]
        .iter()
        .map(|k| format!("{} {k}", s.counts.get(*k).copied().unwrap_or(0)))
        .collect();
    writeln!(
        out,
        "#{} {} {} (review #{}, imported {} by {}): {total} answers: {}; {} mapped to checklist items",
        q.id,
        q.format.to_uppercase(),
        q.version,
        q.review,
        output::day(&q.imported_at),
        q.imported_by,
        per.join(", "),
        s.mapped
    )?;
    Ok(())
}

/// `vetter mapping validate FILE`: the mapping against its (built-in)
/// checklist: unknown items with did-you-mean, duplicate pairs.
pub fn validate_mapping(file: &Path, out: &mut dyn Write) -> Result<()> {
    let text = crate::validate::read_capped(file, "mapping", 4 * 1024 * 1024, "split it")?;
    let text = String::from_utf8(text)
        .map_err(|_| Error::user(format!("mapping '{}' is not UTF-8 text", file.display())))?;
    let mapping = Mapping::parse(&text, &file.display().to_string())?;
    let builtins = crate::checklist::builtins()?;
    let Some(checklist) = builtins.iter().find(|c| c.id == mapping.checklist) else {
        let ids: Vec<&str> = builtins.iter().map(|c| c.id.as_str()).collect();
        return Err(crate::error::not_found(
            "checklist",
            &mapping.checklist,
            ids,
            "a mapping names a built-in checklist, e.g. checklist = \"backend-platform\"",
        ));
    };
    let items: Vec<String> = checklist.items().map(|(_, i)| i.id.clone()).collect();
    let problems = mapping.problems(&items);
    if !problems.is_empty() {
        return Err(Error::user(format!(
            "mapping '{}' has {} problem{}:\n  {}",
            file.display(),
            problems.len(),
            if problems.len() == 1 { "" } else { "s" },
            problems.join("\n  ")
        )));
    }
    let mapped: std::collections::BTreeSet<&str> =
        mapping.entries.iter().map(|e| e.item.as_str()).collect();
    writeln!(
        out,
        "{}: {} -> {}: {} mappings, {} questions, {} of {} items",
        file.display(),
        mapping.covers(),
        mapping.checklist,
        mapping.entries.len(),
        mapping
            .entries
            .iter()
            .map(|e| e.question.as_str())
            .collect::<std::collections::BTreeSet<_>>()
            .len(),
        mapped.len(),
        items.len()
    )?;
    Ok(())
}

/// `vetter questionnaire diff VENDOR [--from N] [--to N]`.
pub fn diff(
    store: &Store,
    slug: &str,
    from: Option<i64>,
    to: Option<i64>,
    json: bool,
    out: &mut dyn Write,
) -> Result<()> {
    use crate::domain::questionnaire_diff;
    let vendor = super::find_vendor(store, slug)?;
    let all = store::questionnaire::for_vendor(store.conn(), vendor.id)?;
    let pick = |n: i64, flag: &str| {
        all.iter().find(|q| q.id == n).cloned().ok_or_else(|| {
            Error::user(format!("'{slug}' has no questionnaire #{n} ({flag})")).with_hint(format!(
                "`vetter questionnaire show {slug}` lists its questionnaires"
            ))
        })
    };
    let to = match to {
        Some(n) => pick(n, "--to")?,
        None => all.first().cloned().ok_or_else(|| {
            Error::user(format!("'{slug}' has no questionnaire to compare")).with_hint(format!(
                "import one with `vetter import questionnaire {slug} FILE`"
            ))
        })?,
    };
    let from = match from {
        Some(n) => pick(n, "--from")?,
        None => questionnaire_diff::previous(&all, &to).cloned().ok_or_else(|| {
            Error::user(format!(
                "questionnaire #{} of '{slug}' ({} {}) has no earlier one of the same kind to compare with",
                to.id, to.format, to.version
            ))
            .with_hint("import the next cycle's workbook, or name two with --from N --to N")
        })?,
    };
    let d = questionnaire_diff::diff(store.conn(), from, to)?;
    if json {
        return output::json(out, &d);
    }
    let c = &d.counts;
    writeln!(
        out,
        "questionnaire #{} ({} {}, {}) -> #{} ({} {}, {}): {} changed, {} reworded, {} added, {} removed, {} unchanged",
        d.from.id,
        d.from.format,
        d.from.version,
        output::day(&d.from.imported_at),
        d.to.id,
        d.to.format,
        d.to.version,
        output::day(&d.to.imported_at),
        c.changed,
        c.reworded,
        c.added,
        c.removed,
        c.unchanged
    )?;
    if !d.answers.is_empty() {
        let mut table = output::table([
            "question",
            "change",
            "before",
            "after",
            "before words",
            "after words",
        ])
        .spill(&["before words", "after words"]);
        for a in &d.answers {
            let words = |s: &Option<questionnaire_diff::Side>| {
                s.as_ref()
                    .and_then(|s| s.description.clone())
                    .unwrap_or_default()
            };
            let value = |s: &Option<questionnaire_diff::Side>| {
                s.as_ref().map_or("-".to_string(), |s| s.answer.clone())
            };
            table.add_row(vec![
                a.question.clone(),
                a.change.to_string(),
                value(&a.before),
                value(&a.after),
                words(&a.before),
                words(&a.after),
            ]);
        }
        output::print_table(out, &table)?;
    }
    if d.items.is_empty() {
        writeln!(out, "no item's result from the questionnaire changed")?;
    } else {
        writeln!(out, "items whose result from the questionnaire changed:")?;
        let mut table = output::table(["item", "before", "after"]);
        for i in &d.items {
            table.add_row(vec![
                i.item.clone(),
                i.before.clone().unwrap_or_else(|| "-".into()),
                i.after.clone().unwrap_or_else(|| "-".into()),
            ]);
        }
        output::print_table(out, &table)?;
    }
    Ok(())
}
