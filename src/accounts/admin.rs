//! What administrators do to other accounts (`PATCH /api/users/<username>`),
//! and deleting an account, with FitTrackee's rules and messages.

use super::passwords::Hasher;
use super::{Role, is_valid_email};
use crate::crypto::random_alphanumeric;
use crate::store::users::{self, AuthUser, User};
use crate::store::{self, Db};

#[derive(Debug)]
pub enum Refusal {
    NotFound,
    Forbidden(&'static str),
    Invalid(&'static str),
    Store(store::Error),
}

impl From<store::Error> for Refusal {
    fn from(e: store::Error) -> Self {
        Refusal::Store(e)
    }
}

pub const NOT_FOUND: &str = "user does not exist";

#[derive(Default)]
pub struct AdminChange<'a> {
    pub role: Option<&'a str>,
    pub activate: Option<bool>,
    pub reset_password: bool,
    pub new_email: Option<&'a str>,
}

/// Applies an administrator's change in one transaction; returns the user after it.
pub fn update_user(
    db: &mut Db<'_>,
    hasher: &Hasher,
    admin: &AuthUser,
    username: &str,
    change: &AdminChange<'_>,
    now: i64,
) -> Result<User, Refusal> {
    let role = match change.role {
        None => None,
        Some("owner") => return Err(Refusal::Invalid("'owner' can not be set via API, please user CLI instead")),
        Some(name) => Some(Role::parse(name).ok_or(Refusal::Invalid("invalid role"))?),
    };
    // A random password nobody knows: the account is locked until reset (CLI).
    let new_hash = change.reset_password.then(|| hasher.hash(&random_alphanumeric(32)));
    db.write(|tx| {
        let user = users::by_username(tx, username)?.ok_or(Refusal::NotFound)?;
        if user.role == Role::Owner {
            return Err(Refusal::Invalid("user with owner rights can not be modified"));
        }
        if change.activate == Some(false) && user.id == admin.id {
            return Err(Refusal::Forbidden(crate::guard::NO_PERMISSION));
        }
        if let Some(email) = change.new_email {
            if !is_valid_email(email) {
                return Err(Refusal::Invalid("valid email must be provided"));
            }
            if email.eq_ignore_ascii_case(&user.email) {
                return Err(Refusal::Invalid("new email must be different than current email"));
            }
            if users::email_taken(tx, email)? {
                return Err(Refusal::Invalid("sorry, that email is already used"));
            }
            users::set_email(tx, user.id, email)?;
        }
        if let Some(role) = role {
            users::set_role(tx, user.id, role)?;
            if role >= Role::Moderator {
                users::set_active(tx, user.id, true)?;
            }
        }
        if let Some(active) = change.activate {
            users::set_active(tx, user.id, active)?;
        }
        if let Some(hash) = &new_hash {
            users::set_password_hash(tx, user.id, hash)?;
            super::end_access(tx, user.id, None, now)?;
        }
        users::by_id(tx, user.id)?.ok_or(Refusal::NotFound)
    })
}

/// Deletes an account and everything it owns, in one transaction. Users may
/// delete themselves; admins anyone but another owner; the last admin
/// cannot leave.
pub fn delete_user(db: &mut Db<'_>, caller: &AuthUser, username: &str) -> Result<(), Refusal> {
    db.write(|tx| {
        let target = users::by_username(tx, username)?.ok_or(Refusal::NotFound)?;
        let itself = target.id == caller.id;
        if !itself && target.role == Role::Owner {
            return Err(Refusal::Forbidden("you can not delete owner account"));
        }
        if !itself && caller.role < Role::Admin {
            return Err(Refusal::Forbidden(crate::guard::NO_PERMISSION));
        }
        if target.role >= Role::Admin && users::count_admins(tx)? <= 1 {
            return Err(Refusal::Forbidden("you can not delete your account, no other user has admin rights"));
        }
        users::delete(tx, target.id)?;
        Ok(())
    })
}
