//! The account data export in FitTrackee's format: requested, built in the
//! background, downloaded as FitTrackee's archive, one request at a time,
//! and deleted after the retention time.

use std::io::Read;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::schemas::populated;
use crate::support::Server;

fn export(server: &Server, token: &str) -> Value {
    server.get("/api/auth/account/export").bearer(token).send().json()["request"].clone()
}

fn built(server: &Server, token: &str) -> Value {
    let started = Instant::now();
    loop {
        let request = export(server, token);
        if request["status"] != "in_progress" {
            return request;
        }
        assert!(started.elapsed() < Duration::from_secs(20), "never built: {request}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn entries(zip: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).expect("a zip");
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).unwrap();
            let mut bytes = Vec::new();
            file.read_to_end(&mut bytes).unwrap();
            (file.name().unwrap().to_string(), bytes)
        })
        .collect()
}

#[test]
fn an_export_is_fittrackees_archive_of_the_account() {
    let server = populated();
    let token = server.login("keeper");
    assert_eq!(export(&server, &token), Value::Null, "no request yet");
    let requested = server.post("/api/auth/account/export/request").bearer(&token).send();
    assert_eq!(requested.status, 200, "{}", requested.text());
    let request = requested.json()["request"].clone();
    assert_eq!((request["status"].clone(), request["file_name"].clone()), (json!("in_progress"), Value::Null));
    let again = server.post("/api/auth/account/export/request").bearer(&token).send();
    let why = again.json()["message"].clone();
    assert!(
        again.status == 400 && (why == "ongoing request exists" || why == "completed request already exists"),
        "{why}"
    );

    let done = built(&server, &token);
    assert_eq!(done["status"], "successful", "{done}");
    let name = done["file_name"].as_str().unwrap();
    assert!(name.starts_with("archive_") && name.ends_with(".zip"), "{name}");
    let download = server.get(&format!("/api/auth/account/export/{name}")).bearer(&token).send();
    assert_eq!((download.status, download.header("Content-Type")), (200, Some("application/zip")));
    assert_eq!(done["file_size"], download.body.len());
    let files = entries(&download.body);
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    for expected in
        ["user_data.json", "user_workouts_data.json", "user_equipments_data.json", "user_comments_data.json"]
    {
        assert!(names.contains(&expected), "{expected} in {names:?}");
    }
    let json =
        |name: &str| -> Value { serde_json::from_slice(&files.iter().find(|(n, _)| n == name).unwrap().1).unwrap() };
    assert_eq!(json("user_data.json")["username"], "keeper");
    assert_eq!(json("user_data.json")["email"], "keeper@example.org");
    let workouts = json("user_workouts_data.json");
    let titles: Vec<&str> = workouts.as_array().unwrap().iter().map(|w| w["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["GPX run", "By hand", "FIT ride"], "oldest first");
    let api = server.get("/api/workouts?per_page=10").bearer(&token).send().json()["data"]["workouts"].clone();
    for w in workouts.as_array().unwrap() {
        let listed = api.as_array().unwrap().iter().find(|a| a["id"] == w["id"]).expect("the same ids");
        for key in ["title", "sport_id", "workout_date", "distance", "duration", "workout_visibility"] {
            assert_eq!(w[key], listed[key], "{key} as the API says");
        }
        assert!(w["sport_label"].is_string());
        match w["gpx"].as_str() {
            Some(gpx) => assert!(names.contains(&format!("gpx/{gpx}").as_str()), "{gpx} in the archive"),
            None => assert_eq!(w["title"], "By hand", "only the manual workout has no file"),
        }
    }
    assert_eq!(json("user_equipments_data.json")[0]["label"], "Shoes");
    assert_eq!(json("user_comments_data.json"), json!([]));

    let refused = server.post("/api/auth/account/export/request").bearer(&token).send();
    assert_eq!((refused.status, refused.json()["message"].clone()), (400, json!("completed request already exists")));
    let other = server.user("other");
    let theirs = server.get(&format!("/api/auth/account/export/{name}")).bearer(&other).send();
    assert_eq!((theirs.status, theirs.json()["message"].clone()), (404, json!("file not found")));
}

#[test]
fn an_export_goes_after_the_retention_time_and_may_then_be_requested_again() {
    let server = Server::start();
    let token = server.user("leaving");
    assert_eq!(server.post("/api/auth/account/export/request").bearer(&token).send().status, 200);
    assert_eq!(built(&server, &token)["status"], "successful");
    server.db().execute("UPDATE data_exports SET created_at = created_at - 25 * 3600", []).unwrap();
    let again = server.post("/api/auth/account/export/request").bearer(&token).send();
    assert_eq!(again.status, 200, "a day later, a new one: {}", again.text());
    assert_eq!(built(&server, &token)["status"], "successful");
    let rows: i64 = server.db().query_row("SELECT count(*) FROM data_exports", [], |r| r.get(0)).unwrap();
    assert_eq!(rows, 1, "one per user");
    server.db().execute("UPDATE data_exports SET created_at = created_at - 25 * 3600", []).unwrap();
    let token2 = server.user("wakes");
    assert_eq!(server.post("/api/auth/account/export/request").bearer(&token2).send().status, 200);
    built(&server, &token2);
    assert_eq!(export(&server, &token), Value::Null, "the expired archive is gone");
}
