//! The clause vocabulary real DPAs needed (issue 12): the liability cap's
//! size and a profile minimum, an absent liability clause under a profile
//! that wants a separate cap, the repealed pre-2021 SCCs, a subprocessor
//! list in an annex or only on request, objection on "reasonable grounds",
//! and security measures on a web page the vendor can change.

use crate::{contains_all, p, T};

fn vendor() -> T {
    let t = T::new();
    t.ok(&["vendor", "add", "Acme"]);
    t
}

/// The rule ids `flags VENDOR --json` raises, sorted.
fn raised(t: &T, vendor: &str) -> Vec<String> {
    let mut ids: Vec<String> = t.json(&["flags", vendor, "--json"])["flags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

fn flag(t: &T, vendor: &str, rule: &str) -> Option<serde_json::Value> {
    t.json(&["flags", vendor, "--json"])["flags"]
        .clone()
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == rule)
        .cloned()
}

#[test]
fn new_terms_are_recorded_shown_and_listed() {
    let t = vendor();
    t.ok(&[
        "clause",
        "add",
        "acme",
        "liability",
        "--cap",
        "separate-cap",
        "--cap-months",
        "12",
        "--cap-amount",
        "USD 1,000,000",
        "--section",
        "§13",
        "--quote",
        "the greater of twelve (12) months of fees or USD 1,000,000",
    ]);
    t.ok(&[
        "clause",
        "add",
        "acme",
        "subprocessors",
        "--list-in",
        "annex",
        "--list-url",
        "https://acme.example/subprocessors",
        "--reasonable-grounds",
        "--notice-days",
        "30",
    ]);
    t.ok(&[
        "clause",
        "add",
        "acme",
        "transfers",
        "--regions",
        "EU,US",
        "--mechanism",
        "scc-2010",
    ]);
    t.ok(&[
        "clause",
        "add",
        "acme",
        "security-measures",
        "--annex",
        "external-page",
    ]);

    let liability = t.json(&["clause", "show", "1", "--json"]);
    assert_eq!(liability["terms"]["cap"], "separate-cap");
    assert_eq!(liability["terms"]["cap_months"], 12);
    assert_eq!(liability["terms"]["cap_amount"], "USD 1,000,000");
    let subs = t.json(&["clause", "show", "2", "--json"]);
    assert_eq!(subs["terms"]["list_in"], "annex");
    assert_eq!(
        subs["terms"]["list_url"],
        "https://acme.example/subprocessors"
    );
    assert_eq!(subs["terms"]["reasonable_grounds"], true);
    assert_eq!(
        t.json(&["clause", "show", "3", "--json"])["terms"]["mechanism"],
        serde_json::json!(["scc-2010"])
    );
    assert_eq!(
        t.json(&["clause", "show", "4", "--json"])["terms"]["annex"],
        "external-page"
    );
    contains_all(
        &t.ok(&["clause", "list", "acme"]),
        &[
            "cap-months=12",
            "cap-amount=USD 1,000,000",
            "list-in=annex",
            "reasonable-grounds",
            "mechanism=scc-2010",
            "annex=external-page",
        ],
    );
    contains_all(&t.ok(&["clause", "show", "1"]), &["cap-months=12"]);
}

#[test]
fn edits_replace_what_contradicts_the_new_term() {
    let t = vendor();
    t.ok(&[
        "clause",
        "add",
        "acme",
        "subprocessors",
        "--list-url",
        "https://acme.example/subprocessors",
    ]);
    // The list turns out to be sent only on request: the URL goes.
    t.ok(&["clause", "edit", "1", "--list-in", "on-request"]);
    let terms = &t.json(&["clause", "show", "1", "--json"])["terms"];
    assert_eq!(terms["list_in"], "on-request");
    assert!(terms.get("list_url").is_none(), "{terms}");
    // And the reverse: a published URL replaces "on request".
    t.ok(&[
        "clause",
        "edit",
        "1",
        "--list-url",
        "https://acme.example/subs",
    ]);
    let terms = &t.json(&["clause", "show", "1", "--json"])["terms"];
    assert!(terms.get("list_in").is_none(), "{terms}");
    assert_eq!(terms["list_url"], "https://acme.example/subs");

    t.ok(&["clause", "add", "acme", "liability", "--cap-months", "1"]);
    t.ok(&["clause", "edit", "2", "--cap", "uncapped"]);
    let terms = &t.json(&["clause", "show", "2", "--json"])["terms"];
    assert_eq!(terms["cap"], "uncapped");
    assert!(terms.get("cap_months").is_none(), "{terms}");
    t.ok(&["clause", "edit", "2", "--cap-amount", "EUR 500,000"]);
    let terms = &t.json(&["clause", "show", "2", "--json"])["terms"];
    assert!(terms.get("cap").is_none(), "{terms}");
    assert_eq!(terms["cap_amount"], "EUR 500,000");
    // The audit event holds old and new terms.
    let edit = t
        .json(&["log", "acme", "--json"])
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["command"] == "clause edit" && e["new"]["terms"]["cap_amount"].is_string())
        .cloned()
        .unwrap();
    assert_eq!(edit["old"]["terms"]["cap"], "uncapped");
}

#[test]
fn new_terms_on_the_wrong_kind_or_out_of_range_are_refused() {
    let t = vendor();
    let cases: &[(&[&str], &[&str])] = &[
        (
            &["breach-notification", "--cap-months", "12"],
            &[
                "--cap-months does not apply to a breach-notification clause",
                "--cap-months belongs to liability clauses",
            ],
        ),
        (
            &["subprocessors", "--cap-amount", "USD 1"],
            &["--cap-amount does not apply to a subprocessors clause"],
        ),
        (
            &["liability", "--list-in", "annex"],
            &[
                "--list-in does not apply to a liability clause",
                "subprocessors",
            ],
        ),
        (
            &["transfers", "--reasonable-grounds"],
            &["--reasonable-grounds does not apply to a transfers clause"],
        ),
        (
            &["subprocessors", "--list-in", "schedule"],
            &["'schedule'", "annex, on-request"],
        ),
        (
            &["transfers", "--mechanism", "scc-2004"],
            &["'scc-2004'", "scc-2010"],
        ),
        (
            &["security-measures", "--annex", "webpage"],
            &["'webpage'", "external-page"],
        ),
        (
            &["liability", "--cap-months", "-1"],
            &["--cap-months -1 is out of range", "0 to 1200"],
        ),
        (
            &["liability", "--cap-months", "1201"],
            &["--cap-months 1201 is out of range"],
        ),
        (
            &["liability", "--cap-amount", " "],
            &["--cap-amount is empty"],
        ),
        (
            &["liability", "--cap", "uncapped", "--cap-months", "12"],
            &["contradicts"],
        ),
        (
            &[
                "subprocessors",
                "--list-in",
                "on-request",
                "--list-url",
                "https://acme.example/subs",
            ],
            &["contradict"],
        ),
        (
            &["liability", "--absent", "--cap-months", "12"],
            &["--absent clause has no quote and no terms"],
        ),
    ];
    for (args, expected) in cases {
        let mut argv = vec!["clause", "add", "acme"];
        argv.extend_from_slice(args);
        contains_all(&t.refused(&argv), expected);
    }
    assert_eq!(t.sql_count("SELECT count(*) FROM clause"), 0);
    contains_all(
        &t.refused(&["profile", "set", "min-cap-months=1201"]),
        &["invalid min-cap-months '1201'", "0 to 1200"],
    );
}

#[test]
fn the_cap_minimum_flags_a_smaller_cap_and_names_both_numbers() {
    let t = vendor();
    t.ok(&[
        "clause",
        "add",
        "acme",
        "liability",
        "--cap",
        "separate-cap",
        "--cap-months",
        "1",
        "--section",
        "§13",
        "--quote",
        "one month's average payment",
    ]);
    // No minimum by default.
    assert_eq!(t.json(&["profile", "show", "--json"])["min-cap-months"], 0);
    assert!(flag(&t, "acme", "liability.cap-below-min").is_none());
    t.ok(&["profile", "set", "min-cap-months=12"]);
    let f = flag(&t, "acme", "liability.cap-below-min").unwrap();
    assert_eq!(f["severity"], "medium");
    assert_eq!(f["clause"], 1);
    contains_all(
        f["message"].as_str().unwrap(),
        &[
            "1 month of fees",
            "minimum of 12 months",
            "one month's average payment",
        ],
    );
    assert_eq!(f["threshold"], "min-cap-months = 12 (0 = no minimum)");
    t.ok(&["clause", "edit", "1", "--cap-months", "12"]);
    assert!(flag(&t, "acme", "liability.cap-below-min").is_none());
}

#[test]
fn an_absent_liability_clause_is_a_flag_when_we_want_a_separate_cap() {
    let t = vendor();
    t.ok(&["clause", "add", "acme", "liability", "--absent"]);
    assert!(flag(&t, "acme", "liability.inside-general-cap").is_none());
    t.ok(&["profile", "set", "liability=separate-cap"]);
    let f = flag(&t, "acme", "liability.inside-general-cap").unwrap();
    assert_eq!(f["clause"], 1);
    contains_all(
        f["message"].as_str().unwrap(),
        &["no liability clause", "general cap"],
    );
    // The clause turns up in an amendment, with a separate cap.
    t.ok(&["clause", "edit", "1", "--present", "--cap", "separate-cap"]);
    assert!(flag(&t, "acme", "liability.inside-general-cap").is_none());
}

#[test]
fn repealed_sccs_are_flagged_under_gdpr_only() {
    let t = vendor();
    t.ok(&[
        "clause",
        "add",
        "acme",
        "transfers",
        "--regions",
        "EU,US",
        "--mechanism",
        "scc-2010",
        "--quote",
        "Commission Decision 2010/87/EU",
    ]);
    t.ok(&["profile", "set", "regimes=ccpa", "regions=EU"]);
    assert!(flag(&t, "acme", "transfers.scc-2010").is_none());
    t.ok(&["profile", "set", "regimes=gdpr"]);
    let f = flag(&t, "acme", "transfers.scc-2010").unwrap();
    assert_eq!(f["severity"], "high");
    contains_all(
        f["message"].as_str().unwrap(),
        &[
            "2010/87/EU",
            "27 December 2022",
            "Commission Decision 2010/87/EU",
        ],
    );
    contains_all(f["basis"].as_str().unwrap(), &["(EU) 2021/914"]);
    // Still a mechanism: not also "no mechanism".
    assert!(flag(&t, "acme", "transfers.no-mechanism").is_none());
    t.ok(&["clause", "edit", "1", "--mechanism", "scc-2021"]);
    assert!(flag(&t, "acme", "transfers.scc-2010").is_none());
}

#[test]
fn subprocessor_list_on_request_and_reasonable_grounds_are_flagged() {
    let t = vendor();
    let full = [
        "--notice-days",
        "30",
        "--objection-days",
        "30",
        "--remedy",
        "terminate-refund",
    ];
    let mut annex = vec![
        "clause",
        "add",
        "acme",
        "subprocessors",
        "--list-in",
        "annex",
    ];
    annex.extend_from_slice(&full);
    t.ok(&annex);
    let ids = raised(&t, "acme");
    assert!(!ids.iter().any(|r| r == "subprocessors.no-list"), "{ids:?}");
    assert!(
        !ids.iter().any(|r| r == "subprocessors.list-on-request"),
        "{ids:?}"
    );
    assert!(
        !ids.iter().any(|r| r == "subprocessors.reasonable-grounds"),
        "{ids:?}"
    );

    t.ok(&[
        "clause",
        "edit",
        "1",
        "--list-in",
        "on-request",
        "--reasonable-grounds",
        "--quote",
        "available upon request",
    ]);
    let f = flag(&t, "acme", "subprocessors.list-on-request").unwrap();
    assert_eq!(f["severity"], "medium");
    contains_all(
        f["message"].as_str().unwrap(),
        &["only sent on request", "available upon request"],
    );
    let f = flag(&t, "acme", "subprocessors.reasonable-grounds").unwrap();
    assert_eq!(f["severity"], "info");
    contains_all(f["message"].as_str().unwrap(), &["reasonable grounds"]);
    assert!(flag(&t, "acme", "subprocessors.no-list").is_none());
}

#[test]
fn security_measures_on_an_external_page_are_flagged() {
    let t = vendor();
    t.ok(&[
        "clause",
        "add",
        "acme",
        "security-measures",
        "--annex",
        "yes",
    ]);
    assert!(flag(&t, "acme", "security.external-page").is_none());
    t.ok(&[
        "clause",
        "add",
        "acme",
        "security-measures",
        "--annex",
        "external-page",
        "--quote",
        "as described at acme.example/security, as updated from time to time",
    ]);
    let f = flag(&t, "acme", "security.external-page").unwrap();
    assert_eq!(f["severity"], "medium");
    assert_eq!(f["clause"], 2);
    contains_all(
        f["message"].as_str().unwrap(),
        &["without our agreement", "as updated from time to time"],
    );
    assert!(flag(&t, "acme", "security.industry-standard-only").is_none());
}

#[test]
fn the_packet_and_compare_carry_the_new_terms() {
    let t = T::with_review();
    t.ok(&[
        "clause",
        "add",
        "acme",
        "liability",
        "--cap",
        "separate-cap",
        "--cap-months",
        "12",
    ]);
    t.ok(&[
        "clause",
        "add",
        "acme",
        "subprocessors",
        "--list-in",
        "annex",
        "--reasonable-grounds",
    ]);
    let out = t.path("packet");
    t.ok(&["export", "acme", "--out", p(&out)]);
    let packet: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("packet.json")).unwrap()).unwrap();
    let clauses = packet["clauses"].as_array().unwrap();
    assert_eq!(clauses[0]["terms"]["cap_months"], 12);
    assert_eq!(clauses[1]["terms"]["list_in"], "annex");
    assert_eq!(clauses[1]["terms"]["reasonable_grounds"], true);
    let csv = std::fs::read_to_string(out.join("clauses.csv")).unwrap();
    contains_all(
        &csv,
        &[
            "cap=separate-cap cap-months=12",
            "list-in=annex reasonable-grounds",
        ],
    );

    t.ok(&["vendor", "add", "Other Co", "--slug", "other"]);
    t.ok(&["review", "start", "other"]);
    t.ok(&[
        "clause",
        "add",
        "other",
        "liability",
        "--cap",
        "inside-general-cap",
        "--cap-amount",
        "USD 1,000,000",
    ]);
    let c = t.json(&["compare", "acme", "other", "--json"]);
    let row = c["groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["rows"].as_array().unwrap())
        .find(|r| r["label"] == "Liability cap")
        .cloned()
        .unwrap();
    assert_eq!(row["cells"][0]["value"], "separate-cap, 12 months of fees");
    assert_eq!(
        row["cells"][1]["value"],
        "inside-general-cap, USD 1,000,000"
    );
}

/// A DPA that uses the 2021 SCCs with the UK Addendum is recorded with both,
/// and the rules judge the pair; `none` with another mechanism is refused.
#[test]
fn transfer_mechanisms_are_a_list() {
    let t = vendor();
    t.ok(&["profile", "set", "regions=EU,UK", "regimes=gdpr,uk-gdpr"]);
    t.ok(&[
        "clause",
        "add",
        "acme",
        "transfers",
        "--regions",
        "EU,UK,US",
        "--mechanism",
        "scc-2021,uk-addendum,scc-2021",
    ]);
    let clause = &t.json(&["clause", "list", "acme", "--json"])[0];
    assert_eq!(
        clause["terms"]["mechanism"],
        serde_json::json!(["scc-2021", "uk-addendum"])
    );
    assert!(flag(&t, "acme", "transfers.no-mechanism").is_none());
    t.ok(&["clause", "edit", "1", "--mechanism", "uk-addendum"]);
    let message = flag(&t, "acme", "transfers.no-mechanism").unwrap()["message"]
        .as_str()
        .unwrap()
        .to_string();
    contains_all(
        &message,
        &["do not cover transfers from EU", "UK Addendum alone"],
    );
    let err = t.fails(1, &["clause", "edit", "1", "--mechanism", "none,dpf"]);
    contains_all(&err, &["--mechanism none contradicts"]);
}

/// A clause recorded when the mechanism was one value (a database written
/// before it became a list) reads as a list of one, and still verifies.
#[test]
fn a_single_mechanism_recorded_before_lists_reads_as_a_list_of_one() {
    if crate::engine::sqlite_only("it starts from a SQLite file written by an older vetter") {
        return;
    }
    let t = T::new();
    std::fs::copy(
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/v8-single-mechanism.db"
        ),
        &t.db,
    )
    .unwrap();
    let clauses = t.json(&["clause", "list", "acme", "--json"]);
    assert_eq!(
        clauses[0]["terms"]["mechanism"],
        serde_json::json!(["scc-2021"])
    );
    assert_eq!(clauses[1]["terms"]["mechanism"], serde_json::json!(["dpf"]));
    contains_all(&t.ok(&["verify"]), &["replay     ok"]);
    t.ok(&["clause", "edit", "1", "--mechanism", "scc-2021,uk-addendum"]);
    contains_all(&t.ok(&["verify"]), &["replay     ok"]);
}
