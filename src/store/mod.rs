//! Storage: the one SQLite file, its schema migrations, and every SQL
//! statement of the product. Nothing outside this module writes SQL.
//!
//! Connections are pooled (one per busy worker at most), so readers never
//! queue behind one global lock; SQLite in WAL mode lets them read while a
//! writer commits. Every write goes through [`Db::write`]: one `BEGIN
//! IMMEDIATE` transaction, so a read that decides a write cannot race, and a
//! failed request leaves nothing half-written.

pub mod app_config;
pub mod equipments;
pub mod oauth;
pub mod sessions;
pub mod settings;
pub mod sports;
pub mod users;
pub mod workouts;

use std::fmt;
use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use rusqlite::{Connection, TransactionBehavior};

pub type Error = rusqlite::Error;

/// Schema migrations; `PRAGMA user_version` counts the ones applied.
/// Never edit one that has shipped: add the next.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/001_accounts.sql"),
    include_str!("migrations/002_oauth.sql"),
    include_str!("migrations/003_sports.sql"),
    include_str!("migrations/004_workouts.sql"),
];

/// Idle connections kept for reuse; more are opened under load and closed after.
const MAX_IDLE_CONNECTIONS: usize = 32;

pub struct Store {
    path: PathBuf,
    /// Largest database size in bytes (0: no limit), enforced by SQLite on
    /// every connection: a write beyond it fails with SQLITE_FULL.
    max_size: u64,
    idle: Mutex<Vec<Connection>>,
}

#[derive(Debug)]
pub enum OpenError {
    Sqlite(Error),
    NewerSchema { found: usize, known: usize },
}

impl fmt::Display for OpenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OpenError::Sqlite(e) => write!(f, "{e}"),
            OpenError::NewerSchema { found, known } => write!(
                f,
                "the database has schema version {found}, this binary knows up to {known}: use a newer binary"
            ),
        }
    }
}

impl From<Error> for OpenError {
    fn from(e: Error) -> Self {
        OpenError::Sqlite(e)
    }
}

impl Store {
    /// Opens (creating if needed) the database and brings its schema up to date.
    /// `max_size` caps the file in bytes (0: no limit).
    pub fn open(path: &Path, max_size: u64) -> Result<Store, OpenError> {
        let mut conn = open_connection(path, max_size)?;
        migrate(&mut conn)?;
        Ok(Store { path: path.to_path_buf(), max_size, idle: Mutex::new(vec![conn]) })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A connection for the current request, returned to the pool on drop.
    pub fn conn(&self) -> Result<Db<'_>, Error> {
        let pooled = self.idle.lock().unwrap_or_else(|p| p.into_inner()).pop();
        let conn = match pooled {
            Some(conn) => conn,
            None => open_connection(&self.path, self.max_size)?,
        };
        Ok(Db { conn: Some(conn), store: self })
    }
}

fn open_connection(path: &Path, max_size: u64) -> Result<Connection, Error> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(Duration::from_secs(5))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    // In WAL mode, NORMAL survives a crash of the process (every commit is in
    // the WAL before we answer); only a power cut can lose the last commits.
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    if max_size > 0 {
        // Pages freed by deletions are reused, so deleting data makes room
        // again without a VACUUM. SQLite never sets it below the current size.
        let page_size: i64 = conn.pragma_query_value(None, "page_size", |row| row.get(0))?;
        let pages = i64::try_from(max_size).unwrap_or(i64::MAX) / page_size.max(1);
        conn.pragma_update(None, "max_page_count", pages.max(1))?;
    }
    Ok(conn)
}

fn migrate(conn: &mut Connection) -> Result<(), OpenError> {
    let version: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    let version = usize::try_from(version).unwrap_or(usize::MAX);
    if version > MIGRATIONS.len() {
        return Err(OpenError::NewerSchema { found: version, known: MIGRATIONS.len() });
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(version) {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}

/// A pooled connection.
pub struct Db<'s> {
    conn: Option<Connection>,
    store: &'s Store,
}

impl Db<'_> {
    /// Runs `f` in one `BEGIN IMMEDIATE` transaction: committed when `f`
    /// returns `Ok`, rolled back when it returns `Err`. Work that must stick
    /// even though the request fails (revoking a replayed grant) returns `Ok`.
    pub fn write<T, E: From<Error>>(&mut self, f: impl FnOnce(&Connection) -> Result<T, E>) -> Result<T, E> {
        let conn = self.conn.as_mut().expect("a pooled connection is present until drop");
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let value = f(&tx)?;
        tx.commit()?;
        Ok(value)
    }
}

impl Deref for Db<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        self.conn.as_ref().expect("a pooled connection is present until drop")
    }
}

impl Drop for Db<'_> {
    fn drop(&mut self) {
        let Some(conn) = self.conn.take() else { return };
        // A connection left inside a transaction (a panic mid-write) is closed, not reused.
        if !conn.is_autocommit() {
            return;
        }
        let mut idle = self.store.idle.lock().unwrap_or_else(|p| p.into_inner());
        if idle.len() < MAX_IDLE_CONNECTIONS {
            idle.push(conn);
        }
    }
}

/// SQLite errors that mean "the storage cannot take writes right now"
/// (disk full, I/O error, locked for too long), as opposed to a bug.
pub fn is_unavailable(error: &Error) -> bool {
    use rusqlite::ErrorCode::*;
    matches!(
        error.sqlite_error_code(),
        Some(DiskFull | SystemIoFailure | DatabaseBusy | DatabaseLocked | CannotOpen | ReadOnly)
    )
}

/// The database reached its size limit or the disk is full.
pub fn is_storage_full(error: &Error) -> bool {
    error.sqlite_error_code() == Some(rusqlite::ErrorCode::DiskFull)
}

#[cfg(test)]
pub(crate) mod test_support {
    use super::*;

    /// A migrated database in a fresh temporary file.
    pub fn temp_store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(&dir.path().join("test.db"), 0).expect("open store");
        (dir, store)
    }
}

#[cfg(test)]
mod tests {
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
    fn wal_and_foreign_keys_are_on() {
        let (_dir, store) = test_support::temp_store();
        let db = store.conn().unwrap();
        let mode: String = db.pragma_query_value(None, "journal_mode", |r| r.get(0)).unwrap();
        let fk: i64 = db.pragma_query_value(None, "foreign_keys", |r| r.get(0)).unwrap();
        assert_eq!((mode.as_str(), fk), ("wal", 1));
    }
}
