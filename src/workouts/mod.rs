//! Workouts: created from files or by hand, changed, deleted, refreshed
//! from their file. Each change is one transaction that also keeps the
//! user's records, per-sport totals and equipment totals current.

pub mod analysis;
mod bookkeeping;
mod change;
mod from_file;
mod manual;
pub mod model;
pub mod stats;
pub mod tasks;
pub mod track;
pub mod upload;

use std::fmt;

use rusqlite::Connection;

pub use analysis::track_of;
pub use bookkeeping::delete;
pub use change::{ManualChange, WorkoutChange, update};
pub use from_file::{refresh, store_missing_points};
pub use manual::{ManualWorkout, create_manual, local_date_time};
pub use model::{
    Aggregate, FileUpload, Measure, Measures, Record, RecordType, RequestedVisibilities, Segment, SportTotals, StatRow,
    TaskStatus, UploadTask, Visibilities, Workout, WorkoutFields, WorkoutFilter, WorkoutOrder,
};
pub use track::{Point, Track};
pub use upload::{Uploaded, upload};

use crate::accounts::user::User;
use crate::equipments::{self, EquipmentError};
use crate::files::FileError;
use crate::files::archive::ArchiveError;
use crate::sports::{self, UserSport};
use crate::store::{self, equipments as stored_equipments};
use analysis::TrackError;

#[derive(Debug)]
pub enum WorkoutError {
    /// The sport does not exist (FitTrackee words it one way at creation,
    /// another on a change).
    UnknownSport {
        id: i64,
        creating: bool,
    },
    File(FileError),
    Archive(ArchiveError),
    Track(TrackError),
    /// A file over `max_single_file_size` (its size and the limit, bytes).
    FileTooLarge {
        size: u64,
        limit: u64,
    },
    ExceedsLimits,
    InvalidDate,
    InvalidClimb,
    /// Keys that do not apply to this kind of workout (sorted).
    WrongKeys {
        keys: Vec<&'static str>,
        with_file: bool,
    },
    ElevationSourceWithoutFile,
    InvalidElevationSource(String),
    Equipment(EquipmentError),
    /// The user's previous archive is still being processed.
    OngoingTask,
    Store(store::Error),
}

pub const LIMITS_MESSAGE: &str = "one or more values, entered or calculated, exceed the limits";

impl fmt::Display for WorkoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WorkoutError::UnknownSport { id, creating: true } => write!(f, "Sport id: {id} does not exist"),
            WorkoutError::UnknownSport { id, creating: false } => write!(f, "sport id {id} not found"),
            WorkoutError::File(e) => e.fmt(f),
            WorkoutError::Archive(e) => e.fmt(f),
            WorkoutError::Track(e) => e.fmt(f),
            WorkoutError::FileTooLarge { size, limit } => write!(
                f,
                "Error during workout upload, file size ({}) exceeds {}.",
                crate::numbers::readable_size(*size),
                crate::numbers::readable_size(*limit)
            ),
            WorkoutError::ExceedsLimits => f.write_str(LIMITS_MESSAGE),
            WorkoutError::InvalidDate => f.write_str("invalid format for workout date"),
            WorkoutError::InvalidClimb => f.write_str("invalid ascent or descent"),
            WorkoutError::WrongKeys { keys, with_file } => {
                let quoted: Vec<String> = keys.iter().map(|k| format!("'{k}'")).collect();
                let noun = if keys.len() == 1 { "key" } else { "keys" };
                let kind = if *with_file { "with file" } else { "without file" };
                write!(f, "invalid {noun} ({}) for workout {kind}", quoted.join(", "))
            }
            WorkoutError::ElevationSourceWithoutFile => {
                f.write_str("'elevation_data_source' can not be provided for workout without file")
            }
            WorkoutError::InvalidElevationSource(source) => {
                write!(f, "'{source}' as elevation data source is not valid")
            }
            WorkoutError::Equipment(e) => e.fmt(f),
            WorkoutError::OngoingTask => f.write_str("ongoing upload task exists"),
            WorkoutError::Store(e) => e.fmt(f),
        }
    }
}

impl From<store::Error> for WorkoutError {
    fn from(e: store::Error) -> Self {
        WorkoutError::Store(e)
    }
}

impl From<EquipmentError> for WorkoutError {
    fn from(e: EquipmentError) -> Self {
        WorkoutError::Equipment(e)
    }
}

/// A user's default visibilities for new workouts.
fn default_visibilities(user: &User) -> Visibilities {
    let p = &user.prefs;
    Visibilities { workout: p.workouts_visibility, analysis: p.analysis_visibility, map: p.map_visibility }
}

/// The sport and the user's preferences for it.
fn sport(conn: &Connection, user_id: i64, sport_id: i64, creating: bool) -> Result<UserSport, WorkoutError> {
    let (sport, prefs) = store::sports::one(conn, sport_id, Some(user_id))?
        .ok_or(WorkoutError::UnknownSport { id: sport_id, creating })?;
    Ok(UserSport::new(sport, prefs))
}

/// Text fields are kept to FitTrackee's column sizes; empty ones are none.
fn text(value: &Option<String>, max: usize) -> Option<String> {
    value.as_ref().map(|s| s.chars().take(max).collect::<String>()).filter(|s| !s.trim().is_empty())
}

/// Notes as sent, cut to FitTrackee's size: `""` stays `""` (FitTrackee
/// keeps it; only an absent value is none).
fn notes(value: &Option<String>) -> Option<String> {
    value.as_ref().map(|s| s.chars().take(NOTES_MAX).collect())
}

const TITLE_MAX: usize = 255;
const DESCRIPTION_MAX: usize = 10_000;
const NOTES_MAX: usize = 500;

/// The measures as stored for a sport (elevation only where it means something).
fn for_sport(mut m: Measures, sport_id: i64) -> Measures {
    if !sports::info(sport_id).elevation {
        (m.min_alt, m.max_alt, m.ascent, m.descent) = (None, None, None, None);
    }
    m
}

/// FitTrackee's column limits.
fn check_limits(m: &Measures, calories: Option<f64>) -> Result<(), WorkoutError> {
    let within = |value: Option<f64>, max: f64| value.is_none_or(|v| v.abs() <= max);
    let ok = within(Some(m.distance), 999.999)
        && within(Some(m.duration), 2_147_483_647.0)
        && within(Some(m.moving), 2_147_483_647.0)
        && within(m.ascent, 99_999.999)
        && within(m.descent, 99_999.999)
        && within(m.min_alt, 9_999.99)
        && within(m.max_alt, 9_999.99)
        && within(m.max_speed, 9_999.99)
        && within(m.ave_speed, 9_999.99)
        && within(calories, 2_147_483_647.0);
    if ok { Ok(()) } else { Err(WorkoutError::ExceedsLimits) }
}

/// `<sport label> - <YYYY-MM-DD HH:MM:SS in the user's time zone>`.
fn default_title(sport_label: &str, start: i64, timezone: &str) -> String {
    let local = jiff::Timestamp::from_second(start)
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
        .in_tz(timezone)
        .map(|z| z.strftime("%Y-%m-%d %H:%M:%S").to_string())
        .unwrap_or_default();
    format!("{sport_label} - {local}")
}

/// The equipment for a new workout: as named, else the sport's defaults.
fn chosen_equipment(
    conn: &Connection,
    user_id: i64,
    sport_id: i64,
    names: &Option<Vec<String>>,
) -> Result<Vec<i64>, WorkoutError> {
    match names {
        None => Ok(stored_equipments::defaults_of_sport(conn, user_id, sport_id)?),
        Some(names) => Ok(equipments::resolve(conn, user_id, sport_id, names, &[])?),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::visibility::Visibility;

    #[test]
    fn default_titles_use_local_time() {
        assert_eq!(default_title("Running", 1_705_303_800, "Europe/Paris"), "Running - 2024-01-15 08:30:00");
    }

    #[test]
    fn requested_visibilities_are_clamped_over_the_current_ones() {
        let current =
            Visibilities { workout: Visibility::Public, analysis: Visibility::Public, map: Visibility::Public };
        let asked = RequestedVisibilities { workout: Some(Visibility::Private), ..RequestedVisibilities::default() };
        assert_eq!(asked.over(current).map, Visibility::Private);
    }
}
