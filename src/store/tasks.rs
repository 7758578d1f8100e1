//! Upload tasks: zip archives processed in the background, with the archive
//! kept until their last file is done.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::Error;
use crate::visibility::Visibility;
use crate::workouts::model::{RequestedVisibilities, UploadTask, WorkoutFields};

const COLUMNS: &str = "id, short_id, user_id, created_at, updated_at, original_file_name, file_size, entries, done, \
    new_workouts, errored_files, archive_error, aborted, sport_id, title, description, notes, equipment_ids, \
    workout_visibility, analysis_visibility, map_visibility";

fn json<T: serde::de::DeserializeOwned + Default>(row: &Row<'_>, column: &str) -> Result<T, Error> {
    let text: Option<String> = row.get(column)?;
    Ok(text.and_then(|t| serde_json::from_str(&t).ok()).unwrap_or_default())
}

fn visibility(row: &Row<'_>, column: &str) -> Result<Option<Visibility>, Error> {
    let name: Option<String> = row.get(column)?;
    Ok(name.as_deref().and_then(Visibility::parse))
}

fn from_row(row: &Row<'_>) -> Result<UploadTask, Error> {
    let errored: std::collections::BTreeMap<String, String> = json(row, "errored_files")?;
    let equipment_ids: Option<String> = row.get("equipment_ids")?;
    let fields = WorkoutFields {
        title: row.get("title")?,
        description: row.get("description")?,
        notes: row.get("notes")?,
        equipment_ids: equipment_ids.and_then(|t| serde_json::from_str(&t).ok()),
        visibility: RequestedVisibilities {
            workout: visibility(row, "workout_visibility")?,
            analysis: visibility(row, "analysis_visibility")?,
            map: visibility(row, "map_visibility")?,
        },
    };
    let done: i64 = row.get("done")?;
    Ok(columns!(row => UploadTask {
        id,
        short_id,
        user_id,
        created_at,
        updated_at,
        original_file_name,
        file_size,
        entries: json(row, "entries")?,
        done: done.max(0) as usize,
        new_workouts,
        errored_files: errored.into_iter().collect(),
        archive_error,
        aborted,
        sport_id,
        fields: fields,
    }))
}

/// A new task for `archive`; returns its id.
pub fn insert(conn: &Connection, task: &UploadTask, archive: &[u8]) -> Result<i64, Error> {
    let f = &task.fields;
    let name = |v: Option<Visibility>| v.map(Visibility::name);
    conn.prepare_cached(
        "INSERT INTO upload_tasks (short_id, user_id, created_at, original_file_name, file_size, archive, entries, \
         sport_id, title, description, notes, equipment_ids, workout_visibility, analysis_visibility, map_visibility) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
    )?
    .execute(params![
        task.short_id,
        task.user_id,
        task.created_at,
        task.original_file_name,
        task.file_size,
        archive,
        serde_json::to_string(&task.entries).unwrap_or_else(|_| "[]".into()),
        task.sport_id,
        f.title,
        f.description,
        f.notes,
        f.equipment_ids.as_ref().map(|ids| serde_json::to_string(ids).unwrap_or_else(|_| "[]".into())),
        name(f.visibility.workout),
        name(f.visibility.analysis),
        name(f.visibility.map),
    ])?;
    Ok(conn.last_insert_rowid())
}

pub fn of_user(conn: &Connection, user_id: i64, limit: i64, offset: i64) -> Result<Vec<UploadTask>, Error> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM upload_tasks WHERE user_id = ?1 ORDER BY created_at DESC, id DESC LIMIT ?2 OFFSET ?3"
    ))?
    .query_map(params![user_id, limit, offset], from_row)?
    .collect()
}

pub fn count_of_user(conn: &Connection, user_id: i64) -> Result<i64, Error> {
    conn.prepare_cached("SELECT count(*) FROM upload_tasks WHERE user_id = ?1")?.query_row([user_id], |r| r.get(0))
}

pub fn by_short_id(conn: &Connection, user_id: i64, short_id: &str) -> Result<Option<UploadTask>, Error> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM upload_tasks WHERE user_id = ?1 AND short_id = ?2"))?
        .query_row(params![user_id, short_id], from_row)
        .optional()
}

/// Tasks no file of which has been worked on yet (FitTrackee's queued:
/// progress 0, neither errored nor aborted).
const QUEUED: &str = "done = 0 AND aborted = 0 AND archive_error IS NULL AND archive IS NOT NULL";

pub fn queued_count(conn: &Connection) -> Result<i64, Error> {
    conn.prepare_cached(&format!("SELECT count(*) FROM upload_tasks WHERE {QUEUED}"))?.query_row([], |r| r.get(0))
}

/// A page of queued tasks of every user, newest first.
pub fn queued(conn: &Connection, limit: i64, offset: i64) -> Result<Vec<UploadTask>, Error> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM upload_tasks WHERE {QUEUED} ORDER BY created_at DESC, id DESC LIMIT ?1 OFFSET ?2"
    ))?
    .query_map(params![limit, offset], from_row)?
    .collect()
}

/// The oldest task with work left (the archive is kept until none is).
pub fn next_pending(conn: &Connection) -> Result<Option<UploadTask>, Error> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM upload_tasks WHERE archive IS NOT NULL AND aborted = 0 ORDER BY id LIMIT 1"
    ))?
    .query_row([], from_row)
    .optional()
}

pub fn archive(conn: &Connection, id: i64) -> Result<Option<Vec<u8>>, Error> {
    conn.prepare_cached("SELECT archive FROM upload_tasks WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()
        .map(Option::flatten)
}

/// Saves what a task has done; the archive goes once it is finished.
pub fn save_progress(conn: &Connection, task: &UploadTask, now: i64) -> Result<(), Error> {
    let errored: std::collections::BTreeMap<&str, &str> =
        task.errored_files.iter().map(|(file, why)| (file.as_str(), why.as_str())).collect();
    conn.prepare_cached(
        "UPDATE upload_tasks SET done = ?2, new_workouts = ?3, errored_files = ?4, archive_error = ?5, \
         updated_at = ?6, archive = CASE WHEN ?7 THEN NULL ELSE archive END WHERE id = ?1",
    )?
    .execute(params![
        task.id,
        task.done as i64,
        task.new_workouts,
        serde_json::to_string(&errored).unwrap_or_else(|_| "{}".into()),
        task.archive_error,
        now,
        task.is_finished(),
    ])?;
    Ok(())
}

/// Aborts a task: its archive goes, what it created stays.
pub fn abort(conn: &Connection, id: i64, now: i64) -> Result<(), Error> {
    conn.prepare_cached("UPDATE upload_tasks SET aborted = 1, archive = NULL, updated_at = ?2 WHERE id = ?1")?
        .execute(params![id, now])?;
    Ok(())
}

pub fn delete(conn: &Connection, id: i64) -> Result<(), Error> {
    conn.prepare_cached("DELETE FROM upload_tasks WHERE id = ?1")?.execute([id])?;
    Ok(())
}
