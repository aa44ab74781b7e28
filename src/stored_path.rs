//! Paths built from values read back from the register. The database file
//! can be edited outside vetter (`verify` exists because it can), so a
//! stored value is never trusted as a path: every path vetter builds from
//! one goes through a constructor here, which checks the value first. A
//! forged evidence hash `../../outside/pwned` or vendor slug `../x` is
//! refused before any directory or file is made, and the error says the
//! register was altered.

use crate::error::{Error, Result};

/// The error for a stored value that is not what vetter writes there.
fn altered(what: &str, value: &str, should_be: &str) -> Error {
    Error::check_failed(format!(
        "the register holds {what} '{}', which is not {should_be}: the database was altered outside vetter",
        value.escape_debug()
    ))
    .with_hint("run `vetter verify` to see what was changed; nothing was written")
}

/// A stored SHA-256: exactly 64 lowercase hex digits, as vetter writes it.
pub fn sha256<'a>(what: &str, value: &'a str) -> Result<&'a str> {
    if value.len() == 64
        && value
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        Ok(value)
    } else {
        Err(altered(what, value, "64 lowercase hex digits"))
    }
}

/// A stored vendor slug used as a directory name (`export --all`): the
/// slug rule of `vendor add` (lowercase ASCII letters, digits, hyphens).
pub fn slug(value: &str) -> Result<&str> {
    crate::validate::slug(value)
        .map(|_| value)
        .map_err(|_| altered("the vendor slug", value, "a slug"))
}

/// The path of an evidence file inside a packet, `evidence/<sha256>.<ext>`,
/// from its stored hash and original file name. The extension is kept only
/// when it is 1-10 ASCII letters or digits (else `bin`), so the name holds
/// nothing but the validated hash, a dot and those characters.
pub fn evidence_in_packet(sha256_hex: &str, file_name: Option<&str>) -> Result<String> {
    let hash = sha256("the evidence SHA-256", sha256_hex)?;
    let ext = file_name
        .and_then(|n| n.rsplit_once('.'))
        .map(|(_, e)| e.to_ascii_lowercase())
        .filter(|e| !e.is_empty() && e.len() <= 10 && e.chars().all(|c| c.is_ascii_alphanumeric()))
        .unwrap_or_else(|| "bin".to_string());
    Ok(format!("evidence/{hash}.{ext}"))
}

/// A stored evidence file name reduced to one plain file name for a scratch
/// copy: separators, NUL and control characters become `_`, and a name that
/// would still be empty, `.`, `..` or hidden becomes `evidence` (its
/// extension kept), so the copy lands inside the scratch directory.
pub fn scratch_file_name(file_name: Option<&str>) -> String {
    let cleaned: String = file_name
        .unwrap_or_default()
        .chars()
        .map(|c| {
            if c == '/' || c == '\\' || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .take(200)
        .collect();
    if cleaned.is_empty() || cleaned.starts_with('.') {
        let ext = cleaned
            .rsplit_once('.')
            .map(|(_, e)| e)
            .filter(|e| !e.is_empty() && e.chars().all(|c| c.is_ascii_alphanumeric()));
        return match ext {
            Some(ext) => format!("evidence.{ext}"),
            None => "evidence".to_string(),
        };
    }
    cleaned
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_forged_hash_never_becomes_a_path() {
        let good = "a".repeat(64);
        assert_eq!(
            evidence_in_packet(&good, Some("Report.PDF")).unwrap(),
            format!("evidence/{good}.pdf")
        );
        for forged in [
            "../../../../outside/pwned",
            &"A".repeat(64),
            &format!("{}/", "a".repeat(63)),
            &"a".repeat(65),
            "",
        ] {
            let e = evidence_in_packet(forged, Some("x.pdf")).unwrap_err();
            assert!(e.message.contains("altered"), "{}", e.message);
        }
    }

    #[test]
    fn scratch_names_stay_in_their_directory() {
        for (stored, expected) in [
            (Some("dpa.pdf"), "dpa.pdf"),
            (Some("../../etc/passwd"), "evidence"),
            (Some(".."), "evidence"),
            (Some("."), "evidence"),
            (Some(".hidden.md"), "evidence.md"),
            (None, "evidence"),
            (Some("a/b.txt"), "a_b.txt"),
        ] {
            let name = scratch_file_name(stored);
            assert_eq!(name, expected);
            assert!(crate::packet_dir::is_inside(&name) && !name.contains('/'));
        }
    }
}
