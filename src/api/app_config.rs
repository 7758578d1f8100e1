//! `GET /api/config`: what clients learn about this server before signing in.

use rouille::Response;
use serde_json::json;

use serde_json::{Map, Value};

use crate::accounts;
use crate::application::{self, AppConfig, ConfigPatch, INTEGER_KEYS, PatchError};
use crate::dates::http_date;
use crate::http::{Ctx, HttpError};
use crate::store::app_config;

/// The FitTrackee API version we speak. Clients check it (PEP 440, ≥ 0.7.29).
pub const COMPATIBLE_FITTRACKEE_VERSION: &str = "1.2.2";

/// FitTrackee's default when no custom privacy policy is set.
const DEFAULT_PRIVACY_POLICY_DATE: &str = "2024-12-23 19:00:00";

pub fn show(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let config = app_config::get(&ctx.db)?;
    let open = accounts::registration_open(&ctx.db)?;
    Ok(super::ok(json!({ "status": "success", "data": config_json(&config, open, &ctx.app.config.maps.attribution) })))
}

pub fn config_json(config: &AppConfig, registration_open: bool, map_attribution: &str) -> serde_json::Value {
    json!({
        "about": config.about,
        "admin_contact": config.admin_contact,
        "elevation_services": { "open_elevation": false, "valhalla": false },
        "file_limit_import": config.file_limit_import,
        "file_sync_limit_import": config.file_sync_limit_import,
        "global_map_workouts_limit": config.global_map_workouts_limit,
        "is_email_sending_enabled": false,
        "is_registration_enabled": registration_open,
        "map_attribution": map_attribution,
        "max_single_file_size": config.max_single_file_size,
        "max_users": config.max_users,
        "max_zip_file_size": config.max_zip_file_size,
        "privacy_policy": config.privacy_policy,
        "privacy_policy_date": match config.privacy_policy_date {
            Some(date) => http_date(date),
            None => DEFAULT_PRIVACY_POLICY_DATE.to_string(),
        },
        "stats_workouts_limit": config.stats_workouts_limit,
        "version": COMPATIBLE_FITTRACKEE_VERSION,
        "server_version": env!("CARGO_PKG_VERSION"),
        "weather_provider": null,
    })
}

/// The body as a patch: integers and texts of the right JSON type.
fn config_patch(body: &Map<String, Value>) -> Result<ConfigPatch, PatchError> {
    let mut patch = ConfigPatch::default();
    for key in INTEGER_KEYS {
        if let Some(value) = body.get(key) {
            patch.integers.push((key, value.as_i64().ok_or(PatchError::Payload)?));
        }
    }
    let text = |key: &str| match body.get(key) {
        None => Ok(None),
        Some(Value::Null) => Ok(Some(None)),
        Some(Value::String(s)) => Ok(Some(Some(s.clone()))),
        Some(_) => Err(PatchError::Payload),
    };
    patch.about = text("about")?;
    patch.admin_contact = text("admin_contact")?;
    patch.privacy_policy = text("privacy_policy")?;
    Ok(patch)
}

pub fn update(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let patch = config_patch(&super::json_object(ctx)?)?;
    let now = ctx.now;
    let config = ctx.db.write(|tx| {
        let current = app_config::get(tx)?;
        match application::apply(&current, &patch, now) {
            Ok(config) => app_config::save(tx, &config).map(|()| Ok(config)),
            Err(refusal) => Ok(Err(refusal)),
        }
    })??;
    let open = accounts::registration_open(&ctx.db)?;
    Ok(super::ok(json!({ "status": "success", "data": config_json(&config, open, &ctx.app.config.maps.attribution) })))
}
