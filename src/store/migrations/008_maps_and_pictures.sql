-- Maps and pictures, all in the one file: the id of each workout's map
-- thumbnail (workouts with positions), the thumbnails once rendered, the
-- cache of map tiles, and the users' pictures.
ALTER TABLE workouts ADD COLUMN map_id TEXT;
UPDATE workouts SET map_id = lower(hex(randomblob(16))) WHERE start_lat IS NOT NULL;
CREATE UNIQUE INDEX workouts_by_map ON workouts (map_id) WHERE map_id IS NOT NULL;

CREATE TABLE map_images (
    workout_id INTEGER PRIMARY KEY REFERENCES workouts (id) ON DELETE CASCADE,
    svg BLOB NOT NULL,
    with_tiles INTEGER NOT NULL,               -- 0: the route alone
    rendered_at INTEGER NOT NULL
);

CREATE TABLE map_tiles (
    key TEXT PRIMARY KEY,                      -- "z/x/y <tile server URL pattern>"
    content_type TEXT NOT NULL,
    data BLOB NOT NULL,
    fetched_at INTEGER NOT NULL
);
CREATE INDEX map_tiles_by_age ON map_tiles (fetched_at);

CREATE TABLE user_pictures (
    user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    content_type TEXT NOT NULL,
    data BLOB NOT NULL,
    updated_at INTEGER NOT NULL
);
