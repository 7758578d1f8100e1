//! A.7 The scope guard, as far as OAuth tokens go (the full table is tested
//! with the API families).

use serde_json::json;

use super::*;
use crate::support::Server;

#[test]
fn a7_p1_the_bearer_scheme_is_case_insensitive() {
    let server = Server::start();
    let token = server.user("abi");
    let app = app(&server, &token);
    let (access, _) = tokens(&server, &token, &app, "profile:read");
    for scheme in ["Bearer", "bearer", "BEARER", "bEaReR"] {
        let response = server.get("/api/auth/profile").header("Authorization", &format!("{scheme} {access}")).send();
        assert_eq!(response.status, 200, "{scheme}");
    }
}

#[test]
fn a7_p2_p3_tokens_in_the_query_or_body_are_ignored() {
    let server = Server::start();
    let token = server.user("bay");
    let app = app(&server, &token);
    let (access, _) = tokens(&server, &token, &app, "profile:read");
    assert_eq!(server.get(&format!("/api/auth/profile?access_token={access}")).send().status, 401);
    let body = server.request("GET", "/api/auth/profile").form(&[("access_token", &access)]).send();
    assert_eq!(body.status, 401);
}

#[test]
fn a7_p4_p5_p6_p7_bearer_challenges() {
    let server = Server::start();
    let token = server.user("cam");
    let app = app(&server, &token);
    let (access, _) = tokens(&server, &token, &app, "workouts:read");
    let none = server.get("/api/auth/profile").send();
    assert_eq!(none.header("WWW-Authenticate"), Some("Bearer realm=\"fittrackee\""));
    let bad = server.get("/api/auth/profile").bearer("unknown0token").send();
    assert_eq!(bad.status, 401);
    assert_eq!(
        bad.json(),
        json!({"error": "invalid_token", "error_description": "The access token provided is expired, revoked, malformed, or invalid for other reasons."})
    );
    let challenge = bad.header("WWW-Authenticate").unwrap();
    assert_eq!(
        challenge,
        "Bearer realm=\"fittrackee\", error=\"invalid_token\", error_description=\"The access token provided is expired, revoked, malformed, or invalid for other reasons.\""
    );
    let scope = server.get("/api/auth/profile").bearer(&access).send();
    assert_eq!(scope.status, 403);
    assert_eq!(scope.json()["error"], "insufficient_scope");
    let challenge = scope.header("WWW-Authenticate").unwrap();
    assert!(challenge.starts_with("Bearer realm=\"fittrackee\", error=\"insufficient_scope\""));
    assert!(challenge.ends_with("scope=\"profile:read\""));
    for header in [none.header("WWW-Authenticate").unwrap(), challenge] {
        assert_eq!(header.matches('"').count() % 2, 0, "quoted values: {header}");
        assert!(header.bytes().all(|b| (0x20..=0x7e).contains(&b)));
    }
}

#[test]
fn a7_p9_oauth_tokens_never_reach_first_party_routes() {
    let server = Server::start();
    let token = server.user("dag");
    let all = "application:write equipments:read equipments:write profile:read profile:write users:read users:write workouts:read workouts:write";
    let app = app_with(&server, &token, all, &[CALLBACK]);
    let (access, _) = tokens(&server, &token, &app, all);
    for (method, path) in [
        ("GET", "/api/oauth/apps".to_string()),
        ("POST", "/api/oauth/apps".to_string()),
        ("GET", format!("/api/oauth/apps/{}", app.client_id)),
        ("GET", format!("/api/oauth/apps/{}/by_id", app.id)),
        ("DELETE", format!("/api/oauth/apps/{}", app.id)),
        ("POST", format!("/api/oauth/apps/{}/revoke", app.id)),
        ("POST", "/api/oauth/authorize".to_string()),
        ("POST", "/api/auth/logout".to_string()),
    ] {
        let response = server.request(method, &path).bearer(&access).send();
        assert_eq!(
            (response.status, response.json()["message"].clone()),
            (401, json!("provide a valid auth token")),
            "{method} {path}"
        );
    }
    assert_eq!(profile_status(&server, &access), 200, "the token itself is fine");
}

#[test]
fn tokens_of_inactive_users_are_refused() {
    let server = Server::start();
    let token = server.user("eon");
    let app = app(&server, &token);
    let (access, _) = tokens(&server, &token, &app, "profile:read");
    server.db().execute("UPDATE users SET is_active = 0", []).unwrap();
    let response = server.get("/api/auth/profile").bearer(&access).send();
    assert_eq!((response.status, response.json()["message"].clone()), (401, json!("provide a valid auth token")));
}
