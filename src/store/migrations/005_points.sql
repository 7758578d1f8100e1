-- What a workout's file says point by point (positions, elevation, speed,
-- heart rate, cadence, power), computed at upload and on refresh so that
-- charts, maps and downloads never read the file again. One compact blob
-- per workout (see store/points.rs).
CREATE TABLE workout_points (
    workout_id INTEGER PRIMARY KEY REFERENCES workouts (id) ON DELETE CASCADE,
    points BLOB NOT NULL
);
