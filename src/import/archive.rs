//! A FitTrackee export archive (theirs or ours): `user_workouts_data.json`
//! with the workouts, `gpx/` with their files, `user_equipments_data.json`
//! with the equipment they name.

use std::io::Read;
use std::path::Path;

use serde_json::Value;

use super::{Item, What};
use crate::accounts::user::User;
use crate::equipments::{self, Equipment, EquipmentChange};
use crate::store::{Db, equipments as stored_equipments};
use crate::visibility::Visibility;
use crate::workouts::{ManualWorkout, RequestedVisibilities, WorkoutFields};

/// Entries are read up to this size: an export holds GPX files and JSON.
const MOST_BYTES: u64 = 512 << 20;

type Zip = zip::ZipArchive<std::fs::File>;

fn open(path: &Path) -> Option<Zip> {
    zip::ZipArchive::new(std::fs::File::open(path).ok()?).ok()
}

pub fn is_export(path: &Path) -> bool {
    path.is_file() && open(path).is_some_and(|mut zip| zip.by_name("user_workouts_data.json").is_ok())
}

fn entry(zip: &mut Zip, name: &str) -> Result<Vec<u8>, String> {
    let file = zip.by_name(name).map_err(|e| format!("{name}: {e}"))?;
    let mut bytes = Vec::new();
    file.take(MOST_BYTES).read_to_end(&mut bytes).map_err(|e| format!("{name}: {e}"))?;
    Ok(bytes)
}

fn json(zip: &mut Zip, name: &str) -> Result<Value, String> {
    serde_json::from_slice(&entry(zip, name)?).map_err(|e| format!("{name}: {e}"))
}

/// FitTrackee's dates: `Wed, 01 May 2024 07:00:00 GMT`.
pub fn http_date(text: &str) -> Option<i64> {
    let civil = jiff::civil::DateTime::strptime("%a, %d %b %Y %H:%M:%S GMT", text).ok()?;
    Some(jiff::tz::TimeZone::UTC.to_timestamp(civil).ok()?.as_second())
}

/// FitTrackee's durations: `1:02:03` (or `2 days, 1:02:03`).
pub fn duration(text: &str) -> Option<f64> {
    let (days, clock) = match text.split_once(", ") {
        Some((days, clock)) => (days.split_whitespace().next()?.parse::<f64>().ok()?, clock),
        None => (0.0, text),
    };
    let parts: Vec<f64> = clock.split(':').map(|p| p.parse().ok()).collect::<Option<_>>()?;
    let [h, m, s] = parts[..] else { return None };
    Some(days * 86_400.0 + h * 3600.0 + m * 60.0 + s)
}

pub fn items(db: &mut Db<'_>, user: &User, path: &Path) -> Result<Vec<Item>, String> {
    let mut zip = open(path).ok_or_else(|| format!("{} is not a zip archive", path.display()))?;
    let has_equipment = zip.index_for_name("user_equipments_data.json").is_some();
    let equipment = if has_equipment { json(&mut zip, "user_equipments_data.json")? } else { Value::Array(Vec::new()) };
    let labels = create_equipment(db, user, &equipment)?;
    let workouts = json(&mut zip, "user_workouts_data.json")?;
    let workouts = workouts.as_array().ok_or("user_workouts_data.json is not a list")?;
    workouts.iter().map(|w| item(db, user, &mut zip, w, &labels)).collect()
}

/// Creates the archive's equipment the user does not have (by label);
/// returns (label, short id) of all the user's equipment.
pub(super) fn create_equipment(
    db: &mut Db<'_>,
    user: &User,
    equipment: &Value,
) -> Result<Vec<(String, String)>, String> {
    for e in equipment.as_array().into_iter().flatten() {
        let Some(label) = e["label"].as_str() else { continue };
        if stored_equipments::label_taken(db, user.id, label, None).map_err(|e| e.to_string())? {
            continue;
        }
        let change = EquipmentChange {
            label: Some(label.to_string()),
            description: Some(e["description"].as_str().map(str::to_owned)),
            equipment_type_id: e["equipment_type"]["id"].as_i64(),
            is_active: e["is_active"].as_bool(),
            default_for_sport_ids: None,
            visibility: e["visibility"].as_str().and_then(Visibility::parse),
        };
        let blank = Equipment::blank(crate::shortid::new(), user.id, crate::clock::now());
        db.write(|tx| equipments::apply(tx, blank, &change, true)).map_err(|e| format!("equipment {label}: {e}"))?;
    }
    let all = stored_equipments::of_user(db, user.id, None).map_err(|e| e.to_string())?;
    Ok(all.into_iter().map(|e| (e.label, e.short_id)).collect())
}

fn item(db: &Db<'_>, user: &User, zip: &mut Zip, w: &Value, labels: &[(String, String)]) -> Result<Item, String> {
    let title = w["title"].as_str().unwrap_or("a workout").to_string();
    let sport = w["sport_label"].as_str().map(str::to_owned).unwrap_or_else(|| w["sport_id"].to_string());
    let sport_id = super::sport_id(db, &sport)?.ok_or_else(|| format!("{title}: no sport '{sport}' here"))?;
    let start = w["workout_date"].as_str().and_then(http_date);
    let fields = fields_of(w, labels);
    let what = match w["gpx"].as_str() {
        Some(name) => What::File { file_name: name.to_string(), content: entry(zip, &format!("gpx/{name}"))?, fields },
        None => What::Manual(
            manual(user, w, sport_id, start, fields).ok_or_else(|| format!("{title}: unreadable measures"))?,
        ),
    };
    Ok(Item { name: title, sport_id, start, what })
}

/// A workout's texts, visibilities and equipment (by label, among `labels`).
pub(super) fn fields_of(w: &Value, labels: &[(String, String)]) -> WorkoutFields {
    let title = w["title"].as_str().unwrap_or("a workout").to_string();
    let text = |key: &str| w[key].as_str().filter(|t| !t.is_empty()).map(str::to_owned);
    let visibility = |key: &str| w[key].as_str().and_then(Visibility::parse);
    let equipment_ids = w["equipments"].as_array().map(|list| {
        list.iter()
            .filter_map(|e| labels.iter().find(|(label, _)| Some(label.as_str()) == e["label"].as_str()))
            .map(|(_, id)| id.clone())
            .collect()
    });
    WorkoutFields {
        title: Some(title),
        description: text("description"),
        notes: text("notes"),
        equipment_ids,
        visibility: RequestedVisibilities {
            workout: visibility("workout_visibility"),
            analysis: visibility("analysis_visibility"),
            map: visibility("map_visibility"),
        },
    }
}

pub(super) fn manual(
    user: &User,
    w: &Value,
    sport_id: i64,
    start: Option<i64>,
    fields: WorkoutFields,
) -> Option<ManualWorkout> {
    let zone = jiff::tz::TimeZone::get(&user.prefs.timezone).ok()?;
    let local = jiff::Timestamp::from_second(start?).ok()?.to_zoned_datetime(zone);
    Some(ManualWorkout {
        sport_id,
        workout_date: local.strftime("%Y-%m-%d %H:%M").to_string(),
        duration: duration(w["duration"].as_str()?)?,
        distance: w["distance"].as_f64().unwrap_or(0.0),
        ascent: w["ascent"].as_f64(),
        descent: w["descent"].as_f64(),
        calories: w["calories"].as_f64(),
        fields,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fittrackees_dates_and_durations() {
        assert_eq!(http_date("Wed, 01 May 2024 07:00:00 GMT"), Some(1_714_546_800));
        assert_eq!(http_date("2024-05-01"), None);
        assert_eq!(duration("1:02:03"), Some(3723.0));
        assert_eq!(duration("2 days, 1:00:00"), Some(2.0 * 86_400.0 + 3600.0));
        assert_eq!(duration("soon"), None);
    }
}
