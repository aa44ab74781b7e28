//! SHA-256 in the lowercase hex form used everywhere (checklists, imports,
//! evidence blobs, SHA256SUMS).

use sha2::{Digest, Sha256};

/// Lowercase hex of a digest (or any bytes).
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 of `bytes`, as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}
