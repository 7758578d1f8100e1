//! Archives too large to process in the request: FitTrackee's upload
//! tasks. A task keeps its archive in the database and counts the files
//! it has done in the same transaction as each file's workout, so a task
//! interrupted by a restart resumes with the next file, never creating a
//! workout twice.

use super::from_file::create_from_file;
use super::model::{FileUpload, UploadTask};
use super::{TaskStatus, WorkoutError};
use crate::files::archive::{Archive, Entry};
use crate::shortid;
use crate::store::{self, Db, app_config, tasks as stored, users};

/// Queues an archive whose `entries` were checked; returns the task's id.
pub fn queue(
    db: &mut Db<'_>,
    user: &crate::accounts::user::User,
    upload: &FileUpload<'_>,
    entries: &[Entry],
    now: i64,
) -> Result<String, WorkoutError> {
    let task = UploadTask {
        id: 0,
        short_id: shortid::new(),
        user_id: user.id,
        created_at: now,
        updated_at: None,
        original_file_name: upload.file_name.to_string(),
        file_size: upload.content.len() as i64,
        entries: entries.iter().map(|e| (e.index, e.name.clone())).collect(),
        done: 0,
        new_workouts: 0,
        errored_files: Vec::new(),
        archive_error: None,
        aborted: false,
        sport_id: upload.sport_id,
        fields: upload.fields.clone(),
    };
    db.write(|tx| {
        let ongoing = stored::of_user(tx, user.id, i64::MAX, 0)?.iter().any(UploadTask::is_ongoing);
        if ongoing {
            return Err(WorkoutError::OngoingTask);
        }
        stored::insert(tx, &task, upload.content)?;
        Ok(task.short_id.clone())
    })
}

/// Works on the next file of the oldest pending task; `false` when there
/// is nothing to do.
pub fn work_on_next(db: &mut Db<'_>, now: i64) -> Result<bool, store::Error> {
    let Some(mut task) = stored::next_pending(db)? else { return Ok(false) };
    let archive = stored::archive(db, task.id)?.unwrap_or_default();
    let user = users::by_id(db, task.user_id)?;
    let config = app_config::get(db)?;
    let (Some(user), Ok(mut zip)) = (user, Archive::open(&archive)) else {
        task.archive_error = Some("the archive can no longer be read".into());
        db.write(|tx| stored::save_progress(tx, &task, now))?;
        return Ok(true);
    };
    let Some((index, name)) = task.entries.get(task.done).cloned() else {
        db.write(|tx| stored::save_progress(tx, &task, now))?;
        return Ok(true);
    };
    let mut done = task.clone();
    done.done += 1;
    done.new_workouts += 1;
    let created =
        zip.read(index, config.max_single_file_size.max(0) as u64).map_err(WorkoutError::Archive).and_then(|content| {
            let upload = FileUpload {
                sport_id: task.sport_id,
                file_name: &name,
                content: &content,
                fields: task.fields.clone(),
            };
            create_from_file(db, &user, &upload, now, |tx| stored::save_progress(tx, &done, now))
        });
    match created {
        Ok(_) => {}
        Err(WorkoutError::Store(e)) => return Err(e),
        Err(e) => {
            task.done += 1;
            task.errored_files.push((name, e.to_string()));
            db.write(|tx| stored::save_progress(tx, &task, now))?;
        }
    }
    Ok(true)
}

#[derive(Debug, PartialEq)]
pub enum TaskError {
    NotFound,
    /// Only queued and ongoing tasks can be aborted.
    NotOngoing,
    /// Queued and ongoing tasks cannot be deleted.
    Ongoing,
    Store(store::Error),
}

impl From<store::Error> for TaskError {
    fn from(e: store::Error) -> Self {
        TaskError::Store(e)
    }
}

impl std::fmt::Display for TaskError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            TaskError::NotFound => "no task found",
            TaskError::NotOngoing => "only queued and ongoing tasks can be aborted",
            TaskError::Ongoing => "queued or ongoing workout upload task can not be deleted",
            TaskError::Store(e) => return e.fmt(f),
        })
    }
}

pub fn find(db: &Db<'_>, user_id: i64, short_id: &str) -> Result<UploadTask, TaskError> {
    stored::by_short_id(db, user_id, short_id)?.ok_or(TaskError::NotFound)
}

pub fn abort(db: &mut Db<'_>, user_id: i64, short_id: &str, now: i64) -> Result<UploadTask, TaskError> {
    db.write(|tx| {
        let task = stored::by_short_id(tx, user_id, short_id)?.ok_or(TaskError::NotFound)?;
        if !task.is_ongoing() {
            return Err(TaskError::NotOngoing);
        }
        stored::abort(tx, task.id, now)?;
        stored::by_short_id(tx, user_id, short_id)?.ok_or(TaskError::NotFound)
    })
}

pub fn delete(db: &mut Db<'_>, user_id: i64, short_id: &str) -> Result<(), TaskError> {
    db.write(|tx| {
        let task = stored::by_short_id(tx, user_id, short_id)?.ok_or(TaskError::NotFound)?;
        if matches!(task.status(), TaskStatus::Queued | TaskStatus::InProgress) {
            return Err(TaskError::Ongoing);
        }
        Ok(stored::delete(tx, task.id)?)
    })
}
