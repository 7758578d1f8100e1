//! Who may call what. Every route is declared once in [`table::ROUTES`] with
//! its [`Access`]; [`admit`] resolves the caller before the handler runs, so
//! handlers never look at tokens, cookies or CSRF fields themselves.
//!
//! The order of checks follows FitTrackee's guard (API.md §4.1):
//! credentials → token (first-party JWT first, then OAuth) → scope → active
//! → suspended → role.

pub mod table;

use crate::accounts::{Role, jwt};
use crate::crypto::{base64url, ct_eq, hmac_sha256, random_secret, sha256};
use crate::http::{self, HttpError};
use crate::oauth::scopes::{self, Scope};
use crate::server::Ctx;
use crate::store::users::AuthUser;
use crate::store::{oauth, sessions};

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Access {
    /// Anyone; credentials are not even read.
    Public,
    /// A first-party JWT only: OAuth tokens never pass.
    FirstParty { suspended_ok: bool },
    /// A first-party JWT (full access), or an OAuth access token holding `scope`.
    Scoped { scope: Scope, min_role: Role, suspended_ok: bool, anonymous_ok: bool },
    /// A browser page, signed in by session cookie. Every POST must carry the
    /// session's CSRF token; the guard reads and checks the form.
    Page { login: bool, suspended_ok: bool },
}

impl Access {
    pub const fn scope(scope: Scope) -> Access {
        Access::Scoped { scope, min_role: Role::User, suspended_ok: false, anonymous_ok: false }
    }

    pub const fn first_party() -> Access {
        Access::FirstParty { suspended_ok: false }
    }

    pub const fn signed_in_page() -> Access {
        Access::Page { login: true, suspended_ok: true }
    }

    pub const fn open_page() -> Access {
        Access::Page { login: false, suspended_ok: true }
    }

    /// Suspended users pass too.
    pub const fn suspended_ok(self) -> Access {
        match self {
            Access::Scoped { scope, min_role, anonymous_ok, .. } => {
                Access::Scoped { scope, min_role, suspended_ok: true, anonymous_ok }
            }
            Access::FirstParty { .. } => Access::FirstParty { suspended_ok: true },
            Access::Page { login, .. } => Access::Page { login, suspended_ok: true },
            Access::Public => Access::Public,
        }
    }

    /// Signed-in users only, not suspended.
    pub const fn not_suspended(self) -> Access {
        match self {
            Access::Page { login, .. } => Access::Page { login, suspended_ok: false },
            other => other,
        }
    }

    /// Callers without credentials pass as anonymous.
    pub const fn anonymous_ok(self) -> Access {
        match self {
            Access::Scoped { scope, min_role, suspended_ok, .. } => {
                Access::Scoped { scope, min_role, suspended_ok, anonymous_ok: true }
            }
            other => other,
        }
    }

    pub const fn min_role(self, role: Role) -> Access {
        match self {
            Access::Scoped { scope, suspended_ok, anonymous_ok, .. } => {
                Access::Scoped { scope, min_role: role, suspended_ok, anonymous_ok }
            }
            other => other,
        }
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

pub const NO_AUTH: &str = "provide a valid auth token";
pub const SUSPENDED: &str = "you do not have permissions, your account is suspended";
pub const NO_PERMISSION: &str = "you do not have permissions";
pub const REALM: &str = "Bearer realm=\"fittrackee\"";
const INVALID_TOKEN: &str = "The access token provided is expired, revoked, malformed, or invalid for other reasons.";
const INSUFFICIENT_SCOPE: &str = "The request requires higher privileges than provided by the access token.";

pub const SESSION_COOKIE: &str = "ft_session";
pub const CSRF_FIELD: &str = "csrf_token";

/// Resolves and checks the caller of `ctx` against `access`.
pub fn admit(ctx: &mut Ctx<'_>, access: Access) -> Result<(), HttpError> {
    match access {
        Access::Public => Ok(()),
        Access::Page { login, suspended_ok } => admit_browser(ctx, login, suspended_ok),
        Access::FirstParty { suspended_ok } => {
            let token = match bearer_token(ctx) {
                Bearer::Absent => return Err(no_credentials()),
                Bearer::Malformed => return Err(invalid_first_party()),
                Bearer::Token(token) => token,
            };
            let (user, session_id) = first_party_user(ctx, token)?.ok_or_else(invalid_first_party)?;
            ctx.caller = Caller { user: Some(user), via: Via::FirstParty { session_id } };
            check_account(ctx.caller.user()?, suspended_ok, Role::User)
        }
        Access::Scoped { scope, min_role, suspended_ok, anonymous_ok } => {
            let token = match bearer_token(ctx) {
                Bearer::Absent if anonymous_ok => return Ok(()),
                Bearer::Absent => return Err(no_credentials()),
                Bearer::Malformed => {
                    return Err(
                        HttpError::oauth(401, "unsupported_token_type", None).with_header("WWW-Authenticate", REALM)
                    );
                }
                Bearer::Token(token) => token,
            };
            ctx.caller = match first_party_user(ctx, token)? {
                Some((user, session_id)) => Caller { user: Some(user), via: Via::FirstParty { session_id } },
                None => oauth_caller(ctx, token, scope)?,
            };
            check_account(ctx.caller.user()?, suspended_ok, min_role)
        }
    }
}

enum Bearer<'r> {
    Absent,
    /// Another scheme, or no token after the scheme.
    Malformed,
    Token(&'r str),
}

/// The token of `Authorization: Bearer <token>`; the scheme in any case.
fn bearer_token<'r>(ctx: &Ctx<'r>) -> Bearer<'r> {
    let Some(header) = ctx.req.header("Authorization") else {
        return Bearer::Absent;
    };
    let (scheme, token) = header.trim().split_once(' ').unwrap_or((header, ""));
    let token = token.trim();
    if !scheme.eq_ignore_ascii_case("bearer") || token.is_empty() {
        return Bearer::Malformed;
    }
    Bearer::Token(token)
}

/// The user of a valid first-party JWT, or `None` when the token is not one.
fn first_party_user(ctx: &Ctx<'_>, token: &str) -> Result<Option<(AuthUser, i64)>, HttpError> {
    let Some(claims) = jwt::decode(&ctx.app.keys.jwt, token, ctx.now) else {
        return Ok(None);
    };
    let user = sessions::user_by_session_id(&ctx.db, claims.session_id, claims.user_id, ctx.now)?;
    Ok(user.map(|u| (u, claims.session_id)))
}

/// Last use of an app is recorded to the minute, so that a busy app does not
/// turn every read into a write.
const LAST_USE_RESOLUTION: i64 = 60;

/// The caller behind an OAuth access token that holds `scope`: one SHA-256
/// and one indexed lookup.
fn oauth_caller(ctx: &mut Ctx<'_>, token: &str, scope: Scope) -> Result<Caller, HttpError> {
    let Some(access) = oauth::live_access_token(&ctx.db, &sha256(token.as_bytes()), ctx.now)? else {
        return Err(invalid_token());
    };
    if !scopes::grants(&access.scope, scope) {
        return Err(insufficient_scope(scope));
    }
    if access.last_used_at.is_none_or(|at| ctx.now - at >= LAST_USE_RESOLUTION) {
        let (grant_id, now) = (access.grant_id, ctx.now);
        // Bookkeeping only: a failure here must not fail the request.
        let _ = ctx.db.write(|tx| oauth::touch_grant(tx, grant_id, now));
    }
    Ok(Caller { user: Some(access.user), via: Via::OAuth { grant_id: access.grant_id } })
}

fn check_account(user: &AuthUser, suspended_ok: bool, min_role: Role) -> Result<(), HttpError> {
    if !user.is_active {
        return Err(no_credentials());
    }
    if user.suspended && (!suspended_ok || user.role < min_role) {
        return Err(HttpError::forbidden(SUSPENDED));
    }
    if user.role < min_role {
        return Err(HttpError::forbidden(NO_PERMISSION));
    }
    Ok(())
}

fn no_credentials() -> HttpError {
    HttpError::unauthorized(NO_AUTH).with_header("WWW-Authenticate", REALM)
}

fn invalid_first_party() -> HttpError {
    HttpError::unauthorized(NO_AUTH).with_header("WWW-Authenticate", format!("{REALM}, error=\"invalid_token\""))
}

fn invalid_token() -> HttpError {
    HttpError::oauth(401, "invalid_token", Some(INVALID_TOKEN)).with_header(
        "WWW-Authenticate",
        format!("{REALM}, error=\"invalid_token\", error_description=\"{INVALID_TOKEN}\""),
    )
}

fn insufficient_scope(scope: Scope) -> HttpError {
    HttpError::oauth(403, "insufficient_scope", Some(INSUFFICIENT_SCOPE)).with_header(
        "WWW-Authenticate",
        format!("{REALM}, error=\"insufficient_scope\", error_description=\"{INSUFFICIENT_SCOPE}\", scope=\"{scope}\""),
    )
}

/// Browser pages: the session cookie says who is signed in; a POST must
/// carry the CSRF token bound to that cookie.
fn admit_browser(ctx: &mut Ctx<'_>, login: bool, suspended_ok: bool) -> Result<(), HttpError> {
    let cookie = http::cookie(ctx.req, SESSION_COOKIE).filter(|c| !c.is_empty());
    match cookie {
        Some(value) => {
            ctx.browser_id = value.to_string();
            if let Some((session_id, user)) = sessions::user_by_cookie(&ctx.db, &sha256(value.as_bytes()), ctx.now)? {
                ctx.caller = Caller { user: Some(user).filter(|u| u.is_active), via: Via::Browser { session_id } };
            }
        }
        None => {
            // An anonymous visitor gets an identity for CSRF tokens; it is not stored.
            ctx.browser_id = random_secret();
            ctx.set_session_cookie(ctx.browser_id.clone());
        }
    }
    if ctx.req.method() == "POST" {
        // Multipart forms carry workout files: the upload limit applies.
        let mut limit = ctx.app.config.max_request_size;
        if http::is_multipart(ctx.req) {
            limit = limit.max(crate::store::app_config::get(&ctx.db)?.max_zip_file_size.max(0) as u64);
        }
        ctx.form = http::parse_form(ctx.req, &ctx.body(limit)?)?;
        let sent = ctx.form.text(CSRF_FIELD).unwrap_or("");
        if cookie.is_none() || !ct_eq(sent.as_bytes(), csrf_token(ctx).as_bytes()) {
            return Err(HttpError::forbidden(
                "this form has expired or was not sent by this site: reload the page and try again",
            ));
        }
    }
    match &ctx.caller.user {
        None if login => Err(login_redirect(ctx)),
        Some(user) if user.suspended && !suspended_ok => Err(HttpError::forbidden(SUSPENDED)),
        _ => Ok(()),
    }
}

/// The CSRF token of this browser: an HMAC of its session cookie.
pub fn csrf_token(ctx: &Ctx<'_>) -> String {
    base64url(&hmac_sha256(&ctx.app.keys.csrf, ctx.browser_id.as_bytes()))
}

/// Signed-out visitors of a page that needs a login go to the login page and
/// come back to the same URL afterwards.
fn login_redirect(ctx: &Ctx<'_>) -> HttpError {
    let back = if ctx.req.method() == "GET" { ctx.req.raw_url() } else { "/profile" };
    HttpError::redirect(&format!(
        "/login?from={}",
        form_urlencoded::byte_serialize(back.as_bytes()).collect::<String>()
    ))
}
