//! What FitTrackee's web client draws maps from: `with_geometry`, `map`
//! and `bounds` on workouts, the GeoJSON of a workout and of each segment,
//! the global map, the collection and the timeline, on real files.

use std::path::Path;

use serde_json::{Value, json};

use super::formats::{file, upload_file, uploader};
use super::*;
use crate::support::Server;

fn gpx_file(name: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/gpx").join(name)).unwrap()
}

/// `[lon, lat]` of every `<trkpt>` of each `<trkseg>` with two points or
/// more, read from the file's text (FitTrackee's segments).
fn segments_of(gpx: &str) -> Vec<Vec<[f64; 2]>> {
    let attribute = |point: &str, name: &str| -> f64 {
        let start = point.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        point[start..].split('"').next().unwrap().parse().unwrap()
    };
    gpx.split("<trkseg>")
        .skip(1)
        .map(|segment| {
            let segment = segment.split("</trkseg>").next().unwrap();
            segment.split("<trkpt ").skip(1).map(|p| [attribute(p, "lon"), attribute(p, "lat")]).collect::<Vec<_>>()
        })
        .filter(|points| points.len() >= 2)
        .collect()
}

fn coordinates(value: &Value) -> Vec<Vec<[f64; 2]>> {
    serde_json::from_value(value.clone()).unwrap()
}

fn geojson(server: &Server, token: Option<&str>, path: &str) -> crate::support::Response {
    let request = server.get(path);
    match token {
        Some(token) => request.bearer(token).send(),
        None => request.send(),
    }
}

#[test]
fn a_workout_with_a_file_has_its_geometry_and_each_segment_its_line() {
    let server = Server::start();
    let token = uploader(&server, "mapper");
    let bytes = gpx_file("tour_segments.gpx");
    let response = upload_file(&server, &token, "tour.gpx", &bytes, r#"{"sport_id": 6}"#);
    assert_eq!(response.status, 201, "{}", response.text());
    let workout = response.json()["data"]["workouts"][0].clone();
    let id = workout["id"].as_str().unwrap();
    assert_eq!(workout["with_geometry"], true);
    let map_id = workout["map"].as_str().expect("a map id");
    assert!(map_id.len() >= 32 && map_id.bytes().all(|b| b.is_ascii_alphanumeric()), "{map_id}");

    let expected = segments_of(std::str::from_utf8(&bytes).unwrap());
    assert_eq!(expected.len(), 3, "the file's one-point segment is no segment");
    let whole = geojson(&server, Some(&token), &format!("/api/workouts/{id}/geojson"));
    assert_eq!(whole.status, 200, "{}", whole.text());
    let body = whole.json();
    assert_eq!((body["status"].clone(), body["message"].clone()), (json!("success"), json!("")));
    assert_eq!(body["data"]["geojson"]["type"], "MultiLineString");
    assert_eq!(coordinates(&body["data"]["geojson"]["coordinates"]), expected, "PostGIS keeps the file's coordinates");

    let all: Vec<[f64; 2]> = expected.iter().flatten().copied().collect();
    let min = |i: usize| all.iter().map(|p| p[i]).fold(f64::MAX, f64::min);
    let max = |i: usize| all.iter().map(|p| p[i]).fold(f64::MIN, f64::max);
    assert_eq!(
        workout["bounds"],
        json!([min(1), min(0), max(1), max(0)]),
        "bounds: [min lat, min lon, max lat, max lon]"
    );

    for (segment, line) in workout["segments"].as_array().unwrap().iter().zip(&expected) {
        let path = format!("/api/workouts/{id}/geojson/segment/{}", segment["segment_id"].as_str().unwrap());
        let response = geojson(&server, Some(&token), &path);
        assert_eq!(response.status, 200, "{}", response.text());
        let geometry = &response.json()["data"]["geojson"];
        assert_eq!(geometry["type"], "LineString", "one segment's geometry, as PostGIS gives it");
        let points: Vec<[f64; 2]> = serde_json::from_value(geometry["coordinates"].clone()).unwrap();
        assert_eq!(&points, line);
    }
    let unknown = geojson(&server, Some(&token), &format!("/api/workouts/{id}/geojson/segment/nope"));
    assert_eq!((unknown.status, unknown.json()["message"].clone()), (404, json!("geojson not found")));
}

#[test]
fn every_format_gives_a_geometry() {
    let server = Server::start();
    let token = uploader(&server, "formats");
    for name in ["ride.gpx", "ride.tcx", "ride.kml", "ride.kmz", "ride.fit", "ride_course.fit"] {
        let response = upload_file(&server, &token, name, &file(name), r#"{"sport_id": 1}"#);
        assert_eq!(response.status, 201, "{name}: {}", response.text());
        let workout = response.json()["data"]["workouts"][0].clone();
        assert_eq!(workout["with_geometry"], true, "{name}");
        assert!(workout["map"].is_string(), "{name}");
        assert_eq!(workout["bounds"].as_array().map(Vec::len), Some(4), "{name}");
        let id = workout["id"].as_str().unwrap();
        let body = geojson(&server, Some(&token), &format!("/api/workouts/{id}/geojson")).json();
        let lines = coordinates(&body["data"]["geojson"]["coordinates"]);
        assert!(lines.len() == 1 && lines[0].len() > 100, "{name}: {} lines", lines.len());
    }
    // A FIT file without positions (an indoor ride) has no map.
    let indoor = upload_file(&server, &token, "indoor.fit", &file("indoor.fit"), r#"{"sport_id": 1}"#);
    let workout = indoor.json()["data"]["workouts"][0].clone();
    assert_eq!((workout["with_geometry"].clone(), workout["map"].clone()), (json!(false), Value::Null));
    let id = workout["id"].as_str().unwrap();
    let response = geojson(&server, Some(&token), &format!("/api/workouts/{id}/geojson"));
    assert_eq!((response.status, response.json()["message"].clone()), (404, json!("geojson not found")));
}

#[test]
fn maps_follow_the_map_visibility() {
    let server = Server::start();
    let owner = server.user("owner");
    let other = server.user("other");
    let workout = upload_run(&server, &owner, START, 1);
    let id = workout["id"].as_str().unwrap().to_string();
    let path = format!("/api/workouts/{id}/geojson");
    let hidden = |response: crate::support::Response| {
        assert_eq!(response.status, 404, "{}", response.text());
        assert_eq!(response.json()["data"], json!({ "geojson": null }), "FitTrackee's empty geojson");
        assert_eq!(response.json()["message"], format!("workout not found (id: {id})"));
    };
    hidden(geojson(&server, Some(&other), &path));
    hidden(geojson(&server, None, &path));
    let public_workout =
        json!({ "workout_visibility": "public", "analysis_visibility": "public", "map_visibility": "private" });
    assert_eq!(server.patch(&format!("/api/workouts/{id}")).bearer(&owner).json(&public_workout).send().status, 200);
    let seen = server.get(&format!("/api/workouts/{id}")).bearer(&other).send().json()["data"]["workouts"][0].clone();
    assert_eq!((seen["with_geometry"].clone(), seen["map"].clone()), (json!(false), Value::Null));
    assert_eq!(seen["bounds"], json!([]));
    hidden(geojson(&server, Some(&other), &path));
    let charts = server.get(&format!("/api/workouts/{id}/chart_data")).send().json();
    let first = &charts["data"]["chart_data"][0];
    assert!(first.get("latitude").is_none() && first["distance"].is_number(), "the chart without the map: {first}");
    let public_map = json!({ "map_visibility": "public" });
    assert_eq!(server.patch(&format!("/api/workouts/{id}")).bearer(&owner).json(&public_map).send().status, 200);
    assert_eq!(geojson(&server, None, &path).status, 200, "a public map is anyone's");
    // A manual workout has no file.
    let manual = manual_workout(&server, &owner, 1, "2024-05-02 10:00", 30, 10.0);
    let path = format!("/api/workouts/{}/geojson", manual["id"].as_str().unwrap());
    let response = geojson(&server, Some(&owner), &path);
    assert_eq!(response.status, 404);
    assert_eq!(
        response.json()["message"],
        format!("no file for this workout (id: {})", manual["id"].as_str().unwrap())
    );
}

#[test]
fn the_global_map_shows_each_start_within_the_limit_and_the_filters() {
    let server = Server::start();
    let token = server.user("globe");
    server.make_admin("globe");
    let run = upload_run(&server, &token, START, 5);
    let ride = upload(&server, &token, r#"{"sport_id": 1}"#, &gpx_track(START + 86_400, 60, 0.001, "Ride"));
    let ride = ride.json()["data"]["workouts"][0].clone();
    manual_workout(&server, &token, 1, "2024-05-03 10:00", 30, 10.0);
    server.user("stranger");
    let stranger = server.login("stranger");
    upload_run(&server, &stranger, START, 5);

    let map = server.get("/api/workouts/global-map").bearer(&token).send();
    assert_eq!(map.status, 200, "{}", map.text());
    let data = &map.json()["data"];
    assert_eq!((data["type"].clone(), data["limit_exceeded"].clone()), (json!("FeatureCollection"), json!(false)));
    let features = data["features"].as_array().unwrap();
    let ids: Vec<&str> = features.iter().map(|f| f["properties"]["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        vec![ride["id"].as_str().unwrap(), run["id"].as_str().unwrap()],
        "own workouts with a map, newest first"
    );
    let feature = &features[1];
    assert_eq!(feature["geometry"], json!({ "type": "Point", "coordinates": [6.0, 45.0] }), "the start, [lon, lat]");
    assert_eq!(feature["properties"]["bounds"], run["bounds"]);
    assert_eq!(feature["properties"]["sport_id"], 5);
    assert_eq!(feature["properties"]["workout_visibility"], "private");
    assert_eq!(data["bbox"], json!([6.0, 45.0, 6.0, 45.0]), "both start at the same point");

    let only_rides = server.get("/api/workouts/global-map?sport_ids=1").bearer(&token).send().json();
    assert_eq!(only_rides["data"]["features"].as_array().unwrap().len(), 1);
    let both = server.get("/api/workouts/global-map?sport_ids=1,5").bearer(&token).send().json();
    assert_eq!(both["data"]["features"].as_array().unwrap().len(), 2);
    let later = server.get("/api/workouts/global-map?from=2024-05-02").bearer(&token).send().json();
    assert_eq!(later["data"]["features"].as_array().unwrap().len(), 1);
    let bad = server.get("/api/workouts/global-map?sport_ids=1,x").bearer(&token).send();
    assert_eq!((bad.status, bad.json()["message"].clone()), (400, json!("invalid sport_ids")));
    let bad_date = server.get("/api/workouts/global-map?from=May").bearer(&token).send();
    assert_eq!(bad_date.status, 400, "{}", bad_date.text());

    let limit = json!({ "global_map_workouts_limit": 1 });
    assert_eq!(server.patch("/api/config").bearer(&token).json(&limit).send().status, 200);
    let limited = server.get("/api/workouts/global-map").bearer(&token).send().json();
    assert_eq!(limited["data"]["features"].as_array().unwrap().len(), 1);
    assert_eq!(limited["data"]["limit_exceeded"], true);
    assert_eq!(server.get("/api/workouts/global-map").send().status, 401);
}

#[test]
fn the_collection_is_a_page_of_the_list_as_features() {
    let server = Server::start();
    let token = server.user("collector");
    let first = upload_run(&server, &token, START, 5);
    manual_workout(&server, &token, 5, "2024-05-01 12:00", 30, 5.0);
    let tour = upload_file(&server, &token, "tour.gpx", &gpx_file("tour_segments.gpx"), r#"{"sport_id": 6}"#);
    assert_eq!(tour.status, 201, "{}", tour.text());
    let tour = tour.json()["data"]["workouts"][0].clone();

    let page = server.get("/api/workouts/collection").bearer(&token).send();
    assert_eq!(page.status, 200, "{}", page.text());
    let body = page.json();
    assert_eq!(body["pagination"], json!({"has_next": false, "has_prev": false, "page": 1, "pages": 1, "total": 3}));
    let features = body["data"]["features"].as_array().unwrap();
    let ids: Vec<&str> = features.iter().map(|f| f["properties"]["id"].as_str().unwrap()).collect();
    assert_eq!(ids, vec![tour["id"].as_str().unwrap(), first["id"].as_str().unwrap()], "the manual one has no feature");
    assert_eq!(features[0]["geometry"]["type"], "MultiLineString");
    let tour_lines = coordinates(&features[0]["geometry"]["coordinates"]);
    assert_eq!(tour_lines, segments_of(std::str::from_utf8(&gpx_file("tour_segments.gpx")).unwrap()));
    let bbox = body["data"]["bbox"].as_array().unwrap();
    assert_eq!(bbox.len(), 4);
    assert!(bbox[0].as_f64() <= Some(5.3698585) && bbox[1].as_f64() <= Some(43.2794885), "{bbox:?}");

    let second = server.get("/api/workouts/collection?per_page=1&page=2").bearer(&token).send().json();
    assert_eq!(second["pagination"]["pages"], 3);
    assert_eq!(second["data"]["features"], json!([]), "page 2 is the manual workout");
    assert_eq!(second["data"]["bbox"], json!([]));
    let runs = server.get("/api/workouts/collection?sport_id=5").bearer(&token).send().json();
    assert_eq!(runs["data"]["features"].as_array().unwrap().len(), 1);
    let bad = server.get("/api/workouts/collection?workout_visibility=friends").bearer(&token).send();
    assert_eq!(bad.status, 400, "{}", bad.text());
}

#[test]
fn the_timeline_pages_the_callers_workouts_five_at_a_time() {
    let server = Server::start();
    let token = server.user("timeline");
    let other = server.user("someone");
    for day in 0..7 {
        manual_workout(&server, &token, 5, &format!("2024-05-{:02} 07:00", day + 1), 30, 5.0);
    }
    let public = manual_workout(&server, &other, 5, "2024-06-01 07:00", 30, 5.0);
    let make_public = json!({ "workout_visibility": "public" });
    let path = format!("/api/workouts/{}", public["id"].as_str().unwrap());
    assert_eq!(server.patch(&path).bearer(&other).json(&make_public).send().status, 200);

    let first = server.get("/api/timeline").bearer(&token).send();
    assert_eq!(first.status, 200, "{}", first.text());
    let body = first.json();
    let dates: Vec<&str> =
        body["data"]["workouts"].as_array().unwrap().iter().map(|w| w["workout_date"].as_str().unwrap()).collect();
    assert_eq!(dates.len(), 5);
    assert!(dates[0].starts_with("Tue, 07 May 2024"), "newest first, nobody else's (no one is followed): {dates:?}");
    assert_eq!(body["pagination"], json!({"has_next": true, "has_prev": false, "page": 1, "pages": 2, "total": 7}));
    let second = server.get("/api/timeline?page=2").bearer(&token).send().json();
    assert_eq!(second["data"]["workouts"].as_array().unwrap().len(), 2);
    let workout = &body["data"]["workouts"][0];
    assert_eq!(
        (workout["bounds"].clone(), workout["next_workout"].clone()),
        (json!([]), Value::Null),
        "the light shape"
    );
    assert_eq!(server.get("/api/timeline").send().status, 401);
}

#[test]
fn points_in_an_older_format_or_missing_are_computed_again_at_start() {
    let mut server = Server::start();
    let token = server.user("older");
    let uploaded = upload(&server, &token, r#"{"sport_id": 1}"#, &gpx_run(START, 120));
    let id = uploaded.json()["data"]["workouts"][0]["id"].as_str().unwrap().to_string();
    let chart = |server: &Server| server.get(&format!("/api/workouts/{id}/chart_data")).bearer(&token).send().json();
    let before = chart(&server);
    let format = |server: &Server| -> i64 {
        server.db().query_row("SELECT format FROM workout_points", [], |r| r.get(0)).unwrap()
    };
    assert_eq!(format(&server), 2);
    server.db().execute("UPDATE workout_points SET points = CAST('FTP1' AS BLOB), format = 1", []).unwrap();
    server.kill9();
    server.restart();
    assert_eq!(format(&server), 2, "written again in the current format");
    assert_eq!(chart(&server), before);
    server.db().execute("DELETE FROM workout_points", []).unwrap();
    server.kill9();
    server.restart();
    assert_eq!(chart(&server), before, "missing points come back too");
}
