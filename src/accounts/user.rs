//! Users as the rest of the server sees them: roles, accounts, profile
//! fields, preferences, and what the guard knows of a caller.

use crate::visibility::Visibility;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    User,
    Moderator,
    Admin,
    Owner,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::User, Role::Moderator, Role::Admin, Role::Owner];

    /// FitTrackee's numbers for roles, as stored.
    pub fn level(self) -> i64 {
        match self {
            Role::User => 10,
            Role::Moderator => 30,
            Role::Admin => 50,
            Role::Owner => 100,
        }
    }

    pub fn from_level(level: i64) -> Role {
        match level {
            100.. => Role::Owner,
            50.. => Role::Admin,
            30.. => Role::Moderator,
            _ => Role::User,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Role::User => "user",
            Role::Moderator => "moderator",
            Role::Admin => "admin",
            Role::Owner => "owner",
        }
    }

    pub fn parse(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.name() == name)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub email: String,
    pub role: Role,
    pub is_active: bool,
    pub suspended_at: Option<i64>,
    pub created_at: i64,
    /// `None`: never accepted; `Some(false)`: accepted before the current policy.
    pub accepted_current_policy: Option<bool>,
    pub nb_workouts: i64,
    pub has_picture: bool,
    pub profile: ProfileFields,
    pub prefs: Preferences,
}

/// What a user writes about themself (`POST /api/auth/profile/edit`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProfileFields {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub bio: Option<String>,
    pub location: Option<String>,
    /// `YYYY-MM-DD`.
    pub birth_date: Option<String>,
}

/// The preferences a user edits through `/api/auth/profile/edit/preferences`.
#[derive(Debug, Clone, PartialEq)]
pub struct Preferences {
    pub timezone: String,
    pub language: String,
    pub date_format: String,
    pub weekm: bool,
    pub imperial_units: bool,
    pub display_ascent: bool,
    pub start_elevation_at_zero: bool,
    pub use_raw_gpx_speed: bool,
    pub use_dark_mode: Option<bool>,
    pub split_workout_charts: bool,
    pub segments_creation_event: String,
    pub workouts_visibility: Visibility,
    pub analysis_visibility: Visibility,
    pub map_visibility: Visibility,
    pub hr_visibility: Visibility,
    pub calories_visibility: Visibility,
    pub manually_approves_followers: bool,
    pub hide_profile_in_users_directory: bool,
    pub missing_elevations_processing: String,
}

/// What the guard needs to know about the caller, read with the token check.
#[derive(Debug, Clone, PartialEq)]
pub struct AuthUser {
    pub id: i64,
    pub username: String,
    pub role: Role,
    pub is_active: bool,
    pub suspended: bool,
}
