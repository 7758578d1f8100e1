//! Changing a workout (`PATCH /api/workouts/<id>`): what may change depends
//! on whether it came from a file.

use super::bookkeeping::{added, recompute_records, reload, removed};
use super::from_file::{analyze_file, segments_of};
use super::manual::{climb, local_date_time, manual_measures};
use super::{DESCRIPTION_MAX, RequestedVisibilities, TITLE_MAX, WorkoutError, check_limits, for_sport, sport, text};
use crate::accounts::user::User;
use crate::equipments;
use crate::store::{Db, equipments as stored_equipments, workouts as store};
use crate::workouts::Workout;

/// A change; `None` keeps a field (`Some(None)` clears one that may be empty).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WorkoutChange {
    pub sport_id: Option<i64>,
    pub title: Option<String>,
    pub description: Option<Option<String>>,
    pub notes: Option<Option<String>>,
    /// `None`: the attached equipment that fits the (new) sport.
    pub equipment_ids: Option<Vec<String>>,
    pub visibility: RequestedVisibilities,
    pub elevation_data_source: Option<String>,
    pub manual: ManualChange,
}

/// What only a workout without a file may change.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ManualChange {
    pub ascent: Option<Option<f64>>,
    pub descent: Option<Option<f64>>,
    pub calories: Option<Option<f64>>,
    pub distance: Option<f64>,
    pub duration: Option<f64>,
    pub workout_date: Option<String>,
}

impl WorkoutChange {
    /// The keys present that a workout of this kind does not take, sorted.
    fn wrong_keys(&self, with_file: bool) -> Vec<&'static str> {
        let m = &self.manual;
        let mut keys: Vec<&'static str> = if with_file {
            [
                ("ascent", m.ascent.is_some()),
                ("calories", m.calories.is_some()),
                ("descent", m.descent.is_some()),
                ("distance", m.distance.is_some()),
                ("duration", m.duration.is_some()),
                ("workout_date", m.workout_date.is_some()),
            ]
            .into_iter()
            .filter_map(|(key, present)| present.then_some(key))
            .collect()
        } else {
            [
                ("analysis_visibility", self.visibility.analysis.is_some()),
                ("elevation_data_source", self.elevation_data_source.is_some()),
                ("map_visibility", self.visibility.map.is_some()),
            ]
            .into_iter()
            .filter_map(|(key, present)| present.then_some(key))
            .collect()
        };
        keys.sort_unstable();
        keys
    }
}

/// Checks what a change may touch, in FitTrackee's order.
fn check_keys(change: &WorkoutChange, with_file: bool) -> Result<(), WorkoutError> {
    if !with_file && change.elevation_data_source.is_some() {
        return Err(WorkoutError::ElevationSourceWithoutFile);
    }
    let keys = change.wrong_keys(with_file);
    if !keys.is_empty() {
        return Err(WorkoutError::WrongKeys { keys, with_file });
    }
    match change.elevation_data_source.as_deref() {
        Some(source) if source != "file" => Err(WorkoutError::InvalidElevationSource(source.to_string())),
        _ => Ok(()),
    }
}

/// Applies a change to the owner's workout.
pub fn update(
    db: &mut Db<'_>,
    user: &User,
    workout: &Workout,
    change: &WorkoutChange,
    now: i64,
) -> Result<Workout, WorkoutError> {
    let with_file = workout.file_name.is_some();
    check_keys(change, with_file)?;
    let sport = sport(db, user.id, change.sport_id.unwrap_or(workout.sport_id), false)?;
    let mut changed = workout.clone();
    changed.sport_id = sport.sport.id;
    changed.modified_at = Some(now);
    apply_texts(&mut changed, change);
    changed.visibility = change.visibility.over(workout.visibility);
    let mut segments = None;
    if with_file && changed.sport_id != workout.sport_id {
        // Another sport: another stopped-speed threshold.
        let (name, content) = store::file(db, workout.id)?.unwrap_or_default();
        // (A file without positions has the device's totals: no threshold.)
        if let Some(analysis) = analyze_file(&name, &content, &sport, user)?.analysis {
            changed.measures = for_sport(analysis.workout.measures.clone(), changed.sport_id);
            segments = Some(segments_of(&analysis.segments, changed.sport_id));
        }
    } else if !with_file {
        apply_manual(&mut changed, &change.manual, &user.prefs.timezone)?;
    }
    check_limits(&changed.measures, changed.calories)?;
    db.write(|tx| {
        let attached: Vec<i64> = stored_equipments::of_workout(tx, workout.id)?.iter().map(|e| e.id).collect();
        let equipment = match &change.equipment_ids {
            Some(names) => equipments::resolve(tx, user.id, changed.sport_id, names, &attached)?,
            // A new sport keeps the equipment that fits it.
            None => stored_equipments::by_ids(tx, &attached)?
                .iter()
                .filter(|e| equipments::fits(e.equipment_type.id, changed.sport_id))
                .map(|e| e.id)
                .collect(),
        };
        removed(tx, workout)?;
        store::save(tx, &changed)?;
        if let Some(segments) = &segments {
            store::replace_segments(tx, workout.id, segments)?;
        }
        added(tx, &changed, &equipment)?;
        recompute_records(tx, workout, &changed)?;
        reload(tx, workout.id)
    })
}

fn apply_texts(w: &mut Workout, change: &WorkoutChange) {
    if let Some(title) = text(&change.title, TITLE_MAX) {
        w.title = title;
    }
    if let Some(description) = &change.description {
        w.description = text(description, DESCRIPTION_MAX);
    }
    if let Some(notes) = &change.notes {
        w.notes = super::notes(notes);
    }
}

fn apply_manual(w: &mut Workout, change: &ManualChange, timezone: &str) -> Result<(), WorkoutError> {
    let m = &w.measures;
    let duration = change.duration.unwrap_or(m.duration);
    let distance = change.distance.unwrap_or(m.distance);
    let (mut ascent, mut descent) = (m.ascent, m.descent);
    if change.ascent.is_some() || change.descent.is_some() {
        (ascent, descent) = climb(change.ascent.flatten(), change.descent.flatten(), w.sport_id)?;
    }
    w.measures = manual_measures(duration, distance, ascent, descent);
    if let Some(calories) = change.calories {
        w.calories = calories;
    }
    if let Some(date) = &change.workout_date {
        w.workout_date = local_date_time(date, timezone)?;
    }
    Ok(())
}
