use ascii::AsciiString;

use std::io::Error as IoError;
use std::io::Result as IoResult;
use std::io::{BufRead, BufReader, BufWriter, ErrorKind, Read};

use std::net::SocketAddr;
use std::str::FromStr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::common::{HTTPVersion, Method};
use crate::util::RefinedTcpStream;
use crate::util::{SequentialReader, SequentialReaderBuilder, SequentialWriterBuilder};
use crate::Request;

/// A ClientConnection is an object that will store a socket to a client
/// and return Request objects.
pub struct ClientConnection {
    // address of the client
    remote_addr: IoResult<Option<SocketAddr>>,

    // sequence of Readers to the stream, so that the data is not read in
    //  the wrong order
    source: SequentialReaderBuilder<BufReader<RefinedTcpStream>>,

    // sequence of Writers to the stream, to avoid writing response #2 before
    //  response #1
    sink: SequentialWriterBuilder<BufWriter<RefinedTcpStream>>,

    // Reader to read the next header from
    next_header_source: SequentialReader<BufReader<RefinedTcpStream>>,

    // set to true if we know that the previous request is the last one
    no_more_requests: bool,

    // true if the connection goes through SSL
    secure: bool,

    // Patched: set when a request body was abandoned unfinished; what
    // follows on the connection is not a request, so it is closed.
    broken: Arc<AtomicBool>,
}

/// An idle keep-alive connection is closed (silently) after this long.
const IDLE_TIMEOUT: Duration = Duration::from_secs(60);
/// A request head must arrive within this long of its first byte (slow
/// clients are answered 408 and their thread is freed).
const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// Longest request line or header line, and whole head (answered 431).
const MAX_LINE: usize = 8 * 1024;
const MAX_HEAD: usize = 32 * 1024;
const MAX_HEADERS: usize = 100;
/// What is discarded, at most, of an abandoned body before closing.
const LINGER_TIME: Duration = Duration::from_secs(2);
const LINGER_LIMIT: usize = 1024 * 1024;

/// When the current request started to arrive.
struct HeadClock {
    waiting_since: Instant,
    first_byte: Option<Instant>,
    bytes: usize,
}

/// Error that can happen when reading a request.
#[derive(Debug)]
pub(crate) enum ReadError {
    /// No request started before the keep-alive idle timeout.
    Idle,
    /// The request head is larger than the limits.
    HeadTooLarge,
    /// The previous request's body was left unread.
    Abandoned,
    WrongRequestLine,
    WrongHeader(HTTPVersion),
    /// the client sent an unrecognized `Expect` header
    ExpectationFailed(HTTPVersion),
    /// Patched: the body's framing is ambiguous (400) or its coding unknown (501).
    Framing(u16),
    ReadIoError(IoError),
}

impl ClientConnection {
    /// Creates a new `ClientConnection` that takes ownership of the `TcpStream`.
    pub fn new(
        write_socket: RefinedTcpStream,
        mut read_socket: RefinedTcpStream,
    ) -> ClientConnection {
        let remote_addr = read_socket.peer_addr();
        let secure = read_socket.secure();

        let mut source = SequentialReaderBuilder::new(BufReader::with_capacity(1024, read_socket));
        let first_header = source.next().unwrap();

        ClientConnection {
            source,
            // Patched: 8 KiB (was 1 KiB), so that a usual answer leaves in one
            // write rather than several.
            sink: SequentialWriterBuilder::new(BufWriter::with_capacity(8 * 1024, write_socket)),
            remote_addr,
            next_header_source: first_header,
            no_more_requests: false,
            secure,
            broken: Arc::new(AtomicBool::new(false)),
        }
    }

    /// true if the connection is HTTPS
    pub fn secure(&self) -> bool {
        self.secure
    }

    /// Reads the next line from self.next_header_source.
    ///
    /// Reads until `CRLF` is reached. The next read will start
    ///  at the first byte of the new line.
    ///
    /// Patched: reads from the buffer a run at a time (upstream read a byte
    /// per call), checking the deadlines once per socket read.
    fn read_next_line(&mut self, clock: &mut HeadClock) -> Result<AsciiString, ReadError> {
        let mut line = Vec::new();
        loop {
            let filled = self.next_header_source.fill_buf().map(|b| b.len());
            if self.broken.load(Ordering::Acquire) {
                return Err(ReadError::Abandoned);
            }
            match filled {
                Ok(0) => {
                    return Err(ReadError::ReadIoError(IoError::new(
                        ErrorKind::ConnectionAborted,
                        "Unexpected EOF",
                    )))
                }
                Ok(_) => {}
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                    match clock.first_byte {
                        None if clock.waiting_since.elapsed() < IDLE_TIMEOUT => continue,
                        None => return Err(ReadError::Idle),
                        Some(first) if first.elapsed() < HEAD_TIMEOUT => continue,
                        Some(_) => return Err(ReadError::ReadIoError(ErrorKind::TimedOut.into())),
                    }
                }
                Err(e) => return Err(ReadError::ReadIoError(e)),
            }
            let first = *clock.first_byte.get_or_insert_with(Instant::now);
            if first.elapsed() >= HEAD_TIMEOUT {
                // Trickling a byte at a time does not stretch the deadline.
                return Err(ReadError::ReadIoError(ErrorKind::TimedOut.into()));
            }
            let (taken, ended) = {
                let available = self.next_header_source.fill_buf().map_err(ReadError::ReadIoError)?;
                let newline = available.iter().position(|&b| b == b'\n');
                let taken = newline.map_or(available.len(), |at| at + 1);
                if line.len() + taken > MAX_LINE || clock.bytes + taken > MAX_HEAD {
                    return Err(ReadError::HeadTooLarge);
                }
                line.extend_from_slice(&available[..taken]);
                (taken, newline.is_some())
            };
            self.next_header_source.consume(taken);
            clock.bytes += taken;
            if ended && line.ends_with(b"\r\n") {
                line.truncate(line.len() - 2);
                return AsciiString::from_ascii(line).map_err(|_| {
                    ReadError::ReadIoError(IoError::new(ErrorKind::InvalidInput, "Header is not in ASCII"))
                });
            }
        }
    }

    /// Before closing a connection whose client may still be sending a body:
    /// discards what arrives for a short while, so that closing with unread
    /// data does not reset the connection before the client reads the answer.
    fn linger(&mut self) {
        let deadline = Instant::now() + LINGER_TIME;
        let mut buf = [0u8; 4096];
        let mut discarded = 0;
        while discarded < LINGER_LIMIT && Instant::now() < deadline {
            match self.next_header_source.read(&mut buf) {
                // End of stream, or nothing more within a read tick.
                Ok(0) | Err(_) => return,
                Ok(n) => discarded += n,
            }
        }
    }

    /// Reads a request from the stream.
    /// Blocks until the header has been read.
    fn read(&mut self) -> Result<Request, ReadError> {
        let mut clock = HeadClock { waiting_since: Instant::now(), first_byte: None, bytes: 0 };
        let (method, path, version, headers) = {
            // reading the request line
            let (method, path, version) = {
                let line = self.read_next_line(&mut clock)?;

                parse_request_line(
                    line.as_str().trim(), // TODO: remove this conversion
                )?
            };

            // getting all headers
            let headers = {
                let mut headers = Vec::new();
                loop {
                    let line = self.read_next_line(&mut clock)?;

                    if line.is_empty() {
                        break;
                    };
                    if headers.len() >= MAX_HEADERS {
                        return Err(ReadError::HeadTooLarge);
                    }
                    headers.push(match FromStr::from_str(line.as_str().trim()) {
                        // TODO: remove this conversion
                        Ok(h) => h,
                        _ => return Err(ReadError::WrongHeader(version)),
                    });
                }

                headers
            };

            (method, path, version, headers)
        };

        // building the writer for the request
        let writer = self.sink.next().unwrap();

        // follow-up for next potential request
        let mut data_source = self.source.next().unwrap();
        std::mem::swap(&mut self.next_header_source, &mut data_source);

        // building the next reader
        let request = crate::request::new_request(
            self.secure,
            method,
            path,
            version.clone(),
            headers,
            *self.remote_addr.as_ref().unwrap(),
            data_source,
            writer,
            self.broken.clone(),
        )
        .map_err(|e| {
            use crate::request;
            match e {
                request::RequestCreationError::CreationIoError(e) => ReadError::ReadIoError(e),
                request::RequestCreationError::ExpectationFailed => {
                    ReadError::ExpectationFailed(version)
                }
                request::RequestCreationError::AmbiguousFraming => ReadError::Framing(400),
                request::RequestCreationError::UnknownCoding => ReadError::Framing(501),
            }
        })?;

        // return the request
        Ok(request)
    }
}

impl Iterator for ClientConnection {
    type Item = Request;

    /// Blocks until the next Request is available.
    /// Returns None when no new Requests will come from the client.
    fn next(&mut self) -> Option<Request> {
        use crate::{Response, StatusCode};

        // the client sent a "connection: close" header in this previous request
        //  or is using HTTP 1.0, meaning that no new request will come
        if self.no_more_requests {
            return None;
        }

        loop {
            let rq = match self.read() {
                Err(ReadError::Idle) => return None,

                Err(ReadError::Abandoned) => {
                    self.linger();
                    return None;
                }

                Err(ReadError::HeadTooLarge) => {
                    let writer = self.sink.next().unwrap();
                    let response = Response::new_empty(StatusCode(431));
                    response
                        .raw_print(writer, HTTPVersion(1, 1), &[], false, None)
                        .ok();
                    return None; // the rest of the head is unread: close
                }

                Err(ReadError::WrongRequestLine) => {
                    let writer = self.sink.next().unwrap();
                    let response = Response::new_empty(StatusCode(400));
                    response
                        .raw_print(writer, HTTPVersion(1, 1), &[], false, None)
                        .ok();
                    return None; // we don't know where the next request would start,
                                 // se we have to close
                }

                Err(ReadError::WrongHeader(ver)) => {
                    let writer = self.sink.next().unwrap();
                    let response = Response::new_empty(StatusCode(400));
                    response.raw_print(writer, ver, &[], false, None).ok();
                    return None; // we don't know where the next request would start,
                                 // se we have to close
                }

                Err(ReadError::ReadIoError(ref err)) if err.kind() == ErrorKind::TimedOut => {
                    // request timeout
                    let writer = self.sink.next().unwrap();
                    let response = Response::new_empty(StatusCode(408));
                    response
                        .raw_print(writer, HTTPVersion(1, 1), &[], false, None)
                        .ok();
                    return None; // closing the connection
                }

                Err(ReadError::Framing(status)) => {
                    // Patched: where this body ends is unknown, and so is
                    // where a next request would start: answer and close.
                    let writer = self.sink.next().unwrap();
                    let response = Response::new_empty(StatusCode(status)).closing();
                    response.raw_print(writer, HTTPVersion(1, 1), &[], false, None).ok();
                    return None;
                }

                Err(ReadError::ExpectationFailed(ver)) => {
                    let writer = self.sink.next().unwrap();
                    let response = Response::new_empty(StatusCode(417));
                    response.raw_print(writer, ver, &[], true, None).ok();
                    return None; // TODO: should be recoverable, but needs handling in case of body
                }

                Err(ReadError::ReadIoError(_)) => return None,

                Ok(rq) => rq,
            };

            // checking HTTP version
            if *rq.http_version() > (1, 1) {
                let writer = self.sink.next().unwrap();
                let response = Response::from_string(
                    "This server only supports HTTP versions 1.0 and 1.1".to_owned(),
                )
                .with_status_code(StatusCode(505));
                response
                    .raw_print(writer, HTTPVersion(1, 1), &[], false, None)
                    .ok();
                continue;
            }

            // updating the status of the connection
            let connection_header = rq
                .headers()
                .iter()
                .find(|h| h.field.equiv("Connection"))
                .map(|h| h.value.as_str());

            let lowercase = connection_header.map(|h| h.to_ascii_lowercase());

            match lowercase {
                Some(ref val) if val.contains("close") => self.no_more_requests = true,
                Some(ref val) if val.contains("upgrade") => self.no_more_requests = true,
                Some(ref val)
                    if !val.contains("keep-alive") && *rq.http_version() == HTTPVersion(1, 0) =>
                {
                    self.no_more_requests = true
                }
                None if *rq.http_version() == HTTPVersion(1, 0) => self.no_more_requests = true,
                _ => (),
            };

            // returning the request
            return Some(rq);
        }
    }
}

/// Parses a "HTTP/1.1" string.
fn parse_http_version(version: &str) -> Result<HTTPVersion, ReadError> {
    let (major, minor) = match version {
        "HTTP/0.9" => (0, 9),
        "HTTP/1.0" => (1, 0),
        "HTTP/1.1" => (1, 1),
        "HTTP/2.0" => (2, 0),
        "HTTP/3.0" => (3, 0),
        _ => return Err(ReadError::WrongRequestLine),
    };

    Ok(HTTPVersion(major, minor))
}

/// Parses the request line of the request.
/// eg. GET / HTTP/1.1
pub(crate) fn parse_request_line(line: &str) -> Result<(Method, String, HTTPVersion), ReadError> {
    let mut parts = line.split(' ');

    // Patched: a method is a token and a target is visible ASCII (RFC 9112
    // §3): control bytes never reach the application or its log.
    let is_token = |w: &str| !w.is_empty() && w.bytes().all(crate::common::is_tchar);
    let is_visible = |w: &str| !w.is_empty() && w.bytes().all(|b| b.is_ascii_graphic());
    let method = parts.next().filter(|w| is_token(w)).and_then(|w| w.parse().ok());
    let path = parts.next().filter(|w| is_visible(w)).map(ToOwned::to_owned);
    let version = parts.next().and_then(|w| parse_http_version(w).ok());
    if parts.next().is_some() {
        return Err(ReadError::WrongRequestLine);
    }

    method
        .and_then(|method| Some((method, path?, version?)))
        .ok_or(ReadError::WrongRequestLine)
}

#[cfg(test)]
mod test {
    #[test]
    fn test_parse_request_line() {
        let (method, path, ver) = super::parse_request_line("GET /hello HTTP/1.1").unwrap();

        assert!(method == crate::Method::Get);
        assert!(path == "/hello");
        assert!(ver == crate::common::HTTPVersion(1, 1));

        assert!(super::parse_request_line("GET /hello").is_err());
        assert!(super::parse_request_line("qsd qsd qsd").is_err());
        assert!(super::parse_request_line("G\x1bT /hello HTTP/1.1").is_err());
        assert!(super::parse_request_line("GET /he\x07llo HTTP/1.1").is_err());
        assert!(super::parse_request_line("GET /a /b HTTP/1.1").is_err());
        assert!(super::parse_request_line("GET /a\tb HTTP/1.1").is_err());
        assert!(super::parse_request_line("M-SEARCH * HTTP/1.1").is_ok());
    }
}
