//! Certificates made for one test (a CA, and leaves it signs for
//! `localhost` and `127.0.0.1`) and a TLS client that trusts only that CA.

use std::net::TcpStream;
use std::sync::Arc;

use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair};
use rustls::pki_types::CertificateDer;

use super::http::wrap;

pub struct TestCa {
    issuer: CertifiedIssuer<'static, KeyPair>,
}

/// A certificate and its key, as a server's PEM files hold them.
pub struct Leaf {
    /// The chain: the leaf, then the CA (certbot's `fullchain.pem`).
    pub chain_pem: String,
    pub key_pem: String,
    /// The leaf, as a client sees it in the handshake.
    pub der: Vec<u8>,
}

impl TestCa {
    pub fn new() -> TestCa {
        let mut params = CertificateParams::new(Vec::<String>::new()).expect("CA parameters");
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name.push(DnType::CommonName, "fittrackee test CA");
        let key = KeyPair::generate().expect("CA key");
        TestCa { issuer: CertifiedIssuer::self_signed(params, key).expect("CA certificate") }
    }

    /// A new leaf with a key of its own: each call gives another certificate.
    pub fn leaf(&self) -> Leaf {
        let params =
            CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()]).expect("leaf parameters");
        let key = KeyPair::generate().expect("leaf key");
        let cert = params.signed_by(&key, &self.issuer).expect("leaf certificate");
        Leaf {
            chain_pem: format!("{}{}", cert.pem(), self.issuer.as_ref().pem()),
            key_pem: key.serialize_pem(),
            der: cert.der().to_vec(),
        }
    }

    /// A client configuration that trusts this CA and nothing else.
    pub fn client(&self) -> Arc<rustls::ClientConfig> {
        let mut roots = rustls::RootCertStore::empty();
        roots.add(CertificateDer::from(self.issuer.as_ref().der().to_vec())).expect("trust the CA");
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("protocol versions")
            .with_root_certificates(roots)
            .with_no_client_auth();
        Arc::new(config)
    }
}

/// Completes a handshake with `addr`; the certificate the server presented.
pub fn presented_certificate(addr: &str, config: &Arc<rustls::ClientConfig>) -> std::io::Result<Vec<u8>> {
    let mut stream = wrap(TcpStream::connect(addr)?, config);
    while stream.conn.is_handshaking() {
        stream.conn.complete_io(&mut stream.sock)?;
    }
    let leaf = stream.conn.peer_certificates().and_then(|chain| chain.first()).map(|der| der.to_vec());
    leaf.ok_or_else(|| std::io::Error::other("no certificate presented"))
}
