//! Built-in TLS: the certificate and key files are read at start, and again
//! on SIGHUP or when either file changes (a Let's Encrypt renewal), without
//! a restart. Connections already open keep the certificate they started
//! with; a file that cannot be used leaves the current certificate in place.

use std::path::Path;
use std::time::{Duration, SystemTime};

use crate::config::TlsFiles;
use crate::log;

/// How often the files are looked at (two `stat` calls).
const POLL: Duration = Duration::from_secs(2);
/// How often SIGHUP is looked for.
const TICK: Duration = Duration::from_millis(200);

/// The files' contents: the certificate chain, then the key.
pub fn read(files: &TlsFiles) -> Result<(Vec<u8>, Vec<u8>), String> {
    let read = |path: &Path, what: &str| {
        std::fs::read(path).map_err(|e| format!("cannot read the TLS {what} {} ({e})", path.display()))
    };
    Ok((read(&files.cert, "certificate")?, read(&files.key, "key")?))
}

/// Why a certificate and key were refused, naming the files.
pub fn refusal(files: &TlsFiles, reason: impl std::fmt::Display) -> String {
    format!("TLS certificate {} with key {}: {reason}", files.cert.display(), files.key.display())
}

/// Reads the files and makes their certificate the one new connections get.
fn load(files: &TlsFiles) -> Result<(), String> {
    let (chain, key) = read(files)?;
    tiny_http::replace_certificate(&chain, &key).map_err(|e| refusal(files, e))
}

/// Reloads on SIGHUP and when the files change, in a thread of its own for
/// as long as the server runs. Without TLS, SIGHUP is answered with a line
/// saying there is nothing to reload.
pub fn watch(files: Option<TlsFiles>) -> std::io::Result<()> {
    std::thread::Builder::new().name("tls".into()).spawn(move || {
        let mut seen = files.as_ref().map(stamps);
        let mut since_poll = Duration::ZERO;
        loop {
            std::thread::sleep(TICK);
            since_poll += TICK;
            let signalled = super::stop::take_reload_request();
            let Some(files) = &files else {
                if signalled {
                    log::info("reload", "SIGHUP: nothing to reload (no tls_cert is configured)");
                }
                continue;
            };
            if since_poll < POLL && !signalled {
                continue;
            }
            since_poll = Duration::ZERO;
            let now = stamps(files);
            if signalled || seen.as_ref() != Some(&now) {
                seen = Some(now);
                reload(files, if signalled { "SIGHUP" } else { "the files changed" });
            }
        }
    })?;
    Ok(())
}

fn reload(files: &TlsFiles, why: &str) {
    match load(files) {
        Ok(()) => log::write_line(&log::line(
            "info",
            "tls_reloaded",
            &[("why", why), ("cert", &files.cert.display().to_string())],
        )),
        Err(e) => log::write_line(&log::line(
            "error",
            "tls_reload_failed",
            &[("why", why), ("detail", &format!("{e}; the previous certificate is kept"))],
        )),
    }
}

/// What tells a file was replaced or rewritten: its identity, size and time.
type Stamp = Option<(u64, u64, SystemTime)>;

fn stamps(files: &TlsFiles) -> (Stamp, Stamp) {
    use std::os::unix::fs::MetadataExt;
    // Through symbolic links: certbot renews by pointing `live/` elsewhere.
    let stamp = |path: &Path| std::fs::metadata(path).ok().and_then(|m| Some((m.ino(), m.len(), m.modified().ok()?)));
    (stamp(&files.cert), stamp(&files.key))
}
