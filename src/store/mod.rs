//! Storage: the one SQLite file, its schema migrations, and every SQL
//! statement of the product. Nothing outside this module writes SQL.
//!
//! Connections are pooled (one per busy worker at most), so readers never
//! queue behind one global lock; SQLite in WAL mode lets them read while a
//! writer commits. Every write goes through [`Db::write`]: one `BEGIN
//! IMMEDIATE` transaction on the one writing connection, so a read that
//! decides a write cannot race, and a failed request leaves nothing
//! half-written.

/// A struct from the columns of a row, by name: a bare field reads the
/// column of its name, `field: expr` is computed.
macro_rules! columns {
    ($row:expr => $ty:ident { $($field:ident $(: $value:expr)?),* $(,)? }) => {
        $ty { $($field: columns!(@field $row, $field $(, $value)?),)* }
    };
    (@field $row:expr, $field:ident) => {
        $row.get(stringify!($field))?
    };
    (@field $row:expr, $field:ident, $value:expr) => {
        $value
    };
}

pub mod app_config;
pub mod backup;
mod checkpoint;
pub mod equipments;
pub mod exports;
pub mod lists;
pub mod maps;
pub mod oauth;
pub mod points;
pub mod records;
pub mod sessions;
pub mod settings;
pub mod sports;
pub mod tasks;
pub mod users;
pub mod workouts;

use std::fmt;
use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use rusqlite::config::DbConfig;

use checkpoint::Checkpointer;
use rusqlite::{Connection, TransactionBehavior};

use crate::visibility::Visibility;

pub type Error = rusqlite::Error;

/// Schema migrations; `PRAGMA user_version` counts the ones applied.
/// Never edit one that has shipped: add the next.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/001_accounts.sql"),
    include_str!("migrations/002_oauth.sql"),
    include_str!("migrations/003_sports.sql"),
    include_str!("migrations/004_workouts.sql"),
    include_str!("migrations/005_points.sql"),
    include_str!("migrations/006_pauses.sql"),
    include_str!("migrations/007_upload_tasks.sql"),
    include_str!("migrations/008_maps_and_pictures.sql"),
    include_str!("migrations/009_statistics_index.sql"),
    include_str!("migrations/010_points_format.sql"),
    include_str!("migrations/011_data_exports.sql"),
];

/// Bytes the WAL file is truncated to after a checkpoint resets it.
const WAL_SIZE_LIMIT: i64 = 16 * 1024 * 1024;

/// Idle connections kept for reuse; more are opened under load and closed after.
const MAX_IDLE_CONNECTIONS: usize = 32;

pub struct Store {
    path: PathBuf,
    /// Largest database size in bytes (0: no limit), enforced by SQLite on
    /// every connection: a write beyond it fails with SQLITE_FULL.
    max_size: u64,
    idle: Mutex<Vec<Connection>>,
    /// The one connection that writes. Writers take turns on it rather than
    /// in SQLite, whose busy handler polls with growing sleeps (a queue of
    /// writers waited up to 200 ms); and its page cache stays warm, since
    /// only commits by other connections empty a connection's cache.
    writer: Mutex<Connection>,
    /// Counts the writes committed by this process (see [`Store::generation`]).
    generation: AtomicU64,
    checkpointer: Checkpointer,
}

#[derive(Debug)]
pub enum OpenError {
    Sqlite(Error),
    Thread(std::io::Error),
    NewerSchema { found: usize, known: usize },
}

impl fmt::Display for OpenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OpenError::Sqlite(e) => write!(f, "{e}"),
            OpenError::Thread(e) => write!(f, "cannot start the checkpoint thread: {e}"),
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
        refuse_newer_schema(path)?;
        let mut writer = open_connection(path, max_size)?;
        migrate(&mut writer)?;
        // Checkpoints happen in their own thread, not inside the writing turn.
        writer.pragma_update(None, "wal_autocheckpoint", 0)?;
        // What the writer waits for (readers, when the checkpointer restarts
        // the WAL; the command line) is short: poll often, not SQLite's
        // 1, 2, 5… 100 ms sleeps.
        writer.busy_handler(Some(poll_briefly))?;
        let checkpointer = Checkpointer::start(open_connection(path, max_size)?).map_err(OpenError::Thread)?;
        Ok(Store {
            path: path.to_path_buf(),
            max_size,
            idle: Mutex::new(Vec::new()),
            writer: Mutex::new(writer),
            generation: AtomicU64::new(0),
            checkpointer,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Folds the WAL into the database file and empties it (at shutdown:
    /// the file alone then holds everything).
    pub fn checkpoint(&self) -> Result<(), Error> {
        let writer = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        writer.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
    }

    /// Changes after every write this process commits, once the write is
    /// visible: what was read before it may be stale. (Another process, the
    /// command line, writes without changing it.)
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
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
    // After a burst of writes the WAL shrinks back to this once checkpointed
    // (otherwise the file keeps its largest size: a GB after a benchmark).
    conn.pragma_update(None, "journal_size_limit", WAL_SIZE_LIMIT)?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // Plans that do not depend on bound values: otherwise SQLite (built with
    // STAT4) recompiles a cached statement whenever its parameters change,
    // which was most of the cost of a simple GET.
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    if max_size > 0 {
        // Pages freed by deletions are reused, so deleting data makes room
        // again without a VACUUM. SQLite never sets it below the current size.
        let page_size: i64 = conn.pragma_query_value(None, "page_size", |row| row.get(0))?;
        let pages = i64::try_from(max_size).unwrap_or(i64::MAX) / page_size.max(1);
        conn.pragma_update(None, "max_page_count", pages.max(1))?;
    }
    Ok(conn)
}

/// A busy handler polling every 200 µs, for up to 5 s.
fn poll_briefly(retries: i32) -> bool {
    const POLL: Duration = Duration::from_micros(200);
    if retries >= 25_000 {
        return false;
    }
    std::thread::sleep(POLL);
    true
}

/// A database written by a newer binary is refused before anything touches
/// it (switching it to WAL would already change its file).
fn refuse_newer_schema(path: &Path) -> Result<(), OpenError> {
    if !path.exists() {
        return Ok(());
    }
    let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)?;
    let version: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    let found = usize::try_from(version).unwrap_or(usize::MAX);
    if found > MIGRATIONS.len() {
        return Err(OpenError::NewerSchema { found, known: MIGRATIONS.len() });
    }
    Ok(())
}

/// The migrations not yet applied, each in its own transaction with the
/// version it brings: one that fails leaves the database as it was before it.
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
        let mut writer = self.store.writer.lock().unwrap_or_else(|p| p.into_inner());
        let tx = writer.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let value = f(&tx)?;
        tx.commit()?;
        self.store.generation.fetch_add(1, Ordering::Release);
        self.store.checkpointer.after_commit(&writer);
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

/// A visibility column (stored by name).
pub(crate) fn visibility(row: &rusqlite::Row<'_>, column: &str) -> Result<Visibility, Error> {
    let name: String = row.get(column)?;
    Visibility::parse(&name).ok_or_else(|| {
        let index = row.as_ref().column_index(column).unwrap_or_default();
        Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, format!("visibility {name:?}").into())
    })
}

/// Whether the database answers a query (the health check).
pub fn answers(conn: &Connection) -> bool {
    conn.query_row("SELECT 1", [], |r| r.get::<_, i64>(0)).is_ok()
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
mod tests;
