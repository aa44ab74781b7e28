//! `vetter import findings ...`: all rows or none.

use crate::{contains_all, p, T};

#[test]
fn a_good_file_imports_every_row_in_one_event() {
    let t = T::with_review();
    let csv = "item,status,source,note,url,owner\n\
               dpa.ownership,met,dpa,\"§3.1 \"\"Customer owns all Customer Data\"\"\",https://acme.example/dpa,\n\
               access.scim,not-met,docs,\"No SCIM;\nmanual deprovisioning\",,customer\n\
               dpa.ownership,partial,interview,Société: données «client»,,\n";
    let file = t.write("findings.csv", csv);
    let msg = t.ok_stderr(&["import", "findings", "acme", p(&file)]);
    contains_all(&msg, &["imported 3 findings"]);
    assert_eq!(t.item_status("acme", "dpa.ownership"), "partial");
    assert_eq!(t.item_status("acme", "access.scim"), "not-met");
    let findings = t.json(&["finding", "list", "acme", "--json"]);
    assert_eq!(
        findings[0]["note"],
        "§3.1 \"Customer owns all Customer Data\""
    );
    assert_eq!(findings[1]["note"], "No SCIM;\nmanual deprovisioning");
    assert_eq!(findings[1]["owner"], "customer");
    assert_eq!(findings[2]["note"], "Société: données «client»");
    let log = t.json(&["log", "acme", "--json"]);
    let import = log
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["command"] == "import findings")
        .collect::<Vec<_>>();
    assert_eq!(import.len(), 1);
    assert_eq!(import[0]["new"]["rows"], 3);
    // The file's name, not where it sat on the reviewer's machine.
    assert_eq!(import[0]["new"]["file"], "findings.csv");
    assert_eq!(import[0]["new"]["sha256"].as_str().unwrap().len(), 64);
}

#[test]
fn columns_may_come_in_any_order_and_optional_ones_may_be_left_out() {
    let t = T::with_review();
    let file = t.write(
        "f.csv",
        "\u{FEFF}source,item,status\ndpa,dpa.ownership,met\n",
    );
    t.ok(&["import", "findings", "acme", p(&file)]);
    assert_eq!(t.item_status("acme", "dpa.ownership"), "met");
}

#[test]
fn one_bad_row_imports_nothing_and_names_line_and_column() {
    let t = T::with_review();
    let csv = "item,status,source,note,url,owner\n\
               dpa.ownership,met,dpa,,,\n\
               dpa.residency,mett,dpa,,,\n\
               dpa.liabilty,met,dpa,,,\n\
               dpa.transfers,met,dpa,,not-a-url,\n";
    let file = t.write("bad.csv", csv);
    let err = t.refused(&["import", "findings", "acme", p(&file)]);
    contains_all(
        &err,
        &[
            "3 bad values; nothing was imported",
            "line 3, column 'status': invalid status 'mett'",
            "line 4, column 'item': unknown checklist item 'dpa.liabilty'",
            "did you mean 'dpa.liability'",
            "line 5, column 'url'",
        ],
    );
    assert_eq!(t.sql_count("SELECT count(*) FROM finding"), 0);
    // Excel's CRLF line ends name the same lines (csv's own count was one
    // short, naming the header as line 1).
    let file = t.write("crlf.csv", csv.replace('\n', "\r\n"));
    contains_all(
        &t.refused(&["import", "findings", "acme", p(&file)]),
        &[
            "line 3, column 'status'",
            "line 4, column 'item'",
            "line 5, column 'url'",
        ],
    );
}

#[test]
fn malformed_files_are_refused_with_their_line() {
    let t = T::with_review();
    let missing = t.write("missing.csv", "item,source,note\ndpa.ownership,dpa,x\n");
    contains_all(
        &t.refused(&["import", "findings", "acme", p(&missing)]),
        &[
            "line 1: missing column status",
            "item,status,source,note,url,owner",
        ],
    );

    let unknown = t.write(
        "unknown.csv",
        "item,status,source,nte\ndpa.ownership,met,dpa,x\n",
    );
    contains_all(
        &t.refused(&["import", "findings", "acme", p(&unknown)]),
        &["unknown column 'nte'", "did you mean 'note'"],
    );

    let unterminated = t.write("quote.csv", "item,status,source,note\ndpa.ownership,met,dpa,ok\ndpa.residency,met,dpa,\"never closed\ndpa.liability,met,dpa,x\n");
    contains_all(
        &t.refused(&["import", "findings", "acme", p(&unterminated)]),
        &["line 3", "never closed"],
    );

    let latin1 = t.write(
        "latin1.csv",
        b"item,status,source,note\ndpa.ownership,met,dpa,ok\ndpa.residency,met,dpa,Soci\xe9t\xe9\n",
    );
    contains_all(
        &t.refused(&["import", "findings", "acme", p(&latin1)]),
        &["line 3, character 27: invalid UTF-8", "UTF-8"],
    );

    let ragged = t.write(
        "ragged.csv",
        "item,status,source\ndpa.ownership,met,dpa\ndpa.residency,met\n",
    );
    contains_all(
        &t.refused(&["import", "findings", "acme", p(&ragged)]),
        &["line 3: has 2 fields, the header has 3"],
    );

    let empty = t.write("empty.csv", "item,status,source\n");
    contains_all(
        &t.refused(&["import", "findings", "acme", p(&empty)]),
        &["no rows"],
    );

    contains_all(
        &t.refused(&["import", "findings", "acme", "nope.csv"]),
        &["cannot read 'nope.csv'"],
    );
    contains_all(
        &t.refused(&["import", "findings", "acme", p(t.dir.path())]),
        &["is a directory"],
    );
}

#[test]
fn files_over_the_size_limit_are_refused_naming_both_sizes() {
    let t = T::with_review();
    let file = t.write("f.csv", "item,status,source\ndpa.ownership,met,dpa\n");
    let err = t.refused(&["import", "findings", "acme", p(&file), "--max-bytes", "20"]);
    contains_all(
        &err,
        &[
            "is 41 bytes, over the import limit of 20 bytes",
            "--max-bytes",
        ],
    );
}

#[test]
fn the_same_file_twice_is_refused_unless_asked() {
    let t = T::with_review();
    let file = t.write("f.csv", "item,status,source\ndpa.ownership,met,dpa\n");
    t.ok(&["import", "findings", "acme", p(&file)]);
    let err = t.refused(&["import", "findings", "acme", p(&file)]);
    contains_all(&err, &["already imported into review #1", "--allow-repeat"]);
    t.ok(&["import", "findings", "acme", p(&file), "--allow-repeat"]);
    assert_eq!(t.sql_count("SELECT count(*) FROM finding"), 2);
    // A new review cycle may import it again.
    t.ok(&["review", "start", "acme", "--supersede"]);
    t.ok(&["import", "findings", "acme", p(&file)]);
}
