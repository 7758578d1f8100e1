//! Records (§5.5) kept current, and statistics (§5.6).

use serde_json::{Value, json};

use super::*;
use crate::support::Server;

fn records(server: &Server, token: &str) -> Vec<(i64, String, Value, String)> {
    let response = server.get("/api/records").bearer(token).send();
    assert_eq!(response.status, 200);
    response.json()["data"]["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["sport_id"].as_i64().unwrap(),
                r["record_type"].as_str().unwrap().to_string(),
                r["value"].clone(),
                r["workout_id"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn value(records: &[(i64, String, Value, String)], sport: i64, kind: &str) -> Option<Value> {
    records.iter().find(|r| r.0 == sport && r.1 == kind).map(|r| r.2.clone())
}

#[test]
fn records_follow_inserts_updates_and_deletes() {
    let server = Server::start();
    let token = server.user("rec");
    let short = manual_workout(&server, &token, 1, "2024-01-10 07:00", 30, 10.0);
    let long = manual_workout(&server, &token, 1, "2024-01-11 07:00", 120, 50.0);
    let r = records(&server, &token);
    assert_eq!(value(&r, 1, "FD"), Some(json!(50.0)));
    assert_eq!(value(&r, 1, "LD"), Some(json!("2:00:00")));
    assert_eq!(value(&r, 1, "AS"), Some(json!(25.0)));
    assert_eq!(value(&r, 1, "AP"), None, "cycling shows no pace records");
    assert_eq!(value(&r, 1, "HA"), None, "no ascent, no record");
    // Shorten the record holder: the other one takes over.
    let id = long["id"].as_str().unwrap();
    server.patch(&format!("/api/workouts/{id}")).bearer(&token).json(&json!({"distance": 5.0})).send();
    let r = records(&server, &token);
    assert_eq!(value(&r, 1, "FD"), Some(json!(10.0)));
    assert_eq!(value(&r, 1, "AS"), Some(json!(20.0)));
    // Move it to another sport: records follow.
    server.patch(&format!("/api/workouts/{id}")).bearer(&token).json(&json!({"sport_id": 4})).send();
    let r = records(&server, &token);
    assert_eq!(value(&r, 4, "FD"), Some(json!(5.0)));
    assert_eq!(value(&r, 1, "LD"), Some(json!("0:30:00")));
    // Delete: gone with it.
    server.delete(&format!("/api/workouts/{}", short["id"].as_str().unwrap())).bearer(&token).send();
    let r = records(&server, &token);
    assert!(r.iter().all(|rec| rec.0 != 1), "{r:?}");
    // The profile carries the records and totals.
    let profile = server.profile(&token);
    assert_eq!((profile["nb_workouts"].as_i64(), profile["sports_list"].clone()), (Some(1), json!([4])));
    assert_eq!(profile["records"].as_array().unwrap().len(), r.len());
}

#[test]
fn ties_go_to_the_earliest_workout_and_pace_sports_show_paces() {
    let server = Server::start();
    let token = server.user("ties");
    let first = manual_workout(&server, &token, 5, "2024-01-10 07:00", 30, 6.0);
    manual_workout(&server, &token, 5, "2024-01-12 07:00", 30, 6.0);
    let r = records(&server, &token);
    let fd = r.iter().find(|rec| rec.1 == "FD").unwrap();
    assert_eq!(fd.3, first["id"].as_str().unwrap());
    assert_eq!(value(&r, 5, "AP"), Some(json!("0:05:00")));
    assert_eq!(value(&r, 5, "AS"), None, "running displays pace");
    server
        .patch("/api/auth/profile/edit/sports")
        .bearer(&token)
        .json(&json!({"sport_id": 5, "pace_speed_display": "pace_and_speed"}))
        .send();
    let r = records(&server, &token);
    assert!(value(&r, 5, "AS").is_some() && value(&r, 5, "AP").is_some());
}

#[test]
fn statistics_by_time_in_the_users_time_zone() {
    let server = Server::start();
    let token = server.user("bytime");
    manual_workout(&server, &token, 5, "2024-01-10 07:00", 30, 5.0);
    manual_workout(&server, &token, 5, "2024-01-20 07:00", 60, 12.0);
    manual_workout(&server, &token, 1, "2024-02-05 18:00", 90, 40.0);
    let get = |query: &str| server.get(&format!("/api/stats/bytime/by_time?{query}")).bearer(&token).send();
    let months = get("time=month").json();
    let january = &months["data"]["statistics"]["2024-01"]["5"];
    assert_eq!(january["total_workouts"], 2);
    assert_eq!(january["total_distance"], 17.0);
    assert_eq!(january["total_duration"], 5400, "integer seconds");
    assert_eq!(months["data"]["statistics"]["2024-02"]["1"]["total_distance"], 40.0);
    let years = get("").json();
    assert_eq!(years["data"]["statistics"]["2024"]["5"]["total_workouts"], 2, "by year by default");
    let weeks = get("time=weekm&from=2024-01-15&to=2024-01-21").json();
    assert_eq!(weeks["data"]["statistics"].as_object().unwrap().keys().collect::<Vec<_>>(), vec!["2024-01-15"]);
    let averages = get("time=year&type=average").json();
    let runs = &averages["data"]["statistics"]["2024"]["5"];
    assert_eq!(runs["average_distance"], 8.5);
    assert_eq!(runs["average_pace"], 318, "seconds per km (5400 s over 17 km)");
    for (query, message) in [("time=fortnight", "invalid time period"), ("type=median", "invalid stats type")] {
        let response = get(query);
        assert_eq!((response.status, response.json()), (400, json!({"status": "fail", "message": message})));
    }
}

#[test]
fn statistics_by_sport_and_who_may_read_them() {
    let server = Server::start();
    let token = server.user("bysport");
    let other = server.user("peeker");
    manual_workout(&server, &token, 5, "2024-01-10 07:00", 30, 5.0);
    manual_workout(&server, &token, 5, "2024-01-20 07:00", 60, 10.0);
    let response = server.get("/api/stats/bysport/by_sport").bearer(&token).send();
    assert_eq!(response.status, 200);
    let body = response.json();
    assert_eq!(body["data"]["total_workouts"], 2);
    let runs = &body["data"]["statistics"]["5"];
    assert_eq!(runs["total_duration"], "1:30:00");
    assert_eq!(runs["average_duration"], "0:45:00");
    assert_eq!(runs["average_pace"], "0:06:00");
    assert_eq!(runs["total_workouts"], 2);
    let one = server.get("/api/stats/bysport/by_sport?sport_id=5").bearer(&token).send();
    assert_eq!(one.status, 200);
    let unknown = server.get("/api/stats/bysport/by_sport?sport_id=99").bearer(&token).send();
    assert_eq!((unknown.status, unknown.json()["message"].clone()), (404, json!("sport does not exist")));
    let theirs = server.get("/api/stats/bysport/by_time").bearer(&other).send();
    assert_eq!((theirs.status, theirs.json()["message"].clone()), (403, json!("you do not have permissions")));
    let nobody = server.get("/api/stats/nobody/by_sport").bearer(&token).send();
    assert_eq!((nobody.status, nobody.json()["message"].clone()), (404, json!("user does not exist")));
    assert_eq!(server.get("/api/stats/all").bearer(&token).send().status, 403, "moderators and admins only");
    server.make_admin("peeker");
    let all = server.get("/api/stats/all").bearer(&other).send().json();
    assert_eq!(
        (all["data"]["workouts"].as_i64(), all["data"]["sports"].as_i64(), all["data"]["users"].as_i64()),
        (Some(2), Some(1), Some(2))
    );
}
