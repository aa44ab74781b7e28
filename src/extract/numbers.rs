//! Durations as agreements write them: "72 hours", "seventy-two (72)
//! hours", "forty-eight hours", "2 business days", "thirty (30) calendar
//! days", "one (1) month". When words and digits disagree ("seventy (72)")
//! the duration is not read at all: a wrong number is worse than none.

use regex::Regex;
use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Hours,
    Days,
    BusinessDays,
    Weeks,
    Months,
    Years,
}

/// A duration found in a sentence, with its byte range there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Duration {
    pub value: u32,
    pub unit: Unit,
    pub start: usize,
    pub end: usize,
}

impl Duration {
    /// In hours, when the unit converts exactly (business days do not: a
    /// weekend in between changes them).
    pub fn hours(self) -> Option<u32> {
        match self.unit {
            Unit::Hours => Some(self.value),
            Unit::Days => self.value.checked_mul(24),
            _ => None,
        }
    }

    /// In calendar days, when the unit converts exactly.
    pub fn days(self) -> Option<u32> {
        match self.unit {
            Unit::Days => Some(self.value),
            Unit::Weeks => self.value.checked_mul(7),
            Unit::Months => self.value.checked_mul(30),
            Unit::Years => self.value.checked_mul(365),
            Unit::Hours if self.value.is_multiple_of(24) => Some(self.value / 24),
            _ => None,
        }
    }
}

fn duration_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?ix)
            \b(?:
                (?P<words>[a-z]+(?:[-\s][a-z]+){0,3})\s*\(\s*(?P<paren>\d{1,4})\s*\)
              | (?P<digits>\d{1,4})
              | (?P<only>[a-z]+(?:[-\s][a-z]+){0,3})
            )
            [\s-]*(?P<kind>business|working|calendar)?[\s-]*
            (?P<unit>hours?|days?|weeks?|months?|years?)(?:\b|_)",
        )
        .expect("the duration pattern is valid")
    })
}

/// Every duration in `text`, in order.
pub fn durations(text: &str) -> Vec<Duration> {
    let mut out = Vec::new();
    for c in duration_regex().captures_iter(text) {
        let value = if let Some(paren) = c.name("paren") {
            let digits: u32 = match paren.as_str().parse() {
                Ok(n) => n,
                Err(_) => continue,
            };
            // "seventy-two (72)": the words must say the same number, though
            // a word before them may be no number at all ("within (72)").
            match trailing_number_words(&c["words"]) {
                Some(w) if w != digits => continue,
                _ => digits,
            }
        } else if let Some(d) = c.name("digits") {
            match d.as_str().parse() {
                Ok(n) => n,
                Err(_) => continue,
            }
        } else {
            match trailing_number_words(&c["only"]) {
                Some(n) => n,
                None => continue,
            }
        };
        let unit = c["unit"].to_ascii_lowercase();
        let business = c.name("kind").is_some_and(|k| {
            matches!(
                k.as_str().to_ascii_lowercase().as_str(),
                "business" | "working"
            )
        });
        let unit = match unit.trim_end_matches('s') {
            "hour" => Unit::Hours,
            "day" if business => Unit::BusinessDays,
            "day" => Unit::Days,
            "week" => Unit::Weeks,
            "month" => Unit::Months,
            _ => Unit::Years,
        };
        let whole = c.get(0).expect("a match has a whole");
        // The match may have swallowed words before the number ("within
        // seventy-two"): start at the number itself.
        let start = c
            .name("words")
            .or(c.name("only"))
            .map(|w| w.start() + number_words_offset(w.as_str()))
            .unwrap_or(whole.start());
        out.push(Duration {
            value,
            unit,
            start,
            end: whole.end(),
        });
    }
    out
}

/// The number the last words of `phrase` spell ("within seventy-two" ->
/// 72, "one hundred and twenty" -> 120), or None.
fn trailing_number_words(phrase: &str) -> Option<u32> {
    let words: Vec<String> = phrase
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| !w.is_empty())
        .map(|w| w.to_ascii_lowercase())
        .collect();
    // The longest tail of the phrase that is a number.
    (0..words.len()).find_map(|from| words_to_number(&words[from..]))
}

/// Where in `phrase` the number words start.
fn number_words_offset(phrase: &str) -> usize {
    let mut offsets = Vec::new();
    let mut in_word = false;
    for (i, c) in phrase.char_indices() {
        let part = !(c.is_whitespace() || c == '-');
        if part && !in_word {
            offsets.push(i);
        }
        in_word = part;
    }
    let words: Vec<String> = phrase
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| !w.is_empty())
        .map(|w| w.to_ascii_lowercase())
        .collect();
    (0..words.len())
        .find(|&from| words_to_number(&words[from..]).is_some())
        .map_or(0, |from| offsets[from])
}

fn words_to_number(words: &[String]) -> Option<u32> {
    if words.is_empty() {
        return None;
    }
    let mut total = 0u32;
    let mut current = 0u32;
    let mut any = false;
    for word in words {
        let w = word.as_str();
        if w == "and" && any {
            continue;
        }
        if let Some(n) = small(w) {
            // "twenty two" adds; "two twenty" is no number.
            if !current.is_multiple_of(10) && n < 10
                || (current != 0 && n >= 10 && !current.is_multiple_of(100))
            {
                return None;
            }
            current += n;
            any = true;
        } else if w == "hundred" && any && current > 0 && current < 10 {
            current *= 100;
        } else if w == "thousand" && any {
            total += current.max(1) * 1000;
            current = 0;
        } else {
            return None;
        }
    }
    any.then_some(total + current)
}

fn small(word: &str) -> Option<u32> {
    Some(match word {
        "a" | "an" => return None,
        "zero" => 0,
        "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "thirteen" => 13,
        "fourteen" => 14,
        "fifteen" => 15,
        "sixteen" => 16,
        "seventeen" => 17,
        "eighteen" => 18,
        "nineteen" => 19,
        "twenty" => 20,
        "thirty" => 30,
        "forty" => 40,
        "fifty" => 50,
        "sixty" => 60,
        "seventy" => 70,
        "eighty" => 80,
        "ninety" => 90,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Vec<(u32, Unit, &str)> {
        durations(text)
            .into_iter()
            .map(|d| (d.value, d.unit, &text[d.start..d.end]))
            .collect()
    }

    #[test]
    fn digits_words_and_both() {
        assert_eq!(read("within 72 hours"), [(72, Unit::Hours, "72 hours")]);
        assert_eq!(
            read("within seventy-two (72) hours of"),
            [(72, Unit::Hours, "seventy-two (72) hours")]
        );
        assert_eq!(
            read("within forty-eight hours"),
            [(48, Unit::Hours, "forty-eight hours")]
        );
        assert_eq!(
            read("within 2 business days"),
            [(2, Unit::BusinessDays, "2 business days")]
        );
        assert_eq!(
            read("thirty (30) calendar days"),
            [(30, Unit::Days, "thirty (30) calendar days")]
        );
        assert_eq!(read("one (1) month"), [(1, Unit::Months, "one (1) month")]);
        assert_eq!(
            read("one hundred and eighty days"),
            [(180, Unit::Days, "one hundred and eighty days")]
        );
        assert_eq!(read("ninety-day window"), [(90, Unit::Days, "ninety-day")]);
    }

    #[test]
    fn words_and_digits_that_disagree_are_not_read() {
        assert!(read("seventy (72) hours").is_empty());
    }

    #[test]
    fn words_that_are_no_number_are_not_read() {
        assert!(read("within the following days").is_empty());
        assert!(read("business days").is_empty());
    }
}
