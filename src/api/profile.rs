//! The signed-in user's own profile (`profile:*`): read it, edit the
//! profile, the account (email, password), preferences and sport preferences.

use rouille::Response;
use serde_json::{Value, json};

use super::{json_object, ok, sports, users};
use crate::accounts::profile::{self, AccountChange, AccountError};
use crate::equipments::{self, equipment_json};
use crate::guard::{NO_AUTH, Via};
use crate::http::HttpError;
use crate::server::Ctx;
use crate::sports::{UserSport, apply_changes};
use crate::store;

/// The caller's full object.
fn own_user_json(ctx: &Ctx<'_>) -> Result<Value, HttpError> {
    let viewer = ctx.caller.user()?;
    let user = store::users::by_id(&ctx.db, viewer.id)?.ok_or_else(|| HttpError::unauthorized(NO_AUTH))?;
    users::user_json(&ctx.db, &user, Some(viewer))
}

/// The caller's full object with a `message`, after a change.
fn own_profile(ctx: &Ctx<'_>, message: &str) -> Result<Response, HttpError> {
    Ok(ok(json!({ "status": "success", "data": own_user_json(ctx)?, "message": message })))
}

/// Apps poll this: the document is kept until the next write (see `documents`).
pub fn show(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let generation = ctx.app.store.generation();
    let body = ctx.app.profiles.get_or_build(ctx.caller.user()?.id, generation, || {
        Ok::<_, HttpError>(json!({ "status": "success", "data": own_user_json(ctx)? }).to_string())
    })?;
    Ok(Response::from_data("application/json", body.as_bytes()))
}

pub fn edit(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let body = json_object(ctx)?;
    let fields = profile::profile_fields(&body).map_err(HttpError::bad_request)?;
    let user_id = ctx.caller.user()?.id;
    profile::update_profile(&mut ctx.db, user_id, &fields)?;
    own_profile(ctx, "user profile updated")
}

pub fn edit_account(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let body = Value::Object(json_object(ctx)?);
    let field = |key: &str| body.get(key).and_then(Value::as_str).filter(|v| !v.is_empty());
    let change =
        AccountChange { email: field("email"), password: field("password"), new_password: field("new_password") };
    let keep = match ctx.caller.via {
        Via::FirstParty { session_id } | Via::Browser { session_id } => Some(session_id),
        _ => None,
    };
    let user_id = ctx.caller.user()?.id;
    profile::change_account(&mut ctx.db, &ctx.app.hasher, user_id, keep, &change, ctx.now).map_err(|e| match e {
        AccountError::Invalid(message) => HttpError::bad_request(message),
        AccountError::WrongPassword => HttpError::unauthorized("invalid credentials"),
        AccountError::Store(e) => e.into(),
    })?;
    own_profile(ctx, "user account updated")
}

pub fn edit_preferences(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let body = json_object(ctx)?;
    let user_id = ctx.caller.user()?.id;
    let user = store::users::by_id(&ctx.db, user_id)?.ok_or_else(|| HttpError::unauthorized(NO_AUTH))?;
    let preferences = profile::apply_preferences(&user.prefs, &body).map_err(HttpError::bad_request)?;
    profile::update_preferences(&mut ctx.db, user_id, &preferences)?;
    own_profile(ctx, "user preferences updated")
}

const SPORT_PREFERENCE_KEYS: [&str; 5] =
    ["color", "is_active", "stopped_speed_threshold", "pace_speed_display", "default_equipment_ids"];

pub fn edit_sport(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let body = json_object(ctx)?;
    let Some(sport_id) = body.get("sport_id").and_then(Value::as_i64) else {
        return Err(HttpError::invalid_payload());
    };
    if !SPORT_PREFERENCE_KEYS.iter().any(|k| body.contains_key(*k)) {
        return Err(HttpError::invalid_payload());
    }
    let user_id = ctx.caller.user()?.id;
    let (sport, prefs) =
        store::sports::one(&ctx.db, sport_id, Some(user_id))?.ok_or_else(sports::sport_does_not_exist)?;
    let current = UserSport::new(sport, prefs);
    let prefs = apply_changes(&current, &body).map_err(HttpError::bad_request)?;
    let defaults = ctx.db.write(|tx| {
        let mut defaults = store::equipments::defaults_of_sport(tx, user_id, sport_id)?;
        if let Some(ids) = body.get("default_equipment_ids").filter(|ids| !ids.is_null()) {
            defaults = equipments::resolve(tx, user_id, sport_id, ids, &defaults)?;
            store::equipments::set_defaults_of_sport(tx, user_id, sport_id, &defaults)?;
        }
        store::sports::save_preferences(tx, user_id, sport_id, &prefs)?;
        Ok::<_, HttpError>(store::equipments::by_ids(tx, &defaults)?)
    })?;
    let saved = UserSport::new(current.sport, Some(prefs));
    Ok(ok(json!({
        "status": "success",
        "message": "user sport preferences updated",
        "data": {
            "user_id": user_id,
            "sport_id": sport_id,
            "color": sports::color_json(&saved),
            "is_active": saved.prefs.is_active,
            "pace_speed_display": saved.prefs.pace_speed_display,
            "stopped_speed_threshold": saved.prefs.stopped_speed_threshold,
            "default_equipments": defaults.iter().map(equipment_json).collect::<Vec<_>>(),
        },
    })))
}

pub fn reset_sport(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let sport_id = ctx.int_param(0);
    store::sports::one(&ctx.db, sport_id, None)?.ok_or_else(sports::sport_does_not_exist)?;
    let user_id = ctx.caller.user()?.id;
    ctx.db.write(|tx| store::sports::delete_preferences(tx, user_id, sport_id))?;
    Ok(Response::empty_204())
}
