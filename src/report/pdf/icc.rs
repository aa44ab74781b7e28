//! An sRGB ICC profile (version 2, matrix/TRC) built from the sRGB
//! definition (IEC 61966-2-1) itself, for the PDF/A output intent. Built in
//! code, so there is no third-party profile and no licence to carry.

/// sRGB's primaries, adapted to the D50 white of the ICC profile connection
/// space with the Bradford transform (the values of the ICC's own sRGB
/// profiles), as XYZ columns for red, green and blue.
const RED: [f64; 3] = [0.436_074_7, 0.222_504_5, 0.013_932_2];
const GREEN: [f64; 3] = [0.385_064_9, 0.716_878_6, 0.097_104_5];
const BLUE: [f64; 3] = [0.143_080_4, 0.060_616_9, 0.714_173_3];
/// The PCS illuminant and this display's white point: D50.
const D50: [f64; 3] = [0.964_2, 1.0, 0.824_9];

/// Samples of the tone curve; 1024 keep the sampled curve within 0.1% of
/// the formula.
const CURVE_POINTS: usize = 1024;

const DESCRIPTION: &str = "sRGB IEC61966-2.1";
const COPYRIGHT: &str = "No copyright: built by vetter from the sRGB definition";

/// The profile's bytes. Always the same, so packets stay reproducible.
pub fn srgb_profile() -> Vec<u8> {
    let curve = curve_tag();
    // (signature, data); the three tone curves share one data block.
    let tags: [(&[u8; 4], Vec<u8>); 6] = [
        (b"desc", desc_tag(DESCRIPTION)),
        (b"cprt", text_tag(COPYRIGHT)),
        (b"wtpt", xyz_tag(D50)),
        (b"rXYZ", xyz_tag(RED)),
        (b"gXYZ", xyz_tag(GREEN)),
        (b"bXYZ", xyz_tag(BLUE)),
    ];
    let table_len = 4 + 12 * (tags.len() + 3);
    let mut offset = 128 + table_len;
    let mut table = Vec::new();
    let mut data = Vec::new();
    let entry = |table: &mut Vec<u8>, sig: &[u8; 4], at: usize, len: usize| {
        table.extend_from_slice(sig);
        table.extend_from_slice(&(at as u32).to_be_bytes());
        table.extend_from_slice(&(len as u32).to_be_bytes());
    };
    for (sig, bytes) in &tags {
        entry(&mut table, sig, offset, bytes.len());
        data.extend_from_slice(bytes);
        // Tag data starts on a 4-byte boundary.
        while data.len() % 4 != 0 {
            data.push(0);
        }
        offset = 128 + table_len + data.len();
    }
    for sig in [b"rTRC", b"gTRC", b"bTRC"] {
        entry(&mut table, sig, offset, curve.len());
    }
    data.extend_from_slice(&curve);

    let size = 128 + table_len + data.len();
    let mut out = Vec::with_capacity(size);
    out.extend_from_slice(&(size as u32).to_be_bytes());
    out.extend_from_slice(&[0; 4]); // preferred CMM: none
    out.extend_from_slice(&[2, 0x10, 0, 0]); // version 2.1
    out.extend_from_slice(b"mntr"); // a display (monitor) profile
    out.extend_from_slice(b"RGB ");
    out.extend_from_slice(b"XYZ ");
    for part in [2026u16, 1, 1, 0, 0, 0] {
        // A fixed creation date, for reproducibility.
        out.extend_from_slice(&part.to_be_bytes());
    }
    out.extend_from_slice(b"acsp");
    out.extend_from_slice(&[0; 4 * 4]); // platform, flags, manufacturer, model
    out.extend_from_slice(&[0; 8]); // device attributes
    out.extend_from_slice(&[0; 4]); // rendering intent: perceptual
    out.extend_from_slice(&xyz_numbers(D50));
    out.extend_from_slice(&[0; 4]); // creator
    out.extend_from_slice(&[0; 44]); // reserved in version 2
    debug_assert_eq!(out.len(), 128);
    out.extend_from_slice(&((tags.len() + 3) as u32).to_be_bytes());
    out.extend_from_slice(&table);
    out.extend_from_slice(&data);
    debug_assert_eq!(out.len(), size);
    out
}

/// An ICC s15Fixed16Number.
fn fixed(v: f64) -> [u8; 4] {
    ((v * 65536.0).round() as i32).to_be_bytes()
}

fn xyz_numbers(xyz: [f64; 3]) -> Vec<u8> {
    xyz.iter().flat_map(|v| fixed(*v)).collect()
}

fn xyz_tag(xyz: [f64; 3]) -> Vec<u8> {
    let mut t = b"XYZ \0\0\0\0".to_vec();
    t.extend(xyz_numbers(xyz));
    t
}

/// The sRGB transfer function, sampled: encoded value to linear light.
fn curve_tag() -> Vec<u8> {
    let mut t = b"curv\0\0\0\0".to_vec();
    t.extend_from_slice(&(CURVE_POINTS as u32).to_be_bytes());
    for i in 0..CURVE_POINTS {
        let v = i as f64 / (CURVE_POINTS - 1) as f64;
        let linear = if v <= 0.040_45 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        };
        t.extend_from_slice(&((linear * 65535.0).round() as u16).to_be_bytes());
    }
    t
}

fn text_tag(text: &str) -> Vec<u8> {
    let mut t = b"text\0\0\0\0".to_vec();
    t.extend_from_slice(text.as_bytes());
    t.push(0);
    t
}

/// A version 2 textDescriptionType: ASCII, with empty Unicode and
/// ScriptCode parts.
fn desc_tag(text: &str) -> Vec<u8> {
    let mut t = b"desc\0\0\0\0".to_vec();
    t.extend_from_slice(&(text.len() as u32 + 1).to_be_bytes());
    t.extend_from_slice(text.as_bytes());
    t.push(0);
    t.extend_from_slice(&[0; 8]); // Unicode language code and length
    t.extend_from_slice(&[0; 3]); // ScriptCode code and length
    t.extend_from_slice(&[0; 67]); // ScriptCode string
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_profile_is_a_well_formed_version_2_rgb_display_profile() {
        let p = srgb_profile();
        let u32_at = |i: usize| u32::from_be_bytes(p[i..i + 4].try_into().unwrap()) as usize;
        assert_eq!(u32_at(0), p.len());
        assert_eq!(&p[8..10], [2, 0x10]);
        assert_eq!(&p[12..24], b"mntrRGB XYZ ");
        assert_eq!(&p[36..40], b"acsp");
        let count = u32_at(128);
        let mut sigs = Vec::new();
        for i in 0..count {
            let at = 132 + 12 * i;
            let (offset, len) = (u32_at(at + 4), u32_at(at + 8));
            assert!(offset % 4 == 0 && offset + len <= p.len());
            sigs.push(String::from_utf8(p[at..at + 4].to_vec()).unwrap());
        }
        for sig in [
            "desc", "cprt", "wtpt", "rXYZ", "gXYZ", "bXYZ", "rTRC", "gTRC", "bTRC",
        ] {
            assert!(sigs.iter().any(|s| s == sig), "{sig} missing");
        }
        // The primaries add up to the white point.
        for i in 0..3 {
            assert!((RED[i] + GREEN[i] + BLUE[i] - D50[i]).abs() < 1e-3);
        }
        assert_eq!(srgb_profile(), p, "the same bytes every time");
    }
}
