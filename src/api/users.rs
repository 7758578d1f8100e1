//! How users are serialized (API.md §5.1). Features we do not have
//! (followers, reports, pictures…) get FitTrackee's neutral values so that
//! clients parsing the object keep working.

use serde_json::{Value, json};

use crate::dates::{http_date, http_date_of_day};
use crate::store::users::User;

/// The "light" object, as lists and other users see it.
pub fn light_json(user: &User) -> Value {
    json!({
        "created_at": http_date(user.created_at),
        "followers": 0,
        "following": 0,
        "nb_workouts": 0,
        "picture": false,
        "role": user.role.name(),
        "suspended_at": user.suspended_at.map(http_date),
        "username": user.username,
    })
}

/// The full object a user sees of themself.
pub fn own_profile_json(user: &User) -> Value {
    let p = &user.prefs;
    let mut value = light_json(user);
    let extra = json!({
        "is_active": user.is_active,
        "email": user.email,
        "email_to_confirm": null,
        "bio": user.bio,
        "birth_date": user.birth_date.as_deref().and_then(http_date_of_day),
        "first_name": user.first_name,
        "last_name": user.last_name,
        "location": user.location,
        "nb_sports": 0,
        "records": [],
        "sports_list": [],
        "total_ascent": 0.0,
        "total_distance": 0.0,
        "total_duration": "0:00:00",
        "accepted_privacy_policy": user.accepted_policy_at.is_some(),
        "date_format": p.date_format,
        "display_ascent": p.display_ascent,
        "imperial_units": p.imperial_units,
        "language": p.language,
        "start_elevation_at_zero": p.start_elevation_at_zero,
        "timezone": p.timezone,
        "use_dark_mode": p.use_dark_mode,
        "use_raw_gpx_speed": p.use_raw_gpx_speed,
        "weekm": p.weekm,
        "map_visibility": p.map_visibility,
        "analysis_visibility": p.analysis_visibility,
        "workouts_visibility": p.workouts_visibility,
        "hr_visibility": p.hr_visibility,
        "calories_visibility": p.calories_visibility,
        "segments_creation_event": p.segments_creation_event,
        "manually_approves_followers": p.manually_approves_followers,
        "hide_profile_in_users_directory": p.hide_profile_in_users_directory,
        "sanctions_count": 0,
        "notification_preferences": {},
        "split_workout_charts": p.split_workout_charts,
        "messages_preferences": {},
        "missing_elevations_processing": p.missing_elevations_processing,
    });
    if let (Value::Object(base), Value::Object(extra)) = (&mut value, extra) {
        base.extend(extra);
    }
    value
}
