//! Brute force: failed logins are throttled per client address and per
//! account (sparing devices that signed in before), failed client
//! authentications per address only; honest traffic is not.

use serde_json::json;

use crate::oauth::{self as flow, App};
use crate::support::browser::Browser;
use crate::support::{PASSWORD, Response, Server};

/// Behind the (trusted, loopback) proxy, each test client has its own address.
fn login_from(server: &Server, address: &str, email: &str, password: &str) -> Response {
    server
        .post("/api/auth/login")
        .header("X-Forwarded-For", address)
        .json(&json!({ "email": email, "password": password }))
        .send()
}

fn assert_rate_limited(response: &Response, limit: &str) {
    assert_eq!(response.status, 429, "{}", response.text());
    assert_eq!(response.json(), json!({ "status": "error", "message": format!("rate limit exceeded ({limit})") }));
    let retry_after: u64 = response.header("Retry-After").expect("Retry-After").parse().unwrap();
    assert!((1..=300).contains(&retry_after), "{retry_after}");
    assert_eq!(response.header("X-RateLimit-Remaining"), Some("0"));
    assert!(response.header("X-RateLimit-Limit").is_some() && response.header("X-RateLimit-Reset").is_some());
}

#[test]
fn an_account_under_attack_is_refused_even_the_right_password_and_others_are_not() {
    let server = Server::start();
    server.register("ada");
    server.register("bob");
    for n in 0..10 {
        let wrong = login_from(&server, &format!("192.0.2.{n}"), "ada@example.org", "guess");
        assert_eq!(wrong.status, 401, "attempt {n}: {}", wrong.text());
    }
    let refused = login_from(&server, "198.51.100.7", "ADA@example.org", PASSWORD);
    assert_rate_limited(&refused, "10 per 5 minute");
    // Another account, from the same addresses, is unaffected.
    assert_eq!(login_from(&server, "192.0.2.1", "bob@example.org", PASSWORD).status, 200);
    // The browser sign-in is the same account: refused too, as a page.
    let mut browser = Browser::new(&server);
    let page = browser.get("/login");
    let answer = browser.post("/login", &page, &[("email", "ada@example.org"), ("password", PASSWORD)]);
    assert_eq!(answer.status, 429);
    assert!(answer.text().contains("Too many attempts: try again in 5 minutes."), "{}", answer.text());
    assert!(answer.text().contains("value=\"ada@example.org\""), "the email stays typed");
    assert!(answer.header("Retry-After").is_some());
}

#[test]
fn an_address_guessing_across_accounts_is_refused_and_others_are_not() {
    let server = Server::start();
    server.register("cyd");
    for n in 0..20 {
        let wrong = login_from(&server, "203.0.113.5", &format!("nobody{n}@example.org"), "guess");
        assert_eq!(wrong.status, 401, "attempt {n}");
    }
    assert_rate_limited(&login_from(&server, "203.0.113.5", "cyd@example.org", PASSWORD), "20 per 1 minute");
    assert_eq!(login_from(&server, "203.0.113.6", "cyd@example.org", PASSWORD).status, 200);
}

#[test]
fn honest_traffic_is_never_throttled_and_a_success_forgives_typos() {
    let server = Server::start();
    server.register("dot");
    // Two rounds of nine typos: over the account limit but for the success
    // between them, under the address limit.
    for round in 0..2 {
        for _ in 0..9 {
            assert_eq!(login_from(&server, "192.0.2.50", "dot@example.org", "typo").status, 401);
        }
        assert_eq!(login_from(&server, "192.0.2.50", "dot@example.org", PASSWORD).status, 200, "round {round}");
    }
    for _ in 0..30 {
        assert_eq!(login_from(&server, "192.0.2.51", "dot@example.org", PASSWORD).status, 200);
    }
}

fn token_request(server: &Server, address: &str, client_id: &str, secret: &str) -> Response {
    server
        .post("/api/oauth/token")
        .header("X-Forwarded-For", address)
        .form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", "x"),
            ("client_id", client_id),
            ("client_secret", secret),
        ])
        .send()
}

fn revoke_request(server: &Server, address: &str, client_id: &str, secret: &str) -> Response {
    server
        .post("/api/oauth/revoke")
        .header("X-Forwarded-For", address)
        .form(&[("token", "x"), ("client_id", client_id), ("client_secret", secret)])
        .send()
}

/// SECURITY.md B6: client authentication is throttled per address only. A
/// guesser is stopped; the app it aims at keeps working everywhere else.
#[test]
fn a9_t7_guessing_a_client_secret_is_throttled_per_address_and_never_locks_the_app_out() {
    let server = Server::start();
    let owner = server.user("eve");
    let target: App = flow::app(&server, &owner);
    for n in 0..20 {
        let guess = if n % 2 == 0 {
            token_request(&server, "192.0.2.80", &target.client_id, "wrong-secret")
        } else {
            revoke_request(&server, "192.0.2.80", &target.client_id, "wrong-secret")
        };
        assert_eq!(guess.json()["error"], "invalid_client", "guess {n}: {}", guess.text());
    }
    // The guessing address now waits, even with the right secret.
    assert_rate_limited(&token_request(&server, "192.0.2.80", &target.client_id, &target.secret), "20 per 1 minute");
    // The app itself, from anywhere else, is not locked out (a per-client
    // lock would let anyone who knows its public client id do that).
    for address in ["198.51.100.1", "198.51.100.2", "203.0.113.77"] {
        let honest = token_request(&server, address, &target.client_id, &target.secret);
        assert_eq!(honest.json()["error"], "invalid_grant", "authenticated from {address}: {}", honest.text());
        let revoked = revoke_request(&server, address, &target.client_id, &target.secret);
        assert_eq!(revoked.status, 200, "{}", revoked.text());
    }
    // Many addresses each guessing a little never lock the app out either.
    for n in 0..40 {
        let guess = token_request(&server, &format!("203.0.113.{n}"), &target.client_id, "wrong-secret");
        assert_eq!(guess.json()["error"], "invalid_client");
    }
    let honest = token_request(&server, "198.51.100.9", &target.client_id, &target.secret);
    assert_eq!(honest.json()["error"], "invalid_grant", "{}", honest.text());
    let logs = server.logs();
    assert!(
        crate::support::logged(&logs, "client_authentication_failed", &format!("client_id={}", target.client_id)),
        "{logs}"
    );
    assert!(crate::support::logged(&logs, "throttle_engaged", "kind=address key=192.0.2.80"), "{logs}");
}

/// SECURITY.md B6: a browser or client that signed in to the account before
/// keeps signing in while a guesser has the account locked out.
#[test]
fn devices_that_signed_in_before_are_not_locked_out_with_the_account() {
    let server = Server::start();
    server.register("fay");
    server.register("gus");
    let mut known = Browser::new(&server);
    known.sign_in("fay");
    let api_login = login_from(&server, "192.0.2.90", "fay@example.org", PASSWORD);
    let device_cookie = api_login
        .header_all("Set-Cookie")
        .into_iter()
        .find(|c| c.starts_with("ft_device="))
        .and_then(|c| c.split(';').next())
        .expect("an API sign-in gets a device cookie too")
        .to_string();
    let gus_cookie = login_from(&server, "192.0.2.91", "gus@example.org", PASSWORD)
        .header_all("Set-Cookie")
        .into_iter()
        .find(|c| c.starts_with("ft_device="))
        .and_then(|c| c.split(';').next())
        .unwrap()
        .to_string();
    for n in 0..10 {
        assert_eq!(login_from(&server, &format!("203.0.113.{n}"), "fay@example.org", "guess").status, 401);
    }
    // Unknown devices wait, the right password notwithstanding…
    assert_rate_limited(&login_from(&server, "198.51.100.3", "fay@example.org", PASSWORD), "10 per 5 minute");
    let with_other_accounts_device = server
        .post("/api/auth/login")
        .header("X-Forwarded-For", "198.51.100.4")
        .header("Cookie", &gus_cookie)
        .json(&json!({ "email": "fay@example.org", "password": PASSWORD }))
        .send();
    assert_eq!(with_other_accounts_device.status, 429, "a device cookie counts for its own account only");
    // …known devices do not.
    let api = server
        .post("/api/auth/login")
        .header("X-Forwarded-For", "198.51.100.5")
        .header("Cookie", &device_cookie)
        .json(&json!({ "email": "fay@example.org", "password": PASSWORD }))
        .send();
    assert_eq!(api.status, 200, "{}", api.text());
    known.cookies.retain(|(name, _)| name == "ft_device");
    let page = known.get("/login");
    let signed_in = known.post("/login", &page, &[("email", "fay@example.org"), ("password", PASSWORD)]);
    assert_eq!(signed_in.status, 303, "{}", signed_in.text());
    // A forged or tampered device cookie is no device at all.
    let forged = server
        .post("/api/auth/login")
        .header("X-Forwarded-For", "198.51.100.6")
        .header("Cookie", &format!("{device_cookie}x"))
        .json(&json!({ "email": "fay@example.org", "password": PASSWORD }))
        .send();
    assert_eq!(forged.status, 429);
    assert!(crate::support::logged(&server.logs(), "throttle_engaged", "kind=account key=fay@example.org"));
}
