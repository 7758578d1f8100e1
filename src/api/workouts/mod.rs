//! Workouts (`workouts:*`): single workouts, uploads, manual workouts,
//! changes, charts and file downloads; lists in `list`.

pub mod geo;
mod json;
pub mod list;
pub mod request;
pub mod tasks;

use rouille::Response;
use serde_json::json;

pub use json::{View, cadence_factor, can_see, chart_point, full_json, record_json, record_shown};
pub use list::{list, timeline, user_workouts};

use super::json_object;
use crate::accounts::user::User;
use crate::files::Format;
use crate::http::{self, Ctx, HttpError};
use crate::store::{app_config, points as stored_points, users, workouts as store};
use crate::workouts::{self as domain, FileUpload, Uploaded, Workout, upload};

fn not_found_data(key: &str, empty: serde_json::Value) -> HttpError {
    HttpError::new(404, json!({ "status": "not found", "data": { key: empty } }))
}

fn workout_not_found() -> HttpError {
    not_found_data("workouts", json!([]))
}

/// The workout of the path, if the caller may see it.
pub fn visible_workout(ctx: &Ctx<'_>) -> Result<Workout, HttpError> {
    let workout = store::by_short_id(&ctx.db, ctx.param(0))?.ok_or_else(workout_not_found)?;
    if !can_see(&workout, ctx.caller.user.as_ref()) {
        return Err(workout_not_found());
    }
    Ok(workout)
}

/// The caller's own workout: others who can see it get 403, the rest 404.
fn own_workout(ctx: &Ctx<'_>) -> Result<(Workout, User), HttpError> {
    let workout = visible_workout(ctx)?;
    let caller = ctx.caller.user()?;
    if workout.user_id != caller.id {
        return Err(HttpError::forbidden(http::guard::NO_PERMISSION));
    }
    let user = users::by_id(&ctx.db, caller.id)?.ok_or_else(workout_not_found)?;
    Ok((workout, user))
}

/// The caller's account, as the domain needs it.
fn caller_account(ctx: &Ctx<'_>) -> Result<User, HttpError> {
    users::by_id(&ctx.db, ctx.caller.user()?.id)?.ok_or_else(HttpError::invalid_payload)
}

/// One workout in FitTrackee's envelope; the owner is read afresh (a
/// change may have moved their totals).
fn one_workout(ctx: &Ctx<'_>, w: &Workout, status: u16, word: &str) -> Result<Response, HttpError> {
    let owner = users::by_id(&ctx.db, w.user_id)?.ok_or_else(workout_not_found)?;
    let view = View::load(&ctx.db, ctx.caller.user.as_ref(), &owner)?;
    let body = json!({ "status": word, "data": { "workouts": [full_json(&ctx.db, w, &view)?] } });
    Ok(http::json(status, &body))
}

pub fn show(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let workout = visible_workout(ctx)?;
    one_workout(ctx, &workout, 200, "success")
}

pub fn create(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let config = app_config::get(&ctx.db)?;
    let form = super::read_upload(ctx, upload::request_limit(&config), "workout")?;
    let file = form.file("file").ok_or_else(|| HttpError::message(400, "fail", "no file part"))?;
    let file_name = file.filename.as_deref().unwrap_or("");
    upload::check_file(file_name, file.data.len() as u64, &config)?;
    let data = form
        .text("data")
        .and_then(request::lenient_json)
        .and_then(|v| v.as_object().cloned())
        .ok_or_else(HttpError::invalid_payload)?;
    let upload = FileUpload {
        sport_id: request::sport_id(data.get("sport_id"))?,
        file_name,
        content: &file.data,
        fields: request::fields(&data)?,
    };
    let user = caller_account(ctx)?;
    match domain::upload(&mut ctx.db, &user, &upload, &config, ctx.now)? {
        Uploaded::Created(workouts) => created(ctx, &user, &workouts),
        Uploaded::Partly { created, errors } => {
            let errored: serde_json::Map<String, serde_json::Value> =
                errors.into_iter().map(|(file, why)| (file, json!(why))).collect();
            let body = json!({ "status": "fail", "new_workouts": created.len(), "errored_workouts": errored });
            Ok(http::json(400, &body))
        }
        Uploaded::Queued(task_id) => {
            ctx.app.tasks.wake();
            Ok(super::ok(json!({ "status": "in_progress", "data": { "task_id": task_id } })))
        }
    }
}

/// New workouts of the caller in FitTrackee's envelope (201).
fn created(ctx: &Ctx<'_>, owner: &User, workouts: &[Workout]) -> Result<Response, HttpError> {
    let owner = users::by_id(&ctx.db, owner.id)?.ok_or_else(workout_not_found)?;
    let view = View::load(&ctx.db, ctx.caller.user.as_ref(), &owner)?;
    let items = workouts.iter().map(|w| full_json(&ctx.db, w, &view)).collect::<Result<Vec<_>, _>>()?;
    Ok(http::json(201, &json!({ "status": "created", "data": { "workouts": items } })))
}

pub fn create_manual(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let new = request::manual_workout(&json_object(ctx)?)?;
    let user = caller_account(ctx)?;
    let workout = domain::create_manual(&mut ctx.db, &user, &new, ctx.now)?;
    one_workout(ctx, &workout, 201, "created")
}

pub fn update(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let (workout, user) = own_workout(ctx)?;
    let change = request::workout_change(&json_object(ctx)?)?;
    let workout = domain::update(&mut ctx.db, &user, &workout, &change, ctx.now)?;
    one_workout(ctx, &workout, 200, "success")
}

pub fn delete(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let (workout, _) = own_workout(ctx)?;
    domain::delete(&mut ctx.db, &workout)?;
    Ok(Response::empty_204())
}

pub fn refresh(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let (workout, user) = own_workout(ctx)?;
    let workout = domain::refresh(&mut ctx.db, &user, &workout, ctx.now)?;
    one_workout(ctx, &workout, 200, "success")
}

/// `GET …/gpx`: removed upstream.
pub fn gone(_ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    Ok(http::json(410, &json!({})))
}

/// The caller's own workout for a download (others get FitTrackee's 404).
fn downloadable(ctx: &Ctx<'_>) -> Result<Workout, HttpError> {
    let id = ctx.param(0);
    store::by_short_id(&ctx.db, id)?.filter(|w| ctx.caller.user.as_ref().is_some_and(|u| u.id == w.user_id)).ok_or_else(
        || {
            let message = format!("workout not found (id: {id})");
            HttpError::new(404, json!({ "status": "not found", "data": { "workout": [] }, "message": message }))
        },
    )
}

fn no_file(ctx: &Ctx<'_>, what: &str) -> HttpError {
    let message = format!("no {what} file for workout (id: {})", ctx.param(0));
    HttpError::new(404, json!({ "status": "not found", "data": { "original_file": [] }, "message": message }))
}

/// `…/original/download`: the uploaded file, byte for byte.
pub fn original_download(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let workout = downloadable(ctx)?;
    let (name, content) = store::file(&ctx.db, workout.id)?.ok_or_else(|| no_file(ctx, "original"))?;
    let mime = Format::of(&name).map_or("application/octet-stream", Format::mime_type);
    let fallback = format!("workout.{}", crate::files::extension(&name).unwrap_or_else(|| "gpx".into()));
    Ok(Response::from_data(mime, content)
        .with_content_disposition_attachment(&http::headers::attachment_name(&name, &fallback)))
}

/// A workout's track as GPX and its file name: a GPX upload as it was sent,
/// any other format written from the stored points; `None` without a file.
pub fn gpx_of(conn: &rusqlite::Connection, workout: &Workout) -> Result<Option<(String, Vec<u8>)>, HttpError> {
    let Some((name, content)) = store::file(conn, workout.id)? else { return Ok(None) };
    let gpx = match Format::of(&name) {
        Some(Format::Gpx) => content,
        _ => match stored_points::load(conn, workout.id)?.filter(|p| !p.is_empty()) {
            Some(points) => crate::files::gpx::write(&domain::track_of(&workout.title, &points)).into_bytes(),
            None => return Ok(None),
        },
    };
    let stem = name.rsplit_once('.').map_or(name.as_str(), |(stem, _)| stem);
    Ok(Some((format!("{stem}.gpx"), gpx)))
}

/// `…/gpx/download`: the track as GPX, whatever the uploaded format (a GPX
/// upload is given as it was sent).
pub fn gpx_download(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let workout = downloadable(ctx)?;
    let (name, gpx) = gpx_of(&ctx.db, &workout)?.ok_or_else(|| no_file(ctx, "gpx"))?;
    Ok(Response::from_data(Format::Gpx.mime_type(), gpx)
        .with_content_disposition_attachment(&http::headers::attachment_name(&name, "workout.gpx")))
}
