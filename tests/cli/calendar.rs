//! The vendor calendar (issue 23): contracts and their notice days, reports
//! that go stale, and `due` with its iCalendar file, read back with
//! Python's icalendar.

use super::{contains_all, p, T};
use std::path::Path;

/// Debian's python3, with python3-icalendar (scripts/test installs it).
const SYSTEM_PYTHON: &str = "/usr/bin/python3";

/// `acme` with an open review due 2026-12-31; the tests act on 2026-12-05.
fn world() -> T {
    T::with_review()
}

fn at(t: &T, args: &[&str]) -> std::process::Output {
    t.cmd(args)
        .env("VETTER_NOW", "2026-12-05T10:00:00Z")
        .env("COLUMNS", "100")
        .output()
        .unwrap()
}

fn ok_at(t: &T, args: &[&str]) -> String {
    let out = at(t, args);
    assert!(
        out.status.success(),
        "vetter {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn json_at(t: &T, args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&ok_at(t, args)).unwrap()
}

/// A tacit renewal's notice day is computed term by term, in calendar or
/// business days; bad terms are refused naming the value, with nothing
/// written; a contract ends once; verify replays every contract.
#[test]
fn contracts_compute_their_notice_day_and_end_once() {
    let t = world();
    let c = json_at(
        &t,
        &[
            "contract",
            "add",
            "acme",
            "--start",
            "2026-02-01",
            "--term-months",
            "12",
            "--auto-renew",
            "--notice-days",
            "60",
            "--termination-for-convenience",
            "no",
            "--reference",
            "MSA-1",
            "--json",
        ],
    );
    // The first term ends 2027-01-31; its notice day (2026-12-02) has
    // passed: the renewal is locked in, the next chance is a year on.
    assert_eq!(c["end"], "2027-01-31");
    assert_eq!(c["today"]["locked_in"], true);
    assert_eq!(c["today"]["notice_by"], "2026-12-02");
    assert_eq!(c["today"]["next_notice_by"], "2027-12-02");
    assert_eq!(c["today"]["next_term_end"], "2028-01-31");
    // 30 business days before Monday 2027-03-01: weekends skipped.
    let b = json_at(
        &t,
        &[
            "contract",
            "add",
            "acme",
            "--start",
            "2026-03-02",
            "--end",
            "2027-03-01",
            "--auto-renew",
            "--renewal-months",
            "12",
            "--notice-days",
            "30",
            "--notice-business-days",
            "--json",
        ],
    );
    assert_eq!(b["today"]["notice_by"], "2027-01-18");
    assert_eq!(b["today"]["locked_in"], false);

    for (args, says) in [
        (
            vec!["--start", "2026-01-01", "--end", "2025-12-31"],
            "--end 2025-12-31 is before --start 2026-01-01",
        ),
        (
            vec!["--start", "2026-02-30", "--term-months", "12"],
            "2026-02-30",
        ),
        (
            vec!["--start", "2026-01-01", "--term-months", "0"],
            "--term-months 0 is not between 1 and 1200 months",
        ),
        (
            vec![
                "--start",
                "2026-01-01",
                "--term-months",
                "12",
                "--renewal-months",
                "6",
            ],
            "--renewal-months needs --auto-renew",
        ),
        (
            vec![
                "--start",
                "2026-01-01",
                "--term-months",
                "12",
                "--notice-business-days",
            ],
            "--notice-business-days needs --notice-days",
        ),
        (
            vec![
                "--start",
                "2026-01-01",
                "--term-months",
                "12",
                "--notice-days",
                "9000",
            ],
            "--notice-days 9000 is over 3650 days",
        ),
        (
            vec![
                "--start",
                "2026-01-01",
                "--term-months",
                "12",
                "--evidence",
                "99",
            ],
            "99",
        ),
    ] {
        let mut argv = vec!["contract", "add", "acme"];
        argv.extend(args);
        contains_all(&t.refused(&argv), &[says]);
    }
    let list = ok_at(&t, &["contract", "list"]);
    contains_all(
        &list,
        &[
            "2027-12-02 (this term's renewal locked in)",
            "2027-01-18",
            "MSA-1",
        ],
    );
    // Joined back where a line was wrapped.
    let shown = ok_at(&t, &["contract", "show", "acme", "1"]).replace("\n  ", " ");
    contains_all(
        &shown,
        &[
            "the renewal on 2027-01-31 is locked in (notice was due by 2026-12-02)",
            "no termination for convenience",
        ],
    );

    ok_at(
        &t,
        &[
            "contract",
            "end",
            "acme",
            "2",
            "--on",
            "2026-12-04",
            "--reason",
            "replaced by MSA-1",
        ],
    );
    contains_all(
        &t.refused(&[
            "contract",
            "end",
            "acme",
            "2",
            "--on",
            "2026-12-05",
            "--reason",
            "again",
        ]),
        &["already ended on 2026-12-04"],
    );
    contains_all(
        &t.refused(&["contract", "show", "acme", "9"]),
        &["'acme' has no contract #9"],
    );
    assert!(
        !ok_at(&t, &["contract", "list"]).contains("2027-01-18"),
        "an ended contract is listed"
    );
    assert!(ok_at(&t, &["contract", "list", "--all"]).contains("ended"));
    t.ok(&["verify"]);
    let log = t.json(&["log", "acme", "--json"]);
    assert!(log
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["command"] == "contract end"));
}

/// The contract rules: a locked-in renewal (high), a notice day within
/// notice-warning-days (medium), one that comes before the next review,
/// and no termination for convenience, citing the contract's words.
#[test]
fn contracts_raise_their_red_flags() {
    let t = world();
    ok_at(
        &t,
        &[
            "contract",
            "add",
            "acme",
            "--start",
            "2026-02-01",
            "--term-months",
            "12",
            "--auto-renew",
            "--notice-days",
            "60",
        ],
    );
    ok_at(
        &t,
        &[
            "contract",
            "add",
            "acme",
            "--start",
            "2026-03-01",
            "--term-months",
            "12",
            "--auto-renew",
            "--notice-days",
            "60",
        ],
    );
    ok_at(
        &t,
        &[
            "contract",
            "add",
            "acme",
            "--start",
            "2026-01-01",
            "--term-months",
            "36",
            "--termination-for-convenience",
            "no",
            "--section",
            "14.2",
            "--quote",
            "Neither party may terminate for convenience.",
        ],
    );
    let flags = json_at(&t, &["flags", "acme", "--json"])["flags"].clone();
    let of = |rule: &str| -> Vec<serde_json::Value> {
        flags
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == rule)
            .cloned()
            .collect()
    };
    let notice = of("contract.notice-window-passed");
    assert_eq!(notice.len(), 2, "{notice:?}");
    assert!(notice.iter().any(|f| f["severity"] == "high"
        && f["message"]
            .as_str()
            .unwrap()
            .contains("notice was due by 2026-12-02")));
    // 2027-02-28 minus 60 days is 2026-12-30: 25 days from today.
    assert!(notice.iter().any(|f| f["severity"] == "medium"
        && f["message"]
            .as_str()
            .unwrap()
            .contains("notice is due by 2026-12-30, in 25 days")));
    let tfc = of("contract.no-termination-for-convenience");
    assert_eq!(tfc.len(), 1);
    assert!(tfc[0]["message"]
        .as_str()
        .unwrap()
        .contains("Neither party may terminate for convenience."));
    // The review is due 2026-12-31 (T::with_review): contract #2's notice
    // day, 2026-12-30, comes before it, so it would renew unreviewed.
    let unreviewed = of("contract.renews-without-review");
    assert_eq!(unreviewed.len(), 1, "{unreviewed:?}");
    assert!(unreviewed[0]["message"]
        .as_str()
        .unwrap()
        .starts_with("contract #2: "));
    // With notice-warning-days at 0 the medium flag goes, the high one
    // stays; with termination-for-convenience=any that flag goes.
    ok_at(
        &t,
        &[
            "profile",
            "set",
            "notice-warning-days=0",
            "termination-for-convenience=any",
        ],
    );
    let flags = json_at(&t, &["flags", "acme", "--json"])["flags"].clone();
    let rules: Vec<&str> = flags
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(
        rules
            .iter()
            .filter(|r| **r == "contract.notice-window-passed")
            .count(),
        1
    );
    assert!(!rules.contains(&"contract.no-termination-for-convenience"));
}

/// A contract whose notice day falls before the next review is flagged.
#[test]
fn a_renewal_that_locks_in_before_the_next_review_is_flagged() {
    let t = T::new();
    t.ok(&["vendor", "add", "Beta Cloud", "--slug", "beta"]);
    ok_at(&t, &["review", "start", "beta", "--due", "2027-06-30"]);
    ok_at(
        &t,
        &[
            "contract",
            "add",
            "beta",
            "--start",
            "2026-06-01",
            "--term-months",
            "12",
            "--auto-renew",
            "--notice-days",
            "90",
        ],
    );
    let flags = json_at(&t, &["flags", "beta", "--json"])["flags"].clone();
    let hit = flags
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "contract.renews-without-review")
        .expect("contract.renews-without-review");
    contains_all(
        hit["message"].as_str().unwrap(),
        &[
            "2027-03-02",
            "before the next review is due (2027-06-30)",
            "renews on 2027-05-31",
        ],
    );
}

/// A report is stale max-report-age-months after its period ends, unless a
/// bridge letter covers today; stale, it is not held.
#[test]
fn a_report_goes_stale_on_the_profiles_age_unless_bridged() {
    let t = world();
    t.write("soc2.pdf", "%PDF-1.4 report");
    ok_at(
        &t,
        &[
            "evidence",
            "add",
            "acme",
            "soc2.pdf",
            "--kind",
            "soc2-type2",
            "--period-end",
            "2025-10-31",
        ],
    );
    t.write("iso.pdf", "%PDF-1.4 iso");
    ok_at(
        &t,
        &[
            "evidence",
            "add",
            "acme",
            "iso.pdf",
            "--kind",
            "iso27001",
            "--period-start",
            "2024-06-01",
            "--period-end",
            "2025-05-31",
        ],
    );
    let stale = |t: &T| -> Vec<String> {
        json_at(t, &["flags", "acme", "--json"])["flags"]
            .clone()
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == "evidence.stale")
            .map(|f| f["message"].as_str().unwrap().to_string())
            .collect()
    };
    let hits = stale(&t);
    assert_eq!(hits.len(), 2, "{hits:?}");
    assert!(hits
        .iter()
        .any(|m| m.contains("period ended 2025-10-31, more than 12 months ago")));
    ok_at(
        &t,
        &[
            "profile",
            "set",
            "max-report-age-months=18",
            "required-attestations=soc2-type2",
        ],
    );
    let hits = stale(&t);
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert!(hits[0].contains("iso27001"));
    ok_at(&t, &["profile", "set", "max-report-age-months=12"]);
    // Stale and required: the report is recorded but not held, and it is
    // evidence.stale that says so, not attestation.missing.
    let flags = json_at(&t, &["flags", "acme", "--json"])["flags"].clone();
    assert!(!flags
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["rule"] == "attestation.missing"));
    // A bridge letter covering today makes it current.
    t.write("soc2-bridged.pdf", "%PDF-1.4 report and bridge");
    ok_at(
        &t,
        &[
            "evidence",
            "add",
            "acme",
            "soc2-bridged.pdf",
            "--kind",
            "soc2-type2",
            "--period-end",
            "2025-10-31",
            "--bridge-letter-until",
            "2027-01-31",
        ],
    );
    assert!(!stale(&t).iter().any(|m| m.contains("soc2")));
    contains_all(
        &t.refused(&[
            "evidence",
            "add",
            "acme",
            "soc2.pdf",
            "--kind",
            "dpa",
            "--period-end",
            "2025-10-31",
        ]),
        &["a report period", "does not apply to dpa evidence"],
    );
}

/// Parses `due --ics` with Python's icalendar and returns, per event, its
/// UID, date, summary and whether it has a 7-day alarm.
fn read_ics(path: &Path) -> Option<Vec<serde_json::Value>> {
    let script = r#"
import json, sys, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
assert cal['VERSION'] == '2.0'
out = []
for e in cal.walk('VEVENT'):
    alarms = [a for a in e.walk('VALARM') if str(a['TRIGGER'].to_ical().decode()) == '-P7D']
    out.append({'uid': str(e['UID']), 'date': e['DTSTART'].dt.isoformat(),
                'end': e['DTEND'].dt.isoformat(), 'summary': str(e['SUMMARY']),
                'description': str(e['DESCRIPTION']), 'alarm': len(alarms) == 1})
print(json.dumps(out))
"#;
    let out = std::process::Command::new(SYSTEM_PYTHON)
        .args(["-c", script, p(path)])
        .output()
        .ok()?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        if err.contains("No module named 'icalendar'") {
            return None;
        }
        panic!("icalendar could not read {}: {err}", path.display());
    }
    Some(serde_json::from_slice(&out.stdout).unwrap())
}

/// `due` lists every kind of date, soonest first, with the days left; the
/// iCalendar file holds the same dates, one all-day event each with a
/// stable UID and a reminder 7 days before, as icalendar reads it.
#[test]
fn due_lists_every_date_and_writes_them_as_a_calendar() {
    let t = world();
    ok_at(
        &t,
        &[
            "question",
            "add",
            "acme",
            "dpa.breach-notification",
            "Does the clock start at awareness?",
            "--due",
            "2026-12-19",
        ],
    );
    ok_at(
        &t,
        &[
            "contract",
            "add",
            "acme",
            "--start",
            "2026-03-01",
            "--term-months",
            "12",
            "--auto-renew",
            "--notice-days",
            "60",
            "--reference",
            "MSA-2",
        ],
    );
    ok_at(
        &t,
        &[
            "contract",
            "add",
            "acme",
            "--start",
            "2026-01-01",
            "--end",
            "2026-12-31",
            "--reference",
            "pilot",
        ],
    );
    t.write("soc2.pdf", "%PDF-1.4 report");
    ok_at(
        &t,
        &[
            "evidence",
            "add",
            "acme",
            "soc2.pdf",
            "--kind",
            "soc2-type2",
            "--period-end",
            "2025-12-20",
        ],
    );
    ok_at(
        &t,
        &[
            "clause",
            "add",
            "acme",
            "subprocessors",
            "--notice-days",
            "30",
            "--objection-days",
            "30",
        ],
    );
    ok_at(
        &t,
        &[
            "subprocessor",
            "add",
            "acme",
            "AWS",
            "--purpose",
            "hosting",
            "--location",
            "US",
            "--seen",
            "2026-10-01",
        ],
    );
    ok_at(
        &t,
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
    ok_at(
        &t,
        &[
            "flags",
            "waive",
            "acme",
            "contract.notice-window-passed",
            "--reason",
            "tracked in SEC-1",
            "--until",
            "2026-12-20",
        ],
    );
    let due = json_at(&t, &["due", "--json"]);
    let seen: Vec<(String, String, i64)> = due
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["what"].as_str().unwrap().to_string(),
                e["date"].as_str().unwrap().to_string(),
                e["days_left"].as_i64().unwrap(),
            )
        })
        .collect();
    let expect = [
        ("question", "2026-12-19", 14),
        ("objection-window", "2026-12-20", 15),
        ("waiver", "2026-12-20", 15),
        ("report", "2026-12-21", 16),
        ("contract-notice", "2026-12-30", 25),
        ("contract-end", "2026-12-31", 26),
        ("review", "2026-12-31", 26),
    ];
    for (what, date, days) in expect {
        assert!(
            seen.contains(&(what.to_string(), date.to_string(), days)),
            "{what} on {date} ({days} days) is not in {seen:?}"
        );
    }
    let dates: Vec<&String> = seen.iter().map(|s| &s.1).collect();
    assert!(
        dates.windows(2).all(|w| w[0] <= w[1]),
        "not soonest first: {dates:?}"
    );
    let table = ok_at(&t, &["due"]);
    contains_all(
        &table,
        &[
            "objection-window",
            "last day to object to subprocessor 'Postmark'",
            "MSA-2",
        ],
    );
    // A narrower window leaves out what falls after it.
    let soon = json_at(&t, &["due", "--within", "14", "--json"]);
    assert_eq!(soon.as_array().unwrap().len(), 1);

    let ics = t.path("vendors.ics");
    ok_at(&t, &["due", "--ics", p(&ics)]);
    let text = std::fs::read_to_string(&ics).unwrap();
    assert!(text.lines().all(|l| l.len() <= 76), "a line over 75 octets");
    assert!(text.contains("\r\n"), "lines end in CRLF");
    let Some(events) = read_ics(&ics) else {
        eprintln!("skipped: {SYSTEM_PYTHON} has no icalendar (apt-get install python3-icalendar)");
        return;
    };
    assert_eq!(events.len(), due.as_array().unwrap().len());
    for (event, entry) in events.iter().zip(due.as_array().unwrap()) {
        assert_eq!(event["date"], entry["date"], "{event} vs {entry}");
        assert!(event["alarm"].as_bool().unwrap(), "no 7-day alarm: {event}");
        let summary = event["summary"].as_str().unwrap();
        assert!(
            summary.starts_with(&format!(
                "acme: {} #{}",
                entry["what"].as_str().unwrap(),
                entry["id"]
            )),
            "{summary}"
        );
        assert_eq!(event["description"], entry["description"]);
    }
    // Stable UIDs: a second run gives the same ones; --force replaces only
    // a calendar vetter wrote.
    contains_all(
        &t.refused(&["due", "--ics", p(&ics)]),
        &["already exists", "--force"],
    );
    ok_at(&t, &["due", "--ics", p(&ics), "--force"]);
    let again = read_ics(&ics).unwrap();
    let uids = |events: &[serde_json::Value]| -> Vec<String> {
        events
            .iter()
            .map(|e| e["uid"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(uids(&events), uids(&again));
    let notes = t.write(
        "notes.ics",
        "BEGIN:VCALENDAR\r\nPRODID:-//someone else//EN\r\n",
    );
    contains_all(
        &t.refused(&["due", "--ics", p(&notes), "--force"]),
        &["is not a calendar vetter wrote"],
    );
    assert!(std::fs::read_to_string(&notes)
        .unwrap()
        .contains("someone else"));
}

/// The packet and compare carry the calendar: contracts.csv (read with
/// Python's csv module), packet.json's contracts and attestation freshness,
/// the cover's next notice day, and compare's contract rows.
#[test]
fn the_packet_and_compare_carry_contracts_and_freshness() {
    let t = world();
    ok_at(&t, &["profile", "set", "required-attestations=soc2-type2"]);
    t.write("soc2.pdf", "%PDF-1.4 report");
    ok_at(
        &t,
        &[
            "evidence",
            "add",
            "acme",
            "soc2.pdf",
            "--kind",
            "soc2-type2",
            "--period-end",
            "2025-10-31",
        ],
    );
    ok_at(
        &t,
        &[
            "contract",
            "add",
            "acme",
            "--start",
            "2026-03-01",
            "--term-months",
            "12",
            "--auto-renew",
            "--notice-days",
            "60",
            "--reference",
            "MSA-2, signed \"as is\"",
            "--termination-for-convenience",
            "no",
        ],
    );
    let packet = t.path("packet");
    ok_at(&t, &["export", "acme", "--out", p(&packet)]);
    let script = r#"
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], newline='', encoding='utf-8')))
print(json.dumps(rows))
"#;
    let out = std::process::Command::new("python3")
        .args(["-c", script, p(&packet.join("contracts.csv"))])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["reference"], "MSA-2, signed \"as is\"");
    assert_eq!(rows[0]["next_notice_by"], "2026-12-30");
    assert_eq!(rows[0]["locked_in"], "no");
    assert_eq!(rows[0]["termination_for_convenience"], "no");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(packet.join("packet.json")).unwrap())
            .unwrap();
    assert_eq!(json["format_version"], 7);
    assert_eq!(
        json["contracts"][0]["today"]["next_notice_by"],
        "2026-12-30"
    );
    let attestation = &json["summary"]["attestations"][0];
    assert_eq!(attestation["kind"], "soc2-type2");
    assert_eq!(attestation["state"], "STALE: period ended 2025-10-31");
    assert_eq!(attestation["required"], true);
    let text = crate::export::pdf_text(&packet.join("packet.pdf"));
    contains_all(
        &text,
        &[
            "Next contract notice",
            "notice by 2026-12-30",
            "STALE: period ended 2025-10-31",
            "Attestations and contracts",
        ],
    );
    ok_at(&t, &["verify", "--packet", p(&packet)]);

    t.ok(&["vendor", "add", "Beta Cloud", "--slug", "beta"]);
    ok_at(&t, &["review", "start", "beta"]);
    ok_at(
        &t,
        &[
            "contract",
            "add",
            "beta",
            "--start",
            "2026-01-01",
            "--end",
            "2027-12-31",
            "--termination-for-convenience",
            "yes",
        ],
    );
    let c = json_at(&t, &["compare", "acme", "beta", "--json"]);
    let group = c["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["title"] == "Contract")
        .expect("a Contract group");
    let row = |label: &str| {
        group["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["label"] == label)
            .unwrap_or_else(|| panic!("no row {label}"))
            .clone()
    };
    assert_eq!(
        row("Contract: term ends")["cells"][0]["value"],
        "2027-02-28, renews for 12 months"
    );
    assert_eq!(
        row("Contract: term ends")["cells"][1]["value"],
        "2027-12-31, does not renew"
    );
    assert_eq!(
        row("Contract: last day to give notice")["cells"][0]["value"],
        "2026-12-30"
    );
    let tfc = row("Contract: termination for convenience");
    assert_eq!(tfc["cells"][1]["best"], true);
    assert_eq!(tfc["cells"][0]["worst"], true);
    let attest = c["groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["rows"].as_array().unwrap().iter())
        .find(|r| r["label"] == "Attestation: soc2-type2")
        .unwrap()
        .clone();
    assert_eq!(
        attest["cells"][0]["value"],
        "STALE: period ended 2025-10-31"
    );
}
