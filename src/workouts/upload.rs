//! Workouts from files: the upload limits, and creating a workout from a
//! file and its request.

use super::analysis::{self, Analysis};
use super::{
    DESCRIPTION_MAX, NOTES_MAX, TITLE_MAX, WorkoutError, WorkoutFields, bookkeeping, check_limits, chosen_equipment,
    default_title, default_visibilities, for_sport, sport, text,
};
use crate::accounts::user::User;
use crate::application::AppConfig;
use crate::files;
use crate::shortid;
use crate::sports::UserSport;
use crate::store::{self as storage, Db, equipments as stored_equipments, points, workouts as store};
use crate::workouts::{Segment, Track, Workout};

/// The largest request an upload may send: a zip archive or a single
/// file, whichever is larger (multipart framing fits in the difference).
pub fn request_limit(config: &AppConfig) -> u64 {
    config.max_zip_file_size.max(config.max_single_file_size).max(0) as u64
}

/// Checks a file's name and size before it is read.
pub fn check_file(file_name: &str, size: u64, config: &AppConfig) -> Result<(), WorkoutError> {
    files::check_name(file_name).map_err(WorkoutError::File)?;
    let limit = config.max_single_file_size.max(0) as u64;
    if size > limit {
        return Err(WorkoutError::FileTooLarge { size, limit });
    }
    Ok(())
}

pub struct FileUpload<'a> {
    pub sport_id: i64,
    pub file_name: &'a str,
    pub content: &'a [u8],
    pub fields: WorkoutFields,
}

/// Reads and analyzes a workout file for a sport with the user's preferences.
pub fn analyze_file(
    file_name: &str,
    content: &[u8],
    sport: &UserSport,
    user: &User,
) -> Result<(Track, Analysis), WorkoutError> {
    let track = files::read(file_name, content).map_err(WorkoutError::File)?;
    let analysis = analysis::analyze(&track, sport.prefs.stopped_speed_threshold, user.prefs.use_raw_gpx_speed)
        .map_err(WorkoutError::Track)?;
    Ok((track, analysis))
}

pub(super) fn segments_of(analysis: &Analysis, sport_id: i64) -> Vec<Segment> {
    analysis
        .segments
        .iter()
        .enumerate()
        .map(|(i, s)| Segment {
            number: i as i64 + 1,
            short_id: shortid::new(),
            measures: for_sport(s.measures.clone(), sport_id),
        })
        .collect()
}

/// Creates a workout from a file and the upload's fields.
pub fn create_from_file(
    db: &mut Db<'_>,
    user: &User,
    upload: &FileUpload<'_>,
    config: &AppConfig,
    now: i64,
) -> Result<Workout, WorkoutError> {
    check_file(upload.file_name, upload.content.len() as u64, config)?;
    let sport = sport(db, user.id, upload.sport_id, true)?;
    let (track, analysis) = analyze_file(upload.file_name, upload.content, &sport, user)?;
    let workout = new_workout(user, &sport, upload, &track, &analysis, now);
    check_limits(&workout.measures, track.calories)?;
    let segments = segments_of(&analysis, workout.sport_id);
    db.write(|tx| {
        let equipment = chosen_equipment(tx, user.id, workout.sport_id, &upload.fields.equipment_ids)?;
        let id = store::insert(tx, &workout)?;
        store::insert_file(tx, id, upload.file_name, upload.content)?;
        store::replace_segments(tx, id, &segments)?;
        points::save(tx, id, &analysis.chart)?;
        bookkeeping::created(tx, &Workout { id, ..workout.clone() }, &equipment)
    })
}

fn new_workout(
    user: &User,
    sport: &UserSport,
    upload: &FileUpload<'_>,
    track: &Track,
    analysis: &Analysis,
    now: i64,
) -> Workout {
    let fields = &upload.fields;
    let start = analysis.workout.start.floor() as i64;
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
        notes: text(&fields.notes, NOTES_MAX),
        workout_date: start,
        measures: for_sport(analysis.workout.measures.clone(), sport.sport.id),
        calories: track.calories,
        start: first_point.map(|p| (p.latitude, p.longitude)),
        bounds: Some(analysis.workout.bounds),
        source: track.creator.clone(),
        visibility: fields.visibility.over(default_visibilities(user)),
        created_at: now,
        modified_at: None,
        file_name: Some(upload.file_name.to_string()),
    }
}

/// Recomputes a file workout from its stored file (`POST …/refresh`).
pub fn refresh(db: &mut Db<'_>, user: &User, workout: &Workout, now: i64) -> Result<Workout, WorkoutError> {
    let Some((file_name, content)) = store::file(db, workout.id)? else {
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
        bookkeeping::removed(tx, workout)?;
        store::save(tx, &changed)?;
        store::replace_segments(tx, workout.id, &segments)?;
        points::save(tx, workout.id, &analysis.chart)?;
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
        let chart = files::read(&file_name, &content).map(|track| analysis::chart(&track)).unwrap_or_default();
        db.write(|tx| points::save(tx, workout_id, &chart))?;
    }
    Ok(missing.len())
}
