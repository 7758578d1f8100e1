use super::*;
use crate::store::test_support::temp_store;

fn setup(scope: &str, uris: &[&str], require_pkce: bool) -> (tempfile::TempDir, storage::Store, String) {
    let (dir, store) = temp_store();
    let db = store.conn().unwrap();
    db.execute("INSERT INTO users (username, email, password_hash, created_at) VALUES ('owner', 'o@x.y', 'h', 0)", [])
        .unwrap();
    let uris: Vec<String> = uris.iter().map(|s| s.to_string()).collect();
    store::insert_client(
        &db,
        &store::NewClient {
            client_id: "CLIENT",
            secret_hash: &[0; 32],
            user_id: 1,
            app: &crate::oauth::model::NewApp {
                name: "App",
                description: None,
                website: "https://app.example",
                redirect_uris: &uris,
                scope,
                require_pkce,
            },
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
