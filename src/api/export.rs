//! The account's data export in FitTrackee's format (`/api/auth/account/
//! export…`): a zip of `user_data.json`, `user_workouts_data.json`,
//! `user_equipments_data.json`, `user_comments_data.json`, the picture, and
//! `gpx/<file>.gpx` for each workout with a file. Built by the background
//! worker, one request at a time; the archive is kept `exports::RETENTION`.

use std::io::{Cursor, Write};

use rouille::Response;
use serde_json::{Value, json};
use zip::write::SimpleFileOptions;

use super::ok;
use super::workouts::{View, full_json, gpx_of};
use crate::accounts::user::{AuthUser, User};
use crate::dates::http_date;
use crate::exports::{self, DataExport};
use crate::http::{Ctx, HttpError};
use crate::store::{self, Db, equipments, exports as stored, lists, users};
use crate::workouts::{WorkoutFilter, WorkoutOrder};

/// FitTrackee's `UserDataExport.serialize()`.
pub fn export_json(export: &DataExport) -> Value {
    json!({
        "created_at": http_date(export.created_at),
        "status": export.status(),
        "file_name": export.file_name,
        "file_size": export.file_size,
    })
}

pub fn show(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let export = stored::of_user(&ctx.db, ctx.caller.user()?.id)?;
    Ok(ok(json!({ "status": "success", "request": export.as_ref().map(export_json) })))
}

pub fn request(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let user_id = ctx.caller.user()?.id;
    let export = exports::request(&mut ctx.db, user_id, ctx.now)?;
    ctx.app.tasks.wake();
    Ok(ok(json!({ "status": "success", "request": export_json(&export) })))
}

pub fn download(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let user_id = ctx.caller.user()?.id;
    let archive = stored::archive(&ctx.db, user_id, ctx.param(0))?.ok_or_else(|| {
        HttpError::new(404, json!({ "status": "not found", "data": { "archive": [] }, "message": "file not found" }))
    })?;
    Ok(Response::from_data("application/zip", archive).with_content_disposition_attachment(ctx.param(0)))
}

/// Builds the oldest pending export, if any; false when there was none.
pub fn build_next(db: &mut Db<'_>, now: i64) -> Result<bool, store::Error> {
    exports::forget_expired(db, now)?;
    let Some(export) = stored::next_pending(db)? else { return Ok(false) };
    let built = match users::by_id(db, export.user_id)? {
        Some(user) => archive_of(db, &user).map_err(|e| e.text()),
        None => Err("the account is gone".to_string()),
    };
    let name = format!("archive_{}.zip", crate::crypto::random_alphanumeric(20));
    match &built {
        Ok(bytes) => db.write(|tx| stored::complete(tx, export.id, Some((&name, bytes))))?,
        Err(why) => {
            crate::log::error("data export", why);
            db.write(|tx| stored::complete(tx, export.id, None))?
        }
    }
    Ok(true)
}

fn archive_of(db: &Db<'_>, user: &User) -> Result<Vec<u8>, HttpError> {
    let viewer = AuthUser {
        id: user.id,
        username: user.username.clone(),
        role: user.role,
        is_active: user.is_active,
        suspended: user.suspended_at.is_some(),
    };
    let view = View::load(db, Some(&viewer), user)?;
    let workouts = lists::page(db, &WorkoutFilter::of_user(user.id), WorkoutOrder::WorkoutDate, true, i64::MAX, 0)?;
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let mut workouts_data = Vec::new();
    for workout in &workouts {
        let gpx = gpx_of(db, workout)?;
        let mut data = full_json(db, workout, &view)?;
        data["sport_label"] = json!(view.sports.get(&workout.sport_id).map(|s| s.sport.label.clone()));
        let file_name = gpx.as_ref().map(|_| format!("{}.gpx", workout.short_id));
        data["gpx"] = json!(file_name);
        if let (Some((_, bytes)), Some(name)) = (gpx, file_name) {
            add(&mut zip, &format!("gpx/{name}"), &bytes, options)?;
        }
        workouts_data.push(data);
    }
    let equipments: Vec<Value> =
        equipments::of_user(db, user.id, None)?.iter().map(super::equipments::equipment_json).collect();
    let documents = [
        ("user_data.json", super::users::user_json(db, user, Some(&viewer))?),
        ("user_workouts_data.json", json!(workouts_data)),
        ("user_equipments_data.json", json!(equipments)),
        ("user_comments_data.json", json!([])),
    ];
    for (name, value) in documents {
        let text = serde_json::to_vec_pretty(&value).map_err(unwritable)?;
        add(&mut zip, name, &text, options)?;
    }
    if let Some((content_type, bytes)) = users::picture(db, user.id)? {
        let extension = content_type.rsplit('/').next().unwrap_or("png");
        add(&mut zip, &format!("picture.{extension}"), &bytes, options)?;
    }
    let cursor = zip.finish().map_err(unwritable)?;
    Ok(cursor.into_inner())
}

fn unwritable(e: impl std::fmt::Display) -> HttpError {
    HttpError::message(500, "error", format!("the archive could not be written: {e}"))
}

fn add(
    zip: &mut zip::ZipWriter<Cursor<Vec<u8>>>,
    name: &str,
    bytes: &[u8],
    options: SimpleFileOptions,
) -> Result<(), HttpError> {
    zip.start_file(name, options).map_err(unwritable)?;
    zip.write_all(bytes).map_err(unwritable)
}
