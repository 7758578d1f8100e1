//! Workouts, their files and segments.

use rusqlite::{Connection, OptionalExtension, Row, ToSql, params};

use super::{Error, visibility};
use crate::workouts::model::{Measures, Segment, Visibilities, Workout};

/// The columns of [`Measures`]: workouts and segments alike.
pub(super) const MEASURE_COLUMNS: [&str; 16] = [
    "duration",
    "moving",
    "pauses",
    "distance",
    "min_alt",
    "max_alt",
    "ascent",
    "descent",
    "ave_speed",
    "max_speed",
    "ave_hr",
    "max_hr",
    "ave_cadence",
    "max_cadence",
    "ave_power",
    "max_power",
];

fn measures_from_row(row: &Row<'_>) -> Result<Measures, Error> {
    Ok(columns!(row => Measures {
        duration,
        moving,
        pauses,
        distance,
        min_alt,
        max_alt,
        ascent,
        descent,
        ave_speed,
        max_speed,
        ave_hr,
        max_hr,
        ave_cadence,
        max_cadence,
        ave_power,
        max_power,
    }))
}

/// The values of [`MEASURE_COLUMNS`], in their order.
fn measure_values(m: &Measures) -> [&dyn ToSql; 16] {
    [
        &m.duration,
        &m.moving,
        &m.pauses,
        &m.distance,
        &m.min_alt,
        &m.max_alt,
        &m.ascent,
        &m.descent,
        &m.ave_speed,
        &m.max_speed,
        &m.ave_hr,
        &m.max_hr,
        &m.ave_cadence,
        &m.max_cadence,
        &m.ave_power,
        &m.max_power,
    ]
}

/// `w.duration, w.moving, …`.
fn prefixed_measures(prefix: &str) -> String {
    MEASURE_COLUMNS.iter().map(|c| format!("{prefix}{c}")).collect::<Vec<_>>().join(", ")
}

pub(super) fn columns() -> String {
    format!(
        "w.id, w.short_id, w.user_id, w.sport_id, w.title, w.description, w.notes, w.workout_date, {}, \
         w.calories, w.start_lat, w.start_lon, w.bounds, w.source, w.workout_visibility, w.analysis_visibility, \
         w.map_visibility, w.created_at, w.modified_at, f.file_name, w.map_id",
        prefixed_measures("w.")
    )
}

pub(super) const FROM: &str = "workouts w LEFT JOIN workout_files f ON f.workout_id = w.id";

pub(super) fn from_row(row: &Row<'_>) -> Result<Workout, Error> {
    let bounds: Option<String> = row.get("bounds")?;
    let start = match (row.get::<_, Option<f64>>("start_lat")?, row.get::<_, Option<f64>>("start_lon")?) {
        (Some(lat), Some(lon)) => Some((lat, lon)),
        _ => None,
    };
    Ok(Workout {
        id: row.get("id")?,
        short_id: row.get("short_id")?,
        user_id: row.get("user_id")?,
        sport_id: row.get("sport_id")?,
        title: row.get("title")?,
        description: row.get("description")?,
        notes: row.get("notes")?,
        workout_date: row.get("workout_date")?,
        measures: measures_from_row(row)?,
        calories: row.get("calories")?,
        start,
        bounds: bounds.and_then(|b| serde_json::from_str(&b).ok()),
        source: row.get("source")?,
        visibility: Visibilities {
            workout: visibility(row, "workout_visibility")?,
            analysis: visibility(row, "analysis_visibility")?,
            map: visibility(row, "map_visibility")?,
        },
        created_at: row.get("created_at")?,
        modified_at: row.get("modified_at")?,
        file_name: row.get("file_name")?,
        map_id: row.get("map_id")?,
    })
}

/// The columns a workout's owner can change besides its measures.
const FIELDS: [&str; 14] = [
    "sport_id",
    "title",
    "description",
    "notes",
    "workout_date",
    "calories",
    "start_lat",
    "start_lon",
    "bounds",
    "source",
    "workout_visibility",
    "analysis_visibility",
    "map_visibility",
    "modified_at",
];

/// Every changeable column with its value, as named parameters (`:column`).
fn changeable_values(w: &Workout) -> Vec<(String, Box<dyn ToSql + '_>)> {
    let bounds = w.bounds.map(|b| serde_json::to_string(&b).unwrap_or_default());
    let fields: [Box<dyn ToSql>; 14] = [
        Box::new(w.sport_id),
        Box::new(&w.title),
        Box::new(&w.description),
        Box::new(&w.notes),
        Box::new(w.workout_date),
        Box::new(w.calories),
        Box::new(w.start.map(|s| s.0)),
        Box::new(w.start.map(|s| s.1)),
        Box::new(bounds),
        Box::new(&w.source),
        Box::new(w.visibility.workout.name()),
        Box::new(w.visibility.analysis.name()),
        Box::new(w.visibility.map.name()),
        Box::new(w.modified_at),
    ];
    let measures =
        MEASURE_COLUMNS.iter().zip(measure_values(&w.measures)).map(|(c, v)| (*c, Box::new(v) as Box<dyn ToSql>));
    measures.chain(FIELDS.iter().copied().zip(fields)).map(|(column, value)| (format!(":{column}"), value)).collect()
}

fn execute_named(conn: &Connection, sql: &str, values: &[(String, Box<dyn ToSql + '_>)]) -> Result<(), Error> {
    let named: Vec<(&str, &dyn ToSql)> = values.iter().map(|(name, value)| (name.as_str(), value.as_ref())).collect();
    conn.prepare_cached(sql)?.execute(named.as_slice())?;
    Ok(())
}

fn changeable_columns() -> Vec<&'static str> {
    MEASURE_COLUMNS.iter().chain(FIELDS.iter()).copied().collect()
}

/// Inserts the workout row (`id` and `file_name` are ignored) and returns its id.
pub fn insert(conn: &Connection, w: &Workout) -> Result<i64, Error> {
    let columns = changeable_columns();
    let names: Vec<String> = columns.iter().map(|c| format!(":{c}")).collect();
    let sql = format!(
        "INSERT INTO workouts ({}, short_id, user_id, created_at, map_id) \
         VALUES ({}, :short_id, :user_id, :created_at, :map_id)",
        columns.join(", "),
        names.join(", ")
    );
    let mut values = changeable_values(w);
    values.push((":short_id".into(), Box::new(&w.short_id)));
    values.push((":user_id".into(), Box::new(w.user_id)));
    values.push((":created_at".into(), Box::new(w.created_at)));
    values.push((":map_id".into(), Box::new(&w.map_id)));
    execute_named(conn, &sql, &values)?;
    Ok(conn.last_insert_rowid())
}

/// Writes every changeable column of the workout.
pub fn save(conn: &Connection, w: &Workout) -> Result<(), Error> {
    let assignments: Vec<String> = changeable_columns().iter().map(|c| format!("{c} = :{c}")).collect();
    let sql = format!("UPDATE workouts SET {} WHERE id = :id", assignments.join(", "));
    let mut values = changeable_values(w);
    values.push((":id".into(), Box::new(w.id)));
    execute_named(conn, &sql, &values)
}

pub fn by_short_id(conn: &Connection, short_id: &str) -> Result<Option<Workout>, Error> {
    conn.prepare_cached(&format!("SELECT {} FROM {FROM} WHERE w.short_id = ?1", columns()))?
        .query_row([short_id], from_row)
        .optional()
}

pub fn by_id(conn: &Connection, id: i64) -> Result<Option<Workout>, Error> {
    conn.prepare_cached(&format!("SELECT {} FROM {FROM} WHERE w.id = ?1", columns()))?
        .query_row([id], from_row)
        .optional()
}

pub fn by_map_id(conn: &Connection, map_id: &str) -> Result<Option<Workout>, Error> {
    conn.prepare_cached(&format!("SELECT {} FROM {FROM} WHERE w.map_id = ?1", columns()))?
        .query_row([map_id], from_row)
        .optional()
}

pub fn delete(conn: &Connection, id: i64) -> Result<(), Error> {
    conn.prepare_cached("DELETE FROM workouts WHERE id = ?1")?.execute([id])?;
    Ok(())
}

pub fn insert_file(conn: &Connection, workout_id: i64, name: &str, content: &[u8]) -> Result<(), Error> {
    conn.prepare_cached("INSERT INTO workout_files (workout_id, file_name, content) VALUES (?1, ?2, ?3)")?
        .execute(params![workout_id, name, content])?;
    Ok(())
}

/// The uploaded file's name and bytes.
pub fn file(conn: &Connection, workout_id: i64) -> Result<Option<(String, Vec<u8>)>, Error> {
    conn.prepare_cached("SELECT file_name, content FROM workout_files WHERE workout_id = ?1")?
        .query_row([workout_id], |row| Ok((row.get("file_name")?, row.get("content")?)))
        .optional()
}

pub fn replace_segments(conn: &Connection, workout_id: i64, segments: &[Segment]) -> Result<(), Error> {
    conn.prepare_cached("DELETE FROM workout_segments WHERE workout_id = ?1")?.execute([workout_id])?;
    let placeholders = vec!["?"; MEASURE_COLUMNS.len() + 3].join(", ");
    let mut insert = conn.prepare_cached(&format!(
        "INSERT INTO workout_segments ({}, workout_id, segment_number, short_id) VALUES ({placeholders})",
        MEASURE_COLUMNS.join(", "),
    ))?;
    for s in segments {
        let mut values: Vec<&dyn ToSql> = measure_values(&s.measures).to_vec();
        values.extend::<[&dyn ToSql; 3]>([&workout_id, &s.number, &s.short_id]);
        insert.execute(rusqlite::params_from_iter(values))?;
    }
    Ok(())
}

pub fn segments(conn: &Connection, workout_id: i64) -> Result<Vec<Segment>, Error> {
    conn.prepare_cached(&format!(
        "SELECT segment_number, short_id, {} FROM workout_segments WHERE workout_id = ?1 ORDER BY segment_number",
        MEASURE_COLUMNS.join(", ")
    ))?
    .query_map([workout_id], |row| {
        Ok(Segment {
            number: row.get("segment_number")?,
            short_id: row.get("short_id")?,
            measures: measures_from_row(row)?,
        })
    })?
    .collect()
}

/// The workout just before and just after this one, for its owner.
pub fn neighbours(conn: &Connection, w: &Workout) -> Result<(Option<String>, Option<String>), Error> {
    let previous = conn
        .prepare_cached(
            "SELECT short_id FROM workouts WHERE user_id = ?1 AND (workout_date, id) < (?2, ?3) \
             ORDER BY workout_date DESC, id DESC LIMIT 1",
        )?
        .query_row(params![w.user_id, w.workout_date, w.id], |r| r.get(0))
        .optional()?;
    let next = conn
        .prepare_cached(
            "SELECT short_id FROM workouts WHERE user_id = ?1 AND (workout_date, id) > (?2, ?3) \
             ORDER BY workout_date ASC, id ASC LIMIT 1",
        )?
        .query_row(params![w.user_id, w.workout_date, w.id], |r| r.get(0))
        .optional()?;
    Ok((previous, next))
}

/// The latest workouts of a user, public ones only unless `all`.
pub fn latest(conn: &Connection, user_id: i64, all: bool, limit: i64) -> Result<Vec<Workout>, Error> {
    conn.prepare_cached(&format!(
        "SELECT {} FROM {FROM} WHERE w.user_id = ?1 AND (?2 OR w.workout_visibility = 'public') \
         ORDER BY w.workout_date DESC, w.id DESC LIMIT ?3",
        columns()
    ))?
    .query_map(params![user_id, all, limit], from_row)?
    .collect()
}

/// Whether any workout uses the sport.
pub fn sport_has_workouts(conn: &Connection, sport_id: i64) -> Result<bool, Error> {
    conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM user_sport_totals WHERE sport_id = ?1)")?
        .query_row([sport_id], |r| r.get(0))
}

/// Instance-wide counts: workouts, sports used, active users, bytes of files.
pub fn instance_counts(conn: &Connection) -> Result<(i64, i64, i64, i64), Error> {
    conn.query_row(
        "SELECT (SELECT count(*) FROM workouts), (SELECT count(DISTINCT sport_id) FROM workouts), \
         (SELECT count(*) FROM users WHERE is_active = 1), \
         (SELECT coalesce(sum(length(content)), 0) FROM workout_files)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )
}

/// Whether the user has a workout of this sport starting at this second
/// (an import's duplicate).
pub fn exists_at(conn: &Connection, user_id: i64, sport_id: i64, workout_date: i64) -> Result<bool, Error> {
    conn.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM workouts WHERE user_id = ?1 AND sport_id = ?2 AND workout_date = ?3)",
    )?
    .query_row(params![user_id, sport_id, workout_date], |row| row.get(0))
}

/// Whether the user has a workout uploaded from exactly these bytes (blobs
/// of another length are not read: SQLite knows their length).
pub fn has_file(conn: &Connection, user_id: i64, content: &[u8]) -> Result<bool, Error> {
    conn.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM workout_files f JOIN workouts w ON w.id = f.workout_id \
         WHERE w.user_id = ?1 AND length(f.content) = ?2 AND f.content = ?3)",
    )?
    .query_row(params![user_id, content.len() as i64, content], |row| row.get(0))
}
