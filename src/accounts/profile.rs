//! What a user changes about themself: profile fields, preferences, email
//! and password. The JSON API and the profile page both come through here.

use std::fmt;

use super::passwords::Hasher;
use super::rules::{
    FieldProblem, Problems, canonical_timezone, email_problems, language_or_default, password_problems,
};
use super::user::{Preferences, ProfileFields};
use crate::store::{self, Db, users};
use crate::visibility::Visibility;

/// The longest value of each profile field.
const LIMITS: [(&str, usize); 4] = [("first_name", 80), ("last_name", 80), ("bio", 200), ("location", 80)];

/// Checks the fields (trimmed; empty ones are absent), in FitTrackee's
/// order: lengths field by field, then the birth date.
pub fn check_profile(fields: ProfileFields) -> Result<ProfileFields, Problems> {
    let clean = |value: Option<String>| value.map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
    let fields = ProfileFields {
        first_name: clean(fields.first_name),
        last_name: clean(fields.last_name),
        bio: clean(fields.bio),
        location: clean(fields.location),
        birth_date: clean(fields.birth_date),
    };
    let values = [&fields.first_name, &fields.last_name, &fields.bio, &fields.location];
    let mut problems: Vec<FieldProblem> = LIMITS
        .iter()
        .zip(values)
        .filter(|((_, max), value)| value.as_ref().is_some_and(|v| v.chars().count() > *max))
        .map(|((field, max), _)| FieldProblem::TooLong { field, max: *max })
        .collect();
    if let Some(date) = &fields.birth_date {
        if date.chars().count() > 10 {
            problems.push(FieldProblem::TooLong { field: "birth_date", max: 10 });
        }
        if date.parse::<jiff::civil::Date>().is_err() {
            problems.push(FieldProblem::NotADate { field: "birth_date" });
        }
    }
    if problems.is_empty() { Ok(fields) } else { Err(Problems(problems)) }
}

pub fn update_profile(db: &mut Db<'_>, user_id: i64, fields: &ProfileFields) -> Result<(), store::Error> {
    db.write(|tx| users::set_profile(tx, user_id, fields))
}

/// Preferences to change; `None` keeps the current value.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PreferencesChange {
    pub timezone: Option<String>,
    pub language: Option<String>,
    pub date_format: Option<String>,
    pub weekm: Option<bool>,
    pub imperial_units: Option<bool>,
    pub display_ascent: Option<bool>,
    pub start_elevation_at_zero: Option<bool>,
    pub use_raw_gpx_speed: Option<bool>,
    /// `Some(None)`: follow the browser.
    pub use_dark_mode: Option<Option<bool>>,
    pub split_workout_charts: Option<bool>,
    pub manually_approves_followers: Option<bool>,
    pub hide_profile_in_users_directory: Option<bool>,
    pub segments_creation_event: Option<String>,
    pub workouts_visibility: Option<Visibility>,
    pub analysis_visibility: Option<Visibility>,
    pub map_visibility: Option<Visibility>,
    pub hr_visibility: Option<Visibility>,
    pub calories_visibility: Option<Visibility>,
    pub missing_elevations_processing: Option<String>,
}

/// A preference whose value is not one it takes (its key).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InvalidPreference(pub &'static str);

impl fmt::Display for InvalidPreference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid value for '{}'", self.0)
    }
}

const SEGMENTS_CREATION_EVENTS: [&str; 3] = ["all", "none", "only_manual"];
const ELEVATION_SOURCES: [&str; 4] = ["file", "open_elevation", "open_elevation_smooth", "valhalla"];

/// `current` with `change` applied. The analysis is never shown wider than
/// the workout, nor the map wider than the analysis.
pub fn apply_preferences(current: &Preferences, change: &PreferencesChange) -> Result<Preferences, InvalidPreference> {
    let mut p = current.clone();
    if let Some(zone) = &change.timezone {
        p.timezone = canonical_timezone(zone).ok_or(InvalidPreference("timezone"))?;
    }
    if let Some(language) = &change.language {
        p.language = language_or_default(Some(language)).to_string();
    }
    if let Some(format) = &change.date_format {
        if format.is_empty() || format.len() > 50 {
            return Err(InvalidPreference("date_format"));
        }
        p.date_format = format.clone();
    }
    let choice = |value: &Option<String>, allowed: &[&str], key| match value {
        Some(v) if !allowed.contains(&v.as_str()) => Err(InvalidPreference(key)),
        other => Ok(other.clone()),
    };
    if let Some(event) = choice(&change.segments_creation_event, &SEGMENTS_CREATION_EVENTS, "segments_creation_event")?
    {
        p.segments_creation_event = event;
    }
    let source = choice(&change.missing_elevations_processing, &ELEVATION_SOURCES, "missing_elevations_processing")?;
    if let Some(source) = source {
        p.missing_elevations_processing = source;
    }
    apply_flags(&mut p, change);
    apply_visibilities(&mut p, change);
    Ok(p)
}

fn apply_flags(p: &mut Preferences, c: &PreferencesChange) {
    let set = |target: &mut bool, value: Option<bool>| *target = value.unwrap_or(*target);
    set(&mut p.weekm, c.weekm);
    set(&mut p.imperial_units, c.imperial_units);
    set(&mut p.display_ascent, c.display_ascent);
    set(&mut p.start_elevation_at_zero, c.start_elevation_at_zero);
    set(&mut p.use_raw_gpx_speed, c.use_raw_gpx_speed);
    set(&mut p.split_workout_charts, c.split_workout_charts);
    set(&mut p.manually_approves_followers, c.manually_approves_followers);
    set(&mut p.hide_profile_in_users_directory, c.hide_profile_in_users_directory);
    if let Some(dark) = c.use_dark_mode {
        p.use_dark_mode = dark;
    }
}

fn apply_visibilities(p: &mut Preferences, c: &PreferencesChange) {
    for (target, value) in [
        (&mut p.workouts_visibility, c.workouts_visibility),
        (&mut p.analysis_visibility, c.analysis_visibility),
        (&mut p.map_visibility, c.map_visibility),
        (&mut p.hr_visibility, c.hr_visibility),
        (&mut p.calories_visibility, c.calories_visibility),
    ] {
        *target = value.unwrap_or(*target);
    }
    p.analysis_visibility = p.analysis_visibility.within(p.workouts_visibility);
    p.map_visibility = p.map_visibility.within(p.analysis_visibility);
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
    MissingEmail,
    MissingPassword,
    /// The current password is wrong (401).
    WrongPassword,
    Invalid(Problems),
    EmailTaken,
    Store(store::Error),
}

impl fmt::Display for AccountError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AccountError::MissingEmail => f.write_str("email is missing"),
            AccountError::MissingPassword => f.write_str("current password is missing"),
            AccountError::WrongPassword => f.write_str("invalid credentials"),
            AccountError::Invalid(problems) => problems.fmt(f),
            AccountError::EmailTaken => f.write_str("sorry, that email is already used"),
            AccountError::Store(e) => e.fmt(f),
        }
    }
}

impl From<store::Error> for AccountError {
    fn from(e: store::Error) -> Self {
        AccountError::Store(e)
    }
}

/// Changes the email and/or password; the current password is required.
/// A new password ends every other session, every grant and every
/// unexchanged code of the user (`end_access`).
pub fn change_account(
    db: &mut Db<'_>,
    hasher: &Hasher,
    user_id: i64,
    current_session: Option<i64>,
    change: &AccountChange<'_>,
    now: i64,
) -> Result<(), AccountError> {
    let email = change.email.ok_or(AccountError::MissingEmail)?;
    let password = change.password.ok_or(AccountError::MissingPassword)?;
    let stored = users::password_hash(db, user_id)?.unwrap_or_default();
    if !hasher.verify(password, &stored) {
        return Err(AccountError::WrongPassword);
    }
    let problems = email_problems(email).extend(change.new_password.map(password_problems).unwrap_or_default());
    if !problems.is_empty() {
        return Err(AccountError::Invalid(problems));
    }
    let new_hash = change.new_password.map(|p| hasher.hash(p));
    db.write(|tx| {
        let user = users::by_id(tx, user_id)?.ok_or(store::Error::QueryReturnedNoRows)?;
        if !user.email.eq_ignore_ascii_case(email) {
            if users::email_taken(tx, email)? {
                return Err(AccountError::EmailTaken);
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
pub(crate) mod tests {
    use super::*;

    pub fn defaults() -> Preferences {
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
            workouts_visibility: Visibility::Private,
            analysis_visibility: Visibility::Private,
            map_visibility: Visibility::Private,
            hr_visibility: Visibility::Private,
            calories_visibility: Visibility::Private,
            manually_approves_followers: true,
            hide_profile_in_users_directory: true,
            missing_elevations_processing: "file".into(),
        }
    }

    #[test]
    fn a_subset_of_preferences_is_applied_and_visibilities_cascade() {
        let change = PreferencesChange {
            imperial_units: Some(true),
            workouts_visibility: Some(Visibility::FollowersOnly),
            analysis_visibility: Some(Visibility::Public),
            map_visibility: Some(Visibility::Public),
            language: Some("xx".into()),
            use_dark_mode: Some(None),
            ..PreferencesChange::default()
        };
        let p = apply_preferences(&defaults(), &change).unwrap();
        assert!(p.imperial_units);
        assert_eq!(p.workouts_visibility, Visibility::FollowersOnly);
        assert_eq!(p.analysis_visibility, Visibility::FollowersOnly, "clamped to the workout");
        assert_eq!(p.map_visibility, Visibility::FollowersOnly, "clamped to the analysis");
        assert_eq!(p.language, "en");
        assert_eq!(p.timezone, "Europe/Paris", "untouched");
    }

    #[test]
    fn preferences_need_valid_values() {
        let zone = |z: &str| PreferencesChange { timezone: Some(z.into()), ..PreferencesChange::default() };
        assert_eq!(apply_preferences(&defaults(), &zone("Mars/Olympus")), Err(InvalidPreference("timezone")));
        assert_eq!(apply_preferences(&defaults(), &zone("america/new_york")).unwrap().timezone, "America/New_York");
        let event =
            PreferencesChange { segments_creation_event: Some("sometimes".into()), ..PreferencesChange::default() };
        assert_eq!(
            apply_preferences(&defaults(), &event).unwrap_err().to_string(),
            "invalid value for 'segments_creation_event'"
        );
    }

    #[test]
    fn profile_fields_fit_their_columns() {
        let ok = check_profile(ProfileFields {
            first_name: Some("Ann".into()),
            bio: Some("".into()),
            birth_date: Some("1990-02-03".into()),
            location: Some(" Lyon ".into()),
            ..ProfileFields::default()
        })
        .unwrap();
        assert_eq!((ok.first_name.as_deref(), ok.bio, ok.location.as_deref()), (Some("Ann"), None, Some("Lyon")));
        let errors = check_profile(ProfileFields {
            first_name: Some("a".repeat(81)),
            bio: Some("b".repeat(201)),
            birth_date: Some("03/02/1990".into()),
            ..ProfileFields::default()
        })
        .unwrap_err();
        assert_eq!(
            errors.to_string(),
            "first_name: 80 characters maximum\nbio: 200 characters maximum\nbirth_date: a date in the format YYYY-MM-DD is required\n"
        );
    }
}
