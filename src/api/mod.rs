//! JSON handlers, one module per family. They parse, call the domain
//! modules, and serialize; the guard has already admitted the caller.

pub mod app_config;
pub mod auth;
pub mod profile;
pub mod users;

use rouille::Response;
use serde_json::Value;

/// `200` with a JSON body.
pub fn ok(body: Value) -> Response {
    crate::http::json(200, &body)
}

/// A string field of a JSON object; `None` when absent, null or not a string.
pub fn str_field<'v>(body: &'v Value, key: &str) -> Option<&'v str> {
    body.get(key).and_then(Value::as_str)
}
