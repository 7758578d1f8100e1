//! The commands of docs/connecting-an-app.md, run as they are written (the
//! `sh` blocks in order, in one shell) against a fresh server.

use std::path::Path;

use crate::support::{PASSWORD, Server};

/// The `sh` blocks of a Markdown file, in order.
fn shell_blocks(markdown: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in markdown.lines() {
        match (&mut current, line.trim_start()) {
            (None, "```sh") => current = Some(String::new()),
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
