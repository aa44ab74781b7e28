//! `vetter::checklist::parse` on arbitrary text: a checklist TOML file from
//! a user must be refused with an error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(checklist) = vetter::checklist::parse("fuzz.toml", text, "user") {
        // What parse accepted is what review start will use.
        assert!(checklist.item_count() > 0);
        let _ = checklist.items().count();
    }
});
