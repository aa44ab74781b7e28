//! `vetter log [VENDOR]`: the audit log, oldest first.

use super::find_vendor;
use crate::cli::LogArgs;
use crate::error::Result;
use crate::output;
use crate::store::{self, Store};
use std::io::Write;

pub fn run(args: LogArgs, store: &mut Store, out: &mut dyn Write) -> Result<()> {
    if args.head {
        let head = store::audit::head(store.conn())?;
        if let (Some(key), Some(file)) = (&args.sign, &args.out) {
            return sign_head(head.as_ref(), key, file);
        }
        if args.json.json {
            return output::json(out, &head);
        }
        match head {
            Some(h) => writeln!(out, "event {} sha256 {}", h.seq, h.hash)?,
            None => output::note("the audit log is empty"),
        }
        return Ok(());
    }
    let vendor_id = match &args.vendor {
        Some(slug) => Some(find_vendor(store, slug)?.id),
        None => None,
    };
    let events = store::audit::list(store.conn(), vendor_id, args.limit)?;
    if args.json.json {
        return output::json(out, &events);
    }
    if events.is_empty() {
        output::note("the audit log is empty");
        return Ok(());
    }
    // One block per event: a heading line, then the whole change wrapped
    // under it, so an event can be read without --json.
    let width = output::terminal_width();
    for e in &events {
        let vendor = e
            .vendor
            .as_ref()
            .map(|v| format!("  [{v}]"))
            .unwrap_or_default();
        // The store names a review by its per-vendor number (audit::Event).
        let entity = match e.entity_id.as_deref() {
            Some(number) if e.entity == "review" => format!("review #{number}"),
            id => format!("{} {}", e.entity, id.unwrap_or("")),
        };
        let heading = format!(
            "#{}  {}  {}  {}  {entity}{vendor}",
            e.id, e.at, e.actor, e.command
        );
        for line in output::fill(heading.trim_end(), width) {
            writeln!(out, "{line}")?;
        }
        let change = describe_change(e.old.as_ref(), e.new.as_ref());
        output::write_indented(out, "    ", &change, width)?;
    }
    Ok(())
}

/// A short human summary of a change: the fields that differ, or the new
/// values. A review's internal id (`review_id`) is left to --json: people
/// know the review by its number, `review`.
fn describe_change(old: Option<&serde_json::Value>, new: Option<&serde_json::Value>) -> String {
    use serde_json::Value;
    let shown = |k: &str| k != "review_id";
    let show = |v: &Value| match v {
        Value::String(s) => s.clone(),
        Value::Null => "-".into(),
        other => other.to_string(),
    };
    match (old, new) {
        (Some(Value::Object(old)), Some(Value::Object(new))) => new
            .iter()
            .filter(|(k, v)| old.get(*k) != Some(v) && k.as_str() != "updated_at" && shown(k))
            .map(|(k, v)| {
                format!(
                    "{k}: {} -> {}",
                    old.get(k).map_or("-".into(), show),
                    show(v)
                )
            })
            .collect::<Vec<_>>()
            .join("; "),
        (None, Some(Value::Object(new))) => new
            .iter()
            .filter(|(k, v)| !v.is_null() && *v != &Value::Array(vec![]) && shown(k))
            .map(|(k, v)| format!("{k}={}", show(v)))
            .collect::<Vec<_>>()
            .join(" "),
        (_, Some(v)) => show(v),
        (Some(v), None) => format!("removed {}", show(v)),
        (None, None) => String::new(),
    }
}

/// `log --head --sign KEY --out FILE`: the head line to FILE and its SSH
/// signature (namespace vetter-head) to FILE.sig. Neither may exist.
fn sign_head(
    head: Option<&store::audit::ChainHead>,
    key: &std::path::Path,
    file: &std::path::Path,
) -> Result<()> {
    let Some(head) = head else {
        return Err(
            crate::error::Error::user("the audit log is empty: there is no head to sign")
                .with_hint("record something first"),
        );
    };
    let sig_path = crate::signature::head_sig_path(file);
    for path in [file, sig_path.as_path()] {
        super::check_output_file(
            path,
            false,
            super::OutputKind::Pdf,
            "--out heads/2026-12-05.head",
        )?;
    }
    let key = crate::signature::load_signing_key(key)?;
    let text = format!("{}\n", crate::report::head_line(head));
    let pem = crate::signature::sign_in(crate::signature::HEAD_NAMESPACE, &key, text.as_bytes())?;
    super::write_file_atomically(file, text.as_bytes())?;
    super::write_file_atomically(&sig_path, pem.as_bytes())?;
    output::note(format!(
        "signed the chain head (event {}) into '{}' and '{}'; keep them away from the register",
        head.seq,
        file.display(),
        sig_path.display()
    ));
    Ok(())
}
