//! Sports as a user sees them (their preferences over the defaults), and the
//! rules for changing those preferences.

pub mod table;

use std::fmt;

pub use table::{Cadence, SportInfo, info};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpeedDisplay {
    Speed,
    Pace,
    PaceAndSpeed,
}

impl SpeedDisplay {
    pub fn name(self) -> &'static str {
        match self {
            SpeedDisplay::Speed => "speed",
            SpeedDisplay::Pace => "pace",
            SpeedDisplay::PaceAndSpeed => "pace_and_speed",
        }
    }

    pub fn parse(name: &str) -> Option<SpeedDisplay> {
        [SpeedDisplay::Speed, SpeedDisplay::Pace, SpeedDisplay::PaceAndSpeed].into_iter().find(|d| d.name() == name)
    }

    pub fn shows_speed(self) -> bool {
        self != SpeedDisplay::Pace
    }

    pub fn shows_pace(self) -> bool {
        self != SpeedDisplay::Speed
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Sport {
    pub id: i64,
    pub label: String,
    pub is_active: bool,
    pub stopped_speed_threshold: f64,
    pub pace_speed_display: SpeedDisplay,
}

impl Sport {
    pub fn info(&self) -> SportInfo {
        info(self.id)
    }
}

/// A user's overrides for one sport.
#[derive(Debug, Clone, PartialEq)]
pub struct SportPreferences {
    /// `#rrggbb`.
    pub color: Option<String>,
    pub is_active: bool,
    pub stopped_speed_threshold: f64,
    pub pace_speed_display: SpeedDisplay,
}

/// A sport with a user's preferences (the sport's defaults when none were saved).
#[derive(Debug, Clone, PartialEq)]
pub struct UserSport {
    pub sport: Sport,
    pub prefs: SportPreferences,
}

impl UserSport {
    pub fn new(sport: Sport, prefs: Option<SportPreferences>) -> UserSport {
        let prefs = prefs.unwrap_or(SportPreferences {
            color: None,
            is_active: true,
            stopped_speed_threshold: sport.stopped_speed_threshold,
            pace_speed_display: sport.pace_speed_display,
        });
        UserSport { sport, prefs }
    }

    pub fn is_active_for_user(&self) -> bool {
        self.sport.is_active && self.prefs.is_active
    }

    /// How this user shows the sport's speed (sports without a pace: speed).
    pub fn display(&self) -> SpeedDisplay {
        if self.sport.info().pace { self.prefs.pace_speed_display } else { SpeedDisplay::Speed }
    }
}

/// `#RGB` or `#RRGGBB` (any case), kept as written (FitTrackee stores and
/// serves the color as the client sent it).
pub fn parse_color(text: &str) -> Option<String> {
    let hex = text.strip_prefix('#')?;
    let valid = matches!(hex.len(), 3 | 6) && hex.chars().all(|c| c.is_ascii_hexdigit());
    valid.then(|| text.to_string())
}

/// A color given as a number (`0xRRGGBB`), as `#rrggbb`.
pub fn color_of_number(number: i64) -> Option<String> {
    (0..=0xFF_FFFF).contains(&number).then(|| format!("#{number:06x}"))
}

/// A user's change to their preferences for a sport; `None` keeps the value.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SportChange {
    /// `Some(None)` clears the color; a text must be `#RGB` or `#RRGGBB`.
    pub color: Option<Option<String>>,
    pub is_active: Option<bool>,
    pub stopped_speed_threshold: Option<f64>,
    pub pace_speed_display: Option<SpeedDisplay>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SportError {
    NotFound,
    InvalidColor,
    InvalidThreshold,
    InvalidDisplay,
    /// This sport shows speed only (its label).
    PaceNotSupported(String),
}

impl fmt::Display for SportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SportError::NotFound => f.write_str("sport does not exist"),
            SportError::InvalidColor => f.write_str("invalid hexadecimal color"),
            SportError::InvalidThreshold => f.write_str("'stopped_speed_threshold' must be an integer greater then 0"),
            SportError::InvalidDisplay => f.write_str("invalid pace_speed_display"),
            SportError::PaceNotSupported(label) => {
                write!(f, "invalid pace_speed_display for sport '{label}', only speed can be displayed.")
            }
        }
    }
}

/// The preferences after `change`.
pub fn apply_change(current: &UserSport, change: &SportChange) -> Result<SportPreferences, SportError> {
    let mut prefs = current.prefs.clone();
    if let Some(color) = &change.color {
        prefs.color = match color {
            None => None,
            Some(text) => Some(parse_color(text).ok_or(SportError::InvalidColor)?),
        };
    }
    if let Some(active) = change.is_active {
        prefs.is_active = active;
    }
    if let Some(threshold) = change.stopped_speed_threshold {
        if !(threshold > 0.0 && threshold.is_finite()) {
            return Err(SportError::InvalidThreshold);
        }
        prefs.stopped_speed_threshold = threshold;
    }
    if let Some(display) = change.pace_speed_display {
        if display != SpeedDisplay::Speed && !current.sport.info().pace {
            return Err(SportError::PaceNotSupported(current.sport.label.clone()));
        }
        prefs.pace_speed_display = display;
    }
    Ok(prefs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn running() -> UserSport {
        let sport = Sport {
            id: 5,
            label: "Running".into(),
            is_active: true,
            stopped_speed_threshold: 1.0,
            pace_speed_display: SpeedDisplay::Pace,
        };
        UserSport::new(sport, None)
    }

    #[test]
    fn colors_are_checked_and_kept_as_written() {
        assert_eq!(parse_color("#AbC").as_deref(), Some("#AbC"));
        assert_eq!(parse_color("#0f0f0F").as_deref(), Some("#0f0f0F"));
        for bad in ["0f0f0f", "#0f0f0", "#ggg", "#", ""] {
            assert_eq!(parse_color(bad), None, "{bad}");
        }
        assert_eq!(color_of_number(0xff0000).as_deref(), Some("#ff0000"));
        assert_eq!(color_of_number(0x1000000), None);
    }

    #[test]
    fn changes_are_checked_with_fittrackee_messages() {
        let sport = running();
        let change = SportChange {
            color: Some(Some("#123".into())),
            stopped_speed_threshold: Some(0.5),
            is_active: Some(false),
            ..SportChange::default()
        };
        let p = apply_change(&sport, &change).unwrap();
        assert_eq!((p.color.as_deref(), p.stopped_speed_threshold, p.is_active), (Some("#123"), 0.5, false));
        let red = SportChange { color: Some(Some("red".into())), ..SportChange::default() };
        assert_eq!(apply_change(&sport, &red), Err(SportError::InvalidColor));
        let zero = SportChange { stopped_speed_threshold: Some(0.0), ..SportChange::default() };
        assert_eq!(
            apply_change(&sport, &zero).unwrap_err().to_string(),
            "'stopped_speed_threshold' must be an integer greater then 0"
        );
        let both = SportChange { pace_speed_display: Some(SpeedDisplay::PaceAndSpeed), ..SportChange::default() };
        assert_eq!(apply_change(&sport, &both).unwrap().pace_speed_display, SpeedDisplay::PaceAndSpeed);
        let mut cycling = running();
        cycling.sport.id = 1;
        cycling.sport.label = "Cycling (Sport)".into();
        let pace = SportChange { pace_speed_display: Some(SpeedDisplay::Pace), ..SportChange::default() };
        assert_eq!(
            apply_change(&cycling, &pace).unwrap_err().to_string(),
            "invalid pace_speed_display for sport 'Cycling (Sport)', only speed can be displayed."
        );
        assert_eq!(cycling.display(), SpeedDisplay::Speed, "no pace for cycling, whatever is stored");
    }
}
