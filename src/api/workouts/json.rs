//! Workouts as FitTrackee serializes them: RFC 1123 dates, `H:MM:SS`
//! durations, short ids, and values hidden by sport (pace or speed,
//! elevation, cadence, power) and by the owner's visibility choices
//! (analysis, map, heart rate, calories).

use std::collections::HashMap;

use rusqlite::Connection;
use serde_json::{Map, Value, json};

use super::super::equipments::{equipment_json, public_equipment_json};
use super::super::users::light_json;
use crate::accounts::user::{AuthUser, User};
use crate::dates::{http_date, timedelta};
use crate::equipments::Equipment;
use crate::http::HttpError;
use crate::numbers::round;
use crate::sports::{Cadence, SpeedDisplay, UserSport, info};
use crate::store::{equipments as stored_equipments, records, sports, workouts as store};
use crate::visibility::Visibility;
use crate::workouts::analysis::ChartPoint;
use crate::workouts::{Measures, Record, RecordType, Workout};

/// Who looks, whose workouts, and how the owner displays each sport.
pub struct View<'a> {
    pub viewer: Option<&'a AuthUser>,
    pub owner: &'a User,
    pub sports: HashMap<i64, UserSport>,
}

impl<'a> View<'a> {
    pub fn load(conn: &Connection, viewer: Option<&'a AuthUser>, owner: &'a User) -> Result<View<'a>, HttpError> {
        let sports = sports::all(conn, Some(owner.id))?
            .into_iter()
            .map(|(sport, prefs)| (sport.id, UserSport::new(sport, prefs)))
            .collect();
        Ok(View { viewer, owner, sports })
    }

    pub fn is_owner(&self) -> bool {
        self.viewer.is_some_and(|v| v.id == self.owner.id)
    }

    pub fn sees(&self, visibility: Visibility) -> bool {
        self.is_owner() || visibility.is_public()
    }

    /// How the owner shows a sport's speed.
    pub fn display(&self, sport_id: i64) -> SpeedDisplay {
        self.sports.get(&sport_id).map_or(SpeedDisplay::Speed, UserSport::display)
    }
}

pub fn can_see(workout: &Workout, viewer: Option<&AuthUser>) -> bool {
    viewer.is_some_and(|v| v.id == workout.user_id) || workout.visibility.workout.is_public()
}

fn opt(value: Option<f64>, decimals: i32) -> Value {
    json!(value.map(|v| round(v, decimals)))
}

fn integer(value: Option<f64>) -> Value {
    json!(value.map(|v| v.round() as i64))
}

pub fn pace(speed: Option<f64>) -> Value {
    json!(speed.filter(|s| *s > 0.0).map(|s| timedelta((3600.0 / s).round())))
}

/// Steps per minute: files count one foot.
pub fn cadence_factor(sport_id: i64) -> Option<f64> {
    info(sport_id).cadence.map(|c| if c == Cadence::Spm { 2.0 } else { 1.0 })
}

/// The measured values, hidden as the sport and the viewer require.
pub fn measures_json(m: &Measures, sport_id: i64, view: &View<'_>, force_speed: bool) -> Map<String, Value> {
    let display = view.display(sport_id);
    let (speed_shown, pace_shown) = (force_speed || display.shows_speed(), display.shows_pace());
    let sport = info(sport_id);
    let hr_shown = view.sees(view.owner.prefs.hr_visibility);
    let cadence = |v: Option<f64>| cadence_factor(sport_id).map_or(Value::Null, |f| integer(v.map(|c| c * f)));
    let power = |v: Option<f64>| if sport.power { integer(v) } else { Value::Null };
    let elevation = |v: Option<f64>, decimals| if sport.elevation { opt(v, decimals) } else { Value::Null };
    let fields = json!({
        "duration": timedelta(m.duration),
        "moving": timedelta(m.moving),
        "distance": round(m.distance, 3),
        "ave_speed": if speed_shown { opt(m.ave_speed, 2) } else { Value::Null },
        "max_speed": if speed_shown { opt(m.max_speed, 2) } else { Value::Null },
        "ave_pace": if pace_shown { pace(m.ave_speed) } else { Value::Null },
        "best_pace": if pace_shown { pace(m.max_speed) } else { Value::Null },
        "min_alt": elevation(m.min_alt, 2),
        "max_alt": elevation(m.max_alt, 2),
        "ascent": elevation(m.ascent, 3),
        "descent": elevation(m.descent, 3),
        "ave_cadence": cadence(m.ave_cadence),
        "max_cadence": cadence(m.max_cadence),
        "ave_power": power(m.ave_power),
        "max_power": power(m.max_power),
        "ave_hr": if hr_shown { integer(m.ave_hr) } else { Value::Null },
        "max_hr": if hr_shown { integer(m.max_hr) } else { Value::Null },
    });
    match fields {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// FitTrackee's record object; `None` when the sport's display hides it.
/// Whether a record is shown for a sport the owner shows this way (no
/// ascent where elevation means nothing, speeds or paces as chosen).
pub fn record_shown(record: &Record, display: SpeedDisplay) -> bool {
    match record.record_type {
        RecordType::HA => info(record.sport_id).elevation,
        RecordType::AS | RecordType::MS => display.shows_speed(),
        RecordType::AP | RecordType::BP => display.shows_pace(),
        RecordType::FD | RecordType::LD => true,
    }
}

pub fn record_json(record: &Record, username: &str, display: SpeedDisplay) -> Option<Value> {
    if !record_shown(record, display) {
        return None;
    }
    let value = match record.record_type {
        RecordType::LD | RecordType::AP | RecordType::BP => json!(timedelta(record.value.round())),
        RecordType::FD => json!(round(record.value, 3)),
        RecordType::AS | RecordType::MS | RecordType::HA => json!(round(record.value, 2)),
    };
    Some(json!({
        "id": record.id,
        "user": username,
        "sport_id": record.sport_id,
        "workout_id": record.workout_short_id,
        "record_type": record.record_type.name(),
        "workout_date": http_date(record.workout_date),
        "value": value,
    }))
}

fn extend(into: &mut Map<String, Value>, extra: Value) {
    if let Value::Object(extra) = extra {
        into.extend(extra);
    }
}

/// What a list item and a full object share.
pub fn base_json(w: &Workout, view: &View<'_>, records: &[Record], force_speed: bool) -> Map<String, Value> {
    let owner = view.is_owner();
    let display = view.display(w.sport_id);
    let mut out = measures_json(&w.measures, w.sport_id, view, force_speed);
    let records: Vec<Value> = records
        .iter()
        .filter(|r| r.workout_short_id == w.short_id)
        .filter_map(|r| record_json(r, &view.owner.username, display))
        .collect();
    extend(
        &mut out,
        json!({
            "id": w.short_id,
            "sport_id": w.sport_id,
            "workout_date": http_date(w.workout_date),
            "workout_visibility": w.visibility.workout.name(),
            "analysis_visibility": w.visibility.analysis.name(),
            "map_visibility": w.visibility.map.name(),
            "title": w.title,
            "source": w.source,
            "records": records,
            "calories": if view.sees(view.owner.prefs.calories_visibility) { integer(w.calories) } else { Value::Null },
            "creation_date": null,
            "modification_date": null,
            "pauses": null,
            "segments": [],
            "weather_start": null,
            "weather_end": null,
            "notes": if owner { json!(w.notes.clone().unwrap_or_default()) } else { json!("") },
            "description": w.description,
            "likes_count": 0,
            "liked": false,
            "equipments": [],
            "map": if view.sees(w.visibility.map) { json!(w.map_id) } else { Value::Null },
            "with_file": w.file_name.is_some() && view.sees(w.visibility.map),
            "with_analysis": w.file_name.is_some() && view.sees(w.visibility.analysis),
            "suspended": false,
            "user": light_json(view.owner, view.viewer),
            "next_workout": null,
            "previous_workout": null,
            "bounds": [],
        }),
    );
    if owner {
        out.insert("suspended_at".into(), Value::Null);
    }
    out
}

pub fn equipments_json(equipments: &[Equipment], owner: bool) -> Value {
    let items: Vec<Value> =
        equipments.iter().map(|e| if owner { equipment_json(e) } else { public_equipment_json(e) }).collect();
    json!(items)
}

fn segments_json(conn: &Connection, w: &Workout, view: &View<'_>) -> Result<Value, HttpError> {
    if !view.sees(w.visibility.analysis) {
        return Ok(json!([]));
    }
    let segments: Vec<Value> = store::segments(conn, w.id)?
        .iter()
        .map(|s| {
            let mut segment = measures_json(&s.measures, w.sport_id, view, false);
            segment.insert("workout_id".into(), json!(w.short_id));
            segment.insert("segment_id".into(), json!(s.short_id));
            segment.insert("segment_number".into(), json!(s.number));
            segment.insert("pauses".into(), json!(timedelta(s.measures.pauses)));
            Value::Object(segment)
        })
        .collect();
    Ok(json!(segments))
}

/// The full object of a single workout.
pub fn full_json(conn: &Connection, w: &Workout, view: &View<'_>) -> Result<Value, HttpError> {
    let records = records::records_of_workouts(conn, &[w.id])?;
    let mut out = base_json(w, view, &records, false);
    let owner = view.is_owner();
    let (previous, next) = if owner { store::neighbours(conn, w)? } else { (None, None) };
    let map_shown = view.sees(w.visibility.map);
    extend(
        &mut out,
        json!({
            "equipments": equipments_json(&stored_equipments::of_workout(conn, w.id)?, owner),
            "creation_date": http_date(w.created_at),
            "modification_date": w.modified_at.map(http_date),
            "pauses": timedelta(w.measures.pauses),
            "segments": segments_json(conn, w, view)?,
            "with_geometry": map_shown && w.map_id.is_some(),
            "notes": if owner { json!(w.notes) } else { Value::Null },
            "next_workout": next,
            "previous_workout": previous,
            "bounds": match (map_shown, w.bounds) { (true, Some(b)) => json!(b), _ => json!([]) },
        }),
    );
    if owner {
        let extension = w.file_name.as_deref().and_then(crate::files::extension);
        out.insert("original_file".into(), json!(extension));
        out.insert("elevation_data_source".into(), json!(w.file_name.as_ref().map(|_| "file")));
    }
    Ok(Value::Object(out))
}

/// What a chart shows of its points, for this viewer.
pub struct ChartView {
    pub sport_id: i64,
    pub display: SpeedDisplay,
    pub hr: bool,
    /// Coordinates never leave the server for who may not see the map.
    pub map: bool,
}

/// A chart point; `distance` (km, rounded) and `duration` as the chart
/// counts them (from the workout's start, or the segment's).
pub fn chart_point(p: &ChartPoint, distance: f64, duration: f64, shown: &ChartView) -> Value {
    let sport = info(shown.sport_id);
    let mut point = json!({
        "distance": distance,
        "duration": duration.round() as i64,
        "time": p.time.map(python_utc_time),
    });
    if shown.map && p.latitude.is_finite() && p.longitude.is_finite() {
        point["latitude"] = json!(p.latitude);
        point["longitude"] = json!(p.longitude);
    }
    let mut put = |key: &str, value: Option<Value>| {
        if let Some(value) = value {
            point[key] = value;
        }
    };
    put("elevation", p.elevation.filter(|_| sport.elevation).map(|e| json!(round(e, 1))));
    put("speed", shown.display.shows_speed().then(|| json!(round(p.speed, 2))));
    put("pace", (shown.display.shows_pace() && p.speed > 0.0).then(|| json!(timedelta((3600.0 / p.speed).round()))));
    put("hr", p.heart_rate.filter(|_| shown.hr).map(|v| json!(v.round() as i64)));
    put("cadence", p.cadence.zip(cadence_factor(shown.sport_id)).map(|(c, f)| json!((c * f).round() as i64)));
    put("power", p.power.filter(|_| sport.power).map(|v| json!(v.round() as i64)));
    point
}

/// A time as Python prints an aware UTC datetime (`str(datetime)`), which is
/// how FitTrackee writes chart times: `2024-06-04 06:00:01+00:00`, with
/// microseconds only when there are some.
fn python_utc_time(seconds: f64) -> String {
    let micros = (seconds * 1e6).round() as i64;
    let Ok(at) = jiff::Timestamp::from_microsecond(micros) else { return String::new() };
    let fraction = micros.rem_euclid(1_000_000);
    let base = at.strftime("%Y-%m-%d %H:%M:%S").to_string();
    if fraction == 0 { format!("{base}+00:00") } else { format!("{base}.{fraction:06}+00:00") }
}
