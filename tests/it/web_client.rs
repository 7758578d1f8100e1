//! What FitTrackee's own web client calls besides workouts: the privacy
//! policy, the features this server does not have (answered as FitTrackee
//! answers a user who has none of them, never with a 404 for the route),
//! the admin's task queue and the health checks.

use serde_json::{Value, json};

use crate::support::{Response, Server};
use crate::workouts::{START, upload_run};

fn get(server: &Server, token: &str, path: &str) -> Value {
    let response = server.get(path).bearer(token).send();
    assert_eq!(response.status, 200, "{path}: {}", response.text());
    response.json()
}

fn empty_pagination() -> Value {
    json!({ "has_next": false, "has_prev": false, "page": 1, "pages": 0, "total": 0 })
}

fn refused(response: Response, status: u16, message: &str) {
    assert_eq!((response.status, response.json()["message"].clone()), (status, json!(message)), "{}", response.text());
}

#[test]
fn a_user_created_on_the_command_line_accepts_the_privacy_policy() {
    let server = Server::start();
    let out = server.cli(&["users", "create", "cli", "--email", "cli@example.org", "--password", "a long passphrase"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let token = server.login_with("cli@example.org", "a long passphrase");
    assert_eq!(server.profile(&token)["accepted_privacy_policy"], Value::Null, "never accepted (FitTrackee's null)");
    let path = "/api/auth/account/privacy-policy";
    for wrong in [json!({}), json!({ "accepted_policy": false }), json!({ "accepted_policy": "true" })] {
        refused(server.post(path).bearer(&token).json(&wrong).send(), 400, "invalid payload");
    }
    assert_eq!(server.profile(&token)["accepted_privacy_policy"], Value::Null);
    let accepted = server.post(path).bearer(&token).json(&json!({ "accepted_policy": true })).send();
    assert_eq!((accepted.status, accepted.json()), (200, json!({ "status": "success" })));
    assert_eq!(server.profile(&token)["accepted_privacy_policy"], true);
}

#[test]
fn what_the_client_reads_of_features_not_built_here_is_empty() {
    let server = Server::start();
    let token = server.user("reader");
    server.register("friend");
    assert_eq!(get(&server, &token, "/api/notifications/unread"), json!({ "status": "success", "unread": false }));
    let notifications = get(&server, &token, "/api/notifications?page=1&status=unread");
    assert_eq!(notifications, json!({ "status": "success", "notifications": [], "pagination": empty_pagination() }));
    let types = get(&server, &token, "/api/notifications/types");
    assert_eq!(types, json!({ "status": "success", "notification_types": [] }));
    let requests = get(&server, &token, "/api/follow-requests");
    assert_eq!(requests["data"], json!({ "follow_requests": [] }));
    assert_eq!(requests["pagination"], empty_pagination());
    for relation in ["followers", "following"] {
        let page = get(&server, &token, &format!("/api/users/friend/{relation}?page=2"));
        assert_eq!(page["data"], json!({ relation: [] }));
        assert_eq!(page["pagination"]["page"], 2);
        assert_eq!(page["pagination"]["has_prev"], true, "FitTrackee's paginate of an empty page 2");
        refused(server.get(&format!("/api/users/nobody/{relation}")).bearer(&token).send(), 404, "user does not exist");
    }
    let blocked = get(&server, &token, "/api/auth/blocked-users");
    assert_eq!(blocked, json!({ "status": "success", "blocked_users": [], "pagination": empty_pagination() }));
    let sanctions = get(&server, &token, "/api/users/reader/sanctions");
    assert_eq!(sanctions["data"], json!({ "sanctions": [] }));
    refused(server.get("/api/users/friend/sanctions").bearer(&token).send(), 403, "you do not have permissions");
    refused(server.get("/api/auth/account/suspension").bearer(&token).send(), 404, "user account is not suspended");
    assert_eq!(get(&server, &token, "/api/geocode/search?city=Lyon"), json!({ "status": "success", "locations": [] }));
    assert_eq!(get(&server, &token, "/api/auth/account/export"), json!({ "status": "success", "request": null }));

    let workout = upload_run(&server, &token, START, 1);
    let id = workout["id"].as_str().unwrap();
    assert_eq!(
        get(&server, &token, &format!("/api/workouts/{id}/comments")),
        json!({ "status": "success", "data": { "comments": [] } })
    );
    let likes = get(&server, &token, &format!("/api/workouts/{id}/likes"));
    assert_eq!((likes["data"].clone(), likes["pagination"].clone()), (json!({ "likes": [] }), empty_pagination()));
    refused(server.get("/api/workouts/nope/comments").bearer(&token).send(), 404, "workout not found (id: nope)");
    refused(server.get("/api/comments/abc").bearer(&token).send(), 404, "workout comment not found (id: abc)");
    assert_eq!(workout["likes_count"], 0);
}

#[test]
fn what_the_client_writes_to_features_not_built_here_is_refused_clearly() {
    let server = Server::start();
    let token = server.user("writer");
    server.register("target");
    let workout = upload_run(&server, &token, START, 1);
    let id = workout["id"].as_str().unwrap();
    let comment = json!({ "text": "nice", "text_visibility": "public" });
    let cases: Vec<(&str, String, Value, u16, &str)> = vec![
        (
            "POST",
            "/api/users/target/follow".into(),
            json!({}),
            400,
            "followers and blocked users are not available on this server",
        ),
        (
            "POST",
            "/api/users/target/unfollow".into(),
            json!({}),
            400,
            "followers and blocked users are not available on this server",
        ),
        (
            "POST",
            "/api/users/target/block".into(),
            json!({}),
            400,
            "followers and blocked users are not available on this server",
        ),
        ("POST", "/api/users/nobody/follow".into(), json!({}), 404, "user does not exist"),
        ("POST", "/api/follow-requests/target/accept".into(), json!({}), 404, "Follow request does not exist."),
        ("POST", format!("/api/workouts/{id}/comments"), comment, 400, "comments are not available on this server"),
        ("POST", format!("/api/workouts/{id}/like"), json!({}), 400, "likes are not available on this server"),
        ("POST", format!("/api/workouts/{id}/like/undo"), json!({}), 400, "likes are not available on this server"),
        (
            "POST",
            format!("/api/workouts/{id}/suspension/appeal"),
            json!({ "text": "why" }),
            400,
            "workout is not suspended",
        ),
        ("PATCH", "/api/comments/abc".into(), json!({ "text": "x" }), 404, "workout comment not found (id: abc)"),
        (
            "POST",
            "/api/reports".into(),
            json!({ "object_type": "user", "object_id": "target", "note": "spam" }),
            400,
            "reports are not available on this server",
        ),
        (
            "PATCH",
            "/api/notifications/abc".into(),
            json!({ "read_status": true }),
            404,
            "notification not found (id: abc)",
        ),
        (
            "POST",
            "/api/auth/profile/edit/notifications".into(),
            json!({ "follow": true }),
            400,
            "notifications are not available on this server",
        ),
    ];
    for (method, path, body, status, message) in cases {
        let response = server.request(method, &path).bearer(&token).json(&body).send();
        assert_eq!(response.json()["status"], if status == 404 { "not found" } else { "error" }, "{method} {path}");
        refused(response, status, message);
    }
    let read = server.post("/api/notifications/mark-all-as-read").bearer(&token).json(&json!({})).send();
    assert_eq!((read.status, read.json()), (200, json!({ "status": "success" })), "nothing to mark is done");
    assert_eq!(
        server.get(&format!("/api/workouts/{id}")).bearer(&token).send().json()["data"]["workouts"][0]["likes_count"],
        0
    );
}

#[test]
fn moderation_endpoints_are_for_moderators_and_empty() {
    let server = Server::start();
    let admin = server.user("admin");
    server.make_admin("admin");
    let user = server.user("user");
    refused(server.get("/api/reports/unresolved").bearer(&user).send(), 403, "you do not have permissions");
    assert_eq!(get(&server, &admin, "/api/reports/unresolved"), json!({ "status": "success", "unresolved": false }));
    assert_eq!(
        get(&server, &admin, "/api/reports"),
        json!({ "status": "success", "reports": [], "pagination": empty_pagination() })
    );
    refused(server.get("/api/reports/1").bearer(&admin).send(), 404, "report not found (id: 1)");
    assert_eq!(
        get(&server, &admin, "/api/users/user/sanctions")["data"]["sanctions"],
        json!([]),
        "a moderator sees anyone's"
    );
    let stats = get(&server, &admin, "/api/stats/all");
    assert_eq!(stats["data"]["users"], 2);
    refused(server.get("/api/stats/all").bearer(&user).send(), 403, "you do not have permissions");
}

#[test]
fn the_admin_sees_the_queued_upload_tasks() {
    let server = Server::start();
    let admin = server.user("queue");
    server.make_admin("queue");
    let counts = get(&server, &admin, "/api/users/tasks/queued");
    assert_eq!(
        counts,
        json!({ "status": "success", "counts": { "user_data_export": 0, "workouts_archive_upload": 0 } })
    );
    // A task as an upload leaves it; written behind the server's back, so
    // the worker (woken by uploads, else every 30 s) has not taken it yet.
    server
        .db()
        .execute(
            "INSERT INTO upload_tasks (short_id, user_id, created_at, original_file_name, file_size, archive, entries, \
             sport_id) VALUES ('queuedtask', (SELECT id FROM users WHERE username = 'queue'), 1714546800, 'a.zip', \
             10, x'00', '[[0, \"a.gpx\"]]', 1)",
            [],
        )
        .unwrap();
    let counts = get(&server, &admin, "/api/users/tasks/queued");
    assert_eq!(counts["counts"]["workouts_archive_upload"], 1);
    let list = get(&server, &admin, "/api/users/tasks/queued/workouts_archive_upload");
    let task = &list["queued_tasks"][0];
    assert_eq!(
        (task["id"].clone(), task["status"].clone(), task["files_count"].clone()),
        (json!("queuedtask"), json!("queued"), json!(1))
    );
    assert_eq!(task["user"]["username"], "queue");
    assert_eq!(list["pagination"]["total"], 1);
    assert_eq!(get(&server, &admin, "/api/users/tasks/queued/user_data_export")["queued_tasks"], json!([]));
    refused(server.get("/api/users/tasks/queued/other").bearer(&admin).send(), 400, "invalid task type");
    let user = server.user("plain");
    refused(server.get("/api/users/tasks/queued").bearer(&user).send(), 403, "you do not have permissions");
}

#[test]
fn health_checks_answer_without_credentials() {
    let server = Server::start();
    let ping = server.get("/api/ping").send();
    assert_eq!((ping.status, ping.json()), (200, json!({ "status": "success", "message": "pong!" })));
    let db = server.get("/api/check-db").send();
    assert_eq!((db.status, db.json()), (200, json!({ "status": "success", "message": "db available" })));
}
