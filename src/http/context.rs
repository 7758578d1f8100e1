//! What a handler gets for one request: the request, the resolved caller, a
//! database connection, the clock reading, and what the answer will set
//! (cookies). Handlers read bodies through it, with the limits of their
//! caller.

use std::time::Duration;

use rouille::{Request, Response};
use serde_json::Value;

use super::{Form, HttpError, Streaming, client_ip, cookie, parse_form, parse_json, public_url, read_body};
use crate::accounts::devices;
use crate::accounts::user::AuthUser;
use crate::app::App;
use crate::crypto::{base64url, hmac_sha256};
use crate::store::Db;
use crate::throttle::{Attempt, Subject};

pub const SESSION_COOKIE: &str = "ft_session";
pub const CSRF_FIELD: &str = "csrf_token";
pub const NO_AUTH: &str = "provide a valid auth token";

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
    pub(super) cookies: Vec<String>,
}

impl<'r> Ctx<'r> {
    /// A request's context before the guard has looked at it.
    pub fn new(app: &'r App, req: &'r Request, db: Db<'r>, params: Vec<String>, now: i64) -> Ctx<'r> {
        Ctx {
            app,
            req,
            now,
            params,
            caller: Caller::default(),
            db,
            form: Form::default(),
            browser_id: String::new(),
            cookies: Vec::new(),
        }
    }

    pub fn param(&self, index: usize) -> &str {
        self.params.get(index).map_or("", String::as_str)
    }

    /// A path parameter declared `{name:int}`: the router already checked it.
    pub fn int_param(&self, index: usize) -> i64 {
        self.param(index).parse().unwrap_or(0)
    }

    pub fn json_body(&self) -> Result<Value, HttpError> {
        parse_json(&self.body(self.app.config.max_request_size)?)
    }

    pub fn form_body(&self) -> Result<Form, HttpError> {
        parse_form(self.req, &self.body(self.app.config.max_request_size)?)
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
        let limit = if self.caller.user.is_some() { limit } else { limit.min(super::READ_AHEAD_LIMIT) };
        read_body(self.req, limit, timeout, streaming)
    }

    /// Starts a password check for `email`, refused (429) when this client,
    /// that account or this device failed too often. A device that signed
    /// in to this account before is not refused with the account.
    pub fn password_attempt(&self, email: &str) -> Result<Attempt<'r>, HttpError> {
        let cookie = cookie(self.req, devices::COOKIE).unwrap_or("");
        let device = devices::verify(&self.app.keys.device, cookie, email, self.now);
        self.credential_attempt(Subject::Password { email, device })
    }

    /// Starts a client authentication, refused (429) when this client
    /// address failed too often.
    pub fn client_attempt(&self) -> Result<Attempt<'r>, HttpError> {
        self.credential_attempt(Subject::Client)
    }

    fn credential_attempt(&self, subject: Subject<'_>) -> Result<Attempt<'r>, HttpError> {
        let address = client_ip(self.req, &self.app.config);
        Ok(self.app.throttle.begin(address, subject, self.now)?)
    }

    pub fn client_address(&self) -> String {
        client_ip(self.req, &self.app.config).to_string()
    }

    pub fn public_url(&self) -> String {
        public_url(self.req, &self.app.config)
    }

    /// The CSRF token of this browser: an HMAC of its session cookie, so
    /// that it is bound to the browser without server state.
    pub fn csrf_token(&self) -> String {
        base64url(&hmac_sha256(&self.app.keys.csrf, self.browser_id.as_bytes()))
    }

    /// The browser session cookie for this answer.
    pub fn set_session_cookie(&mut self, value: String) {
        self.browser_id = value;
        let cookie = self.cookie(SESSION_COOKIE, &self.browser_id, crate::accounts::SESSION_LIFETIME);
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

/// The resolved caller of a request.
#[derive(Debug, Clone, Default)]
pub struct Caller {
    pub user: Option<AuthUser>,
    pub via: Via,
}

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub enum Via {
    #[default]
    Nothing,
    /// A first-party JWT naming this session.
    FirstParty { session_id: i64 },
    /// An OAuth access token.
    OAuth { grant_id: i64 },
    /// A browser session cookie.
    Browser { session_id: i64 },
}

impl Caller {
    /// The signed-in user; routes that admit anonymous callers must not use it.
    pub fn user(&self) -> Result<&AuthUser, HttpError> {
        self.user.as_ref().ok_or_else(|| HttpError::unauthorized(NO_AUTH))
    }
}
