//! Redirect URIs: what may be registered, and how a requested URI matches a
//! registered one. URIs are read with the `url` crate, which implements the
//! URL Standard that browsers follow: the host we check is the host the
//! browser goes to (`http://a.example\@127.0.0.1/` is `a.example` to both).
//!
//! Registration keeps only URIs that are already in their normal form and
//! carry no user name, backslash, whitespace or control character. A
//! requested URI matches a registered one byte for byte, or, for loopback IP
//! literals (RFC 8252 §7.3), byte for byte once the port is removed.

use std::net::{Ipv4Addr, Ipv6Addr};

use url::{Host, Url};

/// Checks a URI an app wants to register. `allow_http` lets plain-http URIs
/// on LAN hosts through (an admin's choice for home networks).
pub fn check_registrable(uri: &str, allow_http: bool) -> Result<(), String> {
    if uri.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("must not contain spaces or control characters".into());
    }
    if uri.contains('\\') {
        return Err("must not contain backslashes".into());
    }
    if uri.contains('#') {
        return Err("must not contain a fragment (#)".into());
    }
    let url =
        Url::parse(uri).map_err(|_| "must be an absolute URI such as https://app.example/callback".to_string())?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err("must not contain a user name or password (@)".into());
    }
    if url.as_str() != uri {
        return Err(format!("must be written in its normal form: {}", url.as_str()));
    }
    match url.scheme() {
        "https" if url.host().is_some() => Ok(()),
        "https" => Err("must name a host".into()),
        "http" if url.host().is_some_and(|h| is_loopback_name(&h) || allow_http) => Ok(()),
        "http" => Err("plain http is only allowed for localhost and loopback addresses (use https)".into()),
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
    let (Ok(reg), Ok(req)) = (Url::parse(registered), Url::parse(requested)) else {
        return false;
    };
    // The port of a loopback IP literal may vary; nothing else may, so both
    // must be in normal form and equal once the port is removed.
    reg.scheme() == "http"
        && reg.host().is_some_and(|h| is_loopback_ip(&h))
        && reg.as_str() == registered
        && req.as_str() == requested
        && without_port(reg) == without_port(req)
}

fn without_port(mut url: Url) -> String {
    // A URL with a host always takes a port change.
    let _ = url.set_port(None);
    url.into()
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

/// Where a browser sent to `uri` goes, for the consent page: the host (and
/// port) as the URL Standard reads it, or the app for a private-use scheme.
pub fn host_of(uri: &str) -> String {
    match Url::parse(uri) {
        Ok(url) => match (url.host_str(), url.port()) {
            (Some(host), Some(port)) => format!("{host}:{port}"),
            (Some(host), None) if !host.is_empty() => host.to_string(),
            _ => format!("{}: (an app on this device)", url.scheme()),
        },
        Err(_) => "(an address that is not a valid URL)".to_string(),
    }
}

fn is_loopback_ip(host: &Host<&str>) -> bool {
    matches!(host, Host::Ipv4(ip) if *ip == Ipv4Addr::LOCALHOST)
        || matches!(host, Host::Ipv6(ip) if *ip == Ipv6Addr::LOCALHOST)
}

fn is_loopback_name(host: &Host<&str>) -> bool {
    is_loopback_ip(host) || matches!(host, Host::Domain(name) if name.eq_ignore_ascii_case("localhost"))
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
            "http://attacker.example\\@127.0.0.1/cb",
            "http://attacker.example@127.0.0.1/cb",
            "http://user:pass@127.0.0.1/cb",
            "https://a.example",
            "HTTPS://a.example/cb",
            "https://A.example/cb",
            "http://127.1/cb",
            "https://a.example:443/cb",
            "https://a.example/./cb",
            "http://127.0.0.1:80\r\n/cb",
            "https://a.example/cb\u{0}",
        ] {
            assert!(check_registrable(bad, false).is_err(), "{bad:?}");
        }
        assert_eq!(check_registrable("http://192.168.1.5/cb", true), Ok(()));
        assert_eq!(
            check_registrable("https://a.example", false),
            Err("must be written in its normal form: https://a.example/".into())
        );
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
            // What browsers read differently from a hand-written parser.
            ("http://127.0.0.1/cb", "http://attacker.example\\@127.0.0.1/cb", false),
            ("http://127.0.0.1/cb", "http://attacker.example@127.0.0.1:80/cb", false),
            ("http://127.0.0.1/cb", "http://127.0.0.1:80\r\nSet-Cookie:x=1/cb", false),
            ("http://127.0.0.1/cb", "http://127.0.0.1:+80/cb", false),
            ("http://127.0.0.1/cb", "http://127.0.0.1:65536/cb", false),
            ("http://127.0.0.1/cb", "http://127.0.0.1:0080/cb", false),
            ("http://127.0.0.1/cb", "http://127.1:5000/cb", false),
            ("http://127.0.0.1/cb", "http://127.0.0.1.attacker.example:5000/cb", false),
            ("http://127.0.0.1/cb", "http://127.0.0.1:5000\\cb", false),
            ("http://127.0.0.1/cb", "http://127.0.0.1:5000/./cb", false),
            ("http://[::1]/cb", "http://[::1%25eth0]:5000/cb", false),
        ];
        for (registered, requested, expected) in cases {
            assert_eq!(matches(registered, requested), expected, "{registered} vs {requested:?}");
        }
    }

    #[test]
    fn parameters_are_appended_to_an_existing_query() {
        assert_eq!(
            with_params("https://a/cb", &[("code", "x"), ("state", "a+b c&d")]),
            "https://a/cb?code=x&state=a%2Bb+c%26d"
        );
        assert_eq!(with_params("https://a/cb?x=1", &[("code", "x")]), "https://a/cb?x=1&code=x");
    }

    #[test]
    fn the_consent_page_names_the_host_the_browser_goes_to() {
        assert_eq!(host_of("https://app.example:8443/cb"), "app.example:8443");
        assert_eq!(host_of("https://app.example/cb"), "app.example");
        assert_eq!(host_of("http://attacker.example\\@127.0.0.1/cb"), "attacker.example");
        assert_eq!(host_of("com.example.app:/cb"), "com.example.app: (an app on this device)");
        assert_eq!(host_of("http://[::1]:5000/"), "[::1]:5000");
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;
        use proptest::strategy::ValueTree;

        const REGISTERED: [&str; 6] = [
            "http://127.0.0.1/cb",
            "http://[::1]/cb",
            "http://127.0.0.1:8080/cb?x=1",
            "https://app.example/cb",
            "http://localhost/cb",
            "com.example.app:/cb",
        ];

        fn piece(options: &'static [&'static str]) -> impl Strategy<Value = String> {
            proptest::sample::select(options).prop_map(str::to_string)
        }

        /// Characters of every class, including what parsers disagree on.
        fn odd_char() -> impl Strategy<Value = String> {
            prop_oneof![
                piece(&["\\", "/", "@", ":", "?", "#", "%", ".", "[", "]", "\r", "\n", "\t", "\0", " ", "\u{7f}"]),
                piece(&["%2F", "%2f", "%40", "%5C", "%0d%0a", "%00", "%2e", "%3A", "%25", "%20"]),
                piece(&["\u{3002}", "\u{ff0e}", "\u{24db}", "\u{200b}", "é", "\u{feff}", "ß"]),
                any::<char>().prop_map(String::from),
            ]
        }

        fn insert_edits(mut text: String, edits: Vec<(prop::sample::Index, String)>) -> String {
            for (at, insert) in edits {
                let boundaries: Vec<usize> = (0..=text.len()).filter(|i| text.is_char_boundary(*i)).collect();
                text.insert_str(boundaries[at.index(boundaries.len())], &insert);
            }
            text
        }

        fn port() -> impl Strategy<Value = String> {
            piece(&[
                "",
                "",
                ":0",
                ":80",
                ":5000",
                ":8080",
                ":65535",
                ":65536",
                ":+80",
                ":00080",
                ":5000\r\n",
                ":50%0d%0a00",
                ": 80",
                ":\t80",
                ":443",
            ])
        }

        /// Built from pieces that parsers disagree on.
        fn assembled() -> impl Strategy<Value = String> {
            let scheme = piece(&[
                "http://",
                "https://",
                "HTTP://",
                "http:/",
                "http:\\\\",
                "http:///",
                " http://",
                "com.example.app:",
                "com.example.app://",
            ]);
            let userinfo = piece(&[
                "",
                "",
                "",
                "attacker.example@",
                "attacker.example\\@",
                "a:b@",
                "%40@",
                "user%2F@",
                "127.0.0.1@",
            ]);
            let host = piece(&[
                "127.0.0.1",
                "127.0.0.1",
                "[::1]",
                "[::1]",
                "127.1",
                "127.0.0.1.attacker.example",
                "[::1%25eth0]",
                "[0:0:0:0:0:0:0:1]",
                "localhost",
                "attacker.example",
                "app.example",
                "\u{24db}ocalhost",
                "127.0.0.1.",
                "0x7f.0.0.1",
                "xn--pple-43d.example",
                "app.example.",
                "APP.example",
                "2130706433",
                "127.0.0.1%2F@attacker.example",
            ]);
            let path = piece(&[
                "/cb",
                "/cb",
                "/cb?x=1",
                "/cb/",
                "/CB",
                "/cb#frag",
                "\\cb",
                "/%2e%2e/cb",
                "/./cb",
                "/cb%2F..",
                "//attacker.example/cb",
                "/cb\t",
                "/c\nb",
                "",
            ]);
            let edits = proptest::collection::vec((any::<prop::sample::Index>(), odd_char()), 0..3);
            (scheme, userinfo, host, port(), path, edits)
                .prop_map(|(s, u, h, p, path, edits)| insert_edits(format!("{s}{u}{h}{p}{path}"), edits))
        }

        /// A registered URI with another port, then odd characters anywhere.
        fn near_registered() -> impl Strategy<Value = String> {
            let edits = proptest::collection::vec((any::<prop::sample::Index>(), odd_char()), 0..3);
            (piece(&REGISTERED), port(), edits).prop_map(|(registered, port, edits)| {
                let url = Url::parse(&registered).unwrap();
                let text = match url.host_str() {
                    Some(host) if !host.is_empty() => registered.replacen(
                        &format!("{host}{}", url.port().map(|p| format!(":{p}")).unwrap_or_default()),
                        &format!("{host}{port}"),
                        1,
                    ),
                    _ => registered,
                };
                insert_edits(text, edits)
            })
        }

        fn candidate() -> impl Strategy<Value = String> {
            prop_oneof![assembled(), near_registered()]
        }

        /// Whenever we would redirect, the browser goes to the registered
        /// scheme, host, path and query, and the Location header is clean.
        fn check(registered: &str, requested: &str) -> bool {
            if !matches(registered, requested) {
                return false;
            }
            let (reg, req) = (Url::parse(registered).unwrap(), Url::parse(requested).expect("a matched URI parses"));
            assert_eq!(req.scheme(), reg.scheme(), "{requested:?}");
            assert_eq!(req.host(), reg.host(), "{requested:?}");
            assert_eq!(req.path(), reg.path(), "{requested:?}");
            assert_eq!(req.query(), reg.query(), "{requested:?}");
            assert_eq!(req.username(), "", "{requested:?}");
            assert!(!requested.bytes().any(|b| b.is_ascii_control()), "{requested:?}");
            true
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(4000))]

            #[test]
            fn a_matched_uri_leads_where_the_registered_one_does(requested in candidate()) {
                for registered in REGISTERED {
                    check_registrable(registered, false).expect("the registered URIs are valid");
                    check(registered, &requested);
                }
            }
        }

        /// The generator does reach URIs that match (the property is not vacuous).
        #[test]
        fn some_generated_uris_match() {
            let mut runner = proptest::test_runner::TestRunner::deterministic();
            let strategy = candidate();
            let matched = (0..4000)
                .filter(|_| {
                    let requested = strategy.new_tree(&mut runner).unwrap().current();
                    REGISTERED.iter().any(|registered| check(registered, &requested))
                })
                .count();
            assert!(matched > 20, "only {matched} of 4000 generated URIs matched");
        }
    }
}
