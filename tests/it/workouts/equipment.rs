//! Equipment types and equipment (§5.7).

use serde_json::{Value, json};

use super::*;
use crate::support::{Response, Server};

fn create(server: &Server, token: &str, body: Value) -> Response {
    server.post("/api/equipments").bearer(token).json(&body).send()
}

fn created_id(response: &Response) -> String {
    assert_eq!(response.status, 201, "{}", response.text());
    response.json()["data"]["equipments"][0]["id"].as_str().unwrap().to_string()
}

#[test]
fn equipment_types_and_their_activation() {
    let server = Server::start();
    let admin = server.user("eqadmin");
    server.make_admin("eqadmin");
    let user = server.user("equser");
    let types = server.get("/api/equipment-types").bearer(&user).send().json();
    let labels: Vec<&str> =
        types["data"]["equipment_types"].as_array().unwrap().iter().map(|t| t["label"].as_str().unwrap()).collect();
    assert_eq!(
        labels,
        [
            "Shoes",
            "Bike",
            "Bike Trainer",
            "Kayak_Boat",
            "Skis",
            "Snowshoes",
            "Board",
            "Racket",
            "Paddle",
            "Misc",
            "Skates"
        ]
    );
    assert!(types["data"]["equipment_types"][0].get("has_equipments").is_none());
    let patched = server.patch("/api/equipment-types/2").bearer(&admin).json(&json!({"is_active": false})).send();
    assert_eq!(patched.json()["data"]["equipment_types"][0]["is_active"], false);
    assert_eq!(
        server.get("/api/equipment-types").bearer(&user).send().json()["data"]["equipment_types"]
            .as_array()
            .unwrap()
            .len(),
        10
    );
    let hidden = server.get("/api/equipment-types/2").bearer(&user).send();
    assert_eq!((hidden.status, hidden.json()), (404, json!({"status": "not found", "data": {"equipment_types": []}})));
    let admin_view = server.get("/api/equipment-types/2").bearer(&admin).send().json();
    assert_eq!(admin_view["data"]["equipment_types"][0]["has_equipments"], false);
    let inactive = create(&server, &user, json!({"label": "Bike", "equipment_type_id": 2}));
    assert_eq!(inactive.json()["message"], "equipment type is inactive");
    assert_eq!(
        server.patch("/api/equipment-types/2").bearer(&admin).json(&json!({})).send().json()["message"],
        "invalid payload"
    );
    assert_eq!(
        server.patch("/api/equipment-types/2").bearer(&user).json(&json!({"is_active": true})).send().status,
        403
    );
}

#[test]
fn creation_messages() {
    let server = Server::start();
    let token = server.user("eqcreate");
    let ok = create(
        &server,
        &token,
        json!({"label": "Trail shoes", "equipment_type_id": 1, "description": "blue", "default_for_sport_ids": [5, 8], "visibility": "public"}),
    );
    let id = created_id(&ok);
    let e = &ok.json()["data"]["equipments"][0];
    assert_eq!(e["equipment_type"], json!({"id": 1, "label": "Shoes", "is_active": true}));
    assert_eq!((e["default_for_sport_ids"].clone(), e["visibility"].clone()), (json!([5, 8]), json!("public")));
    assert_eq!((e["workouts_count"].as_i64(), e["total_distance"].as_f64()), (Some(0), Some(0.0)));
    assert!(id.len() == 22);
    let cases = [
        (
            json!({"label": "x"}),
            json!({"status": "error", "message": "the 'label' and 'equipment_type_id' parameters must be provided"}),
        ),
        (
            json!({"label": "a".repeat(51), "equipment_type_id": 1}),
            json!({"status": "error", "message": "label exceeds 50 characters"}),
        ),
        (
            json!({"label": "Trail shoes", "equipment_type_id": 1}),
            json!({"status": "error", "message": "equipment already exists with the same label"}),
        ),
        (
            json!({"label": "y", "equipment_type_id": 99}),
            json!({"status": "error", "message": "invalid equipment type id"}),
        ),
        (
            json!({"label": "y", "equipment_type_id": 1, "default_for_sport_ids": [99]}),
            json!({"status": "error", "message": "sport (id 99) does not exist"}),
        ),
        (
            json!({"label": "y", "equipment_type_id": 8, "default_for_sport_ids": [5]}),
            json!({"status": "error", "message": "invalid sport 'Running' for equipment type 'Racket'"}),
        ),
        (
            json!({"label": "y", "equipment_type_id": 1, "visibility": "everyone"}),
            json!({"status": "error", "message": "invalid visibility"}),
        ),
    ];
    for (body, expected) in cases {
        let response = create(&server, &token, body.clone());
        assert_eq!((response.status, response.json()), (400, expected), "{body}");
    }
    for i in 0..5 {
        created_id(&create(
            &server,
            &token,
            json!({"label": format!("misc {i}"), "equipment_type_id": 10, "default_for_sport_ids": [5]}),
        ));
    }
    let sixth =
        create(&server, &token, json!({"label": "misc 5", "equipment_type_id": 10, "default_for_sport_ids": [5]}));
    assert_eq!(
        sixth.json(),
        json!({"status": "limit_exceeded", "sport_ids": [5], "message": "a maximum of 5 pieces of Misc equipment can be added"})
    );
    // A new default of the same type replaces the previous one for that sport.
    let new_shoes = created_id(&create(
        &server,
        &token,
        json!({"label": "Road shoes", "equipment_type_id": 1, "default_for_sport_ids": [5]}),
    ));
    let old = server.get(&format!("/api/equipments/{id}")).bearer(&token).send().json();
    assert_eq!(old["data"]["equipments"][0]["default_for_sport_ids"], json!([8]));
    let running = server.get("/api/sports/5").bearer(&token).send().json();
    let defaults: Vec<&str> = running["data"]["sports"][0]["default_equipments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert!(defaults.contains(&new_shoes.as_str()) && !defaults.contains(&id.as_str()));
}

#[test]
fn workouts_link_equipment_and_totals_follow() {
    let server = Server::start();
    let token = server.user("eqtotals");
    let shoes = created_id(&create(
        &server,
        &token,
        json!({"label": "Shoes", "equipment_type_id": 1, "default_for_sport_ids": [5]}),
    ));
    let bike = created_id(&create(&server, &token, json!({"label": "Bike", "equipment_type_id": 2})));
    // Default equipment when the upload names none.
    let w = upload_run(&server, &token, START, 5);
    assert_eq!(w["equipments"][0]["id"], shoes);
    let totals = |id: &str| {
        server.get(&format!("/api/equipments/{id}")).bearer(&token).send().json()["data"]["equipments"][0].clone()
    };
    assert_eq!(totals(&shoes)["workouts_count"], 1);
    let km = w["distance"].as_f64().unwrap();
    assert_eq!(totals(&shoes)["total_distance"], json!(km));
    // Explicitly none.
    let none = manual(
        &server,
        &token,
        json!({"sport_id": 5, "workout_date": "2024-01-10 07:00", "duration": 3600, "distance": 10.0, "equipment_ids": []}),
    );
    assert_eq!(none.json()["data"]["workouts"][0]["equipments"], json!([]));
    let run = manual(
        &server,
        &token,
        json!({"sport_id": 5, "workout_date": "2024-01-11 07:00", "duration": 3600, "distance": 10.0, "equipment_ids": [shoes]}),
    );
    let run_id = run.json()["data"]["workouts"][0]["id"].as_str().unwrap().to_string();
    assert_eq!(totals(&shoes)["workouts_count"], 2);
    assert_eq!(totals(&shoes)["total_duration"], "1:09:55", "595 s of the upload and the hour of the run");
    // Unlink through a change.
    server.patch(&format!("/api/workouts/{run_id}")).bearer(&token).json(&json!({"equipment_ids": []})).send();
    assert_eq!(totals(&shoes)["workouts_count"], 1);
    // Refusals when attaching.
    let attach = |ids: Value| {
        manual(
            &server,
            &token,
            json!({"sport_id": 5, "workout_date": "2024-01-12 07:00", "duration": 60, "distance": 1.0, "equipment_ids": ids}),
        )
    };
    assert_eq!(attach(json!("abc")).json()["message"], "equipment_ids must be an array of strings");
    assert_eq!(
        attach(json!(["nope"])).json(),
        json!({"status": "not_found", "equipment_id": "nope", "message": "equipment with id nope does not exist"})
    );
    assert_eq!(attach(json!([bike])).json()["status"], "invalid", "a bike for a run");
    let second_shoes = created_id(&create(&server, &token, json!({"label": "Other shoes", "equipment_type_id": 1})));
    assert_eq!(
        attach(json!([shoes, second_shoes])).json()["message"],
        "only one piece of equipment per type can be provided"
    );
    server.patch(&format!("/api/equipments/{second_shoes}")).bearer(&token).json(&json!({"is_active": false})).send();
    assert_eq!(attach(json!([second_shoes])).json()["status"], "inactive");
    // Delete: refused while used, unless forced.
    let refused = server.delete(&format!("/api/equipments/{shoes}")).bearer(&token).send();
    assert_eq!(refused.status, 403);
    assert_eq!(
        refused.json()["message"],
        format!(
            "Cannot delete equipment that has associated workouts. Equipment id {shoes} has 1 associated workout. (Provide argument 'force' as a query parameter to override this check)"
        )
    );
    assert_eq!(server.delete(&format!("/api/equipments/{shoes}?force")).bearer(&token).send().status, 204);
    let w = server.get(&format!("/api/workouts/{}", w["id"].as_str().unwrap())).bearer(&token).send().json();
    assert_eq!(w["data"]["workouts"][0]["equipments"], json!([]));
}

#[test]
fn updates_refresh_and_privacy() {
    let server = Server::start();
    let token = server.user("equp");
    let other = server.user("eqother");
    let id = created_id(&create(&server, &token, json!({"label": "Skis", "equipment_type_id": 5})));
    let patch = |body: Value| server.patch(&format!("/api/equipments/{id}")).bearer(&token).json(&body).send();
    assert_eq!(patch(json!({})).json()["message"], "no request data was supplied");
    assert_eq!(patch(json!({"color": "red"})).json()["message"], "no valid parameters supplied");
    let renamed = patch(json!({"label": "Race skis", "description": "waxed"}));
    assert_eq!(renamed.status, 200);
    assert_eq!(renamed.json()["data"]["equipments"][0]["label"], "Race skis");
    let refreshed = server.post(&format!("/api/equipments/{id}/refresh")).bearer(&token).send();
    assert_eq!(refreshed.json()["data"]["equipments"][0]["workouts_count"], 0);
    let not_found = json!({"status": "not found", "data": {"equipments": []}});
    for response in [
        server.get(&format!("/api/equipments/{id}")).bearer(&other).send(),
        server.patch(&format!("/api/equipments/{id}")).bearer(&other).json(&json!({"label": "mine"})).send(),
        server.delete(&format!("/api/equipments/{id}")).bearer(&other).send(),
    ] {
        assert_eq!((response.status, response.json()), (404, not_found.clone()));
    }
    assert_eq!(server.get("/api/equipments").bearer(&other).send().json()["data"]["equipments"], json!([]));
    let mine = server.get("/api/equipments?equipment_type_id=5").bearer(&token).send().json();
    assert_eq!(mine["data"]["equipments"].as_array().unwrap().len(), 1);
    assert_eq!(
        server.get("/api/equipments?equipment_type_id=1").bearer(&token).send().json()["data"]["equipments"],
        json!([])
    );
}

#[test]
fn sport_preferences_take_default_equipment() {
    let server = Server::start();
    let token = server.user("eqpref");
    let shoes = created_id(&create(&server, &token, json!({"label": "Shoes", "equipment_type_id": 1})));
    let response = server
        .patch("/api/auth/profile/edit/sports")
        .bearer(&token)
        .json(&json!({"sport_id": 5, "default_equipment_ids": [shoes]}))
        .send();
    assert_eq!(response.status, 200, "{}", response.text());
    assert_eq!(response.json()["data"]["default_equipments"][0]["id"], shoes);
    let w = manual(
        &server,
        &token,
        json!({"sport_id": 5, "workout_date": "2024-01-10 07:00", "duration": 60, "distance": 1.0}),
    );
    assert_eq!(w.json()["data"]["workouts"][0]["equipments"][0]["id"], shoes);
    let cleared = server
        .patch("/api/auth/profile/edit/sports")
        .bearer(&token)
        .json(&json!({"sport_id": 5, "default_equipment_ids": []}))
        .send();
    assert_eq!(cleared.json()["data"]["default_equipments"], json!([]));
}
