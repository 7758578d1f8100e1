//! FitTrackee's numbers for real-shaped files. The golden values come from
//! gpxpy, FitTrackee's GPX library, with FitTrackee's arithmetic
//! (`tests/data/golden/make.py`); here the same files go through our
//! reader and analysis, then through an upload over HTTP.

use std::path::{Path, PathBuf};

use fittrackee::files::{self, Format, SegmentsOn};
use fittrackee::workouts::Measures;
use fittrackee::workouts::analysis::analyze;
use serde_json::Value;

use super::{data_part, file_part, multipart, post_multipart};
use crate::support::Server;

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data")
}

/// Every golden file with its track's bytes.
fn goldens() -> Vec<(Value, Vec<u8>)> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(data_dir().join("golden"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|path| {
            let golden: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
            let track = std::fs::read(data_dir().join("gpx").join(golden["file"].as_str().unwrap())).unwrap();
            (golden, track)
        })
        .collect()
}

fn close(ours: f64, theirs: f64, relative: f64) -> bool {
    (ours - theirs).abs() <= relative * theirs.abs().max(1e-9)
}

/// Our measures against gpxpy's: distance and speeds within 0.01 %,
/// durations to the second, elevations and readings as computed.
fn compare(what: &str, ours: &Measures, theirs: &Value) -> Vec<String> {
    let number = |key: &str| theirs[key].as_f64();
    let mut wrong = Vec::new();
    let mut check = |key: &str, ok: bool, ours: String| {
        if !ok {
            wrong.push(format!("{what} {key}: ours {ours}, gpxpy {}", theirs[key]));
        }
    };
    check("distance_km", close(ours.distance, number("distance_km").unwrap(), 1e-4), ours.distance.to_string());
    for (key, value) in [("duration", ours.duration), ("moving", ours.moving), ("pauses", ours.pauses)] {
        check(key, Some(value) == number(key), value.to_string());
    }
    for (key, value) in [("ave_speed", ours.ave_speed), ("max_speed", ours.max_speed)] {
        check(key, close(value.unwrap_or(0.0), number(key).unwrap(), 1e-4), format!("{value:?}"));
    }
    let optional = [
        ("min_alt", ours.min_alt),
        ("max_alt", ours.max_alt),
        ("ascent", ours.ascent),
        ("descent", ours.descent),
        ("ave_hr", ours.ave_hr),
        ("max_hr", ours.max_hr),
        ("ave_cadence", ours.ave_cadence),
        ("max_cadence", ours.max_cadence),
        ("ave_power", ours.ave_power),
        ("max_power", ours.max_power),
    ];
    for (key, value) in optional {
        let ok = match (value, number(key)) {
            (Some(a), Some(b)) => close(a, b, 1e-9),
            (None, None) => true,
            _ => false,
        };
        check(key, ok, format!("{value:?}"));
    }
    wrong
}

#[test]
fn our_analysis_gives_gpxpys_numbers_for_every_golden_file() {
    let goldens = goldens();
    assert!(goldens.len() >= 5, "{} golden files", goldens.len());
    let mut wrong = Vec::new();
    for (golden, bytes) in &goldens {
        let name = golden["file"].as_str().unwrap();
        let format = Format::of(name).unwrap();
        let track = files::read(format, bytes, SegmentsOn::default()).unwrap_or_else(|e| panic!("{name}: {e}"));
        let analysis = analyze(&track, golden["stopped_speed_threshold"].as_f64().unwrap(), false)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        wrong.extend(compare(name, &analysis.workout.measures, &golden["workout"]));
        let segments = golden["segments"].as_array().unwrap();
        assert_eq!(analysis.segments.len(), segments.len(), "{name}: segments");
        for (i, (ours, theirs)) in analysis.segments.iter().zip(segments).enumerate() {
            wrong.extend(compare(&format!("{name} segment {i}"), &ours.measures, theirs));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// FitTrackee's `H:MM:SS`.
fn timedelta(seconds: &Value) -> String {
    let s = seconds.as_i64().unwrap();
    format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

#[test]
fn uploads_of_the_golden_files_answer_fittrackees_numbers() {
    let server = Server::start();
    let token = server.user("golden");
    let config = serde_json::json!({"max_single_file_size": 2 * 1024 * 1024, "max_zip_file_size": 4 * 1024 * 1024});
    server.make_admin("golden");
    assert_eq!(server.patch("/api/config").bearer(&token).json(&config).send().status, 200);
    for (golden, bytes) in goldens() {
        let name = golden["file"].as_str().unwrap();
        let data = format!(r#"{{"sport_id": {}}}"#, golden["sport_id"]);
        let response =
            post_multipart(&server, &token, multipart(&[data_part(&data), file_part(name, &bytes)], "\r\n", ""));
        assert_eq!(response.status, 201, "{name}: {}", response.text());
        let workout = &response.json()["data"]["workouts"][0];
        let expected = &golden["workout"];
        assert_eq!(workout["duration"], timedelta(&expected["duration"]), "{name}");
        assert_eq!(workout["moving"], timedelta(&expected["moving"]), "{name}");
        assert_eq!(workout["pauses"], timedelta(&expected["pauses"]), "{name}");
        let distance = workout["distance"].as_f64().unwrap();
        assert!((distance - expected["distance_km"].as_f64().unwrap()).abs() <= 0.0005 + 1e-9, "{name}: {distance}");
        assert_eq!(workout["segments"].as_array().unwrap().len(), golden["segments"].as_array().unwrap().len());
    }
}

/// FitTrackee's `get_chart_data_from_segment_points` over its stored rows:
/// each segment's kilometres after the rounded total of the ones before;
/// one segment alone counts its seconds from its own start.
fn fittrackee_chart(rows: &[Value], only: Option<i64>) -> Vec<(f64, i64, f64, Value)> {
    let chosen: Vec<&Value> = rows.iter().filter(|r| only.is_none_or(|s| r[0].as_i64() == Some(s))).collect();
    let first_duration = if only.is_some() { chosen[0][2].as_i64().unwrap() } else { 0 };
    let (mut total, mut out) = (0.0, Vec::new());
    for (i, row) in chosen.iter().enumerate() {
        let distance = python_round(row[1].as_f64().unwrap() / 1000.0 + total);
        out.push((distance, row[2].as_i64().unwrap() - first_duration, row[3].as_f64().unwrap(), row[4].clone()));
        if chosen.get(i + 1).is_none_or(|next| next[0] != row[0]) {
            total = distance;
        }
    }
    out
}

/// Python's `round(x, 2)`: to the nearest of the exact binary value.
fn python_round(x: f64) -> f64 {
    format!("{x:.2}").parse().unwrap()
}

fn our_chart(server: &Server, token: &str, path: &str) -> Vec<(f64, i64, f64, Value)> {
    let response = server.get(path).bearer(token).send();
    assert_eq!(response.status, 200, "{path}: {}", response.text());
    let points = response.json()["data"]["chart_data"].as_array().unwrap().clone();
    let number = |p: &Value, key: &str| p[key].as_f64().unwrap_or_else(|| panic!("{path}: {key} in {p}"));
    points
        .iter()
        .map(|p| (number(p, "distance"), p["duration"].as_i64().unwrap(), number(p, "speed"), p["time"].clone()))
        .collect()
}

#[test]
fn chart_data_of_the_golden_files_is_fittrackees_point_for_point() {
    let server = Server::start();
    let token = server.user("charts");
    server.make_admin("charts");
    let limits = serde_json::json!({"max_single_file_size": 2 * 1024 * 1024});
    assert_eq!(server.patch("/api/config").bearer(&token).json(&limits).send().status, 200);
    for (golden, bytes) in goldens() {
        let name = golden["file"].as_str().unwrap();
        // Speeds are charted for every sport when the file is a ride.
        let data = r#"{"sport_id": 1}"#;
        let response =
            post_multipart(&server, &token, multipart(&[data_part(data), file_part(name, &bytes)], "\r\n", ""));
        assert_eq!(response.status, 201, "{name}: {}", response.text());
        let workout = response.json()["data"]["workouts"][0].clone();
        let id = workout["id"].as_str().unwrap();
        let rows = golden["chart"].as_array().unwrap();
        let ours = our_chart(&server, &token, &format!("/api/workouts/{id}/chart_data"));
        assert_eq!(ours, fittrackee_chart(rows, None), "{name}");
        for (index, segment) in workout["segments"].as_array().unwrap().iter().enumerate() {
            let path = format!("/api/workouts/{id}/chart_data/segment/{}", segment["segment_id"].as_str().unwrap());
            assert_eq!(our_chart(&server, &token, &path), fittrackee_chart(rows, Some(index as i64)), "{name} {index}");
        }
    }
}
