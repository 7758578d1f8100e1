//! What every change of a workout keeps current, in its transaction: the
//! user's per-sport totals, equipment totals, records; and refreshing or
//! deleting a workout.

use rusqlite::Connection;

use super::WorkoutError;
use crate::store::{self, Db, equipments as stored_equipments, records, workouts as store_workouts};
use crate::workouts::Workout;

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

pub fn delete(db: &mut Db<'_>, workout: &Workout) -> Result<(), WorkoutError> {
    db.write(|tx| {
        removed(tx, workout)?;
        // Its records go with it (foreign key); the sport's are recomputed.
        store_workouts::delete(tx, workout.id)?;
        records::recompute_records(tx, workout.user_id, workout.sport_id)?;
        Ok(())
    })
}
