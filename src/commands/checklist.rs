//! `vetter checklist list|show|validate|add`

use crate::checklist::{self, compare_versions, Checklist};
use crate::cli::ChecklistCommand;
use crate::error::{not_found, Error, Result};
use crate::output;
use crate::store::{self, checklist::StoredChecklist, Store};
use crate::Env;
use std::io::Write;
use std::path::Path;

/// Checklist files larger than this are refused (the built-in one is ~60 KB).
const MAX_CHECKLIST_BYTES: u64 = 4 * 1024 * 1024;

pub fn run(cmd: ChecklistCommand, env: &Env, store: &mut Store, out: &mut dyn Write) -> Result<()> {
    match cmd {
        ChecklistCommand::List { json } => list(store, json.json, out),
        ChecklistCommand::Show { id, json } => show(store, &id, json.json, out),
        ChecklistCommand::Validate { file } => validate(&file, out),
        ChecklistCommand::Add { file, json } => {
            let installed = add(&file, env, store)?;
            super::print_record(json.json, out, &installed)
        }
    }
}

/// Every checklist known: built-ins first, then the installed ones.
pub fn all(store: &Store) -> Result<Vec<Checklist>> {
    let mut list = checklist::builtins()?;
    for stored in store::checklist::list(store.conn())? {
        let name = format!(
            "installed checklist {}@{}",
            stored.checklist_id, stored.version
        );
        list.push(checklist::parse(&name, &stored.content, "user")?);
    }
    Ok(list)
}

/// Finds `ID` (newest version) or `ID@VERSION`.
pub fn resolve(store: &Store, spec: &str) -> Result<Checklist> {
    let (id, version) = match spec.split_once('@') {
        Some((id, version)) => (id, Some(version)),
        None => (spec, None),
    };
    let all = all(store)?;
    let mut candidates: Vec<&Checklist> = all.iter().filter(|c| c.id == id).collect();
    if candidates.is_empty() {
        let ids: Vec<&str> = all.iter().map(|c| c.id.as_str()).collect();
        return Err(not_found(
            "checklist",
            id,
            ids,
            "list checklists with `vetter checklist list`",
        ));
    }
    candidates.sort_by(|a, b| compare_versions(&a.version, &b.version));
    match version {
        None => Ok((*candidates.last().expect("not empty")).clone()),
        Some(v) => candidates
            .iter()
            .find(|c| c.version == v)
            .map(|c| (*c).clone())
            .ok_or_else(|| {
                let versions: Vec<&str> = candidates.iter().map(|c| c.version.as_str()).collect();
                Error::user(format!("checklist '{id}' has no version '{v}'"))
                    .with_hint(format!("known versions: {}", versions.join(", ")))
            }),
    }
}

fn list(store: &Store, json: bool, out: &mut dyn Write) -> Result<()> {
    let all = all(store)?;
    if json {
        #[derive(serde::Serialize)]
        struct Row<'a> {
            id: &'a str,
            version: &'a str,
            title: &'a str,
            origin: &'a str,
            items: usize,
            sha256: &'a str,
        }
        let rows: Vec<Row> = all
            .iter()
            .map(|c| Row {
                id: &c.id,
                version: &c.version,
                title: &c.title,
                origin: c.origin,
                items: c.item_count(),
                sha256: &c.sha256,
            })
            .collect();
        return output::json(out, &rows);
    }
    let mut table = output::table(["id", "version", "title", "origin", "items"]);
    for c in &all {
        table.add_row(vec![
            c.id.clone(),
            c.version.clone(),
            c.title.clone(),
            c.origin.to_string(),
            c.item_count().to_string(),
        ]);
    }
    output::print_table(out, &table)
}

fn show(store: &Store, spec: &str, json: bool, out: &mut dyn Write) -> Result<()> {
    let c = resolve(store, spec)?;
    if json {
        return output::json(out, &c);
    }
    writeln!(
        out,
        "{} {} — {} ({} items, {})",
        c.id,
        c.version,
        c.title,
        c.item_count(),
        c.origin
    )?;
    writeln!(out, "sha256 {}", c.sha256)?;
    for section in &c.sections {
        writeln!(out)?;
        writeln!(out, "{} — {}", section.id, section.title)?;
        let mut table =
            output::table(["item", "severity", "owner", "question"]).spill(&["question"]);
        for item in &section.items {
            table.add_row(vec![
                item.id.clone(),
                item.severity.to_string(),
                item.owner.to_string(),
                item.question.clone(),
            ]);
        }
        output::print_table(out, &table)?;
    }
    Ok(())
}

/// Reads a checklist file as UTF-8 text, refusing directories and files over
/// the limit (counted while reading, so /dev/zero is refused, not read).
fn read_file(file: &Path) -> Result<String> {
    let shown = file.display();
    let bytes = crate::validate::read_capped(
        file,
        "checklist",
        MAX_CHECKLIST_BYTES,
        "a checklist is a text file of at most 4 MiB",
    )?;
    String::from_utf8(bytes).map_err(|e| {
        Error::user(format!(
            "checklist '{shown}' is not valid UTF-8 (at byte {})",
            e.utf8_error().valid_up_to()
        ))
        .with_hint("save the file as UTF-8")
    })
}

pub fn validate(file: &Path, out: &mut dyn Write) -> Result<()> {
    let text = read_file(file)?;
    let c = checklist::parse(&file.display().to_string(), &text, "user")?;
    writeln!(
        out,
        "{}: valid checklist {}@{} ({} sections, {} items)",
        file.display(),
        c.id,
        c.version,
        c.sections.len(),
        c.item_count()
    )?;
    Ok(())
}

/// What `checklist add --json` prints.
#[derive(serde::Serialize)]
struct Installed {
    id: String,
    version: String,
    title: String,
    sha256: String,
    items: usize,
}

fn add(file: &Path, env: &Env, store: &mut Store) -> Result<Installed> {
    let text = read_file(file)?;
    let c = checklist::parse(&file.display().to_string(), &text, "user")?;
    let existing = all(store)?;
    if let Some(same) = existing
        .iter()
        .find(|e| e.id == c.id && e.version == c.version)
    {
        if same.sha256 == c.sha256 {
            output::note(format!(
                "checklist {}@{} is already installed with the same content",
                c.id, c.version
            ));
            return Ok(Installed::of(&c));
        }
        return Err(Error::user(format!(
            "checklist {}@{} already exists ({}) with different content",
            c.id, c.version, same.origin
        ))
        .with_hint(
            "a published version never changes: raise `version` in the file and add it again",
        ));
    }
    let stored = StoredChecklist {
        checklist_id: c.id.clone(),
        version: c.version.clone(),
        content: text,
        sha256: c.sha256.clone(),
    };
    store.write(|tx| {
        let row = store::checklist::insert(tx, &stored, &c.title, &env.timestamp, &env.actor)?;
        let new = serde_json::json!({
            "id": c.id, "version": c.version, "title": c.title, "sha256": c.sha256,
            "items": c.item_count(), "file": crate::validate::file_name_of(file),
        });
        store::audit::append(
            tx,
            &env.event(
                "checklist add",
                "checklist",
                format!("{}@{}", c.id, c.version),
                None,
                None,
                Some(new),
            ),
        )?;
        Ok(row)
    })?;
    output::note(format!(
        "installed checklist {}@{} ({} items)",
        c.id,
        c.version,
        c.item_count()
    ));
    Ok(Installed::of(&c))
}

impl Installed {
    fn of(c: &Checklist) -> Installed {
        Installed {
            id: c.id.clone(),
            version: c.version.clone(),
            title: c.title.clone(),
            sha256: c.sha256.clone(),
            items: c.item_count(),
        }
    }
}
