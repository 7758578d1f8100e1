//! Patched: entry points for the fuzz targets in `fuzz/` (not an API).
//! They run the request parsing of `ClientConnection` (request line,
//! headers, framing, the chunked decoder) over bytes instead of a socket.

use std::io::{Cursor, Read};

use crate::client::parse_request_line;
use crate::common::Header;
use crate::util::ChunkedDecoder;

/// Parses one request out of `data` as the server would and reads its body
/// to the end; must never panic, whatever the bytes.
pub fn request(data: &[u8]) {
    let Some(head_end) = data.windows(4).position(|w| w == b"\r\n\r\n") else { return };
    if head_end > 32 * 1024 {
        return;
    }
    let Ok(head) = std::str::from_utf8(&data[..head_end]) else { return };
    let mut lines = head.split("\r\n");
    let Some(Ok((method, path, version))) = lines.next().map(|l| parse_request_line(l.trim())) else { return };
    let mut headers = Vec::new();
    for line in lines.take(100) {
        match line.trim().parse::<Header>() {
            Ok(header) => headers.push(header),
            Err(()) => return,
        }
    }
    let body = Cursor::new(data[head_end + 4..].to_vec());
    let built = crate::request::new_request(false, method, path, version, headers, None, body, std::io::sink(), Default::default());
    if let Ok(mut request) = built {
        let mut sink = Vec::new();
        let _ = request.as_reader().take(1 << 20).read_to_end(&mut sink);
    }
}

/// Decodes `data` as a chunked body; must never panic.
pub fn chunked(data: &[u8]) {
    let mut body = Vec::new();
    let _ = ChunkedDecoder::new(data).take(1 << 20).read_to_end(&mut body);
}
