-- Accounts, first-party sign-in and the application configuration.
-- Times are Unix seconds (UTC).

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL,
    email TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role INTEGER NOT NULL DEFAULT 10,          -- 10 user, 30 moderator, 50 admin, 100 owner
    is_active INTEGER NOT NULL DEFAULT 1,
    suspended_at INTEGER,
    created_at INTEGER NOT NULL,
    accepted_policy_at INTEGER,
    first_name TEXT,
    last_name TEXT,
    bio TEXT,
    location TEXT,
    birth_date TEXT,                           -- YYYY-MM-DD
    timezone TEXT NOT NULL DEFAULT 'Europe/Paris',
    language TEXT NOT NULL DEFAULT 'en',
    date_format TEXT NOT NULL DEFAULT 'MM/dd/yyyy',
    weekm INTEGER NOT NULL DEFAULT 0,
    imperial_units INTEGER NOT NULL DEFAULT 0,
    display_ascent INTEGER NOT NULL DEFAULT 1,
    start_elevation_at_zero INTEGER NOT NULL DEFAULT 0,
    use_raw_gpx_speed INTEGER NOT NULL DEFAULT 0,
    use_dark_mode INTEGER,
    split_workout_charts INTEGER NOT NULL DEFAULT 0,
    segments_creation_event TEXT NOT NULL DEFAULT 'only_manual',
    workouts_visibility TEXT NOT NULL DEFAULT 'private',
    analysis_visibility TEXT NOT NULL DEFAULT 'private',
    map_visibility TEXT NOT NULL DEFAULT 'private',
    hr_visibility TEXT NOT NULL DEFAULT 'private',
    calories_visibility TEXT NOT NULL DEFAULT 'private',
    manually_approves_followers INTEGER NOT NULL DEFAULT 1,
    hide_profile_in_users_directory INTEGER NOT NULL DEFAULT 1,
    missing_elevations_processing TEXT NOT NULL DEFAULT 'none'
);
CREATE UNIQUE INDEX users_username ON users (username COLLATE NOCASE);
CREATE UNIQUE INDEX users_email ON users (email COLLATE NOCASE);

-- Server-generated keys (JWT signing, CSRF), created on first start.
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value BLOB NOT NULL
) WITHOUT ROWID;

-- First-party sign-ins. An API login's JWT names its row (`sid` claim); a
-- browser's cookie is found by its SHA-256. Logout deletes the row.
-- AUTOINCREMENT: an id is never reused, or a logged-out JWT would name the
-- next session that got its id.
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    cookie_hash BLOB UNIQUE,                   -- NULL for API (JWT) sessions
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- The admin-editable application configuration (GET/PATCH /api/config).
CREATE TABLE app_config (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    max_users INTEGER NOT NULL DEFAULT 0,
    max_single_file_size INTEGER NOT NULL DEFAULT 1048576,
    max_zip_file_size INTEGER NOT NULL DEFAULT 10485760,
    file_limit_import INTEGER NOT NULL DEFAULT 10,
    file_sync_limit_import INTEGER NOT NULL DEFAULT 10,
    stats_workouts_limit INTEGER NOT NULL DEFAULT 10000,
    global_map_workouts_limit INTEGER NOT NULL DEFAULT 10000,
    about TEXT,
    admin_contact TEXT,
    privacy_policy TEXT,
    privacy_policy_date INTEGER
);
INSERT INTO app_config (id) VALUES (1);
