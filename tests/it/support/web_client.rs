//! FitTrackee's own web client (the built Vue app of the `fittrackee`
//! wheel, fetched by `tests/fittrackee-client.sh`; a test aid only, never
//! shipped) served as FitTrackee serves it: its files at the origin, every
//! other path its `index.html`, and `/api/` passed through to our server by
//! a plain proxy that records each API answer's status.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Where `tests/fittrackee-client.sh` unpacks the client.
pub fn dist() -> PathBuf {
    let dist = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fittrackee-client/dist");
    assert!(
        dist.join("index.html").exists(),
        "FitTrackee's web client is not at {}: run tests/fittrackee-client.sh (.ci/run does)",
        dist.display()
    );
    dist
}

/// One API request the client made, and our server's status.
#[derive(Debug, Clone)]
pub struct Call {
    pub method: String,
    pub path: String,
    pub status: u16,
}

pub struct WebClient {
    pub addr: String,
    calls: Arc<Mutex<Vec<Call>>>,
}

impl WebClient {
    pub fn start(api: &str) -> WebClient {
        let dist = dist();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let calls = Arc::new(Mutex::new(Vec::new()));
        let (api, recorded) = (api.to_string(), calls.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (dist, api, recorded) = (dist.clone(), api.clone(), recorded.clone());
                std::thread::spawn(move || {
                    let _ = serve(stream, &dist, &api, &recorded);
                });
            }
        });
        WebClient { addr, calls }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// The API calls so far, and forgets them.
    pub fn take_calls(&self) -> Vec<Call> {
        std::mem::take(&mut *self.calls.lock().unwrap())
    }
}

fn serve(stream: TcpStream, dist: &Path, api: &str, calls: &Mutex<Vec<Call>>) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut head = Vec::new();
    let mut length = 0usize;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().unwrap_or(0);
            }
            if name.eq_ignore_ascii_case("connection") {
                continue;
            }
        }
        if line == "\r\n" || line == "\n" {
            break;
        }
        head.push(line);
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    let request_line = head.first().cloned().unwrap_or_default();
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or("").to_string(), parts.next().unwrap_or("/").to_string());
    let mut stream = stream;
    if target.starts_with("/api/") {
        let mut upstream = TcpStream::connect(api)?;
        upstream.write_all(head.concat().as_bytes())?;
        upstream.write_all(b"Connection: close\r\n\r\n")?;
        upstream.write_all(&body)?;
        let mut answer = Vec::new();
        upstream.read_to_end(&mut answer)?;
        let status = std::str::from_utf8(&answer[..answer.len().min(12)])
            .ok()
            .and_then(|s| s.split_whitespace().nth(1))
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        calls.lock().unwrap().push(Call { method, path: target, status });
        return stream.write_all(&answer);
    }
    let (content_type, content) = static_file(dist, &target);
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        content.len()
    );
    stream.write_all(head.as_bytes())?;
    stream.write_all(&content)
}

/// The client's file at `target`, else its `index.html` (its router's paths).
fn static_file(dist: &Path, target: &str) -> (&'static str, Vec<u8>) {
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let relative = Path::new(path.trim_start_matches('/'));
    let inside = relative.components().all(|c| matches!(c, Component::Normal(_)));
    let file = dist.join(relative);
    let file = if inside && file.is_file() { file } else { dist.join("index.html") };
    let content_type = match file.extension().and_then(|e| e.to_str()) {
        Some("js") => "text/javascript",
        Some("css") => "text/css",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("woff2") => "font/woff2",
        Some("woff") => "font/woff",
        Some("ttf") => "font/ttf",
        Some("json") => "application/json",
        _ => "text/html; charset=utf-8",
    };
    (content_type, std::fs::read(file).unwrap_or_default())
}
