//! A real browser (headless Chromium through chromedriver) does what a
//! user does: register, sign in, register an app, read its secret, open the
//! authorize URL an app would send, consent, and land on the app's redirect
//! URI with a code that the app then exchanges.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::mpsc;
use std::time::Duration;

use super::*;
use crate::support::webdriver::WebDriver;
use crate::support::{PASSWORD, Server};

/// A one-shot HTTP server standing in for the app's redirect URI: it hands
/// over the path it was called with.
fn callback_listener() -> (u16, mpsc::Receiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut stream = stream;
            let mut line = String::new();
            BufReader::new(&stream).read_line(&mut line).unwrap_or(0);
            let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 26\r\nConnection: close\r\n\r\n<p id=\"done\">app got it</p>");
            let path = line.split(' ').nth(1).unwrap_or("").to_string();
            if path.starts_with("/callback") {
                let _ = sender.send(path);
                return;
            }
        }
    });
    (port, receiver)
}

#[test]
#[ignore = "needs Chromium and chromedriver; .ci/run installs them and runs it"]
fn a_browser_registers_an_app_consents_and_the_app_gets_tokens() {
    let browser = WebDriver::start();
    let server = Server::start();
    let (port, callback) = callback_listener();
    let redirect = format!("http://127.0.0.1:{port}/callback");

    browser.goto(&server.url("/register"));
    browser.type_into("input[name=username]", "chrome");
    browser.type_into("input[name=email]", "chrome@example.org");
    browser.type_into("input[name=password]", PASSWORD);
    browser.click("input[name=accepted_policy]");
    browser.click("button[type=submit]");
    browser.wait_for_url(|url| url.contains("/login?registered=1"));

    browser.type_into("input[name=email]", "chrome@example.org");
    browser.type_into("input[name=password]", PASSWORD);
    browser.click("button[type=submit]");
    browser.wait_for_url(|url| !url.contains("/login"));

    browser.goto(&server.url("/profile/apps/new"));
    browser.type_into("#name", "Chromium uploader");
    browser.type_into("#website", "https://uploader.example");
    browser.type_into("#redirect_uris", &redirect);
    browser.click("input[name=scope][value='profile:read']");
    browser.click("input[name=scope][value='workouts:read']");
    browser.click("#create");
    let client_id = browser.text("#client_id");
    let secret = browser.text("#client_secret");
    assert_eq!(client_id.len(), 24, "{}", browser.source());
    assert!(browser.source().contains("will not be shown again"));

    let authorize_url = server.url(&format!(
        "/profile/apps/authorize?response_type=code&client_id={client_id}&redirect_uri={}&scope=profile%3Aread+workouts%3Aread&state=st4te&code_challenge={CHALLENGE}&code_challenge_method=S256",
        form_urlencoded::byte_serialize(redirect.as_bytes()).collect::<String>()
    ));
    browser.goto(&authorize_url);
    assert!(browser.source().contains("Authorize Chromium uploader?"), "{}", browser.source());
    browser.click("#authorize");

    let path = callback.recv_timeout(Duration::from_secs(20)).expect("the browser reached the redirect URI");
    assert_eq!(param(&path, "state").as_deref(), Some("st4te"));
    assert_eq!(param(&path, "iss").as_deref(), Some(server.url("").as_str()));
    let code = param(&path, "code").expect("a code");

    let app = App { id: 0, client_id, secret };
    let response = exchange(&server, &app, &code, &[("redirect_uri", &redirect), ("code_verifier", VERIFIER)]);
    assert_eq!(response.status, 200, "{}", response.text());
    let body = response.json();
    assert_eq!(body["scope"], "profile:read workouts:read");
    let profile = server.get("/api/auth/profile").bearer(body["access_token"].as_str().unwrap()).send();
    assert_eq!(profile.json()["data"]["username"], "chrome");
}
