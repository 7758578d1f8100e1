//! Patched: a strict `Transfer-Encoding: chunked` decoder (RFC 9112 §7.1),
//! replacing the `chunked_transfer` crate's.
//!
//! - Strict: chunk sizes are hex digits only (at most 16), every line ends in
//!   CRLF (a bare LF is an error, as are bytes after the data of a chunk),
//!   extensions and trailers are bounded and ignored.
//! - Resumable: the socket wakes up every read tick with `WouldBlock` so that
//!   deadlines are checked; the decoder keeps its place across such errors
//!   (upstream's lost a half-read size line and misread the body).
//! - Exact: it reads from a `BufRead` and consumes nothing past the body, so
//!   a pipelined request after it stays intact.

use std::io::{BufRead, Error, ErrorKind, Read, Result as IoResult};

/// Longest run of chunk extensions on one size line, and of all trailers.
const MAX_EXTENSION: usize = 4 * 1024;
const MAX_TRAILERS: usize = 8 * 1024;
const MAX_SIZE_DIGITS: u8 = 16;

#[derive(Debug, Clone, Copy, PartialEq)]
enum State {
    Size { value: u64, digits: u8 },
    Extension { value: u64, length: usize },
    SizeLf { value: u64 },
    Data { remaining: u64 },
    DataCr,
    DataLf,
    Trailer { line: usize, total: usize },
    TrailerLf { empty: bool, total: usize },
    Done,
}

pub struct ChunkedDecoder<R> {
    source: R,
    state: State,
}

fn malformed(what: &'static str) -> Error {
    Error::new(ErrorKind::InvalidData, what)
}

impl<R: BufRead> ChunkedDecoder<R> {
    pub fn new(source: R) -> Self {
        ChunkedDecoder { source, state: State::Size { value: 0, digits: 0 } }
    }

    /// True once the last chunk and the trailers were read.
    pub fn is_done(&self) -> bool {
        self.state == State::Done
    }

    /// The next byte of framing; nothing is consumed when reading fails.
    fn next_byte(&mut self) -> IoResult<u8> {
        let byte = match self.source.fill_buf()? {
            [] => return Err(Error::new(ErrorKind::UnexpectedEof, "the chunked body ended early")),
            [byte, ..] => *byte,
        };
        self.source.consume(1);
        Ok(byte)
    }

    /// One byte of framing moves the state on.
    fn step(&self, byte: u8) -> IoResult<State> {
        Ok(match (self.state, byte) {
            (State::Size { value, digits }, b) if b.is_ascii_hexdigit() => {
                if digits == MAX_SIZE_DIGITS {
                    return Err(malformed("chunk size too large"));
                }
                let digit = (b as char).to_digit(16).unwrap_or(0) as u64;
                State::Size { value: value << 4 | digit, digits: digits + 1 }
            }
            (State::Size { value, digits }, b';' | b' ' | b'\t') if digits > 0 => {
                State::Extension { value, length: 0 }
            }
            (State::Size { value, digits }, b'\r') if digits > 0 => State::SizeLf { value },
            (State::Size { .. }, _) => return Err(malformed("invalid chunk size")),
            (State::Extension { value, .. }, b'\r') => State::SizeLf { value },
            (State::Extension { .. }, b'\n' | 0) => return Err(malformed("invalid chunk extension")),
            (State::Extension { value, length }, _) if length < MAX_EXTENSION => {
                State::Extension { value, length: length + 1 }
            }
            (State::Extension { .. }, _) => return Err(malformed("chunk extension too long")),
            (State::SizeLf { value: 0 }, b'\n') => State::Trailer { line: 0, total: 0 },
            (State::SizeLf { value }, b'\n') => State::Data { remaining: value },
            (State::DataCr, b'\r') => State::DataLf,
            (State::DataLf, b'\n') => State::Size { value: 0, digits: 0 },
            (State::Trailer { line, total }, b'\r') => State::TrailerLf { empty: line == 0, total },
            (State::Trailer { .. }, b'\n' | 0) => return Err(malformed("invalid trailer")),
            (State::Trailer { line, total }, _) if total < MAX_TRAILERS => {
                State::Trailer { line: line + 1, total: total + 1 }
            }
            (State::TrailerLf { empty: true, .. }, b'\n') => State::Done,
            (State::TrailerLf { empty: false, total }, b'\n') => State::Trailer { line: 0, total },
            _ => return Err(malformed("invalid chunked framing")),
        })
    }
}

impl<R: BufRead> Read for ChunkedDecoder<R> {
    fn read(&mut self, buf: &mut [u8]) -> IoResult<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            match self.state {
                State::Done => return Ok(0),
                State::Data { remaining } => {
                    let want = remaining.min(buf.len() as u64) as usize;
                    let got = self.source.read(&mut buf[..want])?;
                    if got == 0 {
                        return Err(Error::new(ErrorKind::UnexpectedEof, "the chunked body ended early"));
                    }
                    let remaining = remaining - got as u64;
                    self.state = if remaining == 0 { State::DataCr } else { State::Data { remaining } };
                    return Ok(got);
                }
                _ => {
                    let byte = self.next_byte()?;
                    self.state = self.step(byte)?;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufReader, Cursor};

    fn decode(input: &[u8]) -> IoResult<(Vec<u8>, usize)> {
        let mut cursor = Cursor::new(input);
        let mut body = Vec::new();
        let mut decoder = ChunkedDecoder::new(&mut cursor);
        decoder.read_to_end(&mut body)?;
        assert!(decoder.is_done());
        Ok((body, cursor.position() as usize))
    }

    #[test]
    fn chunks_extensions_and_trailers() {
        let input = b"5\r\nhello\r\n6;name=\"x\"\r\n world\r\nA \r\n0123456789\r\n0\r\nX-Trailer: 1\r\n\r\nGET / HTTP/1.1";
        let (body, used) = decode(input).unwrap();
        assert_eq!(body, b"hello world0123456789");
        assert_eq!(&input[used..], b"GET / HTTP/1.1", "nothing past the body is consumed");
    }

    #[test]
    fn malformed_framing_is_refused() {
        for bad in [
            &b"5\nhello\r\n0\r\n\r\n"[..],   // bare LF after the size
            b"5\r\nhello\n0\r\n\r\n",        // bare LF after the data
            b"5\r\nhelloX\r\n0\r\n\r\n",     // data longer than declared
            b"-5\r\nhello\r\n0\r\n\r\n",     // not hex
            b"+5\r\nhello\r\n0\r\n\r\n",
            b"0x5\r\nhello\r\n0\r\n\r\n",
            b"\r\n",                           // no size at all
            b"11111111111111111\r\n",         // 17 digits
            b"5\r\nhel",                       // truncated
            b"0\r\n",                          // no end of trailers
            b"0\r\nX: a\nY: b\r\n\r\n",        // bare LF in a trailer
        ] {
            assert!(decode(bad).is_err(), "{:?}", String::from_utf8_lossy(bad));
        }
        let long_extension = format!("1;{}\r\na\r\n0\r\n\r\n", "x".repeat(MAX_EXTENSION + 1));
        assert!(decode(long_extension.as_bytes()).is_err());
        let long_trailer = format!("0\r\nX: {}\r\n\r\n", "x".repeat(MAX_TRAILERS));
        assert!(decode(long_trailer.as_bytes()).is_err());
        assert_eq!(decode(b"ffffffffffffffff\r\n").unwrap_err().kind(), ErrorKind::UnexpectedEof);
    }

    /// A source that says `WouldBlock` before every byte, as a socket does
    /// between read ticks of a slow client.
    struct Trickle<'a> {
        data: &'a [u8],
        at: usize,
        ready: bool,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> IoResult<usize> {
            let n = {
                let available = self.fill_buf()?;
                let n = available.len().min(buf.len());
                buf[..n].copy_from_slice(&available[..n]);
                n
            };
            self.consume(n);
            Ok(n)
        }
    }

    impl BufRead for Trickle<'_> {
        fn fill_buf(&mut self) -> IoResult<&[u8]> {
            if !self.ready {
                self.ready = true;
                return Err(ErrorKind::WouldBlock.into());
            }
            let end = (self.at + 1).min(self.data.len());
            Ok(&self.data[self.at..end])
        }

        fn consume(&mut self, amount: usize) {
            self.at += amount;
            self.ready = false;
        }
    }

    #[test]
    fn a_body_trickling_between_read_ticks_decodes_the_same() {
        let input = b"1a;ext=1\r\nabcdefghijklmnopqrstuvwxyz\r\n3\r\n123\r\n0\r\nT: x\r\n\r\n";
        let mut decoder = ChunkedDecoder::new(Trickle { data: input, at: 0, ready: false });
        let mut body = Vec::new();
        let mut buf = [0u8; 7];
        loop {
            match decoder.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => body.extend_from_slice(&buf[..n]),
                Err(e) if e.kind() == ErrorKind::WouldBlock => continue,
                Err(e) => panic!("{}", e),
            }
        }
        assert_eq!(body, b"abcdefghijklmnopqrstuvwxyz123");
        assert!(decoder.is_done());
    }

    #[test]
    fn a_buffered_source_decodes_large_chunks() {
        let data = vec![7u8; 100_000];
        let mut input = format!("{:x}\r\n", data.len()).into_bytes();
        input.extend_from_slice(&data);
        input.extend_from_slice(b"\r\n0\r\n\r\n");
        let mut body = Vec::new();
        ChunkedDecoder::new(BufReader::new(&input[..])).read_to_end(&mut body).unwrap();
        assert_eq!(body, data);
    }
}
