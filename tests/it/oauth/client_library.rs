//! The whole flow driven by a real OAuth client library we did not write
//! (the `oauth2` crate over ureq): authorize through the consent page,
//! exchange with PKCE, refresh, revoke.

use oauth2::basic::BasicClient;
use oauth2::{
    AuthType, AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, HttpClientError, HttpRequest,
    HttpResponse, PkceCodeChallenge, RedirectUrl, RevocationUrl, Scope, StandardRevocableToken, SyncHttpClient,
    TokenResponse, TokenUrl,
};

use super::*;
use crate::support::Server;
use crate::support::browser::{Browser, hidden_field};

/// Stands in for a TLS proxy: the library insists on https endpoints (RFC
/// 7009 requires it of revocation), the test server speaks plain http.
struct TlsProxy(ureq2::Agent);

impl SyncHttpClient for TlsProxy {
    type Error = HttpClientError<ureq2::Error>;

    fn call(&self, mut request: HttpRequest) -> Result<HttpResponse, Self::Error> {
        let plain = request.uri().to_string().replacen("https://", "http://", 1);
        *request.uri_mut() = plain.parse().expect("the same URI in http");
        self.0.call(request)
    }
}

fn full_flow(auth_type: AuthType) {
    let server = Server::start();
    let owner = server.user("lib");
    let app = app(&server, &owner);
    let client = BasicClient::new(ClientId::new(app.client_id.clone()))
        .set_client_secret(ClientSecret::new(app.secret.clone()))
        .set_auth_uri(AuthUrl::new(https(&server, "/profile/apps/authorize")).unwrap())
        .set_token_uri(TokenUrl::new(https(&server, "/api/oauth/token")).unwrap())
        .set_revocation_url(RevocationUrl::new(https(&server, "/api/oauth/revoke")).unwrap())
        .set_redirect_uri(RedirectUrl::new(CALLBACK.to_string()).unwrap())
        .set_auth_type(auth_type);
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, state) = client
        .authorize_url(CsrfToken::new_random)
        .add_scope(Scope::new("profile:read".into()))
        .add_scope(Scope::new("workouts:read".into()))
        .set_pkce_challenge(challenge)
        .url();

    // The user's part: the consent page in a browser session.
    let mut browser = Browser::new(&server);
    browser.sign_in("lib");
    let path = url.as_str().strip_prefix(&https(&server, "")).unwrap().to_string();
    let page = browser.get(&path);
    assert_eq!(page.status, 200, "{}", page.text());
    let request = hidden_field(&page.text(), "request").unwrap();
    let answer = browser.post("/profile/apps/authorize", &page, &[("request", &request), ("decision", "authorize")]);
    let location = answer.header("Location").unwrap().to_string();
    assert!(location.starts_with(CALLBACK));
    assert_eq!(param(&location, "state").as_deref(), Some(state.secret().as_str()));
    let code = param(&location, "code").unwrap();

    let http = TlsProxy(ureq2::AgentBuilder::new().redirects(0).build());
    let tokens = client.exchange_code(AuthorizationCode::new(code)).set_pkce_verifier(verifier).request(&http).unwrap();
    let scopes: Vec<String> = tokens.scopes().unwrap().iter().map(|s| s.to_string()).collect();
    assert_eq!(scopes, vec!["profile:read", "workouts:read"], "the granted scope is the requested one");
    assert_eq!(tokens.expires_in().unwrap().as_secs(), 864_000);
    let access = tokens.access_token().secret().clone();
    assert_eq!(profile_status(&server, &access), 200);

    let refreshed = client.exchange_refresh_token(tokens.refresh_token().unwrap()).request(&http).unwrap();
    let new_access = refreshed.access_token().secret().clone();
    assert_eq!(profile_status(&server, &access), 401);
    assert_eq!(profile_status(&server, &new_access), 200);

    let refresh_token = refreshed.refresh_token().unwrap().clone();
    client.revoke_token(StandardRevocableToken::RefreshToken(refresh_token)).unwrap().request(&http).unwrap();
    assert_eq!(profile_status(&server, &new_access), 401);
}

fn https(server: &Server, path: &str) -> String {
    format!("https://{}{path}", server.addr)
}

#[test]
fn the_oauth2_crate_completes_the_flow_with_credentials_in_the_body() {
    full_flow(AuthType::RequestBody);
}

#[test]
fn the_oauth2_crate_completes_the_flow_with_http_basic() {
    full_flow(AuthType::BasicAuth);
}
