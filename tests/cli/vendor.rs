//! `vetter vendor ...`

use crate::{contains_all, T};

#[test]
fn add_list_show_with_every_field() {
    let t = T::new();
    let msg = t.ok_stderr(&[
        "vendor",
        "add",
        "Xano",
        "--website",
        "https://www.xano.com",
        "--trust-center",
        "https://trust.xano.com",
        "--hosting",
        "baas",
        "--tenancy",
        "both",
        "--data",
        "pii,financial,pii",
        "--tier",
        "high",
    ]);
    contains_all(&msg, &["added vendor 'xano'"]);
    let list = t.json(&["vendor", "list", "--json"]);
    let v = &list[0];
    assert_eq!(v["slug"], "xano");
    assert_eq!(v["name"], "Xano");
    assert_eq!(v["hosting"], "baas");
    assert_eq!(v["tenancy"], "both");
    assert_eq!(v["tier"], "high");
    assert_eq!(v["data"], serde_json::json!(["pii", "financial"]));
    assert_eq!(v["trust_center"], "https://trust.xano.com");
    assert_eq!(v["created_at"], crate::NOW);

    let shown = t.json(&["vendor", "show", "xano", "--json"]);
    assert_eq!(shown["name"], "Xano");
    assert_eq!(shown["reviews"], serde_json::json!([]));
    let table = t.ok(&["vendor", "list"]);
    contains_all(&table, &["xano", "Xano", "baas", "high"]);
    contains_all(
        &t.ok(&["vendor", "show", "xano"]),
        &["trust center", "https://trust.xano.com"],
    );
}

#[test]
fn unicode_names_get_usable_slugs_or_a_request_for_one() {
    let t = T::new();
    t.ok(&["vendor", "add", "Société Générale Cloud"]);
    let err = t.refused(&["vendor", "add", "株式会社テスト"]);
    contains_all(&err, &["株式会社テスト", "--slug"]);
    t.ok(&["vendor", "add", "株式会社テスト", "--slug", "test-kk"]);
    let list = t.json(&["vendor", "list", "--json"]);
    let names: Vec<(&str, &str)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v["slug"].as_str().unwrap(), v["name"].as_str().unwrap()))
        .collect();
    assert_eq!(
        names,
        vec![
            ("societe-generale-cloud", "Société Générale Cloud"),
            ("test-kk", "株式会社テスト")
        ]
    );
}

#[test]
fn duplicates_and_bad_slugs_are_refused() {
    let t = T::new();
    t.ok(&["vendor", "add", "Acme Cloud"]);
    let err = t.refused(&["vendor", "add", "ACME cloud"]);
    contains_all(
        &err,
        &["looks like the name of the existing vendor 'Acme Cloud'"],
    );
    let err = t.refused(&["vendor", "add", "ACME cloud", "--allow-similar"]);
    contains_all(&err, &["'acme-cloud' already exists", "--slug"]);
    let err = t.refused(&["vendor", "add", "Other", "--slug", "Bad Slug"]);
    contains_all(&err, &["invalid slug 'Bad Slug'"]);
}

#[test]
fn empty_and_deceptive_names_are_refused() {
    let t = T::new();
    let err = t.refused(&["vendor", "add", "   "]);
    contains_all(&err, &["vendor name is empty"]);
    let deceptive = ('\u{202A}'..='\u{202E}')
        .chain('\u{2066}'..='\u{2069}')
        .chain('\u{200B}'..='\u{200F}');
    for c in deceptive {
        let name = format!("Ac{c}me");
        let err = t.refused(&["vendor", "add", &name, "--slug", "acme"]);
        contains_all(&err, &[&format!("U+{:04X}", c as u32)]);
    }
    let err = t.refused(&["vendor", "add", "Acme\u{7}Bell"]);
    contains_all(&err, &["U+0007 control character at character 5"]);
}

#[test]
fn bad_field_values_name_the_value_and_the_choices() {
    let t = T::new();
    let err = t.refused(&["vendor", "add", "Acme", "--website", "not a url"]);
    contains_all(&err, &["invalid --website 'not a url'", "https://"]);
    let err = t.refused(&["vendor", "add", "Acme", "--trust-center", "ftp://x.example"]);
    contains_all(&err, &["ftp"]);
    let err = t.refused(&["vendor", "add", "Acme", "--hosting", "mainframe"]);
    contains_all(
        &err,
        &["mainframe", "baas", "managed-database", "self-hosted"],
    );
    let err = t.refused(&["vendor", "add", "Acme", "--data", "pii,dna"]);
    contains_all(&err, &["dna", "phi", "ai-inputs"]);
    let err = t.refused(&["vendor", "add", "Acme", "--tier", "urgent"]);
    contains_all(&err, &["urgent", "critical"]);
}

#[test]
fn edit_changes_fields_and_records_old_and_new() {
    let t = T::new();
    t.ok(&["vendor", "add", "Acme", "--tier", "low"]);
    t.ok(&[
        "--as",
        "bob",
        "vendor",
        "edit",
        "acme",
        "--tier",
        "critical",
        "--name",
        "Acme Corp",
        "--data",
        "phi",
    ]);
    let v = &t.json(&["vendor", "list", "--json"])[0];
    assert_eq!(v["tier"], "critical");
    assert_eq!(v["name"], "Acme Corp");
    assert_eq!(v["slug"], "acme");
    let log = t.json(&["log", "acme", "--json"]);
    let edit = log
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["command"] == "vendor edit")
        .unwrap();
    assert_eq!(edit["actor"], "bob");
    assert_eq!(edit["old"]["tier"], "low");
    assert_eq!(edit["new"]["tier"], "critical");
    assert_eq!(edit["new"]["name"], "Acme Corp");
    // An edit that changes nothing writes nothing.
    let before = t.dump();
    t.ok(&["vendor", "edit", "acme", "--tier", "critical"]);
    assert_eq!(before, t.dump());
}

#[test]
fn archive_hides_but_never_deletes() {
    let t = T::with_review();
    t.ok(&["vendor", "add", "Beta"]);
    t.ok(&["vendor", "archive", "acme"]);
    let slugs = |v: serde_json::Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|v| v["slug"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(slugs(t.json(&["vendor", "list", "--json"])), vec!["beta"]);
    assert_eq!(
        slugs(t.json(&["vendor", "list", "--all", "--json"])),
        vec!["acme", "beta"]
    );
    assert_eq!(
        t.json(&["vendor", "show", "acme", "--json"])["archived_at"],
        crate::NOW
    );
    contains_all(
        &t.refused(&["vendor", "archive", "acme"]),
        &["already archived"],
    );
    contains_all(
        &t.refused(&[
            "finding",
            "add",
            "acme",
            "dpa.ownership",
            "--status",
            "met",
            "--source",
            "dpa",
        ]),
        &["archived"],
    );
    contains_all(
        &t.refused(&["vendor", "add", "Acme", "--slug", "acme"]),
        &["already exists", "(archived)"],
    );
    // The archived vendor's review is still readable.
    t.ok(&["review", "status", "acme"]);
}

#[test]
fn unknown_vendors_get_a_suggestion() {
    let t = T::new();
    t.ok(&["vendor", "add", "Supabase"]);
    let err = t.refused(&["vendor", "show", "supabse"]);
    contains_all(
        &err,
        &["unknown vendor 'supabse'", "did you mean 'supabase'?"],
    );
    let err = t.refused(&["vendor", "edit", "zzz", "--tier", "low"]);
    contains_all(&err, &["unknown vendor 'zzz'", "vendor list"]);
}
