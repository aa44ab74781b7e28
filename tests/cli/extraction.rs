//! `vetter clause extract` against the labelled corpus in tests/corpus/dpa:
//! recall (expected terms proposed with the right value) and precision
//! (proposed terms that are right), per clause kind, with bars the test
//! holds. Wrong values are worse than missing ones, so precision's bar is
//! the higher. Also: the clause file round trip, and bad input.

use super::{contains_all, p, T};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/dpa");

/// (kind, term, value) as labelled or proposed. Transfers and residency
/// share their terms (a mechanism or a region may be stated under either).
type Term = (String, String, String);

fn key(kind: &str, term: &str, value: &serde_json::Value) -> Term {
    let kind = match kind {
        "residency" => "transfers",
        k => k,
    };
    let value = match (term, value) {
        // Free text: right when stated at all.
        ("audit-limits", _) => "*".to_string(),
        // An amount is its currency and digits, however written.
        ("cap-amount", serde_json::Value::String(s)) => {
            let digits: String = s.chars().filter(char::is_ascii_digit).collect();
            let currency = if s.contains('€') || s.contains("EUR") {
                "EUR"
            } else if s.contains('£') || s.contains("GBP") {
                "GBP"
            } else {
                "USD"
            };
            format!("{currency} {digits}")
        }
        (_, serde_json::Value::Array(list)) => {
            let mut v: Vec<String> = list.iter().map(|x| x.to_string()).collect();
            v.sort();
            v.join(",")
        }
        (_, other) => other.to_string(),
    };
    (kind.to_string(), term.to_string(), value)
}

fn documents() -> Vec<(String, PathBuf, PathBuf)> {
    let mut docs = Vec::new();
    for entry in std::fs::read_dir(CORPUS).unwrap() {
        let dir = entry.unwrap().path();
        let expected = dir.join("expected.toml");
        if !expected.is_file() {
            continue;
        }
        let doc = ["dpa.pdf", "dpa.html", "dpa.md", "dpa.txt"]
            .iter()
            .map(|n| dir.join(n))
            .find(|p| p.is_file())
            .unwrap_or_else(|| panic!("{} has no dpa file", dir.display()));
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        docs.push((name, doc, expected));
    }
    docs.sort();
    docs
}

/// One labelled term (`kind`, `term`, `value`) of an expected.toml.
fn label(e: &toml::Value) -> Term {
    let json = serde_json::to_value(&e["value"]).unwrap();
    key(
        e["kind"].as_str().unwrap(),
        e["term"].as_str().unwrap(),
        &json,
    )
}

/// Every term of `clause extract --json`'s proposals.
fn proposed_terms(proposals: &serde_json::Value) -> Vec<Term> {
    proposals
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| {
            let kind = p["kind"].as_str().unwrap().to_string();
            p["terms"]
                .as_object()
                .unwrap()
                .iter()
                .map(move |(term, v)| key(&kind, term, v))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The labelled terms of an expected.toml; with `conflicts`, only those
/// labelled as stated twice with different values.
fn labelled(path: &Path, conflicts: bool) -> Vec<Term> {
    let table: toml::Table = std::fs::read_to_string(path).unwrap().parse().unwrap();
    table
        .get("expect")
        .and_then(|e| e.as_array())
        .map(|list| {
            list.iter()
                .filter(|e| !conflicts || e.get("conflict").and_then(|c| c.as_bool()) == Some(true))
                .map(label)
                .collect()
        })
        .unwrap_or_default()
}

#[derive(Default, Clone, Copy)]
struct Score {
    expected: usize,
    found: usize,
    proposed: usize,
    right: usize,
}

#[test]
fn extraction_meets_its_precision_and_recall_bars_on_the_corpus() {
    if std::process::Command::new("pdftotext")
        .arg("-v")
        .output()
        .is_err()
    {
        eprintln!("skipped: pdftotext (poppler-utils) is not installed; scripts/test installs it");
        return;
    }
    let t = T::new();
    t.ok(&["vendor", "add", "Corpus Vendor", "--slug", "corpus"]);
    let mut per_kind: BTreeMap<String, Score> = BTreeMap::new();
    let mut per_doc: Vec<(String, Score)> = Vec::new();
    let mut misses = Vec::new();
    let mut conflict_misses = 0;
    for (name, doc, labels) in documents() {
        let proposals = t.json(&["clause", "extract", "corpus", p(&doc), "--json"]);
        let proposed = proposed_terms(&proposals);
        let expected = labelled(&labels, false);
        // A term labelled as stated twice with different values must come
        // back as a conflict, both times.
        let conflicting = labelled(&labels, true);
        for c in &conflicting {
            let marked = proposals.as_array().unwrap().iter().any(|p| {
                p["conflict"] == true
                    && p["terms"]
                        .as_object()
                        .unwrap()
                        .iter()
                        .any(|(term, v)| key(p["kind"].as_str().unwrap(), term, v) == *c)
            });
            if !marked {
                misses.push(format!("{name}: not marked as a conflict {c:?}"));
                conflict_misses += 1;
            }
        }
        let mut doc_score = Score::default();
        for e in &expected {
            let s = per_kind.entry(e.0.clone()).or_default();
            s.expected += 1;
            doc_score.expected += 1;
            if proposed.contains(e) {
                s.found += 1;
                doc_score.found += 1;
            } else {
                misses.push(format!("{name}: missed {e:?}"));
            }
        }
        for got in &proposed {
            let s = per_kind.entry(got.0.clone()).or_default();
            s.proposed += 1;
            doc_score.proposed += 1;
            if expected.contains(got) {
                s.right += 1;
                doc_score.right += 1;
            } else {
                misses.push(format!("{name}: wrong {got:?}"));
            }
        }
        per_doc.push((name, doc_score));
    }
    let ratio = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
    let mut report = String::from("kind                 recall      precision\n");
    let mut total = Score::default();
    for (kind, s) in &per_kind {
        report.push_str(&format!(
            "{kind:<20} {:>3}/{:<3} {:>4.0}%  {:>3}/{:<3} {:>4.0}%\n",
            s.found,
            s.expected,
            100.0 * ratio(s.found, s.expected),
            s.right,
            s.proposed,
            100.0 * ratio(s.right, s.proposed)
        ));
        total.expected += s.expected;
        total.found += s.found;
        total.proposed += s.proposed;
        total.right += s.right;
    }
    for (name, s) in &per_doc {
        report.push_str(&format!(
            "{name:<20} recall {:>4.0}%  precision {:>4.0}%\n",
            100.0 * ratio(s.found, s.expected),
            100.0 * ratio(s.right, s.proposed)
        ));
    }
    let (recall, precision) = (
        ratio(total.found, total.expected),
        ratio(total.right, total.proposed),
    );
    report.push_str(&format!(
        "all                  recall {:.1}%  precision {:.1}%\n",
        100.0 * recall,
        100.0 * precision
    ));
    eprintln!("{report}\n{}", misses.join("\n"));
    assert_eq!(conflict_misses, 0, "{}", misses.join("\n"));
    // The whole real DPA alone (the synthetic ones are ours).
    let real = per_doc
        .iter()
        .find(|(n, _)| n == "common-paper")
        .map(|(_, s)| *s)
        .unwrap();
    assert!(
        ratio(real.right, real.proposed) >= PRECISION_BAR
            && ratio(real.found, real.expected) >= RECALL_BAR,
        "the Common Paper DPA\n{report}"
    );
    assert!(
        precision >= PRECISION_BAR,
        "precision {precision:.3} under {PRECISION_BAR}\n{report}\n{}",
        misses.join("\n")
    );
    assert!(
        recall >= RECALL_BAR,
        "recall {recall:.3} under {RECALL_BAR}\n{report}\n{}",
        misses.join("\n")
    );
}

/// Short quotes from real vendor DPAs (tests/corpus/dpa/quotes), never used
/// to tune the patterns: the honest measure of what the tuned corpus above
/// over-states.
#[test]
fn extraction_on_held_out_real_quotes() {
    let t = T::new();
    t.ok(&["vendor", "add", "Corpus Vendor", "--slug", "corpus"]);
    let quotes: toml::Table = std::fs::read_to_string(format!("{CORPUS}/quotes/quotes.toml"))
        .unwrap()
        .parse()
        .unwrap();
    let mut score = Score::default();
    let mut notes = Vec::new();
    for (n, q) in quotes["quote"].as_array().unwrap().iter().enumerate() {
        let file = t.write(&format!("quote-{n}.txt"), q["text"].as_str().unwrap());
        let proposals = t.json(&["clause", "extract", "corpus", p(&file), "--json"]);
        let proposed = proposed_terms(&proposals);
        let expected: Vec<Term> = q["expect"].as_array().unwrap().iter().map(label).collect();
        score.expected += expected.len();
        score.found += expected.iter().filter(|e| proposed.contains(e)).count();
        score.proposed += proposed.len();
        score.right += proposed.iter().filter(|p| expected.contains(p)).count();
        for e in expected.iter().filter(|e| !proposed.contains(e)) {
            notes.push(format!("quote {n}: missed {e:?}"));
        }
        for p in proposed.iter().filter(|p| !expected.contains(p)) {
            notes.push(format!("quote {n}: wrong {p:?}"));
        }
    }
    let ratio = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
    let (recall, precision) = (
        ratio(score.found, score.expected),
        ratio(score.right, score.proposed),
    );
    eprintln!(
        "held-out real quotes: recall {}/{} = {:.0}%, precision {}/{} = {:.0}%\n{}",
        score.found,
        score.expected,
        100.0 * recall,
        score.right,
        score.proposed,
        100.0 * precision,
        notes.join("\n")
    );
    assert!(
        precision >= 0.75,
        "held-out precision {precision:.2}\n{}",
        notes.join("\n")
    );
    assert!(
        recall >= 0.6,
        "held-out recall {recall:.2}\n{}",
        notes.join("\n")
    );
}

/// The bars over the whole corpus (see the closing note for per-kind figures).
const PRECISION_BAR: f64 = 0.95;
const RECALL_BAR: f64 = 0.85;

#[test]
fn a_clause_file_round_trips_and_import_records_all_or_nothing() {
    let t = T::new();
    t.ok(&["vendor", "add", "Nimbus Cloud", "--slug", "nimbus"]);
    let dpa = t.write(
        "dpa.md",
        "# DPA\n\n## 9. Security Incidents\n9.1 Provider shall notify Customer without undue delay and in any event within forty-eight (48) hours after becoming aware of a Personal Data Breach.\n\n## 11. Deletion\n11.1 Provider will delete Customer Data within thirty (30) days after termination.\n",
    );
    let file = t.path("clauses.toml");
    t.ok(&["clause", "extract", "nimbus", p(&dpa), "--out", p(&file)]);
    let text = std::fs::read_to_string(&file).unwrap();
    contains_all(
        &text,
        &[
            "[[clause]]",
            "hours = 48",
            "deletion-days = 30",
            "evidence = 1",
        ],
    );
    // Nothing but the DPA (as evidence) is recorded by extract.
    assert_eq!(t.sql_count("SELECT count(*) FROM clause"), 0);
    t.ok(&["clause", "import", "nimbus", p(&file), "--dry-run"]);
    assert_eq!(t.sql_count("SELECT count(*) FROM clause"), 0);
    t.ok(&["clause", "import", "nimbus", p(&file)]);
    let clauses = t.json(&["clause", "list", "nimbus", "--json"]);
    assert_eq!(clauses.as_array().unwrap().len(), 2);
    assert_eq!(clauses[0]["terms"]["hours"], 48);
    t.ok(&["verify"]);
    // export writes the same format; importing it into another vendor
    // records the same clauses (and export of those gives the same file).
    let exported = t.ok(&["clause", "export", "nimbus"]);
    contains_all(&exported, &["kind = \"breach-notification\"", "hours = 48"]);
    t.ok(&["vendor", "add", "Other Cloud", "--slug", "other"]);
    let file2 = t.write(
        "exported.toml",
        exported.replace("vendor = \"nimbus\"", "vendor = \"other\""),
    );
    t.ok(&["clause", "import", "other", p(&file2)]);
    let again = t.ok(&["clause", "export", "other"]);
    assert_eq!(
        again,
        exported.replace("vendor = \"nimbus\"", "vendor = \"other\"")
    );
    // A file written for another vendor is refused.
    contains_all(
        &t.refused(&["clause", "import", "nimbus", p(&file2)]),
        &["a clause file of vendor 'other', not 'nimbus'"],
    );
    // A quote that is not in the evidence names its line; nothing recorded.
    let bad = t.write(
        "bad.toml",
        "vendor = \"nimbus\"\nevidence = 1\n\n[[clause]]\nkind = \"audit-rights\"\nquote = \"Customer may audit at will.\"\n[clause.terms]\naudit = \"onsite\"\n",
    );
    contains_all(
        &t.refused(&["clause", "import", "nimbus", p(&bad)]),
        &["bad.toml' line 4", "not in evidence #1's text"],
    );
    // An unknown term, a term of another kind, a syntax error.
    for (content, says) in [
        (
            "[[clause]]\nkind = \"breach-notification\"\n[clause.terms]\nhourz = 3\n",
            "unknown term",
        ),
        (
            "[[clause]]\nkind = \"audit-rights\"\n[clause.terms]\nhours = 3\n",
            "hours",
        ),
        (
            "[[clause]]\nkind = \"breach-notification\n",
            "line 2, column",
        ),
        (
            "[[clause]]\nkind = \"no-such-kind\"\n",
            "invalid clause kind 'no-such-kind'",
        ),
    ] {
        let f = t.write("x.toml", content);
        contains_all(&t.refused(&["clause", "import", "nimbus", p(&f)]), &[says]);
    }
}

#[test]
fn extract_with_flags_shows_what_the_proposals_would_raise() {
    let t = T::new();
    t.ok(&["vendor", "add", "Nimbus Cloud", "--slug", "nimbus"]);
    t.ok(&["profile", "set", "regimes=gdpr", "max-breach-hours=48"]);
    let dpa = t.write(
        "dpa.txt",
        "9.1 Provider shall notify Customer within seventy-two (72) hours after confirming a Personal Data Breach.\n",
    );
    let out = t
        .cmd(&["clause", "extract", "nimbus", p(&dpa), "--flags"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    contains_all(&stderr, &["would raise", "breach.over-max-hours"]);
    // Nothing but the DPA itself was recorded.
    assert_eq!(t.sql_count("SELECT count(*) FROM clause"), 0);
    assert_eq!(t.sql_count("SELECT count(*) FROM evidence"), 1);
    // The same file again reuses that evidence.
    t.ok(&["clause", "extract", "nimbus", p(&dpa), "--json"]);
    assert_eq!(t.sql_count("SELECT count(*) FROM evidence"), 1);
}

#[test]
fn extract_refuses_what_it_cannot_read() {
    let t = T::new();
    t.ok(&["vendor", "add", "Nimbus Cloud", "--slug", "nimbus"]);
    let empty = t.write("empty.txt", "");
    contains_all(
        &t.refused(&["clause", "extract", "nimbus", p(&empty)]),
        &["is empty"],
    );
    let binary = t.write("blob.bin", [0u8, 159, 146, 150, 0, 1]);
    contains_all(
        &t.refused(&["clause", "extract", "nimbus", p(&binary)]),
        &["is not a text, Markdown, HTML or PDF file"],
    );
    contains_all(
        &t.refused(&["clause", "extract", "nobody", p(&empty)]),
        &["nobody"],
    );
    // Over the 20 MiB cap (a sparse file: instant to make).
    let big = t.path("huge.txt");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(21 * 1024 * 1024)
        .unwrap();
    contains_all(
        &t.refused(&["clause", "extract", "nimbus", p(&big)]),
        &["huge.txt", "20 MiB"],
    );
    // A clause file for a vendor that does not exist.
    let file = t.write(
        "c.toml",
        "[[clause]]\nkind = \"audit-rights\"\nabsent = true\n",
    );
    contains_all(
        &t.refused(&["clause", "import", "nobody", p(&file)]),
        &["nobody"],
    );
    // A PDF with no text layer (a scan): one empty page.
    let scan = t.write("scan.pdf", minimal_pdf_without_text());
    if std::process::Command::new("pdftotext")
        .arg("-v")
        .output()
        .is_err()
    {
        eprintln!("skipped the scanned-PDF case: pdftotext is not installed");
        return;
    }
    contains_all(
        &t.refused(&["clause", "extract", "nimbus", p(&scan)]),
        &["no text found", "may be a scan; run OCR first"],
    );
}

/// A valid one-page PDF that draws nothing: what a scan without OCR gives
/// pdftotext.
fn minimal_pdf_without_text() -> Vec<u8> {
    pdf_with_pages(&[""])
}

/// A PDF with one page per entry, each drawing its line of text in
/// Helvetica (an empty entry is a blank page).
fn pdf_with_pages(pages: &[&str]) -> Vec<u8> {
    let first_page = 4;
    let kids: Vec<String> = (0..pages.len())
        .map(|n| format!("{} 0 R", first_page + 2 * n))
        .collect();
    let mut objects = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        format!(
            "<< /Type /Pages /Kids [{}] /Count {} >>",
            kids.join(" "),
            pages.len()
        ),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    for (n, text) in pages.iter().enumerate() {
        let content = if text.is_empty() {
            String::new()
        } else {
            format!("BT /F1 10 Tf 40 760 Td ({text}) Tj ET")
        };
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
            first_page + 2 * n + 1
        ));
        objects.push(format!(
            "<< /Length {} >>\nstream\n{content}\nendstream",
            content.len()
        ));
    }
    pdf_of_objects(&objects)
}

/// A PDF file of these objects (numbered from 1; object 1 the catalog), with
/// its cross-reference table.
pub(crate) fn pdf_of_objects(objects: &[String]) -> Vec<u8> {
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = pdf.len();
    pdf.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        pdf.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    pdf
}

/// A blank page still counts: the clause on the third page of a PDF whose
/// second page is blank is on page 3.
#[test]
fn pages_after_a_blank_page_keep_their_numbers() {
    if std::process::Command::new("pdftotext")
        .arg("-v")
        .output()
        .is_err()
    {
        eprintln!("skipped: pdftotext (poppler-utils) is not installed");
        return;
    }
    let t = T::new();
    t.ok(&["vendor", "add", "Nimbus Cloud", "--slug", "nimbus"]);
    let pdf = t.write(
        "dpa.pdf",
        pdf_with_pages(&[
            "1. Definitions. Customer Data means data Customer uploads.",
            "",
            "9.1 Provider shall notify Customer of a Personal Data Breach within 48 hours.",
        ]),
    );
    let proposals = t.json(&["clause", "extract", "nimbus", p(&pdf), "--json"]);
    let breach = proposals
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["kind"] == "breach-notification")
        .unwrap_or_else(|| panic!("no breach clause in {proposals}"));
    assert_eq!(breach["terms"]["hours"], 48);
    assert_eq!(breach["page"], 3, "{breach}");
}

/// A character of several bytes where the format sniffing stops reading
/// (byte 2048) is read, not a crash; extract and import alike.
#[test]
fn non_ascii_text_at_the_sniffing_limit_is_read() {
    let t = T::new();
    t.ok(&["vendor", "add", "Nimbus Cloud", "--slug", "nimbus"]);
    let text = format!(
        "{}é 9.1 Provider shall notify Customer of a Personal Data Breach within 72 hours.\n",
        "A".repeat(2047)
    );
    let dpa = t.write("p.txt", &text);
    let file = t.path("clauses.toml");
    t.ok(&["clause", "extract", "nimbus", p(&dpa), "--out", p(&file)]);
    contains_all(&std::fs::read_to_string(&file).unwrap(), &["hours = 72"]);
    // import reads the stored evidence the same way to check the quotes.
    t.ok(&["clause", "import", "nimbus", p(&file)]);
    assert_eq!(t.sql_count("SELECT count(*) FROM clause"), 1);
}

/// `start` and `end` are UTF-8 byte offsets, and the clause file says so.
#[test]
fn quote_offsets_are_utf8_bytes_and_say_so() {
    let t = T::new();
    t.ok(&["vendor", "add", "Nimbus Cloud", "--slug", "nimbus"]);
    let text = "§ 1 Définitions générales.\n\n9.1 Provider shall notify Customer of a Personal Data Breach within 72 hours.\n";
    let dpa = t.write("dpa.txt", text);
    let proposals = t.json(&["clause", "extract", "nimbus", p(&dpa), "--json"]);
    let breach = &proposals[0];
    let (start, end) = (
        breach["start"].as_u64().unwrap() as usize,
        breach["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(start, text.find("9.1").unwrap());
    assert_eq!(
        &text.as_bytes()[start..end],
        breach["quote"].as_str().unwrap().as_bytes()
    );
    let file = t.ok(&["clause", "extract", "nimbus", p(&dpa)]);
    contains_all(
        &file,
        &[&format!("bytes {start}-{end} of the text (UTF-8)")],
    );
}

/// One line without a full stop, many durations in it, in topics whose
/// rules have `unless` patterns and read audit limits: read in time linear
/// in its length (300 KB of it took minutes before).
fn a_long_single_line_is_read(bytes: usize) {
    let t = T::new();
    t.ok(&["vendor", "add", "Nimbus Cloud", "--slug", "nimbus"]);
    let line = "Backups of Customer Data are deleted within 30 days and Customer may audit on 30 days notice and ";
    let dpa = t.write("long.txt", line.repeat(bytes / line.len()));
    let proposals = t.json(&["clause", "extract", "nimbus", p(&dpa), "--json"]);
    assert!(proposals
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["kind"] == "deletion-return" && p["terms"]["backup-days"] == 30));
}

#[test]
fn a_300_kilobyte_single_line_is_read() {
    a_long_single_line_is_read(300 * 1024);
}

/// 3 MB of it: several seconds in a debug build, so run only on
/// request: `cargo test --test cli -- --ignored`.
#[test]
#[ignore = "several seconds in a debug build; run with --ignored"]
fn a_three_megabyte_single_line_is_read() {
    a_long_single_line_is_read(3 * 1024 * 1024);
}

/// An --out file that cannot be written is refused before the DPA is
/// stored as evidence: nothing recorded.
#[test]
fn extract_to_an_unwritable_out_file_records_nothing() {
    let t = T::new();
    t.ok(&["vendor", "add", "Nimbus Cloud", "--slug", "nimbus"]);
    let dpa = t.write(
        "dpa.txt",
        "9.1 Provider shall notify Customer of a Personal Data Breach within 72 hours.\n",
    );
    let out = t.path("no-such-dir/clauses.toml");
    contains_all(
        &t.refused(&["clause", "extract", "nimbus", p(&dpa), "--out", p(&out)]),
        &["cannot write", "no-such-dir"],
    );
    assert_eq!(t.sql_count("SELECT count(*) FROM evidence"), 0);
}

/// A page too large for a page number is refused, not wrapped round; a
/// `[[clause]]` header with a comment still counts for line numbers.
#[test]
fn a_clause_file_names_the_right_line_and_refuses_a_huge_page() {
    let t = T::new();
    t.ok(&["vendor", "add", "Nimbus Cloud", "--slug", "nimbus"]);
    let file = t.write(
        "c.toml",
        "vendor = \"nimbus\"\n\n[[clause]]   # the breach clause\nkind = \"breach-notification\"\npage = 4294967297\n[clause.terms]\nhours = 48\n",
    );
    contains_all(
        &t.refused(&["clause", "import", "nimbus", p(&file)]),
        &[
            "c.toml' line 3",
            "'page' must be a whole number from 1 to 4294967295, not 4294967297",
        ],
    );
}
