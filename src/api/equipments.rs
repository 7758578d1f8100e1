//! Equipment types and equipment (`equipments:*`).

use rouille::Response;
use serde_json::{Value, json};

use serde_json::Map;

use super::{json_object, ok};
use crate::accounts::user::Role;
use crate::dates::{http_date, timedelta};
use crate::equipments::{self as domain, Equipment, EquipmentChange, EquipmentType, RACKET};
use crate::http::{self, Ctx, HttpError};
use crate::numbers::round;
use crate::shortid;
use crate::store::equipments as store;
use crate::visibility::Visibility;

/// The owner's view of a piece of equipment.
pub fn equipment_json(e: &Equipment) -> Value {
    json!({
        "id": e.short_id,
        "label": e.label,
        "is_active": e.is_active,
        "equipment_type": type_json(&e.equipment_type),
        "user_id": e.user_id,
        "description": e.description,
        "default_for_sport_ids": e.default_for_sport_ids,
        "creation_date": http_date(e.created_at),
        "total_distance": if e.equipment_type.id == RACKET { Value::Null } else { json!(round(e.total_distance, 3)) },
        "total_duration": timedelta(e.total_duration.round()),
        "total_moving": timedelta(e.total_moving.round()),
        "total_duration_in_hours": round(e.total_moving / 3600.0, 1),
        "workouts_count": e.workouts_count,
        "visibility": e.visibility.name(),
    })
}

/// What others see of equipment attached to a workout.
pub fn public_equipment_json(e: &Equipment) -> Value {
    json!({ "label": e.label, "is_active": e.is_active, "equipment_type": type_json(&e.equipment_type) })
}

pub fn type_json(t: &EquipmentType) -> Value {
    json!({ "id": t.id, "label": t.label, "is_active": t.is_active })
}

/// A POST or PATCH body as a change: each field of the right JSON type.
fn equipment_change(body: &Map<String, Value>) -> Result<EquipmentChange, HttpError> {
    let label = match body.get("label") {
        None => None,
        Some(v) => Some(
            v.as_str()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .ok_or_else(HttpError::invalid_payload)?,
        ),
    };
    let description = match body.get("description") {
        None => None,
        Some(Value::Null) => Some(None),
        Some(Value::String(d)) => Some(Some(d.clone())),
        Some(_) => return Err(HttpError::invalid_payload()),
    };
    let type_id = body
        .get("equipment_type_id")
        .filter(|v| !v.is_null())
        .map(|v| v.as_i64().ok_or_else(|| HttpError::bad_request("invalid equipment type id")))
        .transpose()?;
    let default_for_sport_ids = body
        .get("default_for_sport_ids")
        .map(|ids| {
            ids.as_array()
                .and_then(|items| items.iter().map(Value::as_i64).collect::<Option<Vec<_>>>())
                .ok_or_else(HttpError::invalid_payload)
        })
        .transpose()?;
    let visibility = body
        .get("visibility")
        .map(|v| v.as_str().and_then(Visibility::parse).ok_or_else(|| HttpError::bad_request("invalid visibility")))
        .transpose()?;
    Ok(EquipmentChange {
        label,
        description,
        equipment_type_id: type_id,
        is_active: body.get("is_active").map(|v| v.as_bool().ok_or_else(HttpError::invalid_payload)).transpose()?,
        default_for_sport_ids,
        visibility,
    })
}

fn not_found(key: &str) -> HttpError {
    HttpError::new(404, json!({ "status": "not found", "data": { key: [] } }))
}

fn is_admin(ctx: &Ctx<'_>) -> bool {
    ctx.caller.user.as_ref().is_some_and(|u| u.role >= Role::Admin)
}

fn type_for(ctx: &Ctx<'_>, t: &EquipmentType) -> Result<Value, HttpError> {
    let mut value = type_json(t);
    if is_admin(ctx) {
        value["has_equipments"] = json!(store::type_has_equipments(&ctx.db, t.id)?);
    }
    Ok(value)
}

pub fn types(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let admin = is_admin(ctx);
    let types = store::types(&ctx.db)?
        .iter()
        .filter(|t| admin || t.is_active)
        .map(|t| type_for(ctx, t))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ok(json!({ "status": "success", "data": { "equipment_types": types } })))
}

fn visible_type(ctx: &Ctx<'_>) -> Result<EquipmentType, HttpError> {
    store::type_by_id(&ctx.db, ctx.int_param(0))?
        .filter(|t| t.is_active || is_admin(ctx))
        .ok_or_else(|| not_found("equipment_types"))
}

pub fn show_type(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let t = visible_type(ctx)?;
    Ok(ok(json!({ "status": "success", "data": { "equipment_types": [type_for(ctx, &t)?] } })))
}

pub fn update_type(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let body = json_object(ctx)?;
    let active = body.get("is_active").and_then(Value::as_bool).ok_or_else(HttpError::invalid_payload)?;
    let t = visible_type(ctx)?;
    ctx.db.write(|tx| store::set_type_active(tx, t.id, active))?;
    let t = EquipmentType { is_active: active, ..t };
    Ok(ok(json!({ "status": "success", "data": { "equipment_types": [type_for(ctx, &t)?] } })))
}

pub fn list(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let user_id = ctx.caller.user()?.id;
    let type_id = http::query(ctx.req).text("equipment_type_id").and_then(|t| t.parse().ok());
    let items: Vec<Value> = store::of_user(&ctx.db, user_id, type_id)?.iter().map(equipment_json).collect();
    Ok(ok(json!({ "status": "success", "data": { "equipments": items } })))
}

fn own(ctx: &Ctx<'_>) -> Result<Equipment, HttpError> {
    let user_id = ctx.caller.user()?.id;
    store::by_short_id(&ctx.db, ctx.param(0))?.filter(|e| e.user_id == user_id).ok_or_else(|| not_found("equipments"))
}

fn one(status: u16, word: &str, e: &Equipment) -> Response {
    http::json(status, &json!({ "status": word, "data": { "equipments": [equipment_json(e)] } }))
}

pub fn show(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    Ok(one(200, "success", &own(ctx)?))
}

pub fn create(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let body = json_object(ctx)?;
    let has = |k: &str| body.get(k).is_some_and(|v| !v.is_null());
    if !has("label") || !has("equipment_type_id") {
        return Err(domain::EquipmentError::MissingLabelOrType.into());
    }
    let change = equipment_change(&body)?;
    let fresh = Equipment::blank(shortid::new(), ctx.caller.user()?.id, ctx.now);
    let equipment = ctx.db.write(|tx| domain::apply(tx, fresh, &change, true))?;
    Ok(one(201, "created", &equipment))
}

pub fn update(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let body = match ctx.json_body()? {
        Value::Object(map) if !map.is_empty() => map,
        _ => return Err(HttpError::bad_request("no request data was supplied")),
    };
    const FIELDS: [&str; 6] =
        ["label", "description", "equipment_type_id", "is_active", "default_for_sport_ids", "visibility"];
    if !FIELDS.iter().any(|k| body.contains_key(*k)) {
        return Err(domain::EquipmentError::NoChange.into());
    }
    let change = equipment_change(&body)?;
    let current = own(ctx)?;
    let equipment = ctx.db.write(|tx| domain::apply(tx, current, &change, false))?;
    Ok(one(200, "success", &equipment))
}

pub fn refresh(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let equipment = own(ctx)?;
    ctx.db.write(|tx| store::refresh_totals(tx, &[equipment.id]))?;
    Ok(one(200, "success", &own(ctx)?))
}

pub fn delete(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let equipment = own(ctx)?;
    let force = http::query(ctx.req).has("force");
    ctx.db.write(|tx| domain::delete(tx, &equipment, force))?;
    Ok(Response::empty_204())
}
