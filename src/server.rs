//! The running server: application state, the per-request context, and the
//! dispatcher (route → guard → handler → security headers → one log line).

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use rouille::{Request, Response};
use serde_json::Value;

use crate::accounts::devices;
use crate::accounts::passwords::Hasher;
use crate::config::Config;
use crate::documents::Documents;
use crate::guard::{self, Caller, table};
use crate::http::{self, Form, HttpError, Slots, Streaming, headers};
use crate::log;
use crate::store::{self, Db, Store};
use crate::throttle::{Attempt, Subject, Throttle};
use crate::web;

pub struct App {
    pub config: Config,
    pub store: Store,
    pub hasher: Hasher,
    pub keys: Keys,
    pub throttle: Throttle,
    /// Own-profile documents, by user id.
    pub profiles: Documents,
    /// Workers that may be streaming a large body at once (see `Ctx::body`).
    pub uploads: Slots,
}

/// Keys generated on first start and kept in the database.
pub struct Keys {
    pub jwt: [u8; 32],
    pub csrf: [u8; 32],
    /// Signs device cookies (`accounts::devices`).
    pub device: [u8; 32],
}

impl App {
    pub fn open(config: Config) -> Result<App, store::OpenError> {
        let store = Store::open(&config.database, config.max_database_size)?;
        let keys = {
            let mut db = store.conn()?;
            crate::workouts::store_missing_points(&mut db)?;
            db.write(|tx| {
                Ok::<_, store::Error>(Keys {
                    jwt: store::settings::key(tx, "jwt_key")?,
                    csrf: store::settings::key(tx, "csrf_key")?,
                    device: store::settings::key(tx, "device_key")?,
                })
            })?
        };
        Ok(App {
            store,
            hasher: Hasher::default(),
            keys,
            throttle: Throttle::default(),
            profiles: Documents::default(),
            uploads: Slots::new(config.workers / 2),
            config,
        })
    }
}

pub type Handler = fn(&mut Ctx<'_>) -> Result<Response, HttpError>;

/// Everything a handler gets: the request, the resolved caller, a database
/// connection, and the clock reading for this request.
pub struct Ctx<'r> {
    pub app: &'r App,
    pub req: &'r Request,
    pub now: i64,
    /// Path parameters, in pattern order, percent-decoded.
    pub params: Vec<String>,
    pub caller: Caller,
    pub db: Db<'r>,
    /// The form of a browser POST, already read and CSRF-checked by the guard.
    pub form: Form,
    /// The browser's session cookie value (pages only).
    pub browser_id: String,
    /// `Set-Cookie` values of the answer.
    cookies: Vec<String>,
}

impl<'r> Ctx<'r> {
    pub fn param(&self, index: usize) -> &str {
        self.params.get(index).map_or("", String::as_str)
    }

    /// A path parameter declared `{name:int}`: the router already checked it.
    pub fn int_param(&self, index: usize) -> i64 {
        self.param(index).parse().unwrap_or(0)
    }

    pub fn json_body(&self) -> Result<Value, HttpError> {
        http::parse_json(&self.body(self.app.config.max_request_size)?)
    }

    pub fn form_body(&self) -> Result<Form, HttpError> {
        http::parse_form(self.req, &self.body(self.app.config.max_request_size)?)
    }

    /// The body, at most `limit` bytes. Anonymous callers (sign-in,
    /// registration, token requests) send only what the HTTP layer reads
    /// ahead, so they never hold a worker; signed-in callers may stream
    /// more, within `request_timeout`, in one of a bounded number of slots.
    pub fn body(&self, limit: u64) -> Result<Vec<u8>, HttpError> {
        let timeout = Duration::from_secs(self.app.config.request_timeout);
        let streaming = match self.caller.user {
            Some(_) => Streaming::Slots(&self.app.uploads),
            None => Streaming::Refused,
        };
        let limit = if self.caller.user.is_some() { limit } else { limit.min(http::READ_AHEAD_LIMIT) };
        http::read_body(self.req, limit, timeout, streaming)
    }

    /// Starts a password check for `email`, refused (429) when this client,
    /// that account or this device failed too often. A device that signed
    /// in to this account before is not refused with the account.
    pub fn password_attempt(&self, email: &str) -> Result<Attempt<'r>, HttpError> {
        let cookie = http::cookie(self.req, devices::COOKIE).unwrap_or("");
        let device = devices::verify(&self.app.keys.device, cookie, email, self.now);
        self.credential_attempt(Subject::Password { email, device })
    }

    /// Starts a client authentication, refused (429) when this client
    /// address failed too often.
    pub fn client_attempt(&self) -> Result<Attempt<'r>, HttpError> {
        self.credential_attempt(Subject::Client)
    }

    fn credential_attempt(&self, subject: Subject<'_>) -> Result<Attempt<'r>, HttpError> {
        let address = http::client_ip(self.req, &self.app.config);
        Ok(self.app.throttle.begin(address, subject, self.now)?)
    }

    pub fn client_address(&self) -> String {
        http::client_ip(self.req, &self.app.config).to_string()
    }

    pub fn public_url(&self) -> String {
        http::public_url(self.req, &self.app.config)
    }

    pub fn csrf_token(&self) -> String {
        guard::csrf_token(self)
    }

    /// The browser session cookie for this answer.
    pub fn set_session_cookie(&mut self, value: String) {
        self.browser_id = value;
        let cookie = self.cookie(guard::SESSION_COOKIE, &self.browser_id, crate::accounts::SESSION_LIFETIME);
        self.cookies.push(cookie);
    }

    /// Remembers this browser or client as one that signed in to `email`.
    pub fn remember_device(&mut self, email: &str) {
        let token = devices::issue(&self.app.keys.device, email, self.now);
        let cookie = self.cookie(devices::COOKIE, &token, devices::LIFETIME);
        self.cookies.push(cookie);
    }

    /// Cookies are `Secure` whenever clients reach us over https.
    fn cookie(&self, name: &str, value: &str, max_age: i64) -> String {
        let secure = if self.public_url().starts_with("https://") { "; Secure" } else { "" };
        format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}")
    }
}

pub fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

/// Binds the listening socket and serves until the process ends.
pub fn serve(app: App) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    crate::memory::tune_allocator();
    let app = Arc::new(app);
    let workers = app.config.workers;
    let handler_app = Arc::clone(&app);
    let server = rouille::Server::new(app.config.listen, move |req| handle(&handler_app, req))?.pool_size(workers);
    println!("{}", startup_line(&app.config, server.server_addr()));
    if let Some(warning) = transport_warning(&app.config) {
        eprintln!("{warning}");
    }
    server.run();
    Ok(())
}

fn startup_line(config: &Config, bound: std::net::SocketAddr) -> String {
    let public = match &config.public_url {
        Some(url) => url.clone(),
        None => "taken from each request's Host header (set public_url to fix it)".to_string(),
    };
    format!(
        "fittrackee {} listening on http://{bound}, database {}, public URL {public}",
        env!("CARGO_PKG_VERSION"),
        config.database.display()
    )
}

fn transport_warning(config: &Config) -> Option<String> {
    let plain_http = config.public_url.as_deref().is_none_or(|url| url.starts_with("http://"));
    (plain_http && config.listens_beyond_loopback()).then(|| {
        format!(
            "warning: listening on {} beyond loopback with a plain-http public URL: passwords and tokens \
             would cross the network unencrypted. Put a TLS proxy in front and set public_url = \"https://…\"",
            config.listen
        )
    })
}

/// One request, start to finish.
pub fn handle(app: &App, req: &Request) -> Response {
    let started = Instant::now();
    let raw_url = req.raw_url();
    let path = raw_url.split('?').next().unwrap_or("");
    let response = with_security_headers(safe_headers(dispatch(app, req, path), http::is_api_path(path)));
    // Method, path without query, status, time: never a token, code or secret.
    crate::log::write_line(&format!(
        "{} {} {} {:.1}ms",
        log::escape(req.method()),
        log::escape(path),
        response.status_code,
        started.elapsed().as_secs_f64() * 1000.0
    ));
    response
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
    if api { error.into_response() } else { web::error_response(error) }
}

fn dispatch(app: &App, req: &Request, path: &str) -> Response {
    let api = http::is_api_path(path);
    let refuse = |error: HttpError| if api { error.into_response() } else { web::error_response(error) };
    match table::find(req.method(), path) {
        table::Match::Found(route, params) => {
            let db = match app.store.conn() {
                Ok(db) => db,
                Err(e) => return refuse(e.into()),
            };
            let mut ctx = Ctx {
                app,
                req,
                now: now(),
                params,
                caller: Caller::default(),
                db,
                form: Form::default(),
                browser_id: String::new(),
                cookies: Vec::new(),
            };
            let result = guard::admit(&mut ctx, route.access).and_then(|()| (route.handler)(&mut ctx));
            let response = result.unwrap_or_else(refuse);
            ctx.cookies
                .into_iter()
                .fold(response, |response, cookie| response.with_additional_header("Set-Cookie", cookie))
        }
        table::Match::WrongMethod(allowed) => {
            let allow = allowed.join(", ");
            refuse(
                HttpError::message(405, "error", "the method is not allowed for the requested URL")
                    .with_header("Allow", allow),
            )
        }
        table::Match::NotFound => refuse(HttpError::not_found("the requested URL was not found on the server")),
    }
}

/// Headers every answer carries: no framing, no sniffing, no referrer, and
/// nothing cached unless the handler said otherwise (static files).
fn with_security_headers(mut response: Response) -> Response {
    let has = |r: &Response, name: &str| r.headers.iter().any(|(n, _)| n.eq_ignore_ascii_case(name));
    if !has(&response, "Cache-Control") {
        response =
            response.with_additional_header("Cache-Control", "no-store").with_additional_header("Pragma", "no-cache");
    }
    response
        .with_additional_header("X-Frame-Options", "DENY")
        .with_additional_header(
            "Content-Security-Policy",
            "default-src 'none'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'",
        )
        .with_additional_header("Referrer-Policy", "no-referrer")
        .with_additional_header("X-Content-Type-Options", "nosniff")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_startup_line_names_address_database_and_public_url() {
        let config = Config::default();
        let line = startup_line(&config, config.listen);
        assert!(line.contains("listening on http://127.0.0.1:5000"), "{line}");
        assert!(line.contains("database ./fittrackee.db"), "{line}");
        assert!(line.contains("public URL taken from each request's Host header"), "{line}");
    }

    #[test]
    fn plain_http_beyond_loopback_is_warned_about() {
        let mut config = Config::default();
        assert_eq!(transport_warning(&config), None);
        config.listen = "0.0.0.0:5000".parse().unwrap();
        assert!(transport_warning(&config).is_some());
        config.public_url = Some("http://fit.lan".into());
        assert!(transport_warning(&config).is_some());
        config.public_url = Some("https://fit.example.org".into());
        assert_eq!(transport_warning(&config), None);
    }
}
