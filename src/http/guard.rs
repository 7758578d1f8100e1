//! Who is calling, and may they: [`admit`] resolves the caller of a
//! request against the route's [`Access`] before the handler runs, so
//! handlers never look at tokens, cookies or CSRF fields themselves.
//!
//! The order of checks follows FitTrackee's guard (API.md §4.1):
//! credentials → token (first-party JWT first, then OAuth) → scope → active
//! → suspended → role.

use super::access::{Access, SignIn};
use super::context::{CSRF_FIELD, Caller, NO_AUTH, SESSION_COOKIE, Via};
use super::{Ctx, HttpError, cookie, is_multipart, parse_form};
use crate::accounts::user::{AuthUser, Role};
use crate::crypto::jwt;
use crate::crypto::{ct_eq, random_secret, sha256};
use crate::oauth::scopes::{self, Scope};
use crate::store::{oauth, sessions};

pub const SUSPENDED: &str = "you do not have permissions, your account is suspended";
pub const NO_PERMISSION: &str = "you do not have permissions";
pub const REALM: &str = "Bearer realm=\"fittrackee\"";
const INVALID_TOKEN: &str = "The access token provided is expired, revoked, malformed, or invalid for other reasons.";
const INSUFFICIENT_SCOPE: &str = "The request requires higher privileges than provided by the access token.";

/// Resolves and checks the caller of `ctx` against `access`.
pub fn admit(ctx: &mut Ctx<'_>, access: Access) -> Result<(), HttpError> {
    match access {
        Access::Public => Ok(()),
        Access::Page { sign_in, suspended_ok, first, min_role } => {
            admit_browser(ctx, sign_in, suspended_ok, first, min_role)
        }
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

/// Seconds a token may seem issued ahead of this clock before it is said.
const CLOCK_SKEW: i64 = 300;

/// The user of a valid first-party JWT, or `None` when the token is not one.
fn first_party_user(ctx: &Ctx<'_>, token: &str) -> Result<Option<(AuthUser, i64)>, HttpError> {
    let Some(claims) = jwt::decode(&ctx.app.keys.jwt, token, ctx.now) else {
        return Ok(None);
    };
    if claims.issued_at > ctx.now + CLOCK_SKEW {
        // Signed by us, later than now: this machine's clock went back.
        let ahead = (claims.issued_at - ctx.now).to_string();
        crate::log::security(
            "token_issued_in_the_future",
            &[("seconds_ahead", &ahead), ("hint", "check the clock (NTP)")],
        );
    }
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
fn admit_browser(
    ctx: &mut Ctx<'_>,
    sign_in: SignIn,
    suspended_ok: bool,
    first: Option<super::access::PreCheck>,
    min_role: Role,
) -> Result<(), HttpError> {
    let cookie = cookie(ctx.req, SESSION_COOKIE).filter(|c| !c.is_empty());
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
        read_checked_form(ctx, cookie.is_some())?;
    }
    if let Some(check) = first {
        check(ctx)?;
    }
    match &ctx.caller.user {
        None if sign_in == SignIn::Required => Err(login_redirect(ctx)),
        Some(user) if user.suspended && !suspended_ok => Err(HttpError::forbidden(SUSPENDED)),
        Some(user) if user.role < min_role => Err(HttpError::forbidden("This page is for administrators.")),
        _ => Ok(()),
    }
}

/// The form of a browser POST, refused unless it carries this browser's
/// CSRF token. Multipart forms carry workout files: the upload limit applies.
fn read_checked_form(ctx: &mut Ctx<'_>, had_cookie: bool) -> Result<(), HttpError> {
    let limit = if is_multipart(ctx.req) {
        let config = crate::store::app_config::get(&ctx.db)?;
        crate::workouts::upload::request_limit(&config).max(ctx.app.config.max_request_size)
    } else {
        ctx.app.config.max_request_size
    };
    ctx.form = parse_form(ctx.req, &ctx.body(limit)?)?;
    let sent = ctx.form.text(CSRF_FIELD).unwrap_or("");
    if !had_cookie || !ct_eq(sent.as_bytes(), ctx.csrf_token().as_bytes()) {
        return Err(HttpError::forbidden(
            "this form has expired or was not sent by this site: reload the page and try again",
        ));
    }
    Ok(())
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

/// The guard alone: a request, a fresh database, no server.
#[cfg(test)]
mod tests {
    use rouille::Request;

    use super::*;
    use crate::app::App;
    use crate::config::Config;
    use crate::oauth::clients::{self, Credentials, NewApp};
    use crate::oauth::{authorize, token};

    const NOW: i64 = 1_800_000_000;

    struct Fixture {
        _dir: tempfile::TempDir,
        app: App,
    }

    /// An app with one user, `u` (id 1), of `role`.
    fn fixture(role: Role) -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let app = App::open(Config { database: dir.path().join("db"), ..Config::default() }).unwrap();
        app.store
            .conn()
            .unwrap()
            .execute(
                "INSERT INTO users (username, email, password_hash, role, created_at) VALUES ('u', 'u@x.y', 'h', ?1, 0)",
                [role.level()],
            )
            .unwrap();
        Fixture { _dir: dir, app }
    }

    impl Fixture {
        fn admit(&self, access: Access, method: &str, headers: &[(&str, &str)]) -> Result<Caller, HttpError> {
            let mut headers: Vec<(String, String)> =
                headers.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect();
            let body = if method == "POST" { b"title=x".to_vec() } else { Vec::new() };
            headers.push(("Content-Length".into(), body.len().to_string()));
            let req = Request::fake_http(method, "/somewhere?x=1", headers, body);
            let mut ctx = Ctx::new(&self.app, &req, self.app.store.conn().unwrap(), Vec::new(), NOW);
            admit(&mut ctx, access).map(|()| ctx.caller)
        }

        fn bearer(&self, access: Access, token: &str) -> Result<Caller, HttpError> {
            self.admit(access, "GET", &[("Authorization", &format!("Bearer {token}"))])
        }

        fn first_party_token(&self) -> String {
            crate::accounts::issue_api_token(&mut self.app.store.conn().unwrap(), &self.app.keys.jwt, 1, NOW).unwrap()
        }

        /// An access token of an app the user authorized for `scope`.
        fn oauth_token(&self, scope: &str) -> String {
            let mut db = self.app.store.conn().unwrap();
            let uris = vec!["https://app.example/cb".to_string()];
            let new = NewApp {
                name: "App",
                description: None,
                website: "https://app.example",
                redirect_uris: &uris,
                scope,
                require_pkce: false,
            };
            let registered = clients::register(&mut db, 1, &new, false, NOW).unwrap().unwrap();
            let client_id = registered.client.client_id;
            let query = format!("client_id={client_id}&response_type=code&scope={}", scope.replace(' ', "+"));
            let authorization = authorize::validate(&db, &authorize::tests::request(&query)).unwrap().unwrap();
            let code = authorization.issue_code(&mut db, 1, NOW, 600).unwrap();
            let request = token::TokenRequest {
                grant_type: Some("authorization_code"),
                credentials: Credentials { client_id: Some(client_id), secret: Some(registered.secret), basic: false },
                code: Some(&code),
                redirect_uri: None,
                code_verifier: None,
                refresh_token: None,
                scope: None,
            };
            token::issue(&mut db, &request, NOW, &self.app.config.oauth).unwrap().access_token
        }

        fn suspend(&self) {
            self.app.store.conn().unwrap().execute("UPDATE users SET suspended_at = 1", []).unwrap();
        }
    }

    fn message(error: &HttpError) -> (u16, String) {
        (error.status, error.text())
    }

    #[test]
    fn public_routes_read_no_credentials() {
        let f = fixture(Role::User);
        let caller = f.admit(Access::Public, "GET", &[("Authorization", "Bearer nonsense")]).unwrap();
        assert!(caller.user.is_none());
    }

    #[test]
    fn scoped_routes_take_a_first_party_token_or_an_oauth_token_with_the_scope() {
        let f = fixture(Role::User);
        let caller = f.bearer(Access::scope(Scope::WorkoutsRead), &f.first_party_token()).unwrap();
        assert!(matches!(caller.via, Via::FirstParty { .. }));
        let token = f.oauth_token("workouts:read");
        let caller = f.bearer(Access::scope(Scope::WorkoutsRead), &token).unwrap();
        assert!(matches!(caller.via, Via::OAuth { .. }));
        let refused = f.bearer(Access::scope(Scope::WorkoutsWrite), &token).unwrap_err();
        assert_eq!(refused.status, 403);
        assert!(refused.headers.iter().any(|(_, v)| v.contains("scope=\"workouts:write\"")));
        assert_eq!(f.bearer(Access::scope(Scope::WorkoutsRead), "unknown").unwrap_err().status, 401);
    }

    #[test]
    fn missing_or_malformed_credentials_are_told_apart() {
        let f = fixture(Role::User);
        let missing = f.admit(Access::scope(Scope::ProfileRead), "GET", &[]).unwrap_err();
        assert_eq!(message(&missing), (401, NO_AUTH.to_string()));
        let basic = f.admit(Access::scope(Scope::ProfileRead), "GET", &[("Authorization", "Basic eDp5")]).unwrap_err();
        assert_eq!(message(&basic), (401, "unsupported_token_type".to_string()));
        let anonymous = f.admit(Access::scope(Scope::ProfileRead).anonymous_ok(), "GET", &[]).unwrap();
        assert!(anonymous.user.is_none());
    }

    #[test]
    fn oauth_tokens_never_pass_first_party_routes() {
        let f = fixture(Role::User);
        let token = f.oauth_token("profile:read");
        assert_eq!(message(&f.bearer(Access::first_party(), &token).unwrap_err()), (401, NO_AUTH.to_string()));
        assert!(f.bearer(Access::first_party(), &f.first_party_token()).is_ok());
    }

    #[test]
    fn suspended_users_pass_only_where_the_table_says() {
        let f = fixture(Role::User);
        let token = f.first_party_token();
        f.suspend();
        let refused = f.bearer(Access::scope(Scope::WorkoutsRead), &token).unwrap_err();
        assert_eq!(message(&refused), (403, SUSPENDED.to_string()));
        assert!(f.bearer(Access::scope(Scope::WorkoutsRead).suspended_ok(), &token).is_ok());
        assert_eq!(f.bearer(Access::first_party(), &token).unwrap_err().status, 403);
        assert!(f.bearer(Access::first_party().suspended_ok(), &token).is_ok());
    }

    #[test]
    fn roles_below_the_minimum_are_refused() {
        let user = fixture(Role::User);
        let refused = user.bearer(Access::scope(Scope::UsersWrite).min_role(Role::Admin), &user.first_party_token());
        assert_eq!(message(&refused.unwrap_err()), (403, NO_PERMISSION.to_string()));
        let admin = fixture(Role::Admin);
        assert!(
            admin.bearer(Access::scope(Scope::UsersWrite).min_role(Role::Admin), &admin.first_party_token()).is_ok()
        );
    }

    #[test]
    fn pages_send_visitors_to_sign_in_and_refuse_posts_without_the_form_token() {
        let f = fixture(Role::User);
        let redirect = f.admit(Access::signed_in_page(), "GET", &[]).unwrap_err();
        assert_eq!(redirect.status, 303);
        assert!(redirect.headers.contains(&("Location", "/login?from=%2Fsomewhere%3Fx%3D1".to_string())));
        assert!(f.admit(Access::open_page(), "GET", &[]).unwrap().user.is_none());
        let headers = [("Cookie", "ft_session=abc"), ("Content-Type", "application/x-www-form-urlencoded")];
        let refused = f.admit(Access::open_page(), "POST", &headers).unwrap_err();
        assert_eq!(refused.status, 403, "{}", refused.text());
        assert!(refused.text().contains("this form has expired"));
        let token = f.bearer(Access::signed_in_page(), &f.first_party_token()).unwrap_err();
        assert_eq!(token.status, 303, "a bearer token is not a browser session");
    }
}
