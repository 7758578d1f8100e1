//! FitTrackee's own web client (1.2.2, as published) against this server,
//! walked through as a user would, in a real browser: every core page
//! loads, draws its maps, charts and pictures, and no API call it makes
//! answers an error. Screenshots at phone and desktop width land in
//! target/screenshots/fittrackee-client/.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::json;

use crate::support::Server;
use crate::support::http::{BOUNDARY, file_part, multipart};
use crate::support::tiles::TileServer;
use crate::support::web_client::{Call, WebClient};
use crate::support::webdriver::WebDriver;
use crate::workouts::formats::{file, upload_file, uploader};

fn screenshots() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots/fittrackee-client")
}

/// The workouts a user of that client has: a GPX with segments, a FIT
/// ride, a manual entry. Gives the token, the GPX workout and its second
/// segment.
fn seed(server: &Server) -> (String, String, String) {
    let token = uploader(server, "walker");
    let gpx = upload_file(server, &token, "tour.gpx", &file("../gpx/tour_segments.gpx"), r#"{"sport_id": 3}"#);
    assert_eq!(gpx.status, 201, "{}", gpx.text());
    let ride = upload_file(server, &token, "ride.fit", &file("ride.fit"), r#"{"sport_id": 1, "title": "FIT ride"}"#);
    assert_eq!(ride.status, 201, "{}", ride.text());
    let manual = json!({"sport_id": 5, "workout_date": "2024-05-02 18:00", "duration": 1800, "distance": 6.5});
    assert_eq!(server.post("/api/workouts/no_gpx").bearer(&token).json(&manual).send().status, 201);
    let workout = &gpx.json()["data"]["workouts"][0];
    let segment = workout["segments"][1]["segment_id"].as_str().expect("a second segment");
    (token, workout["id"].as_str().unwrap().to_string(), segment.to_string())
}

/// Waits until the page has loaded and made no API call for a while.
fn settle(browser: &WebDriver, client: &WebClient) -> Vec<Call> {
    browser.wait_until(15, "return document.readyState === 'complete'");
    let mut calls = Vec::new();
    let mut quiet_since = Instant::now();
    let started = Instant::now();
    while quiet_since.elapsed() < Duration::from_millis(1200) && started.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(100));
        let new = client.take_calls();
        if !new.is_empty() {
            quiet_since = Instant::now();
            calls.extend(new);
        }
    }
    calls
}

const SHOWN_ERRORS: &str = "return [...document.querySelectorAll('.error-message')]
    .filter(e => e.offsetParent !== null).map(e => e.innerText.trim()).filter(t => t)";
const BROKEN_IMAGES: &str = "return [...document.images]
    .filter(i => i.complete && i.naturalWidth === 0).map(i => i.src)";
const TILES_LOADED: &str = "const tiles = [...document.querySelectorAll('img.leaflet-tile')];
    return tiles.length > 0 && tiles.every(t => t.complete && t.naturalWidth > 0)";

fn visit(browser: &WebDriver, client: &WebClient, path: &str, name: &str) {
    browser.window_size(1280, 900);
    browser.goto(&client.url(path));
    let calls = settle(browser, client);
    let failed: Vec<_> = calls.iter().filter(|c| c.status >= 400 || c.status == 0).collect();
    assert!(failed.is_empty(), "{path}: API errors {failed:?}");
    assert_eq!(browser.execute(SHOWN_ERRORS), json!([]), "{path}: an error is shown");
    assert_eq!(browser.execute(BROKEN_IMAGES), json!([]), "{path}: images that did not load");
    browser.screenshot(&screenshots().join(format!("{name}-desktop.png")));
    browser.window_size(390, 844);
    std::thread::sleep(Duration::from_millis(400));
    browser.screenshot(&screenshots().join(format!("{name}-phone.png")));
}

#[test]
#[ignore = "needs Chromium, chromedriver and FitTrackee's client (tests/fittrackee-client.sh); .ci/run runs it"]
fn fittrackees_web_client_works_against_this_server() {
    let tiles = TileServer::start();
    let server = Server::start_with(&tiles.config(""));
    let (token, workout, segment) = seed(&server);
    // A real 1×1 PNG, so that the browser draws it.
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\x0dIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\0\x05\0\x01\xff\x89\x99=\x1d\0\0\0\0IEND\xaeB`\x82";
    let picture = server
        .post("/api/auth/picture")
        .bearer(&token)
        .header("Content-Type", &format!("multipart/form-data; boundary={BOUNDARY}"))
        .body(multipart(&[file_part("me.png", png)], "\r\n", ""))
        .send();
    assert_eq!(picture.status, 200, "{}", picture.text());
    let client = WebClient::start(&server.addr);
    let browser = WebDriver::start();
    browser.window_size(1280, 900);
    browser.goto(&client.url("/login"));
    browser.type_into("#email", "walker@example.org");
    browser.type_into("#password", crate::support::PASSWORD);
    browser.click("button[type=submit]");
    browser.wait_for_url(|url| !url.ends_with("/login"));
    settle(&browser, &client);

    visit(&browser, &client, "/", "dashboard");
    visit(&browser, &client, &format!("/workouts/{workout}"), "workout");
    browser.wait_until(20, TILES_LOADED);
    browser
        .wait_until(10, "return document.querySelectorAll('#workout-chart canvas, .chart canvas, canvas').length > 0");
    browser.execute("document.querySelector('canvas').scrollIntoView(); return true");
    browser.screenshot(&screenshots().join("workout-chart-phone.png"));
    visit(&browser, &client, &format!("/workouts/{workout}/segment/{segment}"), "segment");
    assert!(browser.source().contains("segment 2"), "the segment page: {}", browser.source());
    visit(&browser, &client, &format!("/workouts/{workout}/edit"), "workout-edit");
    for (path, name) in [
        ("/workouts", "workouts"),
        ("/workouts/add", "workout-add"),
        ("/statistics", "statistics"),
        ("/users", "users"),
        ("/users/walker", "user"),
        ("/profile", "profile"),
        ("/profile/edit", "profile-edit"),
        ("/profile/edit/account", "profile-account"),
        ("/profile/edit/picture", "profile-picture"),
        ("/profile/edit/preferences", "profile-preferences"),
        ("/profile/edit/sports", "profile-sports"),
        ("/profile/equipments", "profile-equipments"),
        ("/profile/apps", "profile-apps"),
        ("/profile/notifications", "profile-notifications"),
        ("/notifications", "notifications"),
        ("/admin", "admin"),
        ("/admin/application", "admin-application"),
        ("/admin/sports", "admin-sports"),
        ("/admin/users", "admin-users"),
        ("/privacy-policy", "privacy-policy"),
    ] {
        visit(&browser, &client, path, name);
    }
}
