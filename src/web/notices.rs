//! What a page says after a redirect: `?done=<what>` names one of these
//! fixed sentences, so a link can never put words of its own on a page.

const NOTICES: &[(&str, &str)] = &[
    ("signed-out", "You are signed out. Sign in again to see your workouts."),
    ("registered", "Registration done: you can sign in."),
    ("uploaded", "Workout uploaded."),
    ("uploaded-many", "The archive's workouts are uploaded: here they are."),
    ("queued", "The archive is being processed: its workouts appear in the list as they are created."),
    ("created", "Workout added."),
    ("saved", "Changes saved."),
    ("deleted", "Workout deleted."),
    ("refreshed", "Workout computed again from its file."),
    ("equipment-added", "Equipment added."),
    ("equipment-deleted", "Equipment deleted."),
    ("sports-saved", "Sport preferences saved."),
    ("export-requested", "Your archive is being made: it appears below in a moment."),
    ("account-deleted", "Your account and everything in it are deleted."),
    ("password-changed", "Password changed: other browsers and apps were signed out."),
    ("settings-saved", "Application settings saved."),
    ("user-saved", "User updated."),
];

pub fn message(what: &str) -> Option<&'static str> {
    NOTICES.iter().find(|(key, _)| *key == what).map(|(_, message)| *message)
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_known_notices_are_shown() {
        assert_eq!(super::message("deleted"), Some("Workout deleted."));
        assert_eq!(super::message("<script>"), None);
    }
}
