//! `vetter::validate::{name, slug, slug_from_name, visible}` on arbitrary
//! text: errors are fine, panics are not; and what they accept is valid.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vetter::validate;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let visible = validate::visible("name", text).is_ok();
    if let Ok(name) = validate::name("name", text) {
        // name checks the value as given, so an accepted value was visible.
        assert!(visible);
        assert!(!name.is_empty());
        assert_eq!(name.trim(), name);
    }
    match validate::slug(text) {
        Ok(slug) => {
            assert_eq!(slug, text);
            assert!(visible);
        }
        Err(_) => {}
    }
    if let Ok(slug) = validate::slug_from_name(text) {
        // A derived slug is one `slug` accepts.
        assert!(
            validate::slug(&slug).is_ok(),
            "slug_from_name({text:?}) = {slug:?}"
        );
    }
});
