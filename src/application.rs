//! The application configuration administrators edit (`PATCH /api/config`,
//! the admin page), with FitTrackee's validation rules and messages.

use crate::accounts::rules::is_valid_email;

/// The admin-editable configuration (one row in the database).
#[derive(Debug, Clone, PartialEq)]
pub struct AppConfig {
    pub max_users: i64,
    pub max_single_file_size: i64,
    pub max_zip_file_size: i64,
    pub file_limit_import: i64,
    pub file_sync_limit_import: i64,
    pub stats_workouts_limit: i64,
    pub global_map_workouts_limit: i64,
    pub about: Option<String>,
    pub admin_contact: Option<String>,
    pub privacy_policy: Option<String>,
    pub privacy_policy_date: Option<i64>,
}

/// A change of the configuration: integers by key, and texts (`Some(None)`
/// or an empty text clears one).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConfigPatch {
    pub integers: Vec<(&'static str, i64)>,
    pub about: Option<Option<String>>,
    pub admin_contact: Option<Option<String>>,
    pub privacy_policy: Option<Option<String>>,
}

impl ConfigPatch {
    pub fn is_empty(&self) -> bool {
        self.integers.is_empty()
            && self.about.is_none()
            && self.admin_contact.is_none()
            && self.privacy_policy.is_none()
    }
}

#[derive(Debug, PartialEq)]
pub enum PatchError {
    /// Empty or unusable body.
    Payload,
    /// An integer above what the column holds (`config_value_exceeding_limit`).
    Exceeding { key: String, max_value: i64 },
    /// Value checks, reported together as an array.
    Messages(Vec<&'static str>),
    /// A rule across two values.
    Message(&'static str),
}

/// The integer settings, by the key they are sent with.
pub const INTEGER_KEYS: [&str; 7] = [
    "file_sync_limit_import",
    "file_limit_import",
    "max_single_file_size",
    "max_zip_file_size",
    "global_map_workouts_limit",
    "max_users",
    "stats_workouts_limit",
];

const INT_MAX: i64 = 2_147_483_647;
const GLOBAL_MAP_MAX: i64 = 50_000;

/// Integer settings with their minimum and the message when below it.
const INTEGERS: [(&str, i64, &str); 7] = [
    ("file_sync_limit_import", 1, "max files in a zip archive processed synchronously must be greater than 0"),
    ("file_limit_import", 1, "max files in a zip archive must be greater than 0"),
    ("max_single_file_size", 1, "max size of uploaded files must be greater than 0"),
    ("max_zip_file_size", 1, "max size of zip archive must be greater than 0"),
    ("global_map_workouts_limit", 1, "max number of workouts display on global map must be greater than 0"),
    ("max_users", 0, "max users must be greater than or equal to 0"),
    ("stats_workouts_limit", 0, "max number of workouts for statistics must be greater than or equal to 0"),
];

/// `current` with `patch` applied, or why it is refused.
pub fn apply(current: &AppConfig, patch: &ConfigPatch, now: i64) -> Result<AppConfig, PatchError> {
    if patch.is_empty() {
        return Err(PatchError::Payload);
    }
    let mut config = current.clone();
    let mut messages = Vec::new();
    for (key, minimum, message) in INTEGERS {
        let Some(&(_, value)) = patch.integers.iter().find(|(k, _)| *k == key) else { continue };
        let (limit, max_value) =
            if key == "global_map_workouts_limit" { (GLOBAL_MAP_MAX, GLOBAL_MAP_MAX) } else { (INT_MAX, INT_MAX + 1) };
        if value > limit {
            return Err(PatchError::Exceeding { key: key.to_string(), max_value });
        }
        if value < minimum {
            messages.push(message);
        }
        *integer_field(&mut config, key) = value;
    }
    if let Some(contact) = text(&patch.admin_contact) {
        if contact.as_deref().is_some_and(|c| !is_valid_email(c)) {
            messages.push("valid email must be provided for admin contact");
        }
        config.admin_contact = contact;
    }
    if !messages.is_empty() {
        return Err(PatchError::Messages(messages));
    }
    if let Some(about) = text(&patch.about) {
        config.about = about;
    }
    if let Some(policy) = text(&patch.privacy_policy) {
        config.privacy_policy_date = policy.as_ref().map(|_| now);
        config.privacy_policy = policy;
    }
    if config.max_zip_file_size < config.max_single_file_size {
        return Err(PatchError::Message(
            "max size of zip archive must be equal or greater than max size of uploaded files",
        ));
    }
    if config.file_limit_import < config.file_sync_limit_import {
        return Err(PatchError::Message(
            "max files in a zip archive must be equal or greater than max files in a zip archive processed synchronously",
        ));
    }
    Ok(config)
}

fn integer_field<'c>(config: &'c mut AppConfig, key: &str) -> &'c mut i64 {
    match key {
        "file_sync_limit_import" => &mut config.file_sync_limit_import,
        "file_limit_import" => &mut config.file_limit_import,
        "max_single_file_size" => &mut config.max_single_file_size,
        "max_zip_file_size" => &mut config.max_zip_file_size,
        "global_map_workouts_limit" => &mut config.global_map_workouts_limit,
        "max_users" => &mut config.max_users,
        _ => &mut config.stats_workouts_limit,
    }
}

/// A text setting, trimmed: `Some(None)` clears it (null or empty text).
fn text(value: &Option<Option<String>>) -> Option<Option<String>> {
    value.as_ref().map(|v| v.as_ref().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defaults() -> AppConfig {
        AppConfig {
            max_users: 0,
            max_single_file_size: 1_048_576,
            max_zip_file_size: 10_485_760,
            file_limit_import: 10,
            file_sync_limit_import: 10,
            stats_workouts_limit: 10_000,
            global_map_workouts_limit: 10_000,
            about: None,
            admin_contact: None,
            privacy_policy: None,
            privacy_policy_date: None,
        }
    }

    fn integers(pairs: &[(&'static str, i64)]) -> ConfigPatch {
        ConfigPatch { integers: pairs.to_vec(), ..ConfigPatch::default() }
    }

    fn patch(patch: ConfigPatch) -> Result<AppConfig, PatchError> {
        apply(&defaults(), &patch, 1000)
    }

    #[test]
    fn valid_changes_apply_and_empty_text_clears() {
        let c = patch(ConfigPatch {
            integers: vec![("max_users", 3)],
            about: Some(Some("  ".into())),
            privacy_policy: Some(Some("Be nice.".into())),
            admin_contact: Some(Some("a@b.c".into())),
        })
        .unwrap();
        assert_eq!((c.max_users, c.about.clone(), c.privacy_policy_date), (3, None, Some(1000)));
        assert_eq!(c.admin_contact.as_deref(), Some("a@b.c"));
        let clear = ConfigPatch { privacy_policy: Some(Some(String::new())), ..ConfigPatch::default() };
        let cleared = apply(&c, &clear, 2000).unwrap();
        assert_eq!((cleared.privacy_policy, cleared.privacy_policy_date), (None, None));
    }

    #[test]
    fn every_message_comes_back_in_one_array() {
        let mut all = integers(&[
            ("file_sync_limit_import", 0),
            ("file_limit_import", 0),
            ("max_single_file_size", 0),
            ("max_zip_file_size", 0),
            ("global_map_workouts_limit", 0),
            ("max_users", -1),
            ("stats_workouts_limit", -1),
        ]);
        all.admin_contact = Some(Some("nope".into()));
        let all = patch(all);
        let Err(PatchError::Messages(messages)) = all else { panic!("{all:?}") };
        assert_eq!(messages.len(), 8);
        assert_eq!(messages[7], "valid email must be provided for admin contact");
    }

    #[test]
    fn limits_and_cross_checks() {
        assert_eq!(
            patch(integers(&[("max_users", 2_147_483_648)])),
            Err(PatchError::Exceeding { key: "max_users".into(), max_value: 2_147_483_648 })
        );
        assert!(patch(integers(&[("max_users", 2_147_483_647)])).is_ok());
        assert_eq!(
            patch(integers(&[("global_map_workouts_limit", 50_001)])),
            Err(PatchError::Exceeding { key: "global_map_workouts_limit".into(), max_value: 50_000 })
        );
        assert!(
            matches!(patch(integers(&[("max_zip_file_size", 10)])), Err(PatchError::Message(m)) if m.starts_with("max size of zip"))
        );
        assert!(
            matches!(patch(integers(&[("file_limit_import", 5)])), Err(PatchError::Message(m)) if m.starts_with("max files in a zip"))
        );
        assert_eq!(patch(ConfigPatch::default()), Err(PatchError::Payload));
    }
}
