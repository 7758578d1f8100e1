//! A.3 Authorization codes.

use std::sync::{Arc, Barrier};

use super::*;
use crate::support::{Server, contains_bytes, database_bytes};

#[test]
fn a3_c1_codes_are_long_random_strings() {
    let server = Server::start();
    let token = server.user("abe");
    let app = app(&server, &token);
    let (a, b) = (code(&server, &token, &app, &[]), code(&server, &token, &app, &[]));
    assert!(a.len() >= 43 && a.chars().all(|c| c.is_ascii_alphanumeric()), "{a}");
    assert_ne!(a, b);
}

#[test]
fn a3_c2_codes_live_at_most_the_configured_lifetime() {
    // The expiry itself is checked with an injected clock (oauth::token tests);
    // here the configured lifetime is what the server stores.
    let server = Server::start_with("[oauth]\ncode_lifetime = 120");
    let token = server.user("bob");
    let app = app(&server, &token);
    code(&server, &token, &app, &[]);
    let lifetime: i64 =
        server.db().query_row("SELECT expires_at - issued_at FROM oauth_codes", [], |r| r.get(0)).unwrap();
    assert_eq!(lifetime, 120);
}

#[test]
fn a3_c3_a_code_is_bound_to_its_client() {
    let server = Server::start();
    let token = server.user("cyd");
    let (app_a, app_b) = (app(&server, &token), app(&server, &token));
    let code = code(&server, &token, &app_a, &[]);
    let stolen = exchange(&server, &app_b, &code, &[]);
    assert_eq!((stolen.status, error_of(&stolen)), (400, "invalid_grant".into()));
    assert_eq!(exchange(&server, &app_a, &code, &[]).status, 200);
}

#[test]
fn a3_c4_a_code_works_once() {
    let server = Server::start();
    let token = server.user("dia");
    let app = app(&server, &token);
    let code = code(&server, &token, &app, &[]);
    assert_eq!(exchange(&server, &app, &code, &[]).status, 200);
    let again = exchange(&server, &app, &code, &[]);
    assert_eq!(
        (again.status, again.json()),
        (400, serde_json::json!({"error": "invalid_grant", "error_description": "Invalid 'code' in request."}))
    );
    assert!(again.header("Content-Type").unwrap().starts_with("application/json"));
}

#[test]
fn a3_c5_a_replayed_code_revokes_the_tokens_it_produced() {
    let server = Server::start();
    let token = server.user("eda");
    let app = app(&server, &token);
    let code = code(&server, &token, &app, &[]);
    let first = exchange(&server, &app, &code, &[]).json();
    let (access, refresh_token) = (first["access_token"].as_str().unwrap(), first["refresh_token"].as_str().unwrap());
    assert_eq!(profile_status(&server, access), 200);
    assert_eq!(exchange(&server, &app, &code, &[]).status, 400);
    assert_eq!(profile_status(&server, access), 401);
    assert_eq!(error_of(&refresh(&server, &app, refresh_token, &[])), "invalid_grant");
}

#[test]
fn a3_c6_a_replay_that_fails_pkce_or_client_auth_revokes_nothing() {
    let server = Server::start();
    let token = server.user("flo");
    let app = app(&server, &token);
    let code = code(&server, &token, &app, &[("code_challenge", CHALLENGE), ("code_challenge_method", "S256")]);
    let first = exchange(&server, &app, &code, &[("code_verifier", VERIFIER)]).json();
    let access = first["access_token"].as_str().unwrap();
    let wrong = "w".repeat(43);
    assert_eq!(exchange(&server, &app, &code, &[("code_verifier", &wrong)]).status, 400);
    let thief = App { id: app.id, client_id: app.client_id.clone(), secret: "stolen?".into() };
    assert_eq!(exchange(&server, &thief, &code, &[("code_verifier", VERIFIER)]).status, 400);
    assert_eq!(profile_status(&server, access), 200);
}

#[test]
fn a3_c7_two_simultaneous_redemptions_give_exactly_one_token() {
    let server = Arc::new(Server::start());
    let token = server.user("gia");
    let app = Arc::new(app(&server, &token));
    for _ in 0..5 {
        let code = Arc::new(code(&server, &token, &app, &[]));
        let barrier = Arc::new(Barrier::new(2));
        let threads: Vec<_> = (0..2)
            .map(|_| {
                let (server, app, code, barrier) = (server.clone(), app.clone(), code.clone(), barrier.clone());
                std::thread::spawn(move || {
                    barrier.wait();
                    exchange(&server, &app, &code, &[])
                })
            })
            .collect();
        let responses: Vec<_> = threads.into_iter().map(|t| t.join().unwrap()).collect();
        let statuses: Vec<u16> = responses.iter().map(|r| r.status).collect();
        assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "{statuses:?}");
        assert_eq!(statuses.iter().filter(|s| **s == 400).count(), 1, "{statuses:?}");
        assert!(responses.iter().all(|r| !r.text().contains("locked")));
    }
    let tokens: i64 = server.db().query_row("SELECT count(*) FROM oauth_tokens", [], |r| r.get(0)).unwrap();
    assert_eq!(tokens, 5, "one token pair per code");
}

#[test]
fn a3_c8_a9_x7_codes_and_tokens_are_stored_hashed_and_never_logged() {
    let server = Server::start();
    let token = server.user("hal");
    let app = app(&server, &token);
    let pending = code(&server, &token, &app, &[]);
    let used = code(&server, &token, &app, &[("code_challenge", CHALLENGE), ("code_challenge_method", "S256")]);
    let tokens = exchange(&server, &app, &used, &[("code_verifier", VERIFIER)]).json();
    let refreshed = refresh(&server, &app, tokens["refresh_token"].as_str().unwrap(), &[]).json();
    profile_status(&server, refreshed["access_token"].as_str().unwrap());
    let secrets = [
        pending.as_str(),
        used.as_str(),
        VERIFIER,
        app.secret.as_str(),
        tokens["access_token"].as_str().unwrap(),
        tokens["refresh_token"].as_str().unwrap(),
        refreshed["access_token"].as_str().unwrap(),
        refreshed["refresh_token"].as_str().unwrap(),
    ];
    let db = database_bytes(&server);
    let logs = server.flushed_logs();
    for secret in secrets {
        assert!(!contains_bytes(&db, secret.as_bytes()), "the database holds {secret}");
        assert!(!logs.contains(secret), "the log holds {secret}");
    }
}
