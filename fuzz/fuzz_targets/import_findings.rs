//! `vetter::commands::import::parse_findings` on arbitrary CSV text, with a
//! resolver that knows a few checklist item ids; also `csv_text`, the step
//! before it on the real path (UTF-8, byte order mark, unclosed quotes).
#![no_main]

use libfuzzer_sys::fuzz_target;
use vetter::commands::import::{csv_text, parse_findings};
use vetter::error::{Error, Result};

const ITEMS: [&str; 4] = [
    "dpa.ownership",
    "dpa.residency",
    "access.scim",
    "obligations.data-categories",
];

fn resolve(item: &str) -> Result<i64> {
    ITEMS
        .iter()
        .position(|i| *i == item)
        .map(|at| at as i64 + 1)
        .ok_or_else(|| Error::user(format!("no item '{item}' in this review")))
}

fuzz_target!(|data: &[u8]| {
    // The real path: bytes -> csv_text -> parse_findings.
    if let Ok(text) = csv_text(data.to_vec(), "fuzz.csv") {
        let _ = parse_findings(&text, "fuzz.csv", &resolve);
    }
    // And parse_findings on the text as given.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(rows) = parse_findings(text, "fuzz.csv", &resolve) {
        assert!(!rows.is_empty());
        for row in &rows {
            assert!((1..=ITEMS.len() as i64).contains(&row.review_item_id));
        }
    }
});
