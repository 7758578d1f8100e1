//! A tile server on 127.0.0.1 for the tests: answers `/{z}/{x}/{y}.png`
//! with a small PNG naming the tile, records every request, and can be
//! told to be slow, to fail in various ways, or to go away.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How the tile server answers.
#[derive(Debug, Clone, PartialEq)]
pub enum Behaviour {
    Tiles,
    /// Tiles, each after this long.
    Slow(Duration),
    /// This status, with an HTML body.
    Status(u16),
    /// 200 with an HTML page (a captive portal, a misconfigured server).
    Html,
    /// 200 image/png of this many bytes.
    Sized(usize),
    /// 302 to another tile.
    Redirect,
}

#[derive(Debug, Clone)]
pub struct Seen {
    pub path: String,
    pub user_agent: String,
}

struct Shared {
    behaviour: Mutex<Behaviour>,
    seen: Mutex<Vec<Seen>>,
    open: AtomicUsize,
    most_open: AtomicUsize,
    stopped: AtomicBool,
}

pub struct TileServer {
    pub addr: String,
    shared: Arc<Shared>,
}

/// A real PNG (one pale green pixel), so that browsers draw it.
const PIXEL: &[u8] = b"\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90\x77\x53\xde\x00\x00\x00\x0c\x49\x44\x41\x54\x78\x9c\x63\xb8\xf3\xe2\x0a\x00\x05\x3c\x02\x99\x97\x91\x8d\x35\x00\x00\x00\x00\x49\x45\x4e\x44\xae\x42\x60\x82";

/// The bytes served for a tile: a PNG, then the tile's path (decoders stop
/// at the PNG's end; tests read the path to know which tile came back).
pub fn tile_bytes(path: &str) -> Vec<u8> {
    let mut bytes = PIXEL.to_vec();
    bytes.extend_from_slice(path.as_bytes());
    bytes
}

impl TileServer {
    pub fn start() -> TileServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the tile server");
        let addr = listener.local_addr().unwrap().to_string();
        let shared = Arc::new(Shared {
            behaviour: Mutex::new(Behaviour::Tiles),
            seen: Mutex::new(Vec::new()),
            open: AtomicUsize::new(0),
            most_open: AtomicUsize::new(0),
            stopped: AtomicBool::new(false),
        });
        let state = shared.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if state.stopped.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let state = state.clone();
                std::thread::spawn(move || answer(stream, &state));
            }
        });
        TileServer { addr, shared }
    }

    /// The `[maps]` lines that point the server at this tile server.
    pub fn config(&self, extra: &str) -> String {
        format!("[maps]\ntile_server_url = \"http://{}/{{z}}/{{x}}/{{y}}.png\"\n{extra}\n", self.addr)
    }

    pub fn behave(&self, behaviour: Behaviour) {
        *self.shared.behaviour.lock().unwrap() = behaviour;
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.shared.seen.lock().unwrap().clone()
    }

    /// The most requests it was answering at once.
    pub fn most_at_once(&self) -> usize {
        self.shared.most_open.load(Ordering::SeqCst)
    }

    /// Stops listening: connections are refused from now on.
    pub fn stop(&self) {
        self.shared.stopped.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(&self.addr);
        // The accepting thread drops the listener once it wakes.
        for _ in 0..100 {
            if TcpStream::connect(&self.addr).is_err() {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        panic!("the tile server did not stop");
    }
}

impl Drop for TileServer {
    fn drop(&mut self) {
        self.shared.stopped.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(&self.addr);
    }
}

fn answer(mut stream: TcpStream, state: &Shared) {
    let open = state.open.fetch_add(1, Ordering::SeqCst) + 1;
    state.most_open.fetch_max(open, Ordering::SeqCst);
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request_line = String::new();
    let _ = reader.read_line(&mut request_line);
    let path = request_line.split_whitespace().nth(1).unwrap_or("").to_string();
    let mut user_agent = String::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("user-agent")
        {
            user_agent = value.trim().to_string();
        }
    }
    state.seen.lock().unwrap().push(Seen { path: path.clone(), user_agent });
    let behaviour = state.behaviour.lock().unwrap().clone();
    let (status, content_type, body, extra) = match behaviour {
        Behaviour::Tiles => (200, "image/png", tile_bytes(&path), String::new()),
        Behaviour::Slow(delay) => {
            std::thread::sleep(delay);
            (200, "image/png", tile_bytes(&path), String::new())
        }
        Behaviour::Status(code) => (code, "text/html", b"<html>no</html>".to_vec(), String::new()),
        Behaviour::Html => {
            (200, "text/html; charset=utf-8", b"<html>sign in to the wifi</html>".to_vec(), String::new())
        }
        Behaviour::Sized(size) => {
            let mut bytes = tile_bytes(&path);
            bytes.resize(size, 0);
            (200, "image/png", bytes, String::new())
        }
        Behaviour::Redirect => (302, "text/plain", Vec::new(), "Location: /0/0/0.png\r\n".into()),
    };
    let head = format!(
        "HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n{extra}Connection: close\r\n\r\n",
        body.len()
    );
    // Counted out before the answer goes: once the client has it, it may
    // connect again before this thread runs another instruction.
    state.open.fetch_sub(1, Ordering::SeqCst);
    let _ = stream.write_all(head.as_bytes()).and_then(|_| stream.write_all(&body));
}
