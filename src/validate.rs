//! Checks on values typed by a user, shared by every command and the CSV import.
//! Each check returns an error that names the bad value and says how to fix it.

use crate::error::{Error, Result};
use chrono::NaiveDate;
use unicode_normalization::UnicodeNormalization;

/// The longest name (vendor, subprocessor, title, actor), in characters.
pub const MAX_NAME_CHARS: usize = 200;
/// The longest free text (note, quote, question, answer, reason), in bytes:
/// 64 KiB is some twenty pages of prose. Longer material is evidence.
pub const MAX_TEXT_BYTES: usize = 64 * 1024;
/// The longest URL, in bytes (browsers and servers commonly stop near here).
pub const MAX_URL_BYTES: usize = 2048;

/// Unicode's Default_Ignorable_Code_Point property (DerivedCoreProperties.txt,
/// Unicode 15): characters a renderer draws as nothing at all, such as the
/// soft hyphen, zero-width spaces and joiners, the byte order mark, the
/// Hangul fillers, variation selectors and tags. The bidirectional marks,
/// embeddings, overrides and isolates (U+061C, U+200E/F, U+202A-202E,
/// U+2066-2069) are in this set too.
const DEFAULT_IGNORABLE: &[(u32, u32)] = &[
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x061C, 0x061C),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
];

/// Format characters (general category Cf) outside the set above: they
/// change how neighbouring text is shown (Arabic number signs, interlinear
/// annotation marks) without being visible themselves.
const OTHER_FORMAT: &[(u32, u32)] = &[
    (0x0600, 0x0605),
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),
    (0xFFF9, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x1343F),
];

fn in_ranges(c: char, ranges: &[(u32, u32)]) -> bool {
    let c = c as u32;
    ranges.iter().any(|&(lo, hi)| (lo..=hi).contains(&c))
}

/// A character that is not seen as what it is: a control character (tab and
/// newline included), a default-ignorable or format character, or a line or
/// paragraph separator. In a name, any of these lets two different values
/// look the same, or one value look like another ("Trojan Source",
/// CVE-2021-42574: `invoice\u{202E}fdp.exe` displays as `invoiceexe.pdf`).
pub fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}')
        || in_ranges(c, DEFAULT_IGNORABLE)
        || in_ranges(c, OTHER_FORMAT)
        || is_noncharacter(c)
}

/// Unicode's 66 noncharacters (U+FDD0..U+FDEF, and U+xFFFE, U+xFFFF of every
/// plane): never text, drawn as nothing or a box, and U+FFFE/U+FFFF are not
/// allowed in XML, so a name holding one would break the PDF's XMP metadata.
pub fn is_noncharacter(c: char) -> bool {
    matches!(c, '\u{FDD0}'..='\u{FDEF}') || (c as u32 & 0xFFFE) == 0xFFFE
}

/// Bidirectional embeddings, overrides and isolates: refused in free text too.
fn is_bidi_override(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// "U+202E RIGHT-TO-LEFT OVERRIDE": the code point, and its Unicode name
/// for the characters people meet in practice.
pub fn describe_char(c: char) -> String {
    let name = match c {
        '\0' => "NULL",
        '\t' => "CHARACTER TABULATION (tab)",
        '\n' => "LINE FEED (newline)",
        '\r' => "CARRIAGE RETURN",
        '\u{1B}' => "ESCAPE",
        '\u{7F}' => "DELETE",
        '\u{85}' => "NEXT LINE",
        '\u{AD}' => "SOFT HYPHEN",
        '\u{34F}' => "COMBINING GRAPHEME JOINER",
        '\u{61C}' => "ARABIC LETTER MARK",
        '\u{115F}' => "HANGUL CHOSEONG FILLER",
        '\u{1160}' => "HANGUL JUNGSEONG FILLER",
        '\u{180E}' => "MONGOLIAN VOWEL SEPARATOR",
        '\u{200B}' => "ZERO WIDTH SPACE",
        '\u{200C}' => "ZERO WIDTH NON-JOINER",
        '\u{200D}' => "ZERO WIDTH JOINER",
        '\u{200E}' => "LEFT-TO-RIGHT MARK",
        '\u{200F}' => "RIGHT-TO-LEFT MARK",
        '\u{2028}' => "LINE SEPARATOR",
        '\u{2029}' => "PARAGRAPH SEPARATOR",
        '\u{202A}' => "LEFT-TO-RIGHT EMBEDDING",
        '\u{202B}' => "RIGHT-TO-LEFT EMBEDDING",
        '\u{202C}' => "POP DIRECTIONAL FORMATTING",
        '\u{202D}' => "LEFT-TO-RIGHT OVERRIDE",
        '\u{202E}' => "RIGHT-TO-LEFT OVERRIDE",
        '\u{2060}' => "WORD JOINER",
        '\u{2061}' => "FUNCTION APPLICATION",
        '\u{2062}' => "INVISIBLE TIMES",
        '\u{2063}' => "INVISIBLE SEPARATOR",
        '\u{2064}' => "INVISIBLE PLUS",
        '\u{2066}' => "LEFT-TO-RIGHT ISOLATE",
        '\u{2067}' => "RIGHT-TO-LEFT ISOLATE",
        '\u{2068}' => "FIRST STRONG ISOLATE",
        '\u{2069}' => "POP DIRECTIONAL ISOLATE",
        '\u{3164}' => "HANGUL FILLER",
        '\u{FE00}'..='\u{FE0F}' => "VARIATION SELECTOR",
        '\u{FEFF}' => "ZERO WIDTH NO-BREAK SPACE (byte order mark)",
        '\u{FFA0}' => "HALFWIDTH HANGUL FILLER",
        '\u{E0000}'..='\u{E007F}' => "TAG",
        c if c.is_control() => "control character",
        c if is_noncharacter(c) => "noncharacter",
        c if is_invisible(c) => "invisible formatting character",
        _ => "",
    };
    if name.is_empty() {
        format!("U+{:04X}", c as u32)
    } else {
        format!("U+{:04X} {name}", c as u32)
    }
}

/// The one check for invisible characters, shared by every name, slug, id
/// and file name: refuses control, format, default-ignorable and
/// bidirectional characters, naming the first one and its position.
pub fn visible(field: &str, value: &str) -> Result<()> {
    let Some((at, c)) = value.chars().enumerate().find(|&(_, c)| is_invisible(c)) else {
        return Ok(());
    };
    Err(Error::user(format!(
        "{field} '{}' contains {} at character {}",
        value.escape_debug(),
        describe_char(c),
        at + 1
    ))
    .with_hint(format!(
        "retype the {field} without it: names, slugs, ids and file names may not hold control, \
         invisible or text-direction characters"
    )))
}

/// "an" before a field whose first letter is a vowel ("an actor", "an --as"),
/// else "a".
fn article(field: &str) -> &'static str {
    match field.chars().find(|c| c.is_ascii_alphabetic()) {
        Some('a' | 'e' | 'i' | 'o' | 'u' | 'A' | 'E' | 'I' | 'O' | 'U') => "an",
        _ => "a",
    }
}

/// A display name (vendor name, title, actor): one line of visible text, at
/// most MAX_NAME_CHARS characters. Returns it trimmed and NFC-normalised, so
/// the same name typed on two keyboards is stored the same way.
pub fn name(field: &str, value: &str) -> Result<String> {
    let trimmed = value.trim();
    let length = trimmed.chars().count();
    if length > MAX_NAME_CHARS {
        return Err(Error::user(format!(
            "{field} is {length} characters long, over the limit of {MAX_NAME_CHARS}"
        ))
        .with_hint(format!(
            "{} {field} is at most {MAX_NAME_CHARS} characters; put longer text in a note",
            article(field)
        )));
    }
    // The value as given, so a trailing newline or tab is refused, not trimmed.
    visible(field, value)?;
    if trimmed.is_empty() {
        return Err(Error::user(format!("{field} is empty"))
            .with_hint(format!("give {} {field}", article(field))));
    }
    Ok(trimmed.nfc().collect())
}

/// An actor's name (`--as`, VETTER_USER) as `name` checks it, and in one
/// script. Four eyes compares actors' names, and so does anyone reading the
/// audit log: Cyrillic "о" inside Latin "bob" looks like "bob" and is
/// another name. A name written wholly in one script ("Борис", "李雷",
/// "山田たろう") is a name like any other; letters of two scripts in one name
/// are refused, naming the letter that does not belong (UTS #39
/// mixed-script detection, Han counted with Japanese and Korean).
pub fn actor(field: &str, value: &str) -> Result<String> {
    let name = name(field, value)?;
    let Some((at, c, among)) = mixed_script(&name) else {
        return Ok(name);
    };
    Err(Error::user(format!(
        "{field} '{name}' mixes scripts: character {at} is '{c}' ({}, {}) among {among} letters",
        describe_char(c),
        script_name(unicode_security::mixed_script::AugmentedScriptSet::for_char(c))
    ))
    .with_hint(format!(
        "write the name in one script, e.g. retype '{c}' in {among}: a letter of another script \
         can look the same yet make another name, one that passes for someone else's; a name \
         wholly in one script, such as Борис or 李雷, is fine"
    )))
}

/// The first letter of `name` outside the script most of its letters are
/// in, with its position (from 1) and that script's name; None when the
/// name is in one script. Digits, spaces and punctuation belong to every
/// script.
fn mixed_script(name: &str) -> Option<(usize, char, String)> {
    use unicode_security::mixed_script::AugmentedScriptSet;
    use unicode_security::MixedScript;
    if name.is_single_script() {
        return None;
    }
    let letters: Vec<(usize, char, AugmentedScriptSet)> = name
        .chars()
        .enumerate()
        .map(|(i, c)| (i + 1, c, AugmentedScriptSet::for_char(c)))
        .filter(|(_, _, set)| !set.is_all())
        .collect();
    let shares = |a: AugmentedScriptSet, b: AugmentedScriptSet| {
        let mut both = a;
        both.intersect_with(b);
        !both.is_empty()
    };
    // The script of the most letters (the first such on a tie).
    let mut main = letters[0].2;
    let mut most = 0;
    for (_, _, set) in &letters {
        let n = letters.iter().filter(|(_, _, o)| shares(*set, *o)).count();
        if n > most {
            (main, most) = (*set, n);
        }
    }
    letters
        .iter()
        .find(|(_, _, set)| !shares(main, *set))
        .map(|&(at, c, _)| (at, c, script_name(main)))
}

/// "Latin", "Cyrillic", "Han": the script(s) of a letter, as Unicode names them.
fn script_name(set: unicode_security::mixed_script::AugmentedScriptSet) -> String {
    let names: Vec<&str> = set.base.iter().map(|s| s.full_name()).collect();
    if !names.is_empty() {
        return names.join(" or ");
    }
    let augmented = if set.jpan {
        "Japanese"
    } else if set.kore {
        "Korean"
    } else {
        "Bopomofo"
    };
    augmented.to_string()
}

/// Whether two names look alike: the same after Unicode's confusable
/// skeleton (UTS #39: Cyrillic "А" and Latin "A", capital "I" and small "l",
/// "rn" and "m" map alike), compared without regard to case and runs of
/// white space. Two keys, because case and confusables interact: "PayPaI"
/// matches "PayPal" only before lowercasing (I is like l, i is not), and
/// "PAYPAI" matches "paypai" only after.
pub fn look_alike(a: &str, b: &str) -> bool {
    let (a, b) = (look_alike_keys(a), look_alike_keys(b));
    a[0] == b[0] || a[1] == b[1]
}

fn look_alike_keys(name: &str) -> [String; 2] {
    use unicode_security::confusable_detection::skeleton;
    let words = |s: String| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let name: String = name.nfc().collect();
    let skeleton_first: String = skeleton(&name).collect::<String>().to_lowercase();
    let lowercase_first = skeleton(&name.to_lowercase()).collect::<String>();
    [
        words(skeleton(&skeleton_first).collect()),
        words(
            skeleton(&lowercase_first)
                .collect::<String>()
                .to_lowercase(),
        ),
    ]
}

/// Free text such as a note: may span lines, but no bidirectional overrides or
/// control characters other than tab and newline, and at most MAX_TEXT_BYTES.
/// Empty text becomes None.
pub fn text(field: &str, value: Option<&str>) -> Result<Option<String>> {
    let Some(value) = value else { return Ok(None) };
    if value.len() > MAX_TEXT_BYTES {
        return Err(Error::user(format!(
            "{field} is {} bytes, over the limit of {MAX_TEXT_BYTES} bytes (64 KiB)",
            value.len()
        ))
        .with_hint(
            "shorten it, and attach the full document as evidence with `vetter evidence add`",
        ));
    }
    if value.trim().is_empty() {
        return Ok(None);
    }
    if let Some(c) = value.chars().find(|&c| is_bidi_override(c)) {
        return Err(Error::user(format!(
            "{field} contains the bidirectional control character {}",
            describe_char(c)
        ))
        .with_hint("remove the hidden formatting character and try again"));
    }
    if let Some(c) = value
        .chars()
        .find(|&c| c.is_control() && c != '\n' && c != '\t' && c != '\r')
    {
        return Err(Error::user(format!(
            "{field} contains the control character {}",
            describe_char(c)
        ))
        .with_hint("remove the control character and try again"));
    }
    Ok(Some(value.to_string()))
}

/// An http(s) URL with a host. Returns it as typed (trimmed).
pub fn url(field: &str, value: Option<&str>) -> Result<Option<String>> {
    let Some(value) = value else { return Ok(None) };
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    let hint = "give a full address such as https://example.com/trust";
    if value.len() > MAX_URL_BYTES {
        return Err(Error::user(format!(
            "{field} is {} bytes long, over the limit of {MAX_URL_BYTES} bytes",
            value.len()
        ))
        .with_hint("give the page's address without tracking parameters"));
    }
    let parsed = url::Url::parse(value)
        .map_err(|e| Error::user(format!("invalid {field} '{value}': {e}")).with_hint(hint))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(Error::user(format!(
            "invalid {field} '{value}': scheme '{}' is not http or https",
            parsed.scheme()
        ))
        .with_hint(hint));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(Error::user(format!("invalid {field} '{value}': no host")).with_hint(hint));
    }
    if value.chars().any(|c| c.is_whitespace() || is_invisible(c)) {
        return Err(Error::user(format!(
            "invalid {field} '{}': contains spaces or hidden characters",
            value.escape_debug()
        ))
        .with_hint(hint));
    }
    // Quotes and angle brackets are never part of an address (RFC 3986), so
    // the PDF's link finder ends a URL there, as it must in prose; a stored
    // address holding one would be linked cut short.
    if let Some(c) = value
        .chars()
        .find(|c| matches!(c, '"' | '<' | '>' | '\u{201D}'))
    {
        return Err(Error::user(format!(
            "invalid {field} '{value}': contains {c}, which an address never holds unencoded"
        ))
        .with_hint(format!(
            "percent-encode it ({c} is {}), as a browser's address bar does",
            c.to_string()
                .bytes()
                .map(|b| format!("%{b:02X}"))
                .collect::<String>()
        )));
    }
    Ok(Some(value.to_string()))
}

/// A calendar date, YYYY-MM-DD.
pub fn date(field: &str, value: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d").map_err(|_| {
        Error::user(format!("invalid {field} '{value}'"))
            .with_hint("dates are written YYYY-MM-DD, e.g. 2026-12-31")
    })
}

/// A date typed as YYYY-MM-DD, or counted from today: `+30d`, `+6w`, `+3m`,
/// `+1y` (so a script or a walkthrough does not go stale).
pub fn date_from_today(field: &str, value: &str, today: NaiveDate) -> Result<NaiveDate> {
    let text = value.trim();
    let Some(offset) = text.strip_prefix('+') else {
        return date(field, value).map_err(|e| {
            e.with_hint("dates are written YYYY-MM-DD (e.g. 2026-12-31), or from today as +30d, +6w, +3m or +1y")
        });
    };
    let invalid = || {
        Error::user(format!("invalid {field} '{value}'"))
            .with_hint("a date from today is +N followed by d, w, m or y, e.g. +30d or +6m")
    };
    let unit = offset.chars().last().ok_or_else(invalid)?;
    let n: u32 = offset[..offset.len() - unit.len_utf8()]
        .parse()
        .map_err(|_| invalid())?;
    let result = match unit {
        'd' => today.checked_add_days(chrono::Days::new(n.into())),
        'w' => today.checked_add_days(chrono::Days::new(u64::from(n) * 7)),
        'm' => today.checked_add_months(chrono::Months::new(n)),
        'y' => n
            .checked_mul(12)
            .and_then(|m| today.checked_add_months(chrono::Months::new(m))),
        _ => None,
    };
    result.ok_or_else(invalid)
}

/// A date by which something is due: a calendar date that is not in the
/// past, unless `allow_past` (recording something that was due earlier).
pub fn due_date(field: &str, value: &str, today: NaiveDate, allow_past: bool) -> Result<NaiveDate> {
    let date = date_from_today(field, value, today)?;
    if date < today && !allow_past {
        return Err(
            Error::user(format!("{field} {date} is in the past (today is {today})")).with_hint(
                "give a date from today on, or pass --allow-past to record one that has passed",
            ),
        );
    }
    Ok(date)
}

/// A slug: lowercase ASCII letters, digits and single hyphens, 1-64 long.
pub fn slug(value: &str) -> Result<String> {
    visible("slug", value)?;
    let ok = !value.is_empty()
        && value.len() <= 64
        && value
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !value.starts_with('-')
        && !value.ends_with('-')
        && !value.contains("--");
    if ok {
        Ok(value.to_string())
    } else {
        Err(Error::user(format!("invalid slug '{}'", value.escape_debug())).with_hint(
            "a slug is 1-64 lowercase ASCII letters, digits and single hyphens, e.g. acme-cloud",
        ))
    }
}

/// Derives a slug from a display name: accents are stripped ("Société" ->
/// "societe"), common Latin letters without a decomposition are spelled out
/// ("ß" -> "ss"), and spaces and punctuation become hyphens. A letter or
/// digit with no ASCII spelling (Cyrillic, Greek, Japanese...) is refused
/// rather than dropped: dropping it made Cyrillic "Аcme" the slug `cme`,
/// a slug that silently means something else. The error asks for `--slug`.
pub fn slug_from_name(name: &str) -> Result<String> {
    let mut ascii = String::new();
    for (at, original) in name.chars().enumerate() {
        for c in std::iter::once(original).nfkd() {
            if unicode_normalization::char::is_combining_mark(c) {
                continue;
            }
            let c = c.to_lowercase().next().unwrap_or(c);
            match c {
                'a'..='z' | '0'..='9' => ascii.push(c),
                'ß' => ascii.push_str("ss"),
                'æ' => ascii.push_str("ae"),
                'œ' => ascii.push_str("oe"),
                'ø' => ascii.push('o'),
                'đ' | 'ð' => ascii.push('d'),
                'ł' => ascii.push('l'),
                'þ' => ascii.push_str("th"),
                'ı' => ascii.push('i'),
                '&' => ascii.push_str("-and-"),
                c if c.is_alphanumeric() => {
                    return Err(Error::user(format!(
                        "cannot derive a slug from the name '{}': '{original}' ({}, character {}) has no ASCII spelling",
                        name.escape_debug(),
                        describe_char(original),
                        at + 1
                    ))
                    .with_hint(format!(
                        "choose a slug with --slug, e.g. `vetter vendor add '{name}' --slug acme`"
                    )))
                }
                _ => ascii.push('-'),
            }
        }
    }
    let words: Vec<&str> = ascii.split('-').filter(|w| !w.is_empty()).collect();
    let mut slug = String::new();
    for word in words {
        let separator = usize::from(!slug.is_empty());
        if slug.len() + separator + word.len() > 64 {
            // A first word longer than a slug may be is cut, not dropped
            // (the slug is ASCII here, so any byte is a boundary).
            if slug.is_empty() {
                slug.push_str(&word[..64]);
            }
            break;
        }
        if separator == 1 {
            slug.push('-');
        }
        slug.push_str(word);
    }
    // Only digits ("2024") or nothing at all ("!!!") says nothing about the vendor.
    if !slug.chars().any(|c| c.is_ascii_alphabetic()) {
        return Err(Error::user(format!(
            "cannot derive a slug from the name '{}': it has no letters",
            name.escape_debug()
        ))
        .with_hint(format!(
            "choose a slug with --slug, e.g. `vetter vendor add '{name}' --slug acme`"
        )));
    }
    Ok(slug)
}

/// Reads a whole file of at most `max_bytes`, stopping as soon as one byte
/// more arrives: a file's size on disk says nothing about /dev/zero, a pipe
/// or a file still being written, so the cap is enforced while reading.
/// `limit` names the cap as the word before "limit" in "over the import
/// limit of ..." (see `over_limit`).
pub fn read_capped(
    path: &std::path::Path,
    limit: &str,
    max_bytes: u64,
    hint: &str,
) -> Result<Vec<u8>> {
    use std::io::Read;
    let shown = path.display();
    let meta = input_file(path, limit, max_bytes, hint)?;
    let file = std::fs::File::open(path)
        .map_err(|e| Error::user(format!("cannot read '{shown}': {e}")))?;
    // Reserve what a regular file says it holds (never more than the cap).
    // A device or pipe reports 0: reserve the whole cap (plus the one byte
    // that proves it over), which the allocator maps lazily, so the buffer
    // is never doubled past the cap as bytes arrive (/dev/zero as a 64 MiB
    // --font peaked at 232 MB that way).
    let reserve = if meta.is_file() {
        meta.len().min(max_bytes)
    } else {
        max_bytes.saturating_add(1)
    };
    let mut bytes = Vec::with_capacity(reserve.min(1 << 30) as usize);
    file.take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| Error::user(format!("cannot read '{shown}': {e}")))?;
    if bytes.len() as u64 > max_bytes {
        debug_assert!(bare_noun(limit), "limit name {limit:?} has an article");
        return Err(Error::user(format!(
            "'{shown}' is over the {limit} limit of {}: more than {max_bytes} bytes arrived, and reading stopped there",
            bytes_and_size(max_bytes)
        ))
        .with_hint(hint.to_string()));
    }
    Ok(bytes)
}

/// "104857600 bytes (100 MiB)": exact, and readable.
pub fn bytes_and_size(n: u64) -> String {
    const UNITS: [(u64, &str); 3] = [(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")];
    match UNITS.iter().find(|(unit, _)| n >= *unit) {
        Some((unit, name)) if n.is_multiple_of(*unit) => format!("{n} bytes ({} {name})", n / unit),
        Some((unit, name)) => format!("{n} bytes ({:.1} {name})", n as f64 / *unit as f64),
        None => format!("{n} bytes"),
    }
}

/// The error for a file of `size` bytes over a `limit` of `max_bytes`,
/// with how to get past it. `limit` is a bare noun, as in "over the import
/// limit": "import", "evidence", "questionnaire", "clause file", never "a
/// questionnaire" (which read "over the a questionnaire limit").
pub fn over_limit(
    path: &std::path::Path,
    size: u64,
    limit: &str,
    max_bytes: u64,
    hint: &str,
) -> Error {
    debug_assert!(bare_noun(limit), "limit name {limit:?} has an article");
    Error::user(format!(
        "'{}' is {size} bytes, over the {limit} limit of {}",
        path.display(),
        bytes_and_size(max_bytes)
    ))
    .with_hint(hint.to_string())
}

/// A limit's name fits "over the {limit} limit": no article before it.
fn bare_noun(limit: &str) -> bool {
    !["a ", "an ", "the "].iter().any(|a| limit.starts_with(a))
}

/// Checks a file a command is about to read: it exists, is not a directory,
/// and is no larger than `max_bytes`. Returns its metadata (links followed).
pub fn input_file(
    path: &std::path::Path,
    limit: &str,
    max_bytes: u64,
    hint: &str,
) -> Result<std::fs::Metadata> {
    let shown = path.display();
    let meta = std::fs::metadata(path).map_err(|e| {
        Error::user(format!("cannot read '{shown}': {e}")).with_hint("check the file path")
    })?;
    if meta.is_dir() {
        return Err(Error::user(format!("'{shown}' is a directory"))
            .with_hint("give one file, not a directory"));
    }
    if meta.len() > max_bytes {
        return Err(over_limit(path, meta.len(), limit, max_bytes, hint));
    }
    Ok(meta)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_first_word_is_cut_to_a_slug_not_dropped() {
        // The fuzz target's reader found 64 letters making an empty slug.
        let word = "a".repeat(64);
        assert_eq!(slug_from_name(&word).unwrap(), word);
        assert_eq!(slug_from_name(&"b".repeat(80)).unwrap(), "b".repeat(64));
        let two = format!("{} {}", "c".repeat(40), "d".repeat(23));
        assert_eq!(slug_from_name(&two).unwrap(), two.replace(' ', "-"));
        let over = format!("{} {}", "c".repeat(40), "d".repeat(24));
        assert_eq!(slug_from_name(&over).unwrap(), "c".repeat(40));
    }

    #[test]
    fn slugs_from_unicode_names() {
        assert_eq!(
            slug_from_name("Société Générale Cloud").unwrap(),
            "societe-generale-cloud"
        );
        assert_eq!(
            slug_from_name("Straße & Ørsted GmbH").unwrap(),
            "strasse-and-orsted-gmbh"
        );
        assert_eq!(slug_from_name("  Xano  ").unwrap(), "xano");
        assert_eq!(slug_from_name("Ærø Cloud").unwrap(), "aero-cloud");
        for unfaithful in [
            "株式会社テスト",
            "株式会社テスト 2",
            "\u{410}cme",
            "Acme Ωmega",
            "2024",
        ] {
            assert!(slug_from_name(unfaithful).is_err(), "{unfaithful}");
        }
    }

    #[test]
    fn refuses_deceptive_names() {
        assert!(name("name", "Acme\u{202E}duolc").is_err());
        assert!(name("name", "Ac\u{200B}me").is_err());
        assert!(name("name", "Acme\u{2066}").is_err());
        // Noncharacters: U+FFFF broke the XMP of the packet's PDF.
        for c in [
            '\u{FFFE}',
            '\u{FFFF}',
            '\u{FDD0}',
            '\u{1FFFF}',
            '\u{10FFFE}',
        ] {
            let err = name("name", &format!("Bad{c}Name"))
                .unwrap_err()
                .to_string();
            assert!(err.contains("noncharacter"), "{err}");
        }
        assert!(
            name("name", "Acme \u{FFFD}").is_ok(),
            "the replacement character is text"
        );
        assert!(name("name", "   ").is_err());
        assert_eq!(name("name", " Société ").unwrap(), "Société");
    }

    #[test]
    fn an_actor_is_named_in_one_script() {
        let refused = |value: &str| actor("actor", value).unwrap_err().message;
        let err = refused("b\u{43E}b");
        assert!(
            err.contains("character 2 is '\u{43E}' (U+043E, Cyrillic) among Latin letters"),
            "{err}"
        );
        // The odd letter is the one outside the name's main script, even first.
        assert!(refused("\u{43E}bb").contains("character 1"));
        assert!(refused("\u{411}\u{43E}\u{440}\u{438}\u{441} Smith").contains("'S'"));
        for ok in [
            "bob",
            "Борис",
            "李雷",
            "山田たろう",
            "김민준",
            "Ελένη",
            "José Müller",
            "o'brien-2 (ops)",
        ] {
            assert_eq!(actor("actor", ok).unwrap(), ok);
        }
        // Wholly Cyrillic yet spelling "alice": one script, so a name; four
        // eyes still takes it for alice (signoff compares look-alikes).
        let cyrillic_alice = "\u{430}\u{4CF}\u{456}\u{441}\u{435}";
        assert!(actor("actor", cyrillic_alice).is_ok());
        assert!(look_alike("alice", cyrillic_alice));
    }

    #[test]
    fn urls_need_http_and_host() {
        assert!(url("url", Some("https://trust.example.com"))
            .unwrap()
            .is_some());
        assert!(url("url", Some("ftp://example.com")).is_err());
        assert!(url("url", Some("example.com")).is_err());
        assert!(url("url", Some("javascript:alert(1)")).is_err());
        // The PDF would link these cut short at the quote.
        let err = url("--url", Some("https://example.com/a?d=\"e\""))
            .unwrap_err()
            .to_string();
        assert!(err.contains("contains \""), "{err}");
        assert!(url("url", Some("https://example.com/a_(b)/c?d=%22e%22&f=\\g")).is_ok());
    }

    #[test]
    fn slugs_are_checked() {
        assert!(slug("acme-cloud").is_ok());
        assert!(slug("Acme").is_err());
        assert!(slug("-acme").is_err());
        assert!(slug("a--b").is_err());
    }
}

#[cfg(test)]
mod relative_date_tests {
    use super::*;

    #[test]
    fn dates_count_from_today() {
        let today = NaiveDate::from_ymd_opt(2026, 1, 31).unwrap();
        let d = |s| date_from_today("--due", s, today).map(|d| d.to_string());
        assert_eq!(d("+30d").unwrap(), "2026-03-02");
        assert_eq!(d("+2w").unwrap(), "2026-02-14");
        assert_eq!(d("+1m").unwrap(), "2026-02-28");
        assert_eq!(d("+1y").unwrap(), "2027-01-31");
        assert_eq!(d("2026-12-31").unwrap(), "2026-12-31");
        for bad in ["+", "+d", "+3x", "+-3d", "30d", "+99999999999d"] {
            assert!(d(bad).is_err(), "{bad} was accepted");
        }
    }
}

/// The name an audit event records for a file the user gave: its last
/// component (`findings.csv`), never the directories of the reviewer's
/// machine; `stdin` for a pipe's `/dev/stdin` and the like.
pub fn file_name_of(path: &std::path::Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}
