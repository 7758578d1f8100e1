//! `POST /api/workouts`: every wire shape real uploaders send, and every
//! refusal.

use proptest::prelude::*;
use serde_json::json;

use super::*;
use crate::support::Server;

fn assert_created(response: &crate::support::Response, what: &str) {
    assert_eq!(response.status, 201, "{what}: {}", response.text());
    let body = response.json();
    assert_eq!(body["status"], "created", "{what}");
    assert!(body["data"]["workouts"][0]["id"].as_str().is_some_and(|id| id.len() == 22), "{what}");
}

#[test]
fn every_wire_shape_of_real_uploaders_is_accepted() {
    let server = Server::start();
    let token = server.user("wire");
    let gpx = gpx_run(START, 60);
    let data = r#"{"sport_id": 5}"#;
    let file = |content_type: Option<&'static str>| Part {
        name: "file",
        filename: Some("activity.gpx"),
        content_type,
        data: gpx.as_bytes(),
    };
    let shapes: Vec<(&str, Vec<u8>)> = vec![
        ("data first", multipart(&[data_part(data), file(Some("application/gpx+xml"))], "\r\n", "")),
        ("file first", multipart(&[file(Some("application/octet-stream")), data_part(data)], "\r\n", "")),
        ("file part without content type", multipart(&[data_part(data), file(None)], "\r\n", "")),
        ("text/plain file part", multipart(&[data_part(data), file(Some("text/plain"))], "\r\n", "")),
        ("preamble before the first boundary", multipart(&[data_part(data), file(None)], "\r\n", "\r\n")),
        ("LF-only lines and closing delimiter", multipart(&[data_part(data), file(None)], "\n", "")),
        (
            "data sent as a JSON part",
            multipart(
                &[
                    Part {
                        name: "data",
                        filename: None,
                        content_type: Some("application/json"),
                        data: data.as_bytes(),
                    },
                    file(None),
                ],
                "\r\n",
                "",
            ),
        ),
    ];
    for (what, body) in shapes {
        assert_created(&post_multipart(&server, &token, body), what);
    }
    // A chunked body without Content-Length.
    let chunked = server
        .post("/api/workouts")
        .bearer(&token)
        .header("Content-Type", &format!("multipart/form-data; boundary={BOUNDARY}"))
        .body(multipart(&[data_part(data), file(None)], "\r\n", ""))
        .chunked()
        .send();
    assert_created(&chunked, "chunked");
    // Raw newlines inside the JSON string (json.loads(strict=False)).
    let notes = "{\"sport_id\": 5, \"notes\": \"line one\nline two\"}";
    assert_created(&upload(&server, &token, notes, &gpx), "raw newline in data");
}

#[test]
fn the_created_workout_carries_what_the_file_says() {
    let server = Server::start();
    let token = server.user("says");
    let data = json!({"sport_id": 1, "notes": "windy", "description": "loop", "workout_visibility": "public", "analysis_visibility": "public", "map_visibility": "public"});
    let response = upload(&server, &token, &data.to_string(), &gpx_track(START, 121, 0.0002, "Lunch ride"));
    assert_eq!(response.status, 201);
    let w = &response.json()["data"]["workouts"][0];
    assert_eq!(w["title"], "Lunch ride", "the track name");
    assert_eq!(w["sport_id"], 1);
    assert_eq!(w["workout_date"], "Wed, 01 May 2024 07:00:00 GMT");
    assert_eq!(w["duration"], "0:10:00");
    assert_eq!(w["moving"], "0:10:00");
    assert_eq!(w["pauses"], "0:00:00");
    let distance = w["distance"].as_f64().unwrap();
    assert!((2.8..2.9).contains(&distance), "{distance}");
    assert!(w["ave_speed"].as_f64().unwrap() > 15.0);
    assert_eq!(w["ave_pace"], serde_json::Value::Null, "cycling shows speed only");
    assert_eq!((w["min_alt"].as_f64(), w["max_alt"].as_f64()), (Some(100.0), Some(220.0)));
    assert_eq!(w["ave_hr"], 129);
    assert_eq!(w["ave_cadence"], 80, "rpm for cycling");
    assert_eq!(w["source"], "Test watch");
    assert_eq!(w["notes"], "windy");
    assert_eq!(w["description"], "loop");
    assert_eq!(w["workout_visibility"], "public");
    assert_eq!(w["with_file"], true);
    assert_eq!(w["original_file"], "gpx");
    assert_eq!(w["segments"].as_array().unwrap().len(), 1);
    assert_eq!(w["segments"][0]["segment_number"], 1);
    assert_eq!(w["bounds"].as_array().unwrap().len(), 4);
    assert!(w["records"].as_array().unwrap().iter().any(|r| r["record_type"] == "FD"));
    // A run doubles the cadence (steps per minute) and shows pace.
    let run = upload_run(&server, &token, START + 86_400, 5);
    assert_eq!(run["ave_cadence"], 160);
    assert!(run["ave_pace"].as_str().unwrap().starts_with("0:"));
    assert_eq!(run["ave_speed"], serde_json::Value::Null, "running shows pace by default");
    // Without a track name: "<sport> - <local date and time>".
    let anonymous = gpx_run(START, 10).replace("<name>Morning run</name>", "");
    let untitled = upload(&server, &token, r#"{"sport_id": 6}"#, &anonymous).json();
    assert_eq!(untitled["data"]["workouts"][0]["title"], "Walking - 2024-05-01 09:00:00", "Europe/Paris by default");
}

#[test]
fn the_original_file_is_kept_in_the_database_and_downloaded_as_is() {
    let server = Server::start();
    let token = server.user("keep");
    let gpx = gpx_run(START, 30);
    let id = upload(&server, &token, r#"{"sport_id": 5}"#, &gpx).json()["data"]["workouts"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    for path in [format!("/api/workouts/{id}/gpx/download"), format!("/api/workouts/{id}/original/download")] {
        let download = server.get(&path).bearer(&token).send();
        assert_eq!(download.status, 200);
        assert_eq!(download.header("Content-Type"), Some("application/gpx+xml"));
        assert!(download.header("Content-Disposition").unwrap().starts_with("attachment"));
        assert_eq!(download.text(), gpx);
    }
    let stored: Vec<u8> = server.db().query_row("SELECT content FROM workout_files", [], |r| r.get(0)).unwrap();
    assert_eq!(stored, gpx.as_bytes());
    let files: Vec<String> =
        std::fs::read_dir(server.dir.path()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    assert!(files.iter().all(|f| f.starts_with("fittrackee") || f == "server.log"), "no upload directory: {files:?}");
}

#[test]
fn refusals_with_fittrackees_messages() {
    let server = Server::start();
    let token = server.user("refuse");
    let gpx = gpx_run(START, 20);
    let data = r#"{"sport_id": 5}"#;
    let cases: Vec<(Vec<u8>, u16, serde_json::Value)> = vec![
        (multipart(&[data_part(data)], "\r\n", ""), 400, json!({"status": "fail", "message": "no file part"})),
        (
            multipart(&[data_part(data), file_part("", gpx.as_bytes())], "\r\n", ""),
            400,
            json!({"status": "fail", "message": "no selected file"}),
        ),
        (
            multipart(&[data_part(data), file_part("run.exe", gpx.as_bytes())], "\r\n", ""),
            400,
            json!({"status": "fail", "message": "file extension not allowed"}),
        ),
        (
            multipart(&[data_part("{not json"), file_part("run.gpx", gpx.as_bytes())], "\r\n", ""),
            400,
            json!({"status": "error", "message": "invalid payload"}),
        ),
        (
            multipart(&[data_part(r#"{"title": "x"}"#), file_part("run.gpx", gpx.as_bytes())], "\r\n", ""),
            400,
            json!({"status": "error", "message": "invalid payload"}),
        ),
        (
            multipart(&[file_part("run.gpx", gpx.as_bytes())], "\r\n", ""),
            400,
            json!({"status": "error", "message": "invalid payload"}),
        ),
        (
            multipart(&[data_part(r#"{"sport_id": 99}"#), file_part("run.gpx", gpx.as_bytes())], "\r\n", ""),
            400,
            json!({"status": "invalid", "message": "Sport id: 99 does not exist"}),
        ),
    ];
    for (body, status, expected) in cases {
        let response = post_multipart(&server, &token, body);
        assert_eq!((response.status, response.json()), (status, expected.clone()), "{expected}");
    }
    // Every format FitTrackee takes is read, and refused in its words when it does not read.
    for (ext, text) in [
        ("fit", "error when parsing fit file"),
        ("tcx", "error when parsing tcx file"),
        ("kml", "error when parsing kml file"),
        ("kmz", "error when parsing kmz file"),
        ("zip", "invalid zip file"),
    ] {
        let body = multipart(&[data_part(data), file_part(&format!("run.{ext}"), b"whatever")], "\r\n", "");
        let response = post_multipart(&server, &token, body);
        assert_eq!((response.status, response.json()), (400, json!({"status": "error", "message": text})), "{ext}");
    }
    let count: i64 = server.db().query_row("SELECT count(*) FROM workouts", [], |r| r.get(0)).unwrap();
    assert_eq!(count, 0, "nothing was created");
}

#[test]
fn broken_files_are_400_with_a_clear_message() {
    let server = Server::start();
    let token = server.user("broken");
    let no_time = gpx_run(START, 10).replace("<time>", "<!--").replace("</time>", "-->");
    let cases = [
        ("not xml", "error when parsing gpx file".to_string()),
        ("<gpx></gpx>", "no tracks in gpx file".to_string()),
        (no_time.as_str(), "<time> is missing in gpx file".to_string()),
        (
            "<gpx><trk><trkseg><trkpt lat='1' lon='1'><time>2024-05-01T07:00:00Z</time></trkpt></trkseg></trk></gpx>",
            "no valid segments in file".to_string(),
        ),
        (
            "<gpx><trk><trkseg><trkpt lat='200' lon='1'><time>2024-05-01T07:00:00Z</time></trkpt></trkseg></trk></gpx>",
            "gpx file is invalid: a point has no valid latitude or longitude".to_string(),
        ),
    ];
    for (content, expected) in cases {
        let response = upload(&server, &token, r#"{"sport_id": 5}"#, content);
        assert_eq!((response.status, message(&response)), (400, json!(expected)), "{content}");
    }
    // 2 000 km in ten minutes: over FitTrackee's limits.
    let absurd = gpx_track(START, 3, 9.0, "teleport");
    let response = upload(&server, &token, r#"{"sport_id": 1}"#, &absurd);
    assert_eq!(
        (response.status, message(&response)),
        (400, json!("one or more values, entered or calculated, exceed the limits"))
    );
}

#[test]
fn files_over_the_configured_size_are_413() {
    let server = Server::start();
    let admin = server.user("sizer");
    server.make_admin("sizer");
    let patch = server
        .patch("/api/config")
        .bearer(&admin)
        .json(&json!({"max_single_file_size": 10_000, "max_zip_file_size": 100_000}))
        .send();
    assert_eq!(patch.status, 200, "{}", patch.text());
    let big = gpx_run(START, 100);
    assert!((10_000..100_000).contains(&big.len()));
    let response = upload(&server, &admin, r#"{"sport_id": 5}"#, &big);
    assert_eq!(response.status, 413);
    let text = message(&response);
    assert!(
        text.as_str().unwrap().starts_with("Error during workout upload, file size (")
            && text.as_str().unwrap().ends_with("exceeds 9.8KB."),
        "{text}"
    );
    assert_eq!(response.json()["status"], "fail");
    let huge = gpx_run(START, 600);
    assert!(huge.len() > 100_000);
    let response = upload(&server, &admin, r#"{"sport_id": 5}"#, &huge);
    assert_eq!(response.status, 413, "over the request limit");
    assert!(message(&response).as_str().unwrap().ends_with("exceeds 97.7KB."), "{}", message(&response));
    assert_eq!(upload(&server, &admin, r#"{"sport_id": 5}"#, &gpx_run(START, 20)).status, 201);
}

#[test]
fn default_visibilities_come_from_preferences_and_are_clamped() {
    let server = Server::start();
    let token = server.user("clamp");
    server
        .post("/api/auth/profile/edit/preferences")
        .bearer(&token)
        .json(&json!({"workouts_visibility": "public", "analysis_visibility": "public", "map_visibility": "followers_only"}))
        .send();
    let w = upload(&server, &token, r#"{"sport_id": 5}"#, &gpx_run(START, 10)).json()["data"]["workouts"][0].clone();
    assert_eq!(
        (w["workout_visibility"].as_str(), w["analysis_visibility"].as_str(), w["map_visibility"].as_str()),
        (Some("public"), Some("public"), Some("followers_only"))
    );
    let data = r#"{"sport_id": 5, "workout_visibility": "private", "map_visibility": "public"}"#;
    let w = upload(&server, &token, data, &gpx_run(START + 1000, 10)).json()["data"]["workouts"][0].clone();
    assert_eq!(w["map_visibility"], "private", "never wider than the workout");
    let bad = upload(&server, &token, r#"{"sport_id": 5, "workout_visibility": "everyone"}"#, &gpx_run(START, 10));
    assert_eq!(bad.status, 400);
}

/// Random bytes, or a real file with random damage, never make the server
/// answer 5xx (nor fall over). One server for every case.
#[test]
fn random_uploads_never_get_a_5xx() {
    let server = Server::start();
    let token = server.user("fuzzer");
    let strategy = (
        proptest::collection::vec(any::<u8>(), 0..3000),
        proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..6),
    );
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(24));
    runner
        .run(&strategy, |(noise, edits)| {
            let mut damaged = gpx_run(START, 30).into_bytes();
            for (at, byte) in edits {
                let i = at.index(damaged.len());
                damaged[i] = byte;
            }
            for content in [noise.as_slice(), damaged.as_slice()] {
                let body = multipart(&[data_part(r#"{"sport_id": 5}"#), file_part("random.gpx", content)], "\r\n", "");
                let response = post_multipart(&server, &token, body);
                prop_assert!(response.status < 500, "{} {}", response.status, response.text());
            }
            Ok(())
        })
        .unwrap();
    assert_eq!(server.get("/api/config").send().status, 200);
}
