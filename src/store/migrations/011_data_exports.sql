-- A user's data export (FitTrackee's "user_data_export"): one per user, the
-- archive kept in the database (one file to back up; it goes with the
-- request, after the retention time, or with the account).
CREATE TABLE data_exports (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL UNIQUE REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    completed INTEGER NOT NULL DEFAULT 0,
    file_name TEXT,                             -- archive_<random>.zip, once built
    archive BLOB
);
CREATE INDEX data_exports_pending ON data_exports (completed, created_at);
