//! The redirect-URI rules: never a panic, and whenever a URI matches a
//! registered one, the browser goes to the registered scheme, host, path
//! and query.
#![no_main]

use fittrackee::oauth::redirect_uri::{check_registrable, host_of, matches};
use libfuzzer_sys::fuzz_target;

const REGISTERED: [&str; 5] =
    ["http://127.0.0.1/cb", "http://[::1]/cb", "http://127.0.0.1:8080/cb?x=1", "https://app.example/cb", "com.example.app:/cb"];

fuzz_target!(|data: &[u8]| {
    let Ok(uri) = std::str::from_utf8(data) else { return };
    let _ = check_registrable(uri, false);
    let _ = check_registrable(uri, true);
    let _ = host_of(uri);
    for registered in REGISTERED {
        if matches(registered, uri) {
            let (reg, req) = (url::Url::parse(registered).unwrap(), url::Url::parse(uri).expect("a match parses"));
            assert_eq!((req.scheme(), req.host(), req.path(), req.query()), (reg.scheme(), reg.host(), reg.path(), reg.query()));
            assert!(req.username().is_empty() && !uri.bytes().any(|b| b.is_ascii_control()));
        }
    }
});
