//! Users (`users:*`) and how users are serialized (API.md §5.1): what a
//! viewer sees depends on who they are. Features we do not have (followers,
//! reports, pictures…) get FitTrackee's neutral values so that clients
//! parsing the object keep working.

use rouille::Response;
use serde_json::{Map, Value, json};

use rusqlite::Connection;

use super::{Paging, USER_NOT_FOUND, json_object, ok, pagination, str_field};
use crate::accounts::admin::{self, Actor, UserChange};
use crate::accounts::user::{AuthUser, Role, User};
use crate::dates::{http_date, http_date_of_day, timedelta};
use crate::http::{self, Ctx, HttpError};
use crate::numbers::round;
use crate::store::records;
use crate::store::users::{self, UserOrder, UserQuery};
use crate::workouts::SportTotals;

/// The "light" object of lists, with what this viewer may add.
pub fn light_json(user: &User, viewer: Option<&AuthUser>) -> Value {
    let mut value = json!({
        "created_at": http_date(user.created_at),
        "followers": 0,
        "following": 0,
        "nb_workouts": user.nb_workouts,
        "picture": user.has_picture,
        "role": user.role.name(),
        "suspended_at": user.suspended_at.map(http_date),
        "username": user.username,
    });
    let Some(viewer) = viewer else { return value };
    let extra = &mut value.as_object_mut().expect("an object");
    if viewer.id == user.id || viewer.role >= Role::Moderator {
        extra.insert("is_active".into(), json!(user.is_active));
        extra.insert("email".into(), json!(user.email));
    }
    if viewer.id != user.id {
        extra.insert("follows".into(), json!("false"));
        extra.insert("is_followed_by".into(), json!("false"));
        extra.insert("blocked".into(), json!(false));
    }
    value
}

/// The full object for a known viewer (with the user's totals and
/// records); anonymous viewers get the light one.
pub fn user_json(conn: &Connection, user: &User, viewer: Option<&AuthUser>) -> Result<Value, HttpError> {
    let mut value = light_json(user, viewer);
    let Some(viewer) = viewer else { return Ok(value) };
    let totals = records::totals(conn, user.id)?;
    let records = super::stats::records_json(conn, user)?;
    let sum = |f: fn(&SportTotals) -> f64| totals.iter().map(f).sum::<f64>();
    let fields = value.as_object_mut().expect("an object");
    merge(
        fields,
        json!({
            "bio": user.profile.bio,
            "birth_date": user.profile.birth_date.as_deref().and_then(http_date_of_day),
            "first_name": user.profile.first_name,
            "last_name": user.profile.last_name,
            "location": user.profile.location,
            "nb_sports": totals.len(),
            "records": records,
            "sports_list": totals.iter().map(|t| t.sport_id).collect::<Vec<_>>(),
            "total_ascent": round(sum(|t| t.ascent), 3),
            "total_distance": round(sum(|t| t.distance), 3),
            "total_duration": timedelta(sum(|t| t.duration).round()),
        }),
    );
    let itself = viewer.id == user.id;
    if itself || viewer.role >= Role::Admin {
        fields.insert("email_to_confirm".into(), Value::Null);
    }
    if viewer.role >= Role::Moderator {
        merge(fields, json!({ "created_reports_count": 0, "reported_count": 0, "sanctions_count": 0 }));
    }
    if itself {
        merge(fields, own_preferences_json(user));
    }
    Ok(value)
}

fn merge(into: &mut Map<String, Value>, extra: Value) {
    if let Value::Object(extra) = extra {
        into.extend(extra);
    }
}

fn own_preferences_json(user: &User) -> Value {
    let p = &user.prefs;
    json!({
        "accepted_privacy_policy": user.accepted_current_policy,
        "date_format": p.date_format,
        "display_ascent": p.display_ascent,
        "imperial_units": p.imperial_units,
        "language": p.language,
        "start_elevation_at_zero": p.start_elevation_at_zero,
        "timezone": p.timezone,
        "use_dark_mode": p.use_dark_mode,
        "use_raw_gpx_speed": p.use_raw_gpx_speed,
        "weekm": p.weekm,
        "map_visibility": p.map_visibility.name(),
        "analysis_visibility": p.analysis_visibility.name(),
        "workouts_visibility": p.workouts_visibility.name(),
        "hr_visibility": p.hr_visibility.name(),
        "calories_visibility": p.calories_visibility.name(),
        "segments_creation_event": p.segments_creation_event,
        "manually_approves_followers": p.manually_approves_followers,
        "hide_profile_in_users_directory": p.hide_profile_in_users_directory,
        "sanctions_count": 0,
        "notification_preferences": {},
        "split_workout_charts": p.split_workout_charts,
        "messages_preferences": {},
        // No elevation service is configured here: FitTrackee then reports "file".
        "missing_elevations_processing": "file",
    })
}

pub fn list(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let viewer = ctx.caller.user()?.clone();
    let query = http::query(ctx.req);
    let flag = |name: &str| viewer.role >= Role::Admin && query.text(name) == Some("true");
    let paging = Paging::of(&query, 10, 50);
    let order = match query.text("order_by") {
        None => UserOrder::Username,
        Some(name) => UserOrder::parse(name).ok_or_else(|| HttpError::bad_request("invalid order_by"))?,
    };
    let (found, total) = users::directory(
        &ctx.db,
        &UserQuery {
            q: query.text("q").filter(|q| !q.is_empty()),
            with_inactive: flag("with_inactive"),
            with_hidden: flag("with_hidden"),
            with_suspended: flag("with_suspended"),
            order,
            ascending: query.text("order").is_none_or(|o| o == "asc"),
            limit: paging.per_page,
            offset: paging.offset(),
        },
    )?;
    let found: Vec<Value> = found.iter().map(|u| light_json(u, Some(&viewer))).collect();
    Ok(ok(json!({
        "status": "success",
        "data": { "users": found },
        "pagination": pagination(&paging, total),
    })))
}

fn user_not_found() -> HttpError {
    HttpError::not_found(USER_NOT_FOUND)
}

pub fn show(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let viewer = ctx.caller.user.as_ref();
    let user = users::by_username(&ctx.db, ctx.param(0))?
        .filter(|u| u.is_active || viewer.is_some_and(|v| v.role >= Role::Admin))
        .ok_or_else(user_not_found)?;
    Ok(ok(json!({ "status": "success", "data": { "users": [user_json(&ctx.db, &user, viewer)?] } })))
}

pub fn update(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let body = Value::Object(json_object(ctx)?);
    let active = match body.get("activate") {
        None | Some(Value::Null) => None,
        Some(value) => Some(value.as_bool().ok_or_else(HttpError::invalid_payload)?),
    };
    let role = match str_field(&body, "role") {
        None => None,
        Some(name) => Some(Role::parse(name).ok_or_else(|| HttpError::bad_request("invalid role"))?),
    };
    let change = UserChange {
        role,
        active,
        reset_password: body.get("reset_password").and_then(Value::as_bool).unwrap_or(false),
        email: str_field(&body, "new_email"),
    };
    let admin = ctx.caller.user()?.clone();
    let username = ctx.param(0).to_string();
    // The new password is never returned: FitTrackee would email it.
    let updated = admin::update_user(&mut ctx.db, &ctx.app.hasher, Actor::Admin(&admin), &username, &change, ctx.now)?;
    Ok(ok(json!({ "status": "success", "data": { "users": [user_json(&ctx.db, &updated.user, Some(&admin))?] } })))
}

pub fn delete(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let caller = ctx.caller.user()?.clone();
    let username = ctx.param(0).to_string();
    admin::delete_user(&mut ctx.db, &caller, &username)?;
    Ok(Response::empty_204())
}
