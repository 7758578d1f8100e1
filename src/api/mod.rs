//! JSON handlers, one module per family. They parse, call the domain
//! modules, and serialize; the guard has already admitted the caller.

pub mod app_config;
pub mod auth;
pub mod equipments;
pub mod oauth;
pub mod profile;
pub mod sports;
pub mod stats;
pub mod users;
pub mod workouts;

use rouille::Response;
use serde_json::{Value, json};

use crate::http::{Form, HttpError};
use crate::server::Ctx;

/// `200` with a JSON body.
pub fn ok(body: Value) -> Response {
    crate::http::json(200, &body)
}

/// A string field of a JSON object; `None` when absent, null or not a string.
pub fn str_field<'v>(body: &'v Value, key: &str) -> Option<&'v str> {
    body.get(key).and_then(Value::as_str)
}

/// The body as a non-empty JSON object, else FitTrackee's `invalid payload`.
pub fn json_object(ctx: &Ctx<'_>) -> Result<serde_json::Map<String, Value>, HttpError> {
    match ctx.json_body()? {
        Value::Object(map) if !map.is_empty() => Ok(map),
        _ => Err(HttpError::invalid_payload()),
    }
}

/// FitTrackee's pagination object.
pub fn pagination(page: i64, per_page: i64, total: i64) -> Value {
    let pages = (total + per_page - 1) / per_page;
    json!({
        "has_next": page < pages,
        "has_prev": page > 1,
        "page": page,
        "pages": pages,
        "total": total,
    })
}

/// `page` from the query: below 1 or not a number counts as 1.
pub fn page_param(query: &Form) -> i64 {
    query.text("page").and_then(|p| p.parse().ok()).filter(|p| *p >= 1).unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pagination_matches_fittrackee() {
        assert_eq!(
            pagination(1, 5, 7),
            json!({"has_next": true, "has_prev": false, "page": 1, "pages": 2, "total": 7})
        );
        assert_eq!(
            pagination(2, 5, 6),
            json!({"has_next": false, "has_prev": true, "page": 2, "pages": 2, "total": 6})
        );
        assert_eq!(pagination(1, 5, 0)["pages"], 0);
        assert_eq!(pagination(9, 5, 6)["has_next"], false);
        assert_eq!(page_param(&Form::urlencoded(b"page=x")), 1);
        assert_eq!(page_param(&Form::urlencoded(b"page=0")), 1);
        assert_eq!(page_param(&Form::urlencoded(b"page=3")), 3);
    }
}
