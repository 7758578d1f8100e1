//! Users' pictures (`/api/auth/picture`, `/api/users/<username>/picture`).

use rouille::Response;
use serde_json::json;

use super::{USER_NOT_FOUND, ok, read_upload};
use crate::accounts::picture;
use crate::http::{Ctx, HttpError};
use crate::store::{app_config, users};

pub fn upload(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let limit = app_config::get(&ctx.db)?.max_single_file_size.max(0) as u64;
    // The multipart framing is a few hundred bytes beyond the file.
    let form = read_upload(ctx, limit + 4096, "picture")?;
    let file = form.file("file").ok_or_else(|| HttpError::message(400, "fail", "no file part"))?;
    let name = file.filename.as_deref().unwrap_or("");
    let user_id = ctx.caller.user()?.id;
    picture::replace(&mut ctx.db, user_id, name, &file.data, limit, ctx.now)?;
    Ok(ok(json!({ "status": "success", "message": "user picture updated" })))
}

pub fn delete(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let user_id = ctx.caller.user()?.id;
    ctx.db.write(|tx| users::delete_picture(tx, user_id))?;
    Ok(Response::empty_204())
}

/// Anyone may see a picture (FitTrackee serves them without a token).
pub fn show(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let user = users::by_username(&ctx.db, ctx.param(0))?.ok_or_else(|| HttpError::not_found(USER_NOT_FOUND))?;
    let (content_type, data) = users::picture(&ctx.db, user.id)?.ok_or_else(|| HttpError::not_found("No picture."))?;
    Ok(Response::from_data(content_type, data))
}
