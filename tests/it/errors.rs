//! Errors are JSON envelopes with the right status; bodies are capped;
//! the request log never carries secrets.

use serde_json::json;

use crate::support::{PASSWORD, Server};

#[test]
fn unknown_api_paths_are_json_404_and_wrong_methods_json_405() {
    let server = Server::start();
    let missing = server.get("/api/does/not/exist").send();
    assert_eq!(missing.status, 404);
    assert_eq!(missing.json()["status"], "not found");
    let wrong = server.delete("/api/config").send();
    assert_eq!(wrong.status, 405);
    assert_eq!(wrong.json()["status"], "error");
    assert_eq!(wrong.header("Allow"), Some("GET, PATCH"));
    let wrong = server.get("/api/auth/login").send();
    assert_eq!((wrong.status, wrong.header("Allow")), (405, Some("POST")));
}

#[test]
fn unknown_pages_are_html_404() {
    let server = Server::start();
    let page = server.get("/nowhere").send();
    assert_eq!(page.status, 404);
    assert!(page.header("Content-Type").unwrap().starts_with("text/html"));
}

#[test]
fn bodies_over_the_limit_are_413_by_length_or_when_chunked() {
    let server = Server::start_with("max_request_size = 4096");
    let big = vec![b'a'; 10_000];
    let declared = server.post("/api/auth/login").header("Content-Type", "application/json").body(big.clone()).send();
    assert_eq!(declared.status, 413);
    assert_eq!(declared.json()["status"], "fail");
    let chunked = server.post("/api/auth/login").header("Content-Type", "application/json").body(big).chunked().send();
    assert_eq!(chunked.status, 413);
    // A chunked body under the limit is read normally.
    server.register("kim");
    let small = server
        .post("/api/auth/login")
        .header("Content-Type", "application/json")
        .body(json!({"email": "kim@example.org", "password": PASSWORD}).to_string().into_bytes())
        .chunked()
        .send();
    assert_eq!(small.status, 200, "{}", small.text());
}

#[test]
fn every_answer_carries_the_security_headers() {
    let server = Server::start();
    for path in ["/api/config", "/login", "/api/nothing"] {
        let response = server.get(path).send();
        assert_eq!(response.header("X-Frame-Options"), Some("DENY"), "{path}");
        let csp = response.header("Content-Security-Policy").unwrap();
        assert!(csp.contains("frame-ancestors 'none'") && csp.contains("default-src 'none'"), "{path}");
        assert_eq!(response.header("Referrer-Policy"), Some("no-referrer"), "{path}");
        assert_eq!(response.header("Cache-Control"), Some("no-store"), "{path}");
    }
}

#[test]
fn one_log_line_per_request_without_query_or_secrets() {
    let server = Server::start();
    server.register("lou");
    let token = server.login("lou");
    server.get("/api/auth/profile?secret=hunter2").bearer(&token).send();
    let logs = server.flushed_logs();
    let profile =
        logs.lines().find(|l| l.contains("method=GET path=/api/auth/profile ")).unwrap_or_else(|| panic!("{logs}"));
    assert!(
        profile.starts_with("level=info event=request request_id=") && profile.contains(" status=200 ms="),
        "{profile}"
    );
    assert!(logs.lines().any(|l| l.contains("method=POST path=/api/auth/login status=200 ")), "{logs}");
    for secret in [token.as_str(), "hunter2", PASSWORD] {
        assert!(!logs.contains(secret), "the log contains {secret:?}");
    }
}

#[test]
fn the_database_never_holds_session_cookies_in_plain_text() {
    let server = Server::start();
    server.register("mia");
    let mut browser = crate::support::browser::Browser::new(&server);
    browser.sign_in("mia");
    let cookie = browser.session_cookie().unwrap();
    let value = cookie.split('=').nth(1).unwrap();
    assert!(!crate::support::contains_bytes(&crate::support::database_bytes(&server), value.as_bytes()));
    assert!(!crate::support::contains_bytes(&crate::support::database_bytes(&server), PASSWORD.as_bytes()));
}

#[test]
fn a_huge_declared_length_is_refused_and_the_server_stays_up() {
    let server = Server::start();
    for length in ["4000000000", "1000000000000000"] {
        let head = format!(
            "POST /api/auth/login HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: {length}\r\n\r\nabc"
        );
        let response = crate::support::http::raw(&server.addr, head.as_bytes()).expect("an answer");
        assert_eq!(response.status, 413, "{length}");
    }
    assert_eq!(server.get("/api/config").send().status, 200, "still serving");
}

#[test]
fn request_ids_are_echoed_and_tie_a_refusal_to_its_request() {
    let server = Server::start_with("log_format = \"json\"");
    let token = server.user("ida");
    let app = crate::oauth::app_with(&server, &token, "profile:read", &["https://app.example/cb"]);
    let path = format!("/api/oauth/authorize?client_id={}&response_type=code&scope=workouts:write", app.client_id);
    let answer = server.post(&path).bearer(&token).header("X-Request-Id", "proxy-42").send();
    assert_eq!(answer.header("X-Request-Id"), Some("proxy-42"), "a proxy's id is kept");
    let fresh = server.get("/api/ping").header("X-Request-Id", "not \"a\" token").send();
    let id = fresh.header("X-Request-Id").unwrap();
    assert!(id.len() == 16 && id.bytes().all(|b| b.is_ascii_alphanumeric()), "a new one instead: {id}");
    let logs = server.flushed_logs();
    let lines: Vec<serde_json::Value> = logs.lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
    assert!(lines.len() >= 3, "JSON lines: {logs}");
    let refusal = lines.iter().find(|l| l["event"] == "scope_not_registered").unwrap_or_else(|| panic!("{logs}"));
    assert_eq!((refusal["level"].as_str(), refusal["request_id"].as_str()), (Some("warn"), Some("proxy-42")));
    assert_eq!(
        (refusal["registered"].as_str(), refusal["asked"].as_str()),
        (Some("profile:read"), Some("workouts:write"))
    );
    let request =
        lines.iter().find(|l| l["event"] == "request" && l["request_id"] == "proxy-42").expect("its request line");
    assert_eq!(request["path"], "/api/oauth/authorize");
}

#[test]
fn a_token_issued_ahead_of_the_clock_is_said_in_the_log() {
    use base64::Engine;
    let server = Server::start();
    let token = server.user("tim");
    let key: Vec<u8> =
        server.db().query_row("SELECT value FROM settings WHERE key = 'jwt_key'", [], |r| r.get(0)).unwrap();
    let (header, rest) = token.split_once('.').unwrap();
    let payload = rest.split('.').next().unwrap();
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let mut claims: serde_json::Value = serde_json::from_slice(&engine.decode(payload).unwrap()).unwrap();
    claims["iat"] = serde_json::json!(claims["iat"].as_i64().unwrap() + 3600);
    let signed = format!("{header}.{}", engine.encode(claims.to_string()));
    let signature = fittrackee::crypto::hmac_sha256(&key, signed.as_bytes());
    let ahead = format!("{signed}.{}", fittrackee::crypto::base64url(&signature));
    assert_eq!(server.get("/api/auth/profile").bearer(&ahead).send().status, 200, "still our token");
    let logs = server.flushed_logs();
    assert!(crate::support::logged(&logs, "token_issued_in_the_future", "hint=\"check the clock (NTP)\""), "{logs}");
    assert!(!logs.contains(&ahead), "never the token itself");
}
