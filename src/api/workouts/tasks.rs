//! Upload tasks (`/api/workouts/upload-tasks`): archives processed in the
//! background, in FitTrackee's shape.

use rouille::Response;
use serde_json::{Map, Value, json};

use crate::api::{Paging, ok, pagination};
use crate::dates::http_date;
use crate::http::{self, Ctx, HttpError};
use crate::store::tasks as stored;
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
