//! `vetter subprocessor ...`: dated snapshots of a vendor's published list.

use crate::{contains_all, p, T};

#[test]
fn snapshots_list_and_diff_added_removed_and_moved() {
    let t = T::new();
    t.ok(&["vendor", "add", "Acme"]);
    let jan = t.write("jan.csv", "name,purpose,location\nAWS,Hosting,EU (Frankfurt)\nStripe,Billing,US\nSentry,Error monitoring,US\n");
    let jun = t.write("jun.csv", "name,purpose,location\nAWS,Hosting,EU (Frankfurt)\nStripe,Billing,EU\nOpenAI,AI assistant,US\n");
    t.ok(&[
        "subprocessor",
        "import",
        "acme",
        p(&jan),
        "--seen",
        "2026-01-15",
    ]);
    t.ok(&[
        "subprocessor",
        "import",
        "acme",
        p(&jun),
        "--seen",
        "2026-06-15",
    ]);
    t.ok(&[
        "subprocessor",
        "add",
        "acme",
        "Twilio",
        "--purpose",
        "SMS",
        "--location",
        "US",
        "--seen",
        "2026-07-01",
    ]);

    let names = |v: &serde_json::Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|s| s["name"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        names(&t.json(&["subprocessor", "list", "acme", "--json"])),
        ["AWS", "OpenAI", "Stripe", "Twilio"]
    );
    assert_eq!(
        names(&t.json(&[
            "subprocessor",
            "list",
            "acme",
            "--at",
            "2026-03-01",
            "--json"
        ])),
        ["AWS", "Sentry", "Stripe"]
    );

    let d = t.json(&[
        "subprocessor",
        "diff",
        "acme",
        "--from",
        "2026-01-15",
        "--to",
        "2026-06-15",
        "--json",
    ]);
    assert_eq!(names(&d["added"]), ["OpenAI"]);
    assert_eq!(names(&d["removed"]), ["Sentry"]);
    let moved = &d["location_changed"][0];
    assert_eq!(moved["name"], "Stripe");
    assert_eq!(moved["from"]["location"], "US");
    assert_eq!(moved["to"]["location"], "EU");
    // Default: the newest observation against the one before it.
    let d = t.json(&["subprocessor", "diff", "acme", "--json"]);
    assert_eq!(
        (d["from"].as_str().unwrap(), d["to"].as_str().unwrap()),
        ("2026-06-15", "2026-07-01")
    );
    assert_eq!(names(&d["added"]), ["Twilio"]);
    contains_all(
        &t.ok(&[
            "subprocessor",
            "diff",
            "acme",
            "--from",
            "2026-01-15",
            "--to",
            "2026-06-15",
        ]),
        &[
            "added",
            "OpenAI",
            "removed",
            "Sentry",
            "location changed",
            "US -> EU",
        ],
    );
    let log = t.json(&["log", "acme", "--json"]);
    assert!(log
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["command"] == "subprocessor import" && e["new"]["rows"] == 3));
}

#[test]
fn bad_subprocessor_input_is_refused() {
    let t = T::new();
    t.ok(&["vendor", "add", "Acme"]);
    let missing = t.write("missing.csv", "name,location\nAWS,EU\n");
    contains_all(
        &t.refused(&[
            "subprocessor",
            "import",
            "acme",
            p(&missing),
            "--seen",
            "2026-01-15",
        ]),
        &["missing column purpose"],
    );
    let extra = t.write(
        "extra.csv",
        "name,purpose,location,website\nAWS,Hosting,EU,https://aws.amazon.com\n",
    );
    contains_all(
        &t.refused(&[
            "subprocessor",
            "import",
            "acme",
            p(&extra),
            "--seen",
            "2026-01-15",
        ]),
        &["unknown column 'website'", "name,purpose,location"],
    );
    let dup = t.write(
        "dup.csv",
        "name,purpose,location\nAWS,Hosting,EU\nStripe,Billing,US\naws,Backups,US\n",
    );
    contains_all(
        &t.refused(&[
            "subprocessor",
            "import",
            "acme",
            p(&dup),
            "--seen",
            "2026-01-15",
        ]),
        &["line 4: 'aws' is listed twice (first on line 2)"],
    );
    let ok = t.write("ok.csv", "name,purpose,location\nAWS,Hosting,EU\n");
    contains_all(
        &t.refused(&[
            "subprocessor",
            "import",
            "acme",
            p(&ok),
            "--seen",
            "15/01/2026",
        ]),
        &["invalid --seen"],
    );
    contains_all(
        &t.refused(&[
            "subprocessor",
            "import",
            "acme",
            p(&ok),
            "--seen",
            "2030-01-01",
        ]),
        &["in the future"],
    );
    t.ok(&[
        "subprocessor",
        "import",
        "acme",
        p(&ok),
        "--seen",
        "2026-01-15",
    ]);
    contains_all(
        &t.refused(&[
            "subprocessor",
            "import",
            "acme",
            p(&ok),
            "--seen",
            "2026-01-15",
        ]),
        &["already has a snapshot", "2026-01-15"],
    );
    contains_all(
        &t.refused(&[
            "subprocessor",
            "add",
            "acme",
            "",
            "--purpose",
            "x",
            "--location",
            "US",
        ]),
        &["subprocessor name is empty"],
    );
    contains_all(
        &t.refused(&[
            "subprocessor",
            "diff",
            "acme",
            "--from",
            "2026-06-01",
            "--to",
            "2026-01-01",
        ]),
        &["after --to"],
    );
}
