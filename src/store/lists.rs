//! Filtered, paginated lists of a user's workouts and their sums: filters
//! and ordering are done in SQL, with indexes, never in memory.

use rusqlite::types::Value;
use rusqlite::{Connection, params_from_iter};

use super::Error;
use super::workouts::{FROM, columns, from_row};
use crate::workouts::{Aggregate, Workout, WorkoutFilter, WorkoutOrder};

fn order_column(order: WorkoutOrder) -> &'static str {
    match order {
        WorkoutOrder::WorkoutDate => "w.workout_date",
        WorkoutOrder::Distance => "w.distance",
        WorkoutOrder::AveSpeed => "w.ave_speed",
        WorkoutOrder::Duration => "w.moving",
    }
}

/// The WHERE clause of a filter and its parameters.
fn filter_sql(filter: &WorkoutFilter) -> (String, Vec<Value>) {
    let mut clauses = vec!["w.user_id = ?".to_string()];
    let mut values = vec![Value::Integer(filter.user_id)];
    let mut add = |clause: &str, value: Option<Value>| {
        clauses.push(clause.to_string());
        values.extend(value);
    };
    if let Some(sport) = filter.sport_id {
        add("w.sport_id = ?", Some(Value::Integer(sport)));
    }
    for (column, text) in
        [("w.title", &filter.title), ("w.notes", &filter.notes), ("w.description", &filter.description)]
    {
        if let Some(text) = text {
            let escaped = text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
            add(&format!("{column} LIKE '%' || ? || '%' ESCAPE '\\'"), Some(Value::Text(escaped)));
        }
    }
    if let Some(from) = filter.from {
        add("w.workout_date >= ?", Some(Value::Integer(from)));
    }
    if let Some(to) = filter.to {
        add("w.workout_date < ?", Some(Value::Integer(to)));
    }
    for (column, (low, high)) in [
        ("w.distance", filter.distance),
        ("w.moving", filter.moving),
        ("w.ave_speed", filter.ave_speed),
        ("w.max_speed", filter.max_speed),
    ] {
        if let Some(low) = low {
            add(&format!("{column} >= ?"), Some(Value::Real(low)));
        }
        if let Some(high) = high {
            add(&format!("{column} <= ?"), Some(Value::Real(high)));
        }
    }
    match filter.equipment {
        Some(Some(id)) => add(
            "EXISTS (SELECT 1 FROM workout_equipments e WHERE e.workout_id = w.id AND e.equipment_id = ?)",
            Some(Value::Integer(id)),
        ),
        Some(None) => add("NOT EXISTS (SELECT 1 FROM workout_equipments e WHERE e.workout_id = w.id)", None),
        None => {}
    }
    if let Some(visibility) = filter.visibility {
        add("w.workout_visibility = ?", Some(Value::Text(visibility.name().to_string())));
    }
    if let Some((lat, lon, radius_km)) = filter.near {
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
