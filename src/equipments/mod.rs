//! Equipment rules (API.md §5.7): which types fit which sports, how
//! equipment is attached to workouts and made a sport's default.

pub mod model;

use std::fmt;

use rusqlite::Connection;

pub use model::{Equipment, EquipmentType};

use crate::sports;
use crate::store::{self, equipments as stored};
use crate::visibility::Visibility;

pub const MISC: i64 = 10;
pub const RACKET: i64 = 8;
const MAX_MISC: usize = 5;

/// Whether equipment of `type_id` fits `sport_id` (Misc fits every sport).
pub fn fits(type_id: i64, sport_id: i64) -> bool {
    type_id == MISC || sports::info(sport_id).equipment_types.contains(&type_id)
}

#[derive(Debug)]
pub enum EquipmentError {
    /// A named equipment id that is not the user's (the id as sent).
    NotFound(String),
    Inactive(String),
    /// Equipment that does not fit the sport: its id and the sport's label.
    DoesNotFit(String, String),
    OnePerType,
    /// Over five pieces of Misc equipment for these sports.
    MiscLimit(Vec<i64>),
    UnknownSport(i64),
    UnknownDefaultSport(i64),
    /// A default sport the type does not fit: the sport's and the type's labels.
    InvalidDefaultSport(String, String),
    MissingLabelOrType,
    NoChange,
    LabelTooLong,
    LabelTaken,
    DescriptionTooLong,
    InvalidType,
    InactiveType,
    /// Deleting equipment that workouts use, without forcing it.
    HasWorkouts {
        short_id: String,
        workouts: usize,
    },
    Store(store::Error),
}

impl fmt::Display for EquipmentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EquipmentError::NotFound(id) => write!(f, "equipment with id {id} does not exist"),
            EquipmentError::Inactive(id) => write!(f, "equipment with id {id} is inactive"),
            EquipmentError::DoesNotFit(id, sport) => write!(f, "invalid equipment id {id} for sport {sport}"),
            EquipmentError::OnePerType => f.write_str("only one piece of equipment per type can be provided"),
            EquipmentError::MiscLimit(_) => f.write_str("a maximum of 5 pieces of Misc equipment can be added"),
            EquipmentError::UnknownSport(id) => write!(f, "sport id {id} not found"),
            EquipmentError::UnknownDefaultSport(id) => write!(f, "sport (id {id}) does not exist"),
            EquipmentError::InvalidDefaultSport(sport, kind) => {
                write!(f, "invalid sport '{sport}' for equipment type '{kind}'")
            }
            EquipmentError::MissingLabelOrType => {
                f.write_str("the 'label' and 'equipment_type_id' parameters must be provided")
            }
            EquipmentError::NoChange => f.write_str("no valid parameters supplied"),
            EquipmentError::LabelTooLong => f.write_str("label exceeds 50 characters"),
            EquipmentError::LabelTaken => f.write_str("equipment already exists with the same label"),
            EquipmentError::DescriptionTooLong => f.write_str("description exceeds 200 characters"),
            EquipmentError::InvalidType => f.write_str("invalid equipment type id"),
            EquipmentError::InactiveType => f.write_str("equipment type is inactive"),
            EquipmentError::HasWorkouts { short_id, workouts } => write!(
                f,
                "Cannot delete equipment that has associated workouts. Equipment id {short_id} has {workouts} \
                 associated {}. (Provide argument 'force' as a query parameter to override this check)",
                if *workouts == 1 { "workout" } else { "workouts" }
            ),
            EquipmentError::Store(e) => e.fmt(f),
        }
    }
}

impl From<store::Error> for EquipmentError {
    fn from(e: store::Error) -> Self {
        EquipmentError::Store(e)
    }
}

/// Deletes equipment; equipment that workouts use only when `force` (the
/// workouts stay, without it).
pub fn delete(tx: &Connection, equipment: &Equipment, force: bool) -> Result<(), EquipmentError> {
    let workouts = stored::workouts_of(tx, equipment.id)?.len();
    if workouts > 0 && !force {
        return Err(EquipmentError::HasWorkouts { short_id: equipment.short_id.clone(), workouts });
    }
    stored::delete(tx, equipment.id)?;
    Ok(())
}

/// The equipment (ids) named by `names` for a workout or a sport preference
/// of `user_id`: owned, active (unless already attached), fitting the
/// sport, one per type except up to five Misc.
pub fn resolve(
    conn: &Connection,
    user_id: i64,
    sport_id: i64,
    names: &[String],
    already_attached: &[i64],
) -> Result<Vec<i64>, EquipmentError> {
    let Some((sport, _)) = store::sports::one(conn, sport_id, None)? else {
        return Err(EquipmentError::UnknownSport(sport_id));
    };
    let mut chosen: Vec<Equipment> = Vec::new();
    for name in names {
        let equipment = stored::by_short_id(conn, name)?
            .filter(|e| e.user_id == user_id)
            .ok_or_else(|| EquipmentError::NotFound(name.clone()))?;
        if !equipment.is_active && !already_attached.contains(&equipment.id) {
            return Err(EquipmentError::Inactive(name.clone()));
        }
        if !fits(equipment.equipment_type.id, sport_id) {
            return Err(EquipmentError::DoesNotFit(name.clone(), sport.label.clone()));
        }
        let same_type = chosen.iter().any(|c| c.equipment_type.id == equipment.equipment_type.id);
        if same_type && equipment.equipment_type.id != MISC {
            return Err(EquipmentError::OnePerType);
        }
        if !chosen.iter().any(|c| c.id == equipment.id) {
            chosen.push(equipment);
        }
    }
    if chosen.iter().filter(|e| e.equipment_type.id == MISC).count() > MAX_MISC {
        return Err(EquipmentError::MiscLimit(vec![sport_id]));
    }
    Ok(chosen.into_iter().map(|e| e.id).collect())
}

/// A change to a piece of equipment; `None` keeps a field.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EquipmentChange {
    pub label: Option<String>,
    /// `Some(None)` clears it.
    pub description: Option<Option<String>>,
    pub equipment_type_id: Option<i64>,
    pub is_active: Option<bool>,
    pub default_for_sport_ids: Option<Vec<i64>>,
    pub visibility: Option<Visibility>,
}

impl EquipmentChange {
    fn is_empty(&self) -> bool {
        *self == EquipmentChange::default()
    }
}

/// Applies `change` to `equipment` (a [`Equipment::blank`] one when
/// `creating`, which needs a label and a type), checks it, and saves it with
/// its default sports in the transaction `tx`.
pub fn apply(
    tx: &Connection,
    mut equipment: Equipment,
    change: &EquipmentChange,
    creating: bool,
) -> Result<Equipment, EquipmentError> {
    if creating && (change.label.is_none() || change.equipment_type_id.is_none()) {
        return Err(EquipmentError::MissingLabelOrType);
    }
    if !creating && change.is_empty() {
        return Err(EquipmentError::NoChange);
    }
    apply_fields(tx, &mut equipment, change)?;
    let type_changed = match change.equipment_type_id {
        None => false,
        Some(id) => set_type(tx, &mut equipment, id)?,
    };
    let default_sports = match &change.default_for_sport_ids {
        Some(ids) => Some(default_sports(tx, &equipment, ids)?),
        // A new type keeps only the defaults that still fit it.
        None if type_changed => Some(
            equipment.default_for_sport_ids.iter().copied().filter(|s| fits(equipment.equipment_type.id, *s)).collect(),
        ),
        None => None,
    };
    equipment.id = stored::save(tx, &equipment)?;
    if type_changed && equipment.equipment_type.id != MISC && !creating {
        // Attached workouts were chosen for the old type.
        stored::unlink_workouts(tx, equipment.id)?;
        stored::refresh_totals(tx, &[equipment.id])?;
    }
    if let Some(sport_ids) = default_sports {
        make_default(tx, &equipment, &sport_ids)?;
    }
    stored::by_ids(tx, &[equipment.id])?.pop().ok_or_else(|| store::Error::QueryReturnedNoRows.into())
}

fn apply_fields(tx: &Connection, equipment: &mut Equipment, change: &EquipmentChange) -> Result<(), EquipmentError> {
    if let Some(label) = &change.label {
        let label = label.trim();
        if label.chars().count() > 50 {
            return Err(EquipmentError::LabelTooLong);
        }
        if stored::label_taken(tx, equipment.user_id, label, Some(equipment.id).filter(|id| *id != 0))? {
            return Err(EquipmentError::LabelTaken);
        }
        equipment.label = label.to_string();
    }
    if let Some(description) = &change.description {
        if description.as_ref().is_some_and(|d| d.chars().count() > 200) {
            return Err(EquipmentError::DescriptionTooLong);
        }
        equipment.description = description.as_ref().map(|d| d.trim().to_string()).filter(|d| !d.is_empty());
    }
    if let Some(active) = change.is_active {
        equipment.is_active = active;
    }
    if let Some(visibility) = change.visibility {
        equipment.visibility = visibility;
    }
    Ok(())
}

/// Sets the type; true when it changed.
fn set_type(tx: &Connection, equipment: &mut Equipment, type_id: i64) -> Result<bool, EquipmentError> {
    let new_type = stored::type_by_id(tx, type_id)?.ok_or(EquipmentError::InvalidType)?;
    if !new_type.is_active {
        return Err(EquipmentError::InactiveType);
    }
    let changed = new_type.id != equipment.equipment_type.id;
    equipment.equipment_type = new_type;
    Ok(changed)
}

/// `default_for_sport_ids`: known sports that fit the type, at most five
/// Misc defaults per sport.
fn default_sports(tx: &Connection, equipment: &Equipment, ids: &[i64]) -> Result<Vec<i64>, EquipmentError> {
    let mut over_limit = Vec::new();
    for sport_id in ids {
        let Some((sport, _)) = store::sports::one(tx, *sport_id, None)? else {
            return Err(EquipmentError::UnknownDefaultSport(*sport_id));
        };
        if !fits(equipment.equipment_type.id, *sport_id) {
            return Err(EquipmentError::InvalidDefaultSport(sport.label, equipment.equipment_type.label.clone()));
        }
        if equipment.equipment_type.id == MISC {
            let others = stored::defaults_of_sport(tx, equipment.user_id, *sport_id)?;
            let misc = stored::by_ids(tx, &others)?
                .iter()
                .filter(|e| e.equipment_type.id == MISC && e.id != equipment.id)
                .count();
            if misc >= MAX_MISC {
                over_limit.push(*sport_id);
            }
        }
    }
    if !over_limit.is_empty() {
        return Err(EquipmentError::MiscLimit(over_limit));
    }
    Ok(ids.to_vec())
}

/// Makes the equipment the default of `sport_ids`, replacing any other
/// equipment of the same type as those sports' default (Misc piles up).
fn make_default(tx: &Connection, equipment: &Equipment, sport_ids: &[i64]) -> Result<(), EquipmentError> {
    for sport_id in sport_ids {
        if equipment.equipment_type.id == MISC {
            continue;
        }
        let current = stored::defaults_of_sport(tx, equipment.user_id, *sport_id)?;
        let kept: Vec<i64> = stored::by_ids(tx, &current)?
            .into_iter()
            .filter(|e| e.equipment_type.id != equipment.equipment_type.id || e.id == equipment.id)
            .map(|e| e.id)
            .collect();
        stored::set_defaults_of_sport(tx, equipment.user_id, *sport_id, &kept)?;
    }
    stored::set_default_sports(tx, equipment.user_id, equipment.id, sport_ids)?;
    Ok(())
}

/// Changes the defaults of a sport for `user_id` to the equipment `names`.
pub fn set_sport_defaults(
    tx: &Connection,
    user_id: i64,
    sport_id: i64,
    names: &[String],
) -> Result<Vec<i64>, EquipmentError> {
    let current = stored::defaults_of_sport(tx, user_id, sport_id)?;
    let defaults = resolve(tx, user_id, sport_id, names, &current)?;
    stored::set_defaults_of_sport(tx, user_id, sport_id, &defaults)?;
    Ok(defaults)
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
