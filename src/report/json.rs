//! packet.json: the whole packet model, pretty-printed with sorted keys where
//! the model has maps, so two exports of the same records are identical.

use super::Packet;
use crate::error::Result;
use std::io::Write;

/// The largest packet.json `verify --packet` reads back: far beyond what a
/// vendor's records make, and still a bound on a file replaced by
/// something endless (/dev/zero, a FIFO).
pub const MAX_BYTES: u64 = 512 << 20;

pub fn write(out: &mut dyn Write, packet: &Packet) -> Result<()> {
    write_value(out, packet)
}

/// Any of the packet's JSON files, laid out as packet.json is.
pub fn write_value<T: serde::Serialize>(out: &mut dyn Write, value: &T) -> Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    out.write_all(b"\n")?;
    Ok(())
}
