//! Sports and users' sport preferences.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::Error;
use crate::sports::{SpeedDisplay, Sport, SportPreferences};

const COLUMNS: &str = "s.id, s.label, s.is_active, s.stopped_speed_threshold, s.pace_speed_display, \
    p.color AS user_color, p.is_active AS user_is_active, p.stopped_speed_threshold AS user_threshold, \
    p.pace_speed_display AS user_display";

fn display(row: &Row<'_>, column: &str) -> Result<SpeedDisplay, Error> {
    let name: String = row.get(column)?;
    SpeedDisplay::parse(&name).ok_or_else(|| {
        Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, format!("speed display {name:?}").into())
    })
}

fn from_row(row: &Row<'_>) -> Result<(Sport, Option<SportPreferences>), Error> {
    let sport = Sport {
        id: row.get("id")?,
        label: row.get("label")?,
        is_active: row.get("is_active")?,
        stopped_speed_threshold: row.get("stopped_speed_threshold")?,
        pace_speed_display: display(row, "pace_speed_display")?,
    };
    let prefs = match row.get::<_, Option<bool>>("user_is_active")? {
        None => None,
        Some(is_active) => Some(SportPreferences {
            color: row.get("user_color")?,
            is_active,
            stopped_speed_threshold: row.get("user_threshold")?,
            pace_speed_display: display(row, "user_display")?,
        }),
    };
    Ok((sport, prefs))
}

/// Every sport in id order, with `user_id`'s preferences when given.
pub fn all(conn: &Connection, user_id: Option<i64>) -> Result<Vec<(Sport, Option<SportPreferences>)>, Error> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM sports s \
         LEFT JOIN sport_preferences p ON p.sport_id = s.id AND p.user_id = ?1 ORDER BY s.id"
    ))?
    .query_map([user_id], from_row)?
    .collect()
}

pub fn one(
    conn: &Connection,
    sport_id: i64,
    user_id: Option<i64>,
) -> Result<Option<(Sport, Option<SportPreferences>)>, Error> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM sports s \
         LEFT JOIN sport_preferences p ON p.sport_id = s.id AND p.user_id = ?2 WHERE s.id = ?1"
    ))?
    .query_row(params![sport_id, user_id], from_row)
    .optional()
}

pub fn set_active(conn: &Connection, sport_id: i64, active: bool) -> Result<(), Error> {
    conn.execute("UPDATE sports SET is_active = ?2 WHERE id = ?1", params![sport_id, active])?;
    Ok(())
}

pub fn save_preferences(conn: &Connection, user_id: i64, sport_id: i64, prefs: &SportPreferences) -> Result<(), Error> {
    conn.execute(
        "INSERT INTO sport_preferences (user_id, sport_id, color, is_active, stopped_speed_threshold, \
         pace_speed_display) VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
         ON CONFLICT (user_id, sport_id) DO UPDATE SET color = ?3, is_active = ?4, \
         stopped_speed_threshold = ?5, pace_speed_display = ?6",
        params![
            user_id,
            sport_id,
            prefs.color,
            prefs.is_active,
            prefs.stopped_speed_threshold,
            prefs.pace_speed_display.name()
        ],
    )?;
    Ok(())
}

pub fn delete_preferences(conn: &Connection, user_id: i64, sport_id: i64) -> Result<(), Error> {
    conn.execute("DELETE FROM sport_preferences WHERE user_id = ?1 AND sport_id = ?2", params![user_id, sport_id])?;
    Ok(())
}
