//! One module per command noun. `dispatch` routes a parsed command line; the
//! helpers here resolve what a user typed (vendor slugs, item ids) with
//! "did you mean" hints.

pub mod backup;
pub mod checklist;
pub mod clause;
pub mod clause_file;
pub mod compare;
pub mod contract;
pub mod copy;
pub mod demo;
pub mod due;
pub mod evidence;
pub mod export;
pub mod finding;
pub mod flags;
pub mod hosting;
pub mod import;
pub mod log;
pub mod profile;
pub mod question;
pub mod question_xlsx;
pub mod questionnaire;
pub mod review;
pub mod rules;
pub mod shell;
pub mod signoff;
pub mod subprocessor;
pub mod team;
pub mod vendor;
pub mod verify;

use crate::cli::{Cli, Command};
use crate::error::{not_found, Error, Result};
use crate::model::{Review, Vendor};
use crate::store::{self, audit::NewEvent, Access, Store};
use crate::Env;
use std::cell::OnceCell;
use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

/// Commands that show what a new register would hold (the profile's
/// defaults, the built-in checklists, the rules with their thresholds): on
/// a machine with no database yet they show the defaults rather than
/// refusing, so a newcomer can read them before the first write.
fn shows_only_defaults(command: &Command) -> bool {
    use crate::cli::{ChecklistCommand as C, ProfileCommand as P, RulesCommand as R};
    matches!(
        command,
        Command::Profile(P::Show { .. })
            | Command::Checklist(C::List { .. } | C::Show { .. })
            | Command::Rules(R::List { .. })
    )
}

/// Runs `show` against a new register made in a private scratch directory
/// (vetter's own, removed after), and says that these are the defaults.
fn with_defaults(
    env: &Env,
    missing: &std::path::Path,
    show: impl FnOnce(&Env, &mut Store) -> Result<()>,
) -> Result<()> {
    let dir = std::env::temp_dir().join(format!(
        "vetter-defaults-{}-{}",
        std::process::id(),
        chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default()
    ));
    crate::output::note(format!(
        "no database yet at '{}': these are the built-in defaults (the first command that records something creates it)",
        missing.display()
    ));
    crate::fsutil::create_private_dir(&dir)
        .map_err(|e| Error::user(format!("cannot create '{}': {e}", dir.display())))?;
    let scratch = Env {
        db: crate::store::Location::Sqlite(dir.join("defaults.db")),
        ..env.clone()
    };
    let result = scratch
        .open_store(crate::store::Access::Write)
        .and_then(|mut store| show(&scratch, &mut store));
    let _ = std::fs::remove_dir_all(&dir);
    result
}

pub fn dispatch(cli: Cli, out: &mut dyn Write) -> Result<()> {
    let access = access(&cli.command);
    // Refused before anything is looked up or created (even the default
    // database's directory, or the demo's database).
    if cli.read_only && access == Access::Write {
        return Err(crate::read_only_refusal());
    }
    // Commands that need no database.
    match &cli.command {
        Command::Completions { shell } => return shell::completions(*shell, out),
        Command::Man { out_dir } => return shell::man(out_dir.as_deref(), out),
        // Reference data built into the binary: no database needed.
        Command::Hosting { model, json } => return hosting::run(*model, json.json, out),
        Command::Checklist(crate::cli::ChecklistCommand::Validate { file }) => {
            return checklist::validate(file, out)
        }
        Command::Mapping(crate::cli::MappingCommand::Validate { file }) => {
            return questionnaire::validate_mapping(file, out)
        }
        Command::Demo(args) => return demo::run(args, &cli, out),
        // Two registers, or a server without one yet: opened by the command.
        Command::Copy { from, to } => return copy::run(from, to, out),
        Command::Team(crate::cli::TeamCommand::Init) => {
            return team::init(&Env::from_cli(&cli)?, out)
        }
        // Restore replaces the database, so it opens it itself.
        Command::Restore { file } => return backup::restore(&Env::from_cli(&cli)?, file),
        // Signing reads the packet and a key: no records.
        Command::Sign { packet, key, force } => return verify::sign(packet, key, *force),
        // A packet checked on its own: the auditor has no register.
        Command::Verify {
            packet: Some(packet),
            allowed_signers,
            packet_only: true,
            json,
            ..
        } => return verify::packet_only(packet, allowed_signers.as_deref(), json.json, out),
        _ => {}
    }
    let env = Env::from_cli(&cli)?;
    if shows_only_defaults(&cli.command) {
        if let Some(path) = env.db.sqlite_path().filter(|p| !p.exists()) {
            let path = path.to_path_buf();
            return with_defaults(&env, &path, |env, store| match cli.command {
                Command::Profile(cmd) => profile::run(cmd, env, store, out),
                Command::Checklist(cmd) => checklist::run(cmd, env, store, out),
                Command::Rules(cmd) => rules::run(cmd, store, out),
                _ => unreachable!("shows_only_defaults lists these"),
            });
        }
    }
    let mut store = env.open_store(access)?;
    let result = match cli.command {
        Command::Vendor(cmd) => vendor::run(cmd, &env, &mut store, out),
        Command::Checklist(cmd) => checklist::run(cmd, &env, &mut store, out),
        Command::Review(cmd) => review::run(cmd, &env, &mut store, out),
        Command::Finding(cmd) => finding::run(cmd, &env, &mut store, out),
        Command::Import(cmd) => import::run(cmd, &env, &mut store, out),
        Command::Questionnaire(crate::cli::QuestionnaireCommand::Show {
            vendor,
            review,
            answer,
            unmapped,
            json,
        }) => {
            let answer = answer.as_deref().map(str::parse).transpose()?;
            let filter = questionnaire::ShowFilter {
                review,
                answer,
                unmapped,
            };
            questionnaire::show(&store, &vendor, &filter, json.json, out)
        }
        Command::Questionnaire(crate::cli::QuestionnaireCommand::Diff {
            vendor,
            from,
            to,
            json,
        }) => questionnaire::diff(&store, &vendor, from, to, json.json, out),
        Command::Log(args) => log::run(args, &mut store, out),
        Command::Export(args) => export::run(args, &env, &store),
        Command::Compare(args) => compare::run(args, &env, &store, out),
        Command::Profile(cmd) => profile::run(cmd, &env, &mut store, out),
        Command::Clause(cmd) => clause::run(cmd, &env, &mut store, out),
        Command::Subprocessor(cmd) => subprocessor::run(cmd, &env, &mut store, out),
        Command::Contract(cmd) => contract::run(cmd, &env, &mut store, out),
        Command::Rules(cmd) => rules::run(cmd, &store, out),
        Command::Flags(args) => flags::run(args, &env, &mut store, out),
        Command::Evidence(cmd) => evidence::run(cmd, &env, &mut store, out),
        Command::Question(cmd) => question::run(cmd, &env, &mut store, out),
        Command::Due {
            within,
            fail_if_overdue,
            ics,
            force,
            json,
        } => due::run(
            &env,
            &store,
            due::DueArgs {
                within,
                fail_if_overdue,
                ics: ics.as_deref(),
                force,
                json: json.json,
            },
            out,
        ),
        Command::Verify {
            packet,
            head,
            allowed_signers,
            json,
            ..
        } => verify::run(
            &store,
            verify::Inputs {
                packet: packet.as_deref(),
                head: head.as_deref(),
                allowed_signers: allowed_signers.as_deref(),
            },
            json.json,
            out,
        ),
        Command::Backup { file, force } => backup::backup(&env, &store, &file, force),
        Command::Team(cmd) => team::run(cmd, &env, &mut store, out),
        Command::Completions { .. }
        | Command::Man { .. }
        | Command::Mapping(_)
        | Command::Demo(_)
        | Command::Restore { .. }
        | Command::Sign { .. }
        | Command::Copy { .. }
        | Command::Hosting { .. } => {
            unreachable!("handled above")
        }
    };
    match result {
        // A command that only reads never writes the database: a write that
        // failed was of SQLite's temporary files, and is named as such.
        Err(e) if access == Access::Read => Err(store.temp_store_fault(e)),
        result => result,
    }
}

/// Whether a command changes records. Only those may create the database,
/// and `--read-only` refuses them. Every command and subcommand is named
/// here, without wildcards, so a new one cannot be added unclassified.
fn access(command: &Command) -> Access {
    use crate::cli::{
        ChecklistCommand as C, ClauseCommand as Cl, ContractCommand as Co, EvidenceCommand as E,
        FindingCommand as F, FlagsCommand as Fl, ImportCommand as I, ProfileCommand as P,
        QuestionCommand as Q, ReviewCommand as R, RulesCommand as Ru, SubprocessorCommand as S,
        VendorCommand as V,
    };
    let writes = match command {
        Command::Vendor(c) => match c {
            V::Add(_) | V::Edit(_) | V::Archive { .. } => true,
            V::List { .. } | V::Show { .. } => false,
        },
        Command::Checklist(c) => match c {
            C::Add { .. } => true,
            C::List { .. } | C::Show { .. } | C::Validate { .. } => false,
        },
        Command::Review(c) => match c {
            R::Start { .. } | R::Submit { .. } | R::Reopen { .. } | R::Decide { .. } => true,
            R::Status { .. } | R::List { .. } | R::Diff { .. } => false,
        },
        Command::Finding(c) => match c {
            F::Add(_) => true,
            F::List { .. } => false,
        },
        // A dry run checks everything and records nothing: it is a read,
        // allowed under --read-only (and it never creates the database).
        Command::Import(c) => match c {
            I::Findings { .. } => true,
            I::Questionnaire { dry_run, .. } => !dry_run,
        },
        Command::Questionnaire(_) => false,
        // Handled before the database is opened.
        Command::Mapping(_) => false,
        Command::Profile(c) => match c {
            P::Set { .. } => true,
            P::Show { .. } => false,
        },
        Command::Clause(c) => match c {
            // extract stores the DPA file as evidence.
            Cl::Add { .. } | Cl::Edit { .. } | Cl::Extract { .. } => true,
            Cl::Import { dry_run, .. } => !dry_run,
            Cl::List { .. } | Cl::Show { .. } | Cl::Export { .. } => false,
        },
        Command::Subprocessor(c) => match c {
            S::Add { .. } | S::Import { .. } => true,
            S::List { .. } | S::Diff { .. } => false,
        },
        Command::Contract(c) => match c {
            Co::Add(_) | Co::End { .. } => true,
            Co::List { .. } | Co::Show { .. } => false,
        },
        Command::Flags(args) => match &args.command {
            Some(Fl::Waive { .. }) => true,
            None => false,
        },
        Command::Rules(c) => match c {
            Ru::List { .. } => false,
        },
        Command::Evidence(c) => match c {
            E::Add(_) | E::Link { .. } => true,
            E::List { .. } | E::Show { .. } | E::Get { .. } => false,
        },
        Command::Question(c) => match c {
            Q::Add { .. }
            | Q::Answer { .. }
            | Q::Close { .. }
            | Q::Reopen { .. }
            | Q::Import { .. } => true,
            Q::List { .. } | Q::Export { .. } => false,
        },
        // Export and compare write files, never the database.
        Command::Log(_)
        | Command::Export(_)
        | Command::Compare(_)
        | Command::Due { .. }
        | Command::Verify { .. }
        | Command::Hosting { .. } => false,
        // A backup reads the database and writes a copy elsewhere.
        Command::Backup { .. } => false,
        Command::Restore { .. } => true,
        Command::Team(t) => !matches!(t, crate::cli::TeamCommand::List { .. }),
        Command::Copy { .. } => true,
        // Handled before the database is opened.
        Command::Completions { .. } | Command::Man { .. } | Command::Sign { .. } => false,
        Command::Demo(_) => true,
    };
    if writes {
        Access::Write
    } else {
        Access::Read
    }
}

impl Env {
    /// An audit event stamped with this environment's time and actor.
    pub fn event<'a>(
        &'a self,
        command: &'a str,
        entity: &'a str,
        entity_id: impl ToString,
        vendor_id: Option<i64>,
        old: Option<serde_json::Value>,
        new: Option<serde_json::Value>,
    ) -> NewEvent<'a> {
        NewEvent {
            at: &self.timestamp,
            real_at: self.real_timestamp.as_deref(),
            actor: &self.actor,
            command,
            entity,
            entity_id: Some(entity_id.to_string()),
            vendor_id,
            old,
            new,
        }
    }
}

/// `--json` of a command that changed something: the record as it now
/// stands, on stdout, for scripts (the sentence for people is on stderr).
pub fn print_record<T: serde::Serialize + ?Sized>(
    json: bool,
    out: &mut dyn Write,
    record: &T,
) -> Result<()> {
    if json {
        crate::output::json(out, record)?;
    }
    Ok(())
}

/// What kind of file an output path receives, so that `--force` replaces
/// only a file of that kind that vetter wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputKind {
    /// `compare --pdf`: a PDF whose producer is vetter.
    Pdf,
    /// `compare --csv`: vetter's comparison table.
    CompareCsv,
    /// `question export --xlsx`: a workbook with vetter's Questions sheet.
    QuestionWorkbook,
    /// `backup`: a vetter database.
    Database,
    /// `man --out-dir`: one of vetter's man pages.
    ManPage,
    /// `due --ics`: vetter's vendor calendar.
    Calendar,
}

/// Refuses an output file that exists (unless `force`, and then only when it
/// is a regular file vetter wrote, see `ours_to_overwrite`) or whose
/// directory does not. `example` shows a good argument in the hint
/// (`--pdf compare.pdf`).
pub fn check_output_file(path: &Path, force: bool, kind: OutputKind, example: &str) -> Result<()> {
    if path.is_dir() {
        return Err(Error::user(format!("'{}' is a directory", path.display()))
            .with_hint(format!("give a file name, e.g. {example}")));
    }
    if std::fs::symlink_metadata(path).is_ok() {
        if !force {
            return Err(Error::user(format!("'{}' already exists", path.display()))
                .with_hint("choose another file name, or pass --force to replace it"));
        }
        ours_to_overwrite(path, kind)?;
    }
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if !parent.is_dir() {
        return Err(Error::user(format!(
            "cannot write '{}': the directory '{}' does not exist",
            path.display(),
            parent.display()
        ))
        .with_hint("create it first, or choose another path"));
    }
    Ok(())
}

/// Decides whether the existing `path` is a file vetter wrote of `kind`,
/// which `--force` may replace: a regular file (never a device, FIFO,
/// socket, symlink or directory: renaming over /dev/null would replace the
/// machine's device) whose content is what vetter writes there. Anything
/// else is refused, naming what it is.
pub fn ours_to_overwrite(path: &Path, kind: OutputKind) -> Result<()> {
    let shown = path.display();
    let refuse = |what: String| {
        Error::user(format!(
            "'{shown}' {what}; --force replaces only a file vetter wrote, and changes nothing else"
        ))
        .with_hint("choose another file name, or move that file away first")
    };
    let meta = std::fs::symlink_metadata(path)
        .map_err(|e| Error::user(format!("cannot read '{shown}': {e}")))?;
    if !meta.is_file() {
        return Err(refuse(format!("is {}", crate::fsutil::kind_of(&meta))));
    }
    let ours = match kind {
        // A database is large: its 100-byte header says whose it is.
        OutputKind::Database => crate::store::is_vetter_database_file(path)
            .map_err(|e| Error::user(format!("cannot read '{shown}': {e}")))?,
        // The rest vetter writes small; a larger file is not one of them.
        _ => {
            let Ok(bytes) = crate::validate::read_capped(path, "output", 256 << 20, "") else {
                return Err(refuse("is larger than any file vetter writes there".into()));
            };
            match kind {
                OutputKind::Pdf => {
                    bytes.starts_with(b"%PDF-") && contains(&bytes, b"<pdf:Producer>vetter ")
                }
                OutputKind::ManPage => {
                    let top = &bytes[..bytes.len().min(4096)];
                    contains(top, b"\n.TH vetter")
                }
                OutputKind::CompareCsv => {
                    let text = bytes.strip_prefix("\u{FEFF}".as_bytes()).unwrap_or(&bytes);
                    text.starts_with(b"\"group\",\"row\",\"better\"")
                        || text.starts_with(b"group,row,better")
                }
                OutputKind::QuestionWorkbook => {
                    use calamine::Reader;
                    calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes))
                        .ok()
                        .is_some_and(|book| book.sheet_names() == [question_xlsx::SHEET])
                }
                OutputKind::Calendar => {
                    bytes.starts_with(b"BEGIN:VCALENDAR\r\n")
                        && contains(&bytes, crate::report::ics::PRODID.as_bytes())
                }
                OutputKind::Database => unreachable!("read above"),
            }
        }
    };
    if ours {
        Ok(())
    } else {
        Err(refuse(format!(
            "is not {} vetter wrote",
            match kind {
                OutputKind::Pdf => "a PDF",
                OutputKind::CompareCsv => "a comparison CSV",
                OutputKind::QuestionWorkbook => "a question workbook",
                OutputKind::Database => "a database or backup",
                OutputKind::ManPage => "a man page",
                OutputKind::Calendar => "a calendar",
            }
        )))
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Writes `bytes` to `path` whole or not at all, replacing what is there
/// (see `fsutil::NewFile`).
pub fn write_file_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    crate::fsutil::write_file_atomically(path, true, |w| w.write_all(bytes)).map_err(|e| {
        crate::error::write_failed(
            path,
            &e,
            "nothing was written",
            "choose a path on another disk",
        )
    })
}

/// The vendor with this slug, or an error with a did-you-mean hint.
pub fn find_vendor(store: &Store, slug: &str) -> Result<Vendor> {
    if let Some(vendor) = store::vendor::by_slug(store.conn(), slug)? {
        return Ok(vendor);
    }
    let slugs = store::vendor::slugs(store.conn())?;
    Err(not_found(
        "vendor",
        slug,
        slugs.iter().map(String::as_str),
        "list vendors with `vetter vendor list --all`",
    ))
}

/// Like `find_vendor`, but refuses archived vendors (for writes).
pub fn find_active_vendor(store: &Store, slug: &str) -> Result<Vendor> {
    let vendor = find_vendor(store, slug)?;
    if vendor.archived_at.is_some() {
        return Err(Error::user(format!("vendor '{}' is archived", vendor.slug))
            .with_hint("archived vendors are kept for the record and cannot be changed"));
    }
    Ok(vendor)
}

/// Resolves typed checklist item ids against one review's items.
pub struct ItemResolver<'a> {
    store: &'a Store,
    review: &'a Review,
    items: HashMap<String, i64>,
    /// Every item id of the review's checklist, loaded on the first miss.
    checklist_items: OnceCell<Vec<String>>,
}

impl<'a> ItemResolver<'a> {
    pub fn new(store: &'a Store, review: &'a Review) -> Result<Self> {
        let items = store::review::item_ids(store.conn(), review.id)?;
        Ok(ItemResolver {
            store,
            review,
            items,
            checklist_items: OnceCell::new(),
        })
    }

    /// The review_item row id of `typed`, or an error that says whether the
    /// item is a typo or was left out of this review as not applicable.
    pub fn resolve(&self, typed: &str) -> Result<i64> {
        if let Some(id) = self.items.get(typed) {
            return Ok(*id);
        }
        let review = self.review;
        let in_checklist = self.checklist_items.get_or_init(|| {
            let spec = format!("{}@{}", review.checklist_id, review.checklist_version);
            checklist::resolve(self.store, &spec)
                .map(|c| c.items().map(|(_, i)| i.id.clone()).collect())
                .unwrap_or_default()
        });
        if in_checklist.iter().any(|id| id == typed) {
            return Err(Error::user(format!(
                "checklist item '{typed}' is not part of review #{}: it does not apply to this vendor's hosting, tenancy or data",
                review.number
            ))
            .with_hint("if the vendor's details were wrong, fix them with `vetter vendor edit` and start a new cycle with `vetter review start --supersede`"));
        }
        Err(not_found(
            "checklist item",
            typed,
            self.items.keys().map(String::as_str),
            "list this review's items with `vetter review status VENDOR --items`",
        ))
    }
}

/// Inside a write transaction: refuses unless the review takes findings:
/// not superseded (e.g. by another command meanwhile), submitted for a
/// decision, or decided.
pub fn ensure_review_open(tx: &crate::store::sql::Tx, review: &Review, slug: &str) -> Result<()> {
    use crate::domain::decision::{Outcome, Stage};
    let Some(r) = store::review::by_id(tx, review.id)? else {
        return Err(Error::internal("review vanished"));
    };
    match Outcome::load(tx, &r)?.stage {
        Stage::Open => Ok(()),
        Stage::Superseded => Err(Error::user(format!(
            "review #{} was superseded while this command ran",
            review.number
        ))
        .with_hint("run the command again; it will use the vendor's new review")),
        Stage::Submitted => Err(Error::user(format!(
            "review #{} of '{slug}' is submitted for a decision; its findings are frozen",
            review.number
        ))
        .with_hint(format!(
            "to record more, reopen it: `vetter review reopen {slug} --reason TEXT`"
        ))),
        Stage::Decided => Err(Error::user(format!(
            "review #{} of '{slug}' is decided; its findings are final",
            review.number
        ))
        .with_hint(format!(
            "start the next cycle with `vetter review start {slug}`; it carries these findings forward to re-confirm"
        ))),
    }
}

/// Inside a write transaction: refuses a new waiver while the vendor's
/// review awaits its decision. A waiver accepts a risk, and the approver
/// decides on the flags as submitted: a critical flag waived after the
/// submit would slip past the approver's override without their knowing.
pub fn ensure_not_awaiting_decision(
    tx: &crate::store::sql::Tx,
    vendor_id: i64,
    slug: &str,
) -> Result<()> {
    use crate::domain::decision::{Outcome, Stage};
    let Some(review) = store::review::current(tx, vendor_id)? else {
        return Ok(());
    };
    if Outcome::load(tx, &review)?.stage == Stage::Submitted {
        return Err(Error::user(format!(
            "review #{} of '{slug}' is submitted for a decision; waivers are frozen with its findings",
            review.number
        ))
        .with_hint(format!(
            "a waiver is part of what is decided: reopen the review (`vetter review reopen {slug} --reason TEXT`), waive, and submit it again"
        )));
    }
    Ok(())
}

/// Checks checklist item ids typed for a link (clause, evidence) against
/// every known checklist, with did-you-mean; returns them without duplicates.
pub fn check_item_ids(store: &Store, items: &[String]) -> Result<Vec<String>> {
    if items.is_empty() {
        return Ok(Vec::new());
    }
    let known: Vec<String> = checklist::all(store)?
        .iter()
        .flat_map(|c| c.items().map(|(_, i)| i.id.clone()))
        .collect();
    let mut out = Vec::new();
    for item in items {
        if !known.contains(item) {
            return Err(not_found(
                "checklist item",
                item,
                known.iter().map(String::as_str),
                "see `vetter checklist show backend-platform`",
            ));
        }
        if !out.contains(item) {
            out.push(item.clone());
        }
    }
    Ok(out)
}

/// Refuses a clause that does not exist or belongs to another vendor.
pub fn ensure_clause_of(store: &Store, clause: i64, vendor: &Vendor) -> Result<()> {
    let c = store::clause::by_id(store.conn(), clause)?;
    if c.vendor_id != vendor.id {
        return Err(Error::user(format!(
            "clause #{clause} belongs to vendor '{}', not '{}'",
            c.vendor, vendor.slug
        )));
    }
    Ok(())
}

/// Refuses evidence that does not exist or belongs to another vendor.
pub fn ensure_evidence_of(store: &Store, evidence: i64, vendor: &Vendor) -> Result<()> {
    let e = store::evidence::by_id(store.conn(), evidence)?;
    if e.vendor_id != vendor.id {
        return Err(Error::user(format!(
            "evidence #{evidence} belongs to vendor '{}', not '{}'",
            e.vendor, vendor.slug
        )));
    }
    Ok(())
}
