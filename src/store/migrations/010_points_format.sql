-- The format of each workout's stored points, beside the blob: finding the
-- workouts whose points must be computed again (at every start) then reads
-- an index, not every blob (80 rides of 10,000 points: 100 ms of start-up).
ALTER TABLE workout_points ADD COLUMN format INTEGER NOT NULL DEFAULT 1;
UPDATE workout_points SET format = 2 WHERE substr(points, 1, 4) = CAST('FTP2' AS BLOB);
CREATE INDEX workout_points_format ON workout_points (workout_id, format);
