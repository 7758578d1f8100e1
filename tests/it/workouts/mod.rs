//! Workouts, records, statistics and equipment over HTTP (API.md §5.3–5.7).

mod archives;
mod crud;
mod equipment;
pub mod formats;
mod golden;
mod list;
mod manual;
mod maps;
mod page;
mod records;
mod tiles;
mod upload;

use serde_json::{Value, json};

pub use crate::support::http::{BOUNDARY, Part, data_part, file_part, multipart};
pub use crate::support::samples::{gpx_run, gpx_track};
use crate::support::{Response, Server};

/// 2024-05-01T07:00:00Z.
pub const START: i64 = 1_714_546_800;

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
