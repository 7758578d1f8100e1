//! The OAuth 2.0 authorization server: apps, authorization, codes, tokens,
//! revocation. These are plain functions over request structs, the store
//! and a clock reading (`now`), so that expiry, replay and rotation are
//! tested without sleeping; HTTP handlers only parse and serialize.

pub mod authorize;
pub mod clients;
pub mod model;
pub mod pkce;
pub mod redirect_uri;
pub mod revoke;
pub mod scopes;
pub mod token;

use crate::store::{self, Db};

/// `oauth2 clean --days N`: deletes tokens whose refresh lifetime ended
/// more than `days` days ago (they can never work again) and codes past
/// their expiry. Returns how many tokens and codes went.
pub fn clean(db: &mut Db<'_>, days: u32, now: i64) -> Result<(usize, usize), store::Error> {
    let before = now - i64::from(days) * 86_400;
    db.write(|tx| store::oauth::clean(tx, before, now))
}

/// An RFC 6749 §5.2 error: code, optional description, HTTP status.
#[derive(Debug, Clone, PartialEq)]
pub struct OAuthError {
    pub code: &'static str,
    pub description: Option<String>,
    pub status: u16,
    /// The client authenticated with HTTP Basic: a 401 must say so (§5.2).
    pub basic_challenge: bool,
}

impl OAuthError {
    pub fn new(code: &'static str, description: Option<&str>) -> OAuthError {
        OAuthError { code, description: description.map(str::to_owned), status: 400, basic_challenge: false }
    }

    pub fn invalid_request(description: &str) -> OAuthError {
        OAuthError::new("invalid_request", Some(description))
    }

    pub fn invalid_grant(description: Option<&str>) -> OAuthError {
        OAuthError::new("invalid_grant", description)
    }

    pub fn invalid_code() -> OAuthError {
        OAuthError::invalid_grant(Some("Invalid 'code' in request."))
    }

    pub fn invalid_scope() -> OAuthError {
        OAuthError::new("invalid_scope", Some("The requested scope is invalid, unknown, or malformed."))
    }

    pub fn missing(parameter: &str) -> OAuthError {
        OAuthError::invalid_request(&format!("Missing '{parameter}' in request."))
    }

    pub fn repeated(parameter: &str) -> OAuthError {
        OAuthError::invalid_request(&format!("Multiple '{parameter}' in request."))
    }
}

/// Either the protocol said no, or storage failed.
#[derive(Debug)]
pub enum Error {
    OAuth(OAuthError),
    Store(store::Error),
}

impl From<OAuthError> for Error {
    fn from(e: OAuthError) -> Error {
        Error::OAuth(e)
    }
}

impl From<store::Error> for Error {
    fn from(e: store::Error) -> Error {
        Error::Store(e)
    }
}

/// A protocol parameter as the request sent it: absent (or empty, RFC 6749
/// §3.1), once, or more than once (an error where one is expected).
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Param {
    #[default]
    Absent,
    One(String),
    Repeated,
}

impl Param {
    /// The value, or the protocol error for a repeated `name`.
    pub fn single(&self, name: &str) -> Result<Option<&str>, OAuthError> {
        match self {
            Param::Absent => Ok(None),
            Param::One(value) => Ok(Some(value)),
            Param::Repeated => Err(OAuthError::repeated(name)),
        }
    }
}
