//! `multipart/form-data` (RFC 7578), tolerant of what real uploaders send:
//! a preamble before the first boundary, LF-only line breaks (including the
//! closing delimiter), parts without a content type, parts in any order.
//! The body is already capped by the caller; parts and headers are bounded here.

use std::fmt;

use super::Part;

const MAX_PARTS: usize = 64;
const MAX_HEADER_BYTES: usize = 8 * 1024;

#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    NoBoundaryFound,
    Unterminated,
    HeadersTooLong,
    TooManyParts,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Error::NoBoundaryFound => "the boundary does not occur in the body",
            Error::Unterminated => "a part is not terminated by a boundary",
            Error::HeadersTooLong => "part headers are too long",
            Error::TooManyParts => "too many parts",
        })
    }
}

/// The `boundary` parameter of a `multipart/form-data` content type.
pub fn boundary(content_type: &str) -> Option<String> {
    parameters(content_type)
        .into_iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("boundary"))
        .map(|(_, value)| value)
        .filter(|b| !b.is_empty() && b.len() <= 200)
}

pub fn parse(body: &[u8], boundary: &str) -> Result<Vec<Part>, Error> {
    let delimiter = format!("--{boundary}").into_bytes();
    let line_delimiter = [b"\n".as_slice(), &delimiter].concat();
    // The first delimiter starts the body or a line of the preamble.
    let mut at = if body.starts_with(&delimiter) {
        0
    } else {
        find(body, &line_delimiter, 0).ok_or(Error::NoBoundaryFound)? + 1
    };
    let mut parts = Vec::new();
    loop {
        let after = at + delimiter.len();
        if body[after..].starts_with(b"--") {
            return Ok(parts);
        }
        if parts.len() == MAX_PARTS {
            return Err(Error::TooManyParts);
        }
        // Transport padding, then the line break that ends the delimiter line.
        let headers_start = find(body, b"\n", after).ok_or(Error::Unterminated)? + 1;
        let (mut part, content_start) = read_headers(body, headers_start)?;
        // The line break before the next delimiter belongs to the delimiter.
        let next = find(body, &line_delimiter, content_start.saturating_sub(1)).ok_or(Error::Unterminated)?;
        let mut content_end = next.max(content_start);
        if content_end > content_start && body[content_end - 1] == b'\r' {
            content_end -= 1;
        }
        part.data = body[content_start..content_end].to_vec();
        if !part.name.is_empty() {
            parts.push(part);
        }
        at = next + 1;
    }
}

/// Reads header lines up to the empty line; returns the part (without data)
/// and where its content starts.
fn read_headers(body: &[u8], mut at: usize) -> Result<(Part, usize), Error> {
    let start = at;
    let mut part = Part::default();
    loop {
        let end = find(body, b"\n", at).ok_or(Error::Unterminated)?;
        if end - start > MAX_HEADER_BYTES {
            return Err(Error::HeadersTooLong);
        }
        let line = String::from_utf8_lossy(&body[at..end]);
        let line = line.trim_end_matches('\r');
        at = end + 1;
        if line.is_empty() {
            return Ok((part, at));
        }
        let Some((name, value)) = line.split_once(':') else { continue };
        if name.trim().eq_ignore_ascii_case("content-disposition") {
            for (key, val) in parameters(value) {
                match key.to_ascii_lowercase().as_str() {
                    "name" => part.name = val,
                    "filename" => part.filename = Some(val),
                    _ => {}
                }
            }
        } else if name.trim().eq_ignore_ascii_case("content-type") {
            part.content_type = Some(value.trim().to_string());
        }
    }
}

/// `key=value` parameters after the first `;`, values optionally quoted
/// (a quoted value may contain `;`).
fn parameters(header: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut chars = header.chars().peekable();
    // Skip the leading token (`form-data`, `multipart/form-data`).
    for c in chars.by_ref() {
        if c == ';' {
            break;
        }
    }
    loop {
        let key: String = chars.by_ref().take_while(|&c| c != '=').collect();
        let key = key.trim().to_string();
        if key.is_empty() {
            return out;
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let mut value = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => value.extend(chars.next()),
                    '"' => break,
                    _ => value.push(c),
                }
            }
            for c in chars.by_ref() {
                if c == ';' {
                    break;
                }
            }
        } else {
            value = chars.by_ref().take_while(|&c| c != ';').collect::<String>().trim().to_string();
        }
        out.push((key, value));
    }
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if from >= haystack.len() || needle.is_empty() {
        return None;
    }
    // Jump between occurrences of the first byte (a fast scan) rather than
    // comparing a window at every offset of a file of megabytes.
    let mut at = from;
    while let Some(offset) = haystack[at..].iter().position(|&b| b == needle[0]) {
        at += offset;
        if haystack[at..].starts_with(needle) {
            return Some(at);
        }
        at += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names_and_data(parts: &[Part]) -> Vec<(&str, &str)> {
        parts.iter().map(|p| (p.name.as_str(), std::str::from_utf8(&p.data).unwrap())).collect()
    }

    #[test]
    fn boundary_parameter_quoted_or_not() {
        assert_eq!(boundary("multipart/form-data; boundary=abc").as_deref(), Some("abc"));
        assert_eq!(boundary("multipart/form-data; charset=utf-8; boundary=\"a b\"").as_deref(), Some("a b"));
        assert_eq!(boundary("multipart/form-data"), None);
    }

    #[test]
    fn crlf_body_as_browsers_send_it() {
        let body = b"--XX\r\nContent-Disposition: form-data; name=\"data\"\r\n\r\n{\"sport_id\": 1}\r\n\
--XX\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a;b.gpx\"\r\nContent-Type: application/gpx+xml\r\n\r\n<gpx/>\r\n--XX--\r\n";
        let parts = parse(body, "XX").unwrap();
        assert_eq!(names_and_data(&parts), vec![("data", "{\"sport_id\": 1}"), ("file", "<gpx/>")]);
        assert_eq!(parts[1].filename.as_deref(), Some("a;b.gpx"));
        assert_eq!(parts[1].content_type.as_deref(), Some("application/gpx+xml"));
        assert_eq!(parts[0].content_type, None);
    }

    #[test]
    fn preamble_and_lf_only_closing_delimiter() {
        let body = b"\r\nsome preamble\r\n--XX\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--XX\nContent-Disposition: form-data; name=b\n\nline1\nline2\n--XX--";
        let parts = parse(body, "XX").unwrap();
        assert_eq!(names_and_data(&parts), vec![("a", "1"), ("b", "line1\nline2")]);
    }

    #[test]
    fn empty_values_and_binary_content() {
        let body = b"--XX\r\nContent-Disposition: form-data; name=\"e\"\r\n\r\n\r\n--XX\r\nContent-Disposition: form-data; name=\"bin\"\r\n\r\n\x00\xff--X\r\n--XX--\r\n";
        let parts = parse(body, "XX").unwrap();
        assert_eq!(parts[0].data, b"");
        assert_eq!(parts[1].data, b"\x00\xff--X");
    }

    #[test]
    fn malformed_bodies_are_errors_not_panics() {
        assert_eq!(parse(b"", "XX"), Err(Error::NoBoundaryFound));
        assert_eq!(parse(b"--XX", "XX"), Err(Error::Unterminated));
        assert_eq!(
            parse(b"--XX\r\nContent-Disposition: form-data; name=a\r\n\r\nno end", "XX"),
            Err(Error::Unterminated)
        );
        let many: Vec<u8> = (0..100)
            .flat_map(|i| format!("--XX\r\nContent-Disposition: form-data; name=f{i}\r\n\r\nv\r\n").into_bytes())
            .chain(b"--XX--".iter().copied())
            .collect();
        assert_eq!(parse(&many, "XX"), Err(Error::TooManyParts));
        let long_header = format!("--XX\r\nX: {}\r\n\r\nv\r\n--XX--", "a".repeat(10_000));
        assert_eq!(parse(long_header.as_bytes(), "XX"), Err(Error::HeadersTooLong));
    }
}
