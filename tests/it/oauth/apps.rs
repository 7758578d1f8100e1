//! A.1 Client registration and the apps JSON API.

use serde_json::json;

use super::*;
use crate::support::{Server, contains_bytes, database_bytes};

fn body(uris: serde_json::Value, scope: &str) -> serde_json::Value {
    json!({"client_name": "App", "client_uri": "https://app.example", "redirect_uris": uris, "scope": scope})
}

#[test]
fn creation_answers_201_with_the_secret_once() {
    let server = Server::start();
    let token = server.user("ann");
    let response = register_app(
        &server,
        &token,
        json!({
            "client_name": "Uploader", "client_uri": "https://app.example", "client_description": "uploads",
            "redirect_uris": [CALLBACK], "scope": "profile:read workouts:write",
            "grant_types": ["password"], "response_types": ["token"], "token_endpoint_auth_method": "none",
        }),
    );
    assert_eq!(response.status, 201);
    let body = response.json();
    assert_eq!(body["status"], "created");
    let client = &body["data"]["client"];
    assert_eq!(client["name"], "Uploader");
    assert_eq!(client["website"], "https://app.example");
    assert_eq!(client["client_description"], "uploads");
    assert_eq!(client["redirect_uris"], json!([CALLBACK]));
    assert_eq!(client["scope"], "profile:read workouts:write");
    assert_eq!(client["client_id"].as_str().unwrap().len(), 24);
    assert!(client["client_secret"].as_str().unwrap().len() >= 43);
    let issued_at = client["issued_at"].as_str().unwrap();
    assert!(issued_at.ends_with(" GMT") && issued_at.split(' ').nth(2).unwrap().len() > 3, "full month: {issued_at}");
    let shown = server.get(&format!("/api/oauth/apps/{}", client["client_id"].as_str().unwrap())).bearer(&token).send();
    assert_eq!(shown.status, 200);
    assert!(shown.json()["data"]["client"].get("client_secret").is_none());
}

#[test]
fn metadata_validation_messages() {
    let server = Server::start();
    let token = server.user("ben");
    let cases = [
        (json!({}), "OAuth2 client metadata missing"),
        (
            json!({"client_uri": "x", "redirect_uris": [CALLBACK], "scope": "profile:read"}),
            "OAuth2 client metadata missing keys: client_name",
        ),
        (
            json!({"client_name": "x", "scope": "profile:read"}),
            "OAuth2 client metadata missing keys: client_uri, redirect_uris",
        ),
        (body(json!([CALLBACK]), "random"), "OAuth2 client invalid scopes"),
        (body(json!([CALLBACK]), ""), "OAuth2 client invalid scopes"),
    ];
    for (request, message) in cases {
        let response = register_app(&server, &token, request.clone());
        assert_eq!((response.status, response.json()["message"].clone()), (400, json!(message)), "{request}");
    }
    let empty = server.post("/api/oauth/apps").bearer(&token).send();
    assert_eq!(empty.json()["message"], "OAuth2 client metadata missing");
    let count: i64 = server.db().query_row("SELECT count(*) FROM oauth_clients", [], |r| r.get(0)).unwrap();
    assert_eq!(count, 0);
}

#[test]
fn a1_r1_fragments_are_refused_and_a_registered_query_is_kept() {
    let server = Server::start();
    let token = server.user("cat");
    let response = register_app(&server, &token, body(json!(["https://a.example/cb#x"]), "profile:read"));
    assert_eq!(response.status, 400);
    assert!(response.json()["message"].as_str().unwrap().contains("fragment"));
    let app = app_with(&server, &token, "profile:read", &["https://a.example/cb?x=1"]);
    let url = authorize(&server, &token, &app, &[]).json()["redirect_url"].as_str().unwrap().to_string();
    assert!(url.starts_with("https://a.example/cb?x=1&code="), "{url}");
}

#[test]
fn a1_r2_only_complete_uris_match() {
    let server = Server::start();
    let token = server.user("dan");
    let app = app_with(&server, &token, "profile:read", &["https://a.example/cb"]);
    for requested in ["https://a.example/cb/more", "https://a.example/c", "https://a.example/cb?x=1"] {
        let response = authorize(&server, &token, &app, &[("redirect_uri", requested)]);
        assert_eq!(response.status, 400, "{requested}");
    }
}

#[test]
fn a1_r3_plain_http_only_for_loopback_unless_the_admin_allows_it() {
    let server = Server::start();
    let token = server.user("eve");
    let lan = body(json!(["http://192.168.1.5/cb"]), "profile:read");
    assert_eq!(register_app(&server, &token, lan.clone()).status, 400);
    for loopback in ["http://127.0.0.1/cb", "http://localhost:8000/cb", "http://[::1]/cb"] {
        assert_eq!(register_app(&server, &token, body(json!([loopback]), "profile:read")).status, 201, "{loopback}");
    }
    let lan_server = Server::start_with("[oauth]\nallow_http_redirect_uris = true");
    let token = lan_server.user("eve");
    assert_eq!(register_app(&lan_server, &token, lan).status, 201);
}

#[test]
fn a1_r4_private_use_schemes_are_reverse_domain_names() {
    let server = Server::start();
    let token = server.user("fay");
    assert_eq!(register_app(&server, &token, body(json!(["myapp:/cb"]), "profile:read")).status, 400);
    assert_eq!(register_app(&server, &token, body(json!(["javascript:alert(1)"]), "profile:read")).status, 400);
    assert_eq!(register_app(&server, &token, body(json!(["com.example.app:/cb"]), "profile:read")).status, 201);
}

#[test]
fn a1_r5_the_secret_is_stored_hashed_and_never_shown_again() {
    let server = Server::start();
    let token = server.user("gil");
    let app = app(&server, &token);
    assert!(!contains_bytes(&database_bytes(&server), app.secret.as_bytes()));
    for path in [
        format!("/api/oauth/apps/{}", app.client_id),
        format!("/api/oauth/apps/{}/by_id", app.id),
        "/api/oauth/apps".into(),
    ] {
        let text = server.get(&path).bearer(&token).send().text();
        assert!(!text.contains(&app.secret) && !text.contains("client_secret"), "{path}");
    }
}

#[test]
fn a1_r6_the_server_chooses_the_client_id() {
    let server = Server::start();
    let token = server.user("hal");
    let mut request = body(json!([CALLBACK]), "profile:read");
    request["client_id"] = json!("my-own-id");
    let response = register_app(&server, &token, request);
    assert_ne!(response.json()["data"]["client"]["client_id"], "my-own-id");
}

#[test]
fn a1_r8_unknown_scopes_are_dropped_and_newer_fittrackee_scopes_accepted() {
    let server = Server::start();
    let token = server.user("ida");
    let response = register_app(&server, &token, body(json!([CALLBACK]), "profile:write invalid profile:read"));
    assert_eq!(response.json()["data"]["client"]["scope"], "profile:write profile:read");
    // What garmin-to-fittrackee 0.12 registers: seven scopes including media:write.
    let seven = "profile:read workouts:read workouts:write equipments:read equipments:write users:read media:write";
    let response = register_app(&server, &token, body(json!([CALLBACK]), seven));
    assert_eq!(response.json()["data"]["client"]["scope"], seven);
}

#[test]
fn a1_r9_revoking_all_tokens_of_an_app_is_immediate() {
    let server = Server::start();
    let owner = server.user("jon");
    let user = server.user("kay");
    let app = app(&server, &owner);
    let other = app_with(&server, &owner, "profile:read", &[CALLBACK]);
    let (access, refresh_token) = tokens(&server, &user, &app, "profile:read");
    let (other_access, _) = tokens(&server, &user, &other, "profile:read");
    let response = server.post(&format!("/api/oauth/apps/{}/revoke", app.id)).bearer(&owner).send();
    assert_eq!((response.status, response.json()), (200, json!({"status": "success"})));
    assert_eq!(profile_status(&server, &access), 401);
    assert_eq!(error_of(&refresh(&server, &app, &refresh_token, &[])), "invalid_grant");
    assert_eq!(profile_status(&server, &other_access), 200, "another app's tokens are untouched");
    // Not the owner: 404, and nothing happens.
    let stranger = server.post(&format!("/api/oauth/apps/{}/revoke", other.id)).bearer(&user).send();
    assert_eq!((stranger.status, stranger.json()["message"].clone()), (404, json!("OAuth2 client not found")));
    assert_eq!(profile_status(&server, &other_access), 200);
}

#[test]
fn apps_are_listed_five_per_page_newest_first() {
    let server = Server::start();
    let token = server.user("lea");
    assert_eq!(server.get("/api/oauth/apps").bearer(&token).send().json()["data"]["clients"], json!([]));
    let ids: Vec<i64> = (0..7).map(|_| app(&server, &token).id).collect();
    let first = server.get("/api/oauth/apps").bearer(&token).send().json();
    let listed: Vec<i64> =
        first["data"]["clients"].as_array().unwrap().iter().map(|c| c["id"].as_i64().unwrap()).collect();
    assert_eq!(listed, vec![ids[6], ids[5], ids[4], ids[3], ids[2]]);
    assert_eq!(first["pagination"], json!({"has_next": true, "has_prev": false, "page": 1, "pages": 2, "total": 7}));
    let second = server.get("/api/oauth/apps?page=2").bearer(&token).send().json();
    assert_eq!(second["data"]["clients"].as_array().unwrap().len(), 2);
    assert_eq!(second["pagination"], json!({"has_next": false, "has_prev": true, "page": 2, "pages": 2, "total": 7}));
    // Another user sees none of them.
    let other = server.user("max");
    assert_eq!(server.get("/api/oauth/apps").bearer(&other).send().json()["pagination"]["total"], 0);
}

#[test]
fn apps_of_others_are_not_found_and_survive_delete_attempts() {
    let server = Server::start();
    let owner = server.user("ned");
    let other = server.user("ola");
    let app = app(&server, &owner);
    for response in [
        server.get(&format!("/api/oauth/apps/{}", app.client_id)).bearer(&other).send(),
        server.get(&format!("/api/oauth/apps/{}/by_id", app.id)).bearer(&other).send(),
        server.delete(&format!("/api/oauth/apps/{}", app.id)).bearer(&other).send(),
        server.get("/api/oauth/apps/unknown").bearer(&owner).send(),
    ] {
        assert_eq!(response.status, 404);
        assert_eq!(response.json(), json!({"status": "not found", "message": "OAuth2 client not found"}));
    }
    assert_eq!(server.get(&format!("/api/oauth/apps/{}/by_id", app.id)).bearer(&owner).send().status, 200);
}

#[test]
fn deleting_an_app_removes_its_codes_and_tokens() {
    let server = Server::start();
    let token = server.user("pia");
    let app = app(&server, &token);
    let (access, _) = tokens(&server, &token, &app, "profile:read");
    let _pending = code(&server, &token, &app, &[]);
    let response = server.delete(&format!("/api/oauth/apps/{}", app.id)).bearer(&token).send();
    assert_eq!((response.status, response.body.len()), (204, 0));
    assert_eq!(profile_status(&server, &access), 401);
    let db = server.db();
    for table in ["oauth_clients", "oauth_codes", "oauth_tokens", "oauth_grants"] {
        let count: i64 = db.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).unwrap();
        assert_eq!(count, 0, "{table}");
    }
}

#[test]
fn suspended_users_manage_but_cannot_create_apps() {
    let server = Server::start();
    let token = server.user("quy");
    let app = app(&server, &token);
    server.db().execute("UPDATE users SET suspended_at = 1", []).unwrap();
    let create = register_app(&server, &token, body(json!([CALLBACK]), "profile:read"));
    assert_eq!(
        (create.status, create.json()["message"].clone()),
        (403, json!("you do not have permissions, your account is suspended"))
    );
    assert_eq!(server.get("/api/oauth/apps").bearer(&token).send().status, 200);
    assert_eq!(server.post(&format!("/api/oauth/apps/{}/revoke", app.id)).bearer(&token).send().status, 200);
    assert_eq!(authorize(&server, &token, &app, &[]).status, 403);
    assert_eq!(server.delete(&format!("/api/oauth/apps/{}", app.id)).bearer(&token).send().status, 204);
}

#[test]
fn apps_endpoints_need_a_first_party_token() {
    let server = Server::start();
    assert_eq!(server.get("/api/oauth/apps").send().status, 401);
    assert_eq!(server.post("/api/oauth/apps").json(&body(json!([CALLBACK]), "profile:read")).send().status, 401);
}
