//! Our own pages in a real browser (headless Chromium), as a home user
//! walks them: at phone (390 px) and desktop (1280 px) width nothing
//! overflows sideways, no page loads a script, and screenshots of each land
//! in target/screenshots/pages/ to be looked at.

use std::path::{Path, PathBuf};

use serde_json::json;

use crate::support::webdriver::WebDriver;
use crate::support::{PASSWORD, Server};

fn screenshots() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots/pages")
}

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(name)
}

const OVERFLOW: &str = "return document.documentElement.scrollWidth > window.innerWidth";
const HEIGHT: &str = "return Math.min(document.documentElement.scrollHeight, 6000)";

/// The page at both widths: nothing wider than the window, no script;
/// whole-page screenshots.
fn look(browser: &WebDriver, name: &str) {
    for (width, suffix) in [(1280, "desktop"), (390, "phone")] {
        browser.window_size(width, 900);
        assert_eq!(browser.execute(OVERFLOW), json!(false), "{name} overflows at {width} px");
        assert_eq!(browser.execute("return document.scripts.length"), json!(0), "{name} has no script");
        let height = browser.execute(HEIGHT).as_u64().unwrap_or(900) as u32;
        browser.window_size(width, height.max(600) + 140);
        browser.screenshot(&screenshots().join(format!("{name}-{suffix}.png")));
    }
    browser.window_size(1280, 900);
}

fn sign_in(browser: &WebDriver, server: &Server, email: &str) {
    browser.goto(&server.url("/login"));
    browser.type_into("input[name=email]", email);
    browser.type_into("input[name=password]", PASSWORD);
    browser.click("button[type=submit]");
    browser.wait_for_url(|url| !url.contains("/login"));
}

/// Runs and rides by hand over the last year, for the statistics.
fn seed_a_year(server: &Server) {
    let token = server.login("walker");
    let today = jiff::Timestamp::now().to_zoned_datetime(jiff::tz::TimeZone::UTC).date();
    for n in 0..40i64 {
        let day = today.checked_sub(jiff::Span::new().days(n * 9)).unwrap();
        let (sport, km) = if n % 3 == 0 { (1, 30.0 + n as f64) } else { (5, 8.0 + (n % 5) as f64) };
        let body = json!({"sport_id": sport, "workout_date": format!("{day} 07:30"), "duration": 3600 + n * 60, "distance": km, "ascent": 100 + n * 7, "descent": 90});
        let response = server.post("/api/workouts/no_gpx").bearer(&token).json(&body).send();
        assert_eq!(response.status, 201, "{}", response.text());
    }
}

#[test]
#[ignore = "needs Chromium and chromedriver; .ci/run installs them and runs it"]
fn a_home_user_walks_every_page_at_phone_and_desktop_width() {
    let server = Server::start();
    server.register("walker");
    let browser = WebDriver::start();
    sign_in(&browser, &server, "walker@example.org");
    look(&browser, "dashboard-empty");

    browser.goto(&server.url("/workouts/add"));
    look(&browser, "add");
    browser.type_into("#file", &data("gpx/tour_segments.gpx").display().to_string());
    browser.type_into("#upload-form select[name=sport_id]", "Hiking");
    browser.click("#upload");
    let workout = browser.wait_for_url(|url| url.contains("?done=uploaded"));
    assert!(browser.text("main .notice").contains("Workout uploaded."));
    look(&browser, "workout");

    browser.goto(&server.url("/"));
    look(&browser, "dashboard");
    browser.goto(&server.url("/workouts"));
    look(&browser, "workouts");
    browser.goto(&server.url("/records"));
    look(&browser, "records");

    seed_a_year(&server);
    for period in ["week", "month", "year"] {
        browser.goto(&server.url(&format!("/statistics?period={period}")));
        look(&browser, &format!("statistics-{period}"));
    }
    let _ = workout;
}
