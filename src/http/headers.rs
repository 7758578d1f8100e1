//! What may go into a response header. A value that echoes input (a
//! redirect target, a cookie, a file name) is checked here before it is
//! used; the HTTP layer refuses control bytes too (vendor/tiny_http patch 7),
//! and the dispatcher checks every answer last (see `server::dispatch`).

/// A header value without CR, LF, NUL or any other control byte (tab aside).
pub fn is_safe_value(value: &str) -> bool {
    value.bytes().all(|b| b == b'\t' || (b' '..=b'~').contains(&b))
}

/// Where to go back to after signing in: a `/`-rooted path of visible
/// ASCII that a browser cannot read as another host (`//host`, `/\host`,
/// any `\`, or a tab or line break that it would drop). Anything else is `/`.
pub fn return_path(from: Option<&str>) -> &str {
    match from {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.contains('\\')
                && path.bytes().all(|b| b.is_ascii_graphic()) =>
        {
            path
        }
        _ => "/",
    }
}

/// A file name for `Content-Disposition`: letters, digits and `._- `, else `fallback`.
pub fn attachment_name(name: &str, fallback: &str) -> String {
    let safe: String = name.chars().filter(|c| c.is_ascii_alphanumeric() || "._- ".contains(*c)).collect();
    let safe = safe.trim_matches(|c| c == '.' || c == ' ');
    if safe.is_empty() { fallback.to_string() } else { safe.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn only_local_paths_are_returned_to() {
        assert_eq!(return_path(Some("/profile/apps/authorize?x=1&y=%20")), "/profile/apps/authorize?x=1&y=%20");
        for bad in [
            "//evil.example/",
            "/\\evil.example/",
            "/a\\b",
            "\\\\evil.example",
            "https://evil.example/",
            "/\t/evil.example/x",
            "/\r\nSet-Cookie: ft_session=x",
            "/a\nb",
            "/a b",
            "/é",
            "/\u{0}",
            "",
            "profile",
        ] {
            assert_eq!(return_path(Some(bad)), "/", "{bad:?}");
        }
        assert_eq!(return_path(None), "/");
    }

    #[test]
    fn attachment_names_are_plain() {
        assert_eq!(attachment_name("ride.gpx", "workout.gpx"), "ride.gpx");
        assert_eq!(attachment_name("a\r\nb\";.fit", "workout.fit"), "ab.fit");
        assert_eq!(attachment_name("..", "workout.gpx"), "workout.gpx");
        assert_eq!(attachment_name("é", "workout.gpx"), "workout.gpx");
    }

    proptest! {
        #[test]
        fn a_return_path_is_always_a_safe_local_location(from in "\\PC*|[/\\\\\t\r\n %a-z.:@]{0,12}") {
            let path = return_path(Some(&from));
            prop_assert!(is_safe_value(path));
            prop_assert!(path.starts_with('/') && !path.starts_with("//") && !path.contains('\\'));
            prop_assert!(path.bytes().all(|b| b.is_ascii_graphic()));
        }

        #[test]
        fn attachment_names_are_always_safe(name in "\\PC*") {
            prop_assert!(is_safe_value(&attachment_name(&name, "workout.gpx")));
        }
    }
}
