//! Compare ranks DPA terms by what they mean (issue 21, part 4): the order
//! of each term (docs/compare.md), the red flags side by side, the
//! dealbreakers row and the reading, in JSON, CSV, the terminal and the PDF.

use crate::{contains_all, p, T};

/// Every clause kind the rules judge, so that a DPA is fully read when each
/// is recorded (present or --absent).
const KINDS: &[&str] = &[
    "processing-details",
    "instructions",
    "confidentiality",
    "security-measures",
    "data-subject-assistance",
    "compliance-assistance",
    "deletion-return",
    "audit-rights",
    "transfers",
    "residency",
    "ownership",
    "ai-training",
    "liability",
    "government-access",
];

/// acme: a firm 72 h from awareness and a refund on objection; beta: 48 h
/// from confirmation, where feasible, confirmed incidents only, and
/// terminate without a refund. Both reviewed; with `read_all` every other
/// kind is recorded absent, so neither DPA is partly unread.
fn two_dpas(read_all: bool) -> T {
    let t = T::new();
    for (name, slug) in [("Acme Cloud", "acme"), ("Beta Base", "beta")] {
        t.ok(&["vendor", "add", name, "--slug", slug, "--hosting", "baas"]);
        t.ok(&["review", "start", slug]);
    }
    t.ok(&[
        "clause",
        "add",
        "acme",
        "breach-notification",
        "--hours",
        "72",
        "--clock",
        "awareness",
    ]);
    t.ok(&[
        "clause",
        "add",
        "acme",
        "subprocessors",
        "--remedy",
        "terminate-refund",
    ]);
    t.ok(&[
        "clause",
        "add",
        "beta",
        "breach-notification",
        "--hours",
        "48",
        "--clock",
        "confirmation",
        "--where-feasible",
        "--confirmed-only",
    ]);
    t.ok(&[
        "clause",
        "add",
        "beta",
        "subprocessors",
        "--remedy",
        "terminate",
    ]);
    if read_all {
        for slug in ["acme", "beta"] {
            for kind in KINDS {
                t.ok(&["clause", "add", slug, kind, "--absent"]);
            }
        }
    }
    t
}

fn row(c: &serde_json::Value, label: &str) -> serde_json::Value {
    c["groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["rows"].as_array().unwrap().clone())
        .find(|r| r["label"] == label)
        .unwrap_or_else(|| panic!("no row {label}"))
}

/// (value, best, worst) of each cell of a row.
fn cells(c: &serde_json::Value, label: &str) -> Vec<(String, bool, bool)> {
    row(c, label)["cells"]
        .as_array()
        .unwrap()
        .iter()
        .map(|cell| {
            (
                cell["value"].as_str().unwrap().to_string(),
                cell["best"].as_bool().unwrap(),
                cell["worst"].as_bool().unwrap(),
            )
        })
        .collect()
}

#[test]
fn a_firm_deadline_from_awareness_beats_a_shorter_one_where_feasible_for_confirmed_incidents() {
    let t = two_dpas(true);
    let c = t.json(&["compare", "acme", "beta", "--json"]);
    assert_eq!(
        cells(&c, "Breach notice"),
        [
            ("72 h from awareness".into(), true, false),
            (
                "48 h from confirmation, where feasible, confirmed incidents only".into(),
                false,
                true
            ),
        ]
    );
    assert_eq!(row(&c, "Breach notice")["ordinal"], true);
    assert_eq!(
        cells(&c, "Breach: confirmed incidents only"),
        [("no".into(), true, false), ("yes".into(), false, true)]
    );
    assert_eq!(
        cells(&c, "Objection remedy"),
        [
            ("terminate-refund".into(), true, false),
            ("terminate".into(), false, true)
        ]
    );
    // Every row the issue names is there, and ranked.
    for label in [
        "Deletion only on request",
        "Deletion certificate",
        "Region commitment",
        "Audit rights",
        "Liability cap",
        "Government access",
        "AI training",
        "Dealbreakers (critical, high)",
    ] {
        assert!(row(&c, label)["better"].is_string(), "{label} is ranked");
    }
    // The reading names acme with its reasons, from rows shown.
    let reading = &c["reading"];
    assert_eq!(reading["favoured"], "acme");
    assert_eq!(reading["withheld"], false);
    let text = reading["text"].as_str().unwrap();
    contains_all(
        text,
        &[
            "favours Acme Cloud",
            "breach notice: 72 h from awareness against 48 h from confirmation, where feasible, confirmed incidents only",
            "objection remedy: terminate-refund against terminate",
            "high flags against",
        ],
    );
    assert!(reading["reasons"].as_array().unwrap().len() <= 3);
    // The terminal shows the marks and the reading.
    let out = t
        .cmd(&["compare", "acme", "beta"])
        .env("COLUMNS", "200")
        .output()
        .unwrap();
    let out = String::from_utf8(out.stdout).unwrap();
    contains_all(
        &out,
        &[
            "72 h from awareness ✓",
            "terminate-refund ✓",
            "Red flags side by side (unwaived)",
            "Reading",
            "The recorded evidence favours Acme Cloud",
        ],
    );
}

#[test]
fn csv_and_pdf_mark_acme_best_and_give_the_reading_with_the_terms_on_page_one() {
    let t = two_dpas(true);
    let (csv, pdf) = (t.path("compare.csv"), t.path("compare.pdf"));
    t.ok(&[
        "compare",
        "acme",
        "beta",
        "--csv",
        p(&csv),
        "--pdf",
        p(&pdf),
    ]);
    let python = std::process::Command::new("python3")
        .args(["-c", "import csv,sys,json; print(json.dumps(list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8')))))", p(&csv)])
        .output()
        .expect("python3");
    assert!(python.status.success());
    let rows: Vec<Vec<String>> = serde_json::from_slice(&python.stdout).unwrap();
    let find = |label: &str| rows.iter().find(|r| r[1] == label).unwrap().clone();
    assert_eq!(find("Breach notice")[3], "72 h from awareness [best]");
    assert_eq!(
        find("Breach notice")[4],
        "48 h from confirmation, where feasible, confirmed incidents only [worst]"
    );
    assert_eq!(
        find("Objection remedy")[3..],
        ["terminate-refund [best]", "terminate [worst]"]
    );
    // The flags side by side: beta's own flag, and "—" for acme.
    let confirmed = find("breach.confirmed-only (high)");
    assert_eq!(confirmed[0], "Red flags side by side (unwaived)");
    assert_eq!(confirmed[3], "—");
    assert!(
        confirmed[4].contains("only confirmed incidents"),
        "{confirmed:?}"
    );
    let reading = rows.iter().find(|r| r[0] == "Reading").unwrap();
    assert!(reading[1].starts_with("The recorded evidence favours Acme Cloud"));
    assert_eq!(reading[3..], ["favoured", ""]);

    // The PDF: the reading and the key DPA terms on the first page.
    let out = std::process::Command::new("pdftotext")
        .args(["-raw", "-f", "1", "-l", "1", p(&pdf), "-"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let first = String::from_utf8(out.stdout).unwrap();
    contains_all(
        &first,
        &[
            "Reading",
            "The recorded evidence favours Acme Cloud",
            "Key DPA terms",
            "72 h from awareness ✓",
            "terminate-refund ✓",
            "Government access",
            "AI training",
        ],
    );
    let all = crate::export::pdf_text(&pdf);
    contains_all(
        &all,
        &[
            "Red flags side by side (unwaived)",
            "breach.confirmed-only",
            "—",
        ],
    );
}

#[test]
fn the_flags_side_by_side_and_the_dealbreakers_name_rule_ids() {
    let t = two_dpas(true);
    let c = t.json(&["compare", "acme", "beta", "--json"]);
    let flags = c["red_flags"].as_array().unwrap();
    let confirmed = flags
        .iter()
        .find(|f| f["rule"] == "breach.confirmed-only")
        .expect("beta's confirmed-only flag");
    assert_eq!(confirmed["severity"], "high");
    assert_eq!(confirmed["cells"][0], "—");
    assert!(confirmed["cells"][1]
        .as_str()
        .unwrap()
        .contains("only confirmed incidents"));
    // Most severe first.
    let order = ["critical", "high", "medium", "info"];
    let places: Vec<usize> = flags
        .iter()
        .map(|f| order.iter().position(|s| f["severity"] == *s).unwrap())
        .collect();
    assert!(places.windows(2).all(|w| w[0] <= w[1]), "{places:?}");
    let dealbreakers = cells(&c, "Dealbreakers (critical, high)");
    assert!(!dealbreakers[0].0.contains("breach.confirmed-only"));
    contains_all(
        &dealbreakers[1].0,
        &[
            "breach.confirmed-only (high)",
            "breach.clock-at-confirmation (high)",
        ],
    );
    assert!(
        dealbreakers[0].1 && dealbreakers[1].2,
        "acme best, beta worst"
    );
}

#[test]
fn the_reading_is_withheld_while_a_dpa_is_partly_unread() {
    let t = two_dpas(false);
    let c = t.json(&["compare", "acme", "beta", "--json"]);
    let reading = &c["reading"];
    assert_eq!(reading["withheld"], true);
    assert!(reading["favoured"].is_null());
    contains_all(
        reading["text"].as_str().unwrap(),
        &[
            "No reading",
            "partly unread",
            "acme (not recorded:",
            "beta (not recorded:",
            "--absent",
        ],
    );
    // Terms are still ranked; flag counts of an unread DPA are not.
    assert!(cells(&c, "Breach notice")[0].1);
    let dealbreakers = cells(&c, "Dealbreakers (critical, high)");
    assert!(dealbreakers[0].0.ends_with("(DPA partly unread)"));
    assert!(!dealbreakers[0].1 && !dealbreakers[1].2);
    // Read one DPA in full: the other is still named.
    for kind in KINDS {
        t.ok(&["clause", "add", "acme", kind, "--absent"]);
    }
    let c = t.json(&["compare", "acme", "beta", "--json"]);
    let text = c["reading"]["text"].as_str().unwrap();
    assert!(
        text.contains("beta (not recorded:") && !text.contains("acme (not"),
        "{text}"
    );
    // A candidate with no review has no flags judged: no reading either.
    t.ok(&["vendor", "add", "Gamma", "--slug", "gamma"]);
    let c = t.json(&["compare", "acme", "gamma", "--include-unreviewed", "--json"]);
    assert_eq!(c["reading"]["withheld"], true);
    contains_all(
        c["reading"]["text"].as_str().unwrap(),
        &["No reading: gamma has no review"],
    );
    assert_eq!(cells(&c, "Dealbreakers (critical, high)")[1].0, "-");
}

#[test]
fn each_term_is_ranked_in_its_documented_order() {
    let t = T::new();
    let vendors = ["aa", "bb", "cc", "dd"];
    for slug in vendors {
        t.ok(&["vendor", "add", slug, "--slug", slug]);
        t.ok(&["review", "start", slug]);
    }
    let add = |slug: &str, args: &[&str]| {
        let mut all = vec!["clause", "add", slug];
        all.extend(args);
        t.ok(&all);
    };
    // Breach: firm beats where feasible at the same hours; awareness beats
    // discovery; a clause with no hours is worst.
    add(
        "aa",
        &[
            "breach-notification",
            "--hours",
            "72",
            "--clock",
            "awareness",
        ],
    );
    add(
        "bb",
        &[
            "breach-notification",
            "--hours",
            "72",
            "--clock",
            "discovery",
        ],
    );
    add(
        "cc",
        &[
            "breach-notification",
            "--hours",
            "24",
            "--clock",
            "awareness",
            "--where-feasible",
        ],
    );
    add("dd", &["breach-notification", "--clock", "awareness"]);
    // Audit: onsite > reports-only > none; liability: uncapped first.
    for (slug, audit, cap, gov, ai) in [
        ("aa", "onsite", "uncapped", "challenge", "no"),
        (
            "bb",
            "reports-only",
            "separate-cap",
            "notify-before",
            "opt-in",
        ),
        (
            "cc",
            "none",
            "inside-general-cap",
            "notify-after-disclosure",
            "opt-out",
        ),
        ("dd", "reports-only", "not-stated", "none", "yes"),
    ] {
        add(slug, &["audit-rights", "--audit", audit]);
        add(slug, &["liability", "--cap", cap]);
        add(slug, &["government-access", "--gov", gov]);
        add(slug, &["ai-training", "--ai-training", ai]);
    }
    // Deletion: days, then no deadline; certificate yes/on-request tie.
    add(
        "aa",
        &[
            "deletion-return",
            "--deletion-days",
            "30",
            "--certificate",
            "yes",
        ],
    );
    add(
        "bb",
        &[
            "deletion-return",
            "--deletion-days",
            "30",
            "--certificate",
            "on-request",
        ],
    );
    add(
        "cc",
        &[
            "deletion-return",
            "--no-deadline",
            "--certificate",
            "no",
            "--on-request-only",
        ],
    );
    add(
        "dd",
        &[
            "deletion-return",
            "--deletion-days",
            "90",
            "--certificate",
            "yes",
        ],
    );
    add(
        "aa",
        &["residency", "--regions", "EU", "--region-commitment", "yes"],
    );
    add(
        "bb",
        &["residency", "--regions", "EU", "--region-commitment", "no"],
    );
    add("cc", &["residency", "--absent"]);
    let mut args = vec!["compare"];
    args.extend(vendors);
    args.push("--json");
    let c = t.json(&args);
    let marks = |label: &str| -> Vec<&'static str> {
        cells(&c, label)
            .into_iter()
            .map(|(_, best, worst)| match (best, worst) {
                (true, _) => "best",
                (_, true) => "worst",
                _ => "",
            })
            .collect()
    };
    let breach = cells(&c, "Breach notice");
    assert_eq!(breach[3].0, "no deadline in hours from awareness");
    assert_eq!(marks("Breach notice"), ["best", "", "", "worst"]);
    let numbers: Vec<f64> = row(&c, "Breach notice")["cells"]
        .as_array()
        .unwrap()
        .iter()
        .map(|cell| cell["number"].as_f64().unwrap())
        .collect();
    assert!(numbers[0] < numbers[1] && numbers[1] < numbers[2] && numbers[2] < numbers[3]);
    assert_eq!(marks("Audit rights"), ["best", "", "worst", ""]);
    assert_eq!(marks("Liability cap"), ["best", "", "", "worst"]);
    assert_eq!(marks("Government access"), ["best", "", "", "worst"]);
    assert_eq!(marks("AI training"), ["best", "", "", "worst"]);
    assert_eq!(marks("Deletion after exit"), ["best", "best", "worst", ""]);
    assert_eq!(cells(&c, "Deletion after exit")[2].0, "no deadline");
    assert_eq!(
        marks("Deletion certificate"),
        ["best", "best", "worst", "best"]
    );
    assert_eq!(
        marks("Deletion only on request"),
        ["best", "best", "worst", "best"]
    );
    assert_eq!(marks("Region commitment"), ["best", "worst", "worst", ""]);
    assert_eq!(cells(&c, "Region commitment")[3].0, "not reviewed");
}

/// A candidate with nothing judged is never best on the rows the
/// checklist's results make: its "high-risk" against another's "blocker"
/// says nothing about it yet.
#[test]
fn a_candidate_with_nothing_judged_is_never_best_on_its_rating() {
    let t = T::new();
    for (name, slug) in [("Acme Cloud", "acme"), ("Beta Cloud", "beta")] {
        t.ok(&["vendor", "add", name, "--slug", slug]);
        t.ok(&["review", "start", slug]);
    }
    // Beta: a critical item not met makes it a blocker; Acme: nothing.
    t.ok(&[
        "finding",
        "add",
        "beta",
        "security.mfa-operators",
        "--status",
        "not-met",
        "--source",
        "interview",
        "--note",
        "no MFA",
    ]);
    let json = t.json(&["compare", "acme", "beta", "--json"]);
    let rating = json["groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["rows"].as_array().unwrap().iter())
        .find(|r| r["label"] == "Rating")
        .unwrap()
        .clone();
    assert_eq!(rating["cells"][0]["best"], false, "{rating}");
    assert_eq!(rating["cells"][1]["best"], false, "{rating}");
}
