//! A.5 Refresh tokens. Reuse after the grace window and expiry are proven
//! with an injected clock in `oauth::token`; here, what HTTP can show.

use std::sync::{Arc, Barrier};

use serde_json::json;

use super::*;
use crate::support::Server;

#[test]
fn a5_f1_a_refresh_token_is_bound_to_its_client() {
    let server = Server::start();
    let token = server.user("amo");
    let (app_a, app_b) = (app(&server, &token), app(&server, &token));
    let (_, refresh_token) = tokens(&server, &token, &app_a, "profile:read");
    assert_eq!(refresh(&server, &app_b, &refresh_token, &[]).json(), json!({"error": "invalid_grant"}));
    assert_eq!(refresh(&server, &app_a, &refresh_token, &[]).status, 200);
}

#[test]
fn a5_f2_scope_may_only_narrow() {
    let server = Server::start();
    let token = server.user("bri");
    let app = app(&server, &token);
    let (_, refresh_token) = tokens(&server, &token, &app, "profile:read workouts:read");
    let wider = refresh(&server, &app, &refresh_token, &[("scope", "profile:read workouts:write")]);
    assert_eq!(
        wider.json(),
        json!({"error": "invalid_scope", "error_description": "The requested scope is invalid, unknown, or malformed."})
    );
    let narrow = refresh(&server, &app, &refresh_token, &[("scope", "workouts:read")]).json();
    assert_eq!(narrow["scope"], "workouts:read");
    let again = refresh(&server, &app, narrow["refresh_token"].as_str().unwrap(), &[]).json();
    assert_eq!(again["scope"], "profile:read workouts:read", "the new refresh token keeps the original grant");
}

#[test]
fn a5_f3_refresh_rotates_both_tokens() {
    let server = Server::start();
    let token = server.user("cas");
    let app = app(&server, &token);
    let (access, refresh_token) = tokens(&server, &token, &app, "profile:read");
    let response = refresh(&server, &app, &refresh_token, &[("params", "junk"), ("allow_redirects", "True")]);
    assert_eq!(response.status, 200, "{}", response.text());
    let body = response.json();
    let (new_access, new_refresh) = (body["access_token"].as_str().unwrap(), body["refresh_token"].as_str().unwrap());
    assert_ne!(new_access, access);
    assert_ne!(new_refresh, refresh_token);
    assert_eq!(body["expires_in"], 864_000);
    assert_eq!(profile_status(&server, &access), 401, "the old access token stops");
    assert_eq!(profile_status(&server, new_access), 200);
    assert_eq!(error_of(&refresh(&server, &app, &refresh_token, &[])), "invalid_grant", "the old refresh token stops");
    assert_eq!(profile_status(&server, new_access), 200, "a reuse within 30 s is only refused");
    let missing = token_request(&server, &app, &[("grant_type", "refresh_token")]);
    assert_eq!(
        missing.json(),
        json!({"error": "invalid_request", "error_description": "Missing 'refresh_token' in request."})
    );
}

#[test]
fn a5_f5_concurrent_refreshes_yield_one_successor_and_no_revocation() {
    let server = Arc::new(Server::start());
    let token = server.user("dex");
    let app = Arc::new(app(&server, &token));
    let (_, refresh_token) = tokens(&server, &token, &app, "profile:read");
    let refresh_token = Arc::new(refresh_token);
    let barrier = Arc::new(Barrier::new(4));
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let (server, app, rt, barrier) = (server.clone(), app.clone(), refresh_token.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                refresh(&server, &app, &rt, &[])
            })
        })
        .collect();
    let responses: Vec<_> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    let winners: Vec<_> = responses.iter().filter(|r| r.status == 200).collect();
    assert_eq!(winners.len(), 1, "{:?}", responses.iter().map(|r| r.status).collect::<Vec<_>>());
    let access = winners[0].json()["access_token"].as_str().unwrap().to_string();
    assert_eq!(profile_status(&server, &access), 200, "honest concurrency does not end the grant");
}

#[test]
fn refresh_works_for_suspended_users() {
    let server = Server::start();
    let token = server.user("eva");
    let app = app(&server, &token);
    let (_, refresh_token) = tokens(&server, &token, &app, "profile:read");
    server.db().execute("UPDATE users SET suspended_at = 1", []).unwrap();
    assert_eq!(refresh(&server, &app, &refresh_token, &[]).status, 200);
}
