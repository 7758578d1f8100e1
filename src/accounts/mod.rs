//! Accounts: roles, registration rules, password checks and first-party
//! sign-in (API tokens and browser sessions). Shared by the JSON API, the
//! browser pages and the command line, so the rules exist once.

pub mod admin;
pub mod devices;
pub mod jwt;
pub mod manage;
pub mod passwords;
pub mod profile;

use rusqlite::Connection;

use crate::crypto::{self, sha256};
use crate::store::{self, Db, sessions, users};

/// First-party tokens and browser sessions last 30 days (FitTrackee's default).
pub const SESSION_LIFETIME: i64 = 30 * 86_400;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    User,
    Moderator,
    Admin,
    Owner,
}

impl Role {
    pub fn level(self) -> i64 {
        match self {
            Role::User => 10,
            Role::Moderator => 30,
            Role::Admin => 50,
            Role::Owner => 100,
        }
    }

    pub fn from_level(level: i64) -> Role {
        match level {
            100.. => Role::Owner,
            50.. => Role::Admin,
            30.. => Role::Moderator,
            _ => Role::User,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Role::User => "user",
            Role::Moderator => "moderator",
            Role::Admin => "admin",
            Role::Owner => "owner",
        }
    }

    pub fn parse(name: &str) -> Option<Role> {
        [Role::User, Role::Moderator, Role::Admin, Role::Owner].into_iter().find(|role| role.name() == name)
    }
}

/// Languages FitTrackee ships; anything else falls back to `en`.
pub const LANGUAGES: &[&str] = &[
    "bg", "ca", "cs", "de", "en", "es", "eu", "fr", "gl", "hr", "it", "kab", "nb", "nl", "pl", "pt", "ru", "tr",
    "zh_Hans",
];

pub fn language_or_default(language: Option<&str>) -> &str {
    language.filter(|l| LANGUAGES.contains(l)).unwrap_or("en")
}

/// The IANA name of a known time zone, in its canonical spelling.
pub fn canonical_timezone(name: &str) -> Option<String> {
    Some(jiff::tz::db().get(name).ok()?.iana_name()?.to_string())
}

pub fn timezone_or_default(timezone: Option<&str>) -> String {
    timezone.and_then(canonical_timezone).unwrap_or_else(|| "Europe/Paris".to_string())
}

// FitTrackee's field rules, with its exact messages (each ends in "\n").

pub fn username_errors(username: &str) -> String {
    let mut out = String::new();
    if !(3..=30).contains(&username.chars().count()) {
        out.push_str("username: 3 to 30 characters required\n");
    }
    if !username.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') || username.is_empty() {
        out.push_str("username: only alphanumeric characters and the underscore character \"_\" allowed\n");
    }
    out
}

/// FitTrackee's pattern: `^[a-zA-Z0-9_.+-]+@[a-zA-Z0-9-]+\.[a-zA-Z0-9-.]+$`.
pub fn is_valid_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    let Some((first, rest)) = domain.split_once('.') else {
        return false;
    };
    let all = |s: &str, extra: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || extra.contains(c));
    all(local, "_.+-") && all(first, "-") && all(rest, "-.")
}

pub fn email_errors(email: &str) -> &'static str {
    if is_valid_email(email) { "" } else { "email: valid email must be provided\n" }
}

pub fn password_errors(password: &str) -> &'static str {
    if password.chars().count() >= 8 { "" } else { "password: 8 characters required\n" }
}

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
    /// The concatenated field messages.
    Invalid(String),
    UsernameTaken,
    Store(store::Error),
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
    let problems = username_errors(reg.username) + email_errors(reg.email) + password_errors(reg.password);
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
        users::insert(
            tx,
            &users::NewUser {
                username: reg.username,
                email: reg.email,
                password_hash: &password_hash,
                role: Role::User,
                language: language_or_default(reg.language),
                timezone: &timezone_or_default(reg.timezone),
                accepted_policy_at: Some(now),
                now,
            },
        )?;
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
    fn field_rules_match_fittrackee() {
        assert_eq!(username_errors("bob"), "");
        assert_eq!(username_errors("b_0b_9"), "");
        assert_eq!(username_errors("ab"), "username: 3 to 30 characters required\n");
        assert_eq!(
            username_errors("bo b!"),
            "username: only alphanumeric characters and the underscore character \"_\" allowed\n"
        );
        assert_eq!(username_errors(&"a".repeat(31)), "username: 3 to 30 characters required\n");
        for good in ["a@b.c", "first.last+tag@sub-domain.example.org", "x_y@a-b.c-d.e"] {
            assert!(is_valid_email(good), "{good}");
        }
        for bad in ["", "a", "a@b", "@b.c", "a@.c", "a@b.", "a b@c.d", "a@b_c.d", "a@@b.c"] {
            assert!(!is_valid_email(bad), "{bad}");
        }
        assert_eq!(password_errors("1234567"), "password: 8 characters required\n");
        assert_eq!(password_errors("12345678"), "");
    }

    #[test]
    fn roles_order_and_names() {
        assert!(Role::Admin > Role::Moderator && Role::Moderator > Role::User);
        for role in [Role::User, Role::Moderator, Role::Admin, Role::Owner] {
            assert_eq!(Role::parse(role.name()), Some(role));
            assert_eq!(Role::from_level(role.level()), role);
        }
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn unknown_language_and_timezone_fall_back() {
        assert_eq!(language_or_default(Some("fr")), "fr");
        assert_eq!(language_or_default(Some("xx")), "en");
        assert_eq!(timezone_or_default(Some("America/New_York")), "America/New_York");
        assert_eq!(timezone_or_default(Some("america/new_york")), "America/New_York");
        assert_eq!(timezone_or_default(Some("Mars/Olympus")), "Europe/Paris");
    }
}
