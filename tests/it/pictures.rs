//! Users' pictures: checked as FitTrackee checks them, kept in the
//! database without their metadata (a photo's location), served to anyone
//! with the type they were checked as.

use serde_json::json;

use crate::support::http::{BOUNDARY, Part, multipart};
use crate::support::{Response, Server};

/// A 1×1 PNG, whole (a file without its `IEND` is refused).
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\x0dIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\0\x05\0\x01\xff\x89\x99=\x1d\0\0\0\0IEND\xaeB`\x82";
const JPEG: &[u8] = b"\xff\xd8\xff\xe0\0\x10JFIF\0\x01\x01\0\0\x01\0\x01\0\0\xff\xd9";

fn upload(server: &Server, token: &str, parts: &[Part<'_>]) -> Response {
    server
        .post("/api/auth/picture")
        .bearer(token)
        .header("Content-Type", &format!("multipart/form-data; boundary={BOUNDARY}"))
        .body(multipart(parts, "\r\n", ""))
        .send()
}

fn picture<'a>(filename: &'a str, data: &'a [u8]) -> Part<'a> {
    Part { name: "file", filename: Some(filename), content_type: Some("image/png"), data }
}

fn refused(response: &Response, status: u16, message: &str) {
    assert_eq!((response.status, response.json()["message"].clone()), (status, json!(message)), "{}", response.text());
}

#[test]
fn a_picture_is_kept_served_as_sent_replaced_and_deleted() {
    let server = Server::start();
    let token = server.user("painter");
    assert_eq!(server.profile(&token)["picture"], false);
    let response = upload(&server, &token, &[picture("me.png", PNG)]);
    assert_eq!(response.status, 200, "{}", response.text());
    assert_eq!(response.json(), json!({ "status": "success", "message": "user picture updated" }));
    assert_eq!(server.profile(&token)["picture"], true);

    let shown = server.get("/api/users/painter/picture").send();
    assert_eq!(shown.status, 200, "anyone may see it, as on FitTrackee");
    assert_eq!(shown.header("Content-Type"), Some("image/png"));
    assert_eq!(shown.header("X-Content-Type-Options"), Some("nosniff"));
    assert_eq!(shown.body, PNG, "the bytes as sent (there was no metadata)");
    let shown_user = server.get("/api/users/painter").bearer(&token).send().json();
    assert_eq!(shown_user["data"]["users"][0]["picture"], true);

    assert_eq!(upload(&server, &token, &[picture("Me.JPG", JPEG)]).status, 200);
    let replaced = server.get("/api/users/PAINTER/picture").send();
    assert_eq!((replaced.header("Content-Type"), replaced.body.as_slice()), (Some("image/jpeg"), JPEG));

    assert_eq!(server.delete("/api/auth/picture").bearer(&token).send().status, 204);
    assert_eq!(server.delete("/api/auth/picture").bearer(&token).send().status, 204, "again: nothing to delete");
    refused(&server.get("/api/users/painter/picture").send(), 404, "No picture.");
    refused(&server.get("/api/users/nobody/picture").send(), 404, "user does not exist");
    assert_eq!(server.profile(&token)["picture"], false);
    let rows: i64 = server.db().query_row("SELECT count(*) FROM user_pictures", [], |r| r.get(0)).unwrap();
    assert_eq!(rows, 0);
}

#[test]
fn a_picture_that_is_not_what_it_says_is_refused_and_the_old_one_stays() {
    let server = Server::start();
    let token = server.user("careful");
    assert_eq!(upload(&server, &token, &[picture("me.png", PNG)]).status, 200);

    let no_file = Part { name: "image", filename: Some("me.png"), content_type: None, data: PNG };
    assert_eq!(upload(&server, &token, &[no_file]).json(), json!({ "status": "fail", "message": "no file part" }));
    refused(&upload(&server, &token, &[picture("", PNG)]), 400, "no selected file");
    refused(
        &upload(&server, &token, &[picture("me.svg", b"<svg onload=alert(1)/>")]),
        400,
        "file extension not allowed",
    );
    refused(&upload(&server, &token, &[picture("me", PNG)]), 400, "file extension not allowed");
    refused(&upload(&server, &token, &[picture("page.png", b"<html><script>alert(1)</script>")]), 400, "invalid file");
    refused(&upload(&server, &token, &[picture("me.gif", PNG)]), 400, "invalid file");

    let shown = server.get("/api/users/careful/picture").send();
    assert_eq!(shown.body, PNG, "every refusal left the picture as it was");
}

#[test]
fn a_picture_beyond_the_size_limit_is_refused_with_fittrackees_message() {
    let server = Server::start();
    let token = server.user("big");
    server.make_admin("big");
    let limit = json!({ "max_single_file_size": 2048 });
    assert_eq!(server.patch("/api/config").bearer(&token).json(&limit).send().status, 200);
    let mut large = PNG.to_vec();
    large.resize(3000, 0);
    let response = upload(&server, &token, &[picture("large.png", &large)]);
    assert_eq!(response.status, 413, "{}", response.text());
    assert_eq!(response.json()["status"], "fail");
    let message = response.json()["message"].as_str().unwrap().to_string();
    assert!(
        message.starts_with("Error during picture upload, file size (") && message.ends_with("exceeds 2.0KB."),
        "{message}"
    );
    let mut fits = PNG.to_vec();
    fits.resize(2000, 0);
    assert_eq!(upload(&server, &token, &[picture("fits.png", &fits)]).status, 200);
}

#[test]
fn a_photos_location_is_not_kept_but_its_orientation_is() {
    let server = Server::start();
    let token = server.user("walker");
    // EXIF (big-endian): orientation 6, then a GPS tag and its text.
    let mut exif = b"Exif\0\0MM\0*\0\0\0\x08\0\x02".to_vec();
    exif.extend_from_slice(&[0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0]);
    exif.extend_from_slice(&[0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 0x26]);
    exif.extend_from_slice(b"\0\0\0\0GPS 43.2965N 5.3698E");
    let mut photo = b"\xff\xd8\xff\xe0\0\x10JFIF\0\x01\x01\0\0\x01\0\x01\0\0\xff\xe1".to_vec();
    photo.extend_from_slice(&u16::try_from(exif.len() + 2).unwrap().to_be_bytes());
    photo.extend_from_slice(&exif);
    photo.extend_from_slice(b"\xff\xfe\0\x0ftaken at home\xff\xda\0\x04\x01\x01scan\xff\xd9");
    assert_eq!(upload(&server, &token, &[picture("photo.jpg", &photo)]).status, 200);
    let shown = server.get("/api/users/walker/picture").send().body;
    let has = |needle: &[u8]| shown.windows(needle.len()).any(|w| w == needle);
    assert!(!has(b"GPS") && !has(b"home"), "no location, no comment: {shown:?}");
    assert!(has(&[0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6]), "the orientation stays: {shown:?}");
    assert!(has(b"JFIF") && shown.ends_with(b"scan\xff\xd9"), "the image itself stays: {shown:?}");

    let cut = &photo[..photo.len() - 6];
    refused(&upload(&server, &token, &[picture("cut.jpg", cut)]), 400, "invalid file");
}
