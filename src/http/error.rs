//! Errors as FitTrackee's JSON envelopes (`{"status", "message"}`) or
//! OAuth-shaped bodies (`{"error", "error_description"}`).

use rouille::Response;
use serde_json::{Value, json};

use crate::store;

#[derive(Debug, Clone, PartialEq)]
pub struct HttpError {
    pub status: u16,
    pub body: Value,
    pub headers: Vec<(&'static str, String)>,
    /// A page of its own for browser routes, shown instead of the generic
    /// error page (the JSON body is then unused).
    pub page: Option<String>,
}

impl HttpError {
    pub fn new(status: u16, body: Value) -> Self {
        HttpError { status, body, headers: Vec::new(), page: None }
    }

    /// `{"status": <word>, "message": <message>}`.
    pub fn message(status: u16, word: &str, message: impl Into<String>) -> Self {
        Self::new(status, json!({ "status": word, "message": message.into() }))
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::message(400, "error", message)
    }

    pub fn invalid_payload() -> Self {
        Self::bad_request("invalid payload")
    }

    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::message(401, "error", message)
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::message(403, "error", message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::message(404, "not found", message)
    }

    /// RFC 6749 §5.2 shape; the description is omitted when there is none.
    pub fn oauth(status: u16, error: &str, description: Option<&str>) -> Self {
        let body = match description {
            Some(d) => json!({ "error": error, "error_description": d }),
            None => json!({ "error": error }),
        };
        Self::new(status, body)
    }

    /// An error shown on a page of its own (browser routes).
    pub fn page(status: u16, html: String) -> Self {
        HttpError { page: Some(html), ..Self::new(status, Value::Null) }
    }

    /// A 303 to `location`, for browser pages that refuse a visitor.
    pub fn redirect(location: &str) -> Self {
        Self::new(303, Value::Null).with_header("Location", location)
    }

    pub fn is_redirect(&self) -> bool {
        (300..400).contains(&self.status)
    }

    pub fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    /// The human-readable part, for HTML error pages.
    pub fn text(&self) -> String {
        let field = |k: &str| self.body.get(k).and_then(Value::as_str).map(str::to_owned);
        field("message")
            .or_else(|| field("error_description"))
            .or_else(|| field("error"))
            .unwrap_or_else(|| "error".to_string())
    }

    pub fn into_response(self) -> Response {
        let mut response = json(self.status, &self.body);
        for (name, value) in self.headers {
            response = response.with_additional_header(name, value);
        }
        response
    }
}

impl From<store::Error> for HttpError {
    fn from(error: store::Error) -> Self {
        // The detail is for the operator; the client gets a generic message.
        crate::log::error("storage", &error.to_string());
        if store::is_storage_full(&error) {
            HttpError::message(503, "error", "the server's storage is full: delete data or contact the administrator")
                .with_header("Retry-After", "60")
        } else if store::is_unavailable(&error) {
            HttpError::message(503, "error", "the server cannot store data right now, please try again later")
                .with_header("Retry-After", "5")
        } else {
            HttpError::message(500, "error", "error, please try again or contact the administrator")
        }
    }
}

pub fn json(status: u16, body: &Value) -> Response {
    Response::from_data("application/json", body.to_string()).with_status_code(status)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oauth_errors_omit_an_empty_description() {
        assert_eq!(HttpError::oauth(400, "invalid_grant", None).body, json!({"error": "invalid_grant"}));
        assert_eq!(HttpError::oauth(400, "x", Some("y")).text(), "y");
    }
}
