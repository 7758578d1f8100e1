//! Workouts: created from GPX files or by hand, changed, deleted, refreshed
//! from their file. Each change is one transaction that also keeps the
//! user's records, per-sport totals and equipment totals current.
//! Refusals are FitTrackee-shaped JSON errors.

pub mod analysis;
pub mod stats;

use rusqlite::Connection;
use serde_json::{Map, Value, json};

use crate::accounts::profile::{VISIBILITIES, narrowest};
use crate::equipments;
use crate::gpx;
use crate::http::HttpError;
use crate::shortid;
use crate::sports::UserSport;
use crate::store::users::User;
use crate::store::workouts::{self as store, Measures, Segment, Workout};
use crate::store::{self as storage, Db, points, sports};
use analysis::{Analysis, Stats};

pub const LIMITS_MESSAGE: &str = "one or more values, entered or calculated, exceed the limits";

/// Sports without meaningful elevation (racket and flatwater sports, ice).
pub const NO_ELEVATION_SPORTS: [i64; 8] = [11, 16, 19, 20, 23, 24, 25, 28];
/// Sports whose cadence is in revolutions per minute.
pub const RPM_CADENCE_SPORTS: [i64; 8] = [1, 2, 4, 7, 13, 16, 17, 21];
/// Sports whose cadence is in steps per minute (GPX files count one foot: doubled).
pub const SPM_CADENCE_SPORTS: [i64; 6] = [3, 5, 6, 8, 12, 14];
pub const POWER_SPORTS: [i64; 7] = [1, 2, 4, 7, 13, 17, 21];

pub fn has_elevation(sport_id: i64) -> bool {
    !NO_ELEVATION_SPORTS.contains(&sport_id)
}

/// The extensions FitTrackee accepts, and the one we analyze.
const KNOWN_EXTENSIONS: [&str; 6] = ["gpx", "kml", "kmz", "fit", "tcx", "zip"];

fn invalid(message: impl Into<String>) -> HttpError {
    HttpError::message(400, "invalid", message)
}

fn fail(message: impl Into<String>) -> HttpError {
    HttpError::message(400, "fail", message)
}

/// The extension of an uploaded file name, lower case.
pub fn extension(file_name: &str) -> Option<String> {
    file_name.rsplit_once('.').map(|(_, ext)| ext.to_ascii_lowercase())
}

/// Checks the uploaded file's name before anything is read from it.
pub fn check_file_name(file_name: &str) -> Result<(), HttpError> {
    if file_name.trim().is_empty() {
        return Err(fail("no selected file"));
    }
    match extension(file_name).as_deref() {
        Some("gpx") => Ok(()),
        Some(ext) if KNOWN_EXTENSIONS.contains(&ext) => {
            Err(fail(format!("'.{ext}' files are not supported yet: upload a GPX file (.gpx)")))
        }
        _ => Err(fail("file extension not allowed")),
    }
}

/// The sport and the user's preferences for it, or FitTrackee's refusal.
fn sport(
    conn: &Connection,
    user_id: i64,
    sport_id: i64,
    unknown: impl Fn(i64) -> HttpError,
) -> Result<UserSport, HttpError> {
    let (sport, prefs) = sports::one(conn, sport_id, Some(user_id))?.ok_or_else(|| unknown(sport_id))?;
    Ok(UserSport::new(sport, prefs))
}

fn sport_id(data: &Map<String, Value>) -> Result<i64, HttpError> {
    data.get("sport_id").and_then(Value::as_i64).ok_or_else(HttpError::invalid_payload)
}

fn text(data: &Map<String, Value>, key: &str, max: usize) -> Result<Option<String>, HttpError> {
    match data.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.chars().take(max).collect::<String>()).filter(|s| !s.trim().is_empty())),
        Some(_) => Err(HttpError::invalid_payload()),
    }
}

/// Visibilities from the request or the user's preferences, each never
/// wider than the one above it.
fn visibilities(data: &Map<String, Value>, user: &User) -> Result<(String, String, String), HttpError> {
    let pick = |key: &str, default: &str| -> Result<String, HttpError> {
        match data.get(key) {
            None | Some(Value::Null) => Ok(default.to_string()),
            Some(v) => v
                .as_str()
                .filter(|v| VISIBILITIES.contains(v))
                .map(str::to_owned)
                .ok_or_else(|| HttpError::bad_request("invalid value for visibility")),
        }
    };
    let p = &user.prefs;
    let workout = pick("workout_visibility", &p.workouts_visibility)?;
    let analysis = narrowest(&pick("analysis_visibility", &p.analysis_visibility)?, &workout);
    let map = narrowest(&pick("map_visibility", &p.map_visibility)?, &analysis);
    Ok((workout, analysis, map))
}

fn measures(s: &Stats, sport_id: i64) -> Measures {
    let elevation = has_elevation(sport_id);
    let keep = |v: Option<f64>| v.filter(|_| elevation);
    Measures {
        duration: s.duration,
        moving: s.moving,
        distance: s.distance_km,
        min_alt: keep(s.min_alt),
        max_alt: keep(s.max_alt),
        ascent: keep(s.ascent),
        descent: keep(s.descent),
        ave_speed: Some(s.ave_speed),
        max_speed: Some(s.max_speed),
        ave_hr: s.ave_hr,
        max_hr: s.max_hr,
        ave_cadence: s.ave_cadence,
        max_cadence: s.max_cadence,
        ave_power: s.ave_power,
        max_power: s.max_power,
    }
}

/// FitTrackee's column limits.
fn check_limits(m: &Measures, calories: Option<f64>) -> Result<(), HttpError> {
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
    if ok { Ok(()) } else { Err(HttpError::bad_request(LIMITS_MESSAGE)) }
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

/// Analyzes a GPX file for a sport with the user's preferences.
fn analyze_file(content: &[u8], sport: &UserSport, user: &User) -> Result<(gpx::Track, Analysis), HttpError> {
    let track = gpx::parse(content).map_err(|e| HttpError::bad_request(e.to_string()))?;
    let analysis = analysis::analyze(&track, sport.prefs.stopped_speed_threshold, user.prefs.use_raw_gpx_speed);
    Ok((track, analysis))
}

fn segments_of(analysis: &Analysis, sport_id: i64) -> Vec<Segment> {
    analysis
        .segments
        .iter()
        .enumerate()
        .map(|(i, s)| Segment { number: i as i64 + 1, short_id: shortid::new(), measures: measures(s, sport_id) })
        .collect()
}

/// The equipment for a new workout: as named, else the sport's defaults.
fn chosen_equipment(
    conn: &Connection,
    user_id: i64,
    sport_id: i64,
    data: &Map<String, Value>,
) -> Result<Vec<i64>, HttpError> {
    match data.get("equipment_ids") {
        None | Some(Value::Null) => Ok(crate::store::equipments::defaults_of_sport(conn, user_id, sport_id)?),
        Some(ids) => equipments::resolve(conn, user_id, sport_id, ids, &[]),
    }
}

pub struct Upload<'a> {
    pub file_name: &'a str,
    pub content: &'a [u8],
}

/// Creates a workout from a GPX file and the upload's `data`.
pub fn create_from_file(
    db: &mut Db<'_>,
    user: &User,
    data: &Map<String, Value>,
    upload: &Upload<'_>,
    now: i64,
) -> Result<Workout, HttpError> {
    let sport = sport(db, user.id, sport_id(data)?, |id| invalid(format!("Sport id: {id} does not exist")))?;
    let (track, analysis) = analyze_file(upload.content, &sport, user)?;
    let sport_id = sport.sport.id;
    let m = measures(&analysis.workout, sport_id);
    check_limits(&m, track.calories)?;
    let start = analysis.workout.start.floor() as i64;
    let (workout_visibility, analysis_visibility, map_visibility) = visibilities(data, user)?;
    let first_point = track.segments.first().and_then(|s| s.first());
    let workout = Workout {
        id: 0,
        short_id: shortid::new(),
        user_id: user.id,
        sport_id,
        title: text(data, "title", 255)?
            .or(track.name.clone())
            .unwrap_or_else(|| default_title(&sport.sport.label, start, &user.prefs.timezone)),
        description: text(data, "description", 10_000)?.or(track.description.clone()),
        notes: text(data, "notes", 500)?,
        workout_date: start,
        measures: m,
        calories: track.calories,
        start: first_point.map(|p| (p.latitude, p.longitude)),
        bounds: Some(analysis.workout.bounds),
        source: track.creator.clone(),
        workout_visibility,
        analysis_visibility,
        map_visibility,
        created_at: now,
        modified_at: None,
        file_name: Some(upload.file_name.to_string()),
    };
    let segments = segments_of(&analysis, sport_id);
    let points = analysis::chart(&track);
    db.write(|tx| {
        let equipment = chosen_equipment(tx, user.id, sport_id, data)?;
        let id = store::insert(tx, &workout)?;
        store::insert_file(tx, id, upload.file_name, upload.content)?;
        store::replace_segments(tx, id, &segments)?;
        points::save(tx, id, &points)?;
        let stored = Workout { id, ..workout.clone() };
        added(tx, &stored, &equipment)?;
        store::offer_records(tx, &stored)?;
        reload(tx, id)
    })
}

/// Creates a workout entered by hand (`POST /api/workouts/no_gpx`).
pub fn create_manual(db: &mut Db<'_>, user: &User, data: &Map<String, Value>, now: i64) -> Result<Workout, HttpError> {
    let truthy = |key: &str| data.get(key).is_some_and(|v| !v.is_null() && v != &json!(0) && v != &json!(""));
    if !["sport_id", "duration", "distance", "workout_date"].iter().all(|k| truthy(k)) {
        return Err(HttpError::invalid_payload());
    }
    let sport = sport(db, user.id, sport_id(data)?, |id| invalid(format!("Sport id: {id} does not exist")))?;
    let duration = data["duration"].as_f64().filter(|d| *d > 0.0).ok_or_else(HttpError::invalid_payload)?;
    let distance = data["distance"].as_f64().filter(|d| *d >= 0.0).ok_or_else(HttpError::invalid_payload)?;
    let workout_date = local_date_time(data["workout_date"].as_str().unwrap_or(""), &user.prefs.timezone)?;
    let (ascent, descent) = climb(data, sport.sport.id)?;
    let calories = number(data, "calories")?;
    let (workout_visibility, analysis_visibility, map_visibility) = visibilities(data, user)?;
    let m = manual_measures(duration, distance, ascent, descent);
    check_limits(&m, calories)?;
    let workout = Workout {
        id: 0,
        short_id: shortid::new(),
        user_id: user.id,
        sport_id: sport.sport.id,
        title: text(data, "title", 255)?
            .unwrap_or_else(|| default_title(&sport.sport.label, workout_date, &user.prefs.timezone)),
        description: text(data, "description", 10_000)?,
        notes: text(data, "notes", 500)?,
        workout_date,
        measures: m,
        calories,
        start: None,
        bounds: None,
        source: None,
        workout_visibility,
        analysis_visibility,
        map_visibility,
        created_at: now,
        modified_at: None,
        file_name: None,
    };
    db.write(|tx| {
        let equipment = chosen_equipment(tx, user.id, workout.sport_id, data)?;
        let id = store::insert(tx, &workout)?;
        let stored = Workout { id, ..workout.clone() };
        added(tx, &stored, &equipment)?;
        store::offer_records(tx, &stored)?;
        reload(tx, id)
    })
}

fn manual_measures(duration: f64, distance: f64, ascent: Option<f64>, descent: Option<f64>) -> Measures {
    let speed = (duration > 0.0).then(|| distance / (duration / 3600.0));
    Measures {
        duration,
        moving: duration,
        distance,
        ascent,
        descent,
        ave_speed: speed,
        max_speed: speed,
        ..Measures::default()
    }
}

/// `ascent` and `descent`: both or neither, not negative.
fn climb(data: &Map<String, Value>, sport_id: i64) -> Result<(Option<f64>, Option<f64>), HttpError> {
    let value = |key: &str| data.get(key).filter(|v| !v.is_null());
    match (value("ascent"), value("descent")) {
        (None, None) => Ok((None, None)),
        (Some(a), Some(d)) => match (a.as_f64(), d.as_f64()) {
            (Some(a), Some(d)) if a >= 0.0 && d >= 0.0 => {
                let keep = has_elevation(sport_id);
                Ok((Some(a).filter(|_| keep), Some(d).filter(|_| keep)))
            }
            _ => Err(invalid("invalid ascent or descent")),
        },
        _ => Err(invalid("invalid ascent or descent")),
    }
}

fn number(data: &Map<String, Value>, key: &str) -> Result<Option<f64>, HttpError> {
    match data.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v.as_f64().filter(|n| *n >= 0.0).map(Some).ok_or_else(HttpError::invalid_payload),
    }
}

/// `YYYY-MM-DD HH:MM` in the user's time zone, as Unix seconds.
pub fn local_date_time(text: &str, timezone: &str) -> Result<i64, HttpError> {
    let refuse = || HttpError::bad_request("invalid format for workout date");
    let civil = jiff::civil::DateTime::strptime("%Y-%m-%d %H:%M", text).map_err(|_| refuse())?;
    let zone = jiff::tz::TimeZone::get(timezone).map_err(|_| refuse())?;
    Ok(zone.to_timestamp(civil).map_err(|_| refuse())?.as_second())
}

/// Keys each kind of workout may change.
const ANY_WORKOUT: [&str; 6] = ["sport_id", "title", "description", "notes", "equipment_ids", "workout_visibility"];
const FILE_ONLY: [&str; 3] = ["analysis_visibility", "elevation_data_source", "map_visibility"];
const MANUAL_ONLY: [&str; 6] = ["ascent", "calories", "descent", "distance", "duration", "workout_date"];

/// Applies a PATCH to the owner's workout.
pub fn update(
    db: &mut Db<'_>,
    user: &User,
    workout: &Workout,
    data: &Map<String, Value>,
    now: i64,
) -> Result<Workout, HttpError> {
    if data.is_empty() {
        return Err(HttpError::invalid_payload());
    }
    let with_file = workout.file_name.is_some();
    let (forbidden, kind) = if with_file { (&MANUAL_ONLY[..], "with file") } else { (&FILE_ONLY[..], "without file") };
    if !with_file && data.contains_key("elevation_data_source") {
        return Err(invalid("'elevation_data_source' can not be provided for workout without file"));
    }
    let mut wrong: Vec<&str> = forbidden.iter().copied().filter(|k| data.contains_key(*k)).collect();
    wrong.sort_unstable();
    if !wrong.is_empty() {
        let quoted: Vec<String> = wrong.iter().map(|k| format!("'{k}'")).collect();
        let noun = if wrong.len() == 1 { "key" } else { "keys" };
        return Err(invalid(format!("invalid {noun} ({}) for workout {kind}", quoted.join(", "))));
    }
    if let Some(source) = data.get("elevation_data_source") {
        let source = source.as_str().unwrap_or_default();
        if source != "file" {
            return Err(HttpError::bad_request(format!("'{source}' as elevation data source is not valid")));
        }
    }
    let known: Vec<&str> = ANY_WORKOUT.iter().chain(FILE_ONLY.iter()).chain(MANUAL_ONLY.iter()).copied().collect();
    if !data.keys().any(|k| known.contains(&k.as_str())) {
        return Err(HttpError::invalid_payload());
    }
    let new_sport_id = match data.get("sport_id") {
        None => workout.sport_id,
        Some(id) => id.as_i64().ok_or_else(HttpError::invalid_payload)?,
    };
    let sport = sport(db, user.id, new_sport_id, |id| invalid(format!("sport id {id} not found")))?;
    let mut changed = workout.clone();
    changed.sport_id = sport.sport.id;
    changed.modified_at = Some(now);
    if let Some(title) = text(data, "title", 255)? {
        changed.title = title;
    }
    if data.contains_key("description") {
        changed.description = text(data, "description", 10_000)?;
    }
    if data.contains_key("notes") {
        changed.notes = text(data, "notes", 500)?;
    }
    let mut owner = user.clone();
    owner.prefs.workouts_visibility = workout.workout_visibility.clone();
    owner.prefs.analysis_visibility = workout.analysis_visibility.clone();
    owner.prefs.map_visibility = workout.map_visibility.clone();
    (changed.workout_visibility, changed.analysis_visibility, changed.map_visibility) = visibilities(data, &owner)?;
    let mut segments = None;
    if with_file {
        if changed.sport_id != workout.sport_id {
            // Another sport: another stopped-speed threshold.
            let content = store::file(db, workout.id)?.map(|f| f.1).unwrap_or_default();
            let (_, analysis) = analyze_file(&content, &sport, user)?;
            changed.measures = measures(&analysis.workout, changed.sport_id);
            segments = Some(segments_of(&analysis, changed.sport_id));
        }
    } else {
        apply_manual_changes(&mut changed, data, &user.prefs.timezone)?;
    }
    check_limits(&changed.measures, changed.calories)?;
    db.write(|tx| {
        let attached = crate::store::equipments::of_workout(tx, workout.id)?;
        let attached_ids: Vec<i64> = attached.iter().map(|e| e.id).collect();
        let equipment = match data.get("equipment_ids") {
            Some(ids) if !ids.is_null() => equipments::resolve(tx, user.id, changed.sport_id, ids, &attached_ids)?,
            // A new sport keeps the equipment that fits it.
            _ => attached
                .iter()
                .filter(|e| equipments::fits(e.equipment_type.id, changed.sport_id))
                .map(|e| e.id)
                .collect(),
        };
        removed(tx, workout)?;
        store::save(tx, &changed)?;
        if let Some(segments) = &segments {
            store::replace_segments(tx, workout.id, segments)?;
        }
        added(tx, &changed, &equipment)?;
        recompute_records(tx, workout, &changed)?;
        reload(tx, workout.id)
    })
}

fn apply_manual_changes(w: &mut Workout, data: &Map<String, Value>, timezone: &str) -> Result<(), HttpError> {
    let m = &mut w.measures;
    if let Some(duration) = data.get("duration") {
        m.duration = duration.as_f64().filter(|d| *d > 0.0).ok_or_else(HttpError::invalid_payload)?;
        m.moving = m.duration;
    }
    if let Some(distance) = data.get("distance") {
        m.distance = distance.as_f64().filter(|d| *d >= 0.0).ok_or_else(HttpError::invalid_payload)?;
    }
    let speed = (m.duration > 0.0).then(|| m.distance / (m.duration / 3600.0));
    (m.ave_speed, m.max_speed) = (speed, speed);
    if data.contains_key("ascent") || data.contains_key("descent") {
        (m.ascent, m.descent) = climb(data, w.sport_id)?;
    }
    if data.contains_key("calories") {
        w.calories = number(data, "calories")?;
    }
    if let Some(date) = data.get("workout_date") {
        w.workout_date = local_date_time(date.as_str().unwrap_or(""), timezone)?;
    }
    Ok(())
}

/// Recomputes a file workout from its stored file (`POST …/refresh`).
pub fn refresh(db: &mut Db<'_>, user: &User, workout: &Workout, now: i64) -> Result<Workout, HttpError> {
    let Some((_, content)) = store::file(db, workout.id)? else {
        return Ok(workout.clone());
    };
    let sport = sport(db, user.id, workout.sport_id, |id| invalid(format!("sport id {id} not found")))?;
    let (track, analysis) = analyze_file(&content, &sport, user)?;
    let mut changed = workout.clone();
    changed.measures = measures(&analysis.workout, workout.sport_id);
    changed.calories = track.calories;
    changed.bounds = Some(analysis.workout.bounds);
    changed.modified_at = Some(now);
    let segments = segments_of(&analysis, workout.sport_id);
    let points = analysis::chart(&track);
    db.write(|tx| {
        let equipment: Vec<i64> = crate::store::equipments::of_workout(tx, workout.id)?.iter().map(|e| e.id).collect();
        removed(tx, workout)?;
        store::save(tx, &changed)?;
        store::replace_segments(tx, workout.id, &segments)?;
        points::save(tx, workout.id, &points)?;
        added(tx, &changed, &equipment)?;
        recompute_records(tx, workout, &changed)?;
        reload(tx, workout.id)
    })
}

/// Stores the points of workouts uploaded before points were stored, once
/// (at start, after the migration that added them). A file that no longer
/// parses gets no points; its workout keeps its numbers.
pub fn store_missing_points(db: &mut Db<'_>) -> Result<usize, storage::Error> {
    let missing = points::missing(db)?;
    for &workout_id in &missing {
        let Some((_, content)) = store::file(db, workout_id)? else { continue };
        let chart = gpx::parse(&content).map(|track| analysis::chart(&track)).unwrap_or_default();
        db.write(|tx| points::save(tx, workout_id, &chart))?;
    }
    Ok(missing.len())
}

pub fn delete(db: &mut Db<'_>, workout: &Workout) -> Result<(), HttpError> {
    db.write(|tx| {
        removed(tx, workout)?;
        // Its records go with it (foreign key); the sport's are recomputed.
        store::delete(tx, workout.id)?;
        store::recompute_records(tx, workout.user_id, workout.sport_id)?;
        Ok(())
    })
}

/// Counts a stored workout in its user's totals and its equipment.
fn added(tx: &Connection, w: &Workout, equipment: &[i64]) -> Result<(), HttpError> {
    store::count_in_totals(tx, w, 1.0)?;
    let touched = crate::store::equipments::link(tx, w.id, equipment)?;
    crate::store::equipments::refresh_totals(tx, &touched)?;
    Ok(())
}

/// Takes a workout (as stored) out of its user's totals and its equipment.
fn removed(tx: &Connection, w: &Workout) -> Result<(), HttpError> {
    store::count_in_totals(tx, w, -1.0)?;
    let touched = crate::store::equipments::link(tx, w.id, &[])?;
    crate::store::equipments::refresh_totals(tx, &touched)?;
    Ok(())
}

/// Records of both sports a change touched, from scratch.
fn recompute_records(tx: &Connection, before: &Workout, after: &Workout) -> Result<(), HttpError> {
    store::recompute_records(tx, before.user_id, before.sport_id)?;
    if after.sport_id != before.sport_id {
        store::recompute_records(tx, after.user_id, after.sport_id)?;
    }
    Ok(())
}

fn reload(tx: &Connection, id: i64) -> Result<Workout, HttpError> {
    store::by_id(tx, id)?.ok_or_else(|| storage::Error::QueryReturnedNoRows.into())
}

/// Parses `data` as FitTrackee does (`json.loads(strict=False)`): control
/// characters are allowed inside strings, as some clients send raw newlines.
pub fn lenient_json(text: &str) -> Option<Value> {
    let mut escaped = String::with_capacity(text.len());
    let mut in_string = false;
    let mut backslash = false;
    for c in text.chars() {
        match c {
            '"' if !backslash => in_string = !in_string,
            c if in_string && (c as u32) < 0x20 => {
                escaped.push_str(&format!("\\u{:04x}", c as u32));
                backslash = false;
                continue;
            }
            _ => {}
        }
        backslash = c == '\\' && !backslash;
        escaped.push(c);
    }
    serde_json::from_str(&escaped).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_may_carry_raw_newlines_in_strings() {
        let value = lenient_json("{\"sport_id\": 1, \"notes\": \"line one\nline \\\"two\\\"\tend\"}").unwrap();
        assert_eq!(value["notes"], "line one\nline \"two\"\tend");
        assert_eq!(lenient_json("{\"a\": \"x\\\\\", \"b\": 1}").unwrap()["b"], 1);
        assert!(lenient_json("{\"sport_id\": 1, \"notes\": \"unterminated}").is_none());
    }

    #[test]
    fn file_names_are_checked_like_fittrackee() {
        assert!(check_file_name("ride.GPX").is_ok());
        assert_eq!(check_file_name("").unwrap_err().text(), "no selected file");
        assert_eq!(check_file_name("ride.exe").unwrap_err().text(), "file extension not allowed");
        assert!(check_file_name("ride.fit").unwrap_err().text().contains("upload a GPX file"));
    }

    #[test]
    fn manual_dates_are_in_the_users_time_zone() {
        assert_eq!(local_date_time("2024-01-15 08:30", "Europe/Paris").unwrap(), 1_705_303_800);
        assert_eq!(local_date_time("2024-01-15 08:30", "UTC").unwrap(), 1_705_307_400);
        assert!(local_date_time("15/01/2024", "UTC").is_err());
    }

    #[test]
    fn default_titles_use_local_time() {
        assert_eq!(default_title("Running", 1_705_303_800, "Europe/Paris"), "Running - 2024-01-15 08:30:00");
    }
}
