//! Quotes as a reader sees them. A quote is stored verbatim, Markdown and
//! all (it must be found in the agreement's text as written), but tables
//! and the PDF show it without the markup: `**Processor**` reads as
//! Processor, `2\.1` as 2.1, `[list](https://x)` as list (https://x).

use regex::Regex;
use std::borrow::Cow;
use std::sync::OnceLock;

/// The quote without Markdown markup; text with none comes back as it is.
pub fn plain(quote: &str) -> Cow<'_, str> {
    if !quote.contains(['*', '_', '\\', '#', '[', '`']) {
        return Cow::Borrowed(quote);
    }
    static RES: OnceLock<[(Regex, &str); 6]> = OnceLock::new();
    let res = RES.get_or_init(|| {
        [
            // A link: its words, then where it points. (Unbounded classes:
            // `\S{1,500}` compiles to 500 copies of Unicode's non-space
            // class, milliseconds in every process that shows a quote.)
            (
                Regex::new(r"\[([^\]\n]+)\]\(([^)\s]+)\)").expect("valid"),
                "$1 ($2)",
            ),
            // Strong and emphasis markers around words.
            (Regex::new(r"\*\*|__").expect("valid"), ""),
            (
                Regex::new(r"(^|[\s(])[*_]([^*_\s][^*_\n]*?)[*_]").expect("valid"),
                "$1$2",
            ),
            // A backslash escape: the character it escapes.
            (
                Regex::new(r"\\([\\`*_{}\[\]()#+\-.!|>])").expect("valid"),
                "$1",
            ),
            // Heading marks at a line's start.
            (Regex::new(r"(?m)^[ \t]*#{1,6}[ \t]+").expect("valid"), ""),
            // Inline code ticks.
            (Regex::new(r"`([^`\n]*)`").expect("valid"), "$1"),
        ]
    });
    let mut out = Cow::Borrowed(quote);
    for (re, with) in res {
        if let Cow::Owned(s) = re.replace_all(&out, *with) {
            out = Cow::Owned(s);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::plain;

    #[test]
    fn markup_goes_and_words_stay() {
        assert_eq!(
            plain("**Processor** shall notify"),
            "Processor shall notify"
        );
        assert_eq!(
            plain(r"Section 2\.1 applies \(see below\)"),
            "Section 2.1 applies (see below)"
        );
        assert_eq!(
            plain("listed at [our page](https://x.example/subprocessors)."),
            "listed at our page (https://x.example/subprocessors)."
        );
        assert_eq!(plain("## 9. Breach"), "9. Breach");
        assert_eq!(
            plain("an *important* term and snake_case_name"),
            "an important term and snake_case_name"
        );
        assert_eq!(plain("3 * 4 = 12"), "3 * 4 = 12");
        assert_eq!(plain("plain words"), "plain words");
    }
}
