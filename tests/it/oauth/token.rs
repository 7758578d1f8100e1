//! A.4 The token endpoint.

use base64::Engine;
use serde_json::json;

use super::*;
use crate::support::Server;

fn basic(app: &App, secret: &str) -> String {
    let credentials = format!("{}:{}", app.client_id, secret);
    format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(credentials))
}

#[test]
fn a4_t1_get_is_405_json() {
    let server = Server::start();
    let response = server.get("/api/oauth/token").send();
    assert_eq!(response.status, 405);
    assert_eq!(response.header("Allow"), Some("POST"));
    assert_eq!(response.json()["status"], "error");
}

#[test]
fn a4_t2_urlencoded_with_charset_and_multipart_give_the_same_answer() {
    let server = Server::start();
    let token = server.user("ada");
    let app = app(&server, &token);
    let with_charset = {
        let code = code(&server, &token, &app, &[("scope", "profile:read")]);
        let body = format!(
            "grant_type=authorization_code&code={code}&client_id={}&client_secret={}",
            app.client_id, app.secret
        );
        server
            .post("/api/oauth/token")
            .header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
            .body(body.into_bytes())
            .send()
    };
    let multipart = {
        let code = code(&server, &token, &app, &[("scope", "profile:read")]);
        server
            .post("/api/oauth/token")
            .multipart(&[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("client_id", &app.client_id),
                ("client_secret", &app.secret),
            ])
            .send()
    };
    for response in [&with_charset, &multipart] {
        assert_eq!(response.status, 200, "{}", response.text());
        assert_eq!(response.json()["scope"], "profile:read");
    }
    // A JSON body carries no form fields: no grant_type.
    let json_body = server.post("/api/oauth/token").json(&json!({"grant_type": "authorization_code"})).send();
    assert_eq!(error_of(&json_body), "invalid_request");
}

#[test]
fn a4_t3_client_secret_post_and_client_secret_basic_both_work() {
    let server = Server::start();
    let token = server.user("bel");
    let app = app(&server, &token);
    assert_eq!(exchange(&server, &app, &code(&server, &token, &app, &[]), &[]).status, 200);
    let code = code(&server, &token, &app, &[]);
    let response = server
        .post("/api/oauth/token")
        .header("Authorization", &basic(&app, &app.secret))
        .form(&[("grant_type", "authorization_code"), ("code", &code)])
        .send();
    assert_eq!(response.status, 200, "{}", response.text());
}

#[test]
fn a4_t4_a_secret_in_the_query_string_is_not_read() {
    let server = Server::start();
    let token = server.user("cal");
    let app = app(&server, &token);
    let code = code(&server, &token, &app, &[]);
    let response = server
        .post(&format!("/api/oauth/token?client_secret={}", app.secret))
        .form(&[("grant_type", "authorization_code"), ("code", &code), ("client_id", &app.client_id)])
        .send();
    assert_eq!((response.status, error_of(&response)), (400, "invalid_client".into()));
}

#[test]
fn a4_t5_two_authentication_methods_at_once_are_refused() {
    let server = Server::start();
    let token = server.user("dom");
    let app = app(&server, &token);
    let code = code(&server, &token, &app, &[]);
    let response = server
        .post("/api/oauth/token")
        .header("Authorization", &basic(&app, &app.secret))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("client_id", &app.client_id),
            ("client_secret", &app.secret),
        ])
        .send();
    assert_eq!((response.status, error_of(&response)), (400, "invalid_request".into()));
}

#[test]
fn a4_t6_invalid_client_is_400_in_the_body_and_401_with_a_basic_challenge() {
    let server = Server::start();
    let token = server.user("eda");
    let app = app(&server, &token);
    let code = code(&server, &token, &app, &[]);
    let wrong = App { id: app.id, client_id: app.client_id.clone(), secret: "wrong".into() };
    let body = exchange(&server, &wrong, &code, &[]);
    assert_eq!(body.status, 400);
    assert_eq!(
        body.json(),
        json!({"error": "invalid_client", "error_description": "The client cannot authenticate with methods: ['client_secret_post']"})
    );
    let unknown = App { id: 0, client_id: "unknown".into(), secret: app.secret.clone() };
    assert_eq!(
        exchange(&server, &unknown, &code, &[]).json()["error_description"],
        "The client does not exist on this server."
    );
    let header = server
        .post("/api/oauth/token")
        .header("Authorization", &basic(&app, "wrong"))
        .form(&[("grant_type", "authorization_code"), ("code", &code)])
        .send();
    assert_eq!((header.status, error_of(&header)), (401, "invalid_client".into()));
    assert_eq!(header.header("WWW-Authenticate"), Some("Basic realm=\"fittrackee\""));
    assert_eq!(exchange(&server, &app, &code, &[]).status, 200, "failed attempts did not use the code");
}

#[test]
fn a4_t8_t13_errors_and_successes_are_json_and_never_cached() {
    let server = Server::start();
    let token = server.user("fin");
    let app = app(&server, &token);
    let ok = exchange(&server, &app, &code(&server, &token, &app, &[("scope", "profile:read")]), &[]);
    let bad = exchange(&server, &app, "nope", &[]);
    for response in [&ok, &bad] {
        assert!(response.header("Content-Type").unwrap().starts_with("application/json"));
        assert_eq!(response.header("Cache-Control"), Some("no-store"));
        assert_eq!(response.header("Pragma"), Some("no-cache"));
    }
    let body = ok.json();
    assert_eq!(body.as_object().unwrap().len(), 5, "{body}");
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 864_000);
    assert_eq!(body["scope"], "profile:read");
    assert!(body.get("expires_at").is_none());
    let error = bad.json()["error"].as_str().unwrap().to_string();
    assert!(error.bytes().all(|b| (0x20..=0x7e).contains(&b) && b != b'"' && b != b'\\'));
}

#[test]
fn a4_t9_grant_types() {
    let server = Server::start();
    let token = server.user("gil");
    let app = app(&server, &token);
    let missing = token_request(&server, &app, &[]);
    assert_eq!((missing.status, error_of(&missing)), (400, "invalid_request".into()));
    for grant_type in ["password", "client_credentials", "random"] {
        let response = token_request(&server, &app, &[("grant_type", grant_type)]);
        assert_eq!(response.json(), json!({"error": "unsupported_grant_type"}), "{grant_type}");
    }
    let no_code = token_request(&server, &app, &[("grant_type", "authorization_code")]);
    assert_eq!(no_code.json(), json!({"error": "invalid_request", "error_description": "Missing 'code' in request."}));
    let random = exchange(&server, &app, "random", &[]);
    assert_eq!(error_of(&random), "invalid_grant");
}

#[test]
fn a4_t10_t11_pkce_at_the_token_endpoint() {
    let server = Server::start();
    let token = server.user("hob");
    let app = app(&server, &token);
    let s256 = [("code_challenge", CHALLENGE), ("code_challenge_method", "S256")];
    let code = code(&server, &token, &app, &s256);
    let missing = exchange(&server, &app, &code, &[]);
    assert_eq!(error_of(&missing), "invalid_grant");
    let malformed = exchange(&server, &app, &code, &[("code_verifier", "abcdefghij")]);
    assert_eq!(malformed.json(), json!({"error": "invalid_request", "error_description": "Invalid 'code_verifier'"}));
    let wrong = exchange(&server, &app, &code, &[("code_verifier", &"x".repeat(43))]);
    assert_eq!(wrong.json(), json!({"error": "invalid_grant", "error_description": "Code challenge failed."}));
    assert_eq!(exchange(&server, &app, &code, &[("code_verifier", VERIFIER)]).status, 200);
    let downgrade = super::code(&server, &token, &app, &[]);
    let response = exchange(&server, &app, &downgrade, &[("code_verifier", VERIFIER)]);
    assert_eq!(error_of(&response), "invalid_grant");
}

#[test]
fn a4_t12_the_redirect_uri_of_the_request_is_bound_to_the_code() {
    let server = Server::start();
    let token = server.user("ian");
    let app = app_with(&server, &token, "profile:read", &[CALLBACK, "https://app.example/other"]);
    let code = code(&server, &token, &app, &[("redirect_uri", CALLBACK)]);
    let other = exchange(&server, &app, &code, &[("redirect_uri", "https://app.example/other")]);
    assert_eq!(other.json()["error_description"], "Invalid 'redirect_uri' in request.");
    let absent = exchange(&server, &app, &code, &[]);
    assert_eq!(error_of(&absent), "invalid_grant");
    assert_eq!(exchange(&server, &app, &code, &[("redirect_uri", CALLBACK)]).status, 200);
    // A code issued without redirect_uri does not need it back (FitTrackee's clients rely on it).
    let plain = super::code(&server, &token, &app, &[]);
    assert_eq!(exchange(&server, &app, &plain, &[("redirect_uri", "https://self.host/callback")]).status, 200);
}

#[test]
fn a4_t14_unknown_fields_are_ignored_and_repeated_ones_refused() {
    let server = Server::start();
    let token = server.user("joe");
    let app = app(&server, &token);
    let code = code(&server, &token, &app, &[]);
    let repeated = exchange(&server, &app, &code, &[("code", "other")]);
    assert_eq!(
        repeated.json(),
        json!({"error": "invalid_request", "error_description": "Multiple 'code' in request."})
    );
    // What real refresh requests carry (requests-oauthlib passes these through).
    let junk = exchange(&server, &app, &code, &[("params", "x"), ("allow_redirects", "True"), ("code_verifier", "")]);
    assert_eq!(junk.status, 200, "{}", junk.text());
}

#[test]
fn a4_t15_tokens_carry_more_than_256_bits() {
    let server = Server::start();
    let token = server.user("kai");
    let app = app(&server, &token);
    let (access, refresh_token) = tokens(&server, &token, &app, "profile:read");
    for value in [&access, &refresh_token] {
        // 48 characters of 62: 285 bits.
        assert!(value.len() >= 43 && value.chars().all(|c| c.is_ascii_alphanumeric()), "{value}");
    }
    assert_ne!(access, refresh_token);
}

#[test]
fn tokens_are_issued_to_suspended_users_who_then_meet_the_guard() {
    let server = Server::start();
    let token = server.user("lia");
    let app = app(&server, &token);
    let code = code(&server, &token, &app, &[]);
    server.db().execute("UPDATE users SET suspended_at = 1", []).unwrap();
    let response = exchange(&server, &app, &code, &[]);
    assert_eq!(response.status, 200, "FitTrackee issues them too");
    // The profile allows suspended users; it is read with the token.
    assert_eq!(profile_status(&server, response.json()["access_token"].as_str().unwrap()), 200);
}
