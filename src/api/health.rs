//! Health checks for monitors and container orchestrators (FitTrackee's
//! `/api/ping` and `/api/check-db`).

use rouille::Response;
use serde_json::json;

use crate::http::{Ctx, HttpError};

pub fn ping(_ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    Ok(super::ok(json!({ "status": "success", "message": "pong!" })))
}

pub fn check_db(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    if crate::store::answers(&ctx.db) {
        Ok(super::ok(json!({ "status": "success", "message": "db available" })))
    } else {
        Err(HttpError::message(500, "error", "db unavailable"))
    }
}
