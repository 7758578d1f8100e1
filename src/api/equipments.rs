//! Equipment types and equipment (`equipments:*`).

use rouille::Response;
use serde_json::{Value, json};

use super::{json_object, ok};
use crate::accounts::Role;
use crate::equipments::{self as domain, EquipmentChange, equipment_json, type_json};
use crate::http::{self, HttpError};
use crate::server::Ctx;
use crate::shortid;
use crate::store::equipments::{self as store, Equipment, EquipmentType};

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
    let fresh = Equipment {
        id: 0,
        short_id: shortid::new(),
        user_id: ctx.caller.user()?.id,
        equipment_type: EquipmentType { id: 0, label: String::new(), is_active: true },
        label: String::new(),
        description: None,
        is_active: true,
        visibility: "private".into(),
        created_at: ctx.now,
        total_distance: 0.0,
        total_duration: 0.0,
        total_moving: 0.0,
        workouts_count: 0,
        default_for_sport_ids: Vec::new(),
    };
    let equipment = ctx.db.write(|tx| domain::apply(tx, fresh, &EquipmentChange { body: &body, creating: true }))?;
    Ok(one(201, "created", &equipment))
}

pub fn update(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let body = match ctx.json_body()? {
        Value::Object(map) if !map.is_empty() => map,
        _ => return Err(HttpError::bad_request("no request data was supplied")),
    };
    let current = own(ctx)?;
    let equipment = ctx.db.write(|tx| domain::apply(tx, current, &EquipmentChange { body: &body, creating: false }))?;
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
    let workouts = store::workouts_of(&ctx.db, equipment.id)?.len();
    if workouts > 0 && !force {
        let noun = if workouts == 1 { "workout" } else { "workouts" };
        return Err(HttpError::forbidden(format!(
            "Cannot delete equipment that has associated workouts. Equipment id {} has {workouts} associated {noun}. \
             (Provide argument 'force' as a query parameter to override this check)",
            equipment.short_id
        )));
    }
    ctx.db.write(|tx| store::delete(tx, equipment.id))?;
    Ok(Response::empty_204())
}
