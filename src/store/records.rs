//! What is kept current as workouts change: each user's per-sport totals
//! and records; and the rows statistics are computed from.

use rusqlite::{Connection, OptionalExtension, Row, params, params_from_iter};

use super::Error;
use crate::workouts::model::{Measure, Record, RecordType, SportTotals, StatRow, Workout};

/// Adds (`sign` = 1) or removes (-1) a workout from its user's totals.
pub fn count_in_totals(conn: &Connection, w: &Workout, sign: f64) -> Result<(), Error> {
    let m = &w.measures;
    conn.prepare_cached(
        "INSERT INTO user_sport_totals (user_id, sport_id, workouts, distance, duration, moving, ascent) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (user_id, sport_id) DO UPDATE SET \
         workouts = workouts + ?3, distance = distance + ?4, duration = duration + ?5, moving = moving + ?6, \
         ascent = ascent + ?7",
    )?
    .execute(params![
        w.user_id,
        w.sport_id,
        sign as i64,
        sign * m.distance,
        sign * m.duration,
        sign * m.moving,
        sign * m.ascent.unwrap_or(0.0)
    ])?;
    conn.prepare_cached("DELETE FROM user_sport_totals WHERE user_id = ?1 AND sport_id = ?2 AND workouts <= 0")?
        .execute(params![w.user_id, w.sport_id])?;
    Ok(())
}

pub fn totals(conn: &Connection, user_id: i64) -> Result<Vec<SportTotals>, Error> {
    conn.prepare_cached(
        "SELECT sport_id, workouts, distance, duration, ascent FROM user_sport_totals WHERE user_id = ?1 ORDER BY sport_id",
    )?
    .query_map([user_id], |row| {
        Ok(SportTotals {
            sport_id: row.get("sport_id")?,
            workouts: row.get("workouts")?,
            distance: row.get("distance")?,
            duration: row.get("duration")?,
            ascent: row.get("ascent")?,
        })
    })?
    .collect()
}

const RECORD_COLUMNS: &str = "r.id, r.user_id, r.sport_id, r.record_type, w.short_id AS workout_short_id, \
     w.workout_date, r.value FROM records r JOIN workouts w ON w.id = r.workout_id";

fn record_from_row(row: &Row<'_>) -> Result<Record, Error> {
    let name: String = row.get("record_type")?;
    let record_type = RecordType::parse(&name).ok_or_else(|| {
        Error::FromSqlConversionFailure(3, rusqlite::types::Type::Text, format!("record type {name:?}").into())
    })?;
    Ok(
        columns!(row => Record { id, user_id, sport_id, record_type: record_type, workout_short_id, workout_date, value }),
    )
}

pub fn records_of_user(conn: &Connection, user_id: i64) -> Result<Vec<Record>, Error> {
    conn.prepare_cached(&format!("SELECT {RECORD_COLUMNS} WHERE r.user_id = ?1 ORDER BY r.sport_id, r.record_type"))?
        .query_map([user_id], record_from_row)?
        .collect()
}

/// Records held by the given workouts.
pub fn records_of_workouts(conn: &Connection, workout_ids: &[i64]) -> Result<Vec<Record>, Error> {
    if workout_ids.is_empty() {
        return Ok(Vec::new());
    }
    let marks = vec!["?"; workout_ids.len()].join(", ");
    conn.prepare(&format!(
        "SELECT {RECORD_COLUMNS} WHERE r.workout_id IN ({marks}) ORDER BY r.sport_id, r.record_type"
    ))?
    .query_map(params_from_iter(workout_ids), record_from_row)?
    .collect()
}

/// The workouts column a measure is stored in.
fn measure_column(measure: Measure) -> &'static str {
    match measure {
        Measure::AveSpeed => "ave_speed",
        Measure::MaxSpeed => "max_speed",
        Measure::Distance => "distance",
        Measure::Ascent => "ascent",
        Measure::Moving => "moving",
    }
}

/// Recomputes a user's records for one sport; ties go to the earliest workout.
pub fn recompute_records(conn: &Connection, user_id: i64, sport_id: i64) -> Result<(), Error> {
    conn.prepare_cached("DELETE FROM records WHERE user_id = ?1 AND sport_id = ?2")?
        .execute(params![user_id, sport_id])?;
    for record_type in RecordType::ALL {
        let column = measure_column(record_type.measure());
        let best: Option<(i64, f64)> = conn
            .prepare_cached(&format!(
                "SELECT id, {column} AS best FROM workouts WHERE user_id = ?1 AND sport_id = ?2 AND {column} > 0 \
                 ORDER BY {column} DESC, workout_date ASC, id ASC LIMIT 1"
            ))?
            .query_row(params![user_id, sport_id], |r| Ok((r.get("id")?, r.get("best")?)))
            .optional()?;
        if let Some((workout_id, raw)) = best {
            set_record(conn, user_id, sport_id, record_type, workout_id, record_type.value(raw))?;
        }
    }
    Ok(())
}

/// Makes a new workout a record holder wherever it beats the current one
/// (cheaper than a recomputation: an insert can only improve records).
pub fn offer_records(conn: &Connection, w: &Workout) -> Result<(), Error> {
    for record_type in RecordType::ALL {
        let Some(raw) = record_type.measure().of(&w.measures).filter(|v| *v > 0.0) else { continue };
        let column = measure_column(record_type.measure());
        let current: Option<(f64, i64)> = conn
            .prepare_cached(&format!(
                "SELECT w.{column} AS best, w.workout_date FROM records r JOIN workouts w ON w.id = r.workout_id \
                 WHERE r.user_id = ?1 AND r.sport_id = ?2 AND r.record_type = ?3"
            ))?
            .query_row(params![w.user_id, w.sport_id, record_type.name()], |r| {
                Ok((r.get("best")?, r.get("workout_date")?))
            })
            .optional()?;
        let better = match current {
            None => true,
            Some((best, date)) => raw > best || (raw == best && w.workout_date < date),
        };
        if better {
            set_record(conn, w.user_id, w.sport_id, record_type, w.id, record_type.value(raw))?;
        }
    }
    Ok(())
}

fn set_record(
    conn: &Connection,
    user_id: i64,
    sport_id: i64,
    record_type: RecordType,
    workout_id: i64,
    value: f64,
) -> Result<(), Error> {
    conn.prepare_cached(
        "INSERT INTO records (user_id, sport_id, record_type, workout_id, value) VALUES (?1, ?2, ?3, ?4, ?5) \
         ON CONFLICT (user_id, sport_id, record_type) DO UPDATE SET workout_id = ?4, value = ?5",
    )?
    .execute(params![user_id, sport_id, record_type.name(), workout_id, value])?;
    Ok(())
}

/// When the user's first workout was.
pub fn first_workout_date(conn: &Connection, user_id: i64) -> Result<Option<i64>, Error> {
    conn.prepare_cached("SELECT min(workout_date) FROM workouts WHERE user_id = ?1")?
        .query_row([user_id], |row| row.get(0))
}

/// A user's workouts in [from, to), the `limit` most recent (0: all).
pub fn stat_rows(
    conn: &Connection,
    user_id: i64,
    sport_id: Option<i64>,
    from: Option<i64>,
    to: Option<i64>,
    limit: i64,
) -> Result<Vec<StatRow>, Error> {
    conn.prepare_cached(
        "SELECT workout_date, sport_id, distance, moving, ascent, descent, calories, ave_speed FROM workouts \
         WHERE user_id = ?1 AND (?2 IS NULL OR sport_id = ?2) AND (?3 IS NULL OR workout_date >= ?3) \
         AND (?4 IS NULL OR workout_date < ?4) ORDER BY workout_date DESC LIMIT ?5",
    )?
    .query_map(params![user_id, sport_id, from, to, if limit > 0 { limit } else { i64::MAX }], |row| {
        Ok(columns!(row => StatRow { workout_date, sport_id, distance, moving, ascent, descent, calories, ave_speed }))
    })?
    .collect()
}
