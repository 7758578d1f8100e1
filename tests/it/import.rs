//! `fittrackee import`: from a FitTrackee export archive, a folder of
//! workout files, and a live server (a second instance of this one); again
//! after that, everything is a duplicate.

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::schemas::populated;
use crate::support::{PASSWORD, Server};

fn text(out: &std::process::Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

fn workouts(server: &Server, token: &str) -> Vec<Value> {
    server.get("/api/workouts?per_page=50&order=asc").bearer(token).send().json()["data"]["workouts"]
        .as_array()
        .unwrap()
        .clone()
}

/// What an import must carry over, workout by workout.
fn same_workouts(from: &[Value], to: &[Value]) {
    assert_eq!(from.len(), to.len());
    for (a, b) in from.iter().zip(to) {
        for key in
            ["title", "sport_id", "workout_date", "distance", "duration", "moving", "ascent", "workout_visibility"]
        {
            assert_eq!(a[key], b[key], "{key} of {}", a["title"]);
        }
    }
}

fn export_archive(server: &Server, token: &str, to: &Path) {
    assert_eq!(server.post("/api/auth/account/export/request").bearer(token).send().status, 200);
    let started = Instant::now();
    let name = loop {
        let request = server.get("/api/auth/account/export").bearer(token).send().json()["request"].clone();
        if request["status"] == "successful" {
            break request["file_name"].as_str().unwrap().to_string();
        }
        assert!(started.elapsed() < Duration::from_secs(20), "{request}");
        std::thread::sleep(Duration::from_millis(50));
    };
    let archive = server.get(&format!("/api/auth/account/export/{name}")).bearer(token).send();
    std::fs::write(to, &archive.body).unwrap();
}

#[test]
fn an_export_archive_imports_into_another_server_once() {
    let old = populated();
    let old_token = old.login("keeper");
    let archive = old.dir.path().join("export.zip");
    export_archive(&old, &old_token, &archive);

    let new = Server::start();
    let token = new.user("mover");
    let out = new.cli(&["import", "--user", "mover", archive.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("Import into 'mover': 3 created, 0 skipped as duplicates, 0 failed."),
        "{}",
        text(&out)
    );
    same_workouts(&workouts(&old, &old_token), &workouts(&new, &token));
    let equipment = new.get("/api/equipments").bearer(&token).send().json()["data"]["equipments"].clone();
    assert_eq!(equipment[0]["label"], "Shoes", "equipment comes along");
    let ride = workouts(&new, &token).into_iter().find(|w| w["title"] == "FIT ride").unwrap();
    let chart = new.get(&format!("/api/workouts/{}/chart_data", ride["id"].as_str().unwrap())).bearer(&token).send();
    assert!(chart.json()["data"]["chart_data"].as_array().unwrap().len() > 10, "the file came along");

    let again = new.cli(&["import", "--user", "mover", archive.to_str().unwrap()]);
    assert!(text(&again).contains("0 created, 3 skipped as duplicates, 0 failed"), "{}", text(&again));
    assert_eq!(workouts(&new, &token).len(), 3);
}

#[test]
fn a_folder_of_workout_files_imports_with_its_sport() {
    let server = Server::start();
    let token = server.user("files");
    let folder = server.dir.path().join("watch");
    std::fs::create_dir(&folder).unwrap();
    for day in 0..3 {
        let run = crate::workouts::gpx_run(crate::workouts::START + day * 86_400, 60);
        std::fs::write(folder.join(format!("day{day}.gpx")), run).unwrap();
    }
    std::fs::write(folder.join("notes.txt"), "not a workout").unwrap();
    std::fs::write(folder.join("ride_broken.gpx"), "<gpx><trk><trkseg><trkpt lat=").unwrap();
    let refused = server.cli(&["import", "--user", "files", folder.to_str().unwrap()]);
    assert!(!refused.status.success() && text(&refused).contains("workout files need --sport"), "{}", text(&refused));
    let out = server.cli(&["import", "--user", "files", "--sport", "cycling (sport)", folder.to_str().unwrap()]);
    assert!(!out.status.success(), "a failure is reported in the exit status");
    assert!(text(&out).contains("3 created, 0 skipped as duplicates, 1 failed; ride_broken.gpx: "), "{}", text(&out));
    let rows = |table: &str| -> i64 {
        server.db().query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).unwrap()
    };
    assert_eq!(
        (rows("workouts"), rows("workout_files"), rows("workout_points")),
        (3, 3, 3),
        "the broken file left nothing"
    );
    assert!(workouts(&server, &token).iter().all(|w| w["sport_id"] == 1));
    std::fs::remove_file(folder.join("ride_broken.gpx")).unwrap();
    let again = server.cli(&["import", "--user", "files", "--sport", "1", folder.to_str().unwrap()]);
    assert!(again.status.success(), "{}", text(&again));
    assert!(text(&again).contains("0 created, 3 skipped as duplicates, 0 failed"), "{}", text(&again));
    // The same ride as FIT and as TCX (same sport, same start): one workout.
    let other = server.dir.path().join("other");
    std::fs::create_dir(&other).unwrap();
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/formats");
    for name in ["ride.fit", "ride.tcx"] {
        std::fs::copy(data.join(name), other.join(name)).unwrap();
    }
    let same_ride = server.cli(&["import", "--user", "files", "--sport", "1", other.to_str().unwrap()]);
    assert!(text(&same_ride).contains("1 created, 1 skipped as duplicates"), "{}", text(&same_ride));
    let nobody = server.cli(&["import", "--user", "nobody", "--sport", "1", folder.to_str().unwrap()]);
    assert!(text(&nobody).contains("no user is called 'nobody'"), "{}", text(&nobody));
}

#[test]
fn a_live_server_imports_every_workout_with_its_file() {
    let old = populated();
    let old_token = old.login("keeper");
    let new = Server::start();
    let token = new.user("mover");
    let url = format!("http://{}", old.addr);
    let wrong =
        new.cli(&["import", "--user", "mover", "--from", &url, "--email", "keeper@example.org", "--password", "nope"]);
    assert!(!wrong.status.success() && text(&wrong).contains("signing in to"), "{}", text(&wrong));
    let out = new.cli(&[
        "import",
        "--user",
        "mover",
        "--from",
        &url,
        "--email",
        "keeper@example.org",
        "--password",
        PASSWORD,
    ]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("3 created, 0 skipped as duplicates, 0 failed"), "{}", text(&out));
    same_workouts(&workouts(&old, &old_token), &workouts(&new, &token));
    let with_token = new.cli(&["import", "--user", "mover", "--from", &url, "--token", &old_token]);
    assert!(text(&with_token).contains("0 created, 3 skipped as duplicates"), "{}", text(&with_token));
}
