//! Workouts, records, statistics and equipment over HTTP (API.md §5.3–5.7).

mod crud;
mod equipment;
mod list;
mod manual;
mod page;
mod records;
mod upload;

use serde_json::{Value, json};

use crate::support::{Response, Server};

/// 2024-05-01T07:00:00Z.
pub const START: i64 = 1_714_546_800;

/// A run: `points` points 5 s apart, ~2.5 m/s north-east, climbing 1 m per
/// point, with heart rate and cadence.
pub fn gpx_run(start: i64, points: usize) -> String {
    gpx_track(start, points, 0.0001, "Morning run")
}

/// A track moving `step` degrees of latitude every 5 s.
pub fn gpx_track(start: i64, points: usize, step: f64, name: &str) -> String {
    let mut body = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="Test watch" xmlns="http://www.topografix.com/GPX/1/1"
 xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1"><trk><name>{name}</name><trkseg>"#
    );
    for i in 0..points {
        let time = jiff::Timestamp::from_second(start + 5 * i as i64).unwrap();
        body.push_str(&format!(
            r#"<trkpt lat="{:.6}" lon="{:.6}"><ele>{}</ele><time>{time}</time><extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>{}</gpxtpx:hr><gpxtpx:cad>80</gpxtpx:cad></gpxtpx:TrackPointExtension></extensions></trkpt>"#,
            45.0 + i as f64 * step,
            6.0 + i as f64 * step / 2.0,
            100 + i,
            120 + i % 20
        ));
    }
    body.push_str("</trkseg></trk></gpx>");
    body
}

/// One part of a hand-built multipart body.
pub struct Part<'a> {
    pub name: &'a str,
    pub filename: Option<&'a str>,
    pub content_type: Option<&'a str>,
    pub data: &'a [u8],
}

pub const BOUNDARY: &str = "xYzZY-boundary-1234";

/// A multipart body; `newline` is "\r\n" or "\n", `preamble` goes before the
/// first boundary.
pub fn multipart(parts: &[Part<'_>], newline: &str, preamble: &str) -> Vec<u8> {
    let mut body = preamble.as_bytes().to_vec();
    for part in parts {
        body.extend_from_slice(format!("--{BOUNDARY}{newline}").as_bytes());
        let mut disposition = format!("Content-Disposition: form-data; name=\"{}\"", part.name);
        if let Some(filename) = part.filename {
            disposition.push_str(&format!("; filename=\"{filename}\""));
        }
        body.extend_from_slice(format!("{disposition}{newline}").as_bytes());
        if let Some(content_type) = part.content_type {
            body.extend_from_slice(format!("Content-Type: {content_type}{newline}").as_bytes());
        }
        body.extend_from_slice(newline.as_bytes());
        body.extend_from_slice(part.data);
        body.extend_from_slice(newline.as_bytes());
    }
    body.extend_from_slice(format!("--{BOUNDARY}--{newline}").as_bytes());
    body
}

pub fn data_part(data: &str) -> Part<'_> {
    Part { name: "data", filename: None, content_type: None, data: data.as_bytes() }
}

pub fn file_part<'a>(name: &'a str, content: &'a [u8]) -> Part<'a> {
    Part { name: "file", filename: Some(name), content_type: Some("application/gpx+xml"), data: content }
}

pub fn post_multipart(server: &Server, token: &str, body: Vec<u8>) -> Response {
    server
        .post("/api/workouts")
        .bearer(token)
        .header("Content-Type", &format!("multipart/form-data; boundary={BOUNDARY}"))
        .body(body)
        .send()
}

/// The usual upload: `data` first, then the file.
pub fn upload(server: &Server, token: &str, data: &str, gpx: &str) -> Response {
    post_multipart(server, token, multipart(&[data_part(data), file_part("run.gpx", gpx.as_bytes())], "\r\n", ""))
}

/// Uploads a run and returns the created workout.
pub fn upload_run(server: &Server, token: &str, start: i64, sport_id: i64) -> Value {
    let response = upload(server, token, &json!({ "sport_id": sport_id }).to_string(), &gpx_run(start, 120));
    assert_eq!(response.status, 201, "{}", response.text());
    response.json()["data"]["workouts"][0].clone()
}

pub fn manual(server: &Server, token: &str, body: Value) -> Response {
    server.post("/api/workouts/no_gpx").bearer(token).json(&body).send()
}

/// A manual workout: `minutes` long, `km` far, on `date` (YYYY-MM-DD HH:MM).
pub fn manual_workout(server: &Server, token: &str, sport_id: i64, date: &str, minutes: i64, km: f64) -> Value {
    let response = manual(
        server,
        token,
        json!({ "sport_id": sport_id, "workout_date": date, "duration": minutes * 60, "distance": km }),
    );
    assert_eq!(response.status, 201, "{}", response.text());
    response.json()["data"]["workouts"][0].clone()
}

pub fn message(response: &Response) -> Value {
    response.json()["message"].clone()
}
