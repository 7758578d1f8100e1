//! An upload: one workout file, or a zip archive of them, with the fields
//! of its request. Small archives are processed at once, one workout per
//! file; larger ones go to a background task (FitTrackee's rules).

use super::from_file::create_from_file;
use super::model::FileUpload;
use super::{WorkoutError, tasks};
use crate::accounts::user::User;
use crate::application::AppConfig;
use crate::files::archive::{Archive, Entry};
use crate::files::{self, Upload};
use crate::store::Db;
use crate::workouts::Workout;

/// The largest request an upload may send: a zip archive or a single
/// file, whichever is larger (multipart framing fits in the difference).
pub fn request_limit(config: &AppConfig) -> u64 {
    config.max_zip_file_size.max(config.max_single_file_size).max(0) as u64
}

/// Checks a file's name and size before it is read.
pub fn check_file(file_name: &str, size: u64, config: &AppConfig) -> Result<Upload, WorkoutError> {
    let kind = files::kind_of(file_name).map_err(WorkoutError::File)?;
    let limit = match kind {
        Upload::Archive => config.max_zip_file_size,
        Upload::Workout(_) => config.max_single_file_size,
    };
    let limit = limit.max(0) as u64;
    if size > limit {
        return Err(WorkoutError::FileTooLarge { size, limit });
    }
    Ok(kind)
}

/// What became of an upload.
#[derive(Debug)]
pub enum Uploaded {
    /// Every file is a workout now.
    Created(Vec<Workout>),
    /// Some files of an archive are not: `(file, why)` for each of them.
    Partly { created: Vec<Workout>, errors: Vec<(String, String)> },
    /// The archive is processed in the background by the task of this id.
    Queued(String),
}

/// Creates the workouts of an upload (`POST /api/workouts`, the Workouts
/// page).
pub fn upload(
    db: &mut Db<'_>,
    user: &User,
    upload: &FileUpload<'_>,
    config: &AppConfig,
    now: i64,
) -> Result<Uploaded, WorkoutError> {
    match check_file(upload.file_name, upload.content.len() as u64, config)? {
        Upload::Workout(_) => Ok(Uploaded::Created(vec![create_from_file(db, user, upload, now, |_| Ok(()))?])),
        Upload::Archive => {
            // The sport and the equipment are checked before any file is read.
            super::sport(db, user.id, upload.sport_id, true)?;
            super::chosen_equipment(db, user.id, upload.sport_id, &upload.fields.equipment_ids)?;
            let entries = archive_entries(upload.content, config)?;
            if entries.len() > config.file_sync_limit_import.max(0) as usize {
                return Ok(Uploaded::Queued(tasks::queue(db, user, upload, &entries, now)?));
            }
            archive_now(db, user, upload, &entries, config, now)
        }
    }
}

/// The workout files of an archive, within the configured limits.
pub(super) fn archive_entries(content: &[u8], config: &AppConfig) -> Result<Vec<Entry>, WorkoutError> {
    let mut archive = Archive::open(content).map_err(WorkoutError::Archive)?;
    let max_files = config.file_limit_import.max(0) as usize;
    archive.workout_files(config.max_single_file_size.max(0) as u64, max_files).map_err(WorkoutError::Archive)
}

/// One workout per file, each in its own transaction: a file that fails is
/// reported and the others are kept (as FitTrackee does).
fn archive_now(
    db: &mut Db<'_>,
    user: &User,
    upload: &FileUpload<'_>,
    entries: &[Entry],
    config: &AppConfig,
    now: i64,
) -> Result<Uploaded, WorkoutError> {
    let mut archive = Archive::open(upload.content).map_err(WorkoutError::Archive)?;
    let (mut created, mut errors) = (Vec::new(), Vec::new());
    for entry in entries {
        let result = archive
            .read(entry.index, config.max_single_file_size.max(0) as u64)
            .map_err(WorkoutError::Archive)
            .and_then(|content| {
                let file = FileUpload {
                    sport_id: upload.sport_id,
                    file_name: &entry.name,
                    content: &content,
                    fields: upload.fields.clone(),
                };
                create_from_file(db, user, &file, now, |_| Ok(()))
            });
        match result {
            Ok(workout) => created.push(workout),
            Err(WorkoutError::Store(e)) => return Err(WorkoutError::Store(e)),
            Err(e) => errors.push((entry.name.clone(), e.to_string())),
        }
    }
    Ok(if errors.is_empty() { Uploaded::Created(created) } else { Uploaded::Partly { created, errors } })
}
