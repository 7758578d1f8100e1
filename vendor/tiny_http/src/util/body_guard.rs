use std::io::{Read, Result as IoResult};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// A streamed request body. Dropped before its end (the handler answered
/// without reading it all), it marks its connection broken: what follows on
/// the socket is the rest of the body, not a request. The connection's own
/// thread then discards a little of it and closes (see `ClientConnection`):
/// the worker that answered is free at once, whatever the client does.
pub struct BodyGuard<R: Read> {
    inner: R,
    finished: bool,
    broken: Arc<AtomicBool>,
}

impl<R: Read> BodyGuard<R> {
    pub fn new(inner: R, broken: Arc<AtomicBool>) -> Self {
        BodyGuard { inner, finished: false, broken }
    }
}

impl<R: Read> Read for BodyGuard<R> {
    fn read(&mut self, buf: &mut [u8]) -> IoResult<usize> {
        let n = self.inner.read(buf)?;
        if n == 0 && !buf.is_empty() {
            self.finished = true;
        }
        Ok(n)
    }
}

impl<R: Read> Drop for BodyGuard<R> {
    fn drop(&mut self) {
        if !self.finished {
            self.broken.store(true, Ordering::Release);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    #[test]
    fn a_body_read_to_its_end_keeps_the_connection() {
        let broken = Arc::new(AtomicBool::new(false));
        let mut body = BodyGuard::new(Cursor::new(vec![1u8; 1000]), broken.clone());
        body.read_to_end(&mut Vec::new()).unwrap();
        drop(body);
        assert!(!broken.load(Ordering::Acquire));
    }

    #[test]
    fn a_body_left_unfinished_breaks_the_connection() {
        let broken = Arc::new(AtomicBool::new(false));
        let mut body = BodyGuard::new(Cursor::new(vec![1u8; 1000]), broken.clone());
        body.read_exact(&mut [0u8; 10]).unwrap();
        drop(body);
        assert!(broken.load(Ordering::Acquire));
    }
}
