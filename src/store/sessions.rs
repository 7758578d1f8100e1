//! First-party sessions: API logins (JWT with a `sid` claim) and browser
//! logins (cookie, stored as its SHA-256).

use rusqlite::{Connection, OptionalExtension, params};

use super::Error;
use super::users::auth_user_from_row;
use crate::accounts::user::AuthUser;

const AUTH_USER: &str = "u.id, u.username, u.role, u.is_active, u.suspended_at";

/// Opens a session and returns its id. Expired sessions of the same user are
/// swept at the same time, so the table does not grow without bound.
pub fn create(
    conn: &Connection,
    user_id: i64,
    cookie_hash: Option<&[u8]>,
    now: i64,
    expires_at: i64,
) -> Result<i64, Error> {
    conn.prepare_cached("DELETE FROM sessions WHERE user_id = ?1 AND expires_at <= ?2")?
        .execute(params![user_id, now])?;
    conn.prepare_cached("INSERT INTO sessions (user_id, cookie_hash, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![user_id, cookie_hash, now, expires_at])?;
    Ok(conn.last_insert_rowid())
}

/// The user of a live API session named by a verified JWT.
pub fn user_by_session_id(
    conn: &Connection,
    session_id: i64,
    user_id: i64,
    now: i64,
) -> Result<Option<AuthUser>, Error> {
    conn.prepare_cached(&format!(
        "SELECT {AUTH_USER} FROM sessions s JOIN users u ON u.id = s.user_id \
         WHERE s.id = ?1 AND s.user_id = ?2 AND s.expires_at > ?3"
    ))?
    .query_row(params![session_id, user_id, now], auth_user_from_row)
    .optional()
}

/// The session id and user of a live browser session.
pub fn user_by_cookie(conn: &Connection, cookie_hash: &[u8], now: i64) -> Result<Option<(i64, AuthUser)>, Error> {
    conn.prepare_cached(&format!(
        "SELECT {AUTH_USER}, s.id AS session_id FROM sessions s JOIN users u ON u.id = s.user_id \
         WHERE s.cookie_hash = ?1 AND s.expires_at > ?2"
    ))?
    .query_row(params![cookie_hash, now], |row| Ok((row.get("session_id")?, auth_user_from_row(row)?)))
    .optional()
}

pub fn delete(conn: &Connection, session_id: i64) -> Result<(), Error> {
    conn.prepare_cached("DELETE FROM sessions WHERE id = ?1")?.execute([session_id])?;
    Ok(())
}

/// Ends every session of the user but `keep` (the one making the change).
pub fn delete_others(conn: &Connection, user_id: i64, keep: Option<i64>) -> Result<usize, Error> {
    conn.prepare_cached("DELETE FROM sessions WHERE user_id = ?1 AND id IS NOT ?2")?.execute(params![user_id, keep])
}
