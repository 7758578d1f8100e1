//! The server under load and faults: many connections at once, slow
//! senders, a kill -9 in the middle of writes, a full disk, oversized
//! requests. Bounded in count and time, loopback only.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::oauth::{self as flow, App};
use crate::support::http::{Connection, raw};
use crate::support::{Response, Server};
use crate::workouts::{gpx_run, upload};

const CONNECTIONS: usize = 256;

fn manual_body(n: usize) -> Value {
    json!({
        "sport_id": 1 + n % 4,
        "workout_date": format!("2026-{:02}-{:02} {:02}:{:02}", 1 + n % 12, 1 + n % 28, n % 24, n % 60),
        "duration": 1800 + n,
        "distance": 5.0 + (n % 10) as f64,
    })
}

#[test]
fn many_connections_mixing_reads_and_writes_all_succeed_in_bounded_memory() {
    let server = Server::start();
    let tokens: Vec<String> = (0..8).map(|n| server.user(&format!("load{n}"))).collect();
    let barrier = Arc::new(Barrier::new(CONNECTIONS));
    let clients: Vec<_> = (0..CONNECTIONS)
        .map(|n| {
            let (addr, token, barrier) = (server.addr.clone(), tokens[n % tokens.len()].clone(), barrier.clone());
            thread::spawn(move || {
                let mut connection = Connection::open(&addr).expect("connect");
                barrier.wait(); // every connection is open before the first request
                (0..6)
                    .map(|i| {
                        let response = match i % 3 {
                            0 => connection.send("GET", "/api/auth/profile", Some(&token), None),
                            1 => connection.send("POST", "/api/workouts/no_gpx", Some(&token), Some(&manual_body(n))),
                            _ => connection.send("GET", "/api/workouts?page=1&per_page=10", Some(&token), None),
                        };
                        response.expect("an answer on the kept-alive connection")
                    })
                    .collect::<Vec<Response>>()
            })
        })
        .collect();
    let responses: Vec<Response> = clients.into_iter().flat_map(|c| c.join().expect("client thread")).collect();

    assert_eq!(responses.len(), CONNECTIONS * 6);
    for response in &responses {
        assert!(response.status < 500, "{} {}", response.status, response.text());
        assert!(!response.text().contains("locked"), "{}", response.text());
    }
    let created = responses.iter().filter(|r| r.status == 201).count();
    assert_eq!(created, CONNECTIONS * 2, "every write succeeded");
    let stored: i64 = server.db().query_row("SELECT count(*) FROM workouts", [], |r| r.get(0)).unwrap();
    assert_eq!(stored as usize, created);
    assert!(!server.logs().contains("locked"), "{}", server.logs());
    let (_, peak_kib) = server.memory_kib();
    assert!(peak_kib < 40 * 1024, "peak RSS {peak_kib} KiB under {CONNECTIONS} connections");
}

/// Sends the next byte of `request` on every connection.
fn trickle(connections: &mut [TcpStream], request: &[u8], sent: &mut usize) {
    let byte = &request[(*sent).min(request.len() - 1)..][..1];
    for connection in connections.iter_mut() {
        let _ = connection.write_all(byte);
    }
    *sent += 1;
}

/// The answer on a connection, read by its length (the connection may stay open).
fn answer_of(connection: &mut TcpStream) -> String {
    connection.set_read_timeout(Some(Duration::from_secs(15))).unwrap();
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    while !complete(&answer) {
        match connection.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => answer.extend_from_slice(&buf[..n]),
        }
    }
    String::from_utf8_lossy(&answer).to_string()
}

fn complete(answer: &[u8]) -> bool {
    let Some(end) = answer.windows(4).position(|w| w == b"\r\n\r\n") else { return false };
    let head = String::from_utf8_lossy(&answer[..end]).to_ascii_lowercase();
    let length = head.lines().find_map(|l| l.strip_prefix("content-length:")).and_then(|v| v.trim().parse().ok());
    answer.len() >= end + 4 + length.unwrap_or(0)
}

#[test]
fn slow_senders_do_not_starve_other_clients_and_are_timed_out() {
    let server = Server::start();
    // 80 send their request head one byte per second; 20 send a quick head
    // and then their (declared) body one byte per second.
    let head = b"GET /api/config HTTP/1.1\r\nHost: slow.example\r\n\r\n".to_vec();
    let body_head = b"POST /api/auth/login HTTP/1.1\r\nHost: slow.example\r\nContent-Type: application/json\r\nContent-Length: 60\r\n\r\n";
    let connect = || TcpStream::connect(&server.addr).expect("connect");
    let mut slow_heads: Vec<TcpStream> = (0..80).map(|_| connect()).collect();
    let mut slow_bodies: Vec<TcpStream> = (0..20).map(|_| connect()).collect();
    for connection in &mut slow_bodies {
        connection.write_all(body_head).unwrap();
    }
    let body = vec![b' '; 60];
    let started = Instant::now();
    let (mut head_sent, mut body_sent) = (0, 0);
    for second in 1..=12 {
        trickle(&mut slow_heads, &head, &mut head_sent);
        trickle(&mut slow_bodies, &body, &mut body_sent);
        if second % 3 == 0 {
            let asked = Instant::now();
            let response = server.get("/api/config").send();
            assert_eq!(response.status, 200);
            assert!(asked.elapsed() < Duration::from_secs(1), "served in {:?}", asked.elapsed());
        }
        thread::sleep((started + Duration::from_secs(second)).saturating_duration_since(Instant::now()));
    }
    // Ten seconds after its first byte, a request still incomplete is
    // answered 408 and its connection closed.
    for connection in slow_heads.iter_mut().chain(slow_bodies.iter_mut()) {
        let answer = answer_of(connection);
        assert!(answer.starts_with("HTTP/1.1 408"), "{answer:?}");
    }
}

#[test]
fn an_authenticated_body_that_stalls_is_408_after_the_request_timeout() {
    let server = Server::start_with("request_timeout = 2");
    let token = server.user("sam");
    let mut connection = TcpStream::connect(&server.addr).unwrap();
    let head = format!(
        "POST /api/workouts HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 500000\r\n\r\n"
    );
    connection.write_all(head.as_bytes()).unwrap();
    connection.write_all(&vec![b'x'; 100_000]).unwrap();
    let started = Instant::now();
    let answer = answer_of(&mut connection);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer:?}");
    assert!(answer.contains(r#""message":"the request body took too long to arrive""#), "{answer}");
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
    assert_eq!(server.get("/api/config").send().status, 200);
}

/// What a writer got acknowledged before the server died.
enum Acknowledged {
    Workout(String),
    AccessToken(String),
}

fn keep_creating_workouts(addr: String, token: String) -> Vec<Acknowledged> {
    let mut acknowledged = Vec::new();
    let Ok(mut connection) = Connection::open(&addr) else { return acknowledged };
    for n in 0.. {
        match connection.send("POST", "/api/workouts/no_gpx", Some(&token), Some(&manual_body(n))) {
            Ok(r) if r.status == 201 => {
                acknowledged.push(Acknowledged::Workout(r.json()["data"]["workouts"][0]["id"].as_str().unwrap().into()))
            }
            Ok(r) => panic!("{} {}", r.status, r.text()),
            Err(_) => break, // the server is gone
        }
    }
    acknowledged
}

fn keep_issuing_tokens(addr: String, token: String, app: (String, String)) -> Vec<Acknowledged> {
    let mut acknowledged = Vec::new();
    let Ok(mut connection) = Connection::open(&addr) else { return acknowledged };
    let authorize = format!("/api/oauth/authorize?client_id={}&response_type=code&confirm=true", app.0);
    while let Ok(granted) = connection.send("POST", &authorize, Some(&token), None) {
        assert_eq!(granted.status, 200, "{}", granted.text());
        let code = flow::param(granted.json()["redirect_url"].as_str().unwrap(), "code").unwrap();
        let fields =
            [("grant_type", "authorization_code"), ("code", &code), ("client_id", &app.0), ("client_secret", &app.1)];
        match connection.post_form("/api/oauth/token", &fields) {
            Ok(r) if r.status == 200 => {
                acknowledged.push(Acknowledged::AccessToken(r.json()["access_token"].as_str().unwrap().into()))
            }
            Ok(r) => panic!("{} {}", r.status, r.text()),
            Err(_) => break,
        }
    }
    acknowledged
}

#[test]
fn a_kill_9_during_writes_loses_nothing_acknowledged() {
    let mut server = Server::start();
    let token = server.user("kit");
    let app: App = flow::app(&server, &token);
    let writers: Vec<_> = (0..6)
        .map(|n| {
            let (addr, token, app) = (server.addr.clone(), token.clone(), (app.client_id.clone(), app.secret.clone()));
            thread::spawn(move || match n % 2 {
                0 => keep_creating_workouts(addr, token),
                _ => keep_issuing_tokens(addr, token, app),
            })
        })
        .collect();
    thread::sleep(Duration::from_millis(1500));
    server.kill9();
    let acknowledged: Vec<Acknowledged> = writers.into_iter().flat_map(|w| w.join().expect("writer")).collect();
    let workouts = acknowledged.iter().filter(|a| matches!(a, Acknowledged::Workout(_))).count();
    assert!(workouts > 10 && acknowledged.len() - workouts > 10, "the load ran: {}", acknowledged.len());

    let integrity: String = server.db().query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(integrity, "ok");
    server.restart();
    for item in &acknowledged {
        let response = match item {
            Acknowledged::Workout(id) => server.get(&format!("/api/workouts/{id}")).bearer(&token).send(),
            Acknowledged::AccessToken(access) => server.get("/api/auth/profile").bearer(access).send(),
        };
        assert_eq!(response.status, 200, "{}", response.text());
    }
}

#[test]
fn a_full_database_answers_503_keeps_reading_and_recovers_after_deletions() {
    // The empty schema takes about 200 KiB: room for a handful of uploads.
    let server = Server::start_with("max_database_size = 2000000");
    let token = server.user("fay");
    let gpx = gpx_run(1_700_000_000, 1000);
    let mut created = Vec::new();
    let full = loop {
        let response = upload(&server, &token, r#"{"sport_id": 1}"#, &gpx);
        if response.status != 201 {
            break response;
        }
        created.push(response.json()["data"]["workouts"][0]["id"].as_str().unwrap().to_string());
        assert!(created.len() < 50, "the limit was never reached");
    };
    assert!(created.len() >= 2, "{} uploads fit", created.len());
    assert_eq!(full.status, 503);
    assert_eq!(
        full.json(),
        json!({"status": "error", "message": "the server's storage is full: delete data or contact the administrator"})
    );
    assert!(full.header("Retry-After").is_some());

    // Nothing half-written: every workout row has its file and its segment.
    let db = server.db();
    let count = |sql: &str| db.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap();
    assert_eq!(count("SELECT count(*) FROM workouts") as usize, created.len());
    assert_eq!(count("SELECT count(*) FROM workout_files") as usize, created.len());
    assert_eq!(count("SELECT count(DISTINCT workout_id) FROM workout_segments") as usize, created.len());

    // Reads and sign-ins still work; deleting workouts makes room again.
    assert_eq!(server.get("/api/workouts").bearer(&token).send().status, 200);
    server.login("fay");
    for id in &created[..2] {
        assert_eq!(server.delete(&format!("/api/workouts/{id}")).bearer(&token).send().status, 204);
    }
    let again = upload(&server, &token, r#"{"sport_id": 1}"#, &gpx);
    assert_eq!(again.status, 201, "{}", again.text());
}

#[test]
fn oversized_request_heads_are_431_and_the_connection_closed() {
    let server = Server::start();
    let long_line = format!("GET /api/config HTTP/1.1\r\nHost: x\r\nX-Long: {}\r\n\r\n", "a".repeat(9000));
    let many_headers = format!(
        "GET /api/config HTTP/1.1\r\nHost: x\r\n{}\r\n",
        (0..120).map(|n| format!("X-{n}: y\r\n")).collect::<String>()
    );
    let large_head = format!(
        "GET /api/config HTTP/1.1\r\nHost: x\r\n{}\r\n",
        (0..40).map(|n| format!("X-{n}: {}\r\n", "z".repeat(1000))).collect::<String>()
    );
    let long_target = format!("GET /api/config?{} HTTP/1.1\r\nHost: x\r\n\r\n", "q".repeat(10_000));
    for head in [long_line, many_headers, large_head, long_target] {
        let started = Instant::now();
        let response = raw(&server.addr, head.as_bytes()).expect("an answer");
        assert_eq!(response.status, 431, "{}", &head[..60]);
        assert!(started.elapsed() < Duration::from_secs(1));
    }
    assert_eq!(server.get("/api/config").send().status, 200);
}

#[test]
fn oversized_bodies_and_parts_are_413_quickly_without_a_memory_spike() {
    let server = Server::start();
    let token = server.user("max");
    let (_, peak_before) = server.memory_kib();
    // Declared: refused from the head, nothing read.
    for (path, length) in
        [("/api/workouts", "60000000"), ("/api/auth/login", "70000"), ("/api/auth/profile/edit", "2000000")]
    {
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\n\
             Content-Length: {length}\r\n\r\n{{"
        );
        let started = Instant::now();
        let mut connection = TcpStream::connect(&server.addr).unwrap();
        connection.write_all(head.as_bytes()).unwrap();
        let answer = answer_of(&mut connection);
        assert!(answer.starts_with("HTTP/1.1 413"), "{path}: {answer}");
        assert!(started.elapsed() < Duration::from_secs(1), "{path}");
    }
    // Chunked: read up to the limit, not further; anonymous bodies stop at 64 KiB.
    let anonymous = server.post("/api/auth/login").header("Content-Type", "application/json");
    let refused = anonymous.body(vec![b' '; 100_000]).chunked().send();
    assert_eq!(refused.status, 413, "{}", refused.text());
    assert_eq!(refused.json()["message"], "request body exceeds 64.0KB");
    let big = vec![b'x'; 30_000_000];
    let response = server
        .post("/api/workouts")
        .bearer(&token)
        .header("Content-Type", "multipart/form-data; boundary=b")
        .body(big.clone())
        .chunked()
        .send();
    assert_eq!(response.status, 413);
    // One part over the single-file limit (1 MiB) inside an acceptable body.
    let gpx = gpx_run(1_700_000_000, 12_000);
    assert!(gpx.len() > 1_100_000);
    let response = upload(&server, &token, r#"{"sport_id": 1}"#, &gpx);
    assert_eq!(response.status, 413, "{}", response.text());
    let (_, peak_after) = server.memory_kib();
    assert!(peak_after < peak_before + 24 * 1024, "peak RSS went from {peak_before} to {peak_after} KiB");
}

/// A tiny tmpfs, unmounted on drop; `None` where this machine does not let
/// tests mount (not root, or no mount capability in the container).
struct TinyFilesystem {
    path: std::path::PathBuf,
}

impl TinyFilesystem {
    fn mount(parent: &std::path::Path, size: &str) -> Option<TinyFilesystem> {
        let path = parent.join("tiny");
        std::fs::create_dir(&path).ok()?;
        let mounted = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(&path)
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        mounted.then_some(TinyFilesystem { path })
    }
}

impl Drop for TinyFilesystem {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg("-l").arg(&self.path).status();
    }
}

#[test]
#[ignore = "mounts a tmpfs, which needs root; .ci/run runs it where it can"]
fn a_full_disk_answers_503_and_the_server_recovers_when_space_is_freed() {
    let dir = tempfile::tempdir().unwrap();
    let disk = TinyFilesystem::mount(dir.path(), "4m").expect("mounting a tmpfs (needs root)");
    let database = disk.path.join("fittrackee.db");
    let mut server = Server::start_in(dir, &database, "");
    let token = server.user("dee");
    // Leave a little room, then fill it.
    let filler = disk.path.join("filler");
    let free = || {
        let out = std::process::Command::new("df").args(["--output=avail", "-B1"]).arg(&disk.path).output().unwrap();
        String::from_utf8_lossy(&out.stdout).lines().nth(1).unwrap().trim().parse::<u64>().unwrap()
    };
    std::fs::write(&filler, vec![0u8; (free() - 600_000) as usize]).unwrap();
    let gpx = gpx_run(1_700_000_000, 1000);
    let mut created = 0;
    let full = loop {
        let response = upload(&server, &token, r#"{"sport_id": 1}"#, &gpx);
        if response.status != 201 {
            break response;
        }
        created += 1;
        assert!(created < 50, "the disk never filled");
    };
    assert!(created >= 1, "uploads fit before the disk filled");
    assert_eq!(full.status, 503, "{}", full.text());
    assert_eq!(full.json()["status"], "error");
    assert!(full.header("Retry-After").is_some());
    assert_eq!(server.get("/api/workouts").bearer(&token).send().status, 200, "reads go on");

    std::fs::remove_file(&filler).unwrap();
    let again = upload(&server, &token, r#"{"sport_id": 1}"#, &gpx);
    assert_eq!(again.status, 201, "{}", again.text());
    let listed = server.get("/api/workouts?per_page=100").bearer(&token).send().json();
    assert_eq!(listed["data"]["workouts"].as_array().unwrap().len(), created + 1, "nothing half-written");
    server.kill9();
    let integrity: String = server.db().query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(integrity, "ok");
}

/// One slow client: after its head and what it sends at once, it sends
/// `body` a byte at a time (as one-byte chunks when `chunked`), then, when
/// `endless`, goes on sending filler forever.
struct Slow {
    stream: TcpStream,
    body: Vec<u8>,
    sent: usize,
    chunked: bool,
    endless: bool,
}

impl Slow {
    fn new(addr: &str, head: &str, at_once: &[u8], body: &[u8], chunked: bool, endless: bool) -> Slow {
        let mut stream = TcpStream::connect(addr).expect("connect");
        stream.write_all(head.as_bytes()).unwrap();
        stream.write_all(at_once).unwrap();
        Slow { stream, body: body.to_vec(), sent: 0, chunked, endless }
    }

    fn tick(&mut self) {
        let byte = match self.body.get(self.sent) {
            Some(byte) => *byte,
            None if self.endless => b'x',
            None if self.chunked && self.sent == self.body.len() => {
                self.sent += 1;
                let _ = self.stream.write_all(b"0\r\n\r\n");
                return;
            }
            None => return,
        };
        self.sent += 1;
        let _ = if self.chunked {
            self.stream.write_all(&[b"1\r\n".as_slice(), &[byte], b"\r\n"].concat())
        } else {
            self.stream.write_all(&[byte])
        };
    }
}

/// The first status code on a connection, if one arrives within `wait`.
fn status_within(stream: &mut TcpStream, wait: Duration) -> Option<String> {
    stream.set_read_timeout(Some(wait)).unwrap();
    let mut buf = [0u8; 64];
    match stream.read(&mut buf) {
        Ok(n) if n > 12 => Some(String::from_utf8_lossy(&buf[9..12]).to_string()),
        _ => None,
    }
}

/// SECURITY.md B4: 64 slow clients, anonymous and signed in, chunked and
/// declared, never hold enough workers to slow anyone else down; the slow
/// anonymous ones still get their real answer once their body is complete.
#[test]
fn b4_sixty_four_slow_clients_leave_other_requests_prompt() {
    let server = Server::start();
    let token = server.user("slowpoke");
    let addr = server.addr.clone();
    // Each sign-in from its own address and for its own account: the
    // throttle is not what this test is about.
    let login = |n: usize| {
        format!(
            "POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-Forwarded-For: 192.0.2.{n}\r\n"
        )
    };
    let credentials = |n: usize| format!(r#"{{"email":"a{n:02}@b.c","password":"x"}}"#).into_bytes();
    let length = credentials(0).len();
    let upload = format!(
        "POST /api/workouts HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: multipart/form-data; boundary=b\r\n"
    );
    let big_chunk = [format!("{:x}\r\n", 70_000).into_bytes(), vec![b'x'; 70_000], b"\r\n".to_vec()].concat();
    let mut logins: Vec<Slow> = Vec::new();
    for n in 0..16 {
        let chunked = format!("{}Transfer-Encoding: chunked\r\n\r\n", login(n));
        logins.push(Slow::new(&addr, &chunked, b"", &credentials(n), true, false));
        let declared = format!("{}Content-Length: {length}\r\n\r\n", login(n + 16));
        logins.push(Slow::new(&addr, &declared, b"", &credentials(n + 16), false, false));
    }
    let mut uploads: Vec<Slow> = Vec::new();
    for _ in 0..16 {
        let chunked = format!("{upload}Transfer-Encoding: chunked\r\n\r\n");
        uploads.push(Slow::new(&addr, &chunked, &big_chunk, b"", true, true));
        let declared = format!("{upload}Content-Length: 500000\r\n\r\n");
        uploads.push(Slow::new(&addr, &declared, &[b'x'; 1000], b"", false, true));
    }
    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let measurer = {
        let (addr, done) = (addr.clone(), done.clone());
        thread::spawn(move || {
            let mut latencies = Vec::new();
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                let asked = Instant::now();
                let response = crate::support::Request::new(&addr, "GET", "/api/config").send();
                assert_eq!(response.status, 200);
                latencies.push(asked.elapsed());
                thread::sleep(Duration::from_millis(25));
            }
            latencies
        })
    };
    let started = Instant::now();
    for tick in 1..=length as u32 + 2 {
        for client in logins.iter_mut().chain(uploads.iter_mut()) {
            client.tick();
        }
        thread::sleep((started + Duration::from_millis(250) * tick).saturating_duration_since(Instant::now()));
    }
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    let mut latencies = measurer.join().unwrap();
    latencies.sort();
    let p99 = latencies[latencies.len() * 99 / 100];
    assert!(latencies.len() >= 100, "{} requests measured", latencies.len());
    assert!(p99 <= Duration::from_millis(100), "p99 {p99:?} over {} requests", latencies.len());
    // Slow sign-ins were read ahead and answered for what they said.
    for client in &mut logins {
        assert_eq!(status_within(&mut client.stream, Duration::from_secs(5)).as_deref(), Some("401"));
    }
    // Slow uploads took at most half of the workers; the rest were told to
    // come back later at once instead of queueing.
    let statuses: Vec<_> =
        uploads.iter_mut().filter_map(|u| status_within(&mut u.stream, Duration::from_millis(200))).collect();
    let refused = statuses.iter().filter(|status| *status == "503").count();
    assert!(refused >= 32 - 4, "{refused} uploads refused with 503: {statuses:?}");
}
