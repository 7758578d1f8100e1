use super::*;
use crate::config::Config;
use crate::oauth::authorize;
use crate::store::test_support::temp_store;

const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
const T0: i64 = 1_800_000_000;

struct Fixture {
    _dir: tempfile::TempDir,
    store: storage::Store,
    config: OAuthConfig,
    apps: Vec<(String, String)>,
}

fn fixture() -> Fixture {
    let (dir, store) = temp_store();
    let mut db = store.conn().unwrap();
    db.execute("INSERT INTO users (username, email, password_hash, created_at) VALUES ('u', 'u@x.y', 'h', 0)", [])
        .unwrap();
    let uris = vec!["https://app.example/cb".to_string()];
    let mut apps = Vec::new();
    for _ in 0..2 {
        let app = clients::NewApp {
            name: "App",
            description: None,
            website: "https://app.example",
            redirect_uris: &uris,
            scope: "profile:read workouts:read workouts:write",
            require_pkce: false,
        };
        let registered = clients::register(&mut db, 1, &app, false, T0).unwrap().unwrap();
        apps.push((registered.client.client_id, registered.secret));
    }
    drop(db);
    Fixture { _dir: dir, store, config: Config::default().oauth, apps }
}

impl Fixture {
    fn code(&self, query: &str, at: i64) -> String {
        let mut db = self.store.conn().unwrap();
        let query = format!("client_id={}&response_type=code&{query}", self.apps[0].0);
        let auth = authorize::validate(&db, &crate::oauth::authorize::tests::request(&query)).unwrap().unwrap();
        auth.issue_code(&mut db, 1, at, self.config.code_lifetime).unwrap()
    }

    fn request<'a>(&self, app: usize, grant_type: &'a str) -> TokenRequest<'a> {
        TokenRequest {
            grant_type: Some(grant_type),
            credentials: Credentials {
                client_id: Some(self.apps[app].0.clone()),
                secret: Some(self.apps[app].1.clone()),
                basic: false,
            },
            code: None,
            redirect_uri: None,
            code_verifier: None,
            refresh_token: None,
            scope: None,
        }
    }

    fn exchange(&self, code: &str, verifier: Option<&str>, at: i64) -> Result<Tokens, Error> {
        let req = TokenRequest { code: Some(code), code_verifier: verifier, ..self.request(0, "authorization_code") };
        issue(&mut self.store.conn().unwrap(), &req, at, &self.config)
    }

    fn refresh(&self, token: &str, scope: Option<&str>, at: i64) -> Result<Tokens, Error> {
        let req = TokenRequest { refresh_token: Some(token), scope, ..self.request(0, "refresh_token") };
        issue(&mut self.store.conn().unwrap(), &req, at, &self.config)
    }

    fn access_works(&self, token: &Tokens, at: i64) -> bool {
        let db = self.store.conn().unwrap();
        store::live_access_token(&db, &sha256(token.access_token.as_bytes()), at).unwrap().is_some()
    }
}

fn code_of(result: Result<Tokens, Error>) -> &'static str {
    match result {
        Err(Error::OAuth(e)) => e.code,
        Err(Error::Store(e)) => panic!("storage: {e}"),
        Ok(_) => "ok",
    }
}

#[test]
fn a_code_gives_tokens_once() {
    let f = fixture();
    let code = f.code("scope=workouts:read+profile:read", T0);
    let tokens = f.exchange(&code, None, T0 + 1).unwrap();
    assert_eq!(tokens.scope, "workouts:read profile:read");
    assert_eq!(tokens.expires_in, 864_000);
    assert!(f.access_works(&tokens, T0 + 2));
    assert!(!f.access_works(&tokens, T0 + 1 + 864_000), "expired after its lifetime");
    assert_eq!(code_of(f.exchange(&code, None, T0 + 2)), "invalid_grant");
}

#[test]
fn a_replayed_code_revokes_what_it_produced() {
    let f = fixture();
    let code = f.code("", T0);
    let tokens = f.exchange(&code, None, T0 + 1).unwrap();
    assert_eq!(code_of(f.exchange(&code, None, T0 + 5)), "invalid_grant");
    assert!(!f.access_works(&tokens, T0 + 6));
    assert_eq!(code_of(f.refresh(&tokens.refresh_token, None, T0 + 7)), "invalid_grant");
}

#[test]
fn a_replay_that_fails_pkce_revokes_nothing() {
    let f = fixture();
    let code = f.code(&format!("code_challenge={CHALLENGE}&code_challenge_method=S256"), T0);
    let tokens = f.exchange(&code, Some(VERIFIER), T0 + 1).unwrap();
    let wrong = "x".repeat(43);
    assert_eq!(code_of(f.exchange(&code, Some(&wrong), T0 + 2)), "invalid_grant");
    assert!(f.access_works(&tokens, T0 + 3), "the thief's replay did not end the grant");
}

#[test]
fn codes_expire_and_are_bound_to_their_client() {
    let f = fixture();
    let code = f.code("", T0);
    assert_eq!(code_of(f.exchange(&code, None, T0 + 300)), "invalid_grant");
    let code = f.code("", T0);
    let other = TokenRequest { code: Some(&code), ..f.request(1, "authorization_code") };
    assert_eq!(code_of(issue(&mut f.store.conn().unwrap(), &other, T0 + 1, &f.config)), "invalid_grant");
    assert!(f.exchange(&code, None, T0 + 299).is_ok(), "still good for its own client");
}

#[test]
fn pkce_verifier_rules() {
    let f = fixture();
    let s256 = format!("code_challenge={CHALLENGE}&code_challenge_method=S256");
    let code = f.code(&s256, T0);
    assert_eq!(code_of(f.exchange(&code, None, T0 + 1)), "invalid_grant", "missing verifier");
    assert_eq!(code_of(f.exchange(&code, Some("short"), T0 + 1)), "invalid_request", "malformed verifier");
    assert_eq!(code_of(f.exchange(&code, Some(&"y".repeat(43)), T0 + 1)), "invalid_grant", "wrong verifier");
    assert!(f.exchange(&code, Some(VERIFIER), T0 + 1).is_ok());
    let plain = f.code(&format!("code_challenge={VERIFIER}&code_challenge_method=plain"), T0);
    assert!(f.exchange(&plain, Some(VERIFIER), T0 + 1).is_ok());
    let downgrade = f.code("", T0);
    assert_eq!(code_of(f.exchange(&downgrade, Some(VERIFIER), T0 + 1)), "invalid_grant");
}

#[test]
fn redirect_uri_named_at_authorization_must_come_back() {
    let f = fixture();
    let code = f.code("redirect_uri=https://app.example/cb", T0);
    let exchange = |uri: Option<&str>| {
        let req = TokenRequest { code: Some(&code), redirect_uri: uri, ..f.request(0, "authorization_code") };
        code_of(issue(&mut f.store.conn().unwrap(), &req, T0 + 1, &f.config))
    };
    assert_eq!(exchange(Some("https://app.example/other")), "invalid_grant");
    assert_eq!(exchange(None), "invalid_grant");
    assert_eq!(exchange(Some("https://app.example/cb")), "ok");
}

#[test]
fn refresh_rotates_and_may_only_narrow_the_scope() {
    let f = fixture();
    let first = f.exchange(&f.code("scope=profile:read+workouts:read", T0), None, T0).unwrap();
    assert_eq!(code_of(f.refresh(&first.refresh_token, Some("workouts:write"), T0 + 10)), "invalid_scope");
    assert_eq!(code_of(f.refresh(&first.refresh_token, Some("unknown:scope"), T0 + 10)), "invalid_scope");
    let narrow = f.refresh(&first.refresh_token, Some("workouts:read"), T0 + 10).unwrap();
    assert_eq!(narrow.scope, "workouts:read");
    assert!(!f.access_works(&first, T0 + 11), "rotation retires the old access token");
    assert!(f.access_works(&narrow, T0 + 11));
    // The new refresh token keeps the grant's full scope.
    let wide = f.refresh(&narrow.refresh_token, None, T0 + 20).unwrap();
    assert_eq!(wide.scope, "profile:read workouts:read");
}

#[test]
fn a_rotated_refresh_token_is_refused_then_taken_as_theft() {
    let f = fixture();
    let first = f.exchange(&f.code("", T0), None, T0).unwrap();
    let second = f.refresh(&first.refresh_token, None, T0 + 100).unwrap();
    // Within the grace window: refused, nothing else happens.
    assert_eq!(code_of(f.refresh(&first.refresh_token, None, T0 + 100 + REUSE_GRACE_SECONDS)), "invalid_grant");
    assert!(f.access_works(&second, T0 + 131));
    // Later: the whole grant ends.
    assert_eq!(code_of(f.refresh(&first.refresh_token, None, T0 + 131)), "invalid_grant");
    assert!(!f.access_works(&second, T0 + 132));
    assert_eq!(code_of(f.refresh(&second.refresh_token, None, T0 + 133)), "invalid_grant");
}

#[test]
fn refresh_tokens_expire_and_are_bound_to_their_client() {
    let f = fixture();
    let tokens = f.exchange(&f.code("", T0), None, T0).unwrap();
    let other = TokenRequest { refresh_token: Some(&tokens.refresh_token), ..f.request(1, "refresh_token") };
    assert_eq!(code_of(issue(&mut f.store.conn().unwrap(), &other, T0 + 1, &f.config)), "invalid_grant");
    let lifetime = f.config.refresh_token_lifetime;
    assert_eq!(code_of(f.refresh(&tokens.refresh_token, None, T0 + lifetime)), "invalid_grant");
    assert!(f.refresh(&tokens.refresh_token, None, T0 + lifetime - 1).is_ok());
}

#[test]
fn clean_never_deletes_a_token_that_still_works() {
    let f = fixture();
    let tokens = f.exchange(&f.code("", T0), None, T0).unwrap();
    let _unused = f.code("", T0);
    let mut db = f.store.conn().unwrap();
    assert_eq!(crate::oauth::clean(&mut db, 0, T0 + 10).unwrap(), (0, 0), "live codes are kept, used ones too");
    assert_eq!(crate::oauth::clean(&mut db, 0, T0 + 300).unwrap(), (0, 2), "expired codes go");
    let end = T0 + f.config.refresh_token_lifetime;
    assert_eq!(crate::oauth::clean(&mut db, 0, end - 1).unwrap().0, 0);
    drop(db);
    assert!(f.refresh(&tokens.refresh_token, None, end - 1).is_ok(), "it still worked, so it was kept");
    let mut db = f.store.conn().unwrap();
    let renewed_end = end - 1 + f.config.refresh_token_lifetime;
    // The retired pair ended long ago; the current one ends at renewed_end.
    assert_eq!(crate::oauth::clean(&mut db, 1, end + 86_400 + 1).unwrap().0, 1);
    assert_eq!(crate::oauth::clean(&mut db, 1, renewed_end + 86_400).unwrap().0, 0);
    assert_eq!(crate::oauth::clean(&mut db, 1, renewed_end + 86_400 + 1).unwrap().0, 1);
}

#[test]
fn request_level_errors() {
    let f = fixture();
    let mut db = f.store.conn().unwrap();
    let none = TokenRequest { grant_type: None, ..f.request(0, "") };
    assert_eq!(code_of(issue(&mut db, &none, T0, &f.config)), "invalid_request");
    assert_eq!(code_of(issue(&mut db, &f.request(0, "password"), T0, &f.config)), "unsupported_grant_type");
    assert_eq!(code_of(issue(&mut db, &f.request(0, "authorization_code"), T0, &f.config)), "invalid_request");
    assert_eq!(code_of(issue(&mut db, &f.request(0, "refresh_token"), T0, &f.config)), "invalid_request");
    let mut wrong = f.request(0, "authorization_code");
    wrong.credentials.secret = Some("wrong".into());
    assert_eq!(code_of(issue(&mut db, &wrong, T0, &f.config)), "invalid_client");
}
