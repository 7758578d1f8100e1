//! The route table, walked route by route: every OAuth-reachable route has a
//! scope, a token with one scope passes exactly the routes of that scope,
//! OAuth tokens never pass first-party routes, and the suspended, anonymous
//! and role flags do what the table says.

use fittrackee::accounts::user::Role;
use fittrackee::http::access::Access;
use fittrackee::http::routes::{ROUTES, Route};
use fittrackee::oauth::scopes::Scope;
use serde_json::json;

use crate::oauth::{CALLBACK, app_with, tokens};
use crate::support::{Response, Server};

/// A concrete path for a pattern, naming nothing that exists (so that no
/// handler changes anything).
fn concrete(pattern: &str) -> String {
    pattern
        .split('/')
        .map(|segment| match segment.strip_prefix('{') {
            Some(param) if param.ends_with(":int}") => "999999",
            Some(_) => "nobody_here",
            None => segment,
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn call(server: &Server, route: &Route, token: Option<&str>) -> Response {
    let request = server.request(route.method, &concrete(route.path));
    match token {
        Some(token) => request.bearer(token).send(),
        None => request.send(),
    }
}

fn is_insufficient_scope(response: &Response) -> bool {
    response.status == 403 && response.text().contains("insufficient_scope")
}

fn scoped(route: &Route) -> Option<Scope> {
    match route.access {
        Access::Scoped { scope, .. } => Some(scope),
        _ => None,
    }
}

/// The scopes some route asks for: the nine core ones and those of the
/// features answered neutrally.
fn guarding_scopes() -> Vec<Scope> {
    Scope::ALL.iter().copied().filter(|&s| ROUTES.iter().any(|r| scoped(r) == Some(s))).collect()
}

fn all_names() -> String {
    guarding_scopes().iter().map(|s| s.name()).collect::<Vec<_>>().join(" ")
}

/// Where the features not built here live (`api::neutral`): only these may
/// ask for a scope that opens no data.
const NEUTRAL_FAMILIES: &[&str] = &[
    "/api/notifications",
    "/api/follow-requests",
    "/api/users/{username}/follow",
    "/api/users/{username}/unfollow",
    "/api/reports",
    "/api/geocode/",
];

#[test]
fn every_oauth_reachable_route_has_a_scope_and_only_neutral_ones_a_scope_that_opens_nothing() {
    for route in ROUTES {
        if let Access::Scoped { scope, .. } = route.access {
            assert!(
                scope.is_core() || NEUTRAL_FAMILIES.iter().any(|family| route.path.starts_with(family)),
                "{} {} uses {scope}, which opens nothing here",
                route.method,
                route.path
            );
        }
    }
    // Every core scope guards something, so the walks below cover them all.
    for &scope in Scope::CORE {
        assert!(ROUTES.iter().any(|r| scoped(r) == Some(scope)), "no route needs {scope}");
    }
    assert_eq!(guarding_scopes().len(), 16, "every scope but media:write guards a route");
}

#[test]
fn a_token_with_one_scope_passes_exactly_the_routes_of_that_scope() {
    let server = Server::start();
    let token = server.user("root");
    server.make_admin("root");
    let app = app_with(&server, &token, &all_names(), &[CALLBACK]);
    for scope in guarding_scopes() {
        let (access, _) = tokens(&server, &token, &app, scope.name());
        for route in ROUTES.iter().filter(|r| scoped(r).is_some()) {
            let response = call(&server, route, Some(&access));
            let required = scoped(route).unwrap();
            if required == scope {
                assert!(
                    !is_insufficient_scope(&response) && response.status != 401,
                    "{scope} should pass {} {}: {} {}",
                    route.method,
                    route.path,
                    response.status,
                    response.text()
                );
            } else {
                assert!(
                    is_insufficient_scope(&response),
                    "{scope} should not pass {} {} (needs {required}): {} {}",
                    route.method,
                    route.path,
                    response.status,
                    response.text()
                );
                let challenge = response.header("WWW-Authenticate").unwrap();
                assert!(challenge.contains(&format!("scope=\"{required}\"")), "{challenge}");
            }
        }
    }
}

#[test]
fn oauth_tokens_never_pass_first_party_routes_and_public_routes_need_nothing() {
    let server = Server::start();
    let token = server.user("fpo");
    let app = app_with(&server, &token, &all_names(), &[CALLBACK]);
    let (access, _) = tokens(&server, &token, &app, &all_names());
    for route in ROUTES {
        match route.access {
            Access::FirstParty { .. } => {
                let response = call(&server, route, Some(&access));
                assert_eq!(
                    (response.status, response.json()["message"].clone()),
                    (401, json!("provide a valid auth token")),
                    "{} {}",
                    route.method,
                    route.path
                );
                assert_eq!(call(&server, route, None).status, 401, "{} {}", route.method, route.path);
            }
            Access::Public => {
                let response = call(&server, route, None);
                assert!(response.status != 401 && response.status != 403, "{} {}", route.method, route.path);
            }
            _ => {}
        }
    }
}

#[test]
fn anonymous_suspended_and_role_flags_hold_for_every_scoped_route() {
    let server = Server::start();
    let token = server.user("sus");
    let app = app_with(&server, &token, &all_names(), &[CALLBACK]);
    let (access, _) = tokens(&server, &token, &app, &all_names());
    for route in ROUTES {
        let Access::Scoped { min_role, anonymous_ok, .. } = route.access else { continue };
        let anonymous = call(&server, route, None);
        assert_eq!(anonymous.status == 401, !anonymous_ok, "anonymous on {} {}", route.method, route.path);
        let user = call(&server, route, Some(&access));
        let below_role = user.status == 403 && user.json()["message"] == "you do not have permissions";
        assert_eq!(below_role, min_role > Role::User, "role on {} {}", route.method, route.path);
    }
    server.db().execute("UPDATE users SET suspended_at = 1", []).unwrap();
    for route in ROUTES {
        let Access::Scoped { suspended_ok, .. } = route.access else { continue };
        let response = call(&server, route, Some(&access));
        let refused = response.status == 403
            && response.json()["message"] == "you do not have permissions, your account is suspended";
        assert_eq!(refused, !suspended_ok, "suspended on {} {}: {}", route.method, route.path, response.text());
    }
}
