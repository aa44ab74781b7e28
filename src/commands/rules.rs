//! `vetter rules list`: the red-flag rules with the thresholds of our profile.

use crate::cli::RulesCommand;
use crate::error::Result;
use crate::output;
use crate::rules::{docs_markdown, RULES};
use crate::store::Store;
use serde::Serialize;
use std::io::Write;

pub fn run(cmd: RulesCommand, store: &Store, out: &mut dyn Write) -> Result<()> {
    let RulesCommand::List { json, markdown } = cmd;
    if markdown {
        out.write_all(docs_markdown().as_bytes())?;
        return Ok(());
    }
    let profile = crate::profile::load(store)?;
    #[derive(Serialize)]
    struct Row {
        id: &'static str,
        title: &'static str,
        severity: crate::model::FlagSeverity,
        kind: crate::model::ClauseKind,
        basis: &'static str,
        threshold: String,
    }
    let rows: Vec<Row> = RULES
        .iter()
        .map(|r| Row {
            id: r.id,
            title: r.title,
            severity: r.severity,
            kind: r.kind,
            basis: r.basis,
            threshold: (r.threshold)(&profile),
        })
        .collect();
    if json.json {
        return output::json(out, &rows);
    }
    let mut table = output::table(["rule", "severity", "title", "basis", "threshold"])
        .spill(&["basis", "threshold"]);
    for r in rows {
        table.add_row(vec![
            r.id.into(),
            r.severity.to_string(),
            r.title.into(),
            r.basis.into(),
            r.threshold,
        ]);
    }
    output::print_table(out, &table)
}
