//! docs/scoring.md's worked example, run as written: the checklist it shows,
//! the commands it shows, and the score line it says they print.

use crate::readme::{block, run_as_new_user, script, steps};

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
