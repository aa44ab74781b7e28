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
    // About 700 bytes an event; one buffer, lines folded as they are written.
    let mut out = String::with_capacity(256 + entries.len() * 720);
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        PRODID,
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:vetter: vendor dates",
    ] {
        fold(line, &mut out);
    }
    let mut line = String::with_capacity(256);
    let mut put = |out: &mut String, parts: &[&str]| {
        line.clear();
        for p in parts {
            line.push_str(p);
        }
        fold(&line, out);
    };
    for e in entries {
        let day = e.date.replace('-', "");
        let next = chrono::NaiveDate::parse_from_str(&e.date, "%Y-%m-%d")
            .ok()
            .and_then(|d| d.succ_opt())
            .map(|d| d.format("%Y%m%d").to_string())
            .unwrap_or_else(|| day.clone());
        let id = e.id.to_string();
        let summary = format!("{}: {} #{} ({})", e.vendor, e.what, e.id, e.state);
        let summary = escape(&summary);
        put(&mut out, &["BEGIN:VEVENT"]);
        put(
            &mut out,
            &[
                "UID:", e.what, "-", &e.vendor, "-", &id, "-", &day, "@vetter",
            ],
        );
        put(&mut out, &["DTSTAMP:", &dtstamp]);
        put(&mut out, &["DTSTART;VALUE=DATE:", &day]);
        put(&mut out, &["DTEND;VALUE=DATE:", &next]);
        put(&mut out, &["SUMMARY:", &summary]);
        put(&mut out, &["DESCRIPTION:", &escape(&e.description)]);
        put(&mut out, &["CATEGORIES:", e.what]);
        put(&mut out, &["TRANSP:TRANSPARENT"]);
        put(&mut out, &["BEGIN:VALARM"]);
        put(&mut out, &["ACTION:DISPLAY"]);
        put(&mut out, &["DESCRIPTION:in 7 days: ", &summary]);
        put(&mut out, &["TRIGGER:-P7D"]);
        put(&mut out, &["END:VALARM"]);
        put(&mut out, &["END:VEVENT"]);
    }
    fold("END:VCALENDAR", &mut out);
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
    if line.len() <= 75 {
        out.push_str(line);
        out.push_str("\r\n");
        return;
    }
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
