//! Server-generated keys, created on first start and kept in the database so
//! that tokens survive restarts and the backup is one file.

use rusqlite::{Connection, OptionalExtension, params};

use super::Error;

/// Returns the 32-byte key called `name`, generating it the first time.
pub fn key(conn: &Connection, name: &str) -> Result<[u8; 32], Error> {
    let fresh = crate::crypto::random_bytes::<32>();
    conn.execute("INSERT OR IGNORE INTO settings (key, value) VALUES (?1, ?2)", params![name, &fresh[..]])?;
    let stored: Option<Vec<u8>> =
        conn.query_row("SELECT value FROM settings WHERE key = ?1", [name], |row| row.get(0)).optional()?;
    stored.and_then(|bytes| <[u8; 32]>::try_from(bytes).ok()).ok_or(Error::QueryReturnedNoRows)
}
