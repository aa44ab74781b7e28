//! docs/scoring.md's worked example, run as written: the checklist it shows,
//! the commands it shows, and the score line it says they print.

use crate::readme::{block, run_as_new_user, script, steps};
use crate::{contains_all, p, T};

#[test]
fn the_worked_example_in_scoring_md_is_what_vetter_prints() {
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/scoring.md")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("score-example.toml"),
        block(&doc, "scoring-checklist"),
    )
    .unwrap();
    let steps = steps(&doc, "scoring-commands");
    let script = format!("export VETTER_DB=$PWD/score.db\n{}", script(&steps));
    let out = run_as_new_user(&script, dir.path(), home.path());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}\n{stdout}",
        String::from_utf8_lossy(&out.stderr)
    );
    let expected = block(&doc, "scoring-expect");
    assert!(
        stdout.contains(expected.trim_end()),
        "docs/scoring.md says:\n{expected}\nvetter printed:\n{stdout}"
    );
    // The same figures in --json, as the doc's table sums them.
    let json = std::process::Command::new(env!("CARGO_BIN_EXE_vetter"))
        .args(["--db", dir.path().join("score.db").to_str().unwrap()])
        .args(["review", "status", "example", "--json"])
        .output()
        .unwrap();
    let status: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let score = &status["score"];
    assert_eq!(
        (score["earned"].as_f64(), score["possible"].as_f64()),
        (Some(5.5), Some(14.0))
    );
    assert_eq!(
        (score["items_with_result"].as_u64(), score["items"].as_u64()),
        (Some(4), Some(6))
    );
    let na = score["breakdown"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "example.status-page")
        .unwrap();
    assert!(na["value"].is_null(), "n/a is left out of both sums");
    // The packet shows the same score, with its formula version.
    let vetter = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_vetter"))
            .args(["--db", dir.path().join("score.db").to_str().unwrap()])
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let packet = dir.path().join("packet");
    vetter(&["export", "example", "--out", packet.to_str().unwrap()]);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(packet.join("packet.json")).unwrap())
            .unwrap();
    assert_eq!(json["summary"]["score"]["formula_version"], "score-1");
    assert_eq!(json["summary"]["score"]["rating"], "high-risk");
    let pdf = crate::export::pdf_text(&packet.join("packet.pdf"));
    crate::contains_all(
        &pdf,
        &["Score (score-1): compliance 39.3% (5.5 of 14 weighted points); rating HIGH-RISK"],
    );
    let all = dir.path().join("all");
    vetter(&["export", "--all", "--out", all.to_str().unwrap()]);
    let portfolio = std::fs::read_to_string(all.join("portfolio.csv")).unwrap();
    crate::contains_all(
        &portfolio,
        &["\"compliance\",\"rating\"", "\"39.3%\",\"high-risk\""],
    );
}

/// A checklist of 18 items: section A of 3, section B of 15.
fn eighteen_items() -> String {
    let mut toml = String::from("id = \"cov\"\nversion = \"1\"\ntitle = \"Coverage\"\n");
    for (section, n) in [("a", 3), ("b", 15)] {
        toml.push_str(&format!(
            "\n[[sections]]\nid = \"{section}\"\ntitle = \"Section {}\"\n",
            section.to_uppercase()
        ));
        for i in 1..=n {
            toml.push_str(&format!(
                "\n[[sections.items]]\nid = \"{section}.item{i}\"\ntitle = \"Item {i}\"\n\
                 question = \"Q?\"\nguidance = \"G.\"\nseverity = \"medium\"\nowner = \"vendor\"\n\
                 evidence = [\"doc\"]\n"
            ));
        }
    }
    toml
}

/// Issue 19 item 8: 5 of 18 items have a result (27.78%) and section A's
/// third item is recorded unknown. The PDF and portfolio.csv said 27%,
/// compare 27.8%; the chart labelled section A "3/3" while its table said
/// 66%. Every view now shows 27.8% and 66.7%, and the label counts what
/// coverage counts (2/3).
#[test]
fn coverage_is_one_figure_in_every_view() {
    let t = T::new();
    let checklist = t.write("cov.toml", eighteen_items());
    t.ok(&["checklist", "add", p(&checklist)]);
    for (name, slug) in [("Acme", "acme"), ("Other", "other")] {
        t.ok(&["vendor", "add", name, "--slug", slug]);
        t.ok(&["review", "start", slug, "--checklist", "cov"]);
    }
    for item in ["a.item1", "a.item2", "b.item1", "b.item2", "b.item3"] {
        t.ok(&[
            "finding", "add", "acme", item, "--status", "met", "--source", "docs",
        ]);
    }
    t.ok(&[
        "finding", "add", "acme", "a.item3", "--status", "unknown", "--source", "docs",
    ]);

    // review status, table and --json.
    let table = t.ok(&["review", "status", "acme"]);
    let row = |label: &str| {
        table
            .lines()
            .find(|l| l.split_whitespace().next() == Some(label))
            .unwrap_or_else(|| panic!("no {label} row in {table}"))
            .to_string()
    };
    assert!(row("total").ends_with(" 27.8%"), "{table}");
    assert!(row("a").ends_with(" 66.7%"), "{table}");
    let status = t.json(&["review", "status", "acme", "--json"]);
    assert_eq!(
        status["coverage"],
        serde_json::json!({"covered": 5, "items": 18, "percent": "27.8%"})
    );
    assert_eq!(status["sections"][0]["coverage"]["percent"], "66.7%");

    // compare, table and --json.
    let compare = t.ok(&["compare", "acme", "other"]);
    let line = compare.lines().find(|l| l.starts_with("Coverage")).unwrap();
    assert_eq!(line.split_whitespace().nth(1), Some("27.8%"), "{line}");
    let compare = t.json(&["compare", "acme", "other", "--json"]);
    let row = compare["groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["rows"].as_array().unwrap())
        .find(|r| r["label"] == "Coverage")
        .unwrap();
    assert_eq!(row["cells"][0]["value"], "27.8%");
    assert_eq!(row["cells"][0]["number"], 0.278);

    // The packets: portfolio.csv, packet.json, the PDF.
    let out = t.path("all");
    t.ok(&["export", "--all", "--out", p(&out)]);
    let mut portfolio = csv::Reader::from_path(out.join("portfolio.csv")).unwrap();
    let header = portfolio.headers().unwrap().clone();
    let column = header.iter().position(|h| h == "coverage").unwrap();
    let acme = portfolio
        .records()
        .map(Result::unwrap)
        .find(|r| &r[0] == "acme")
        .unwrap();
    assert_eq!(&acme[column], "27.8%");
    let packet: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("acme/packet.json")).unwrap()).unwrap();
    assert_eq!(packet["summary"]["coverage"]["percent"], "27.8%");
    assert_eq!(
        packet["summary"]["sections"][0]["coverage"]["percent"],
        "66.7%"
    );
    let pdf = crate::export::pdf_text(&out.join("acme/packet.pdf"));
    contains_all(
        &pdf,
        &[
            "Review #1 · 27.8% coverage",
            "Section A (a) 3 2 0 0 1 0 0 66.7%",
            "Total 18 5 0 0 1 0 12 27.8%",
        ],
    );
    assert!(!pdf.contains("27%"), "{pdf}");
    // The chart's label for section A is the count behind its 66.7%.
    let label = pdf
        .lines()
        .find_map(|l| l.strip_prefix("Section A "))
        .unwrap();
    assert_eq!(label, "2/3", "{pdf}");
}
