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
    let page = browser.get("/profile/workouts");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("enctype=\"multipart/form-data\""));
    assert!(page.text().contains("No workout yet"));
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
            .post("/profile/workouts")
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
    assert_eq!((uploaded.status, uploaded.header("Location")), (303, Some("/profile/workouts?uploaded=1")));
    let listed = browser.get("/profile/workouts").text();
    assert!(listed.contains("Page upload") && listed.contains("Running") && listed.contains("2024-05-01 09:00"));
    assert!(listed.contains("km") && listed.contains("0:04:55"));
}

#[test]
fn the_page_takes_every_format_and_archives() {
    let server = Server::start();
    server.register("formats_page");
    let mut browser = Browser::new(&server);
    browser.sign_in("formats_page");
    let page = browser.get("/profile/workouts").text();
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
            .post("/profile/workouts")
            .header("Cookie", &cookie)
            .header("Content-Type", &format!("multipart/form-data; boundary={BOUNDARY}"))
            .body(body)
            .send()
    };
    let fit = super::formats::file("ride.fit");
    assert_eq!(send("watch.fit", &fit).header("Location"), Some("/profile/workouts?uploaded=1"));
    let archive = super::formats::file("archive.zip");
    let uploaded = send("export.zip", &archive);
    assert_eq!(uploaded.header("Location"), Some("/profile/workouts?uploaded=4"), "{}", uploaded.text());
    assert!(browser.get("/profile/workouts?uploaded=4").text().contains("4 workouts uploaded."));
    let broken = send("broken.tcx", b"<TrainingCenterDatabase/>");
    assert_eq!(broken.status, 400);
    assert!(broken.text().contains("no activities in tcx file"));
}
