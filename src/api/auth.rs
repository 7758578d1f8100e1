//! First-party accounts: register, login, logout, time zones.

use rouille::Response;
use serde_json::{Value, json};

use super::{ok, str_field};
use crate::accounts::{self, RegisterError, Registration};
use crate::guard::Via;
use crate::http::HttpError;
use crate::server::Ctx;
use crate::store::sessions;

pub fn register(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    if !accounts::registration_open(&ctx.db)? {
        return Err(HttpError::forbidden("error, registration is disabled"));
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
    match accounts::register(&mut ctx.db, &ctx.app.hasher, &registration, ctx.now) {
        Ok(()) => Ok(ok(json!({ "status": "success" }))),
        Err(e) => Err(register_error(e)),
    }
}

pub fn register_error(error: RegisterError) -> HttpError {
    match error {
        RegisterError::Disabled => HttpError::forbidden("error, registration is disabled"),
        RegisterError::PolicyNotAccepted => HttpError::bad_request("sorry, you must agree privacy policy to register"),
        RegisterError::Invalid(messages) => HttpError::bad_request(messages),
        RegisterError::UsernameTaken => HttpError::bad_request("sorry, that username is already taken"),
        RegisterError::Store(e) => e.into(),
    }
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
