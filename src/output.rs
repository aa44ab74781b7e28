//! Printing: tables for people, stable JSON for scripts.

use crate::error::Result;
use comfy_table::{presets, ContentArrangement, Table};
use serde::Serialize;
use std::io::Write;

/// Pretty JSON followed by a newline.
pub fn json<T: Serialize + ?Sized>(out: &mut dyn Write, value: &T) -> Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)?;
    Ok(())
}

/// A table with a header row, in the house style.
pub fn table<I, S>(header: I) -> Table
where
    I: IntoIterator<Item = S>,
    S: Into<comfy_table::Cell>,
{
    let mut table = Table::new();
    // No borders, one rule under the header: readable in a terminal and
    // easy to grep.
    table
        .load_preset(presets::NOTHING)
        .set_content_arrangement(ContentArrangement::Dynamic);
    table.set_style(comfy_table::TableComponent::HeaderLines, '─');
    table.set_style(comfy_table::TableComponent::MiddleHeaderIntersections, '─');
    table.set_style(comfy_table::TableComponent::LeftHeaderIntersection, '─');
    table.set_style(comfy_table::TableComponent::RightHeaderIntersection, '─');
    table.set_header(header);
    table
}

pub fn print_table(out: &mut dyn Write, table: &Table) -> Result<()> {
    writeln!(out, "{table}")?;
    Ok(())
}

/// An optional value for a table cell.
pub fn cell<T: std::fmt::Display>(value: &Option<T>) -> String {
    value
        .as_ref()
        .map_or_else(|| "-".to_string(), |v| v.to_string())
}

/// A status message for the person at the terminal (stderr, never stdout).
pub fn note(message: impl std::fmt::Display) {
    eprintln!("{message}");
}
