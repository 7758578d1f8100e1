//! `GET /api/workouts`: pages, filters, ordering, statistics.

use serde_json::{Value, json};

use super::*;
use crate::support::Server;

fn ids(response: &crate::support::Response) -> Vec<String> {
    response.json()["data"]["workouts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["title"].as_str().unwrap().to_string())
        .collect()
}

/// Five manual workouts of two sports on different days.
fn seed(server: &Server, token: &str) {
    for (sport, date, minutes, km, title) in [
        (5, "2024-01-10 07:00", 30, 5.0, "run 1"),
        (5, "2024-01-20 07:00", 60, 12.0, "run 2"),
        (1, "2024-02-05 18:00", 90, 40.0, "ride 1"),
        (5, "2024-02-15 07:00", 45, 8.0, "run 3"),
        (1, "2024-03-01 00:30", 120, 60.0, "ride 2"),
    ] {
        let response = manual(
            server,
            token,
            json!({"sport_id": sport, "workout_date": date, "duration": minutes * 60, "distance": km, "title": title, "notes": format!("notes of {title}")}),
        );
        assert_eq!(response.status, 201, "{}", response.text());
    }
}

#[test]
fn pages_newest_first_and_past_the_end_is_empty() {
    let server = Server::start();
    let token = server.user("pager");
    seed(&server, &token);
    let first = server.get("/api/workouts").bearer(&token).send();
    assert_eq!(ids(&first), vec!["ride 2", "run 3", "ride 1", "run 2", "run 1"]);
    assert_eq!(
        first.json()["pagination"],
        json!({"has_next": false, "has_prev": false, "page": 1, "pages": 1, "total": 5})
    );
    let small = server.get("/api/workouts?per_page=2&page=2&limit=7").bearer(&token).send();
    assert_eq!(ids(&small), vec!["ride 1", "run 2"], "unknown parameters are ignored");
    assert_eq!(
        small.json()["pagination"],
        json!({"has_next": true, "has_prev": true, "page": 2, "pages": 3, "total": 5})
    );
    let past = server.get("/api/workouts?page=9").bearer(&token).send();
    assert_eq!((past.status, ids(&past).len()), (200, 0));
    assert_eq!(past.json()["pagination"]["has_next"], false);
    assert_eq!(ids(&server.get("/api/workouts?order=asc").bearer(&token).send())[0], "run 1");
    let by_distance = server.get("/api/workouts?order_by=distance&order=desc").bearer(&token).send();
    assert_eq!(ids(&by_distance)[0], "ride 2");
    let by_duration = server.get("/api/workouts?order_by=duration&order=asc").bearer(&token).send();
    assert_eq!(ids(&by_duration)[0], "run 1");
    let by_speed = server.get("/api/workouts?order_by=ave_speed&order=desc").bearer(&token).send();
    assert_eq!(ids(&by_speed)[0], "ride 2");
    let bad = server.get("/api/workouts?order_by=password").bearer(&token).send();
    assert_eq!((bad.status, bad.json()["message"].clone()), (400, json!("invalid order_by")));
}

#[test]
fn every_filter_narrows_in_sql() {
    let server = Server::start();
    let token = server.user("filter");
    seed(&server, &token);
    let list = |query: &str| {
        let response = server.get(&format!("/api/workouts?per_page=50&{query}")).bearer(&token).send();
        assert_eq!(response.status, 200, "{query}: {}", response.text());
        let mut titles = ids(&response);
        titles.sort();
        titles
    };
    assert_eq!(list("sport_id=1"), vec!["ride 1", "ride 2"]);
    assert_eq!(list("title=RUN"), vec!["run 1", "run 2", "run 3"]);
    assert_eq!(list("notes=of%20ride"), vec!["ride 1", "ride 2"]);
    assert_eq!(list("from=2024-02-01&to=2024-02-15"), vec!["ride 1", "run 3"], "to is inclusive");
    // 2024-03-01 00:30 in Paris is 2024-02-29 23:30 UTC: dates are the user's.
    assert_eq!(list("from=2024-03-01"), vec!["ride 2"]);
    assert_eq!(list("to=2024-02-29"), vec!["ride 1", "run 1", "run 2", "run 3"]);
    assert_eq!(list("distance_from=8&distance_to=40"), vec!["ride 1", "run 2", "run 3"]);
    assert_eq!(list("duration_from=0:45&duration_to=1:30"), vec!["ride 1", "run 2", "run 3"]);
    assert_eq!(list("ave_speed_from=20"), vec!["ride 1", "ride 2"]);
    assert_eq!(list("max_speed_to=10.7"), vec!["run 1", "run 3"]);
    // Paces: run 1 6:00/km, run 2 5:00/km, run 3 5:37/km.
    assert_eq!(list("sport_id=5&ave_pace_from=5:30&ave_pace_to=6:00"), vec!["run 1", "run 3"]);
    assert_eq!(list("workout_visibility=private").len(), 5);
    assert_eq!(list("workout_visibility=public").len(), 0);
    assert_eq!(list("equipment_id=none").len(), 5);
    assert_eq!(list("equipment_id=2222222222222222222222").len(), 0, "an unknown equipment matches nothing");
    for (query, message) in [
        ("duration_from=25:00", "invalid duration"),
        ("ave_pace_from=abc", "invalid duration"),
        ("workout_visibility=everyone", "invalid value for visibility"),
        ("coordinates=45,6&radius=0", "invalid radius, must be an float greater than zero"),
        ("coordinates=45,6&radius=far", "invalid radius, must be an float greater than zero"),
        ("coordinates=north", "invalid coordinates"),
        ("from=yesterday", "invalid date format, expected YYYY-MM-DD"),
    ] {
        let response = server.get(&format!("/api/workouts?{query}")).bearer(&token).send();
        assert_eq!((response.status, response.json()["message"].clone()), (400, json!(message)), "{query}");
    }
}

#[test]
fn files_are_found_near_their_start() {
    let server = Server::start();
    let token = server.user("near");
    upload_run(&server, &token, START, 5);
    let near = server.get("/api/workouts?coordinates=45.01,6.01&radius=5").bearer(&token).send();
    assert_eq!(near.json()["pagination"]["total"], 1);
    let far = server.get("/api/workouts?coordinates=48.85,2.35").bearer(&token).send();
    assert_eq!(far.json()["pagination"]["total"], 0);
}

#[test]
fn statistics_for_the_page_and_for_all() {
    let server = Server::start();
    let token = server.user("statz");
    seed(&server, &token);
    let response = server.get("/api/workouts?per_page=2&with_statistics=true").bearer(&token).send();
    let statistics = &response.json()["data"]["statistics"];
    let all = &statistics["all"];
    assert_eq!((all["count"].as_i64(), all["total_sports"].as_i64()), (Some(5), Some(2)));
    assert_eq!(all["total_distance"], 125.0);
    assert_eq!(all["total_duration"], "5:45:00");
    assert_eq!(all["average_speed"], Value::Null, "several sports: no speeds");
    assert_eq!(statistics["current_page"]["count"], 2);
    let runs = server.get("/api/workouts?sport_id=5&with_statistics=true").bearer(&token).send();
    let all = &runs.json()["data"]["statistics"]["all"];
    assert_eq!((all["count"].as_i64(), all["total_sports"].as_i64()), (Some(3), Some(1)));
    assert_eq!(all["average_speed"], 11.11, "25 km in 2:15");
    assert_eq!(all["average_pace"], "0:05:24");
}

#[test]
fn equipment_in_list_items_only_when_asked() {
    let server = Server::start();
    let token = server.user("eqlist");
    let shoes =
        server.post("/api/equipments").bearer(&token).json(&json!({"label": "Shoes", "equipment_type_id": 1})).send();
    let shoes_id = shoes.json()["data"]["equipments"][0]["id"].as_str().unwrap().to_string();
    let response = manual(
        &server,
        &token,
        json!({"sport_id": 5, "workout_date": "2024-01-10 07:00", "duration": 1800, "distance": 5.0, "equipment_ids": [shoes_id]}),
    );
    assert_eq!(response.status, 201);
    let plain = server.get("/api/workouts").bearer(&token).send().json();
    assert_eq!(plain["data"]["workouts"][0]["equipments"], json!([]));
    let with = server.get("/api/workouts?return_equipments=true").bearer(&token).send().json();
    assert_eq!(with["data"]["workouts"][0]["equipments"][0]["label"], "Shoes");
    let filtered = server.get(&format!("/api/workouts?equipment_id={shoes_id}")).bearer(&token).send().json();
    assert_eq!(filtered["pagination"]["total"], 1);
}
