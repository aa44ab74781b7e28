//! Benchmark input for `vetter import questionnaire`: a filled HECVAT Full
//! 3.06 workbook (255 ids) or HECVAT 4.1.4 workbook (331 ids on eight tabs,
//! with START HERE's rows mirrored on the others), in EDUCAUSE's layout with
//! placeholder question text, lookup formulas in the question, guidance and
//! analyst columns, answers cycling through Yes / No / N/A / blank / words,
//! and the vendor's additional information on each row. bench/run times
//! importing them.
//!
//! Usage: cargo run --release --example hecvat_workbook -- full|4 OUT.xlsx

use rust_xlsxwriter::{Formula, Workbook, Worksheet};

const ANSWERS: [&str; 5] = ["Yes", "No", "N/A", "", "Tier III"];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(kind), Some(out)) = (args.next(), args.next()) else {
        return Err("usage: hecvat_workbook full|4 OUT.xlsx".into());
    };
    let mut book = Workbook::new();
    match kind.as_str() {
        "full" => {
            let sheet = book.add_worksheet();
            sheet.set_name("HECVAT - Full | Vendor Response")?;
            sheet.write_string(1, 4, "Version 3.06")?;
            let ids: Vec<&str> = ids(include_str!("../mappings/hecvat-3.x-full.ids"));
            write_rows(sheet, &ids, &[], "Vendor Answers")?;
        }
        "4" => {
            let text = include_str!("../mappings/hecvat-4.x.ids");
            let mut tabs: Vec<(&str, Vec<&str>)> = Vec::new();
            for line in text.lines() {
                if let Some(tab) = line.strip_prefix("# tab: ") {
                    tabs.push((tab, Vec::new()));
                } else if !line.starts_with('#') && !line.trim().is_empty() {
                    tabs.last_mut().ok_or("no tab")?.1.push(line.trim());
                }
            }
            for (n, (tab, ids)) in tabs.iter().enumerate() {
                let sheet = book.add_worksheet();
                sheet.set_name(*tab)?;
                sheet.write_formula(
                    1,
                    5,
                    Formula::new("='Auto Responses'!$A$36").set_result("Version 4.1.4"),
                )?;
                let mirrored: &[&str] = if n == 0 {
                    &[]
                } else {
                    &["GNRL-01", "GNRL-02", "GNRL-03", "GNRL-08", "REQU-01"]
                };
                write_rows(sheet, ids, mirrored, "Answer")?;
            }
        }
        other => return Err(format!("unknown kind '{other}': full or 4").into()),
    }
    book.save(&out)?;
    Ok(())
}

fn ids(text: &str) -> Vec<&str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

/// Section rows before each id prefix, then the question rows.
fn write_rows(
    sheet: &mut Worksheet,
    ids: &[&str],
    mirrored: &[&str],
    answer_label: &str,
) -> Result<(), Box<dyn std::error::Error>> {
    let mut row: u32 = 11;
    let mut prefix = "";
    for (n, (mirror, id)) in mirrored
        .iter()
        .map(|i| (true, *i))
        .chain(ids.iter().map(|i| (false, *i)))
        .enumerate()
    {
        if id[..4] != *prefix {
            sheet.write_string(row, 0, format!(" {} section", &id[..4]))?;
            for (c, label) in [
                answer_label,
                "Additional Information",
                "Guidance",
                "Analyst Notes",
            ]
            .iter()
            .enumerate()
            {
                sheet.write_string(row, 2 + c as u16, *label)?;
            }
            row += 1;
            prefix = &id[..4];
        }
        let excel_row = row + 1;
        sheet.write_string(row, 0, id)?;
        sheet.write_formula(
            row,
            1,
            Formula::new(format!("=VLOOKUP($A{excel_row},Questions!$A$2:$X$333,2,0)"))
                .set_result("(question text not reproduced)"),
        )?;
        if mirror {
            sheet.write_formula(
                row,
                2,
                Formula::new(format!(
                    "=VLOOKUP($A{excel_row},'START HERE'!$A$13:$C$21,3,0)&\"\""
                ))
                .set_result("Yes"),
            )?;
        } else {
            let answer = ANSWERS[n % ANSWERS.len()];
            if !answer.is_empty() {
                sheet.write_string(row, 2, answer)?;
            }
            sheet.write_string(
                row,
                3,
                format!(
                    "{id}: implemented across the platform; see our SOC 2 report, section {n}."
                ),
            )?;
        }
        sheet.write_formula(
            row,
            4,
            Formula::new(format!("=IF(C{excel_row}=\"\",\"\",\"Guidance\")")).set_result(""),
        )?;
        sheet.write_formula(
            row,
            5,
            Formula::new(format!(
                "=VLOOKUP($A{excel_row},'Institution Evaluation'!$A$56:$F$345,6,0)&\"\""
            ))
            .set_result(""),
        )?;
        row += 1;
    }
    Ok(())
}
