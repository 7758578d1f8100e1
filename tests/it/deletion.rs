//! Deleting an account removes every row of the user (workouts, files,
//! points, equipment, sessions, grants, data exports, the apps they own and
//! every token of those apps, even other users') and nothing else: every table's rows are
//! compared before and after.

use std::collections::{BTreeMap, BTreeSet};

use rusqlite::Connection;
use rusqlite::types::Value;

use crate::oauth::{app, tokens};
use crate::schemas::populated;
use crate::workouts::{START, gpx_run, upload};

type Row = (String, Vec<(String, String)>);

/// Every row of every table: (table, columns as text).
fn snapshot(conn: &Connection) -> Vec<Row> {
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut rows = Vec::new();
    for table in tables {
        let mut statement = conn.prepare(&format!("SELECT * FROM \"{table}\"")).unwrap();
        let names: Vec<String> = statement.column_names().map(|n| n.to_string()).collect();
        let found: Vec<Row> = statement
            .query_map([], |r| {
                let values = (0..names.len())
                    .map(|i| {
                        let text = match r.get::<_, Value>(i)? {
                            Value::Blob(b) => format!("blob of {} bytes", b.len()),
                            other => format!("{other:?}"),
                        };
                        Ok((names[i].clone(), text))
                    })
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                Ok((table.clone(), values))
            })
            .unwrap()
            .map(Result::unwrap)
            .collect();
        rows.extend(found);
    }
    rows
}

/// The rows (their places in `rows`) that lead to `user_id` through
/// foreign keys.
fn owned_by(conn: &Connection, rows: &[Row], user_id: i64) -> BTreeSet<usize> {
    let mut keys: BTreeMap<String, Vec<(String, String, String)>> = BTreeMap::new();
    for (table, _) in rows {
        keys.entry(table.clone()).or_insert_with(|| {
            conn.prepare(&format!("PRAGMA foreign_key_list(\"{table}\")"))
                .unwrap()
                .query_map([], |r| Ok((r.get::<_, String>(3)?, r.get::<_, String>(2)?, r.get::<_, String>(4)?)))
                .unwrap()
                .map(Result::unwrap)
                .collect()
        });
    }
    let value = |row: &Row, column: &str| row.1.iter().find(|(c, _)| c == column).map(|(_, v)| v.clone());
    let user = format!("{:?}", Value::Integer(user_id));
    let mut owned: BTreeSet<usize> =
        rows.iter().position(|r| r.0 == "users" && value(r, "id") == Some(user.clone())).into_iter().collect();
    loop {
        let before = owned.len();
        for (i, row) in rows.iter().enumerate() {
            let reaches = keys[&row.0].iter().any(|(column, parent, parent_column)| {
                let Some(v) = value(row, column) else { return false };
                owned.iter().any(|&p| &rows[p].0 == parent && value(&rows[p], parent_column) == Some(v.clone()))
            });
            if reaches {
                owned.insert(i);
            }
        }
        if owned.len() == before {
            return owned;
        }
    }
}

#[test]
fn deleting_an_account_removes_its_rows_and_nothing_else() {
    let server = populated();
    let keeper = server.login("keeper");
    let other = server.user("stays");
    upload(&server, &other, r#"{"sport_id": 5}"#, &gpx_run(START + 86_400, 60));
    let others_app = app(&server, &other);
    tokens(&server, &keeper, &others_app, "profile:read");
    let keepers_app: serde_json::Value =
        server.get("/api/oauth/apps").bearer(&keeper).send().json()["data"]["clients"][0].clone();
    assert!(keepers_app.is_object());
    // The other user authorizes the keeper's app: those tokens go with the app.
    let keeper_client = crate::oauth::App {
        id: keepers_app["id"].as_i64().unwrap(),
        client_id: keepers_app["client_id"].as_str().unwrap().to_string(),
        secret: String::new(),
    };
    let code = crate::oauth::code(&server, &other, &keeper_client, &[]);
    assert!(!code.is_empty());
    for token in [&keeper, &other] {
        assert_eq!(server.post("/api/auth/account/export/request").bearer(token).send().status, 200);
    }
    let started = std::time::Instant::now();
    while server
        .db()
        .query_row("SELECT count(*) FROM data_exports WHERE completed = 0", [], |r| r.get::<_, i64>(0))
        .unwrap()
        > 0
    {
        assert!(started.elapsed() < std::time::Duration::from_secs(20), "exports never built");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }

    let db = server.db();
    let before = snapshot(&db);
    let keeper_id: i64 = db.query_row("SELECT id FROM users WHERE username = 'keeper'", [], |r| r.get(0)).unwrap();
    let owned = owned_by(&db, &before, keeper_id);
    let tables_touched: BTreeSet<&str> = owned.iter().map(|&i| before[i].0.as_str()).collect();
    for table in [
        "workouts",
        "workout_files",
        "workout_points",
        "workout_segments",
        "records",
        "equipments",
        "oauth_clients",
        "oauth_grants",
        "oauth_tokens",
        "oauth_codes",
        "sport_preferences",
        "user_sport_totals",
    ] {
        assert!(tables_touched.contains(table), "the keeper has rows in {table}");
    }

    let deleted = server.delete("/api/users/keeper").bearer(&keeper).send();
    assert_eq!(deleted.status, 204, "{}", deleted.text());
    let after = snapshot(&server.db());
    let expected: Vec<&Row> = before.iter().enumerate().filter(|(i, _)| !owned.contains(i)).map(|(_, r)| r).collect();
    let kept: Vec<&Row> = after.iter().collect();
    assert_eq!(kept.len(), expected.len(), "rows left");
    for row in &expected {
        assert!(after.contains(row), "a row of someone else changed or went: {row:?}");
    }
    let grants_left = after.iter().filter(|r| r.0 == "oauth_grants").count();
    assert_eq!(grants_left, 0, "the keeper's grant on the other's app and the other's on the keeper's app both go");
    assert!(after.iter().any(|r| r.0 == "oauth_clients"), "the other user's app stays");
    assert!(after.iter().any(|r| r.0 == "workouts"), "the other user's workout stays");
}
