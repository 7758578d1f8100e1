//! The apps tab pages: register an app, see its secret once, revoke all
//! tokens and delete, each behind a confirmation.

use super::*;
use crate::support::Server;
use crate::support::browser::Browser;

fn create_through_the_form<'s>(server: &'s Server, username: &str) -> (Browser<'s>, String) {
    let mut browser = Browser::new(server);
    browser.sign_in(username);
    let form = browser.get("/profile/apps/new");
    assert_eq!(form.status, 200);
    let created = browser.post(
        "/profile/apps/new",
        &form,
        &[
            ("name", "Phone app"),
            ("website", "https://phone.example"),
            ("redirect_uris", "https://phone.example/cb\r\n\r\nhttp://127.0.0.1/cb\r\n"),
            ("scope", "profile:read"),
            ("scope", "media:write"),
            ("require_pkce", "true"),
        ],
    );
    assert_eq!(created.status, 200, "{}", created.text());
    (browser, created.text())
}

fn between<'t>(html: &'t str, start: &str, end: &str) -> &'t str {
    let from = html.find(start).unwrap() + start.len();
    &html[from..from + html[from..].find(end).unwrap()]
}

#[test]
fn registering_an_app_shows_its_secret_once() {
    let server = Server::start();
    server.register("apo");
    let (mut browser, html) = create_through_the_form(&server, "apo");
    assert!(html.contains("it will not be shown again"));
    let secret = between(&html, "id=\"client_secret\">", "<").to_string();
    let client_id = between(&html, "id=\"client_id\">", "<").to_string();
    let id: i64 = server.db().query_row("SELECT id FROM oauth_clients", [], |r| r.get(0)).unwrap();
    let page = browser.get(&format!("/profile/apps/{id}")).text();
    assert!(page.contains(&client_id) && !page.contains(&secret));
    assert!(page.contains("https://phone.example/cb") && page.contains("http://127.0.0.1/cb"));
    assert!(page.contains("required"), "PKCE switch");
    assert!(browser.get("/profile/apps").text().contains("Phone app"));
    // The secret works at the token endpoint.
    let token = server.login("apo");
    let app = App { id, client_id, secret };
    let code = code(&server, &token, &app, &[("code_challenge", CHALLENGE), ("code_challenge_method", "S256")]);
    let response = exchange(&server, &app, &code, &[("code_verifier", VERIFIER)]);
    assert_eq!(response.json()["scope"], "profile:read media:write");
}

#[test]
fn the_form_explains_what_is_wrong() {
    let server = Server::start();
    server.register("bra");
    let mut browser = Browser::new(&server);
    browser.sign_in("bra");
    let form = browser.get("/profile/apps/new");
    let no_scope =
        browser.post("/profile/apps/new", &form, &[("name", "X"), ("redirect_uris", "https://x.example/cb")]);
    assert_eq!(no_scope.status, 400);
    assert!(no_scope.text().contains("OAuth2 client invalid scopes"));
    let lan = browser.post(
        "/profile/apps/new",
        &form,
        &[("name", "X"), ("redirect_uris", "http://192.168.0.9/cb"), ("scope", "profile:read")],
    );
    assert_eq!(lan.status, 400);
    assert!(lan.text().contains("http://192.168.0.9/cb"), "names the refused URI");
    assert!(lan.text().contains("value=\"X\""), "keeps what was typed");
}

#[test]
fn revoke_all_and_delete_ask_for_confirmation() {
    let server = Server::start();
    server.register("cle");
    let (mut browser, _) = create_through_the_form(&server, "cle");
    let token = server.login("cle");
    let id: i64 = server.db().query_row("SELECT id FROM oauth_clients", [], |r| r.get(0)).unwrap();
    let api_app = super::app(&server, &token);
    let (access, _) = tokens(&server, &token, &api_app, "profile:read");

    let confirm = browser.get(&format!("/profile/apps/{}/revoke", api_app.id));
    assert_eq!(confirm.status, 200);
    assert!(confirm.text().contains("Revoke every token of Uploader?"));
    assert_eq!(profile_status(&server, &access), 200, "showing the question changes nothing");
    let done = browser.post(&format!("/profile/apps/{}/revoke", api_app.id), &confirm, &[]);
    assert_eq!(done.status, 303);
    assert_eq!(profile_status(&server, &access), 401);

    let confirm = browser.get(&format!("/profile/apps/{id}/delete"));
    assert!(confirm.text().contains("Delete Phone app?"));
    let deleted = browser.post(&format!("/profile/apps/{id}/delete"), &confirm, &[]);
    assert_eq!((deleted.status, deleted.header("Location")), (303, Some("/profile/apps?done=deleted")));
    assert_eq!(browser.get(&format!("/profile/apps/{id}")).status, 404);
}

#[test]
fn other_peoples_apps_are_not_found() {
    let server = Server::start();
    server.register("dor");
    server.register("eud");
    let (_owner, _) = create_through_the_form(&server, "dor");
    let id: i64 = server.db().query_row("SELECT id FROM oauth_clients", [], |r| r.get(0)).unwrap();
    let mut other = Browser::new(&server);
    other.sign_in("eud");
    for path in
        [format!("/profile/apps/{id}"), format!("/profile/apps/{id}/revoke"), format!("/profile/apps/{id}/delete")]
    {
        assert_eq!(other.get(&path).status, 404, "{path}");
    }
    let page = other.get("/logout");
    assert_eq!(other.post(&format!("/profile/apps/{id}/delete"), &page, &[]).status, 404);
    let count: i64 = server.db().query_row("SELECT count(*) FROM oauth_clients", [], |r| r.get(0)).unwrap();
    assert_eq!(count, 1);
}
