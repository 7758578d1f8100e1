//! FitTrackee's rules for account fields, with its exact messages (each
//! problem is one line ending in "\n"; several are sent together).

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FieldProblem {
    UsernameLength,
    UsernameCharacters,
    InvalidEmail,
    PasswordTooShort,
    TooLong { field: &'static str, max: usize },
    NotADate { field: &'static str },
    NotAString { field: &'static str },
}

impl fmt::Display for FieldProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldProblem::UsernameLength => f.write_str("username: 3 to 30 characters required"),
            FieldProblem::UsernameCharacters => {
                f.write_str("username: only alphanumeric characters and the underscore character \"_\" allowed")
            }
            FieldProblem::InvalidEmail => f.write_str("email: valid email must be provided"),
            FieldProblem::PasswordTooShort => f.write_str("password: 8 characters required"),
            FieldProblem::TooLong { field, max } => write!(f, "{field}: {max} characters maximum"),
            FieldProblem::NotADate { field } => write!(f, "{field}: a date in the format YYYY-MM-DD is required"),
            FieldProblem::NotAString { field } => write!(f, "{field}: must be a string"),
        }
    }
}

/// Several problems, as FitTrackee sends them: one line each.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Problems(pub Vec<FieldProblem>);

impl Problems {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn first(&self) -> Option<FieldProblem> {
        self.0.first().copied()
    }

    pub fn extend(mut self, more: Problems) -> Problems {
        self.0.extend(more.0);
        self
    }
}

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|problem| writeln!(f, "{problem}"))
    }
}

pub fn username_problems(username: &str) -> Problems {
    let mut out = Vec::new();
    if !(3..=30).contains(&username.chars().count()) {
        out.push(FieldProblem::UsernameLength);
    }
    if username.is_empty() || !username.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        out.push(FieldProblem::UsernameCharacters);
    }
    Problems(out)
}

pub fn email_problems(email: &str) -> Problems {
    Problems(if is_valid_email(email) { vec![] } else { vec![FieldProblem::InvalidEmail] })
}

pub fn password_problems(password: &str) -> Problems {
    Problems(if password.chars().count() >= 8 { vec![] } else { vec![FieldProblem::PasswordTooShort] })
}

/// FitTrackee's pattern: `^[a-zA-Z0-9_.+-]+@[a-zA-Z0-9-]+\.[a-zA-Z0-9-.]+$`.
pub fn is_valid_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    let Some((first, rest)) = domain.split_once('.') else {
        return false;
    };
    let all = |s: &str, extra: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || extra.contains(c));
    all(local, "_.+-") && all(first, "-") && all(rest, "-.")
}

/// Languages FitTrackee ships, with their own names; anything else falls back to `en`.
pub const LANGUAGES: &[(&str, &str)] = &[
    ("bg", "Български"),
    ("ca", "Català"),
    ("cs", "Čeština"),
    ("de", "Deutsch"),
    ("en", "English"),
    ("es", "Español"),
    ("eu", "Euskara"),
    ("fr", "Français"),
    ("gl", "Galego"),
    ("hr", "Hrvatski"),
    ("it", "Italiano"),
    ("kab", "Taqbaylit"),
    ("nb", "Norsk bokmål"),
    ("nl", "Nederlands"),
    ("pl", "Polski"),
    ("pt", "Português"),
    ("ru", "Русский"),
    ("tr", "Türkçe"),
    ("zh_Hans", "简体中文"),
];

pub fn language_or_default(language: Option<&str>) -> &str {
    language.filter(|l| LANGUAGES.iter().any(|(code, _)| code == l)).unwrap_or("en")
}

/// The IANA name of a known time zone, in its canonical spelling.
pub fn canonical_timezone(name: &str) -> Option<String> {
    Some(jiff::tz::db().get(name).ok()?.iana_name()?.to_string())
}

pub fn timezone_or_default(timezone: Option<&str>) -> String {
    timezone.and_then(canonical_timezone).unwrap_or_else(|| "Europe/Paris".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_rules_match_fittrackee() {
        assert!(username_problems("bob").is_empty() && username_problems("b_0b_9").is_empty());
        assert_eq!(username_problems("ab").to_string(), "username: 3 to 30 characters required\n");
        assert_eq!(
            username_problems("bo b!").to_string(),
            "username: only alphanumeric characters and the underscore character \"_\" allowed\n"
        );
        assert_eq!(username_problems(&"a".repeat(31)).to_string(), "username: 3 to 30 characters required\n");
        for good in ["a@b.c", "first.last+tag@sub-domain.example.org", "x_y@a-b.c-d.e"] {
            assert!(is_valid_email(good), "{good}");
        }
        for bad in ["", "a", "a@b", "@b.c", "a@.c", "a@b.", "a b@c.d", "a@b_c.d", "a@@b.c"] {
            assert!(!is_valid_email(bad), "{bad}");
        }
        assert_eq!(password_problems("1234567").to_string(), "password: 8 characters required\n");
        assert!(password_problems("12345678").is_empty());
        let all = username_problems("").extend(email_problems("x")).extend(password_problems("y"));
        assert_eq!(all.0.len(), 4);
    }

    #[test]
    fn unknown_language_and_timezone_fall_back() {
        assert_eq!(language_or_default(Some("fr")), "fr");
        assert_eq!(language_or_default(Some("xx")), "en");
        assert_eq!(timezone_or_default(Some("America/New_York")), "America/New_York");
        assert_eq!(timezone_or_default(Some("america/new_york")), "America/New_York");
        assert_eq!(timezone_or_default(Some("Mars/Olympus")), "Europe/Paris");
    }
}
