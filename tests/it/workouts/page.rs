//! The workouts page: a list and an upload form (same code as the API).

use super::*;
use crate::support::Server;
use crate::support::browser::{Browser, csrf_token};

#[test]
fn uploading_from_the_page_lists_the_workout() {
    let server = Server::start();
    server.register("pager");
    let mut browser = Browser::new(&server);
    browser.sign_in("pager");
    let page = browser.get("/workouts/add");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("enctype=\"multipart/form-data\""));
    let csrf = csrf_token(&page.text());
    let gpx = gpx_run(START, 60);
    let send = |csrf: &str, sport: &str| {
        let body = multipart(
            &[
                Part { name: "csrf_token", filename: None, content_type: None, data: csrf.as_bytes() },
                Part { name: "sport_id", filename: None, content_type: None, data: sport.as_bytes() },
                Part { name: "title", filename: None, content_type: None, data: b"Page upload" },
                file_part("page.gpx", gpx.as_bytes()),
            ],
            "\r\n",
            "",
        );
        server
            .post("/workouts/add/file")
            .header("Cookie", &browser.cookie().unwrap())
            .header("Content-Type", &format!("multipart/form-data; boundary={BOUNDARY}"))
            .body(body)
            .send()
    };
    assert_eq!(send("forged", "5").status, 403, "CSRF-checked");
    let refused = send(&csrf, "99");
    assert_eq!(refused.status, 400);
    assert!(refused.text().contains("Sport id: 99 does not exist"));
    let uploaded = send(&csrf, "5");
    assert_eq!(uploaded.status, 303);
    let location = uploaded.header("Location").unwrap().to_string();
    assert!(location.starts_with("/workouts/") && location.ends_with("?done=uploaded"), "{location}");
    let shown = browser.get(&location).text();
    assert!(shown.contains("Workout uploaded.") && shown.contains("<h1>Page upload</h1>"), "{shown}");
    let listed = browser.get("/workouts").text();
    let link = location.trim_end_matches("?done=uploaded");
    assert!(listed.contains(&format!("href=\"{link}\">Page upload</a>")), "rows link to their workout: {listed}");
    assert!(listed.contains("Running") && listed.contains("05/01/2024 09:00"), "{listed}");
    assert!(listed.contains("km") && listed.contains("0:04:55"));
}

#[test]
fn the_page_takes_every_format_and_archives() {
    let server = Server::start();
    server.register("formats_page");
    let mut browser = Browser::new(&server);
    browser.sign_in("formats_page");
    let page = browser.get("/workouts/add").text();
    assert!(page.contains("accept=\".gpx,.tcx,.fit,.kml,.kmz,.zip\""), "{page}");
    let csrf = csrf_token(&page);
    let cookie = browser.cookie().unwrap();
    let send = |name: &str, content: &[u8]| {
        let body = multipart(
            &[
                Part { name: "csrf_token", filename: None, content_type: None, data: csrf.as_bytes() },
                Part { name: "sport_id", filename: None, content_type: None, data: b"1" },
                file_part(name, content),
            ],
            "\r\n",
            "",
        );
        server
            .post("/workouts/add/file")
            .header("Cookie", &cookie)
            .header("Content-Type", &format!("multipart/form-data; boundary={BOUNDARY}"))
            .body(body)
            .send()
    };
    let fit = super::formats::file("ride.fit");
    assert!(send("watch.fit", &fit).header("Location").unwrap().ends_with("?done=uploaded"));
    let archive = super::formats::file("archive.zip");
    let uploaded = send("export.zip", &archive);
    assert_eq!(uploaded.header("Location"), Some("/workouts?done=uploaded-many"), "{}", uploaded.text());
    let listed = browser.get("/workouts?done=uploaded-many").text();
    assert!(
        listed.contains("The archive&#39;s workouts are uploaded")
            || listed.contains("The archive's workouts are uploaded"),
        "{listed}"
    );
    assert!(listed.contains("<h2>5 workouts</h2>"), "{listed}");
    let broken = send("broken.tcx", b"<TrainingCenterDatabase/>");
    assert_eq!(broken.status, 400);
    assert!(broken.text().contains("no activities in tcx file"));
}
