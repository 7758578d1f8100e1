//! Sports as a user sees them (their preferences over the defaults), and the
//! rules for changing those preferences.

use serde_json::{Map, Value};

use crate::store::sports::{Sport, SportPreferences};

/// Sports whose pace can be shown: Hiking, Running, Walking, Trail.
pub const PACE_SPORTS: [i64; 4] = [3, 5, 6, 8];
const PACE_SPEED_DISPLAYS: [&str; 3] = ["speed", "pace", "pace_and_speed"];

pub fn supports_pace(sport_id: i64) -> bool {
    PACE_SPORTS.contains(&sport_id)
}

/// A sport with a user's preferences (the sport's defaults when none were saved).
#[derive(Debug, Clone, PartialEq)]
pub struct UserSport {
    pub sport: Sport,
    pub prefs: SportPreferences,
}

impl UserSport {
    pub fn new(sport: Sport, prefs: Option<SportPreferences>) -> UserSport {
        let prefs = prefs.unwrap_or_else(|| SportPreferences {
            color: None,
            is_active: true,
            stopped_speed_threshold: sport.stopped_speed_threshold,
            pace_speed_display: sport.pace_speed_display.clone(),
        });
        UserSport { sport, prefs }
    }

    pub fn is_active_for_user(&self) -> bool {
        self.sport.is_active && self.prefs.is_active
    }
}

/// `#RGB` or `#RRGGBB` (any case) as `#rrggbb`.
pub fn parse_color(text: &str) -> Option<String> {
    let hex = text.strip_prefix('#')?;
    if !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let full = match hex.len() {
        3 => hex.chars().flat_map(|c| [c, c]).collect(),
        6 => hex.to_string(),
        _ => return None,
    };
    Some(format!("#{}", full.to_ascii_lowercase()))
}

/// Colors go out as integers (0xRRGGBB): clients deserialize `color` as an
/// optional integer and break on a string.
pub fn color_number(color: &str) -> Option<i64> {
    i64::from_str_radix(color.strip_prefix('#')?, 16).ok()
}

/// Why a sport preference change is refused (400 messages).
pub const INVALID_COLOR: &str = "invalid hexadecimal color";
pub const INVALID_THRESHOLD: &str = "'stopped_speed_threshold' must be an integer greater then 0";

/// The preferences after `changes` (keys `color`, `is_active`,
/// `stopped_speed_threshold`, `pace_speed_display`).
pub fn apply_changes(current: &UserSport, changes: &Map<String, Value>) -> Result<SportPreferences, String> {
    let mut prefs = current.prefs.clone();
    if let Some(color) = changes.get("color") {
        prefs.color = match color {
            Value::Null => None,
            Value::String(text) => Some(parse_color(text).ok_or(INVALID_COLOR)?),
            Value::Number(n) => {
                let n = n.as_i64().filter(|n| (0..=0xFF_FFFF).contains(n)).ok_or(INVALID_COLOR)?;
                Some(format!("#{n:06x}"))
            }
            _ => return Err(INVALID_COLOR.into()),
        };
    }
    if let Some(active) = changes.get("is_active") {
        prefs.is_active = active.as_bool().ok_or("invalid payload")?;
    }
    if let Some(threshold) = changes.get("stopped_speed_threshold") {
        prefs.stopped_speed_threshold =
            threshold.as_f64().filter(|t| *t > 0.0 && t.is_finite()).ok_or(INVALID_THRESHOLD)?;
    }
    if let Some(display) = changes.get("pace_speed_display") {
        let display =
            display.as_str().filter(|d| PACE_SPEED_DISPLAYS.contains(d)).ok_or("invalid pace_speed_display")?;
        if display != "speed" && !supports_pace(current.sport.id) {
            return Err(format!(
                "invalid pace_speed_display for sport '{}', only speed can be displayed.",
                current.sport.label
            ));
        }
        prefs.pace_speed_display = display.to_string();
    }
    Ok(prefs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn running() -> UserSport {
        let sport = Sport {
            id: 5,
            label: "Running".into(),
            is_active: true,
            stopped_speed_threshold: 1.0,
            pace_speed_display: "pace".into(),
        };
        UserSport::new(sport, None)
    }

    fn changes(value: Value) -> Map<String, Value> {
        value.as_object().unwrap().clone()
    }

    #[test]
    fn colors_are_normalized_and_sent_as_numbers() {
        assert_eq!(parse_color("#AbC").as_deref(), Some("#aabbcc"));
        assert_eq!(parse_color("#0f0f0F").as_deref(), Some("#0f0f0f"));
        for bad in ["0f0f0f", "#0f0f0", "#ggg", "#", ""] {
            assert_eq!(parse_color(bad), None, "{bad}");
        }
        assert_eq!(color_number("#ff0000"), Some(0xff0000));
    }

    #[test]
    fn changes_are_checked_with_fittrackee_messages() {
        let sport = running();
        let p = apply_changes(
            &sport,
            &changes(json!({"color": "#123", "stopped_speed_threshold": 0.5, "is_active": false})),
        )
        .unwrap();
        assert_eq!((p.color.as_deref(), p.stopped_speed_threshold, p.is_active), (Some("#112233"), 0.5, false));
        assert_eq!(apply_changes(&sport, &changes(json!({"color": "red"}))), Err(INVALID_COLOR.into()));
        assert_eq!(
            apply_changes(&sport, &changes(json!({"stopped_speed_threshold": 0}))),
            Err(INVALID_THRESHOLD.into())
        );
        assert_eq!(
            apply_changes(&sport, &changes(json!({"pace_speed_display": "pace_and_speed"})))
                .unwrap()
                .pace_speed_display,
            "pace_and_speed"
        );
        let mut cycling = running();
        cycling.sport.id = 1;
        cycling.sport.label = "Cycling (Sport)".into();
        assert_eq!(
            apply_changes(&cycling, &changes(json!({"pace_speed_display": "pace"}))),
            Err("invalid pace_speed_display for sport 'Cycling (Sport)', only speed can be displayed.".into())
        );
    }
}
