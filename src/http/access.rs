//! Who may call a route, as the route table declares it. The refinements
//! are `const fn`s that refuse, at compile time, what does not apply to a
//! kind of access (a `panic!` in a `const` context stops the build), so the
//! table cannot say something the guard would not do.
//!
//! One default for everyone: suspended users are refused unless a route
//! says `.suspended_ok()`.
//!
//! ```compile_fail,E0080
//! use fittrackee::accounts::user::Role;
//! use fittrackee::http::access::Access;
//! // A minimum role means nothing to a first-party route: the build stops.
//! static WRONG: Access = Access::first_party().min_role(Role::Admin);
//! ```
//!
//! ```
//! use fittrackee::accounts::user::Role;
//! use fittrackee::http::access::Access;
//! use fittrackee::oauth::scopes::Scope;
//! static RIGHT: Access = Access::scope(Scope::UsersWrite).min_role(Role::Admin);
//! ```

use super::{Ctx, HttpError};
use crate::accounts::user::Role;
use crate::oauth::scopes::Scope;

/// A check a page runs before it asks the visitor to sign in (the consent
/// page refuses a bad request even to visitors who are not signed in).
pub type PreCheck = fn(&mut Ctx<'_>) -> Result<(), HttpError>;

#[derive(Debug, Clone, Copy)]
pub enum Access {
    /// Anyone; credentials are not even read.
    Public,
    /// A first-party JWT only: OAuth tokens never pass.
    FirstParty { suspended_ok: bool },
    /// A first-party JWT (full access), or an OAuth access token holding `scope`.
    Scoped { scope: Scope, min_role: Role, suspended_ok: bool, anonymous_ok: bool },
    /// A browser page, by session cookie. Every POST must carry the
    /// session's CSRF token; the guard reads and checks the form.
    Page { sign_in: SignIn, suspended_ok: bool, first: Option<PreCheck>, min_role: Role },
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SignIn {
    /// Visitors pass; a signed-in user is known to the handler.
    Optional,
    /// Visitors are sent to the sign-in page and come back.
    Required,
}

impl Access {
    pub const fn scope(scope: Scope) -> Access {
        Access::Scoped { scope, min_role: Role::User, suspended_ok: false, anonymous_ok: false }
    }

    pub const fn first_party() -> Access {
        Access::FirstParty { suspended_ok: false }
    }

    pub const fn signed_in_page() -> Access {
        Access::Page { sign_in: SignIn::Required, suspended_ok: false, first: None, min_role: Role::User }
    }

    /// A page for anyone: its visitor's account state is not checked.
    pub const fn open_page() -> Access {
        Access::Page { sign_in: SignIn::Optional, suspended_ok: true, first: None, min_role: Role::User }
    }

    /// Suspended users pass too.
    pub const fn suspended_ok(self) -> Access {
        match self {
            Access::Scoped { scope, min_role, anonymous_ok, .. } => {
                Access::Scoped { scope, min_role, suspended_ok: true, anonymous_ok }
            }
            Access::FirstParty { .. } => Access::FirstParty { suspended_ok: true },
            Access::Page { sign_in: SignIn::Required, first, min_role, .. } => {
                Access::Page { sign_in: SignIn::Required, suspended_ok: true, first, min_role }
            }
            Access::Page { .. } => panic!("open pages do not check suspension"),
            Access::Public => panic!("public routes check no account"),
        }
    }

    /// Callers without credentials pass as anonymous.
    pub const fn anonymous_ok(self) -> Access {
        match self {
            Access::Scoped { scope, min_role, suspended_ok, .. } => {
                Access::Scoped { scope, min_role, suspended_ok, anonymous_ok: true }
            }
            _ => panic!("only scoped routes can admit anonymous callers"),
        }
    }

    pub const fn min_role(self, role: Role) -> Access {
        match self {
            Access::Scoped { scope, suspended_ok, anonymous_ok, .. } => {
                Access::Scoped { scope, min_role: role, suspended_ok, anonymous_ok }
            }
            Access::Page { sign_in: SignIn::Required, suspended_ok, first, .. } => {
                Access::Page { sign_in: SignIn::Required, suspended_ok, first, min_role: role }
            }
            _ => panic!("a minimum role applies to scoped routes and signed-in pages only"),
        }
    }

    /// Runs `check` before the visitor is asked to sign in.
    pub const fn checked_before_sign_in(self, check: PreCheck) -> Access {
        match self {
            Access::Page { sign_in: SignIn::Required, suspended_ok, first: None, min_role } => {
                Access::Page { sign_in: SignIn::Required, suspended_ok, first: Some(check), min_role }
            }
            _ => panic!("only a page that requires signing in can check before it"),
        }
    }

    pub fn is_page(&self) -> bool {
        matches!(self, Access::Page { .. })
    }

    pub fn is_public(&self) -> bool {
        matches!(self, Access::Public)
    }
}
