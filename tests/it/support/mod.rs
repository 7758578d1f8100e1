//! Test support: a real server process per test (ephemeral port, fresh
//! database file in a temporary directory) and a small HTTP/1.1 client that
//! writes exactly the bytes a test asks for.

#![allow(dead_code)]

pub mod browser;
pub mod http;
pub mod samples;
pub mod tiles;
pub mod tls;
pub mod web_client;
pub mod webdriver;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Output, Stdio};

pub use http::{Request, Response};
use serde_json::{Value, json};

pub const BIN: &str = env!("CARGO_BIN_EXE_fittrackee");
pub const PASSWORD: &str = "correct horse battery";

pub struct Server {
    pub addr: String,
    pub dir: tempfile::TempDir,
    database: PathBuf,
    child: Child,
    _stdout: BufReader<ChildStdout>,
    /// Set when the server serves TLS: requests go through it.
    pub tls: Option<std::sync::Arc<rustls::ClientConfig>>,
}

impl Server {
    pub fn start() -> Server {
        Server::start_with("")
    }

    /// Starts with extra TOML lines appended to the generated config file.
    pub fn start_with(extra_config: &str) -> Server {
        let dir = tempfile::tempdir().expect("temp dir");
        let database = dir.path().join("fittrackee.db");
        Server::start_in(dir, &database, extra_config)
    }

    /// Starts in `dir` (config file and log) with the database at `database`.
    pub fn start_in(dir: tempfile::TempDir, database: &Path, extra_config: &str) -> Server {
        let config = dir.path().join("fittrackee.toml");
        let shown = database.display();
        std::fs::write(&config, format!("listen = \"127.0.0.1:0\"\ndatabase = \"{shown}\"\n{extra_config}\n"))
            .expect("write config");
        let (child, stdout, addr) = spawn(dir.path());
        Server { addr, dir, database: database.to_path_buf(), child, _stdout: stdout, tls: None }
    }

    /// Starts serving TLS with `leaf` (written to `cert.pem` and `key.pem`
    /// in the server's directory); requests trust `ca` only.
    pub fn start_tls(ca: &tls::TestCa, leaf: &tls::Leaf, extra_config: &str) -> Server {
        let dir = tempfile::tempdir().expect("temp dir");
        let database = dir.path().join("fittrackee.db");
        let (cert, key) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
        std::fs::write(&cert, &leaf.chain_pem).expect("write cert.pem");
        std::fs::write(&key, &leaf.key_pem).expect("write key.pem");
        let files = format!("tls_cert = \"{}\"\ntls_key = \"{}\"\n", cert.display(), key.display());
        let mut server = Server::start_in(dir, &database, &format!("{files}{extra_config}"));
        server.tls = Some(ca.client());
        server
    }

    /// The server's process id (to signal it).
    pub fn child_id(&self) -> u32 {
        self.child.id()
    }

    /// Waits for the server to exit on its own (after a signal): its status.
    pub fn wait(&self) -> std::process::ExitStatus {
        let pid = self.child.id() as i32;
        let mut status = 0;
        // The child is reaped here, by pid: `Child::wait` needs `&mut` and
        // other threads still hold the server.
        let waited = unsafe { libc::waitpid(pid, &mut status, 0) };
        assert_eq!(waited, pid, "waitpid");
        std::os::unix::process::ExitStatusExt::from_raw(status)
    }

    /// Kills the process without warning (SIGKILL): no shutdown code runs.
    pub fn kill9(&mut self) {
        self.child.kill().expect("kill the server");
        self.child.wait().expect("reap the server");
    }

    /// Starts the binary again on the same configuration and database (on a new port).
    pub fn restart(&mut self) {
        let (child, stdout, addr) = spawn(self.dir.path());
        (self.child, self._stdout, self.addr) = (child, stdout, addr);
    }

    /// The server's resident memory and its peak so far, in KiB (Linux).
    pub fn memory_kib(&self) -> (u64, u64) {
        let status = read(Path::new(&format!("/proc/{}/status", self.child.id())));
        let field = |name: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|rest| rest.split_whitespace().next())
                .and_then(|kib| kib.parse().ok())
                .unwrap_or_else(|| panic!("no {name} in /proc status: {status}"))
        };
        (field("VmRSS:"), field("VmHWM:"))
    }

    pub fn url(&self, path: &str) -> String {
        let scheme = if self.tls.is_some() { "https" } else { "http" };
        format!("{scheme}://{}{path}", self.addr)
    }

    pub fn config_path(&self) -> PathBuf {
        self.dir.path().join("fittrackee.toml")
    }

    pub fn db_path(&self) -> PathBuf {
        self.database.clone()
    }

    /// A direct connection to the database file, to check what is stored.
    pub fn db(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(self.db_path()).expect("open the database")
    }

    /// Everything the server wrote to stderr (its request log) so far.
    pub fn logs(&self) -> String {
        read(&self.dir.path().join("server.log"))
    }

    /// The log with the lines of every request answered so far. Request
    /// lines are written in batches, in order, a few tens of milliseconds
    /// late: once a marker request's line is there, all before it are.
    pub fn flushed_logs(&self) -> String {
        let marker = format!("/log-marker-{}", crate::support::unique());
        self.get(&marker).send();
        let started = std::time::Instant::now();
        loop {
            let logs = self.logs();
            if logs.contains(&marker) {
                return logs;
            }
            assert!(started.elapsed() < std::time::Duration::from_secs(5), "the log never showed {marker}: {logs}");
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }

    /// Runs the binary's command line against this server's configuration.
    pub fn cli(&self, args: &[&str]) -> Output {
        Command::new(BIN)
            .arg("--config")
            .arg(self.config_path())
            .args(args)
            .current_dir(self.dir.path())
            .output()
            .expect("run the CLI")
    }

    pub fn get(&self, path: &str) -> Request {
        self.request("GET", path)
    }

    pub fn post(&self, path: &str) -> Request {
        self.request("POST", path)
    }

    pub fn patch(&self, path: &str) -> Request {
        self.request("PATCH", path)
    }

    pub fn delete(&self, path: &str) -> Request {
        self.request("DELETE", path)
    }

    pub fn request(&self, method: &str, path: &str) -> Request {
        Request::new(&self.addr, method, path).tls(self.tls.clone())
    }

    /// Registers `username` (email `<username>@example.org`) through the API.
    pub fn register(&self, username: &str) {
        let response = self
            .post("/api/auth/register")
            .json(&json!({
                "username": username,
                "email": format!("{username}@example.org"),
                "password": PASSWORD,
                "accepted_policy": true,
            }))
            .send();
        assert_eq!(response.status, 200, "register {username}: {}", response.text());
    }

    pub fn login(&self, username: &str) -> String {
        self.login_with(&format!("{username}@example.org"), PASSWORD)
    }

    pub fn login_with(&self, email: &str, password: &str) -> String {
        let response = self.post("/api/auth/login").json(&json!({ "email": email, "password": password })).send();
        assert_eq!(response.status, 200, "login {email}: {}", response.text());
        response.json()["auth_token"].as_str().expect("auth_token").to_string()
    }

    /// A registered, signed-in user: returns a first-party token.
    pub fn user(&self, username: &str) -> String {
        self.register(username);
        self.login(username)
    }

    /// Makes `username` an admin through the command line.
    pub fn make_admin(&self, username: &str) {
        let out = self.cli(&["users", "update", username, "--set-role", "admin"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }

    pub fn profile(&self, token: &str) -> Value {
        let response = self.get("/api/auth/profile").bearer(token).send();
        assert_eq!(response.status, 200, "{}", response.text());
        response.json()["data"].clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the binary on the config file in `dir`; returns the address it listens on.
fn spawn(dir: &Path) -> (Child, BufReader<ChildStdout>, String) {
    let log = std::fs::OpenOptions::new().create(true).append(true).open(dir.join("server.log")).expect("log file");
    let mut child = Command::new(BIN)
        .args(["--config", dir.join("fittrackee.toml").to_str().unwrap(), "serve"])
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(log)
        .spawn()
        .expect("start the server");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut line = String::new();
    stdout.read_line(&mut line).expect("read the startup line");
    let addr = line
        .split("listening on ")
        .nth(1)
        .and_then(|rest| rest.strip_prefix("http://").or_else(|| rest.strip_prefix("https://")))
        .and_then(|rest| rest.split(',').next())
        .unwrap_or_else(|| panic!("unexpected startup line: {line:?}; log: {}", read(&dir.join("server.log"))))
        .to_string();
    (child, stdout, addr)
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

/// True when `haystack` contains `needle` anywhere (bytes).
pub fn contains_bytes(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

/// Every file of the database (main file, WAL, shared memory), concatenated.
pub fn database_bytes(server: &Server) -> Vec<u8> {
    let mut bytes = Vec::new();
    for suffix in ["", "-wal", "-shm"] {
        let path = PathBuf::from(format!("{}{suffix}", server.db_path().display()));
        bytes.extend(std::fs::read(path).unwrap_or_default());
    }
    bytes
}

/// A number no other call in this test process returns.
pub fn unique() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// Whether `logs` has a line of `event` holding `fields` (`key=value …`).
pub fn logged(logs: &str, event: &str, fields: &str) -> bool {
    logs.lines().any(|l| l.starts_with("level=") && l.contains(&format!(" event={event} ")) && l.contains(fields))
}
