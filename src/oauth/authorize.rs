//! The authorization request (RFC 6749 §4.1.1), shared by the consent page
//! and `POST /api/oauth/authorize`.
//!
//! Validation order: client_id → redirect_uri → (only now may we redirect)
//! → response_type → PKCE → scope. A bad client or redirect URI is never
//! answered with a redirect: the browser would go wherever the attacker said.

use rusqlite::Connection;

use super::model::Client;
use super::scopes::{self, Scope};
use super::{Param, pkce, redirect_uri};
use crate::crypto::{random_secret, sha256};
use crate::store::oauth::{self as store, NewCode};
use crate::store::{self as storage, users};

/// The parameters of an authorization request (query or form).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AuthorizationRequest {
    pub client_id: Param,
    pub redirect_uri: Param,
    pub response_type: Param,
    pub scope: Param,
    pub state: Param,
    pub code_challenge: Param,
    pub code_challenge_method: Param,
}

impl AuthorizationRequest {
    /// From decoded `name=value` pairs; empty values count as absent.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> AuthorizationRequest {
        let mut request = AuthorizationRequest::default();
        for (name, value) in pairs {
            let slot = match name {
                "client_id" => &mut request.client_id,
                "redirect_uri" => &mut request.redirect_uri,
                "response_type" => &mut request.response_type,
                "scope" => &mut request.scope,
                "state" => &mut request.state,
                "code_challenge" => &mut request.code_challenge,
                "code_challenge_method" => &mut request.code_challenge_method,
                _ => continue,
            };
            if value.is_empty() {
                continue;
            }
            *slot = match slot {
                Param::Absent => Param::One(value.to_string()),
                _ => Param::Repeated,
            };
        }
        request
    }
}

/// A valid request, ready for the user's decision.
#[derive(Debug, Clone)]
pub struct Authorization {
    pub client: Client,
    /// Username of the app's owner (shown on the consent page).
    pub owner: String,
    /// Where the answer goes: the requested URI, or the first registered one.
    pub redirect_uri: String,
    /// The URI the request named, bound to the code (RFC 6749 §4.1.3).
    pub requested_redirect_uri: Option<String>,
    /// Requested scopes the app registered, in request order.
    pub scope: Vec<Scope>,
    /// Requested scope names the app did not register: not granted.
    pub not_granted: Vec<String>,
    pub state: Option<String>,
    pub challenge: Option<(String, &'static str)>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Refusal {
    /// Unknown app or redirect URI: shown to the user, never redirected.
    Untrusted { reason: String, registered: Vec<String>, received: Option<String> },
    /// A faulty request from a known app: sent back to its redirect URI.
    Redirect(ErrorRedirect),
}

#[derive(Debug, Clone, PartialEq)]
pub struct ErrorRedirect {
    pub redirect_uri: String,
    pub error: &'static str,
    pub description: String,
    pub state: Option<String>,
}

impl Refusal {
    pub fn description(&self) -> &str {
        match self {
            Refusal::Untrusted { reason, .. } => reason,
            Refusal::Redirect(redirect) => &redirect.description,
        }
    }
}

impl ErrorRedirect {
    /// The app's redirect URI with `error`, `error_description`, `state` and `iss`.
    pub fn url(&self, issuer: &str) -> String {
        error_url(&self.redirect_uri, self.error, Some(&self.description), self.state.as_deref(), issuer)
    }
}

/// Validates the parameters of an authorization request.
pub fn validate(
    conn: &Connection,
    params: &AuthorizationRequest,
) -> Result<Result<Authorization, Refusal>, storage::Error> {
    let untrusted = |reason: String, registered: Vec<String>, received: Option<String>| {
        Ok(Err(Refusal::Untrusted { reason, registered, received }))
    };
    let (client_id, requested_uri) =
        match (params.client_id.single("client_id"), params.redirect_uri.single("redirect_uri")) {
            (Err(repeated), _) | (_, Err(repeated)) => {
                return untrusted(repeated.description.unwrap_or_default(), vec![], None);
            }
            (Ok(client_id), Ok(uri)) => (client_id, uri),
        };
    let Some(client_id) = client_id else {
        return untrusted("Missing 'client_id' in request.".into(), vec![], requested_uri.map(str::to_owned));
    };
    let Some(client) = store::client_by_client_id(conn, client_id)? else {
        return untrusted("The client does not exist on this server.".into(), vec![], requested_uri.map(str::to_owned));
    };
    let redirect_uri = match requested_uri {
        Some(uri) if redirect_uri::find_match(&client.redirect_uris, uri).is_some() => uri.to_string(),
        Some(uri) => {
            let registered = client.redirect_uris.join(" ");
            let fields = [("client_id", client.client_id.as_str()), ("registered", &registered), ("received", uri)];
            crate::log::security("redirect_uri_refused", &fields);
            let reason = format!("Redirect URI {uri} is not supported by client.");
            return untrusted(reason, client.redirect_uris.clone(), Some(uri.to_string()));
        }
        None => match client.redirect_uris.first() {
            Some(first) => first.clone(),
            None => return untrusted("Missing 'redirect_uri' in request.".into(), vec![], None),
        },
    };
    let state = params.state.single("state").ok().flatten().map(str::to_owned);
    let refuse = |error: &'static str, description: String| {
        Ok(Err(Refusal::Redirect(ErrorRedirect {
            redirect_uri: redirect_uri.clone(),
            error,
            description,
            state: state.clone(),
        })))
    };
    let single = |param: &Param, name: &str| param.single(name).map(|v| v.map(str::to_owned));
    let (response_type, scope, challenge, method) = match (
        single(&params.response_type, "response_type"),
        single(&params.scope, "scope"),
        single(&params.code_challenge, "code_challenge"),
        single(&params.code_challenge_method, "code_challenge_method"),
    ) {
        (Ok(r), Ok(s), Ok(c), Ok(m)) => (r, s, c, m),
        (Err(e), ..) | (_, Err(e), ..) | (_, _, Err(e), _) | (.., Err(e)) => {
            return refuse("invalid_request", e.description.unwrap_or_default());
        }
    };
    if params.state == Param::Repeated {
        return refuse("invalid_request", "Multiple 'state' in request.".into());
    }
    match response_type.as_deref() {
        None => return refuse("invalid_request", "Missing 'response_type' in request.".into()),
        Some("code") => {}
        Some(_) => return refuse("unsupported_response_type", "The response type is not supported: use code.".into()),
    }
    let challenge = match (challenge, method.as_deref()) {
        (None, Some(_)) => return refuse("invalid_request", "Missing 'code_challenge'".into()),
        (None, None) if client.require_pkce => {
            return refuse("invalid_request", "This app requires PKCE: missing 'code_challenge'".into());
        }
        (None, None) => None,
        (Some(c), _) if !pkce::is_well_formed(&c) => {
            return refuse("invalid_request", "Invalid 'code_challenge'".into());
        }
        (Some(_), Some(m)) if !pkce::is_supported_method(m) => {
            return refuse("invalid_request", "Unsupported 'code_challenge_method'".into());
        }
        (Some(c), Some(pkce::S256)) => Some((c, pkce::S256)),
        (Some(c), _) => Some((c, pkce::PLAIN)),
    };
    let (scope, not_granted) = grantable_scope(&client, scope.as_deref());
    if scope.is_empty() {
        return refuse("invalid_scope", "None of the requested scopes is registered for this app.".into());
    }
    let owner = users::by_id(conn, client.user_id)?.map(|u| u.username).unwrap_or_default();
    Ok(Ok(Authorization {
        owner,
        redirect_uri,
        requested_redirect_uri: requested_uri.map(str::to_owned),
        scope,
        not_granted,
        state,
        challenge,
        client,
    }))
}

/// The requested scopes the app registered (request order, no repeats) and
/// the names that will not be granted. No `scope`: everything registered.
fn grantable_scope(client: &Client, requested: Option<&str>) -> (Vec<Scope>, Vec<String>) {
    let registered = scopes::parse_list(&client.scope);
    let Some(requested) = requested else {
        let mut all = registered;
        dedup(&mut all);
        return (all, vec![]);
    };
    let mut granted = Vec::new();
    let mut refused = Vec::new();
    for name in requested.split_whitespace() {
        match Scope::parse(name).filter(|s| registered.contains(s)) {
            Some(scope) if !granted.contains(&scope) => granted.push(scope),
            Some(_) => {}
            None if !refused.iter().any(|r| r == name) => refused.push(name.to_string()),
            None => {}
        }
    }
    (granted, refused)
}

fn dedup(scopes: &mut Vec<Scope>) {
    let mut seen = Vec::new();
    scopes.retain(|s| {
        let first = !seen.contains(s);
        seen.push(*s);
        first
    });
}

impl Authorization {
    /// Issues a code for `user_id`; only its hash is stored.
    pub fn issue_code(
        &self,
        db: &mut storage::Db<'_>,
        user_id: i64,
        now: i64,
        lifetime: i64,
    ) -> Result<String, storage::Error> {
        let code = random_secret();
        let scope = scopes::join(&self.scope);
        db.write(|tx| {
            store::insert_code(
                tx,
                &NewCode {
                    code_hash: &sha256(code.as_bytes()),
                    client_id: self.client.id,
                    user_id,
                    scope: &scope,
                    redirect_uri: self.requested_redirect_uri.as_deref(),
                    code_challenge: self.challenge.as_ref().map(|(c, _)| c.as_str()),
                    code_challenge_method: self.challenge.as_ref().map(|(_, m)| *m),
                    now,
                    expires_at: now + lifetime,
                },
            )
        })?;
        Ok(code)
    }

    /// The redirect that carries the code (and `state`, byte-exact, and `iss`).
    pub fn success_url(&self, code: &str, issuer: &str) -> String {
        let mut params = vec![("code", code)];
        params.extend(self.state.as_deref().map(|s| ("state", s)));
        params.push(("iss", issuer));
        redirect_uri::with_params(&self.redirect_uri, &params)
    }

    /// The redirect when the user says no.
    pub fn denied_url(&self, issuer: &str) -> String {
        error_url(&self.redirect_uri, "access_denied", None, self.state.as_deref(), issuer)
    }
}

fn error_url(uri: &str, error: &str, description: Option<&str>, state: Option<&str>, issuer: &str) -> String {
    let mut params = vec![("error", error)];
    params.extend(description.map(|d| ("error_description", d)));
    params.extend(state.map(|s| ("state", s)));
    params.push(("iss", issuer));
    redirect_uri::with_params(uri, &params)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::store::test_support::temp_store;

    fn setup(scope: &str, uris: &[&str], require_pkce: bool) -> (tempfile::TempDir, storage::Store, String) {
        let (dir, store) = temp_store();
        let db = store.conn().unwrap();
        db.execute(
            "INSERT INTO users (username, email, password_hash, created_at) VALUES ('owner', 'o@x.y', 'h', 0)",
            [],
        )
        .unwrap();
        let uris: Vec<String> = uris.iter().map(|s| s.to_string()).collect();
        store::insert_client(
            &db,
            &store::NewClient {
                client_id: "CLIENT",
                secret_hash: &[0; 32],
                user_id: 1,
                name: "App",
                description: None,
                website: "https://app.example",
                redirect_uris: &uris,
                scope,
                require_pkce,
                now: 0,
            },
        )
        .unwrap();
        drop(db);
        (dir, store, "CLIENT".into())
    }

    /// The request of a query string.
    pub fn request(query: &str) -> AuthorizationRequest {
        let pairs: Vec<(String, String)> =
            form_urlencoded::parse(query.as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
        AuthorizationRequest::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    }

    fn run(store: &storage::Store, query: &str) -> Result<Authorization, Refusal> {
        validate(&store.conn().unwrap(), &request(query)).unwrap()
    }

    #[test]
    fn bad_clients_and_redirect_uris_are_never_redirected() {
        let (_d, store, _) = setup("profile:read", &["https://app.example/cb", "http://127.0.0.1/cb"], false);
        for query in [
            "response_type=code",
            "client_id=nope&response_type=code&redirect_uri=https://evil/",
            "client_id=CLIENT&response_type=code&redirect_uri=https://evil/",
            "client_id=CLIENT&response_type=code&redirect_uri=https://app.example/cb/",
            "client_id=CLIENT&client_id=CLIENT&response_type=code",
            "client_id=CLIENT&response_type=code&redirect_uri=https://app.example/cb&redirect_uri=https://evil/",
        ] {
            assert!(matches!(run(&store, query), Err(Refusal::Untrusted { .. })), "{query}");
        }
        let Err(Refusal::Untrusted { registered, received, .. }) =
            run(&store, "client_id=CLIENT&response_type=code&redirect_uri=https://evil/")
        else {
            panic!()
        };
        assert_eq!(registered, vec!["https://app.example/cb", "http://127.0.0.1/cb"]);
        assert_eq!(received.as_deref(), Some("https://evil/"));
    }

    #[test]
    fn faulty_requests_of_known_apps_go_back_with_state_and_iss() {
        let (_d, store, _) = setup("profile:read", &["https://app.example/cb"], false);
        let cases = [
            ("client_id=CLIENT&state=s", "invalid_request"),
            ("client_id=CLIENT&response_type=token&state=s", "unsupported_response_type"),
            ("client_id=CLIENT&response_type=code&code_challenge_method=S256&state=s", "invalid_request"),
            ("client_id=CLIENT&response_type=code&code_challenge=short&state=s", "invalid_request"),
            ("client_id=CLIENT&response_type=code&scope=workouts:write&state=s", "invalid_scope"),
            ("client_id=CLIENT&response_type=code&scope=a&scope=b&state=s", "invalid_request"),
        ];
        for (query, expected) in cases {
            let Err(Refusal::Redirect(redirect)) = run(&store, query) else { panic!("{query} is redirected") };
            let url = redirect.url("https://fit.example");
            assert!(url.starts_with("https://app.example/cb?error="), "{url}");
            assert!(url.contains(&format!("error={expected}")), "{query} → {url}");
            assert!(url.contains("state=s") && url.ends_with("iss=https%3A%2F%2Ffit.example"), "{url}");
        }
        let challenge = "a".repeat(43);
        let unsupported = run(
            &store,
            &format!("client_id=CLIENT&response_type=code&code_challenge={challenge}&code_challenge_method=S512"),
        );
        assert_eq!(unsupported.unwrap_err().description(), "Unsupported 'code_challenge_method'");
    }

    #[test]
    fn scope_is_what_was_requested_and_registered_in_request_order() {
        let (_d, store, _) = setup("profile:read workouts:read media:write", &["https://app.example/cb"], false);
        let auth = run(
            &store,
            "client_id=CLIENT&response_type=code&scope=workouts:read+users:write+profile:read+bogus+workouts:read",
        )
        .unwrap();
        assert_eq!(auth.scope, vec![Scope::WorkoutsRead, Scope::ProfileRead]);
        assert_eq!(auth.not_granted, vec!["users:write", "bogus"]);
        assert_eq!(auth.redirect_uri, "https://app.example/cb", "no redirect_uri: the first registered one");
        assert_eq!(auth.requested_redirect_uri, None);
        let all = run(&store, "client_id=CLIENT&response_type=code").unwrap();
        assert_eq!(all.scope, vec![Scope::ProfileRead, Scope::WorkoutsRead, Scope::MediaWrite]);
    }

    #[test]
    fn pkce_parameters_and_the_per_app_switch() {
        let (_d, store, _) = setup("profile:read", &["http://127.0.0.1/cb"], true);
        let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
        let missing = run(&store, "client_id=CLIENT&response_type=code").unwrap_err();
        assert!(matches!(missing, Refusal::Redirect(ErrorRedirect { error: "invalid_request", .. })));
        let plain = run(&store, &format!("client_id=CLIENT&response_type=code&code_challenge={challenge}")).unwrap();
        assert_eq!(plain.challenge, Some((challenge.to_string(), pkce::PLAIN)));
        let s256 = run(
            &store,
            &format!("client_id=CLIENT&response_type=code&code_challenge={challenge}&code_challenge_method=S256&redirect_uri=http://127.0.0.1:4242/cb"),
        )
        .unwrap();
        assert_eq!(s256.challenge, Some((challenge.to_string(), pkce::S256)));
        assert_eq!(s256.redirect_uri, "http://127.0.0.1:4242/cb", "loopback: any port");
    }

    #[test]
    fn answers_carry_the_code_state_and_issuer() {
        let (_d, store, _) = setup("profile:read", &["https://app.example/cb?tenant=1"], false);
        let auth = run(&store, "client_id=CLIENT&response_type=code&state=a%2Bb+c%26d").unwrap();
        assert_eq!(auth.state.as_deref(), Some("a+b c&d"));
        let url = auth.success_url("CODE", "https://fit.example");
        assert_eq!(url, "https://app.example/cb?tenant=1&code=CODE&state=a%2Bb+c%26d&iss=https%3A%2F%2Ffit.example");
        let denied = auth.denied_url("https://fit.example");
        assert_eq!(
            denied,
            "https://app.example/cb?tenant=1&error=access_denied&state=a%2Bb+c%26d&iss=https%3A%2F%2Ffit.example"
        );
    }
}
