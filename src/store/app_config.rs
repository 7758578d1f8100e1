//! The admin-editable application configuration (one row).

use rusqlite::{Connection, params};

use super::Error;
use crate::application::AppConfig;

pub fn get(conn: &Connection) -> Result<AppConfig, Error> {
    conn.prepare_cached(
        "SELECT max_users, max_single_file_size, max_zip_file_size, file_limit_import, \
         file_sync_limit_import, stats_workouts_limit, global_map_workouts_limit, about, \
         admin_contact, privacy_policy, privacy_policy_date FROM app_config WHERE id = 1",
    )?
    .query_row([], |row| {
        Ok(AppConfig {
            max_users: row.get("max_users")?,
            max_single_file_size: row.get("max_single_file_size")?,
            max_zip_file_size: row.get("max_zip_file_size")?,
            file_limit_import: row.get("file_limit_import")?,
            file_sync_limit_import: row.get("file_sync_limit_import")?,
            stats_workouts_limit: row.get("stats_workouts_limit")?,
            global_map_workouts_limit: row.get("global_map_workouts_limit")?,
            about: row.get("about")?,
            admin_contact: row.get("admin_contact")?,
            privacy_policy: row.get("privacy_policy")?,
            privacy_policy_date: row.get("privacy_policy_date")?,
        })
    })
}

pub fn save(conn: &Connection, c: &AppConfig) -> Result<(), Error> {
    conn.execute(
        "UPDATE app_config SET max_users = ?1, max_single_file_size = ?2, max_zip_file_size = ?3, \
         file_limit_import = ?4, file_sync_limit_import = ?5, stats_workouts_limit = ?6, \
         global_map_workouts_limit = ?7, about = ?8, admin_contact = ?9, privacy_policy = ?10, \
         privacy_policy_date = ?11 WHERE id = 1",
        params![
            c.max_users,
            c.max_single_file_size,
            c.max_zip_file_size,
            c.file_limit_import,
            c.file_sync_limit_import,
            c.stats_workouts_limit,
            c.global_map_workouts_limit,
            c.about,
            c.admin_contact,
            c.privacy_policy,
            c.privacy_policy_date
        ],
    )?;
    Ok(())
}
