//! One request, start to finish: route → guard → handler → a last check of
//! the headers → security headers → one log line.

use std::time::Instant;

use rouille::{Request, Response};

use super::access::Access;
use super::context::Ctx;
use super::routes::{self, Match};
use super::{HttpError, guard, headers, is_api_path};
use crate::app::App;
use crate::log;
use crate::web;

/// One request, start to finish.
pub fn handle(app: &App, req: &Request) -> Response {
    let started = Instant::now();
    let id = request_id(req);
    log::set_request_id(Some(&id));
    let raw_url = req.raw_url();
    let path = raw_url.split('?').next().unwrap_or("");
    let response =
        with_security_headers(safe_headers(dispatch(app, req, path), is_api_path(path)), app.config.tls.is_some());
    // Method, path without query, status, time: never a token, code or secret.
    let (status, ms) = (response.status_code.to_string(), format!("{:.1}", started.elapsed().as_secs_f64() * 1000.0));
    let pairs = [("method", req.method()), ("path", path), ("status", status.as_str()), ("ms", ms.as_str())];
    log::access(&log::line("info", "request", &pairs));
    log::set_request_id(None);
    response.with_additional_header("X-Request-Id", id)
}

/// The client's `X-Request-Id` when it is a plain token (a proxy's), else
/// a new one: the operator finds a request's lines by it.
fn request_id(req: &Request) -> String {
    let sent = req.header("X-Request-Id").filter(|id| {
        (1..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b))
    });
    match sent {
        Some(id) => id.to_string(),
        None => crate::crypto::random_alphanumeric(16),
    }
}

/// The last check of an answer: a header that would carry a control byte
/// (which the HTTP layer would drop, a redirect without its target) means a
/// handler echoed input it did not validate. Refused whole, and logged.
fn safe_headers(response: Response, api: bool) -> Response {
    let unsafe_header = response.headers.iter().find(|(_, value)| !headers::is_safe_value(value));
    let Some((name, value)) = unsafe_header else {
        return response;
    };
    log::security("unsafe_header", &[("header", name), ("value", value)]);
    let error = HttpError::bad_request("the request cannot be answered: it puts control characters in a header");
    if api { error.into_response() } else { web::error_response(error, &web::Header::visitor()) }
}

fn dispatch(app: &App, req: &Request, path: &str) -> Response {
    let api = is_api_path(path);
    let refuse = |error: HttpError| {
        if api { error.into_response() } else { web::error_response(error, &web::Header::visitor()) }
    };
    if super::stop::is_stopping() {
        let stopping = HttpError::message(503, "error", "the server is stopping: try again in a moment");
        return refuse(stopping.with_header("Retry-After", "5"));
    }
    match routes::find(req.method(), path) {
        Match::Found(route, params) => {
            let db = match app.store.conn() {
                Ok(db) => db,
                Err(e) => return refuse(e.into()),
            };
            let mut ctx = Ctx::new(app, req, db, params, crate::clock::now());
            let result = guard::admit(&mut ctx, route.access).and_then(|()| (route.handler)(&mut ctx));
            let response = match result {
                Ok(response) => response,
                Err(error) if api => error.into_response(),
                Err(error) => web::error_response(error, &web::Header::of(&ctx)),
            };
            ctx.cookies
                .into_iter()
                .fold(response, |response, cookie| response.with_additional_header("Set-Cookie", cookie))
        }
        Match::WrongMethod(allowed) => {
            let allow = allowed.join(", ");
            refuse(
                HttpError::message(405, "error", "the method is not allowed for the requested URL")
                    .with_header("Allow", allow),
            )
        }
        Match::NotFound if !api => page_not_found(app, req),
        Match::NotFound => refuse(HttpError::not_found("the requested URL was not found on the server")),
    }
}

/// A page that does not exist, with the header of whoever asked.
fn page_not_found(app: &App, req: &Request) -> Response {
    let error = HttpError::not_found("There is no page at this address.");
    let Ok(db) = app.store.conn() else { return web::error_response(error, &web::Header::visitor()) };
    let mut ctx = Ctx::new(app, req, db, Vec::new(), crate::clock::now());
    let header = match guard::admit(&mut ctx, Access::open_page()) {
        Ok(()) => web::Header::of(&ctx),
        Err(_) => web::Header::visitor(),
    };
    let response = web::error_response(error, &header);
    ctx.cookies.into_iter().fold(response, |response, cookie| response.with_additional_header("Set-Cookie", cookie))
}

/// A year: browsers that reached us over TLS keep to https for that long.
/// Not `includeSubDomains`: a home server's domain may have plain-http
/// neighbours (a router, a printer) that are not ours to break.
const HSTS: &str = "max-age=31536000";

/// Headers every answer carries: no framing, no sniffing, no referrer,
/// nothing cached unless the handler said otherwise (static files), and
/// HSTS when we serve TLS ourselves (a proxy in front sets its own).
fn with_security_headers(mut response: Response, tls: bool) -> Response {
    let has = |r: &Response, name: &str| r.headers.iter().any(|(n, _)| n.eq_ignore_ascii_case(name));
    if !has(&response, "Cache-Control") {
        response =
            response.with_additional_header("Cache-Control", "no-store").with_additional_header("Pragma", "no-cache");
    }
    let response = response
        .with_additional_header("X-Frame-Options", "DENY")
        .with_additional_header(
            "Content-Security-Policy",
            "default-src 'none'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'",
        )
        .with_additional_header("Referrer-Policy", "no-referrer")
        .with_additional_header("X-Content-Type-Options", "nosniff");
    if tls { response.with_additional_header("Strict-Transport-Security", HSTS) } else { response }
}
