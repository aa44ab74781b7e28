//! `vetter::commands::subprocessor::parse_list` on arbitrary CSV text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vetter::commands::subprocessor::parse_list;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(subs) = parse_list(text, "fuzz.csv", "2026-01-15") {
        for sub in &subs {
            // Every name, purpose and location went through validate::name.
            assert!(vetter::validate::visible("name", &sub.name).is_ok());
            assert!(!sub.name.is_empty() && !sub.purpose.is_empty() && !sub.location.is_empty());
            assert_eq!(sub.seen, "2026-01-15");
        }
    }
});
