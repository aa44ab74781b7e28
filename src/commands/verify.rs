//! `vetter verify [--packet DIR]`: whether the records can be trusted. The
//! checks live in `domain::integrity`; this prints one line per check, each
//! failure under it with what and where, and exits 3 on any failure.

use crate::domain::integrity::{self, DatabaseReport, PacketReport, Problem};
use crate::error::{Error, Result};
use crate::output;
use crate::store::Store;
use serde::Serialize;
use std::io::Write;
use std::path::Path;

#[derive(Serialize)]
struct Report {
    ok: bool,
    /// None when the packet was checked on its own (--packet-only).
    #[serde(skip_serializing_if = "Option::is_none")]
    database: Option<DatabaseReport>,
    #[serde(skip_serializing_if = "Option::is_none")]
    packet: Option<PacketReport>,
    #[serde(skip_serializing_if = "Option::is_none")]
    head: Option<HeadReport>,
}

/// A signed chain head checked against the register.
#[derive(Serialize)]
struct HeadReport {
    file: String,
    seq: Option<i64>,
    hash: Option<String>,
    signed_by: Option<crate::signature::Signer>,
    problems: Vec<Problem>,
}

/// What to check besides the database.
pub struct Inputs<'a> {
    pub packet: Option<&'a Path>,
    pub head: Option<&'a Path>,
    pub allowed_signers: Option<&'a Path>,
}

pub fn run(store: &Store, inputs: Inputs, json: bool, out: &mut dyn Write) -> Result<()> {
    if inputs.allowed_signers.is_some() && inputs.packet.is_none() && inputs.head.is_none() {
        return Err(Error::user(
            "--allowed-signers checks a signature: give --packet DIR or --head FILE",
        )
        .with_hint("e.g. vetter verify --packet packets/xano --allowed-signers allowed_signers"));
    }
    // A bad --packet, --head or --allowed-signers is bad input: refuse it
    // before the long checks.
    let allowed = inputs
        .allowed_signers
        .map(crate::signature::read_allowed_signers)
        .transpose()?;
    let head = match (inputs.head, &allowed) {
        (Some(file), Some(allowed)) => Some(read_head(file, allowed)?),
        _ => None,
    };
    // One snapshot for every check, while other commands may write.
    let (packet, database, head) = store.read_snapshot(|| {
        let packet = inputs
            .packet
            .map(|dir| integrity::check_packet(Some(store), dir, allowed.as_deref()))
            .transpose()?;
        let head = head.map(|h| check_head(store, h)).transpose()?;
        Ok((packet, integrity::check_database(store)?, head))
    })?;
    let failures = database.problems.len()
        + packet.as_ref().map_or(0, |p| p.problems.len())
        + head.as_ref().map_or(0, |h| h.problems.len());
    let report = Report {
        ok: failures == 0,
        database: Some(database),
        packet,
        head,
    };
    finish(report, failures, json, out)
}

/// `verify --packet DIR --packet-only`: the packet's files, its chain head
/// lines and its signature, with no register opened (an auditor has none).
pub fn packet_only(
    dir: &Path,
    allowed_signers: Option<&Path>,
    json: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let allowed = allowed_signers
        .map(crate::signature::read_allowed_signers)
        .transpose()?;
    let packet = integrity::check_packet(None, dir, allowed.as_deref())?;
    let failures = packet.problems.len();
    let report = Report {
        ok: failures == 0,
        database: None,
        packet: Some(packet),
        head: None,
    };
    finish(report, failures, json, out)
}

/// Prints the report and turns failures into exit 3 with the repair to try.
fn finish(report: Report, failures: usize, json: bool, out: &mut dyn Write) -> Result<()> {
    if json {
        output::json(out, &report)?;
    } else {
        print(&report, out)?;
    }
    if failures == 0 {
        return Ok(());
    }
    // A packet's own files failing says nothing against the database:
    // restoring it would be the wrong repair. A packet whose chain head the
    // log no longer has does speak against the log.
    let against_log = report.packet.as_ref().is_some_and(|p| {
        p.problems
            .iter()
            .any(|problem| problem.location.starts_with("audit event #"))
    }) || report.head.as_ref().is_some_and(|h| !h.problems.is_empty());
    let database_passed = report
        .database
        .as_ref()
        .is_none_or(|d| d.problems.is_empty());
    let hint = if report.database.is_none() {
        "each line above says what changed and where: the packet is not what vetter wrote and signed; ask the sender for the copy that was sent, and see docs/packet-format.md"
    } else if database_passed && !against_log {
        "each line above says what changed and where; the database checks passed, so the packet is what differs from what vetter wrote: export it again (`vetter export VENDOR --out DIR`) or get the copy that was sent, and see docs/security.md"
    } else {
        "each line above says what changed and where; restore a backup taken before the change (`vetter restore FILE`), and see docs/security.md"
    };
    Err(Error::check_failed(format!(
        "verify found {failures} problem{}",
        if failures == 1 { "" } else { "s" }
    ))
    .with_hint(hint))
}

fn print(report: &Report, out: &mut dyn Write) -> Result<()> {
    let width = output::terminal_width();
    if let Some(db) = &report.database {
        print_database(db, out, width)?;
    }
    print_files(report, out, width)?;
    if report.database.is_none() {
        output::write_indented(
            out,
            "",
            "register   -     not checked (--packet-only): that the register still holds the packet's chain head is checked by `vetter verify --packet DIR` on the register",
            width,
        )?;
    }
    if let Some(db) = report
        .database
        .as_ref()
        .filter(|d| d.injected_time_events > 0)
    {
        output::write_indented(
            out,
            "",
            &format!(
                "note: {} event{} carry an injected time (VETTER_NOW); each also records the real clock (`vetter log --json` shows it as real_at)",
                db.injected_time_events,
                plural(db.injected_time_events)
            ),
            width,
        )?;
    }
    Ok(())
}

/// The register's lines: integrity, chain, evidence, replay.
fn print_database(db: &DatabaseReport, out: &mut dyn Write, width: usize) -> Result<()> {
    let head = db
        .chain_head
        .as_ref()
        .map_or("the log is empty".to_string(), |h| {
            format!(
                "head event {}, sha256 starts {}",
                h.seq,
                &h.hash[..16.min(h.hash.len())]
            )
        });
    let lines = [
        ("integrity", db.integrity_checks.to_string()),
        (
            "chain",
            format!("{} audit event{}, {head}", db.events, plural(db.events)),
        ),
        (
            "evidence",
            format!(
                "{} stored file{} ({} bytes) re-hashed",
                db.evidence_files,
                plural(db.evidence_files as i64),
                db.evidence_bytes
            ),
        ),
        (
            "replay",
            format!(
                "{} record{} compared with what the audit log says",
                db.records_replayed,
                plural(db.records_replayed as i64)
            ),
        ),
        ("decisions", decisions_summary(&db.decisions)),
    ];
    for (check, summary) in lines {
        let problems: Vec<&Problem> = db.of(check).collect();
        line(out, check, &problems, &summary, width)?;
    }
    Ok(())
}

/// What the decision check did: each decision's snapshot against the
/// records rebuilt as of it; flags and score only where the same rules
/// judged both.
fn decisions_summary(d: &crate::domain::as_decided::SnapshotCheck) -> String {
    let mut text = format!(
        "{} decision{} held against the records as of {}",
        d.decisions,
        plural(d.decisions as i64),
        if d.decisions == 1 { "it" } else { "each" }
    );
    if d.other_rules > 0 {
        text.push_str(&format!(
            " ({} judged by other rules: clause terms and subprocessors compared, not flags and score)",
            d.other_rules
        ));
    }
    text
}

/// The packet's and the signed head's lines.
fn print_files(report: &Report, out: &mut dyn Write, width: usize) -> Result<()> {
    if let Some(p) = &report.packet {
        let signature: Vec<&Problem> = p
            .problems
            .iter()
            .filter(|x| x.check == "signature")
            .collect();
        if let Some(signer) = &p.signed_by {
            let summary = format!(
                "SHA256SUMS signed by {} ({} key {}), namespace {}",
                signer.principals.join(", "),
                signer.algorithm,
                signer.fingerprint,
                crate::signature::NAMESPACE
            );
            line(out, "signature", &signature, &summary, width)?;
        } else if !signature.is_empty() {
            line(out, "signature", &signature, "SHA256SUMS.sig", width)?;
        }
        let summary = format!(
            "{}: {} file{} listed in SHA256SUMS{}",
            p.dir,
            p.files_listed,
            plural(p.files_listed as i64),
            p.head
                .as_ref()
                .map(|h| format!("; chain head event {}", h.seq))
                .unwrap_or_default()
        );
        let problems: Vec<&Problem> = p
            .problems
            .iter()
            .filter(|x| x.check != "signature")
            .collect();
        line(out, "packet", &problems, &summary, width)?;
    }
    if let Some(h) = &report.head {
        let problems: Vec<&Problem> = h.problems.iter().collect();
        let summary = match (&h.signed_by, h.seq) {
            (Some(signer), Some(seq)) => format!(
                "{}: event {seq} signed by {} ({} key {}); the log still holds it",
                h.file,
                signer.principals.join(", "),
                signer.algorithm,
                signer.fingerprint
            ),
            _ => h.file.clone(),
        };
        line(out, "head", &problems, &summary, width)?;
    }
    Ok(())
}

/// "chain      ok    52 audit events, ..." then each failure indented.
fn line(
    out: &mut dyn Write,
    check: &str,
    problems: &[&Problem],
    summary: &str,
    width: usize,
) -> Result<()> {
    let status = if problems.is_empty() { "ok" } else { "FAIL" };
    let text = format!("{check:<10} {status:<5} {summary}");
    output::write_indented(out, "", &text, width)?;
    for p in problems {
        output::write_indented(out, "    ", &format!("{}: {}", p.location, p.what), width)?;
    }
    Ok(())
}

fn plural(n: i64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// `vetter sign DIR --key KEY`: SHA256SUMS.sig over the packet's SHA256SUMS.
pub fn sign(dir: &Path, key: &Path, force: bool) -> Result<()> {
    let manifest = crate::packet_dir::read_manifest_bytes(dir)?;
    let sig_path = dir.join(crate::signature::FILE);
    if std::fs::symlink_metadata(&sig_path).is_ok() {
        if !force {
            return Err(crate::error::Error::user(format!(
                "'{}' is already signed ({} exists)",
                dir.display(),
                crate::signature::FILE
            ))
            .with_hint("pass --force to replace the signature"));
        }
        let old = crate::validate::read_capped(
            &sig_path,
            "signature",
            crate::signature::MAX_SIG_BYTES,
            "",
        )
        .unwrap_or_default();
        if !old.starts_with(b"-----BEGIN SSH SIGNATURE-----") {
            return Err(crate::error::Error::user(format!(
                "'{}' is not an SSH signature; --force replaces only a signature",
                sig_path.display()
            ))
            .with_hint("move that file away first"));
        }
    }
    // The key before anything is written: a bad one changes nothing.
    let key = crate::signature::load_signing_key(key)?;
    let pem = crate::signature::sign(&key, &manifest)?;
    super::write_file_atomically(&sig_path, pem.as_bytes())?;
    output::note(format!(
        "signed '{}': {} over its SHA256SUMS with the {} key {}",
        dir.display(),
        crate::signature::FILE,
        key.algorithm(),
        key.fingerprint()
    ));
    Ok(())
}

/// A signed head file as read: its bytes, its signature and what it says.
struct SignedHead {
    file: String,
    signed: std::result::Result<crate::signature::Signer, String>,
    head: Option<crate::store::audit::ChainHead>,
}

fn read_head(file: &Path, allowed: &[crate::signature::AllowedSigner]) -> Result<SignedHead> {
    let text = crate::validate::read_capped(
        file,
        "head file",
        4096,
        "pass the file `vetter log --head --sign KEY --out FILE` wrote",
    )?;
    let sig_path = crate::signature::head_sig_path(file);
    let signed = match crate::validate::read_capped(
        &sig_path,
        "signature",
        crate::signature::MAX_SIG_BYTES,
        "",
    ) {
        Ok(sig) => crate::signature::verify_in(
            crate::signature::HEAD_NAMESPACE,
            &sig_path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            &sig,
            &text,
            allowed,
        ),
        Err(_) => Err(format!(
            "{} is missing: the head is not signed",
            sig_path.display()
        )),
    };
    let head = std::str::from_utf8(&text)
        .ok()
        .and_then(|t| t.lines().next())
        .and_then(crate::report::parse_head_line);
    Ok(SignedHead {
        file: file.display().to_string(),
        signed,
        head,
    })
}

/// The signed head against the register: the signature, then whether the
/// log still holds that event with that hash.
fn check_head(store: &Store, h: SignedHead) -> Result<HeadReport> {
    let mut problems = Vec::new();
    let signed_by = match h.signed {
        Ok(signer) => Some(signer),
        Err(why) => {
            problems.push(Problem::new("head", h.file.clone(), why));
            None
        }
    };
    let (seq, hash) = match &h.head {
        Some(head) => {
            match crate::store::audit::hash_of(store.conn(), head.seq)? {
                None => problems.push(Problem::new(
                    "head",
                    format!("audit event #{}", head.seq),
                    "the signed head's event is not in this log: the log was truncated since the head was signed (or the head is from another register)",
                )),
                Some(stored) if stored.as_deref() != Some(head.hash.as_str()) => problems.push(Problem::new(
                    "head",
                    format!("audit event #{}", head.seq),
                    "the log's event has another hash than the signed head: the log was rewritten since the head was signed",
                )),
                Some(_) => {}
            }
            (Some(head.seq), Some(head.hash.clone()))
        }
        None => {
            problems.push(Problem::new(
                "head",
                h.file.clone(),
                "the file holds no head line (# vetter audit chain head: event N sha256 H)",
            ));
            (None, None)
        }
    };
    Ok(HeadReport {
        file: h.file,
        seq,
        hash,
        signed_by,
        problems,
    })
}
