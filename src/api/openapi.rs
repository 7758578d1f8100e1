//! `/api/openapi.json`: an OpenAPI 3.1 description of every route in the
//! route table, made from the table itself so that it cannot drift: paths,
//! methods, path parameters, who may call each (public, a first-party
//! token, an OAuth scope, a browser session) and the main answers.

use std::collections::BTreeMap;

use rouille::Response;
use serde_json::{Map, Value, json};

use crate::http::access::Access;
use crate::http::routes::{ROUTES, Route};
use crate::http::{Ctx, HttpError};
use crate::oauth::scopes::Scope;

pub fn document(_ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    Ok(Response::from_data("application/json", openapi().to_string()).with_public_cache(3600))
}

/// The whole document.
pub fn openapi() -> Value {
    let mut paths: BTreeMap<String, Map<String, Value>> = BTreeMap::new();
    // OpenAPI allows one template per hierarchy: routes told apart by a
    // parameter's type (`/apps/{client_id}`, `/apps/{id:int}`) share the
    // first one's names.
    let mut templates: BTreeMap<String, String> = BTreeMap::new();
    for route in ROUTES {
        let (path, mut parameters) = path_and_parameters(route.path);
        let shape = shape(&path);
        let template = templates.entry(shape).or_insert_with(|| path.clone()).clone();
        if template != path {
            let names = template.split('/').filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'));
            for (parameter, name) in parameters.iter_mut().zip(names) {
                let own = parameter["name"].as_str().unwrap_or_default().to_string();
                parameter["description"] = json!(format!("here: the {own}"));
                parameter["name"] = json!(name);
            }
        }
        let item = paths.entry(template).or_default();
        item.insert(route.method.to_ascii_lowercase(), operation(route, &parameters));
    }
    let scopes: Map<String, Value> =
        Scope::ALL.iter().map(|s| (s.name().to_string(), json!(s.description()))).collect();
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "FitTrackee-compatible API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "FitTrackee's REST API (v1.x wire format) and this server's pages, from its route table.",
        },
        "paths": paths,
        "components": {
            "securitySchemes": {
                "oauth2": {
                    "type": "oauth2",
                    "description": "An app's access token (authorization code with PKCE).",
                    "flows": { "authorizationCode": {
                        "authorizationUrl": "/profile/apps/authorize",
                        "tokenUrl": "/api/oauth/token",
                        "refreshUrl": "/api/oauth/token",
                        "scopes": scopes,
                    } },
                },
                "firstParty": { "type": "http", "scheme": "bearer", "bearerFormat": "JWT",
                    "description": "The token of POST /api/auth/login (FitTrackee's own client)." },
                "session": { "type": "apiKey", "in": "cookie", "name": crate::http::SESSION_COOKIE,
                    "description": "A browser session, for the pages." },
            },
        },
    })
}

/// A path with its parameters' names left out.
fn shape(path: &str) -> String {
    path.split('/').map(|s| if s.starts_with('{') { "{}" } else { s }).collect::<Vec<_>>().join("/")
}

/// `/api/workouts/{workout_id}` and its parameters (`{id:int}` is an integer).
fn path_and_parameters(path: &str) -> (String, Vec<Value>) {
    let mut parameters = Vec::new();
    let segments: Vec<String> = path
        .split('/')
        .map(|segment| match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(inner) => {
                let (name, kind) = inner.split_once(':').unwrap_or((inner, "string"));
                let schema = if kind == "int" { json!({ "type": "integer" }) } else { json!({ "type": "string" }) };
                parameters.push(json!({ "name": name, "in": "path", "required": true, "schema": schema }));
                format!("{{{name}}}")
            }
            None => segment.to_string(),
        })
        .collect();
    (segments.join("/"), parameters)
}

fn operation(route: &Route, parameters: &[Value]) -> Value {
    let page = route.access.is_page();
    let mut responses = Map::new();
    let success = match route.method {
        "POST" if !page => "200",
        "DELETE" => "204",
        _ => "200",
    };
    let content = if page { "text/html" } else { "application/json" };
    responses.insert(success.into(), json!({ "description": "Done.", "content": { content: {} } }));
    responses.insert("400".into(), json!({ "description": "A refusal, with a message saying why." }));
    for (status, description) in refusals(&route.access) {
        responses.insert(status.into(), json!({ "description": description }));
    }
    let mut op = json!({
        "operationId": format!("{} {}", route.method, route.path),
        "summary": format!("{} {}", route.method, route.path),
        "tags": [if page { "pages" } else if route.path.starts_with("/api/") { "api" } else { "oauth" }],
        "security": security(&route.access),
        "responses": responses,
    });
    if !parameters.is_empty() {
        op["parameters"] = json!(parameters);
    }
    op
}

/// Who may call: OpenAPI security requirements (any one of them).
fn security(access: &Access) -> Value {
    match *access {
        Access::Public => json!([]),
        Access::FirstParty { .. } => json!([{ "firstParty": [] }]),
        Access::Scoped { scope, anonymous_ok, .. } => {
            let mut any = vec![json!({ "oauth2": [scope.name()] }), json!({ "firstParty": [] })];
            if anonymous_ok {
                any.push(json!({}));
            }
            json!(any)
        }
        Access::Page { sign_in: crate::http::access::SignIn::Optional, .. } => json!([{ "session": [] }, {}]),
        Access::Page { .. } => json!([{ "session": [] }]),
    }
}

fn refusals(access: &Access) -> Vec<(&'static str, &'static str)> {
    match access {
        Access::Public => vec![],
        Access::FirstParty { .. } => vec![("401", "No valid first-party token.")],
        Access::Scoped { .. } => {
            vec![("401", "No valid token."), ("403", "The token lacks the scope, or the account the role.")]
        }
        Access::Page { .. } => {
            vec![("303", "Not signed in: to the sign-in page."), ("403", "The form's CSRF token is wrong.")]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_is_described_once_with_who_may_call_it() {
        let document = openapi();
        let paths = document["paths"].as_object().unwrap();
        let operations: usize = paths.values().map(|item| item.as_object().unwrap().len()).sum();
        assert_eq!(operations, ROUTES.len(), "one operation per route");
        let shapes: std::collections::BTreeSet<String> = paths.keys().map(|p| shape(p)).collect();
        assert_eq!(shapes.len(), paths.len(), "one template per hierarchy");
        let profile = &paths["/api/auth/profile"]["get"];
        assert_eq!(profile["security"], json!([{ "oauth2": ["profile:read"] }, { "firstParty": [] }]));
        assert_eq!(paths["/api/oauth/token"]["post"]["security"], json!([]));
        assert_eq!(paths["/api/oauth/apps"]["get"]["security"], json!([{ "firstParty": [] }]));
        let chart = &paths["/api/workouts/{workout_id}/chart_data"]["get"];
        assert!(chart["security"].as_array().unwrap().contains(&json!({})), "anonymous callers may read public ones");
        assert_eq!(chart["parameters"][0]["name"], "workout_id");
        let by_id = &paths["/api/oauth/apps/{client_id}"]["delete"];
        assert_eq!(by_id["parameters"][0]["schema"]["type"], "integer", "the integer route keeps its type");
    }
}
