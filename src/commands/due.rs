//! `vetter due [--within DAYS] [--ics FILE]`: the vendor calendar across
//! all vendors (src/domain/calendar.rs gathers it).

use super::OutputKind;
use crate::domain::calendar::{self, Due};
use crate::error::{Error, Result};
use crate::output;
use crate::store::Store;
use crate::Env;
use std::io::Write;
use std::path::Path;

pub struct DueArgs<'a> {
    pub within: u32,
    pub fail_if_overdue: bool,
    pub ics: Option<&'a Path>,
    pub force: bool,
    pub json: bool,
}

pub fn run(env: &Env, store: &Store, args: DueArgs, out: &mut dyn Write) -> Result<()> {
    if let Some(path) = args.ics {
        super::check_output_file(path, args.force, OutputKind::Calendar, "--ics vendors.ics")?;
    }
    let entries = calendar::gather(store, env.today(), args.within)?;
    if let Some(path) = args.ics {
        let text = crate::report::ics::render(&entries, &env.timestamp);
        super::write_file_atomically(path, text.as_bytes())?;
        output::note(format!(
            "wrote {} ({} date{}, each with a reminder 7 days before)",
            path.display(),
            entries.len(),
            if entries.len() == 1 { "" } else { "s" }
        ));
    }
    let overdue = entries.iter().filter(|e| e.state == "overdue").count();
    let check = || -> Result<()> {
        if args.fail_if_overdue && overdue > 0 {
            return Err(Error::check_failed(format!(
                "{overdue} thing{} overdue",
                if overdue == 1 { " is" } else { "s are" }
            )));
        }
        Ok(())
    };
    if args.json {
        output::json(out, &entries)?;
        return check();
    }
    if entries.is_empty() {
        output::note(format!(
            "nothing overdue, expired or stale, and nothing falls due within {} days",
            args.within
        ));
        return Ok(());
    }
    print(&entries, out)?;
    check()
}

fn print(entries: &[Due], out: &mut dyn Write) -> Result<()> {
    let mut table = output::table([
        "date",
        "days",
        "state",
        "vendor",
        "what",
        "#",
        "description",
    ])
    .spill(&["description"]);
    for e in entries {
        table.add_row(vec![
            e.date.clone(),
            e.days_left.to_string(),
            e.state.to_uppercase(),
            e.vendor.clone(),
            e.what.to_string(),
            e.id.to_string(),
            e.description.clone(),
        ]);
    }
    output::print_table(out, &table)
}
