//! JSON handlers, one module per family. They read the request into the
//! domain's typed commands, call the domain, and serialize; the guard has
//! already admitted the caller, and `errors` maps every refusal.

pub mod app_config;
pub mod auth;
pub mod equipments;
mod errors;
pub mod export;
pub mod health;
pub mod neutral;
pub mod oauth;
pub mod openapi;
pub mod pictures;
pub mod profile;
pub mod sports;
pub mod stats;
pub mod users;
pub mod workouts;

use rouille::Response;
use serde_json::{Value, json};

use crate::http::{self, Ctx, Form, HttpError};
use crate::numbers::readable_size;

/// FitTrackee's answer for a username that names no one.
pub const USER_NOT_FOUND: &str = "user does not exist";

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

/// The multipart body of a file upload (a workout, a picture), read within
/// `limit`, with FitTrackee's message beyond it.
pub fn read_upload(ctx: &Ctx<'_>, limit: u64, what: &str) -> Result<Form, HttpError> {
    let body = ctx.body(limit).map_err(|e| {
        if e.status != 413 {
            return e;
        }
        let size = http::declared_length(ctx.req).map(|s| format!("({}) ", readable_size(s))).unwrap_or_default();
        let message = format!("Error during {what} upload, file size {size}exceeds {}.", readable_size(limit));
        HttpError::message(413, "fail", message)
    })?;
    http::parse_form(ctx.req, &body)
}

/// Which page of a list: `page` (below 1 or not a number counts as 1) and
/// `per_page` (a default, at most a maximum).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Paging {
    pub page: i64,
    pub per_page: i64,
}

impl Paging {
    pub fn of(query: &Form, default_per_page: i64, max_per_page: i64) -> Paging {
        let number = |key: &str| query.text(key).and_then(|p| p.parse::<i64>().ok()).filter(|p| *p >= 1);
        Paging {
            page: number("page").unwrap_or(1),
            per_page: number("per_page").unwrap_or(default_per_page).min(max_per_page),
        }
    }

    /// A fixed page size (lists whose size is not the client's to choose).
    pub fn fixed(query: &Form, per_page: i64) -> Paging {
        Paging { per_page, ..Paging::of(query, per_page, per_page) }
    }

    pub fn offset(&self) -> i64 {
        (self.page - 1) * self.per_page
    }
}

/// FitTrackee's pagination object.
pub fn pagination(paging: &Paging, total: i64) -> Value {
    let Paging { page, per_page } = *paging;
    let pages = (total + per_page - 1) / per_page;
    json!({
        "has_next": page < pages,
        "has_prev": page > 1,
        "page": page,
        "pages": pages,
        "total": total,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pagination_matches_fittrackee() {
        let at = |page, per_page| Paging { page, per_page };
        assert_eq!(
            pagination(&at(1, 5), 7),
            json!({"has_next": true, "has_prev": false, "page": 1, "pages": 2, "total": 7})
        );
        assert_eq!(
            pagination(&at(2, 5), 6),
            json!({"has_next": false, "has_prev": true, "page": 2, "pages": 2, "total": 6})
        );
        assert_eq!(pagination(&at(1, 5), 0)["pages"], 0);
        assert_eq!(pagination(&at(9, 5), 6)["has_next"], false);
    }

    #[test]
    fn pages_and_sizes_from_the_query() {
        let of = |query: &str| Paging::of(&Form::urlencoded(query.as_bytes()), 5, 100);
        assert_eq!(of("page=x"), Paging { page: 1, per_page: 5 });
        assert_eq!(of("page=0&per_page=0"), Paging { page: 1, per_page: 5 });
        assert_eq!(of("page=3&per_page=500"), Paging { page: 3, per_page: 100 });
        assert_eq!(Paging::fixed(&Form::urlencoded(b"page=2&per_page=50"), 5), Paging { page: 2, per_page: 5 });
        assert_eq!(Paging { page: 3, per_page: 10 }.offset(), 20);
    }
}
