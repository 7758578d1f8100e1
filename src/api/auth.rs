//! First-party accounts: register, login, logout, time zones.

use rouille::Response;
use serde_json::{Value, json};

use super::{ok, str_field};
use crate::accounts::{self, RegisterError, Registration};
use crate::http::{Ctx, HttpError, Via};
use crate::store::sessions;

pub fn register(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    if !accounts::registration_open(&ctx.db)? {
        return Err(RegisterError::Disabled.into());
    }
    let body = ctx.json_body()?;
    let (Some(username), Some(email), Some(password), Some(accepted)) = (
        str_field(&body, "username"),
        str_field(&body, "email"),
        str_field(&body, "password"),
        body.get("accepted_policy").filter(|v| !v.is_null()),
    ) else {
        return Err(HttpError::invalid_payload());
    };
    let registration = Registration {
        username,
        email,
        password,
        accepted_policy: accepted == &Value::Bool(true),
        language: str_field(&body, "language"),
        timezone: str_field(&body, "timezone"),
    };
    accounts::register(&mut ctx.db, &ctx.app.hasher, &registration, ctx.now)?;
    Ok(ok(json!({ "status": "success" })))
}

pub fn login(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let body = ctx.json_body()?;
    let (Some(email), Some(password)) = (str_field(&body, "email"), str_field(&body, "password")) else {
        return Err(HttpError::invalid_payload());
    };
    let attempt = ctx.password_attempt(email)?;
    let Some(user_id) = accounts::check_credentials(&ctx.db, &ctx.app.hasher, email, password)? else {
        attempt.failed();
        return Err(HttpError::unauthorized("invalid credentials"));
    };
    attempt.succeeded();
    ctx.remember_device(email);
    let token = accounts::issue_api_token(&mut ctx.db, &ctx.app.keys.jwt, user_id, ctx.now)?;
    // Every value a string: some clients read the answer as a string map.
    Ok(ok(json!({
        "status": "success",
        "message": "successfully logged in",
        "auth_token": token,
    })))
}

/// Ends the session of the presented token; the body is not read.
pub fn logout(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    if let Via::FirstParty { session_id } = ctx.caller.via {
        ctx.db.write(|tx| sessions::delete(tx, session_id))?;
    }
    Ok(ok(json!({ "status": "success", "message": "successfully logged out" })))
}

pub fn timezones(_ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let mut names: Vec<String> = jiff::tz::db().available().map(|n| n.as_str().to_string()).collect();
    names.sort();
    Ok(ok(json!({ "timezones": names, "status": "success" })))
}

/// `POST /api/auth/account/privacy-policy` (`{"accepted_policy": true}`):
/// accounts made at the command line accept the policy here.
pub fn accept_privacy_policy(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let body = ctx.json_body()?;
    if body.get("accepted_policy") != Some(&Value::Bool(true)) {
        return Err(HttpError::invalid_payload());
    }
    let (user_id, now) = (ctx.caller.user()?.id, ctx.now);
    ctx.db.write(|tx| crate::store::users::accept_policy(tx, user_id, now))?;
    Ok(super::ok(json!({ "status": "success" })))
}
