//! Workout requests as clients send them, read into the domain's commands:
//! an upload's `data` part, a manual workout, a change, a list's filters.
//! Anything of the wrong JSON type is FitTrackee's `invalid payload`.

use rusqlite::Connection;
use serde_json::{Map, Value};

use crate::accounts::user::User;
use crate::http::{Form, HttpError};
use crate::store::equipments as stored_equipments;
use crate::visibility::Visibility;
use crate::workouts::{
    ManualChange, ManualWorkout, RequestedVisibilities, WorkoutChange, WorkoutFields, WorkoutFilter,
};

type Object = Map<String, Value>;

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

fn present<'d>(data: &'d Object, key: &str) -> Option<&'d Value> {
    data.get(key).filter(|v| !v.is_null())
}

/// A text field: `None` when absent or null.
fn text(data: &Object, key: &str) -> Result<Option<String>, HttpError> {
    match present(data, key) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(HttpError::invalid_payload()),
    }
}

/// A text field that may be cleared: `Some(None)` when sent as null.
fn clearable_text(data: &Object, key: &str) -> Result<Option<Option<String>>, HttpError> {
    if !data.contains_key(key) {
        return Ok(None);
    }
    text(data, key).map(Some)
}

/// A sport id: an integer, or a string of digits (form values are strings).
pub fn sport_id(value: Option<&Value>) -> Result<i64, HttpError> {
    match value {
        Some(Value::Number(n)) => n.as_i64(),
        Some(Value::String(s)) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => s.parse().ok(),
        _ => None,
    }
    .ok_or_else(HttpError::invalid_payload)
}

fn visibility(data: &Object, key: &str) -> Result<Option<Visibility>, HttpError> {
    match present(data, key) {
        None => Ok(None),
        Some(v) => v
            .as_str()
            .and_then(Visibility::parse)
            .map(Some)
            .ok_or_else(|| HttpError::bad_request("invalid value for visibility")),
    }
}

fn visibilities(data: &Object) -> Result<RequestedVisibilities, HttpError> {
    Ok(RequestedVisibilities {
        workout: visibility(data, "workout_visibility")?,
        analysis: visibility(data, "analysis_visibility")?,
        map: visibility(data, "map_visibility")?,
    })
}

/// `equipment_ids`: a list of strings, or null (the sport's defaults).
pub fn equipment_ids(data: &Object, key: &str) -> Result<Option<Vec<String>>, HttpError> {
    match present(data, key) {
        None => Ok(None),
        Some(ids) => ids
            .as_array()
            .and_then(|items| items.iter().map(|v| v.as_str().map(str::to_owned)).collect::<Option<Vec<_>>>())
            .map(Some)
            .ok_or_else(|| HttpError::bad_request("equipment_ids must be an array of strings")),
    }
}

/// What an upload's `data` or a manual workout sets besides measures.
pub fn fields(data: &Object) -> Result<WorkoutFields, HttpError> {
    Ok(WorkoutFields {
        title: text(data, "title")?,
        description: text(data, "description")?,
        notes: text(data, "notes")?,
        equipment_ids: equipment_ids(data, "equipment_ids")?,
        visibility: visibilities(data)?,
    })
}

/// A number of at least `min` (`None` when absent or null).
fn number(data: &Object, key: &str, min: f64) -> Result<Option<f64>, HttpError> {
    match present(data, key) {
        None => Ok(None),
        Some(v) => v.as_f64().filter(|n| *n >= min).map(Some).ok_or_else(HttpError::invalid_payload),
    }
}

/// `POST /api/workouts/no_gpx`: the four required keys must be truthy.
pub fn manual_workout(data: &Object) -> Result<ManualWorkout, HttpError> {
    let truthy = |key: &str| data.get(key).is_some_and(|v| !v.is_null() && v != &Value::from(0) && v != "");
    if !["sport_id", "duration", "distance", "workout_date"].iter().all(|k| truthy(k)) {
        return Err(HttpError::invalid_payload());
    }
    let duration = data["duration"].as_f64().filter(|d| *d > 0.0).ok_or_else(HttpError::invalid_payload)?;
    let distance = data["distance"].as_f64().filter(|d| *d >= 0.0).ok_or_else(HttpError::invalid_payload)?;
    let climb = |key: &str| present(data, key).map(|v| v.as_f64().unwrap_or(-1.0));
    Ok(ManualWorkout {
        sport_id: sport_id(data.get("sport_id"))?,
        workout_date: data["workout_date"].as_str().unwrap_or("").to_string(),
        duration,
        distance,
        ascent: climb("ascent"),
        descent: climb("descent"),
        calories: number(data, "calories", 0.0)?,
        fields: fields(data)?,
    })
}

/// Keys a change may carry; a body with none of them is refused.
const CHANGE_KEYS: [&str; 15] = [
    "sport_id",
    "title",
    "description",
    "notes",
    "equipment_ids",
    "workout_visibility",
    "analysis_visibility",
    "elevation_data_source",
    "map_visibility",
    "ascent",
    "calories",
    "descent",
    "distance",
    "duration",
    "workout_date",
];

/// `PATCH /api/workouts/<id>`.
pub fn workout_change(data: &Object) -> Result<WorkoutChange, HttpError> {
    if !data.keys().any(|k| CHANGE_KEYS.contains(&k.as_str())) {
        return Err(HttpError::invalid_payload());
    }
    let required = |key: &str, min: f64, above: bool| -> Result<Option<f64>, HttpError> {
        data.get(key)
            .map(|v| {
                v.as_f64().filter(|n| if above { *n > min } else { *n >= min }).ok_or_else(HttpError::invalid_payload)
            })
            .transpose()
    };
    let optional_number = |key: &str| -> Result<Option<Option<f64>>, HttpError> {
        if !data.contains_key(key) {
            return Ok(None);
        }
        number(data, key, 0.0).map(Some)
    };
    let climb = |key: &str| data.get(key).map(|v| if v.is_null() { None } else { Some(v.as_f64().unwrap_or(-1.0)) });
    Ok(WorkoutChange {
        sport_id: data.get("sport_id").map(|v| sport_id(Some(v))).transpose()?,
        title: text(data, "title")?,
        description: clearable_text(data, "description")?,
        notes: clearable_text(data, "notes")?,
        equipment_ids: equipment_ids(data, "equipment_ids")?,
        visibility: visibilities(data)?,
        elevation_data_source: data.get("elevation_data_source").map(|v| v.as_str().unwrap_or("").to_string()),
        manual: ManualChange {
            ascent: climb("ascent"),
            descent: climb("descent"),
            calories: optional_number("calories")?,
            distance: required("distance", 0.0, false)?,
            duration: required("duration", 0.0, true)?,
            workout_date: data.get("workout_date").map(|v| v.as_str().unwrap_or("").to_string()),
        },
    })
}

/// `H:MM`, `HH:MM` or `HH:MM:SS` (hours 0–23) as seconds.
fn parse_duration(text: &str) -> Option<f64> {
    let parts: Vec<&str> = text.split(':').collect();
    if !(2..=3).contains(&parts.len())
        || parts.iter().any(|p| p.is_empty() || p.len() > 2 || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let numbers: Vec<i64> = parts.iter().filter_map(|p| p.parse().ok()).collect();
    let (h, m, s) = (numbers[0], numbers[1], numbers.get(2).copied().unwrap_or(0));
    (h < 24 && m < 60 && s < 60).then(|| (h * 3600 + m * 60 + s) as f64)
}

/// `M:SS` per km as seconds.
fn parse_pace(text: &str) -> Option<f64> {
    let (m, s) = text.split_once(':')?;
    let (m, s): (i64, i64) = (m.parse().ok()?, s.parse().ok()?);
    (m >= 0 && (0..60).contains(&s) && s.to_string().len() <= 2 && (m > 0 || s > 0)).then(|| (m * 60 + s) as f64)
}

/// A `YYYY-MM-DD` day in the user's time zone, as the Unix second it starts;
/// `refusal` when it is not one.
pub fn day_start(text: &str, timezone: &str, days_after: i64, refusal: HttpError) -> Result<i64, HttpError> {
    let date: jiff::civil::Date = text.parse().map_err(|_| refusal.clone())?;
    let date = date.checked_add(jiff::Span::new().days(days_after)).map_err(|_| refusal.clone())?;
    let zone = jiff::tz::TimeZone::get(timezone).map_err(|_| refusal.clone())?;
    Ok(zone.to_timestamp(date.to_datetime(jiff::civil::Time::midnight())).map_err(|_| refusal)?.as_second())
}

/// A query's bounds, by the kind of value they take.
struct Bounds<'q>(&'q Form);

impl Bounds<'_> {
    fn text(&self, key: &str) -> Option<&str> {
        self.0.text(key).filter(|v| !v.is_empty())
    }

    fn number(&self, key: &str) -> Result<Option<f64>, HttpError> {
        self.text(key)
            .map(|v| {
                v.parse::<f64>()
                    .ok()
                    .filter(|n| n.is_finite())
                    .ok_or_else(|| HttpError::bad_request(format!("invalid value for '{key}'")))
            })
            .transpose()
    }

    fn parsed(&self, key: &str, parse: fn(&str) -> Option<f64>) -> Result<Option<f64>, HttpError> {
        self.text(key).map(|v| parse(v).ok_or_else(|| HttpError::bad_request("invalid duration"))).transpose()
    }

    fn range(&self, from: &str, to: &str) -> Result<(Option<f64>, Option<f64>), HttpError> {
        Ok((self.number(from)?, self.number(to)?))
    }

    /// A speed range, given as speeds or as paces (which bound it the other way round).
    fn speeds(&self, name: &str) -> Result<(Option<f64>, Option<f64>), HttpError> {
        let speed_of = |pace: Option<f64>| pace.map(|p| 3600.0 / p);
        let pace_from = self.parsed(&format!("{name}_pace_from"), parse_pace)?;
        let pace_to = self.parsed(&format!("{name}_pace_to"), parse_pace)?;
        let (from, to) = self.range(&format!("{name}_speed_from"), &format!("{name}_speed_to"))?;
        Ok((from.or(speed_of(pace_to)), to.or(speed_of(pace_from))))
    }
}

/// The filters of `GET /api/workouts` for `owner`.
pub fn filter(conn: &Connection, query: &Form, owner: &User) -> Result<WorkoutFilter, HttpError> {
    let q = Bounds(query);
    let mut filter = WorkoutFilter::of_user(owner.id);
    filter.sport_id = q.number("sport_id")?.map(|n| n as i64);
    filter.title = q.text("title").map(str::to_owned);
    filter.notes = q.text("notes").map(str::to_owned);
    filter.description = q.text("description").map(str::to_owned);
    let timezone = &owner.prefs.timezone;
    let bad_date = || HttpError::bad_request("invalid date format, expected YYYY-MM-DD");
    filter.from = q.text("from").map(|d| day_start(d, timezone, 0, bad_date())).transpose()?;
    filter.to = q.text("to").map(|d| day_start(d, timezone, 1, bad_date())).transpose()?;
    filter.distance = q.range("distance_from", "distance_to")?;
    filter.moving = (q.parsed("duration_from", parse_duration)?, q.parsed("duration_to", parse_duration)?);
    filter.ave_speed = q.speeds("ave")?;
    filter.max_speed = q.speeds("max")?;
    filter.equipment = match q.text("equipment_id") {
        None => None,
        Some("none") => Some(None),
        // An unknown id matches nothing.
        Some(id) => {
            Some(Some(stored_equipments::by_short_id(conn, id)?.filter(|e| e.user_id == owner.id).map_or(-1, |e| e.id)))
        }
    };
    filter.visibility = match q.text("workout_visibility") {
        None => None,
        Some(v) => Some(Visibility::parse(v).ok_or_else(|| HttpError::bad_request("invalid value for visibility"))?),
    };
    filter.near = near(&q)?;
    Ok(filter)
}

/// `coordinates=lat,lon` and `radius` (km, 10 by default).
fn near(q: &Bounds<'_>) -> Result<Option<(f64, f64, f64)>, HttpError> {
    let Some(coordinates) = q.text("coordinates") else { return Ok(None) };
    let radius = match q.text("radius") {
        None => 10.0,
        Some(r) => r
            .parse::<f64>()
            .ok()
            .filter(|r| *r > 0.0 && r.is_finite())
            .ok_or_else(|| HttpError::bad_request("invalid radius, must be an float greater than zero"))?,
    };
    let parsed = coordinates
        .split_once(',')
        .and_then(|(lat, lon)| Some((lat.trim().parse::<f64>().ok()?, lon.trim().parse::<f64>().ok()?)));
    let (lat, lon) = parsed
        .filter(|(lat, lon)| lat.abs() <= 90.0 && lon.abs() <= 180.0)
        .ok_or_else(|| HttpError::bad_request("invalid coordinates"))?;
    Ok(Some((lat, lon, radius)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn durations_and_paces_in_filters() {
        assert_eq!(parse_duration("1:30"), Some(5400.0));
        assert_eq!(parse_duration("01:30:15"), Some(5415.0));
        for bad in ["24:00", "1:60", "1", "a:b", "1:2:3:4", "", "1:"] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
        assert_eq!(parse_pace("5:30"), Some(330.0));
        assert_eq!(parse_pace("5:75"), None);
        assert_eq!(parse_pace("0:00"), None);
    }

    #[test]
    fn data_may_carry_raw_newlines_in_strings() {
        let value = lenient_json("{\"sport_id\": 1, \"notes\": \"line one\nline \\\"two\\\"\tend\"}").unwrap();
        assert_eq!(value["notes"], "line one\nline \"two\"\tend");
        assert_eq!(lenient_json("{\"a\": \"x\\\\\", \"b\": 1}").unwrap()["b"], 1);
        assert!(lenient_json("{\"sport_id\": 1, \"notes\": \"unterminated}").is_none());
    }

    #[test]
    fn sport_ids_are_integers_or_digit_strings() {
        assert_eq!(sport_id(Some(&json!(5))).unwrap(), 5);
        assert_eq!(sport_id(Some(&json!("5"))).unwrap(), 5);
        for bad in [json!("5a"), json!(""), json!(5.5), json!(null), json!("-1"), json!(true)] {
            assert!(sport_id(Some(&bad)).is_err(), "{bad}");
        }
        assert!(sport_id(None).is_err());
    }
}
