//! SIGTERM: the server stops accepting, lets the requests in flight finish,
//! checkpoints the WAL and exits 0; every upload it acknowledged is stored.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use std::io::{Read, Write};
use std::net::TcpStream;

use serde_json::{Value, json};

use crate::support::Server;
use crate::support::http::{BOUNDARY, data_part, file_part, multipart};
use crate::workouts::{START, gpx_run};

/// An upload that may find the server gone: the created workout's id, or
/// `None` when it was not acknowledged.
fn try_upload(addr: &str, token: &str, data: &str, gpx: &str) -> Option<String> {
    let body = multipart(&[data_part(data), file_part("run.gpx", gpx.as_bytes())], "\r\n", "");
    let head = format!(
        "POST /api/workouts HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: multipart/form-data; boundary={BOUNDARY}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let mut stream = TcpStream::connect(addr).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(30))).ok()?;
    stream.write_all(head.as_bytes()).ok()?;
    stream.write_all(&body).ok()?;
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let text = String::from_utf8_lossy(&answer);
    let (head, body) = text.split_once("\r\n\r\n")?;
    if !head.starts_with("HTTP/1.1 201") {
        return None;
    }
    let created: Value = serde_json::from_str(body).ok()?;
    created["data"]["workouts"][0]["id"].as_str().map(str::to_owned)
}

#[test]
fn sigterm_during_uploads_keeps_every_acknowledged_one() {
    let mut server = Server::start();
    let token = server.user("calm");
    let gpx = gpx_run(START, 2000);
    let acknowledged = Mutex::new(Vec::new());
    let status = std::thread::scope(|scope| {
        for n in 0..3 {
            let (server, token, gpx, acknowledged) = (&server, &token, &gpx, &acknowledged);
            scope.spawn(move || {
                for i in 0..200 {
                    let data = json!({"sport_id": 5, "title": format!("run {n}-{i}")}).to_string();
                    // Once the server is gone, nothing more is acknowledged.
                    let Some(id) = try_upload(&server.addr, token, &data, gpx) else { return };
                    acknowledged.lock().unwrap().push(id);
                }
            });
        }
        std::thread::sleep(Duration::from_millis(700));
        let asked = Instant::now();
        let pid = server.child_id().to_string();
        let sent = std::process::Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        assert!(sent.success());
        (asked, server.wait())
    });
    let (asked, exit) = status;
    assert!(exit.success(), "exits 0 after SIGTERM: {exit:?}");
    assert!(asked.elapsed() < Duration::from_secs(3), "promptly, though clients keep sending: {:?}", asked.elapsed());
    let logs = server.logs();
    assert!(logs.contains("the database is checkpointed"), "{logs}");
    let wal = server.db_path().with_extension("db-wal");
    assert!(std::fs::metadata(&wal).map_or(0, |m| m.len()) == 0, "the WAL is folded into the file");
    let acknowledged = acknowledged.into_inner().unwrap();
    assert!(acknowledged.len() >= 3, "uploads went on until the signal: {}", acknowledged.len());

    server.restart();
    let token = server.login("calm");
    for id in &acknowledged {
        let shown = server.get(&format!("/api/workouts/{id}")).bearer(&token).send();
        assert_eq!(shown.status, 200, "acknowledged upload {id} is stored");
    }
}
