//! Checks on values typed by a user, shared by every command and the CSV import.
//! Each check returns an error that names the bad value and says how to fix it.

use crate::error::{Error, Result};
use chrono::NaiveDate;
use unicode_normalization::UnicodeNormalization;

/// Characters that make text display differently from how it is stored
/// ("Trojan Source", CVE-2021-42574): bidirectional embeddings, overrides and
/// isolates, and zero-width characters.
fn is_deceptive(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200B}'..='\u{200F}')
}

fn describe_char(c: char) -> String {
    format!("U+{:04X}", c as u32)
}

/// A display name (vendor name, title): non-empty, one line, no deceptive or
/// control characters. Returns the name trimmed.
pub fn name(field: &str, value: &str) -> Result<String> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(Error::user(format!("{field} is empty")).with_hint(format!("give a {field}")));
    }
    if let Some(c) = trimmed.chars().find(|&c| is_deceptive(c)) {
        return Err(Error::user(format!(
            "{field} '{}' contains the invisible or bidirectional character {}",
            trimmed.escape_debug(),
            describe_char(c)
        ))
        .with_hint("retype the name without hidden formatting characters"));
    }
    if let Some(c) = trimmed.chars().find(|c| c.is_control()) {
        return Err(Error::user(format!(
            "{field} '{}' contains the control character {}",
            trimmed.escape_debug(),
            describe_char(c)
        ))
        .with_hint(format!("a {field} is one line of printable text")));
    }
    if trimmed.chars().count() > 200 {
        return Err(Error::user(format!(
            "{field} is {} characters long",
            trimmed.chars().count()
        ))
        .with_hint(format!("a {field} is at most 200 characters")));
    }
    Ok(trimmed.to_string())
}

/// Free text such as a note: may span lines, but no bidirectional overrides or
/// control characters other than tab and newline. Empty text becomes None.
pub fn text(field: &str, value: Option<&str>) -> Result<Option<String>> {
    let Some(value) = value else { return Ok(None) };
    if value.trim().is_empty() {
        return Ok(None);
    }
    if let Some(c) = value
        .chars()
        .find(|&c| matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'))
    {
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
    if value.chars().any(|c| c.is_whitespace() || is_deceptive(c)) {
        return Err(Error::user(format!(
            "invalid {field} '{}': contains spaces or hidden characters",
            value.escape_debug()
        ))
        .with_hint(hint));
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
/// ("ß" -> "ss"), and everything else becomes a hyphen. Returns None when
/// nothing usable is left (e.g. a name written only in Japanese), so the
/// caller can ask for `--slug`.
pub fn slug_from_name(name: &str) -> Option<String> {
    let mut ascii = String::new();
    for c in name.nfkd() {
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
            _ => ascii.push('-'),
        }
    }
    let words: Vec<&str> = ascii.split('-').filter(|w| !w.is_empty()).collect();
    let mut slug = String::new();
    for word in words {
        if slug.len() + word.len() + 1 > 64 {
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(word);
    }
    // A name that is mostly non-Latin would give a misleading fragment
    // ("株式会社テスト 2" -> "2"); ask for a slug instead.
    let letters = slug.chars().filter(|c| c.is_ascii_alphabetic()).count();
    if letters == 0 {
        None
    } else {
        Some(slug)
    }
}

/// The error for a file of `size` bytes over a `limit` of `max_bytes`
/// ("import", "evidence", "checklist"), with how to get past it.
pub fn over_limit(
    path: &std::path::Path,
    size: u64,
    limit: &str,
    max_bytes: u64,
    hint: &str,
) -> Error {
    Error::user(format!(
        "'{}' is {size} bytes, over the {limit} limit of {max_bytes} bytes",
        path.display()
    ))
    .with_hint(hint.to_string())
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
    fn slugs_from_unicode_names() {
        assert_eq!(
            slug_from_name("Société Générale Cloud").as_deref(),
            Some("societe-generale-cloud")
        );
        assert_eq!(
            slug_from_name("Straße & Ørsted GmbH").as_deref(),
            Some("strasse-and-orsted-gmbh")
        );
        assert_eq!(slug_from_name("  Xano  ").as_deref(), Some("xano"));
        assert_eq!(slug_from_name("株式会社テスト"), None);
        assert_eq!(slug_from_name("株式会社テスト 2"), None);
    }

    #[test]
    fn refuses_deceptive_names() {
        assert!(name("name", "Acme\u{202E}duolc").is_err());
        assert!(name("name", "Ac\u{200B}me").is_err());
        assert!(name("name", "Acme\u{2066}").is_err());
        assert!(name("name", "   ").is_err());
        assert_eq!(name("name", " Société ").unwrap(), "Société");
    }

    #[test]
    fn urls_need_http_and_host() {
        assert!(url("url", Some("https://trust.example.com"))
            .unwrap()
            .is_some());
        assert!(url("url", Some("ftp://example.com")).is_err());
        assert!(url("url", Some("example.com")).is_err());
        assert!(url("url", Some("javascript:alert(1)")).is_err());
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
