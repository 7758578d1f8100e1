use std::io::Error as IoError;
use std::io::{self, BufRead, Cursor, ErrorKind, Read, Write};

use std::fmt;
use std::net::SocketAddr;
use std::str::FromStr;

use std::sync::atomic::AtomicBool;
use std::sync::mpsc::Sender;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::util::{BodyGuard, ChunkedDecoder, EqualReader, FusedReader};
use crate::{HTTPVersion, Header, Method, Response, StatusCode};

/// Represents an HTTP request made by a client.
///
/// A `Request` object is what is produced by the server, and is your what
/// your code must analyse and answer.
///
/// This object implements the `Send` trait, therefore you can dispatch your requests to
/// worker threads.
///
/// # Pipelining
///
/// If a client sends multiple requests in a row (without waiting for the response), then you will
/// get multiple `Request` objects simultaneously. This is called *requests pipelining*.
/// Tiny-http automatically reorders the responses so that you don't need to worry about the order
/// in which you call `respond` or `into_writer`.
///
/// This mechanic is disabled if:
///
///  - The body of a request is large enough (handling requires pipelining requires storing the
///    body of the request in a buffer ; if the body is too big, tiny-http will avoid doing that)
///  - A request sends a `Expect: 100-continue` header (which means that the client waits to
///    know whether its body will be processed before sending it)
///  - A request sends a `Connection: close` header or `Connection: upgrade` header (used for
///    websockets), which indicates that this is the last request that will be received on this
///    connection
///
/// # Automatic cleanup
///
/// If a `Request` object is destroyed without `into_writer` or `respond` being called,
/// an empty response with a 500 status code (internal server error) will automatically be
/// sent back to the client.
/// This means that if your code fails during the handling of a request, this "internal server
/// error" response will automatically be sent during the stack unwinding.
///
/// # Testing
///
/// If you want to build fake requests to test your server, use [`TestRequest`](crate::test::TestRequest).
pub struct Request {
    // where to read the body from
    data_reader: Option<Box<dyn Read + Send + 'static>>,

    // if this writer is empty, then the request has been answered
    response_writer: Option<Box<dyn Write + Send + 'static>>,

    remote_addr: Option<SocketAddr>,

    // true if HTTPS, false if HTTP
    secure: bool,

    method: Method,

    path: String,

    http_version: HTTPVersion,

    headers: Vec<Header>,

    body_length: Option<usize>,

    // true if a `100 Continue` response must be sent when `as_reader()` is called
    must_send_continue: bool,

    // If Some, a message must be sent after responding
    notify_when_responded: Option<Sender<()>>,
}

struct NotifyOnDrop<R> {
    sender: Sender<()>,
    inner: R,
}

impl<R: Read> Read for NotifyOnDrop<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner.read(buf)
    }
}
impl<R: Write> Write for NotifyOnDrop<R> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.inner.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}
impl<R> Drop for NotifyOnDrop<R> {
    fn drop(&mut self) {
        let _ = self.sender.send(()); // Patched: was unwrap
    }
}

/// Error that can happen when building a `Request` object.
#[derive(Debug)]
pub enum RequestCreationError {
    /// The client sent an `Expect` header that was not recognized by tiny-http.
    ExpectationFailed,

    /// Patched: the body's framing is ambiguous (answered 400, then closed):
    /// two `Content-Length` headers, one that is not a number, or
    /// `Transfer-Encoding` together with `Content-Length` or in HTTP/1.0.
    AmbiguousFraming,

    /// Patched: a transfer coding other than `chunked` (answered 501, then closed).
    UnknownCoding,

    /// Error while reading data from the socket during the creation of the `Request`.
    CreationIoError(IoError),
}

impl From<IoError> for RequestCreationError {
    fn from(err: IoError) -> RequestCreationError {
        RequestCreationError::CreationIoError(err)
    }
}

/// Bodies up to this size are read before the request is handed over.
pub const PREBUFFER_LIMIT: usize = 64 * 1024;
/// A pre-read body must arrive within this long (else 408).
const PREBUFFER_TIMEOUT: Duration = Duration::from_secs(10);

/// How the request says its body is delimited.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Framing {
    None,
    Length(usize),
    Chunked,
}

/// Patched: the framing of the body, refusing every ambiguity a proxy in
/// front could resolve differently (request smuggling, RFC 9112 §6.3).
fn framing(headers: &[Header], version: &HTTPVersion) -> Result<Framing, RequestCreationError> {
    let values = |name: &'static str| headers.iter().filter(move |h| h.field.equiv(name)).map(|h| h.value.as_str());
    let lengths: Vec<&str> = values("Content-Length").collect();
    let codings: Vec<&str> = values("Transfer-Encoding").collect();
    if lengths.len() > 1 {
        return Err(RequestCreationError::AmbiguousFraming);
    }
    if !codings.is_empty() {
        if !lengths.is_empty() || *version < HTTPVersion(1, 1) {
            return Err(RequestCreationError::AmbiguousFraming);
        }
        return match codings[..] {
            [coding] if coding.trim().eq_ignore_ascii_case("chunked") => Ok(Framing::Chunked),
            _ => Err(RequestCreationError::UnknownCoding),
        };
    }
    match lengths.first() {
        None => Ok(Framing::None),
        Some(text) if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) => {
            text.parse().map(Framing::Length).map_err(|_| RequestCreationError::AmbiguousFraming)
        }
        Some(_) => Err(RequestCreationError::AmbiguousFraming),
    }
}

/// Reads at most `limit` bytes of a body, growing the buffer only as data
/// arrives (a declared length costs no memory until it is sent), within
/// the pre-read deadline. Stops early at the end of the body.
fn read_ahead<R: Read>(source: &mut R, limit: usize) -> Result<Vec<u8>, RequestCreationError> {
    let deadline = Instant::now() + PREBUFFER_TIMEOUT;
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    while buffer.len() < limit {
        let want = (limit - buffer.len()).min(chunk.len());
        match source.read(&mut chunk[..want]) {
            Ok(0) => break,
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut | ErrorKind::Interrupted) => {}
            Err(e) if e.kind() == ErrorKind::InvalidData => return Err(RequestCreationError::AmbiguousFraming),
            Err(e) => return Err(RequestCreationError::CreationIoError(e)),
        }
        if Instant::now() >= deadline {
            return Err(RequestCreationError::CreationIoError(ErrorKind::TimedOut.into()));
        }
    }
    Ok(buffer)
}

fn closed_early() -> RequestCreationError {
    let info = "Connection has been closed before we received enough data";
    RequestCreationError::CreationIoError(IoError::new(ErrorKind::ConnectionAborted, info))
}

/// Replaces the body's framing headers by a `Content-Length` (a chunked
/// body read whole is handed over as a plain one).
fn set_length(headers: &mut Vec<Header>, length: usize) {
    headers.retain(|h| !h.field.equiv("Transfer-Encoding") && !h.field.equiv("Content-Length"));
    headers.push(Header::from_bytes(&b"Content-Length"[..], length.to_string()).expect("digits are a valid value"));
}

/// Builds a new request.
///
/// After the request line and headers have been read from the socket, a new `Request` object
/// is built.
///
/// You must pass a `Read` that will allow the `Request` object to read from the incoming data.
/// It is the responsibility of the `Request` to read only the data of the request and not further.
///
/// The `Write` object will be used by the `Request` to write the response.
#[allow(clippy::too_many_arguments)]
pub fn new_request<R, W>(
    secure: bool,
    method: Method,
    path: String,
    version: HTTPVersion,
    mut headers: Vec<Header>,
    remote_addr: Option<SocketAddr>,
    mut source_data: R,
    mut writer: W,
    broken: Arc<AtomicBool>,
) -> Result<Request, RequestCreationError>
where
    R: BufRead + Send + 'static,
    W: Write + Send + 'static,
{
    let framing = framing(&headers, &version)?;

    // true if the client sent a `Expect: 100-continue` header
    let expects_continue = {
        match headers
            .iter()
            .find(|h: &&Header| h.field.equiv("Expect"))
            .map(|h| h.value.as_str())
        {
            None => false,
            Some(v) if v.eq_ignore_ascii_case("100-continue") => true,
            _ => return Err(RequestCreationError::ExpectationFailed),
        }
    };

    // true if the client sent a `Connection: upgrade` header
    let connection_upgrade = {
        match headers
            .iter()
            .find(|h: &&Header| h.field.equiv("Connection"))
            .map(|h| h.value.as_str())
        {
            Some(v) if v.to_ascii_lowercase().contains("upgrade") => true,
            _ => false,
        }
    };

    // Patched: bodies up to PREBUFFER_LIMIT (every JSON and form request),
    // declared or chunked, are read here, by the connection's own thread and
    // within a deadline, so that a slow sender never holds one of the
    // application's workers. A client waiting for `100 Continue` before a
    // small body is told to go on first. Large declared bodies keep waiting
    // for the handler (which may refuse them unread).
    let small_declared = matches!(framing, Framing::Length(n) if n > 0 && n <= PREBUFFER_LIMIT);
    let mut must_send_continue = expects_continue;
    if expects_continue && !connection_upgrade && (small_declared || framing == Framing::Chunked) {
        let go_on = Response::new_empty(StatusCode(100));
        go_on.raw_print(&mut writer, version.clone(), &headers, true, None)?;
        writer.flush()?;
        must_send_continue = false;
    }

    let reader = match framing {
        _ if connection_upgrade => Box::new(source_data) as Box<dyn Read + Send + 'static>,
        Framing::None | Framing::Length(0) => Box::new(io::empty()) as Box<dyn Read + Send + 'static>,
        Framing::Length(length) if small_declared && !must_send_continue => {
            let buffer = read_ahead(&mut source_data, length)?;
            if buffer.len() < length {
                return Err(closed_early());
            }
            Box::new(Cursor::new(buffer)) as Box<dyn Read + Send + 'static>
        }
        Framing::Length(length) => {
            let data_reader = EqualReader::new(source_data, length);
            Box::new(BodyGuard::new(FusedReader::new(data_reader), broken)) as Box<dyn Read + Send + 'static>
        }
        Framing::Chunked => {
            let mut decoder = ChunkedDecoder::new(source_data);
            let buffer = read_ahead(&mut decoder, PREBUFFER_LIMIT + 1)?;
            if decoder.is_done() {
                set_length(&mut headers, buffer.len());
                Box::new(Cursor::new(buffer)) as Box<dyn Read + Send + 'static>
            } else {
                let rest = Cursor::new(buffer).chain(decoder);
                Box::new(BodyGuard::new(FusedReader::new(rest), broken)) as Box<dyn Read + Send + 'static>
            }
        }
    };

    let body_length = headers
        .iter()
        .find(|h| h.field.equiv("Content-Length"))
        .and_then(|h| h.value.as_str().parse().ok());

    Ok(Request {
        data_reader: Some(reader),
        response_writer: Some(Box::new(writer) as Box<dyn Write + Send + 'static>),
        remote_addr,
        secure,
        method,
        path,
        http_version: version,
        headers,
        body_length,
        must_send_continue,
        notify_when_responded: None,
    })
}

impl Request {
    /// Returns true if the request was made through HTTPS.
    #[inline]
    pub fn secure(&self) -> bool {
        self.secure
    }

    /// Returns the method requested by the client (eg. `GET`, `POST`, etc.).
    #[inline]
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// Returns the resource requested by the client.
    #[inline]
    pub fn url(&self) -> &str {
        &self.path
    }

    /// Returns a list of all headers sent by the client.
    #[inline]
    pub fn headers(&self) -> &[Header] {
        &self.headers
    }

    /// Returns the HTTP version of the request.
    #[inline]
    pub fn http_version(&self) -> &HTTPVersion {
        &self.http_version
    }

    /// Returns the length of the body in bytes.
    ///
    /// Returns `None` if the length is unknown.
    #[inline]
    pub fn body_length(&self) -> Option<usize> {
        self.body_length
    }

    /// Returns the address of the client that sent this request.
    ///
    /// The address is always `Some` for TCP listeners, but always `None` for UNIX listeners
    /// (as the remote address of a UNIX client is almost always unnamed).
    ///
    /// Note that this is gathered from the socket. If you receive the request from a proxy,
    /// this function will return the address of the proxy and not the address of the actual
    /// user.
    #[inline]
    pub fn remote_addr(&self) -> Option<&SocketAddr> {
        self.remote_addr.as_ref()
    }

    /// Sends a response with a `Connection: upgrade` header, then turns the `Request` into a `Stream`.
    ///
    /// The main purpose of this function is to support websockets.
    /// If you detect that the request wants to use some kind of protocol upgrade, you can
    ///  call this function to obtain full control of the socket stream.
    ///
    /// If you call this on a non-websocket request, tiny-http will wait until this `Stream` object
    ///  is destroyed before continuing to read or write on the socket. Therefore you should always
    ///  destroy it as soon as possible.
    pub fn upgrade<R: Read>(
        mut self,
        protocol: &str,
        response: Response<R>,
    ) -> Box<dyn ReadWrite + Send> {
        use crate::util::CustomStream;

        response
            .raw_print(
                self.response_writer.as_mut().unwrap().by_ref(),
                self.http_version.clone(),
                &self.headers,
                false,
                Some(protocol),
            )
            .ok(); // TODO: unused result

        self.response_writer.as_mut().unwrap().flush().ok(); // TODO: unused result

        let stream = CustomStream::new(self.extract_reader_impl(), self.extract_writer_impl());
        if let Some(sender) = self.notify_when_responded.take() {
            let stream = NotifyOnDrop {
                sender,
                inner: stream,
            };
            Box::new(stream) as Box<dyn ReadWrite + Send>
        } else {
            Box::new(stream) as Box<dyn ReadWrite + Send>
        }
    }

    /// Allows to read the body of the request.
    ///
    /// # Example
    ///
    /// ```no_run
    /// # extern crate rustc_serialize;
    /// # extern crate tiny_http;
    /// # use rustc_serialize::json::Json;
    /// # use std::io::Read;
    /// # fn get_content_type(_: &tiny_http::Request) -> &'static str { "" }
    /// # fn main() {
    /// # let server = tiny_http::Server::http("0.0.0.0:0").unwrap();
    /// let mut request = server.recv().unwrap();
    ///
    /// if get_content_type(&request) == "application/json" {
    ///     let mut content = String::new();
    ///     request.as_reader().read_to_string(&mut content).unwrap();
    ///     let json: Json = content.parse().unwrap();
    /// }
    /// # }
    /// ```
    ///
    /// If the client sent a `Expect: 100-continue` header with the request, calling this
    ///  function will send back a `100 Continue` response.
    #[inline]
    pub fn as_reader(&mut self) -> &mut dyn Read {
        if self.must_send_continue {
            let msg = Response::new_empty(StatusCode(100));
            msg.raw_print(
                self.response_writer.as_mut().unwrap().by_ref(),
                self.http_version.clone(),
                &self.headers,
                true,
                None,
            )
            .ok();
            self.response_writer.as_mut().unwrap().flush().ok();
            self.must_send_continue = false;
        }

        self.data_reader.as_mut().unwrap()
    }

    /// Turns the `Request` into a writer.
    ///
    /// The writer has a raw access to the stream to the user.
    /// This function is useful for things like CGI.
    ///
    /// Note that the destruction of the `Writer` object may trigger
    /// some events. For exemple if a client has sent multiple requests and the requests
    /// have been processed in parallel, the destruction of a writer will trigger
    /// the writing of the next response.
    /// Therefore you should always destroy the `Writer` as soon as possible.
    #[inline]
    pub fn into_writer(mut self) -> Box<dyn Write + Send + 'static> {
        let writer = self.extract_writer_impl();
        if let Some(sender) = self.notify_when_responded.take() {
            let writer = NotifyOnDrop {
                sender,
                inner: writer,
            };
            Box::new(writer) as Box<dyn Write + Send + 'static>
        } else {
            writer
        }
    }

    /// Extract the response `Writer` object from the Request, dropping this `Writer` has the same side effects
    /// as the object returned by `into_writer` above.
    ///
    /// This may only be called once on a single request.
    fn extract_writer_impl(&mut self) -> Box<dyn Write + Send + 'static> {
        use std::mem;

        assert!(self.response_writer.is_some());

        let mut writer = None;
        mem::swap(&mut self.response_writer, &mut writer);
        writer.unwrap()
    }

    /// Extract the body `Reader` object from the Request.
    ///
    /// This may only be called once on a single request.
    fn extract_reader_impl(&mut self) -> Box<dyn Read + Send + 'static> {
        use std::mem;

        assert!(self.data_reader.is_some());

        let mut reader = None;
        mem::swap(&mut self.data_reader, &mut reader);
        reader.unwrap()
    }

    /// Sends a response to this request.
    #[inline]
    pub fn respond<R>(mut self, response: Response<R>) -> Result<(), IoError>
    where
        R: Read,
    {
        let res = self.respond_impl(response);
        if let Some(sender) = self.notify_when_responded.take() {
            let _ = sender.send(()); // Patched: was unwrap
        }
        res
    }

    fn respond_impl<R>(&mut self, response: Response<R>) -> Result<(), IoError>
    where
        R: Read,
    {
        let mut writer = self.extract_writer_impl();

        let do_not_send_body = self.method == Method::Head;

        Self::ignore_client_closing_errors(response.raw_print(
            writer.by_ref(),
            self.http_version.clone(),
            &self.headers,
            do_not_send_body,
            None,
        ))?;

        Self::ignore_client_closing_errors(writer.flush())
    }

    fn ignore_client_closing_errors(result: io::Result<()>) -> io::Result<()> {
        result.or_else(|err| match err.kind() {
            ErrorKind::BrokenPipe => Ok(()),
            ErrorKind::ConnectionAborted => Ok(()),
            ErrorKind::ConnectionRefused => Ok(()),
            ErrorKind::ConnectionReset => Ok(()),
            _ => Err(err),
        })
    }

    pub(crate) fn with_notify_sender(mut self, sender: Sender<()>) -> Self {
        self.notify_when_responded = Some(sender);
        self
    }
}

impl fmt::Debug for Request {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> Result<(), fmt::Error> {
        write!(
            formatter,
            "Request({} {} from {:?})",
            self.method, self.path, self.remote_addr
        )
    }
}

impl Drop for Request {
    fn drop(&mut self) {
        if self.response_writer.is_some() {
            let response = Response::empty(500);
            let _ = self.respond_impl(response); // ignoring any potential error
            if let Some(sender) = self.notify_when_responded.take() {
                let _ = sender.send(()); // Patched: was unwrap
            }
        }
    }
}

/// Dummy trait that regroups the `Read` and `Write` traits.
///
/// Automatically implemented on all types that implement both `Read` and `Write`.
pub trait ReadWrite: Read + Write {}
impl<T> ReadWrite for T where T: Read + Write {}

#[cfg(test)]
mod tests {
    use super::{framing, Framing, Request, RequestCreationError};
    use crate::{HTTPVersion, Header};

    fn frame(lines: &[&str], version: HTTPVersion) -> Result<Framing, RequestCreationError> {
        let headers: Vec<Header> = lines.iter().map(|l| l.parse().unwrap()).collect();
        framing(&headers, &version)
    }

    #[test]
    fn ambiguous_framing_is_refused() {
        let v11 = || HTTPVersion(1, 1);
        assert_eq!(frame(&[], v11()).unwrap(), Framing::None);
        assert_eq!(frame(&["Content-Length: 12"], v11()).unwrap(), Framing::Length(12));
        assert_eq!(frame(&["Transfer-Encoding: Chunked"], v11()).unwrap(), Framing::Chunked);
        for (lines, status) in [
            (&["Content-Length: 5", "Content-Length: 6"][..], 400),
            (&["Content-Length: 5", "Content-Length: 5"], 400),
            (&["Content-Length: 5, 5"], 400),
            (&["Content-Length: +5"], 400),
            (&["Content-Length: -1"], 400),
            (&["Content-Length: 0x10"], 400),
            (&["Content-Length: 99999999999999999999999"], 400),
            (&["Content-Length: "], 400),
            (&["Transfer-Encoding: chunked", "Content-Length: 5"], 400),
            (&["Content-Length: 5", "Transfer-Encoding: chunked"], 400),
            (&["Transfer-Encoding: gzip"], 501),
            (&["Transfer-Encoding: gzip, chunked"], 501),
            (&["Transfer-Encoding: chunked, chunked"], 501),
            (&["Transfer-Encoding: chunked", "Transfer-Encoding: chunked"], 501),
            (&["Transfer-Encoding: identity"], 501),
        ] {
            let refused = match frame(lines, v11()) {
                Err(RequestCreationError::AmbiguousFraming) => 400,
                Err(RequestCreationError::UnknownCoding) => 501,
                other => panic!("{:?}: {:?}", lines, other),
            };
            assert_eq!(refused, status, "{:?}", lines);
        }
        assert!(matches!(
            frame(&["Transfer-Encoding: chunked"], HTTPVersion(1, 0)),
            Err(RequestCreationError::AmbiguousFraming)
        ));
    }

    #[test]
    fn must_be_send() {
        #![allow(dead_code)]
        fn f<T: Send>(_: &T) {}
        fn bar(rq: &Request) {
            f(rq);
        }
    }
}
