//! `vetter evidence add|list|show|get|link`: evidence stored content-addressed
//! inside the database.

use super::{check_item_ids, find_active_vendor, find_vendor};
use crate::cli::{EvidenceAddArgs, EvidenceCommand};
use crate::error::{Error, Result};
use crate::model::{Evidence, EvidenceKind};
use crate::output;
use crate::store::{self, evidence as db, Store};
use crate::{validate, Env};
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{Read, Write};
use std::path::Path;

/// Files over this size are refused unless `--max-bytes` says otherwise.
pub const DEFAULT_MAX_BYTES: u64 = 200 * 1024 * 1024;

pub fn run(cmd: EvidenceCommand, env: &Env, store: &mut Store, out: &mut dyn Write) -> Result<()> {
    match cmd {
        EvidenceCommand::Add(args) => {
            let json = args.json.json;
            let id = add(env, store, *args)?;
            super::print_record(json, out, &db::by_id(store.conn(), id)?)
        }
        EvidenceCommand::List { vendor, json } => list(store, &vendor, json.json, out),
        EvidenceCommand::Show { id, json } => show(store, id, json.json, out),
        EvidenceCommand::Get { id, out: path } => get(store, id, &path),
        EvidenceCommand::Link {
            id,
            item,
            clause,
            page,
            json,
        } => {
            link(env, store, id, item, clause, page)?;
            super::print_record(json.json, out, &db::by_id(store.conn(), id)?)
        }
    }
}

fn optional_date(field: &str, value: &Option<String>) -> Result<Option<String>> {
    value
        .as_deref()
        .map(|v| validate::date(field, v).map(|d| d.to_string()))
        .transpose()
}

/// A file to store: checked, and hashed in one streaming pass.
struct Source {
    file_name: String,
    sha256: String,
    size: u64,
}

fn inspect_file(path: &Path, follow_symlinks: bool, max_bytes: u64) -> Result<Source> {
    let shown = path.display();
    let link_meta = std::fs::symlink_metadata(path).map_err(|e| {
        Error::user(format!("cannot read '{shown}': {e}")).with_hint("check the file path")
    })?;
    if link_meta.file_type().is_symlink() && !follow_symlinks {
        return Err(
            Error::user(format!("'{shown}' is a symbolic link")).with_hint(
                "pass --follow-symlinks to store the file it points to, or give the file itself",
            ),
        );
    }
    let name = path.file_name().unwrap_or(path.as_os_str());
    let file_name = match name.to_str() {
        Some(name) => name.to_string(),
        None => {
            let lossy = name.to_string_lossy().to_string();
            output::note(format!(
                "warning: the file name is not valid UTF-8; it is recorded as '{lossy}'"
            ));
            lossy
        }
    };
    // The name is shown in listings and the packet: a newline or a
    // right-to-left override (`invoice\u{202E}fdp.exe` shows as
    // "invoiceexe.pdf") would make it look like another file.
    validate::visible("file name", &file_name).map_err(|e| {
        e.with_hint("rename the file (or copy it to a plain name) and add it again")
    })?;
    const SIZE_HINT: &str =
        "raise the limit with --max-bytes if the file really belongs in the review";
    let meta = validate::input_file(path, "evidence", max_bytes, SIZE_HINT)?;
    if !meta.is_file() {
        return Err(Error::user(format!("'{shown}' is not a regular file"))
            .with_hint("save it to a file first"));
    }
    let mut file =
        File::open(path).map_err(|e| Error::user(format!("cannot read '{shown}': {e}")))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut size: u64 = 0;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        size += n as u64;
        if size > max_bytes {
            // The file grew since its size was checked.
            return Err(validate::over_limit(
                path, size, "evidence", max_bytes, SIZE_HINT,
            ));
        }
        hasher.update(&buf[..n]);
    }
    Ok(Source {
        file_name,
        sha256: crate::digest::hex(&hasher.finalize()),
        size,
    })
}

pub fn add(env: &Env, store: &mut Store, args: EvidenceAddArgs) -> Result<i64> {
    let vendor = find_active_vendor(store, &args.vendor)?;
    let kind = args.kind.unwrap_or(if args.url.is_some() {
        EvidenceKind::TrustCenterSnapshot
    } else {
        EvidenceKind::Other
    });
    // A report's period and bridge letter apply to any attestation or
    // pentest report; the opinion and its details to a SOC 2 report only.
    let period_given = args.period_start.is_some()
        || args.period_end.is_some()
        || args.bridge_letter_until.is_some();
    if period_given && !kind.is_report() {
        return Err(Error::user(format!(
            "a report period (--period-start, --period-end, --bridge-letter-until) does not apply to {kind} evidence"
        ))
        .with_hint("give the report's kind: soc2-type2, soc2-type1, iso27001, iso27701, hds, hipaa-attestation or pentest; for an agreement use --valid-until"));
    }
    let soc2_given = args.opinion.is_some()
        || args.exceptions.is_some()
        || args.cuecs.is_some()
        || args.subservice.is_some();
    if soc2_given && !kind.is_soc2() {
        return Err(Error::user(format!(
            "SOC 2 fields (--opinion, --exceptions, --cuecs, --subservice) do not apply to {kind} evidence"
        ))
        .with_hint("give --kind soc2-type2 or soc2-type1"));
    }
    let retrieved = match &args.retrieved {
        Some(d) => {
            let date = validate::date("--retrieved", d)?;
            if date > env.today() {
                return Err(Error::user(format!(
                    "--retrieved {date} is in the future (today is {})",
                    env.today()
                )));
            }
            date.to_string()
        }
        None => env.today().to_string(),
    };
    let valid_from = optional_date("--valid-from", &args.valid_from)?;
    let valid_until = optional_date("--valid-until", &args.valid_until)?;
    if let (Some(from), Some(until)) = (&valid_from, &valid_until) {
        if until < from {
            return Err(Error::user(format!(
                "--valid-until {until} is before --valid-from {from}"
            )));
        }
    }
    let period_start = optional_date("--period-start", &args.period_start)?;
    let period_end = optional_date("--period-end", &args.period_end)?;
    if let (Some(start), Some(end)) = (&period_start, &period_end) {
        if end < start {
            return Err(Error::user(format!(
                "--period-end {end} is before --period-start {start}"
            )));
        }
    }
    let exceptions = match args.exceptions {
        Some(n) if !(0..=100_000).contains(&n) => {
            return Err(Error::user(format!("--exceptions {n} is out of range"))
                .with_hint("give the number of exceptions noted, 0 or more"));
        }
        other => other,
    };
    let items = check_item_ids(store, &args.items)?;
    for clause in &args.clauses {
        super::ensure_clause_of(store, *clause, &vendor)?;
    }
    let (source, quote, source_url) = match (&args.file, &args.url) {
        (Some(path), _) => (
            Some(inspect_file(path, args.follow_symlinks, args.max_bytes)?),
            None,
            validate::url("--source-url", args.source_url.as_deref())?,
        ),
        (None, Some(url)) => {
            let quote = validate::text("--quote", args.quote.as_deref())?.ok_or_else(|| {
                Error::user("--quote is empty").with_hint("give the words quoted from the page")
            })?;
            (None, Some(quote), validate::url("--url", Some(url))?)
        }
        (None, None) => {
            return Err(Error::user(
                "give a FILE, or --url and --quote for a page snapshot",
            ))
        }
    };
    let mut evidence = Evidence {
        id: 0,
        vendor_id: vendor.id,
        vendor: vendor.slug.clone(),
        kind,
        title: args
            .title
            .as_deref()
            .map(|t| validate::name("--title", t))
            .transpose()?,
        file_name: source.as_ref().map(|s| s.file_name.clone()),
        sha256: source.as_ref().map(|s| s.sha256.clone()),
        size: source.as_ref().map(|s| s.size as i64),
        source_url,
        quote,
        retrieved: Some(retrieved),
        valid_from,
        valid_until,
        period_start,
        period_end,
        opinion: args.opinion,
        exceptions,
        cuecs: validate::text("--cuecs", args.cuecs.as_deref())?,
        subservice: args.subservice,
        bridge_letter_until: optional_date("--bridge-letter-until", &args.bridge_letter_until)?,
        items,
        clauses: args.clauses.clone(),
        created_at: env.timestamp.clone(),
        created_by: env.actor.clone(),
    };
    let mut reused = false;
    let id = store.write(|tx| {
        if let (Some(source), Some(path)) = (&source, &args.file) {
            if db::blob_exists(tx, &source.sha256)? {
                reused = true;
            } else {
                let mut file = File::open(path)
                    .map_err(|e| Error::user(format!("cannot read '{}': {e}", path.display())))?;
                db::insert_blob(tx, &source.sha256, source.size, &mut file)?;
            }
        }
        let id = db::insert(tx, &evidence)?;
        for item in &evidence.items {
            db::link_item(tx, id, item)?;
        }
        for clause in &evidence.clauses {
            db::link_clause(tx, id, *clause, None)?;
        }
        evidence.id = id;
        let event = env.event(
            "evidence add",
            "evidence",
            id,
            Some(vendor.id),
            None,
            Some(serde_json::to_value(&evidence)?),
        );
        store::audit::append(tx, &event)?;
        Ok(id)
    })?;
    match &source {
        Some(s) => {
            if s.size == 0 {
                output::note(format!(
                    "warning: '{}' is empty (0 bytes); stored anyway",
                    s.file_name
                ));
            }
            if reused {
                output::note(format!("identical content is already stored (sha256 {}); evidence #{id} links the existing copy", &s.sha256[..12]));
            }
            output::note(format!(
                "stored evidence #{id}: {} ({kind}, {} bytes, sha256 {})",
                s.file_name, s.size, s.sha256
            ));
        }
        None => output::note(format!(
            "recorded evidence #{id}: {kind} quote of {}",
            evidence.source_url.as_deref().unwrap_or("")
        )),
    }
    Ok(id)
}

fn list(store: &Store, slug: &str, json: bool, out: &mut dyn Write) -> Result<()> {
    let vendor = find_vendor(store, slug)?;
    let all = db::for_vendor(store.conn(), vendor.id)?;
    if json {
        return output::json(out, &all);
    }
    if all.is_empty() {
        output::note(format!("no evidence recorded for '{}'", vendor.slug));
        return Ok(());
    }
    let mut table = output::table([
        "#",
        "kind",
        "title / file",
        "retrieved",
        "valid until",
        "sha256",
        "items",
    ])
    .spill(&["title / file", "items"]);
    for e in &all {
        table.add_row(vec![
            e.id.to_string(),
            e.kind.to_string(),
            e.name().to_string(),
            output::cell(&e.retrieved),
            output::cell(&e.valid_until),
            e.sha256
                .as_deref()
                .map_or("-".into(), |s| s[..12].to_string()),
            e.items.join(","),
        ]);
    }
    output::print_table(out, &table)
}

fn show(store: &Store, id: i64, json: bool, out: &mut dyn Write) -> Result<()> {
    let e = db::by_id(store.conn(), id)?;
    if json {
        return output::json(out, &e);
    }
    let mut fields = Vec::new();
    if let serde_json::Value::Object(map) = serde_json::to_value(&e)? {
        for (key, v) in map {
            let text = match v {
                serde_json::Value::Null => continue,
                serde_json::Value::String(s) => s,
                serde_json::Value::Array(a) if a.is_empty() => continue,
                other => other.to_string(),
            };
            fields.push((key.replace('_', " "), text));
        }
    }
    output::print_fields(out, &fields)
}

/// Writes a stored file to `path`: to a temporary file beside it first, then
/// hard-linked into place, which fails if anything (even a dangling symlink)
/// appeared at `path`, so nothing is ever overwritten or written through a link.
fn get(store: &Store, id: i64, path: &Path) -> Result<()> {
    let e = db::by_id(store.conn(), id)?;
    let Some(sha256) = &e.sha256 else {
        return Err(
            Error::user(format!("evidence #{id} is a page quote with no file"))
                .with_hint(format!("see it with `vetter evidence show {id}`")),
        );
    };
    let shown = path.display();
    if std::fs::symlink_metadata(path).is_ok() {
        return Err(Error::user(format!("'{shown}' already exists"))
            .with_hint("choose a new file name; vetter never overwrites"));
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    if !dir.is_dir() {
        return Err(Error::user(format!(
            "cannot write '{shown}': directory '{}' does not exist",
            dir.display()
        )));
    }
    let name = path
        .file_name()
        .ok_or_else(|| Error::user(format!("'{shown}' is not a file name")))?;
    let temp = dir.join(format!(
        ".{}.vetter-{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let result = (|| -> Result<()> {
        let failed = |e: std::io::Error| {
            crate::error::write_failed(
                path,
                &e,
                &format!("nothing was written to '{shown}'"),
                "choose a path on another disk",
            )
        };
        // Owner-only (0600): evidence is often under NDA.
        let mut file = crate::fsutil::create_private_file(&temp).map_err(failed)?;
        let mut sink = Sink {
            file: &mut file,
            failed: None,
        };
        let read = db::read_blob(store.conn(), sha256, &mut sink);
        if let Some(e) = sink.failed.take() {
            return Err(failed(e));
        }
        let actual = read?;
        file.sync_all().map_err(failed)?;
        if &actual != sha256 {
            return Err(Error::check_failed(format!(
                "evidence #{id} does not match its recorded sha256 (stored content was altered)"
            ))
            .with_hint("run `vetter verify` to check every file"));
        }
        std::fs::hard_link(&temp, path)
            .map_err(|e| Error::user(format!("cannot create '{shown}': {e}")))?;
        Ok(())
    })();
    let _ = std::fs::remove_file(&temp);
    result?;
    output::note(format!(
        "wrote evidence #{id} to '{shown}' ({} bytes, sha256 verified)",
        e.size.unwrap_or(0)
    ));
    Ok(())
}

/// A file being written that keeps its first write error, so a full disk is
/// reported as such rather than as whatever the reader made of it.
struct Sink<'a> {
    file: &'a mut File,
    failed: Option<std::io::Error>,
}

impl Write for Sink<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.file.write(buf).inspect_err(|e| {
            self.failed
                .get_or_insert_with(|| std::io::Error::new(e.kind(), e.to_string()));
        })
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

fn link(
    env: &Env,
    store: &mut Store,
    id: i64,
    item: Option<String>,
    clause: Option<i64>,
    page: Option<u32>,
) -> Result<()> {
    let e = db::by_id(store.conn(), id)?;
    let vendor = find_active_vendor(store, &e.vendor)?;
    let item = match item {
        Some(item) => Some(check_item_ids(store, &[item])?.remove(0)),
        None => None,
    };
    if let Some(clause) = clause {
        super::ensure_clause_of(store, clause, &vendor)?;
    }
    store.write(|tx| {
        if let Some(item) = &item {
            db::link_item(tx, id, item)?;
        }
        if let Some(clause) = clause {
            db::link_clause(tx, id, clause, page)?;
        }
        let new =
            serde_json::json!({ "evidence": id, "item": item, "clause": clause, "page": page });
        store::audit::append(
            tx,
            &env.event(
                "evidence link",
                "evidence",
                id,
                Some(vendor.id),
                None,
                Some(new),
            ),
        )?;
        Ok(())
    })?;
    output::note(format!("linked evidence #{id}"));
    Ok(())
}

/// Inside a write transaction: stores `bytes` (a file read in full, e.g. a
/// questionnaire workbook) as the vendor's evidence with its `evidence add`
/// event, or returns the vendor's existing evidence with the same SHA-256.
pub fn record_bytes(
    tx: &crate::store::sql::Tx,
    env: &Env,
    vendor: &crate::model::Vendor,
    bytes: &[u8],
    file_name: &str,
    kind: EvidenceKind,
) -> Result<i64> {
    let sha256 = crate::digest::sha256_hex(bytes);
    if let Some(e) = db::for_vendor(tx, vendor.id)?
        .into_iter()
        .find(|e| e.sha256.as_deref() == Some(sha256.as_str()))
    {
        return Ok(e.id);
    }
    if !db::blob_exists(tx, &sha256)? {
        db::insert_blob(
            tx,
            &sha256,
            bytes.len() as u64,
            &mut std::io::Cursor::new(bytes),
        )?;
    }
    let mut evidence = Evidence {
        id: 0,
        vendor_id: vendor.id,
        vendor: vendor.slug.clone(),
        kind,
        title: None,
        file_name: Some(file_name.to_string()),
        sha256: Some(sha256),
        size: Some(bytes.len() as i64),
        source_url: None,
        quote: None,
        retrieved: Some(env.today().to_string()),
        valid_from: None,
        valid_until: None,
        period_start: None,
        period_end: None,
        opinion: None,
        exceptions: None,
        cuecs: None,
        subservice: None,
        bridge_letter_until: None,
        items: Vec::new(),
        clauses: Vec::new(),
        created_at: env.timestamp.clone(),
        created_by: env.actor.clone(),
    };
    let id = db::insert(tx, &evidence)?;
    evidence.id = id;
    store::audit::append(
        tx,
        &env.event(
            "evidence add",
            "evidence",
            id,
            Some(vendor.id),
            None,
            Some(serde_json::to_value(&evidence)?),
        ),
    )?;
    Ok(id)
}
