//! First-party accounts over HTTP: register, login, logout, profile.

use serde_json::{Value, json};

use crate::support::{PASSWORD, Server};

fn register(server: &Server, body: Value) -> crate::support::Response {
    server.post("/api/auth/register").json(&body).send()
}

fn valid(username: &str) -> Value {
    json!({
        "username": username,
        "email": format!("{username}@example.org"),
        "password": PASSWORD,
        "accepted_policy": true,
    })
}

#[test]
fn register_creates_an_active_account_that_can_log_in() {
    let server = Server::start();
    let response = register(&server, valid("alice"));
    assert_eq!((response.status, response.json()), (200, json!({"status": "success"})));
    let token = server.login("alice");
    let profile = server.profile(&token);
    assert_eq!(profile["username"], "alice");
    assert_eq!(profile["is_active"], true);
    assert_eq!(profile["email"], "alice@example.org");
}

#[test]
fn register_validation_messages_match_fittrackee() {
    let server = Server::start();
    let cases = [
        (json!({}), "invalid payload"),
        (json!({"username": "bob", "email": "bob@example.org", "password": PASSWORD}), "invalid payload"),
        (
            json!({"username": "bob", "email": "bob@example.org", "password": PASSWORD, "accepted_policy": null}),
            "invalid payload",
        ),
        (
            json!({"username": "bob", "email": "bob@example.org", "password": PASSWORD, "accepted_policy": false}),
            "sorry, you must agree privacy policy to register",
        ),
        (
            json!({"username": "bob", "email": "bob@example.org", "password": PASSWORD, "accepted_policy": "true"}),
            "sorry, you must agree privacy policy to register",
        ),
        (
            json!({"username": "bo", "email": "bob@example.org", "password": PASSWORD, "accepted_policy": true}),
            "username: 3 to 30 characters required\n",
        ),
        (
            json!({"username": "bob!", "email": "bob@example.org", "password": PASSWORD, "accepted_policy": true}),
            "username: only alphanumeric characters and the underscore character \"_\" allowed\n",
        ),
        (
            json!({"username": "bob", "email": "bob.example.org", "password": PASSWORD, "accepted_policy": true}),
            "email: valid email must be provided\n",
        ),
        (
            json!({"username": "bob", "email": "bob@example.org", "password": "short", "accepted_policy": true}),
            "password: 8 characters required\n",
        ),
        (
            json!({"username": "b", "email": "nope", "password": "short", "accepted_policy": true}),
            "username: 3 to 30 characters required\nemail: valid email must be provided\npassword: 8 characters required\n",
        ),
    ];
    for (body, message) in cases {
        let response = register(&server, body.clone());
        assert_eq!(response.status, 400, "{body}");
        assert_eq!(response.json(), json!({"status": "error", "message": message}), "{body}");
    }
    let response = server.post("/api/auth/register").body(b"{not json".to_vec()).send();
    assert_eq!((response.status, response.json()["message"].clone()), (400, json!("invalid payload")));
    let count: i64 = server.db().query_row("SELECT count(*) FROM users", [], |r| r.get(0)).unwrap();
    assert_eq!(count, 0, "nothing was created by invalid registrations");
}

#[test]
fn taken_username_is_refused_and_taken_email_answers_like_success() {
    let server = Server::start();
    server.register("carol");
    let response = register(
        &server,
        json!({"username": "CAROL", "email": "other@example.org", "password": PASSWORD, "accepted_policy": true}),
    );
    assert_eq!(response.json(), json!({"status": "error", "message": "sorry, that username is already taken"}));
    let response = register(
        &server,
        json!({"username": "carol2", "email": "Carol@Example.org", "password": "another password", "accepted_policy": true}),
    );
    assert_eq!((response.status, response.json()), (200, json!({"status": "success"})));
    let count: i64 = server.db().query_row("SELECT count(*) FROM users", [], |r| r.get(0)).unwrap();
    assert_eq!(count, 1, "no second account with the same email");
}

#[test]
fn registration_closes_when_max_users_is_reached() {
    let server = Server::start();
    server.register("first");
    server.db().execute("UPDATE app_config SET max_users = 1", []).unwrap();
    let response = register(&server, valid("second"));
    assert_eq!(
        (response.status, response.json()),
        (403, json!({"status": "error", "message": "error, registration is disabled"}))
    );
    assert_eq!(server.get("/api/config").send().json()["data"]["is_registration_enabled"], false);
}

#[test]
fn login_answers_a_jwt_and_only_string_values() {
    let server = Server::start();
    server.register("dave");
    let response =
        server.post("/api/auth/login").json(&json!({"email": "DAVE@example.org", "password": PASSWORD})).send();
    assert_eq!(response.status, 200);
    let body = response.json();
    let object = body.as_object().unwrap();
    assert!(object.values().all(Value::is_string), "{body}");
    assert_eq!(body["status"], "success");
    assert_eq!(body["message"], "successfully logged in");
    let token = body["auth_token"].as_str().unwrap();
    let payload = token.split('.').nth(1).unwrap();
    let claims: Value = serde_json::from_slice(&base64url(payload)).unwrap();
    assert_eq!(claims["sub"], "1");
    let (iat, exp) = (claims["iat"].as_i64().unwrap(), claims["exp"].as_i64().unwrap());
    assert_eq!(exp - iat, 30 * 86_400);
}

fn base64url(text: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(text).unwrap()
}

#[test]
fn login_failures() {
    let server = Server::start();
    server.register("erin");
    let wrong = json!({"email": "erin@example.org", "password": "wrong password"});
    let unknown = json!({"email": "nobody@example.org", "password": PASSWORD});
    for body in [wrong, unknown] {
        let response = server.post("/api/auth/login").json(&body).send();
        assert_eq!(
            (response.status, response.json()),
            (401, json!({"status": "error", "message": "invalid credentials"}))
        );
    }
    for body in [json!({}), json!({"email": "erin@example.org"}), json!({"email": 1, "password": 2})] {
        let response = server.post("/api/auth/login").json(&body).send();
        assert_eq!((response.status, response.json()["message"].clone()), (400, json!("invalid payload")), "{body}");
    }
    let empty = server.post("/api/auth/login").send();
    assert_eq!(empty.status, 400);
}

#[test]
fn logout_with_an_empty_body_ends_that_token_only() {
    let server = Server::start();
    server.register("frank");
    let (first, second) = (server.login("frank"), server.login("frank"));
    // No body and no Content-Type, as real clients send it.
    let response = server.post("/api/auth/logout").bearer(&first).send();
    assert_eq!(
        (response.status, response.json()),
        (200, json!({"status": "success", "message": "successfully logged out"}))
    );
    assert_eq!(server.get("/api/auth/profile").bearer(&first).send().status, 401);
    assert_eq!(server.get("/api/auth/profile").bearer(&second).send().status, 200);
    let again = server.post("/api/auth/logout").bearer(&first).send();
    assert_eq!((again.status, again.json()["message"].clone()), (401, json!("provide a valid auth token")));
}

#[test]
fn profile_needs_a_valid_bearer_token() {
    let server = Server::start();
    let token = server.user("gina");
    let none = server.get("/api/auth/profile").send();
    assert_eq!((none.status, none.json()), (401, json!({"status": "error", "message": "provide a valid auth token"})));
    assert_eq!(none.header("WWW-Authenticate"), Some("Bearer realm=\"fittrackee\""));
    // The scheme is case-insensitive.
    let lower = server.get("/api/auth/profile").header("Authorization", &format!("bearer {token}")).send();
    assert_eq!(lower.status, 200);
    // A token in the query string is ignored.
    let query = server.get(&format!("/api/auth/profile?access_token={token}")).send();
    assert_eq!(query.status, 401);
    for header in ["Bearer", "Bearer ", "Basic abc", "Token", &format!("Basic {token}")] {
        let response = server.get("/api/auth/profile").header("Authorization", header).send();
        assert_eq!(response.status, 401, "{header:?}");
        assert_eq!(response.json()["error"], "unsupported_token_type", "{header:?}");
    }
    let garbage = server.get("/api/auth/profile").bearer("not.a.jwt").send();
    assert_eq!((garbage.status, garbage.json()["error"].clone()), (401, json!("invalid_token")));
    assert!(garbage.header("WWW-Authenticate").unwrap().contains("error=\"invalid_token\""));
    let tampered = format!("{}x", token);
    assert_eq!(server.get("/api/auth/profile").bearer(&tampered).send().status, 401);
}

#[test]
fn profile_has_every_field_clients_read() {
    let server = Server::start();
    let token = server.user("hank");
    let profile = server.profile(&token);
    for key in [
        "username",
        "email",
        "timezone",
        "language",
        "role",
        "created_at",
        "nb_workouts",
        "records",
        "sports_list",
        "total_distance",
        "total_duration",
        "weekm",
        "imperial_units",
        "date_format",
        "followers",
        "following",
        "picture",
        "suspended_at",
        "workouts_visibility",
    ] {
        assert!(profile.get(key).is_some(), "missing {key}: {profile}");
    }
    assert_eq!(profile["timezone"], "Europe/Paris");
    assert_eq!(profile["role"], "user");
    assert!(profile["created_at"].as_str().unwrap().ends_with(" GMT"));
}

#[test]
fn register_keeps_a_known_language_and_time_zone() {
    let server = Server::start();
    let mut body = valid("ivy");
    body["language"] = json!("fr");
    body["timezone"] = json!("America/New_York");
    assert_eq!(register(&server, body).status, 200);
    let profile = server.profile(&server.login("ivy"));
    assert_eq!((profile["language"].clone(), profile["timezone"].clone()), (json!("fr"), json!("America/New_York")));
    let mut body = valid("jack");
    body["language"] = json!("xx");
    body["timezone"] = json!("Mars/Olympus");
    assert_eq!(register(&server, body).status, 200);
    let profile = server.profile(&server.login("jack"));
    assert_eq!((profile["language"].clone(), profile["timezone"].clone()), (json!("en"), json!("Europe/Paris")));
}

#[test]
fn config_and_timezones_are_public() {
    let server = Server::start();
    let config = server.get("/api/config").send();
    assert_eq!(config.status, 200);
    let data = &config.json()["data"];
    assert_eq!(data["version"], "1.2.2");
    assert_eq!(data["server_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(data["max_single_file_size"], 1_048_576);
    assert_eq!(data["is_registration_enabled"], true);
    let zones = server.get("/api/auth/timezones").send().json();
    assert_eq!(zones["status"], "success");
    assert!(zones["timezones"].as_array().unwrap().contains(&json!("Europe/Paris")));
}

#[test]
fn a_logged_out_token_stays_dead_when_new_sessions_are_opened() {
    let server = Server::start();
    server.register("zed");
    let old = server.login("zed");
    assert_eq!(server.post("/api/auth/logout").bearer(&old).send().status, 200);
    // The next session must not inherit the ended one's identity.
    let new = server.login("zed");
    assert_eq!(server.get("/api/auth/profile").bearer(&new).send().status, 200);
    assert_eq!(server.get("/api/auth/profile").bearer(&old).send().status, 401);
}
