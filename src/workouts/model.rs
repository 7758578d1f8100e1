//! Workouts, their segments and records, and what lists and statistics are
//! made of.

use crate::visibility::Visibility;

/// What a workout measured (from a file, or entered by hand).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Measures {
    /// Seconds, pauses included.
    pub duration: f64,
    pub moving: f64,
    /// Seconds stopped, gaps between segments included (FitTrackee cuts
    /// this sum to the second itself, so it is not `duration - moving`).
    pub pauses: f64,
    /// km.
    pub distance: f64,
    pub min_alt: Option<f64>,
    pub max_alt: Option<f64>,
    pub ascent: Option<f64>,
    pub descent: Option<f64>,
    /// km/h.
    pub ave_speed: Option<f64>,
    pub max_speed: Option<f64>,
    pub ave_hr: Option<f64>,
    pub max_hr: Option<f64>,
    pub ave_cadence: Option<f64>,
    pub max_cadence: Option<f64>,
    pub ave_power: Option<f64>,
    pub max_power: Option<f64>,
}

/// Who may see a workout, its analysis and its map (never wider than the one before).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Visibilities {
    pub workout: Visibility,
    pub analysis: Visibility,
    pub map: Visibility,
}

impl Visibilities {
    /// Each one clamped to the one before it.
    pub fn clamped(workout: Visibility, analysis: Visibility, map: Visibility) -> Visibilities {
        let analysis = analysis.within(workout);
        Visibilities { workout, analysis, map: map.within(analysis) }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Workout {
    pub id: i64,
    pub short_id: String,
    pub user_id: i64,
    pub sport_id: i64,
    pub title: String,
    pub description: Option<String>,
    pub notes: Option<String>,
    /// Start, Unix seconds (UTC).
    pub workout_date: i64,
    pub measures: Measures,
    pub calories: Option<f64>,
    pub start: Option<(f64, f64)>,
    /// `[min_lat, min_lon, max_lat, max_lon]`.
    pub bounds: Option<[f64; 4]>,
    /// The device or app that wrote the file.
    pub source: Option<String>,
    pub visibility: Visibilities,
    pub created_at: i64,
    pub modified_at: Option<i64>,
    /// The uploaded file's name, when the workout came from a file.
    pub file_name: Option<String>,
    /// The id of its map thumbnail (workouts with positions).
    pub map_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    pub number: i64,
    pub short_id: String,
    pub measures: Measures,
}

/// FitTrackee's record types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum RecordType {
    /// Average speed.
    AS,
    /// Maximum speed.
    MS,
    /// Farthest distance.
    FD,
    /// Highest ascent.
    HA,
    /// Longest (moving) duration.
    LD,
    /// Best average pace.
    AP,
    /// Best pace.
    BP,
}

/// The measure a record keeps the best of.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Measure {
    AveSpeed,
    MaxSpeed,
    Distance,
    Ascent,
    Moving,
}

impl RecordType {
    pub const ALL: [RecordType; 7] = [
        RecordType::AS,
        RecordType::MS,
        RecordType::FD,
        RecordType::HA,
        RecordType::LD,
        RecordType::AP,
        RecordType::BP,
    ];

    pub fn name(self) -> &'static str {
        match self {
            RecordType::AS => "AS",
            RecordType::MS => "MS",
            RecordType::FD => "FD",
            RecordType::HA => "HA",
            RecordType::LD => "LD",
            RecordType::AP => "AP",
            RecordType::BP => "BP",
        }
    }

    pub fn parse(name: &str) -> Option<RecordType> {
        RecordType::ALL.into_iter().find(|t| t.name() == name)
    }

    pub fn measure(self) -> Measure {
        match self {
            RecordType::AS | RecordType::AP => Measure::AveSpeed,
            RecordType::MS | RecordType::BP => Measure::MaxSpeed,
            RecordType::FD => Measure::Distance,
            RecordType::HA => Measure::Ascent,
            RecordType::LD => Measure::Moving,
        }
    }

    /// The record's value from the measure: paces are seconds per km.
    pub fn value(self, measure: f64) -> f64 {
        match self {
            RecordType::AP | RecordType::BP => 3600.0 / measure,
            _ => measure,
        }
    }
}

impl Measure {
    pub fn of(self, m: &Measures) -> Option<f64> {
        match self {
            Measure::AveSpeed => m.ave_speed,
            Measure::MaxSpeed => m.max_speed,
            Measure::Distance => Some(m.distance),
            Measure::Ascent => m.ascent,
            Measure::Moving => Some(m.moving),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub id: i64,
    pub user_id: i64,
    pub sport_id: i64,
    pub record_type: RecordType,
    pub workout_short_id: String,
    pub workout_date: i64,
    pub value: f64,
}

/// Per user and sport: how many workouts and their sums.
#[derive(Debug, Clone, PartialEq)]
pub struct SportTotals {
    pub sport_id: i64,
    pub workouts: i64,
    pub distance: f64,
    pub duration: f64,
    pub ascent: f64,
}

/// The values statistics are made of, for one workout.
#[derive(Debug, Clone, PartialEq)]
pub struct StatRow {
    pub workout_date: i64,
    pub sport_id: i64,
    pub distance: f64,
    pub moving: f64,
    pub ascent: Option<f64>,
    pub descent: Option<f64>,
    pub calories: Option<f64>,
    pub ave_speed: Option<f64>,
}

/// Sums over the matching workouts of a list.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Aggregate {
    pub count: i64,
    pub sports: i64,
    pub distance: f64,
    pub moving: f64,
    pub ascent: f64,
    pub descent: f64,
    pub max_speed: Option<f64>,
}

/// What a list may be ordered by.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum WorkoutOrder {
    WorkoutDate,
    Distance,
    AveSpeed,
    Duration,
}

impl WorkoutOrder {
    pub fn parse(name: &str) -> Option<WorkoutOrder> {
        Some(match name {
            "workout_date" => WorkoutOrder::WorkoutDate,
            "distance" => WorkoutOrder::Distance,
            "ave_speed" => WorkoutOrder::AveSpeed,
            "duration" => WorkoutOrder::Duration,
            _ => return None,
        })
    }
}

/// Which of a user's workouts a list shows. Every bound is optional.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkoutFilter {
    pub user_id: i64,
    pub sport_id: Option<i64>,
    pub title: Option<String>,
    pub notes: Option<String>,
    pub description: Option<String>,
    /// Unix seconds, inclusive / exclusive.
    pub from: Option<i64>,
    pub to: Option<i64>,
    pub distance: (Option<f64>, Option<f64>),
    /// Moving time, seconds.
    pub moving: (Option<f64>, Option<f64>),
    pub ave_speed: (Option<f64>, Option<f64>),
    pub max_speed: (Option<f64>, Option<f64>),
    /// `Some(None)`: workouts without equipment.
    pub equipment: Option<Option<i64>>,
    pub visibility: Option<Visibility>,
    /// Centre (lat, lon), radius in km.
    pub near: Option<(f64, f64, f64)>,
}

impl WorkoutFilter {
    pub fn of_user(user_id: i64) -> WorkoutFilter {
        WorkoutFilter {
            user_id,
            sport_id: None,
            title: None,
            notes: None,
            description: None,
            from: None,
            to: None,
            distance: (None, None),
            moving: (None, None),
            ave_speed: (None, None),
            max_speed: (None, None),
            equipment: None,
            visibility: None,
            near: None,
        }
    }

    /// True when only the user is filtered on (the totals give the count).
    pub fn is_everything(&self) -> bool {
        *self == WorkoutFilter::of_user(self.user_id)
    }
}

/// A zip archive processed in the background: FitTrackee's
/// `workouts_archive_upload` task.
#[derive(Debug, Clone, PartialEq)]
pub struct UploadTask {
    pub id: i64,
    pub short_id: String,
    pub user_id: i64,
    pub created_at: i64,
    pub updated_at: Option<i64>,
    pub original_file_name: String,
    pub file_size: i64,
    /// The workout files of the archive: (index in the archive, name).
    pub entries: Vec<(usize, String)>,
    /// How many entries are done (a workout, or an error).
    pub done: usize,
    pub new_workouts: i64,
    /// `(file, why)` for each file that gave no workout.
    pub errored_files: Vec<(String, String)>,
    /// Why the archive itself could not be read any further.
    pub archive_error: Option<String>,
    pub aborted: bool,
    pub sport_id: i64,
    pub fields: WorkoutFields,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskStatus {
    Queued,
    InProgress,
    Successful,
    Errored,
    Aborted,
}

impl TaskStatus {
    pub fn name(self) -> &'static str {
        match self {
            TaskStatus::Queued => "queued",
            TaskStatus::InProgress => "in_progress",
            TaskStatus::Successful => "successful",
            TaskStatus::Errored => "errored",
            TaskStatus::Aborted => "aborted",
        }
    }
}

impl UploadTask {
    pub fn is_finished(&self) -> bool {
        self.done >= self.entries.len() || self.archive_error.is_some()
    }

    /// Percent of the files done (FitTrackee's `int(100 * done / total)`).
    pub fn progress(&self) -> i64 {
        if self.is_finished() {
            return 100;
        }
        (100 * self.done / self.entries.len().max(1)) as i64
    }

    /// FitTrackee's order: errored, aborted, queued, successful, in progress.
    pub fn status(&self) -> TaskStatus {
        let finished = self.is_finished();
        if finished && (self.archive_error.is_some() || !self.errored_files.is_empty()) {
            TaskStatus::Errored
        } else if self.aborted {
            TaskStatus::Aborted
        } else if self.done == 0 && !finished {
            TaskStatus::Queued
        } else if finished {
            TaskStatus::Successful
        } else {
            TaskStatus::InProgress
        }
    }

    /// Still to be worked on (or being worked on).
    pub fn is_ongoing(&self) -> bool {
        matches!(self.status(), TaskStatus::Queued | TaskStatus::InProgress)
    }
}

/// What a new workout's request may set besides its measures.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WorkoutFields {
    pub title: Option<String>,
    pub description: Option<String>,
    pub notes: Option<String>,
    /// `None`: the sport's default equipment.
    pub equipment_ids: Option<Vec<String>>,
    pub visibility: RequestedVisibilities,
}

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct RequestedVisibilities {
    pub workout: Option<Visibility>,
    pub analysis: Option<Visibility>,
    pub map: Option<Visibility>,
}

impl RequestedVisibilities {
    /// What was asked, else `current`, each never wider than the one before.
    pub(super) fn over(&self, current: Visibilities) -> Visibilities {
        Visibilities::clamped(
            self.workout.unwrap_or(current.workout),
            self.analysis.unwrap_or(current.analysis),
            self.map.unwrap_or(current.map),
        )
    }
}

/// A workout file (or an archive of them) with what its request asked.
pub struct FileUpload<'a> {
    pub sport_id: i64,
    pub file_name: &'a str,
    pub content: &'a [u8],
    pub fields: WorkoutFields,
}
