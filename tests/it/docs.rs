//! The commands of docs/connecting-an-app.md, run as they are written (the
//! `sh` blocks in order, in one shell) against a fresh server; and the
//! Raspberry Pi guide's copies of the units and settings, which must be
//! what we ship and what the server accepts.

use std::path::Path;

use crate::support::{PASSWORD, Server};

/// The `sh` blocks of a Markdown file, in order.
fn shell_blocks(markdown: &str) -> Vec<String> {
    blocks(markdown, "sh")
}

/// The fenced blocks of `language` in a Markdown file, in order.
fn blocks(markdown: &str, language: &str) -> Vec<String> {
    let fence = format!("```{language}");
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in markdown.lines() {
        match (&mut current, line.trim_start()) {
            (None, opening) if opening == fence => current = Some(String::new()),
            (Some(block), "```") => {
                blocks.push(std::mem::take(block));
                current = None;
            }
            (Some(block), _) => {
                block.push_str(line);
                block.push('\n');
            }
            (None, _) => {}
        }
    }
    blocks
}

#[test]
fn the_app_guide_runs_as_written() {
    let server = Server::start();
    server.register("alice");
    let guide =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/connecting-an-app.md")).unwrap();
    let blocks = shell_blocks(&guide);
    assert!(blocks.len() >= 7, "{} blocks", blocks.len());
    let script = format!("set -euo pipefail\n{}", blocks.join("\n"));
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(&script)
        .env("FT", format!("http://{}", server.addr))
        .env("EMAIL", "alice@example.org")
        .env("PASSWORD", PASSWORD)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{said}{}", String::from_utf8_lossy(&out.stderr));
    let lines: Vec<&str> = said.lines().collect();
    assert!(lines[0].contains("/profile/apps/authorize?response_type=code&client_id="), "{said}");
    assert_eq!(lines[1], "alice", "the profile through the app's token");
    assert!(lines[2].parse::<f64>().is_ok_and(|km| km > 0.1), "the uploaded workout's distance: {said}");
    assert_eq!(lines.last(), Some(&"401"), "revoked: {said}");
}

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

#[test]
fn the_pi_guide_shows_the_units_we_ship_and_settings_the_server_takes() {
    let guide = read("docs/raspberry-pi.md");
    let ini = blocks(&guide, "ini");
    for unit in ["fittrackee.service", "fittrackee-backup.service", "fittrackee-backup.timer"] {
        let shipped = read(&format!("dist/systemd/{unit}"));
        assert!(ini.contains(&shipped), "docs/raspberry-pi.md has no exact copy of dist/systemd/{unit}");
    }
    let settings = blocks(&guide, "toml");
    assert!(settings.iter().any(|s| s.contains("tls_cert")), "the HTTPS settings are shown");
    for text in settings {
        fittrackee::config::Config::from_toml(&text, "the guide").unwrap_or_else(|e| panic!("{e}\n{text}"));
    }
}
