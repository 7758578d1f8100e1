//! The signed-in user's own profile (`profile:*`): read it, edit the
//! profile, the account (email, password), preferences and sport preferences.

use rouille::Response;
use serde_json::{Map, Value, json};

use super::{json_object, ok, sports, users};
use crate::accounts::profile::{self, AccountChange, InvalidPreference, PreferencesChange};
use crate::accounts::rules::{FieldProblem, Problems};
use crate::accounts::user::ProfileFields;
use crate::http::{Ctx, HttpError, NO_AUTH, Via};
use crate::sports::{SpeedDisplay, SportChange, SportError, UserSport, apply_change, color_of_number};
use crate::store;
use crate::visibility::Visibility;

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

const PROFILE_KEYS: [&str; 5] = ["first_name", "last_name", "bio", "birth_date", "location"];

/// The five profile fields, all required (null or empty clears one).
fn profile_fields(body: &Map<String, Value>) -> Result<ProfileFields, HttpError> {
    if PROFILE_KEYS.iter().any(|k| !body.contains_key(*k)) {
        return Err(HttpError::invalid_payload());
    }
    let mut not_strings = Vec::new();
    let mut field = |key: &'static str| match &body[key] {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        _ => {
            not_strings.push(FieldProblem::NotAString { field: key });
            None
        }
    };
    let fields = ProfileFields {
        first_name: field("first_name"),
        last_name: field("last_name"),
        bio: field("bio"),
        location: field("location"),
        birth_date: field("birth_date"),
    };
    if !not_strings.is_empty() {
        return Err(HttpError::bad_request(Problems(not_strings).to_string()));
    }
    profile::check_profile(fields).map_err(|problems| HttpError::bad_request(problems.to_string()))
}

pub fn edit(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let fields = profile_fields(&json_object(ctx)?)?;
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
    profile::change_account(&mut ctx.db, &ctx.app.hasher, user_id, keep, &change, ctx.now)?;
    own_profile(ctx, "user account updated")
}

/// Preferences from a JSON object: any subset of the 19 keys (unknown keys
/// are ignored, but one must be known).
pub fn preferences_change(body: &Map<String, Value>) -> Result<PreferencesChange, HttpError> {
    let mut change = PreferencesChange::default();
    let mut known = false;
    for (key, value) in body {
        known |= read_preference(&mut change, key, value)?;
    }
    if known { Ok(change) } else { Err(HttpError::invalid_payload()) }
}

/// Reads one preference into `change`; false for an unknown key.
fn read_preference(change: &mut PreferencesChange, key: &str, value: &Value) -> Result<bool, HttpError> {
    let invalid = |name: &'static str| HttpError::from(InvalidPreference(name));
    let flag = |name| value.as_bool().ok_or_else(|| invalid(name));
    let text = |name| value.as_str().map(str::to_owned).ok_or_else(|| invalid(name));
    let visibility = |name| value.as_str().and_then(Visibility::parse).ok_or_else(|| invalid(name));
    let c = change;
    match key {
        "timezone" => c.timezone = Some(text("timezone")?),
        "language" => c.language = Some(value.as_str().unwrap_or_default().to_string()),
        "date_format" => c.date_format = Some(text("date_format")?),
        "weekm" => c.weekm = Some(flag("weekm")?),
        "imperial_units" => c.imperial_units = Some(flag("imperial_units")?),
        "display_ascent" => c.display_ascent = Some(flag("display_ascent")?),
        "start_elevation_at_zero" => c.start_elevation_at_zero = Some(flag("start_elevation_at_zero")?),
        "use_raw_gpx_speed" => c.use_raw_gpx_speed = Some(flag("use_raw_gpx_speed")?),
        "split_workout_charts" => c.split_workout_charts = Some(flag("split_workout_charts")?),
        "manually_approves_followers" => c.manually_approves_followers = Some(flag("manually_approves_followers")?),
        "hide_profile_in_users_directory" => {
            c.hide_profile_in_users_directory = Some(flag("hide_profile_in_users_directory")?)
        }
        "use_dark_mode" => c.use_dark_mode = Some(if value.is_null() { None } else { Some(flag("use_dark_mode")?) }),
        "segments_creation_event" => c.segments_creation_event = Some(text("segments_creation_event")?),
        "missing_elevations_processing" => {
            c.missing_elevations_processing = Some(text("missing_elevations_processing")?)
        }
        "workouts_visibility" => c.workouts_visibility = Some(visibility("workouts_visibility")?),
        "analysis_visibility" => c.analysis_visibility = Some(visibility("analysis_visibility")?),
        "map_visibility" => c.map_visibility = Some(visibility("map_visibility")?),
        "hr_visibility" => c.hr_visibility = Some(visibility("hr_visibility")?),
        "calories_visibility" => c.calories_visibility = Some(visibility("calories_visibility")?),
        _ => return Ok(false),
    }
    Ok(true)
}

pub fn edit_preferences(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let change = preferences_change(&json_object(ctx)?)?;
    let user_id = ctx.caller.user()?.id;
    let user = store::users::by_id(&ctx.db, user_id)?.ok_or_else(|| HttpError::unauthorized(NO_AUTH))?;
    let preferences = profile::apply_preferences(&user.prefs, &change)?;
    profile::update_preferences(&mut ctx.db, user_id, &preferences)?;
    own_profile(ctx, "user preferences updated")
}

const SPORT_PREFERENCE_KEYS: [&str; 5] =
    ["color", "is_active", "stopped_speed_threshold", "pace_speed_display", "default_equipment_ids"];

/// A sport preference change from a JSON object.
fn sport_change(body: &Map<String, Value>) -> Result<SportChange, HttpError> {
    let color = match body.get("color") {
        None => None,
        Some(Value::Null) => Some(None),
        Some(Value::String(text)) => Some(Some(text.clone())),
        Some(Value::Number(n)) => Some(Some(n.as_i64().and_then(color_of_number).ok_or(SportError::InvalidColor)?)),
        Some(_) => return Err(SportError::InvalidColor.into()),
    };
    let is_active = body.get("is_active").map(|v| v.as_bool().ok_or_else(HttpError::invalid_payload)).transpose()?;
    let threshold =
        body.get("stopped_speed_threshold").map(|v| v.as_f64().ok_or(SportError::InvalidThreshold)).transpose()?;
    let display = body
        .get("pace_speed_display")
        .map(|v| v.as_str().and_then(SpeedDisplay::parse).ok_or(SportError::InvalidDisplay))
        .transpose()?;
    Ok(SportChange { color, is_active, stopped_speed_threshold: threshold, pace_speed_display: display })
}

pub fn edit_sport(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let body = json_object(ctx)?;
    let Some(sport_id) = body.get("sport_id").and_then(Value::as_i64) else {
        return Err(HttpError::invalid_payload());
    };
    if !SPORT_PREFERENCE_KEYS.iter().any(|k| body.contains_key(*k)) {
        return Err(HttpError::invalid_payload());
    }
    let defaults = super::workouts::request::equipment_ids(&body, "default_equipment_ids")?;
    let user_id = ctx.caller.user()?.id;
    let (sport, prefs) = store::sports::one(&ctx.db, sport_id, Some(user_id))?.ok_or(SportError::NotFound)?;
    let current = UserSport::new(sport, prefs);
    let prefs = apply_change(&current, &sport_change(&body)?)?;
    let defaults = ctx.db.write(|tx| {
        let defaults = match &defaults {
            Some(names) => crate::equipments::set_sport_defaults(tx, user_id, sport_id, names)?,
            None => store::equipments::defaults_of_sport(tx, user_id, sport_id)?,
        };
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
            "pace_speed_display": saved.prefs.pace_speed_display.name(),
            "stopped_speed_threshold": saved.prefs.stopped_speed_threshold,
            "default_equipments": defaults.iter().map(super::equipments::equipment_json).collect::<Vec<_>>(),
        },
    })))
}

pub fn reset_sport(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let sport_id = ctx.int_param(0);
    store::sports::one(&ctx.db, sport_id, None)?.ok_or(SportError::NotFound)?;
    let user_id = ctx.caller.user()?.id;
    ctx.db.write(|tx| store::sports::delete_preferences(tx, user_id, sport_id))?;
    Ok(Response::empty_204())
}
