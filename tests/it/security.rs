//! The classes of defects an attack on the server found (SECURITY.md Part B),
//! each tried in many variants over HTTP.

use std::time::{Duration, Instant};

use serde_json::json;

use crate::oauth::{self as flow, App};
use crate::support::browser::{Browser, hidden_field};
use crate::support::http::raw;
use crate::support::{PASSWORD, Response, Server};
use crate::workouts::{START, gpx_run, upload, upload_run};

/// Every byte a header must never carry (tab is allowed in values).
fn control_bytes() -> impl Iterator<Item = u8> {
    (0u8..0x20).chain([0x7f]).filter(|b| *b != b'\t')
}

fn percent(byte: u8) -> String {
    format!("%{byte:02X}")
}

/// No header of the answer holds a control byte, and none was injected.
fn assert_clean_headers(response: &Response, context: &str) {
    for (name, value) in &response.headers {
        assert!(!name.eq_ignore_ascii_case("X-Injected"), "{context}: injected header {name}: {value}");
        assert!(!(name.eq_ignore_ascii_case("Set-Cookie") && value.starts_with("injected")), "{context}: {value}");
        assert!(value.bytes().all(|b| b == b'\t' || (b' '..=b'~').contains(&b)), "{context}: {name}: {value:?}");
    }
}

fn app_with_uris(server: &Server, token: &str, uris: &[&str]) -> App {
    flow::app_with(server, token, "profile:read workouts:read", uris)
}

/// B1: the consent page and the authorize API redirect only where the
/// registered URI leads as a browser reads it; the page names that host.
#[test]
fn b1_redirect_uris_are_matched_as_browsers_read_them() {
    let server = Server::start();
    let token = server.user("ann");
    let app = app_with_uris(&server, &token, &["http://127.0.0.1/cb", "https://app.example/cb"]);
    let mut browser = Browser::new(&server);
    browser.sign_in("ann");
    let refused = [
        "http://attacker.example\\@127.0.0.1/cb",
        "http://attacker.example%5C@127.0.0.1/cb",
        "http://attacker.example@127.0.0.1/cb",
        "http://127.0.0.1.attacker.example/cb",
        "http://127.1/cb",
        "http://127.0.0.1:+80/cb",
        "http://127.0.0.1:65536/cb",
        "http://127.0.0.1:0080/cb",
        "http://127.0.0.1:80%0d%0aSet-Cookie:%20injected=1/cb",
        "http://127.0.0.1:5000\\cb",
        "http://127.0.0.1:5000/./cb",
        "http://127.0.0.1:5000/cb/",
        "http://127.0.0.1:5000//cb",
        "http://127.0.0.1%2F@attacker.example/cb",
        "http://localhost:5000/cb",
        "https://app.example/cb?x=1",
        "https://APP.example/cb",
        "https://app.example./cb",
        "https://app.example:443/cb",
        "https://app.example/cb#x",
        "https:\\\\app.example/cb",
        "http://[::1%25eth0]:5000/cb",
    ];
    for uri in refused {
        let encoded: String = form_urlencoded::byte_serialize(uri.as_bytes()).collect();
        let page = browser.get(&format!(
            "/profile/apps/authorize?response_type=code&client_id={}&redirect_uri={encoded}",
            app.client_id
        ));
        assert_eq!(page.status, 400, "{uri}: {}", page.text());
        assert_eq!(page.header("Location"), None, "{uri}");
        assert_clean_headers(&page, uri);
        let api = flow::authorize(&server, &token, &app, &[("redirect_uri", uri)]);
        assert_eq!(api.status, 400, "{uri}: {}", api.text());
    }
    for (uri, host) in [("http://127.0.0.1:51004/cb", "127.0.0.1:51004"), ("https://app.example/cb", "app.example")] {
        let encoded: String = form_urlencoded::byte_serialize(uri.as_bytes()).collect();
        let page = browser.get(&format!(
            "/profile/apps/authorize?response_type=code&client_id={}&redirect_uri={encoded}",
            app.client_id
        ));
        assert_eq!(page.status, 200, "{uri}");
        assert!(page.text().contains(&format!("<strong id=\"redirect-host\">{host}</strong>")), "{uri}");
    }
    let logs = server.logs();
    assert!(logs.contains("level=warn event=redirect_uri_refused"), "{logs}");
    assert!(logs.contains("registered=\"http://127.0.0.1/cb https://app.example/cb\""), "{logs}");
    assert!(logs.contains("received=http://attacker.example\\\\@127.0.0.1/cb"), "{logs}");
}

#[test]
fn b1_registration_refuses_uris_that_browsers_could_read_otherwise() {
    let server = Server::start();
    let token = server.user("bea");
    for uri in [
        "http://attacker.example\\@127.0.0.1/cb",
        "http://attacker.example@127.0.0.1/cb",
        "http://user:pass@localhost/cb",
        "http://127.1/cb",
        "https://app.example",
        "https://App.example/cb",
        "https://app.example/cb\r\nX-Injected: 1",
        "https://app.example/\tcb",
        "https://app.example/c b",
        "https://app.example:443/cb",
        "https://app.example/a/../cb",
        "http://[::1%25lo]/cb",
    ] {
        let response = flow::register_app(
            &server,
            &token,
            json!({"client_name": "x", "client_uri": "https://app.example", "redirect_uris": [uri], "scope": "profile:read"}),
        );
        assert_eq!(response.status, 400, "{uri:?}: {}", response.text());
        assert!(response.json()["message"].as_str().unwrap().contains("invalid redirect URI"), "{uri:?}");
    }
}

/// B2: no route that redirects or sets cookies lets a control byte into a
/// header, whatever byte the request carries where it is echoed.
#[test]
fn b2_no_control_byte_reaches_a_response_header() {
    let server = Server::start();
    let token = server.user("cam");
    let app = app_with_uris(&server, &token, &["https://app.example/cb"]);
    let mut signed_in = Browser::new(&server);
    signed_in.sign_in("cam");
    for byte in control_bytes() {
        let b = percent(byte);
        let split = format!("{b}X-Injected:%20injected{b}");
        // The sign-in page's return path, signed in (redirects at once)…
        let back = signed_in.get(&format!("/login?from=/a{split}b"));
        assert_eq!((back.status, back.header("Location")), (303, Some("/")), "{byte:#x}");
        assert_clean_headers(&back, "login from");
        // …and after a sign-in form that carries it.
        let mut visitor = Browser::new(&server);
        let page = visitor.get("/login");
        let raw_from = format!("/a{}X-Injected: injected", byte as char);
        let after =
            visitor.post("/login", &page, &[("email", "cam@example.org"), ("password", PASSWORD), ("from", &raw_from)]);
        assert_eq!((after.status, after.header("Location")), (303, Some("/")), "{byte:#x}");
        assert_clean_headers(&after, "login post");
        // A page that sends visitors to sign in, with the byte in its query.
        let away = Browser::new(&server).get(&format!("/profile?x={split}"));
        assert_eq!(away.status, 303);
        assert!(away.header("Location").unwrap().starts_with("/login?from=%2Fprofile%3Fx%3D"), "{byte:#x}");
        assert_clean_headers(&away, "sign-in redirect");
        // Registration's return path.
        let mut newcomer = Browser::new(&server);
        let form = newcomer.get(&format!("/register?from=/x{split}"));
        assert_clean_headers(&form, "register page");
        // The consent page: the byte in the redirect URI (refused, never
        // redirected) and in the state (percent-encoded in the redirect).
        let consent = signed_in.get(&format!(
            "/profile/apps/authorize?response_type=code&client_id={}&redirect_uri=https://app.example/cb{split}",
            app.client_id
        ));
        assert_eq!(consent.status, 400, "{byte:#x}");
        assert_clean_headers(&consent, "consent redirect_uri");
        let consent = signed_in
            .get(&format!("/profile/apps/authorize?response_type=code&client_id={}&state=s{split}", app.client_id));
        assert_eq!(consent.status, 200, "{byte:#x}");
        let request = hidden_field(&consent.text(), "request").unwrap();
        let decided =
            signed_in.post("/profile/apps/authorize", &consent, &[("request", &request), ("decision", "cancel")]);
        assert_eq!(decided.status, 303, "{byte:#x}");
        assert!(decided.header("Location").unwrap().starts_with("https://app.example/cb?error=access_denied"));
        assert_clean_headers(&decided, "consent decision");
        let api =
            flow::authorize(&server, &token, &app, &[("state", &format!("s{}X-Injected: injected", byte as char))]);
        assert_eq!(api.status, 200, "{byte:#x}");
        assert_clean_headers(&api, "authorize API");
        assert!(!api.json()["redirect_url"].as_str().unwrap().bytes().any(|b| b.is_ascii_control()));
    }
}

/// B2: an uploaded file name is echoed in `Content-Disposition` only as plain characters.
#[test]
fn b2_downloads_never_echo_control_bytes_in_file_names() {
    let server = Server::start();
    let token = server.user("dee");
    for byte in control_bytes().filter(|b| *b != b'\r' && *b != b'\n') {
        let name = format!("ride{}Set-Cookie: injected=1.gpx", byte as char);
        let body = crate::workouts::multipart(
            &[
                crate::workouts::data_part("{\"sport_id\": 1}"),
                crate::workouts::file_part(&name, gpx_run(START, 10).as_bytes()),
            ],
            "\r\n",
            "",
        );
        let created = crate::workouts::post_multipart(&server, &token, body);
        assert_eq!(created.status, 201, "{byte:#x}: {}", created.text());
        let id = created.json()["data"]["workouts"][0]["id"].as_str().unwrap().to_string();
        for path in ["gpx", "original"] {
            let download = server.get(&format!("/api/workouts/{id}/{path}/download")).bearer(&token).send();
            assert_eq!(download.status, 200);
            assert_clean_headers(&download, "download");
            assert!(download.header("Content-Disposition").unwrap().contains("attachment"));
        }
    }
}

/// B3: a return path is a local path; anything a browser could read as
/// another host becomes `/`.
#[test]
fn b3_return_paths_never_leave_the_site() {
    let server = Server::start();
    server.register("eli");
    let mut browser = Browser::new(&server);
    browser.sign_in("eli");
    for from in [
        "%2F%09%2Fattacker.example%2Fx",
        "/%09/attacker.example/x",
        "//attacker.example/x",
        "/%5Cattacker.example/x",
        "%5C%5Cattacker.example",
        "/%0D%0A/attacker.example",
        "https://attacker.example/",
        "/%2F/attacker.example",
        "%2F%2Fattacker.example",
        "/a%5Cb",
        "/%20/attacker.example",
        "/%C3%A9",
        "javascript:alert(1)",
        "",
    ] {
        let response = browser.get(&format!("/login?from={from}"));
        assert_eq!((response.status, response.header("Location")), (303, Some("/")), "{from}");
    }
    let kept = browser.get("/login?from=%2Fprofile%2Fapps%3Ftab%3D1");
    assert_eq!(kept.header("Location"), Some("/profile/apps?tab=1"));
}

/// B7: a new password, on every path that sets one, ends every other
/// session, every grant and every unredeemed code.
#[test]
fn b7_a_new_password_ends_sessions_grants_and_codes_on_every_path() {
    let server = Server::start();
    let admin = server.user("root");
    server.make_admin("root");
    for (n, path) in ["change", "admin reset", "command line"].into_iter().enumerate() {
        let username = format!("victim{n}");
        let token = server.user(&username);
        let keeper = server.login(&username);
        let app = flow::app(&server, &token);
        let (access, refresh) = flow::tokens(&server, &token, &app, "profile:read");
        let pending_code = flow::code(&server, &token, &app, &[]);
        let mut browser = Browser::new(&server);
        browser.sign_in(&username);
        assert_eq!(browser.get("/profile").status, 200);
        match path {
            "change" => {
                let changed = server
                    .patch("/api/auth/profile/edit/account")
                    .bearer(&keeper)
                    .json(&json!({"email": format!("{username}@example.org"), "password": PASSWORD, "new_password": "another long password"}))
                    .send();
                assert_eq!(changed.status, 200, "{}", changed.text());
            }
            "admin reset" => {
                let reset = server
                    .patch(&format!("/api/users/{username}"))
                    .bearer(&admin)
                    .json(&json!({"reset_password": true}))
                    .send();
                assert_eq!(reset.status, 200, "{}", reset.text());
            }
            _ => {
                let out = server.cli(&["users", "update", &username, "--reset-password"]);
                assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            }
        }
        assert_eq!(flow::profile_status(&server, &access), 401, "{path}: the OAuth token");
        assert_eq!(flow::error_of(&flow::refresh(&server, &app, &refresh, &[])), "invalid_grant", "{path}: refresh");
        assert_eq!(flow::error_of(&flow::exchange(&server, &app, &pending_code, &[])), "invalid_grant", "{path}: code");
        assert_eq!(server.get("/api/auth/profile").bearer(&token).send().status, 401, "{path}: another session");
        assert_eq!(browser.get("/profile").status, 303, "{path}: the browser session");
        let keeper_status = server.get("/api/auth/profile").bearer(&keeper).send().status;
        assert_eq!(keeper_status, if path == "change" { 200 } else { 401 }, "{path}: the session that changed it");
    }
}

/// B8: ambiguous framing is refused and the connection closed, so nothing
/// after it is read as a request.
#[test]
fn b8_conflicting_lengths_and_unknown_codings_are_refused_and_close_the_connection() {
    let server = Server::start();
    let smuggled = "GET /api/config HTTP/1.1\r\nHost: x\r\n\r\n";
    let cases = [
        ("Content-Length: 5\r\nContent-Length: 60", 400),
        ("Content-Length: 5\r\nContent-Length: 5", 400),
        ("Content-Length: 5, 5", 400),
        ("Content-Length: +5", 400),
        ("Content-Length: 0x5", 400),
        ("Content-Length: 5\r\nTransfer-Encoding: chunked", 400),
        ("Transfer-Encoding: chunked\r\nContent-Length: 5", 400),
        ("Transfer-Encoding: gzip", 501),
        ("Transfer-Encoding: gzip, chunked", 501),
        ("Transfer-Encoding: chunked, chunked", 501),
        ("Transfer-Encoding: chunked\r\nTransfer-Encoding: identity", 501),
        ("Transfer-Encoding: xchunked", 501),
    ];
    for (framing, status) in cases {
        let request = format!("POST /api/auth/login HTTP/1.1\r\nHost: x\r\n{framing}\r\n\r\n0\r\n\r\n{smuggled}");
        let answer = raw(&server.addr, request.as_bytes()).unwrap_or_else(|| panic!("{framing}: no answer"));
        assert_eq!(answer.status, status, "{framing}");
        assert_eq!(answer.header("Connection"), Some("close"), "{framing}");
        assert!(!answer.text().contains("HTTP/1.1"), "{framing}: a second answer followed");
    }
    let http10 = "POST /api/auth/login HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n";
    assert_eq!(raw(&server.addr, http10.as_bytes()).unwrap().status, 400);
    // Malformed chunks are refused too.
    for body in ["5\nhello\r\n0\r\n\r\n", "5\r\nhelloXX\r\n0\r\n\r\n", "zz\r\n", "-1\r\n"] {
        let request = format!("POST /api/auth/login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n{body}");
        assert_eq!(raw(&server.addr, request.as_bytes()).unwrap().status, 400, "{body:?}");
    }
    // A well-framed chunked body with extensions and trailers is fine, and
    // the connection stays open for the next request.
    let good = format!(
        "POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n\
         4;ext=1\r\n{{\"em\r\n6\r\nail\": \r\n8\r\n\"a@b.c\"}}\r\n0\r\nX-Trailer: 1\r\n\r\n{smuggled}"
    );
    let mut stream = std::net::TcpStream::connect(&server.addr).unwrap();
    std::io::Write::write_all(&mut stream, good.as_bytes()).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut answers = Vec::new();
    let mut buf = [0u8; 4096];
    while let Ok(n) = std::io::Read::read(&mut stream, &mut buf) {
        if n == 0 {
            break;
        }
        answers.extend_from_slice(&buf[..n]);
        if String::from_utf8_lossy(&answers).matches("HTTP/1.1 ").count() == 2 && answers.ends_with(b"}") {
            break;
        }
    }
    let text = String::from_utf8_lossy(&answers);
    assert!(text.starts_with("HTTP/1.1 400"), "the login body is read: {text}");
    assert!(text.contains("\"version\""), "the pipelined request is answered: {text}");
}

/// B9: coordinates never reach a caller who may not see the map.
#[test]
fn b9_coordinates_never_reach_who_may_not_see_the_map() {
    let server = Server::start();
    let owner = server.user("fox");
    let other = server.user("gil");
    let data = json!({"sport_id": 5, "workout_visibility": "public", "analysis_visibility": "public", "map_visibility": "private"});
    let created = upload(&server, &owner, &data.to_string(), &gpx_run(START, 50));
    assert_eq!(created.status, 201, "{}", created.text());
    let id = created.json()["data"]["workouts"][0]["id"].as_str().unwrap().to_string();
    for viewer in [None, Some(other.as_str())] {
        let chart = match viewer {
            Some(token) => server.get(&format!("/api/workouts/{id}/chart_data")).bearer(token).send(),
            None => server.get(&format!("/api/workouts/{id}/chart_data")).send(),
        };
        assert_eq!(chart.status, 200, "{}", chart.text());
        let points = chart.json()["data"]["chart_data"].as_array().unwrap().clone();
        assert_eq!(points.len(), 50);
        assert!(points.iter().all(|p| p.get("latitude").is_none() && p.get("longitude").is_none()), "{viewer:?}");
        assert!(points[10]["elevation"].is_number(), "the analysis itself is public");
        let workout = match viewer {
            Some(token) => server.get(&format!("/api/workouts/{id}")).bearer(token).send(),
            None => server.get(&format!("/api/workouts/{id}")).send(),
        };
        assert_eq!(workout.json()["data"]["workouts"][0]["bounds"], json!([]), "{viewer:?}");
        let text = workout.text() + &chart.text();
        assert!(!text.contains("45.00"), "no coordinate anywhere: {text}");
        for path in ["gpx/download", "original/download"] {
            let download = match viewer {
                Some(token) => server.get(&format!("/api/workouts/{id}/{path}")).bearer(token).send(),
                None => server.get(&format!("/api/workouts/{id}/{path}")).send(),
            };
            assert!(matches!(download.status, 401 | 404), "{path} for {viewer:?}: {}", download.status);
        }
        let list = server.get("/api/users/fox/workouts").send();
        assert!(!list.text().contains("45.00"), "{}", list.text());
    }
    let mine = server.get(&format!("/api/workouts/{id}/chart_data")).bearer(&owner).send();
    assert!(mine.json()["data"]["chart_data"][0]["latitude"].is_number(), "the owner sees the map");
}

/// B5: reading a chart never parses the stored file again.
#[test]
fn b5_charts_are_served_from_what_was_computed_at_upload() {
    let server = Server::start();
    let token = server.user("hal");
    let workout = upload_run(&server, &token, START, 5);
    let id = workout["id"].as_str().unwrap();
    let before = server.get(&format!("/api/workouts/{id}/chart_data")).bearer(&token).send().json();
    server.db().execute("UPDATE workout_files SET content = x'00'", []).unwrap();
    let after = server.get(&format!("/api/workouts/{id}/chart_data")).bearer(&token).send();
    assert_eq!(after.status, 200, "{}", after.text());
    assert_eq!(after.json(), before, "the file is not read again");
}

/// B5: a costly-to-parse file costs no more than a normal one of its size.
#[test]
fn b5_pathological_xml_costs_what_a_normal_file_of_its_size_costs() {
    let server = Server::start();
    let token = server.user("ivy");
    let admin_token = token.clone();
    server.make_admin("ivy");
    let raised =
        server.patch("/api/config").bearer(&admin_token).json(&json!({"max_single_file_size": 4 * 1024 * 1024})).send();
    assert_eq!(raised.status, 200, "{}", raised.text());
    let normal = gpx_run(START, 4200);
    assert!(normal.len() > 900_000, "{}", normal.len());
    let time = |gpx: &str| {
        let started = Instant::now();
        let response = upload(&server, &token, "{\"sport_id\": 5}", gpx);
        (started.elapsed(), response)
    };
    let (baseline, created) = time(&normal);
    assert_eq!(created.status, 201, "{}", created.text());
    let baseline = baseline.max(time(&normal).0.min(baseline));
    for (shape, file) in crate::support::samples::pathological_xml(1024 * 1024) {
        let (spent, response) = time(&file);
        assert_eq!(response.status, 400, "{shape}: {}", response.text());
        // Generous: 3× the normal file, plus a fixed allowance for a busy CI machine.
        let bound = baseline * 3 + Duration::from_millis(500);
        assert!(spent <= bound, "{shape}: {spent:?} against {baseline:?} for a normal file");
    }
}

/// B10: no request writes control bytes into the log.
#[test]
fn b10_logged_values_are_escaped() {
    let server = Server::start();
    let token = server.user("jay");
    let app = flow::app(&server, &token);
    let _ = raw(&server.addr, b"G\x1bT /api/config HTTP/1.1\r\nHost: x\r\n\r\n");
    let _ = raw(&server.addr, b"GET /api/\x1b[31mconfig HTTP/1.1\r\nHost: x\r\n\r\n");
    let _ = raw(&server.addr, b"GET /api/config HTTP/1.1\r\nHost: x\r\nUser-Agent: a\x1b[2Jb\r\n\r\n");
    let hostile_id = "evil\u{1b}[31m\nsecurity event=forged\u{7f}";
    let response = server
        .post("/api/oauth/token")
        .form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", "x"),
            ("client_id", hostile_id),
            ("client_secret", "s"),
        ])
        .send();
    assert_eq!(flow::error_of(&response), "invalid_client");
    for n in 0..10 {
        let login = server
            .post("/api/auth/login")
            .header("X-Forwarded-For", &format!("192.0.2.{n}"))
            .json(&json!({"email": "jay\u{1b}]0;owned\u{7}@example.org", "password": "guess"}))
            .send();
        assert_eq!(login.status, 401);
    }
    // Security events name what happened, never a secret.
    let code = flow::code(&server, &token, &app, &[]);
    assert_eq!(flow::exchange(&server, &app, &code, &[]).status, 200);
    assert_eq!(flow::exchange(&server, &app, &code, &[]).status, 400);
    let logs = server.flushed_logs();
    assert!(logs.bytes().all(|b| b == b'\n' || (b' '..=b'~').contains(&b)), "raw control bytes in the log: {logs:?}");
    assert!(!logs.contains("\nsecurity event=forged"), "a value cannot start a line");
    assert!(logs.contains("client_id=\"evil\\x1b[31m\\nsecurity event=forged\\x7f\""), "{logs}");
    assert!(logs.contains("kind=account key=jay\\x1b]0;owned\\x07@example.org"), "{logs}");
    let replay = logs.lines().find(|l| l.contains("event=code_replay")).unwrap_or_else(|| panic!("{logs}"));
    assert!(replay.starts_with("level=warn ") && replay.contains(&format!("client_id={}", app.client_id)), "{replay}");
    assert!(!logs.contains(&code) && !logs.contains(&app.secret), "no secret in the log");
}
