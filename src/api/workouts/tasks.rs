//! Upload tasks (`/api/workouts/upload-tasks`): archives processed in the
//! background, in FitTrackee's shape.

use rouille::Response;
use serde_json::{Map, Value, json};

use crate::api::users::light_json;
use crate::api::{Paging, ok, pagination};
use crate::dates::http_date;
use crate::http::{self, Ctx, HttpError};
use crate::store::{tasks as stored, users};
use crate::workouts::UploadTask;
use crate::workouts::tasks;

/// FitTrackee's page size for tasks.
const TASKS_PER_PAGE: i64 = 5;

pub fn task_json(task: &UploadTask) -> Value {
    let files: Map<String, Value> = task.errored_files.iter().map(|(file, why)| (file.clone(), json!(why))).collect();
    json!({
        "created_at": http_date(task.created_at),
        "errored_files": { "archive": task.archive_error, "files": files },
        "file_size": task.file_size,
        "files_count": task.entries.len(),
        "id": task.short_id,
        "new_workouts_count": task.new_workouts,
        "original_file_name": task.original_file_name,
        "progress": task.progress(),
        "sport_id": task.sport_id,
        "status": task.status().name(),
        "type": "workouts_archive_upload",
        "updated_at": task.updated_at.map(http_date),
    })
}

/// `GET /api/users/tasks/queued` (admins): how many tasks of each type
/// wait (exports wait only until the worker, woken by the request, is done
/// with the task before them).
pub fn queued_counts(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let uploads = stored::queued_count(&ctx.db)?;
    let exports = crate::store::exports::pending_count(&ctx.db)?;
    Ok(ok(
        json!({ "status": "success", "counts": { "user_data_export": exports, "workouts_archive_upload": uploads } }),
    ))
}

/// `GET /api/users/tasks/queued/<type>` (admins): the waiting tasks with
/// their users, in FitTrackee's admin shape.
pub fn queued_list(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let paging = Paging::fixed(&http::query(ctx.req), TASKS_PER_PAGE);
    let (found, total) = match ctx.param(0) {
        "workouts_archive_upload" => {
            (stored::queued(&ctx.db, paging.per_page, paging.offset())?, stored::queued_count(&ctx.db)?)
        }
        "user_data_export" => (Vec::new(), 0),
        _ => return Err(HttpError::message(400, "invalid", "invalid task type")),
    };
    let admin = ctx.caller.user()?.clone();
    let mut tasks = Vec::with_capacity(found.len());
    for task in &found {
        let owner = users::by_id(&ctx.db, task.user_id)?;
        tasks.push(json!({
            "created_at": http_date(task.created_at),
            "file_size": task.file_size,
            "files_count": task.entries.len(),
            "id": task.short_id,
            "message_id": null,
            "status": task.status().name(),
            "type": "workouts_archive_upload",
            "user": owner.map(|u| light_json(&u, Some(&admin))),
        }));
    }
    Ok(ok(json!({ "status": "success", "queued_tasks": tasks, "pagination": pagination(&paging, total) })))
}

pub fn list(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let user_id = ctx.caller.user()?.id;
    let paging = Paging::fixed(&http::query(ctx.req), TASKS_PER_PAGE);
    let total = stored::count_of_user(&ctx.db, user_id)?;
    let found = stored::of_user(&ctx.db, user_id, paging.per_page, paging.offset())?;
    let tasks: Vec<Value> = found.iter().map(task_json).collect();
    Ok(ok(json!({ "status": "success", "data": { "tasks": tasks }, "pagination": pagination(&paging, total) })))
}

pub fn show(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let task = tasks::find(&ctx.db, ctx.caller.user()?.id, ctx.param(0))?;
    Ok(ok(json!({ "status": "success", "task": task_json(&task) })))
}

pub fn abort(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let (user_id, task_id) = (ctx.caller.user()?.id, ctx.param(0).to_string());
    let task = tasks::abort(&mut ctx.db, user_id, &task_id, ctx.now)?;
    Ok(ok(json!({ "status": "success", "task": task_json(&task) })))
}

pub fn delete(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let (user_id, task_id) = (ctx.caller.user()?.id, ctx.param(0).to_string());
    tasks::delete(&mut ctx.db, user_id, &task_id)?;
    Ok(Response::empty_204())
}
