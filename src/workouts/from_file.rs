//! A workout from one file: reading and analyzing it, creating the
//! workout, and computing it again (a refresh, or points stored late).

use rusqlite::Connection;

use super::analysis::{self, Analysis, ChartPoint, Summary};
use super::model::FileUpload;
use super::{
    DESCRIPTION_MAX, TITLE_MAX, WorkoutError, bookkeeping, check_limits, chosen_equipment, default_title,
    default_visibilities, for_sport, sport, text,
};
use crate::accounts::user::User;
use crate::files::{self, FileError, Format, SegmentsOn};
use crate::shortid;
use crate::sports::UserSport;
use crate::store::{self as storage, Db, equipments as stored_equipments, points, workouts as store};
use crate::workouts::track::DeviceTotals;
use crate::workouts::{Segment, Track, Workout};

/// What a file gives: its track, and the analysis of the track, unless the
/// file has no positions (an indoor FIT file: the device's totals then).
pub(super) struct Reading {
    pub track: Track,
    pub analysis: Option<Analysis>,
}

/// Reads and analyzes a workout file for a sport with the user's preferences.
pub(super) fn analyze_file(
    file_name: &str,
    content: &[u8],
    sport: &UserSport,
    user: &User,
) -> Result<Reading, WorkoutError> {
    let format = Format::of(file_name).ok_or(WorkoutError::File(FileError::ExtensionNotAllowed))?;
    let segments = SegmentsOn::of_preference(&user.prefs.segments_creation_event);
    let track = files::read(format, content, segments).map_err(WorkoutError::File)?;
    if track.totals.is_some() {
        return Ok(Reading { track, analysis: None });
    }
    let analysis = analysis::analyze(&track, sport.prefs.stopped_speed_threshold, user.prefs.use_raw_gpx_speed)
        .map_err(WorkoutError::Track)?;
    Ok(Reading { track, analysis: Some(analysis) })
}

pub(super) fn segments_of(segments: &[Summary], sport_id: i64) -> Vec<Segment> {
    segments
        .iter()
        .enumerate()
        .map(|(i, s)| Segment {
            number: i as i64 + 1,
            short_id: shortid::new(),
            measures: for_sport(s.measures.clone(), sport_id),
        })
        .collect()
}

/// Creates a workout from one file and the upload's fields; `also` runs in
/// the same transaction (a background task counts the file as done).
pub(super) fn create_from_file(
    db: &mut Db<'_>,
    user: &User,
    upload: &FileUpload<'_>,
    now: i64,
    also: impl FnOnce(&Connection) -> Result<(), storage::Error>,
) -> Result<Workout, WorkoutError> {
    let sport = sport(db, user.id, upload.sport_id, true)?;
    let reading = analyze_file(upload.file_name, upload.content, &sport, user)?;
    let (summary, segments, chart) = match &reading.analysis {
        Some(analysis) => (analysis.workout.clone(), analysis.segments.clone(), analysis.chart.clone()),
        None => without_positions(reading.track.totals.as_ref()),
    };
    let workout = new_workout(user, &sport, upload, &reading.track, &summary, now);
    check_limits(&workout.measures, reading.track.calories)?;
    let segments = segments_of(&segments, workout.sport_id);
    db.write(|tx| {
        let equipment = chosen_equipment(tx, user.id, workout.sport_id, &upload.fields.equipment_ids)?;
        let id = store::insert(tx, &workout)?;
        store::insert_file(tx, id, base_name(upload.file_name), upload.content)?;
        store::replace_segments(tx, id, &segments)?;
        points::save(tx, id, &chart)?;
        let created = bookkeeping::created(tx, &Workout { id, ..workout.clone() }, &equipment)?;
        also(tx)?;
        Ok(created)
    })
}

/// A file without positions: one segment of the device's totals, no points.
fn without_positions(totals: Option<&DeviceTotals>) -> (Summary, Vec<Summary>, Vec<ChartPoint>) {
    let summary = totals.map(analysis::summary_of_totals).unwrap_or_default();
    (summary.clone(), vec![summary], Vec::new())
}

/// The name of a file without the folders of the archive it came from.
fn base_name(name: &str) -> &str {
    name.rsplit(['/', '\\']).next().unwrap_or(name)
}

fn new_workout(
    user: &User,
    sport: &UserSport,
    upload: &FileUpload<'_>,
    track: &Track,
    summary: &Summary,
    now: i64,
) -> Workout {
    let fields = &upload.fields;
    let start = summary.start.floor() as i64;
    let first_point = track.segments.iter().find(|s| s.len() >= 2).and_then(|s| s.first());
    Workout {
        id: 0,
        short_id: shortid::new(),
        user_id: user.id,
        sport_id: sport.sport.id,
        title: text(&fields.title, TITLE_MAX)
            .or(track.name.clone())
            .unwrap_or_else(|| default_title(&sport.sport.label, start, &user.prefs.timezone)),
        description: text(&fields.description, DESCRIPTION_MAX).or(track.description.clone()),
        notes: super::notes(&fields.notes),
        workout_date: start,
        measures: for_sport(summary.measures.clone(), sport.sport.id),
        calories: track.calories,
        start: first_point.map(|p| (p.latitude, p.longitude)),
        bounds: first_point.map(|_| summary.bounds),
        source: track.creator.clone(),
        visibility: fields.visibility.over(default_visibilities(user)),
        created_at: now,
        modified_at: None,
        file_name: Some(base_name(upload.file_name).to_string()),
        // Anyone with the id may fetch the thumbnail (FitTrackee's rule): unguessable.
        map_id: first_point.map(|_| crate::crypto::random_alphanumeric(32)),
    }
}

/// Recomputes a file workout from its stored file (`POST …/refresh`).
pub fn refresh(db: &mut Db<'_>, user: &User, workout: &Workout, now: i64) -> Result<Workout, WorkoutError> {
    let Some((file_name, content)) = store::file(db, workout.id)? else {
        return Ok(workout.clone());
    };
    let sport = sport(db, user.id, workout.sport_id, false)?;
    let reading = analyze_file(&file_name, &content, &sport, user)?;
    let (summary, segments, chart) = match &reading.analysis {
        Some(analysis) => (analysis.workout.clone(), analysis.segments.clone(), analysis.chart.clone()),
        None => without_positions(reading.track.totals.as_ref()),
    };
    let mut changed = workout.clone();
    changed.measures = for_sport(summary.measures.clone(), workout.sport_id);
    changed.calories = reading.track.calories;
    changed.bounds = workout.bounds.map(|_| summary.bounds);
    changed.modified_at = Some(now);
    let segments = segments_of(&segments, workout.sport_id);
    db.write(|tx| {
        let equipment: Vec<i64> = stored_equipments::of_workout(tx, workout.id)?.iter().map(|e| e.id).collect();
        bookkeeping::removed(tx, workout)?;
        store::save(tx, &changed)?;
        store::replace_segments(tx, workout.id, &segments)?;
        points::save(tx, workout.id, &chart)?;
        bookkeeping::added(tx, &changed, &equipment)?;
        bookkeeping::recompute_records(tx, workout, &changed)?;
        bookkeeping::reload(tx, workout.id)
    })
}

/// Stores the points of workouts uploaded before points were stored, once
/// (at start, after the migration that added them). A file that no longer
/// reads gets no points; its workout keeps its numbers.
pub fn store_missing_points(db: &mut Db<'_>) -> Result<usize, storage::Error> {
    let missing = points::missing(db)?;
    for &workout_id in &missing {
        let Some((file_name, content)) = store::file(db, workout_id)? else { continue };
        let track = Format::of(&file_name).and_then(|f| files::read(f, &content, SegmentsOn::default()).ok());
        let chart = track.map(|track| analysis::chart(&track)).unwrap_or_default();
        db.write(|tx| points::save(tx, workout_id, &chart))?;
    }
    Ok(missing.len())
}
