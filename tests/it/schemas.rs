//! Databases written by every earlier schema version open, migrate and
//! serve their data; a database of a newer version is refused, untouched.
//!
//! `tests/data/schemas/v<N>.db` is a database of schema version N: the data
//! a user makes (an account, an app and its tokens, workouts from a GPX and
//! a FIT file and by hand, equipment, sport preferences), in the tables and
//! columns that version had. A fixture is written once, when its version is
//! the newest, and then kept as it is:
//! `cargo test --test it write_missing_schema_fixtures -- --ignored`.

use std::path::{Path, PathBuf};

use rusqlite::Connection;
use serde_json::json;

use crate::oauth::{app, tokens};
use crate::support::Server;
use crate::workouts::formats::{file, upload_file};
use crate::workouts::{START, gpx_run, upload};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/schemas")
}

/// The migrations, in order, as the binary applies them.
fn migrations() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/store/migrations");
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    names.sort();
    names.iter().map(|p| std::fs::read_to_string(p).unwrap()).collect()
}

/// What a user makes, through today's API.
pub fn populated() -> Server {
    let server = Server::start();
    let token = server.user("keeper");
    assert_eq!(upload(&server, &token, r#"{"sport_id": 5, "title": "GPX run"}"#, &gpx_run(START, 60)).status, 201);
    let ride = upload_file(&server, &token, "ride.fit", &file("ride.fit"), r#"{"sport_id": 1, "title": "FIT ride"}"#);
    assert_eq!(ride.status, 201, "{}", ride.text());
    let manual = json!({"sport_id": 5, "workout_date": "2024-05-02 18:00", "duration": 1800, "distance": 6.5, "title": "By hand"});
    assert_eq!(server.post("/api/workouts/no_gpx").bearer(&token).json(&manual).send().status, 201);
    let shoes = json!({"label": "Shoes", "equipment_type_id": 1});
    assert_eq!(server.post("/api/equipments").bearer(&token).json(&shoes).send().status, 201);
    let sport = json!({"sport_id": 5, "color": "#aa0000", "stopped_speed_threshold": 2});
    assert_eq!(server.post("/api/auth/profile/edit/sports").bearer(&token).json(&sport).send().status, 200);
    let uploader = app(&server, &token);
    tokens(&server, &token, &uploader, "profile:read");
    server
}

/// A database of schema `version` holding what `source` holds, in the
/// columns that version had.
fn at_version(source: &Path, version: usize, target: &Path) {
    let conn = Connection::open(target).unwrap();
    for sql in &migrations()[..version] {
        conn.execute_batch(sql).unwrap();
    }
    conn.pragma_update(None, "user_version", version as i64).unwrap();
    conn.execute("ATTACH DATABASE ?1 AS source", [source.to_str().unwrap()]).unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let columns = |schema: &str, table: &str| -> Vec<String> {
        conn.prepare(&format!("PRAGMA {schema}.table_info(\"{table}\")"))
            .unwrap()
            .query_map([], |r| r.get::<_, String>(1))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    for table in tables {
        let theirs = columns("source", &table);
        let shared: Vec<String> = columns("main", &table).into_iter().filter(|c| theirs.contains(c)).collect();
        let list = shared.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(", ");
        conn.execute_batch(&format!(
            "DELETE FROM main.\"{table}\"; INSERT INTO main.\"{table}\" ({list}) SELECT {list} FROM source.\"{table}\";"
        ))
        .unwrap();
    }
    conn.execute("DETACH DATABASE source", []).unwrap();
    conn.execute_batch("VACUUM").unwrap();
}

#[test]
#[ignore = "writes the fixture of a new schema version (run once when adding a migration)"]
fn write_missing_schema_fixtures() {
    let mut server = populated();
    server.kill9();
    std::fs::create_dir_all(fixtures()).unwrap();
    for version in 1..=migrations().len() {
        let fixture = fixtures().join(format!("v{version}.db"));
        if !fixture.exists() {
            at_version(&server.db_path(), version, &fixture);
        }
    }
}

fn schema(conn: &Connection) -> Vec<(String, String)> {
    conn.prepare("SELECT name, coalesce(sql, '') FROM sqlite_master ORDER BY name")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn a_database_of_every_earlier_version_migrates_and_serves_its_data() {
    let fresh = Server::start();
    let current = schema(&fresh.db());
    let known = migrations().len();
    for version in 1..=known {
        let fixture = fixtures().join(format!("v{version}.db"));
        assert!(fixture.exists(), "no fixture for schema version {version}: run write_missing_schema_fixtures");
        let dir = tempfile::tempdir().unwrap();
        let database = dir.path().join("fittrackee.db");
        std::fs::copy(&fixture, &database).unwrap();
        let server = Server::start_in(dir, &database, "");
        let db = server.db();
        let migrated: i64 = db.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
        assert_eq!(migrated as usize, known, "v{version} migrated to the current version");
        assert_eq!(schema(&db), current, "v{version}: the same schema as a new database");
        let token = server.login("keeper");
        let workouts = server.get("/api/workouts").bearer(&token).send().json()["data"]["workouts"].clone();
        let titles: Vec<&str> = workouts.as_array().unwrap().iter().map(|w| w["title"].as_str().unwrap()).collect();
        if version < 4 {
            assert!(titles.is_empty(), "v{version} had no workouts");
            continue;
        }
        assert_eq!(titles, ["FIT ride", "By hand", "GPX run"], "v{version}");
        for w in workouts.as_array().unwrap().iter().filter(|w| w["title"] != "By hand") {
            let id = w["id"].as_str().unwrap();
            let chart = server.get(&format!("/api/workouts/{id}/chart_data")).bearer(&token).send();
            assert_eq!(chart.status, 200, "v{version}: {}", chart.text());
            assert!(chart.json()["data"]["chart_data"].as_array().unwrap().len() > 10, "v{version}: points computed");
            let original = server.get(&format!("/api/workouts/{id}/original/download")).bearer(&token).send();
            assert_eq!(original.status, 200, "v{version}: the file is kept");
        }
        let apps = server.get("/api/oauth/apps").bearer(&token).send().json()["data"]["clients"].clone();
        assert_eq!(apps.as_array().unwrap().len(), 1, "v{version}: the app");
        let running = server.get("/api/sports/5").bearer(&token).send().json()["data"]["sports"][0]["color"].clone();
        assert_eq!(running, "#aa0000", "v{version}: sport preferences");
    }
}

#[test]
fn a_database_of_a_newer_version_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("fittrackee.db");
    std::fs::copy(fixtures().join("v1.db"), &database).unwrap();
    let conn = Connection::open(&database).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    let before = std::fs::read(&database).unwrap();
    let config = dir.path().join("fittrackee.toml");
    std::fs::write(&config, format!("listen = \"127.0.0.1:0\"\ndatabase = \"{}\"\n", database.display())).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_fittrackee"))
        .arg("--config")
        .arg(&config)
        .arg("serve")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let message = String::from_utf8_lossy(&out.stderr);
    assert!(message.contains("the database has schema version 99, this binary knows up to"), "{message}");
    assert!(message.contains("use a newer binary"), "{message}");
    assert_eq!(std::fs::read(&database).unwrap(), before, "the file is unchanged");
    assert!(!dir.path().join("fittrackee.db-wal").exists(), "not even switched to WAL");
}
