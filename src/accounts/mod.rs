//! Accounts: registration, password checks and first-party sign-in (API
//! tokens and browser sessions). Shared by the JSON API, the browser pages
//! and the command line, so the rules exist once.

pub mod admin;
pub mod devices;
pub mod passwords;
pub mod picture;
pub mod profile;
pub mod rules;
pub mod user;

use std::fmt;

use rusqlite::Connection;

use crate::crypto::{self, jwt, sha256};
use crate::store::{self, Db, sessions, users};
use rules::{Problems, email_problems, language_or_default, password_problems, timezone_or_default, username_problems};
use user::Role;

/// First-party tokens and browser sessions last 30 days (FitTrackee's default).
pub const SESSION_LIFETIME: i64 = 30 * 86_400;

pub struct Registration<'a> {
    pub username: &'a str,
    pub email: &'a str,
    pub password: &'a str,
    pub accepted_policy: bool,
    pub language: Option<&'a str>,
    pub timezone: Option<&'a str>,
}

#[derive(Debug)]
pub enum RegisterError {
    /// `max_users` reached.
    Disabled,
    PolicyNotAccepted,
    Invalid(Problems),
    UsernameTaken,
    Store(store::Error),
}

impl fmt::Display for RegisterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RegisterError::Disabled => f.write_str("error, registration is disabled"),
            RegisterError::PolicyNotAccepted => f.write_str("sorry, you must agree privacy policy to register"),
            RegisterError::Invalid(problems) => problems.fmt(f),
            RegisterError::UsernameTaken => f.write_str("sorry, that username is already taken"),
            RegisterError::Store(e) => e.fmt(f),
        }
    }
}

impl From<store::Error> for RegisterError {
    fn from(e: store::Error) -> Self {
        RegisterError::Store(e)
    }
}

pub fn registration_open(conn: &Connection) -> Result<bool, store::Error> {
    let max_users = store::app_config::get(conn)?.max_users;
    Ok(max_users == 0 || users::count(conn)? < max_users)
}

/// Creates an active account, in FitTrackee's order of checks. An email that
/// is already used answers like a success and creates nothing (no
/// enumeration of accounts).
pub fn register(
    db: &mut Db<'_>,
    hasher: &passwords::Hasher,
    reg: &Registration<'_>,
    now: i64,
) -> Result<(), RegisterError> {
    if !registration_open(db)? {
        return Err(RegisterError::Disabled);
    }
    if !reg.accepted_policy {
        return Err(RegisterError::PolicyNotAccepted);
    }
    let problems =
        username_problems(reg.username).extend(email_problems(reg.email)).extend(password_problems(reg.password));
    if !problems.is_empty() {
        return Err(RegisterError::Invalid(problems));
    }
    if users::username_taken(db, reg.username)? {
        return Err(RegisterError::UsernameTaken);
    }
    if users::email_taken(db, reg.email)? {
        return Ok(());
    }
    // Hash outside the write lock: argon2 is the slow part.
    let password_hash = hasher.hash(reg.password);
    db.write(|tx| {
        // Checked again inside the transaction: another request may have won.
        if !registration_open(tx)? {
            return Err(RegisterError::Disabled);
        }
        if users::username_taken(tx, reg.username)? {
            return Err(RegisterError::UsernameTaken);
        }
        if users::email_taken(tx, reg.email)? {
            return Ok(());
        }
        let account = users::NewUser {
            username: reg.username,
            email: reg.email,
            password_hash: &password_hash,
            role: Role::User,
            language: language_or_default(reg.language),
            timezone: &timezone_or_default(reg.timezone),
            accepted_policy_at: Some(now),
            now,
        };
        users::insert(tx, &account)?;
        Ok(())
    })
}

/// The id of the active account with these credentials. Unknown emails cost
/// the same argon2 time as known ones.
pub fn check_credentials(
    conn: &Connection,
    hasher: &passwords::Hasher,
    email: &str,
    password: &str,
) -> Result<Option<i64>, store::Error> {
    match users::login_candidate(conn, email)? {
        Some((id, stored)) => Ok(hasher.verify(password, &stored).then_some(id)),
        None => {
            hasher.verify_nothing(password);
            Ok(None)
        }
    }
}

/// What a new password ends, on every path that sets one (a change, an
/// admin's reset, the command line): every first-party session (API and
/// browser) but `keep`, every OAuth grant and every unredeemed code. A
/// thief's copy of any of them stops working at once.
pub fn end_access(conn: &Connection, user_id: i64, keep: Option<i64>, now: i64) -> Result<(), store::Error> {
    sessions::delete_others(conn, user_id, keep)?;
    store::oauth::revoke_user_grants(conn, user_id, now)?;
    store::oauth::delete_unredeemed_codes(conn, user_id)?;
    Ok(())
}

/// Opens an API session and returns its JWT.
pub fn issue_api_token(db: &mut Db<'_>, jwt_key: &[u8], user_id: i64, now: i64) -> Result<String, store::Error> {
    let expires_at = now + SESSION_LIFETIME;
    let session_id = db.write(|tx| sessions::create(tx, user_id, None, now, expires_at))?;
    Ok(jwt::encode(jwt_key, &jwt::Claims { user_id, session_id, issued_at: now, expires_at }))
}

/// Opens a browser session and returns the cookie value.
pub fn start_browser_session(db: &mut Db<'_>, user_id: i64, now: i64) -> Result<String, store::Error> {
    let cookie = crypto::random_secret();
    let hash = sha256(cookie.as_bytes());
    db.write(|tx| sessions::create(tx, user_id, Some(&hash), now, now + SESSION_LIFETIME))?;
    Ok(cookie)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_order_and_names() {
        assert!(Role::Admin > Role::Moderator && Role::Moderator > Role::User);
        for role in Role::ALL {
            assert_eq!(Role::parse(role.name()), Some(role));
            assert_eq!(Role::from_level(role.level()), role);
        }
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn registration_refusals_read_like_fittrackee() {
        let invalid = RegisterError::Invalid(username_problems("a").extend(password_problems("b")));
        assert_eq!(invalid.to_string(), "username: 3 to 30 characters required\npassword: 8 characters required\n");
        assert_eq!(RegisterError::UsernameTaken.to_string(), "sorry, that username is already taken");
    }
}
