//! What a user changes about themself: profile fields, preferences, email
//! and password. The JSON API and the profile page both come through here.

use serde_json::{Map, Value};

use super::passwords::Hasher;
use super::{canonical_timezone, email_errors, language_or_default, password_errors};
use crate::store::users::{self, Preferences, ProfileFields};
use crate::store::{self, Db};

pub const PROFILE_KEYS: [&str; 5] = ["first_name", "last_name", "bio", "birth_date", "location"];

pub const PREFERENCE_KEYS: [&str; 19] = [
    "analysis_visibility",
    "calories_visibility",
    "date_format",
    "display_ascent",
    "hide_profile_in_users_directory",
    "hr_visibility",
    "imperial_units",
    "language",
    "manually_approves_followers",
    "map_visibility",
    "missing_elevations_processing",
    "segments_creation_event",
    "split_workout_charts",
    "start_elevation_at_zero",
    "timezone",
    "use_dark_mode",
    "use_raw_gpx_speed",
    "weekm",
    "workouts_visibility",
];

/// From the narrowest: `private` beats `followers_only`, which beats `public`.
pub const VISIBILITIES: [&str; 3] = ["private", "followers_only", "public"];
const SEGMENTS_CREATION_EVENTS: [&str; 3] = ["all", "none", "only_manual"];
const ELEVATION_SOURCES: [&str; 4] = ["file", "open_elevation", "open_elevation_smooth", "valhalla"];

/// Profile fields from a JSON object that has all five keys (values may be
/// null or empty). Messages end in "\n", FitTrackee style.
pub fn profile_fields(body: &Map<String, Value>) -> Result<ProfileFields, String> {
    if PROFILE_KEYS.iter().any(|k| !body.contains_key(*k)) {
        return Err("invalid payload".into());
    }
    let text = |key: &str, max: usize, errors: &mut String| -> Option<String> {
        let value = match &body[key] {
            Value::String(s) if !s.trim().is_empty() => s.trim().to_string(),
            Value::String(_) | Value::Null => return None,
            _ => {
                errors.push_str(&format!("{key}: must be a string\n"));
                return None;
            }
        };
        if value.chars().count() > max {
            errors.push_str(&format!("{key}: {max} characters maximum\n"));
        }
        Some(value)
    };
    let mut errors = String::new();
    let fields = ProfileFields {
        first_name: text("first_name", 80, &mut errors),
        last_name: text("last_name", 80, &mut errors),
        bio: text("bio", 200, &mut errors),
        location: text("location", 80, &mut errors),
        birth_date: text("birth_date", 10, &mut errors),
    };
    if let Some(date) = &fields.birth_date
        && date.parse::<jiff::civil::Date>().is_err()
    {
        errors.push_str("birth_date: a date in the format YYYY-MM-DD is required\n");
    }
    if errors.is_empty() { Ok(fields) } else { Err(errors) }
}

pub fn update_profile(db: &mut Db<'_>, user_id: i64, fields: &ProfileFields) -> Result<(), store::Error> {
    db.write(|tx| users::set_profile(tx, user_id, fields))
}

/// `current` with the preferences present in `changes` (any subset of the
/// 19 keys; unknown keys are ignored, but at least one must be known).
pub fn apply_preferences(current: &Preferences, changes: &Map<String, Value>) -> Result<Preferences, String> {
    if !changes.keys().any(|k| PREFERENCE_KEYS.contains(&k.as_str())) {
        return Err("invalid payload".into());
    }
    let mut p = current.clone();
    for (key, value) in changes {
        let invalid = || format!("invalid value for '{key}'");
        let flag = || value.as_bool().ok_or_else(invalid);
        let choice =
            |allowed: &[&str]| value.as_str().filter(|v| allowed.contains(v)).map(str::to_owned).ok_or_else(invalid);
        match key.as_str() {
            "timezone" => p.timezone = value.as_str().and_then(canonical_timezone).ok_or_else(invalid)?,
            "language" => p.language = language_or_default(value.as_str()).to_string(),
            "date_format" => {
                p.date_format = value.as_str().filter(|f| !f.is_empty() && f.len() <= 50).ok_or_else(invalid)?.into();
            }
            "weekm" => p.weekm = flag()?,
            "imperial_units" => p.imperial_units = flag()?,
            "display_ascent" => p.display_ascent = flag()?,
            "start_elevation_at_zero" => p.start_elevation_at_zero = flag()?,
            "use_raw_gpx_speed" => p.use_raw_gpx_speed = flag()?,
            "split_workout_charts" => p.split_workout_charts = flag()?,
            "manually_approves_followers" => p.manually_approves_followers = flag()?,
            "hide_profile_in_users_directory" => p.hide_profile_in_users_directory = flag()?,
            "use_dark_mode" => p.use_dark_mode = if value.is_null() { None } else { Some(flag()?) },
            "segments_creation_event" => p.segments_creation_event = choice(&SEGMENTS_CREATION_EVENTS)?,
            "workouts_visibility" => p.workouts_visibility = choice(&VISIBILITIES)?,
            "analysis_visibility" => p.analysis_visibility = choice(&VISIBILITIES)?,
            "map_visibility" => p.map_visibility = choice(&VISIBILITIES)?,
            "hr_visibility" => p.hr_visibility = choice(&VISIBILITIES)?,
            "calories_visibility" => p.calories_visibility = choice(&VISIBILITIES)?,
            "missing_elevations_processing" => p.missing_elevations_processing = choice(&ELEVATION_SOURCES)?,
            _ => {}
        }
    }
    // The analysis is never shown wider than the workout, nor the map wider than the analysis.
    p.analysis_visibility = narrowest(&p.analysis_visibility, &p.workouts_visibility);
    p.map_visibility = narrowest(&p.map_visibility, &p.analysis_visibility);
    Ok(p)
}

pub fn narrowest(a: &str, b: &str) -> String {
    let rank = |v: &str| VISIBILITIES.iter().position(|x| *x == v).unwrap_or(0);
    if rank(a) <= rank(b) { a.to_string() } else { b.to_string() }
}

pub fn update_preferences(db: &mut Db<'_>, user_id: i64, preferences: &Preferences) -> Result<(), store::Error> {
    db.write(|tx| users::set_preferences(tx, user_id, preferences))
}

/// Both at once (the profile page edits some of each).
pub fn update_profile_and_preferences(
    db: &mut Db<'_>,
    user_id: i64,
    fields: &ProfileFields,
    preferences: &Preferences,
) -> Result<(), store::Error> {
    db.write(|tx| {
        users::set_profile(tx, user_id, fields)?;
        users::set_preferences(tx, user_id, preferences)
    })
}

pub struct AccountChange<'a> {
    pub email: Option<&'a str>,
    pub password: Option<&'a str>,
    pub new_password: Option<&'a str>,
}

#[derive(Debug)]
pub enum AccountError {
    /// 400 with this message.
    Invalid(String),
    /// The current password is wrong (401).
    WrongPassword,
    Store(store::Error),
}

impl From<store::Error> for AccountError {
    fn from(e: store::Error) -> Self {
        AccountError::Store(e)
    }
}

/// Changes the email and/or password; the current password is required.
/// A new password ends every other session and every OAuth grant of the user.
pub fn change_account(
    db: &mut Db<'_>,
    hasher: &Hasher,
    user_id: i64,
    current_session: Option<i64>,
    change: &AccountChange<'_>,
    now: i64,
) -> Result<(), AccountError> {
    let email = change.email.ok_or_else(|| AccountError::Invalid("email is missing".into()))?;
    let password = change.password.ok_or_else(|| AccountError::Invalid("current password is missing".into()))?;
    let stored = users::password_hash(db, user_id)?.unwrap_or_default();
    if !hasher.verify(password, &stored) {
        return Err(AccountError::WrongPassword);
    }
    let problems = email_errors(email).to_string() + change.new_password.map_or("", password_errors);
    if !problems.is_empty() {
        return Err(AccountError::Invalid(problems));
    }
    let new_hash = change.new_password.map(|p| hasher.hash(p));
    db.write(|tx| {
        let user = users::by_id(tx, user_id)?.ok_or(store::Error::QueryReturnedNoRows)?;
        if !user.email.eq_ignore_ascii_case(email) {
            if users::email_taken(tx, email)? {
                return Err(AccountError::Invalid("sorry, that email is already used".into()));
            }
            users::set_email(tx, user_id, email)?;
        }
        if let Some(hash) = &new_hash {
            users::set_password_hash(tx, user_id, hash)?;
            super::end_access(tx, user_id, current_session, now)?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn defaults() -> Preferences {
        Preferences {
            timezone: "Europe/Paris".into(),
            language: "en".into(),
            date_format: "MM/dd/yyyy".into(),
            weekm: false,
            imperial_units: false,
            display_ascent: true,
            start_elevation_at_zero: false,
            use_raw_gpx_speed: false,
            use_dark_mode: None,
            split_workout_charts: false,
            segments_creation_event: "only_manual".into(),
            workouts_visibility: "private".into(),
            analysis_visibility: "private".into(),
            map_visibility: "private".into(),
            hr_visibility: "private".into(),
            calories_visibility: "private".into(),
            manually_approves_followers: true,
            hide_profile_in_users_directory: true,
            missing_elevations_processing: "file".into(),
        }
    }

    fn map(value: Value) -> Map<String, Value> {
        value.as_object().unwrap().clone()
    }

    #[test]
    fn a_subset_of_preferences_is_applied_and_visibilities_cascade() {
        let p = apply_preferences(
            &defaults(),
            &map(json!({"imperial_units": true, "workouts_visibility": "followers_only",
                        "analysis_visibility": "public", "map_visibility": "public", "language": "xx",
                        "use_dark_mode": null, "unknown": 1})),
        )
        .unwrap();
        assert!(p.imperial_units);
        assert_eq!(p.workouts_visibility, "followers_only");
        assert_eq!(p.analysis_visibility, "followers_only", "clamped to the workout");
        assert_eq!(p.map_visibility, "followers_only", "clamped to the analysis");
        assert_eq!(p.language, "en");
        assert_eq!(p.timezone, "Europe/Paris", "untouched");
    }

    #[test]
    fn preferences_need_a_known_key_and_valid_values() {
        assert_eq!(apply_preferences(&defaults(), &map(json!({"nothing": 1}))), Err("invalid payload".into()));
        assert_eq!(
            apply_preferences(&defaults(), &map(json!({"map_visibility": "everyone"}))),
            Err("invalid value for 'map_visibility'".into())
        );
        assert!(apply_preferences(&defaults(), &map(json!({"weekm": "yes"}))).is_err());
        assert!(apply_preferences(&defaults(), &map(json!({"timezone": "Mars/Olympus"}))).is_err());
        let p = apply_preferences(&defaults(), &map(json!({"timezone": "america/new_york"}))).unwrap();
        assert_eq!(p.timezone, "America/New_York");
    }

    #[test]
    fn profile_fields_need_all_keys_and_fit_their_columns() {
        let ok = profile_fields(&map(json!({"first_name": "Ann", "last_name": null, "bio": "", "birth_date": "1990-02-03", "location": " Lyon "}))).unwrap();
        assert_eq!(
            (ok.first_name.as_deref(), ok.last_name, ok.bio, ok.location.as_deref()),
            (Some("Ann"), None, None, Some("Lyon"))
        );
        assert_eq!(profile_fields(&map(json!({"first_name": "Ann"}))), Err("invalid payload".into()));
        let errors = profile_fields(&map(json!({"first_name": "a".repeat(81), "last_name": null, "bio": "b".repeat(201), "birth_date": "03/02/1990", "location": null}))).unwrap_err();
        assert_eq!(
            errors,
            "first_name: 80 characters maximum\nbio: 200 characters maximum\nbirth_date: a date in the format YYYY-MM-DD is required\n"
        );
    }

    #[test]
    fn narrowest_visibility_wins() {
        assert_eq!(narrowest("public", "private"), "private");
        assert_eq!(narrowest("followers_only", "public"), "followers_only");
    }
}
