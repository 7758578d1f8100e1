//! One workout: show, change, delete, refresh, charts, who sees what.

use serde_json::{Value, json};

use super::*;
use crate::oauth::{CALLBACK, app_with, tokens};
use crate::support::Server;

fn get(server: &Server, token: Option<&str>, path: &str) -> crate::support::Response {
    match token {
        Some(token) => server.get(path).bearer(token).send(),
        None => server.get(path).send(),
    }
}

#[test]
fn private_workouts_are_invisible_to_others_and_public_ones_hide_private_parts() {
    let server = Server::start();
    let owner = server.user("own");
    let other = server.user("oth");
    let private = upload_run(&server, &owner, START, 5);
    let id = private["id"].as_str().unwrap();
    let not_found = json!({"status": "not found", "data": {"workouts": []}});
    for token in [Some(other.as_str()), None] {
        for path in [format!("/api/workouts/{id}"), format!("/api/workouts/{id}/chart_data")] {
            let response = get(&server, token, &path);
            assert_eq!(response.status, 404, "{path}");
            if path.ends_with(id) {
                assert_eq!(response.json(), not_found);
            }
        }
        // Downloads need a signed-in owner: others 404, visitors 401.
        let expected = if token.is_some() { 404 } else { 401 };
        assert_eq!(get(&server, token, &format!("/api/workouts/{id}/gpx/download")).status, expected);
    }
    let data = json!({"sport_id": 5, "workout_visibility": "public", "analysis_visibility": "public", "map_visibility": "private", "notes": "secret"});
    let public =
        upload(&server, &owner, &data.to_string(), &gpx_run(START + 3600, 60)).json()["data"]["workouts"][0].clone();
    let public_id = public["id"].as_str().unwrap();
    let seen = get(&server, Some(&other), &format!("/api/workouts/{public_id}")).json()["data"]["workouts"][0].clone();
    assert_eq!(seen["notes"], Value::Null, "notes are the owner's");
    assert_eq!(seen["bounds"], json!([]), "the map is private");
    assert!(seen.get("original_file").is_none());
    assert_eq!(seen["ave_hr"], Value::Null, "heart rate is private by default");
    assert_eq!(seen["user"]["username"], "own");
    assert!(seen["user"].get("email").is_none());
    assert_eq!(seen["next_workout"], Value::Null);
    let anonymous = get(&server, None, &format!("/api/workouts/{public_id}"));
    assert_eq!(anonymous.status, 200);
    let chart = get(&server, None, &format!("/api/workouts/{public_id}/chart_data")).json();
    assert!(chart["data"]["chart_data"].as_array().unwrap().iter().all(|p| p.get("hr").is_none()));
    assert_eq!(get(&server, Some(&other), &format!("/api/workouts/{public_id}/original/download")).status, 404);
    // The owner sees everything, including neighbours.
    let own = get(&server, Some(&owner), &format!("/api/workouts/{public_id}")).json()["data"]["workouts"][0].clone();
    assert_eq!((own["notes"].as_str(), own["previous_workout"].as_str()), (Some("secret"), Some(id)));
    assert!(own["ave_hr"].as_i64().is_some());
    // The latest public workouts of a user.
    let listed = get(&server, Some(&other), "/api/users/own/workouts").json()["data"]["workouts"].clone();
    assert_eq!(listed.as_array().unwrap().iter().map(|w| w["id"].clone()).collect::<Vec<_>>(), vec![json!(public_id)]);
    assert_eq!(
        get(&server, Some(&owner), "/api/users/own/workouts").json()["data"]["workouts"].as_array().unwrap().len(),
        2
    );
    assert_eq!(get(&server, None, "/api/users/nobody/workouts").status, 404);
}

#[test]
fn changes_only_by_the_owner_with_fittrackees_messages() {
    let server = Server::start();
    let owner = server.user("chg");
    let other = server.user("stranger");
    let file = upload_run(&server, &owner, START, 5);
    let file_id = file["id"].as_str().unwrap();
    let by_hand = manual_workout(&server, &owner, 5, "2024-06-01 10:00", 30, 6.0);
    let hand_id = by_hand["id"].as_str().unwrap();
    let patch = |id: &str, token: &str, body: Value| {
        server.patch(&format!("/api/workouts/{id}")).bearer(token).json(&body).send()
    };
    let cases = [
        (file_id, json!({}), 400, json!({"status": "error", "message": "invalid payload"})),
        (
            file_id,
            json!({"distance": 3}),
            400,
            json!({"status": "invalid", "message": "invalid key ('distance') for workout with file"}),
        ),
        (
            hand_id,
            json!({"map_visibility": "public", "analysis_visibility": "public"}),
            400,
            json!({"status": "invalid", "message": "invalid keys ('analysis_visibility', 'map_visibility') for workout without file"}),
        ),
        (
            hand_id,
            json!({"elevation_data_source": "file"}),
            400,
            json!({"status": "invalid", "message": "'elevation_data_source' can not be provided for workout without file"}),
        ),
        (
            file_id,
            json!({"elevation_data_source": "valhalla"}),
            400,
            json!({"status": "error", "message": "'valhalla' as elevation data source is not valid"}),
        ),
        (file_id, json!({"sport_id": 99}), 400, json!({"status": "invalid", "message": "sport id 99 not found"})),
        (hand_id, json!({"ascent": 5}), 400, json!({"status": "invalid", "message": "invalid ascent or descent"})),
        (
            hand_id,
            json!({"distance": 1500}),
            400,
            json!({"status": "error", "message": "one or more values, entered or calculated, exceed the limits"}),
        ),
    ];
    for (id, body, status, expected) in cases {
        let response = patch(id, &owner, body.clone());
        assert_eq!((response.status, response.json()), (status, expected), "{body}");
    }
    assert_eq!(patch(file_id, &other, json!({"title": "mine"})).status, 404, "not visible: 404");
    patch(file_id, &owner, json!({"workout_visibility": "public"}));
    assert_eq!(patch(file_id, &other, json!({"title": "mine"})).status, 403, "visible but not theirs: 403");
    assert_eq!(server.delete(&format!("/api/workouts/{file_id}")).bearer(&other).send().status, 403);

    let renamed = patch(file_id, &owner, json!({"title": "Renamed", "notes": "ok", "sport_id": 6}));
    assert_eq!(renamed.status, 200, "{}", renamed.text());
    let w = &renamed.json()["data"]["workouts"][0];
    assert_eq!(
        (w["title"].as_str(), w["sport_id"].as_i64(), w["notes"].as_str()),
        (Some("Renamed"), Some(6), Some("ok"))
    );
    assert!(w["modification_date"].as_str().unwrap().ends_with("GMT"));
    let faster =
        patch(hand_id, &owner, json!({"distance": 9.0, "duration": 1800, "workout_date": "2024-06-02 11:15"})).json();
    let w = &faster["data"]["workouts"][0];
    assert_eq!((w["distance"].as_f64(), w["duration"].as_str()), (Some(9.0), Some("0:30:00")));
    assert_eq!(w["ave_pace"], "0:03:20", "speeds follow distance and duration");
    assert_eq!(w["workout_date"], "Sun, 02 Jun 2024 09:15:00 GMT");
}

#[test]
fn delete_refresh_and_the_gone_endpoint() {
    let server = Server::start();
    let token = server.user("del");
    let w = upload_run(&server, &token, START, 5);
    let id = w["id"].as_str().unwrap();
    let refreshed = server.post(&format!("/api/workouts/{id}/refresh")).bearer(&token).send();
    assert_eq!(refreshed.status, 200, "{}", refreshed.text());
    assert_eq!(refreshed.json()["data"]["workouts"][0]["distance"], w["distance"]);
    let by_hand = manual_workout(&server, &token, 1, "2024-06-01 10:00", 30, 6.0);
    assert_eq!(
        server.post(&format!("/api/workouts/{}/refresh", by_hand["id"].as_str().unwrap())).bearer(&token).send().status,
        200
    );
    let gone = server.get(&format!("/api/workouts/{id}/gpx")).bearer(&token).send();
    assert_eq!((gone.status, gone.json()), (410, json!({})));
    let deleted = server.delete(&format!("/api/workouts/{id}")).bearer(&token).send();
    assert_eq!((deleted.status, deleted.body.len()), (204, 0));
    assert_eq!(server.get(&format!("/api/workouts/{id}")).bearer(&token).send().status, 404);
    assert_eq!(server.delete(&format!("/api/workouts/{id}")).bearer(&token).send().status, 404);
    assert_eq!(server.post(&format!("/api/workouts/{id}/refresh")).bearer(&token).send().status, 404);
    let db = server.db();
    for table in ["workout_files", "workout_segments"] {
        let count: i64 = db.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).unwrap();
        assert_eq!(count, 0, "{table}");
    }
}

#[test]
fn chart_data_follows_the_track() {
    let server = Server::start();
    let token = server.user("chart");
    let w = upload_run(&server, &token, START, 5);
    let id = w["id"].as_str().unwrap();
    let response = server.get(&format!("/api/workouts/{id}/chart_data")).bearer(&token).send();
    assert_eq!(response.status, 200);
    let body = response.json();
    assert_eq!((body["status"].as_str(), body["message"].as_str()), (Some("success"), Some("")));
    let points = body["data"]["chart_data"].as_array().unwrap();
    assert_eq!(points.len(), 120);
    assert_eq!(points[0]["time"], "2024-05-01 07:00:00+00:00");
    assert_eq!(points[1]["duration"], 5);
    assert!(points[119]["distance"].as_f64().unwrap() > points[1]["distance"].as_f64().unwrap());
    for key in ["elevation", "hr", "cadence", "pace", "latitude", "longitude"] {
        assert!(points[5].get(key).is_some(), "{key}");
    }
    let by_hand = manual_workout(&server, &token, 5, "2024-06-01 10:00", 30, 6.0);
    let missing =
        server.get(&format!("/api/workouts/{}/chart_data", by_hand["id"].as_str().unwrap())).bearer(&token).send();
    assert_eq!(missing.status, 404);
    assert!(missing.json()["message"].as_str().unwrap().starts_with("no file for this workout"));
    let unknown = server.get("/api/workouts/2222222222222222222222/chart_data").bearer(&token).send();
    assert_eq!(unknown.json()["data"]["chart_data"], "");
}

#[test]
fn a_read_only_token_reads_but_does_not_write() {
    let server = Server::start();
    let token = server.user("rot");
    let app = app_with(&server, &token, "workouts:read workouts:write", &[CALLBACK]);
    let (read, _) = tokens(&server, &token, &app, "workouts:read");
    let (write, _) = tokens(&server, &token, &app, "workouts:write");
    let w = upload_run(&server, &write, START, 5);
    let id = w["id"].as_str().unwrap();
    assert_eq!(server.get(&format!("/api/workouts/{id}")).bearer(&read).send().status, 200);
    let refused = server.delete(&format!("/api/workouts/{id}")).bearer(&read).send();
    assert_eq!((refused.status, refused.json()["error"].clone()), (403, json!("insufficient_scope")));
    let refused = upload(&server, &read, r#"{"sport_id": 5}"#, &gpx_run(START, 10));
    assert_eq!(refused.status, 403);
}

#[test]
fn another_users_oauth_token_never_sees_private_workouts_or_equipment() {
    let server = Server::start();
    let owner = server.user("victim");
    let intruder = server.user("intruder");
    let scopes = "workouts:read workouts:write equipments:read equipments:write";
    let app = app_with(&server, &intruder, scopes, &[CALLBACK]);
    let (access, _) = tokens(&server, &intruder, &app, scopes);
    let workout = upload_run(&server, &owner, START, 5);
    let id = workout["id"].as_str().unwrap();
    let shoes =
        server.post("/api/equipments").bearer(&owner).json(&json!({"label": "Shoes", "equipment_type_id": 1})).send();
    let shoes_id = shoes.json()["data"]["equipments"][0]["id"].as_str().unwrap().to_string();
    for path in [
        format!("/api/workouts/{id}"),
        format!("/api/workouts/{id}/chart_data"),
        format!("/api/workouts/{id}/gpx/download"),
        format!("/api/workouts/{id}/original/download"),
        format!("/api/equipments/{shoes_id}"),
    ] {
        assert_eq!(server.get(&path).bearer(&access).send().status, 404, "{path}");
    }
    assert_eq!(server.get("/api/workouts").bearer(&access).send().json()["pagination"]["total"], 0);
    assert_eq!(server.get("/api/equipments").bearer(&access).send().json()["data"]["equipments"], json!([]));
    assert_eq!(server.get("/api/users/victim/workouts").bearer(&access).send().json()["data"]["workouts"], json!([]));
    assert_eq!(
        server.patch(&format!("/api/workouts/{id}")).bearer(&access).json(&json!({"title": "x"})).send().status,
        404
    );
    assert_eq!(server.delete(&format!("/api/workouts/{id}")).bearer(&access).send().status, 404);
    // Attaching someone else's equipment is refused as unknown.
    let attach = manual(
        &server,
        &access,
        json!({"sport_id": 5, "workout_date": "2024-01-10 07:00", "duration": 60, "distance": 1.0, "equipment_ids": [shoes_id]}),
    );
    assert_eq!(attach.json()["status"], "not_found");
    assert_eq!(
        server.get(&format!("/api/workouts/{id}")).bearer(&owner).send().json()["data"]["workouts"][0]["title"],
        "Morning run"
    );
}
