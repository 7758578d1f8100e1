//! Workouts entered by hand (`POST /api/workouts/no_gpx`).

use super::{
    DESCRIPTION_MAX, TITLE_MAX, WorkoutError, WorkoutFields, bookkeeping, check_limits, chosen_equipment,
    default_title, default_visibilities, sport, text,
};
use crate::accounts::user::User;
use crate::shortid;
use crate::sports;
use crate::store::{Db, workouts as store};
use crate::workouts::{Measures, Workout};

pub struct ManualWorkout {
    pub sport_id: i64,
    /// `YYYY-MM-DD HH:MM` in the user's time zone.
    pub workout_date: String,
    /// Seconds, above 0.
    pub duration: f64,
    /// km, 0 or more.
    pub distance: f64,
    /// Both or neither, 0 or more.
    pub ascent: Option<f64>,
    pub descent: Option<f64>,
    pub calories: Option<f64>,
    pub fields: WorkoutFields,
}

/// `YYYY-MM-DD HH:MM` in the user's time zone, as Unix seconds.
pub fn local_date_time(text: &str, timezone: &str) -> Result<i64, WorkoutError> {
    let civil = jiff::civil::DateTime::strptime("%Y-%m-%d %H:%M", text).map_err(|_| WorkoutError::InvalidDate)?;
    let zone = jiff::tz::TimeZone::get(timezone).map_err(|_| WorkoutError::InvalidDate)?;
    Ok(zone.to_timestamp(civil).map_err(|_| WorkoutError::InvalidDate)?.as_second())
}

/// `ascent` and `descent`: both or neither, not negative; none for sports
/// without elevation.
pub(super) fn climb(
    ascent: Option<f64>,
    descent: Option<f64>,
    sport_id: i64,
) -> Result<(Option<f64>, Option<f64>), WorkoutError> {
    match (ascent, descent) {
        (None, None) => Ok((None, None)),
        (Some(a), Some(d)) if a >= 0.0 && d >= 0.0 => {
            let keep = sports::info(sport_id).elevation;
            Ok((Some(a).filter(|_| keep), Some(d).filter(|_| keep)))
        }
        _ => Err(WorkoutError::InvalidClimb),
    }
}

/// Speeds of a manual workout: its distance over its duration.
pub(super) fn manual_measures(duration: f64, distance: f64, ascent: Option<f64>, descent: Option<f64>) -> Measures {
    let speed = (duration > 0.0).then(|| distance / (duration / 3600.0));
    Measures {
        duration,
        moving: duration,
        pauses: 0.0,
        distance,
        ascent,
        descent,
        ave_speed: speed,
        max_speed: speed,
        ..Measures::default()
    }
}

pub fn create_manual(db: &mut Db<'_>, user: &User, new: &ManualWorkout, now: i64) -> Result<Workout, WorkoutError> {
    let sport = sport(db, user.id, new.sport_id, true)?;
    let workout_date = local_date_time(&new.workout_date, &user.prefs.timezone)?;
    let (ascent, descent) = climb(new.ascent, new.descent, sport.sport.id)?;
    let measures = manual_measures(new.duration, new.distance, ascent, descent);
    check_limits(&measures, new.calories)?;
    let fields = &new.fields;
    let workout = Workout {
        id: 0,
        short_id: shortid::new(),
        user_id: user.id,
        sport_id: sport.sport.id,
        title: text(&fields.title, TITLE_MAX)
            .unwrap_or_else(|| default_title(&sport.sport.label, workout_date, &user.prefs.timezone)),
        description: text(&fields.description, DESCRIPTION_MAX),
        notes: super::notes(&fields.notes),
        workout_date,
        measures,
        calories: new.calories,
        start: None,
        bounds: None,
        source: None,
        visibility: fields.visibility.over(default_visibilities(user)),
        created_at: now,
        modified_at: None,
        file_name: None,
        map_id: None,
    };
    db.write(|tx| {
        let equipment = chosen_equipment(tx, user.id, workout.sport_id, &fields.equipment_ids)?;
        let id = store::insert(tx, &workout)?;
        bookkeeping::created(tx, &Workout { id, ..workout.clone() }, &equipment)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_dates_are_in_the_users_time_zone() {
        assert_eq!(local_date_time("2024-01-15 08:30", "Europe/Paris").unwrap(), 1_705_303_800);
        assert_eq!(local_date_time("2024-01-15 08:30", "UTC").unwrap(), 1_705_307_400);
        assert!(local_date_time("15/01/2024", "UTC").is_err());
    }

    #[test]
    fn climbs_come_in_pairs() {
        assert_eq!(climb(Some(10.0), Some(5.0), 5).unwrap(), (Some(10.0), Some(5.0)));
        assert_eq!(climb(Some(10.0), Some(5.0), 11).unwrap(), (None, None), "rowing has no elevation");
        assert!(climb(Some(10.0), None, 5).is_err() && climb(Some(-1.0), Some(1.0), 5).is_err());
    }
}
