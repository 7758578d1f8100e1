//! A.8 Metadata and issuer; A.9 transport and proxies.

use super::*;
use crate::support::Server;

#[test]
fn a8_d1_d4_metadata_lists_what_we_support() {
    let server = Server::start_with("public_url = \"https://fit.example.org/\"");
    let response = server.get("/.well-known/oauth-authorization-server").send();
    assert_eq!(response.status, 200);
    let m = response.json();
    assert_eq!(m["issuer"], "https://fit.example.org");
    assert_eq!(m["authorization_endpoint"], "https://fit.example.org/profile/apps/authorize");
    assert_eq!(m["token_endpoint"], "https://fit.example.org/api/oauth/token");
    assert_eq!(m["revocation_endpoint"], "https://fit.example.org/api/oauth/revoke");
    assert_eq!(m["response_types_supported"], serde_json::json!(["code"]));
    assert_eq!(m["grant_types_supported"], serde_json::json!(["authorization_code", "refresh_token"]));
    assert_eq!(m["code_challenge_methods_supported"][0], "S256");
    for key in ["token_endpoint_auth_methods_supported", "revocation_endpoint_auth_methods_supported"] {
        assert!(m[key].as_array().unwrap().contains(&"client_secret_post".into()), "{key}");
    }
    assert_eq!(m["scopes_supported"].as_array().unwrap().len(), 17);
    assert_eq!(m["authorization_response_iss_parameter_supported"], true);
}

#[test]
fn a9_x1_the_configured_public_url_wins_over_request_headers() {
    let server = Server::start_with("public_url = \"https://fit.example.org\"");
    let token = server.user("fen");
    let app = app(&server, &token);
    let forged = server
        .get("/.well-known/oauth-authorization-server")
        .header("Host", "evil.example")
        .header("X-Forwarded-Proto", "http")
        .send();
    assert_eq!(forged.json()["issuer"], "https://fit.example.org");
    let url = authorize(&server, &token, &app, &[]).json()["redirect_url"].as_str().unwrap().to_string();
    assert_eq!(param(&url, "iss").as_deref(), Some("https://fit.example.org"));
}

#[test]
fn a9_x1_x_forwarded_proto_is_only_believed_from_trusted_proxies() {
    let trusting = Server::start();
    let via_proxy = trusting
        .get("/.well-known/oauth-authorization-server")
        .header("Host", "fit.lan")
        .header("X-Forwarded-Proto", "https")
        .send();
    assert_eq!(via_proxy.json()["issuer"], "https://fit.lan");
    let distrusting = Server::start_with("trusted_proxies = []");
    let forged = distrusting
        .get("/.well-known/oauth-authorization-server")
        .header("Host", "fit.lan")
        .header("X-Forwarded-Proto", "https")
        .send();
    assert_eq!(forged.json()["issuer"], "http://fit.lan");
}

#[test]
fn a9_x3_a_huge_token_request_is_413_without_being_read() {
    let server = Server::start();
    let started = std::time::Instant::now();
    let response = server
        .post("/api/oauth/token")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(vec![b'a'; 10 * 1024 * 1024])
        .send();
    assert_eq!(response.status, 413);
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}
