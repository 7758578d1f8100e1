//! Changing and deleting accounts: what administrators do to other accounts
//! (`PATCH /api/users/<username>`, the admin pages) and what the operator
//! does at the command line (`users update`). One function for all of them;
//! only the rules of who may do what differ (see [`Actor`]).

use std::fmt;

use rusqlite::Connection;

use super::passwords::Hasher;
use super::rules::is_valid_email;
use super::user::{AuthUser, Role, User};
use crate::crypto::random_alphanumeric;
use crate::store::{self, Db, users};

/// Who changes an account.
#[derive(Debug, Clone, Copy)]
pub enum Actor<'a> {
    /// An administrator, through the API or the pages: FitTrackee's rules
    /// (no owner role, owners untouched, no deactivating oneself).
    Admin(&'a AuthUser),
    /// The operator at the command line, who may do anything.
    Operator,
}

#[derive(Debug, Default, Clone)]
pub struct UserChange<'a> {
    pub role: Option<Role>,
    pub active: Option<bool>,
    pub reset_password: bool,
    pub email: Option<&'a str>,
}

impl UserChange<'_> {
    pub fn is_empty(&self) -> bool {
        self.role.is_none() && self.active.is_none() && !self.reset_password && self.email.is_none()
    }
}

/// The account after a change, and its new password when it was reset (the
/// command line prints it, the admin page shows it once; FitTrackee's API
/// never returns it).
#[derive(Debug)]
pub struct Updated {
    pub user: User,
    pub new_password: Option<String>,
}

#[derive(Debug)]
pub enum AdminError {
    NotFound,
    OwnerRoleNeedsOperator,
    OwnerCannotBeChanged,
    NoPermission,
    InvalidEmail,
    SameEmail,
    EmailTaken,
    CannotDeleteOwner,
    LastAdmin,
    Store(store::Error),
}

impl fmt::Display for AdminError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AdminError::NotFound => "user does not exist",
            AdminError::OwnerRoleNeedsOperator => "'owner' can not be set via API, please user CLI instead",
            AdminError::OwnerCannotBeChanged => "user with owner rights can not be modified",
            AdminError::NoPermission => "you do not have permissions",
            AdminError::InvalidEmail => "valid email must be provided",
            AdminError::SameEmail => "new email must be different than current email",
            AdminError::EmailTaken => "sorry, that email is already used",
            AdminError::CannotDeleteOwner => "you can not delete owner account",
            AdminError::LastAdmin => "you can not delete your account, no other user has admin rights",
            AdminError::Store(e) => return e.fmt(f),
        })
    }
}

impl From<store::Error> for AdminError {
    fn from(e: store::Error) -> Self {
        AdminError::Store(e)
    }
}

/// Generated passwords: 16 alphanumeric characters (≈95 bits).
pub fn generate_password() -> String {
    random_alphanumeric(16)
}

/// Applies `change` to `username` in one transaction. A new password ends
/// every session, grant and unexchanged code of the account.
pub fn update_user(
    db: &mut Db<'_>,
    hasher: &Hasher,
    actor: Actor<'_>,
    username: &str,
    change: &UserChange<'_>,
    now: i64,
) -> Result<Updated, AdminError> {
    if let (Actor::Admin(_), Some(Role::Owner)) = (actor, change.role) {
        return Err(AdminError::OwnerRoleNeedsOperator);
    }
    let new_password = change.reset_password.then(generate_password);
    // Hash outside the write lock: argon2 is the slow part.
    let new_hash = new_password.as_deref().map(|p| hasher.hash(p));
    let user = db.write(|tx| {
        let user = users::by_username(tx, username)?.ok_or(AdminError::NotFound)?;
        check_actor(actor, &user, change)?;
        if let Some(email) = change.email {
            set_email(tx, actor, &user, email)?;
        }
        if let Some(role) = change.role {
            users::set_role(tx, user.id, role)?;
            if role >= Role::Moderator {
                users::set_active(tx, user.id, true)?;
            }
        }
        if let Some(active) = change.active {
            users::set_active(tx, user.id, active)?;
        }
        if let Some(hash) = &new_hash {
            users::set_password_hash(tx, user.id, hash)?;
            super::end_access(tx, user.id, None, now)?;
        }
        users::by_id(tx, user.id)?.ok_or(AdminError::NotFound)
    })?;
    Ok(Updated { user, new_password })
}

fn check_actor(actor: Actor<'_>, user: &User, change: &UserChange<'_>) -> Result<(), AdminError> {
    let Actor::Admin(admin) = actor else { return Ok(()) };
    if user.role == Role::Owner {
        return Err(AdminError::OwnerCannotBeChanged);
    }
    if change.active == Some(false) && user.id == admin.id {
        return Err(AdminError::NoPermission);
    }
    Ok(())
}

fn set_email(tx: &Connection, actor: Actor<'_>, user: &User, email: &str) -> Result<(), AdminError> {
    if !is_valid_email(email) {
        return Err(AdminError::InvalidEmail);
    }
    if email.eq_ignore_ascii_case(&user.email) {
        return match actor {
            Actor::Admin(_) => Err(AdminError::SameEmail),
            Actor::Operator => Ok(()),
        };
    }
    if users::email_taken(tx, email)? {
        return Err(AdminError::EmailTaken);
    }
    users::set_email(tx, user.id, email)?;
    Ok(())
}

/// Deletes an account and everything it owns, in one transaction. Users may
/// delete themselves; admins anyone but another owner; the last admin
/// cannot leave.
pub fn delete_user(db: &mut Db<'_>, caller: &AuthUser, username: &str) -> Result<(), AdminError> {
    db.write(|tx| {
        let target = users::by_username(tx, username)?.ok_or(AdminError::NotFound)?;
        let itself = target.id == caller.id;
        if !itself && target.role == Role::Owner {
            return Err(AdminError::CannotDeleteOwner);
        }
        if !itself && caller.role < Role::Admin {
            return Err(AdminError::NoPermission);
        }
        if target.role >= Role::Admin && users::count_admins(tx)? <= 1 {
            return Err(AdminError::LastAdmin);
        }
        users::delete(tx, target.id)?;
        Ok(())
    })
}

/// An account the operator creates at the command line.
pub struct NewAccount<'a> {
    pub username: &'a str,
    pub email: &'a str,
    /// Generated (and returned) when `None`.
    pub password: Option<&'a str>,
    pub role: Role,
}

#[derive(Debug)]
pub enum CreateError {
    Invalid(super::rules::Problems),
    UsernameTaken(String),
    EmailTaken(String),
    Store(store::Error),
}

impl fmt::Display for CreateError {
    /// One sentence for the operator (the first problem, when several).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CreateError::Invalid(problems) => problems.first().map_or(Ok(()), |p| p.fmt(f)),
            CreateError::UsernameTaken(name) => write!(f, "the username '{name}' is already taken"),
            CreateError::EmailTaken(email) => write!(f, "the email '{email}' is already used"),
            CreateError::Store(e) => e.fmt(f),
        }
    }
}

impl From<store::Error> for CreateError {
    fn from(e: store::Error) -> Self {
        CreateError::Store(e)
    }
}

/// Creates an active account (no policy accepted yet); returns the
/// generated password when none was given.
pub fn create_account(
    db: &mut Db<'_>,
    hasher: &Hasher,
    account: &NewAccount<'_>,
    now: i64,
) -> Result<Option<String>, CreateError> {
    use super::rules::{email_problems, password_problems, username_problems};
    let generated = account.password.is_none().then(generate_password);
    let password = account.password.or(generated.as_deref()).unwrap_or_default();
    let problems =
        username_problems(account.username).extend(email_problems(account.email)).extend(password_problems(password));
    if !problems.is_empty() {
        return Err(CreateError::Invalid(problems));
    }
    let hash = hasher.hash(password);
    db.write(|tx| {
        if users::username_taken(tx, account.username)? {
            return Err(CreateError::UsernameTaken(account.username.to_string()));
        }
        if users::email_taken(tx, account.email)? {
            return Err(CreateError::EmailTaken(account.email.to_string()));
        }
        let new = users::NewUser {
            username: account.username,
            email: account.email,
            password_hash: &hash,
            role: account.role,
            language: "en",
            timezone: "Europe/Paris",
            accepted_policy_at: None,
            now,
        };
        users::insert(tx, &new)?;
        Ok(())
    })?;
    Ok(generated)
}
