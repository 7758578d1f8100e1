//! Sports (§5.4) and the application configuration (§5.8).

use serde_json::{Value, json};

use crate::oauth::{CALLBACK, app_with, tokens};
use crate::support::Server;

const DEFAULT_SPORTS: [&str; 29] = [
    "Cycling (Sport)",
    "Cycling (Transport)",
    "Hiking",
    "Mountain Biking",
    "Running",
    "Walking",
    "Mountain Biking (Electric)",
    "Trail",
    "Skiing (Alpine)",
    "Skiing (Cross Country)",
    "Rowing",
    "Snowshoes",
    "Cycling (Virtual)",
    "Mountaineering",
    "Paragliding",
    "Open Water Swimming",
    "Cycling (Trekking)",
    "Swimrun",
    "Kayaking",
    "Canoeing",
    "Halfbike",
    "Windsurfing",
    "Standup Paddleboarding",
    "Tennis (Outdoor)",
    "Padel (Outdoor)",
    "Canoeing (Whitewater)",
    "Kayaking (Whitewater)",
    "Ice Skating",
    "Inline Skating",
];

#[test]
fn the_29_default_sports_keep_fittrackees_ids_labels_and_types() {
    let server = Server::start();
    let token = server.user("spr");
    let response = server.get("/api/sports").bearer(&token).send();
    assert_eq!(response.json()["status"], "success");
    let sports = response.json()["data"]["sports"].as_array().unwrap().clone();
    assert_eq!(sports.len(), 29);
    for (index, sport) in sports.iter().enumerate() {
        assert_eq!(sport["id"], index as i64 + 1);
        assert_eq!(sport["label"], DEFAULT_SPORTS[index]);
        assert_eq!(sport["is_active"], true);
        assert_eq!(sport["is_active_for_user"], true);
        assert_eq!(sport["color"], Value::Null, "null until a user picks one");
        assert!(sport["stopped_speed_threshold"].is_number());
        assert_eq!(sport["default_equipments"], json!([]));
        let pace = ["Hiking", "Running", "Walking", "Trail"].contains(&DEFAULT_SPORTS[index]);
        assert_eq!(sport.get("pace_speed_display").is_some(), pace, "{}", DEFAULT_SPORTS[index]);
    }
    assert_eq!(sports[2]["stopped_speed_threshold"], 0.1, "Hiking");
    assert_eq!(sports[0]["stopped_speed_threshold"], 1.0, "Cycling");
    // Anonymous callers may list them too.
    assert_eq!(server.get("/api/sports").send().status, 200);
}

#[test]
fn one_sport_and_its_not_found_shape() {
    let server = Server::start();
    let token = server.user("one");
    let running = server.get("/api/sports/5").bearer(&token).send().json();
    assert_eq!(running["data"]["sports"][0]["label"], "Running");
    assert_eq!(running["data"]["sports"][0]["pace_speed_display"], "pace");
    let missing = server.get("/api/sports/99").bearer(&token).send();
    assert_eq!((missing.status, missing.json()), (404, json!({"status": "not found", "data": {"sports": []}})));
}

#[test]
fn administrators_deactivate_sports() {
    let server = Server::start();
    let admin = server.user("sad");
    server.make_admin("sad");
    let user = server.user("sus");
    let response = server.patch("/api/sports/1").bearer(&admin).json(&json!({"is_active": false})).send();
    assert_eq!(response.status, 200);
    assert_eq!(response.json()["data"]["sports"][0]["is_active"], false);
    let seen = server.get("/api/sports/1").bearer(&user).send().json()["data"]["sports"][0].clone();
    assert_eq!((seen["is_active"].clone(), seen["is_active_for_user"].clone()), (json!(false), json!(false)));
    for body in [json!({}), json!({"is_active": null}), json!({"is_active": "no"})] {
        let bad = server.patch("/api/sports/1").bearer(&admin).json(&body).send();
        assert_eq!((bad.status, bad.json()["message"].clone()), (400, json!("invalid payload")), "{body}");
    }
    let missing = server.patch("/api/sports/99").bearer(&admin).json(&json!({"is_active": true})).send();
    assert_eq!(missing.json(), json!({"status": "not found", "data": {"sports": []}}));
    assert_eq!(server.patch("/api/sports/1").bearer(&user).json(&json!({"is_active": true})).send().status, 403);
    let listed = server.get("/api/sports?check_workouts=true").bearer(&admin).send().json();
    assert_eq!(listed["data"]["sports"][0]["has_workouts"], false);
    let not_admin = server.get("/api/sports?check_workouts=true").bearer(&user).send().json();
    assert!(not_admin["data"]["sports"][0].get("has_workouts").is_none());
}

#[test]
fn config_patch_messages() {
    let server = Server::start();
    let admin = server.user("cfg");
    server.make_admin("cfg");
    let patch = |body: Value| server.patch("/api/config").bearer(&admin).json(&body).send();
    assert_eq!(patch(json!({})).json()["message"], "invalid payload");
    let all = patch(json!({
        "file_sync_limit_import": 0, "file_limit_import": 0, "max_single_file_size": 0, "max_zip_file_size": 0,
        "global_map_workouts_limit": 0, "max_users": -1, "stats_workouts_limit": -1, "admin_contact": "nope"
    }));
    assert_eq!(all.status, 400);
    assert_eq!(
        all.json()["message"],
        json!([
            "max files in a zip archive processed synchronously must be greater than 0",
            "max files in a zip archive must be greater than 0",
            "max size of uploaded files must be greater than 0",
            "max size of zip archive must be greater than 0",
            "max number of workouts display on global map must be greater than 0",
            "max users must be greater than or equal to 0",
            "max number of workouts for statistics must be greater than or equal to 0",
            "valid email must be provided for admin contact",
        ])
    );
    assert_eq!(
        patch(json!({"max_users": 2_147_483_648_i64})).json(),
        json!({"status": "config_value_exceeding_limit", "key": "max_users", "max_value": 2_147_483_648_i64, "message": "'max_users' must be less than 2147483648"})
    );
    assert_eq!(
        patch(json!({"global_map_workouts_limit": 50_001})).json()["message"],
        "'global_map_workouts_limit' must be less than 50000"
    );
    assert_eq!(
        patch(json!({"max_zip_file_size": 100, "max_single_file_size": 200})).json()["message"],
        "max size of zip archive must be equal or greater than max size of uploaded files"
    );
    assert_eq!(
        patch(json!({"file_limit_import": 2, "file_sync_limit_import": 3})).json()["message"],
        "max files in a zip archive must be equal or greater than max files in a zip archive processed synchronously"
    );
    let ok = patch(
        json!({"about": "", "privacy_policy": "Be kind.", "admin_contact": "admin@example.org", "max_single_file_size": 2048}),
    );
    assert_eq!(ok.status, 200);
    let data = &ok.json()["data"];
    assert_eq!((data["about"].clone(), data["admin_contact"].clone()), (Value::Null, json!("admin@example.org")));
    assert!(data["privacy_policy_date"].as_str().unwrap().ends_with("GMT"));
    assert_eq!(server.get("/api/config").send().json()["data"]["max_single_file_size"], 2048);
}

#[test]
fn max_users_closes_registration_and_the_patch_needs_admin_and_application_write() {
    let server = Server::start();
    let admin = server.user("adm");
    server.make_admin("adm");
    let all = "application:write profile:read profile:write users:read users:write workouts:read workouts:write equipments:read equipments:write";
    let app = app_with(&server, &admin, all, &[CALLBACK]);
    for scope in all.split(' ').filter(|s| *s != "application:write") {
        let (access, _) = tokens(&server, &admin, &app, scope);
        let response = server.patch("/api/config").bearer(&access).json(&json!({"max_users": 2})).send();
        assert_eq!(
            response.json()["error_description"],
            "The request requires higher privileges than provided by the access token.",
            "{scope}"
        );
    }
    let (access, _) = tokens(&server, &admin, &app, "application:write");
    let response = server.patch("/api/config").bearer(&access).json(&json!({"max_users": 2})).send();
    assert_eq!(response.status, 200);
    assert_eq!(response.json()["data"]["is_registration_enabled"], true);
    server.register("second");
    assert_eq!(server.get("/api/config").send().json()["data"]["is_registration_enabled"], false);
    let closed = server
        .post("/api/auth/register")
        .json(&json!({"username": "third", "email": "third@example.org", "password": crate::support::PASSWORD, "accepted_policy": true}))
        .send();
    assert_eq!((closed.status, closed.json()["message"].clone()), (403, json!("error, registration is disabled")));
    let user = server.login("second");
    assert_eq!(server.patch("/api/config").bearer(&user).json(&json!({"max_users": 0})).send().status, 403);
}
