//! `vetter hosting`: the hosting models' ratings and what each leaves to us.

use crate::error::Result;
use crate::hosting::{self, RATINGS};
use crate::model::Hosting;
use crate::output;
use std::io::Write;

/// All models, or with `only` that one: `--json` then prints the model
/// object alone, as it appears in the list.
pub fn run(only: Option<Hosting>, json: bool, out: &mut dyn Write) -> Result<()> {
    let all = hosting::models()?;
    if json {
        return match only {
            Some(h) => output::json(out, &hosting::model(h)?),
            None => output::json(out, &all),
        };
    }
    let models: Vec<&hosting::HostingModel> = all
        .model
        .iter()
        .filter(|m| only.is_none_or(|h| m.id == h.as_str()))
        .collect();
    let mut header = vec!["model"];
    header.extend(RATINGS);
    header.push("shifted");
    let mut table = output::table(header);
    for m in &models {
        let mut row = vec![m.id.clone()];
        row.extend(m.ratings.all().iter().map(|r| format!("{}/5", r.score)));
        row.push(format!("{} items", m.shifted_items.len()));
        table.add_row(row);
    }
    output::print_table(out, &table)?;
    writeln!(out)?;
    let width = output::terminal_width();
    for m in &models {
        let heading = format!("{} ({}): {}", m.name, m.id, m.examples.join(", "));
        output::write_indented(out, "", &heading, width)?;
        output::write_indented(out, "  ", &m.summary, width)?;
        for (name, r) in RATINGS.iter().zip(m.ratings.all()) {
            output::write_indented(
                out,
                "  ",
                &format!("{name} {}/5: {}", r.score, r.reason),
                width,
            )?;
        }
        output::write_indented(
            out,
            "  ",
            &format!("shifted to us: {}", m.shifted_items.join(", ")),
            width,
        )?;
        writeln!(out)?;
    }
    let scale = format!("Scale: {}.", hosting::RATING_MEANING.join("; "));
    output::write_indented(out, "", &scale, width)?;
    Ok(())
}
