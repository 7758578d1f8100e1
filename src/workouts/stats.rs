//! Statistics: workouts summed per sport, and per period in the user's time
//! zone (day, week from Sunday or Monday, month, year).

use std::collections::BTreeMap;

use jiff::Timestamp;
use jiff::civil::Weekday;
use jiff::tz::TimeZone;

use super::model::StatRow;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Period {
    Day,
    /// Weeks starting on Sunday.
    Week,
    /// Weeks starting on Monday.
    WeekMonday,
    Month,
    Year,
}

impl Period {
    pub fn parse(name: &str) -> Option<Period> {
        Some(match name {
            "day" => Period::Day,
            "week" => Period::Week,
            "weekm" => Period::WeekMonday,
            "month" => Period::Month,
            "year" => Period::Year,
            _ => return None,
        })
    }

    /// The key of the period holding `at`: `YYYY`, `YYYY-MM`, or the date of
    /// the day or of the week's first day.
    pub fn key(self, at: i64, zone: &TimeZone) -> String {
        let date = Timestamp::from_second(at).unwrap_or(Timestamp::UNIX_EPOCH).to_zoned_datetime(zone.clone()).date();
        let week_start = |first: Weekday| {
            let back = date.weekday().since(first);
            date.checked_sub(jiff::Span::new().days(i64::from(back))).unwrap_or(date)
        };
        match self {
            Period::Year => date.strftime("%Y").to_string(),
            Period::Month => date.strftime("%Y-%m").to_string(),
            Period::Day => date.strftime("%Y-%m-%d").to_string(),
            Period::Week => week_start(Weekday::Sunday).strftime("%Y-%m-%d").to_string(),
            Period::WeekMonday => week_start(Weekday::Monday).strftime("%Y-%m-%d").to_string(),
        }
    }
}

/// Sums over some workouts of one sport.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Sums {
    pub workouts: i64,
    pub distance: f64,
    pub moving: f64,
    pub ascent: Option<f64>,
    pub descent: Option<f64>,
    pub calories: Option<f64>,
    speeds: (f64, i64),
}

impl Sums {
    pub fn add(&mut self, row: &StatRow) {
        let plus = |total: Option<f64>, value: Option<f64>| match (total, value) {
            (t, None) => t,
            (t, Some(v)) => Some(t.unwrap_or(0.0) + v),
        };
        self.workouts += 1;
        self.distance += row.distance;
        self.moving += row.moving;
        self.ascent = plus(self.ascent, row.ascent);
        self.descent = plus(self.descent, row.descent);
        self.calories = plus(self.calories, row.calories);
        if let Some(speed) = row.ave_speed {
            self.speeds = (self.speeds.0 + speed, self.speeds.1 + 1);
        }
    }

    /// The mean of the workouts' average speeds.
    pub fn average_speed(&self) -> Option<f64> {
        (self.speeds.1 > 0).then(|| self.speeds.0 / self.speeds.1 as f64)
    }

    pub fn average(&self, total: f64) -> f64 {
        if self.workouts > 0 { total / self.workouts as f64 } else { 0.0 }
    }

    /// Seconds per km over the moving time and distance.
    pub fn average_pace(&self) -> Option<f64> {
        (self.distance > 0.0).then(|| self.moving / self.distance)
    }
}

pub fn by_sport(rows: &[StatRow]) -> BTreeMap<i64, Sums> {
    let mut sums: BTreeMap<i64, Sums> = BTreeMap::new();
    for row in rows {
        sums.entry(row.sport_id).or_default().add(row);
    }
    sums
}

pub fn by_time(rows: &[StatRow], period: Period, zone: &TimeZone) -> BTreeMap<String, BTreeMap<i64, Sums>> {
    let mut sums: BTreeMap<String, BTreeMap<i64, Sums>> = BTreeMap::new();
    for row in rows {
        sums.entry(period.key(row.workout_date, zone)).or_default().entry(row.sport_id).or_default().add(row);
    }
    sums
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(at: i64, sport_id: i64, distance: f64, ascent: Option<f64>) -> StatRow {
        StatRow {
            workout_date: at,
            sport_id,
            distance,
            moving: 600.0,
            ascent,
            descent: None,
            calories: None,
            ave_speed: Some(10.0),
        }
    }

    #[test]
    fn periods_are_cut_in_the_users_time_zone() {
        let paris = TimeZone::get("Europe/Paris").unwrap();
        // 2024-03-31 23:30 UTC is Monday 1 April 01:30 in Paris.
        let at = 1_711_927_800;
        assert_eq!(Period::Day.key(at, &paris), "2024-04-01");
        assert_eq!(Period::Day.key(at, &TimeZone::UTC), "2024-03-31");
        assert_eq!(Period::Month.key(at, &paris), "2024-04");
        assert_eq!(Period::Year.key(at, &paris), "2024");
        assert_eq!(Period::WeekMonday.key(at, &paris), "2024-04-01");
        assert_eq!(Period::Week.key(at, &paris), "2024-03-31", "weeks from Sunday");
        assert_eq!(Period::parse("fortnight"), None);
    }

    #[test]
    fn sums_per_period_and_sport() {
        let rows = [row(0, 1, 10.0, Some(5.0)), row(60, 1, 5.0, None), row(86_400 * 40, 5, 3.0, None)];
        let months = by_time(&rows, Period::Month, &TimeZone::UTC);
        assert_eq!(months.keys().collect::<Vec<_>>(), vec!["1970-01", "1970-02"]);
        let january = &months["1970-01"][&1];
        assert_eq!((january.workouts, january.distance, january.ascent), (2, 15.0, Some(5.0)));
        assert_eq!(january.average_speed(), Some(10.0));
        assert_eq!(months["1970-02"][&5].ascent, None);
        assert_eq!(by_sport(&rows).len(), 2);
    }
}
