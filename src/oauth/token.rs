//! The token endpoint (RFC 6749 §4.1.3, §6): authorization codes and
//! refresh tokens in, access and refresh tokens out.
//!
//! Each exchange is one `BEGIN IMMEDIATE` transaction. Security state that
//! must survive a refusal (revoking what a replayed code or refresh token
//! produced) is committed before the refusal is returned.

use rusqlite::Connection;

use super::clients::{self, Credentials};
use super::model::Code;
use super::scopes::{self, Scope};
use super::{Error, OAuthError, pkce};
use crate::config::OAuthConfig;
use crate::crypto::{random_secret, sha256};
use crate::log;
use crate::store::oauth::{self as store, NewTokens};
use crate::store::{self as storage, Db};

/// A refresh token presented again this long after its rotation is taken as
/// stolen and ends the grant; sooner, it is an honest concurrent refresh.
pub const REUSE_GRACE_SECONDS: i64 = 30;

pub struct TokenRequest<'a> {
    pub grant_type: Option<&'a str>,
    pub credentials: Credentials,
    pub code: Option<&'a str>,
    pub redirect_uri: Option<&'a str>,
    pub code_verifier: Option<&'a str>,
    pub refresh_token: Option<&'a str>,
    pub scope: Option<&'a str>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Tokens {
    pub access_token: String,
    pub refresh_token: String,
    pub expires_in: i64,
    /// Space-separated; omitted from the answer when empty.
    pub scope: String,
}

/// Handles a token request of either grant type.
pub fn issue(db: &mut Db<'_>, req: &TokenRequest<'_>, now: i64, config: &OAuthConfig) -> Result<Tokens, Error> {
    let refresh = match req.grant_type {
        None => return Err(OAuthError::missing("grant_type").into()),
        Some("authorization_code") => false,
        Some("refresh_token") => true,
        Some(_) => return Err(OAuthError::new("unsupported_grant_type", None).into()),
    };
    let client = clients::authenticate(db, &req.credentials)?;
    let outcome = if refresh {
        let presented = req.refresh_token.ok_or_else(|| OAuthError::missing("refresh_token"))?;
        let requested = match req.scope {
            Some(list) => Some(scopes::parse_known(list).ok_or_else(OAuthError::invalid_scope)?),
            None => None,
        };
        db.write(|tx| refresh_tokens(tx, client.id, presented, requested.as_deref(), now, config))?
    } else {
        let code = req.code.ok_or_else(|| OAuthError::missing("code"))?;
        if let Some(verifier) = req.code_verifier
            && !pkce::is_well_formed(verifier)
        {
            return Err(OAuthError::invalid_request("Invalid 'code_verifier'").into());
        }
        db.write(|tx| exchange_code(tx, client.id, code, req, now, config))?
    };
    outcome.map_err(Error::OAuth)
}

type Outcome = Result<Result<Tokens, OAuthError>, storage::Error>;

fn exchange_code(
    tx: &Connection,
    client_id: i64,
    code: &str,
    req: &TokenRequest<'_>,
    now: i64,
    config: &OAuthConfig,
) -> Outcome {
    let Some(code) = store::code_by_hash(tx, &sha256(code.as_bytes()))? else {
        return Ok(Err(OAuthError::invalid_code()));
    };
    if code.client_id != client_id {
        return Ok(Err(OAuthError::invalid_code()));
    }
    // A replay only counts when the replaying request itself would have
    // passed: a thief without the verifier cannot revoke the victim's tokens.
    let binding = check_binding(&code, req);
    if code.used_at.is_some() {
        if let (Ok(()), Some(grant_id)) = (&binding, code.grant_id) {
            store::revoke_grant(tx, grant_id, now)?;
            let client = req.credentials.client_id.as_deref().unwrap_or("");
            log::security("code_replay", &[("client_id", client), ("revoked_grant", &grant_id.to_string())]);
        }
        return Ok(Err(OAuthError::invalid_code()));
    }
    if code.expires_at <= now {
        return Ok(Err(OAuthError::invalid_code()));
    }
    if let Err(e) = binding {
        return Ok(Err(e));
    }
    if !store::consume_code(tx, code.id, now)? {
        return Ok(Err(OAuthError::invalid_code()));
    }
    let grant_id = store::insert_grant(tx, client_id, code.user_id, &code.scope, now)?;
    store::set_code_grant(tx, code.id, grant_id)?;
    new_tokens(tx, grant_id, &code.scope, now, config).map(Ok)
}

/// The code is bound to the redirect URI and PKCE challenge of its request.
fn check_binding(code: &Code, req: &TokenRequest<'_>) -> Result<(), OAuthError> {
    let invalid_redirect = || OAuthError::invalid_grant(Some("Invalid 'redirect_uri' in request."));
    match (code.redirect_uri.as_deref(), req.redirect_uri) {
        (Some(bound), Some(sent)) if bound != sent => return Err(invalid_redirect()),
        // RFC 6749 requires it back; OAuth 2.1 clients (always PKCE) may omit it.
        (Some(_), None) if code.code_challenge.is_none() => return Err(invalid_redirect()),
        _ => {}
    }
    let failed = || OAuthError::invalid_grant(Some("Code challenge failed."));
    match (code.code_challenge.as_deref(), req.code_verifier) {
        (None, None) => Ok(()),
        // A verifier for a code issued without a challenge: a downgrade.
        (None, Some(_)) => Err(failed()),
        (Some(_), None) => Err(OAuthError::invalid_grant(Some("Missing 'code_verifier'"))),
        (Some(challenge), Some(verifier)) => {
            let method = code.code_challenge_method.as_deref().unwrap_or(pkce::PLAIN);
            if pkce::verify(method, challenge, verifier) { Ok(()) } else { Err(failed()) }
        }
    }
}

fn refresh_tokens(
    tx: &Connection,
    client_id: i64,
    presented: &str,
    requested: Option<&[Scope]>,
    now: i64,
    config: &OAuthConfig,
) -> Outcome {
    let refused = || Ok(Err(OAuthError::invalid_grant(None)));
    let Some(token) = store::refresh_token(tx, &sha256(presented.as_bytes()))? else {
        return refused();
    };
    if token.client_id != client_id || token.grant_revoked {
        return refused();
    }
    if let Some(rotated_at) = token.rotated_at {
        let theft = now - rotated_at > REUSE_GRACE_SECONDS;
        if theft {
            store::revoke_grant(tx, token.grant_id, now)?;
        }
        let grant = token.grant_id.to_string();
        let revoked = if theft { "yes" } else { "no (within the grace period)" };
        log::security("refresh_token_reuse", &[("grant", &grant), ("grant_revoked", revoked)]);
        return refused();
    }
    if token.refresh_expires_at <= now {
        return refused();
    }
    let granted = scopes::parse_list(&token.grant_scope);
    let scope = match requested {
        None => token.grant_scope.clone(),
        Some(requested) if requested.iter().all(|s| granted.contains(s)) => scopes::join(requested),
        Some(_) => return Ok(Err(OAuthError::invalid_scope())),
    };
    if !store::rotate(tx, token.token_id, now)? {
        return refused();
    }
    new_tokens(tx, token.grant_id, &scope, now, config).map(Ok)
}

fn new_tokens(
    tx: &Connection,
    grant_id: i64,
    scope: &str,
    now: i64,
    config: &OAuthConfig,
) -> Result<Tokens, storage::Error> {
    let tokens = Tokens {
        access_token: random_secret(),
        refresh_token: random_secret(),
        expires_in: config.access_token_lifetime,
        scope: scope.to_string(),
    };
    store::insert_tokens(
        tx,
        &NewTokens {
            grant_id,
            access_hash: &sha256(tokens.access_token.as_bytes()),
            refresh_hash: &sha256(tokens.refresh_token.as_bytes()),
            scope,
            now,
            access_expires_at: now + config.access_token_lifetime,
            refresh_expires_at: now + config.refresh_token_lifetime,
        },
    )?;
    Ok(tokens)
}

#[cfg(test)]
mod tests;
