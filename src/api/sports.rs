//! Sports (`workouts:read`; admins change them with `workouts:write`).

use rouille::Response;
use serde_json::{Value, json};

use super::{json_object, ok};
use crate::accounts::Role;
use crate::http::{self, HttpError};
use crate::server::Ctx;
use crate::sports::{UserSport, color_number, supports_pace};
use crate::store;

pub fn sport_does_not_exist() -> HttpError {
    HttpError::not_found("sport does not exist")
}

fn not_found_data() -> HttpError {
    HttpError::new(404, json!({ "status": "not found", "data": { "sports": [] } }))
}

pub fn color_json(sport: &UserSport) -> Value {
    json!(sport.prefs.color.as_deref().and_then(color_number))
}

/// The sport object; `has_workouts` only when asked for (admins).
pub fn sport_json(sport: &UserSport, has_workouts: Option<bool>) -> Value {
    let mut value = json!({
        "id": sport.sport.id,
        "label": sport.sport.label,
        "is_active": sport.sport.is_active,
        "is_active_for_user": sport.is_active_for_user(),
        "color": color_json(sport),
        "stopped_speed_threshold": sport.prefs.stopped_speed_threshold,
        "default_equipments": [],
    });
    if supports_pace(sport.sport.id) {
        value["pace_speed_display"] = json!(sport.prefs.pace_speed_display);
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
    let sports: Vec<Value> = store::sports::all(&ctx.db, viewer.map(|v| v.id))?
        .into_iter()
        .map(|(sport, prefs)| sport_json(&UserSport::new(sport, prefs), check_workouts.then_some(false)))
        .collect();
    Ok(ok(json!({ "status": "success", "data": { "sports": sports } })))
}

pub fn show(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let viewer = ctx.caller.user()?.id;
    let (sport, prefs) = store::sports::one(&ctx.db, ctx.int_param(0), Some(viewer))?.ok_or_else(not_found_data)?;
    Ok(ok(json!({ "status": "success", "data": { "sports": [sport_json(&UserSport::new(sport, prefs), None)] } })))
}

pub fn update(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let body = json_object(ctx)?;
    let active = body.get("is_active").and_then(Value::as_bool).ok_or_else(HttpError::invalid_payload)?;
    let sport_id = ctx.int_param(0);
    store::sports::one(&ctx.db, sport_id, None)?.ok_or_else(not_found_data)?;
    ctx.db.write(|tx| store::sports::set_active(tx, sport_id, active))?;
    let viewer = ctx.caller.user()?.id;
    let (sport, prefs) = store::sports::one(&ctx.db, sport_id, Some(viewer))?.ok_or_else(not_found_data)?;
    Ok(ok(json!({ "status": "success", "data": { "sports": [sport_json(&UserSport::new(sport, prefs), None)] } })))
}

/// `default_equipment_ids` must name the user's equipment; none exists yet.
pub fn check_default_equipments(ids: &Value) -> Result<(), HttpError> {
    let ids = ids
        .as_array()
        .and_then(|items| items.iter().map(Value::as_str).collect::<Option<Vec<_>>>())
        .ok_or_else(|| HttpError::bad_request("equipment_ids must be an array of strings"))?;
    match ids.first() {
        None => Ok(()),
        Some(id) => Err(HttpError::new(
            400,
            json!({ "status": "not_found", "equipment_id": id, "message": format!("equipment with id {id} does not exist") }),
        )),
    }
}
