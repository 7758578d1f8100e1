//! The users family (§5.2): the directory, profiles as others see them,
//! administration, deletion; and privacy between users.

use serde_json::{Value, json};

use crate::oauth::{CALLBACK, app_with, tokens};
use crate::support::{Response, Server};

fn listed(response: &Response) -> Vec<String> {
    response.json()["data"]["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["username"].as_str().unwrap().to_string())
        .collect()
}

/// Registers users who show in the directory.
fn visible_users(server: &Server, names: &[&str]) -> Vec<String> {
    names
        .iter()
        .map(|name| {
            let token = server.user(name);
            let body = json!({"hide_profile_in_users_directory": false});
            assert_eq!(server.post("/api/auth/profile/edit/preferences").bearer(&token).json(&body).send().status, 200);
            token
        })
        .collect()
}

#[test]
fn the_directory_filters_sorts_and_pages() {
    let server = Server::start();
    let tokens = visible_users(&server, &["carl", "anna", "bert", "dora"]);
    server.register("hidden_one");
    let list = |query: &str| server.get(&format!("/api/users{query}")).bearer(&tokens[0]).send();
    assert_eq!(listed(&list("")), vec!["anna", "bert", "carl", "dora"], "new users are hidden by default");
    assert_eq!(listed(&list("?order=desc")), vec!["dora", "carl", "bert", "anna"]);
    assert_eq!(listed(&list("?q=R")), vec!["bert", "carl", "dora"]);
    assert_eq!(listed(&list("?q=_")), Vec::<String>::new(), "the query is literal, not a pattern");
    let page = list("?per_page=3&page=2");
    assert_eq!(listed(&page), vec!["dora"]);
    assert_eq!(
        page.json()["pagination"],
        json!({"has_next": false, "has_prev": true, "page": 2, "pages": 2, "total": 4})
    );
    assert_eq!(list("?per_page=500").json()["pagination"]["pages"], 1, "per_page is capped at 50");
    for (age, name) in ["carl", "anna", "bert", "dora"].iter().enumerate() {
        server
            .db()
            .execute("UPDATE users SET created_at = ?1 WHERE username = ?2", rusqlite::params![age as i64, name])
            .unwrap();
    }
    assert_eq!(listed(&list("?order_by=created_at")), vec!["carl", "anna", "bert", "dora"]);
    assert_eq!(listed(&list("?order_by=created_at&order=desc")), vec!["dora", "bert", "anna", "carl"]);
    let bad = list("?order_by=password");
    assert_eq!((bad.status, bad.json()["message"].clone()), (400, json!("invalid order_by")));
    let past = list("?page=9");
    assert_eq!((past.status, listed(&past).len()), (200, 0));
    // Admin-only flags.
    assert_eq!(listed(&list("?with_hidden=true")).len(), 4, "ignored for non-admins");
    server.make_admin("carl");
    assert_eq!(listed(&list("?with_hidden=true")).len(), 5);
    server.db().execute("UPDATE users SET is_active = 0 WHERE username = 'dora'", []).unwrap();
    assert_eq!(listed(&list("")).len(), 3);
    assert_eq!(listed(&list("?with_inactive=true")).len(), 4);
    let item = &list("").json()["data"]["users"][0];
    for key in [
        "created_at",
        "followers",
        "following",
        "nb_workouts",
        "picture",
        "role",
        "suspended_at",
        "username",
        "email",
        "is_active",
    ] {
        assert!(item.get(key).is_some(), "{key} (admins see email and is_active)");
    }
}

#[test]
fn other_users_see_the_profile_but_not_the_private_parts() {
    let server = Server::start();
    let tokens = visible_users(&server, &["priv", "peek"]);
    let edit = json!({"first_name": "P", "last_name": null, "bio": "hi", "birth_date": null, "location": "Oslo"});
    server.post("/api/auth/profile/edit").bearer(&tokens[0]).json(&edit).send();
    let seen = server.get("/api/users/PRIV").bearer(&tokens[1]).send();
    assert_eq!(seen.status, 200, "usernames are found in any case");
    let user = &seen.json()["data"]["users"][0];
    assert_eq!((user["username"].clone(), user["location"].clone()), (json!("priv"), json!("Oslo")));
    for private in
        ["email", "is_active", "timezone", "language", "imperial_units", "email_to_confirm", "workouts_visibility"]
    {
        assert!(user.get(private).is_none(), "{private} leaked");
    }
    assert_eq!(user["follows"], "false");
    let anonymous = server.get("/api/users/priv").send();
    assert_eq!(anonymous.status, 200);
    assert!(anonymous.json()["data"]["users"][0].get("location").is_none(), "anonymous viewers get the light object");
    let own = server.get("/api/users/priv").bearer(&tokens[0]).send().json()["data"]["users"][0].clone();
    assert_eq!(own["email"], "priv@example.org");
    let missing = server.get("/api/users/nobody").bearer(&tokens[1]).send();
    assert_eq!(
        (missing.status, missing.json()),
        (404, json!({"status": "not found", "message": "user does not exist"}))
    );
    server.db().execute("UPDATE users SET is_active = 0 WHERE username = 'priv'", []).unwrap();
    assert_eq!(server.get("/api/users/priv").bearer(&tokens[1]).send().status, 404, "inactive users are hidden");
}

#[test]
fn an_oauth_token_never_reads_or_changes_another_users_private_data() {
    let server = Server::start();
    let victim = server.user("vic");
    let attacker = server.user("mal");
    let scopes = "profile:read profile:write users:read users:write";
    let app = app_with(&server, &attacker, scopes, &[CALLBACK]);
    let (access, _) = tokens(&server, &attacker, &app, scopes);
    let profile = server.get("/api/auth/profile").bearer(&access).send().json();
    assert_eq!(profile["data"]["username"], "mal", "the profile is always the token's own");
    let patch = server.patch("/api/users/vic").bearer(&access).json(&json!({"new_email": "mal@evil.example"})).send();
    assert_eq!(patch.status, 403);
    let delete = server.delete("/api/users/vic").bearer(&access).send();
    assert_eq!(delete.status, 403);
    let seen = server.get("/api/users/vic").bearer(&access).send().json()["data"]["users"][0].clone();
    assert!(seen.get("email").is_none());
    assert_eq!(server.profile(&victim)["email"], "vic@example.org");
}

#[test]
fn administrators_change_roles_activation_email_and_passwords() {
    let server = Server::start();
    let admin = server.user("boss");
    server.make_admin("boss");
    let user = server.user("emp");
    let path = "/api/users/emp";
    let send = |body: Value| server.patch(path).bearer(&admin).json(&body).send();
    let cases = [
        (json!({}), 400, "invalid payload"),
        (json!({"role": "owner"}), 400, "'owner' can not be set via API, please user CLI instead"),
        (json!({"role": "king"}), 400, "invalid role"),
        (json!({"new_email": "bad"}), 400, "valid email must be provided"),
        (json!({"new_email": "EMP@example.org"}), 400, "new email must be different than current email"),
        (json!({"new_email": "boss@example.org"}), 400, "sorry, that email is already used"),
    ];
    for (body, status, message) in cases {
        let response = send(body.clone());
        assert_eq!((response.status, response.json()["message"].clone()), (status, json!(message)), "{body}");
    }
    let not_found = server.patch("/api/users/ghost").bearer(&admin).json(&json!({"role": "user"})).send();
    assert_eq!((not_found.status, not_found.json()["message"].clone()), (404, json!("user does not exist")));
    let self_deactivate = server.patch("/api/users/boss").bearer(&admin).json(&json!({"activate": false})).send();
    assert_eq!(self_deactivate.status, 403);
    server.db().execute("UPDATE users SET is_active = 0 WHERE username = 'emp'", []).unwrap();
    let promoted = send(json!({"role": "moderator"}));
    assert_eq!(promoted.status, 200);
    let data = &promoted.json()["data"]["users"][0];
    assert_eq!(
        (data["role"].clone(), data["is_active"].clone()),
        (json!("moderator"), json!(true)),
        "promotion activates"
    );
    assert_eq!(send(json!({"new_email": "emp2@example.org"})).json()["data"]["users"][0]["email"], "emp2@example.org");
    assert_eq!(send(json!({"activate": false})).json()["data"]["users"][0]["is_active"], false);
    assert_eq!(server.get("/api/auth/profile").bearer(&user).send().status, 401, "inactive users are refused");
    send(json!({"activate": true, "reset_password": true}));
    assert_eq!(server.get("/api/auth/profile").bearer(&user).send().status, 401, "a reset ends sessions");
    let old_password = server
        .post("/api/auth/login")
        .json(&json!({"email": "emp2@example.org", "password": crate::support::PASSWORD}))
        .send();
    assert_eq!(old_password.status, 401);
    // Owners are out of reach.
    let out = server.cli(&["users", "update", "emp", "--set-role", "owner"]);
    assert!(out.status.success());
    assert_eq!(send(json!({"role": "user"})).json()["message"], "user with owner rights can not be modified");
    // Non-admins are refused by the guard.
    let plain = server.user("peon");
    assert_eq!(server.patch(path).bearer(&plain).json(&json!({"role": "admin"})).send().status, 403);
}

#[test]
fn deletion_rules_and_everything_owned_goes_too() {
    let server = Server::start();
    let admin = server.user("head");
    server.make_admin("head");
    let user = server.user("leaver");
    let other = server.user("stayer");
    let app = app_with(&server, &user, "profile:read", &[CALLBACK]);
    tokens(&server, &other, &app, "profile:read");
    server.patch("/api/auth/profile/edit/sports").bearer(&user).json(&json!({"sport_id": 1, "color": "#000"})).send();

    let stranger = server.delete("/api/users/leaver").bearer(&other).send();
    assert_eq!((stranger.status, stranger.json()["message"].clone()), (403, json!("you do not have permissions")));
    let last_admin = server.delete("/api/users/head").bearer(&admin).send();
    assert_eq!(last_admin.json()["message"], "you can not delete your account, no other user has admin rights");
    let out = server.cli(&["users", "update", "stayer", "--set-role", "owner"]);
    assert!(out.status.success());
    let owner = server.delete("/api/users/stayer").bearer(&admin).send();
    assert_eq!((owner.status, owner.json()["message"].clone()), (403, json!("you can not delete owner account")));
    assert_eq!(server.delete("/api/users/ghost").bearer(&admin).send().status, 404);

    let gone = server.delete("/api/users/leaver").bearer(&user).send();
    assert_eq!((gone.status, gone.body.len()), (204, 0));
    let db = server.db();
    for (table, expected) in
        [("oauth_clients", 0), ("oauth_grants", 0), ("oauth_tokens", 0), ("sport_preferences", 0), ("users", 2)]
    {
        let count: i64 = db.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).unwrap();
        assert_eq!(count, expected, "{table}");
    }
    // An admin may delete others (not owners).
    server.register("temp");
    assert_eq!(server.delete("/api/users/temp").bearer(&admin).send().status, 204);
}
