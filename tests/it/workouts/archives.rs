//! Zip archives: small ones processed in the request, large ones by an
//! upload task that survives a restart; hostile ones refused whole.

use std::io::Write;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::formats::{file, upload_file, uploader};
use crate::support::Server;

/// A zip of `(name, content)`, deflated.
fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, content) in files {
        writer.start_file(*name, zip::write::SimpleFileOptions::default()).unwrap();
        writer.write_all(content).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

fn workouts_count(server: &Server) -> i64 {
    server.db().query_row("SELECT count(*) FROM workouts", [], |r| r.get(0)).unwrap()
}

fn set_config(server: &Server, token: &str, config: Value) {
    let response = server.patch("/api/config").bearer(token).json(&config).send();
    assert_eq!(response.status, 200, "{}", response.text());
}

#[test]
fn a_small_archive_is_every_workout_in_it_at_once() {
    let server = Server::start();
    let token = uploader(&server, "archivist");
    let response =
        upload_file(&server, &token, "export.zip", &file("archive.zip"), r#"{"sport_id": 1, "title": "Club"}"#);
    assert_eq!(response.status, 201, "{}", response.text());
    let workouts = response.json()["data"]["workouts"].as_array().unwrap().clone();
    assert_eq!(workouts.len(), 4, "the readme and the folder are skipped");
    assert!(workouts.iter().all(|w| w["title"] == "Club" && w["sport_id"] == 1));
    let config = server.get("/api/config").send().json()["data"].clone();
    for key in ["max_zip_file_size", "file_limit_import", "file_sync_limit_import"] {
        assert!(config[key].is_i64(), "{key} in /api/config");
    }
}

#[test]
fn files_that_fail_are_reported_and_the_others_kept() {
    let server = Server::start();
    let token = uploader(&server, "partial");
    let ride = file("ride.fit");
    let archive = zip_of(&[("a.fit", &ride), ("broken.gpx", b"<gpx><trk>"), ("b.tcx", b"<TrainingCenterDatabase/>")]);
    let response = upload_file(&server, &token, "mixed.zip", &archive, r#"{"sport_id": 1}"#);
    assert_eq!(response.status, 400, "{}", response.text());
    assert_eq!(
        response.json(),
        json!({"status": "fail", "new_workouts": 1, "errored_workouts": {
            "broken.gpx": "error when parsing gpx file",
            "b.tcx": "no activities in tcx file",
        }})
    );
    assert_eq!(workouts_count(&server), 1);
}

#[test]
fn hostile_archives_are_refused_whole_with_the_reason() {
    let server = Server::start();
    let token = uploader(&server, "hostile");
    let ride = file("ride.fit");
    let mut encrypted = zip_of(&[("a.fit", &ride)]);
    encrypted[6] |= 1;
    let central = encrypted.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
    encrypted[central + 8] |= 1;
    let cases: Vec<(Vec<u8>, u16, &str, &str)> = vec![
        (b"not a zip".to_vec(), 400, "error", "invalid zip file"),
        (zip_of(&[("readme.txt", b"hi")]), 400, "fail", "archive does not contain valid workout files"),
        (zip_of(&[("inner.zip", &ride)]), 400, "fail", "'inner.zip' is an archive inside the archive"),
        (zip_of(&[("../../escape.fit", &ride)]), 400, "fail", "'../../escape.fit' in the archive is not a plain"),
        (encrypted, 400, "fail", "'a.fit' in the archive is encrypted"),
    ];
    for (archive, status, word, message) in cases {
        let response = upload_file(&server, &token, "x.zip", &archive, r#"{"sport_id": 1}"#);
        assert_eq!((response.status, response.json()["status"].clone()), (status, json!(word)), "{message}");
        let text = response.json()["message"].as_str().unwrap_or_default().to_string();
        assert!(text.starts_with(message), "{text} should start with {message}");
    }
    set_config(
        &server,
        &token,
        json!({"file_limit_import": 2, "file_sync_limit_import": 2, "max_single_file_size": 40_000}),
    );
    let three = zip_of(&[("a.fit", &ride), ("b.fit", &ride), ("c.fit", &ride)]);
    let too_many = upload_file(&server, &token, "x.zip", &three, r#"{"sport_id": 1}"#);
    assert_eq!(too_many.json()["message"], "the number of files in the archive exceeds the limit");
    let large = zip_of(&[("big.gpx", &file("ride.gpx"))]);
    let too_large = upload_file(&server, &token, "x.zip", &large, r#"{"sport_id": 1}"#);
    assert_eq!(
        too_large.json()["message"],
        "at least one file in zip archive exceeds size limit, please check the archive"
    );
    assert_eq!(workouts_count(&server), 0, "nothing half-done");
}

#[test]
fn a_zip_bomb_is_read_no_further_than_a_workout_file_may_be() {
    let server = Server::start();
    let token = uploader(&server, "bomb");
    set_config(&server, &token, json!({"max_single_file_size": 1 << 20}));
    // 64 MiB of zeros in 64 KiB, whose header claims 64 bytes.
    let mut bomb = zip_of(&[("bomb.gpx", &vec![0u8; 64 << 20])]);
    let size = (64u32 << 20).to_le_bytes();
    let places: Vec<usize> = (0..bomb.len() - 4).filter(|&i| bomb[i..i + 4] == size).collect();
    assert!(!places.is_empty());
    for at in places {
        bomb[at..at + 4].copy_from_slice(&64u32.to_le_bytes());
    }
    let (_, peak_before) = server.memory_kib();
    let started = Instant::now();
    let response = upload_file(&server, &token, "bomb.zip", &bomb, r#"{"sport_id": 1}"#);
    assert!(response.status == 400, "{}", response.text());
    assert!(started.elapsed() < Duration::from_secs(5));
    let (_, peak_after) = server.memory_kib();
    assert!(peak_after < peak_before + 16 * 1024, "peak RSS went from {peak_before} to {peak_after} KiB");
}

fn task(server: &Server, token: &str, id: &str) -> Value {
    let response = server.get(&format!("/api/workouts/upload-tasks/{id}")).bearer(token).send();
    assert_eq!(response.status, 200, "{}", response.text());
    response.json()["task"].clone()
}

fn wait_until_finished(server: &Server, token: &str, id: &str) -> Value {
    let started = Instant::now();
    loop {
        let task = task(server, token, id);
        if !["queued", "in_progress"].contains(&task["status"].as_str().unwrap()) {
            return task;
        }
        assert!(started.elapsed() < Duration::from_secs(120), "still {task}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// An archive of `n` copies of the FIT ride.
fn rides(n: usize) -> Vec<u8> {
    let ride = file("ride.fit");
    let names: Vec<String> = (0..n).map(|i| format!("ride-{i:02}.fit")).collect();
    zip_of(&names.iter().map(|n| (n.as_str(), &ride[..])).collect::<Vec<_>>())
}

#[test]
fn a_large_archive_is_an_upload_task_that_survives_a_restart() {
    let mut server = Server::start();
    let token = uploader(&server, "tasks");
    set_config(&server, &token, json!({"file_sync_limit_import": 2, "file_limit_import": 40}));
    let response = upload_file(&server, &token, "season.zip", &rides(40), r#"{"sport_id": 1, "notes": "season"}"#);
    assert_eq!(response.status, 200, "{}", response.text());
    assert_eq!(response.json()["status"], "in_progress");
    let id = response.json()["data"]["task_id"].as_str().unwrap().to_string();
    let second = upload_file(&server, &token, "more.zip", &rides(3), r#"{"sport_id": 1}"#);
    assert_eq!(second.json(), json!({"status": "invalid", "message": "ongoing upload task exists"}));
    server.kill9();
    let done: i64 = server.db().query_row("SELECT done FROM upload_tasks", [], |r| r.get(0)).unwrap();
    assert!(done < 40, "the task was interrupted ({done} files done)");
    server.restart();
    let token = server.login("tasks");
    let finished = wait_until_finished(&server, &token, &id);
    assert_eq!(finished["status"], "successful", "{finished}");
    assert_eq!((finished["files_count"].as_i64(), finished["new_workouts_count"].as_i64()), (Some(40), Some(40)));
    assert_eq!(
        (finished["progress"].as_i64(), finished["original_file_name"].as_str()),
        (Some(100), Some("season.zip"))
    );
    assert_eq!(finished["errored_files"], json!({"archive": null, "files": {}}));
    assert_eq!(workouts_count(&server), 40, "each file once, none twice");
    let notes: i64 =
        server.db().query_row("SELECT count(*) FROM workouts WHERE notes = 'season'", [], |r| r.get(0)).unwrap();
    assert_eq!(notes, 40, "the request's fields apply to every workout");
    let archive: Option<Vec<u8>> = server.db().query_row("SELECT archive FROM upload_tasks", [], |r| r.get(0)).unwrap();
    assert!(archive.is_none(), "the archive is not kept once done");
    let list = server.get("/api/workouts/upload-tasks").bearer(&token).send().json();
    assert_eq!(
        (list["data"]["tasks"][0]["id"].as_str(), list["pagination"]["total"].as_i64()),
        (Some(id.as_str()), Some(1))
    );
    let abort = server.post(&format!("/api/workouts/upload-tasks/{id}/abort")).bearer(&token).send();
    assert_eq!(abort.json(), json!({"status": "error", "message": "only queued and ongoing tasks can be aborted"}));
    assert_eq!(server.delete(&format!("/api/workouts/upload-tasks/{id}")).bearer(&token).send().status, 204);
    assert_eq!(server.get(&format!("/api/workouts/upload-tasks/{id}")).bearer(&token).send().status, 404);
}

#[test]
fn an_aborted_task_stops_and_keeps_what_it_made() {
    let server = Server::start();
    let token = uploader(&server, "aborts");
    set_config(&server, &token, json!({"file_sync_limit_import": 1, "file_limit_import": 40}));
    let response = upload_file(&server, &token, "long.zip", &rides(40), r#"{"sport_id": 1}"#);
    let id = response.json()["data"]["task_id"].as_str().unwrap().to_string();
    let deleting = server.delete(&format!("/api/workouts/upload-tasks/{id}")).bearer(&token).send();
    assert_eq!(deleting.json()["message"], "queued or ongoing workout upload task can not be deleted");
    let aborted = server.post(&format!("/api/workouts/upload-tasks/{id}/abort")).bearer(&token).send();
    assert_eq!(aborted.status, 200, "{}", aborted.text());
    assert_eq!(aborted.json()["task"]["status"], "aborted");
    std::thread::sleep(Duration::from_millis(500));
    let made = task(&server, &token, &id)["new_workouts_count"].as_i64().unwrap();
    assert!(made < 40, "{made}");
    assert_eq!(workouts_count(&server), made);
    let other = server.user("other");
    let hidden = server.get(&format!("/api/workouts/upload-tasks/{id}")).bearer(&other).send();
    assert_eq!((hidden.status, hidden.json()["message"].clone()), (404, json!("no task found")));
}
