//! A packet directory on disk: its SHA256SUMS read back, the files it holds,
//! and the one decision whether a directory is a packet vetter wrote, so
//! that `export --force` may replace it.
//!
//! Both `verify --packet` and `export --force` read a directory someone else
//! may have changed since vetter wrote it, so nothing here trusts it: the
//! manifest is read through the bounded reader, only regular files count as
//! packet files, and a path in SHA256SUMS is used only when every component
//! of it is a plain name (no `..`, no root, no `.`).

use crate::error::{Error, Result};
use crate::store::audit::ChainHead;
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

/// The name of the manifest in every packet.
pub const MANIFEST: &str = "SHA256SUMS";

/// SHA256SUMS lists one line per file (about 150 bytes): 64 MiB is more than
/// 400,000 files, far beyond any packet, and still a bound on /dev/zero.
const MANIFEST_MAX_BYTES: u64 = 64 << 20;

/// SHA256SUMS as read back.
#[derive(Debug, Default)]
pub struct Manifest {
    /// The audit chain head of its comment line, when it has one.
    pub head: Option<ChainHead>,
    /// Path (relative, '/'-separated, inside the packet) -> lowercase SHA-256.
    pub listed: BTreeMap<String, String>,
    /// (line number, what is wrong with it): lines that are not a
    /// `SHA256  PATH` entry inside the packet, or repeat a path.
    pub bad_lines: Vec<(usize, String)>,
}

/// Reads `dir/SHA256SUMS`, bounded. Err when there is none, it is not a
/// regular file, or it is not UTF-8 text.
pub fn read_manifest(dir: &Path) -> Result<Manifest> {
    let bytes = read_manifest_bytes(dir)?;
    let text = String::from_utf8(bytes).map_err(|_| {
        Error::user(format!(
            "'{}' is not a packet: its {MANIFEST} is not UTF-8 text",
            dir.display()
        ))
        .with_hint("pass the directory `vetter export --out DIR` wrote")
    })?;
    Ok(parse_manifest(&text))
}

/// The exact bytes of `dir/SHA256SUMS` (what a signature covers), bounded.
pub fn read_manifest_bytes(dir: &Path) -> Result<Vec<u8>> {
    let path = dir.join(MANIFEST);
    let not_a_packet = |why: String| {
        Error::user(format!("'{}' is not a packet: {why}", dir.display()))
            .with_hint("pass the directory `vetter export --out DIR` wrote")
    };
    match std::fs::symlink_metadata(&path) {
        Ok(meta) if meta.is_file() => {}
        Ok(meta) => {
            return Err(not_a_packet(format!(
                "its {MANIFEST} is {}",
                crate::fsutil::kind_of(&meta)
            )))
        }
        Err(e) => return Err(not_a_packet(format!("cannot read its {MANIFEST} ({e})"))),
    }
    crate::validate::read_capped(
        &path,
        "manifest",
        MANIFEST_MAX_BYTES,
        "a packet's SHA256SUMS is a few kilobytes; this is not one vetter wrote",
    )
}

/// The lines of SHA256SUMS (GNU coreutils format, with vetter's head comment).
pub fn parse_manifest(text: &str) -> Manifest {
    let mut manifest = Manifest::default();
    for (n, line) in text.lines().enumerate() {
        if line.starts_with('#') {
            if let Some(h) = crate::report::parse_head_line(line) {
                manifest.head = Some(h);
            }
            continue;
        }
        let entry = line
            .split_once("  ")
            .filter(|(hash, _)| hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()));
        match entry {
            Some((_, path)) if manifest.listed.contains_key(path) => manifest
                .bad_lines
                .push((n + 1, format!("lists '{path}' a second time"))),
            Some((hash, path)) if is_inside(path) => {
                manifest
                    .listed
                    .insert(path.to_string(), hash.to_ascii_lowercase());
            }
            _ => manifest.bad_lines.push((
                n + 1,
                format!("not a 'SHA256  PATH' line inside the packet: {line:?}"),
            )),
        }
    }
    manifest
}

/// A packet.json of the packet, or of a vendor's packet in an `export
/// --all` directory.
pub fn is_packet_json(path: &str) -> bool {
    path == "packet.json" || path.ends_with("/packet.json")
}

/// A relative path that stays inside the packet: plain names only.
pub fn is_inside(path: &str) -> bool {
    !path.is_empty()
        && !path.contains('\\')
        && Path::new(path)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

/// One entry found under a packet directory.
#[derive(Debug)]
pub struct Entry {
    /// Relative to the packet, '/'-separated.
    pub path: String,
    pub kind: EntryKind,
}

#[derive(Debug, PartialEq, Eq)]
pub enum EntryKind {
    File,
    Dir,
    /// A symlink, FIFO, socket or device, described ("a symlink").
    Other(&'static str),
}

/// Everything under `dir` (not following symlinks), parents before their
/// contents, in name order.
pub fn entries(dir: &Path) -> Result<Vec<Entry>> {
    let mut out = Vec::new();
    walk(dir, dir, &mut out)?;
    Ok(out)
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<Entry>) -> Result<()> {
    let mut children: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| Error::user(format!("cannot list '{}': {e}", dir.display())))?
        .collect::<std::io::Result<_>>()
        .map_err(|e| Error::user(format!("cannot list '{}': {e}", dir.display())))?;
    children.sort_by_key(|c| c.file_name());
    for child in children {
        let path = child.path();
        let meta = std::fs::symlink_metadata(&path)
            .map_err(|e| Error::user(format!("cannot read '{}': {e}", path.display())))?;
        let relative = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        let kind = if meta.is_file() {
            EntryKind::File
        } else if meta.is_dir() {
            EntryKind::Dir
        } else {
            EntryKind::Other(crate::fsutil::kind_of(&meta))
        };
        let is_dir = kind == EntryKind::Dir;
        out.push(Entry {
            path: relative,
            kind,
        });
        if is_dir {
            walk(root, &path, out)?;
        }
    }
    Ok(())
}

/// What `export --force` may remove of an existing directory: exactly the
/// files a vetter packet wrote there, and the directories that hold them.
#[derive(Debug, Default)]
pub struct Replaceable {
    /// Files, relative to the directory (SHA256SUMS included).
    pub files: Vec<String>,
    /// Sub-directories, deepest first, so each is empty when it is removed.
    pub dirs: Vec<String>,
}

/// Decides whether the existing directory `dir` is ours to replace: an
/// empty directory, or a complete vetter packet, i.e. a SHA256SUMS that
/// vetter wrote (it carries the audit chain head, or lists a packet.json)
/// and that lists exactly the regular files present. Anything else, a file
/// a user added included, is refused with an error naming the first thing
/// that is not the packet's. Every command that replaces a directory calls
/// this first.
pub fn ours_to_replace(dir: &Path) -> Result<Replaceable> {
    let shown = dir.display();
    let refuse = |why: String| {
        Error::user(format!(
            "'{shown}' is not a complete vetter packet ({why}); --force replaces only a packet vetter wrote, and deletes nothing else"
        ))
        .with_hint("choose a new --out, or move that file or directory away first")
    };
    let meta = std::fs::symlink_metadata(dir)
        .map_err(|e| Error::user(format!("cannot read '{shown}': {e}")))?;
    if !meta.is_dir() {
        return Err(refuse(format!("it is {}", crate::fsutil::kind_of(&meta))));
    }
    let found = entries(dir)?;
    if found.is_empty() {
        return Ok(Replaceable::default());
    }
    let manifest = match read_manifest(dir) {
        Ok(m) => m,
        Err(_) if !found.iter().any(|e| e.path == MANIFEST) => {
            return Err(refuse(format!(
                "it has no {MANIFEST}, and holds '{}'",
                found[0].path
            )));
        }
        Err(e) => return Err(refuse(e.message)),
    };
    if let Some((line, why)) = manifest.bad_lines.first() {
        return Err(refuse(format!("{MANIFEST} line {line} {why}")));
    }
    let lists_packet_json = manifest.listed.keys().any(|p| is_packet_json(p));
    if manifest.head.is_none() && !lists_packet_json {
        let held = found
            .iter()
            .find(|e| e.path != MANIFEST)
            .map(|e| format!(", and it holds '{}'", e.path))
            .unwrap_or_default();
        return Err(refuse(format!(
            "its {MANIFEST} is not one vetter wrote: it has no audit chain head line and lists no packet.json{held}"
        )));
    }
    let mut replaceable = Replaceable::default();
    for entry in &found {
        match entry.kind {
            EntryKind::File
                if entry.path == MANIFEST
                    || entry.path == crate::signature::FILE
                    || manifest.listed.contains_key(&entry.path) =>
            {
                replaceable.files.push(entry.path.clone())
            }
            EntryKind::File => {
                return Err(refuse(format!(
                    "'{}' is not listed in its {MANIFEST}",
                    entry.path
                )))
            }
            EntryKind::Dir => {
                // The listed paths are sorted: the first at or after the
                // prefix is inside the directory if any is.
                let prefix = format!("{}/", entry.path);
                let holds_listed = manifest
                    .listed
                    .range(prefix.clone()..)
                    .next()
                    .is_some_and(|(p, _)| p.starts_with(&prefix));
                if !holds_listed {
                    return Err(refuse(format!(
                        "the directory '{}' holds no file the packet lists",
                        entry.path
                    )));
                }
                replaceable.dirs.push(entry.path.clone());
            }
            EntryKind::Other(kind) => {
                return Err(refuse(format!("'{}' is {kind}", entry.path)));
            }
        }
    }
    let present: std::collections::HashSet<&str> =
        replaceable.files.iter().map(String::as_str).collect();
    if let Some(missing) = manifest
        .listed
        .keys()
        .find(|p| !present.contains(p.as_str()))
    {
        return Err(refuse(format!(
            "'{missing}', listed in its {MANIFEST}, is missing"
        )));
    }
    // Deepest first: "a/b" before "a".
    replaceable
        .dirs
        .sort_by_key(|d| std::cmp::Reverse(d.matches('/').count()));
    Ok(replaceable)
}

/// Removes what `ours_to_replace` found, from wherever the directory now is
/// (`export --force` moves the old packet aside first). A file or directory
/// that is no longer the packet's (someone wrote into it meanwhile) is left
/// in place; the paths left behind are returned.
pub fn remove_replaced(dir: &Path, replaced: &Replaceable) -> Vec<PathBuf> {
    for file in &replaced.files {
        let _ = std::fs::remove_file(dir.join(file));
    }
    for sub in &replaced.dirs {
        let _ = std::fs::remove_dir(dir.join(sub));
    }
    match std::fs::remove_dir(dir) {
        Ok(()) => Vec::new(),
        Err(_) => std::fs::read_dir(dir)
            .map(|d| d.flatten().map(|e| e.path()).collect())
            .unwrap_or_else(|_| vec![dir.to_path_buf()]),
    }
}
