//! The other candidate PDF reader for `vetter clause extract`: the text of a
//! PDF as the `lopdf` crate (already a dependency, through printpdf) extracts
//! it, page by page, each page followed by a form feed as `pdftotext` does.
//! bench/run compares the two readers on the test DPAs: how many labelled
//! quotes each reads verbatim, and how long each takes.
//!
//! Usage: cargo run --release --example pdf_text -- FILE.pdf

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: pdf_text FILE.pdf")?;
    let doc = lopdf::Document::load(&path)?;
    let mut out = String::new();
    for page in doc.get_pages().keys() {
        // A page lopdf cannot decode is shown as empty, as a reader would see it.
        match doc.extract_text(&[*page]) {
            Ok(text) => out.push_str(&text),
            Err(e) => eprintln!("page {page}: {e}"),
        }
        out.push('\u{c}');
    }
    use std::io::Write;
    std::io::stdout().lock().write_all(out.as_bytes())?;
    Ok(())
}
