//! The authorization request (RFC 6749 §4.1.1), shared by the consent page
//! and `POST /api/oauth/authorize`.
//!
//! Validation order: client_id → redirect_uri → (only now may we redirect)
//! → response_type → PKCE → scope. A bad client or redirect URI is never
//! answered with a redirect: the browser would go wherever the attacker said.

use rusqlite::Connection;

use super::model::Client;
use super::scopes::{self, Scope};
use super::{Param, pkce, redirect_uri};
use crate::crypto::{random_secret, sha256};
use crate::store::oauth::{self as store, NewCode};
use crate::store::{self as storage, users};

/// The parameters of an authorization request (query or form).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AuthorizationRequest {
    pub client_id: Param,
    pub redirect_uri: Param,
    pub response_type: Param,
    pub scope: Param,
    pub state: Param,
    pub code_challenge: Param,
    pub code_challenge_method: Param,
}

impl AuthorizationRequest {
    /// From decoded `name=value` pairs; empty values count as absent.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> AuthorizationRequest {
        let mut request = AuthorizationRequest::default();
        for (name, value) in pairs {
            let slot = match name {
                "client_id" => &mut request.client_id,
                "redirect_uri" => &mut request.redirect_uri,
                "response_type" => &mut request.response_type,
                "scope" => &mut request.scope,
                "state" => &mut request.state,
                "code_challenge" => &mut request.code_challenge,
                "code_challenge_method" => &mut request.code_challenge_method,
                _ => continue,
            };
            if value.is_empty() {
                continue;
            }
            *slot = match slot {
                Param::Absent => Param::One(value.to_string()),
                _ => Param::Repeated,
            };
        }
        request
    }
}

/// A valid request, ready for the user's decision.
#[derive(Debug, Clone)]
pub struct Authorization {
    pub client: Client,
    /// Username of the app's owner (shown on the consent page).
    pub owner: String,
    /// Where the answer goes: the requested URI, or the first registered one.
    pub redirect_uri: String,
    /// The URI the request named, bound to the code (RFC 6749 §4.1.3).
    pub requested_redirect_uri: Option<String>,
    /// Requested scopes the app registered, in request order.
    pub scope: Vec<Scope>,
    /// Requested scope names the app did not register: not granted.
    pub not_granted: Vec<String>,
    pub state: Option<String>,
    pub challenge: Option<(String, &'static str)>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Refusal {
    /// Unknown app or redirect URI: shown to the user, never redirected.
    Untrusted { reason: String, registered: Vec<String>, received: Option<String> },
    /// A faulty request from a known app: sent back to its redirect URI.
    Redirect(ErrorRedirect),
}

#[derive(Debug, Clone, PartialEq)]
pub struct ErrorRedirect {
    pub redirect_uri: String,
    pub error: &'static str,
    pub description: String,
    pub state: Option<String>,
}

impl Refusal {
    pub fn description(&self) -> &str {
        match self {
            Refusal::Untrusted { reason, .. } => reason,
            Refusal::Redirect(redirect) => &redirect.description,
        }
    }
}

impl ErrorRedirect {
    /// The app's redirect URI with `error`, `error_description`, `state` and `iss`.
    pub fn url(&self, issuer: &str) -> String {
        error_url(&self.redirect_uri, self.error, Some(&self.description), self.state.as_deref(), issuer)
    }
}

/// Validates the parameters of an authorization request.
pub fn validate(
    conn: &Connection,
    params: &AuthorizationRequest,
) -> Result<Result<Authorization, Refusal>, storage::Error> {
    let Target { client, redirect_uri, requested } = match target(conn, params)? {
        Ok(target) => target,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let state = params.state.single("state").ok().flatten().map(str::to_owned);
    let checked = protocol_params(params, &client).and_then(|(scope, challenge)| {
        let (scope, not_granted) = grantable_scope(&client, scope.as_deref());
        if scope.is_empty() {
            let asked = params.scope.single("scope").ok().flatten().unwrap_or("");
            let fields =
                [("client_id", client.client_id.as_str()), ("registered", client.scope.as_str()), ("asked", asked)];
            crate::log::security("scope_not_registered", &fields);
            return Err(("invalid_scope", "None of the requested scopes is registered for this app.".into()));
        }
        Ok((scope, not_granted, challenge))
    });
    let (scope, not_granted, challenge) = match checked {
        Ok(checked) => checked,
        Err((error, description)) => {
            return Ok(Err(Refusal::Redirect(ErrorRedirect { redirect_uri, error, description, state })));
        }
    };
    let owner = users::by_id(conn, client.user_id)?.map(|u| u.username).unwrap_or_default();
    Ok(Ok(Authorization {
        owner,
        redirect_uri,
        requested_redirect_uri: requested,
        scope,
        not_granted,
        state,
        challenge,
        client,
    }))
}

/// The app and where its answer goes, once both are trusted.
struct Target {
    client: Client,
    redirect_uri: String,
    requested: Option<String>,
}

/// Checks `client_id` and `redirect_uri`: until both are known, nothing
/// may be sent back to the app.
fn target(conn: &Connection, params: &AuthorizationRequest) -> Result<Result<Target, Refusal>, storage::Error> {
    let untrusted = |reason: String, registered: Vec<String>, received: Option<&str>| {
        Ok(Err(Refusal::Untrusted { reason, registered, received: received.map(str::to_owned) }))
    };
    let (client_id, requested) =
        match (params.client_id.single("client_id"), params.redirect_uri.single("redirect_uri")) {
            (Err(repeated), _) | (_, Err(repeated)) => {
                return untrusted(repeated.description.unwrap_or_default(), vec![], None);
            }
            (Ok(client_id), Ok(uri)) => (client_id, uri),
        };
    let Some(client_id) = client_id else {
        return untrusted("Missing 'client_id' in request.".into(), vec![], requested);
    };
    let Some(client) = store::client_by_client_id(conn, client_id)? else {
        return untrusted("The client does not exist on this server.".into(), vec![], requested);
    };
    let redirect_uri = match requested {
        Some(uri) if redirect_uri::find_match(&client.redirect_uris, uri).is_some() => uri.to_string(),
        Some(uri) => {
            let registered = client.redirect_uris.join(" ");
            let fields = [("client_id", client.client_id.as_str()), ("registered", &registered), ("received", uri)];
            crate::log::security("redirect_uri_refused", &fields);
            let reason = format!("Redirect URI {uri} is not supported by client.");
            return untrusted(reason, client.redirect_uris.clone(), Some(uri));
        }
        None => match client.redirect_uris.first() {
            Some(first) => first.clone(),
            None => return untrusted("Missing 'redirect_uri' in request.".into(), vec![], None),
        },
    };
    Ok(Ok(Target { client, redirect_uri, requested: requested.map(str::to_owned) }))
}

/// An error sent back to the app: its code and description.
type Faulty = (&'static str, String);

type Challenge = Option<(String, &'static str)>;

/// The requested scope and the PKCE challenge of a request from a trusted app.
fn protocol_params(params: &AuthorizationRequest, client: &Client) -> Result<(Option<String>, Challenge), Faulty> {
    let single = |param: &Param, name: &str| {
        param
            .single(name)
            .map(|v| v.map(str::to_owned))
            .map_err(|e| ("invalid_request", e.description.unwrap_or_default()))
    };
    let response_type = single(&params.response_type, "response_type")?;
    let scope = single(&params.scope, "scope")?;
    let challenge = single(&params.code_challenge, "code_challenge")?;
    let method = single(&params.code_challenge_method, "code_challenge_method")?;
    if params.state == Param::Repeated {
        return Err(("invalid_request", "Multiple 'state' in request.".into()));
    }
    match response_type.as_deref() {
        None => return Err(("invalid_request", "Missing 'response_type' in request.".into())),
        Some("code") => {}
        Some(_) => return Err(("unsupported_response_type", "The response type is not supported: use code.".into())),
    }
    Ok((scope, pkce_challenge(client, challenge, method.as_deref())?))
}

fn pkce_challenge(client: &Client, challenge: Option<String>, method: Option<&str>) -> Result<Challenge, Faulty> {
    let invalid = |description: &str| Err(("invalid_request", description.to_string()));
    match (challenge, method) {
        (None, Some(_)) => invalid("Missing 'code_challenge'"),
        (None, None) if client.require_pkce => {
            crate::log::security("pkce_required", &[("client_id", client.client_id.as_str())]);
            invalid("This app requires PKCE: missing 'code_challenge'")
        }
        (None, None) => Ok(None),
        (Some(c), _) if !pkce::is_well_formed(&c) => invalid("Invalid 'code_challenge'"),
        (Some(_), Some(m)) if !pkce::is_supported_method(m) => invalid("Unsupported 'code_challenge_method'"),
        (Some(c), Some(pkce::S256)) => Ok(Some((c, pkce::S256))),
        (Some(c), _) => Ok(Some((c, pkce::PLAIN))),
    }
}

/// The requested scopes the app registered (request order, no repeats) and
/// the names that will not be granted. No `scope`: everything registered.
fn grantable_scope(client: &Client, requested: Option<&str>) -> (Vec<Scope>, Vec<String>) {
    let registered = scopes::parse_list(&client.scope);
    let Some(requested) = requested else {
        let mut all = registered;
        dedup(&mut all);
        return (all, vec![]);
    };
    let mut granted = Vec::new();
    let mut refused = Vec::new();
    for name in requested.split_whitespace() {
        match Scope::parse(name).filter(|s| registered.contains(s)) {
            Some(scope) if !granted.contains(&scope) => granted.push(scope),
            Some(_) => {}
            None if !refused.iter().any(|r| r == name) => refused.push(name.to_string()),
            None => {}
        }
    }
    (granted, refused)
}

fn dedup(scopes: &mut Vec<Scope>) {
    let mut seen = Vec::new();
    scopes.retain(|s| {
        let first = !seen.contains(s);
        seen.push(*s);
        first
    });
}

impl Authorization {
    /// Issues a code for `user_id`; only its hash is stored.
    pub fn issue_code(
        &self,
        db: &mut storage::Db<'_>,
        user_id: i64,
        now: i64,
        lifetime: i64,
    ) -> Result<String, storage::Error> {
        let code = random_secret();
        let scope = scopes::join(&self.scope);
        db.write(|tx| {
            store::insert_code(
                tx,
                &NewCode {
                    code_hash: &sha256(code.as_bytes()),
                    client_id: self.client.id,
                    user_id,
                    scope: &scope,
                    redirect_uri: self.requested_redirect_uri.as_deref(),
                    code_challenge: self.challenge.as_ref().map(|(c, _)| c.as_str()),
                    code_challenge_method: self.challenge.as_ref().map(|(_, m)| *m),
                    now,
                    expires_at: now + lifetime,
                },
            )
        })?;
        Ok(code)
    }

    /// The redirect that carries the code (and `state`, byte-exact, and `iss`).
    pub fn success_url(&self, code: &str, issuer: &str) -> String {
        let mut params = vec![("code", code)];
        params.extend(self.state.as_deref().map(|s| ("state", s)));
        params.push(("iss", issuer));
        redirect_uri::with_params(&self.redirect_uri, &params)
    }

    /// The redirect when the user says no.
    pub fn denied_url(&self, issuer: &str) -> String {
        error_url(&self.redirect_uri, "access_denied", None, self.state.as_deref(), issuer)
    }
}

fn error_url(uri: &str, error: &str, description: Option<&str>, state: Option<&str>, issuer: &str) -> String {
    let mut params = vec![("error", error)];
    params.extend(description.map(|d| ("error_description", d)));
    params.extend(state.map(|s| ("state", s)));
    params.push(("iss", issuer));
    redirect_uri::with_params(uri, &params)
}

#[cfg(test)]
pub(crate) mod tests;
