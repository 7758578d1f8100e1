//! Every format FitTrackee takes, with files made by the tools that make
//! them in the wild (`tests/data/formats/make.py`: gpsbabel, fit-tool and
//! the exporters' shapes): the same ride gives the same workout whatever
//! its format, and every file is downloaded back as it was sent.

use std::path::Path;

use serde_json::{Value, json};

use super::{data_part, file_part, multipart, post_multipart};
use crate::support::{Response, Server};

pub fn file(name: &str) -> Vec<u8> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let path = if name == "ride.gpx" { dir.join("gpx/ride_power.gpx") } else { dir.join("formats").join(name) };
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn upload_file(server: &Server, token: &str, name: &str, bytes: &[u8], data: &str) -> Response {
    post_multipart(server, token, multipart(&[data_part(data), file_part(name, bytes)], "\r\n", ""))
}

/// A user whose uploads may be as large as the test files.
pub fn uploader(server: &Server, name: &str) -> String {
    let token = server.user(name);
    server.make_admin(name);
    let limits = json!({"max_single_file_size": 4 << 20, "max_zip_file_size": 8 << 20});
    assert_eq!(server.patch("/api/config").bearer(&token).json(&limits).send().status, 200);
    token
}

fn created(response: &Response, what: &str) -> Value {
    assert_eq!(response.status, 201, "{what}: {}", response.text());
    response.json()["data"]["workouts"][0].clone()
}

#[test]
fn the_same_ride_in_every_format_is_the_same_workout() {
    let server = Server::start();
    let token = uploader(&server, "formats");
    let gpx = created(&upload_file(&server, &token, "ride.gpx", &file("ride.gpx"), r#"{"sport_id": 1}"#), "gpx");
    let reference = gpx["distance"].as_f64().unwrap();
    for name in ["ride.tcx", "ride.kml", "ride.kmz", "ride.fit", "ride_course.fit"] {
        let w = created(&upload_file(&server, &token, name, &file(name), r#"{"sport_id": 1}"#), name);
        let distance = w["distance"].as_f64().unwrap();
        // Coordinates are rounded differently by each format (KML keeps six decimals).
        assert!((distance - reference).abs() <= reference * 1e-4 + 0.001, "{name}: {distance} vs {reference}");
        for key in ["duration", "moving", "pauses", "workout_date"] {
            assert_eq!(w[key], gpx[key], "{name}: {key}");
        }
        assert_eq!(w["segments"].as_array().unwrap().len(), 1, "{name}");
        if name != "ride_course.fit" {
            // gpsbabel's FIT course holds positions and altitude only.
            assert_eq!(
                (w["ave_hr"].clone(), w["max_hr"].clone()),
                (gpx["ave_hr"].clone(), gpx["max_hr"].clone()),
                "{name}"
            );
            assert_eq!(w["ave_cadence"], gpx["ave_cadence"], "{name}");
        }
        // FIT stores altitudes to 0.2 m.
        let tolerance = if name.ends_with(".fit") { 0.21 } else { 1e-9 };
        for key in ["min_alt", "max_alt"] {
            let (ours, theirs) = (w[key].as_f64().unwrap(), gpx[key].as_f64().unwrap());
            assert!((ours - theirs).abs() <= tolerance, "{name}: {key} {ours} vs {theirs}");
        }
        let id = w["id"].as_str().unwrap();
        let chart = server.get(&format!("/api/workouts/{id}/chart_data")).bearer(&token).send().json();
        assert_eq!(chart["data"]["chart_data"].as_array().unwrap().len(), 1500, "{name}: every point is stored");
    }
}

#[test]
fn fit_activities_carry_power_calories_and_their_device() {
    let server = Server::start();
    let token = uploader(&server, "watch");
    let w = created(&upload_file(&server, &token, "ride.fit", &file("ride.fit"), r#"{"sport_id": 1}"#), "fit");
    let gpx = String::from_utf8(file("ride.gpx")).unwrap();
    let powers: Vec<i64> = gpx.split("<power>").skip(1).filter_map(|p| p.split('<').next()?.parse().ok()).collect();
    let average = powers.iter().sum::<i64>() as f64 / powers.len() as f64;
    assert_eq!(w["ave_power"].as_i64(), Some(average.round() as i64));
    assert_eq!(w["max_power"].as_i64(), powers.iter().max().copied());
    assert_eq!(w["source"], "garmin Edge 530");
    let hidden = created(&upload_file(&server, &token, "ride.fit", &file("ride.fit"), r#"{"sport_id": 5}"#), "run");
    assert_eq!(hidden["ave_power"], Value::Null, "running shows no power (FitTrackee's sports)");
}

#[test]
fn fit_timer_stops_split_segments_as_the_user_chose() {
    let server = Server::start();
    let token = uploader(&server, "splits");
    // ride.fit pauses automatically halfway: only the "all" preference splits there.
    for (preference, segments) in [("only_manual", 1), ("all", 2), ("none", 1)] {
        let prefs = json!({"segments_creation_event": preference});
        let changed = server.post("/api/auth/profile/edit/preferences").bearer(&token).json(&prefs).send();
        assert_eq!(changed.status, 200, "{}", changed.text());
        let w = created(&upload_file(&server, &token, "ride.fit", &file("ride.fit"), r#"{"sport_id": 1}"#), preference);
        assert_eq!(w["segments"].as_array().unwrap().len(), segments, "{preference}");
    }
}

#[test]
fn exporters_tcx_shapes_are_read() {
    let server = Server::start();
    let token = uploader(&server, "exports");
    let mut distances = Vec::new();
    for (name, source, power) in [
        ("garmin_connect.tcx", "Edge 530", Some(262)),
        ("polar.tcx", "Polar Flow", Some(262)),
        ("strava.tcx", "Strava", None),
    ] {
        let w = created(&upload_file(&server, &token, name, &file(name), r#"{"sport_id": 1}"#), name);
        assert_eq!((w["source"].as_str(), w["ave_power"].as_i64()), (Some(source), power), "{name}");
        assert_eq!(w["duration"], "0:04:59", "{name}");
        distances.push(w["distance"].clone());
    }
    assert!(distances.windows(2).all(|d| d[0] == d[1]), "{distances:?}");
}

#[test]
fn an_indoor_fit_file_is_a_workout_without_a_map() {
    let server = Server::start();
    let token = uploader(&server, "indoor");
    let w = created(&upload_file(&server, &token, "indoor.fit", &file("indoor.fit"), r#"{"sport_id": 13}"#), "indoor");
    assert_eq!(
        (w["duration"].as_str(), w["moving"].as_str(), w["pauses"].as_str()),
        (Some("0:09:59"), Some("0:09:59"), Some("0:00:00"))
    );
    assert_eq!(w["distance"], 5.51);
    assert_eq!(
        (w["ave_hr"].as_i64(), w["max_hr"].as_i64(), w["ave_power"].as_i64()),
        (Some(113), Some(123), Some(252))
    );
    assert_eq!((w["bounds"].clone(), w["map"].clone()), (json!([]), Value::Null));
    let id = w["id"].as_str().unwrap();
    let chart = server.get(&format!("/api/workouts/{id}/chart_data")).bearer(&token).send().json();
    assert_eq!(chart["data"]["chart_data"], json!([]));
    assert_eq!(server.get(&format!("/api/workouts/{id}/gpx/download")).bearer(&token).send().status, 404);
    let original = server.get(&format!("/api/workouts/{id}/original/download")).bearer(&token).send();
    assert_eq!((original.status, original.body.len()), (200, file("indoor.fit").len()));
}

#[test]
fn originals_come_back_byte_for_byte_and_any_format_as_gpx() {
    let server = Server::start();
    let token = uploader(&server, "downloads");
    let reference = created(&upload_file(&server, &token, "ride.gpx", &file("ride.gpx"), r#"{"sport_id": 1}"#), "gpx");
    for (name, mime) in [
        ("ride.fit", "application/vnd.ant.fit"),
        ("ride.tcx", "application/vnd.garmin.tcx+xml"),
        ("ride.kml", "application/vnd.google-earth.kml+xml"),
        ("ride.kmz", "application/vnd.google-earth.kmz"),
    ] {
        let bytes = file(name);
        let w = created(&upload_file(&server, &token, name, &bytes, r#"{"sport_id": 1}"#), name);
        let id = w["id"].as_str().unwrap();
        let original = server.get(&format!("/api/workouts/{id}/original/download")).bearer(&token).send();
        assert_eq!((original.status, original.header("Content-Type")), (200, Some(mime)), "{name}");
        assert!(original.body == bytes, "{name}: the bytes sent");
        assert!(original.header("Content-Disposition").unwrap().contains(name), "{name}");
        let gpx = server.get(&format!("/api/workouts/{id}/gpx/download")).bearer(&token).send();
        assert_eq!((gpx.status, gpx.header("Content-Type")), (200, Some("application/gpx+xml")), "{name}");
        assert!(gpx.header("Content-Disposition").unwrap().contains(".gpx"), "{name}");
        // The GPX made from the points is the same workout again.
        let again = created(&upload_file(&server, &token, "again.gpx", &gpx.body, r#"{"sport_id": 1}"#), name);
        let (a, b) = (again["distance"].as_f64().unwrap(), reference["distance"].as_f64().unwrap());
        assert!((a - b).abs() <= b * 1e-4 + 0.001, "{name}: {a} vs {b}");
        assert_eq!(
            (again["duration"].clone(), again["ave_hr"].clone()),
            (w["duration"].clone(), w["ave_hr"].clone()),
            "{name}"
        );
    }
}

#[test]
fn sport_ids_as_digit_strings_and_empty_notes_are_fittrackees() {
    let server = Server::start();
    let token = uploader(&server, "relay");
    let w = created(
        &upload_file(&server, &token, "ride.fit", &file("ride.fit"), r#"{"sport_id": "5", "notes": ""}"#),
        "relay",
    );
    assert_eq!((w["sport_id"].as_i64(), w["notes"].as_str()), (Some(5), Some("")));
    for bad in [r#"{"sport_id": "5a"}"#, r#"{"sport_id": "-"}"#, r#"{"sport_id": 1.5}"#, r#"{"sport_id": true}"#] {
        assert_eq!(upload_file(&server, &token, "ride.fit", &file("ride.fit"), bad).status, 400, "{bad}");
    }
    let manual =
        json!({"sport_id": "1", "duration": 3600, "distance": 10, "workout_date": "2024-06-01 08:30", "notes": ""});
    let response = server.post("/api/workouts/no_gpx").bearer(&token).json(&manual).send();
    let w = created(&response, "no_gpx");
    assert_eq!((w["sport_id"].as_i64(), w["notes"].as_str()), (Some(1), Some("")));
    let id = w["id"].as_str().unwrap();
    let changed = server.patch(&format!("/api/workouts/{id}")).bearer(&token).json(&json!({"notes": ""})).send();
    assert_eq!(changed.json()["data"]["workouts"][0]["notes"], "");
}
