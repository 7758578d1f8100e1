//! A request head and body as the HTTP layer reads them: request line,
//! headers, framing (lengths, codings) and the chunked decoder.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| tiny_http::fuzzing::request(data));
