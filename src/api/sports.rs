//! Sports (`workouts:read`; admins change them with `workouts:write`).

use rouille::Response;
use serde_json::{Value, json};

use super::equipments::equipment_json;
use super::{json_object, ok};
use crate::accounts::user::Role;
use crate::equipments::Equipment;
use crate::http::{self, Ctx, HttpError};
use crate::sports::UserSport;
use crate::store;

fn not_found_data() -> HttpError {
    HttpError::new(404, json!({ "status": "not found", "data": { "sports": [] } }))
}

/// FitTrackee's `"#rrggbb"` string, or `null`.
pub fn color_json(sport: &UserSport) -> Value {
    json!(sport.prefs.color)
}

/// The sport object with the user's default equipment; `has_workouts` only
/// when asked for (admins).
pub fn sport_json(sport: &UserSport, defaults: &[&Equipment], has_workouts: Option<bool>) -> Value {
    let mut value = json!({
        "id": sport.sport.id,
        "label": sport.sport.label,
        "is_active": sport.sport.is_active,
        "is_active_for_user": sport.is_active_for_user(),
        "color": color_json(sport),
        "stopped_speed_threshold": sport.prefs.stopped_speed_threshold,
        "default_equipments": defaults.iter().map(|e| equipment_json(e)).collect::<Vec<_>>(),
    });
    if sport.sport.info().pace {
        value["pace_speed_display"] = json!(sport.prefs.pace_speed_display.name());
    }
    if let Some(has_workouts) = has_workouts {
        value["has_workouts"] = json!(has_workouts);
    }
    value
}

pub fn list(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let viewer = ctx.caller.user.as_ref();
    let check_workouts =
        viewer.is_some_and(|v| v.role >= Role::Admin) && http::query(ctx.req).text("check_workouts") == Some("true");
    let defaults = match viewer {
        Some(v) => store::equipments::defaults_of_user(&ctx.db, v.id)?,
        None => Vec::new(),
    };
    let mut sports = Vec::new();
    for (sport, prefs) in store::sports::all(&ctx.db, viewer.map(|v| v.id))? {
        let has_workouts =
            if check_workouts { Some(store::workouts::sport_has_workouts(&ctx.db, sport.id)?) } else { None };
        let own: Vec<&Equipment> = defaults.iter().filter(|(s, _)| *s == sport.id).map(|(_, e)| e).collect();
        sports.push(sport_json(&UserSport::new(sport, prefs), &own, has_workouts));
    }
    Ok(ok(json!({ "status": "success", "data": { "sports": sports } })))
}

/// One sport as the caller sees it.
fn one(ctx: &Ctx<'_>, sport_id: i64) -> Result<Value, HttpError> {
    let viewer = ctx.caller.user()?.id;
    let (sport, prefs) = store::sports::one(&ctx.db, sport_id, Some(viewer))?.ok_or_else(not_found_data)?;
    let defaults =
        store::equipments::by_ids(&ctx.db, &store::equipments::defaults_of_sport(&ctx.db, viewer, sport_id)?)?;
    Ok(sport_json(&UserSport::new(sport, prefs), &defaults.iter().collect::<Vec<_>>(), None))
}

pub fn show(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let sport = one(ctx, ctx.int_param(0))?;
    Ok(ok(json!({ "status": "success", "data": { "sports": [sport] } })))
}

pub fn update(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let body = json_object(ctx)?;
    let active = body.get("is_active").and_then(Value::as_bool).ok_or_else(HttpError::invalid_payload)?;
    let sport_id = ctx.int_param(0);
    store::sports::one(&ctx.db, sport_id, None)?.ok_or_else(not_found_data)?;
    ctx.db.write(|tx| store::sports::set_active(tx, sport_id, active))?;
    let sport = one(ctx, sport_id)?;
    Ok(ok(json!({ "status": "success", "data": { "sports": [sport] } })))
}
