//! Fonts for the PDF: the bundled DejaVu Sans (assets/fonts, licence there)
//! or a user's `--font FILE`, with the glyph widths that line layout needs.

use crate::error::{Error, Result};
use printpdf::{FontId, ParsedFont, PdfFontHandle};
use std::path::Path;

const DEJAVU_SANS: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
const DEJAVU_SANS_BOLD: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf");

/// Drawn in place of a character the font has no glyph for, so nothing is
/// silently dropped (U+25A1 WHITE SQUARE).
pub const MISSING: char = '\u{25A1}';

/// One font face: its parsed program (embedded as a subset on save) and the
/// id its text ops refer to.
pub struct Face {
    pub font: ParsedFont,
    pub id: FontId,
    units_per_em: f32,
    /// Advance widths of U+0000..U+0800 in em, looked up once: nearly all
    /// text is Latin, Greek or Cyrillic, and layout measures every character.
    common: Vec<Option<f32>>,
}

impl Face {
    fn parse(bytes: &[u8], id: &str, source: &str) -> Result<Face> {
        let mut warnings = Vec::new();
        let font = ParsedFont::from_bytes(bytes, 0, &mut warnings).ok_or_else(|| {
            Error::user(format!("{source} is not a TrueType or OpenType font"))
                .with_hint("pass a .ttf or .otf file to --font, e.g. /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
        })?;
        let units_per_em = f32::from(font.as_azul().font_metrics.units_per_em.max(1));
        let mut face = Face {
            font,
            id: FontId(id.to_string()),
            units_per_em,
            common: Vec::new(),
        };
        face.common = (0u32..0x800)
            .map(|c| char::from_u32(c).and_then(|c| face.lookup(c)))
            .collect();
        if face.advance(' ').is_none() && face.advance('A').is_none() {
            return Err(Error::user(format!(
                "{source} has no usable character map (not even a space or 'A')"
            ))
            .with_hint("pass a Unicode TrueType or OpenType text font to --font"));
        }
        Ok(face)
    }

    fn lookup(&self, c: char) -> Option<f32> {
        let font = self.font.as_azul();
        let glyph = font.lookup_glyph_index(c as u32).filter(|g| *g != 0)?;
        Some(f32::from(font.get_horizontal_advance(glyph)) / self.units_per_em)
    }

    /// The advance width of `c` in em, or None when the font lacks it.
    pub fn advance(&self, c: char) -> Option<f32> {
        match self.common.get(c as usize) {
            Some(width) => *width,
            None => self.lookup(c),
        }
    }

    pub fn handle(&self) -> PdfFontHandle {
        PdfFontHandle::External(self.id.clone())
    }

    /// The font's name as the PDF shows it.
    pub fn name(&self) -> String {
        self.font
            .as_azul()
            .font_name
            .clone()
            .unwrap_or_else(|| "unnamed font".into())
    }
}

pub struct Fonts {
    pub regular: Face,
    pub bold: Face,
    /// Where the fonts came from, for messages.
    pub source: String,
}

impl Fonts {
    /// The bundled DejaVu Sans, or `path` for both weights.
    pub fn load(path: Option<&Path>) -> Result<Fonts> {
        // The ids are fixed, not random, so that two exports are identical;
        // their first six letters become the subset tag ("VETREG+DejaVuSans").
        match path {
            None => Ok(Fonts {
                regular: Face::parse(DEJAVU_SANS, "VETREG", "the bundled DejaVu Sans")?,
                bold: Face::parse(DEJAVU_SANS_BOLD, "VETBLD", "the bundled DejaVu Sans Bold")?,
                source: "DejaVu Sans (bundled)".into(),
            }),
            Some(path) => {
                let bytes = crate::validate::input_file(
                    path,
                    "--font",
                    64 << 20,
                    "a font file is at most 64 MiB; pass a single .ttf or .otf face",
                )
                .and_then(|_| {
                    std::fs::read(path).map_err(|e| {
                        Error::user(format!("cannot read --font '{}': {e}", path.display()))
                    })
                })?;
                let source = format!("--font '{}'", path.display());
                let regular = Face::parse(&bytes, "VETREG", &source)?;
                let bold = Face::parse(&bytes, "VETBLD", &source)?;
                Ok(Fonts {
                    source,
                    regular,
                    bold,
                })
            }
        }
    }
}
