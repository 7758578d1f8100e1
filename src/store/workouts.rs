//! Workouts, their files and segments, records, per-sport totals, and the
//! filtered, paginated lists (filters and ordering are done in SQL, with
//! indexes, never in memory).

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row, ToSql, params, params_from_iter};

use super::Error;

/// What a workout measured (from a file, or entered by hand).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Measures {
    pub duration: f64,
    pub moving: f64,
    pub distance: f64,
    pub min_alt: Option<f64>,
    pub max_alt: Option<f64>,
    pub ascent: Option<f64>,
    pub descent: Option<f64>,
    pub ave_speed: Option<f64>,
    pub max_speed: Option<f64>,
    pub ave_hr: Option<f64>,
    pub max_hr: Option<f64>,
    pub ave_cadence: Option<f64>,
    pub max_cadence: Option<f64>,
    pub ave_power: Option<f64>,
    pub max_power: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Workout {
    pub id: i64,
    pub short_id: String,
    pub user_id: i64,
    pub sport_id: i64,
    pub title: String,
    pub description: Option<String>,
    pub notes: Option<String>,
    pub workout_date: i64,
    pub measures: Measures,
    pub calories: Option<f64>,
    pub start: Option<(f64, f64)>,
    pub bounds: Option<[f64; 4]>,
    pub source: Option<String>,
    pub workout_visibility: String,
    pub analysis_visibility: String,
    pub map_visibility: String,
    pub created_at: i64,
    pub modified_at: Option<i64>,
    /// The uploaded file's name, when the workout came from a file.
    pub file_name: Option<String>,
}

/// The columns of [`Measures`], in field order: workouts and segments alike.
macro_rules! measure_columns {
    () => {
        "duration, moving, distance, min_alt, max_alt, ascent, descent, ave_speed, max_speed, ave_hr, max_hr, \
         ave_cadence, max_cadence, ave_power, max_power"
    };
}

impl Measures {
    /// Reads the measure columns starting at column `at`.
    fn from_row(row: &Row<'_>, at: usize) -> Result<Measures, Error> {
        Ok(Measures {
            duration: row.get(at)?,
            moving: row.get(at + 1)?,
            distance: row.get(at + 2)?,
            min_alt: row.get(at + 3)?,
            max_alt: row.get(at + 4)?,
            ascent: row.get(at + 5)?,
            descent: row.get(at + 6)?,
            ave_speed: row.get(at + 7)?,
            max_speed: row.get(at + 8)?,
            ave_hr: row.get(at + 9)?,
            max_hr: row.get(at + 10)?,
            ave_cadence: row.get(at + 11)?,
            max_cadence: row.get(at + 12)?,
            ave_power: row.get(at + 13)?,
            max_power: row.get(at + 14)?,
        })
    }

    /// The values of the measure columns.
    fn values(&self) -> [&dyn ToSql; 15] {
        [
            &self.duration,
            &self.moving,
            &self.distance,
            &self.min_alt,
            &self.max_alt,
            &self.ascent,
            &self.descent,
            &self.ave_speed,
            &self.max_speed,
            &self.ave_hr,
            &self.max_hr,
            &self.ave_cadence,
            &self.max_cadence,
            &self.ave_power,
            &self.max_power,
        ]
    }
}

/// `?from, ?from+1, …` for `count` parameters.
fn placeholders(from: usize, count: usize) -> String {
    (from..from + count).map(|n| format!("?{n}")).collect::<Vec<_>>().join(", ")
}

const COLUMNS: &str = concat!(
    "w.id, w.short_id, w.user_id, w.sport_id, w.title, w.description, w.notes, w.workout_date, ",
    measure_columns!(),
    ", w.calories, w.start_lat, w.start_lon, w.bounds, w.source, w.workout_visibility, w.analysis_visibility, \
     w.map_visibility, w.created_at, w.modified_at, f.file_name"
);

const FROM: &str = "workouts w LEFT JOIN workout_files f ON f.workout_id = w.id";

fn from_row(row: &Row<'_>) -> Result<Workout, Error> {
    let bounds: Option<String> = row.get(26)?;
    let start = match (row.get::<_, Option<f64>>(24)?, row.get::<_, Option<f64>>(25)?) {
        (Some(lat), Some(lon)) => Some((lat, lon)),
        _ => None,
    };
    Ok(Workout {
        id: row.get(0)?,
        short_id: row.get(1)?,
        user_id: row.get(2)?,
        sport_id: row.get(3)?,
        title: row.get(4)?,
        description: row.get(5)?,
        notes: row.get(6)?,
        workout_date: row.get(7)?,
        measures: Measures::from_row(row, 8)?,
        calories: row.get(23)?,
        start,
        bounds: bounds.and_then(|b| serde_json::from_str(&b).ok()),
        source: row.get(27)?,
        workout_visibility: row.get(28)?,
        analysis_visibility: row.get(29)?,
        map_visibility: row.get(30)?,
        created_at: row.get(31)?,
        modified_at: row.get(32)?,
        file_name: row.get(33)?,
    })
}

/// The columns a workout's owner can change, in the order of [`changeable`].
const CHANGEABLE_COLUMNS: &str = concat!(
    "sport_id, title, description, notes, workout_date, ",
    measure_columns!(),
    ", calories, start_lat, start_lon, bounds, source, workout_visibility, analysis_visibility, map_visibility, \
     modified_at"
);
const CHANGEABLE_COUNT: usize = 29;

/// The values of [`CHANGEABLE_COLUMNS`], with the stored forms of the
/// bounds and the start from [`stored_position`].
fn changeable<'w>(w: &'w Workout, bounds: &'w Option<String>, start: &'w [Option<f64>; 2]) -> Vec<&'w dyn ToSql> {
    let mut values: Vec<&dyn ToSql> = vec![&w.sport_id, &w.title, &w.description, &w.notes, &w.workout_date];
    values.extend(w.measures.values());
    values.extend::<[&dyn ToSql; 9]>([
        &w.calories,
        &start[0],
        &start[1],
        bounds,
        &w.source,
        &w.workout_visibility,
        &w.analysis_visibility,
        &w.map_visibility,
        &w.modified_at,
    ]);
    debug_assert_eq!(values.len(), CHANGEABLE_COUNT);
    values
}

/// Inserts the workout row (`id` and `file_name` are ignored) and returns its id.
pub fn insert(conn: &Connection, w: &Workout) -> Result<i64, Error> {
    let (bounds, start) = stored_position(w);
    let mut values: Vec<&dyn ToSql> = vec![&w.short_id, &w.user_id, &w.created_at];
    values.extend(changeable(w, &bounds, &start));
    conn.prepare_cached(&format!(
        "INSERT INTO workouts (short_id, user_id, created_at, {CHANGEABLE_COLUMNS}) VALUES ({})",
        placeholders(1, values.len())
    ))?
    .execute(params_from_iter(values))?;
    Ok(conn.last_insert_rowid())
}

/// Writes every changeable column of the workout.
pub fn save(conn: &Connection, w: &Workout) -> Result<(), Error> {
    let (bounds, start) = stored_position(w);
    let mut values: Vec<&dyn ToSql> = vec![&w.id];
    values.extend(changeable(w, &bounds, &start));
    conn.prepare_cached(&format!(
        "UPDATE workouts SET ({CHANGEABLE_COLUMNS}) = ({}) WHERE id = ?1",
        placeholders(2, CHANGEABLE_COUNT)
    ))?
    .execute(params_from_iter(values))?;
    Ok(())
}

/// The stored forms of the bounds (JSON) and of the start (two columns).
fn stored_position(w: &Workout) -> (Option<String>, [Option<f64>; 2]) {
    let bounds = w.bounds.map(|b| serde_json::to_string(&b).unwrap_or_default());
    (bounds, [w.start.map(|s| s.0), w.start.map(|s| s.1)])
}

pub fn by_short_id(conn: &Connection, short_id: &str) -> Result<Option<Workout>, Error> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM {FROM} WHERE w.short_id = ?1"))?
        .query_row([short_id], from_row)
        .optional()
}

pub fn by_id(conn: &Connection, id: i64) -> Result<Option<Workout>, Error> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM {FROM} WHERE w.id = ?1"))?.query_row([id], from_row).optional()
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
        .query_row([workout_id], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()
}

#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    pub number: i64,
    pub short_id: String,
    pub measures: Measures,
}

pub fn replace_segments(conn: &Connection, workout_id: i64, segments: &[Segment]) -> Result<(), Error> {
    conn.prepare_cached("DELETE FROM workout_segments WHERE workout_id = ?1")?.execute([workout_id])?;
    let mut insert = conn.prepare_cached(&format!(
        concat!(
            "INSERT INTO workout_segments (workout_id, segment_number, short_id, ",
            measure_columns!(),
            ") VALUES ({})"
        ),
        placeholders(1, 18)
    ))?;
    for s in segments {
        let mut values: Vec<&dyn ToSql> = vec![&workout_id, &s.number, &s.short_id];
        values.extend(s.measures.values());
        insert.execute(params_from_iter(values))?;
    }
    Ok(())
}

pub fn segments(conn: &Connection, workout_id: i64) -> Result<Vec<Segment>, Error> {
    conn.prepare_cached(concat!(
        "SELECT segment_number, short_id, ",
        measure_columns!(),
        " FROM workout_segments WHERE workout_id = ?1 ORDER BY segment_number"
    ))?
    .query_map([workout_id], |row| {
        Ok(Segment { number: row.get(0)?, short_id: row.get(1)?, measures: Measures::from_row(row, 2)? })
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

/// Columns a list may be ordered by (never a name taken from the request).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum WorkoutOrder {
    WorkoutDate,
    Distance,
    AveSpeed,
    Duration,
}

impl WorkoutOrder {
    pub fn parse(name: &str) -> Option<WorkoutOrder> {
        Some(match name {
            "workout_date" => WorkoutOrder::WorkoutDate,
            "distance" => WorkoutOrder::Distance,
            "ave_speed" => WorkoutOrder::AveSpeed,
            "duration" => WorkoutOrder::Duration,
            _ => return None,
        })
    }

    fn column(self) -> &'static str {
        match self {
            WorkoutOrder::WorkoutDate => "w.workout_date",
            WorkoutOrder::Distance => "w.distance",
            WorkoutOrder::AveSpeed => "w.ave_speed",
            WorkoutOrder::Duration => "w.moving",
        }
    }
}

/// Which of a user's workouts a list shows. Every bound is optional.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkoutFilter {
    pub user_id: i64,
    pub sport_id: Option<i64>,
    pub title: Option<String>,
    pub notes: Option<String>,
    pub description: Option<String>,
    /// Unix seconds, inclusive / exclusive.
    pub from: Option<i64>,
    pub to: Option<i64>,
    pub distance: (Option<f64>, Option<f64>),
    /// Moving time, seconds.
    pub moving: (Option<f64>, Option<f64>),
    pub ave_speed: (Option<f64>, Option<f64>),
    pub max_speed: (Option<f64>, Option<f64>),
    /// `Some(None)`: workouts without equipment.
    pub equipment: Option<Option<i64>>,
    pub visibility: Option<String>,
    /// Centre (lat, lon), radius in km.
    pub near: Option<(f64, f64, f64)>,
}

impl WorkoutFilter {
    pub fn of_user(user_id: i64) -> WorkoutFilter {
        WorkoutFilter {
            user_id,
            sport_id: None,
            title: None,
            notes: None,
            description: None,
            from: None,
            to: None,
            distance: (None, None),
            moving: (None, None),
            ave_speed: (None, None),
            max_speed: (None, None),
            equipment: None,
            visibility: None,
            near: None,
        }
    }

    /// True when only the user is filtered on (the totals give the count).
    pub fn is_everything(&self) -> bool {
        *self == WorkoutFilter::of_user(self.user_id)
    }

    /// The WHERE clause and its parameters.
    fn sql(&self) -> (String, Vec<Value>) {
        let mut clauses = vec!["w.user_id = ?".to_string()];
        let mut values = vec![Value::Integer(self.user_id)];
        let mut add = |clause: &str, value: Option<Value>| {
            clauses.push(clause.to_string());
            values.extend(value);
        };
        if let Some(sport) = self.sport_id {
            add("w.sport_id = ?", Some(Value::Integer(sport)));
        }
        for (column, text) in [("w.title", &self.title), ("w.notes", &self.notes), ("w.description", &self.description)]
        {
            if let Some(text) = text {
                let escaped = text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
                add(&format!("{column} LIKE '%' || ? || '%' ESCAPE '\\'"), Some(Value::Text(escaped)));
            }
        }
        if let Some(from) = self.from {
            add("w.workout_date >= ?", Some(Value::Integer(from)));
        }
        if let Some(to) = self.to {
            add("w.workout_date < ?", Some(Value::Integer(to)));
        }
        for (column, (low, high)) in [
            ("w.distance", self.distance),
            ("w.moving", self.moving),
            ("w.ave_speed", self.ave_speed),
            ("w.max_speed", self.max_speed),
        ] {
            if let Some(low) = low {
                add(&format!("{column} >= ?"), Some(Value::Real(low)));
            }
            if let Some(high) = high {
                add(&format!("{column} <= ?"), Some(Value::Real(high)));
            }
        }
        match self.equipment {
            Some(Some(id)) => add(
                "EXISTS (SELECT 1 FROM workout_equipments e WHERE e.workout_id = w.id AND e.equipment_id = ?)",
                Some(Value::Integer(id)),
            ),
            Some(None) => add("NOT EXISTS (SELECT 1 FROM workout_equipments e WHERE e.workout_id = w.id)", None),
            None => {}
        }
        if let Some(visibility) = &self.visibility {
            add("w.workout_visibility = ?", Some(Value::Text(visibility.clone())));
        }
        if let Some((lat, lon, radius_km)) = self.near {
            // Equirectangular distance of the start point: plain arithmetic
            // in SQL, precise enough at workout scales.
            let km_per_degree = 111.195;
            let lon_scale = lat.to_radians().cos();
            let clause = format!(
                "w.start_lat IS NOT NULL AND ((w.start_lat - ?) * (w.start_lat - ?) + \
                 (w.start_lon - ?) * (w.start_lon - ?) * {}) * {} <= ?",
                lon_scale * lon_scale,
                km_per_degree * km_per_degree
            );
            add(&clause, Some(Value::Real(lat)));
            for value in [lat, lon, lon, radius_km * radius_km] {
                values.push(Value::Real(value));
            }
        }
        (clauses.join(" AND "), values)
    }
}

pub fn count(conn: &Connection, filter: &WorkoutFilter) -> Result<i64, Error> {
    if filter.is_everything() {
        return conn
            .prepare_cached("SELECT coalesce(sum(workouts), 0) FROM user_sport_totals WHERE user_id = ?1")?
            .query_row([filter.user_id], |r| r.get(0));
    }
    let (clause, values) = filter.sql();
    conn.prepare_cached(&format!("SELECT count(*) FROM workouts w WHERE {clause}"))?
        .query_row(params_from_iter(values), |r| r.get(0))
}

pub fn page(
    conn: &Connection,
    filter: &WorkoutFilter,
    order: WorkoutOrder,
    ascending: bool,
    limit: i64,
    offset: i64,
) -> Result<Vec<Workout>, Error> {
    let (clause, mut values) = filter.sql();
    let direction = if ascending { "ASC" } else { "DESC" };
    values.extend([Value::Integer(limit), Value::Integer(offset)]);
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM {FROM} WHERE {clause} ORDER BY {} {direction}, w.id {direction} LIMIT ? OFFSET ?",
        order.column()
    ))?
    .query_map(params_from_iter(values), from_row)?
    .collect()
}

/// Sums over the matching workouts (the `limit` most recent at most).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Aggregate {
    pub count: i64,
    pub sports: i64,
    pub distance: f64,
    pub moving: f64,
    pub ascent: f64,
    pub descent: f64,
    pub max_speed: Option<f64>,
}

pub fn aggregate(conn: &Connection, filter: &WorkoutFilter, limit: i64) -> Result<Aggregate, Error> {
    let (clause, mut values) = filter.sql();
    values.push(Value::Integer(if limit > 0 { limit } else { i64::MAX }));
    conn.prepare_cached(&format!(
        "SELECT count(*), count(DISTINCT sport_id), coalesce(sum(distance), 0), coalesce(sum(moving), 0), \
         coalesce(sum(ascent), 0), coalesce(sum(descent), 0), max(max_speed) FROM \
         (SELECT w.* FROM workouts w WHERE {clause} ORDER BY w.workout_date DESC LIMIT ?)"
    ))?
    .query_row(params_from_iter(values), |row| {
        Ok(Aggregate {
            count: row.get(0)?,
            sports: row.get(1)?,
            distance: row.get(2)?,
            moving: row.get(3)?,
            ascent: row.get(4)?,
            descent: row.get(5)?,
            max_speed: row.get(6)?,
        })
    })
}

/// The latest workouts of a user, public ones only unless `all`.
pub fn latest(conn: &Connection, user_id: i64, all: bool, limit: i64) -> Result<Vec<Workout>, Error> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM {FROM} WHERE w.user_id = ?1 AND (?2 OR w.workout_visibility = 'public') \
         ORDER BY w.workout_date DESC, w.id DESC LIMIT ?3"
    ))?
    .query_map(params![user_id, all, limit], from_row)?
    .collect()
}

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

#[derive(Debug, Clone, PartialEq)]
pub struct SportTotals {
    pub sport_id: i64,
    pub workouts: i64,
    pub distance: f64,
    pub duration: f64,
    pub ascent: f64,
}

pub fn totals(conn: &Connection, user_id: i64) -> Result<Vec<SportTotals>, Error> {
    conn.prepare_cached(
        "SELECT sport_id, workouts, distance, duration, ascent FROM user_sport_totals WHERE user_id = ?1 ORDER BY sport_id",
    )?
    .query_map([user_id], |row| {
        Ok(SportTotals {
            sport_id: row.get(0)?,
            workouts: row.get(1)?,
            distance: row.get(2)?,
            duration: row.get(3)?,
            ascent: row.get(4)?,
        })
    })?
    .collect()
}

#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub id: i64,
    pub user_id: i64,
    pub sport_id: i64,
    pub record_type: String,
    pub workout_short_id: String,
    pub workout_date: i64,
    pub value: f64,
}

const RECORD_COLUMNS: &str = "r.id, r.user_id, r.sport_id, r.record_type, w.short_id, w.workout_date, r.value FROM records r \
     JOIN workouts w ON w.id = r.workout_id";

fn record_from_row(row: &Row<'_>) -> Result<Record, Error> {
    Ok(Record {
        id: row.get(0)?,
        user_id: row.get(1)?,
        sport_id: row.get(2)?,
        record_type: row.get(3)?,
        workout_short_id: row.get(4)?,
        workout_date: row.get(5)?,
        value: row.get(6)?,
    })
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

/// Record types with the value they keep: the highest, except paces (AP,
/// BP), which are the lowest seconds per km of the fastest workouts.
const RECORD_VALUES: [(&str, &str); 7] = [
    ("AS", "ave_speed"),
    ("MS", "max_speed"),
    ("FD", "distance"),
    ("HA", "ascent"),
    ("LD", "moving"),
    ("AP", "ave_speed"),
    ("BP", "max_speed"),
];

fn record_value(record_type: &str, raw: f64) -> f64 {
    if record_type == "AP" || record_type == "BP" { 3600.0 / raw } else { raw }
}

/// Recomputes a user's records for one sport; ties go to the earliest workout.
pub fn recompute_records(conn: &Connection, user_id: i64, sport_id: i64) -> Result<(), Error> {
    conn.prepare_cached("DELETE FROM records WHERE user_id = ?1 AND sport_id = ?2")?
        .execute(params![user_id, sport_id])?;
    for (record_type, column) in RECORD_VALUES {
        let best: Option<(i64, f64)> = conn
            .prepare_cached(&format!(
                "SELECT id, {column} FROM workouts WHERE user_id = ?1 AND sport_id = ?2 AND {column} > 0 \
                 ORDER BY {column} DESC, workout_date ASC, id ASC LIMIT 1"
            ))?
            .query_row(params![user_id, sport_id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        if let Some((workout_id, raw)) = best {
            set_record(conn, user_id, sport_id, record_type, workout_id, record_value(record_type, raw))?;
        }
    }
    Ok(())
}

/// Makes a new workout a record holder wherever it beats the current one
/// (cheaper than a recomputation: an insert can only improve records).
pub fn offer_records(conn: &Connection, w: &Workout) -> Result<(), Error> {
    let m = &w.measures;
    for (record_type, column) in RECORD_VALUES {
        let raw = match column {
            "ave_speed" => m.ave_speed,
            "max_speed" => m.max_speed,
            "distance" => Some(m.distance),
            "ascent" => m.ascent,
            _ => Some(m.moving),
        };
        let Some(raw) = raw.filter(|v| *v > 0.0) else { continue };
        let current: Option<(f64, i64)> = conn
            .prepare_cached(
                "SELECT w.{column}, w.workout_date FROM records r JOIN workouts w ON w.id = r.workout_id \
                 WHERE r.user_id = ?1 AND r.sport_id = ?2 AND r.record_type = ?3"
                    .replace("{column}", column)
                    .as_str(),
            )?
            .query_row(params![w.user_id, w.sport_id, record_type], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let better = match current {
            None => true,
            Some((best, date)) => raw > best || (raw == best && w.workout_date < date),
        };
        if better {
            set_record(conn, w.user_id, w.sport_id, record_type, w.id, record_value(record_type, raw))?;
        }
    }
    Ok(())
}

fn set_record(
    conn: &Connection,
    user_id: i64,
    sport_id: i64,
    record_type: &str,
    workout_id: i64,
    value: f64,
) -> Result<(), Error> {
    conn.prepare_cached(
        "INSERT INTO records (user_id, sport_id, record_type, workout_id, value) VALUES (?1, ?2, ?3, ?4, ?5) \
         ON CONFLICT (user_id, sport_id, record_type) DO UPDATE SET workout_id = ?4, value = ?5",
    )?
    .execute(params![user_id, sport_id, record_type, workout_id, value])?;
    Ok(())
}

/// The values statistics are made of, for one workout.
#[derive(Debug, Clone, PartialEq)]
pub struct StatRow {
    pub workout_date: i64,
    pub sport_id: i64,
    pub distance: f64,
    pub moving: f64,
    pub ascent: Option<f64>,
    pub descent: Option<f64>,
    pub calories: Option<f64>,
    pub ave_speed: Option<f64>,
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
        Ok(StatRow {
            workout_date: row.get(0)?,
            sport_id: row.get(1)?,
            distance: row.get(2)?,
            moving: row.get(3)?,
            ascent: row.get(4)?,
            descent: row.get(5)?,
            calories: row.get(6)?,
            ave_speed: row.get(7)?,
        })
    })?
    .collect()
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

/// Whether any workout uses the sport.
pub fn sport_has_workouts(conn: &Connection, sport_id: i64) -> Result<bool, Error> {
    conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM user_sport_totals WHERE sport_id = ?1)")?
        .query_row([sport_id], |r| r.get(0))
}
