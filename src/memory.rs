//! The allocator's retained memory. The binary allocates with mimalloc
//! (src/main.rs, for speed: see Cargo.toml), which keeps freed pages for
//! reuse; `export --all` hands them back between packets.

/// Returns the memory the calling thread has freed but mimalloc still holds
/// to the operating system (`mi_collect`). Harmless when the program's
/// allocator is another one: mimalloc's own heap is then empty.
pub fn release_freed() {
    // SAFETY: mi_collect takes no arguments that point anywhere and may be
    // called from any thread at any time.
    unsafe { libmimalloc_sys::mi_collect(true) }
}
