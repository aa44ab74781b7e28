//! Benchmark input for `vetter import questionnaire`: a filled CAIQ v4.0.3
//! workbook with every question id of mappings/caiq-v4.0.x.ids, placeholder
//! question text, answers and ownership cycling through every value, and a
//! vendor description on each row. bench/run times importing it.
//!
//! Usage: cargo run --release --example caiq_workbook -- OUT.xlsx [SHIFT]
//! (SHIFT moves every answer along the cycle: the next cycle's workbook,
//! for `questionnaire diff`).

use rust_xlsxwriter::Workbook;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::env::args()
        .nth(1)
        .ok_or("usage: caiq_workbook OUT.xlsx [SHIFT]")?;
    let shift: usize = match std::env::args().nth(2) {
        Some(n) => n.parse()?,
        None => 0,
    };
    let ids = include_str!("../mappings/caiq-v4.0.x.ids");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("CAIQv4.0.3")?;
    let header = [
        "Question ID",
        "Question",
        "CSP CAIQ Answer",
        "SSRM Control Ownership",
        "CSP Implementation Description (Optional/Recommended)",
    ];
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(2, c as u16, *h)?;
    }
    let answers = ["Yes", "Yes", "No", "NA", ""];
    let owners = [
        "CSP-owned",
        "CSC-owned",
        "Shared CSP and CSC",
        "3rd-party outsourced",
    ];
    for (n, id) in ids
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .enumerate()
    {
        let row = 3 + n as u32;
        sheet.write_string(row, 0, id.trim())?;
        sheet.write_string(row, 1, "(question text not reproduced)")?;
        sheet.write_string(row, 2, answers[(n + shift) % answers.len()])?;
        sheet.write_string(row, 3, owners[n % owners.len()])?;
        sheet.write_string(
            row,
            4,
            format!("Control {id} is implemented through our platform controls; see the SOC 2 report section {n}."),
        )?;
    }
    book.save(&out)?;
    Ok(())
}
