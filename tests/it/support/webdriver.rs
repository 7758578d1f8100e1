//! A minimal W3C WebDriver client for Debian's chromedriver and Chromium.
//! Tests that use it are `#[ignore]`d (they need both installed); `.ci/run`
//! installs them and runs the ignored tests.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

pub struct WebDriver {
    driver: Child,
    session: String,
    agent: ureq2::Agent,
    _profile: tempfile::TempDir,
}

impl WebDriver {
    /// A headless Chromium session; a test that asks for one fails when
    /// the browser is not installed.
    pub fn start() -> WebDriver {
        let installed = std::path::Path::new(CHROMIUM).exists() && std::path::Path::new(CHROMEDRIVER).exists();
        assert!(installed, "Chromium and chromedriver are needed (apt-get install chromium chromium-driver)");
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let agent = ureq2::AgentBuilder::new().timeout(Duration::from_secs(60)).build();
        let base = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        while agent.get(&format!("{base}/status")).call().is_err() {
            assert!(started.elapsed() < Duration::from_secs(20), "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        let profile = tempfile::tempdir().unwrap();
        let args = [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            &format!("--user-data-dir={}", profile.path().display()),
        ];
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": CHROMIUM, "args": args},
        }}});
        let response: Value = agent
            .post(&format!("{base}/session"))
            .send_json(capabilities)
            .expect("a browser session")
            .into_json()
            .unwrap();
        let session = format!("{base}/session/{}", response["value"]["sessionId"].as_str().expect("session id"));
        WebDriver { driver, session, agent, _profile: profile }
    }

    fn try_call(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
        let request = self.agent.request(method, &format!("{}{path}", self.session));
        let response = match body {
            Some(body) => request.send_json(body),
            None => request.call(),
        };
        match response {
            Ok(response) => Ok(response.into_json::<Value>().map_err(|e| e.to_string())?["value"].clone()),
            Err(ureq2::Error::Status(code, response)) => {
                Err(format!("{code} {}", response.into_string().unwrap_or_default()))
            }
            Err(e) => Err(e.to_string()),
        }
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        self.try_call(method, path, body).unwrap_or_else(|e| panic!("WebDriver {method} {path}: {e}"))
    }

    pub fn goto(&self, url: &str) {
        self.call("POST", "/url", Some(json!({ "url": url })));
    }

    pub fn url(&self) -> String {
        self.call("GET", "/url", None).as_str().unwrap_or_default().to_string()
    }

    /// Waits (up to 10 s) until the current URL satisfies `arrived`.
    pub fn wait_for_url(&self, arrived: impl Fn(&str) -> bool) -> String {
        let started = Instant::now();
        loop {
            let url = self.url();
            if arrived(&url) {
                return url;
            }
            assert!(started.elapsed() < Duration::from_secs(10), "still at {url}: {}", self.source());
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn source(&self) -> String {
        self.call("GET", "/source", None).as_str().unwrap_or_default().to_string()
    }

    /// Waits (up to 10 s) for the element: a click may still be navigating.
    fn find(&self, css: &str) -> String {
        let started = Instant::now();
        loop {
            let found = self.try_call("POST", "/element", Some(json!({"using": "css selector", "value": css})));
            if let Some(id) = found.as_ref().ok().and_then(|v| v[ELEMENT].as_str()) {
                return id.to_string();
            }
            assert!(started.elapsed() < Duration::from_secs(10), "no element {css} in {}", self.source());
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn type_into(&self, css: &str, text: &str) {
        let element = self.find(css);
        self.call("POST", &format!("/element/{element}/value"), Some(json!({ "text": text })));
    }

    pub fn click(&self, css: &str) {
        let element = self.find(css);
        self.call("POST", &format!("/element/{element}/click"), Some(json!({})));
    }

    /// Runs `script` in the page; returns what it returns.
    pub fn execute(&self, script: &str) -> Value {
        self.call("POST", "/execute/sync", Some(json!({ "script": script, "args": [] })))
    }

    /// Waits (up to `seconds`) until `script` returns true.
    pub fn wait_until(&self, seconds: u64, script: &str) {
        let started = Instant::now();
        while self.execute(script) != json!(true) {
            assert!(started.elapsed() < Duration::from_secs(seconds), "never true: {script}\n{}", self.source());
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    pub fn window_size(&self, width: u32, height: u32) {
        self.call("POST", "/window/rect", Some(json!({ "width": width, "height": height })));
    }

    /// Saves a PNG of the viewport.
    pub fn screenshot(&self, path: &std::path::Path) {
        use base64::Engine;
        let data = self.call("GET", "/screenshot", None);
        let png = base64::engine::general_purpose::STANDARD.decode(data.as_str().unwrap_or_default()).unwrap();
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, png).unwrap();
    }

    pub fn text(&self, css: &str) -> String {
        let element = self.find(css);
        self.call("GET", &format!("/element/{element}/text"), None).as_str().unwrap_or_default().to_string()
    }
}

impl Drop for WebDriver {
    fn drop(&mut self) {
        let _ = self.agent.delete(&self.session).call();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
