//! Font subsetting: each face is cut down to the glyphs the document draws
//! before printpdf embeds it, so a packet carries a few kilobytes of font
//! instead of DejaVu's 700 KB or a CJK face's 15 MB. printpdf would do this
//! only with its `text_layout` feature, which compiles a GUI layout engine;
//! typst's subsetter, made for PDF embedding, does the cutting here.

use super::font::{Face, Fonts};
use crate::error::{Error, Result};
use allsorts::binary::read::ReadScope;
use allsorts::font_data::FontData;
use allsorts::tables::{FontTableProvider, NameTable};
use allsorts::tag;
use printpdf::{FontId, Op, ParsedFont, PdfFont, PdfFontHandle, PdfFontMap, TextItem};
use std::collections::{BTreeMap, BTreeSet};

/// The fonts of a document whose pages are `pages`: every face some text is
/// drawn with, each subset to the characters drawn with it and named with
/// its tag ("VETREG+DejaVuSans"). Faces nothing is drawn with are left out.
pub fn embed(fonts: &Fonts, pages: &[Vec<Op>]) -> Result<PdfFontMap> {
    let used = characters_by_face(pages);
    let mut map = PdfFontMap::default();
    for face in fonts.all() {
        if let Some(chars) = used.get(&face.id) {
            map.map
                .insert(face.id.clone(), PdfFont::new(subset(face, chars)?));
        }
    }
    Ok(map)
}

/// The characters each font id draws, read from the text ops.
fn characters_by_face(pages: &[Vec<Op>]) -> BTreeMap<FontId, BTreeSet<char>> {
    let mut used: BTreeMap<FontId, BTreeSet<char>> = BTreeMap::new();
    for ops in pages {
        let mut current: Option<&FontId> = None;
        for op in ops {
            match op {
                Op::SetFont {
                    font: PdfFontHandle::External(id),
                    ..
                } => current = Some(id),
                Op::ShowText { items } => {
                    if let Some(id) = current {
                        let set = used.entry(id.clone()).or_default();
                        for item in items {
                            if let TextItem::Text(text) = item {
                                set.extend(text.chars());
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }
    used
}

/// `face` cut down to `chars` with typst's subsetter, which reads only the
/// glyphs it keeps (allsorts, which printpdf uses, parsed every glyph record
/// of the face first: 12% of a 46-page export for DejaVu alone). The subset
/// has no cmap, as a PDF's CID font needs none: the character map of the
/// cut face is set here from the remapper's new glyph ids.
fn subset(face: &Face, chars: &BTreeSet<char>) -> Result<ParsedFont> {
    let font = &face.font;
    let glyphs: Vec<u16> = chars
        .iter()
        .filter_map(|c| font.lookup_glyph_index(*c as u32))
        .collect();
    // .notdef stays glyph 0; the others are numbered in ascending order.
    let remapper = subsetter::GlyphRemapper::new_from_glyphs_sorted(&glyphs);
    let failed = |e: String| {
        Error::user(format!(
            "cannot subset the font {} for the PDF: {e}",
            face.postscript_name()
        ))
        .with_hint(
            "pass a TrueType or OpenType face with glyph outlines (a colour emoji font has none)",
        )
    };
    let bytes = subsetter::subset(&font.original_bytes, font.font_index, &remapper)
        .map_err(|e| failed(format!("{e:?}")))?;
    let mut warnings = Vec::new();
    let mut cut = ParsedFont::from_bytes(&bytes, 0, &mut warnings)
        .ok_or_else(|| failed("the subset does not parse".into()))?;
    cut.codepoint_to_glyph = chars
        .iter()
        .filter_map(|c| {
            let old = font.lookup_glyph_index(*c as u32)?;
            Some((*c as u32, remapper.get(old)?))
        })
        .collect();
    cut.font_name = Some(format!("{}+{}", face.id.0, face.postscript_name()));
    Ok(cut)
}

/// The PostScript name from a font's `name` table (name id 6), which is what
/// a PDF's /BaseFont holds; None when the font has none.
pub fn postscript_name(bytes: &[u8]) -> Option<String> {
    let file = ReadScope::new(bytes).read::<FontData<'_>>().ok()?;
    let provider = file.table_provider(0).ok()?;
    let data = provider.read_table_data(tag::NAME).ok()?;
    let name = ReadScope::new(&data).read::<NameTable<'_>>().ok()?;
    let ps = name.string_for_id(NameTable::POSTSCRIPT_NAME)?;
    // A /BaseFont is a PDF name: keep it to printable ASCII without spaces.
    let clean: String = ps
        .chars()
        .filter(|c| c.is_ascii_graphic() && !"()<>[]{}/%#".contains(*c))
        .collect();
    (!clean.is_empty()).then_some(clean)
}
