//! The profile family (§5.1): edits, account, preferences, sport preferences.

use serde_json::{Value, json};

use crate::oauth::{CALLBACK, app_with, tokens};
use crate::support::browser::Browser;
use crate::support::{PASSWORD, Response, Server};

fn post(server: &Server, token: &str, path: &str, body: Value) -> Response {
    server.post(path).bearer(token).json(&body).send()
}

fn patch(server: &Server, token: &str, path: &str, body: Value) -> Response {
    server.patch(path).bearer(token).json(&body).send()
}

fn message(response: &Response) -> Value {
    response.json()["message"].clone()
}

#[test]
fn profile_edit_needs_all_five_keys_and_answers_the_full_profile() {
    let server = Server::start();
    let token = server.user("pro");
    let body =
        json!({"first_name": "Ada", "last_name": "L", "bio": "runs", "birth_date": "1990-05-17", "location": "Lyon"});
    let response = post(&server, &token, "/api/auth/profile/edit", body);
    assert_eq!(response.status, 200);
    let json = response.json();
    assert_eq!(json["message"], "user profile updated");
    assert_eq!(json["data"]["first_name"], "Ada");
    assert_eq!(json["data"]["birth_date"], "Thu, 17 May 1990 00:00:00 GMT");
    let cleared = post(
        &server,
        &token,
        "/api/auth/profile/edit",
        json!({"first_name": null, "last_name": "", "bio": null, "birth_date": null, "location": null}),
    );
    assert_eq!(cleared.json()["data"]["first_name"], Value::Null);
    for body in [json!({}), json!({"first_name": "x"}), json!([1])] {
        let response = post(&server, &token, "/api/auth/profile/edit", body);
        assert_eq!((response.status, message(&response)), (400, json!("invalid payload")));
    }
    let long = post(
        &server,
        &token,
        "/api/auth/profile/edit",
        json!({"first_name": "a".repeat(81), "last_name": null, "bio": "b".repeat(201), "birth_date": "17/05/1990", "location": "c".repeat(81)}),
    );
    assert_eq!(long.status, 400);
    assert_eq!(
        message(&long),
        "first_name: 80 characters maximum\nbio: 200 characters maximum\nlocation: 80 characters maximum\nbirth_date: a date in the format YYYY-MM-DD is required\n"
    );
}

#[test]
fn account_edit_messages() {
    let server = Server::start();
    let token = server.user("acc");
    server.register("other");
    let path = "/api/auth/profile/edit/account";
    let cases = [
        (json!({}), 400, "invalid payload"),
        (json!({"password": PASSWORD}), 400, "email is missing"),
        (json!({"email": "acc@example.org"}), 400, "current password is missing"),
        (json!({"email": "acc@example.org", "password": "wrong password"}), 401, "invalid credentials"),
        (json!({"email": "bad", "password": PASSWORD}), 400, "email: valid email must be provided\n"),
        (
            json!({"email": "acc@example.org", "password": PASSWORD, "new_password": "short"}),
            400,
            "password: 8 characters required\n",
        ),
        (
            json!({"email": "bad", "password": PASSWORD, "new_password": "short"}),
            400,
            "email: valid email must be provided\npassword: 8 characters required\n",
        ),
        (json!({"email": "other@example.org", "password": PASSWORD}), 400, "sorry, that email is already used"),
    ];
    for (body, status, expected) in cases {
        let response = patch(&server, &token, path, body.clone());
        assert_eq!((response.status, message(&response)), (status, json!(expected)), "{body}");
    }
    let changed = patch(&server, &token, path, json!({"email": "new@example.org", "password": PASSWORD}));
    assert_eq!((changed.status, message(&changed)), (200, json!("user account updated")));
    assert_eq!(changed.json()["data"]["email"], "new@example.org");
}

#[test]
fn a_new_password_ends_every_other_session_and_every_grant() {
    let server = Server::start();
    let token = server.user("pwd");
    let other_session = server.login("pwd");
    let app = app_with(&server, &token, "profile:read", &[CALLBACK]);
    let (access, refresh_token) = tokens(&server, &token, &app, "profile:read");
    let mut browser = Browser::new(&server);
    browser.sign_in("pwd");
    let body = json!({"email": "pwd@example.org", "password": PASSWORD, "new_password": "a brand new password"});
    assert_eq!(patch(&server, &token, "/api/auth/profile/edit/account", body).status, 200);
    assert_eq!(server.get("/api/auth/profile").bearer(&token).send().status, 200, "the current session stays");
    assert_eq!(server.get("/api/auth/profile").bearer(&other_session).send().status, 401);
    assert_eq!(server.get("/api/auth/profile").bearer(&access).send().status, 401);
    assert_eq!(crate::oauth::refresh(&server, &app, &refresh_token, &[]).status, 400);
    assert_eq!(browser.get("/profile").status, 303, "the browser session ended too");
    assert_eq!(
        server
            .post("/api/auth/login")
            .json(&json!({"email": "pwd@example.org", "password": "a brand new password"}))
            .send()
            .status,
        200
    );
}

#[test]
fn preferences_accept_a_subset_and_cascade_visibilities() {
    let server = Server::start();
    let token = server.user("pre");
    let path = "/api/auth/profile/edit/preferences";
    let response = post(
        &server,
        &token,
        path,
        json!({"imperial_units": true, "timezone": "Asia/Tokyo", "workouts_visibility": "private", "map_visibility": "public"}),
    );
    assert_eq!((response.status, message(&response)), (200, json!("user preferences updated")));
    let data = &response.json()["data"];
    assert_eq!((data["imperial_units"].clone(), data["timezone"].clone()), (json!(true), json!("Asia/Tokyo")));
    assert_eq!(data["map_visibility"], "private", "the map is never wider than the workout");
    let all = json!({
        "analysis_visibility": "public", "calories_visibility": "followers_only", "date_format": "dd/MM/yyyy",
        "display_ascent": false, "hide_profile_in_users_directory": false, "hr_visibility": "public",
        "imperial_units": false, "language": "fr", "manually_approves_followers": false, "map_visibility": "followers_only",
        "missing_elevations_processing": "file", "segments_creation_event": "all", "split_workout_charts": true,
        "start_elevation_at_zero": true, "timezone": "Europe/Berlin", "use_dark_mode": true, "use_raw_gpx_speed": true,
        "weekm": true, "workouts_visibility": "public"
    });
    let data = post(&server, &token, path, all.clone()).json()["data"].clone();
    for (key, value) in all.as_object().unwrap() {
        assert_eq!(&data[key], value, "{key}");
    }
    assert_eq!(message(&post(&server, &token, path, json!({}))), "invalid payload");
    assert_eq!(message(&post(&server, &token, path, json!({"unknown": true}))), "invalid payload");
    let bad = post(&server, &token, path, json!({"hr_visibility": "everyone"}));
    assert_eq!((bad.status, message(&bad)), (400, json!("invalid value for 'hr_visibility'")));
    let unknown_language = post(&server, &token, path, json!({"language": "tlh"}));
    assert_eq!(unknown_language.json()["data"]["language"], "en");
}

#[test]
fn sport_preferences_messages_and_answer() {
    let server = Server::start();
    let token = server.user("spo");
    let path = "/api/auth/profile/edit/sports";
    let cases = [
        (json!({}), 400, json!("invalid payload")),
        (json!({"color": "#000000"}), 400, json!("invalid payload")),
        (json!({"sport_id": 1}), 400, json!("invalid payload")),
        (json!({"sport_id": 999, "is_active": true}), 404, json!("sport does not exist")),
        (json!({"sport_id": 1, "color": "blue"}), 400, json!("invalid hexadecimal color")),
        (
            json!({"sport_id": 1, "stopped_speed_threshold": 0}),
            400,
            json!("'stopped_speed_threshold' must be an integer greater then 0"),
        ),
        (
            json!({"sport_id": 1, "pace_speed_display": "pace"}),
            400,
            json!("invalid pace_speed_display for sport 'Cycling (Sport)', only speed can be displayed."),
        ),
        (
            json!({"sport_id": 1, "default_equipment_ids": "abc"}),
            400,
            json!("equipment_ids must be an array of strings"),
        ),
    ];
    for (body, status, expected) in cases {
        let response = patch(&server, &token, path, body.clone());
        assert_eq!((response.status, message(&response)), (status, expected), "{body}");
    }
    let unknown_equipment = patch(&server, &token, path, json!({"sport_id": 1, "default_equipment_ids": ["nope"]}));
    assert_eq!(
        unknown_equipment.json(),
        json!({"status": "not_found", "equipment_id": "nope", "message": "equipment with id nope does not exist"})
    );
    let response = patch(
        &server,
        &token,
        path,
        json!({"sport_id": 5, "color": "#FF0000", "is_active": false, "stopped_speed_threshold": 2.5, "pace_speed_display": "pace_and_speed"}),
    );
    assert_eq!(response.status, 200, "{}", response.text());
    assert_eq!(
        response.json(),
        json!({"status": "success", "message": "user sport preferences updated", "data": {
            "user_id": 1, "sport_id": 5, "color": "#FF0000", "is_active": false,
            "pace_speed_display": "pace_and_speed", "stopped_speed_threshold": 2.5, "default_equipments": []
        }})
    );
    // POST is still accepted (deprecated upstream).
    assert_eq!(post(&server, &token, path, json!({"sport_id": 5, "is_active": true})).status, 200);
    let running = server.get("/api/sports/5").bearer(&token).send().json()["data"]["sports"][0].clone();
    assert_eq!(
        (running["is_active_for_user"].clone(), running["stopped_speed_threshold"].clone()),
        (json!(true), json!(2.5))
    );
    let reset = server.delete("/api/auth/profile/reset/sports/5").bearer(&token).send();
    assert_eq!(reset.status, 204);
    let running = server.get("/api/sports/5").bearer(&token).send().json()["data"]["sports"][0].clone();
    assert_eq!((running["color"].clone(), running["stopped_speed_threshold"].clone()), (Value::Null, json!(1.0)));
    assert_eq!(
        server.delete("/api/auth/profile/reset/sports/5").bearer(&token).send().status,
        204,
        "no preferences: still 204"
    );
    let unknown = server.delete("/api/auth/profile/reset/sports/99").bearer(&token).send();
    assert_eq!((unknown.status, message(&unknown)), (404, json!("sport does not exist")));
}

#[test]
fn the_profile_page_edits_through_the_same_rules() {
    let server = Server::start();
    let token = server.user("web");
    let mut browser = Browser::new(&server);
    browser.sign_in("web");
    let page = browser.get("/profile");
    assert!(page.text().contains("Edit your profile"));
    let fields = [
        ("first_name", "Web"),
        ("last_name", "User"),
        ("location", "Nantes"),
        ("birth_date", "2000-01-02"),
        ("bio", "hello"),
    ];
    let saved = browser.post("/profile", &page, &fields);
    assert_eq!((saved.status, saved.header("Location")), (303, Some("/profile?done=saved")));
    let preferences = browser.get("/profile/preferences");
    let chosen = [
        ("timezone", "America/Chicago"),
        ("language", "de"),
        ("imperial_units", "true"),
        ("date_format", "dd/MM/yyyy"),
        ("weekm", "true"),
    ];
    let saved = browser.post("/profile/preferences", &preferences, &chosen);
    assert_eq!((saved.status, saved.header("Location")), (303, Some("/profile/preferences?done=saved")));
    let refused = browser.post("/profile/preferences", &preferences, &[("timezone", "Mars/Olympus")]);
    assert_eq!(refused.status, 400);
    assert!(refused.text().contains("timezone: choose one of the values offered."), "{}", refused.text());
    let profile = server.profile(&token);
    assert_eq!(profile["location"], "Nantes");
    assert_eq!((profile["date_format"].clone(), profile["weekm"].clone()), (json!("dd/MM/yyyy"), json!(true)));
    assert_eq!(profile["timezone"], "America/Chicago");
    assert_eq!(profile["language"], "de");
    assert_eq!(profile["imperial_units"], true);
    let mut bad = fields.to_vec();
    bad[0] = ("first_name", "x");
    bad[3] = ("birth_date", "tomorrow");
    let refused = browser.post("/profile", &page, &bad);
    assert_eq!(refused.status, 400);
    assert!(refused.text().contains("birth_date: a date in the format YYYY-MM-DD is required"));
    assert_eq!(server.profile(&token)["first_name"], "Web", "nothing was written");
}

#[test]
fn accepted_privacy_policy_follows_the_current_policy() {
    let server = Server::start();
    let token = server.user("pol");
    server.make_admin("pol");
    assert_eq!(server.profile(&token)["accepted_privacy_policy"], true);
    // A policy published after the user accepted: not accepted any more.
    server.db().execute("UPDATE users SET accepted_policy_at = accepted_policy_at - 10", []).unwrap();
    let published = server.patch("/api/config").bearer(&token).json(&json!({"privacy_policy": "New terms."})).send();
    assert_eq!(published.status, 200);
    assert_eq!(server.profile(&token)["accepted_privacy_policy"], false);
    let out = server.cli(&["users", "create", "clier", "--email", "clier@example.org", "--password", PASSWORD]);
    assert!(out.status.success());
    let cli_user = server.login("clier");
    assert_eq!(server.profile(&cli_user)["accepted_privacy_policy"], Value::Null, "never accepted");
}
