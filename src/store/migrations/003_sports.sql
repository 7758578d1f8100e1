-- Sports, with FitTrackee's default ids and labels (clients hard-code both),
-- and each user's preferences for them.

CREATE TABLE sports (
    id INTEGER PRIMARY KEY,
    label TEXT NOT NULL UNIQUE,
    is_active INTEGER NOT NULL DEFAULT 1,
    stopped_speed_threshold REAL NOT NULL,      -- km/h: slower counts as a pause
    pace_speed_display TEXT NOT NULL DEFAULT 'speed'
);

INSERT INTO sports (id, label, stopped_speed_threshold, pace_speed_display) VALUES
    (1, 'Cycling (Sport)', 1, 'speed'),
    (2, 'Cycling (Transport)', 1, 'speed'),
    (3, 'Hiking', 0.1, 'pace'),
    (4, 'Mountain Biking', 1, 'speed'),
    (5, 'Running', 1, 'pace'),
    (6, 'Walking', 0.1, 'pace'),
    (7, 'Mountain Biking (Electric)', 1, 'speed'),
    (8, 'Trail', 0.1, 'pace'),
    (9, 'Skiing (Alpine)', 1, 'speed'),
    (10, 'Skiing (Cross Country)', 0.1, 'speed'),
    (11, 'Rowing', 1, 'speed'),
    (12, 'Snowshoes', 0.1, 'speed'),
    (13, 'Cycling (Virtual)', 1, 'speed'),
    (14, 'Mountaineering', 0.1, 'speed'),
    (15, 'Paragliding', 0.1, 'speed'),
    (16, 'Open Water Swimming', 0.1, 'speed'),
    (17, 'Cycling (Trekking)', 1, 'speed'),
    (18, 'Swimrun', 0.1, 'speed'),
    (19, 'Kayaking', 1, 'speed'),
    (20, 'Canoeing', 1, 'speed'),
    (21, 'Halfbike', 1, 'speed'),
    (22, 'Windsurfing', 1, 'speed'),
    (23, 'Standup Paddleboarding', 1, 'speed'),
    (24, 'Tennis (Outdoor)', 0.1, 'speed'),
    (25, 'Padel (Outdoor)', 0.1, 'speed'),
    (26, 'Canoeing (Whitewater)', 1, 'speed'),
    (27, 'Kayaking (Whitewater)', 1, 'speed'),
    (28, 'Ice Skating', 1, 'speed'),
    (29, 'Inline Skating', 1, 'speed');

-- A user's overrides; a row exists once the user changed something.
CREATE TABLE sport_preferences (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    sport_id INTEGER NOT NULL REFERENCES sports (id),
    color TEXT,                                 -- #rrggbb
    is_active INTEGER NOT NULL DEFAULT 1,
    stopped_speed_threshold REAL NOT NULL,
    pace_speed_display TEXT NOT NULL,
    PRIMARY KEY (user_id, sport_id)
) WITHOUT ROWID;
