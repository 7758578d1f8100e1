-- Zip archives processed in the background (FitTrackee's upload tasks).
-- The archive itself is kept here until its last file is done, so that a
-- task survives a restart and resumes where it stopped.
CREATE TABLE upload_tasks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    short_id TEXT NOT NULL UNIQUE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    updated_at INTEGER,
    original_file_name TEXT NOT NULL,
    file_size INTEGER NOT NULL,
    archive BLOB,                               -- NULL once finished
    entries TEXT NOT NULL,                      -- JSON [[index, name], ...]
    done INTEGER NOT NULL DEFAULT 0,            -- entries processed
    new_workouts INTEGER NOT NULL DEFAULT 0,
    errored_files TEXT NOT NULL DEFAULT '{}',   -- JSON {name: message}
    archive_error TEXT,
    aborted INTEGER NOT NULL DEFAULT 0,
    -- What the upload's request asked for every workout.
    sport_id INTEGER NOT NULL,
    title TEXT,
    description TEXT,
    notes TEXT,
    equipment_ids TEXT,                         -- JSON list, NULL: the sport's defaults
    workout_visibility TEXT,
    analysis_visibility TEXT,
    map_visibility TEXT
);
CREATE INDEX upload_tasks_by_user ON upload_tasks (user_id, created_at);
