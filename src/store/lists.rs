//! Filtered, paginated lists of a user's workouts and their sums: filters
//! and ordering are done in SQL, with indexes, never in memory.

use rusqlite::types::Value;
use rusqlite::{Connection, params_from_iter};

use super::Error;
use super::workouts::{FROM, columns, from_row};
use crate::workouts::model::{Aggregate, Workout, WorkoutFilter, WorkoutOrder};

fn order_column(order: WorkoutOrder) -> &'static str {
    match order {
        WorkoutOrder::WorkoutDate => "w.workout_date",
        WorkoutOrder::Distance => "w.distance",
        WorkoutOrder::AveSpeed => "w.ave_speed",
        WorkoutOrder::Duration => "w.moving",
    }
}

/// A WHERE clause being built, with its parameters.
#[derive(Default)]
struct Where {
    clauses: Vec<String>,
    values: Vec<Value>,
}

impl Where {
    fn add(&mut self, clause: impl Into<String>, values: impl IntoIterator<Item = Value>) {
        self.clauses.push(clause.into());
        self.values.extend(values);
    }
}

/// The WHERE clause of a filter and its parameters.
fn filter_sql(filter: &WorkoutFilter) -> (String, Vec<Value>) {
    let mut sql = Where::default();
    sql.add("w.user_id = ?", [Value::Integer(filter.user_id)]);
    if let Some(sport) = filter.sport_id {
        sql.add("w.sport_id = ?", [Value::Integer(sport)]);
    }
    for (column, text) in
        [("w.title", &filter.title), ("w.notes", &filter.notes), ("w.description", &filter.description)]
    {
        if let Some(text) = text {
            let escaped = text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
            sql.add(format!("{column} LIKE '%' || ? || '%' ESCAPE '\\'"), [Value::Text(escaped)]);
        }
    }
    if let Some(from) = filter.from {
        sql.add("w.workout_date >= ?", [Value::Integer(from)]);
    }
    if let Some(to) = filter.to {
        sql.add("w.workout_date < ?", [Value::Integer(to)]);
    }
    add_ranges(&mut sql, filter);
    match filter.equipment {
        Some(Some(id)) => sql.add(
            "EXISTS (SELECT 1 FROM workout_equipments e WHERE e.workout_id = w.id AND e.equipment_id = ?)",
            [Value::Integer(id)],
        ),
        Some(None) => sql.add("NOT EXISTS (SELECT 1 FROM workout_equipments e WHERE e.workout_id = w.id)", []),
        None => {}
    }
    if let Some(visibility) = filter.visibility {
        sql.add("w.workout_visibility = ?", [Value::Text(visibility.name().to_string())]);
    }
    if let Some((lat, lon, radius_km)) = filter.near {
        add_near(&mut sql, lat, lon, radius_km);
    }
    (sql.clauses.join(" AND "), sql.values)
}

fn add_ranges(sql: &mut Where, filter: &WorkoutFilter) {
    for (column, (low, high)) in [
        ("w.distance", filter.distance),
        ("w.moving", filter.moving),
        ("w.ave_speed", filter.ave_speed),
        ("w.max_speed", filter.max_speed),
    ] {
        if let Some(low) = low {
            sql.add(format!("{column} >= ?"), [Value::Real(low)]);
        }
        if let Some(high) = high {
            sql.add(format!("{column} <= ?"), [Value::Real(high)]);
        }
    }
}

/// Workouts that start within `radius_km` of a point: the equirectangular
/// distance, plain arithmetic in SQL, precise enough at workout scales.
fn add_near(sql: &mut Where, lat: f64, lon: f64, radius_km: f64) {
    let km_per_degree = 111.195;
    let lon_scale = lat.to_radians().cos();
    let clause = format!(
        "w.start_lat IS NOT NULL AND ((w.start_lat - ?) * (w.start_lat - ?) + \
         (w.start_lon - ?) * (w.start_lon - ?) * {}) * {} <= ?",
        lon_scale * lon_scale,
        km_per_degree * km_per_degree
    );
    sql.add(clause, [lat, lat, lon, lon, radius_km * radius_km].map(Value::Real));
}

pub fn count(conn: &Connection, filter: &WorkoutFilter) -> Result<i64, Error> {
    if filter.is_everything() {
        return conn
            .prepare_cached("SELECT coalesce(sum(workouts), 0) FROM user_sport_totals WHERE user_id = ?1")?
            .query_row([filter.user_id], |r| r.get(0));
    }
    let (clause, values) = filter_sql(filter);
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
    let (clause, mut values) = filter_sql(filter);
    let direction = if ascending { "ASC" } else { "DESC" };
    values.extend([Value::Integer(limit), Value::Integer(offset)]);
    conn.prepare_cached(&format!(
        "SELECT {} FROM {FROM} WHERE {clause} ORDER BY {} {direction}, w.id {direction} LIMIT ? OFFSET ?",
        columns(),
        order_column(order)
    ))?
    .query_map(params_from_iter(values), from_row)?
    .collect()
}

/// Sums over the matching workouts (the `limit` most recent at most).
pub fn aggregate(conn: &Connection, filter: &WorkoutFilter, limit: i64) -> Result<Aggregate, Error> {
    let (clause, mut values) = filter_sql(filter);
    values.push(Value::Integer(if limit > 0 { limit } else { i64::MAX }));
    conn.prepare_cached(&format!(
        "SELECT count(*) AS count, count(DISTINCT sport_id) AS sports, coalesce(sum(distance), 0) AS distance, \
         coalesce(sum(moving), 0) AS moving, coalesce(sum(ascent), 0) AS ascent, \
         coalesce(sum(descent), 0) AS descent, max(max_speed) AS max_speed FROM \
         (SELECT w.* FROM workouts w WHERE {clause} ORDER BY w.workout_date DESC LIMIT ?)"
    ))?
    .query_row(params_from_iter(values), |row| {
        Ok(Aggregate {
            count: row.get("count")?,
            sports: row.get("sports")?,
            distance: row.get("distance")?,
            moving: row.get("moving")?,
            ascent: row.get("ascent")?,
            descent: row.get("descent")?,
            max_speed: row.get("max_speed")?,
        })
    })
}

/// The workouts with a start point for the global map, most recent first:
/// `limit` of them, and how many match.
pub fn with_start_points(
    conn: &Connection,
    filter: &WorkoutFilter,
    sport_ids: &[i64],
    limit: i64,
) -> Result<(Vec<Workout>, i64), Error> {
    let (clause, mut values) = filter_sql(filter);
    let sports = if sport_ids.is_empty() {
        String::new()
    } else {
        values.extend(sport_ids.iter().map(|&id| Value::Integer(id)));
        format!(" AND w.sport_id IN ({})", vec!["?"; sport_ids.len()].join(", "))
    };
    let clause = format!("{clause}{sports} AND w.start_lat IS NOT NULL");
    let total = conn
        .prepare_cached(&format!("SELECT count(*) FROM workouts w WHERE {clause}"))?
        .query_row(params_from_iter(values.clone()), |r| r.get(0))?;
    values.push(Value::Integer(limit.max(0)));
    let workouts = conn
        .prepare_cached(&format!(
            "SELECT {} FROM {FROM} WHERE {clause} ORDER BY w.workout_date DESC, w.id DESC LIMIT ?",
            columns()
        ))?
        .query_map(params_from_iter(values), from_row)?
        .collect::<Result<Vec<_>, _>>()?;
    Ok((workouts, total))
}
