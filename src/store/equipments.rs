//! Equipment types, users' equipment, its links to workouts and sports, and
//! its totals.

use rusqlite::{Connection, OptionalExtension, Row, params, params_from_iter};

use super::{Error, visibility};
use crate::equipments::model::{Equipment, EquipmentType};

fn type_from_row(r: &Row<'_>) -> Result<EquipmentType, Error> {
    Ok(EquipmentType { id: r.get("id")?, label: r.get("label")?, is_active: r.get("is_active")? })
}

pub fn types(conn: &Connection) -> Result<Vec<EquipmentType>, Error> {
    conn.prepare_cached("SELECT id, label, is_active FROM equipment_types ORDER BY id")?
        .query_map([], type_from_row)?
        .collect()
}

pub fn type_by_id(conn: &Connection, id: i64) -> Result<Option<EquipmentType>, Error> {
    conn.prepare_cached("SELECT id, label, is_active FROM equipment_types WHERE id = ?1")?
        .query_row([id], type_from_row)
        .optional()
}

pub fn set_type_active(conn: &Connection, id: i64, active: bool) -> Result<(), Error> {
    conn.execute("UPDATE equipment_types SET is_active = ?2 WHERE id = ?1", params![id, active])?;
    Ok(())
}

pub fn type_has_equipments(conn: &Connection, id: i64) -> Result<bool, Error> {
    conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM equipments WHERE equipment_type_id = ?1)")?
        .query_row([id], |r| r.get(0))
}

const SELECTED: &str = "e.id, e.short_id, e.user_id, t.id AS type_id, t.label AS type_label, \
    t.is_active AS type_is_active, e.label, e.description, e.is_active, e.visibility, e.created_at, \
    e.total_distance, e.total_duration, e.total_moving, e.workouts_count, \
    (SELECT group_concat(d.sport_id) FROM (SELECT sport_id FROM sport_default_equipments \
      WHERE equipment_id = e.id ORDER BY sport_id) d) AS default_sports";
const FROM: &str = "FROM equipments e JOIN equipment_types t ON t.id = e.equipment_type_id";

fn from_row(row: &Row<'_>) -> Result<Equipment, Error> {
    let defaults: Option<String> = row.get("default_sports")?;
    let equipment_type =
        EquipmentType { id: row.get("type_id")?, label: row.get("type_label")?, is_active: row.get("type_is_active")? };
    let default_for_sport_ids =
        defaults.map(|d| d.split(',').filter_map(|s| s.parse().ok()).collect()).unwrap_or_default();
    Ok(columns!(row => Equipment {
        id,
        short_id,
        user_id,
        equipment_type: equipment_type,
        label,
        description,
        is_active,
        visibility: visibility(row, "visibility")?,
        created_at,
        total_distance,
        total_duration,
        total_moving,
        workouts_count,
        default_for_sport_ids: default_for_sport_ids,
    }))
}

pub fn of_user(conn: &Connection, user_id: i64, type_id: Option<i64>) -> Result<Vec<Equipment>, Error> {
    conn.prepare_cached(&format!(
        "SELECT {SELECTED} {FROM} WHERE e.user_id = ?1 AND (?2 IS NULL OR e.equipment_type_id = ?2) ORDER BY e.id"
    ))?
    .query_map(params![user_id, type_id], from_row)?
    .collect()
}

pub fn by_short_id(conn: &Connection, short_id: &str) -> Result<Option<Equipment>, Error> {
    conn.prepare_cached(&format!("SELECT {SELECTED} {FROM} WHERE e.short_id = ?1"))?
        .query_row([short_id], from_row)
        .optional()
}

pub fn by_ids(conn: &Connection, ids: &[i64]) -> Result<Vec<Equipment>, Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let marks = vec!["?"; ids.len()].join(", ");
    conn.prepare(&format!("SELECT {SELECTED} {FROM} WHERE e.id IN ({marks}) ORDER BY e.id"))?
        .query_map(params_from_iter(ids), from_row)?
        .collect()
}

pub fn of_workout(conn: &Connection, workout_id: i64) -> Result<Vec<Equipment>, Error> {
    conn.prepare_cached(&format!(
        "SELECT {SELECTED} {FROM} WHERE e.id IN (SELECT equipment_id FROM workout_equipments WHERE workout_id = ?1) ORDER BY e.id"
    ))?
    .query_map([workout_id], from_row)?
    .collect()
}

pub fn label_taken(conn: &Connection, user_id: i64, label: &str, except: Option<i64>) -> Result<bool, Error> {
    conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM equipments WHERE user_id = ?1 AND label = ?2 AND id IS NOT ?3)")?
        .query_row(params![user_id, label, except], |r| r.get(0))
}

/// Inserts (when `id` is 0) or updates the equipment's own fields; returns its id.
pub fn save(conn: &Connection, e: &Equipment) -> Result<i64, Error> {
    if e.id == 0 {
        conn.execute(
            "INSERT INTO equipments (short_id, user_id, equipment_type_id, label, description, is_active, visibility, \
             created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                e.short_id,
                e.user_id,
                e.equipment_type.id,
                e.label,
                e.description,
                e.is_active,
                e.visibility.name(),
                e.created_at
            ],
        )?;
        return Ok(conn.last_insert_rowid());
    }
    conn.execute(
        "UPDATE equipments SET equipment_type_id = ?2, label = ?3, description = ?4, is_active = ?5, \
         visibility = ?6 WHERE id = ?1",
        params![e.id, e.equipment_type.id, e.label, e.description, e.is_active, e.visibility.name()],
    )?;
    Ok(e.id)
}

pub fn delete(conn: &Connection, id: i64) -> Result<(), Error> {
    conn.execute("DELETE FROM equipments WHERE id = ?1", [id])?;
    Ok(())
}

/// The workouts linked to the equipment (their ids).
pub fn workouts_of(conn: &Connection, equipment_id: i64) -> Result<Vec<i64>, Error> {
    conn.prepare_cached("SELECT workout_id FROM workout_equipments WHERE equipment_id = ?1")?
        .query_map([equipment_id], |r| r.get(0))?
        .collect()
}

pub fn unlink_workouts(conn: &Connection, equipment_id: i64) -> Result<(), Error> {
    conn.execute("DELETE FROM workout_equipments WHERE equipment_id = ?1", [equipment_id])?;
    Ok(())
}

/// Makes `equipment_ids` the workout's equipment; returns every equipment
/// whose totals changed (old and new).
pub fn link(conn: &Connection, workout_id: i64, equipment_ids: &[i64]) -> Result<Vec<i64>, Error> {
    let mut touched: Vec<i64> = conn
        .prepare_cached("SELECT equipment_id FROM workout_equipments WHERE workout_id = ?1")?
        .query_map([workout_id], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    conn.prepare_cached("DELETE FROM workout_equipments WHERE workout_id = ?1")?.execute([workout_id])?;
    let mut insert =
        conn.prepare_cached("INSERT OR IGNORE INTO workout_equipments (workout_id, equipment_id) VALUES (?1, ?2)")?;
    for id in equipment_ids {
        insert.execute(params![workout_id, id])?;
    }
    touched.extend_from_slice(equipment_ids);
    touched.sort_unstable();
    touched.dedup();
    Ok(touched)
}

/// Recomputes totals from the linked workouts.
pub fn refresh_totals(conn: &Connection, equipment_ids: &[i64]) -> Result<(), Error> {
    let mut update = conn.prepare_cached(
        "UPDATE equipments SET (total_distance, total_duration, total_moving, workouts_count) = \
         (SELECT coalesce(sum(w.distance), 0), coalesce(sum(w.duration), 0), coalesce(sum(w.moving), 0), count(w.id) \
          FROM workout_equipments l JOIN workouts w ON w.id = l.workout_id WHERE l.equipment_id = ?1) WHERE id = ?1",
    )?;
    for id in equipment_ids {
        update.execute([id])?;
    }
    Ok(())
}

/// Every default equipment of a user, with its sport.
pub fn defaults_of_user(conn: &Connection, user_id: i64) -> Result<Vec<(i64, Equipment)>, Error> {
    conn.prepare_cached(&format!(
        "SELECT {SELECTED}, s.sport_id AS default_sport {FROM} JOIN sport_default_equipments s ON s.equipment_id = e.id \
         WHERE s.user_id = ?1 ORDER BY s.sport_id, e.id"
    ))?
    .query_map([user_id], |row| Ok((row.get("default_sport")?, from_row(row)?)))?
    .collect()
}

/// The equipment a user's new workouts of `sport_id` get by default.
pub fn defaults_of_sport(conn: &Connection, user_id: i64, sport_id: i64) -> Result<Vec<i64>, Error> {
    conn.prepare_cached(
        "SELECT equipment_id FROM sport_default_equipments WHERE user_id = ?1 AND sport_id = ?2 ORDER BY equipment_id",
    )?
    .query_map(params![user_id, sport_id], |r| r.get(0))?
    .collect()
}

pub fn set_defaults_of_sport(
    conn: &Connection,
    user_id: i64,
    sport_id: i64,
    equipment_ids: &[i64],
) -> Result<(), Error> {
    conn.prepare_cached("DELETE FROM sport_default_equipments WHERE user_id = ?1 AND sport_id = ?2")?
        .execute(params![user_id, sport_id])?;
    let mut insert = conn.prepare_cached(
        "INSERT OR IGNORE INTO sport_default_equipments (user_id, sport_id, equipment_id) VALUES (?1, ?2, ?3)",
    )?;
    for id in equipment_ids {
        insert.execute(params![user_id, sport_id, id])?;
    }
    Ok(())
}

/// Makes the equipment the default for exactly `sport_ids`.
pub fn set_default_sports(conn: &Connection, user_id: i64, equipment_id: i64, sport_ids: &[i64]) -> Result<(), Error> {
    conn.prepare_cached("DELETE FROM sport_default_equipments WHERE equipment_id = ?1")?.execute([equipment_id])?;
    let mut insert = conn.prepare_cached(
        "INSERT OR IGNORE INTO sport_default_equipments (user_id, sport_id, equipment_id) VALUES (?1, ?2, ?3)",
    )?;
    for sport_id in sport_ids {
        insert.execute(params![user_id, sport_id, equipment_id])?;
    }
    Ok(())
}
