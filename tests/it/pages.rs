//! The browser pages: sign-in round trip, CSRF, cookies, headers.

use crate::support::browser::{Browser, csrf_token};
use crate::support::{PASSWORD, Server};

#[test]
fn register_sign_in_and_see_the_profile_in_a_browser() {
    let server = Server::start();
    let mut browser = Browser::new(&server);
    let page = browser.get("/register");
    assert_eq!(page.status, 200);
    let registered = browser.post(
        "/register",
        &page,
        &[("username", "nina"), ("email", "nina@example.org"), ("password", PASSWORD), ("accepted_policy", "true")],
    );
    assert_eq!(registered.status, 303, "{}", registered.text());
    assert!(registered.header("Location").unwrap().starts_with("/login?registered=1"));
    browser.sign_in("nina");
    let profile = browser.get("/profile");
    assert_eq!(profile.status, 200);
    let html = profile.text();
    assert!(html.contains("nina@example.org"));
    assert!(html.contains("href=\"/profile/apps\""), "the tab bar links the apps tab");
}

#[test]
fn register_page_shows_validation_messages() {
    let server = Server::start();
    let mut browser = Browser::new(&server);
    let page = browser.get("/register");
    let response = browser.post(
        "/register",
        &page,
        &[("username", "x"), ("email", "bad"), ("password", "short"), ("accepted_policy", "true")],
    );
    assert_eq!(response.status, 400);
    let html = response.text();
    assert!(html.contains("username: 3 to 30 characters required"));
    assert!(html.contains("email: valid email must be provided"));
    assert!(html.contains("password: 8 characters required"));
}

#[test]
fn the_session_cookie_is_http_only_and_same_site_lax() {
    let server = Server::start();
    let page = server.get("/login").send();
    let cookie = page.header("Set-Cookie").unwrap();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"), "{cookie}");
    assert!(!cookie.contains("Secure"), "plain http locally: {cookie}");
    // Behind a TLS proxy the cookie is Secure.
    let proxied = server.get("/login").header("X-Forwarded-Proto", "https").send();
    assert!(proxied.header("Set-Cookie").unwrap().contains("; Secure"));
}

#[test]
fn forms_without_the_session_csrf_token_are_refused() {
    let server = Server::start();
    server.register("oli");
    let mut browser = Browser::new(&server);
    let page = browser.get("/login");
    let creds = [("email", "oli@example.org"), ("password", PASSWORD)];
    let forged = browser.post("/login", &page, &[creds[0], creds[1], ("csrf_token", "forged")]);
    assert_eq!(forged.status, 403);
    // A token from another browser's page does not fit this browser's cookie.
    let mut other = Browser::new(&server);
    let other_page = other.get("/login");
    let stolen = csrf_token(&other_page.text());
    let crossed = browser.post("/login", &page, &[creds[0], creds[1], ("csrf_token", &stolen)]);
    assert_eq!(crossed.status, 403);
    // No cookie at all.
    let bare = server.post("/login").form(&[creds[0], creds[1], ("csrf_token", &stolen)]).send();
    assert_eq!(bare.status, 403);
    let good = browser.post("/login", &page, &creds);
    assert_eq!(good.status, 303);
}

#[test]
fn signing_in_replaces_the_cookie_and_returns_to_the_page_asked_for() {
    let server = Server::start();
    server.register("pat");
    let mut browser = Browser::new(&server);
    let away = browser.get("/profile");
    assert_eq!(away.status, 303);
    assert_eq!(away.header("Location"), Some("/login?from=%2Fprofile"));
    let page = browser.get("/login?from=%2Fprofile");
    let before = browser.session_cookie();
    let response =
        browser.post("/login", &page, &[("email", "pat@example.org"), ("password", PASSWORD), ("from", "/profile")]);
    assert_eq!((response.status, response.header("Location")), (303, Some("/profile")));
    assert_ne!(browser.session_cookie(), before, "a new session cookie at sign-in");
    let mut other = Browser::new(&server);
    let page = other.get("/login");
    let refused = other.post("/login", &page, &[("email", "pat@example.org"), ("password", "nope nope")]);
    assert_eq!(refused.status, 401);
    assert!(refused.text().contains("The email or the password is wrong"), "{}", refused.text());
    assert!(refused.text().contains("value=\"pat@example.org\""), "the email stays typed");
}

#[test]
fn an_offsite_return_address_is_ignored() {
    let server = Server::start();
    server.register("quin");
    let mut browser = Browser::new(&server);
    let page = browser.get("/login");
    let response = browser.post(
        "/login",
        &page,
        &[("email", "quin@example.org"), ("password", PASSWORD), ("from", "//evil.example/")],
    );
    assert_eq!(response.header("Location"), Some("/"), "anything but a safe local path goes home");
}

#[test]
fn sign_out_ends_the_browser_session() {
    let server = Server::start();
    server.register("rex");
    let mut browser = Browser::new(&server);
    browser.sign_in("rex");
    let page = browser.get("/logout");
    assert_eq!(page.status, 200);
    let out = browser.post("/logout", &page, &[]);
    assert_eq!((out.status, out.header("Location")), (303, Some("/login?done=signed-out")));
    assert!(browser.get("/login?done=signed-out").text().contains("You are signed out."));
    assert_eq!(browser.get("/profile").status, 303);
    let sessions: i64 = server.db().query_row("SELECT count(*) FROM sessions", [], |r| r.get(0)).unwrap();
    assert_eq!(sessions, 0);
}
