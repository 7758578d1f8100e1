//! A.2 The authorization endpoint: the consent page and `POST /api/oauth/authorize`.

use serde_json::json;

use super::*;
use crate::support::browser::{Browser, csrf_token, hidden_field};
use crate::support::{Response, Server};

fn authorize_path(app: &App, extra: &str) -> String {
    format!("/profile/apps/authorize?response_type=code&client_id={}{extra}", app.client_id)
}

/// A signed-in browser on the consent page of `path`.
fn consent<'s>(server: &'s Server, username: &str, path: &str) -> (Browser<'s>, Response) {
    let mut browser = Browser::new(server);
    browser.sign_in(username);
    let page = browser.get(path);
    (browser, page)
}

fn decide(browser: &mut Browser<'_>, page: &Response, decision: &str) -> Response {
    let request = hidden_field(&page.text(), "request").expect("the consent form");
    browser.post("/profile/apps/authorize", page, &[("request", &request), ("decision", decision)])
}

fn codes_issued(server: &Server) -> i64 {
    server.db().query_row("SELECT count(*) FROM oauth_codes", [], |r| r.get(0)).unwrap()
}

#[test]
fn a2_z1_a_bad_client_or_redirect_uri_gets_an_error_page_never_a_redirect() {
    let server = Server::start();
    let token = server.user("amy");
    let app = app(&server, &token);
    let mut browser = Browser::new(&server);
    browser.sign_in("amy");
    for path in [
        "/profile/apps/authorize?client_id=nope&response_type=code&redirect_uri=https://evil.example/".to_string(),
        "/profile/apps/authorize?response_type=code".to_string(),
        authorize_path(&app, "&redirect_uri=https://evil.example/"),
        authorize_path(&app, "&redirect_uri=https://evil.example/&response_type=token"),
    ] {
        for response in [browser.get(&path), server.get(&path).send()] {
            assert_eq!(response.status, 400, "{path}");
            assert!(response.header("Location").is_none(), "{path}");
            assert!(response.header("Content-Type").unwrap().starts_with("text/html"));
        }
    }
    let page = browser.get(&authorize_path(&app, "&redirect_uri=https://evil.example/")).text();
    assert!(page.contains(CALLBACK) && page.contains("https://evil.example/"), "registered vs received");
}

#[test]
fn a2_z2_redirect_uris_match_exactly() {
    let server = Server::start();
    let token = server.user("bea");
    let app = app_with(&server, &token, "profile:read", &["https://a.example/cb"]);
    for requested in [
        "https://a.example/cb/",
        "https://a.example/CB",
        "https://a.example/cb?x=1",
        "https://a.example:443/cb",
        "http://a.example/cb",
    ] {
        let path = authorize_path(
            &app,
            &format!("&redirect_uri={}", form_urlencoded::byte_serialize(requested.as_bytes()).collect::<String>()),
        );
        assert_eq!(server.get(&path).send().status, 400, "{requested}");
    }
}

#[test]
fn a2_z3_loopback_redirects_match_on_any_port_only() {
    let server = Server::start();
    let token = server.user("cid");
    let app = app_with(&server, &token, "profile:read", &["http://127.0.0.1/cb"]);
    let ok = authorize(&server, &token, &app, &[("redirect_uri", "http://127.0.0.1:51004/cb")]);
    assert!(ok.json()["redirect_url"].as_str().unwrap().starts_with("http://127.0.0.1:51004/cb?code="));
    for bad in ["http://127.0.0.1:51004/other", "http://localhost:51004/cb"] {
        assert_eq!(authorize(&server, &token, &app, &[("redirect_uri", bad)]).status, 400, "{bad}");
    }
}

#[test]
fn a2_z4_without_redirect_uri_the_first_registered_one_is_used() {
    let server = Server::start();
    let token = server.user("dee");
    let app = app_with(&server, &token, "profile:read", &["https://a.example/first", "https://a.example/second"]);
    let url = authorize(&server, &token, &app, &[]).json()["redirect_url"].as_str().unwrap().to_string();
    assert!(url.starts_with("https://a.example/first?code="), "{url}");
}

#[test]
fn a2_z5_a_bad_response_type_is_sent_back_to_the_app() {
    let server = Server::start();
    let token = server.user("eli");
    let app = app(&server, &token);
    let response =
        server.get(&authorize_path(&app, "&state=s1").replace("response_type=code", "response_type=token")).send();
    assert_eq!(response.status, 302);
    let location = response.header("Location").unwrap();
    assert!(location.starts_with(CALLBACK));
    assert_eq!(param(location, "error").as_deref(), Some("unsupported_response_type"));
    assert_eq!(param(location, "state").as_deref(), Some("s1"));
    let missing = server.get(&format!("/profile/apps/authorize?client_id={}&state=s1", app.client_id)).send();
    assert_eq!(param(missing.header("Location").unwrap(), "error").as_deref(), Some("invalid_request"));
}

#[test]
fn a2_z6_unknown_parameters_are_ignored_empty_ones_absent_repeated_ones_refused() {
    let server = Server::start();
    let token = server.user("fox");
    let app = app(&server, &token);
    let (_browser, page) = consent(&server, "fox", &authorize_path(&app, "&extra=foobar&code_challenge=&state=s"));
    assert_eq!(page.status, 200, "unknown and empty parameters are fine");
    let repeated = server.get(&authorize_path(&app, "&state=a&state=b")).send();
    assert_eq!(param(repeated.header("Location").unwrap(), "error").as_deref(), Some("invalid_request"));
    let api = authorize(&server, &token, &app, &[("scope", "profile:read"), ("scope", "workouts:read")]);
    assert_eq!((api.status, api.json()["message"].clone()), (400, json!("Multiple 'scope' in request.")));
}

#[test]
fn a2_z7_z8_state_comes_back_byte_exact_with_the_issuer() {
    let server = Server::start();
    let token = server.user("gus");
    let app = app(&server, &token);
    let state = "a+b c&d=é/?%";
    let encoded: String = form_urlencoded::byte_serialize(state.as_bytes()).collect();
    let path = authorize_path(&app, &format!("&state={encoded}"));
    let (mut browser, page) = consent(&server, "gus", &path);
    let answer = decide(&mut browser, &page, "authorize");
    let location = answer.header("Location").unwrap();
    assert_eq!(param(location, "state").as_deref(), Some(state));
    let issuer =
        server.get("/.well-known/oauth-authorization-server").send().json()["issuer"].as_str().unwrap().to_string();
    assert_eq!(param(location, "iss").as_deref(), Some(issuer.as_str()));
    // Errors carry both too.
    let error = server.get(&path.replace("response_type=code", "response_type=token")).send();
    let location = error.header("Location").unwrap();
    assert_eq!((param(location, "state").as_deref(), param(location, "iss")), (Some(state), Some(issuer)));
    // Without state, none is invented.
    let (mut browser, page) = consent(&server, "gus", &authorize_path(&app, ""));
    assert_eq!(param(decide(&mut browser, &page, "authorize").header("Location").unwrap(), "state"), None);
}

#[test]
fn a2_z9_nothing_grantable_is_invalid_scope_and_unregistered_scopes_are_shown_not_granted() {
    let server = Server::start();
    let token = server.user("hue");
    let app = app_with(&server, &token, "profile:read workouts:read", &[CALLBACK]);
    let none = server.get(&authorize_path(&app, "&scope=admin:all&state=s")).send();
    let location = none.header("Location").unwrap();
    assert_eq!(
        (param(location, "error").as_deref(), param(location, "state").as_deref()),
        (Some("invalid_scope"), Some("s"))
    );
    let (mut browser, page) = consent(&server, "hue", &authorize_path(&app, "&scope=workouts:read+users:write+bogus"));
    let html = page.text();
    let not_granted = &html[html.find("id=\"not-granted\"").unwrap()..];
    assert!(not_granted.contains("users:write") && not_granted.contains("bogus"));
    let code = param(decide(&mut browser, &page, "authorize").header("Location").unwrap(), "code").unwrap();
    let response = exchange(&server, &app, &code, &[]);
    assert_eq!(response.json()["scope"], "workouts:read", "only what was requested and registered");
}

#[test]
fn a2_z10_pkce_parameters_are_checked() {
    let server = Server::start();
    let token = server.user("ivo");
    let app = app(&server, &token);
    for (extra, message) in [
        ("&code_challenge=tooshort&state=s", "Invalid 'code_challenge'"),
        (
            &*format!("&code_challenge={CHALLENGE}&code_challenge_method=S512&state=s"),
            "Unsupported 'code_challenge_method'",
        ),
        ("&code_challenge_method=S256&state=s", "Missing 'code_challenge'"),
    ] {
        let response = server.get(&authorize_path(&app, extra)).send();
        let location = response.header("Location").unwrap();
        assert_eq!(param(location, "error").as_deref(), Some("invalid_request"), "{extra}");
        assert_eq!(param(location, "error_description").as_deref(), Some(message));
    }
    let plain = authorize(&server, &token, &app, &[("code_challenge", VERIFIER), ("code_challenge_method", "plain")]);
    assert_eq!(plain.status, 200, "plain is accepted");
}

#[test]
fn a2_z11_apps_that_require_pkce_refuse_requests_without_it() {
    let server = Server::start();
    let token = server.user("jay");
    let response = register_app(
        &server,
        &token,
        json!({"client_name": "Strict", "client_uri": "https://app.example", "redirect_uris": [CALLBACK], "scope": "profile:read", "require_pkce": true}),
    );
    let client = &response.json()["data"]["client"];
    assert_eq!(client["require_pkce"], true);
    let app = App { id: 0, client_id: client["client_id"].as_str().unwrap().into(), secret: String::new() };
    let without = server.get(&authorize_path(&app, "")).send();
    assert_eq!(param(without.header("Location").unwrap(), "error").as_deref(), Some("invalid_request"));
    let with = authorize(&server, &token, &app, &[("code_challenge", CHALLENGE), ("code_challenge_method", "S256")]);
    assert_eq!(with.status, 200);
    // The default app accepts requests without PKCE (no FitTrackee client sends it today).
    let lenient = super::app(&server, &token);
    assert_eq!(authorize(&server, &token, &lenient, &[]).status, 200);
}

#[test]
fn a2_z12_visitors_sign_in_and_come_back_to_the_same_request() {
    let server = Server::start();
    let token = server.user("kim");
    let app = app(&server, &token);
    let path = authorize_path(&app, "&scope=profile:read&state=xyz");
    let mut browser = Browser::new(&server);
    let away = browser.get(&path);
    assert_eq!(away.status, 303);
    let login_url = away.header("Location").unwrap().to_string();
    assert!(login_url.starts_with("/login?from="));
    let login = browser.get(&login_url);
    let from = hidden_field(&login.text(), "from").unwrap();
    assert_eq!(from, path);
    let signed_in = browser.post(
        "/login",
        &login,
        &[("email", "kim@example.org"), ("password", crate::support::PASSWORD), ("from", &from)],
    );
    assert_eq!(signed_in.header("Location"), Some(path.as_str()));
    let page = browser.get(&path);
    assert_eq!(page.status, 200);
    assert!(page.text().contains("Authorize Uploader?"));
    assert_eq!(codes_issued(&server), 0, "nothing is approved without the user's click");
}

#[test]
fn a2_z13_the_consent_page_names_app_owner_host_and_scopes_escaped() {
    let server = Server::start();
    let owner = server.user("lou");
    server.register("mel");
    let response = register_app(
        &server,
        &owner,
        json!({"client_name": "<script>alert(1)</script>", "client_uri": "javascript:alert(2)", "redirect_uris": [CALLBACK], "scope": "profile:read workouts:write"}),
    );
    let client_id = response.json()["data"]["client"]["client_id"].as_str().unwrap().to_string();
    let path = format!("/profile/apps/authorize?response_type=code&client_id={client_id}");
    // Any user may authorize any app: mel is not the owner.
    let (_browser, page) = consent(&server, "mel", &path);
    let html = page.text();
    assert_eq!(page.status, 200);
    assert!(!html.contains("<script>alert(1)"), "the name is escaped");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!html.contains("href=\"javascript:"), "a non-http website is not a link");
    assert!(html.contains("registered by <strong>lou</strong>"));
    assert!(html.contains("app.example"), "the redirect host");
    assert!(html.contains("see your profile, preferences and email address"));
    assert!(html.contains("add, change and delete your workouts"));
}

#[test]
fn a2_z14_the_consent_post_needs_this_sessions_csrf_token() {
    let server = Server::start();
    let token = server.user("nia");
    server.register("oto");
    let app = app(&server, &token);
    let path = authorize_path(&app, "");
    let (mut browser, page) = consent(&server, "nia", &path);
    let request = hidden_field(&page.text(), "request").unwrap();
    let forged = browser.post(
        "/profile/apps/authorize",
        &page,
        &[("request", &request), ("decision", "authorize"), ("csrf_token", "x")],
    );
    assert_eq!(forged.status, 403);
    let (_other, other_page) = consent(&server, "oto", &path);
    let stolen = csrf_token(&other_page.text());
    let crossed = browser.post(
        "/profile/apps/authorize",
        &page,
        &[("request", &request), ("decision", "authorize"), ("csrf_token", &stolen)],
    );
    assert_eq!(crossed.status, 403);
    assert_eq!(codes_issued(&server), 0);
}

#[test]
fn a2_z15_z16_z19_z20_auth_pages_cannot_be_framed_cached_or_read_cross_origin() {
    let server = Server::start();
    let token = server.user("pam");
    let app = app(&server, &token);
    let (mut browser, page) = consent(&server, "pam", &authorize_path(&app, ""));
    let error_page = server.get("/profile/apps/authorize?client_id=nope").send();
    let login_page = server.get("/login").send();
    let answer = decide(&mut browser, &page, "authorize");
    for response in [&page, &error_page, &login_page, &answer] {
        assert_eq!(response.header("X-Frame-Options"), Some("DENY"));
        assert!(response.header("Content-Security-Policy").unwrap().contains("frame-ancestors 'none'"));
        assert_eq!(response.header("Referrer-Policy"), Some("no-referrer"));
        assert_eq!(response.header("Cache-Control"), Some("no-store"));
        assert!(response.header("Access-Control-Allow-Origin").is_none());
    }
    let html = page.text();
    assert!(!html.contains(" src="), "no external resources");
    assert!(html.contains("<link rel=\"stylesheet\" href=\"/static/style.css\">"));
    assert!(!html.contains("<script"), "no scripts on the consent page");
}

#[test]
fn a2_z17_consent_answers_303_with_a_code() {
    let server = Server::start();
    let token = server.user("rae");
    let app = app(&server, &token);
    let (mut browser, page) = consent(&server, "rae", &authorize_path(&app, "&scope=workouts:read"));
    let answer = decide(&mut browser, &page, "authorize");
    assert_eq!(answer.status, 303);
    let code = param(answer.header("Location").unwrap(), "code").unwrap();
    assert_eq!(exchange(&server, &app, &code, &[]).json()["scope"], "workouts:read");
}

#[test]
fn a2_z18_cancel_sends_access_denied_to_the_registered_uri() {
    let server = Server::start();
    let token = server.user("sol");
    let app = app(&server, &token);
    let (mut browser, page) = consent(&server, "sol", &authorize_path(&app, "&state=st"));
    let answer = decide(&mut browser, &page, "cancel");
    assert_eq!(answer.status, 303);
    let location = answer.header("Location").unwrap();
    assert!(location.starts_with(CALLBACK));
    assert_eq!(param(location, "error").as_deref(), Some("access_denied"));
    assert_eq!(param(location, "state").as_deref(), Some("st"));
    assert!(param(location, "iss").is_some());
    assert_eq!(codes_issued(&server), 0);
}

#[test]
fn the_authorize_url_decodes_plus_as_space() {
    let server = Server::start();
    let token = server.user("tam");
    let app = app(&server, &token);
    let (mut browser, page) = consent(&server, "tam", &authorize_path(&app, "&scope=profile:read+workouts:read"));
    let code = param(decide(&mut browser, &page, "authorize").header("Location").unwrap(), "code").unwrap();
    assert_eq!(exchange(&server, &app, &code, &[]).json()["scope"], "profile:read workouts:read");
}

#[test]
fn suspended_users_cannot_authorize() {
    let server = Server::start();
    let token = server.user("uma");
    let app = app(&server, &token);
    let mut browser = Browser::new(&server);
    browser.sign_in("uma");
    server.db().execute("UPDATE users SET suspended_at = 1", []).unwrap();
    assert_eq!(browser.get(&authorize_path(&app, "")).status, 403);
}

#[test]
fn the_first_party_authorize_api_follows_fittrackee() {
    let server = Server::start();
    let token = server.user("val");
    let app = app(&server, &token);
    let denied = authorize(&server, &token, &app, &[]);
    assert_eq!(denied.status, 200, "confirm=true was sent");
    for confirm in ["True", "TRUE"] {
        let fields = [("client_id", app.client_id.as_str()), ("response_type", "code"), ("confirm", confirm)];
        assert_eq!(server.post("/api/oauth/authorize").bearer(&token).multipart(&fields).send().status, 200);
    }
    let no_confirm = server
        .post("/api/oauth/authorize")
        .bearer(&token)
        .multipart(&[("client_id", &app.client_id), ("response_type", "code")])
        .send();
    assert_eq!(no_confirm.json()["message"], "The resource owner or authorization server denied the request");
    for fields in [
        vec![("response_type", "code")],
        vec![("client_id", app.client_id.as_str())],
        vec![("client_id", app.client_id.as_str()), ("response_type", "token")],
    ] {
        let response = server.post("/api/oauth/authorize").bearer(&token).multipart(&fields).send();
        assert_eq!((response.status, response.json()["message"].clone()), (400, json!("invalid payload")));
    }
    let unknown = server
        .post("/api/oauth/authorize")
        .bearer(&token)
        .form(&[("client_id", "nope"), ("response_type", "code"), ("confirm", "true")])
        .send();
    assert_eq!(unknown.json()["message"], "The client does not exist on this server.");
    assert_eq!(server.post("/api/oauth/authorize").multipart(&[("client_id", "x")]).send().status, 401);
    let url = authorize(&server, &token, &app, &[("state", "s")]).json()["redirect_url"].as_str().unwrap().to_string();
    assert!(url.starts_with(&format!("{CALLBACK}?code=")) && url.contains("&state=s&iss="), "{url}");
}
