//! `POST /api/workouts/no_gpx`: workouts entered by hand.

use serde_json::{Value, json};

use super::*;
use crate::support::Server;

#[test]
fn a_manual_workout_is_created_with_computed_speeds() {
    let server = Server::start();
    let token = server.user("hand");
    let response = manual(
        &server,
        &token,
        json!({"sport_id": 1, "workout_date": "2024-06-01 08:30", "duration": 3600, "distance": 30.5,
               "title": "Commute", "notes": "rain", "ascent": 120, "descent": 110, "calories": 650}),
    );
    assert_eq!(response.status, 201, "{}", response.text());
    assert_eq!(response.json()["status"], "created");
    let w = &response.json()["data"]["workouts"][0];
    assert_eq!(w["workout_date"], "Sat, 01 Jun 2024 06:30:00 GMT", "08:30 in Europe/Paris");
    assert_eq!(
        (w["duration"].as_str(), w["moving"].as_str(), w["pauses"].as_str()),
        (Some("1:00:00"), Some("1:00:00"), Some("0:00:00"))
    );
    assert_eq!((w["ave_speed"].as_f64(), w["max_speed"].as_f64()), (Some(30.5), Some(30.5)));
    assert_eq!((w["ascent"].as_f64(), w["calories"].as_i64()), (Some(120.0), Some(650)));
    assert_eq!(w["with_file"], false);
    assert_eq!(w["title"], "Commute");
    // A float duration, as some clients send it.
    let float = manual(
        &server,
        &token,
        json!({"sport_id": 5, "workout_date": "2024-06-02 07:00", "duration": 1800.5, "distance": 5.0}),
    );
    assert_eq!(float.status, 201);
    assert_eq!(float.json()["data"]["workouts"][0]["duration"], "0:30:00.500000");
    let untitled = manual_workout(&server, &token, 5, "2024-06-03 18:00", 30, 5.0);
    assert_eq!(untitled["title"], "Running - 2024-06-03 18:00:00");
    assert_eq!(untitled["ave_pace"], "0:06:00");
}

#[test]
fn manual_workout_refusals() {
    let server = Server::start();
    let token = server.user("nope");
    let base = json!({"sport_id": 1, "workout_date": "2024-06-01 08:30", "duration": 3600, "distance": 10.0});
    let with = |key: &str, value: Value| {
        let mut body = base.clone();
        body[key] = value;
        body
    };
    let without = |key: &str| {
        let mut body = base.clone();
        body.as_object_mut().unwrap().remove(key);
        body
    };
    let cases = [
        (json!({}), 400, json!({"status": "error", "message": "invalid payload"})),
        (without("duration"), 400, json!({"status": "error", "message": "invalid payload"})),
        (without("workout_date"), 400, json!({"status": "error", "message": "invalid payload"})),
        (with("duration", json!(0)), 400, json!({"status": "error", "message": "invalid payload"})),
        (with("sport_id", json!(99)), 400, json!({"status": "invalid", "message": "Sport id: 99 does not exist"})),
        (with("ascent", json!(10)), 400, json!({"status": "invalid", "message": "invalid ascent or descent"})),
        (
            json!({"sport_id": 1, "workout_date": "2024-06-01 08:30", "duration": 3600, "distance": 10.0, "ascent": -1, "descent": 3}),
            400,
            json!({"status": "invalid", "message": "invalid ascent or descent"}),
        ),
        (
            with("workout_date", json!("01/06/2024")),
            400,
            json!({"status": "error", "message": "invalid format for workout date"}),
        ),
        (
            with("distance", json!(5000)),
            400,
            json!({"status": "error", "message": "one or more values, entered or calculated, exceed the limits"}),
        ),
    ];
    for (body, status, expected) in cases {
        let response = manual(&server, &token, body.clone());
        assert_eq!((response.status, response.json()), (status, expected), "{body}");
    }
    let count: i64 = server.db().query_row("SELECT count(*) FROM workouts", [], |r| r.get(0)).unwrap();
    assert_eq!(count, 0);
}
