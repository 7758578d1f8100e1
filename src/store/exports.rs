//! Data export requests and their archives.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::Error;
use crate::exports::model::DataExport;

const COLUMNS: &str = "id, user_id, created_at, completed, file_name, length(archive) AS file_size";

fn from_row(row: &Row<'_>) -> Result<DataExport, Error> {
    Ok(columns!(row => DataExport { id, user_id, created_at, completed, file_name, file_size }))
}

pub fn of_user(conn: &Connection, user_id: i64) -> Result<Option<DataExport>, Error> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM data_exports WHERE user_id = ?1"))?
        .query_row([user_id], from_row)
        .optional()
}

/// A new pending request of `user_id`, in place of any earlier one.
pub fn replace(conn: &Connection, user_id: i64, now: i64) -> Result<DataExport, Error> {
    conn.execute("DELETE FROM data_exports WHERE user_id = ?1", [user_id])?;
    conn.execute("INSERT INTO data_exports (user_id, created_at) VALUES (?1, ?2)", params![user_id, now])?;
    of_user(conn, user_id)?.ok_or(Error::QueryReturnedNoRows)
}

/// The oldest request still to build.
pub fn next_pending(conn: &Connection) -> Result<Option<DataExport>, Error> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM data_exports WHERE completed = 0 ORDER BY created_at LIMIT 1"))?
        .query_row([], from_row)
        .optional()
}

pub fn pending_count(conn: &Connection) -> Result<i64, Error> {
    conn.prepare_cached("SELECT count(*) FROM data_exports WHERE completed = 0")?.query_row([], |row| row.get(0))
}

/// Marks the request built: with its archive, or failed (`None`).
pub fn complete(conn: &Connection, id: i64, archive: Option<(&str, &[u8])>) -> Result<(), Error> {
    let (file_name, content) = archive.map_or((None, None), |(name, bytes)| (Some(name), Some(bytes)));
    conn.execute(
        "UPDATE data_exports SET completed = 1, file_name = ?2, archive = ?3 WHERE id = ?1",
        params![id, file_name, content],
    )?;
    Ok(())
}

/// The archive named `file_name` of `user_id`'s completed export.
pub fn archive(conn: &Connection, user_id: i64, file_name: &str) -> Result<Option<Vec<u8>>, Error> {
    conn.prepare_cached(
        "SELECT archive FROM data_exports WHERE user_id = ?1 AND completed = 1 AND file_name = ?2 AND archive IS NOT NULL",
    )?
    .query_row(params![user_id, file_name], |row| row.get(0))
    .optional()
}

/// Whether a completed export was requested before `before`.
pub fn any_before(conn: &Connection, before: i64) -> Result<bool, Error> {
    conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM data_exports WHERE completed = 1 AND created_at < ?1)")?
        .query_row([before], |row| row.get(0))
}

/// Deletes the completed exports requested before `before`.
pub fn delete_before(conn: &Connection, before: i64) -> Result<usize, Error> {
    conn.execute("DELETE FROM data_exports WHERE completed = 1 AND created_at < ?1", [before])
}
