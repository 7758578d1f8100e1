//! Reading requests: bodies with a hard cap, JSON, forms (urlencoded and
//! multipart), the query string, cookies, and the public URL.

use std::io::{ErrorKind, Read};
use std::net::IpAddr;
use std::time::{Duration, Instant};

use rouille::Request;
use serde_json::Value;

use super::{HttpError, Slots, multipart};
use crate::config::Config;
use crate::numbers::readable_size;

pub fn is_api_path(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/")
}

/// Bodies up to this size are read by the HTTP layer before a worker gets
/// the request, chunked or not (`PREBUFFER_LIMIT` in vendor/tiny_http); it
/// then says so with a `Content-Length` no larger.
pub const READ_AHEAD_LIMIT: u64 = 64 * 1024;

/// Who may stream a body larger than [`READ_AHEAD_LIMIT`] into a worker.
pub enum Streaming<'a> {
    /// Nobody (anonymous callers): such a body is refused unread.
    Refused,
    /// A caller holding one of these slots, so that slow senders occupy a
    /// bounded share of the workers.
    Slots(&'a Slots),
}

/// Reads the body, never more than `limit` bytes. A body already read
/// ahead costs nothing; a larger one is a 413 when declared or found
/// larger than `limit`, and must arrive within `timeout` (408) in a slot
/// that `streaming` grants (503 when all are taken).
pub fn read_body(req: &Request, limit: u64, timeout: Duration, streaming: Streaming<'_>) -> Result<Vec<u8>, HttpError> {
    let too_large = || HttpError::message(413, "fail", format!("request body exceeds {}", readable_size(limit)));
    let declared = declared_length(req);
    if declared.is_some_and(|length| length > limit) {
        return Err(too_large());
    }
    let Some(data) = req.data() else {
        return Ok(Vec::new());
    };
    let read_ahead = declared.is_some_and(|length| length <= READ_AHEAD_LIMIT);
    let _slot = match streaming {
        _ if read_ahead => None,
        Streaming::Refused => return Err(too_large()),
        Streaming::Slots(slots) => Some(slots.take().ok_or_else(|| {
            HttpError::message(503, "error", "too many uploads are in progress: try again in a moment")
                .with_header("Retry-After", "5")
        })?),
    };
    let deadline = Instant::now() + timeout;
    let too_slow = || HttpError::message(408, "error", "the request body took too long to arrive");
    let mut reader = data.take(limit + 1);
    let mut body = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    loop {
        match reader.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => body.extend_from_slice(&chunk[..n]),
            // The socket wakes up regularly so that the deadline is checked.
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut | ErrorKind::Interrupted) => {}
            Err(_) => return Err(HttpError::bad_request("the request body could not be read")),
        }
        if body.len() as u64 > limit {
            return Err(too_large());
        }
        if Instant::now() >= deadline {
            return Err(too_slow());
        }
    }
    Ok(body)
}

/// The body's declared length (the HTTP layer refuses two of them).
pub fn declared_length(req: &Request) -> Option<u64> {
    req.header("Content-Length").and_then(|v| v.trim().parse::<u64>().ok())
}

/// A body as JSON; `Value::Null` when empty. Malformed JSON is FitTrackee's
/// `invalid payload`, whatever the content type says.
pub fn parse_json(body: &[u8]) -> Result<Value, HttpError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Null);
    }
    serde_json::from_slice(body).map_err(|_| HttpError::invalid_payload())
}

pub fn is_multipart(req: &Request) -> bool {
    media_type(req) == "multipart/form-data"
}

fn media_type(req: &Request) -> String {
    let content_type = req.header("Content-Type").unwrap_or("");
    content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase()
}

/// Form fields from an urlencoded or multipart body (any charset parameter).
/// Other content types carry no form fields.
pub fn parse_form(req: &Request, body: &[u8]) -> Result<Form, HttpError> {
    match media_type(req).as_str() {
        "multipart/form-data" => {
            let content_type = req.header("Content-Type").unwrap_or("");
            let boundary = multipart::boundary(content_type)
                .ok_or_else(|| HttpError::bad_request("multipart body without boundary"))?;
            let parts = multipart::parse(body, &boundary)
                .map_err(|e| HttpError::bad_request(format!("invalid multipart body: {e}")))?;
            Ok(Form { parts })
        }
        "application/x-www-form-urlencoded" | "" => Ok(Form::urlencoded(body)),
        _ => Ok(Form::default()),
    }
}

/// The query string, decoded as a form (`+` is a space).
pub fn query(req: &Request) -> Form {
    Form::urlencoded(req.raw_query_string().as_bytes())
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Part {
    pub name: String,
    pub filename: Option<String>,
    pub content_type: Option<String>,
    pub data: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Form {
    pub parts: Vec<Part>,
}

/// A parameter sent more than once where one is expected.
#[derive(Debug, Clone, PartialEq)]
pub struct Repeated(pub String);

impl Form {
    pub fn urlencoded(body: &[u8]) -> Form {
        let parts = form_urlencoded::parse(body)
            .map(|(name, value)| Part {
                name: name.into_owned(),
                data: value.into_owned().into_bytes(),
                ..Part::default()
            })
            .collect();
        Form { parts }
    }

    /// The first value of a text field.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.parts.iter().find(|p| p.name == name).and_then(|p| std::str::from_utf8(&p.data).ok())
    }

    /// A protocol parameter: empty counts as absent (RFC 6749 §3.1) and a
    /// repeated one is an error.
    pub fn single(&self, name: &str) -> Result<Option<&str>, Repeated> {
        let mut values = self
            .parts
            .iter()
            .filter(|p| p.name == name && !p.data.is_empty())
            .map(|p| std::str::from_utf8(&p.data).unwrap_or("\u{fffd}"));
        let first = values.next();
        if values.next().is_some() {
            return Err(Repeated(name.to_string()));
        }
        Ok(first)
    }

    pub fn file(&self, name: &str) -> Option<&Part> {
        self.parts.iter().find(|p| p.name == name)
    }

    pub fn has(&self, name: &str) -> bool {
        self.parts.iter().any(|p| p.name == name)
    }
}

pub fn cookie<'r>(req: &'r Request, name: &str) -> Option<&'r str> {
    rouille::input::cookies(req).find(|(n, _)| *n == name).map(|(_, v)| v)
}

/// The client's address: the peer, or, behind a trusted proxy, the nearest
/// address in `X-Forwarded-For` that is not a trusted proxy.
pub fn client_ip(req: &Request, config: &Config) -> IpAddr {
    let peer = req.remote_addr().ip();
    if !config.trusted_proxies.contains(&peer) {
        return peer;
    }
    let forwarded = req.header("X-Forwarded-For").unwrap_or("");
    forwarded
        .rsplit(',')
        .filter_map(|hop| hop.trim().parse::<IpAddr>().ok())
        .find(|ip| !config.trusted_proxies.contains(ip))
        .unwrap_or(peer)
}

/// True when the client used https: to us (built-in TLS: the one listener
/// serves nothing else; rouille's `is_secure` is always false), or to a
/// trusted proxy that says so.
pub fn request_is_https(req: &Request, config: &Config) -> bool {
    let proxy_says_https = || {
        config.trusted_proxies.contains(&req.remote_addr().ip())
            && req.header("X-Forwarded-Proto").is_some_and(|proto| proto.trim().eq_ignore_ascii_case("https"))
    };
    config.tls.is_some() || proxy_says_https()
}

/// The base URL clients reach us at: the configured `public_url`, else the
/// request's `Host` with the scheme a trusted proxy reports.
pub fn public_url(req: &Request, config: &Config) -> String {
    if let Some(url) = &config.public_url {
        return url.clone();
    }
    let scheme = if request_is_https(req, config) { "https" } else { "http" };
    let host = req
        .header("Host")
        .map(str::trim)
        .filter(|h| is_plausible_host(h))
        .map(str::to_owned)
        .unwrap_or_else(|| config.listen.to_string());
    format!("{scheme}://{host}")
}

fn is_plausible_host(host: &str) -> bool {
    !host.is_empty() && host.len() <= 255 && host.chars().all(|c| c.is_ascii_alphanumeric() || ".-:[]_".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urlencoded_plus_is_a_space_and_repeats_are_caught() {
        let form = Form::urlencoded(b"scope=profile%3Aread+workouts:write&state=a%2Bb&x=1&x=2&empty=");
        assert_eq!(form.text("scope"), Some("profile:read workouts:write"));
        assert_eq!(form.single("state"), Ok(Some("a+b")));
        assert_eq!(form.single("x"), Err(Repeated("x".into())));
        assert_eq!(form.single("empty"), Ok(None));
        assert_eq!(form.single("missing"), Ok(None));
    }

    fn request(headers: Vec<(&str, &str)>, from: &str) -> Request {
        let headers = headers.into_iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Request::fake_http_from(from.parse().unwrap(), "GET", "/", headers, vec![])
    }

    #[test]
    fn the_client_address_is_read_through_trusted_proxies_only() {
        let config = Config::default();
        let proxied = request(vec![("X-Forwarded-For", "203.0.113.9, 198.51.100.2")], "127.0.0.1:4000");
        assert_eq!(client_ip(&proxied, &config), "198.51.100.2".parse::<IpAddr>().unwrap());
        let forged = request(vec![("X-Forwarded-For", "203.0.113.9")], "192.0.2.7:4000");
        assert_eq!(client_ip(&forged, &config), "192.0.2.7".parse::<IpAddr>().unwrap());
        let garbled = request(vec![("X-Forwarded-For", "unknown, not-an-ip")], "127.0.0.1:4000");
        assert_eq!(client_ip(&garbled, &config), "127.0.0.1".parse::<IpAddr>().unwrap());
        let local = request(vec![], "127.0.0.1:4000");
        assert_eq!(client_ip(&local, &config), "127.0.0.1".parse::<IpAddr>().unwrap());
    }

    #[test]
    fn public_url_prefers_the_configuration_then_a_trusted_proxy() {
        let mut config = Config::default();
        let behind_proxy = request(vec![("Host", "fit.example.org"), ("X-Forwarded-Proto", "https")], "127.0.0.1:4000");
        assert_eq!(public_url(&behind_proxy, &config), "https://fit.example.org");
        let forged = request(vec![("Host", "fit.example.org"), ("X-Forwarded-Proto", "https")], "192.0.2.7:4000");
        assert_eq!(public_url(&forged, &config), "http://fit.example.org");
        let bad_host = request(vec![("Host", "evil.example/<script>")], "127.0.0.1:4000");
        assert_eq!(public_url(&bad_host, &config), "http://127.0.0.1:5000");
        config.public_url = Some("https://configured.example".into());
        assert_eq!(public_url(&forged, &config), "https://configured.example");
    }
}
