//! `vetter copy --from DB --to DB`: moves a register between SQLite and
//! PostgreSQL (either way), records, evidence and audit chain as they are.

use crate::domain::integrity;
use crate::error::{Error, Result};
use crate::store::{copy, Access, Location, Store};
use std::io::Write;
use std::path::Path;

pub fn run(from: &Path, to: &Path, out: &mut dyn Write) -> Result<()> {
    let from = Location::parse(from.as_os_str())?;
    let to = Location::parse(to.as_os_str())?;
    let source = Store::open_at(&from, Access::ReadOnly)?;
    let head_before = crate::store::audit::head(source.conn())?;
    // A new SQLite file is made for the copy; an existing one must be
    // empty of records (checked inside the copy's transaction).
    let created = match &to {
        Location::Sqlite(path) => !path.exists(),
        Location::Postgres(_) => false,
    };
    let result = (|| {
        let mut target = Store::open_at(&to, Access::Write)?;
        let copied = copy::copy_register(&source, &mut target)?;
        let report = integrity::check_database(&target)?;
        Ok((target, copied, report))
    })();
    let (target, copied, report) = match result {
        Ok(done) => done,
        Err(e) => {
            if created {
                if let Location::Sqlite(path) = &to {
                    crate::store::backup::remove_copy(path);
                }
            }
            return Err(e);
        }
    };
    let head_after = crate::store::audit::head(target.conn())?;
    // The copy is the source as it is: what verify finds in the copy must
    // be what it finds in the source (nothing, for a sound register).
    let mut carried = 0;
    if !report.problems.is_empty() {
        let at_source = integrity::check_database(&source)?;
        let shown = |r: &integrity::DatabaseReport| -> Vec<String> {
            r.problems
                .iter()
                .map(|p| format!("{}: {}", p.location, p.what))
                .collect()
        };
        if shown(&at_source) != shown(&report) {
            let first = shown(&report).into_iter().next().unwrap_or_default();
            return Err(Error::check_failed(format!(
                "the copy in {} does not verify: {first}",
                to.shown()
            ))
            .with_hint("the source was not changed; report this as a bug, with the output of `vetter verify` on both"));
        }
        carried = report.problems.len();
    }
    if head_after != head_before {
        return Err(Error::check_failed(format!(
            "the copy in {} ends its audit chain elsewhere than the source",
            to.shown()
        ))
        .with_hint(
            "the source was not changed; report this as a bug, with `vetter log --head` of both",
        ));
    }
    if carried > 0 {
        crate::output::note(format!(
            "warning: the source does not verify ({carried} problem{}, `vetter verify` lists them); the copy carries them as they are",
            if carried == 1 { "" } else { "s" }
        ));
    }
    writeln!(
        out,
        "copied {} rows, {} evidence files and {} audit events from {} to {}; chain head #{} {} on both, and verify finds the same in the copy as in the source",
        copied.rows,
        copied.blobs,
        copied.events,
        from.shown(),
        to.shown(),
        head_after.as_ref().map_or(0, |h| h.seq),
        head_after.as_ref().map_or("(empty)", |h| h.hash.as_str()),
    )?;
    Ok(())
}
