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
            "managed-database",
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
        // Each model's own hosting.<model>-responsibilities item; checklist
        // backend-platform 1.0 predates managed-database and has none for it.
        if m["id"] != "managed-database" {
            assert!(m["shifted_items"]
                .as_array()
                .unwrap()
                .iter()
                .any(|i| i.as_str().unwrap().starts_with("hosting.")));
        }
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

#[test]
fn a_managed_database_has_its_own_model_and_ratings() {
    let t = T::new();
    // Listed by `hosting --json`, with five ratings and what shifts to us.
    let models = t.json(&["hosting", "--json"]);
    let dbaas = models["model"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == "managed-database")
        .expect("managed-database in hosting --json")
        .clone();
    assert_eq!(dbaas["name"], "Managed database (DBaaS)");
    let scores: Vec<u64> = [
        "expertise",
        "speed",
        "budget",
        "responsibility",
        "scalability",
    ]
    .iter()
    .map(|r| dbaas["ratings"][r]["score"].as_u64().unwrap())
    .collect();
    assert_eq!(scores, [2, 4, 3, 2, 4]);
    let shifted: Vec<&str> = dbaas["shifted_items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i.as_str().unwrap())
        .collect();
    for item in [
        "security.network-controls",
        "security.secrets-handling",
        "monitoring.backup-testing",
    ] {
        assert!(shifted.contains(&item), "{item} not shifted: {shifted:?}");
    }
    // No longer the ratings of serverless functions.
    let serverless = models["model"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == "serverless")
        .unwrap();
    assert_ne!(serverless["ratings"], dbaas["ratings"]);
    // One model alone: the same object, and its text.
    assert_eq!(t.json(&["hosting", "managed-database", "--json"]), dbaas);
    let text = wide(&t, &["hosting", "managed-database"]);
    contains_all(
        &text,
        &[
            "Managed database (DBaaS) (managed-database): Neon",
            "responsibility 2/5: Provider patches, backs up and fails over",
        ],
    );
    assert!(!text.contains("Backend as a Service"), "{text}");
    contains_all(
        &t.fails(1, &["hosting", "mainframe"]),
        &["mainframe", "managed-database"],
    );

    // A vendor recorded with it; compare shows its ratings.
    t.ok(&["vendor", "add", "Neon", "--hosting", "managed-database"]);
    assert_eq!(
        t.json(&["vendor", "show", "neon", "--json"])["hosting"],
        "managed-database"
    );
    t.ok(&["vendor", "add", "Firebase", "--hosting", "baas"]);
    t.ok(&["review", "start", "neon"]);
    t.ok(&["review", "start", "firebase"]);
    let c = t.json(&["compare", "neon", "firebase", "--json"]);
    let cells = |label: &str| -> Vec<String> {
        c["groups"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|g| g["rows"].as_array().unwrap().clone())
            .find(|r| r["label"] == label)
            .unwrap_or_else(|| panic!("no row {label}"))["cells"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["value"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(cells("Hosting model")[0], "managed-database");
    assert_eq!(cells("Hosting: responsibility (1-5)")[0], "2/5");
    assert_eq!(cells("Hosting: scalability (1-5)")[0], "4/5");
}

/// stdout of a command run on a terminal wide enough that nothing wraps.
fn wide(t: &T, args: &[&str]) -> String {
    let out = t.cmd(args).env("COLUMNS", "400").output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// `vetter` as another person (the approver).
fn as_user(t: &T, user: &str, args: &[&str]) -> std::process::Output {
    t.cmd_as(user, args).output().unwrap()
}

/// As `T::refused`, run as another person: exit 1, nothing written; stderr.
fn refused_as(t: &T, user: &str, args: &[&str]) -> String {
    let before = t.dump();
    let out = as_user(t, user, args);
    assert_eq!(out.status.code(), Some(1), "{args:?}");
    assert_eq!(before, t.dump(), "{args:?} failed but changed the database");
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn four_eyes_submit_then_someone_else_decides() {
    if crate::engine::sqlite_only(
        "four eyes by name is SQLite's; tests/cli/team_rules.rs checks the server's",
    ) {
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
    ]);
    // Not submitted yet: nothing to decide.
    let err = refused_as(
        &t,
        "bob",
        &[
            "review",
            "decide",
            "acme",
            "--decision",
            "approve",
            "--note",
            "ok",
        ],
    );
    contains_all(
        &err,
        &[
            "review #1 of 'acme' is open, not submitted",
            "vetter review submit acme",
        ],
    );
    let submitted = t.json(&["review", "submit", "acme", "--note", "ready", "--json"]);
    assert_eq!(submitted["stage"], "submitted");
    assert_eq!(submitted["submitted_by"], "alice");
    // Findings are frozen while submitted.
    let err = t.refused(&[
        "finding",
        "add",
        "acme",
        "dpa.ownership",
        "--status",
        "partial",
        "--source",
        "dpa",
    ]);
    contains_all(
        &err,
        &[
            "is submitted for a decision",
            "vetter review reopen acme --reason",
        ],
    );
    let csv = t.write("f.csv", "item,status,source\ndpa.ownership,partial,dpa\n");
    contains_all(
        &t.refused(&["import", "findings", "acme", p(&csv)]),
        &["is submitted"],
    );
    // The one who submitted cannot decide.
    let err = t.refused(&[
        "review",
        "decide",
        "acme",
        "--decision",
        "approve",
        "--note",
        "ok",
    ]);
    contains_all(
        &err,
        &[
            "alice submitted review #1 of 'acme' and cannot also decide it",
            "a different person decides",
        ],
    );
    // Nor can they under another spelling of their name (a Cyrillic one
    // wholly in Cyrillic: one Cyrillic letter among Latin ones is refused
    // as any actor's name, see names.rs).
    for alias in [
        "ALICE",
        " Alice",
        "\u{430}\u{4CF}\u{456}\u{441}\u{435}",
        "\u{FF41}\u{FF4C}\u{FF49}\u{FF43}\u{FF45}",
    ] {
        let err = t.refused(&[
            "--as",
            alias,
            "review",
            "decide",
            "acme",
            "--decision",
            "approve",
            "--note",
            "ok",
        ]);
        contains_all(&err, &["cannot also decide it", "looks like"]);
    }
    // Bad decisions, each refused with nothing written.
    for (args, says) in [
        (
            &["--decision", "conditional", "--note", "ok"][..],
            "a conditional decision needs --conditions",
        ),
        (
            &["--decision", "approve", "--note", "ok", "--conditions", "x"],
            "--conditions goes with --decision conditional",
        ),
        (
            &["--decision", "approve", "--note", "  "],
            "--note is empty",
        ),
        (
            &[
                "--decision",
                "approve",
                "--note",
                "ok",
                "--override-reason",
                "x",
            ],
            "--override-reason is only for approving while a critical red flag is open",
        ),
    ] {
        let mut all = vec!["review", "decide", "acme"];
        all.extend_from_slice(args);
        contains_all(&refused_as(&t, "bob", &all), &[says]);
    }
    let err = refused_as(
        &t,
        "bob",
        &[
            "review",
            "decide",
            "acme",
            "--decision",
            "maybe",
            "--note",
            "x",
        ],
    );
    contains_all(&err, &["maybe", "approve", "conditional", "reject"]);
    // Reopen and submit again: the history keeps both.
    t.ok(&[
        "review",
        "reopen",
        "acme",
        "--reason",
        "new SOC 2 report arrived",
    ]);
    t.ok(&[
        "finding",
        "add",
        "acme",
        "dpa.ownership",
        "--status",
        "partial",
        "--source",
        "dpa",
    ]);
    t.ok(&["review", "submit", "acme"]);
    let out = as_user(
        &t,
        "bob",
        &[
            "review",
            "decide",
            "acme",
            "--decision",
            "conditional",
            "--note",
            "acceptable with conditions",
            "--conditions",
            "EU region by 2027-03-31",
            "--json",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let decided: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(decided["decision"], "conditional");
    assert_eq!(decided["decided_by"], "bob");
    assert_eq!(decided["conditions"], "EU region by 2027-03-31");
    // Acme has no tier: the medium interval (24 months) from 2026-11-26.
    assert_eq!(decided["next_review"], "2028-11-26");
    let actions: Vec<&str> = decided["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["submit", "reopen", "submit", "decide"]);
    // Decided is final.
    let err = refused_as(
        &t,
        "carol",
        &[
            "review",
            "decide",
            "acme",
            "--decision",
            "reject",
            "--note",
            "no",
        ],
    );
    contains_all(&err, &["already decided: conditional by bob on 2026-11-26"]);
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
        &["is decided", "vetter review start acme"],
    );
    // Everything that shows the decision shows it.
    contains_all(&wide(&t, &["review", "status", "acme"]), &["Stage: decided; decision: conditional by bob on 2026-11-26, on a high-risk rating (0.7%); conditions: EU region by 2027-03-31; next review due 2028-11-26"]);
    contains_all(
        &t.ok(&["review", "list", "acme"]),
        &["decided", "conditional by bob"],
    );
    let out = t.path("packet");
    t.ok(&["export", "acme", "--out", p(&out)]);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("packet.json")).unwrap()).unwrap();
    assert_eq!(json["signoff"]["decision"], "conditional");
    assert!(json["decision"]
        .as_str()
        .unwrap()
        .starts_with("conditional by bob"));
    let pdf = crate::export::pdf_text(&out.join("packet.pdf"));
    contains_all(
        &pdf,
        &[
            "conditional by bob on 2026-11-26",
            "EU region by 2027-03-31",
            "Decided by",
            "Submitted by",
            "alice on 2026-11-26",
            "Sign-off history",
        ],
    );
    assert!(!pdf.contains("pending"), "the cover no longer says pending");
    let all = t.path("all");
    t.ok(&["export", "--all", "--out", p(&all)]);
    contains_all(
        &std::fs::read_to_string(all.join("portfolio.csv")).unwrap(),
        &["conditional by bob", "2028-11-26"],
    );
}

#[test]
fn approving_over_a_critical_flag_needs_an_override_shown_with_the_decision() {
    let t = T::with_review();
    t.ok(&["profile", "set", "regimes=gdpr"]);
    t.ok(&["clause", "add", "acme", "audit-rights", "--absent"]);
    t.ok(&["review", "submit", "acme"]);
    let err = refused_as(
        &t,
        "bob",
        &[
            "review",
            "decide",
            "acme",
            "--decision",
            "approve",
            "--note",
            "ok",
        ],
    );
    contains_all(
        &err,
        &[
            "1 unwaived critical red flag is open (audit.none)",
            "--override-reason",
        ],
    );
    // Rejecting needs no override.
    let out = as_user(
        &t,
        "bob",
        &[
            "review",
            "decide",
            "acme",
            "--decision",
            "approve",
            "--note",
            "only option",
            "--override-reason",
            "board accepted the risk until renewal",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    contains_all(
        &wide(&t, &["review", "status", "acme"]),
        &[
            "OVERRIDE of an open critical red flag: board accepted the risk until renewal",
            "rating BLOCKER",
        ],
    );
}

#[test]
fn a_new_cycle_carries_findings_to_reconfirm_and_diff_shows_what_changed() {
    let t = T::new();
    t.ok(&[
        "vendor",
        "add",
        "Neon",
        "--hosting",
        "baas",
        "--tier",
        "critical",
    ]);
    t.ok(&["review", "start", "neon"]);
    // An undecided review is not replaced silently.
    contains_all(
        &t.refused(&["review", "start", "neon"]),
        &["already has an open review", "--supersede"],
    );
    for (item, status) in [
        ("dpa.ownership", "met"),
        ("access.scim", "not-met"),
        ("security.mfa-operators", "met"),
    ] {
        t.ok(&[
            "finding", "add", "neon", item, "--status", status, "--source", "docs",
        ]);
    }
    t.ok(&[
        "clause",
        "add",
        "neon",
        "breach-notification",
        "--hours",
        "72",
    ]);
    t.ok(&[
        "subprocessor",
        "add",
        "neon",
        "AWS",
        "--purpose",
        "hosting",
        "--location",
        "EU",
    ]);
    contains_all(
        &t.refused(&["review", "diff", "neon"]),
        &["vendor 'neon' has 1 review cycle; a diff needs two"],
    );
    t.ok(&[
        "question",
        "add",
        "neon",
        "dpa.ownership",
        "Asked before the decision?",
    ]);
    t.ok(&["review", "submit", "neon"]);
    let out = as_user(
        &t,
        "bob",
        &[
            "review",
            "decide",
            "neon",
            "--decision",
            "approve",
            "--note",
            "fine",
            "--json",
        ],
    );
    let decided: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        decided["next_review"], "2027-05-26",
        "critical tier: 6 months"
    );
    // Reassessment shows in due; with --fail-if-overdue it fails once overdue.
    let due = t
        .cmd(&["due", "--within", "365", "--json"])
        .output()
        .unwrap();
    let due: serde_json::Value = serde_json::from_slice(&due.stdout).unwrap();
    let entry = due
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["what"] == "reassessment")
        .expect("reassessment listed");
    assert_eq!(
        (entry["date"].as_str(), entry["state"].as_str()),
        (Some("2027-05-26"), Some("due"))
    );
    t.ok(&["due", "--fail-if-overdue"]);
    let late = t
        .cmd(&["due", "--fail-if-overdue"])
        .env("VETTER_NOW", "2027-06-01T09:00:00Z")
        .output()
        .unwrap();
    assert_eq!(late.status.code(), Some(3));
    contains_all(
        &String::from_utf8_lossy(&late.stdout),
        &["OVERDUE", "reassessment"],
    );
    // The next cycle: no --supersede needed after a decision.
    let later = |args: &[&str]| {
        let out = t
            .cmd(args)
            .env("VETTER_NOW", "2027-06-01T09:00:00Z")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    later(&["review", "start", "neon"]);
    let status: serde_json::Value =
        serde_json::from_str(&later(&["review", "status", "neon", "--json"])).unwrap();
    assert_eq!(status["review"], 2);
    assert_eq!(status["totals"]["to-reconfirm"], 3);
    assert_eq!(
        status["totals"]["met"], 0,
        "carried findings are not met until re-confirmed"
    );
    assert_eq!(status["score"]["earned"], 0.0);
    let finding_list: serde_json::Value =
        serde_json::from_str(&later(&["finding", "list", "neon", "--json"])).unwrap();
    assert!(finding_list
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["carried_from"].is_i64()));
    contains_all(
        &later(&["review", "status", "neon"]),
        &["3 items carried from the last cycle await re-confirmation"],
    );
    // Re-confirm one, change another, move a clause and a subprocessor.
    later(&[
        "finding",
        "add",
        "neon",
        "dpa.ownership",
        "--status",
        "met",
        "--source",
        "dpa",
    ]);
    later(&[
        "finding",
        "add",
        "neon",
        "access.scim",
        "--status",
        "met",
        "--source",
        "docs",
    ]);
    later(&["clause", "edit", "1", "--hours", "24"]);
    later(&[
        "subprocessor",
        "add",
        "neon",
        "AWS",
        "--purpose",
        "hosting",
        "--location",
        "US",
    ]);
    later(&[
        "question",
        "add",
        "neon",
        "access.scim",
        "When will SCIM ship?",
    ]);
    later(&[
        "evidence",
        "add",
        "neon",
        "--url",
        "https://neon.example/trust",
        "--quote",
        "SCIM is on the roadmap.",
    ]);
    let status: serde_json::Value =
        serde_json::from_str(&later(&["review", "status", "neon", "--json"])).unwrap();
    assert_eq!(
        (
            status["totals"]["met"].as_u64(),
            status["totals"]["to-reconfirm"].as_u64()
        ),
        (Some(2), Some(1))
    );
    let diff: serde_json::Value =
        serde_json::from_str(&later(&["review", "diff", "neon", "--json"])).unwrap();
    assert_eq!(
        (diff["from"].as_i64(), diff["to"].as_i64()),
        (Some(1), Some(2))
    );
    assert_eq!(
        (
            diff["from_at_decision"].as_bool(),
            diff["to_at_decision"].as_bool()
        ),
        (Some(true), Some(false))
    );
    let items: Vec<(String, String, String)> = diff["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["item"].as_str().unwrap().into(),
                i["before"].as_str().unwrap_or("-").into(),
                i["after"].as_str().unwrap_or("-").into(),
            )
        })
        .collect();
    assert!(
        items.contains(&("access.scim".into(), "not-met".into(), "met".into())),
        "{items:?}"
    );
    assert!(
        items.contains(&(
            "security.mfa-operators".into(),
            "met".into(),
            "to-reconfirm".into()
        )),
        "{items:?}"
    );
    assert!(
        !items.iter().any(|i| i.0 == "dpa.ownership"),
        "re-confirmed unchanged: {items:?}"
    );
    assert_eq!(diff["clauses"][0]["before"], "hours=72");
    assert_eq!(diff["clauses"][0]["after"], "hours=24");
    assert_eq!(diff["subprocessors_moved"][0]["after"]["location"], "US");
    assert!(diff["compliance"]["before"].as_f64().unwrap() > 0.0);
    // Only what came after the first decision: the question asked before it
    // is not "between the cycles".
    let added = |key: &str| -> Vec<String> {
        diff[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["what"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        added("questions_added"),
        ["access.scim: When will SCIM ship? (open)"]
    );
    assert_eq!(added("evidence_added").len(), 1, "{diff}");
    assert!(added("evidence_added")[0].starts_with("trust-center-snapshot"));
    let text = later(&["review", "diff", "neon"]);
    contains_all(
        &text,
        &[
            "review #1 (at its decision) to #2 (as of today)",
            "access.scim: not-met -> met",
            "#1 breach-notification: hours=72 -> hours=24",
            "AWS: hosting, EU -> hosting, US",
            "Evidence added between the cycles (1):",
            "Questions asked between the cycles (1):",
            "When will SCIM ship? (open) (2027-06-01)",
        ],
    );
    // verify holds the decision's snapshot against the records rebuilt as
    // of it: all that changed since does not disturb it.
    contains_all(
        &later(&["verify"]),
        &["decisions  ok    1 decision held against the records as of it"],
    );
    // The log names reviews by their number.
    contains_all(
        &later(&["log", "neon"]),
        &[
            "review start  review #2",
            "review decide  review #1",
            "review submit  review #1",
        ],
    );
    let err = t
        .cmd(&["review", "diff", "neon", "--from", "2", "--to", "1"])
        .output()
        .unwrap();
    assert_eq!(err.status.code(), Some(1));
    contains_all(
        &String::from_utf8_lossy(&err.stderr),
        &["--from #2 is not before --to #1"],
    );
}

/// Seven candidates with reviews, clauses and findings that differ.
fn candidates() -> T {
    let t = T::new();
    let vendors = [
        ("Supabase", "supabase", "baas", "72", "30"),
        ("Neon", "neon", "serverless", "48", "14"),
        ("Firebase", "firebase", "baas", "24", "60"),
        ("Render", "render", "paas", "96", "30"),
        ("Fly.io", "fly", "paas", "72", "7"),
        ("Hetzner", "hetzner", "iaas", "36", "30"),
        ("Own servers", "own", "self-hosted", "12", "90"),
    ];
    for (i, (name, slug, hosting, hours, notice)) in vendors.iter().enumerate() {
        t.ok(&[
            "vendor",
            "add",
            name,
            "--slug",
            slug,
            "--hosting",
            hosting,
            "--tier",
            "high",
        ]);
        t.ok(&["review", "start", slug]);
        t.ok(&[
            "clause",
            "add",
            slug,
            "breach-notification",
            "--hours",
            hours,
            "--clock",
            "awareness",
        ]);
        t.ok(&[
            "clause",
            "add",
            slug,
            "subprocessors",
            "--notice-days",
            notice,
            "--objection-days",
            "14",
        ]);
        let status = ["met", "partial", "not-met"][i % 3];
        t.ok(&[
            "finding",
            "add",
            slug,
            "dpa.ownership",
            "--status",
            status,
            "--source",
            "dpa",
        ]);
    }
    t
}

#[test]
fn compare_puts_candidates_side_by_side_and_marks_best_and_worst() {
    let t = candidates();
    let c = t.json(&["compare", "supabase", "neon", "firebase", "--json"]);
    let slugs: Vec<&str> = c["vendors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["slug"].as_str().unwrap())
        .collect();
    assert_eq!(slugs, ["supabase", "neon", "firebase"]);
    let row = |label: &str| -> serde_json::Value {
        c["groups"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|g| g["rows"].as_array().unwrap().clone())
            .find(|r| r["label"] == label)
            .unwrap_or_else(|| panic!("no row {label}"))
    };
    let breach = row("Breach notice");
    assert_eq!(breach["better"], "lower");
    let cells = breach["cells"].as_array().unwrap();
    assert_eq!(cells[0]["value"], "72 h from awareness");
    assert_eq!(
        (cells[2]["best"].as_bool(), cells[0]["worst"].as_bool()),
        (Some(true), Some(true)),
        "24 h is best, 72 h worst"
    );
    assert_eq!(cells[1]["best"], false);
    let notice = row("Subprocessor notice");
    assert_eq!(notice["cells"][2]["best"], true, "60 days' notice is best");
    assert_eq!(notice["cells"][1]["worst"], true);
    // Equal values are not marked.
    let budget = row("Hosting: budget (1-5)");
    assert_eq!(budget["cells"][0]["number"], budget["cells"][2]["number"]);
    // Every row the issue names is there.
    for label in [
        "Hosting model",
        "Tenancy",
        "Hosting: expertise (1-5)",
        "Rating",
        "Compliance",
        "Coverage",
        "Red flags: critical",
        "Objection window",
        "Deletion after exit",
        "Regions",
        "Transfer mechanism",
        "Audit rights",
        "Liability cap",
        "AI training",
        "Attestation: soc2-type2",
        "Open questions",
        "Overdue questions",
        "Decision",
        "Data processing agreement",
    ] {
        row(label);
    }
    // The terminal table: marks, no colour when stdout is not a terminal.
    let text = t
        .cmd(&["compare", "supabase", "neon", "firebase"])
        .env("COLUMNS", "100")
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    contains_all(
        &text,
        &[
            "24 h from awareness ✓",
            "72 h from awareness ✗",
            "Key DPA terms",
        ],
    );
    assert!(!text.contains('\u{1b}'), "no colour escapes into a pipe");
    assert!(text
        .lines()
        .all(|l| unicode_width::UnicodeWidthStr::width(l) <= 100));
}

#[test]
fn compare_writes_an_injection_safe_csv_and_a_landscape_pdf() {
    let t = candidates();
    let (csv, pdf) = (t.path("compare.csv"), t.path("compare.pdf"));
    let all = [
        "supabase", "neon", "firebase", "render", "fly", "hetzner", "own",
    ];
    let mut args = vec!["compare"];
    args.extend(all);
    args.extend(["--csv", p(&csv), "--pdf", p(&pdf)]);
    t.ok(&args);
    // Python's csv module reads it back: a header, then one row per row.
    let python = std::process::Command::new("python3")
        .args(["-c", "import csv,sys,json; r=list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8'))); print(json.dumps(r))", p(&csv)])
        .output()
        .expect("python3 (scripts/test installs it)");
    assert!(
        python.status.success(),
        "{}",
        String::from_utf8_lossy(&python.stderr)
    );
    let rows: Vec<Vec<String>> = serde_json::from_slice(&python.stdout).unwrap();
    assert_eq!(rows[0][..4], ["group", "row", "better", "supabase"]);
    assert_eq!(rows[0].len(), 3 + all.len());
    let breach = rows.iter().find(|r| r[1] == "Breach notice").unwrap();
    assert_eq!(breach[2], "lower");
    assert_eq!(breach[9], "12 h from awareness [best]");
    // A cell that a spreadsheet would run as a formula starts with '.
    assert!(
        rows.iter()
            .flatten()
            .all(|c| !c.starts_with(['=', '+', '-', '@'])),
        "unsafe cell"
    );
    // The PDF: landscape A4, every vendor and row label, every word on the page.
    let info = std::process::Command::new("pdfinfo")
        .arg(&pdf)
        .output()
        .unwrap();
    contains_all(
        &String::from_utf8_lossy(&info.stdout),
        &["841.89 x 595.276 pts"],
    );
    let text = crate::export::pdf_text(&pdf);
    for name in [
        "Supabase",
        "Neon",
        "Firebase",
        "Render",
        "Fly.io",
        "Hetzner",
        "Own servers",
        "Breach notice",
        "Subprocessor notice",
        "Compliance",
        "Score and red flags",
    ] {
        assert!(text.contains(name), "{name} not in the PDF");
    }
    // Seven vendors: a second set of tables for the seventh, with the labels again.
    assert!(
        text.matches("Breach notice").count() >= 2,
        "row labels repeat for the second set of vendors"
    );
    contains_all(&text, &["(vendors 1-6)", "(vendors 7-7)"]);
    crate::export::assert_inside_pages(&pdf, 300);
    let check = std::process::Command::new("qpdf")
        .args(["--check", p(&pdf)])
        .output()
        .unwrap();
    assert!(check.status.success());
    // An existing file is not replaced without --force.
    let mut again = vec!["compare", "supabase", "neon", "--pdf", p(&pdf)];
    let err = t.fails(1, &again);
    contains_all(&err, &["already exists", "--force"]);
    again.push("--force");
    t.ok(&again);
}

#[test]
fn compare_refuses_what_cannot_be_compared() {
    let t = candidates();
    t.ok(&["vendor", "add", "Unreviewed Co", "--slug", "unrev"]);
    t.ok(&["vendor", "add", "Old Co", "--slug", "old"]);
    t.ok(&["review", "start", "old"]);
    t.ok(&["vendor", "archive", "old"]);
    let out = t.path("c.pdf");
    for (args, says) in [
        (
            &["compare", "supabase"][..],
            "compare needs two or more vendors; got 'supabase'",
        ),
        (
            &["compare", "supabase", "supabase"],
            "vendor 'supabase' is named twice",
        ),
        (&["compare", "supabase", "neonn"], "did you mean 'neon'?"),
        (&["compare", "supabase", "old"], "vendor 'old' is archived"),
        (
            &["compare", "supabase", "unrev"],
            "vendor 'unrev' has no review to compare",
        ),
        (
            &["compare", "supabase", "unrev", "--pdf", p(&out)],
            "--include-unreviewed",
        ),
    ] {
        let err = t.refused(args);
        contains_all(&err, &[says]);
        assert!(!out.exists(), "{args:?} wrote a file");
    }
    let c = t.json(&[
        "compare",
        "supabase",
        "unrev",
        "--include-unreviewed",
        "--json",
    ]);
    let review = &c["groups"][1]["rows"][0];
    assert_eq!(review["label"], "Review");
    assert_eq!(review["cells"][1]["value"], "no review");
}

/// A waiver accepts a risk, and the approver decides on the flags as
/// submitted: a waiver added after the submit would slip a critical flag
/// past the approver's --override-reason, so waivers are frozen with the
/// findings until the review is reopened.
#[test]
fn waivers_are_frozen_while_a_review_awaits_its_decision() {
    let t = T::with_review();
    t.ok(&["profile", "set", "max-breach-hours=48"]);
    t.ok(&[
        "clause",
        "add",
        "acme",
        "breach-notification",
        "--hours",
        "96",
    ]);
    let flags = t.json(&["flags", "acme", "--json"])["flags"].clone();
    let rule = flags[0]["rule"]
        .as_str()
        .expect("the 96-hour clause raises a flag")
        .to_string();
    t.ok(&["review", "submit", "acme", "--note", "ready"]);
    contains_all(
        &t.refused(&["flags", "waive", "acme", &rule, "--reason", "accepted"]),
        &[
            "is submitted for a decision; waivers are frozen",
            "review reopen acme",
        ],
    );
    t.ok(&["review", "reopen", "acme", "--reason", "to waive"]);
    t.ok(&["flags", "waive", "acme", &rule, "--reason", "accepted"]);
}

/// What a review's stage is, everywhere it is shown: a decided review is
/// "decided" on the packet's cover and in portfolio.csv (the stored state
/// said "open" beside "approve by bob"), and a submitted review set aside by
/// `review start --supersede` is superseded, not awaiting a decision forever.
#[test]
fn a_reviews_stage_is_shown_as_decided_or_superseded() {
    let t = T::with_review();
    submit_and_approve(&t, "acme");
    let out = t.path("packet");
    t.ok(&["export", "acme", "--out", p(&out)]);
    let cover = crate::export::pdf_text(&out.join("packet.pdf"));
    let review_line = cover
        .lines()
        .find(|l| l.trim_start().starts_with("Review ") && l.contains("started"))
        .unwrap_or_else(|| panic!("no Review line: {cover}"));
    assert!(review_line.trim_end().ends_with("decided"), "{review_line}");
    let all = t.path("all");
    t.ok(&["export", "--all", "--out", p(&all)]);
    let mut portfolio = csv::Reader::from_path(all.join("portfolio.csv")).unwrap();
    let at = portfolio
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "review_state")
        .unwrap();
    let row = portfolio.records().next().unwrap().unwrap();
    assert_eq!(&row[at], "decided", "{row:?}");

    // A submitted review superseded by a new cycle.
    t.ok(&["review", "start", "acme"]);
    t.ok(&["review", "submit", "acme", "--note", "ready"]);
    t.ok(&["review", "start", "acme", "--supersede"]);
    let reviews = t.json(&["review", "list", "acme", "--json"]);
    let second = reviews
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["number"] == 2)
        .unwrap();
    assert_eq!(second["outcome"]["stage"], "superseded", "{second}");
}

/// Compare ranks a section on the items that apply: an n/a item is no
/// failure (a vendor with 1 met and 1 n/a ties one with 2 met), and a
/// section all n/a is not ranked at all (it was marked worst).
#[test]
fn compare_ranks_sections_on_the_items_that_apply() {
    let t = T::new();
    let two = t.write("two.toml", TWO_ITEMS);
    t.ok(&["checklist", "add", p(&two)]);
    for v in ["aa", "bb", "cc", "dd"] {
        t.ok(&["vendor", "add", v, "--slug", v]);
        t.ok(&["review", "start", v, "--checklist", "two"]);
    }
    let finding = |v: &str, item: &str, status: &str| {
        t.ok(&[
            "finding", "add", v, item, "--status", status, "--source", "docs",
        ]);
    };
    finding("aa", "s.a", "met");
    finding("aa", "s.b", "met");
    finding("bb", "s.a", "met");
    finding("bb", "s.b", "n/a");
    finding("dd", "s.a", "n/a");
    finding("dd", "s.b", "n/a");
    let compared = t.json(&["compare", "aa", "bb", "cc", "dd", "--json"]);
    let row = compared["groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["rows"].as_array().unwrap())
        .find(|r| r["label"] == "Section S")
        .unwrap()
        .clone();
    let marks: Vec<(String, bool, bool)> = row["cells"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["value"].as_str().unwrap().to_string(),
                c["best"].as_bool().unwrap(),
                c["worst"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        marks,
        [
            ("2/0/0 of 2".to_string(), true, false),
            ("1/0/0 of 2 (1 n/a)".to_string(), true, false),
            ("0/0/0 of 2".to_string(), false, true),
            ("-".to_string(), false, false),
        ]
    );
}

/// A custom checklist of one section and two items.
const TWO_ITEMS: &str = r#"id = "two"
version = "1.0"
title = "Two"

[[sections]]
id = "s"
title = "Section S"

[[sections.items]]
id = "s.a"
title = "A"
question = "A?"
guidance = "Yes."
severity = "medium"
owner = "vendor"
evidence = ["Policy"]

[[sections.items]]
id = "s.b"
title = "B"
question = "B?"
guidance = "Yes."
severity = "medium"
owner = "vendor"
evidence = ["Policy"]
"#;

/// The next cycle is judged on the vendor's own checklist, as `due` says to
/// start it (`review start VENDOR`), and carries the decided cycle's
/// findings; superseding an open review that followed a decided one still
/// carries them (it carried nothing, for good).
#[test]
fn the_next_cycle_keeps_the_vendors_checklist_and_carries_its_findings() {
    let t = T::new();
    let two = t.write("two.toml", TWO_ITEMS);
    t.ok(&["checklist", "add", p(&two)]);
    t.ok(&["vendor", "add", "Ex", "--slug", "ex"]);
    t.ok(&["review", "start", "ex", "--checklist", "two"]);
    t.ok(&[
        "finding", "add", "ex", "s.a", "--status", "met", "--source", "docs",
    ]);
    submit_and_approve(&t, "ex");
    contains_all(
        &t.ok_stderr(&["review", "start", "ex"]),
        &["against two@1.0", "carried 1 finding"],
    );
    // Superseding that open review: still carried from the decided one.
    contains_all(
        &t.ok_stderr(&["review", "start", "ex", "--supersede"]),
        &["against two@1.0", "carried 1 finding"],
    );
    t.ok(&["verify"]);
}

/// A decided review is read with what the decision was taken on: records
/// changed since (a clause made worse) may rate it otherwise today, and the
/// decision line says the rating the approver saw.
#[test]
fn a_decision_shows_the_rating_it_was_taken_on() {
    let t = T::with_review();
    t.ok(&["profile", "set", "max-breach-hours=72"]);
    t.ok(&[
        "clause",
        "add",
        "acme",
        "breach-notification",
        "--hours",
        "48",
    ]);
    submit_and_approve(&t, "acme");
    let at_decision = t.json(&["review", "status", "acme", "--json"]);
    let rating = at_decision["score"]["rating"].as_str().unwrap().to_string();
    // Later: the vendor's breach window becomes 96 hours, a high flag.
    t.ok(&[
        "clause",
        "add",
        "acme",
        "breach-notification",
        "--hours",
        "96",
    ]);
    let out = t.path("packet");
    t.ok(&["export", "acme", "--out", p(&out)]);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("packet.json")).unwrap()).unwrap();
    assert!(
        json["decision"]
            .as_str()
            .unwrap()
            .contains(&format!("on a {rating} rating")),
        "{}",
        json["decision"]
    );
    assert_eq!(json["signoff"]["decided_rating"], rating.as_str());
}

/// `vendor`'s current review submitted by the test's user and approved by
/// bob (four eyes).
fn submit_and_approve(t: &T, vendor: &str) {
    t.ok(&["review", "submit", vendor, "--note", "ready"]);
    let decided = t
        .cmd_as(
            "bob",
            &[
                "review",
                "decide",
                vendor,
                "--decision",
                "approve",
                "--note",
                "ok",
            ],
        )
        .output()
        .unwrap();
    assert!(decided.status.success(), "{decided:?}");
}

/// `review diff` says when a flag raised in both cycles was waived (or its
/// waiver lapsed) or changed severity: it reported no change.
#[test]
fn review_diff_shows_a_flag_waived_between_cycles() {
    let t = T::with_review();
    t.ok(&["profile", "set", "max-breach-hours=48"]);
    t.ok(&[
        "clause",
        "add",
        "acme",
        "breach-notification",
        "--hours",
        "96",
    ]);
    submit_and_approve(&t, "acme");
    t.ok(&["review", "start", "acme"]);
    t.ok(&[
        "flags",
        "waive",
        "acme",
        "breach.over-max-hours",
        "--reason",
        "accepted",
    ]);
    contains_all(
        &t.ok(&["review", "diff", "acme"]),
        &[
            "Red flags whose severity or waiver changed (1):",
            "breach.over-max-hours: high -> high, waived",
        ],
    );
    let json = t.json(&["review", "diff", "acme", "--json"]);
    assert_eq!(json["flags_changed"][0]["after"]["waived"], true, "{json}");
}

/// Submitting says what the decision will be made without: items with no
/// result and open questions, on stderr and in --json.
#[test]
fn submit_says_what_is_not_yet_judged() {
    let t = T::new();
    t.ok(&["vendor", "add", "Acme Cloud", "--slug", "acme"]);
    t.ok(&["review", "start", "acme"]);
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
        "MFA enforced",
    ]);
    t.ok(&[
        "question",
        "add",
        "acme",
        "security.mfa-end-users",
        "Do end users get MFA?",
    ]);
    let out = t
        .cmd(&["review", "submit", "acme", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let items = json["items"].as_u64().unwrap();
    assert_eq!(json["items_without_result"].as_u64().unwrap(), items - 1);
    assert_eq!(json["open_questions"], 1);
    contains_all(
        &String::from_utf8_lossy(&out.stderr),
        &[&format!(
            "submitted with {} of {items} items without a result and 1 question open",
            items - 1
        )],
    );
}

#[test]
fn compare_as_of_a_past_moment_is_the_comparison_made_then() {
    let t = candidates();
    let compare = |now: &str, extra: &[&str]| -> String {
        let mut args = vec!["compare", "supabase", "neon", "firebase", "--json"];
        args.extend_from_slice(extra);
        let out = t.cmd(&args).env("VETTER_NOW", now).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let then = compare("2026-11-26T12:00:00Z", &[]);
    // Two days later Neon's breach notice is read as 12 hours and a finding
    // changes: today's comparison moves, the one as of the 26th does not.
    for args in [
        &["clause", "edit", "3", "--hours", "12"][..],
        &[
            "finding",
            "add",
            "neon",
            "dpa.ownership",
            "--status",
            "met",
            "--source",
            "dpa",
        ][..],
    ] {
        let out = t
            .cmd(args)
            .env("VETTER_NOW", "2026-11-28T09:00:00Z")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let now = compare("2026-11-28T12:00:00Z", &[]);
    assert_ne!(then, now);
    assert_eq!(
        compare("2026-11-28T12:00:00Z", &["--as-of", "2026-11-26"]),
        then
    );
    assert_eq!(
        compare(
            "2026-11-28T12:00:00Z",
            &["--as-of", "2026-11-26T23:00:00+00:00"]
        ),
        then
    );
    // A vendor added after the moment is named, as is a moment before any
    // event.
    let late = t
        .cmd(&["vendor", "add", "Late", "--slug", "late"])
        .env("VETTER_NOW", "2026-11-28T09:00:00Z")
        .output()
        .unwrap();
    assert!(late.status.success());
    contains_all(
        &t.refused(&[
            "compare",
            "supabase",
            "late",
            "--include-unreviewed",
            "--as-of",
            "2026-11-26",
        ]),
        &["'late' was not yet recorded at 2026-11-26T23:59:59Z"],
    );
    contains_all(
        &t.refused(&[
            "compare",
            "supabase",
            "neon",
            "--as-of",
            "2026-11-25T00:00:00Z",
        ]),
        &["--as-of 2026-11-25T00:00:00Z is before the register's first event"],
    );
}
