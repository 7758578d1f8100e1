//! Patched (PATCHES.md, 11): rustls 0.23 with the ring provider, a
//! certificate that can be replaced while serving, no panics on bad PEM,
//! and socket I/O that keeps the connection's deadlines.

use crate::connection::Connection;
use crate::util::refined_tcp_stream::Stream as RefinedStream;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;
use std::error::Error;
use std::io::{self, ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::time::{Duration, Instant};
use zeroize::Zeroizing;

/// A TLS handshake must be over within this long (as a request head must
/// arrive within 10 s of its first byte): a client trickling its hello
/// cannot hold a connection thread.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// The certificate that HTTPS servers of this process present to new
/// connections. One per process: rouille builds the server from PEM bytes
/// alone, so there is no handle through which to reach a server's own.
static CURRENT: RwLock<Option<Arc<CertifiedKey>>> = RwLock::new(None);

/// Replaces the certificate (a PEM chain, leaf first) and private key (PEM,
/// PKCS#8, PKCS#1 or SEC1) that HTTPS servers of this process present from
/// the next handshake on; connections already open keep theirs. On error
/// (unreadable PEM, no certificate, a key that does not match the
/// certificate) the current certificate stays.
pub fn replace_certificate(certificate: &[u8], private_key: &[u8]) -> Result<(), Box<dyn Error + Send + Sync>> {
    let key = certified_key(certificate, private_key)?;
    let mut current = CURRENT.write().unwrap_or_else(|poisoned| poisoned.into_inner());
    *current = Some(Arc::new(key));
    Ok(())
}

fn provider() -> CryptoProvider {
    rustls::crypto::ring::default_provider()
}

fn certified_key(certificate: &[u8], private_key: &[u8]) -> Result<CertifiedKey, Box<dyn Error + Send + Sync>> {
    let chain = CertificateDer::pem_slice_iter(certificate)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("the certificate file is not PEM ({e})"))?;
    if chain.is_empty() {
        return Err("the certificate file holds no certificate".into());
    }
    let key = PrivateKeyDer::from_pem_slice(private_key)
        .map_err(|e| format!("the key file holds no usable private key ({e}); encrypted keys are not supported"))?;
    CertifiedKey::from_der(chain, key, &provider()).map_err(|e| match e {
        rustls::Error::InconsistentKeys(_) => "the private key does not belong to the certificate".into(),
        other => format!("the certificate or key cannot be used ({other})").into(),
    })
}

/// Hands every handshake the current certificate.
#[derive(Debug)]
struct CurrentCertificate;

impl ResolvesServerCert for CurrentCertificate {
    fn resolve(&self, _: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        CURRENT.read().ok()?.clone()
    }
}

pub(crate) struct RustlsContext(Arc<rustls::ServerConfig>);

impl RustlsContext {
    pub(crate) fn from_pem(
        certificates: Vec<u8>,
        private_key: Zeroizing<Vec<u8>>,
    ) -> Result<Self, Box<dyn Error + Send + Sync>> {
        replace_certificate(&certificates, &private_key)?;
        let mut config = rustls::ServerConfig::builder_with_provider(Arc::new(provider()))
            .with_safe_default_protocol_versions()?
            .with_no_client_auth()
            .with_cert_resolver(Arc::new(CurrentCertificate));
        // This server speaks HTTP/1.1 only: a client offering h2 too is
        // told so rather than left to guess.
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(Self(Arc::new(config)))
    }

    pub(crate) fn accept(&self, sock: Connection) -> Result<RustlsStream, Box<dyn Error + Send + Sync + 'static>> {
        let tls = rustls::ServerConnection::new(self.0.clone())?;
        Ok(RustlsStream { tls: Arc::new(Mutex::new(Tls { conn: tls, started: Instant::now() })), sock })
    }
}

struct Tls {
    conn: rustls::ServerConnection,
    started: Instant,
}

/// One half (reading or writing) of a TLS connection: the TLS state is
/// shared, each half has its own handle on the socket. Reads and writes do
/// not overlap (an HTTPS connection's thread waits for each answer before it
/// reads the next request), so holding the lock across a socket read does
/// not delay an answer.
pub(crate) struct RustlsStream {
    tls: Arc<Mutex<Tls>>,
    sock: Connection,
}

impl RustlsStream {
    pub(crate) fn try_clone(&self) -> io::Result<Self> {
        Ok(Self { tls: Arc::clone(&self.tls), sock: self.sock.try_clone()? })
    }

    pub(crate) fn peer_addr(&mut self) -> io::Result<Option<SocketAddr>> {
        self.sock.peer_addr()
    }

    pub(crate) fn shutdown(&mut self, how: Shutdown) -> io::Result<()> {
        if how != Shutdown::Read {
            let mut tls = lock(&self.tls);
            tls.conn.send_close_notify();
            // Best effort: the peer may be gone already.
            let _ = send_pending(&mut tls.conn, &mut self.sock);
        }
        self.sock.shutdown(how)
    }
}

/// The TLS state, even after a panic elsewhere: it holds no invariant of
/// ours that a panic could break half-way (rustls keeps its own).
fn lock(tls: &Mutex<Tls>) -> MutexGuard<'_, Tls> {
    tls.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Writes every TLS record rustls has ready.
fn send_pending(conn: &mut rustls::ServerConnection, sock: &mut Connection) -> io::Result<()> {
    while conn.wants_write() {
        if conn.write_tls(sock)? == 0 {
            return Err(io::Error::new(ErrorKind::WriteZero, "the socket took no TLS data"));
        }
    }
    Ok(())
}

impl Read for RustlsStream {
    /// At most one socket read per call: when it brings no plaintext (part
    /// of a record, a handshake message), the caller gets `WouldBlock`, as
    /// on a read tick, and checks its deadlines before trying again.
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let sock = &mut self.sock;
        let mut tls = lock(&self.tls);
        match tls.conn.reader().read(buf) {
            Err(e) if e.kind() == ErrorKind::WouldBlock => {}
            plaintext_or_end => return plaintext_or_end,
        }
        if tls.conn.is_handshaking() && tls.started.elapsed() > HANDSHAKE_TIMEOUT {
            // Not `TimedOut`: readers take that for a read tick and wait on.
            return Err(io::Error::new(ErrorKind::ConnectionAborted, "the TLS handshake took too long"));
        }
        let received = tls.conn.read_tls(sock)?;
        if let Err(e) = tls.conn.process_new_packets() {
            // Tell the peer why (an alert), then give up on the connection.
            let _ = send_pending(&mut tls.conn, sock);
            return Err(io::Error::new(ErrorKind::InvalidData, e));
        }
        send_pending(&mut tls.conn, sock)?;
        match tls.conn.reader().read(buf) {
            Err(e) if e.kind() == ErrorKind::WouldBlock && received > 0 => Err(e),
            // The socket ended without more plaintext: the reader reports a
            // clean close (0) or a truncation (an error).
            plaintext_or_end => plaintext_or_end,
        }
    }
}

impl Write for RustlsStream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let sock = &mut self.sock;
        let mut tls = lock(&self.tls);
        let written = tls.conn.writer().write(buf)?;
        send_pending(&mut tls.conn, sock)?;
        Ok(written)
    }

    fn flush(&mut self) -> io::Result<()> {
        let sock = &mut self.sock;
        let mut tls = lock(&self.tls);
        tls.conn.writer().flush()?;
        send_pending(&mut tls.conn, sock)?;
        sock.flush()
    }
}

impl From<RustlsStream> for RefinedStream {
    fn from(stream: RustlsStream) -> Self {
        Self::Https(stream)
    }
}
