//! Fonts for the PDF: the bundled DejaVu Sans (assets/fonts, licence there)
//! followed by the user's `--font` faces, a fallback chain. Each character is
//! drawn from the first face that has it, so a CJK face added with `--font`
//! draws the CJK and DejaVu still draws the Latin. Layout measures with the
//! whole faces; subset.rs cuts each one down to the glyphs drawn.

use crate::error::{Error, Result};
use printpdf::{FontId, ParsedFont, PdfFontHandle};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const DEJAVU_SANS: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
const DEJAVU_SANS_BOLD: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf");

/// Drawn in place of a character no face has a glyph for, so nothing is
/// silently dropped (U+25A1 WHITE SQUARE; DejaVu Sans has it).
pub const MISSING: char = '\u{25A1}';

/// At most this many `--font` faces: each is parsed and searched per glyph.
pub const MAX_FALLBACKS: usize = 8;

/// One font face: its parsed program and the id its text ops refer to.
pub struct Face {
    pub font: ParsedFont,
    pub id: FontId,
    units_per_em: f32,
    /// Advance widths of U+0000..U+0800 in em, looked up once: nearly all
    /// text is Latin, Greek or Cyrillic, and layout measures every character.
    common: Vec<Option<f32>>,
}

impl Face {
    /// `id` is fixed, not random, so that two exports are identical; it is
    /// also the six-letter subset tag the PDF shows ("VETREG+DejaVuSans").
    fn parse(bytes: &[u8], id: &str, source: &str) -> Result<Face> {
        let mut warnings = Vec::new();
        let font = ParsedFont::from_bytes(bytes, 0, &mut warnings).ok_or_else(|| {
            Error::user(format!("{source} is not a TrueType or OpenType font"))
                .with_hint("pass a .ttf or .otf file to --font, e.g. /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
        })?;
        let units_per_em = f32::from(font.units_per_em.max(1));
        let mut face = Face {
            font,
            id: FontId(id.to_string()),
            units_per_em,
            common: Vec::new(),
        };
        face.common = (0u32..0x800)
            .map(|c| char::from_u32(c).and_then(|c| face.lookup(c)))
            .collect();
        if face.font.codepoint_to_glyph.is_empty() {
            return Err(
                Error::user(format!("{source} has no usable Unicode character map"))
                    .with_hint("pass a Unicode TrueType or OpenType text font to --font"),
            );
        }
        Ok(face)
    }

    fn lookup(&self, c: char) -> Option<f32> {
        let glyph = self.font.lookup_glyph_index(c as u32).filter(|g| *g != 0)?;
        let advance = self.font.get_glyph_width(glyph).unwrap_or(0);
        Some(f32::from(advance) / self.units_per_em)
    }

    /// The advance width of `c` in em, or None when the face lacks it.
    pub fn advance(&self, c: char) -> Option<f32> {
        match self.common.get(c as usize) {
            Some(width) => *width,
            None => self.lookup(c),
        }
    }

    pub fn handle(&self) -> PdfFontHandle {
        PdfFontHandle::External(self.id.clone())
    }

    /// The face's PostScript name, as the PDF's /BaseFont shows it.
    pub fn postscript_name(&self) -> String {
        crate::report::pdf::subset::postscript_name(&self.font.original_bytes)
            .unwrap_or_else(|| self.id.0.clone())
    }
}

pub struct Fonts {
    pub regular: Face,
    pub bold: Face,
    /// The `--font` faces in the order given, for both weights: a character
    /// the bundled face lacks is drawn from the first of these that has it.
    pub fallbacks: Vec<Face>,
    /// Where the fonts came from, for messages.
    pub source: String,
}

impl Fonts {
    /// The bundled DejaVu Sans, then each of `paths`.
    pub fn load(paths: &[PathBuf]) -> Result<Fonts> {
        if paths.len() > MAX_FALLBACKS {
            return Err(Error::user(format!(
                "{} --font faces given; at most {MAX_FALLBACKS} are allowed",
                paths.len()
            ))
            .with_hint("pass only the faces that cover scripts DejaVu Sans lacks"));
        }
        let fallbacks = paths
            .iter()
            .enumerate()
            .map(|(i, path)| load_file(path, i, true))
            .collect::<Result<Vec<Face>>>()?;
        let mut source = "DejaVu Sans (bundled)".to_string();
        for path in paths {
            source.push_str(&format!(", --font '{}'", path.display()));
        }
        Ok(Fonts {
            regular: Face::parse(DEJAVU_SANS, "VETREG", "the bundled DejaVu Sans")?,
            bold: Face::parse(DEJAVU_SANS_BOLD, "VETBLD", "the bundled DejaVu Sans Bold")?,
            fallbacks,
            source,
        })
    }

    /// The bundled faces with, as fallbacks, the machine's own fonts that
    /// draw `missing` (characters the bundled faces lack): a PDF of
    /// Japanese notes on a machine with a CJK font installed needs no
    /// `--font`. Fonts are looked for in `font_dirs`, without fontconfig:
    /// names that promise wide coverage first, at most `SCAN_LIMIT` files
    /// opened. None when no font there draws any of them.
    pub fn with_system_fallbacks(missing: &BTreeSet<char>) -> Option<(Fonts, Vec<PathBuf>)> {
        let mut candidates: Vec<PathBuf> = Vec::new();
        for dir in font_dirs() {
            collect_fonts(&dir, 0, &mut candidates);
        }
        // Faces made to cover many scripts first; then by name, so the
        // choice is the same on every run.
        let rank = |p: &PathBuf| {
            let name = p.to_string_lossy().to_ascii_lowercase();
            let wide = [
                "cjk",
                "fallback",
                "unifont",
                "wqy",
                "wenquanyi",
                "noto sans",
                "notosans",
            ];
            (!wide.iter().any(|w| name.contains(w)), name)
        };
        candidates.sort_by_key(rank);
        let mut wanted = missing.clone();
        let mut chosen: Vec<PathBuf> = Vec::new();
        for path in candidates.into_iter().take(SCAN_LIMIT) {
            if wanted.is_empty() || chosen.len() == MAX_FALLBACKS {
                break;
            }
            let Ok(face) = load_file(&path, chosen.len(), false) else {
                continue;
            };
            let covered: Vec<char> = wanted
                .iter()
                .copied()
                .filter(|c| face.advance(*c).is_some())
                .collect();
            if covered.is_empty() {
                continue;
            }
            for c in covered {
                wanted.remove(&c);
            }
            chosen.push(path);
        }
        if chosen.is_empty() {
            return None;
        }
        let fonts = Fonts::load(&chosen).ok()?;
        Some((fonts, chosen))
    }

    /// The face that draws `c`: the bundled face of the weight when it has
    /// the glyph (the common case costs one table lookup), else the first
    /// fallback that has it.
    pub fn face_for(&self, bold: bool, c: char) -> Option<&Face> {
        let primary = if bold { &self.bold } else { &self.regular };
        if primary.advance(c).is_some() {
            return Some(primary);
        }
        self.fallbacks.iter().find(|f| f.advance(c).is_some())
    }

    /// Every face, bundled ones first, for embedding.
    pub fn all(&self) -> impl Iterator<Item = &Face> {
        [&self.regular, &self.bold]
            .into_iter()
            .chain(self.fallbacks.iter())
    }
}

/// A `--font` face (`announce`: say when a collection's first face is the
/// one used; a scan of the system's fonts says nothing per file).
fn load_file(path: &Path, index: usize, announce: bool) -> Result<Face> {
    // Through the bounded reader: the size a file system reports says
    // nothing about /dev/zero or a pipe.
    let bytes = crate::validate::read_capped(
        path,
        "--font",
        64 << 20,
        "a font file is at most 64 MiB; pass a single .ttf or .otf face",
    )?;
    // VETFBA, VETFBB, ...: six capital letters, as a subset tag must be.
    let id = format!("VETFB{}", (b'A' + index as u8) as char);
    if let Some(kind) = colour_only(&bytes) {
        return Err(Error::user(format!(
            "--font '{}' is a colour font ({kind}) with no outlines a PDF can embed",
            path.display()
        ))
        .with_hint(
            "pass a monochrome face for these characters, e.g. Noto Emoji (not Noto Color Emoji) or Symbola",
        ));
    }
    let face = Face::parse(&bytes, &id, &format!("--font '{}'", path.display()))?;
    // A collection (.ttc: Noto CJK holds its Japanese, Korean and Chinese
    // faces in one file) is read at its first face: said, not silent.
    if let Some(faces) = collection_size(&bytes).filter(|n| announce && *n > 1) {
        crate::output::note(format!(
            "--font '{}' is a collection of {faces} faces; its first, {}, is used",
            path.display(),
            face.postscript_name()
        ));
    }
    Ok(face)
}

/// How many font files a system fallback opens at most.
const SCAN_LIMIT: usize = 200;

/// Where the machine's fonts are: `VETTER_FONT_DIRS` (a `:`-separated
/// list; empty for none) when set, else the usual places on Linux and
/// macOS.
fn font_dirs() -> Vec<PathBuf> {
    if let Ok(list) = std::env::var("VETTER_FONT_DIRS") {
        return std::env::split_paths(&list)
            .filter(|p| !p.as_os_str().is_empty())
            .collect();
    }
    let mut dirs: Vec<PathBuf> = [
        "/usr/share/fonts",
        "/usr/local/share/fonts",
        "/Library/Fonts",
        "/System/Library/Fonts",
    ]
    .iter()
    .map(PathBuf::from)
    .collect();
    if let Some(home) = std::env::var_os("HOME") {
        let home = PathBuf::from(home);
        dirs.push(home.join(".local/share/fonts"));
        dirs.push(home.join(".fonts"));
        dirs.push(home.join("Library/Fonts"));
    }
    dirs
}

/// The .ttf, .otf and .ttc files under `dir` (four levels deep at most),
/// never following a symbolic link out of it.
fn collect_fonts(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        let path = entry.path();
        if kind.is_dir() && depth < 4 {
            collect_fonts(&path, depth + 1, out);
        } else if kind.is_file() {
            let ext = path
                .extension()
                .map(|e| e.to_string_lossy().to_ascii_lowercase())
                .unwrap_or_default();
            if matches!(ext.as_str(), "ttf" | "otf" | "ttc") {
                out.push(path);
            }
        }
    }
}

/// What a face draws its glyphs with when it has no outlines (`glyf` or
/// `CFF`): colour bitmaps (CBDT, sbix) or SVG, as colour emoji fonts do.
/// The PDF embeds outlines only. None for a face with outlines (or a
/// collection, read by its first face).
fn colour_only(bytes: &[u8]) -> Option<&'static str> {
    if bytes.get(..4) == Some(b"ttcf") {
        return None;
    }
    let count = u16::from_be_bytes([*bytes.get(4)?, *bytes.get(5)?]) as usize;
    let tags: Vec<&[u8]> = (0..count)
        .filter_map(|i| bytes.get(12 + 16 * i..12 + 16 * i + 4))
        .collect();
    let has = |t: &[u8]| tags.contains(&t);
    if has(b"glyf") || has(b"CFF ") || has(b"CFF2") {
        return None;
    }
    [
        (b"CBDT", "CBDT colour bitmaps"),
        (b"sbix", "sbix colour bitmaps"),
        (b"SVG ", "SVG glyphs"),
        (b"COLR", "COLR colour layers"),
    ]
    .into_iter()
    .find(|(t, _)| has(&t[..]))
    .map(|(_, kind)| kind)
}

/// The number of faces of a TrueType/OpenType collection ("ttcf" header),
/// None for a single face.
fn collection_size(bytes: &[u8]) -> Option<u32> {
    let header = bytes.get(..12)?;
    (&header[..4] == b"ttcf")
        .then(|| u32::from_be_bytes([header[8], header[9], header[10], header[11]]))
}
