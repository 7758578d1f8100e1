//! Account administration for the command line (`fittrackee users …`).
//! Errors are one sentence for the operator.

use rusqlite::Connection;

use super::{Role, email_errors, password_errors, passwords::Hasher, username_errors};
use crate::crypto::random_alphanumeric;
use crate::store::{self, Db, users};

pub struct NewAccount<'a> {
    pub username: &'a str,
    pub email: &'a str,
    pub password: Option<&'a str>,
    pub role: Role,
}

/// Generated passwords: 16 alphanumeric characters (≈95 bits).
fn generate_password() -> String {
    random_alphanumeric(16)
}

fn first_line(messages: &str) -> String {
    messages.lines().next().unwrap_or("").to_string()
}

/// Creates an active account; returns the generated password when none was given.
pub fn create(db: &mut Db<'_>, hasher: &Hasher, account: &NewAccount<'_>, now: i64) -> Result<Option<String>, String> {
    let problems = username_errors(account.username) + email_errors(account.email);
    if !problems.is_empty() {
        return Err(first_line(&problems));
    }
    let generated = account.password.is_none().then(generate_password);
    let password = account.password.or(generated.as_deref()).unwrap_or_default();
    if !password_errors(password).is_empty() {
        return Err(first_line(password_errors(password)));
    }
    let hash = hasher.hash(password);
    db.write(|tx| {
        if users::username_taken(tx, account.username)? {
            return Ok(Err(format!("the username '{}' is already taken", account.username)));
        }
        if users::email_taken(tx, account.email)? {
            return Ok(Err(format!("the email '{}' is already used", account.email)));
        }
        users::insert(
            tx,
            &users::NewUser {
                username: account.username,
                email: account.email,
                password_hash: &hash,
                role: account.role,
                language: "en",
                timezone: "Europe/Paris",
                accepted_policy_at: None,
                now,
            },
        )?;
        Ok::<_, store::Error>(Ok(()))
    })
    .map_err(|e| e.to_string())??;
    Ok(generated)
}

#[derive(Default)]
pub struct Changes<'a> {
    pub role: Option<Role>,
    pub activate: bool,
    pub reset_password: bool,
    pub email: Option<&'a str>,
}

/// Applies the changes in one transaction; returns the new password when reset.
pub fn update(
    db: &mut Db<'_>,
    hasher: &Hasher,
    username: &str,
    changes: &Changes<'_>,
    now: i64,
) -> Result<Option<String>, String> {
    if let Some(email) = changes.email
        && !email_errors(email).is_empty()
    {
        return Err(first_line(email_errors(email)));
    }
    let new_password = changes.reset_password.then(generate_password);
    let hash = new_password.as_deref().map(|p| hasher.hash(p));
    db.write(|tx| apply(tx, username, changes, hash.as_deref(), now)).map_err(|e| e.to_string())??;
    Ok(new_password)
}

fn apply(
    tx: &Connection,
    username: &str,
    changes: &Changes<'_>,
    hash: Option<&str>,
    now: i64,
) -> Result<Result<(), String>, store::Error> {
    let Some(user) = users::by_username(tx, username)? else {
        return Ok(Err(format!("no user is called '{username}'")));
    };
    if let Some(email) = changes.email {
        if users::email_taken(tx, email)? && !user.email.eq_ignore_ascii_case(email) {
            return Ok(Err(format!("the email '{email}' is already used")));
        }
        users::set_email(tx, user.id, email)?;
    }
    if let Some(role) = changes.role {
        users::set_role(tx, user.id, role)?;
    }
    if changes.activate {
        users::set_active(tx, user.id, true)?;
    }
    if let Some(hash) = hash {
        users::set_password_hash(tx, user.id, hash)?;
        super::end_access(tx, user.id, None, now)?;
    }
    Ok(Ok(()))
}
