//! `/api/openapi.json`: the route table as OpenAPI 3.1, checked by a real
//! validator (openapi-spec-validator, installed by tests/openapi-validator.sh).

use std::path::Path;

use crate::support::Server;

#[test]
fn the_description_is_served_for_every_route() {
    let server = Server::start();
    let answer = server.get("/api/openapi.json").send();
    assert_eq!((answer.status, answer.header("Content-Type")), (200, Some("application/json")));
    let document = answer.json();
    assert_eq!(document["openapi"], "3.1.0");
    assert!(document["paths"]["/api/workouts/{workout_id}/gpx/download"]["get"].is_object());
    assert!(
        document["components"]["securitySchemes"]["oauth2"]["flows"]["authorizationCode"]["scopes"]["workouts:read"]
            .is_string()
    );
}

#[test]
#[ignore = "needs openapi-spec-validator (tests/openapi-validator.sh); .ci/run runs it"]
fn the_description_passes_an_openapi_3_1_validator() {
    let validator = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/openapi-venv/bin/openapi-spec-validator");
    assert!(validator.exists(), "run tests/openapi-validator.sh first");
    let server = Server::start();
    let file = server.dir.path().join("openapi.json");
    std::fs::write(&file, server.get("/api/openapi.json").send().body).unwrap();
    let out = std::process::Command::new(validator).arg(&file).output().unwrap();
    let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success() && said.contains("OK"), "{said}");
}
