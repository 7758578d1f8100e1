//! What every change of a workout keeps current, in its transaction: the
//! user's per-sport totals, equipment totals, records; and refreshing or
//! deleting a workout.

use rusqlite::Connection;

use super::upload::{analyze_file, segments_of};
use super::{WorkoutError, for_sport, sport};
use crate::accounts::user::User;
use crate::files;
use crate::store::{self, Db, equipments as stored_equipments, points, records, workouts as store_workouts};
use crate::workouts::{Workout, analysis};

/// Counts a stored workout in its user's totals and its equipment.
pub(super) fn added(tx: &Connection, w: &Workout, equipment: &[i64]) -> Result<(), WorkoutError> {
    records::count_in_totals(tx, w, 1.0)?;
    let touched = stored_equipments::link(tx, w.id, equipment)?;
    stored_equipments::refresh_totals(tx, &touched)?;
    Ok(())
}

/// Takes a workout (as stored) out of its user's totals and its equipment.
pub(super) fn removed(tx: &Connection, w: &Workout) -> Result<(), WorkoutError> {
    records::count_in_totals(tx, w, -1.0)?;
    let touched = stored_equipments::link(tx, w.id, &[])?;
    stored_equipments::refresh_totals(tx, &touched)?;
    Ok(())
}

/// A workout just inserted: totals, equipment, records; the stored row.
pub(super) fn created(tx: &Connection, w: &Workout, equipment: &[i64]) -> Result<Workout, WorkoutError> {
    added(tx, w, equipment)?;
    records::offer_records(tx, w)?;
    reload(tx, w.id)
}

/// Records of both sports a change touched, from scratch.
pub(super) fn recompute_records(tx: &Connection, before: &Workout, after: &Workout) -> Result<(), WorkoutError> {
    records::recompute_records(tx, before.user_id, before.sport_id)?;
    if after.sport_id != before.sport_id {
        records::recompute_records(tx, after.user_id, after.sport_id)?;
    }
    Ok(())
}

pub(super) fn reload(tx: &Connection, id: i64) -> Result<Workout, WorkoutError> {
    Ok(store_workouts::by_id(tx, id)?.ok_or(store::Error::QueryReturnedNoRows)?)
}

/// Recomputes a file workout from its stored file (`POST …/refresh`).
pub fn refresh(db: &mut Db<'_>, user: &User, workout: &Workout, now: i64) -> Result<Workout, WorkoutError> {
    let Some((file_name, content)) = store_workouts::file(db, workout.id)? else {
        return Ok(workout.clone());
    };
    let sport = sport(db, user.id, workout.sport_id, false)?;
    let (track, analysis) = analyze_file(&file_name, &content, &sport, user)?;
    let mut changed = workout.clone();
    changed.measures = for_sport(analysis.workout.measures.clone(), workout.sport_id);
    changed.calories = track.calories;
    changed.bounds = Some(analysis.workout.bounds);
    changed.modified_at = Some(now);
    let segments = segments_of(&analysis, workout.sport_id);
    db.write(|tx| {
        let equipment: Vec<i64> = stored_equipments::of_workout(tx, workout.id)?.iter().map(|e| e.id).collect();
        removed(tx, workout)?;
        store_workouts::save(tx, &changed)?;
        store_workouts::replace_segments(tx, workout.id, &segments)?;
        points::save(tx, workout.id, &analysis.chart)?;
        added(tx, &changed, &equipment)?;
        recompute_records(tx, workout, &changed)?;
        reload(tx, workout.id)
    })
}

pub fn delete(db: &mut Db<'_>, workout: &Workout) -> Result<(), WorkoutError> {
    db.write(|tx| {
        removed(tx, workout)?;
        // Its records go with it (foreign key); the sport's are recomputed.
        store_workouts::delete(tx, workout.id)?;
        records::recompute_records(tx, workout.user_id, workout.sport_id)?;
        Ok(())
    })
}

/// Stores the points of workouts uploaded before points were stored, once
/// (at start, after the migration that added them). A file that no longer
/// reads gets no points; its workout keeps its numbers.
pub fn store_missing_points(db: &mut Db<'_>) -> Result<usize, store::Error> {
    let missing = points::missing(db)?;
    for &workout_id in &missing {
        let Some((file_name, content)) = store_workouts::file(db, workout_id)? else { continue };
        let chart = files::read(&file_name, &content).map(|track| analysis::chart(&track)).unwrap_or_default();
        db.write(|tx| points::save(tx, workout_id, &chart))?;
    }
    Ok(missing.len())
}
