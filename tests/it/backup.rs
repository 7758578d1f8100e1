//! `fittrackee backup`: a consistent copy taken while the server writes,
//! checked before it is kept; restoring it (stop, copy, start) serves every
//! workout acknowledged before the backup began.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde_json::json;

use crate::support::Server;

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_backup_under_write_load_restores_every_acknowledged_workout() {
    let server = Server::start();
    let token = server.user("kept");
    let acknowledged: Mutex<Vec<(Instant, String)>> = Mutex::new(Vec::new());
    let writing = AtomicBool::new(true);
    let target = server.dir.path().join("copy.db");
    let began = std::thread::scope(|scope| {
        scope.spawn(|| {
            let mut n = 0;
            while writing.load(Ordering::Relaxed) && n < 2000 {
                let day = 1 + n % 28;
                let body = json!({"sport_id": 5, "workout_date": format!("2024-03-{day:02} 07:{:02}", n % 60), "duration": 1800, "distance": 5.0});
                let response = server.post("/api/workouts/no_gpx").bearer(&token).json(&body).send();
                assert_eq!(response.status, 201, "{}", response.text());
                let id = response.json()["data"]["workouts"][0]["id"].as_str().unwrap().to_string();
                acknowledged.lock().unwrap().push((Instant::now(), id));
                n += 1;
            }
        });
        std::thread::sleep(Duration::from_millis(400));
        let began = Instant::now();
        let out = server.cli(&["backup", target.to_str().unwrap()]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(stdout(&out).contains("integrity checked"), "{}", stdout(&out));
        std::thread::sleep(Duration::from_millis(200));
        writing.store(false, Ordering::Relaxed);
        began
    });
    let before: Vec<String> =
        acknowledged.lock().unwrap().iter().filter(|(at, _)| *at < began).map(|(_, id)| id.clone()).collect();
    let after = acknowledged.lock().unwrap().len() - before.len();
    assert!(before.len() > 10 && after > 0, "writes went on during the backup: {} before, {after} after", before.len());

    // Restore: a server started on a copy of the backup.
    let dir = tempfile::tempdir().unwrap();
    let restored_db = dir.path().join("fittrackee.db");
    std::fs::copy(&target, &restored_db).unwrap();
    let restored = Server::start_in(dir, &restored_db, "");
    let token = restored.login("kept");
    for id in &before {
        let shown = restored.get(&format!("/api/workouts/{id}")).bearer(&token).send();
        assert_eq!(shown.status, 200, "workout {id}, acknowledged before the backup, is restored");
    }
}

#[test]
fn backups_rotate_in_a_folder_and_refuse_what_they_cannot_do() {
    let server = Server::start();
    server.register("rotating");
    let folder = server.dir.path().join("backups");
    std::fs::create_dir(&folder).unwrap();
    for day in ["20250101T030000Z", "20250102T030000Z", "20250103T030000Z"] {
        std::fs::write(folder.join(format!("fittrackee-{day}.db")), b"an older copy").unwrap();
    }
    std::fs::write(folder.join("notes.txt"), b"not a copy").unwrap();
    let out = server.cli(&["backup", folder.to_str().unwrap(), "--keep", "2"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut left: Vec<String> =
        std::fs::read_dir(&folder).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    left.sort();
    assert_eq!(left.len(), 3, "two copies and the notes: {left:?}");
    assert_eq!((left[0].as_str(), left[2].as_str()), ("fittrackee-20250103T030000Z.db", "notes.txt"));
    assert!(left[1].starts_with("fittrackee-2") && left[1] != left[0], "today's copy: {left:?}");
    assert!(stdout(&out).matches("Removed the older copy").count() == 2, "{}", stdout(&out));
    let copy = folder.join(&left[1]);
    let users: i64 =
        rusqlite::Connection::open(&copy).unwrap().query_row("SELECT count(*) FROM users", [], |r| r.get(0)).unwrap();
    assert_eq!(users, 1, "a real copy");

    let existing = server.dir.path().join("fittrackee.toml");
    let refused = server.cli(&["backup", existing.to_str().unwrap()]);
    assert!(!refused.status.success());
    assert!(stderr(&refused).contains("already exists: choose another file"), "{}", stderr(&refused));
    let refused = server.cli(&["backup", server.dir.path().join("new.db").to_str().unwrap(), "--keep", "3"]);
    assert!(stderr(&refused).contains("--keep rotates dated copies in a folder"), "{}", stderr(&refused));
    let refused = server.cli(&["backup", folder.to_str().unwrap(), "--keep", "0"]);
    assert!(!refused.status.success() && stderr(&refused).contains("--keep"), "{}", stderr(&refused));
    assert!(!server.dir.path().join("new.db").exists(), "nothing half-written");
}
