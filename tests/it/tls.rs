//! Built-in TLS: served with a certificate the test makes, HSTS and https
//! URLs, keep-alive and large uploads through it, certificates replaced on
//! SIGHUP and when the files change, and the refusals at start-up.

use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::json;

use crate::support::http::Connection;
use crate::support::tls::{Leaf, TestCa, presented_certificate};
use crate::support::{BIN, Server};
use crate::workouts::{START, gpx_run, upload};

#[test]
fn https_is_served_with_hsts_and_https_urls() {
    let ca = TestCa::new();
    let server = Server::start_tls(&ca, &ca.leaf(), "");
    let metadata = server.get("/.well-known/oauth-authorization-server").send();
    assert_eq!(metadata.status, 200, "{}", metadata.text());
    assert_eq!(metadata.json()["issuer"], format!("https://{}", server.addr), "the scheme follows TLS");
    assert_eq!(metadata.header("Strict-Transport-Security"), Some("max-age=31536000"));
    let token = server.user("alice");
    assert_eq!(server.profile(&token)["username"], "alice");
    let signin = server.post("/login").form(&[("email", "alice@example.org"), ("password", crate::support::PASSWORD)]);
    let cookies = signin.send().header_all("Set-Cookie").join("\n");
    assert!(cookies.contains("; Secure"), "cookies are Secure over TLS: {cookies}");

    let plain = Server::start();
    assert_eq!(plain.get("/api/config").send().header("Strict-Transport-Security"), None, "no HSTS over http");
}

#[test]
fn keep_alive_and_large_uploads_work_over_tls() {
    let ca = TestCa::new();
    let server = Server::start_tls(&ca, &ca.leaf(), "");
    let token = server.user("alice");
    let mut connection = Connection::open_with(&server.addr, server.tls.as_ref()).expect("connect");
    for _ in 0..20 {
        let started = Instant::now();
        let answer = connection.send("GET", "/api/auth/profile", Some(&token), None).expect("answered");
        assert_eq!(answer.status, 200);
        // A connection thread reading the next request while the answer is
        // written would hold the TLS state for a read tick (2 s).
        assert!(started.elapsed() < Duration::from_secs(1), "answered in {:?}", started.elapsed());
    }
    let gpx = gpx_run(START, 3000);
    assert!(gpx.len() > 256 * 1024, "a body streamed to the handler, not read ahead: {}", gpx.len());
    let created = upload(&server, &token, &json!({ "sport_id": 1 }).to_string(), &gpx);
    assert_eq!(created.status, 201, "{}", created.text());
    let id = created.json()["data"]["workouts"][0]["id"].as_str().unwrap().to_string();
    let original = server.get(&format!("/api/workouts/{id}/original/download")).bearer(&token).send();
    assert_eq!(original.status, 200);
    assert_eq!(original.body, gpx.as_bytes(), "a large answer arrives whole");
}

#[test]
fn concurrent_tls_clients_are_all_answered() {
    let ca = TestCa::new();
    let server = Server::start_tls(&ca, &ca.leaf(), "");
    let token = server.user("alice");
    std::thread::scope(|scope| {
        for _ in 0..8 {
            scope.spawn(|| {
                for _ in 0..5 {
                    let mut connection = Connection::open_with(&server.addr, server.tls.as_ref()).expect("connect");
                    for _ in 0..10 {
                        let answer = connection.send("GET", "/api/auth/profile", Some(&token), None).expect("answer");
                        assert_eq!(answer.status, 200);
                    }
                }
            });
        }
    });
    assert!(!server.logs().contains("panicked"), "{}", server.logs());
}

#[test]
fn plain_http_and_stalled_handshakes_on_the_tls_port_are_dropped() {
    let ca = TestCa::new();
    let server = Server::start_tls(&ca, &ca.leaf(), "");
    assert!(crate::support::http::raw(&server.addr, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").is_none());
    // A handshake record declaring 64 KiB, a ClientHello cut short (the
    // server waits for the rest until the handshake deadline), noise.
    let mut noise = vec![0u8; 4096];
    let mut state = 0x2545_f491_u32;
    for byte in &mut noise {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        *byte = state as u8;
    }
    let cut_hello = [0x16, 0x03, 0x01, 0x00, 0x40, 0x01, 0x00, 0x00, 0x3c, 0x03, 0x03];
    let started = Instant::now();
    std::thread::scope(|scope| {
        for hostile in [&[0x16, 0x03, 0x03, 0xff, 0xff][..], &cut_hello, &noise] {
            scope.spawn(|| assert!(crate::support::http::raw(&server.addr, hostile).is_none()));
        }
    });
    assert!(started.elapsed() < Duration::from_secs(20), "the last was closed after {:?}", started.elapsed());
    assert_eq!(server.get("/api/config").send().status, 200, "the server still answers");
}

/// Writes `leaf` over the server's PEM files, in place.
fn install(server: &Server, leaf: &Leaf) {
    std::fs::write(server.dir.path().join("cert.pem"), &leaf.chain_pem).unwrap();
    std::fs::write(server.dir.path().join("key.pem"), &leaf.key_pem).unwrap();
}

/// Waits until new connections are handed `leaf`.
fn wait_until_presented(server: &Server, leaf: &Leaf, within: Duration) {
    let config = server.tls.as_ref().unwrap();
    let started = Instant::now();
    while presented_certificate(&server.addr, config).expect("handshake") != leaf.der {
        assert!(started.elapsed() < within, "still the old certificate after {within:?}: {}", server.logs());
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Waits until the log holds `needle` more than `seen` times.
fn wait_for_log(server: &Server, needle: &str, seen: usize) {
    let started = Instant::now();
    while server.logs().matches(needle).count() <= seen {
        assert!(started.elapsed() < Duration::from_secs(10), "no new {needle:?} in the log: {}", server.logs());
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn certificates_are_replaced_on_sighup_and_when_the_files_change() {
    let ca = TestCa::new();
    let first = ca.leaf();
    let server = Server::start_tls(&ca, &first, "");
    let config = server.tls.clone().unwrap();
    assert_eq!(presented_certificate(&server.addr, &config).unwrap(), first.der);
    let token = server.user("alice");
    let mut open = Connection::open_with(&server.addr, Some(&config)).expect("connect");
    assert_eq!(open.send("GET", "/api/auth/profile", Some(&token), None).unwrap().status, 200);

    let second = ca.leaf();
    install(&server, &second);
    // SAFETY: a signal to the child process this test started.
    assert_eq!(unsafe { libc::kill(server.child_id() as i32, libc::SIGHUP) }, 0);
    wait_for_log(&server, "event=tls_reloaded why=SIGHUP", 0);
    wait_until_presented(&server, &second, Duration::from_secs(5));
    let answer = open.send("GET", "/api/auth/profile", Some(&token), None).expect("an open connection goes on");
    assert_eq!(answer.status, 200);

    let third = ca.leaf();
    install(&server, &third);
    wait_until_presented(&server, &third, Duration::from_secs(10));
    assert!(server.logs().contains("event=tls_reloaded why=\"the files changed\""), "{}", server.logs());

    // Replacing two files is not atomic: a reload may already have failed
    // between them. Only a new failure counts.
    let failed_before = server.logs().matches("event=tls_reload_failed").count();
    std::fs::write(server.dir.path().join("key.pem"), "-----BEGIN PRIVATE KEY-----\nbroken\n").unwrap();
    wait_for_log(&server, "event=tls_reload_failed", failed_before);
    assert!(server.logs().contains("the previous certificate is kept"), "{}", server.logs());
    assert_eq!(presented_certificate(&server.addr, &config).unwrap(), third.der, "the old one is kept");
    assert!(!server.logs().contains("PRIVATE KEY"), "no key material in the log");
    assert_eq!(server.get("/api/config").send().status, 200);
}

#[test]
fn sighup_without_tls_is_harmless() {
    let server = Server::start();
    // SAFETY: a signal to the child process this test started.
    assert_eq!(unsafe { libc::kill(server.child_id() as i32, libc::SIGHUP) }, 0);
    wait_for_log(&server, "nothing to reload", 0);
    assert_eq!(server.get("/api/config").send().status, 200, "SIGHUP does not end the server");
}

#[test]
fn unusable_tls_settings_stop_start_up_with_one_line() {
    let ca = TestCa::new();
    let (leaf, other) = (ca.leaf(), ca.leaf());
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.display().to_string()
    };
    let (cert, key, other_key) =
        (write("cert.pem", &leaf.chain_pem), write("key.pem", &leaf.key_pem), write("other.pem", &other.key_pem));
    let garbage = write("garbage.pem", "not a certificate");
    let missing = dir.path().join("missing.pem").display().to_string();
    for (settings, needle) in [
        (format!("tls_cert = \"{cert}\""), "key `tls_cert`: is set, so tls_key"),
        (format!("tls_key = \"{key}\""), "key `tls_key`: is set, so tls_cert"),
        (format!("tls_cert = \"{missing}\"\ntls_key = \"{key}\""), "cannot read the TLS certificate"),
        (
            format!("tls_cert = \"{cert}\"\ntls_key = \"{other_key}\""),
            "the private key does not belong to the certificate",
        ),
        (format!("tls_cert = \"{garbage}\"\ntls_key = \"{key}\""), "holds no certificate"),
        (format!("tls_cert = \"{cert}\"\ntls_key = \"{garbage}\""), "holds no usable private key"),
        (format!("tls_cert = \"{cert}\"\ntls_key = \"{key}\"\npublic_url = \"http://fit.lan\""), "use https://fit.lan"),
    ] {
        let config = write("fittrackee.toml", &format!("listen = \"127.0.0.1:0\"\n{settings}\n"));
        let out = Command::new(BIN).args(["--config", &config]).current_dir(dir.path()).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{settings}: started");
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert!(err.contains(needle), "{settings}: {err}");
        assert!(!err.contains("PRIVATE KEY"), "{err}");
    }
    // A good certificate on a taken port: the port is what is wrong.
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap();
    let config =
        write("fittrackee.toml", &format!("listen = \"{port}\"\ntls_cert = \"{cert}\"\ntls_key = \"{key}\"\n"));
    let out = Command::new(BIN).args(["--config", &config]).current_dir(dir.path()).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && err.contains(&format!("cannot listen on {port}")), "{err}");
}
