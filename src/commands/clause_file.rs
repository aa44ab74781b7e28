//! `vetter clause extract|import|export`: clause proposals read from a DPA's
//! text, and the clause file a reviewer edits and records.
//!
//! The clause file is TOML, one `[[clause]]` table per clause, with the
//! quote and section beside the terms and comments saying what to check.
//! Its term names are the long options of `vetter clause add`, and a clause
//! is recorded exactly as that command would record it: each clause becomes
//! the argument list of `clause add` and goes through the same parser and
//! checks, so the file can never accept what the command refuses.

use super::find_active_vendor;
use crate::cli::{ClauseCommand, ClauseTermArgs, Cli, Command};
use crate::error::{Error, Result};
use crate::extract::{self, Document, Extraction, Proposal};
use crate::fsutil::NewFile;
use crate::model::{Clause, ClauseKind, Vendor};
use crate::output;
use crate::store::{self, Store};
use crate::Env;
use clap::Parser;
use std::io::Write;
use std::path::Path;

/// The largest clause file read.
const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

#[allow(clippy::too_many_arguments)]
pub fn extract(
    env: &Env,
    store: &mut Store,
    slug: &str,
    file: &Path,
    to: Option<&Path>,
    flags: bool,
    json: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let vendor = find_active_vendor(store, slug)?;
    let doc = Document::read(file)?;
    let extraction = extract::extract(&doc);
    // The --out file is created before the DPA is stored as evidence, so a
    // path that cannot be written (no such directory, no permission) is
    // refused with nothing recorded.
    let out_file = match to {
        Some(to) => {
            if to.exists() {
                return Err(
                    Error::user(format!("'{}' already exists", to.display())).with_hint(
                        "choose a new --out file; an edited clause file is never overwritten",
                    ),
                );
            }
            Some(create_new(to)?)
        }
        None => None,
    };
    // A failure drops `out_file`, which removes its temporary file.
    let evidence = store_as_evidence(env, store, &vendor, file)?;
    let text = clause_file(&vendor, Some(evidence), &file_name(file), &extraction);
    if let (Some(to), Some(f)) = (to, out_file) {
        let kept = format!(
            "nothing was written to '{}' (the agreement is stored as evidence #{evidence}, which running the command again reuses)",
            to.display()
        );
        write_whole(f, to, &text, &kept)?;
        output::note(format!(
            "wrote {} proposals to '{}': check each quote, edit or delete, then `vetter clause import {} {}`",
            extraction.proposals.len(),
            to.display(),
            vendor.slug,
            to.display()
        ));
    }
    if !extraction.not_found.is_empty() {
        output::note(format!(
            "not found in the text (check them yourself): {}",
            extraction.not_found.join(", ")
        ));
    }
    if json {
        output::json(out, &extraction)?;
    } else if to.is_none() {
        out.write_all(text.as_bytes())?;
    }
    if flags {
        print_flags(store, env, &vendor, &extraction.proposals)?;
    }
    Ok(())
}

pub fn import(
    env: &Env,
    store: &mut Store,
    slug: &str,
    file: &Path,
    evidence: Option<i64>,
    dry_run: bool,
    accept_first: bool,
) -> Result<()> {
    let vendor = find_active_vendor(store, slug)?;
    let text = crate::validate::read_capped(
        file,
        "clause file",
        MAX_FILE_BYTES,
        "split it into several files",
    )?;
    let text = String::from_utf8(text)
        .map_err(|_| Error::user(format!("'{}' is not UTF-8 text", file.display())))?;
    let mut parsed = parse(&text, &file.display().to_string())?;
    resolve_conflicts(&mut parsed, file, accept_first)?;
    if let Some(named) = &parsed.vendor {
        if *named != vendor.slug {
            return Err(Error::user(format!(
                "'{}' is a clause file of vendor '{named}', not '{}'",
                file.display(),
                vendor.slug
            ))
            .with_hint("import it into the vendor it was written for, or edit its `vendor` line"));
        }
    }
    let evidence = evidence.or(parsed.evidence);
    // The text each quote must be found in.
    let source = match evidence {
        Some(id) => {
            super::ensure_evidence_of(store, id, &vendor)?;
            Some((id, evidence_text(store, id)?))
        }
        None => None,
    };
    let mut clauses = Vec::new();
    // One parser for every clause: building clap's command takes longer
    // than parsing a clause with it.
    let mut parser = <Cli as clap::CommandFactory>::command();
    for c in &parsed.clauses {
        let at = |e: Error| e.prefixed(format!("'{}' line {}: ", file.display(), c.line));
        let (kind, args) = c.to_args(&vendor, &mut parser).map_err(at)?;
        let mut clause =
            crate::clause::new_clause(&vendor, kind, c.absent, &args, &env.timestamp, &env.actor)
                .map_err(at)?;
        clause.items = super::check_item_ids(store, &args.items).map_err(at)?;
        if let (Some(quote), Some((id, text))) = (&clause.quote, &source) {
            // A quote of several places is each of them, verbatim.
            if let Some(quote) = quote
                .split(extract::QUOTE_JOIN)
                .find(|part| !text.contains(part))
            {
                return Err(at(Error::user(format!(
                    "the quote is not in evidence #{id}'s text: {:?}",
                    shorten(quote)
                ))
                .with_hint(
                    "copy the words exactly as the agreement has them, or remove the quote",
                )));
            }
        }
        clauses.push((clause, c.page));
    }
    if source.is_none() && clauses.iter().any(|(c, _)| c.quote.is_some()) {
        // As `clause add --quote` without --evidence: recorded as typed.
        output::note("note: the file names no evidence, so its quotes are recorded as written, not checked against the agreement (add `evidence = ID` to check them)");
    }
    if clauses.is_empty() {
        return Err(Error::user(format!(
            "'{}' has no [[clause]] tables; nothing was recorded",
            file.display()
        )));
    }
    if dry_run {
        for (c, _) in &clauses {
            output::note(format!(
                "would record {}{}: {}",
                c.kind,
                c.section
                    .as_ref()
                    .map(|s| format!(" ({s})"))
                    .unwrap_or_default(),
                crate::clause::terms_summary(c)
            ));
        }
        output::note(format!(
            "dry run: {} clauses checked; nothing was recorded",
            clauses.len()
        ));
        return Ok(());
    }
    let count = clauses.len();
    let ids = store.write(|tx| {
        let mut ids = Vec::new();
        for (clause, page) in &mut clauses {
            let page = if source.is_some() { *page } else { None };
            ids.push(super::clause::record(
                tx, env, &vendor, clause, evidence, page,
            )?);
        }
        Ok(ids)
    })?;
    output::note(format!(
        "recorded {count} clauses (#{}-#{}) for '{}'; `vetter flags {}` shows what they raise",
        ids.first().unwrap_or(&0),
        ids.last().unwrap_or(&0),
        vendor.slug,
        vendor.slug
    ));
    Ok(())
}

/// A term `clause extract` found stated with different values is written
/// `hours = { conflict = [48, 36] }`: the reviewer keeps one. A file that
/// still holds one is refused, each named with its line, unless
/// `--accept-first` takes the first value of each (and says so).
fn resolve_conflicts(parsed: &mut ParsedFile, file: &Path, accept_first: bool) -> Result<()> {
    let mut open = Vec::new();
    for c in &mut parsed.clauses {
        for (term, value) in c.terms.iter_mut() {
            let Some(values) = value
                .as_table()
                .and_then(|t| t.get("conflict"))
                .and_then(|v| v.as_array())
                .cloned()
            else {
                continue;
            };
            let line = c.term_lines.get(term).copied().unwrap_or(c.line);
            let shown: Vec<String> = values.iter().map(|v| v.to_string()).collect();
            let Some(first) = values.first() else {
                continue;
            };
            if accept_first {
                output::note(format!(
                    "'{}' line {line}: took {} {term} = {first}, the first of {}",
                    file.display(),
                    c.kind,
                    shown.join(", ")
                ));
                *value = first.clone();
            } else {
                open.push(format!(
                    "line {line}: {} {term} is {}",
                    c.kind,
                    shown.join(" or ")
                ));
            }
        }
    }
    if open.is_empty() {
        return Ok(());
    }
    Err(Error::user(format!(
        "'{}' has {} unresolved conflict{}; nothing was recorded:\n  {}",
        file.display(),
        open.len(),
        if open.len() == 1 { "" } else { "s" },
        open.join("\n  ")
    ))
    .with_hint(
        "the agreement states these terms twice with different values: read both quotes, keep the value that holds (e.g. `hours = 48`), or run again with --accept-first to take the first value of each",
    ))
}

pub fn export(store: &Store, slug: &str, to: Option<&Path>, out: &mut dyn Write) -> Result<()> {
    let vendor = super::find_vendor(store, slug)?;
    let clauses = store::clause::for_vendor(store.conn(), vendor.id)?;
    let mut text = header(&vendor, None, None);
    for c in &clauses {
        text.push_str(&clause_table(
            c.kind.as_str(),
            c.section.as_deref(),
            None,
            c.quote.as_deref(),
            c.absent,
            &terms_of(c),
            &c.items,
            c.valid_until.as_deref(),
            &[],
        ));
    }
    match to {
        Some(to) => {
            if to.exists() {
                return Err(Error::user(format!("'{}' already exists", to.display()))
                    .with_hint("choose a new --out file"));
            }
            let kept = format!("nothing was written to '{}'", to.display());
            write_whole(create_new(to)?, to, &text, &kept)?;
            output::note(format!(
                "wrote {} clauses of '{}' to '{}'",
                clauses.len(),
                vendor.slug,
                to.display()
            ));
        }
        None => out.write_all(text.as_bytes())?,
    }
    Ok(())
}

/// The DPA file as the vendor's evidence: the existing one when the same
/// bytes are already stored for this vendor, else a new `evidence add`.
fn store_as_evidence(env: &Env, store: &mut Store, vendor: &Vendor, file: &Path) -> Result<i64> {
    let sha256 = {
        use sha2::Digest;
        let mut hasher = sha2::Sha256::new();
        std::io::copy(&mut std::fs::File::open(file)?, &mut hasher)?;
        crate::digest::hex(&hasher.finalize())
    };
    if let Some(e) = store::evidence::for_vendor(store.conn(), vendor.id)?
        .into_iter()
        .find(|e| e.sha256.as_deref() == Some(sha256.as_str()))
    {
        output::note(format!(
            "the file is already evidence #{} of '{}'",
            e.id, vendor.slug
        ));
        return Ok(e.id);
    }
    let argv = [
        "vetter".into(),
        "evidence".into(),
        "add".into(),
        vendor.slug.clone(),
        file.display().to_string(),
        "--kind".into(),
        "dpa".into(),
    ];
    let args = match Cli::try_parse_from(argv) {
        Ok(Cli {
            command: Command::Evidence(crate::cli::EvidenceCommand::Add(args)),
            ..
        }) => args,
        _ => return Err(Error::internal("cannot build `evidence add` for the DPA")),
    };
    super::evidence::add(env, store, *args)
}

/// The text of a stored evidence file, as the extractor reads it.
fn evidence_text(store: &Store, id: i64) -> Result<String> {
    let e = store::evidence::by_id(store.conn(), id)?;
    let Some(sha) = &e.sha256 else {
        return Ok(e.quote.unwrap_or_default());
    };
    let mut bytes = Vec::new();
    store::evidence::read_blob(store.conn(), sha, &mut bytes)?;
    let dir = tempfile_dir()?;
    // The stored name keeps its extension (how the text is read) but never
    // leaves the scratch directory.
    let path = dir.join(crate::stored_path::scratch_file_name(
        e.file_name.as_deref(),
    ));
    crate::fsutil::create_private_file(&path)
        .and_then(|mut f| f.write_all(&bytes))
        .map_err(|err| Error::user(format!("cannot stage evidence #{id} to read it: {err}")))?;
    let doc = Document::read(&path);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(doc?.text)
}

/// A private scratch directory under the system's temporary directory.
fn tempfile_dir() -> Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!(
        "vetter-evidence-{}-{}",
        std::process::id(),
        chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default()
    ));
    crate::fsutil::create_private_dir(&dir)
        .map_err(|e| Error::user(format!("cannot create '{}': {e}", dir.display())))?;
    Ok(dir)
}

fn print_flags(store: &Store, env: &Env, vendor: &Vendor, proposals: &[Proposal]) -> Result<()> {
    let profile = crate::profile::load(store)?;
    let review = store::review::current(store.conn(), vendor.id)?;
    let mut records =
        crate::domain::VendorRecords::load(store, vendor, review.map(|r| r.id), env.today())?;
    let mut clauses = Vec::new();
    let mut parser = <Cli as clap::CommandFactory>::command();
    for p in proposals {
        let terms: toml::Table = p
            .terms
            .iter()
            .filter_map(|(k, v)| json_to_toml(v).map(|t| (k.to_string(), t)))
            .collect();
        let file_clause = FileClause {
            line: 0,
            kind: p.kind.to_string(),
            section: p.section.clone(),
            quote: Some(p.quote.clone()),
            page: p.page,
            absent: false,
            items: Vec::new(),
            valid_until: None,
            terms,
            term_lines: Default::default(),
        };
        if let Ok((kind, args)) = file_clause.to_args(vendor, &mut parser) {
            if let Ok(c) =
                crate::clause::new_clause(vendor, kind, false, &args, &env.timestamp, &env.actor)
            {
                clauses.push(c);
            }
        }
    }
    records.clauses = clauses;
    let flags = records.flags(&profile, vendor, env.today());
    let width = output::terminal_width();
    let mut err = std::io::stderr().lock();
    if flags.is_empty() {
        let _ = writeln!(
            err,
            "no red flags would be raised by these proposals under the current profile"
        );
    }
    // Each kind is one clause, as import records it; a term in conflict
    // is judged at its first value, as `--accept-first` would record it.
    let conflicted: Vec<String> = proposals
        .iter()
        .flat_map(|p| p.conflicts.keys().map(move |t| format!("{} {t}", p.kind)))
        .collect();
    if !conflicted.is_empty() {
        let _ = writeln!(
            err,
            "(judged at the first value of each conflict: {})",
            conflicted.join(", ")
        );
    }
    for f in &flags {
        let line = format!(
            "would raise {} {}: {}",
            f.severity.to_string().to_uppercase(),
            f.rule,
            f.message
        );
        let _ = output::write_indented(&mut err, "", &line, width);
    }
    Ok(())
}

fn file_name(path: &Path) -> String {
    crate::validate::file_name_of(path)
}

/// Starts the --out file: a temporary file beside it, only its owner can
/// read, that takes its name once it is whole (see `fsutil::NewFile`).
fn create_new(path: &Path) -> Result<NewFile> {
    NewFile::create(path).map_err(|e| {
        Error::user(format!("cannot write '{}': {e}", path.display()))
            .with_hint("choose an --out file in a directory that exists and you can write to")
    })
}

/// Writes the whole clause file and gives it its name, never replacing a
/// file: on a full disk `path` is not created. `kept` says what was kept.
fn write_whole(mut f: NewFile, path: &Path, text: &str, kept: &str) -> Result<()> {
    f.write_all(text.as_bytes())
        .and_then(|()| f.commit(false))
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => {
                Error::user(format!("'{}' already exists", path.display())).with_hint(
                    "choose a new --out file; an edited clause file is never overwritten",
                )
            }
            _ => crate::error::write_failed(path, &e, kept, "choose another --out"),
        })
}

fn shorten(text: &str) -> String {
    let mut s: String = text.chars().take(80).collect();
    if text.chars().count() > 80 {
        s.push('…');
    }
    s
}

// ---- the clause file ----

/// The whole file for `clause extract`.
fn clause_file(vendor: &Vendor, evidence: Option<i64>, source: &str, x: &Extraction) -> String {
    let mut text = header(vendor, evidence, Some((source, x)));
    for p in &x.proposals {
        let mut notes = vec![format!(
            "confidence {:.2}; bytes {}-{} of the text (UTF-8){}",
            p.confidence,
            p.start,
            p.end,
            p.page.map(|n| format!("; page {n}")).unwrap_or_default()
        )];
        if p.terms.is_empty() {
            notes.push("READ THIS: the agreement addresses this, but vetter read no term from it; fill in the terms from the quote, or delete the clause".into());
        }
        if p.conflict {
            notes.push("CONFLICT: the agreement states a term below with different values; keep the one that holds (import refuses the file until you do)".into());
        }
        let mut terms: toml::Table = p
            .terms
            .iter()
            .filter_map(|(k, v)| json_to_toml(v).map(|t| (k.to_string(), t)))
            .collect();
        let mut where_read: Vec<(String, String)> = Vec::new();
        for (term, q) in &p.quotes {
            if !p.conflicts.contains_key(term) {
                where_read.push((term.to_string(), place(q)));
            }
        }
        for (term, values) in &p.conflicts {
            let list: Vec<toml::Value> =
                values.iter().filter_map(|(v, _)| json_to_toml(v)).collect();
            let mut table = toml::Table::new();
            table.insert("conflict".into(), toml::Value::Array(list));
            terms.insert(term.to_string(), toml::Value::Table(table));
            for (v, q) in values {
                where_read.push((term.to_string(), format!("{v} in {}", place(q))));
            }
        }
        for (term, at) in where_read {
            notes.push(format!("{term}: {at}"));
        }
        text.push_str(&clause_table(
            p.kind,
            p.section.as_deref(),
            p.page,
            Some(&p.quote),
            false,
            &terms,
            &[],
            None,
            &notes,
        ));
    }
    text
}

/// "§9.1: \"...within 48 hours...\"": where a term was read, for a note.
fn place(q: &extract::Quote) -> String {
    let section = q
        .section
        .as_ref()
        .map(|s| format!("§{s}: "))
        .unwrap_or_default();
    let words = crate::markup::plain(&q.quote).replace(['\n', '\r'], " ");
    format!("{section}\"{}\"", shorten(&words))
}

fn header(vendor: &Vendor, evidence: Option<i64>, read: Option<(&str, &Extraction)>) -> String {
    let mut h = String::from(
        "# vetter clause file: one [[clause]] per clause of the vendor's agreement.\n",
    );
    match read {
        Some((source, x)) => {
            h.push_str(&format!(
                "# Proposed by `vetter clause extract` from {source} ({} characters of {} text).\n\
                 # Check each quote against the agreement, fix or delete each proposal, add clauses\n\
                 # by hand, then record them all with `vetter clause import {} FILE`.\n",
                x.characters, x.format, vendor.slug
            ));
            if !x.not_found.is_empty() {
                h.push_str(&format!(
                    "# Not found in the text (check them yourself; record one with `absent = true`):\n#   {}\n",
                    x.not_found.join(", ")
                ));
            }
        }
        None => h.push_str(
            "# Written by `vetter clause export`; `vetter clause import` reads it back.\n",
        ),
    }
    h.push_str("# Terms are named as the options of `vetter clause add` (see `vetter clause add --help`).\n\n");
    h.push_str(&format!("vendor = {}\n", toml_string(&vendor.slug)));
    if let Some(e) = evidence {
        h.push_str(&format!(
            "evidence = {e}   # the agreement the quotes are read from\n"
        ));
    }
    h
}

#[allow(clippy::too_many_arguments)]
fn clause_table(
    kind: &str,
    section: Option<&str>,
    page: Option<u32>,
    quote: Option<&str>,
    absent: bool,
    terms: &toml::Table,
    items: &[String],
    valid_until: Option<&str>,
    notes: &[String],
) -> String {
    let mut t = String::from("\n[[clause]]\n");
    for n in notes {
        t.push_str(&format!("# {n}\n"));
    }
    t.push_str(&format!("kind = {}\n", toml_string(kind)));
    if let Some(s) = section {
        t.push_str(&format!("section = {}\n", toml_string(s)));
    }
    if let Some(p) = page {
        t.push_str(&format!("page = {p}\n"));
    }
    if absent {
        t.push_str("absent = true\n");
    }
    if let Some(q) = quote {
        t.push_str(&format!("quote = {}\n", toml_string(q)));
    }
    if !items.is_empty() {
        let list: Vec<String> = items.iter().map(|i| toml_string(i)).collect();
        t.push_str(&format!("items = [{}]\n", list.join(", ")));
    }
    if let Some(v) = valid_until {
        t.push_str(&format!("valid-until = {}\n", toml_string(v)));
    }
    if !terms.is_empty() {
        t.push_str("[clause.terms]\n");
        for (k, v) in terms {
            let key = if k
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                k.clone()
            } else {
                toml_string(k)
            };
            t.push_str(&format!("{key} = {v}\n"));
        }
    }
    t
}

/// A TOML basic string (escapes quotes, backslashes and control characters).
fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn json_to_toml(v: &serde_json::Value) -> Option<toml::Value> {
    Some(match v {
        serde_json::Value::Bool(b) => toml::Value::Boolean(*b),
        serde_json::Value::Number(n) => toml::Value::Integer(n.as_i64()?),
        serde_json::Value::String(s) => toml::Value::String(s.clone()),
        serde_json::Value::Array(a) => {
            toml::Value::Array(a.iter().filter_map(json_to_toml).collect())
        }
        _ => return None,
    })
}

/// A clause's stored terms under their option names.
fn terms_of(c: &Clause) -> toml::Table {
    match serde_json::to_value(&c.terms) {
        Ok(serde_json::Value::Object(map)) => map
            .iter()
            .filter_map(|(k, v)| json_to_toml(v).map(|t| (k.replace('_', "-"), t)))
            .collect(),
        _ => toml::Table::new(),
    }
}

struct ParsedFile {
    vendor: Option<String>,
    evidence: Option<i64>,
    clauses: Vec<FileClause>,
}

struct FileClause {
    /// The line of its `[[clause]]` header, for messages.
    line: usize,
    kind: String,
    section: Option<String>,
    quote: Option<String>,
    page: Option<u32>,
    absent: bool,
    items: Vec<String>,
    valid_until: Option<String>,
    terms: toml::Table,
    /// The line each term is written on, for messages.
    term_lines: std::collections::BTreeMap<String, usize>,
}

fn parse(text: &str, shown: &str) -> Result<ParsedFile> {
    let doc: toml::Table = text.parse().map_err(|e: toml::de::Error| {
        let (line, col) = e.span().map(|s| line_col(text, s.start)).unwrap_or((0, 0));
        Error::user(format!(
            "'{shown}' line {line}, column {col}: {}",
            e.message()
        ))
        .with_hint("fix the TOML syntax; each clause is a [[clause]] table")
    })?;
    let lines: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| is_clause_header(l))
        .map(|(n, _)| n + 1)
        .collect();
    let known = ["vendor", "evidence", "clause"];
    if let Some(key) = doc.keys().find(|k| !known.contains(&k.as_str())) {
        return Err(
            Error::user(format!("'{shown}': unknown top-level key '{key}'"))
                .with_hint("a clause file has `vendor`, `evidence` and [[clause]] tables"),
        );
    }
    let vendor = doc
        .get("vendor")
        .and_then(|v| v.as_str())
        .map(str::to_string);
    let evidence = doc.get("evidence").and_then(|v| v.as_integer());
    let mut clauses = Vec::new();
    let tables = match doc.get("clause") {
        None => Vec::new(),
        Some(toml::Value::Array(a)) => a.clone(),
        Some(_) => {
            return Err(Error::user(format!(
                "'{shown}': `clause` must be [[clause]] tables"
            )))
        }
    };
    for (n, t) in tables.into_iter().enumerate() {
        let line = lines.get(n).copied().unwrap_or(0);
        let at = |what: String| {
            Error::user(format!("'{shown}' line {line}: {what}"))
                .with_hint("see the clause file format in docs/user-guide.md")
        };
        let toml::Value::Table(t) = t else {
            return Err(at("a [[clause]] entry must be a table".into()));
        };
        let allowed = [
            "kind",
            "section",
            "quote",
            "page",
            "absent",
            "items",
            "valid-until",
            "terms",
        ];
        if let Some(key) = t.keys().find(|k| !allowed.contains(&k.as_str())) {
            return Err(at(format!(
                "unknown key '{key}' in a clause (terms go under [clause.terms])"
            )));
        }
        let string = |k: &str| -> Result<Option<String>> {
            match t.get(k) {
                None => Ok(None),
                Some(toml::Value::String(s)) => Ok(Some(s.clone())),
                Some(other) => Err(at(format!(
                    "'{k}' must be a string, not {}",
                    other.type_str()
                ))),
            }
        };
        let Some(kind) = string("kind")? else {
            return Err(at("the clause has no `kind`".into()));
        };
        let page = match t.get("page") {
            None => None,
            Some(toml::Value::Integer(n)) => match u32::try_from(*n) {
                Ok(page) if page > 0 => Some(page),
                _ => {
                    return Err(at(format!(
                        "'page' must be a whole number from 1 to {}, not {n}",
                        u32::MAX
                    )))
                }
            },
            Some(_) => return Err(at("'page' must be a positive whole number".into())),
        };
        let absent = match t.get("absent") {
            None => false,
            Some(toml::Value::Boolean(b)) => *b,
            Some(_) => return Err(at("'absent' must be true or false".into())),
        };
        let items = match t.get("items") {
            None => Vec::new(),
            Some(toml::Value::Array(a)) => a
                .iter()
                .map(|v| {
                    v.as_str()
                        .map(str::to_string)
                        .ok_or_else(|| at("'items' must be a list of item ids".into()))
                })
                .collect::<Result<_>>()?,
            Some(_) => return Err(at("'items' must be a list of item ids".into())),
        };
        let terms = match t.get("terms") {
            None => toml::Table::new(),
            Some(toml::Value::Table(t)) => t.clone(),
            Some(_) => return Err(at("[clause.terms] must be a table".into())),
        };
        let term_lines = terms
            .keys()
            .filter_map(|term| term_line(text, line, term).map(|n| (term.clone(), n)))
            .collect();
        clauses.push(FileClause {
            term_lines,
            line,
            kind,
            section: string("section")?,
            quote: string("quote")?,
            page,
            absent,
            items,
            valid_until: string("valid-until")?,
            terms,
        });
    }
    Ok(ParsedFile {
        vendor,
        evidence,
        clauses,
    })
}

/// The line of `term = ...` in the clause whose header is on `header`.
fn term_line(text: &str, header: usize, term: &str) -> Option<usize> {
    text.lines()
        .enumerate()
        .skip(header)
        .take_while(|(_, l)| !is_clause_header(l))
        .find(|(_, l)| {
            let key = l
                .split('=')
                .next()
                .unwrap_or("")
                .trim()
                .trim_matches(['"', '\'']);
            l.contains('=') && key == term
        })
        .map(|(n, _)| n + 1)
}

/// A `[[clause]]` header line, as TOML allows it to be written: spaces
/// inside the brackets, a quoted key, a trailing comment.
fn is_clause_header(line: &str) -> bool {
    let line = line.split('#').next().unwrap_or("").trim();
    line.strip_prefix("[[")
        .and_then(|rest| rest.strip_suffix("]]"))
        .map(|key| key.trim().trim_matches(['"', '\'']))
        == Some("clause")
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

impl FileClause {
    /// The clause as the arguments of `vetter clause add`, parsed by the
    /// same parser: unknown terms, wrong types and values are refused with
    /// the messages that command gives.
    fn to_args(
        &self,
        vendor: &Vendor,
        parser: &mut clap::Command,
    ) -> Result<(ClauseKind, ClauseTermArgs)> {
        let kind: ClauseKind = self.kind.parse()?;
        let mut argv: Vec<String> = vec![
            "vetter".into(),
            "clause".into(),
            "add".into(),
            vendor.slug.clone(),
            self.kind.clone(),
        ];
        if self.absent {
            argv.push("--absent".into());
        }
        for (flag, value) in [
            ("--section", &self.section),
            ("--quote", &self.quote),
            ("--valid-until", &self.valid_until),
        ] {
            if let Some(v) = value {
                argv.push(format!("{flag}={v}"));
            }
        }
        for item in &self.items {
            argv.push(format!("--item={item}"));
        }
        for (term, value) in &self.terms {
            if matches!(
                term.as_str(),
                "section"
                    | "quote"
                    | "item"
                    | "valid-until"
                    | "evidence"
                    | "page"
                    | "absent"
                    | "json"
                    | "db"
                    | "as"
                    | "read-only"
                    | "help"
            ) {
                return Err(Error::user(format!("'{term}' is not a term"))
                    .with_hint("terms are the clause options of `vetter clause add --help`"));
            }
            match value {
                toml::Value::Boolean(true) => argv.push(format!("--{term}")),
                toml::Value::Boolean(false) => {}
                toml::Value::Integer(n) => argv.push(format!("--{term}={n}")),
                toml::Value::String(s) => argv.push(format!("--{term}={s}")),
                toml::Value::Array(list) => {
                    let parts: Vec<String> = list
                        .iter()
                        .map(|v| {
                            v.as_str()
                                .map(str::to_string)
                                .unwrap_or_else(|| v.to_string())
                        })
                        .collect();
                    argv.push(format!("--{term}={}", parts.join(",")));
                }
                other => {
                    return Err(Error::user(format!(
                        "term '{term}' has a {} value",
                        other.type_str()
                    ))
                    .with_hint("a term is a number, a word, true, or a list of words"))
                }
            }
        }
        let parsed = parser
            .try_get_matches_from_mut(&argv)
            .and_then(|m| <Cli as clap::FromArgMatches>::from_arg_matches(&m));
        match parsed {
            Ok(Cli {
                command: Command::Clause(ClauseCommand::Add { terms, .. }),
                ..
            }) => Ok((kind, terms)),
            Ok(_) => Err(Error::internal("a clause did not parse as `clause add`")),
            Err(e) => {
                let message = e.to_string();
                let first = message
                    .lines()
                    .next()
                    .unwrap_or("")
                    .trim_start_matches("error: ")
                    .to_string();
                Err(Error::user(
                    first
                        .replace("--", "term ")
                        .replace("unexpected argument", "unknown term"),
                )
                .with_hint(
                    "terms are the clause options of `vetter clause add --help`, e.g. hours = 72",
                ))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clause_headers_as_toml_allows_them() {
        assert!(is_clause_header("[[clause]]"));
        assert!(is_clause_header("  [[ clause ]]   # a note"));
        assert!(is_clause_header("[[\"clause\"]]"));
        assert!(!is_clause_header("[clause.terms]"));
        assert!(!is_clause_header("# [[clause]]"));
        assert!(!is_clause_header("[[clauses]]"));
    }
}
