//! The wall clock, read once per request or command: everything below takes
//! the reading (`now`, Unix seconds) as a plain value, so that expiry,
//! replay and rotation are tested without sleeping.

use std::time::{SystemTime, UNIX_EPOCH};

pub fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}
