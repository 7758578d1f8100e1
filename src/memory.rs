//! Allocator tuning for small machines (glibc only).
//!
//! A password hash needs a 9 MiB buffer. glibc raises its mmap threshold
//! after the first such buffer is freed, so later ones come from per-thread
//! heaps that never shrink: a few sign-ins left a worker pool holding 100 MB.
//! A fixed threshold keeps large buffers in their own mappings, returned to
//! the system when freed; a few arenas (not one per thread) bound the
//! fragmentation of many connection threads.

/// Allocations at least this large get their own mapping.
const MMAP_THRESHOLD: i32 = 256 * 1024;
/// Malloc arenas shared by all threads (2 made workers queue on their locks).
const ARENAS: i32 = 4;

#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn tune_allocator() {
    // SAFETY: mallopt only changes allocator parameters; it is called once at
    // start-up, before the server threads exist.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD);
        libc::mallopt(libc::M_ARENA_MAX, ARENAS);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn tune_allocator() {
    let _ = (MMAP_THRESHOLD, ARENAS);
}
