//! Our pages over HTTP: they honour the API's visibilities, refuse what the
//! API refuses with words on the page and nothing written, and their
//! account and admin forms follow the API's rules.

use serde_json::{Value, json};

use crate::support::browser::Browser;
use crate::support::{PASSWORD, Server};
use crate::workouts::formats::{file, upload_file};
use crate::workouts::{START, gpx_run, upload};

fn workouts_of(server: &Server, token: &str) -> usize {
    server.get("/api/workouts?per_page=100").bearer(token).send().json()["data"]["workouts"].as_array().unwrap().len()
}

#[test]
fn a_workout_page_shows_visitors_what_the_api_shows_them() {
    let server = Server::start();
    let token = server.user("owner");
    let data = json!({"sport_id": 3, "workout_visibility": "public", "analysis_visibility": "private", "map_visibility": "private"});
    let gpx = file("../gpx/tour_segments.gpx");
    let uploaded = upload_file(&server, &token, "tour.gpx", &gpx, &data.to_string());
    assert_eq!(uploaded.status, 201, "{}", uploaded.text());
    let id = uploaded.json()["data"]["workouts"][0]["id"].as_str().unwrap().to_string();
    let path = format!("/workouts/{id}");

    let mut owner = Browser::new(&server);
    owner.sign_in("owner");
    let own = owner.get(&path).text();
    assert!(own.contains("<svg class=\"route\"") && own.contains("id=\"elevation\""), "the owner sees everything");
    assert!(own.contains("href=\"/workouts/") && own.contains("/edit\""));

    let visitor = server.get(&path).send();
    assert_eq!(visitor.status, 200);
    let shown = visitor.text();
    assert!(shown.contains("Calanques, three days"), "a public workout is shown");
    for hidden in ["<svg class=\"route\"", "id=\"elevation\"", "Segments", "/edit\"", "/download/"] {
        assert!(!shown.contains(hidden), "a visitor gets no {hidden}");
    }
    assert_eq!(server.get(&format!("{path}/download/gpx")).send().status, 303, "downloads need signing in");

    let mut other = Browser::new(&server);
    server.register("other");
    other.sign_in("other");
    assert_eq!(other.get(&format!("{path}/edit")).status, 404, "others cannot edit");
    assert_eq!(other.get(&format!("{path}/download/original")).status, 404);

    let private =
        upload(&server, &token, r#"{"sport_id": 1}"#, &gpx_run(START, 30)).json()["data"]["workouts"][0]["id"]
            .as_str()
            .unwrap()
            .to_string();
    for who in [server.get(&format!("/workouts/{private}")).send(), other.get(&format!("/workouts/{private}"))] {
        assert_eq!(who.status, 404, "a private workout is not found by others");
        assert!(!who.text().contains("Run"), "and not named");
    }
}

#[test]
fn a_workout_changed_and_deleted_through_its_pages() {
    let server = Server::start();
    let token = server.user("editor");
    let id = upload(&server, &token, r#"{"sport_id": 5}"#, &gpx_run(START, 60)).json()["data"]["workouts"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let mut browser = Browser::new(&server);
    browser.sign_in("editor");
    let form = browser.get(&format!("/workouts/{id}/edit"));
    let fields = [
        ("title", "Tempo"),
        ("sport_id", "5"),
        ("notes", "felt good"),
        ("workout_visibility", "public"),
        ("analysis_visibility", "public"),
        ("map_visibility", "private"),
    ];
    let saved = browser.post(&format!("/workouts/{id}/edit"), &form, &fields);
    assert_eq!((saved.status, saved.header("Location")), (303, Some(format!("/workouts/{id}?done=saved").as_str())));
    let api = server.get(&format!("/api/workouts/{id}")).bearer(&token).send().json()["data"]["workouts"][0].clone();
    assert_eq!(
        (api["title"].clone(), api["notes"].clone(), api["map_visibility"].clone()),
        (json!("Tempo"), json!("felt good"), json!("private"))
    );

    let refused = browser.post(&format!("/workouts/{id}/edit"), &form, &[("title", "Other"), ("sport_id", "99")]);
    assert_eq!(refused.status, 400, "{}", refused.text());
    assert!(refused.text().contains("role=\"alert\""));
    let kept = browser.post(&format!("/workouts/{id}/edit"), &form, &[("title", ""), ("sport_id", "5")]);
    assert_eq!(kept.status, 303, "an empty title keeps the title, as in the API");
    assert_eq!(
        server.get(&format!("/api/workouts/{id}")).bearer(&token).send().json()["data"]["workouts"][0]["title"],
        "Tempo"
    );

    let confirm = browser.get(&format!("/workouts/{id}/delete"));
    assert!(confirm.text().contains("Delete “Tempo”?"));
    let deleted = browser.post(&format!("/workouts/{id}/delete"), &confirm, &[]);
    assert_eq!(deleted.header("Location"), Some("/workouts?done=deleted"));
    assert_eq!(workouts_of(&server, &token), 0);
}

#[test]
fn a_workout_by_hand_is_refused_in_words_and_nothing_is_written() {
    let server = Server::start();
    let token = server.user("manual");
    let mut browser = Browser::new(&server);
    browser.sign_in("manual");
    let page = browser.get("/workouts/add");
    let good = [("sport_id", "5"), ("workout_date", "2024-05-02T18:00"), ("duration", "0:45"), ("distance", "7.5")];
    for (field, value, message) in [
        ("duration", "45", "The duration is h:mm or h:mm:ss"),
        ("distance", "-3", "The distance must be a number"),
        ("workout_date", "yesterday", "workout_date"),
        ("sport_id", "99", "Sport id: 99 does not exist"),
    ] {
        let fields: Vec<(&str, &str)> =
            good.iter().map(|&(k, v)| if k == field { (k, value) } else { (k, v) }).collect();
        let refused = browser.post("/workouts/add/manual", &page, &fields);
        assert_eq!(refused.status, 400, "{field}: {}", refused.text());
        assert!(refused.text().contains(message), "{field}: {}", refused.text());
    }
    assert_eq!(workouts_of(&server, &token), 0, "nothing half-written");
    let created = browser.post("/workouts/add/manual", &page, &good);
    assert_eq!(created.status, 303, "{}", created.text());
    assert!(created.header("Location").unwrap().ends_with("?done=created"));
    let listed = browser.get("/workouts").text();
    assert!(listed.contains("7.50 km") && listed.contains("0:45:00"), "{listed}");
    let bad_filter = browser.get("/workouts?distance_from=far");
    assert_eq!(bad_filter.status, 400);
    assert!(
        bad_filter.text().contains("These filters cannot be used: invalid value for &#39;distance_from&#39;.")
            || bad_filter.text().contains("These filters cannot be used: invalid value for 'distance_from'."),
        "{}",
        bad_filter.text()
    );
}

#[test]
fn a_new_password_signs_out_every_other_browser_and_app() {
    let server = Server::start();
    let token = server.user("keys");
    let mut here = Browser::new(&server);
    here.sign_in("keys");
    let mut elsewhere = Browser::new(&server);
    elsewhere.sign_in("keys");
    let page = here.get("/profile/account");
    let wrong = here.post(
        "/profile/account",
        &page,
        &[("email", "keys@example.org"), ("password", "not it"), ("new_password", "a brand new passphrase")],
    );
    assert_eq!(wrong.status, 400);
    assert!(wrong.text().contains("The current password is wrong."));
    assert_eq!(server.get("/api/auth/profile").bearer(&token).send().status, 200, "nothing changed");

    let changed = here.post(
        "/profile/account",
        &page,
        &[("email", "keys@example.org"), ("password", PASSWORD), ("new_password", "a brand new passphrase")],
    );
    assert_eq!(changed.header("Location"), Some("/profile/account?done=password-changed"));
    assert_eq!(here.get("/profile/account").status, 200, "this browser stays signed in");
    assert_eq!(elsewhere.get("/profile/account").status, 303, "the other one is signed out");
    assert_eq!(server.get("/api/auth/profile").bearer(&token).send().status, 401, "and the app's token ends");
}

#[test]
fn deleting_an_account_takes_its_username_typed() {
    let server = Server::start();
    let token = server.user("leaver");
    upload(&server, &token, r#"{"sport_id": 5}"#, &gpx_run(START, 30));
    let mut browser = Browser::new(&server);
    browser.sign_in("leaver");
    let page = browser.get("/profile/account");
    let refused = browser.post("/profile/account/delete", &page, &[("username", "Leaver")]);
    assert_eq!(refused.status, 400);
    assert!(refused.text().contains("Type leaver exactly to delete the account."));
    let users =
        |server: &Server| -> i64 { server.db().query_row("SELECT count(*) FROM users", [], |r| r.get(0)).unwrap() };
    assert_eq!(users(&server), 1);
    let deleted = browser.post("/profile/account/delete", &page, &[("username", "leaver")]);
    assert_eq!(deleted.header("Location"), Some("/login?done=account-deleted"));
    assert_eq!(users(&server), 0);
    let workouts: i64 = server.db().query_row("SELECT count(*) FROM workouts", [], |r| r.get(0)).unwrap();
    assert_eq!(workouts, 0, "with its workouts");
}

#[test]
fn the_admin_pages_are_for_admins_and_follow_the_apis_rules() {
    let server = Server::start();
    server.register("plain");
    let mut plain = Browser::new(&server);
    plain.sign_in("plain");
    let forbidden = plain.get("/admin");
    assert_eq!(forbidden.status, 403);
    assert!(forbidden.text().contains("This page is for administrators.") && forbidden.text().contains("Signed in as"));
    assert!(!plain.get("/").text().contains("href=\"/admin\""), "no Admin link for users");

    let token = server.user("boss");
    server.make_admin("boss");
    let mut admin = Browser::new(&server);
    admin.sign_in("boss");
    let page = admin.get("/admin");
    let settings = |single: &'static str, zip: &'static str| -> Vec<(&'static str, &'static str)> {
        vec![
            ("max_users", "0"),
            ("file_limit_import", "10"),
            ("file_sync_limit_import", "10"),
            ("global_map_workouts_limit", "10000"),
            ("max_single_file_size", single),
            ("max_zip_file_size", zip),
            ("about", "Our club's server."),
        ]
    };
    let refused = admin.post("/admin", &page, &settings("20", "10"));
    assert_eq!(refused.status, 400, "{}", refused.text());
    assert!(refused.text().contains("role=\"alert\""));
    let config = |server: &Server| -> Value { server.get("/api/config").bearer(&token).send().json()["data"].clone() };
    assert_eq!(config(&server)["max_single_file_size"], 1_048_576, "nothing written");
    let saved = admin.post("/admin", &page, &settings("2.5", "10"));
    assert_eq!(saved.header("Location"), Some("/admin?done=settings-saved"));
    assert_eq!(config(&server)["max_single_file_size"], 2_621_440);
    assert!(
        server.get("/about").send().text().contains("Our club&#39;s server.")
            || server.get("/about").send().text().contains("Our club's server.")
    );

    let user_page = admin.get("/admin/users/plain");
    let reset = admin.post("/admin/users/plain/password", &user_page, &[]);
    assert_eq!(reset.status, 200);
    let shown = reset.text();
    let start = shown.find("id=\"new-password\">").expect("the new password, shown") + "id=\"new-password\">".len();
    let password = &shown[start..start + 16];
    assert_eq!(reset.header("Cache-Control"), Some("no-store"), "never cached");
    assert_eq!(plain.get("/profile").status, 303, "a reset ends the user's sessions");
    let login =
        server.post("/api/auth/login").json(&json!({"email": "plain@example.org", "password": password})).send();
    assert_eq!(login.status, 200, "the shown password works: {}", login.text());
    assert!(!admin.get("/admin/users/plain").text().contains(password), "shown once");

    let sports = admin.get("/admin/sports");
    let off = admin.post("/admin/sports/5", &sports, &[("is_active", "false")]);
    assert_eq!(off.header("Location"), Some("/admin/sports?done=saved"));
    let running = server.get("/api/sports/5").bearer(&token).send().json()["data"]["sports"][0]["is_active"].clone();
    assert_eq!(running, false);
}

#[test]
fn equipment_and_sport_preferences_through_their_pages() {
    let server = Server::start();
    let token = server.user("gear");
    let mut browser = Browser::new(&server);
    browser.sign_in("gear");
    let page = browser.get("/equipment");
    let added = browser.post(
        "/equipment",
        &page,
        &[("label", "Road bike"), ("equipment_type_id", "2"), ("visibility", "private")],
    );
    assert_eq!(added.status, 303, "{}", added.text());
    let twice = browser.post("/equipment", &page, &[("label", "Road bike"), ("equipment_type_id", "2")]);
    assert_eq!(twice.status, 400);
    assert!(twice.text().contains("Equipment already exists with the same label."), "{}", twice.text());
    let listed = server.get("/api/equipments").bearer(&token).send().json()["data"]["equipments"].clone();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    let id = listed[0]["id"].as_str().unwrap().to_string();
    let one = browser.get(&format!("/equipment/{id}"));
    let retired =
        browser.post(&format!("/equipment/{id}"), &one, &[("label", "Old road bike"), ("equipment_type_id", "2")]);
    assert_eq!(retired.status, 303, "{}", retired.text());
    let after =
        server.get(&format!("/api/equipments/{id}")).bearer(&token).send().json()["data"]["equipments"][0].clone();
    assert_eq!((after["label"].clone(), after["is_active"].clone()), (json!("Old road bike"), json!(false)));
    let gone = browser.post(&format!("/equipment/{id}/delete"), &one, &[]);
    assert_eq!(gone.header("Location"), Some("/equipment?done=equipment-deleted"));

    let sports = browser.get("/profile/sports");
    let bad = browser.post(
        "/profile/sports",
        &sports,
        &[("sport_id", "5"), ("stopped_speed_threshold", "-1"), ("color", "#aa0000")],
    );
    assert_eq!(bad.status, 400);
    assert!(
        bad.text().contains("Running: &#39;stopped_speed_threshold&#39;")
            || bad.text().contains("Running: 'stopped_speed_threshold'"),
        "{}",
        bad.text()
    );
    let good = browser.post(
        "/profile/sports",
        &sports,
        &[
            ("sport_id", "5"),
            ("stopped_speed_threshold", "2"),
            ("color", "#aa0000"),
            ("is_active", "true"),
            ("pace_speed_display", "speed"),
        ],
    );
    assert_eq!(good.status, 303, "{}", good.text());
    let running = server.get("/api/sports/5").bearer(&token).send().json()["data"]["sports"][0].clone();
    assert_eq!((running["color"].clone(), running["stopped_speed_threshold"].clone()), (json!("#aa0000"), json!(2.0)));
}

#[test]
fn the_account_page_asks_for_the_data_export_and_offers_its_archive() {
    let server = Server::start();
    server.user("archivist");
    let mut browser = Browser::new(&server);
    browser.sign_in("archivist");
    let page = browser.get("/profile/account");
    assert!(page.text().contains("Ask for an archive"));
    let asked = browser.post("/profile/account/export", &page, &[]);
    assert_eq!(asked.header("Location"), Some("/profile/account?done=export-requested"));
    let started = std::time::Instant::now();
    let link = loop {
        let shown = browser.get("/profile/account").text();
        if let Some(at) = shown.find("href=\"/profile/account/export/") {
            let rest = &shown[at + 6..];
            break rest[..rest.find('"').unwrap()].to_string();
        }
        assert!(started.elapsed() < std::time::Duration::from_secs(20), "no archive: {shown}");
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert!(!browser.get("/profile/account").text().contains("Ask for an archive"), "one a day");
    let archive = browser.get(&link);
    assert_eq!((archive.status, archive.header("Content-Type")), (200, Some("application/zip")));
    assert!(archive.body.starts_with(b"PK"), "a zip");
    let again = browser.post("/profile/account/export", &page, &[]);
    assert_eq!(again.header("Location"), Some("/profile/account"), "a second click shows the state, asks nothing");
}
