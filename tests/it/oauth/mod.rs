//! The OAuth 2.0 authorization server over HTTP. Test names carry the
//! SECURITY.md row they prove (A.1 R1 … A.9 X7).

mod apps;
mod authorize;
mod browser;
mod client_library;
mod codes;
mod metadata;
mod pages;
mod refresh;
mod resource;
mod revoke;
mod token;

use serde_json::{Value, json};

use crate::support::{Response, Server};

pub const CALLBACK: &str = "https://app.example/callback";
pub const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
pub const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

pub struct App {
    pub id: i64,
    pub client_id: String,
    pub secret: String,
}

pub fn register_app(server: &Server, token: &str, body: Value) -> Response {
    server.post("/api/oauth/apps").bearer(token).json(&body).send()
}

/// Registers an app with `scope` and redirect URIs; panics on failure.
pub fn app_with(server: &Server, token: &str, scope: &str, uris: &[&str]) -> App {
    let response = register_app(
        server,
        token,
        json!({"client_name": "Uploader", "client_uri": "https://app.example", "redirect_uris": uris, "scope": scope}),
    );
    assert_eq!(response.status, 201, "{}", response.text());
    let client = &response.json()["data"]["client"];
    App {
        id: client["id"].as_i64().unwrap(),
        client_id: client["client_id"].as_str().unwrap().to_string(),
        secret: client["client_secret"].as_str().unwrap().to_string(),
    }
}

pub fn app(server: &Server, token: &str) -> App {
    app_with(server, token, "profile:read workouts:read workouts:write", &[CALLBACK])
}

/// The first-party "click": `POST /api/oauth/authorize` with `confirm=true`.
pub fn authorize(server: &Server, token: &str, app: &App, extra: &[(&str, &str)]) -> Response {
    let mut fields = vec![("client_id", app.client_id.as_str()), ("response_type", "code"), ("confirm", "true")];
    fields.extend_from_slice(extra);
    server.post("/api/oauth/authorize").bearer(token).multipart(&fields).send()
}

/// A fresh code for `app` (granted by the holder of `token`).
pub fn code(server: &Server, token: &str, app: &App, extra: &[(&str, &str)]) -> String {
    let response = authorize(server, token, app, extra);
    assert_eq!(response.status, 200, "{}", response.text());
    param(response.json()["redirect_url"].as_str().unwrap(), "code").expect("a code")
}

/// `POST /api/oauth/token` with the app's credentials in the body.
pub fn token_request(server: &Server, app: &App, fields: &[(&str, &str)]) -> Response {
    let mut all = vec![("client_id", app.client_id.as_str()), ("client_secret", app.secret.as_str())];
    all.extend_from_slice(fields);
    server.post("/api/oauth/token").form(&all).send()
}

pub fn exchange(server: &Server, app: &App, code: &str, extra: &[(&str, &str)]) -> Response {
    let mut fields = vec![("grant_type", "authorization_code"), ("code", code)];
    fields.extend_from_slice(extra);
    token_request(server, app, &fields)
}

/// Access and refresh tokens for `app`, through the whole flow.
pub fn tokens(server: &Server, token: &str, app: &App, scope: &str) -> (String, String) {
    let code = code(server, token, app, &[("scope", scope)]);
    let response = exchange(server, app, &code, &[]);
    assert_eq!(response.status, 200, "{}", response.text());
    let body = response.json();
    (body["access_token"].as_str().unwrap().to_string(), body["refresh_token"].as_str().unwrap().to_string())
}

pub fn refresh(server: &Server, app: &App, refresh_token: &str, extra: &[(&str, &str)]) -> Response {
    let mut fields = vec![("grant_type", "refresh_token"), ("refresh_token", refresh_token)];
    fields.extend_from_slice(extra);
    token_request(server, app, &fields)
}

pub fn profile_status(server: &Server, access_token: &str) -> u16 {
    server.get("/api/auth/profile").bearer(access_token).send().status
}

/// A query parameter of a URL, decoded.
pub fn param(url: &str, name: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    form_urlencoded::parse(query.as_bytes()).find(|(k, _)| k == name).map(|(_, v)| v.into_owned())
}

pub fn error_of(response: &Response) -> String {
    response.json()["error"].as_str().unwrap_or_default().to_string()
}
