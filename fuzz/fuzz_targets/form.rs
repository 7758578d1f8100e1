//! Form decoding (bodies and query strings).
#![no_main]

use fittrackee::http::Form;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let form = Form::urlencoded(data);
    for name in ["client_id", "redirect_uri", "state", "scope", ""] {
        let _ = form.single(name);
        let _ = form.text(name);
    }
});
