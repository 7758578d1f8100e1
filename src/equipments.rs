//! Equipment rules (API.md §5.7): which types fit which sports, how
//! equipment is attached to workouts and made a sport's default, with
//! FitTrackee's messages. Refusals are FitTrackee-shaped JSON errors.

use rusqlite::Connection;
use serde_json::{Map, Value, json};

use crate::accounts::profile::VISIBILITIES;
use crate::http::HttpError;
use crate::store::equipments::{self as store, Equipment};
use crate::store::{self as storage, sports};

pub const MISC: i64 = 10;
const RACKET: i64 = 8;
const MAX_MISC: usize = 5;

/// Sport ids each equipment type fits (Misc fits every sport).
fn allowed_sports(type_id: i64) -> &'static [i64] {
    match type_id {
        1 => &[1, 2, 3, 4, 5, 6, 7, 8, 14, 17, 18, 21, 24, 25],
        2 => &[1, 2, 4, 7, 17, 21],
        3 => &[13],
        4 => &[11, 19, 20, 26, 27],
        5 => &[9, 10],
        6 => &[12],
        7 => &[22, 23],
        8 => &[24, 25],
        9 => &[11, 19, 20, 23, 26, 27],
        11 => &[28, 29],
        _ => &[],
    }
}

pub fn fits(type_id: i64, sport_id: i64) -> bool {
    type_id == MISC || allowed_sports(type_id).contains(&sport_id)
}

fn refusal(status: &str, equipment_id: &str, message: String) -> HttpError {
    HttpError::new(400, json!({ "status": status, "equipment_id": equipment_id, "message": message }))
}

fn misc_limit(sport_ids: &[i64]) -> HttpError {
    HttpError::new(
        400,
        json!({
            "status": "limit_exceeded",
            "sport_ids": sport_ids,
            "message": "a maximum of 5 pieces of Misc equipment can be added",
        }),
    )
}

/// The equipment (ids) named by `equipment_ids` for a workout or a sport
/// preference of `user_id`: owned, active (unless already attached), fitting
/// the sport, one per type except up to five Misc.
pub fn resolve(
    conn: &Connection,
    user_id: i64,
    sport_id: i64,
    equipment_ids: &Value,
    already_attached: &[i64],
) -> Result<Vec<i64>, HttpError> {
    let names = equipment_ids
        .as_array()
        .and_then(|items| items.iter().map(Value::as_str).collect::<Option<Vec<_>>>())
        .ok_or_else(|| HttpError::bad_request("equipment_ids must be an array of strings"))?;
    let Some((sport, _)) = sports::one(conn, sport_id, None)? else {
        return Err(HttpError::bad_request(format!("sport id {sport_id} not found")));
    };
    let mut chosen: Vec<Equipment> = Vec::new();
    for name in names {
        let equipment = store::by_short_id(conn, name)?
            .filter(|e| e.user_id == user_id)
            .ok_or_else(|| refusal("not_found", name, format!("equipment with id {name} does not exist")))?;
        if !equipment.is_active && !already_attached.contains(&equipment.id) {
            return Err(refusal("inactive", name, format!("equipment with id {name} is inactive")));
        }
        if !fits(equipment.equipment_type.id, sport_id) {
            return Err(refusal("invalid", name, format!("invalid equipment id {name} for sport {}", sport.label)));
        }
        let same_type = chosen.iter().any(|c| c.equipment_type.id == equipment.equipment_type.id);
        if same_type && equipment.equipment_type.id != MISC {
            return Err(HttpError::bad_request("only one piece of equipment per type can be provided"));
        }
        if !chosen.iter().any(|c| c.id == equipment.id) {
            chosen.push(equipment);
        }
    }
    if chosen.iter().filter(|e| e.equipment_type.id == MISC).count() > MAX_MISC {
        return Err(misc_limit(&[sport_id]));
    }
    Ok(chosen.into_iter().map(|e| e.id).collect())
}

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
        "creation_date": crate::dates::http_date(e.created_at),
        "total_distance": if e.equipment_type.id == RACKET { Value::Null } else { json!(round(e.total_distance, 3)) },
        "total_duration": crate::dates::timedelta(e.total_duration.round()),
        "total_moving": crate::dates::timedelta(e.total_moving.round()),
        "total_duration_in_hours": round(e.total_moving / 3600.0, 1),
        "workouts_count": e.workouts_count,
        "visibility": e.visibility,
    })
}

/// What others see of equipment attached to a workout.
pub fn public_equipment_json(e: &Equipment) -> Value {
    json!({ "label": e.label, "is_active": e.is_active, "equipment_type": type_json(&e.equipment_type) })
}

pub fn type_json(t: &store::EquipmentType) -> Value {
    json!({ "id": t.id, "label": t.label, "is_active": t.is_active })
}

/// Rounded to `decimals`; never `-0.0` (an empty float sum is -0.0).
pub fn round(value: f64, decimals: i32) -> f64 {
    let factor = 10f64.powi(decimals);
    (value * factor).round() / factor + 0.0
}

/// The changeable fields of equipment, from a POST or PATCH body.
pub struct EquipmentChange<'a> {
    pub body: &'a Map<String, Value>,
    /// POST requires `label` and `equipment_type_id`.
    pub creating: bool,
}

const FIELDS: [&str; 6] =
    ["label", "description", "equipment_type_id", "is_active", "default_for_sport_ids", "visibility"];

/// Applies a POST or PATCH body to `equipment` (a fresh one when creating),
/// checks it, and saves it with its default sports in the transaction `tx`.
pub fn apply(tx: &Connection, mut equipment: Equipment, change: &EquipmentChange<'_>) -> Result<Equipment, HttpError> {
    let body = change.body;
    if change.creating {
        let has = |k: &str| body.get(k).is_some_and(|v| !v.is_null());
        if !has("label") || !has("equipment_type_id") {
            return Err(HttpError::bad_request("the 'label' and 'equipment_type_id' parameters must be provided"));
        }
    } else if !FIELDS.iter().any(|k| body.contains_key(*k)) {
        return Err(HttpError::bad_request("no valid parameters supplied"));
    }
    if let Some(label) = body.get("label") {
        let label = label.as_str().map(str::trim).filter(|l| !l.is_empty()).ok_or_else(HttpError::invalid_payload)?;
        if label.chars().count() > 50 {
            return Err(HttpError::bad_request("label exceeds 50 characters"));
        }
        if store::label_taken(tx, equipment.user_id, label, Some(equipment.id).filter(|id| *id != 0))? {
            return Err(HttpError::bad_request("equipment already exists with the same label"));
        }
        equipment.label = label.to_string();
    }
    if let Some(description) = body.get("description") {
        let description = match description {
            Value::Null => None,
            Value::String(d) if d.chars().count() <= 200 => Some(d.trim().to_string()).filter(|d| !d.is_empty()),
            Value::String(_) => return Err(HttpError::bad_request("description exceeds 200 characters")),
            _ => return Err(HttpError::invalid_payload()),
        };
        equipment.description = description;
    }
    if let Some(active) = body.get("is_active") {
        equipment.is_active = active.as_bool().ok_or_else(HttpError::invalid_payload)?;
    }
    if let Some(visibility) = body.get("visibility") {
        equipment.visibility = visibility
            .as_str()
            .filter(|v| VISIBILITIES.contains(v))
            .ok_or_else(|| HttpError::bad_request("invalid visibility"))?
            .to_string();
    }
    let type_changed = match body.get("equipment_type_id") {
        None => false,
        Some(id) => {
            let id = id.as_i64().ok_or_else(|| HttpError::bad_request("invalid equipment type id"))?;
            let new_type =
                store::type_by_id(tx, id)?.ok_or_else(|| HttpError::bad_request("invalid equipment type id"))?;
            if !new_type.is_active {
                return Err(HttpError::bad_request("equipment type is inactive"));
            }
            let changed = new_type.id != equipment.equipment_type.id;
            equipment.equipment_type = new_type;
            changed
        }
    };
    let default_sports = match body.get("default_for_sport_ids") {
        Some(ids) => Some(default_sports(tx, &equipment, ids)?),
        // A new type keeps only the defaults that still fit it.
        None if type_changed => Some(
            equipment.default_for_sport_ids.iter().copied().filter(|s| fits(equipment.equipment_type.id, *s)).collect(),
        ),
        None => None,
    };
    equipment.id = store::save(tx, &equipment)?;
    if type_changed && equipment.equipment_type.id != MISC && !change.creating {
        // Attached workouts were chosen for the old type.
        store::unlink_workouts(tx, equipment.id)?;
        store::refresh_totals(tx, &[equipment.id])?;
    }
    if let Some(sport_ids) = default_sports {
        make_default(tx, &equipment, &sport_ids)?;
    }
    store::by_ids(tx, &[equipment.id])?.pop().ok_or_else(|| storage::Error::QueryReturnedNoRows.into())
}

/// `default_for_sport_ids`: known sports that fit the type, at most five
/// Misc defaults per sport.
fn default_sports(tx: &Connection, equipment: &Equipment, ids: &Value) -> Result<Vec<i64>, HttpError> {
    let ids = ids
        .as_array()
        .and_then(|items| items.iter().map(Value::as_i64).collect::<Option<Vec<_>>>())
        .ok_or_else(HttpError::invalid_payload)?;
    let type_label = &equipment.equipment_type.label;
    let mut over_limit = Vec::new();
    for sport_id in &ids {
        let Some((sport, _)) = sports::one(tx, *sport_id, None)? else {
            return Err(HttpError::bad_request(format!("sport (id {sport_id}) does not exist")));
        };
        if !fits(equipment.equipment_type.id, *sport_id) {
            return Err(HttpError::bad_request(format!(
                "invalid sport '{}' for equipment type '{type_label}'",
                sport.label
            )));
        }
        if equipment.equipment_type.id == MISC {
            let others = store::defaults_of_sport(tx, equipment.user_id, *sport_id)?;
            let misc = store::by_ids(tx, &others)?
                .iter()
                .filter(|e| e.equipment_type.id == MISC && e.id != equipment.id)
                .count();
            if misc >= MAX_MISC {
                over_limit.push(*sport_id);
            }
        }
    }
    if !over_limit.is_empty() {
        return Err(misc_limit(&over_limit));
    }
    Ok(ids)
}

/// Makes the equipment the default of `sport_ids`, replacing any other
/// equipment of the same type as those sports' default (Misc piles up).
fn make_default(tx: &Connection, equipment: &Equipment, sport_ids: &[i64]) -> Result<(), HttpError> {
    for sport_id in sport_ids {
        if equipment.equipment_type.id == MISC {
            continue;
        }
        let current = store::defaults_of_sport(tx, equipment.user_id, *sport_id)?;
        let kept: Vec<i64> = store::by_ids(tx, &current)?
            .into_iter()
            .filter(|e| e.equipment_type.id != equipment.equipment_type.id || e.id == equipment.id)
            .map(|e| e.id)
            .collect();
        store::set_defaults_of_sport(tx, equipment.user_id, *sport_id, &kept)?;
    }
    store::set_default_sports(tx, equipment.user_id, equipment.id, sport_ids)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_fit_fittrackees_sports() {
        assert!(fits(2, 1) && !fits(2, 13), "bikes are not trainers");
        assert!(fits(3, 13));
        assert!(fits(1, 5) && fits(1, 25), "shoes for running and padel");
        assert!(fits(MISC, 29));
        assert!(!fits(8, 5), "no racket for running");
        assert!(fits(11, 28) && fits(9, 23) && !fits(4, 23));
    }
}
