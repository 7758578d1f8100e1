//! The signed-in user's own profile (`profile:*`).

use rouille::Response;
use serde_json::json;

use super::{ok, users};
use crate::http::HttpError;
use crate::server::Ctx;
use crate::store;

pub fn show(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let id = ctx.caller.user()?.id;
    let user = store::users::by_id(&ctx.db, id)?.ok_or_else(|| HttpError::unauthorized(crate::guard::NO_AUTH))?;
    Ok(ok(json!({ "status": "success", "data": users::own_profile_json(&user) })))
}
