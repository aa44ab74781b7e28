//! The packet's and the comparison's PDF as an archive (PDF/A-2b), with an
//! outline that works and links that open: checked with tests/pdfa_check.py
//! (qpdf's view of every object, the XMP and the ICC profile), pdfinfo and
//! qpdf --json. A test whose tool is missing says so and skips.

use crate::{p, T};
use serde_json::Value;
use std::path::Path;
use std::process::Command;

const FINDING_URL: &str = "https://trust.acme.example/security/controls/multi-factor-authentication/operators-and-support-staff/enforced-per-organisation";
const CLAUSE_URL: &str = "https://acme.example/legal/dpa#breach";
const EVIDENCE_URL: &str = "https://trust.acme.example/iso27001";
const WEBSITE: &str = "https://acme.example";

/// True when `tool` runs; otherwise prints why the calling test skips.
fn have(tool: &str, test: &str) -> bool {
    let found = Command::new(tool)
        .arg("--version")
        .output()
        .map(|o| o.status.success() || !o.stdout.is_empty() || !o.stderr.is_empty())
        .unwrap_or(false);
    if !found {
        eprintln!("SKIPPED {test}: {tool} is not installed (scripts/test installs poppler-utils, qpdf and python3)");
    }
    found
}

fn run(tool: &str, args: &[&str], dir: &Path) -> std::process::Output {
    Command::new(tool)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {tool}: {e}"))
}

/// A vendor whose website, finding, clause and evidence carry URLs, one of
/// them long enough to wrap.
fn world() -> T {
    let t = T::new();
    t.ok(&[
        "vendor",
        "add",
        "Acme Cloud Société",
        "--slug",
        "acme",
        "--hosting",
        "baas",
        "--website",
        WEBSITE,
    ]);
    t.ok(&["review", "start", "acme"]);
    t.ok(&[
        "finding",
        "add",
        "acme",
        "security.mfa-operators",
        "--status",
        "met",
        "--source",
        "trust-center",
        "--url",
        FINDING_URL,
    ]);
    t.ok(&[
        "clause",
        "add",
        "acme",
        "breach-notification",
        "--hours",
        "48",
        "--quote",
        &format!("Notice within 48 hours, see {CLAUSE_URL}."),
    ]);
    t.ok(&[
        "evidence",
        "add",
        "acme",
        "--url",
        EVIDENCE_URL,
        "--quote",
        "ISO 27001 certified",
        "--item",
        "trust.iso27001",
    ]);
    t
}

fn export(t: &T) -> std::path::PathBuf {
    let out = t.path("packet");
    t.ok(&["export", "acme", "--out", p(&out), "--format", "pdf"]);
    out.join("packet.pdf")
}

fn compare(t: &T, name: &str) -> std::path::PathBuf {
    t.ok(&["vendor", "add", "Beta Base", "--slug", "beta"]);
    t.ok(&["review", "start", "beta"]);
    let pdf = t.path(name);
    t.ok(&["compare", "acme", "beta", "--pdf", p(&pdf)]);
    pdf
}

/// tests/pdfa_check.py on `pdf`: every PDF/A-2b rule it can read holds.
#[track_caller]
fn assert_pdfa(pdf: &Path) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/pdfa_check.py");
    let out = run(
        "python3",
        &[p(&script), p(pdf), "--tagged"],
        pdf.parent().unwrap(),
    );
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}: {report}{}",
        pdf.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(report.contains("0 failed"), "{report}");
}

/// Every object of the file, by "obj:N 0 R", from qpdf --json.
fn objects(pdf: &Path) -> Value {
    let out = run(
        "qpdf",
        &["--json", "--json-stream-data=none", p(pdf)],
        pdf.parent().unwrap(),
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    json["qpdf"][1].clone()
}

fn catalog(objects: &Value) -> &Value {
    let root = objects["trailer"]["value"]["/Root"].as_str().unwrap();
    &objects[format!("obj:{root}")]["value"]
}

/// The link annotations: (URI or "", /F, the whole dictionary).
fn links(objects: &Value) -> Vec<(String, i64, Value)> {
    objects
        .as_object()
        .unwrap()
        .values()
        .filter_map(|o| o.get("value"))
        .filter(|v| v["/Subtype"] == "/Link")
        .map(|v| {
            let uri = v["/A"]["/URI"].as_str().unwrap_or("");
            let uri = uri.strip_prefix("u:").unwrap_or(uri).to_string();
            (uri, v["/F"].as_i64().unwrap_or(0), v.clone())
        })
        .collect()
}

#[test]
fn packet_and_comparison_pass_the_pdfa_2b_checks() {
    let test = "packet_and_comparison_pass_the_pdfa_2b_checks";
    if !have("qpdf", test) || !have("python3", test) {
        return;
    }
    let t = world();
    assert_pdfa(&export(&t));
    assert_pdfa(&compare(&t, "compare.pdf"));
}

#[test]
fn the_checker_names_the_rule_a_file_breaks() {
    let test = "the_checker_names_the_rule_a_file_breaks";
    if !have("qpdf", test) || !have("python3", test) {
        return;
    }
    let t = world();
    let pdf = export(&t);
    // Encrypting the packet breaks two rules: no /Encrypt, plain XMP.
    let locked = t.path("locked.pdf");
    let enc = run(
        "qpdf",
        &["--encrypt", "", "owner", "256", "--", p(&pdf), p(&locked)],
        t.dir.path(),
    );
    assert!(enc.status.success());
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/pdfa_check.py");
    let out = run("python3", &[p(&script), p(&locked)], t.dir.path());
    let report = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{report}");
    assert!(
        report.contains("FAIL 6.1.3 not encrypted") && report.contains("FAIL 6.6.2 XMP"),
        "{report}"
    );
}

#[test]
fn pdfinfo_sees_no_pdf_x_and_what_was_built() {
    let test = "pdfinfo_sees_no_pdf_x_and_what_was_built";
    if !have("pdfinfo", test) {
        return;
    }
    let t = world();
    for pdf in [export(&t), compare(&t, "compare.pdf")] {
        let out = run("pdfinfo", &[p(&pdf)], t.dir.path());
        let info = String::from_utf8_lossy(&out.stdout);
        // poppler names a subtype only from Info keys (GTS_PDFXVersion,
        // GTS_PDFA1Version); PDF/A-2 says what it is in the XMP instead.
        assert!(!info.contains("PDF/X"), "{info}");
        assert!(
            !info.contains("PDF subtype") || info.contains("PDF/A"),
            "{info}"
        );
        for line in [
            "PDF version:     1.7",
            "Metadata Stream: yes",
            "Encrypted:       no",
            "JavaScript:      no",
        ] {
            assert!(info.contains(line), "{line}: {info}");
        }
        let tagged = info.lines().find(|l| l.starts_with("Tagged:")).unwrap();
        assert!(tagged.ends_with("yes"), "{tagged}");
    }
}

#[test]
fn outline_opens_nested_and_lands_on_each_heading() {
    let test = "outline_opens_nested_and_lands_on_each_heading";
    if !have("qpdf", test) {
        return;
    }
    let t = world();
    let pdf = export(&t);
    assert_eq!(catalog(&objects(&pdf))["/PageMode"], "/UseOutlines");
    let out = run(
        "qpdf",
        &["--json", "--json-key=outlines", p(&pdf)],
        t.dir.path(),
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let top = json["outlines"].as_array().unwrap();
    let titles: Vec<&str> = top.iter().map(|o| o["title"].as_str().unwrap()).collect();
    assert_eq!(titles[..3], ["Cover", "1 Executive summary", "2 Red flags"]);
    let checklist = top
        .iter()
        .find(|o| o["title"] == "3 Checklist by section")
        .unwrap();
    let kids = checklist["kids"].as_array().unwrap();
    assert!(kids.len() >= 5, "sections nest under 3: {kids:?}");
    for (n, kid) in kids.iter().enumerate() {
        assert!(
            kid["title"]
                .as_str()
                .unwrap()
                .starts_with(&format!("3.{} ", n + 1)),
            "{kid}"
        );
    }
    // Destinations are [page /XYZ left top null], at the heading: a
    // subsection that starts low on its page lands low on it.
    let tops: Vec<f64> = kids
        .iter()
        .map(|k| {
            let dest = k["dest"].as_array().unwrap();
            assert_eq!(dest[1], "/XYZ", "{dest:?}");
            assert!(dest[4].is_null(), "zoom kept: {dest:?}");
            dest[3].as_f64().unwrap()
        })
        .collect();
    assert!(tops.iter().all(|t| *t > 40.0 && *t < 842.0), "{tops:?}");
    assert!(
        tops.iter().any(|t| *t < 600.0),
        "some heading mid-page: {tops:?}"
    );
    // The comparison's tables nest under its title too.
    let pdf = compare(&t, "compare.pdf");
    let out = run(
        "qpdf",
        &["--json", "--json-key=outlines", p(&pdf)],
        t.dir.path(),
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let top = json["outlines"].as_array().unwrap();
    assert_eq!(top.len(), 1, "{top:?}");
    assert!(!top[0]["kids"].as_array().unwrap().is_empty());
    assert_eq!(catalog(&objects(&pdf))["/PageMode"], "/UseOutlines");
}

#[test]
fn urls_are_printable_link_annotations_and_contents_entries_link_to_headings() {
    let test = "urls_are_printable_link_annotations_and_contents_entries_link_to_headings";
    if !have("qpdf", test) {
        return;
    }
    let t = world();
    let pdf = export(&t);
    let objects = objects(&pdf);
    let links = links(&objects);
    for (uri, flags, _) in &links {
        assert_eq!(*flags, 4, "Print flag on every annotation: {uri}");
    }
    let count = |url: &str| links.iter().filter(|(u, _, _)| u == url).count();
    assert!(count(WEBSITE) >= 1, "the cover's website");
    // The finding's URL wraps, so it has a rectangle per line.
    assert!(count(FINDING_URL) >= 2, "{links:?}");
    // The clause quote's URL, without the sentence's full stop.
    assert!(count(CLAUSE_URL) >= 1, "{links:?}");
    assert!(count(EVIDENCE_URL) >= 1, "{links:?}");
    // The contents page's entries go to their headings.
    let internal: Vec<&Value> = links
        .iter()
        .filter(|(u, _, _)| u.is_empty())
        .map(|(_, _, v)| v)
        .collect();
    assert!(internal.len() > 15, "{}", internal.len());
    for v in internal {
        assert_eq!(v["/Dest"][1], "/XYZ", "{v}");
    }
}

#[test]
fn comparison_pdfs_are_byte_identical() {
    let test = "comparison_pdfs_are_byte_identical";
    if !have("qpdf", test) {
        return;
    }
    let t = world();
    let a = compare(&t, "a.pdf");
    let b = t.path("b.pdf");
    let out = t
        .cmd(&["compare", "acme", "beta", "--pdf", p(&b)])
        .env("VETTER_NOW", "2026-11-26T18:30:00Z")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
}

/// The structure tree as poppler reads it (`pdfinfo -struct-text`): each
/// element's role, then its text, indented by depth.
fn structure(pdf: &Path) -> String {
    let out = run("pdfinfo", &["-struct-text", p(pdf)], pdf.parent().unwrap());
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The text directly under the first element of `role` whose text starts
/// with `start`.
fn element_with<'s>(tree: &'s str, role: &str, start: &str) -> Option<&'s str> {
    let lines: Vec<&str> = tree.lines().collect();
    lines.windows(2).find_map(|w| {
        let is_role = w[0].trim() == role || w[0].trim().starts_with(&format!("{role} ("));
        let text = w[1].trim().trim_matches('"');
        (is_role && text.starts_with(start)).then_some(text)
    })
}

#[test]
fn the_pdfs_are_tagged_with_headings_paragraphs_tables_and_contents() {
    let test = "the_pdfs_are_tagged_with_headings_paragraphs_tables_and_contents";
    if !have("pdfinfo", test) {
        return;
    }
    let t = world();
    let tree = structure(&export(&t));
    assert!(tree.starts_with("Document"), "{tree}");
    assert!(
        element_with(&tree, "H1", "Acme Cloud Société").is_some(),
        "{tree}"
    );
    assert!(element_with(&tree, "H1", "1 Executive summary").is_some());
    assert!(element_with(&tree, "H2", "3.1 ").is_some());
    // The summary's subheadings are headings, not paragraphs.
    assert!(
        element_with(&tree, "H3", "Our obligations (profile)").is_some(),
        "{tree}"
    );
    assert!(element_with(&tree, "P", "Our obligations (profile)").is_none());
    assert!(element_with(&tree, "TOCI", "2 Red flags").is_some());
    assert!(element_with(&tree, "TH", "Kind").is_some());
    assert!(element_with(&tree, "TD", "breach-notification").is_some());
    assert!(element_with(&tree, "P", "This packet's CSV and JSON files").is_some());
    for role in ["Table", "TR", "TOC"] {
        assert!(
            tree.lines().any(|l| l.trim().starts_with(role)),
            "{role}: {tree}"
        );
    }
    // The running header and footer are artifacts, not content.
    assert!(!tree.contains("Page 1 of"), "{tree}");
    assert!(!tree.contains("audit packet · "), "{tree}");

    let tree = structure(&compare(&t, "compare.pdf"));
    assert!(
        element_with(&tree, "H1", "Vendor comparison").is_some(),
        "{tree}"
    );
    assert!(element_with(&tree, "TH", "Acme Cloud").is_some(), "{tree}");
    assert!(!tree.contains("vendor comparison · as of"), "{tree}");
}

/// A checklist of 60 sections: more entries than one contents page holds.
fn sixty_sections() -> String {
    let mut toml = String::from("id = \"wide\"\nversion = \"1.0\"\ntitle = \"Wide\"\n");
    for n in 1..=60 {
        toml.push_str(&format!(
            "\n[[sections]]\nid = \"area{n:02}\"\ntitle = \"Area {n:02}\"\n\n\
             [[sections.items]]\nid = \"area{n:02}.one\"\ntitle = \"Item {n:02}\"\n\
             question = \"Is it so?\"\nguidance = \"Yes.\"\nseverity = \"low\"\n\
             owner = \"vendor\"\nevidence = [\"Policy\"]\n"
        ));
    }
    toml
}

#[test]
fn a_long_contents_list_runs_onto_more_pages_and_each_entry_names_its_page() {
    let test = "a_long_contents_list_runs_onto_more_pages_and_each_entry_names_its_page";
    if !have("pdftotext", test) || !have("qpdf", test) || !have("python3", test) {
        return;
    }
    let t = T::new();
    let file = t.write("wide.toml", sixty_sections());
    t.ok(&["checklist", "add", p(&file)]);
    t.ok(&["vendor", "add", "Acme", "--slug", "acme"]);
    t.ok(&["review", "start", "acme", "--checklist", "wide"]);
    let pdf = export(&t);
    let out = run("pdftotext", &["-layout", p(&pdf), "-"], t.dir.path());
    let text = String::from_utf8(out.stdout).unwrap();
    let pages: Vec<&str> = text.split('\u{c}').collect();
    assert!(pages[1].contains("Contents"), "{}", pages[1]);
    // The summary's chart has a bar for each of the 60 sections ("Area 07
    // ... 0/1"), and nothing runs over a footer.
    let bars = text
        .lines()
        .map(|l| l.trim_start_matches('\u{c}'))
        .filter(|l| l.starts_with("Area ") && l.ends_with(" 0/1"))
        .count();
    assert_eq!(bars, 60, "{text}");
    for (i, page) in pages.iter().enumerate().filter(|(_, p)| !p.is_empty()) {
        assert!(
            page.contains("audit packet · wide@1.0"),
            "page {}: {page}",
            i + 1
        );
    }
    // Every section is listed once, on the contents pages (2 and 3), with
    // the number of the page its heading is on.
    for n in 1..=60 {
        let title = format!("3.{n} Area {n:02}");
        let entries: Vec<(usize, &str)> = pages
            .iter()
            .enumerate()
            .flat_map(|(i, page)| page.lines().map(move |l| (i, l)))
            .filter(|(_, l)| l.trim_start().starts_with(&format!("{title} ")))
            .collect();
        assert_eq!(entries.len(), 1, "{title}: {entries:?}");
        let (on, line) = entries[0];
        assert!(on == 1 || on == 2, "{title} is on page {}", on + 1);
        let named: usize = line.split_whitespace().last().unwrap().parse().unwrap();
        assert!(
            pages[named - 1]
                .lines()
                .any(|l| l.trim() == title && named - 1 > 2),
            "{title}: the contents says page {named}"
        );
    }
    assert!(pages[2].contains("3.60 Area 60"), "{}", pages[2]);
    // The structure tree, links and marked content still hold together.
    assert_pdfa(&pdf);
    let internal = links(&objects(&pdf))
        .into_iter()
        .filter(|(u, _, _)| u.is_empty())
        .count();
    assert!(internal >= 60 + 10, "{internal}");
}

#[test]
fn a_comparison_of_forty_vendors_runs_its_chart_onto_the_next_page() {
    let test = "a_comparison_of_forty_vendors_runs_its_chart_onto_the_next_page";
    if !have("pdftotext", test) {
        return;
    }
    let t = T::new();
    let mut slugs = Vec::new();
    for n in 1..=40 {
        let slug = format!("v{n:02}");
        // The last has a name far wider than the chart's label column.
        let name = if n == 40 {
            format!("Vendor {n:02}{}", " with a very long name".repeat(8))
        } else {
            format!("Vendor {n:02}")
        };
        t.ok(&["vendor", "add", &name, "--slug", &slug]);
        t.ok(&["review", "start", &slug]);
        slugs.push(slug);
    }
    let pdf = t.path("compare.pdf");
    let mut args: Vec<&str> = vec!["compare"];
    args.extend(slugs.iter().map(String::as_str));
    args.extend(["--pdf", p(&pdf)]);
    t.ok(&args);
    let out = run("pdftotext", &["-layout", p(&pdf), "-"], t.dir.path());
    let text = String::from_utf8(out.stdout).unwrap();
    let pages: Vec<&str> = text.split('\u{c}').filter(|p| !p.is_empty()).collect();
    // Every page's footer is intact: no bar was drawn over it.
    for (i, page) in pages.iter().enumerate() {
        assert!(
            page.contains("vendor comparison · as of 2026-"),
            "page {}: {page}",
            i + 1
        );
    }
    // Every vendor has its bar in the chart, which ends where the tables
    // begin: its name starts a line there.
    let chart = text.split("Hosting (vendors 1-").next().unwrap();
    assert!(chart.matches('\u{c}').count() >= 2, "the chart spans pages");
    for n in 1..=40 {
        let name = format!("Vendor {n:02}");
        assert!(
            chart
                .lines()
                .any(|l| l.trim_start_matches('\u{c}').starts_with(&name)),
            "{name} has no bar: {chart}"
        );
    }
    // The long name is cut to its column, not drawn across the bars.
    let long = chart
        .lines()
        .map(|l| l.trim_start_matches('\u{c}'))
        .find(|l| l.starts_with("Vendor 40"))
        .unwrap();
    assert!(long.contains("…"), "{long}");
    assert!(long.contains("0.0%"), "{long}");
}

#[test]
fn a_cover_longer_than_a_page_is_followed_by_the_contents() {
    let test = "a_cover_longer_than_a_page_is_followed_by_the_contents";
    if !have("pdftotext", test) || !have("qpdf", test) || !have("python3", test) {
        return;
    }
    // The conditions of a decision are printed on the cover: 400 of them
    // (23 KB, well under the 64 KiB limit) take it over two pages. The
    // export failed ("MCID 0 used twice on page 2") from 2.3 KB on.
    let t = world();
    t.ok(&["review", "submit", "acme", "--note", "ready"]);
    let conditions: Vec<String> = (1..=400)
        .map(|i| format!("The vendor must deliver item {i} of the remediation plan."))
        .collect();
    let decided = t
        .cmd_as(
            "approver",
            &[
                "review",
                "decide",
                "acme",
                "--decision",
                "conditional",
                "--note",
                "acceptable with conditions",
                "--conditions",
                &conditions.join(" "),
            ],
        )
        .output()
        .unwrap();
    assert!(decided.status.success(), "{decided:?}");
    let pdf = export(&t);
    let out = run("pdftotext", &["-layout", p(&pdf), "-"], t.dir.path());
    let text = String::from_utf8(out.stdout).unwrap();
    let pages: Vec<&str> = text.split('\u{c}').collect();
    let contents = pages
        .iter()
        .position(|p| p.lines().any(|l| l.trim() == "Contents"))
        .expect("a contents page");
    assert!(contents >= 2, "the cover takes {contents} pages");
    // Every condition is on the cover's pages, whole, and nothing else is.
    let cover: String = pages[..contents].join(" ");
    let flat = cover.split_whitespace().collect::<Vec<_>>().join(" ");
    for c in [&conditions[0], &conditions[199], &conditions[399]] {
        assert!(flat.contains(c.as_str()), "{c} not on the cover");
    }
    // The contents entries name the pages their headings are on.
    for heading in ["1 Executive summary", "10 Sign-off"] {
        let line = pages[contents]
            .lines()
            .find(|l| l.trim_start().starts_with(heading))
            .unwrap_or_else(|| panic!("{heading} not in {}", pages[contents]));
        let named: usize = line.split_whitespace().last().unwrap().parse().unwrap();
        assert!(
            pages[named - 1].lines().any(|l| l.trim() == heading),
            "{heading}: the contents says page {named}"
        );
    }
    assert_pdfa(&pdf);
}
