//! `docs/api-coverage.md` against the route table: every FitTrackee route
//! marked served is served here with the access FitTrackee gives it, and
//! every route here is in the document.

use std::collections::BTreeSet;

use fittrackee::accounts::user::Role;
use fittrackee::http::access::Access;
use fittrackee::http::routes::ROUTES;

/// A path with its parameters as `{}` (names and types differ).
fn shape(path: &str) -> String {
    path.split('/').map(|s| if s.starts_with('{') { "{}" } else { s }).collect::<Vec<_>>().join("/")
}

/// The document's words for a route's access.
fn describe(access: &Access) -> String {
    let mut words = Vec::new();
    match *access {
        Access::Public => words.push("public".to_string()),
        Access::FirstParty { suspended_ok } => {
            words.push("first-party".into());
            if suspended_ok {
                words.push("suspended".into());
            }
        }
        Access::Scoped { scope, min_role, suspended_ok, anonymous_ok } => {
            words.push(scope.name().into());
            if anonymous_ok {
                words.push("anonymous".into());
            }
            match min_role {
                Role::Admin => words.push("admin".into()),
                Role::Moderator => words.push("moderator".into()),
                _ => {}
            }
            if suspended_ok {
                words.push("suspended".into());
            }
        }
        Access::Page { .. } => words.push("page".into()),
    }
    words.join(", ")
}

struct Row {
    method: String,
    path: String,
    access: String,
    here: String,
}

/// The rows of the document's tables (cells without their backquotes).
fn rows(document: &str, heading: &str) -> Vec<Row> {
    let table = document.split(heading).nth(1).unwrap_or_else(|| panic!("no {heading:?}"));
    table
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2)
        .map(|line| {
            let cells: Vec<String> = line.split('|').map(|c| c.trim().trim_matches('`').to_string()).collect();
            let last = cells.len() - 2;
            Row {
                method: cells[1].clone(),
                path: cells[2].clone(),
                access: cells[last - 1].clone(),
                here: cells[last].clone(),
            }
        })
        .collect()
}

#[test]
fn the_coverage_document_matches_the_route_table() {
    let document = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/api-coverage.md")).unwrap();
    let fittrackee = rows(&document, "## FitTrackee's routes");
    let ours = rows(&document, "## Routes of our own");
    assert!(fittrackee.len() >= 133, "every route of 1.2.2 and 1.3.6: {}", fittrackee.len());
    let mut wrong = Vec::new();
    let mut documented = BTreeSet::new();
    for row in &fittrackee {
        let key = (row.method.clone(), shape(&row.path));
        let route = ROUTES.iter().find(|r| r.method == row.method && shape(r.path) == key.1);
        match (row.here.as_str(), route) {
            ("served", Some(route)) => {
                if describe(&route.access) != row.access {
                    wrong.push(format!(
                        "{} {}: FitTrackee {}, here {}",
                        row.method,
                        row.path,
                        row.access,
                        describe(&route.access)
                    ));
                }
                documented.insert(key);
            }
            ("served", None) => {
                wrong.push(format!("{} {} is marked served but is not in the route table", row.method, row.path))
            }
            (here, Some(_)) => wrong.push(format!("{} {} is served but marked {here:?}", row.method, row.path)),
            (here, None) if !here.starts_with("not served: ") => {
                wrong.push(format!("{} {}: {here:?} needs \"not served: <reason>\"", row.method, row.path))
            }
            _ => {}
        }
    }
    for row in &ours {
        documented.insert((row.method.clone(), shape(&row.path)));
    }
    for route in ROUTES {
        if !documented.contains(&(route.method.to_string(), shape(route.path))) {
            wrong
                .push(format!("{} {} is in the route table but not in docs/api-coverage.md", route.method, route.path));
        }
    }
    assert!(wrong.is_empty(), "docs/api-coverage.md:\n{}", wrong.join("\n"));
}

#[test]
fn the_check_reads_what_it_should() {
    let document = "x\n## T\n\n| Method | Path | FitTrackee | Access | Here |\n|---|---|---|---|---|\n\
        | GET | `/api/a/{b}` | 1.2.2 | workouts:read, anonymous | served |\n\nrest";
    let found = rows(document, "## T");
    assert_eq!(found.len(), 1);
    assert_eq!((found[0].method.as_str(), found[0].path.as_str()), ("GET", "/api/a/{b}"));
    assert_eq!((found[0].access.as_str(), found[0].here.as_str()), ("workouts:read, anonymous", "served"));
    assert_eq!(shape("/api/workouts/{id:int}/x"), shape("/api/workouts/{workout_short_id}/x"));
}
