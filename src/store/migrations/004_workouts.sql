-- Workouts (from GPX files or entered by hand), their segments and original
-- files, records, per-sport totals, and equipment.

CREATE TABLE workouts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    short_id TEXT NOT NULL UNIQUE,              -- FitTrackee's 22-character id
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    sport_id INTEGER NOT NULL REFERENCES sports (id),
    title TEXT NOT NULL,
    description TEXT,
    notes TEXT,
    workout_date INTEGER NOT NULL,              -- start, Unix seconds (UTC)
    duration REAL NOT NULL,                     -- seconds, pauses included
    moving REAL NOT NULL,                       -- seconds
    distance REAL NOT NULL,                     -- km
    min_alt REAL,
    max_alt REAL,
    ascent REAL,
    descent REAL,
    ave_speed REAL,                             -- km/h
    max_speed REAL,
    ave_hr REAL,
    max_hr REAL,
    ave_cadence REAL,
    max_cadence REAL,
    ave_power REAL,
    max_power REAL,
    calories REAL,
    start_lat REAL,
    start_lon REAL,
    bounds TEXT,                                -- JSON [min_lat, min_lon, max_lat, max_lon]
    source TEXT,                                -- the GPX creator
    workout_visibility TEXT NOT NULL,
    analysis_visibility TEXT NOT NULL,
    map_visibility TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    modified_at INTEGER
);
CREATE INDEX workouts_by_user_date ON workouts (user_id, workout_date, id);
CREATE INDEX workouts_by_user_sport ON workouts (user_id, sport_id, workout_date);

-- The uploaded file, kept in the database (one file to back up). Apart from
-- the workout row so that listing workouts never reads it.
CREATE TABLE workout_files (
    workout_id INTEGER PRIMARY KEY REFERENCES workouts (id) ON DELETE CASCADE,
    file_name TEXT NOT NULL,
    content BLOB NOT NULL
);

CREATE TABLE workout_segments (
    workout_id INTEGER NOT NULL REFERENCES workouts (id) ON DELETE CASCADE,
    segment_number INTEGER NOT NULL,            -- 1-based
    short_id TEXT NOT NULL UNIQUE,
    duration REAL NOT NULL,
    moving REAL NOT NULL,
    distance REAL NOT NULL,
    min_alt REAL,
    max_alt REAL,
    ascent REAL,
    descent REAL,
    ave_speed REAL,
    max_speed REAL,
    ave_hr REAL,
    max_hr REAL,
    ave_cadence REAL,
    max_cadence REAL,
    ave_power REAL,
    max_power REAL,
    PRIMARY KEY (workout_id, segment_number)
) WITHOUT ROWID;

-- Each user's best workout per sport and record type (AS, MS, FD, HA, LD,
-- AP, BP), kept current by every change of workouts.
CREATE TABLE records (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    sport_id INTEGER NOT NULL REFERENCES sports (id),
    record_type TEXT NOT NULL,
    workout_id INTEGER NOT NULL REFERENCES workouts (id) ON DELETE CASCADE,
    value REAL NOT NULL,
    UNIQUE (user_id, sport_id, record_type)
);
CREATE INDEX records_workout ON records (workout_id);

-- Per user and sport: how many workouts and their sums, so that profiles
-- and unfiltered lists never scan a user's workouts.
CREATE TABLE user_sport_totals (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    sport_id INTEGER NOT NULL REFERENCES sports (id),
    workouts INTEGER NOT NULL,
    distance REAL NOT NULL,
    duration REAL NOT NULL,
    moving REAL NOT NULL,
    ascent REAL NOT NULL,
    PRIMARY KEY (user_id, sport_id)
) WITHOUT ROWID;

CREATE TABLE equipment_types (
    id INTEGER PRIMARY KEY,
    label TEXT NOT NULL UNIQUE,
    is_active INTEGER NOT NULL DEFAULT 1
);
INSERT INTO equipment_types (id, label) VALUES
    (1, 'Shoes'), (2, 'Bike'), (3, 'Bike Trainer'), (4, 'Kayak_Boat'), (5, 'Skis'), (6, 'Snowshoes'),
    (7, 'Board'), (8, 'Racket'), (9, 'Paddle'), (10, 'Misc'), (11, 'Skates');

CREATE TABLE equipments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    short_id TEXT NOT NULL UNIQUE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    equipment_type_id INTEGER NOT NULL REFERENCES equipment_types (id),
    label TEXT NOT NULL,
    description TEXT,
    is_active INTEGER NOT NULL DEFAULT 1,
    visibility TEXT NOT NULL DEFAULT 'private',
    created_at INTEGER NOT NULL,
    -- Kept current as workouts are linked, changed and unlinked.
    total_distance REAL NOT NULL DEFAULT 0,
    total_duration REAL NOT NULL DEFAULT 0,
    total_moving REAL NOT NULL DEFAULT 0,
    workouts_count INTEGER NOT NULL DEFAULT 0,
    UNIQUE (user_id, label)
);

CREATE TABLE workout_equipments (
    workout_id INTEGER NOT NULL REFERENCES workouts (id) ON DELETE CASCADE,
    equipment_id INTEGER NOT NULL REFERENCES equipments (id) ON DELETE CASCADE,
    PRIMARY KEY (workout_id, equipment_id)
) WITHOUT ROWID;
CREATE INDEX workout_equipments_equipment ON workout_equipments (equipment_id);

-- Equipment a user's new workouts of a sport get when none is named.
CREATE TABLE sport_default_equipments (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    sport_id INTEGER NOT NULL REFERENCES sports (id),
    equipment_id INTEGER NOT NULL REFERENCES equipments (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, sport_id, equipment_id)
) WITHOUT ROWID;
CREATE INDEX sport_default_equipments_equipment ON sport_default_equipments (equipment_id);
