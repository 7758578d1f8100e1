//! Sports and users' sport preferences.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::Error;

#[derive(Debug, Clone, PartialEq)]
pub struct Sport {
    pub id: i64,
    pub label: String,
    pub is_active: bool,
    pub stopped_speed_threshold: f64,
    pub pace_speed_display: String,
}

/// A user's overrides for one sport.
#[derive(Debug, Clone, PartialEq)]
pub struct SportPreferences {
    /// `#rrggbb`.
    pub color: Option<String>,
    pub is_active: bool,
    pub stopped_speed_threshold: f64,
    pub pace_speed_display: String,
}

const COLUMNS: &str = "s.id, s.label, s.is_active, s.stopped_speed_threshold, s.pace_speed_display, \
    p.color, p.is_active, p.stopped_speed_threshold, p.pace_speed_display";

fn from_row(row: &Row<'_>) -> Result<(Sport, Option<SportPreferences>), Error> {
    let sport = Sport {
        id: row.get(0)?,
        label: row.get(1)?,
        is_active: row.get(2)?,
        stopped_speed_threshold: row.get(3)?,
        pace_speed_display: row.get(4)?,
    };
    let prefs = match row.get::<_, Option<bool>>(6)? {
        None => None,
        Some(is_active) => Some(SportPreferences {
            color: row.get(5)?,
            is_active,
            stopped_speed_threshold: row.get(7)?,
            pace_speed_display: row.get(8)?,
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
            prefs.pace_speed_display
        ],
    )?;
    Ok(())
}

pub fn delete_preferences(conn: &Connection, user_id: i64, sport_id: i64) -> Result<(), Error> {
    conn.execute("DELETE FROM sport_preferences WHERE user_id = ?1 AND sport_id = ?2", params![user_id, sport_id])?;
    Ok(())
}
