//! Redirect URIs: what may be registered, and how a requested URI matches a
//! registered one: exact string comparison, except that for loopback IP
//! literals any port matches (RFC 8252 §7.3).

/// Checks a URI an app wants to register. `allow_http` lets plain-http URIs
/// on LAN hosts through (an admin's choice for home networks).
pub fn check_registrable(uri: &str, allow_http: bool) -> Result<(), String> {
    let Some(parts) = Parts::parse(uri) else {
        return Err("must be an absolute URI such as https://app.example/callback".into());
    };
    if uri.contains('#') {
        return Err("must not contain a fragment (#)".into());
    }
    if uri.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("must not contain spaces".into());
    }
    match parts.scheme.as_str() {
        "https" if !parts.host.is_empty() => Ok(()),
        "http" if !parts.host.is_empty() && (is_loopback_name(&parts.host) || allow_http) => Ok(()),
        "http" => Err("plain http is only allowed for localhost and loopback addresses (use https)".into()),
        "https" => Err("must name a host".into()),
        scheme if FORBIDDEN_SCHEMES.contains(&scheme) => Err(format!("the {scheme} scheme cannot receive codes")),
        scheme if scheme.contains('.') => Ok(()),
        _ => Err("private-use URI schemes must be reverse domain names, such as com.example.app:/callback".into()),
    }
}

const FORBIDDEN_SCHEMES: &[&str] = &["javascript", "data", "file", "vbscript", "about", "blob"];

/// Whether `requested` matches `registered`.
pub fn matches(registered: &str, requested: &str) -> bool {
    if registered == requested {
        return true;
    }
    match (Parts::parse(registered), Parts::parse(requested)) {
        (Some(reg), Some(req)) => {
            reg.scheme == "http"
                && is_loopback_ip(&reg.host)
                && reg.scheme == req.scheme
                && reg.host == req.host
                && reg.rest == req.rest
        }
        _ => false,
    }
}

/// The registered URI that `requested` matches, if any.
pub fn find_match<'a>(registered: &'a [String], requested: &str) -> Option<&'a String> {
    registered.iter().find(|r| matches(r, requested))
}

/// Appends form-encoded parameters, keeping any query already in the URI.
pub fn with_params(uri: &str, params: &[(&str, &str)]) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    query.extend_pairs(params);
    let separator = if uri.contains('?') { '&' } else { '?' };
    format!("{uri}{separator}{}", query.finish())
}

/// The host a redirect goes to, for the consent page.
pub fn host_of(uri: &str) -> String {
    match Parts::parse(uri) {
        Some(parts) if !parts.host.is_empty() => parts.host,
        Some(parts) => format!("{}: (an app on this device)", parts.scheme),
        None => uri.to_string(),
    }
}

fn is_loopback_ip(host: &str) -> bool {
    host == "127.0.0.1" || host == "[::1]"
}

fn is_loopback_name(host: &str) -> bool {
    is_loopback_ip(host) || host.eq_ignore_ascii_case("localhost")
}

/// scheme, host (without port), port, and the rest (path + query).
struct Parts {
    scheme: String,
    host: String,
    rest: String,
}

impl Parts {
    fn parse(uri: &str) -> Option<Parts> {
        let (scheme, after) = uri.split_once(':')?;
        let valid_scheme = scheme.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
        if !valid_scheme {
            return None;
        }
        let scheme = scheme.to_ascii_lowercase();
        let Some(authority_and_rest) = after.strip_prefix("//") else {
            // No authority (com.example.app:/callback).
            return (!after.is_empty()).then(|| Parts { scheme, host: String::new(), rest: after.to_string() });
        };
        let end = authority_and_rest.find(['/', '?', '#']).unwrap_or(authority_and_rest.len());
        let (authority, rest) = authority_and_rest.split_at(end);
        let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        let host = if host_port.starts_with('[') {
            host_port.find(']').map_or(host_port, |i| &host_port[..=i])
        } else {
            host_port.split(':').next().unwrap_or("")
        };
        Some(Parts { scheme, host: host.to_ascii_lowercase(), rest: rest.to_string() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registration_rules() {
        for ok in [
            "https://a.example/cb",
            "https://a.example/cb?x=1",
            "http://localhost:8080/cb",
            "http://127.0.0.1/cb",
            "http://[::1]:1965/",
            "com.example.app:/callback",
            "org.amazfish://oauth",
        ] {
            assert_eq!(check_registrable(ok, false), Ok(()), "{ok}");
        }
        for bad in [
            "https://a.example/cb#x",
            "/relative/cb",
            "abc123.social",
            "http://192.168.1.5/cb",
            "myapp:/cb",
            "javascript:alert(1)",
            "https:///cb",
            "https://a.example/c b",
            "",
        ] {
            assert!(check_registrable(bad, false).is_err(), "{bad}");
        }
        assert_eq!(check_registrable("http://192.168.1.5/cb", true), Ok(()));
    }

    /// After fosite's TestDoesClientWhiteListRedirect.
    #[test]
    fn exact_matching_with_loopback_ports() {
        let cases = [
            ("https://a/cb", "https://a/cb", true),
            ("https://a/cb", "https://a/cb/", false),
            ("https://a/cb", "https://a/CB", false),
            ("https://a/cb", "https://a/cb?x=1", false),
            ("https://a/cb?x=1", "https://a/cb?x=2", false),
            ("https://a/cb?x=1", "https://a/cb?x=1", true),
            ("https://a/cb", "https://a:443/cb", false),
            ("https://a/cb", "http://a/cb", false),
            ("http://127.0.0.1/cb", "http://127.0.0.1:51004/cb", true),
            ("http://127.0.0.1:1965/", "http://127.0.0.1:2000/", true),
            ("http://127.0.0.1/cb", "http://127.0.0.1:51004/other", false),
            ("http://127.0.0.1/cb", "http://127.0.0.1:51004/cb?x=1", false),
            ("http://[::1]/cb", "http://[::1]:8080/cb", true),
            ("http://127.0.0.1/cb", "http://localhost:5000/cb", false),
            ("http://localhost/cb", "http://localhost:5000/cb", false),
            ("http://127.0.0.1/cb", "https://127.0.0.1:5000/cb", false),
            ("com.example.app:/cb", "com.example.app:/cb", true),
            ("com.example.app:/cb", "com.example.app:/cb2", false),
        ];
        for (registered, requested, expected) in cases {
            assert_eq!(matches(registered, requested), expected, "{registered} vs {requested}");
        }
    }

    #[test]
    fn parameters_are_appended_to_an_existing_query() {
        assert_eq!(
            with_params("https://a/cb", &[("code", "x"), ("state", "a+b c&d")]),
            "https://a/cb?code=x&state=a%2Bb+c%26d"
        );
        assert_eq!(with_params("https://a/cb?x=1", &[("code", "x")]), "https://a/cb?x=1&code=x");
        assert_eq!(host_of("https://app.example:8443/cb"), "app.example");
    }
}
