//! Measures and dates as the signed-in user reads them: kilometres or
//! miles, metres or feet, speed or pace, their time zone and date format.

use crate::accounts::user::Preferences;
use crate::sports::SpeedDisplay;
use crate::web::svg::clock;

const KM_PER_MILE: f64 = 1.609344;
const FEET_PER_METRE: f64 = 3.280839895;

/// The date formats offered (FitTrackee's, in its client's notation).
pub const DATE_FORMATS: &[(&str, &str)] = &[
    ("MM/dd/yyyy", "%m/%d/%Y"),
    ("dd/MM/yyyy", "%d/%m/%Y"),
    ("yyyy-MM-dd", "%Y-%m-%d"),
    ("dd.MM.yyyy", "%d.%m.%Y"),
    ("date_string", "%B %-d, %Y"),
];

#[derive(Debug, Clone)]
pub struct Reader {
    pub imperial: bool,
    zone: jiff::tz::TimeZone,
    date_pattern: &'static str,
}

impl Reader {
    pub fn of(prefs: &Preferences) -> Reader {
        Reader {
            imperial: prefs.imperial_units,
            zone: jiff::tz::TimeZone::get(&prefs.timezone).unwrap_or(jiff::tz::TimeZone::UTC),
            date_pattern: DATE_FORMATS.iter().find(|(name, _)| *name == prefs.date_format).map_or("%Y-%m-%d", |f| f.1),
        }
    }

    /// For visitors: metric, UTC, ISO dates.
    pub fn visitor() -> Reader {
        Reader { imperial: false, zone: jiff::tz::TimeZone::UTC, date_pattern: "%Y-%m-%d" }
    }

    pub fn distance_unit(&self) -> &'static str {
        if self.imperial { "mi" } else { "km" }
    }

    pub fn elevation_unit(&self) -> &'static str {
        if self.imperial { "ft" } else { "m" }
    }

    /// Kilometres in the user's unit.
    pub fn distance_value(&self, km: f64) -> f64 {
        if self.imperial { km / KM_PER_MILE } else { km }
    }

    pub fn elevation_value(&self, metres: f64) -> f64 {
        if self.imperial { metres * FEET_PER_METRE } else { metres }
    }

    /// A distance typed in the user's unit, in kilometres.
    pub fn km_of(&self, typed: f64) -> f64 {
        if self.imperial { typed * KM_PER_MILE } else { typed }
    }

    /// An elevation typed in the user's unit, in metres.
    pub fn metres_of(&self, typed: f64) -> f64 {
        if self.imperial { typed / FEET_PER_METRE } else { typed }
    }

    pub fn distance(&self, km: f64) -> String {
        format!("{:.2} {}", self.distance_value(km), self.distance_unit())
    }

    pub fn elevation(&self, metres: f64) -> String {
        format!("{:.0} {}", self.elevation_value(metres), self.elevation_unit())
    }

    pub fn speed(&self, km_h: f64) -> String {
        format!("{:.1} {}/h", self.distance_value(km_h), self.distance_unit())
    }

    /// Seconds per kilometre or mile at this speed; `None` when standing.
    pub fn pace_value(&self, km_h: f64) -> Option<f64> {
        (km_h > 0.0).then(|| 3600.0 / self.distance_value(km_h))
    }

    pub fn pace(&self, km_h: f64) -> String {
        self.pace_value(km_h).map_or("–".into(), |s| format!("{} min/{}", clock(s), self.distance_unit()))
    }

    /// A speed as the sport shows it: speed, pace, or both.
    pub fn speed_as(&self, display: SpeedDisplay, km_h: f64) -> String {
        match display {
            SpeedDisplay::Speed => self.speed(km_h),
            SpeedDisplay::Pace => self.pace(km_h),
            SpeedDisplay::PaceAndSpeed => format!("{} ({})", self.pace(km_h), self.speed(km_h)),
        }
    }

    fn zoned(&self, at: i64) -> Option<jiff::ZonedDateTime> {
        jiff::Timestamp::from_second(at).ok().map(|t| t.to_zoned_datetime(self.zone.clone()))
    }

    pub fn date(&self, at: i64) -> String {
        self.zoned(at).map(|z| z.strftime(self.date_pattern).to_string()).unwrap_or_default()
    }

    pub fn date_time(&self, at: i64) -> String {
        self.zoned(at).map(|z| format!("{} {}", z.strftime(self.date_pattern), z.strftime("%H:%M"))).unwrap_or_default()
    }

    /// The ISO date of `at` in the user's zone (form fields, links).
    pub fn iso_date(&self, at: i64) -> String {
        self.zoned(at).map(|z| z.strftime("%Y-%m-%d").to_string()).unwrap_or_default()
    }

    pub fn zone(&self) -> &jiff::tz::TimeZone {
        &self.zone
    }
}

/// A duration in seconds as `h:mm:ss` (always with hours, as FitTrackee).
pub fn duration(seconds: f64) -> String {
    let total = seconds.max(0.0).round() as i64;
    format!("{}:{:02}:{:02}", total / 3600, total / 60 % 60, total % 60)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::profile::tests::defaults as default_preferences;

    fn reader(imperial: bool, zone: &str, format: &str) -> Reader {
        let mut prefs = default_preferences();
        (prefs.imperial_units, prefs.timezone, prefs.date_format) = (imperial, zone.into(), format.into());
        Reader::of(&prefs)
    }

    #[test]
    fn metric_and_imperial_measures() {
        let metric = reader(false, "Europe/Paris", "dd/MM/yyyy");
        assert_eq!(
            (metric.distance(10.0), metric.elevation(100.4), metric.speed(12.0)),
            ("10.00 km".into(), "100 m".into(), "12.0 km/h".into())
        );
        assert_eq!(metric.pace(12.0), "5:00 min/km");
        assert_eq!(metric.pace(0.0), "–");
        let imperial = reader(true, "UTC", "MM/dd/yyyy");
        assert_eq!((imperial.distance(16.09344), imperial.elevation(100.0)), ("10.00 mi".into(), "328 ft".into()));
        assert_eq!(imperial.pace(16.09344), "6:00 min/mi");
        assert_eq!(imperial.speed_as(SpeedDisplay::PaceAndSpeed, 16.09344), "6:00 min/mi (10.0 mi/h)");
        assert_eq!(duration(3725.4), "1:02:05");
        assert!((imperial.km_of(10.0) - 16.09344).abs() < 1e-9 && (imperial.metres_of(328.084) - 100.0).abs() < 1e-3);
        assert_eq!((metric.km_of(5.0), metric.metres_of(7.0)), (5.0, 7.0));
    }

    #[test]
    fn dates_in_the_users_zone_and_format() {
        let at = 1_714_546_800; // 2024-05-01T07:00:00Z
        assert_eq!(reader(false, "Europe/Paris", "dd/MM/yyyy").date_time(at), "01/05/2024 09:00");
        assert_eq!(reader(false, "America/New_York", "MM/dd/yyyy").date_time(at), "05/01/2024 03:00");
        assert_eq!(reader(false, "Pacific/Kiritimati", "date_string").date(at), "May 1, 2024");
        assert_eq!(reader(false, "UTC", "nonsense").date(at), "2024-05-01");
        assert_eq!(reader(false, "Asia/Tokyo", "yyyy-MM-dd").iso_date(at - 8 * 3600 + 5 * 3600), "2024-05-01");
    }
}
