//! The vendor calendar as iCalendar (RFC 5545), for people to subscribe to:
//! one all-day VEVENT per date, a UID that stays the same from run to run
//! (what, vendor, record and date), and a VALARM seven days before.

use crate::domain::calendar::Due;

/// What a calendar file vetter wrote starts with (`--force` checks it).
pub const PRODID: &str = "PRODID:-//vetter//vendor calendar//EN";

/// The calendar of `entries`; `stamp` is when it was made (RFC 3339, UTC),
/// each event's DTSTAMP.
pub fn render(entries: &[Due], stamp: &str) -> String {
    let dtstamp = stamp_utc(stamp);
    let mut lines: Vec<String> = vec![
        "BEGIN:VCALENDAR".into(),
        "VERSION:2.0".into(),
        PRODID.into(),
        "CALSCALE:GREGORIAN".into(),
        "METHOD:PUBLISH".into(),
        "X-WR-CALNAME:vetter: vendor dates".into(),
    ];
    for e in entries {
        let day = e.date.replace('-', "");
        let next = chrono::NaiveDate::parse_from_str(&e.date, "%Y-%m-%d")
            .ok()
            .and_then(|d| d.succ_opt())
            .map(|d| d.format("%Y%m%d").to_string())
            .unwrap_or_else(|| day.clone());
        let summary = format!("{}: {} #{} ({})", e.vendor, e.what, e.id, e.state);
        lines.extend([
            "BEGIN:VEVENT".into(),
            format!("UID:{}-{}-{}-{day}@vetter", e.what, e.vendor, e.id),
            format!("DTSTAMP:{dtstamp}"),
            format!("DTSTART;VALUE=DATE:{day}"),
            format!("DTEND;VALUE=DATE:{next}"),
            format!("SUMMARY:{}", escape(&summary)),
            format!("DESCRIPTION:{}", escape(&e.description)),
            format!("CATEGORIES:{}", escape(e.what)),
            "TRANSP:TRANSPARENT".into(),
            "BEGIN:VALARM".into(),
            "ACTION:DISPLAY".into(),
            format!("DESCRIPTION:{}", escape(&format!("in 7 days: {summary}"))),
            "TRIGGER:-P7D".into(),
            "END:VALARM".into(),
            "END:VEVENT".into(),
        ]);
    }
    lines.push("END:VCALENDAR".into());
    let mut out = String::new();
    for line in lines {
        fold(&line, &mut out);
    }
    out
}

/// "2026-12-05T10:00:00Z" (or with an offset) as 20261205T100000Z.
fn stamp_utc(stamp: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(stamp)
        .map(|t| {
            t.with_timezone(&chrono::Utc)
                .format("%Y%m%dT%H%M%SZ")
                .to_string()
        })
        .unwrap_or_else(|_| "19700101T000000Z".into())
}

/// A TEXT value: backslash, semicolon and comma escaped, line breaks as \n.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// One content line, folded at 75 octets (never inside a UTF-8 character),
/// with CRLF line ends.
fn fold(line: &str, out: &mut String) {
    let mut used = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if used + n > 75 {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += n;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_fold_at_75_octets_and_text_is_escaped() {
        let mut out = String::new();
        let long = format!("DESCRIPTION:{}", "é".repeat(60));
        fold(&long, &mut out);
        for line in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
        let unfolded = out.replace("\r\n ", "").replace("\r\n", "");
        assert_eq!(unfolded, long);
        assert_eq!(escape("a;b,c\\d\ne"), "a\\;b\\,c\\\\d\\ne");
        assert_eq!(stamp_utc("2026-12-05T10:00:00+01:00"), "20261205T090000Z");
    }
}
