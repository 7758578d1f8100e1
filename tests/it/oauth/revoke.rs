//! A.6 Revocation (RFC 7009).

use serde_json::json;

use super::*;
use crate::support::{Response, Server};

fn revoke(server: &Server, app: &App, fields: &[(&str, &str)]) -> Response {
    let mut all = vec![("client_id", app.client_id.as_str()), ("client_secret", app.secret.as_str())];
    all.extend_from_slice(fields);
    server.post("/api/oauth/revoke").form(&all).send()
}

#[test]
fn a6_v1_the_client_must_authenticate() {
    let server = Server::start();
    let token = server.user("ari");
    let app = app(&server, &token);
    let (access, _) = tokens(&server, &token, &app, "profile:read");
    let wrong = App { id: 0, client_id: app.client_id.clone(), secret: "wrong".into() };
    let response = revoke(&server, &wrong, &[("token", &access)]);
    assert_eq!((response.status, error_of(&response)), (400, "invalid_client".into()));
    assert_eq!(response.header("Cache-Control"), Some("no-store"));
    assert_eq!(profile_status(&server, &access), 200);
}

#[test]
fn a6_v2_v3_revoking_either_token_ends_both() {
    let server = Server::start();
    let token = server.user("bob");
    let app = app(&server, &token);
    let (access, refresh_token) = tokens(&server, &token, &app, "profile:read");
    let response = revoke(&server, &app, &[("token", &refresh_token)]);
    assert_eq!((response.status, response.json()), (200, json!({})));
    assert_eq!(profile_status(&server, &access), 401, "the access token of a revoked refresh token stops");
    let (access, refresh_token) = tokens(&server, &token, &app, "profile:read");
    assert_eq!(revoke(&server, &app, &[("token", &access)]).status, 200);
    assert_eq!(profile_status(&server, &access), 401);
    assert_eq!(error_of(&refresh(&server, &app, &refresh_token, &[])), "invalid_grant");
}

#[test]
fn a6_v4_unknown_tokens_answer_200() {
    let server = Server::start();
    let token = server.user("cyd");
    let app = app(&server, &token);
    assert_eq!(revoke(&server, &app, &[("token", "garbage")]).json(), json!({}));
    let missing = revoke(&server, &app, &[]);
    assert_eq!((missing.status, missing.json()), (400, json!({"error": "invalid_request"})));
}

#[test]
fn a6_v5_a_wrong_or_unknown_hint_is_ignored() {
    let server = Server::start();
    let token = server.user("dot");
    let app = app(&server, &token);
    let (access, refresh_token) = tokens(&server, &token, &app, "profile:read");
    assert_eq!(revoke(&server, &app, &[("token", &refresh_token), ("token_type_hint", "access_token")]).status, 200);
    assert_eq!(profile_status(&server, &access), 401);
    let (access, _) = tokens(&server, &token, &app, "profile:read");
    assert_eq!(revoke(&server, &app, &[("token", &access), ("token_type_hint", "id_token")]).status, 200);
    assert_eq!(profile_status(&server, &access), 401);
}

#[test]
fn a6_v6_another_apps_token_is_refused_and_left_alone() {
    let server = Server::start();
    let token = server.user("eli");
    let (app_a, app_b) = (app(&server, &token), app(&server, &token));
    let (access, _) = tokens(&server, &token, &app_a, "profile:read");
    let response = revoke(&server, &app_b, &[("token", &access)]);
    assert_eq!((response.status, error_of(&response)), (400, "invalid_grant".into()));
    assert_eq!(profile_status(&server, &access), 200);
}

#[test]
fn the_apps_tab_lists_grants_and_revokes_one() {
    let server = Server::start();
    let owner = server.user("fay");
    server.register("gus");
    let user = server.login("gus");
    let app = app(&server, &owner);
    let (access, _) = tokens(&server, &user, &app, "profile:read");
    profile_status(&server, &access);
    let mut browser = crate::support::browser::Browser::new(&server);
    browser.sign_in("gus");
    let page = browser.get("/profile/apps");
    let html = page.text();
    assert!(
        html.contains("Apps you have authorized") && html.contains("Uploader") && html.contains("registered by fay")
    );
    assert!(!html.contains("Last used: never"), "the API call was recorded");
    let grant_id: i64 = server.db().query_row("SELECT id FROM oauth_grants", [], |r| r.get(0)).unwrap();
    // Someone else cannot end it.
    let mut owner_browser = crate::support::browser::Browser::new(&server);
    owner_browser.sign_in("fay");
    let owner_page = owner_browser.get("/logout");
    let refused = owner_browser.post(&format!("/profile/apps/grants/{grant_id}/revoke"), &owner_page, &[]);
    assert_eq!(refused.status, 404);
    assert_eq!(profile_status(&server, &access), 200);
    let revoked = browser.post(&format!("/profile/apps/grants/{grant_id}/revoke"), &page, &[]);
    assert_eq!(revoked.status, 303);
    assert_eq!(profile_status(&server, &access), 401);
    assert!(browser.get("/profile/apps").text().contains("No app can reach your account."));
}
