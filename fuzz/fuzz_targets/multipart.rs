//! The multipart reader: the first line is the boundary, the rest the body.
#![no_main]

use fittrackee::http::multipart;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let split = data.iter().position(|&b| b == b'\n').unwrap_or(data.len());
    let boundary = String::from_utf8_lossy(&data[..split]);
    let _ = multipart::boundary(&format!("multipart/form-data; boundary={boundary}"));
    if let Ok(parts) = multipart::parse(&data[(split + 1).min(data.len())..], &boundary) {
        assert!(parts.len() <= 64);
    }
});
