//! The command line: `users create`, `users update`, help and errors.

use crate::support::{BIN, Server};

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).to_string()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).to_string()
}

fn login_status(server: &Server, email: &str, password: &str) -> u16 {
    server.post("/api/auth/login").json(&serde_json::json!({"email": email, "password": password})).send().status
}

#[test]
fn users_create_with_a_password_or_a_generated_one() {
    let server = Server::start();
    let out = server.cli(&["users", "create", "sam", "--email", "sam@example.org", "--password", "sam password"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).trim(), "User 'sam' created.");
    assert_eq!(login_status(&server, "sam@example.org", "sam password"), 200);

    let out = server.cli(&["users", "create", "tia", "--email", "tia@example.org", "--role", "admin"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let printed = stdout(&out);
    let password = printed.lines().find_map(|l| l.strip_prefix("Password: ")).expect("a generated password");
    assert!(password.len() >= 16);
    let token = server.login_with("tia@example.org", password);
    assert_eq!(server.profile(&token)["role"], "admin");
}

#[test]
fn users_create_errors_are_one_line_and_non_zero() {
    let server = Server::start();
    server.register("uma");
    for args in [
        vec!["users", "create", "uma", "--email", "other@example.org"],
        vec!["users", "create", "vic", "--email", "uma@example.org"],
        vec!["users", "create", "x", "--email", "x@example.org"],
        vec!["users", "create", "wes", "--email", "not-an-email"],
        vec!["users", "create", "wes", "--email", "wes@example.org", "--password", "short"],
    ] {
        let out = server.cli(&args);
        assert!(!out.status.success(), "{args:?} succeeded");
        let err = stderr(&out);
        assert_eq!(err.trim().lines().count(), 1, "{args:?}: {err}");
    }
}

#[test]
fn argument_errors_name_the_argument_and_show_the_usage() {
    let server = Server::start();
    for (args, named) in [
        (
            vec!["users", "create", "wes", "--email", "wes@example.org", "--role", "emperor"],
            "invalid value 'emperor' for '--role <ROLE>'",
        ),
        (vec!["users", "create", "wes"], "--email <EMAIL>"),
        (vec!["oauth2", "clean", "--days", "-3"], "--days <DAYS>"),
        (vec!["backup", "/tmp/x", "--keep", "0"], "--keep <N>"),
        (vec!["frobnicate"], "unrecognized subcommand 'frobnicate'"),
    ] {
        let out = server.cli(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = stderr(&out);
        assert!(err.contains(named) && (err.contains("Usage:") || err.contains("try '--help'")), "{args:?}: {err}");
    }
    let out = server.cli(&["users", "create", "--help"]);
    assert!(stdout(&out).contains("[possible values: user, moderator, admin, owner]"), "{}", stdout(&out));
    assert!(stdout(&out).contains("3 to 30 letters, digits or underscores"), "help on every argument");
}

#[test]
fn users_are_listed_and_deleted_and_an_update_must_change_something() {
    let server = Server::start();
    server.register("zoe");
    server.register("abe");
    let listed = server.cli(&["users", "list"]);
    let text = stdout(&listed);
    assert!(text.lines().nth(1).unwrap().starts_with("abe ") && text.contains("zoe@example.org"), "{text}");
    let nothing = server.cli(&["users", "update", "zoe"]);
    assert!(!nothing.status.success() && stderr(&nothing).contains("nothing to change"), "{}", stderr(&nothing));
    let deleted = server.cli(&["users", "delete", "abe"]);
    assert!(deleted.status.success(), "{}", stderr(&deleted));
    assert!(!stdout(&server.cli(&["users", "list"])).contains("abe"));
    let missing = server.cli(&["users", "delete", "abe"]);
    assert!(stderr(&missing).contains("no user is called 'abe'"), "{}", stderr(&missing));
}

#[test]
fn users_update_changes_role_email_activation_and_password() {
    let server = Server::start();
    server.register("xena");
    let token = server.login("xena");
    let out = server.cli(&[
        "users",
        "update",
        "xena",
        "--set-role",
        "admin",
        "--update-email",
        "xena@new.example",
        "--activate",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let profile = server.profile(&token);
    assert_eq!((profile["role"].as_str(), profile["email"].as_str()), (Some("admin"), Some("xena@new.example")));

    let out = server.cli(&["users", "update", "xena", "--reset-password"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let password = stdout(&out).lines().find_map(|l| l.strip_prefix("New password: ").map(str::to_string)).unwrap();
    assert_eq!(login_status(&server, "xena@new.example", crate::support::PASSWORD), 401);
    assert_eq!(login_status(&server, "xena@new.example", &password), 200);
    assert_eq!(server.get("/api/auth/profile").bearer(&token).send().status, 401, "old sessions ended");

    let out = server.cli(&["users", "update", "nobody", "--activate"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("no user is called 'nobody'"));
}

#[test]
fn help_is_available_everywhere() {
    for args in [
        vec!["--help"],
        vec!["serve", "--help"],
        vec!["users", "--help"],
        vec!["users", "create", "--help"],
        vec!["users", "update", "--help"],
    ] {
        let out = std::process::Command::new(BIN).args(&args).output().unwrap();
        assert!(out.status.success(), "{args:?}");
        assert!(stdout(&out).contains("Usage:"), "{args:?}");
    }
}

#[test]
fn oauth2_clean_reports_counts_and_keeps_working_tokens() {
    let server = Server::start();
    let token = server.user("yul");
    let app = crate::oauth::app(&server, &token);
    let (access, _) = crate::oauth::tokens(&server, &token, &app, "profile:read");
    let expired_code = crate::oauth::code(&server, &token, &app, &[]);
    server.db().execute("UPDATE oauth_codes SET expires_at = 0 WHERE used_at IS NULL", []).unwrap();
    let out = server.cli(&["oauth2", "clean", "--days", "0"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "Expired deleted tokens: 0.\nExpired deleted codes: 1.\n");
    assert_eq!(crate::oauth::profile_status(&server, &access), 200);
    assert_eq!(crate::oauth::exchange(&server, &app, &expired_code, &[]).status, 400);
    server.db().execute("UPDATE oauth_tokens SET refresh_expires_at = 1, access_expires_at = 1", []).unwrap();
    let out = server.cli(&["oauth2", "clean", "--days", "1"]);
    assert!(stdout(&out).starts_with("Expired deleted tokens: 1."));
    let missing = server.cli(&["oauth2", "clean"]);
    assert!(!missing.status.success());
}
