//! The consent page at `/profile/apps/authorize`: the URL third-party apps
//! send users to. The request is validated before anything else (a bad app
//! or redirect URI gets an error page, never a redirect), then the visitor
//! signs in if needed and comes back, then decides.

use maud::html;
use rouille::Response;

use super::apps::website;
use super::{csrf_field, html_response, page, see_other};
use crate::api::oauth::authorization_request;
use crate::http::{self, Ctx, Form, HttpError};
use crate::oauth::authorize::{self, Authorization, Refusal};
use crate::oauth::redirect_uri;

/// Checked before the visitor signs in (the route table says so): a bad app
/// or redirect URI is refused with an error page, a faulty request of a
/// known app goes back to it, whoever is asking.
pub fn check_request(ctx: &mut Ctx<'_>) -> Result<(), HttpError> {
    match authorize::validate(&ctx.db, &authorization_request(&http::query(ctx.req)))? {
        Ok(_) => Ok(()),
        Err(refusal) => Err(refusal_error(ctx, &refusal, 302)),
    }
}

pub fn show(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let authorization = match authorize::validate(&ctx.db, &authorization_request(&http::query(ctx.req)))? {
        Ok(authorization) => authorization,
        Err(refusal) => return Err(refusal_error(ctx, &refusal, 302)),
    };
    let user = ctx.caller.user()?.clone();
    let markup = consent_markup(ctx, &authorization, &user.username);
    Ok(html_response(200, page(ctx, "Authorize an app", markup)))
}

fn consent_markup(ctx: &Ctx<'_>, auth: &Authorization, username: &str) -> maud::Markup {
    let app = &auth.client;
    html! {
        h1 { "Authorize " (app.name) "?" }
        p {
            strong { (app.name) } " (" (website(&app.website)) "), registered by " strong { (auth.owner) }
            ", asks to reach your account " strong { (username) } "."
        }
        h2 { "It will be able to" }
        ul.scopes #granted {
            @for scope in &auth.scope {
                li { code { (scope.name()) } " — " (scope.description()) }
            }
        }
        @if !auth.not_granted.is_empty() {
            div.warning #not-granted {
                "Also requested, but not registered by this app, so " strong { "not granted" } ": "
                @for (i, name) in auth.not_granted.iter().enumerate() {
                    @if i > 0 { ", " }
                    code { (name) }
                }
            }
        }
        p { "Your answer sends you to " strong #redirect-host { (redirect_uri::host_of(&auth.redirect_uri)) } "." }
        form method="post" action="/profile/apps/authorize" {
            (csrf_field(ctx))
            input type="hidden" name="request" value=(ctx.req.raw_query_string());
            div.actions {
                button type="submit" id="authorize" name="decision" value="authorize" { "Authorize" }
                button.secondary type="submit" id="cancel" name="decision" value="cancel" { "Cancel" }
            }
        }
    }
}

/// The decision. The original request travels in a hidden field and is
/// validated again; the answer is a 303 to the app's redirect URI.
pub fn decide(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let request = authorization_request(&Form::urlencoded(ctx.form.text("request").unwrap_or("").as_bytes()));
    let authorization = match authorize::validate(&ctx.db, &request)? {
        Ok(authorization) => authorization,
        Err(refusal) => return Err(refusal_error(ctx, &refusal, 303)),
    };
    let issuer = ctx.public_url();
    if ctx.form.text("decision") != Some("authorize") {
        return Ok(see_other(&authorization.denied_url(&issuer)));
    }
    let user_id = ctx.caller.user()?.id;
    let code = authorization.issue_code(&mut ctx.db, user_id, ctx.now, ctx.app.config.oauth.code_lifetime)?;
    Ok(see_other(&authorization.success_url(&code, &issuer)))
}

/// Redirects a faulty request back to the app (`redirect` status), or
/// explains an untrusted one on an error page.
fn refusal_error(ctx: &Ctx<'_>, refusal: &Refusal, redirect: u16) -> HttpError {
    let (reason, registered, received) = match refusal {
        Refusal::Redirect(error) => {
            return HttpError::new(redirect, serde_json::Value::Null)
                .with_header("Location", error.url(&ctx.public_url()));
        }
        Refusal::Untrusted { reason, registered, received } => (reason, registered, received),
    };
    let markup = html! {
        h1 { "This app cannot be authorized" }
        p.error role="alert" { (reason) }
        @if !registered.is_empty() || received.is_some() {
            table #redirect-uris {
                tr {
                    th { "Registered redirect URIs" }
                    td { @for uri in registered { code { (uri) } br; } @if registered.is_empty() { "—" } }
                }
                tr { th { "Received redirect URI" } td { code { (received.as_deref().unwrap_or("(none)")) } } }
            }
        }
        p { "Nothing was sent to the app. If you develop it, register the exact redirect URI it sends (for loopback IP addresses any port matches)." }
    };
    HttpError::page(400, page(ctx, "Authorization error", markup).into_string())
}
