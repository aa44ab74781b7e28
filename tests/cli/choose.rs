//! Choosing and concluding (issue 10): hosting models, compare, the
//! four-eyes decision, reassessment cycles and diffs between them.

use crate::{contains_all, p, T};

#[test]
fn hosting_models_are_reference_data_shown_without_a_database() {
    let t = T::new();
    let models = t.json(&["hosting", "--json"]);
    let ids: Vec<&str> = models["model"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "baas",
            "paas",
            "iaas",
            "containers",
            "serverless",
            "self-hosted"
        ]
    );
    for m in models["model"].as_array().unwrap() {
        for rating in [
            "expertise",
            "speed",
            "budget",
            "responsibility",
            "scalability",
        ] {
            let score = m["ratings"][rating]["score"].as_u64().unwrap();
            assert!((1..=5).contains(&score), "{} {rating} {score}", m["id"]);
            assert!(!m["ratings"][rating]["reason"].as_str().unwrap().is_empty());
        }
        assert!(m["shifted_items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i.as_str().unwrap().starts_with("hosting.")));
    }
    let text = t.cmd(&["hosting"]).env("COLUMNS", "80").output().unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    contains_all(
        &text,
        &[
            "self-hosted",
            "Backend as a Service (baas)",
            "responsibility 5/5",
        ],
    );
    assert!(text
        .lines()
        .all(|l| unicode_width::UnicodeWidthStr::width(l) <= 80));
    assert!(!t.db.exists(), "reference data needs no database");
    // The packet names the vendor's model with its ratings.
    let t = T::with_review();
    let out = t.path("packet");
    t.ok(&["export", "acme", "--format", "pdf,json", "--out", p(&out)]);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("packet.json")).unwrap()).unwrap();
    assert_eq!(json["hosting_model"]["id"], "baas");
    contains_all(
        &crate::export::pdf_text(&out.join("packet.pdf")),
        &["Hosting model: Backend as a Service (baas): expertise 2/5"],
    );
}
