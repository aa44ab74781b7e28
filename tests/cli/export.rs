//! `vetter export`: the packet read back with the tools an auditor uses
//! (sha256sum, pdftotext, pdffonts, qpdf, Python's csv module).

use crate::{contains_all, p, T};
use std::path::Path;
use std::process::Command;

/// Runs an external tool; panics with an install hint when it is missing.
fn tool(name: &str, args: &[&str], dir: &Path) -> std::process::Output {
    Command::new(name)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run {name} ({e}); scripts/test installs poppler-utils and qpdf")
        })
}

pub fn pdf_text(pdf: &Path) -> String {
    // -raw keeps content-stream order, so each table cell reads as one run.
    let out = tool("pdftotext", &["-raw", p(pdf), "-"], pdf.parent().unwrap());
    assert!(out.status.success(), "pdftotext failed");
    String::from_utf8(out.stdout).unwrap()
}

/// `sha256sum -c --strict SHA256SUMS` passes inside `dir`.
#[track_caller]
fn assert_sums_check(dir: &Path) {
    let check = tool("sha256sum", &["-c", "--strict", "SHA256SUMS"], dir);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
}

/// No `.NAME.tmp-PID` directory was left beside a packet.
#[track_caller]
fn assert_no_temporary_dirs(t: &T) {
    let hidden: Vec<String> = files_of(t.dir.path())
        .into_iter()
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(hidden.is_empty(), "left behind: {hidden:?}");
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A vendor with an accented name, findings, clauses that raise flags, a
/// question, evidence and subprocessors.
fn world() -> T {
    let t = T::new();
    t.ok(&[
        "vendor",
        "add",
        "Société Générale Façade Cloud",
        "--slug",
        "sgf",
        "--hosting",
        "baas",
        "--tenancy",
        "multi",
        "--data",
        "pii",
        "--tier",
        "high",
    ]);
    t.ok(&["review", "start", "sgf", "--due", "2026-12-31"]);
    t.ok(&["profile", "set", "regimes=gdpr", "regions=EU"]);
    t.ok(&[
        "finding",
        "add",
        "sgf",
        "security.mfa-operators",
        "--status",
        "met",
        "--source",
        "trust-center",
        "--note",
        "TOTP and WebAuthn, enforced per org",
        "--url",
        "https://trust.sgf.example/security",
    ]);
    t.ok(&[
        "finding",
        "add",
        "sgf",
        "security.customer-managed-keys",
        "--status",
        "not-met",
        "--source",
        "docs",
        "--note",
        "BYOK only on the Enterprise plan",
    ]);
    t.ok(&[
        "clause",
        "add",
        "sgf",
        "breach-notification",
        "--section",
        "§9.1",
        "--quote",
        "Provider shall notify Customer within 96 hours after confirming a Personal Data Breach.",
        "--hours",
        "96",
        "--clock",
        "confirmation",
    ]);
    t.ok(&["clause", "add", "sgf", "audit-rights", "--absent"]);
    let evidence = t.write("soc2.pdf", b"%PDF-1.4 pretend SOC 2 report\n");
    t.ok(&[
        "evidence",
        "add",
        "sgf",
        p(&evidence),
        "--kind",
        "soc2-type2",
        "--title",
        "SOC 2 Type II 2026",
        "--item",
        "trust.soc2-type2",
    ]);
    t.ok(&[
        "question",
        "add",
        "sgf",
        "dpa.breach-notification",
        "Can the 96 hours become 48?",
        "--due",
        "2026-12-10",
    ]);
    let subs = t.write(
        "subs.csv",
        "name,purpose,location\nAmazon Web Services,hosting,EU\n",
    );
    t.ok(&[
        "subprocessor",
        "import",
        "sgf",
        p(&subs),
        "--seen",
        "2026-11-20",
    ]);
    t
}

fn files_of(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn packet_has_every_file_and_its_sums_check() {
    let t = world();
    let out = t.path("packet");
    let msg = t.ok_stderr(&["export", "sgf", "--out", p(&out)]);
    contains_all(&msg, &["wrote the packet of 'sgf'", "packet"]);
    assert_eq!(
        files_of(&out),
        [
            "SHA256SUMS",
            "audit.csv",
            "clauses.csv",
            "evidence",
            "evidence.csv",
            "findings.csv",
            "flags.csv",
            "items.csv",
            "packet.json",
            "packet.pdf",
            "questions.csv",
            "subprocessors.csv"
        ]
    );
    assert_sums_check(&out);
    let sums = std::fs::read_to_string(out.join("SHA256SUMS")).unwrap();
    assert!(sums.starts_with("# vetter audit chain head: event "));
    assert_eq!(
        sums.lines().filter(|l| !l.starts_with('#')).count(),
        11,
        "every file but SHA256SUMS itself:\n{sums}"
    );
    // The evidence file is the stored content, named by its hash.
    let evidence = files_of(&out.join("evidence"));
    assert_eq!(evidence.len(), 1);
    assert!(evidence[0].ends_with(".pdf"));
    assert_eq!(
        std::fs::read(out.join("evidence").join(&evidence[0])).unwrap(),
        b"%PDF-1.4 pretend SOC 2 report\n"
    );
    assert_no_temporary_dirs(&t);
}

#[test]
fn pdf_names_the_vendor_every_item_and_every_flag() {
    let t = world();
    let out = t.path("packet");
    t.ok(&["export", "sgf", "--out", p(&out)]);
    let text = squash(&pdf_text(&out.join("packet.pdf")));
    contains_all(
        &text,
        &[
            "Société Générale Façade Cloud",
            "Page 1 of",
            "Executive summary",
            "Sign-off",
        ],
    );
    let ids = t.item_ids("sgf");
    assert!(ids.len() > 50);
    for id in ids {
        assert!(text.contains(&id), "item {id} missing from the PDF");
    }
    let flags = t.json(&["flags", "sgf", "--json"])["flags"].clone();
    assert!(
        flags.as_array().unwrap().len() >= 3,
        "the world raises flags"
    );
    for flag in flags.as_array().unwrap() {
        let message = squash(flag["message"].as_str().unwrap());
        assert!(text.contains(&message), "flag message missing: {message}");
    }
    // Every page says which page it is.
    let pages: usize = {
        let info = tool("pdfinfo", &[p(&out.join("packet.pdf"))], &out);
        let info = String::from_utf8(info.stdout).unwrap();
        info.lines()
            .find_map(|l| l.strip_prefix("Pages:"))
            .unwrap()
            .trim()
            .parse()
            .unwrap()
    };
    for n in 1..=pages {
        assert!(text.contains(&format!("Page {n} of {pages}")), "page {n}");
    }
}

#[test]
fn pdf_embeds_a_font_subset_and_passes_qpdf() {
    let t = world();
    let out = t.path("packet");
    t.ok(&["export", "sgf", "--out", p(&out), "--format", "pdf"]);
    assert_eq!(files_of(&out), ["SHA256SUMS", "evidence", "packet.pdf"]);
    let fonts = tool("pdffonts", &["packet.pdf"], &out);
    let fonts = String::from_utf8(fonts.stdout).unwrap();
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty(), "{fonts}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        assert!(cols[0].contains("+DejaVuSans"), "subset tag: {row}");
        // emb sub uni
        assert_eq!(
            &cols[cols.len() - 5..cols.len() - 2],
            ["yes", "yes", "yes"],
            "{row}"
        );
    }
    let check = tool("qpdf", &["--check", "packet.pdf"], &out);
    assert!(
        check.status.success(),
        "qpdf --check: {}",
        String::from_utf8_lossy(&check.stdout)
    );
    // Contents links and bookmarks for every section.
    let json = tool(
        "qpdf",
        &["--json", "--json-key=outlines", "packet.pdf"],
        &out,
    );
    let outlines = String::from_utf8(json.stdout).unwrap();
    contains_all(
        &outlines,
        &[
            "1 Executive summary",
            "2 Red flags",
            "4 DPA clause register",
            "10 Sign-off",
        ],
    );
}

const PAYLOADS: &[&str] = &[
    "=HYPERLINK(\"http://evil.example\",\"click\")",
    "+1+2",
    "-3+cmd|' /C calc'!A0",
    "@SUM(A1:A2)",
    "\tleading tab",
    "plain, with \"quotes\", commas\nand a newline — ünïcödé",
];

#[test]
fn csv_files_read_back_in_python_with_formulas_neutralised() {
    let t = T::with_review();
    for (i, payload) in PAYLOADS.iter().enumerate() {
        let item = [
            "dpa.ownership",
            "dpa.breach-notification",
            "security.mfa-operators",
            "security.rbac",
            "access.admin-roles",
            "dpa.deletion-return",
        ][i];
        let note = format!("--note={payload}");
        t.ok(&[
            "finding", "add", "acme", item, "--status", "partial", "--source", "dpa", &note,
        ]);
    }
    let out = t.path("packet");
    t.ok(&["export", "acme", "--out", p(&out), "--format", "csv"]);
    let script = r#"
import csv, json, sys, glob, os
result = {}
for path in sorted(glob.glob(os.path.join(sys.argv[1], '*.csv'))):
    with open(path, newline='', encoding='utf-8') as f:
        rows = list(csv.reader(f, strict=True))
    widths = {len(r) for r in rows}
    assert len(widths) == 1, (path, widths)
    result[os.path.basename(path)] = [dict(zip(rows[0], r)) for r in rows[1:]]
print(json.dumps(result))
"#;
    let read = tool("python3", &["-c", script, p(&out)], t.dir.path());
    assert!(
        read.status.success(),
        "{}",
        String::from_utf8_lossy(&read.stderr)
    );
    let tables: serde_json::Value = serde_json::from_slice(&read.stdout).unwrap();
    let notes: Vec<String> = tables["findings.csv"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["note"].as_str().unwrap().to_string())
        .collect();
    for payload in PAYLOADS {
        let dangerous = payload.starts_with(['=', '+', '-', '@', '\t']);
        let expected = if dangerous {
            format!("'{payload}")
        } else {
            payload.to_string()
        };
        assert!(notes.contains(&expected), "{expected:?} not in {notes:?}");
    }
    // The CSV rows are the model's rows: items.csv has every review item.
    let items = t.json(&["review", "status", "acme", "--json"])["totals"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum::<u64>();
    assert_eq!(tables["items.csv"].as_array().unwrap().len() as u64, items);
    // Every field is quoted, lines end in CRLF, and there is no BOM by default.
    let raw = std::fs::read(out.join("findings.csv")).unwrap();
    assert!(raw.starts_with(b"\"id\",\"review\",\"item\""));
    assert!(raw.windows(2).any(|w| w == b"\r\n"));
    t.ok(&[
        "export",
        "acme",
        "--out",
        p(&t.path("excel")),
        "--format",
        "csv",
        "--excel",
    ]);
    assert!(std::fs::read(t.path("excel").join("items.csv"))
        .unwrap()
        .starts_with("\u{feff}\"section\"".as_bytes()));
}

/// Notes a spreadsheet could take for a formula, notes that already start
/// with the escape character, and ordinary text around them.
const NASTY_NOTES: &[&str] = &[
    "=1+1",
    "'=1+1",
    "+SUM(A1)",
    "-5% price cap",
    "@cmd",
    "\tled by a tab",
    "\rled by a CR",
    "'quoted'",
    "''two apostrophes",
    "-3+cmd|' /C calc'!A0",
    "ünïcödé 漢字 עברית — “quotes”",
    "-5",
    "-",
];

/// The documented reading rule (docs/packet-format.md): a cell that starts
/// with `'` had one added; strip exactly one.
fn recorded(cell: &str) -> &str {
    cell.strip_prefix('\'').unwrap_or(cell)
}

/// The packet's CSV files opened by LibreOffice Calc (converted to xlsx,
/// headless) and read back with calamine: no cell of any file is a formula,
/// and each note, after the one-apostrophe rule, is the note as recorded.
/// Runs where `soffice` is installed (scripts/test installs it); says why
/// when it skips.
#[test]
fn libreoffice_opens_packet_csv_cells_as_text_that_reads_back_exactly() {
    use calamine::{Data, Reader};
    match Command::new("soffice").arg("--version").output() {
        Ok(out) if out.status.success() => {}
        Ok(_) => return eprintln!("skipped: `soffice --version` failed"),
        Err(e) => {
            return eprintln!(
                "skipped: soffice (LibreOffice Calc) is not installed ({e}); scripts/test installs libreoffice-calc-nogui"
            )
        }
    }
    let t = T::with_review();
    for note in NASTY_NOTES {
        t.ok(&[
            "finding",
            "add",
            "acme",
            "dpa.ownership",
            "--status",
            "partial",
            "--source",
            "dpa",
            &format!("--note={note}"),
        ]);
    }
    let out = t.path("packet");
    t.ok(&["export", "acme", "--out", p(&out), "--format", "csv"]);
    let csvs: Vec<String> = files_of(&out)
        .into_iter()
        .filter(|n| n.ends_with(".csv"))
        .collect();
    let xlsx = t.path("xlsx");
    // CSV:44,34,76,1 is comma, double quote, UTF-8, from line 1: the import
    // dialog's defaults but for the character set. HOME holds the profile
    // LibreOffice creates, inside the test's directory.
    let converted = Command::new("soffice")
        .args([
            "--headless",
            "--infilter=CSV:44,34,76,1",
            "--convert-to",
            "xlsx",
            "--outdir",
        ])
        .arg(&xlsx)
        .args(csvs.iter().map(|n| out.join(n)))
        .env("HOME", t.dir.path())
        .output()
        .unwrap();
    assert!(
        converted.status.success(),
        "{}",
        String::from_utf8_lossy(&converted.stderr)
    );
    for name in &csvs {
        let path = xlsx.join(name.replace(".csv", ".xlsx"));
        let mut book = calamine::open_workbook_auto(&path)
            .unwrap_or_else(|e| panic!("LibreOffice wrote no {}: {e}", path.display()));
        let sheet = book.sheet_names()[0].clone();
        let formulas: Vec<String> = book
            .worksheet_formula(&sheet)
            .unwrap()
            .used_cells()
            .filter(|(_, _, f)| !f.is_empty())
            .map(|(row, col, f)| format!("{name} row {row} column {col}: ={f}"))
            .collect();
        assert!(formulas.is_empty(), "formula cells: {formulas:?}");
    }
    let mut book = calamine::open_workbook_auto(xlsx.join("findings.xlsx")).unwrap();
    let range = book.worksheet_range_at(0).unwrap().unwrap();
    let mut rows = range.rows();
    let header = rows.next().unwrap();
    let note_column = header
        .iter()
        .position(|c| c == &Data::String("note".into()))
        .unwrap();
    let notes: Vec<String> = rows
        .map(|row| match &row[note_column] {
            Data::String(s) => recorded(s).to_string(),
            // A plain negative number opens as a number, as documented.
            Data::Float(f) => f.to_string(),
            Data::Int(i) => i.to_string(),
            other => panic!("a note read as {other:?}"),
        })
        .collect();
    // LibreOffice reads a CR inside a cell as a line feed (documented); the
    // CSV file holds the CR, which csv_files_read_back_in_python_... checks.
    let expected: Vec<String> = NASTY_NOTES.iter().map(|n| n.replace('\r', "\n")).collect();
    assert_eq!(notes, expected);
}

/// Reads one CSV file of a packet as header-keyed rows, with the documented
/// one-apostrophe rule applied.
fn read_csv(path: &Path) -> Vec<std::collections::BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let header = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            header
                .iter()
                .zip(r.unwrap().iter())
                .map(|(k, v)| (k.to_string(), recorded(v).to_string()))
                .collect()
        })
        .collect()
}

/// A profile change sits between the vendor's events: the packet's audit
/// trail carries it, marked global, so the event ids have no unexplained
/// gap; another vendor's events stay out; verify --packet still passes.
#[test]
fn the_audit_trail_carries_the_profile_changes_marked_global() {
    let t = T::with_review();
    let finding = |item: &str| {
        t.ok(&[
            "finding", "add", "acme", item, "--status", "met", "--source", "dpa",
        ]);
    };
    finding("dpa.ownership");
    t.ok(&["profile", "set", "max-breach-hours=24"]);
    finding("dpa.breach-notification");
    t.ok(&["profile", "set", "regimes=gdpr", "regions=EU"]);
    t.ok(&["vendor", "add", "Other Cloud", "--slug", "other"]);
    finding("security.rbac");
    let out = t.path("packet");
    t.ok(&["export", "acme", "--out", p(&out)]);

    let audit = read_csv(&out.join("audit.csv"));
    let global: Vec<(&str, &str, &str)> = audit
        .iter()
        .filter(|r| r["global"] == "true")
        .map(|r| {
            (
                r["command"].as_str(),
                r["entity"].as_str(),
                r["entity_id"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        global,
        [
            ("profile set", "profile", "max-breach-hours"),
            ("profile set", "profile", "regimes,regions"),
        ]
    );
    assert!(audit
        .iter()
        .filter(|r| r["global"] == "false")
        .all(|r| r["entity"] != "profile"));
    // Every event up to the other vendor's is in the trail: no gap.
    let ids: Vec<i64> = audit.iter().map(|r| r["id"].parse().unwrap()).collect();
    let other = t
        .json(&["log", "--json"])
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["vendor"] == "other")
        .map(|e| e["id"].as_i64().unwrap())
        .collect::<Vec<_>>();
    assert_eq!(other.len(), 1);
    let expected: Vec<i64> = (ids[0]..=*ids.last().unwrap())
        .filter(|id| !other.contains(id))
        .collect();
    assert_eq!(ids, expected);

    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("packet.json")).unwrap()).unwrap();
    let events = json["audit"].as_array().unwrap();
    assert_eq!(events.len(), audit.len());
    for e in events {
        let is_profile = e["entity"] == "profile";
        assert_eq!(e["global"], is_profile, "{e}");
        assert_eq!(e["vendor"].is_null(), is_profile, "{e}");
    }

    let text = squash(&pdf_text(&out.join("packet.pdf")));
    contains_all(
        &text,
        &[
            "Changes marked global are to the profile",
            "profile #max-breach-hours global",
            "profile #regimes,regions global",
        ],
    );
    t.ok(&["verify", "--packet", p(&out)]);
}

#[test]
fn two_exports_are_byte_identical() {
    let t = world();
    let (a, b) = (t.path("a"), t.path("b"));
    t.ok(&["export", "sgf", "--out", p(&a), "--as-of", "2026-11-26"]);
    // A different process, a later clock: the same --as-of gives the same bytes.
    t.cmd(&["export", "sgf", "--out", p(&b), "--as-of", "2026-11-26"])
        .env("VETTER_NOW", "2026-11-27T18:30:00Z")
        .output()
        .unwrap();
    for name in files_of(&a).iter().filter(|n| *n != "evidence") {
        assert_eq!(
            std::fs::read(a.join(name)).unwrap(),
            std::fs::read(b.join(name)).unwrap(),
            "{name} differs"
        );
    }
    // SOURCE_DATE_EPOCH (2026-11-26T00:00:00Z) stands in for --as-of.
    let c = t.path("c");
    let out = t
        .cmd(&["export", "sgf", "--out", p(&c)])
        .env("SOURCE_DATE_EPOCH", "1795651200")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read(a.join("packet.pdf")).unwrap(),
        std::fs::read(c.join("packet.pdf")).unwrap()
    );
}

/// Every word pdftotext finds lies inside the page.
pub fn assert_inside_pages(pdf: &Path, min_words: usize) {
    let out = tool("pdftotext", &["-bbox", p(pdf), "-"], pdf.parent().unwrap());
    let html = String::from_utf8(out.stdout).unwrap();
    let number = |s: &str, key: &str| -> f32 {
        let at = s.find(&format!("{key}=\"")).unwrap() + key.len() + 2;
        s[at..].split('"').next().unwrap().parse().unwrap()
    };
    let mut words = 0;
    let mut page = (0.0, 0.0);
    for line in html.lines() {
        let line = line.trim();
        if line.starts_with("<page ") {
            page = (number(line, "width"), number(line, "height"));
        } else if line.starts_with("<word ") {
            words += 1;
            let (x0, y0, x1, y1) = (
                number(line, "xMin"),
                number(line, "yMin"),
                number(line, "xMax"),
                number(line, "yMax"),
            );
            assert!(
                x0 >= 0.0 && y0 >= 0.0 && x1 <= page.0 && y1 <= page.1,
                "word outside the page {page:?}: {line}"
            );
        }
    }
    assert!(words > min_words, "only {words} words");
}

#[test]
fn dense_review_with_long_tokens_and_many_scripts_stays_inside_the_page() {
    let t = T::with_review();
    let items = t.item_ids("acme");
    let mut csv = String::from("item,status,source,note,url,owner\n");
    for i in 0..500 {
        let note = match i % 5 {
            0 => "Ελληνικά: ο πάροχος ειδοποιεί εντός 72 ωρών".to_string(),
            1 => "Кириллица: поставщик уведомляет в течение 72 часов".to_string(),
            2 => "العربية: يخطر المورد خلال 72 ساعة".to_string(),
            3 => "emoji 😀 ✅ and CJK 漢字 in a note".to_string(),
            _ => format!("plain finding number {i}"),
        };
        csv.push_str(&format!(
            "{},met,interview,\"{note}\",,\n",
            items[i % items.len()]
        ));
    }
    let file = t.write("many.csv", csv);
    t.ok(&["import", "findings", "acme", p(&file)]);
    let token = "x".repeat(10_000);
    t.ok(&[
        "finding",
        "add",
        "acme",
        "dpa.ownership",
        "--status",
        "met",
        "--source",
        "dpa",
        "--note",
        &token,
    ]);
    let out = t.path("packet");
    let msg = t.ok_stderr(&["export", "acme", "--out", p(&out)]);
    // DejaVu Sans has no CJK or U+2705: drawn as a box and reported, not
    // dropped, in one warning with a count and a sample.
    contains_all(&msg, &["'漢' U+6F22", "U+2705", "drawn as boxes", "--font"]);
    assert_eq!(msg.matches("warning: packet.pdf").count(), 1, "{msg}");
    let pdf = out.join("packet.pdf");
    let text = pdf_text(&pdf);
    contains_all(
        &text,
        &["Ελληνικά", "Кириллица", "plain finding number 499", "□"],
    );
    // The 10,000 characters are all there, broken over lines.
    // The 10,000 x's are all there, broken over lines (and pages).
    let xs: usize = text
        .lines()
        // pdftotext starts each page with a form feed.
        .map(|l| {
            l.trim_start_matches('\u{c}')
                .rsplit(' ')
                .next()
                .unwrap_or("")
        })
        .filter(|word| !word.is_empty() && word.chars().all(|c| c == 'x'))
        .map(str::len)
        .sum();
    assert_eq!(xs, token.len(), "the long token lost characters");
    assert_inside_pages(&pdf, 1000);
    let check = tool("qpdf", &["--check", p(&pdf)], t.dir.path());
    assert!(check.status.success());
}

#[test]
fn export_creates_missing_parent_directories_privately() {
    let t = world();
    let out = t.path("packets/2026/sgf");
    t.ok(&["export", "sgf", "--format", "csv", "--out", p(&out)]);
    assert!(out.join("SHA256SUMS").is_file());
    use std::os::unix::fs::PermissionsExt;
    for dir in ["packets", "packets/2026"] {
        let mode = std::fs::metadata(t.path(dir)).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o700, "{dir} has mode {mode:o}");
    }
}

#[test]
fn bad_requests_write_nothing() {
    let t = world();
    let out = t.path("packet");
    let err = t.refused(&["export", "nope", "--out", p(&out)]);
    contains_all(&err, &["nope"]);
    assert!(!out.exists());
    let err = t.refused(&["export", "sgf", "--review", "99", "--out", p(&out)]);
    contains_all(&err, &["no review #99", "review list sgf"]);
    assert!(!out.exists());
    // A failed export into directories it would create leaves none behind.
    let nested = t.path("no/such/dir/packet");
    let err = t.refused(&["export", "sgf", "--review", "99", "--out", p(&nested)]);
    contains_all(&err, &["no review #99"]);
    assert!(!t.path("no").exists(), "the failed export left no/ behind");
    let file = t.write("plain-file", "x");
    let err = t.refused(&["export", "sgf", "--out", &format!("{}/packet", p(&file))]);
    contains_all(&err, &["plain-file", "not a directory"]);
    let err = t.refused(&["export", "sgf", "--as-of", "2026-11-27", "--out", p(&out)]);
    contains_all(&err, &["2026-11-27", "future"]);
    let err = t.refused(&["export", "sgf", "--as-of", "2026-01-01", "--out", p(&out)]);
    contains_all(
        &err,
        &["--as-of 2026-01-01", "before the register's first event"],
    );
    let err = t.refused(&["export", "sgf", "--as-of", "26/11/2026", "--out", p(&out)]);
    contains_all(
        &err,
        &["26/11/2026", "neither a date nor a time", "2026-11-26"],
    );
    let not_a_font = t.write("font.ttf", "this is not a font");
    let err = t.refused(&["export", "sgf", "--font", p(&not_a_font), "--out", p(&out)]);
    contains_all(&err, &["font.ttf", "not a TrueType or OpenType font"]);
    assert!(!out.exists());
    assert_no_temporary_dirs(&t);

    // An existing --out is refused; --force replaces a packet but nothing else.
    t.ok(&["export", "sgf", "--out", p(&out)]);
    let err = t.refused(&["export", "sgf", "--out", p(&out)]);
    contains_all(&err, &["already exists", "--force"]);
    // A file the packet did not write is never deleted to make room.
    std::fs::write(out.join("note.txt"), "mine").unwrap();
    let err = t.refused(&["export", "sgf", "--out", p(&out), "--force"]);
    contains_all(&err, &["'note.txt' is not listed in its SHA256SUMS"]);
    assert_eq!(
        std::fs::read_to_string(out.join("note.txt")).unwrap(),
        "mine"
    );
    std::fs::remove_file(out.join("note.txt")).unwrap();
    t.ok(&["export", "sgf", "--out", p(&out), "--force"]);
    let other = t.path("other");
    std::fs::create_dir(&other).unwrap();
    std::fs::write(other.join("thesis.docx"), "precious").unwrap();
    let err = t.refused(&["export", "sgf", "--out", p(&other), "--force"]);
    contains_all(&err, &["not a complete vetter packet", "'thesis.docx'"]);
    assert_eq!(
        std::fs::read_to_string(other.join("thesis.docx")).unwrap(),
        "precious"
    );
}

#[test]
fn a_disk_that_fills_leaves_no_packet() {
    let t = world();
    // A 60 KiB file-size limit (bash's ulimit counts KiB) stands in for a
    // full disk: packet.json and the PDF cannot be written (EFBIG: vetter
    // ignores SIGXFSZ, so the write fails instead of killing the process).
    let out = t.path("packet");
    let limit = crate::faults::ulimit(60);
    let limit: Vec<&str> = limit.iter().map(String::as_str).collect();
    for (format, first_over) in [("pdf,csv,json", "packet.json"), ("pdf", "packet.pdf")] {
        // The first file over the limit is named: packet.json (the PDF is
        // written last), and past packet.json the PDF.
        let result = crate::faults::run_via(
            &t,
            &limit,
            &["export", "sgf", "--format", format, "--out", p(&out)],
        );
        let err = String::from_utf8_lossy(&result.stderr);
        assert_eq!(result.status.code(), Some(1), "{err}");
        contains_all(&err, &["cannot write", first_over, "nothing was exported"]);
        assert!(!out.exists());
        assert_no_temporary_dirs(&t);
    }
}

#[test]
fn export_all_writes_a_packet_per_vendor_and_a_portfolio() {
    let t = world();
    t.ok(&["vendor", "add", "Beta Hosting", "--slug", "beta"]);
    t.ok(&["review", "start", "beta"]);
    t.ok(&["vendor", "add", "Gamma Not Started", "--slug", "gamma"]);
    let out = t.path("all");
    t.ok(&["export", "--all", "--out", p(&out)]);
    assert_eq!(
        files_of(&out),
        ["SHA256SUMS", "beta", "portfolio.csv", "sgf"]
    );
    assert_sums_check(&out);
    assert_sums_check(&out.join("sgf"));
    let script = "import csv,sys,json; print(json.dumps(list(csv.DictReader(open(sys.argv[1], newline='', encoding='utf-8')))))";
    let read = tool(
        "python3",
        &["-c", script, p(&out.join("portfolio.csv"))],
        &out,
    );
    let rows: serde_json::Value = serde_json::from_slice(&read.stdout).unwrap();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 3);
    let sgf = rows.iter().find(|r| r["vendor"] == "sgf").unwrap();
    assert_eq!(sgf["name"], "Société Générale Façade Cloud");
    assert_eq!(sgf["tier"], "high");
    assert_eq!(sgf["next_review"], "2026-12-31");
    assert_eq!(sgf["open_questions"], "1");
    let flags = t.json(&["flags", "sgf", "--json"])["flags"].clone();
    let high = flags
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "high")
        .count();
    assert_eq!(sgf["flags_high"], high.to_string());
    let gamma = rows.iter().find(|r| r["vendor"] == "gamma").unwrap();
    assert_eq!(gamma["decision"], "no review started");
    // The same vendor's packet is the same whether exported alone or with all.
    let single = t.path("single");
    t.ok(&["export", "sgf", "--out", p(&single)]);
    assert_eq!(
        std::fs::read(single.join("packet.pdf")).unwrap(),
        std::fs::read(out.join("sgf/packet.pdf")).unwrap()
    );
}

#[test]
fn as_of_before_a_change_reads_the_records_as_they_stood() {
    let t = T::new();
    let on = |day: &str, args: &[&str]| {
        let out = t
            .cmd(args)
            .env("VETTER_NOW", format!("{day}T10:00:00Z"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    on("2026-11-10", &["vendor", "add", "Delta", "--slug", "delta"]);
    on("2026-11-10", &["review", "start", "delta"]);
    // The profile decides the flags: a change after the as-of date is not
    // in a packet of that date, and is in one of a later date.
    on("2026-11-25", &["profile", "set", "regimes=gdpr"]);
    let regimes = |dir: &str| -> String {
        let packet: serde_json::Value =
            serde_json::from_slice(&std::fs::read(t.path(dir).join("packet.json")).unwrap())
                .unwrap();
        let rows = packet["profile"].as_array().unwrap();
        let row = rows.iter().find(|r| r["key"] == "regimes").unwrap();
        row["value"].as_str().unwrap().to_string()
    };
    for (dir, as_of) in [("before", "2026-11-20"), ("after", "2026-11-25")] {
        t.ok(&[
            "export",
            "delta",
            "--out",
            p(&t.path(dir)),
            "--as-of",
            as_of,
        ]);
    }
    assert_ne!(
        regimes("before"),
        "gdpr",
        "the profile as it stood on 2026-11-20"
    );
    assert_eq!(regimes("after"), "gdpr");
    // The packet of a past day carries the chain head of that day.
    let packet: serde_json::Value =
        serde_json::from_slice(&std::fs::read(t.path("before/packet.json")).unwrap()).unwrap();
    assert_eq!(packet["audit_chain"]["head"]["seq"], 2);
    // A time of day counts too: just before the profile change.
    t.ok(&[
        "export",
        "delta",
        "--out",
        p(&t.path("minute")),
        "--as-of",
        "2026-11-25T09:59:59Z",
    ]);
    assert_ne!(regimes("minute"), "gdpr");
}

/// Droid Sans Fallback: CJK glyphs and no Latin ones worth using, the case
/// that used to turn every Latin letter into a box. Debian's
/// fonts-droid-fallback, installed by scripts/test.
const CJK_FONT: &str = "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf";

#[test]
fn a_cjk_font_is_a_fallback_after_the_bundled_face() {
    if !Path::new(CJK_FONT).exists() {
        eprintln!("skipped: {CJK_FONT} is missing (apt-get install fonts-droid-fallback)");
        return;
    }
    let t = world();
    let note = |item: &str, text: &str| {
        t.ok(&[
            "finding",
            "add",
            "sgf",
            item,
            "--status",
            "met",
            "--source",
            "interview",
            "--note",
            text,
        ]);
    };
    note("security.rbac", "Latin text and 漢字の監査 together");
    note(
        "security.audit-logs-product",
        "first line\rsecond line\r\nthird line",
    );
    note(
        "security.sso-scim",
        "Steps agreed:\nplain line\n    1. rotate the keys\n\t2. revoke old tokens",
    );
    let export = |dir: &str| {
        let out = t.path(dir);
        let msg = t.ok_stderr(&["export", "sgf", "--out", p(&out), "--font", CJK_FONT]);
        assert!(!msg.contains("has a glyph for"), "{msg}");
        assert!(!msg.contains("drawn as boxes"), "{msg}");
        out
    };
    let out = export("packet");
    let pdf = out.join("packet.pdf");
    // Both faces embedded, each as a subset (tag + name, emb sub uni).
    let fonts = tool("pdffonts", &["packet.pdf"], &out);
    let fonts = String::from_utf8(fonts.stdout).unwrap();
    for name in ["VETREG+DejaVuSans ", "VETFBA+DroidSansFallback"] {
        let row = fonts
            .lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("{name} not in\n{fonts}"));
        let cols: Vec<&str> = row.split_whitespace().collect();
        assert_eq!(
            &cols[cols.len() - 5..cols.len() - 2],
            ["yes", "yes", "yes"],
            "{row}"
        );
    }
    // The 4 MB face went in as a handful of glyphs.
    let size = std::fs::metadata(&pdf).unwrap().len();
    assert!(size < 300_000, "packet.pdf is {size} bytes");
    let text = pdf_text(&pdf);
    assert!(!text.contains('□'), "a box was drawn");
    contains_all(
        &squash(&text),
        &[&squash("Latin text and 漢字の監査 together")],
    );
    // A carriage return breaks the line, alone or before a line feed.
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    for part in ["first line", "second line", "third line"] {
        assert!(
            lines.iter().any(|l| l.ends_with(part)),
            "{part} on its own line"
        );
    }
    // Indentation survives: the numbered steps start right of the plain line.
    let layout = tool("pdftotext", &["-layout", "packet.pdf", "-"], &out);
    let layout = String::from_utf8(layout.stdout).unwrap();
    let column = |needle: &str| {
        layout
            .lines()
            .find_map(|l| l.find(needle).map(|i| l[..i].chars().count()))
            .unwrap_or_else(|| panic!("{needle} not in the PDF"))
    };
    let head = column("plain line");
    assert!(column("1. rotate the keys") > head, "spaces kept");
    assert!(column("2. revoke old tokens") > head, "a tab kept");
    // The chain changes nothing about reproducibility.
    let again = export("again");
    assert_eq!(
        std::fs::read(&pdf).unwrap(),
        std::fs::read(again.join("packet.pdf")).unwrap()
    );
}

/// Debian's own Python, for which scripts/test installs fontTools
/// (python3-fonttools): tests/make_cff_font.py needs it.
const SYSTEM_PYTHON: &str = "/usr/bin/python3";

/// Whether tests/make_cff_font.py can run: Droid's glyphs and fontTools for
/// Debian's Python (scripts/test installs both); otherwise says why the
/// calling test skips.
fn can_make_cff_fonts() -> bool {
    if !Path::new(CJK_FONT).exists() {
        eprintln!("skipped: {CJK_FONT} is missing (apt-get install fonts-droid-fallback)");
        return false;
    }
    let fonttools = Command::new(SYSTEM_PYTHON)
        .args(["-c", "import fontTools"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !fonttools {
        eprintln!("skipped: {SYSTEM_PYTHON} has no fontTools (apt-get install python3-fonttools)");
    }
    fonttools
}

/// A CFF face named `name` in the test's directory, drawing `chars` with
/// Droid's glyphs (tests/make_cff_font.py).
fn make_cff_font(t: &T, name: &str, chars: &str) -> std::path::PathBuf {
    let out = t.path(name);
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/make_cff_font.py");
    let made = tool(
        SYSTEM_PYTHON,
        &[p(&script), CJK_FONT, p(&out), chars],
        t.dir.path(),
    );
    assert!(made.status.success(), "{made:?}");
    out
}

/// An OpenType face with CFF outlines (.otf) goes through the other path of
/// the subsetter and is embedded as a CFF program (FontFile3), not as
/// TrueType: no Debian package small enough ships one that draws what
/// DejaVu lacks, so tests/make_cff_font.py makes one from Droid's glyphs.
#[test]
fn a_cff_font_is_embedded_as_a_cff_subset() {
    if !can_make_cff_fonts() {
        return;
    }
    let t = world();
    let otf = make_cff_font(&t, "cff.otf", "漢字監査");
    assert_eq!(&std::fs::read(&otf).unwrap()[..4], b"OTTO", "a CFF face");
    t.ok(&[
        "finding",
        "add",
        "sgf",
        "security.rbac",
        "--status",
        "met",
        "--source",
        "interview",
        "--note",
        "Latin 漢字 and 監査 together",
    ]);
    let out = t.path("packet");
    let msg = t.ok_stderr(&["export", "sgf", "--out", p(&out), "--font", p(&otf)]);
    assert!(!msg.contains("has a glyph for"), "{msg}");
    let fonts = tool("pdffonts", &["packet.pdf"], &out);
    let fonts = String::from_utf8(fonts.stdout).unwrap();
    let row = fonts
        .lines()
        .find(|l| l.starts_with("VETFBA+VetterTestCFF-Regular"))
        .unwrap_or_else(|| panic!("the CFF face is not in\n{fonts}"));
    assert!(row.contains("CID Type 0C"), "{row}");
    let cols: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(
        &cols[cols.len() - 5..cols.len() - 2],
        ["yes", "yes", "yes"],
        "{row}"
    );
    let check = tool("qpdf", &["--check", "packet.pdf"], &out);
    assert!(check.status.success(), "{check:?}");
    // The glyphs read back as their characters and render without a font
    // error from poppler.
    let text = pdf_text(&out.join("packet.pdf"));
    contains_all(&squash(&text), &[&squash("Latin 漢字 and 監査 together")]);
    let page = tool(
        "pdftoppm",
        &["-r", "30", "-png", "packet.pdf", "page"],
        &out,
    );
    assert!(page.status.success(), "{page:?}");
    let errors = String::from_utf8_lossy(&page.stderr);
    assert!(errors.trim().is_empty(), "pdftoppm: {errors}");
}

#[test]
fn font_faces_are_checked_before_anything_is_written() {
    let t = world();
    let out = t.path("packet");
    let many: Vec<String> = (0..9)
        .flat_map(|_| ["--font".to_string(), CJK_FONT.to_string()])
        .collect();
    let mut args = vec!["export", "sgf", "--out", p(&out)];
    args.extend(many.iter().map(String::as_str));
    let err = t.refused(&args);
    contains_all(&err, &["9 --font faces", "at most 8"]);
    assert!(!out.exists());
}

/// An export interrupted by Ctrl-C or a kill leaves its hidden temporary
/// directory; the next export to the same --out removes it when its process
/// is gone, and never touches one whose process still runs.
#[test]
fn the_next_export_removes_what_an_interrupted_one_left() {
    let t = world();
    let gone = {
        let mut child = Command::new("true").spawn().unwrap();
        let pid = child.id();
        child.wait().unwrap();
        pid
    };
    let stale = t.path(&format!(".packet.tmp-{gone}"));
    std::fs::create_dir(&stale).unwrap();
    std::fs::write(stale.join("packet.pdf"), b"half a packet").unwrap();
    // This test's own process is alive: its directory stays.
    let running = t.path(&format!(".packet.tmp-{}", std::process::id()));
    std::fs::create_dir(&running).unwrap();
    let out = t.path("packet");
    let msg = t.ok_stderr(&["export", "sgf", "--out", p(&out)]);
    contains_all(
        &msg,
        &[
            "removed",
            &format!(".packet.tmp-{gone}', left by an interrupted export"),
        ],
    );
    assert!(!stale.exists(), "the stale directory is gone");
    assert!(running.exists(), "a running export's directory is kept");
    assert!(out.join("SHA256SUMS").is_file());
}

/// A font collection (.ttc) is read at its first face, and export says so
/// instead of silently ignoring the others.
#[test]
fn a_font_collection_is_read_at_its_first_face_and_export_says_so() {
    if !can_make_cff_fonts() {
        return;
    }
    let t = world();
    let first = make_cff_font(&t, "first.otf", "漢字");
    let second = make_cff_font(&t, "second.otf", "監査");
    let ttc = t.path("pair.ttc");
    let joined = tool(
        SYSTEM_PYTHON,
        &[
            "-c",
            "import sys; from fontTools.ttLib import TTFont; from fontTools.ttLib.ttCollection import TTCollection; c = TTCollection(); c.fonts = [TTFont(f) for f in sys.argv[2:]]; c.save(sys.argv[1])",
            p(&ttc),
            p(&first),
            p(&second),
        ],
        t.dir.path(),
    );
    assert!(joined.status.success(), "{joined:?}");
    let out = t.path("packet");
    let msg = t.ok_stderr(&["export", "sgf", "--out", p(&out), "--font", p(&ttc)]);
    contains_all(
        &msg,
        &["is a collection of 2 faces; its first, VetterTestCFF-Regular, is used"],
    );
}

/// A colour emoji font (bitmaps, no outlines) is refused by name, with the
/// kind of font it is and a monochrome face to use instead.
#[test]
fn a_colour_emoji_font_is_refused_by_what_it_lacks() {
    let t = T::with_review();
    // An sfnt whose tables are colour bitmaps only, as Noto Color Emoji's.
    let mut font = vec![0, 1, 0, 0, 0, 2, 0, 32, 0, 1, 0, 0];
    for tag in [b"CBDT", b"CBLC"] {
        font.extend_from_slice(tag);
        font.extend_from_slice(&[0; 12]);
    }
    let path = t.write("NotoColorEmoji.ttf", font);
    let err = t.fails(
        1,
        &[
            "export",
            "acme",
            "--out",
            p(&t.path("pkt")),
            "--font",
            p(&path),
        ],
    );
    contains_all(
        &err,
        &[
            "is a colour font (CBDT colour bitmaps)",
            "monochrome face",
            "Noto Emoji",
        ],
    );
    assert!(!t.path("pkt").exists());
}

/// The PDF says a clause's terms as a reader would; clauses.csv keeps the
/// machine form a script reads.
#[test]
fn the_pdf_says_terms_in_words_and_the_csv_keeps_them_as_options() {
    let t = T::with_review();
    t.ok(&[
        "clause",
        "add",
        "acme",
        "breach-notification",
        "--hours",
        "48",
        "--clock",
        "awareness",
        "--where-feasible",
        "--confirmed-only",
        "--section",
        "9.1",
    ]);
    t.ok(&[
        "clause",
        "add",
        "acme",
        "transfers",
        "--regions",
        "EU,US",
        "--mechanism",
        "scc-2021,uk-addendum",
    ]);
    let out = t.path("packet");
    t.ok(&["export", "acme", "--out", p(&out)]);
    let text = pdf_text(&out.join("packet.pdf"));
    let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
    contains_all(
        &words,
        &[
            "notice within 48 h of awareness, where feasible; confirmed incidents only",
            "transfers under 2021 SCCs, UK Addendum",
        ],
    );
    assert!(
        !words.contains("clock=awareness"),
        "machine syntax in the PDF"
    );
    let csv = std::fs::read_to_string(out.join("clauses.csv")).unwrap();
    assert!(csv.contains("clock=awareness"), "{csv}");
}

/// A young review's items with no result and nothing recorded are listed a
/// line each under their section, not a block each.
#[test]
fn items_with_nothing_recorded_are_listed_compactly() {
    let t = T::with_review();
    t.ok(&[
        "finding",
        "add",
        "acme",
        "security.mfa-operators",
        "--status",
        "met",
        "--source",
        "interview",
        "--note",
        "enforced",
    ]);
    let out = t.path("packet");
    t.ok(&["export", "acme", "--out", p(&out)]);
    let text = pdf_text(&out.join("packet.pdf"));
    assert!(
        !text.contains("No findings, clauses, questions or evidence recorded."),
        "a block per empty item"
    );
    contains_all(
        &text,
        &[
            "No result and nothing recorded yet (",
            "security.mfa-end-users — ",
        ],
    );
    // The judged item keeps its block, with its finding.
    contains_all(&text, &["security.mfa-operators — ", "enforced"]);
}

/// With no --font, characters the bundled face lacks are drawn from a CJK
/// font the machine has, and vetter says which; with none there, boxes and
/// a warning, as before.
#[test]
fn the_machines_cjk_font_draws_what_the_bundled_face_lacks() {
    if !Path::new(CJK_FONT).exists() {
        eprintln!("skipped: {CJK_FONT} is missing (apt-get install fonts-droid-fallback)");
        return;
    }
    let t = T::with_review();
    t.ok(&[
        "finding",
        "add",
        "acme",
        "dpa.ownership",
        "--status",
        "met",
        "--source",
        "dpa",
        "--note",
        "データは東京リージョンに保存されます",
    ]);
    let fonts = Path::new(CJK_FONT).parent().unwrap();
    let out = t.path("packet");
    let run = t
        .cmd(&["export", "acme", "--out", p(&out)])
        .env("VETTER_FONT_DIRS", fonts)
        .output()
        .unwrap();
    assert!(run.status.success());
    let said = String::from_utf8_lossy(&run.stderr);
    contains_all(
        &said,
        &[
            "the bundled face lacks drawn from this machine's",
            "DroidSansFallbackFull.ttf",
        ],
    );
    assert!(!said.contains("drawn as boxes"), "{said}");
    let text = pdf_text(&out.join("packet.pdf"));
    assert!(
        text.contains("東京リージョン"),
        "the CJK text is in the PDF"
    );
    let fonts_used = tool("pdffonts", &["packet.pdf"], &out);
    assert!(String::from_utf8_lossy(&fonts_used.stdout).contains("DroidSansFallback"));
    // No system fonts to look in: boxes and the warning.
    let bare = t.path("bare");
    let said = t.ok_stderr(&["export", "acme", "--out", p(&bare)]);
    contains_all(&said, &["drawn as boxes"]);

    // compare --pdf falls back the same way: a vendor named in Japanese.
    t.ok(&["vendor", "add", "東京クラウド", "--slug", "tokyo"]);
    t.ok(&["review", "start", "tokyo"]);
    let run = t
        .cmd(&["compare", "acme", "tokyo", "--pdf", "compare.pdf"])
        .env("VETTER_FONT_DIRS", fonts)
        .output()
        .unwrap();
    assert!(run.status.success());
    let said = String::from_utf8_lossy(&run.stderr);
    contains_all(
        &said,
        &[
            "compare.pdf: ",
            "the bundled face lacks drawn from this machine's",
        ],
    );
    assert!(!said.contains("drawn as boxes"), "{said}");
    let fonts_used = tool("pdffonts", &["compare.pdf"], t.dir.path());
    assert!(String::from_utf8_lossy(&fonts_used.stdout).contains("DroidSansFallback"));
    let said = t.ok_stderr(&["compare", "acme", "tokyo", "--pdf", "bare.pdf"]);
    contains_all(
        &said,
        &[
            "warning: bare.pdf: no font",
            "drawn as boxes",
            "'東' U+6771",
        ],
    );
}

/// A note's indentation shows in the PDF: a note that starts with a tab
/// starts on a line of its own, four spaces in (docs/packet-format.md),
/// and its indented lines keep their indentation.
#[test]
fn a_notes_leading_tab_is_indented_in_the_pdf() {
    let t = T::with_review();
    t.ok(&[
        "finding",
        "add",
        "acme",
        "trust.iso27001",
        "--source",
        "docs",
        "--status",
        "met",
        "--note",
        "\tStarts with a tab\nthen a plain line",
    ]);
    let packet = t.path("packet");
    t.ok(&["export", "acme", "--out", p(&packet)]);
    let out = tool("pdftotext", &["-layout", "packet.pdf", "-"], &packet);
    let text = String::from_utf8(out.stdout).unwrap();
    // Where a line starts: the note's lines each start a line of the page.
    let column = |needle: &str| {
        let line = text
            .lines()
            .find(|l| l.trim_start().starts_with(needle))
            .unwrap_or_else(|| panic!("no line starts with {needle:?} in:\n{text}"));
        line.find(needle).unwrap()
    };
    assert!(
        column("Starts with a tab") > column("then a plain line"),
        "the tab is not indented:\n{text}"
    );
}
