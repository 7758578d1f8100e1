//! The authorization server's records: apps, codes, tokens, grants.

use crate::accounts::user::AuthUser;

#[derive(Debug, Clone, PartialEq)]
pub struct Client {
    pub id: i64,
    pub client_id: String,
    pub secret_hash: Vec<u8>,
    pub user_id: i64,
    pub name: String,
    pub description: Option<String>,
    pub website: String,
    pub redirect_uris: Vec<String>,
    pub scope: String,
    pub require_pkce: bool,
    pub issued_at: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Code {
    pub id: i64,
    pub client_id: i64,
    pub user_id: i64,
    pub scope: String,
    pub redirect_uri: Option<String>,
    pub code_challenge: Option<String>,
    pub code_challenge_method: Option<String>,
    pub expires_at: i64,
    pub used_at: Option<i64>,
    pub grant_id: Option<i64>,
}

/// A refresh token with what decides whether it may be used.
#[derive(Debug, Clone, PartialEq)]
pub struct RefreshToken {
    pub token_id: i64,
    pub grant_id: i64,
    pub client_id: i64,
    pub grant_scope: String,
    pub refresh_expires_at: i64,
    pub rotated_at: Option<i64>,
    pub grant_revoked: bool,
}

/// What the guard needs from a live access token: one indexed lookup.
#[derive(Debug, Clone, PartialEq)]
pub struct AccessToken {
    pub grant_id: i64,
    pub scope: String,
    pub last_used_at: Option<i64>,
    pub user: AuthUser,
}

/// A live grant as the apps tab lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct GrantSummary {
    pub id: i64,
    pub app_name: String,
    pub app_website: String,
    pub owner: String,
    pub scope: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
}

/// What a user asks for when registering an app.
#[derive(Debug, Clone, Copy)]
pub struct NewApp<'a> {
    pub name: &'a str,
    pub description: Option<&'a str>,
    pub website: &'a str,
    pub redirect_uris: &'a [String],
    /// Space-separated scope names; unknown names are dropped.
    pub scope: &'a str,
    pub require_pkce: bool,
}
