//! The map tile proxy and the map thumbnails, against a tile server the
//! test starts on 127.0.0.1: only tile paths of that one server are
//! fetched, with this server's User-Agent, within bounds; tiles are kept
//! (within a size cap) and served from the cache when the tile server is
//! gone; a slow tile server holds a bounded number of workers.

use std::time::{Duration, Instant};

use serde_json::json;

use super::*;
use crate::support::tiles::{Behaviour, TileServer, tile_bytes};
use crate::support::{Response, Server};

fn tile(server: &Server, path: &str) -> Response {
    server.get(&format!("/api/workouts/map_tile/{path}")).send()
}

fn kept_tiles(server: &Server) -> i64 {
    server.db().query_row("SELECT count(*) FROM map_tiles", [], |r| r.get(0)).unwrap()
}

#[test]
fn tiles_come_from_the_tile_server_once_then_from_the_cache() {
    let tiles = TileServer::start();
    let server = Server::start_with(&tiles.config(""));
    let first = tile(&server, "a/3/4/5.png");
    assert_eq!(first.status, 200, "{}", first.text());
    assert_eq!(first.header("Content-Type"), Some("image/png"));
    assert_eq!(first.body, tile_bytes("/3/4/5.png"));
    assert_eq!(first.header("Cache-Control"), Some("public, max-age=86400"));
    let seen = tiles.seen();
    assert_eq!(seen.len(), 1);
    assert!(
        seen[0].user_agent.starts_with("fittrackee-rs/"),
        "a User-Agent naming this server: {}",
        seen[0].user_agent
    );
    for subdomain in ["a", "b", "c"] {
        assert_eq!(tile(&server, &format!("{subdomain}/3/4/5.png")).body, tile_bytes("/3/4/5.png"));
    }
    assert_eq!(tiles.seen().len(), 1, "kept tiles are not fetched again, whatever the subdomain");
    assert_eq!(kept_tiles(&server), 1);
    assert_eq!(server.request("HEAD", "/api/workouts/map_tile/a/3/4/5.png").send().status, 200);
}

#[test]
fn nothing_but_a_tile_of_the_grid_is_ever_fetched() {
    let tiles = TileServer::start();
    let server = Server::start_with(&tiles.config(""));
    for path in [
        "a/23/0/0.png",
        "a/3/8/0.png",
        "a/3/0/8.png",
        "a/3/-1/0.png",
        "a/3/0/0.jpg",
        "a/3/0/0",
        "evil.example/3/0/0.png",
        "a%2F..%2F/3/0/0.png",
        "a/3/0/0.png%3Fx=1",
        "a/3/%2e%2e/0.png",
        "a/1e3/0/0.png",
        "a/3/0x1/0.png",
        "a/3/0/0.png/extra",
    ] {
        let response = tile(&server, path);
        assert_eq!(response.status, 404, "{path}: {}", response.text());
    }
    assert!(tiles.seen().is_empty(), "the tile server saw: {:?}", tiles.seen());
}

#[test]
fn a_failing_tile_server_is_answered_clearly_and_nothing_bad_is_kept() {
    let tiles = TileServer::start();
    let server = Server::start_with(&tiles.config(""));
    let cases = [
        (Behaviour::Status(404), 404),
        (Behaviour::Status(500), 502),
        (Behaviour::Html, 502),
        (Behaviour::Sized(2 << 20), 502),
        (Behaviour::Redirect, 502),
    ];
    for (n, (behaviour, status)) in cases.into_iter().enumerate() {
        tiles.behave(behaviour.clone());
        let response = tile(&server, &format!("a/5/{n}/1.png"));
        assert_eq!(response.status, status, "{behaviour:?}: {}", response.text());
        assert!(response.json()["message"].is_string(), "{behaviour:?}");
    }
    assert_eq!(kept_tiles(&server), 0);
    assert!(!tiles.seen().iter().any(|s| s.path == "/0/0/0.png"), "redirects are not followed");
}

#[test]
fn when_the_tile_server_is_gone_kept_tiles_are_served_however_old() {
    let tiles = TileServer::start();
    // Every kept tile is stale at once: each request asks the tile server first.
    let server = Server::start_with(&tiles.config("tile_cache_lifetime = 0"));
    assert_eq!(tile(&server, "a/4/1/2.png").status, 200);
    assert_eq!(tile(&server, "a/4/1/2.png").status, 200);
    assert_eq!(tiles.seen().len(), 2, "a stale tile is fetched again");
    tiles.stop();
    let offline = tile(&server, "a/4/1/2.png");
    assert_eq!((offline.status, offline.body.clone()), (200, tile_bytes("/4/1/2.png")));
    let never_kept = tile(&server, "a/4/3/3.png");
    assert_eq!(never_kept.status, 502, "{}", never_kept.text());
    assert_eq!(never_kept.json()["message"], "the tile server cannot be reached");
    let logs = server.flushed_logs();
    assert_eq!(logs.matches("the tile server cannot be reached").count(), 1, "logged once, not per tile: {logs}");
}

#[test]
fn the_cache_keeps_the_newest_tiles_within_its_size() {
    let tiles = TileServer::start();
    let size = tile_bytes("/6/10/10.png").len();
    let server = Server::start_with(&tiles.config(&format!("tile_cache_size = {}", 3 * size)));
    for x in 10..15 {
        assert_eq!(tile(&server, &format!("a/6/{x}/10.png")).status, 200);
    }
    let kept: Vec<String> = server
        .db()
        .prepare("SELECT key FROM map_tiles ORDER BY rowid")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(kept.len(), 3, "{kept:?}");
    assert!(kept.iter().zip(["6/12/10", "6/13/10", "6/14/10"]).all(|(k, t)| k.starts_with(t)), "{kept:?}");
    let bytes: i64 = server.db().query_row("SELECT sum(length(data)) FROM map_tiles", [], |r| r.get(0)).unwrap();
    assert!(bytes as usize <= 3 * size);
}

#[test]
fn a_slow_tile_server_holds_a_bounded_share_of_the_workers_briefly() {
    let tiles = TileServer::start();
    tiles.behave(Behaviour::Slow(Duration::from_secs(2)));
    let server = Server::start_with(&tiles.config("tile_fetches = 1"));
    let started = Instant::now();
    let answers: Vec<(u16, Duration)> = std::thread::scope(|scope| {
        let waiting: Vec<_> = (0..6)
            .map(|x| {
                let server = &server;
                scope.spawn(move || {
                    let asked = Instant::now();
                    (tile(server, &format!("a/8/{x}/0.png")).status, asked.elapsed())
                })
            })
            .collect();
        std::thread::sleep(Duration::from_millis(300));
        let ping = Instant::now();
        assert_eq!(server.get("/api/ping").send().status, 200);
        assert!(ping.elapsed() < Duration::from_secs(1), "the server kept answering: {:?}", ping.elapsed());
        waiting.into_iter().map(|t| t.join().unwrap()).collect()
    });
    assert_eq!(tiles.most_at_once(), 1, "one fetch at a time");
    let refused = |waited: fn(&Duration) -> bool| answers.iter().filter(|(s, d)| *s == 503 && waited(d)).count();
    assert_eq!(answers.iter().filter(|(s, _)| *s == 200).count(), 1, "{answers:?}");
    assert_eq!(refused(|d| d.as_millis() < 500), 3, "refused at once: {answers:?}");
    assert_eq!(refused(|d| (1400..1900).contains(&d.as_millis())), 2, "two waited their turn: {answers:?}");
    assert!(started.elapsed() < Duration::from_secs(5));
    let busy = tile(&server, "a/8/9/0.png");
    assert_eq!(busy.status, 200, "a free slot again");
}

#[test]
fn a_map_in_a_browser_gets_all_its_tiles_though_it_asks_six_at_once() {
    let tiles = TileServer::start();
    // A tile server's usual pace (the point is the six at once, not a slow server).
    tiles.behave(Behaviour::Slow(Duration::from_millis(15)));
    let server = Server::start_with(&tiles.config(""));
    let answers: Vec<u16> = std::thread::scope(|scope| {
        let browser_connections: Vec<_> = (0..6)
            .map(|connection| {
                let server = &server;
                scope.spawn(move || {
                    (0..4).map(|n| tile(server, &format!("a/9/{connection}/{n}.png")).status).collect::<Vec<_>>()
                })
            })
            .collect();
        browser_connections.into_iter().flat_map(|c| c.join().unwrap()).collect::<Vec<_>>()
    });
    assert_eq!(answers, vec![200; 24]);
    assert!(tiles.most_at_once() <= 2, "never more than tile_fetches at the tile server");
}

#[test]
fn a_thumbnail_is_the_route_over_its_tiles_drawn_once_and_kept() {
    let tiles = TileServer::start();
    let server = Server::start_with(&tiles.config(""));
    let token = server.user("thumbs");
    let workout = upload_run(&server, &token, START, 1);
    let map_id = workout["map"].as_str().unwrap().to_string();
    let path = format!("/api/workouts/map/{map_id}");

    let first = server.get(&path).send();
    assert_eq!(first.status, 200, "{}", first.text());
    assert_eq!(first.header("Content-Type"), Some("image/svg+xml"));
    let svg = first.text();
    let fetched = tiles.seen().len();
    assert!((1..=6).contains(&fetched), "{fetched} tiles");
    assert_eq!(svg.matches("<image ").count(), fetched, "every tile is in the picture");
    assert!(svg.contains("data:image/png;base64,") && svg.contains("<path d=\"M"), "{}", &svg[..300.min(svg.len())]);
    assert!(!svg.contains("<script"), "an image only");

    tiles.stop();
    let again = server.get(&path).send();
    assert_eq!(again.text(), svg, "kept: the tile server is not asked again");
    let unknown = server.get("/api/workouts/map/0123456789abcdef").send();
    assert_eq!((unknown.status, unknown.json()["message"].clone()), (404, json!("Map does not exist.")));

    let id = workout["id"].as_str().unwrap();
    assert_eq!(server.delete(&format!("/api/workouts/{id}")).bearer(&token).send().status, 204);
    let rows: i64 = server.db().query_row("SELECT count(*) FROM map_images", [], |r| r.get(0)).unwrap();
    assert_eq!(rows, 0, "a deleted workout's thumbnail goes with it");
    assert_eq!(server.get(&path).send().status, 404);
}

#[test]
fn without_tiles_a_thumbnail_is_the_route_alone_and_is_kept_only_when_complete() {
    let tiles = TileServer::start();
    let server = Server::start_with(&tiles.config(""));
    let token = server.user("offline");
    let workout = upload_run(&server, &token, START, 1);
    let path = format!("/api/workouts/map/{}", workout["map"].as_str().unwrap());
    tiles.behave(Behaviour::Status(503));
    let partial = server.get(&path).send();
    assert_eq!(partial.status, 200);
    assert!(!partial.text().contains("<image") && partial.text().contains("<path"), "the route alone");
    let rows = |server: &Server| -> i64 {
        server.db().query_row("SELECT count(*) FROM map_images", [], |r| r.get(0)).unwrap()
    };
    assert_eq!(rows(&server), 0, "not kept: tiles were missing");
    tiles.behave(Behaviour::Tiles);
    assert!(server.get(&path).send().text().contains("<image"));
    assert_eq!(rows(&server), 1);

    // A refresh draws the points again, and so the thumbnail.
    let id = workout["id"].as_str().unwrap();
    assert_eq!(server.post(&format!("/api/workouts/{id}/refresh")).bearer(&token).send().status, 200);
    assert_eq!(rows(&server), 0);
}

#[test]
fn maps_off_fetch_nothing_and_thumbnails_show_the_route_alone() {
    let config = "[maps]\ntile_server_url = \"\"\nattribution = \"&copy; my tiles\"\n";
    let server = Server::start_with(config);
    let off = tile(&server, "a/3/4/5.png");
    assert_eq!((off.status, off.json()["message"].clone()), (404, json!("map tiles are turned off on this server")));
    let token = server.user("nomaps");
    let workout = upload_run(&server, &token, START, 1);
    assert_eq!(workout["with_geometry"], true, "the route is still there to draw");
    let svg = server.get(&format!("/api/workouts/map/{}", workout["map"].as_str().unwrap())).send().text();
    assert!(svg.contains("<path") && !svg.contains("<image"), "{svg}");
    let config = server.get("/api/config").send().json();
    assert_eq!(config["data"]["map_attribution"], "&copy; my tiles");
}

#[test]
fn a_bad_tile_server_url_stops_start_up_with_the_key_named() {
    for url in [
        "ftp://tiles.example/{z}/{x}/{y}.png",
        "https://tiles.example/{z}/{x}.png",
        "not a url {z}{x}{y}",
        "https://{z}/{x}/{y}",
    ] {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("fittrackee.toml");
        std::fs::write(&config, format!("[maps]\ntile_server_url = \"{url}\"\n")).unwrap();
        let out = std::process::Command::new(crate::support::BIN).arg("--config").arg(&config).output().unwrap();
        assert!(!out.status.success(), "{url}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("maps.tile_server_url"), "{url}: {stderr}");
    }
}

#[test]
fn a_full_database_still_lets_tiles_through() {
    let tiles = TileServer::start();
    let server = Server::start_with(&format!("max_database_size = 2000000\n{}", tiles.config("")));
    let token = server.user("full");
    let gpx = gpx_run(START, 1000);
    while upload(&server, &token, r#"{"sport_id": 1}"#, &gpx).status == 201 {}
    tiles.behave(Behaviour::Sized(200_000));
    let response = tile(&server, "a/2/1/1.png");
    assert_eq!((response.status, response.body.len()), (200, 200_000), "{}", response.text());
    assert_eq!(kept_tiles(&server), 0, "no room to keep it");
    assert!(!server.flushed_logs().contains("could not be kept"), "a full disk is not an error to log per tile");
}
