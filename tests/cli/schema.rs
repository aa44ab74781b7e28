//! docs/packet.schema.json, the published shape of the JSON vetter writes for
//! scripts, held to what vetter really writes. When a test ends, every
//! packet.json it wrote and every `flags`, `compare` and `review status`
//! JSON it printed is validated with Python's `jsonschema` (as a consumer
//! would validate it: tests/schema_check.py). The tests here check that the
//! schema refuses what it does not describe, and validate a packet with the
//! parts the demo leaves empty (a decision with an override, a waiver, an
//! ended contract, an answered question).

use super::T;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

const PYTHON: &str = "/usr/bin/python3";

fn schema() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/packet.schema.json")
}

fn checker() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schema_check.py")
}

/// Whether the checker can run: Debian's python3 with jsonschema (which
/// scripts/test installs). Said once when it cannot, never silently.
fn checker_runs() -> bool {
    static RUNS: OnceLock<bool> = OnceLock::new();
    *RUNS.get_or_init(|| {
        let ok = Command::new(PYTHON)
            .args(["-c", "import jsonschema"])
            .output()
            .is_ok_and(|o| o.status.success());
        if !ok {
            eprintln!(
                "SKIP schema checks: {PYTHON} cannot import jsonschema \
                 (apt-get install python3-jsonschema; scripts/test does)"
            );
        }
        ok
    })
}

/// The schema definition a command's `--json` output is described by, if
/// it is one of the outputs the schema publishes.
pub fn def_printed_by(args: &[&str]) -> Option<&'static str> {
    if !args.contains(&"--json") {
        return None;
    }
    // The command's words, without the options that come before it.
    let mut words = Vec::new();
    let mut i = 0;
    while i < args.len() {
        match args[i] {
            "--as" | "--db" => i += 2,
            a if a.starts_with('-') => i += 1,
            a => {
                words.push(a);
                i += 1;
            }
        }
    }
    match words.as_slice() {
        ["flags", "waive", ..] => None,
        ["flags", ..] => Some("flags"),
        ["compare", ..] => Some("compare"),
        ["review", "status", ..] => Some("review_status"),
        _ => None,
    }
}

/// Every packet.json and changed-since.json under `dir`, however deep
/// (packets of `--all`, demo folders, packets copied for tampering), with
/// the definition each is held to.
fn packets_under(dir: &Path, found: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            packets_under(&entry.path(), found);
        } else if kind.is_file() && entry.file_name() == "packet.json" {
            found.push(("packet".to_string(), entry.path()));
        } else if kind.is_file() && entry.file_name() == "changed-since.json" {
            found.push(("changed_since".to_string(), entry.path()));
        }
    }
}

/// Runs the checker on `DEF:FILE` pairs; its output and whether all passed.
fn check(pairs: &[(String, PathBuf)]) -> (bool, String) {
    let out = Command::new(PYTHON)
        .arg(checker())
        .arg(schema())
        .args(
            pairs
                .iter()
                .map(|(def, file)| format!("{def}:{}", file.display())),
        )
        .output()
        .expect("run schema_check.py");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// What a test wrote and printed, held to the schema (from `T`'s drop).
pub fn check_written(t: &T) {
    let mut pairs = Vec::new();
    let mut packets = Vec::new();
    packets_under(t.dir.path(), &mut packets);
    pairs.extend(packets);
    let printed = t.printed_json.lock().unwrap_or_else(|e| e.into_inner());
    if pairs.is_empty() && printed.is_empty() || !checker_runs() {
        return;
    }
    let outputs = tempfile::tempdir().expect("temp dir");
    for (n, (def, bytes)) in printed.iter().enumerate() {
        let file = outputs.path().join(format!("{n}-{def}.json"));
        std::fs::write(&file, bytes).expect("write printed JSON");
        pairs.push((def.to_string(), file));
    }
    let (ok, text) = check(&pairs);
    assert!(
        ok,
        "JSON that vetter wrote does not match docs/packet.schema.json:\n{text}"
    );
}

/// `value` written to a file and checked against `def`: the checker's output
/// when it fails, None when it passes.
fn refused(t: &T, def: &str, name: &str, value: &Value) -> Option<String> {
    let file = t.path(&format!("{name}.json"));
    std::fs::write(&file, serde_json::to_vec_pretty(value).unwrap()).unwrap();
    let (ok, text) = check(&[(def.to_string(), file.clone())]);
    std::fs::remove_file(&file).unwrap();
    (!ok).then_some(text)
}

/// The demo's register with what the demo leaves empty: a second vendor to
/// compare with, a waiver, an answered question, a contract that ended and
/// a decision that overrode a flag.
fn decided_world() -> T {
    let mut t = T::sqlite();
    t.ok(&["demo", "--out", "demo"]);
    t.db = t.path("demo/vetter.db");
    t.ok(&["vendor", "add", "Other Cloud", "--slug", "other"]);
    t.ok(&["review", "start", "other"]);
    t.ok(&[
        "flags",
        "waive",
        "nimbus",
        "breach.clock-at-confirmation",
        "--reason",
        "their clock runs from awareness in practice (call of 2026-11-20)",
        "--until",
        "2027-06-01",
    ]);
    t.ok(&[
        "question",
        "answer",
        "1",
        "No: prompts are not used for training (email of 2026-11-25).",
    ]);
    t.ok(&[
        "contract",
        "add",
        "other",
        "--start",
        "2025-01-01",
        "--end",
        "2025-12-31",
    ]);
    t.ok(&[
        "contract",
        "end",
        "other",
        "2",
        "--on",
        "2025-12-31",
        "--reason",
        "replaced",
    ]);
    // No audit rights at all: a critical flag under GDPR, for the override.
    t.ok(&["clause", "add", "nimbus", "audit-rights", "--absent"]);
    t.ok(&["review", "submit", "nimbus", "--note", "ready for sign-off"]);
    t.ok(&[
        "--as",
        "bob",
        "review",
        "decide",
        "nimbus",
        "--decision",
        "approve",
        "--note",
        "approved with the flags overridden",
        "--override-reason",
        "accepted by the CISO for one year",
    ]);
    t
}

#[test]
fn the_schema_is_valid_2020_12_and_refuses_what_it_does_not_describe() {
    if !checker_runs() {
        return;
    }
    let t = decided_world();
    t.ok(&["export", "nimbus", "--out", "p"]);
    let packet: Value =
        serde_json::from_slice(&std::fs::read(t.path("p/packet.json")).unwrap()).unwrap();
    // The decided packet passes (the checker first checks the schema
    // itself against the 2020-12 meta-schema).
    assert_eq!(packet["signoff"]["decision"], "approve");
    let critical = packet["flags"].as_array().unwrap().iter();
    assert_eq!(critical.filter(|f| f["rule"] == "audit.none").count(), 1);
    let waived = packet["flags"].as_array().unwrap().iter();
    assert_eq!(
        waived.filter(|f| f["waived"] == true).count(),
        1,
        "{}",
        packet["flags"]
    );
    assert_eq!(refused(&t, "packet", "good", &packet), None);

    // An unknown key, at the top and deep inside; a missing required key;
    // a value of the wrong type; a format version the schema is not for.
    let mut cases: Vec<(&str, Value)> = Vec::new();
    let mut v = packet.clone();
    v["reviewer_mood"] = json!("tired");
    cases.push(("$: Additional properties", v));
    let mut v = packet.clone();
    v["clauses"][0]["extra"] = json!(1);
    cases.push(("$.clauses[0]: Additional properties", v));
    let mut v = packet.clone();
    v.as_object_mut().unwrap().remove("audit_chain");
    cases.push(("'audit_chain' is a required property", v));
    let mut v = packet.clone();
    v["audit_chain"]["head"]["seq"] = json!("43");
    cases.push(("$.audit_chain.head.seq: '43' is not of type", v));
    let mut v = packet.clone();
    v["format_version"] = json!(99);
    cases.push(("$.format_version: 7 was expected", v));
    let mut v = packet.clone();
    v["findings"][0]["status"] = json!("mostly");
    cases.push(("$.findings[0].status: 'mostly' is not one of", v));
    for (n, (says, value)) in cases.iter().enumerate() {
        let text = refused(&t, "packet", &format!("bad-{n}"), value)
            .unwrap_or_else(|| panic!("the schema passed a packet it should refuse ({says})"));
        assert!(text.contains(says), "expected {says:?} in:\n{text}");
    }

    // The outputs for scripts: each passes as printed, and each refuses an
    // unknown key and a missing format_version.
    for (def, args) in [
        ("flags", vec!["flags", "nimbus", "--json"]),
        ("flags", vec!["flags", "--all", "--json"]),
        ("compare", vec!["compare", "nimbus", "other", "--json"]),
        (
            "review_status",
            vec!["review", "status", "nimbus", "--items", "--json"],
        ),
    ] {
        let printed: Value = serde_json::from_str(&t.ok(&args)).unwrap();
        assert_eq!(printed["format_version"], 1, "{args:?}");
        assert_eq!(refused(&t, def, "printed", &printed), None, "{args:?}");
        let mut v = printed.clone();
        v["surprise"] = json!(true);
        assert!(
            refused(&t, def, "unknown", &v).is_some(),
            "{args:?} with an unknown key"
        );
        let mut v = printed.clone();
        v.as_object_mut().unwrap().remove("format_version");
        let text = refused(&t, def, "unversioned", &v).expect("a missing format_version fails");
        assert!(
            text.contains("'format_version' is a required property"),
            "{text}"
        );
    }
}

#[test]
fn a_packet_of_every_part_validates() {
    let t = decided_world();
    // --all writes the ended contract's vendor too; the drop check holds
    // each packet.json to the schema.
    t.ok(&["export", "--all", "--out", "all"]);
    let other: Value =
        serde_json::from_slice(&std::fs::read(t.path("all/other/packet.json")).unwrap()).unwrap();
    assert_eq!(
        other["contracts"][0]["ended"]["reason"], "replaced",
        "{}",
        other["contracts"]
    );
    let nimbus: Value =
        serde_json::from_slice(&std::fs::read(t.path("all/nimbus/packet.json")).unwrap()).unwrap();
    assert_eq!(nimbus["signoff"]["decided_by"], "bob");
    assert!(
        nimbus["questions"][0]["answer"].is_string(),
        "{}",
        nimbus["questions"][0]
    );
}
