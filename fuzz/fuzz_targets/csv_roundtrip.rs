//! `vetter::report::csv::{neutralise, write}`: a cell written and read back
//! with the `csv` crate, less one leading `'`, is the cell as given; and no
//! cell as written starts with a character a spreadsheet reads as a formula
//! or a control sequence (= + - @ tab CR LF).
//!
//! Input: the first byte picks `excel` (byte order mark) on its low bit; the
//! rest is UTF-8 text, split on U+001F (unit separator) into the cells of one
//! row, so one input exercises several cells.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vetter::report::csv::{neutralise, write};

const DANGEROUS: [char; 7] = ['=', '+', '-', '@', '\t', '\r', '\n'];

fn restored(cell: &str) -> &str {
    cell.strip_prefix('\'').unwrap_or(cell)
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let excel = flags & 1 == 1;
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let cells: Vec<String> = text.split('\u{1f}').map(str::to_string).collect();

    // neutralise alone.
    for cell in &cells {
        let n = neutralise(cell);
        assert!(
            !n.starts_with(DANGEROUS),
            "neutralise({cell:?}) = {n:?} starts with a formula character"
        );
        assert_eq!(restored(&n), cell.as_str(), "neutralise({cell:?}) = {n:?}");
    }

    // write, then read back.
    let header: Vec<String> = (0..cells.len()).map(|i| format!("c{i}")).collect();
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut out = Vec::new();
    write(&mut out, &header, std::slice::from_ref(&cells), excel).expect("write to a Vec");

    let mut bytes: &[u8] = &out;
    if excel {
        bytes = bytes
            .strip_prefix("\u{feff}".as_bytes())
            .expect("excel output starts with a byte order mark");
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(bytes);
    let read_header = reader.headers().expect("header reads back").clone();
    assert_eq!(read_header.iter().collect::<Vec<_>>(), header);
    let records: Vec<csv::StringRecord> = reader
        .records()
        .collect::<Result<_, _>>()
        .expect("rows read back");
    assert_eq!(
        records.len(),
        1,
        "one row written, {} read: {out:?}",
        records.len()
    );
    let record = &records[0];
    assert_eq!(record.len(), cells.len());
    for (read, given) in record.iter().zip(&cells) {
        assert!(
            !read.starts_with(DANGEROUS),
            "cell {given:?} reads back as {read:?}, which starts with a formula character"
        );
        assert_eq!(
            restored(read),
            given.as_str(),
            "cell {given:?} read back as {read:?}"
        );
    }
});
