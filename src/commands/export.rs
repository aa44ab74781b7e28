//! `vetter export`: writes audit packets. A packet is built in a temporary
//! directory beside --out, every file fsynced, then renamed into place, so
//! the final name holds a whole packet or nothing. Export reads the database
//! only; it records no audit event (that would change the next export).

use super::find_vendor;
use crate::cli::ExportArgs;
use crate::domain::as_decided;
use crate::error::{Error, Result};
use crate::fsutil;
use crate::model::{PacketFormat, Vendor};
use crate::output;
use crate::packet_dir;
use crate::report::{self, pdf::font::Fonts, Packet};
use crate::store::{self, audit::ChainHead, Store};
use crate::Env;
use chrono::NaiveDate;
use sha2::{Digest, Sha256};
use std::fs::{self, File};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Which moment a packet's records are read as of.
#[derive(Clone, Copy)]
enum Records {
    /// As they stand.
    Now,
    /// As they stood right after this audit event (`--as-of` a moment
    /// before the newest event).
    AsOf(i64),
    /// As they stood when the review was decided (`--as-decided`), with
    /// what changed since.
    AsDecided,
}

/// What one export writes, decided once from the command line.
struct Settings {
    formats: Vec<PacketFormat>,
    excel: bool,
    /// Loaded exactly when the PDF is wanted.
    fonts: Option<Fonts>,
    /// No `--font` given: characters the bundled face lacks may be drawn
    /// from the machine's own fonts.
    system_fonts: bool,
    as_of: NaiveDate,
    /// Which moment the records are read as of.
    records: Records,
    actor: String,
    /// `--sign KEY`: the key SHA256SUMS is signed with.
    key: Option<crate::signature::SigningKey>,
    /// `--sign-pdf CERT`: the certificate and key packet.pdf is signed with,
    /// and the time the signature says.
    pdf_signer: Option<(
        crate::signature::pades::PdfSigner,
        chrono::DateTime<chrono::Utc>,
    )>,
}

pub fn run(args: ExportArgs, env: &Env, store: &Store) -> Result<()> {
    let (as_of, records) = moment(args.as_of.as_deref(), args.as_decided, env, store)?;
    let formats = args.format.clone();
    // Load the font before touching the file system: a bad --font changes nothing.
    let fonts = if formats.contains(&PacketFormat::Pdf) {
        Some(Fonts::load(&args.font)?)
    } else {
        None
    };
    // The keys too: a bad --sign or --sign-pdf changes nothing.
    let key = args
        .sign
        .as_deref()
        .map(crate::signature::load_signing_key)
        .transpose()?;
    if args.sign_pdf.is_some() && !formats.contains(&PacketFormat::Pdf) {
        return Err(
            Error::user("--sign-pdf signs packet.pdf, and --format leaves it out")
                .with_hint("add pdf to --format, e.g. --format pdf,csv,json"),
        );
    }
    let pdf_signer = args
        .sign_pdf
        .as_deref()
        .map(|spec| crate::signature::pades::load(spec, env.now).map(|s| (s, env.now)))
        .transpose()?;
    let settings = Settings {
        formats,
        excel: args.excel,
        fonts,
        system_fonts: args.font.is_empty(),
        as_of,
        records,
        actor: env.actor.clone(),
        key,
        pdf_signer,
    };
    let vendor = match &args.vendor {
        Some(slug) => Some(find_vendor(store, slug)?),
        None => None,
    };
    let staging = Staging::begin(&args.out, args.force)?;
    let result = match &vendor {
        Some(vendor) => {
            export_one(store, vendor, args.review, &settings, &staging.path).and_then(|done| {
                let manifest = done.manifest;
                write_manifest(&staging.path, &manifest, done.head.as_ref())?;
                sign_manifest(&staging.path, &settings)?;
                warn_missing(&done.missing, &settings);
                let basis = match &done.as_decided {
                    Some(d) => format!(
                        "as decided: {} by {} on {}, {} changed since",
                        d.decision,
                        d.decided_by,
                        output::day(&d.decided_at),
                        done.changed
                    ),
                    None => format!("as of {as_of}"),
                };
                Ok(format!(
                    "wrote the packet of '{}' (review #{}, {basis}): {} files{}",
                    vendor.slug,
                    done.review,
                    manifest.len() + 1,
                    done.pages
                        .map(|p| format!(", {p}-page PDF"))
                        .unwrap_or_default()
                ))
            })
        }
        None => export_all(env, store, &settings, &staging.path),
    };
    match result {
        Ok(message) => {
            if let Err(e) = staging.commit() {
                // Whatever step failed, the temporary directory goes.
                staging.abandon();
                return Err(e);
            }
            output::note(format!("{message}\n{}", args.out.display()));
            Ok(())
        }
        Err(e) => {
            staging.abandon();
            Err(e)
        }
    }
}

/// The date the packet speaks for and the moment its records are read as
/// of: --as-of (a date or a time; before the newest event, the records as
/// they stood then), else SOURCE_DATE_EPOCH's date or today, with the
/// records as they stand. Never in the future. With --as-decided the date
/// is today's for the "now" side; each packet takes its decision's.
fn moment(
    typed: Option<&str>,
    as_decided: bool,
    env: &Env,
    store: &Store,
) -> Result<(NaiveDate, Records)> {
    let Some(text) = typed else {
        let records = if as_decided {
            Records::AsDecided
        } else {
            Records::Now
        };
        return Ok((as_of(env)?, records));
    };
    let moment = crate::domain::as_decided::Moment::past("--as-of", text, env.today())?;
    let event = moment.event(store, "--as-of")?;
    let newest = store::audit::last_id(store.conn())?;
    let records = if Some(event) == newest {
        Records::Now
    } else {
        Records::AsOf(event)
    };
    Ok((moment.day, records))
}

/// SOURCE_DATE_EPOCH's date, else today; never in the future.
fn as_of(env: &Env) -> Result<NaiveDate> {
    let date = match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(text) if !text.trim().is_empty() => text
            .trim()
            .parse::<i64>()
            .ok()
            .and_then(|s| chrono::DateTime::from_timestamp(s, 0))
            .map(|t| t.date_naive())
            .ok_or_else(|| {
                Error::user(format!("invalid SOURCE_DATE_EPOCH '{text}'")).with_hint(
                    "SOURCE_DATE_EPOCH is seconds since 1970-01-01 UTC, e.g. 1795651200, or unset",
                )
            })?,
        _ => env.today(),
    };
    if date > env.today() {
        return Err(Error::user(format!(
            "the as-of date {date} is in the future (today is {})",
            env.today()
        ))
        .with_hint(
            "a packet cannot speak for a day that has not come; pass --as-of today or earlier",
        ));
    }
    Ok(date)
}

/// The packet directory under construction.
struct Staging {
    path: PathBuf,
    out: PathBuf,
    /// What the existing packet at --out holds, when --force replaces one:
    /// exactly the files it wrote, removed once the new packet is in place.
    replaced: Option<packet_dir::Replaceable>,
    /// Parent directories of --out this export created, outermost first;
    /// removed again when the export fails, so a failure leaves nothing.
    created: Vec<PathBuf>,
}

impl Staging {
    fn begin(out: &Path, force: bool) -> Result<Staging> {
        let name = out
            .file_name()
            .filter(|n| !n.is_empty() && *n != "..")
            .ok_or_else(|| {
                Error::user(format!(
                    "--out '{}' does not name a directory",
                    out.display()
                ))
                .with_hint(
                    "pass the path of the packet directory to create, e.g. --out packets/acme",
                )
            })?;
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let mut replaced = None;
        if fs::symlink_metadata(out).is_ok() {
            if !force {
                return Err(
                    Error::user(format!("'{}' already exists", out.display())).with_hint(
                        "choose a new --out, or pass --force to replace an earlier packet there",
                    ),
                );
            }
            // --force replaces a whole vetter packet, never a user's file.
            replaced = Some(packet_dir::ours_to_replace(out)?);
        }
        let created = create_parents(&parent).map_err(|e| {
            Error::user(format!(
                "cannot create the directory '{}' for '{}': {e}",
                parent.display(),
                out.display()
            ))
            .with_hint("choose an --out inside a directory you can write")
        })?;
        let name = name.to_string_lossy();
        remove_unfinished(&parent, &name);
        let path = new_staging_dir(&parent, &name).map_err(|e| {
            remove_created(&created);
            Error::user(format!(
                "cannot create the packet beside '{}': {e}",
                out.display()
            ))
            .with_hint("check that the directory is writable, or choose another --out")
        })?;
        Ok(Staging {
            path,
            out: out.to_path_buf(),
            replaced,
            created,
        })
    }

    /// Renames the finished packet to its final name. A packet replaced by
    /// --force is first moved aside, and only the files it wrote are removed
    /// once the new one is in place.
    fn commit(&self) -> Result<()> {
        sync_dir(&self.path)?;
        let mut aside = None;
        if self.replaced.is_some() {
            let file_name = self
                .out
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            let old = self
                .path
                .with_file_name(format!(".{file_name}.old-{}", std::process::id()));
            fs::rename(&self.out, &old).map_err(|e| write_error(&self.out, e))?;
            aside = Some(old);
        }
        if let Err(e) = fs::rename(&self.path, &self.out) {
            if let Some(old) = &aside {
                let _ = fs::rename(old, &self.out);
            }
            let _ = fs::remove_dir_all(&self.path);
            return Err(write_error(&self.out, e));
        }
        if let Some(parent) = self.out.parent().filter(|p| !p.as_os_str().is_empty()) {
            sync_dir(parent)?;
        }
        if let (Some(old), Some(replaced)) = (&aside, &self.replaced) {
            let left = packet_dir::remove_replaced(old, replaced);
            if !left.is_empty() {
                output::note(format!(
                    "note: the replaced packet was moved to {} and not removed: it now holds files the packet did not write ({})",
                    old.display(),
                    left.iter()
                        .map(|p| p.display().to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
        }
        Ok(())
    }

    fn abandon(self) {
        // The staging directory is this process's own, made new above.
        let _ = fs::remove_dir_all(&self.path);
        remove_created(&self.created);
    }
}

/// Removes the parent directories an export created (outermost first in
/// `created`), innermost first, each only if still empty: never what
/// someone else put there.
fn remove_created(created: &[PathBuf]) {
    for dir in created.iter().rev() {
        let _ = fs::remove_dir(dir);
    }
}

/// Removes the temporary directories `.NAME.tmp-PID[-N]` that an export to
/// the same --out left when it was interrupted (Ctrl-C, a kill, a crash):
/// only those whose process is gone, so an export running now is never
/// touched. A replaced packet set aside as `.NAME.old-PID` is left alone: it
/// may be the only copy.
fn remove_unfinished(parent: &Path, name: &str) {
    let prefix = format!(".{name}.tmp-");
    fsutil::remove_stale(
        parent,
        fsutil::Leftover::Dir,
        "an interrupted export",
        |n| {
            let rest = n.strip_prefix(&prefix)?;
            // `-N` follows the pid when a name of the same pid was in the way.
            let pid = match rest.split_once('-') {
                Some((pid, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => pid,
                Some(_) => return None,
                None => rest,
            };
            fsutil::pid_in_name(pid, "", &[""])
        },
    );
}

/// Creates the directory a packet is built in, `.NAME.tmp-PID` beside
/// --out, or `.NAME.tmp-PID-N` when a process of the same number left one:
/// always a new directory, so nothing is removed to make room for it.
fn new_staging_dir(parent: &Path, name: &str) -> std::io::Result<PathBuf> {
    let pid = std::process::id();
    for attempt in 0..100u32 {
        let path = match attempt {
            0 => parent.join(format!(".{name}.tmp-{pid}")),
            n => parent.join(format!(".{name}.tmp-{pid}-{n}")),
        };
        match fsutil::create_private_dir(&path) {
            Ok(()) => return Ok(path),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::other(format!(
        "100 temporary directories .{name}.tmp-{pid}* of this process are in the way; remove them"
    )))
}

/// Creates `dir` and its missing ancestors, each readable only by us (0700:
/// packets hold contracts and findings). Returns those it created, outermost
/// first.
fn create_parents(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let missing: Vec<&Path> = dir.ancestors().take_while(|d| !d.exists()).collect();
    let mut created = Vec::new();
    for d in missing.into_iter().rev() {
        if d.as_os_str().is_empty() {
            continue;
        }
        if let Err(e) = fsutil::create_private_dir(d) {
            remove_created(&created);
            return Err(e);
        }
        created.push(d.to_path_buf());
    }
    if !dir.is_dir() {
        return Err(std::io::Error::other("it exists and is not a directory"));
    }
    Ok(created)
}

fn write_error(path: &Path, e: std::io::Error) -> Error {
    crate::error::write_failed(
        path,
        &e,
        "nothing was exported",
        "choose an --out on another disk",
    )
}

fn sync_dir(path: &Path) -> Result<()> {
    File::open(path)
        .and_then(|d| d.sync_all())
        .map_err(|e| write_error(path, e))
}

/// A file being written into the packet, hashed on the way.
struct PacketFile {
    path: PathBuf,
    file: std::io::BufWriter<File>,
    hasher: Sha256,
    /// The first write error (a full disk), reported with the file's path.
    failed: Option<std::io::Error>,
}

impl PacketFile {
    fn create(path: PathBuf) -> Result<PacketFile> {
        // A new file in the new packet directory: owner-only, like the directory.
        let file = fsutil::create_private_file(&path).map_err(|e| write_error(&path, e))?;
        Ok(PacketFile {
            path,
            file: std::io::BufWriter::with_capacity(64 * 1024, file),
            hasher: Sha256::new(),
            failed: None,
        })
    }

    /// Keeps the first I/O error to report it with the path.
    fn failed(&mut self, e: std::io::Error) -> std::io::Error {
        let copy = std::io::Error::new(e.kind(), e.to_string());
        self.failed.get_or_insert(e);
        copy
    }

    /// Flushes and fsyncs; returns the SHA-256 of what was written.
    fn finish(self) -> Result<String> {
        let path = self.path;
        let file = self
            .file
            .into_inner()
            .map_err(|e| write_error(&path, e.into_error()))?;
        file.sync_all().map_err(|e| write_error(&path, e))?;
        Ok(crate::digest::hex(&self.hasher.finalize()))
    }
}

impl Write for PacketFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self.file.write(buf) {
            Ok(n) => {
                self.hasher.update(&buf[..n]);
                Ok(n)
            }
            Err(e) => Err(self.failed(e)),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush().map_err(|e| self.failed(e))
    }
}

/// (path relative to the packet, sha256) of every file written.
type Manifest = Vec<(String, String)>;

/// Writes one file of the packet through `fill`, recording its hash.
fn write_file(
    dir: &Path,
    relative: &str,
    manifest: &mut Manifest,
    fill: impl FnOnce(&mut PacketFile) -> Result<()>,
) -> Result<String> {
    // The one place a packet file is named: a path that would leave the
    // packet directory is refused, whatever built it.
    if !packet_dir::is_inside(relative) {
        return Err(Error::internal(format!(
            "refusing to write '{}' outside the packet directory",
            relative.escape_debug()
        )));
    }
    let mut file = PacketFile::create(dir.join(relative))?;
    if let Err(e) = fill(&mut file) {
        return Err(match file.failed.take() {
            Some(io) => write_error(&file.path, io),
            None => e,
        });
    }
    let hash = file.finish()?;
    manifest.push((relative.to_string(), hash.clone()));
    Ok(hash)
}

/// SHA256SUMS in GNU coreutils format ("HASH  PATH"), sorted by path,
/// after a comment line with the audit chain head (`sha256sum -c` skips
/// lines starting with '#'); returns its own hash.
fn write_manifest(dir: &Path, manifest: &Manifest, head: Option<&ChainHead>) -> Result<String> {
    let mut sorted: Vec<&(String, String)> = manifest.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    let mut ignored = Vec::new();
    write_file(dir, "SHA256SUMS", &mut ignored, |f| {
        if let Some(head) = head {
            writeln!(f, "{}", crate::report::head_line(head))?;
        }
        for (path, hash) in sorted {
            writeln!(f, "{hash}  {path}")?;
        }
        Ok(())
    })
}

/// With `--sign`, SHA256SUMS.sig over the SHA256SUMS just written (inside
/// the staging directory: the packet appears signed or not at all).
fn sign_manifest(dir: &Path, settings: &Settings) -> Result<()> {
    let Some(key) = &settings.key else {
        return Ok(());
    };
    let manifest = crate::packet_dir::read_manifest_bytes(dir)?;
    let pem = crate::signature::sign(key, &manifest)?;
    let mut ignored = Vec::new();
    write_file(dir, crate::signature::FILE, &mut ignored, |f| {
        Ok(f.write_all(pem.as_bytes())?)
    })?;
    Ok(())
}

/// packet.pdf with a PAdES signature added as an incremental update.
fn sign_pdf(
    pdf: Vec<u8>,
    signer: &crate::signature::pades::PdfSigner,
    at: chrono::DateTime<chrono::Utc>,
    vendor: &str,
    review: i64,
) -> Result<Vec<u8>> {
    use report::pdf::signature_field;
    let name = signer.name();
    let reason = format!("vetter audit packet of {vendor}, review #{review}");
    let prepared = signature_field::prepare(
        &pdf,
        &signature_field::SignatureInfo {
            signed_at: at,
            name: &name,
            reason: &reason,
        },
    )?;
    let cms = crate::signature::pades::sign(signer, prepared.signed_bytes())?;
    prepared.fill(&cms)
}

struct Exported {
    review: i64,
    /// The decision the packet is as of (--as-decided), and how many
    /// records changed since.
    as_decided: Option<crate::domain::as_decided::AsDecided>,
    changed: usize,
    /// The audit chain head the packet carries.
    head: Option<ChainHead>,
    manifest: Manifest,
    pages: Option<usize>,
    missing: std::collections::BTreeMap<char, usize>,
    packet: PortfolioRow,
}

fn export_one(
    store: &Store,
    vendor: &Vendor,
    review: Option<i64>,
    settings: &Settings,
    dir: &Path,
) -> Result<Exported> {
    // The packet and the chain head it carries come from one snapshot.
    store.read_snapshot(|| {
        let packet = match settings.records {
            Records::Now => packet_now(store, vendor, review, settings)?,
            Records::AsOf(event) => {
                let then = as_decided::vendor_then(store, vendor, event)?;
                report::gather(
                    &then.store,
                    &then.profile,
                    &then.vendor,
                    review,
                    settings.as_of,
                    &settings.actor,
                )?
            }
            Records::AsDecided => packet_as_decided(store, vendor, review, settings)?,
        };
        // Evidence content never changes: it is read from the live register.
        write_packet(store, packet, settings, dir)
    })
}

/// The packet of the records as they stand, on the export's date.
fn packet_now(
    store: &Store,
    vendor: &Vendor,
    review: Option<i64>,
    settings: &Settings,
) -> Result<Packet> {
    let profile = crate::profile::load(store)?;
    report::gather(
        store,
        &profile,
        vendor,
        review,
        settings.as_of,
        &settings.actor,
    )
}

/// The packet of the review's decision: gathered from the register as it
/// stood right after the decision's event, on the decision's day, with
/// what reads otherwise in the same review's packet today.
fn packet_as_decided(
    store: &Store,
    vendor: &Vendor,
    review: Option<i64>,
    settings: &Settings,
) -> Result<Packet> {
    let decided = as_decided::last_decision(store, vendor, review)?;
    let day = as_decided::day_of(&decided.decided_at)?;
    let then = as_decided::vendor_then(store, vendor, decided.event)?;
    let mut packet = report::gather(
        &then.store,
        &then.profile,
        &then.vendor,
        Some(decided.review),
        day,
        &settings.actor,
    )?;
    let now = packet_now(store, vendor, Some(decided.review), settings)?;
    let mut changes = report::changes::between(&packet, &now);
    // A later cycle is a change of its own: the decided review is no
    // longer the vendor's current one.
    if let Some(current) = store::review::current(store.conn(), vendor.id)? {
        if current.number != decided.review {
            changes.push(report::changes::ChangeRow {
                record: "review",
                id: format!("#{}", current.number),
                field: "added".into(),
                decided: String::new(),
                now: format!(
                    "review #{} started {}",
                    current.number,
                    output::day(&current.started_at)
                ),
            });
        }
    }
    packet.changed_since = Some(report::changes::ChangedSince {
        format_version: report::changes::FORMAT_VERSION,
        as_decided: decided.clone(),
        now: settings.as_of.to_string(),
        changes,
    });
    packet.as_decided = Some(decided);
    Ok(packet)
}

/// Writes the packet's files. The PDF comes last: once it is laid out the
/// packet is dropped, before its pages are converted, the step that needs
/// the most memory. (The files' order is no part of the packet: SHA256SUMS
/// is sorted.)
fn write_packet(
    store: &Store,
    packet: Packet,
    settings: &Settings,
    dir: &Path,
) -> Result<Exported> {
    let mut manifest = Manifest::new();
    let mut pages = None;
    let mut missing = Default::default();
    if settings.formats.contains(&PacketFormat::Csv) {
        for table in report::csv::tables(&packet) {
            write_file(dir, table.file, &mut manifest, |f| {
                report::csv::write(f, table.header, &table.rows, settings.excel)
            })?;
        }
    }
    if settings.formats.contains(&PacketFormat::Json) {
        write_file(dir, "packet.json", &mut manifest, |f| {
            report::json::write(f, &packet)
        })?;
        if let Some(changed) = &packet.changed_since {
            write_file(dir, "changed-since.json", &mut manifest, |f| {
                report::json::write_value(f, changed)
            })?;
        }
    }
    let as_decided = packet.as_decided.clone();
    let changed = packet.changed_since.as_ref().map_or(0, |c| c.changes.len());
    let mut written = std::collections::BTreeSet::new();
    for row in &packet.evidence {
        let (Some(hash), Some(path)) = (&row.evidence.sha256, &row.packet_path) else {
            continue;
        };
        if !written.insert(path.clone()) {
            continue;
        }
        if written.len() == 1 {
            fsutil::create_private_dir(&dir.join("evidence"))
                .map_err(|e| write_error(&dir.join("evidence"), e))?;
        }
        let mut actual = String::new();
        write_file(dir, path, &mut manifest, |f| {
            actual = store::evidence::read_blob(store.conn(), hash, f)?;
            Ok(())
        })?;
        if &actual != hash {
            return Err(Error::check_failed(format!(
                "evidence #{}'s stored content no longer matches its SHA-256 {hash}",
                row.evidence.id
            ))
            .with_hint("run `vetter verify`; the packet was not written"));
        }
    }
    let review = packet.review.number;
    let vendor_name = packet.vendor.name.clone();
    let head = packet.audit_chain.head.clone();
    let portfolio = PortfolioRow::of(&packet);
    if let Some(fonts) = &settings.fonts {
        let mut laid = report::pdf::lay_out(&packet, fonts);
        // Characters the bundled face lacks, with no --font: drawn from the
        // machine's own fonts when one has them, and said so.
        let mut system = None;
        if settings.system_fonts && !laid.missing().is_empty() {
            let lacking: std::collections::BTreeSet<char> =
                laid.missing().keys().copied().collect();
            if let Some((more, paths)) = Fonts::with_system_fallbacks(&lacking) {
                laid = report::pdf::lay_out(&packet, &more);
                output::note(drawn_from_machine("packet.pdf", lacking.len(), &paths));
                system = Some(more);
            }
        }
        drop(packet);
        // mimalloc would keep the packet's pages for reuse by allocations
        // of the same sizes, which the conversion does not make.
        crate::memory::release_freed();
        let mut rendered = laid.write(system.as_ref().unwrap_or(fonts))?;
        if let Some((signer, at)) = &settings.pdf_signer {
            rendered.bytes = sign_pdf(rendered.bytes, signer, *at, &vendor_name, review)?;
        }
        write_file(dir, "packet.pdf", &mut manifest, |f| {
            Ok(f.write_all(&rendered.bytes)?)
        })?;
        pages = Some(rendered.pages);
        missing = rendered.missing;
    }
    Ok(Exported {
        review,
        as_decided,
        changed,
        head,
        manifest,
        pages,
        missing,
        packet: portfolio,
    })
}

/// What vetter says when the machine's fonts drew what the bundled face
/// lacks.
pub(super) fn drawn_from_machine(
    file: &str,
    lacking: usize,
    paths: &[std::path::PathBuf],
) -> String {
    let shown: Vec<String> = paths.iter().map(|p| format!("'{}'", p.display())).collect();
    format!(
        "{file}: {lacking} character{} the bundled face lacks drawn from this machine's {} (pass --font to choose)",
        if lacking == 1 { "" } else { "s" },
        shown.join(", ")
    )
}

fn warn_missing(missing: &std::collections::BTreeMap<char, usize>, settings: &Settings) {
    let source = settings
        .fonts
        .as_ref()
        .map_or(String::new(), |f| f.source.clone());
    warn_missing_glyphs("packet.pdf", &source, missing);
}

/// One warning for every character the fonts lack: how many, how often,
/// and a sample (a packet of Japanese text lacked about 70, one line each).
pub(super) fn warn_missing_glyphs(
    file: &str,
    source: &str,
    missing: &std::collections::BTreeMap<char, usize>,
) {
    if missing.is_empty() {
        return;
    }
    let uses: usize = missing.values().sum();
    // The most used first: the sample shows what the reader will miss most.
    let mut by_use: Vec<(&char, &usize)> = missing.iter().collect();
    by_use.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let sample: Vec<String> = by_use
        .iter()
        .take(8)
        .map(|(c, _)| format!("'{c}' U+{:04X}", **c as u32))
        .collect();
    output::note(format!(
        "warning: {file}: no font ({source}) has a glyph for {} character{} ({uses} use{}), drawn as boxes, e.g. {}{}. Add --font FILE with a face that has them.",
        missing.len(),
        if missing.len() == 1 { "" } else { "s" },
        if uses == 1 { "" } else { "s" },
        sample.join(", "),
        if missing.len() > sample.len() { ", ..." } else { "" }
    ));
}

/// One row of portfolio.csv.
struct PortfolioRow {
    cells: Vec<String>,
}

const PORTFOLIO_HEADER: &[&str] = &[
    "vendor",
    "name",
    "tier",
    "review",
    "review_state",
    "decision",
    "coverage",
    "compliance",
    "rating",
    "items",
    "unknown",
    "not_met",
    "flags_critical",
    "flags_high",
    "flags_medium",
    "flags_info",
    "flags_waived",
    "open_questions",
    "overdue_questions",
    "next_review",
    "dpa_not_reviewed",
    "packet",
];

impl PortfolioRow {
    fn of(p: &Packet) -> PortfolioRow {
        let t = &p.summary.totals;
        let coverage = t.coverage().percent().unwrap_or_default();
        let flags = |s: &str| {
            p.summary
                .flags_by_severity
                .get(s)
                .copied()
                .unwrap_or(0)
                .to_string()
        };
        PortfolioRow {
            cells: vec![
                p.vendor.slug.clone(),
                p.vendor.name.clone(),
                p.vendor.tier.map(|t| t.to_string()).unwrap_or_default(),
                p.review.number.to_string(),
                p.signoff.stage.to_string(),
                p.decision.clone(),
                coverage,
                p.summary
                    .score
                    .compliance
                    .map(crate::domain::score::percent)
                    .unwrap_or_default(),
                p.summary.score.rating.to_string(),
                t.total().to_string(),
                t.unknown.to_string(),
                t.not_met.to_string(),
                flags("critical"),
                flags("high"),
                flags("medium"),
                flags("info"),
                p.summary.waived_flags.to_string(),
                p.summary.open_questions.to_string(),
                p.summary.overdue_questions.to_string(),
                // Decided: when the vendor is due again; else the review's due date.
                p.signoff
                    .next_review
                    .clone()
                    .or_else(|| p.review.due.clone())
                    .unwrap_or_default(),
                p.summary
                    .unreviewed_clause_kinds
                    .iter()
                    .map(|k| k.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
                format!("{}/", p.vendor.slug),
            ],
        }
    }

    /// A vendor with no review: listed, without a packet.
    fn unreviewed(v: &Vendor) -> PortfolioRow {
        let mut cells = vec![String::new(); PORTFOLIO_HEADER.len()];
        cells[0] = v.slug.clone();
        cells[1] = v.name.clone();
        cells[2] = v.tier.map(|t| t.to_string()).unwrap_or_default();
        cells[5] = "no review started".into();
        PortfolioRow { cells }
    }
}

/// Every active vendor's packet in `dir/<slug>/`, portfolio.csv and one
/// SHA256SUMS over all of it. Vendors are shared among worker threads, each
/// with its own connection; only the small portfolio rows are kept.
fn export_all(env: &Env, store: &Store, settings: &Settings, dir: &Path) -> Result<String> {
    // As of a past moment: the vendors on the register then, not archived
    // then, as their rows stood.
    let vendors = match settings.records {
        Records::AsOf(event) => store::as_of::vendors_then(store, event)?
            .into_iter()
            .filter(|v| v.archived_at.is_none())
            .collect(),
        _ => store::vendor::list(store.conn(), false)?,
    };
    let total = vendors.len();
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(1, 8);
    let (send, receive) = std::sync::mpsc::channel::<(usize, Result<Option<Exported>>)>();
    let progress = std::io::stderr().is_terminal();
    let mut rows: Vec<Option<PortfolioRow>> = (0..total).map(|_| None).collect();
    let mut manifest = Manifest::new();
    let mut missing: std::collections::BTreeMap<char, usize> = Default::default();
    let mut failure = None;
    let mut packets = 0;
    std::thread::scope(|scope| {
        for _ in 0..workers.min(total.max(1)) {
            let send = send.clone();
            let (next, stop, vendors) = (&next, &stop, &vendors);
            scope.spawn(move || {
                let store = match env.open_store(crate::store::Access::Read) {
                    Ok(s) => s,
                    Err(e) => {
                        let _ = send.send((0, Err(e)));
                        return;
                    }
                };
                while !stop.load(Ordering::Relaxed) {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(vendor) = vendors.get(i) else { break };
                    let result = export_vendor(&store, vendor, settings, dir);
                    // A packet allocates and frees tens of MB; mimalloc keeps
                    // freed pages for reuse, and over a portfolio the kept
                    // pages added up to more than the memory target.
                    crate::memory::release_freed();
                    if send.send((i, result)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(send);
        for (done, (i, result)) in receive.into_iter().enumerate() {
            match result {
                Ok(Some(exported)) => {
                    let slug = &vendors[i].slug;
                    manifest.extend(
                        exported
                            .manifest
                            .into_iter()
                            .map(|(p, h)| (format!("{slug}/{p}"), h)),
                    );
                    for (c, n) in exported.missing {
                        *missing.entry(c).or_default() += n;
                    }
                    rows[i] = Some(exported.packet);
                    packets += 1;
                }
                Ok(None) => rows[i] = Some(PortfolioRow::unreviewed(&vendors[i])),
                Err(e) => {
                    stop.store(true, Ordering::Relaxed);
                    failure.get_or_insert(e);
                }
            }
            if progress {
                let width = 30;
                let filled = (done + 1) * width / total.max(1);
                eprint!(
                    "\rexporting [{}{}] {}/{total}",
                    "#".repeat(filled),
                    " ".repeat(width - filled),
                    done + 1
                );
            }
        }
    });
    if progress {
        eprintln!();
    }
    if let Some(e) = failure {
        return Err(e);
    }
    let rows: Vec<Vec<String>> = rows.into_iter().flatten().map(|r| r.cells).collect();
    write_file(dir, "portfolio.csv", &mut manifest, |f| {
        report::csv::write(f, PORTFOLIO_HEADER, &rows, settings.excel)
    })?;
    // The head after every vendor's packet was gathered: the newest any of
    // them can carry.
    write_manifest(dir, &manifest, store::audit::head(store.conn())?.as_ref())?;
    sign_manifest(dir, settings)?;
    warn_missing(&missing, settings);
    Ok(format!(
        "wrote {packets} packet{} of {total} vendor{} (as of {}) and portfolio.csv",
        if packets == 1 { "" } else { "s" },
        if total == 1 { "" } else { "s" },
        settings.as_of
    ))
}

/// One vendor's packet in `dir/<slug>/`; None when it has no review.
fn export_vendor(
    store: &Store,
    vendor: &Vendor,
    settings: &Settings,
    dir: &Path,
) -> Result<Option<Exported>> {
    let reviewed = match settings.records {
        Records::AsOf(event) => store::as_of::reviewed_then(store.conn(), vendor.id, event)?,
        _ => store::review::current(store.conn(), vendor.id)?.is_some(),
    };
    if !reviewed {
        return Ok(None);
    }
    let sub = dir.join(crate::stored_path::slug(&vendor.slug)?);
    fsutil::create_private_dir(&sub).map_err(|e| write_error(&sub, e))?;
    let mut exported = export_one(store, vendor, None, settings, &sub)?;
    let sums = write_manifest(&sub, &exported.manifest, exported.head.as_ref())?;
    exported.manifest.push(("SHA256SUMS".into(), sums));
    Ok(Some(exported))
}
