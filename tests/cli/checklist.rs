//! `vetter checklist ...` and the built-in backend-platform checklist.

use crate::{contains_all, p, T};

const MINI: &str = r#"
id = "mini"
version = "1.0"
title = "Mini checklist"

[[sections]]
id = "dpa"
title = "DPA"

[[sections.items]]
id = "dpa.breach"
title = "Breach notice"
question = "How fast are we told?"
guidance = "Within 48 hours."
severity = "high"
owner = "vendor"
evidence = ["DPA"]

[[sections.items]]
id = "dpa.baa"
title = "BAA"
question = "Is there a BAA?"
guidance = "Needed for PHI."
severity = "critical"
owner = "shared"
evidence = ["BAA"]
data = ["phi"]
"#;

#[test]
fn the_builtin_checklist_is_listed_and_shown() {
    let t = T::with_db();
    let list = t.json(&["checklist", "list", "--json"]);
    let bp = list
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "backend-platform")
        .unwrap();
    let items = bp["items"].as_u64().unwrap();
    assert!((60..=120).contains(&items), "{items} items");
    assert_eq!(bp["origin"], "built-in");

    let shown = t.json(&["checklist", "show", "backend-platform", "--json"]);
    assert_eq!(shown["id"], "backend-platform");
    assert!(shown["version"].is_string());
    let sections = shown["sections"].as_array().unwrap();
    let section_ids: Vec<&str> = sections.iter().map(|s| s["id"].as_str().unwrap()).collect();
    for wanted in [
        "obligations",
        "security",
        "hosting",
        "trust",
        "dpa",
        "access",
        "tenancy",
        "monitoring",
        "responsibility",
    ] {
        assert!(section_ids.contains(&wanted), "missing section {wanted}");
    }
    let mut count = 0;
    for section in sections {
        assert!(section["title"].is_string());
        for item in section["items"].as_array().unwrap() {
            count += 1;
            let id = item["id"].as_str().unwrap();
            assert!(
                id.starts_with(&format!("{}.", section["id"].as_str().unwrap())),
                "{id}"
            );
            assert!(!item["question"].as_str().unwrap().is_empty());
            assert!(
                ["critical", "high", "medium", "low"].contains(&item["severity"].as_str().unwrap())
            );
            assert!(["vendor", "customer", "shared"].contains(&item["owner"].as_str().unwrap()));
            assert!(
                !item["evidence"].as_array().unwrap().is_empty(),
                "{id} has no evidence"
            );
        }
    }
    assert_eq!(count, items);
    // The items a reviewer expects by name.
    let text = t.ok(&["checklist", "show", "backend-platform"]);
    contains_all(
        &text,
        &[
            "dpa.breach-notification",
            "dpa.subprocessors",
            "dpa.deletion-return",
            "access.scim",
            "tenancy.isolation",
            "monitoring.siem",
            "responsibility.matrix",
        ],
    );
}

#[test]
fn validate_accepts_a_good_file_and_locates_problems() {
    let t = T::new();
    let good = t.write("mini.toml", MINI);
    contains_all(
        &t.ok(&["checklist", "validate", p(&good)]),
        &["valid checklist mini@1.0", "2 items"],
    );

    let bad = t.write(
        "bad.toml",
        MINI.replace("severity = \"high\"", "severity = \"hihg\""),
    );
    let err = t.refused(&["checklist", "validate", p(&bad)]);
    contains_all(
        &err,
        &[
            "bad.toml:15",
            "field `severity`",
            "hihg",
            "critical, high, medium, low",
        ],
    );

    let bad = t.write(
        "syntax.toml",
        MINI.replace("title = \"BAA\"", "title = \"BAA"),
    );
    let err = t.refused(&["checklist", "validate", p(&bad)]);
    contains_all(&err, &["syntax.toml:21"]);

    let bad = t.write(
        "dup.toml",
        MINI.replace("id = \"dpa.baa\"", "id = \"dpa.breach\""),
    );
    let err = t.refused(&["checklist", "validate", p(&bad)]);
    contains_all(&err, &["dup.toml:20", "field `id`", "appears twice"]);

    let bad = t.write(
        "prefix.toml",
        MINI.replace("id = \"dpa.baa\"", "id = \"access.baa\""),
    );
    contains_all(
        &t.refused(&["checklist", "validate", p(&bad)]),
        &["prefix.toml:20", "must be 'dpa.'"],
    );

    let bad = t.write(
        "unknown.toml",
        MINI.replace(
            "evidence = [\"BAA\"]",
            "evidence = [\"BAA\"]\ncolour = \"red\"",
        ),
    );
    contains_all(
        &t.refused(&["checklist", "validate", p(&bad)]),
        &["unknown.toml:27", "colour"],
    );

    let bad = t.write(
        "missing.toml",
        MINI.replace("question = \"Is there a BAA?\"\n", ""),
    );
    contains_all(
        &t.refused(&["checklist", "validate", p(&bad)]),
        &["missing.toml", "question"],
    );

    contains_all(
        &t.refused(&["checklist", "validate", p(t.dir.path())]),
        &["is a directory"],
    );
    contains_all(
        &t.refused(&["checklist", "validate", "nope.toml"]),
        &["nope.toml"],
    );
    let latin1 = t.write("latin1.toml", b"id = \"caf\xe9\"\n");
    contains_all(
        &t.refused(&["checklist", "validate", p(&latin1)]),
        &["not valid UTF-8"],
    );
}

#[test]
fn add_installs_once_and_refuses_a_changed_same_version() {
    let t = T::new();
    let file = t.write("mini.toml", MINI);
    contains_all(
        &t.ok_stderr(&["checklist", "add", p(&file)]),
        &["installed checklist mini@1.0"],
    );
    contains_all(
        &t.ok_stderr(&["checklist", "add", p(&file)]),
        &["already installed"],
    );
    let changed = t.write(
        "mini2.toml",
        MINI.replace("Within 48 hours.", "Within 24 hours."),
    );
    let err = t.refused(&["checklist", "add", p(&changed)]);
    contains_all(
        &err,
        &["mini@1.0 already exists", "different content", "version"],
    );
    let list = t.json(&["checklist", "list", "--json"]);
    assert!(list
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["id"] == "mini" && c["origin"] == "user"));
    // The built-in id and version cannot be shadowed either.
    let fake = t.write(
        "fake.toml",
        MINI.replace("id = \"mini\"", "id = \"backend-platform\""),
    );
    contains_all(
        &t.refused(&["checklist", "add", p(&fake)]),
        &["already exists (built-in)"],
    );
}

#[test]
fn a_review_keeps_its_snapshot_when_the_checklist_changes() {
    let t = T::new();
    t.ok(&["checklist", "add", p(&t.write("v1.toml", MINI))]);
    t.ok(&["vendor", "add", "Acme"]);
    t.ok(&["review", "start", "acme", "--checklist", "mini"]);
    let v2 = MINI
        .replace("version = \"1.0\"", "version = \"1.1\"")
        .replace("title = \"Breach notice\"", "title = \"Breach notice v2\"");
    t.ok(&["checklist", "add", p(&t.write("v2.toml", v2))]);
    assert_eq!(
        t.json(&["checklist", "show", "mini", "--json"])["version"],
        "1.1"
    );
    assert_eq!(
        t.json(&["checklist", "show", "mini@1.0", "--json"])["version"],
        "1.0"
    );
    let status = t.json(&["review", "status", "acme", "--json"]);
    assert_eq!(status["checklist"]["version"], "1.0");
    assert_eq!(status["sections"][0]["items"][0]["title"], "Breach notice");
    contains_all(
        &t.refused(&["checklist", "show", "mini@9.9"]),
        &["no version '9.9'", "1.0, 1.1"],
    );
}

#[test]
fn unknown_checklists_get_a_suggestion() {
    let t = T::with_db();
    let err = t.refused(&["checklist", "show", "backend-platfrom"]);
    contains_all(
        &err,
        &[
            "unknown checklist 'backend-platfrom'",
            "did you mean 'backend-platform'?",
        ],
    );
}
