//! The packet's CSV files: RFC 4180, UTF-8, CRLF, a header row, every field
//! quoted. Cells that a spreadsheet would run as a formula get a leading `'`
//! (OWASP "CSV injection") in a way a reader can undo exactly (`neutralise`);
//! docs/packet-format.md lists every column and gives the reading rule.

use super::Packet;
use crate::error::Result;
use std::io::Write;

/// One CSV file of the packet: its name, header and rows.
pub struct Table {
    pub file: &'static str,
    pub header: &'static [&'static str],
    pub rows: Vec<Vec<String>>,
}

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(T::to_string).unwrap_or_default()
}

fn ids(v: &[i64]) -> String {
    v.iter().map(i64::to_string).collect::<Vec<_>>().join(" ")
}

/// Every CSV table of a packet, in the order docs/packet-format.md gives.
pub fn tables(p: &Packet) -> Vec<Table> {
    let mut tables = all_tables(p);
    if !p.contracts.is_empty() {
        tables.push(contracts(p));
    }
    if let Some(changed) = &p.changed_since {
        tables.push(Table {
            file: "changed-since.csv",
            header: &["record", "id", "field", "decided", "now"],
            rows: changed
                .changes
                .iter()
                .map(|c| {
                    vec![
                        c.record.to_string(),
                        c.id.clone(),
                        c.field.clone(),
                        c.decided.clone(),
                        c.now.clone(),
                    ]
                })
                .collect(),
        });
    }
    if !p.questionnaires.is_empty() {
        tables.push(Table {
            file: "questionnaire.csv",
            header: &[
                "questionnaire",
                "format",
                "version",
                "question",
                "answer",
                "owner",
                "items",
                "vendor_says",
                "cell",
            ],
            rows: p
                .questionnaires
                .iter()
                .flat_map(|q| {
                    q.answers.iter().map(|a| {
                        vec![
                            q.meta.id.to_string(),
                            q.meta.format.clone(),
                            q.meta.version.clone(),
                            a.question.clone(),
                            a.answer.clone(),
                            opt(&a.owner),
                            a.items.join(" "),
                            opt(&a.description),
                            a.cell.clone(),
                        ]
                    })
                })
                .collect(),
        });
    }
    tables
}

fn all_tables(p: &Packet) -> Vec<Table> {
    vec![
        Table {
            file: "items.csv",
            header: &[
                "section",
                "item",
                "title",
                "severity",
                "owner",
                "status",
                "findings",
                "clauses",
                "questions",
                "evidence",
            ],
            rows: p
                .items
                .iter()
                .map(|i| {
                    vec![
                        i.section.clone(),
                        i.id.clone(),
                        i.title.clone(),
                        i.severity.to_string(),
                        i.owner.to_string(),
                        i.status.clone(),
                        ids(&i.findings),
                        ids(&i.clauses),
                        ids(&i.questions),
                        ids(&i.evidence),
                    ]
                })
                .collect(),
        },
        Table {
            file: "findings.csv",
            header: &[
                "id",
                "review",
                "item",
                "status",
                "source",
                "owner",
                "note",
                "url",
                "evidence",
                "page",
                "recorded_at",
                "recorded_by",
            ],
            rows: p
                .findings
                .iter()
                .map(|f| {
                    vec![
                        f.id.to_string(),
                        f.review.to_string(),
                        f.item.clone(),
                        f.status.to_string(),
                        f.source.to_string(),
                        opt(&f.owner),
                        opt(&f.note),
                        opt(&f.url),
                        opt(&f.evidence),
                        opt(&f.page),
                        f.recorded_at.clone(),
                        f.recorded_by.clone(),
                    ]
                })
                .collect(),
        },
        Table {
            file: "clauses.csv",
            header: &[
                "id",
                "kind",
                "section",
                "absent",
                "quote",
                "terms",
                "valid_until",
                "items",
                "created_at",
                "created_by",
                "updated_at",
            ],
            rows: p
                .clauses
                .iter()
                .map(|r| {
                    let c = &r.clause;
                    vec![
                        c.id.to_string(),
                        c.kind.to_string(),
                        opt(&c.section),
                        c.absent.to_string(),
                        opt(&c.quote),
                        r.terms_summary.clone(),
                        opt(&c.valid_until),
                        c.items.join(" "),
                        c.created_at.clone(),
                        c.created_by.clone(),
                        c.updated_at.clone(),
                    ]
                })
                .collect(),
        },
        Table {
            file: "flags.csv",
            header: &[
                "rule",
                "severity",
                "kind",
                "clause",
                "message",
                "basis",
                "threshold",
                "waived",
                "waiver_reason",
                "waiver_by",
                "waiver_at",
                "waiver_until",
            ],
            rows: p
                .flags
                .iter()
                .map(|f| {
                    let w = f.waiver.as_ref().filter(|_| f.waived);
                    vec![
                        f.rule.to_string(),
                        f.severity.to_string(),
                        f.kind.to_string(),
                        opt(&f.clause),
                        f.message.clone(),
                        f.basis.to_string(),
                        f.threshold.clone(),
                        f.waived.to_string(),
                        w.map(|w| w.reason.clone()).unwrap_or_default(),
                        w.map(|w| w.created_by.clone()).unwrap_or_default(),
                        w.map(|w| w.created_at.clone()).unwrap_or_default(),
                        w.and_then(|w| w.until.clone()).unwrap_or_default(),
                    ]
                })
                .collect(),
        },
        Table {
            file: "questions.csv",
            header: &[
                "id",
                "item",
                "clause",
                "text",
                "to",
                "due",
                "status",
                "resolution",
                "overdue",
                "asked_at",
                "asked_by",
                "answer",
                "answered_at",
                "answered_by",
                "answer_evidence",
            ],
            rows: p
                .questions
                .iter()
                .map(|q| {
                    vec![
                        q.id.to_string(),
                        q.item.clone(),
                        opt(&q.clause),
                        q.text.clone(),
                        opt(&q.to),
                        opt(&q.due),
                        q.status.to_string(),
                        opt(&q.resolution),
                        q.overdue.to_string(),
                        q.asked_at.clone(),
                        q.asked_by.clone(),
                        opt(&q.answer),
                        opt(&q.answered_at),
                        opt(&q.answered_by),
                        opt(&q.answer_evidence),
                    ]
                })
                .collect(),
        },
        Table {
            file: "evidence.csv",
            header: &[
                "id",
                "kind",
                "title",
                "file_name",
                "packet_path",
                "sha256",
                "size",
                "source_url",
                "quote",
                "retrieved",
                "valid_from",
                "valid_until",
                "period_start",
                "period_end",
                "opinion",
                "exceptions",
                "cuecs",
                "subservice",
                "bridge_letter_until",
                "items",
                "clauses",
                "created_at",
                "created_by",
            ],
            rows: p
                .evidence
                .iter()
                .map(|r| {
                    let e = &r.evidence;
                    vec![
                        e.id.to_string(),
                        e.kind.to_string(),
                        opt(&e.title),
                        opt(&e.file_name),
                        opt(&r.packet_path),
                        opt(&e.sha256),
                        opt(&e.size),
                        opt(&e.source_url),
                        opt(&e.quote),
                        opt(&e.retrieved),
                        opt(&e.valid_from),
                        opt(&e.valid_until),
                        opt(&e.period_start),
                        opt(&e.period_end),
                        opt(&e.opinion),
                        opt(&e.exceptions),
                        opt(&e.cuecs),
                        opt(&e.subservice),
                        opt(&e.bridge_letter_until),
                        e.items.join(" "),
                        ids(&e.clauses),
                        e.created_at.clone(),
                        e.created_by.clone(),
                    ]
                })
                .collect(),
        },
        Table {
            file: "subprocessors.csv",
            header: &["name", "purpose", "location", "seen"],
            rows: p
                .subprocessors
                .iter()
                .map(|s| {
                    vec![
                        s.name.clone(),
                        s.purpose.clone(),
                        s.location.clone(),
                        s.seen.clone(),
                    ]
                })
                .collect(),
        },
        Table {
            file: "audit.csv",
            header: &[
                "id",
                "at",
                "actor",
                "command",
                "entity",
                "entity_id",
                "old",
                "new",
                "real_at",
                "hash",
                "global",
            ],
            rows: p
                .audit
                .iter()
                .map(|row| {
                    let e = &row.event;
                    let json = |v: &Option<serde_json::Value>| {
                        v.as_ref().map(|v| v.to_string()).unwrap_or_default()
                    };
                    vec![
                        e.id.to_string(),
                        e.at.clone(),
                        e.actor.clone(),
                        e.command.clone(),
                        e.entity.clone(),
                        opt(&e.entity_id),
                        json(&e.old),
                        json(&e.new),
                        opt(&e.real_at),
                        opt(&e.hash),
                        row.global.to_string(),
                    ]
                })
                .collect(),
        },
    ]
}

/// A cell as written. A spreadsheet runs a cell that starts with `=`, `+`,
/// `-` or `@` as a formula (Excel also after a tab or CR), so such a cell gets
/// one leading `'` and opens as text. A text that already starts with `'`
/// gets one more too: that makes the way back a single rule, "a cell that
/// starts with `'` had one added: strip exactly one", which gives `'=1` back
/// as `'=1` and `=1` as `=1`.
///
/// A plain negative number (`-5`, `-0.25`, `-5%`) is left alone: it opens as
/// a number (or text), never as a formula, and a reader gets it as written.
/// Only `-` is spared this way: a leading `+` makes a formula in Excel.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('-') if is_plain_negative_number(cell) => cell.into(),
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\n' | '\'') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

/// `-`, ASCII digits, an optional `.` and more digits, an optional `%`:
/// `-5`, `-0.25`, `-5%`; not `-5+1`, `-1e9`, `-5% cap` or `-.5`.
fn is_plain_negative_number(cell: &str) -> bool {
    let Some(rest) = cell.strip_prefix('-') else {
        return false;
    };
    let rest = rest.strip_suffix('%').unwrap_or(rest);
    let (whole, fraction) = rest.split_once('.').unwrap_or((rest, "0"));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    digits(whole) && digits(fraction)
}

/// Writes one table. `excel` prefixes a UTF-8 byte order mark, which Excel
/// needs to read the file as UTF-8.
pub fn write(
    out: &mut dyn Write,
    header: &[&str],
    rows: &[Vec<String>],
    excel: bool,
) -> Result<()> {
    if excel {
        out.write_all("\u{feff}".as_bytes())?;
    }
    let mut w = ::csv::WriterBuilder::new()
        .quote_style(::csv::QuoteStyle::Always)
        .terminator(::csv::Terminator::CRLF)
        .from_writer(out);
    w.write_record(header).map_err(csv_error)?;
    for row in rows {
        w.write_record(row.iter().map(|c| neutralise(c).into_owned()))
            .map_err(csv_error)?;
    }
    w.flush()?;
    Ok(())
}

fn csv_error(e: ::csv::Error) -> crate::error::Error {
    match e.into_kind() {
        ::csv::ErrorKind::Io(io) => io.into(),
        other => crate::error::Error::internal(format!("CSV error: {other:?}")),
    }
}

/// contracts.csv: each contract's terms, where it stands on the as-of date
/// and how it ended.
fn contracts(p: &Packet) -> Table {
    let yes_no = |b: bool| if b { "yes" } else { "no" }.to_string();
    Table {
        file: "contracts.csv",
        header: &[
            "id",
            "start",
            "end",
            "auto_renew",
            "renewal_months",
            "notice_days",
            "notice_business_days",
            "termination_for_convenience",
            "reference",
            "section",
            "quote",
            "evidence",
            "term_end",
            "notice_by",
            "locked_in",
            "next_notice_by",
            "next_term_end",
            "in_words",
            "standing",
            "ended_on",
            "ended_reason",
            "created_at",
            "created_by",
        ],
        rows: p
            .contracts
            .iter()
            .map(|shown| {
                let c = &shown.contract;
                let t = shown.today.as_ref();
                vec![
                    c.id.to_string(),
                    c.start.clone(),
                    c.end.clone(),
                    yes_no(c.auto_renew),
                    opt(&c.renewal_months),
                    opt(&c.notice_days),
                    yes_no(c.notice_business_days),
                    c.termination_for_convenience
                        .map(yes_no)
                        .unwrap_or_default(),
                    opt(&c.reference),
                    opt(&c.section),
                    opt(&c.quote),
                    opt(&c.evidence),
                    opt(&t.map(|t| t.term_end)),
                    opt(&t.and_then(|t| t.notice_by)),
                    t.map(|t| yes_no(t.locked_in)).unwrap_or_default(),
                    opt(&t.and_then(|t| t.next_notice_by)),
                    opt(&t.map(|t| t.next_term_end)),
                    shown.in_words.clone(),
                    opt(&shown.standing_in_words),
                    opt(&c.ended.as_ref().map(|e| e.on.clone())),
                    opt(&c.ended.as_ref().map(|e| e.reason.clone())),
                    c.created_at.clone(),
                    c.created_by.clone(),
                ]
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_and_apostrophes_get_one_more_apostrophe() {
        for (recorded, written) in [
            ("=1+1", "'=1+1"),
            ("'=1+1", "''=1+1"),
            ("+SUM(A1)", "'+SUM(A1)"),
            ("-5% price cap", "'-5% price cap"),
            ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
            ("@cmd", "'@cmd"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("'quoted'", "''quoted'"),
            ("+5", "'+5"),
            ("-", "'-"),
            ("-1e9", "'-1e9"),
            ("-.5", "'-.5"),
            ("-5.", "'-5."),
        ] {
            assert_eq!(neutralise(recorded), written, "{recorded:?}");
        }
    }

    #[test]
    fn plain_negative_numbers_and_plain_text_are_written_as_recorded() {
        for cell in ["-5", "-5%", "-0.25", "-12.5%", "5%", "plain", " =1", ""] {
            assert_eq!(neutralise(cell), cell);
        }
    }
}
