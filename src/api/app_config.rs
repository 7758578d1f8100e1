//! `GET /api/config`: what clients learn about this server before signing in.

use rouille::Response;
use serde_json::json;

use crate::accounts;
use crate::application::{self, PatchError};
use crate::dates::http_date;
use crate::http::HttpError;
use crate::server::Ctx;
use crate::store::app_config::{self, AppConfig};

/// The FitTrackee API version we speak. Clients check it (PEP 440, ≥ 0.7.29).
pub const COMPATIBLE_FITTRACKEE_VERSION: &str = "1.2.2";

/// FitTrackee's default when no custom privacy policy is set.
const DEFAULT_PRIVACY_POLICY_DATE: &str = "2024-12-23 19:00:00";

pub fn show(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let config = app_config::get(&ctx.db)?;
    let open = accounts::registration_open(&ctx.db)?;
    Ok(super::ok(json!({ "status": "success", "data": config_json(&config, open) })))
}

pub fn config_json(config: &AppConfig, registration_open: bool) -> serde_json::Value {
    json!({
        "about": config.about,
        "admin_contact": config.admin_contact,
        "elevation_services": { "open_elevation": false, "valhalla": false },
        "file_limit_import": config.file_limit_import,
        "file_sync_limit_import": config.file_sync_limit_import,
        "global_map_workouts_limit": config.global_map_workouts_limit,
        "is_email_sending_enabled": false,
        "is_registration_enabled": registration_open,
        "map_attribution": "&copy; <a href=\"https://www.openstreetmap.org/copyright\" target=\"_blank\" rel=\"noopener noreferrer\">OpenStreetMap</a> contributors",
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

pub fn update(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let patch = super::json_object(ctx)?;
    let now = ctx.now;
    let config = ctx.db.write(|tx| {
        let current = app_config::get(tx)?;
        match application::apply(&current, &patch, now) {
            Ok(config) => app_config::save(tx, &config).map(|()| Ok(config)),
            Err(refusal) => Ok(Err(refusal)),
        }
    })?;
    let config = config.map_err(|refusal| match refusal {
        PatchError::Payload => HttpError::invalid_payload(),
        PatchError::Exceeding { key, max_value } => HttpError::new(
            400,
            json!({
                "status": "config_value_exceeding_limit",
                "key": key,
                "max_value": max_value,
                "message": format!("'{key}' must be less than {max_value}"),
            }),
        ),
        PatchError::Messages(messages) => HttpError::new(400, json!({ "status": "error", "message": messages })),
        PatchError::Message(message) => HttpError::bad_request(message),
    })?;
    let open = accounts::registration_open(&ctx.db)?;
    Ok(super::ok(json!({ "status": "success", "data": config_json(&config, open) })))
}
