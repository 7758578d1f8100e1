//! Our own pages in a real browser (headless Chromium), as a home user
//! walks them: upload → workout page → edit → delete, a workout by hand,
//! settings that take effect, an admin who changes a limit. On every page,
//! at phone (390 px) and desktop (1280 px) width: nothing overflows
//! sideways, no script, every field labelled, headings in order, every
//! picture with a title and a description. Whole-page screenshots land in
//! target/screenshots/pages/ to be looked at.

use std::path::{Path, PathBuf};

use serde_json::json;

use crate::support::webdriver::WebDriver;
use crate::support::{PASSWORD, Server};

fn screenshots() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots/pages")
}

fn data(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(name).display().to_string()
}

const OVERFLOW: &str = "return document.documentElement.scrollWidth > window.innerWidth";
const HEIGHT: &str = "return Math.min(document.documentElement.scrollHeight, 8000)";
/// Fields without a label (hidden ones need none).
const UNLABELLED: &str = "return [...document.querySelectorAll('input, select, textarea')]
    .filter(f => f.type !== 'hidden' && f.labels.length === 0 && !f.getAttribute('aria-label'))
    .map(f => f.name)";
/// Heading levels that skip one (h1 then h3), and whether there is one h1.
const HEADINGS: &str = "const levels = [...document.querySelectorAll('main h1, main h2, main h3, main h4')]
    .map(h => Number(h.tagName[1]));
    const skips = levels.filter((l, i) => i > 0 && l > levels[i - 1] + 1);
    return { h1: levels.filter(l => l === 1).length, first: levels[0], skips: skips.length }";
/// Pictures without their words.
const MUTE_PICTURES: &str = "return [...document.querySelectorAll('svg[role=img]')]
    .filter(s => !s.querySelector('title') || !s.querySelector('desc')).map(s => s.id)";

/// The page at both widths, checked; whole-page screenshots.
fn look(browser: &WebDriver, name: &str) {
    assert_eq!(browser.execute("return document.scripts.length"), json!(0), "{name}: no script");
    assert_eq!(browser.execute(UNLABELLED), json!([]), "{name}: fields without a label");
    assert_eq!(browser.execute(HEADINGS), json!({"h1": 1, "first": 1, "skips": 0}), "{name}: headings");
    assert_eq!(browser.execute(MUTE_PICTURES), json!([]), "{name}: pictures without title and desc");
    for (width, suffix) in [(1280, "desktop"), (390, "phone")] {
        browser.window_size(width, 900);
        assert_eq!(browser.execute(OVERFLOW), json!(false), "{name} overflows at {width} px");
        let height = browser.execute(HEIGHT).as_u64().unwrap_or(900) as u32;
        browser.window_size(width, height.max(600) + 140);
        browser.screenshot(&screenshots().join(format!("{name}-{suffix}.png")));
    }
    browser.window_size(1280, 900);
}

fn visit(browser: &WebDriver, server: &Server, path: &str, name: &str) {
    browser.goto(&server.url(path));
    look(browser, name);
}

fn notice(browser: &WebDriver) -> String {
    browser.text("main .notice")
}

fn sign_in(browser: &WebDriver, server: &Server, email: &str) {
    browser.goto(&server.url("/login"));
    browser.type_into("input[name=email]", email);
    browser.type_into("input[name=password]", PASSWORD);
    browser.click("main button[type=submit]");
    browser.wait_for_url(|url| !url.contains("/login"));
}

/// Runs and rides by hand over the last year, for the statistics.
fn seed_a_year(server: &Server) {
    let token = server.login("walker");
    let today = jiff::Timestamp::now().to_zoned_datetime(jiff::tz::TimeZone::UTC).date();
    for n in 0..40i64 {
        let day = today.checked_sub(jiff::Span::new().days(n * 9)).unwrap();
        let (sport, km) = if n % 3 == 0 { (1, 30.0 + n as f64) } else { (5, 8.0 + (n % 5) as f64) };
        let body = json!({"sport_id": sport, "workout_date": format!("{day} 07:30"), "duration": 3600 + n * 60,
            "distance": km, "ascent": 100 + n * 7, "descent": 90});
        let response = server.post("/api/workouts/no_gpx").bearer(&token).json(&body).send();
        assert_eq!(response.status, 201, "{}", response.text());
    }
}

#[test]
#[ignore = "needs Chromium and chromedriver; .ci/run installs them and runs it"]
fn a_home_user_walks_every_page_at_phone_and_desktop_width() {
    let server = Server::start();
    server.register("walker");
    server.make_admin("walker");
    let browser = WebDriver::start();
    visit(&browser, &server, "/login", "login");
    sign_in(&browser, &server, "walker@example.org");
    look(&browser, "dashboard-empty");

    // Upload → workout page → edit.
    visit(&browser, &server, "/workouts/add", "add");
    assert!(browser.text("#limits").contains("At most 1.0MB per file"), "the limit is on the form");
    browser.type_into("#file", &data("gpx/tour_segments.gpx"));
    browser.type_into("#upload-form select[name=sport_id]", "Hiking");
    browser.click("#upload");
    let workout = browser.wait_for_url(|url| url.contains("?done=uploaded"));
    assert_eq!(notice(&browser), "Workout uploaded.");
    assert!(browser.source().contains("<svg class=\"route\""), "the route is drawn");
    for chart in ["elevation", "pace", "heart-rate"] {
        assert!(browser.source().contains(&format!("id=\"{chart}\"")), "a {chart} chart");
    }
    look(&browser, "workout");
    browser.goto(&format!("{}?x=time", workout.split('?').next().unwrap()));
    look(&browser, "workout-over-time");
    browser.click("a[href$='/edit']");
    look(&browser, "workout-edit");
    browser.type_into("input[name=title]", " (edited)");
    browser.click("main form button[type=submit]");
    browser.wait_for_url(|url| url.contains("?done=saved"));
    assert!(browser.text("h1").ends_with("(edited)"));

    // Settings take effect: miles and feet, another time zone.
    visit(&browser, &server, "/profile/preferences", "preferences");
    browser.click("input[name=imperial_units][value=true]");
    browser.type_into("select[name=timezone]", "America/New_York");
    browser.type_into("select[name=date_format]", "2024-05-31");
    browser.click("main form button[type=submit]");
    browser.wait_for_url(|url| url.contains("?done=saved"));
    browser.goto(workout.split('?').next().unwrap());
    let page = browser.source();
    assert!(page.contains("4.24 mi") && page.contains(" ft"), "the workout in miles and feet");
    assert!(
        page.contains("2024-06-05 02:00"),
        "in New York time, ISO dates: {}",
        &page[page.find("subtitle").unwrap_or(0)..][..200]
    );

    // A workout by hand, then deleted after the confirmation.
    browser.goto(&server.url("/workouts/add"));
    browser.type_into("#manual select[name=sport_id]", "Running");
    browser
        .execute("document.querySelector('#manual input[name=workout_date]').value = '2024-05-02T18:00'; return true");
    browser.type_into("#manual input[name=duration]", "0:45");
    browser.type_into("#manual input[name=distance]", "5");
    browser.click("#add-manual");
    browser.wait_for_url(|url| url.contains("?done=created"));
    assert!(browser.source().contains("5.00 mi"), "typed in miles, shown in miles");
    look(&browser, "workout-manual");
    browser.click("a[href$='/delete']");
    look(&browser, "workout-delete");
    browser.click("main button.danger");
    browser.wait_for_url(|url| url.ends_with("/workouts?done=deleted"));
    assert_eq!(notice(&browser), "Workout deleted.");

    // Equipment.
    visit(&browser, &server, "/equipment", "equipment-empty");
    browser.type_into("input[name=label]", "Trail shoes");
    browser.type_into("select[name=equipment_type_id]", "Shoes");
    browser.click("main form button[type=submit]");
    browser.wait_for_url(|url| url.contains("?done=equipment-added"));
    look(&browser, "equipment-one");

    // Lists, records, statistics.
    seed_a_year(&server);
    visit(&browser, &server, "/", "dashboard");
    visit(&browser, &server, "/workouts", "workouts");
    visit(&browser, &server, "/workouts?sport_id=5&distance_from=6&order_by=distance&order=asc", "workouts-filtered");
    visit(&browser, &server, "/records", "records");
    for period in ["week", "month", "year"] {
        visit(&browser, &server, &format!("/statistics?period={period}"), &format!("statistics-{period}"));
    }
    visit(&browser, &server, "/equipment", "equipment");
    for tab in ["", "/sports", "/account", "/apps"] {
        visit(&browser, &server, &format!("/profile{tab}"), &format!("settings{}", tab.replace('/', "-")));
    }

    // The admin lowers the file limit: the form says so, a larger file is refused in words.
    visit(&browser, &server, "/admin", "admin-settings");
    browser.execute("document.querySelector('input[name=max_single_file_size]').value = '0.01'; return true");
    browser.click("main form button[type=submit]");
    browser.wait_for_url(|url| url.contains("?done=settings-saved"));
    browser.goto(&server.url("/workouts/add"));
    assert!(browser.text("#limits").contains("At most 10.2KB per file"), "{}", browser.text("#limits"));
    browser.type_into("#file", &data("gpx/tour_segments.gpx"));
    browser.click("#upload");
    browser.wait_until(10, "return !!document.querySelector('#upload-heading + p.error')");
    let refusal = browser.text("p.error");
    assert!(refusal.starts_with("The file is larger than this server accepts (10.2KB"), "{refusal}");
    look(&browser, "add-refused");
    visit(&browser, &server, "/admin/users", "admin-users");
    visit(&browser, &server, "/admin/users/walker", "admin-user");
    visit(&browser, &server, "/admin/sports", "admin-sports");
    visit(&browser, &server, "/about", "about");
    visit(&browser, &server, "/privacy-policy", "privacy-policy");
    visit(&browser, &server, "/no/such/page", "not-found");
    assert!(browser.source().contains("Signed in as"), "error pages know who is signed in");

    // Signing out is one action, with a notice.
    browser.click("header form button");
    browser.wait_for_url(|url| url.contains("/login?done=signed-out"));
    assert!(notice(&browser).starts_with("You are signed out."));
}
