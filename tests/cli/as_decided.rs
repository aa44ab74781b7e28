//! `vetter export --as-decided` and `--as-of`: a packet of the records as
//! they stood at a past moment, read back as an auditor would (the CSV
//! files, packet.json, changed-since.*, the PDF's text), and held byte for
//! byte against the same export of a `vetter backup` taken at that moment.

use crate::{contains_all, p, T};
use std::collections::BTreeMap;
use std::path::Path;

/// When the later changes are made and read: after the waiver's --until.
const LATER: &str = "2026-12-05T10:00:00Z";

/// `vetter ARGS` run at `now` (VETTER_NOW), expected to succeed; stderr.
#[track_caller]
fn at(t: &T, now: &str, args: &[&str]) -> String {
    let out = t.cmd(args).env("VETTER_NOW", now).output().unwrap();
    assert!(
        out.status.success(),
        "vetter {args:?} at {now} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stderr).unwrap()
}

/// One CSV file of a packet as header-keyed rows.
fn read_csv(path: &Path) -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_path(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let header = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            header
                .iter()
                .zip(r.unwrap().iter())
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

fn read_json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap())
        .unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

/// The row of `rows` whose `key` column is `value`.
#[track_caller]
fn row<'a>(
    rows: &'a [BTreeMap<String, String>],
    key: &str,
    value: &str,
) -> &'a BTreeMap<String, String> {
    rows.iter()
        .find(|r| r[key] == value)
        .unwrap_or_else(|| panic!("no row with {key} = {value:?} in {rows:#?}"))
}

/// The names of a packet's record files: every *.csv but changed-since.csv,
/// and packet.json.
fn record_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| (n.ends_with(".csv") && n != "changed-since.csv") || n == "packet.json")
        .collect();
    names.sort();
    names
}

/// Both packets hold the same record files, byte for byte.
#[track_caller]
fn assert_same_records(a: &Path, b: &Path) {
    let names = record_files(a);
    assert_eq!(names, record_files(b), "the packets hold other files");
    for must in ["packet.json", "flags.csv", "clauses.csv", "audit.csv"] {
        assert!(names.iter().any(|n| n == must), "{must} missing: {names:?}");
    }
    for name in names {
        let (x, y) = (
            std::fs::read_to_string(a.join(&name)).unwrap(),
            std::fs::read_to_string(b.join(&name)).unwrap(),
        );
        assert!(
            x == y,
            "{name} differs between {} and {}:\n{x}\n----\n{y}",
            a.display(),
            b.display()
        );
    }
}

/// The id of the newest audit event of `command`.
fn event_of(t: &T, command: &str) -> i64 {
    t.json(&["log", "--json"])
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["command"] == command)
        .map(|e| e["id"].as_i64().unwrap())
        .max()
        .unwrap_or_else(|| panic!("no '{command}' event in the log"))
}

/// The id of `acme`'s clause of `kind`.
fn clause_id(t: &T, kind: &str) -> String {
    t.json(&["clause", "list", "acme", "--json"])
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["kind"] == kind)
        .map(|c| c["id"].as_i64().unwrap().to_string())
        .unwrap_or_else(|| panic!("no {kind} clause"))
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// No `.NAME.tmp-PID` directory (or anything hidden) was left in the test's
/// directory.
#[track_caller]
fn assert_nothing_hidden(t: &T) {
    let hidden: Vec<String> = std::fs::read_dir(t.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(hidden.is_empty(), "left behind: {hidden:?}");
}

/// Acme with three clauses: no breach clause at all (a CRITICAL flag, left
/// open), 14 days' notice of subprocessors (a high flag, waived by the CISO
/// until 2026-12-01) and a deletion clause; one subprocessor. Submitted by
/// alice and approved by bob over the critical flag, on 2026-11-26.
fn decided_over_a_critical_flag() -> T {
    let t = T::with_review();
    t.ok(&["clause", "add", "acme", "breach-notification", "--absent"]);
    t.ok(&[
        "clause",
        "add",
        "acme",
        "subprocessors",
        "--notice-days",
        "14",
        "--objection-days",
        "14",
        "--list-url",
        "https://acme.example/subprocessors",
    ]);
    t.ok(&[
        "clause",
        "add",
        "acme",
        "deletion-return",
        "--deletion-days",
        "30",
        "--section",
        "§12",
    ]);
    t.ok(&[
        "subprocessor",
        "add",
        "acme",
        "Amazon Web Services",
        "--purpose",
        "hosting",
        "--location",
        "US",
        "--seen",
        "2026-11-20",
    ]);
    t.ok(&[
        "--as",
        "ciso",
        "flags",
        "waive",
        "acme",
        "subprocessors.short-notice",
        "--reason",
        "two weeks is what they offer every customer",
        "--until",
        "2026-12-01",
    ]);
    t.ok(&["review", "submit", "acme", "--note", "ready for sign-off"]);
    t.ok(&[
        "--as",
        "bob",
        "review",
        "decide",
        "acme",
        "--decision",
        "approve",
        "--note",
        "approved over the missing breach clause",
        "--override-reason",
        "board accepted the missing breach clause until renewal",
    ]);
    t
}

#[test]
fn as_decided_packet_keeps_what_the_approver_saw() {
    let t = decided_over_a_critical_flag();
    let decide_event = event_of(&t, "review decide");
    // A week later (the waiver has lapsed): the deletion clause is read
    // again, a subprocessor recorded (seen on the list before the
    // decision) and the profile tightened.
    let deletion_id = clause_id(&t, "deletion-return");
    at(
        &t,
        LATER,
        &["clause", "edit", &deletion_id, "--deletion-days", "20"],
    );
    at(
        &t,
        LATER,
        &[
            "subprocessor",
            "add",
            "acme",
            "Postmark",
            "--purpose",
            "email",
            "--location",
            "US",
            "--seen",
            "2026-11-20",
        ],
    );
    at(&t, LATER, &["profile", "set", "max-breach-hours=48"]);

    let decided = t.path("decided");
    let said = at(
        &t,
        LATER,
        &["export", "acme", "--as-decided", "--out", p(&decided)],
    );
    contains_all(
        &said,
        &["as decided: approve by bob on 2026-11-26, 4 changed since"],
    );
    let now = t.path("now");
    at(&t, LATER, &["export", "acme", "--out", p(&now)]);

    // Flags: the critical flag the approver overrode, open; the other one
    // waived, as it was on the day.
    let flags = read_csv(&decided.join("flags.csv"));
    let critical = row(&flags, "rule", "breach.absent");
    assert_eq!(critical["severity"], "critical");
    assert_eq!(critical["waived"], "false");
    let waived = row(&flags, "rule", "subprocessors.short-notice");
    assert_eq!(waived["waived"], "true");
    assert_eq!(waived["waiver_by"], "ciso");
    assert_eq!(waived["waiver_until"], "2026-12-01");
    let flags_now = read_csv(&now.join("flags.csv"));
    assert_eq!(
        row(&flags_now, "rule", "breach.absent")["severity"],
        "critical"
    );
    let lapsed = row(&flags_now, "rule", "subprocessors.short-notice");
    assert_eq!(lapsed["waived"], "false", "the waiver lapsed on 2026-12-01");

    // The clause's terms as decided; today's in the current packet.
    let clauses = read_csv(&decided.join("clauses.csv"));
    assert_eq!(
        row(&clauses, "id", &deletion_id)["terms"],
        "deletion-days=30"
    );
    let clauses_now = read_csv(&now.join("clauses.csv"));
    assert_eq!(
        row(&clauses_now, "id", &deletion_id)["terms"],
        "deletion-days=20"
    );

    // The subprocessor recorded after the decision is not in the packet as
    // decided, though it was seen on the list before.
    let names = |dir: &Path| -> Vec<String> {
        read_csv(&dir.join("subprocessors.csv"))
            .iter()
            .map(|r| r["name"].clone())
            .collect()
    };
    assert_eq!(names(&decided), ["Amazon Web Services"]);
    assert_eq!(names(&now), ["Amazon Web Services", "Postmark"]);

    // packet.json: the profile of the day, the decision it is as of, the
    // rules it was judged by; its audit trail ends at the decision.
    let packet = read_json(&decided.join("packet.json"));
    let profile = |packet: &serde_json::Value| -> String {
        packet["profile"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["key"] == "max-breach-hours")
            .map(|r| r["value"].as_str().unwrap().to_string())
            .expect("max-breach-hours in the profile")
    };
    assert_eq!(profile(&packet), "72");
    assert_eq!(packet["as_of"], "2026-11-26");
    let as_decided = &packet["as_decided"];
    assert_eq!(as_decided["decision"], "approve");
    assert_eq!(as_decided["decided_by"], "bob");
    assert_eq!(as_decided["review"], 1);
    assert_eq!(as_decided["decided_at"], "2026-11-26T09:00:00Z");
    assert_eq!(as_decided["event"], decide_event);
    assert!(packet["decision"]
        .as_str()
        .unwrap()
        .contains("OVERRIDE of an open critical red flag"));
    assert_eq!(packet["audit_chain"]["head"]["seq"], decide_event);
    let audit = packet["audit"].as_array().unwrap();
    assert_eq!(audit.last().unwrap()["command"], "review decide");
    let audit_csv = std::fs::read_to_string(decided.join("audit.csv")).unwrap();
    assert!(!audit_csv.contains("clause edit"), "{audit_csv}");
    for key in ["vetter", "rules", "table_sha256"] {
        assert!(!packet["rules"][key].is_null(), "rules.{key}: {packet:#}");
    }

    let current = read_json(&now.join("packet.json"));
    assert!(current["as_decided"].is_null());
    assert_eq!(profile(&current), "48");
    assert_eq!(current["as_of"], "2026-12-05");
    assert_eq!(current["rules"], packet["rules"]);
    assert!(!now.join("changed-since.csv").exists());
    assert!(!now.join("changed-since.json").exists());

    // changed-since.csv: one row for each later change, the value decided
    // on beside the current one.
    let changes = read_csv(&decided.join("changed-since.csv"));
    let header = csv::Reader::from_path(decided.join("changed-since.csv"))
        .unwrap()
        .headers()
        .unwrap()
        .clone();
    assert_eq!(
        header.iter().collect::<Vec<_>>(),
        ["record", "id", "field", "decided", "now"]
    );
    let what: Vec<(&str, &str, &str)> = changes
        .iter()
        .map(|r| (r["record"].as_str(), r["id"].as_str(), r["field"].as_str()))
        .collect();
    // The flag is named by its rule and clause, the clause by its id.
    let flag_key = format!(
        "subprocessors.short-notice (clause #{})",
        clause_id(&t, "subprocessors")
    );
    let clause_key = format!("#{deletion_id}");
    let mut expected = vec![
        ("profile", "max-breach-hours", "value"),
        ("flag", flag_key.as_str(), "flag"),
        ("clause", clause_key.as_str(), "terms"),
        ("subprocessor", "Postmark", "added"),
    ];
    let mut sorted = what.clone();
    sorted.sort();
    expected.sort();
    assert_eq!(sorted, expected, "{changes:#?}");
    let change = |record: &str| changes.iter().find(|r| r["record"] == record).unwrap();
    let profile_change = change("profile");
    assert_eq!(
        (
            profile_change["decided"].as_str(),
            profile_change["now"].as_str()
        ),
        ("72", "48")
    );
    let flag_change = change("flag");
    assert!(
        flag_change["decided"].starts_with("high; waived until 2026-12-01"),
        "{flag_change:?}"
    );
    assert!(flag_change["now"].starts_with("high"), "{flag_change:?}");
    assert!(!flag_change["now"].contains("waived"), "{flag_change:?}");
    let clause_change = change("clause");
    assert!(
        clause_change["decided"].contains("deletion-days=30"),
        "{clause_change:?}"
    );
    assert!(
        clause_change["now"].contains("deletion-days=20"),
        "{clause_change:?}"
    );
    let sub_change = change("subprocessor");
    assert_eq!(sub_change["decided"], "");
    contains_all(&sub_change["now"], &["email", "US"]);

    // changed-since.json says the same, with the decision and today.
    let json = read_json(&decided.join("changed-since.json"));
    assert_eq!(json["format_version"], 1);
    assert_eq!(json["as_decided"], packet["as_decided"]);
    assert_eq!(json["now"], "2026-12-05");
    let json_rows: Vec<BTreeMap<String, String>> = json["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            c.as_object()
                .unwrap()
                .iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
                .collect()
        })
        .collect();
    assert_eq!(json_rows, changes, "changed-since.json and .csv disagree");

    // The packet's own manifest checks, and verify accepts it.
    let sums = std::process::Command::new("sha256sum")
        .args(["-c", "--strict", "SHA256SUMS"])
        .current_dir(&decided)
        .output()
        .expect("sha256sum");
    assert!(
        sums.status.success(),
        "{}",
        String::from_utf8_lossy(&sums.stdout)
    );
    contains_all(
        &std::fs::read_to_string(decided.join("SHA256SUMS")).unwrap(),
        &[
            &format!("# vetter audit chain head: event {decide_event} "),
            "  changed-since.csv\n",
            "  changed-since.json\n",
        ],
    );
    at(&t, LATER, &["verify", "--packet", p(&decided)]);

    // The PDF says whose decision it is as of, and what changed since.
    let text = squash(&crate::export::pdf_text(&decided.join("packet.pdf")));
    contains_all(
        &text,
        &[
            "As decided on 2026-11-26 by bob",
            "records as of that moment",
            "4 records have changed since",
            "Changed since the decision",
            "max-breach-hours",
            "Postmark",
            "deletion-days=20",
        ],
    );
    let text_now = squash(&crate::export::pdf_text(&now.join("packet.pdf")));
    assert!(!text_now.contains("Changed since the decision"));
    assert!(!text_now.contains("As decided on"));
}

#[test]
fn as_decided_export_matches_a_backup_made_at_the_decision() {
    let t = T::with_review();
    t.ok(&[
        "clause",
        "add",
        "acme",
        "breach-notification",
        "--hours",
        "72",
        "--section",
        "§9",
    ]);
    t.ok(&[
        "finding",
        "add",
        "acme",
        "dpa.ownership",
        "--status",
        "met",
        "--source",
        "dpa",
        "--note",
        "the customer owns its data",
    ]);
    let soc2 = t.write("soc2.pdf", b"%PDF-1.4 pretend SOC 2 report\n");
    t.ok(&[
        "evidence",
        "add",
        "acme",
        p(&soc2),
        "--kind",
        "soc2-type2",
        "--valid-until",
        "2027-06-30",
    ]);
    t.ok(&[
        "question",
        "add",
        "acme",
        "security.mfa-end-users",
        "Do end users get MFA?",
    ]);
    t.ok(&[
        "subprocessor",
        "add",
        "acme",
        "Amazon Web Services",
        "--purpose",
        "hosting",
        "--location",
        "US",
        "--seen",
        "2026-11-20",
    ]);
    t.ok(&["review", "submit", "acme", "--note", "ready"]);
    t.ok(&[
        "--as",
        "bob",
        "review",
        "decide",
        "acme",
        "--decision",
        "approve",
        "--note",
        "ok",
    ]);
    let backup = t.path("decided.db");
    t.ok(&["backup", p(&backup)]);

    // Later: every kind of record changes.
    let breach = clause_id(&t, "breach-notification");
    at(&t, LATER, &["clause", "edit", &breach, "--hours", "24"]);
    let pentest = t.write("pentest.pdf", b"%PDF-1.4 pretend pentest report\n");
    at(
        &t,
        LATER,
        &["evidence", "add", "acme", p(&pentest), "--kind", "pentest"],
    );
    at(
        &t,
        LATER,
        &[
            "question",
            "add",
            "acme",
            "security.rbac",
            "Which roles exist?",
        ],
    );
    let question = t.json(&["question", "list", "acme", "--json"]);
    let first = question
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["text"] == "Do end users get MFA?")
        .map(|q| q["id"].as_i64().unwrap().to_string())
        .expect("the first question");
    at(
        &t,
        LATER,
        &["question", "answer", &first, "Yes: TOTP for every user"],
    );
    at(
        &t,
        LATER,
        &[
            "subprocessor",
            "add",
            "acme",
            "Postmark",
            "--purpose",
            "email",
            "--location",
            "US",
        ],
    );
    at(&t, LATER, &["profile", "set", "max-breach-hours=48"]);
    // The decided review's findings are frozen: a new finding needs a new
    // cycle, which is a change of its own.
    let finding = [
        "finding",
        "add",
        "acme",
        "dpa.ownership",
        "--status",
        "partial",
        "--source",
        "dpa",
        "--note",
        "a later reading",
    ];
    contains_all(&t.refused(&finding), &["is decided"]);
    at(&t, LATER, &["review", "start", "acme"]);
    at(&t, LATER, &finding);

    let live = t.path("live");
    at(
        &t,
        LATER,
        &["export", "acme", "--as-decided", "--out", p(&live)],
    );
    let copy = T::at(&backup);
    let from_backup = t.path("from-backup");
    at(
        &copy,
        LATER,
        &["export", "acme", "--as-decided", "--out", p(&from_backup)],
    );

    assert_same_records(&live, &from_backup);
    // The stored evidence too, and the manifest's lines for all of it
    // (with the chain head of the decision).
    let evidence = |dir: &Path| -> BTreeMap<String, Vec<u8>> {
        std::fs::read_dir(dir.join("evidence"))
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (
                    e.file_name().to_string_lossy().into_owned(),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect()
    };
    let stored = evidence(&live);
    assert_eq!(stored.len(), 1, "only the evidence of the decision");
    assert_eq!(stored, evidence(&from_backup));
    let sums = |dir: &Path| -> Vec<String> {
        std::fs::read_to_string(dir.join("SHA256SUMS"))
            .unwrap()
            .lines()
            .filter(|l| !l.ends_with("packet.pdf") && !l.contains("changed-since."))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(sums(&live), sums(&from_backup));

    // The live packet names what changed; the backup's, nothing.
    let changes = read_csv(&live.join("changed-since.csv"));
    let mut records: Vec<&str> = changes.iter().map(|r| r["record"].as_str()).collect();
    records.sort();
    records.dedup();
    assert_eq!(
        records,
        [
            "clause",
            "evidence",
            "profile",
            "question",
            "review",
            "subprocessor"
        ],
        "{changes:#?}"
    );
    let review = changes.iter().find(|r| r["record"] == "review").unwrap();
    assert_eq!(
        (review["id"].as_str(), review["field"].as_str()),
        ("#2", "added")
    );
    let answered = changes
        .iter()
        .find(|r| r["record"] == "question" && r["id"] == format!("#{first}"))
        .expect("the answered question");
    assert_eq!(answered["field"], "status");
    contains_all(&answered["now"], &["Yes: TOTP for every user"]);
    let backup_changes = std::fs::read_to_string(from_backup.join("changed-since.csv")).unwrap();
    assert_eq!(backup_changes.lines().count(), 1, "{backup_changes}");
    assert!(read_csv(&from_backup.join("changed-since.csv")).is_empty());
    assert_eq!(
        read_json(&from_backup.join("changed-since.json"))["changes"],
        serde_json::json!([])
    );
    // Both speak for review #1, though #2 is now the current one.
    assert_eq!(read_json(&live.join("packet.json"))["review"]["number"], 1);
}

#[test]
fn as_of_reads_a_past_moment() {
    // Day 1 (2026-11-26T09:00:00Z).
    let t = T::with_review();
    t.ok(&["profile", "set", "regimes=gdpr"]);
    t.ok(&[
        "clause",
        "add",
        "acme",
        "breach-notification",
        "--hours",
        "96",
        "--section",
        "§9.1",
    ]);
    t.ok(&[
        "finding",
        "add",
        "acme",
        "security.mfa-operators",
        "--status",
        "met",
        "--source",
        "trust-center",
    ]);
    t.ok(&[
        "subprocessor",
        "add",
        "acme",
        "Amazon Web Services",
        "--purpose",
        "hosting",
        "--location",
        "US",
        "--seen",
        "2026-11-20",
    ]);
    let backup = t.path("day1.db");
    t.ok(&["backup", p(&backup)]);

    // Day 2, at 09:00 UTC.
    let day2 = "2026-11-27T09:00:00Z";
    at(
        &t,
        day2,
        &[
            "flags",
            "waive",
            "acme",
            "breach.over-max-hours",
            "--reason",
            "a 24-hour notice is being signed",
        ],
    );
    let breach = clause_id(&t, "breach-notification");
    at(&t, day2, &["clause", "edit", &breach, "--hours", "24"]);
    at(
        &t,
        day2,
        &[
            "finding",
            "add",
            "acme",
            "dpa.ownership",
            "--status",
            "not-met",
            "--source",
            "dpa",
        ],
    );
    at(
        &t,
        day2,
        &[
            "subprocessor",
            "add",
            "acme",
            "Postmark",
            "--purpose",
            "email",
            "--location",
            "US",
            "--seen",
            "2026-11-20",
        ],
    );
    at(&t, day2, &["profile", "set", "max-breach-hours=48"]);
    at(
        &t,
        day2,
        &[
            "question",
            "add",
            "acme",
            "security.rbac",
            "Which roles exist?",
        ],
    );
    at(&t, day2, &["vendor", "edit", "acme", "--tier", "high"]);

    // Read on day 3.
    let day3 = "2026-11-28T12:00:00Z";
    let copy = T::at(&backup);
    let export = |world: &T, name: &str, as_of: Option<&str>| -> std::path::PathBuf {
        let out = t.path(name);
        let mut args = vec!["export", "acme", "--out", p(&out)];
        if let Some(moment) = as_of {
            args.extend(["--as-of", moment]);
        }
        at(world, day3, &args);
        out
    };
    let live_day1 = export(&t, "live-day1", Some("2026-11-26"));
    let backup_day1 = export(&copy, "backup-day1", Some("2026-11-26"));
    assert_same_records(&live_day1, &backup_day1);
    let packet = read_json(&live_day1.join("packet.json"));
    assert_eq!(packet["as_of"], "2026-11-26");
    assert!(packet["as_decided"].is_null());
    assert_eq!(packet["vendor"]["tier"], serde_json::Value::Null);

    // Today's packet has day 2's records: the as-of one was not today's.
    let today = export(&t, "today", None);
    let clauses = |dir: &Path| -> String {
        let rows = read_csv(&dir.join("clauses.csv"));
        row(&rows, "id", &breach)["terms"].clone()
    };
    assert_eq!(clauses(&live_day1), "hours=96");
    assert_eq!(clauses(&today), "hours=24");
    let names = |dir: &Path| -> usize { read_csv(&dir.join("subprocessors.csv")).len() };
    assert_eq!((names(&live_day1), names(&today)), (1, 2));
    assert_eq!(read_csv(&live_day1.join("questions.csv")).len(), 0);
    assert_eq!(read_csv(&today.join("questions.csv")).len(), 1);

    // A time with an offset: 09:30 at UTC+1 is 08:30 UTC on day 2, before
    // that day's changes; the packet speaks for day 2.
    let moment = "2026-11-27T09:30:00+01:00";
    let live_morning = export(&t, "live-morning", Some(moment));
    let backup_morning = export(&copy, "backup-morning", Some(moment));
    assert_same_records(&live_morning, &backup_morning);
    assert_eq!(
        read_json(&live_morning.join("packet.json"))["as_of"],
        "2026-11-27"
    );
    assert_eq!(clauses(&live_morning), "hours=96");
    assert_eq!(names(&live_morning), 1);
    // At the very second of day 2's changes they count (at or before).
    let at_changes = export(&t, "at-changes", Some(day2));
    assert_eq!(clauses(&at_changes), "hours=24");
    assert_eq!(names(&at_changes), 2);
    assert_eq!(
        read_json(&at_changes.join("packet.json"))["vendor"]["tier"],
        "high"
    );
}

#[test]
fn bad_moments_are_refused_and_write_nothing() {
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
    let out = t.path("packet");
    let refused = |args: &[&str], says: &[&str]| {
        let mut all = vec!["export", "acme", "--out", p(&out)];
        all.extend_from_slice(args);
        let err = t.refused(&all);
        contains_all(&err, says);
        assert!(!out.exists(), "{args:?} wrote {}", out.display());
        assert_nothing_hidden(&t);
    };
    refused(
        &["--as-of", "2026-01-01"],
        &["--as-of 2026-01-01", "before the register's first event"],
    );
    refused(
        &["--as-of", "2026-11-26T08:59:59Z"],
        &[
            "--as-of 2026-11-26T08:59:59Z",
            "before the register's first event",
        ],
    );
    refused(&["--as-of", "2026-11-27"], &["2026-11-27", "future"]);
    refused(
        &["--as-of", "2026-11-27T00:00:00Z"],
        &["2026-11-27", "future"],
    );
    refused(
        &["--as-of", "yesterday"],
        &["'yesterday'", "neither a date nor a time"],
    );
    refused(&["--as-decided"], &["'acme' has no decided review"]);

    t.ok(&["review", "submit", "acme", "--note", "ready"]);
    refused(&["--as-decided"], &["'acme' has no decided review"]);
    t.ok(&[
        "--as",
        "bob",
        "review",
        "decide",
        "acme",
        "--decision",
        "approve",
        "--note",
        "ok",
    ]);
    t.ok(&["review", "start", "acme"]);
    refused(
        &["--as-decided", "--review", "9"],
        &["vendor 'acme' has no review #9"],
    );
    refused(
        &["--as-decided", "--review", "2"],
        &["review #2 of 'acme' has not been decided"],
    );
    // A vendor with no review at all.
    t.ok(&["vendor", "add", "Beta Cloud", "--slug", "beta"]);
    let err = t.refused(&["export", "beta", "--as-decided", "--out", p(&out)]);
    contains_all(&err, &["'beta' has no decided review"]);
    assert!(!out.exists());

    // Flags that cannot go together: clap's refusal, exit 2.
    for args in [
        &["export", "--all", "--as-decided", "--out", p(&out)][..],
        &[
            "export",
            "acme",
            "--as-decided",
            "--as-of",
            "2026-11-26",
            "--out",
            p(&out),
        ],
    ] {
        let err = t.fails(2, args);
        contains_all(&err, &["cannot be used with"]);
        assert!(!out.exists());
    }
    assert_nothing_hidden(&t);

    // The decided review is still exported as decided, while #2 is open.
    t.ok(&["export", "acme", "--as-decided", "--out", p(&out)]);
    assert_eq!(
        read_json(&out.join("packet.json"))["as_decided"]["review"],
        1
    );
}

#[test]
fn export_all_as_of_holds_the_vendors_of_that_moment() {
    let t = T::new();
    at(
        &t,
        "2026-11-01T09:00:00Z",
        &["vendor", "add", "Acme Cloud", "--slug", "acme"],
    );
    at(&t, "2026-11-01T09:01:00Z", &["review", "start", "acme"]);
    at(
        &t,
        "2026-11-02T09:00:00Z",
        &["vendor", "add", "Beta", "--slug", "beta"],
    );
    at(&t, "2026-11-03T09:00:00Z", &["review", "start", "beta"]);
    at(
        &t,
        "2026-11-04T09:00:00Z",
        &["vendor", "add", "Gamma", "--slug", "gamma"],
    );
    at(&t, "2026-11-04T10:00:00Z", &["vendor", "archive", "acme"]);

    // (vendor, review) of each portfolio row, and the packets written.
    let portfolio = |day: &str| -> (Vec<(String, String)>, Vec<String>) {
        let out = t.path(&format!("all-{day}"));
        at(
            &t,
            "2026-11-06T00:00:00Z",
            &["export", "--all", "--as-of", day, "--out", p(&out)],
        );
        let rows = read_csv(&out.join("portfolio.csv"))
            .iter()
            .map(|r| (r["vendor"].clone(), r["review"].clone()))
            .collect();
        let mut packets: Vec<String> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap())
            .filter(|e| e.path().is_dir())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        packets.sort();
        (rows, packets)
    };
    let pair = |v: &str, r: &str| (v.to_string(), r.to_string());
    // Beta and Gamma were not yet recorded.
    assert_eq!(
        portfolio("2026-11-01"),
        (vec![pair("acme", "1")], vec!["acme".into()])
    );
    // Beta recorded, its review not yet started.
    assert_eq!(
        portfolio("2026-11-02"),
        (
            vec![pair("acme", "1"), pair("beta", "")],
            vec!["acme".into()]
        )
    );
    // Acme archived by then; Gamma never reviewed.
    assert_eq!(
        portfolio("2026-11-05"),
        (
            vec![pair("beta", "1"), pair("gamma", "")],
            vec!["beta".into()]
        )
    );
}
