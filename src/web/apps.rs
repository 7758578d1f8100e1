//! The apps tab: apps I registered (create, show the secret once, revoke
//! all tokens, delete) and apps I authorized (revoke a grant).

use maud::{Markup, html};
use rouille::Response;

use super::profile::{Tab, tabs};
use super::{csrf_field, html_response, page, see_other};
use crate::api::oauth::registration_error;
use crate::dates::http_date;
use crate::http::Ctx;
use crate::http::{self, HttpError};
use crate::oauth::clients::{self, NewApp};
use crate::oauth::model::Client;
use crate::oauth::scopes::{self, Scope};
use crate::store::oauth as store;

fn scope_list(scope: &str) -> Markup {
    html! {
        ul.scopes {
            @for scope in scopes::parse_list(scope) {
                li { code { (scope.name()) } " — " (scope.description()) }
            }
        }
    }
}

/// A link for http(s) websites; anything else is shown as text.
pub fn website(url: &str) -> Markup {
    html! {
        @if url.starts_with("https://") || url.starts_with("http://") {
            a href=(url) rel="noopener noreferrer" { (url) }
        } @else {
            (url)
        }
    }
}

pub fn list(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let user = ctx.caller.user()?.clone();
    let apps = store::clients_of_user(&ctx.db, user.id, 100, 0)?;
    let grants = store::live_grants_of_user(&ctx.db, user.id, ctx.now)?;
    let notice = http::query(ctx.req).text("done").map(|what| match what {
        "deleted" => "The app was deleted, with all its tokens.",
        _ => "Access revoked.",
    });
    let markup = html! {
        (tabs(Tab::Apps))
        @if let Some(notice) = notice { p.notice { (notice) } }
        h1 { "Your apps" }
        p { "Register an app to let it reach FitTrackee accounts through OAuth. You get its client id and secret once." }
        p { a.button href="/profile/apps/new" { "Register an app" } }
        @if apps.is_empty() {
            p { "You have not registered any app." }
        } @else {
            table {
                thead { tr { th { "Name" } th { "Client id" } th { "Registered" } } }
                tbody {
                    @for app in &apps {
                        tr {
                            td { a href={ "/profile/apps/" (app.id) } { (app.name) } }
                            td { code { (app.client_id) } }
                            td { (http_date(app.issued_at)) }
                        }
                    }
                }
            }
        }
        h2 { "Apps you have authorized" }
        @if grants.is_empty() {
            p { "No app can reach your account." }
        }
        @for grant in &grants {
            div.card {
                strong { (grant.app_name) }
                " · " (website(&grant.app_website)) " · registered by " (grant.owner)
                (scope_list(&grant.scope))
                p {
                    "Authorized " (http_date(grant.created_at)) ". Last used: "
                    @match grant.last_used_at { Some(at) => (http_date(at)), None => "never" }
                    "."
                }
                form.inline method="post" action={ "/profile/apps/grants/" (grant.id) "/revoke" } {
                    (csrf_field(ctx))
                    button.danger type="submit" { "Revoke access" }
                }
            }
        }
    };
    Ok(html_response(200, page(ctx, "Apps", markup)))
}

#[derive(Default)]
struct Draft {
    name: String,
    description: String,
    website: String,
    redirect_uris: String,
    scopes: Vec<String>,
    require_pkce: bool,
}

fn form(ctx: &Ctx<'_>, draft: &Draft, error: Option<&str>) -> Markup {
    let scope_box = |scope: Scope| {
        html! {
            label.check {
                input type="checkbox" name="scope" value=(scope.name()) checked[draft.scopes.iter().any(|s| s == scope.name())];
                span { code { (scope.name()) } " — " (scope.description()) }
            }
        }
    };
    html! {
        h1 { "Register an app" }
        @if let Some(error) = error { p.error role="alert" { (error) } }
        form method="post" action="/profile/apps/new" {
            (csrf_field(ctx))
            label { "Name" input id="name" name="name" required maxlength="255" value=(draft.name); }
            label { "Description" textarea id="description" name="description" { (draft.description) } }
            label { "Website" input id="website" name="website" type="url" placeholder="https://" value=(draft.website); }
            label {
                "Redirect URIs (one per line)"
                textarea id="redirect_uris" name="redirect_uris" required placeholder="https://app.example/callback" { (draft.redirect_uris) }
            }
            fieldset {
                legend { "Scopes: what the app may ask for" }
                @for &scope in Scope::CORE { (scope_box(scope)) }
                details {
                    summary { "Scopes of newer FitTrackee versions (accepted, grant nothing here)" }
                    @for &scope in Scope::ALL.iter().filter(|s| !s.is_core()) { (scope_box(scope)) }
                }
            }
            label.check {
                input type="checkbox" id="require_pkce" name="require_pkce" value="true" checked[draft.require_pkce];
                span { "Require PKCE (recommended when the app supports it)" }
            }
            div.actions {
                button type="submit" id="create" { "Register" }
                a href="/profile/apps" { "Cancel" }
            }
        }
    }
}

pub fn new_form(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    Ok(html_response(200, page(ctx, "Register an app", form(ctx, &Draft::default(), None))))
}

pub fn create(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let user = ctx.caller.user()?.clone();
    let text = |name: &str| ctx.form.text(name).unwrap_or("").trim().to_string();
    let draft = Draft {
        name: text("name"),
        description: text("description"),
        website: text("website"),
        redirect_uris: text("redirect_uris"),
        scopes: ctx
            .form
            .parts
            .iter()
            .filter(|p| p.name == "scope")
            .map(|p| String::from_utf8_lossy(&p.data).into_owned())
            .collect(),
        require_pkce: ctx.form.text("require_pkce") == Some("true"),
    };
    let uris: Vec<String> =
        draft.redirect_uris.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect();
    let scope = draft.scopes.join(" ");
    let app = NewApp {
        name: &draft.name,
        description: Some(draft.description.as_str()),
        website: &draft.website,
        redirect_uris: &uris,
        scope: &scope,
        require_pkce: draft.require_pkce,
    };
    let allow_http = ctx.app.config.oauth.allow_http_redirect_uris;
    let registered = match clients::register(&mut ctx.db, user.id, &app, allow_http, ctx.now)? {
        Ok(registered) => registered,
        Err(e) => {
            let message = registration_error(e).text();
            return Ok(html_response(400, page(ctx, "Register an app", form(ctx, &draft, Some(&message)))));
        }
    };
    let client = &registered.client;
    let example = format!(
        "{}/profile/apps/authorize?response_type=code&client_id={}&scope={}",
        ctx.public_url(),
        client.client_id,
        form_urlencoded::byte_serialize(client.scope.as_bytes()).collect::<String>()
    );
    let markup = html! {
        (tabs(Tab::Apps))
        h1 { "App registered" }
        p.warning { strong { "Copy the secret now: it will not be shown again." } " Only a hash of it is stored." }
        dl.facts {
            dt { "Client id" } dd { code id="client_id" { (client.client_id) } }
            dt { "Client secret" } dd { div.secret id="client_secret" { (registered.secret) } }
            dt { "Authorization URL" } dd { code { (example) } }
            dt { "Token URL" } dd { code { (ctx.public_url()) "/api/oauth/token" } }
        }
        p { a href={ "/profile/apps/" (client.id) } { "Go to the app" } }
    };
    Ok(html_response(200, page(ctx, "App registered", markup)))
}

fn own_app(ctx: &Ctx<'_>) -> Result<Client, HttpError> {
    let user_id = ctx.caller.user()?.id;
    store::client_by_id(&ctx.db, ctx.int_param(0))?
        .filter(|c| c.user_id == user_id)
        .ok_or_else(|| HttpError::not_found("This app does not exist or is not yours."))
}

pub fn show(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let app = own_app(ctx)?;
    let revoked = http::query(ctx.req).text("done") == Some("revoked");
    let markup = html! {
        (tabs(Tab::Apps))
        @if revoked { p.notice { "Every token of this app was revoked." } }
        h1 { (app.name) }
        @if let Some(description) = &app.description { p { (description) } }
        dl.facts {
            dt { "Id" } dd { (app.id) }
            dt { "Client id" } dd { code { (app.client_id) } }
            dt { "Website" } dd { (website(&app.website)) }
            dt { "Redirect URIs" } dd { ul { @for uri in &app.redirect_uris { li { code { (uri) } } } } }
            dt { "Scopes" } dd { (scope_list(&app.scope)) }
            dt { "PKCE" } dd { @if app.require_pkce { "required" } @else { "optional" } }
            dt { "Registered" } dd { (http_date(app.issued_at)) }
        }
        div.actions {
            a.button.secondary href={ "/profile/apps/" (app.id) "/revoke" } { "Revoke all tokens" }
            a.button.secondary href={ "/profile/apps/" (app.id) "/delete" } { "Delete" }
        }
    };
    Ok(html_response(200, page(ctx, &app.name, markup)))
}

fn confirm(ctx: &Ctx<'_>, app: &Client, action: &str, question: &str, button: &str) -> Result<Response, HttpError> {
    let markup = html! {
        h1 { (question) }
        form method="post" action={ "/profile/apps/" (app.id) "/" (action) } {
            (csrf_field(ctx))
            div.actions {
                button.danger type="submit" id="confirm" { (button) }
                a href={ "/profile/apps/" (app.id) } { "Cancel" }
            }
        }
    };
    Ok(html_response(200, page(ctx, question, markup)))
}

pub fn confirm_revoke(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let app = own_app(ctx)?;
    let question =
        format!("Revoke every token of {}? Every user of the app will have to authorize it again.", app.name);
    confirm(ctx, &app, "revoke", &question, "Revoke all tokens")
}

pub fn revoke(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let app = own_app(ctx)?;
    let now = ctx.now;
    ctx.db.write(|tx| store::revoke_client_grants(tx, app.id, now))?;
    Ok(see_other(&format!("/profile/apps/{}?done=revoked", app.id)))
}

pub fn confirm_delete(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let app = own_app(ctx)?;
    let question = format!("Delete {}? Its client id stops working and every token of it is revoked.", app.name);
    confirm(ctx, &app, "delete", &question, "Delete the app")
}

pub fn delete(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let app = own_app(ctx)?;
    ctx.db.write(|tx| store::delete_client(tx, app.id))?;
    Ok(see_other("/profile/apps?done=deleted"))
}

/// Ends one of my grants (an app I authorized).
pub fn revoke_grant(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let (grant_id, user_id, now) = (ctx.int_param(0), ctx.caller.user()?.id, ctx.now);
    if !ctx.db.write(|tx| store::revoke_user_grant(tx, grant_id, user_id, now))? {
        return Err(HttpError::not_found("This authorization does not exist or is not yours."));
    }
    Ok(see_other("/profile/apps?done=revoked"))
}
