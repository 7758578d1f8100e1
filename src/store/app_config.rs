//! The admin-editable application configuration (one row).

use rusqlite::{Connection, params};

use super::Error;

#[derive(Debug, Clone, PartialEq)]
pub struct AppConfig {
    pub max_users: i64,
    pub max_single_file_size: i64,
    pub max_zip_file_size: i64,
    pub file_limit_import: i64,
    pub file_sync_limit_import: i64,
    pub stats_workouts_limit: i64,
    pub global_map_workouts_limit: i64,
    pub about: Option<String>,
    pub admin_contact: Option<String>,
    pub privacy_policy: Option<String>,
    pub privacy_policy_date: Option<i64>,
}

pub fn get(conn: &Connection) -> Result<AppConfig, Error> {
    conn.prepare_cached(
        "SELECT max_users, max_single_file_size, max_zip_file_size, file_limit_import, \
         file_sync_limit_import, stats_workouts_limit, global_map_workouts_limit, about, \
         admin_contact, privacy_policy, privacy_policy_date FROM app_config WHERE id = 1",
    )?
    .query_row([], |row| {
        Ok(AppConfig {
            max_users: row.get(0)?,
            max_single_file_size: row.get(1)?,
            max_zip_file_size: row.get(2)?,
            file_limit_import: row.get(3)?,
            file_sync_limit_import: row.get(4)?,
            stats_workouts_limit: row.get(5)?,
            global_map_workouts_limit: row.get(6)?,
            about: row.get(7)?,
            admin_contact: row.get(8)?,
            privacy_policy: row.get(9)?,
            privacy_policy_date: row.get(10)?,
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
