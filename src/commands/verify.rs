//! `vetter verify`: re-hash every stored evidence file. (A later release adds
//! the audit-log hash chain to it.)

use crate::error::{Error, Result};
use crate::output;
use crate::store::{self, Store};
use serde::Serialize;
use std::io::Write;

#[derive(Debug, Serialize)]
struct Mismatch {
    evidence: i64,
    vendor: String,
    recorded_sha256: String,
    actual_sha256: String,
}

#[derive(Debug, Serialize)]
struct Report {
    blobs_checked: usize,
    bytes_checked: i64,
    mismatches: Vec<Mismatch>,
}

pub fn run(store: &Store, json: bool, out: &mut dyn Write) -> Result<()> {
    let blobs = store::evidence::blobs(store.conn())?;
    let mut report = Report {
        blobs_checked: 0,
        bytes_checked: 0,
        mismatches: Vec::new(),
    };
    for (sha256, size) in &blobs {
        let actual = store::evidence::read_blob(store.conn(), sha256, &mut std::io::sink())?;
        report.blobs_checked += 1;
        report.bytes_checked += size;
        if &actual != sha256 {
            for (evidence, vendor) in store::evidence::users_of_blob(store.conn(), sha256)? {
                report.mismatches.push(Mismatch {
                    evidence,
                    vendor,
                    recorded_sha256: sha256.clone(),
                    actual_sha256: actual.clone(),
                });
            }
        }
    }
    if json {
        output::json(out, &report)?;
    } else {
        for m in &report.mismatches {
            writeln!(
                out,
                "MISMATCH evidence #{} of '{}': recorded sha256 {}, content hashes to {}",
                m.evidence, m.vendor, m.recorded_sha256, m.actual_sha256
            )?;
        }
        writeln!(
            out,
            "checked {} evidence file{} ({} bytes): {}",
            report.blobs_checked,
            if report.blobs_checked == 1 { "" } else { "s" },
            report.bytes_checked,
            if report.mismatches.is_empty() {
                "all match".to_string()
            } else {
                format!(
                    "{} mismatch{}",
                    report.mismatches.len(),
                    if report.mismatches.len() == 1 {
                        ""
                    } else {
                        "es"
                    }
                )
            }
        )?;
    }
    if report.mismatches.is_empty() {
        Ok(())
    } else {
        Err(Error::check_failed(format!("{} evidence file(s) do not match their recorded sha256", report.mismatches.len()))
            .with_hint("restore the database from a backup taken before the change; the audit log names who added each file"))
    }
}
