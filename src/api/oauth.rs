//! OAuth over HTTP: the apps API (first-party), the authorize API, the
//! token and revocation endpoints, and the RFC 8414 metadata.

use rouille::Response;
use serde_json::{Value, json};

use super::{Paging, ok, pagination, str_field};
use crate::dates::http_date_long_month;
use crate::http::{self, Ctx, Form, HttpError};
use crate::log;
use crate::oauth::authorize::{self, AuthorizationRequest};
use crate::oauth::clients::{self, NewApp, RegistrationError};
use crate::oauth::model::Client;
use crate::oauth::revoke::{self, RevokeRequest};
use crate::oauth::scopes::Scope;
use crate::oauth::token::{self, TokenRequest, Tokens};
use crate::oauth::{self, OAuthError, Param};
use crate::store::oauth as store;
use crate::throttle::Attempt;

const APPS_PER_PAGE: i64 = 5;

pub fn client_json(client: &Client, secret: Option<&str>) -> Value {
    let mut value = json!({
        "client_description": client.description,
        "client_id": client.client_id,
        "id": client.id,
        "issued_at": http_date_long_month(client.issued_at),
        "name": client.name,
        "redirect_uris": client.redirect_uris,
        "require_pkce": client.require_pkce,
        "scope": client.scope,
        "website": client.website,
    });
    if let Some(secret) = secret {
        value["client_secret"] = json!(secret);
    }
    value
}

fn not_found() -> HttpError {
    HttpError::not_found("OAuth2 client not found")
}

/// The caller's own app, by database id.
fn own_client(ctx: &Ctx<'_>, id: i64) -> Result<Client, HttpError> {
    let user_id = ctx.caller.user()?.id;
    store::client_by_id(&ctx.db, id)?.filter(|c| c.user_id == user_id).ok_or_else(not_found)
}

pub fn create_app(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let body = ctx.json_body()?;
    let Some(metadata) = body.as_object().filter(|m| !m.is_empty()) else {
        return Err(HttpError::bad_request("OAuth2 client metadata missing"));
    };
    let missing: Vec<&str> = ["client_name", "client_uri", "redirect_uris", "scope"]
        .into_iter()
        .filter(|key| metadata.get(*key).is_none_or(Value::is_null))
        .collect();
    if !missing.is_empty() {
        return Err(HttpError::bad_request(format!("OAuth2 client metadata missing keys: {}", missing.join(", "))));
    }
    let scope = str_field(&body, "scope").ok_or_else(|| HttpError::bad_request("OAuth2 client invalid scopes"))?;
    let (Some(name), Some(website)) = (str_field(&body, "client_name"), str_field(&body, "client_uri")) else {
        return Err(HttpError::bad_request("OAuth2 client name and URI must be strings"));
    };
    let redirect_uris = match &body["redirect_uris"] {
        Value::String(one) => vec![one.clone()],
        Value::Array(items) => items
            .iter()
            .map(|v| v.as_str().map(str::to_owned))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| HttpError::bad_request("OAuth2 client redirect URIs must be strings"))?,
        _ => return Err(HttpError::bad_request("OAuth2 client redirect URIs must be a list")),
    };
    let app = NewApp {
        name,
        description: str_field(&body, "client_description"),
        website,
        redirect_uris: &redirect_uris,
        scope,
        require_pkce: body.get("require_pkce").and_then(Value::as_bool).unwrap_or(false),
    };
    let owner = ctx.caller.user()?.id;
    let allow_http = ctx.app.config.oauth.allow_http_redirect_uris;
    let registered = clients::register(&mut ctx.db, owner, &app, allow_http, ctx.now)?.map_err(registration_error)?;
    let body = json!({
        "status": "created",
        "data": { "client": client_json(&registered.client, Some(&registered.secret)) },
    });
    Ok(http::json(201, &body))
}

pub fn registration_error(error: RegistrationError) -> HttpError {
    HttpError::bad_request(match error {
        RegistrationError::InvalidScopes => "OAuth2 client invalid scopes".to_string(),
        RegistrationError::InvalidRedirectUri { uri, reason } => {
            format!("OAuth2 client invalid redirect URI '{uri}': {reason}")
        }
        RegistrationError::Invalid(message) => message,
    })
}

pub fn list_apps(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let user_id = ctx.caller.user()?.id;
    let paging = Paging::fixed(&http::query(ctx.req), APPS_PER_PAGE);
    let total = store::count_clients_of_user(&ctx.db, user_id)?;
    let clients = store::clients_of_user(&ctx.db, user_id, paging.per_page, paging.offset())?;
    let clients: Vec<Value> = clients.iter().map(|c| client_json(c, None)).collect();
    Ok(ok(json!({
        "status": "success",
        "data": { "clients": clients },
        "pagination": pagination(&paging, total),
    })))
}

pub fn show_app(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let user_id = ctx.caller.user()?.id;
    let client =
        store::client_by_client_id(&ctx.db, ctx.param(0))?.filter(|c| c.user_id == user_id).ok_or_else(not_found)?;
    Ok(ok(json!({ "status": "success", "data": { "client": client_json(&client, None) } })))
}

pub fn show_app_by_id(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let client = own_client(ctx, ctx.int_param(0))?;
    Ok(ok(json!({ "status": "success", "data": { "client": client_json(&client, None) } })))
}

pub fn delete_app(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let client = own_client(ctx, ctx.int_param(0))?;
    ctx.db.write(|tx| store::delete_client(tx, client.id))?;
    Ok(Response::empty_204())
}

/// Ends every token of the app, for every user (owner only).
pub fn revoke_app_tokens(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let client = own_client(ctx, ctx.int_param(0))?;
    let now = ctx.now;
    ctx.db.write(|tx| store::revoke_client_grants(tx, client.id, now))?;
    Ok(ok(json!({ "status": "success" })))
}

/// `POST /api/oauth/authorize`: the first-party "click" (`confirm=true`).
pub fn authorize(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    // Parameters come from the query and the form together (as Authlib reads them).
    let mut params = http::query(ctx.req);
    params.parts.extend(ctx.form_body()?.parts);
    if params.text("client_id").is_none() || params.text("response_type") != Some("code") {
        return Err(HttpError::invalid_payload());
    }
    let confirmed = params.text("confirm").is_some_and(|c| c.eq_ignore_ascii_case("true"));
    let request = authorization_request(&params);
    let authorization = authorize::validate(&ctx.db, &request)?.map_err(|r| HttpError::bad_request(r.description()))?;
    if !confirmed {
        return Err(HttpError::bad_request("The resource owner or authorization server denied the request"));
    }
    let user_id = ctx.caller.user()?.id;
    let code = authorization.issue_code(&mut ctx.db, user_id, ctx.now, ctx.app.config.oauth.code_lifetime)?;
    Ok(ok(json!({ "redirect_url": authorization.success_url(&code, &ctx.public_url()) })))
}

/// The parameters of an authorization request in a query or a form.
pub fn authorization_request(form: &Form) -> AuthorizationRequest {
    AuthorizationRequest::from_pairs(
        form.parts.iter().filter_map(|p| Some((p.name.as_str(), std::str::from_utf8(&p.data).ok()?))),
    )
}

/// A protocol parameter of a form (empty counts as absent, RFC 6749 §3.1).
fn param(form: &Form, name: &str) -> Result<Option<String>, OAuthError> {
    let param = match form.single(name) {
        Ok(None) => Param::Absent,
        Ok(Some(value)) => Param::One(value.to_string()),
        Err(_) => Param::Repeated,
    };
    param.single(name).map(|v| v.map(str::to_owned))
}

/// The client credentials of a token or revocation request.
fn credentials(ctx: &Ctx<'_>, form: &Form) -> Result<clients::Credentials, OAuthError> {
    let (id, secret) = (param(form, "client_id")?, param(form, "client_secret")?);
    clients::credentials(ctx.req.header("Authorization"), id.as_deref(), secret.as_deref())
}

fn tokens_json(tokens: &Tokens) -> Value {
    let mut body = json!({
        "access_token": tokens.access_token,
        "expires_in": tokens.expires_in,
        "refresh_token": tokens.refresh_token,
        "token_type": "Bearer",
    });
    if !tokens.scope.is_empty() {
        body["scope"] = json!(tokens.scope);
    }
    body
}

pub fn token(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let form = ctx.form_body()?;
    let single = |name| param(&form, name);
    let (grant_type, code, redirect_uri) = (single("grant_type")?, single("code")?, single("redirect_uri")?);
    let (code_verifier, refresh_token, scope) = (single("code_verifier")?, single("refresh_token")?, single("scope")?);
    let request = TokenRequest {
        grant_type: grant_type.as_deref(),
        credentials: credentials(ctx, &form)?,
        code: code.as_deref(),
        redirect_uri: redirect_uri.as_deref(),
        code_verifier: code_verifier.as_deref(),
        refresh_token: refresh_token.as_deref(),
        scope: scope.as_deref(),
    };
    let attempt = ctx.client_attempt()?;
    let outcome = token::issue(&mut ctx.db, &request, ctx.now, &ctx.app.config.oauth);
    let tokens = settle(ctx, &request.credentials, attempt, outcome)?;
    Ok(ok(tokens_json(&tokens)))
}

pub fn revoke_token(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let form = ctx.form_body()?;
    let token = param(&form, "token")?;
    let request = RevokeRequest { credentials: credentials(ctx, &form)?, token: token.as_deref() };
    let attempt = ctx.client_attempt()?;
    let outcome = revoke::revoke(&mut ctx.db, &request, ctx.now);
    settle(ctx, &request.credentials, attempt, outcome)?;
    Ok(ok(json!({})))
}

/// Reports whether the client authenticated (a failure is logged for the
/// operator); other refusals are not guesses.
fn settle<T>(
    ctx: &Ctx<'_>,
    credentials: &clients::Credentials,
    attempt: Attempt<'_>,
    outcome: Result<T, oauth::Error>,
) -> Result<T, oauth::Error> {
    match &outcome {
        Err(oauth::Error::OAuth(e)) if e.code == "invalid_client" => {
            let client_id = credentials.client_id.as_deref().unwrap_or("");
            log::security(
                "client_authentication_failed",
                &[("client_id", client_id), ("address", &ctx.client_address())],
            );
            attempt.failed()
        }
        _ => attempt.succeeded(),
    }
    outcome
}

/// RFC 8414 authorization server metadata.
pub fn metadata(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let issuer = ctx.public_url();
    let auth_methods = ["client_secret_post", "client_secret_basic"];
    let mut scope_names: Vec<&str> = Scope::ALL.iter().map(|s| s.name()).collect();
    scope_names.sort_unstable();
    Ok(ok(json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{issuer}/profile/apps/authorize"),
        "token_endpoint": format!("{issuer}/api/oauth/token"),
        "revocation_endpoint": format!("{issuer}/api/oauth/revoke"),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code", "refresh_token"],
        "code_challenge_methods_supported": ["S256", "plain"],
        "token_endpoint_auth_methods_supported": auth_methods,
        "revocation_endpoint_auth_methods_supported": auth_methods,
        "scopes_supported": scope_names,
        "authorization_response_iss_parameter_supported": true,
    })))
}
