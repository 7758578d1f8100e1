//! Zip archives: listing their workout files within limits and reading
//! each one no further than it may be.
#![no_main]

use fittrackee::files::archive::Archive;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(mut archive) = Archive::open(data) else { return };
    let Ok(entries) = archive.workout_files(1 << 20, 16) else { return };
    for entry in entries {
        if let Ok(bytes) = archive.read(entry.index, 1 << 20) {
            assert!(bytes.len() <= 1 << 20);
        }
    }
});
