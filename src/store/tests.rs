use super::*;

#[test]
fn migrations_run_once_and_set_user_version() {
    let (dir, store) = test_support::temp_store();
    let version: i64 = store.conn().unwrap().pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
    assert_eq!(version as usize, MIGRATIONS.len());
    drop(store);
    // Reopening applies nothing twice.
    Store::open(&dir.path().join("test.db"), 0).unwrap();
}

#[test]
fn pauses_of_workouts_stored_before_they_were_a_column_are_duration_minus_moving() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    let conn = Connection::open(&path).unwrap();
    let before_pauses = MIGRATIONS.iter().position(|m| m.contains("ADD COLUMN pauses")).unwrap();
    for migration in &MIGRATIONS[..before_pauses] {
        conn.execute_batch(migration).unwrap();
    }
    conn.pragma_update(None, "user_version", before_pauses as i64).unwrap();
    conn.execute_batch(
        "INSERT INTO users (username, email, password_hash, created_at) VALUES ('u', 'u@x.y', 'h', 0);
         INSERT INTO workouts (short_id, user_id, sport_id, title, workout_date, duration, moving, distance,
             workout_visibility, analysis_visibility, map_visibility, created_at)
         VALUES ('w', 1, 1, 'ride', 0, 3600, 3000, 30, 'private', 'private', 'private', 0);",
    )
    .unwrap();
    drop(conn);
    let store = Store::open(&path, 0).unwrap();
    let pauses: f64 = store.conn().unwrap().query_row("SELECT pauses FROM workouts", [], |r| r.get(0)).unwrap();
    assert_eq!(pauses, 600.0);
}

#[test]
fn a_newer_schema_is_refused() {
    let (dir, store) = test_support::temp_store();
    store.conn().unwrap().pragma_update(None, "user_version", 999).unwrap();
    drop(store);
    let err = Store::open(&dir.path().join("test.db"), 0).err().expect("refused");
    assert!(err.to_string().contains("schema version 999"));
}

#[test]
fn a_failed_write_leaves_nothing() {
    let (_dir, store) = test_support::temp_store();
    let mut db = store.conn().unwrap();
    let result: Result<(), Error> = db.write(|tx| {
        tx.execute("INSERT INTO settings (key, value) VALUES ('a', x'00')", [])?;
        tx.execute("INSERT INTO settings (key, value) VALUES ('a', x'00')", [])?; // duplicate key
        Ok(())
    });
    assert!(result.is_err());
    let count: i64 = db.query_row("SELECT count(*) FROM settings WHERE key = 'a'", [], |r| r.get(0)).unwrap();
    assert_eq!(count, 0);
}

#[test]
fn the_size_limit_refuses_writes_as_storage_full_until_data_is_deleted() {
    let dir = tempfile::tempdir().unwrap();
    // The empty schema takes about 50 pages; room is left for a few blobs.
    let store = Store::open(&dir.path().join("test.db"), 128 * 4096).unwrap();
    let mut db = store.conn().unwrap();
    let blob = vec![7u8; 32 * 1024];
    let insert = |db: &mut Db<'_>, key: usize| {
        db.write(|tx| tx.execute("INSERT INTO settings (key, value) VALUES (?1, ?2)", (key.to_string(), &blob)))
    };
    let stored = (0..64).take_while(|key| insert(&mut db, *key).is_ok()).count();
    assert!((2..64).contains(&stored), "{stored} blobs stored");
    let full = insert(&mut db, 1000).expect_err("the limit is reached");
    assert!(is_unavailable(&full) && is_storage_full(&full), "{full}");
    db.write(|tx| tx.execute("DELETE FROM settings WHERE key IN ('0', '1')", [])).unwrap();
    insert(&mut db, 1000).expect("freed pages are reused");
}

#[test]
fn the_generation_moves_with_committed_writes_only() {
    let (_dir, store) = test_support::temp_store();
    let mut db = store.conn().unwrap();
    let before = store.generation();
    let _ = db.write(|tx| tx.execute("INSERT INTO settings (key, value) VALUES ('g', x'00'), ('g', x'00')", []));
    assert_eq!(store.generation(), before, "a rolled-back write");
    db.write(|tx| tx.execute("INSERT INTO settings (key, value) VALUES ('g', x'00')", [])).unwrap();
    assert_eq!(store.generation(), before + 1);
}

#[test]
fn commits_are_checkpointed_into_the_database_file_in_the_background() {
    let (dir, store) = test_support::temp_store();
    let file = dir.path().join("test.db");
    let before = std::fs::metadata(&file).unwrap().len();
    let blob = vec![1u8; 1024 * 1024];
    store
        .conn()
        .unwrap()
        .write(|tx| tx.execute("INSERT INTO settings (key, value) VALUES ('big', ?1)", [&blob]))
        .unwrap();
    let grown = (0..50).any(|_| {
        std::thread::sleep(Duration::from_millis(50));
        std::fs::metadata(&file).unwrap().len() >= before + blob.len() as u64
    });
    assert!(grown, "the main file still has {} bytes", std::fs::metadata(&file).unwrap().len());
}

#[test]
fn the_wal_stays_bounded_under_constant_reads_and_writes() {
    let (dir, store) = test_support::temp_store();
    let wal = dir.path().join("test.db-wal");
    let done = std::sync::atomic::AtomicBool::new(false);
    let largest = std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                while !done.load(Ordering::Relaxed) {
                    let db = store.conn().unwrap();
                    let _: i64 = db.query_row("SELECT count(*) FROM settings", [], |r| r.get(0)).unwrap();
                }
            });
        }
        let mut db = store.conn().unwrap();
        let mut largest = 0;
        for n in 0..1500 {
            let value = vec![n as u8; 8000];
            db.write(|tx| tx.execute("INSERT INTO settings (key, value) VALUES (?1, ?2)", (n.to_string(), value)))
                .unwrap();
            largest = largest.max(std::fs::metadata(&wal).map_or(0, |m| m.len()));
            std::thread::sleep(Duration::from_millis(1)); // commits spread over several checkpoints
        }
        done.store(true, Ordering::Relaxed);
        largest
    });
    // 1500 commits of an 8 KB row with readers always present: without
    // restarts the WAL holds every frame (over 50 MB); with them, about
    // a checkpoint period's worth.
    assert!(largest < 24 * 1024 * 1024, "the WAL reached {largest} bytes");
}

#[test]
fn wal_and_foreign_keys_are_on() {
    let (_dir, store) = test_support::temp_store();
    let db = store.conn().unwrap();
    let mode: String = db.pragma_query_value(None, "journal_mode", |r| r.get(0)).unwrap();
    let fk: i64 = db.pragma_query_value(None, "foreign_keys", |r| r.get(0)).unwrap();
    assert_eq!((mode.as_str(), fk), ("wal", 1));
}
