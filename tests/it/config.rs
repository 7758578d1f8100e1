//! Start-up: the embedded default, configuration lookup and its errors.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use crate::support::BIN;

/// Starts the binary in `dir` with `args` and `envs`, returns the startup line.
fn startup_line(dir: &std::path::Path, args: &[&str], envs: &[(&str, &str)]) -> String {
    let mut child = Command::new(BIN)
        .args(args)
        .env_remove("FITTRACKEE_CONFIG")
        .envs(envs.iter().copied())
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    line
}

#[test]
fn without_configuration_it_creates_fittrackee_db_in_the_working_directory() {
    let dir = tempfile::tempdir().unwrap();
    // Port 0 so that tests never collide; everything else is the embedded default.
    let line = startup_line(dir.path(), &[], &[("FITTRACKEE_LISTEN", "127.0.0.1:0")]);
    assert!(line.contains("listening on http://127.0.0.1:"), "{line}");
    assert!(line.contains("database ./fittrackee.db"), "{line}");
    assert!(dir.path().join("fittrackee.db").exists());
}

#[test]
fn config_is_found_by_flag_before_or_after_the_command_by_env_or_in_the_working_directory() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("custom.toml"), "listen = \"127.0.0.1:0\"\ndatabase = \"flag.db\"\n").unwrap();
    std::fs::write(dir.path().join("fittrackee.toml"), "listen = \"127.0.0.1:0\"\ndatabase = \"local.db\"\n").unwrap();
    let before = startup_line(dir.path(), &["--config", "custom.toml", "serve"], &[]);
    let after = startup_line(dir.path(), &["serve", "--config", "custom.toml"], &[]);
    assert!(before.contains("database flag.db") && after.contains("database flag.db"), "{before}{after}");
    let env = startup_line(dir.path(), &[], &[("FITTRACKEE_CONFIG", "custom.toml")]);
    assert!(env.contains("database flag.db"), "{env}");
    let local = startup_line(dir.path(), &[], &[]);
    assert!(local.contains("database local.db") && local.contains("configuration ./fittrackee.toml"), "{local}");
    assert!(before.contains("configuration custom.toml"), "the start-up line names the file in use: {before}");
    let overridden = startup_line(dir.path(), &[], &[("FITTRACKEE_DATABASE", "env.db")]);
    assert!(overridden.contains("database env.db"), "{overridden}");
}

#[test]
fn a_bad_configuration_stops_start_up_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.toml");
    for (text, needle) in [
        ("lisen = \"127.0.0.1:0\"", "key `lisen`: unknown key"),
        ("listen = \"nowhere\"", "key `listen`"),
        ("workers = \"many\"", "key `workers`"),
        ("workers = 2\n[oauth]\ncode_lifetime = 0", "bad.toml, line 3, column 1: key `oauth.code_lifetime`"),
        ("this is not toml", "not valid TOML"),
    ] {
        std::fs::write(&file, text).unwrap();
        let out = Command::new(BIN).args(["--config", file.to_str().unwrap()]).output().unwrap();
        assert!(!out.status.success(), "{text}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert!(err.contains(needle) && err.contains("bad.toml"), "{text}: {err}");
    }
    let out = Command::new(BIN).args(["--config", "missing.toml"]).current_dir(dir.path()).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.toml"));
    std::fs::write(&file, "database = \"no/such/folder/f.db\"").unwrap();
    let out = Command::new(BIN).args(["--config", file.to_str().unwrap()]).current_dir(dir.path()).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("the database's folder no/such/folder does not exist"), "the folder is named as such: {err}");
}
