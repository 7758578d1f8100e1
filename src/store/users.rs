//! Users: accounts, roles, profile fields, preferences.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{Error, visibility};
use crate::accounts::user::{AuthUser, Preferences, ProfileFields, Role, User};

pub struct NewUser<'a> {
    pub username: &'a str,
    pub email: &'a str,
    pub password_hash: &'a str,
    pub role: Role,
    pub language: &'a str,
    pub timezone: &'a str,
    pub accepted_policy_at: Option<i64>,
    pub now: i64,
}

const USER_COLUMNS: &str = "id, username, email, role, is_active, suspended_at, created_at, \
    CASE WHEN accepted_policy_at IS NULL THEN NULL \
         ELSE accepted_policy_at >= coalesce((SELECT privacy_policy_date FROM app_config WHERE id = 1), 0) \
    END AS accepted_current_policy, \
    first_name, last_name, bio, location, birth_date, timezone, language, \
    date_format, weekm, imperial_units, display_ascent, start_elevation_at_zero, use_raw_gpx_speed, \
    use_dark_mode, split_workout_charts, segments_creation_event, workouts_visibility, \
    analysis_visibility, map_visibility, hr_visibility, calories_visibility, \
    manually_approves_followers, hide_profile_in_users_directory, missing_elevations_processing, \
    (SELECT coalesce(sum(t.workouts), 0) FROM user_sport_totals t WHERE t.user_id = users.id) AS nb_workouts, \
    EXISTS (SELECT 1 FROM user_pictures p WHERE p.user_id = users.id) AS has_picture";

fn user_from_row(row: &Row<'_>) -> Result<User, Error> {
    Ok(User {
        id: row.get("id")?,
        username: row.get("username")?,
        email: row.get("email")?,
        role: Role::from_level(row.get("role")?),
        is_active: row.get("is_active")?,
        suspended_at: row.get("suspended_at")?,
        created_at: row.get("created_at")?,
        accepted_current_policy: row.get("accepted_current_policy")?,
        nb_workouts: row.get("nb_workouts")?,
        has_picture: row.get("has_picture")?,
        profile: ProfileFields {
            first_name: row.get("first_name")?,
            last_name: row.get("last_name")?,
            bio: row.get("bio")?,
            location: row.get("location")?,
            birth_date: row.get("birth_date")?,
        },
        prefs: preferences_from_row(row)?,
    })
}

fn preferences_from_row(row: &Row<'_>) -> Result<Preferences, Error> {
    Ok(Preferences {
        timezone: row.get("timezone")?,
        language: row.get("language")?,
        date_format: row.get("date_format")?,
        weekm: row.get("weekm")?,
        imperial_units: row.get("imperial_units")?,
        display_ascent: row.get("display_ascent")?,
        start_elevation_at_zero: row.get("start_elevation_at_zero")?,
        use_raw_gpx_speed: row.get("use_raw_gpx_speed")?,
        use_dark_mode: row.get("use_dark_mode")?,
        split_workout_charts: row.get("split_workout_charts")?,
        segments_creation_event: row.get("segments_creation_event")?,
        workouts_visibility: visibility(row, "workouts_visibility")?,
        analysis_visibility: visibility(row, "analysis_visibility")?,
        map_visibility: visibility(row, "map_visibility")?,
        hr_visibility: visibility(row, "hr_visibility")?,
        calories_visibility: visibility(row, "calories_visibility")?,
        manually_approves_followers: row.get("manually_approves_followers")?,
        hide_profile_in_users_directory: row.get("hide_profile_in_users_directory")?,
        missing_elevations_processing: row.get("missing_elevations_processing")?,
    })
}

/// The caller's account as the guard sees it, from a query that selects
/// `u.id, u.username, u.role, u.is_active, u.suspended_at` (and more).
/// The caller's account as the guard sees it, from a query that selects
/// `u.id, u.username, u.role, u.is_active, u.suspended_at` (and more).
pub(super) fn auth_user_from_row(row: &Row<'_>) -> Result<AuthUser, Error> {
    Ok(AuthUser {
        id: row.get("id")?,
        username: row.get("username")?,
        role: Role::from_level(row.get("role")?),
        is_active: row.get("is_active")?,
        suspended: row.get::<_, Option<i64>>("suspended_at")?.is_some(),
    })
}

pub fn insert(conn: &Connection, new: &NewUser<'_>) -> Result<i64, Error> {
    conn.prepare_cached(
        "INSERT INTO users (username, email, password_hash, role, language, timezone, \
         accepted_policy_at, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        new.username,
        new.email,
        new.password_hash,
        new.role.level(),
        new.language,
        new.timezone,
        new.accepted_policy_at,
        new.now
    ])?;
    Ok(conn.last_insert_rowid())
}

pub fn by_id(conn: &Connection, id: i64) -> Result<Option<User>, Error> {
    conn.prepare_cached(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = ?1"))?
        .query_row([id], user_from_row)
        .optional()
}

/// Usernames are unique regardless of case, and looked up the same way.
pub fn by_username(conn: &Connection, username: &str) -> Result<Option<User>, Error> {
    conn.prepare_cached(&format!("SELECT {USER_COLUMNS} FROM users WHERE username = ?1 COLLATE NOCASE"))?
        .query_row([username], user_from_row)
        .optional()
}

/// The id and password hash of the active account with this email, if any.
pub fn login_candidate(conn: &Connection, email: &str) -> Result<Option<(i64, String)>, Error> {
    conn.prepare_cached("SELECT id, password_hash FROM users WHERE email = ?1 COLLATE NOCASE AND is_active = 1")?
        .query_row([email], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()
}

pub fn password_hash(conn: &Connection, id: i64) -> Result<Option<String>, Error> {
    conn.prepare_cached("SELECT password_hash FROM users WHERE id = ?1")?.query_row([id], |row| row.get(0)).optional()
}

pub fn username_taken(conn: &Connection, username: &str) -> Result<bool, Error> {
    conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM users WHERE username = ?1 COLLATE NOCASE)")?
        .query_row([username], |row| row.get(0))
}

pub fn email_taken(conn: &Connection, email: &str) -> Result<bool, Error> {
    conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM users WHERE email = ?1 COLLATE NOCASE)")?
        .query_row([email], |row| row.get(0))
}

pub fn count(conn: &Connection) -> Result<i64, Error> {
    conn.prepare_cached("SELECT count(*) FROM users")?.query_row([], |row| row.get(0))
}

/// Columns: id, username, role, is_active, suspended (bool).
pub fn set_role(conn: &Connection, id: i64, role: Role) -> Result<(), Error> {
    conn.execute("UPDATE users SET role = ?2 WHERE id = ?1", params![id, role.level()])?;
    Ok(())
}

pub fn set_active(conn: &Connection, id: i64, active: bool) -> Result<(), Error> {
    conn.execute("UPDATE users SET is_active = ?2 WHERE id = ?1", params![id, active])?;
    Ok(())
}

pub fn set_email(conn: &Connection, id: i64, email: &str) -> Result<(), Error> {
    conn.execute("UPDATE users SET email = ?2 WHERE id = ?1", params![id, email])?;
    Ok(())
}

pub fn set_password_hash(conn: &Connection, id: i64, hash: &str) -> Result<(), Error> {
    conn.execute("UPDATE users SET password_hash = ?2 WHERE id = ?1", params![id, hash])?;
    Ok(())
}

pub fn set_profile(conn: &Connection, id: i64, p: &ProfileFields) -> Result<(), Error> {
    conn.execute(
        "UPDATE users SET first_name = ?2, last_name = ?3, bio = ?4, location = ?5, birth_date = ?6 WHERE id = ?1",
        params![id, p.first_name, p.last_name, p.bio, p.location, p.birth_date],
    )?;
    Ok(())
}

pub fn set_preferences(conn: &Connection, id: i64, p: &Preferences) -> Result<(), Error> {
    conn.execute(
        "UPDATE users SET timezone = ?2, language = ?3, date_format = ?4, weekm = ?5, imperial_units = ?6, \
         display_ascent = ?7, start_elevation_at_zero = ?8, use_raw_gpx_speed = ?9, use_dark_mode = ?10, \
         split_workout_charts = ?11, segments_creation_event = ?12, workouts_visibility = ?13, \
         analysis_visibility = ?14, map_visibility = ?15, hr_visibility = ?16, calories_visibility = ?17, \
         manually_approves_followers = ?18, hide_profile_in_users_directory = ?19, \
         missing_elevations_processing = ?20 WHERE id = ?1",
        params![
            id,
            p.timezone,
            p.language,
            p.date_format,
            p.weekm,
            p.imperial_units,
            p.display_ascent,
            p.start_elevation_at_zero,
            p.use_raw_gpx_speed,
            p.use_dark_mode,
            p.split_workout_charts,
            p.segments_creation_event,
            p.workouts_visibility.name(),
            p.analysis_visibility.name(),
            p.map_visibility.name(),
            p.hr_visibility.name(),
            p.calories_visibility.name(),
            p.manually_approves_followers,
            p.hide_profile_in_users_directory,
            p.missing_elevations_processing
        ],
    )?;
    Ok(())
}

/// Columns `GET /api/users` may sort by (never a name taken from the request).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum UserOrder {
    Username,
    CreatedAt,
    WorkoutsCount,
    Role,
    IsActive,
    SuspendedAt,
}

impl UserOrder {
    pub fn parse(name: &str) -> Option<UserOrder> {
        Some(match name {
            "username" => UserOrder::Username,
            "created_at" => UserOrder::CreatedAt,
            "workouts_count" => UserOrder::WorkoutsCount,
            "role" => UserOrder::Role,
            "is_active" => UserOrder::IsActive,
            "suspended_at" => UserOrder::SuspendedAt,
            _ => return None,
        })
    }

    fn sql(self, ascending: bool) -> String {
        let direction = if ascending { "ASC" } else { "DESC" };
        match self {
            UserOrder::Username => format!("username {direction}"),
            UserOrder::CreatedAt => format!("created_at {direction}, username ASC"),
            UserOrder::WorkoutsCount => format!("{WORKOUTS_COUNT} {direction}, username ASC"),
            UserOrder::Role => format!("role {direction}, username ASC"),
            UserOrder::IsActive => format!("is_active {direction}, username ASC"),
            UserOrder::SuspendedAt => format!("suspended_at IS NULL, suspended_at {direction}, username ASC"),
        }
    }
}

/// Workouts per user, for sorting the directory.
const WORKOUTS_COUNT: &str =
    "(SELECT coalesce(sum(t.workouts), 0) FROM user_sport_totals t WHERE t.user_id = users.id)";

pub struct UserQuery<'a> {
    /// A part of the username (any case).
    pub q: Option<&'a str>,
    pub with_inactive: bool,
    pub with_hidden: bool,
    pub with_suspended: bool,
    pub order: UserOrder,
    pub ascending: bool,
    pub limit: i64,
    pub offset: i64,
}

/// A page of the users directory and the total it is taken from.
pub fn directory(conn: &Connection, query: &UserQuery<'_>) -> Result<(Vec<User>, i64), Error> {
    let filter = "(?1 IS NULL OR username LIKE '%' || ?1 || '%' ESCAPE '\\') AND (?2 OR is_active = 1) \
                  AND (?3 OR hide_profile_in_users_directory = 0) AND (?4 OR suspended_at IS NULL)";
    let pattern = query.q.map(|q| q.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
    let flags = params![pattern, query.with_inactive, query.with_hidden, query.with_suspended];
    let total = conn
        .prepare_cached(&format!("SELECT count(*) FROM users WHERE {filter}"))?
        .query_row(flags, |row| row.get(0))?;
    let sql = format!(
        "SELECT {USER_COLUMNS} FROM users WHERE {filter} ORDER BY {} LIMIT ?5 OFFSET ?6",
        query.order.sql(query.ascending)
    );
    let users = conn
        .prepare_cached(&sql)?
        .query_map(
            params![pattern, query.with_inactive, query.with_hidden, query.with_suspended, query.limit, query.offset],
            user_from_row,
        )?
        .collect::<Result<Vec<_>, _>>()?;
    Ok((users, total))
}

pub fn count_admins(conn: &Connection) -> Result<i64, Error> {
    conn.prepare_cached("SELECT count(*) FROM users WHERE role >= 50")?.query_row([], |row| row.get(0))
}

/// Deletes the user and, through foreign keys, everything they own.
pub fn delete(conn: &Connection, id: i64) -> Result<(), Error> {
    conn.execute("DELETE FROM users WHERE id = ?1", [id])?;
    Ok(())
}

/// The user accepted the privacy policy at `now`.
pub fn accept_policy(conn: &Connection, user_id: i64, now: i64) -> Result<(), Error> {
    conn.prepare_cached("UPDATE users SET accepted_policy_at = ?2 WHERE id = ?1")?.execute(params![user_id, now])?;
    Ok(())
}

/// A user's picture: its content type and bytes.
pub fn picture(conn: &Connection, user_id: i64) -> Result<Option<(String, Vec<u8>)>, Error> {
    conn.prepare_cached("SELECT content_type, data FROM user_pictures WHERE user_id = ?1")?
        .query_row([user_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()
}

pub fn set_picture(conn: &Connection, user_id: i64, content_type: &str, data: &[u8], now: i64) -> Result<(), Error> {
    conn.prepare_cached(
        "INSERT INTO user_pictures (user_id, content_type, data, updated_at) VALUES (?1, ?2, ?3, ?4) \
         ON CONFLICT (user_id) DO UPDATE SET content_type = ?2, data = ?3, updated_at = ?4",
    )?
    .execute(params![user_id, content_type, data, now])?;
    Ok(())
}

pub fn delete_picture(conn: &Connection, user_id: i64) -> Result<(), Error> {
    conn.prepare_cached("DELETE FROM user_pictures WHERE user_id = ?1")?.execute([user_id])?;
    Ok(())
}
