//! The chunked decoder alone, on any bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| tiny_http::fuzzing::chunked(data));
