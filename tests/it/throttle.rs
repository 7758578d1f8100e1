//! Brute force: failed logins and failed client authentications are
//! throttled per client address and per account, honest traffic is not.

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
    assert!(answer.text().contains("rate limit exceeded (10 per 5 minute)"), "{}", answer.text());
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

fn token_request(server: &Server, client_id: &str, secret: &str) -> Response {
    server
        .post("/api/oauth/token")
        .header("X-Forwarded-For", "192.0.2.80")
        .form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", "x"),
            ("client_id", client_id),
            ("client_secret", secret),
        ])
        .send()
}

#[test]
fn a9_t7_guessing_a_client_secret_is_throttled_at_the_token_and_revocation_endpoints() {
    let server = Server::start();
    let owner = server.user("eve");
    let target: App = flow::app(&server, &owner);
    let other: App = flow::app(&server, &owner);
    for n in 0..10 {
        let guess = if n % 2 == 0 {
            token_request(&server, &target.client_id, "wrong-secret")
        } else {
            server
                .post("/api/oauth/revoke")
                .header("X-Forwarded-For", "192.0.2.81")
                .form(&[("token", "x"), ("client_id", &target.client_id), ("client_secret", "wrong-secret")])
                .send()
        };
        assert_eq!(guess.json()["error"], "invalid_client", "guess {n}: {}", guess.text());
    }
    // Even the right secret now waits; another app does not.
    assert_rate_limited(&token_request(&server, &target.client_id, &target.secret), "10 per 5 minute");
    let unaffected = token_request(&server, &other.client_id, &other.secret);
    assert_eq!(unaffected.json()["error"], "invalid_grant", "authenticated: {}", unaffected.text());
}
