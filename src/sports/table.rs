//! FitTrackee's 29 sports, with what each one's workouts have: the seed
//! migration (`003_sports.sql`) is checked against this table by a test.

/// Cadence in revolutions per minute (pedals, strokes) or in steps per
/// minute (files count one foot: shown doubled).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cadence {
    Rpm,
    Spm,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SportInfo {
    pub id: i64,
    pub label: &'static str,
    /// km/h: slower counts as a pause (the default of user preferences).
    pub stopped_speed_threshold: f64,
    /// Whether its speed can be shown as a pace (and is by default).
    pub pace: bool,
    /// Whether elevation means something (not on flat water, ice or courts).
    pub elevation: bool,
    pub cadence: Option<Cadence>,
    pub power: bool,
    /// Equipment types that fit it (Misc fits every sport).
    pub equipment_types: &'static [i64],
}

const fn sport(
    id: i64,
    label: &'static str,
    stopped_speed_threshold: f64,
    cadence: Option<Cadence>,
    equipment_types: &'static [i64],
) -> SportInfo {
    SportInfo {
        id,
        label,
        stopped_speed_threshold,
        pace: false,
        elevation: true,
        cadence,
        power: false,
        equipment_types,
    }
}

const fn with_pace(mut sport: SportInfo) -> SportInfo {
    sport.pace = true;
    sport
}

const fn with_power(mut sport: SportInfo) -> SportInfo {
    sport.power = true;
    sport
}

const fn flat(mut sport: SportInfo) -> SportInfo {
    sport.elevation = false;
    sport
}

use Cadence::{Rpm, Spm};

// Equipment types: 1 Shoes, 2 Bike, 3 Bike Trainer, 4 Kayak_Boat, 5 Skis,
// 6 Snowshoes, 7 Board, 8 Racket, 9 Paddle, 10 Misc, 11 Skates.
pub const SPORTS: [SportInfo; 29] = [
    with_power(sport(1, "Cycling (Sport)", 1.0, Some(Rpm), &[1, 2])),
    with_power(sport(2, "Cycling (Transport)", 1.0, Some(Rpm), &[1, 2])),
    with_pace(sport(3, "Hiking", 0.1, Some(Spm), &[1])),
    with_power(sport(4, "Mountain Biking", 1.0, Some(Rpm), &[1, 2])),
    with_pace(sport(5, "Running", 1.0, Some(Spm), &[1])),
    with_pace(sport(6, "Walking", 0.1, Some(Spm), &[1])),
    with_power(sport(7, "Mountain Biking (Electric)", 1.0, Some(Rpm), &[1, 2])),
    with_pace(sport(8, "Trail", 0.1, Some(Spm), &[1])),
    sport(9, "Skiing (Alpine)", 1.0, None, &[5]),
    sport(10, "Skiing (Cross Country)", 0.1, None, &[5]),
    flat(sport(11, "Rowing", 1.0, None, &[4, 9])),
    sport(12, "Snowshoes", 0.1, Some(Spm), &[6]),
    with_power(sport(13, "Cycling (Virtual)", 1.0, Some(Rpm), &[3])),
    sport(14, "Mountaineering", 0.1, Some(Spm), &[1]),
    sport(15, "Paragliding", 0.1, None, &[]),
    flat(sport(16, "Open Water Swimming", 0.1, Some(Rpm), &[])),
    with_power(sport(17, "Cycling (Trekking)", 1.0, Some(Rpm), &[1, 2])),
    sport(18, "Swimrun", 0.1, None, &[1]),
    flat(sport(19, "Kayaking", 1.0, None, &[4, 9])),
    flat(sport(20, "Canoeing", 1.0, None, &[4, 9])),
    with_power(sport(21, "Halfbike", 1.0, Some(Rpm), &[1, 2])),
    sport(22, "Windsurfing", 1.0, None, &[7]),
    flat(sport(23, "Standup Paddleboarding", 1.0, None, &[7, 9])),
    flat(sport(24, "Tennis (Outdoor)", 0.1, None, &[1, 8])),
    flat(sport(25, "Padel (Outdoor)", 0.1, None, &[1, 8])),
    sport(26, "Canoeing (Whitewater)", 1.0, None, &[4, 9]),
    sport(27, "Kayaking (Whitewater)", 1.0, None, &[4, 9]),
    flat(sport(28, "Ice Skating", 1.0, None, &[11])),
    sport(29, "Inline Skating", 1.0, None, &[11]),
];

/// What the table says of a sport; an unknown id (only a database edited
/// by hand has one) has elevation and nothing else.
pub fn info(sport_id: i64) -> SportInfo {
    SPORTS.iter().find(|s| s.id == sport_id).copied().unwrap_or(sport(sport_id, "", 1.0, None, &[]))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The seed rows of the migration: `(id, 'label', threshold, 'display')`.
    fn seeded() -> Vec<(i64, String, f64, String)> {
        let sql = include_str!("../store/migrations/003_sports.sql");
        sql.lines()
            .map(str::trim)
            .filter_map(|line| line.strip_prefix('(').map(|l| l.trim_end_matches([',', ';']).trim_end_matches(')')))
            .filter_map(|row| {
                let (id, rest) = row.split_once(", '")?;
                let (label, rest) = rest.split_once("', ")?;
                let (threshold, display) = rest.split_once(", ")?;
                Some((id.parse().ok()?, label.to_string(), threshold.parse().ok()?, display.trim_matches('\'').into()))
            })
            .collect()
    }

    #[test]
    fn the_seed_migration_matches_the_table() {
        let rows = seeded();
        assert_eq!(rows.len(), SPORTS.len());
        for ((id, label, threshold, display), sport) in rows.iter().zip(SPORTS) {
            assert_eq!((*id, label.as_str(), *threshold), (sport.id, sport.label, sport.stopped_speed_threshold));
            assert_eq!(display == "pace", sport.pace, "{label}");
        }
    }

    #[test]
    fn traits_follow_fittrackee() {
        let with = |f: fn(&SportInfo) -> bool| SPORTS.iter().filter(|s| f(s)).map(|s| s.id).collect::<Vec<_>>();
        assert_eq!(with(|s| !s.elevation), [11, 16, 19, 20, 23, 24, 25, 28]);
        assert_eq!(with(|s| s.cadence == Some(Cadence::Rpm)), [1, 2, 4, 7, 13, 16, 17, 21]);
        assert_eq!(with(|s| s.cadence == Some(Cadence::Spm)), [3, 5, 6, 8, 12, 14]);
        assert_eq!(with(|s| s.power), [1, 2, 4, 7, 13, 17, 21]);
        assert_eq!(with(|s| s.pace), [3, 5, 6, 8]);
        assert_eq!(with(|s| s.equipment_types.contains(&2)), [1, 2, 4, 7, 17, 21], "bikes");
        assert!(info(99).elevation && info(99).cadence.is_none());
    }
}
