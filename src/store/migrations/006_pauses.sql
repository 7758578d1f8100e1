-- Pauses as FitTrackee counts them: to the second from the file's exact
-- times. Derived as duration − moving they can be a second off (each of
-- those is cut to the second first). Earlier rows keep the derived value.
ALTER TABLE workouts ADD COLUMN pauses REAL NOT NULL DEFAULT 0;
ALTER TABLE workout_segments ADD COLUMN pauses REAL NOT NULL DEFAULT 0;
UPDATE workouts SET pauses = max(duration - moving, 0);
UPDATE workout_segments SET pauses = max(duration - moving, 0);
