//! A minimal HTTP/1.1 client over a raw socket: one request per connection
//! (`Connection: close`), bodies sent as given (or chunked), responses read
//! to the end. Tests see exactly what the server answered. Over plain TCP,
//! or over TLS when given a client configuration.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

/// A byte stream to the server: a socket, or TLS over one.
pub trait Duplex: Read + Write + Send {}
impl<T: Read + Write + Send> Duplex for T {}

/// Connects to `addr`, through TLS when `tls` is given.
pub fn connect(addr: &str, tls: Option<&Arc<rustls::ClientConfig>>) -> std::io::Result<Box<dyn Duplex>> {
    let tcp = TcpStream::connect(addr)?;
    tcp.set_read_timeout(Some(Duration::from_secs(30)))?;
    Ok(match tls {
        None => Box::new(tcp),
        Some(config) => Box::new(wrap(tcp, config)),
    })
}

/// TLS over `tcp` to a server that must prove it is 127.0.0.1.
pub fn wrap(
    tcp: TcpStream,
    config: &Arc<rustls::ClientConfig>,
) -> rustls::StreamOwned<rustls::ClientConnection, TcpStream> {
    let name = rustls::pki_types::ServerName::try_from("127.0.0.1").expect("server name");
    let conn = rustls::ClientConnection::new(Arc::clone(config), name).expect("client connection");
    rustls::StreamOwned::new(conn, tcp)
}

pub struct Request {
    addr: String,
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    chunked: bool,
    tls: Option<Arc<rustls::ClientConfig>>,
}

impl Request {
    pub fn new(addr: &str, method: &str, path: &str) -> Request {
        Request {
            addr: addr.to_string(),
            method: method.to_string(),
            path: path.to_string(),
            headers: Vec::new(),
            body: Vec::new(),
            chunked: false,
            tls: None,
        }
    }

    /// Sends over TLS (`None`: plain TCP).
    pub fn tls(mut self, config: Option<Arc<rustls::ClientConfig>>) -> Request {
        self.tls = config;
        self
    }

    pub fn header(mut self, name: &str, value: &str) -> Request {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    pub fn bearer(self, token: &str) -> Request {
        self.header("Authorization", &format!("Bearer {token}"))
    }

    pub fn json(self, value: &Value) -> Request {
        self.header("Content-Type", "application/json").body(value.to_string().into_bytes())
    }

    pub fn form(self, fields: &[(&str, &str)]) -> Request {
        let body: String = form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish();
        self.header("Content-Type", "application/x-www-form-urlencoded").body(body.into_bytes())
    }

    /// multipart/form-data with text fields only.
    pub fn multipart(self, fields: &[(&str, &str)]) -> Request {
        let parts: Vec<Part<'_>> = fields
            .iter()
            .map(|(name, value)| Part { name, filename: None, content_type: None, data: value.as_bytes() })
            .collect();
        let body = multipart(&parts, "\r\n", "");
        self.header("Content-Type", &format!("multipart/form-data; boundary={BOUNDARY}")).body(body)
    }

    pub fn body(mut self, body: Vec<u8>) -> Request {
        self.body = body;
        self
    }

    /// Sends the body with `Transfer-Encoding: chunked` instead of a length.
    pub fn chunked(mut self) -> Request {
        self.chunked = true;
        self
    }

    pub fn send(self) -> Response {
        let mut stream = connect(&self.addr, self.tls.as_ref()).expect("connect to the test server");
        let mut head = format!("{} {} HTTP/1.1\r\nConnection: close\r\n", self.method, self.path);
        if !self.headers.iter().any(|(name, _)| name.eq_ignore_ascii_case("host")) {
            head.push_str(&format!("Host: {}\r\n", self.addr));
        }
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        if self.chunked {
            head.push_str("Transfer-Encoding: chunked\r\n\r\n");
        } else if !self.body.is_empty() || self.method == "POST" || self.method == "PATCH" {
            head.push_str(&format!("Content-Length: {}\r\n\r\n", self.body.len()));
        } else {
            head.push_str("\r\n");
        }
        stream.write_all(head.as_bytes()).expect("send head");
        if self.chunked {
            // The server may answer (413) and close before the end: stop writing then.
            let mut encoded = Vec::new();
            for chunk in self.body.chunks(1000) {
                encoded.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
                encoded.extend_from_slice(chunk);
                encoded.extend_from_slice(b"\r\n");
            }
            encoded.extend_from_slice(b"0\r\n\r\n");
            let _ = stream.write_all(&encoded);
        } else {
            let _ = stream.write_all(&self.body);
        }
        let mut raw = Vec::new();
        let _ = stream.read_to_end(&mut raw);
        Response::parse(&raw)
    }
}

/// Sends `bytes` as they are (a malformed or hostile request) and reads the answer.
pub fn raw(addr: &str, bytes: &[u8]) -> Option<Response> {
    let mut stream = TcpStream::connect(addr).expect("connect to the test server");
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let _ = stream.write_all(bytes);
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    raw.windows(4).any(|w| w == b"\r\n\r\n").then(|| Response::parse(&raw))
}

#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    fn parse(raw: &[u8]) -> Response {
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or_else(|| panic!("no HTTP response head in {:?}", String::from_utf8_lossy(raw)));
        let head = String::from_utf8_lossy(&raw[..split]).to_string();
        let mut lines = head.split("\r\n");
        let status = lines.next().and_then(|l| l.split(' ').nth(1)).and_then(|s| s.parse().ok()).expect("status line");
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
            .collect();
        let mut body = raw[split + 4..].to_vec();
        let chunked = headers.iter().any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
        if chunked {
            body = dechunk(&body);
        }
        Response { status, headers, body }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    pub fn header_all(&self, name: &str) -> Vec<&str> {
        self.headers.iter().filter(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str()).collect()
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).to_string()
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
}

fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(line_end) = body.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(String::from_utf8_lossy(&body[..line_end]).trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        let start = line_end + 2;
        out.extend_from_slice(&body[start..(start + size).min(body.len())]);
        body = &body[(start + size + 2).min(body.len())..];
    }
    out
}

/// One keep-alive connection that sends requests one after the other and
/// reads each answer by its length (load tests: many requests per socket).
pub struct Connection {
    stream: std::io::BufReader<Box<dyn Duplex>>,
    addr: String,
}

impl Connection {
    pub fn open(addr: &str) -> std::io::Result<Connection> {
        Connection::open_with(addr, None)
    }

    /// Over TLS when `tls` is given.
    pub fn open_with(addr: &str, tls: Option<&Arc<rustls::ClientConfig>>) -> std::io::Result<Connection> {
        Ok(Connection { stream: std::io::BufReader::new(connect(addr, tls)?), addr: addr.to_string() })
    }

    /// Sends one request (a JSON body when given) and reads its answer.
    pub fn send(
        &mut self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> std::io::Result<Response> {
        let authorization = token.map(|t| format!("Bearer {t}"));
        let mut headers = Vec::new();
        if let Some(value) = &authorization {
            headers.push(("Authorization", value.as_str()));
        }
        if body.is_some() {
            headers.push(("Content-Type", "application/json"));
        }
        self.request(method, path, &headers, body.map(Value::to_string).unwrap_or_default().as_bytes())
    }

    /// An urlencoded form POST.
    pub fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> std::io::Result<Response> {
        let body: String = form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish();
        self.request("POST", path, &[("Content-Type", "application/x-www-form-urlencoded")], body.as_bytes())
    }

    pub fn request(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> std::io::Result<Response> {
        use std::io::BufRead;
        let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Length: {}\r\n", self.addr, body.len());
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        let mut head = head.into_bytes();
        head.extend_from_slice(body);
        self.stream.get_mut().write_all(&head)?;
        let mut raw = Vec::new();
        loop {
            let before = raw.len();
            self.stream.read_until(b'\n', &mut raw)?;
            if raw.len() == before {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
            if raw.ends_with(b"\r\n\r\n") {
                break;
            }
        }
        let mut response = Response::parse(&raw);
        if response.header("Transfer-Encoding").is_some_and(|v| v.contains("chunked")) {
            let mut chunked = Vec::new();
            while !chunked.ends_with(b"0\r\n\r\n") {
                let before = chunked.len();
                self.stream.read_until(b'\n', &mut chunked)?;
                if chunked.len() == before {
                    return Err(std::io::ErrorKind::UnexpectedEof.into());
                }
            }
            response.body = dechunk(&chunked);
        } else {
            let length = response.header("Content-Length").and_then(|v| v.parse().ok()).unwrap_or(0);
            response.body = vec![0; length];
            self.stream.read_exact(&mut response.body)?;
        }
        Ok(response)
    }
}

/// One part of a hand-built multipart body.
pub struct Part<'a> {
    pub name: &'a str,
    pub filename: Option<&'a str>,
    pub content_type: Option<&'a str>,
    pub data: &'a [u8],
}

pub const BOUNDARY: &str = "xYzZY-boundary-1234";

/// A multipart body; `newline` is "\r\n" or "\n", `preamble` goes before the
/// first boundary.
pub fn multipart(parts: &[Part<'_>], newline: &str, preamble: &str) -> Vec<u8> {
    let mut body = preamble.as_bytes().to_vec();
    for part in parts {
        body.extend_from_slice(format!("--{BOUNDARY}{newline}").as_bytes());
        let mut disposition = format!("Content-Disposition: form-data; name=\"{}\"", part.name);
        if let Some(filename) = part.filename {
            disposition.push_str(&format!("; filename=\"{filename}\""));
        }
        body.extend_from_slice(format!("{disposition}{newline}").as_bytes());
        if let Some(content_type) = part.content_type {
            body.extend_from_slice(format!("Content-Type: {content_type}{newline}").as_bytes());
        }
        body.extend_from_slice(newline.as_bytes());
        body.extend_from_slice(part.data);
        body.extend_from_slice(newline.as_bytes());
    }
    body.extend_from_slice(format!("--{BOUNDARY}--{newline}").as_bytes());
    body
}

pub fn data_part(data: &str) -> Part<'_> {
    Part { name: "data", filename: None, content_type: None, data: data.as_bytes() }
}

pub fn file_part<'a>(name: &'a str, content: &'a [u8]) -> Part<'a> {
    Part { name: "file", filename: Some(name), content_type: Some("application/gpx+xml"), data: content }
}
