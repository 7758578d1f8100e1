//! Sign in, register, sign out.

use maud::{Markup, html};
use rouille::Response;

use super::{csrf_field, html_response, page, see_other};
use crate::accounts::{self, RegisterError, Registration};
use crate::http::Ctx;
use crate::http::Via;
use crate::http::headers::return_path;
use crate::http::{self, HttpError};
use crate::store::sessions;

pub fn login_page(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let query = http::query(ctx.req);
    let from = query.text("from").unwrap_or("");
    if ctx.caller.user.is_some() {
        return Ok(see_other(return_path(Some(from))));
    }
    let notice = query.text("registered").map(|_| "Registration done: you can sign in.");
    Ok(html_response(200, login_markup(ctx, from, "", notice, None)))
}

/// When a throttled sign-in may be tried again, in words.
fn try_again(refused: &HttpError) -> String {
    let seconds: i64 = refused
        .headers
        .iter()
        .find(|(name, _)| *name == "Retry-After")
        .and_then(|(_, value)| value.parse().ok())
        .unwrap_or(60);
    let wait = match seconds {
        ..=59 => format!("{seconds} seconds"),
        60..=119 => "a minute".to_string(),
        _ => format!("{} minutes", (seconds + 59) / 60),
    };
    format!("Too many attempts: try again in {wait}.")
}

fn login_markup(ctx: &Ctx<'_>, from: &str, email: &str, notice: Option<&str>, error: Option<&str>) -> Markup {
    page(
        ctx,
        "Sign in",
        html! {
            h1 { "Sign in" }
            @if let Some(notice) = notice { p.notice { (notice) } }
            @if let Some(error) = error { p.error role="alert" { (error) } }
            form method="post" action="/login" {
                (csrf_field(ctx))
                input type="hidden" name="from" value=(from);
                label { "Email" input type="email" name="email" required autocomplete="username" value=(email); }
                label { "Password" input type="password" name="password" required autocomplete="current-password"; }
                button type="submit" { "Sign in" }
            }
            p { "No account yet? " a href={ "/register?from=" (urlencode(from)) } { "Register" } }
        },
    )
}

pub fn login(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let email = ctx.form.text("email").unwrap_or("").to_string();
    let password = ctx.form.text("password").unwrap_or("").to_string();
    let from = ctx.form.text("from").unwrap_or("").to_string();
    let attempt = match ctx.password_attempt(&email) {
        Ok(attempt) => attempt,
        Err(refused) => {
            // The form again, with the refusal's message and headers (Retry-After…).
            let page =
                html_response(refused.status, login_markup(ctx, &from, &email, None, Some(&try_again(&refused))));
            return Ok(refused
                .headers
                .into_iter()
                .fold(page, |page, (name, value)| page.with_additional_header(name, value)));
        }
    };
    let Some(user_id) = accounts::check_credentials(&ctx.db, &ctx.app.hasher, &email, &password)? else {
        attempt.failed();
        let wrong = "The email or the password is wrong: check both and try again.";
        return Ok(html_response(401, login_markup(ctx, &from, &email, None, Some(wrong))));
    };
    attempt.succeeded();
    ctx.remember_device(&email);
    // A new cookie value at sign-in: a planted cookie never becomes a session.
    let cookie = accounts::start_browser_session(&mut ctx.db, user_id, ctx.now)?;
    ctx.set_session_cookie(cookie);
    Ok(see_other(return_path(Some(&from))))
}

pub fn register_page(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let from = http::query(ctx.req).text("from").unwrap_or("").to_string();
    Ok(html_response(200, register_markup(ctx, &from, &Fields::default(), None)))
}

#[derive(Default)]
struct Fields {
    username: String,
    email: String,
}

fn register_markup(ctx: &Ctx<'_>, from: &str, fields: &Fields, error: Option<&str>) -> Markup {
    page(
        ctx,
        "Register",
        html! {
            h1 { "Create an account" }
            @if let Some(error) = error {
                ul.error role="alert" { @for line in error.lines() { li { (line) } } }
            }
            form method="post" action="/register" {
                (csrf_field(ctx))
                input type="hidden" name="from" value=(from);
                label { "Username" input name="username" required minlength="3" maxlength="30" pattern="[A-Za-z0-9_]+" value=(fields.username) autocomplete="username"; }
                label { "Email" input type="email" name="email" required value=(fields.email) autocomplete="email"; }
                label { "Password" input type="password" name="password" required minlength="8" autocomplete="new-password"; }
                label.check { input type="checkbox" name="accepted_policy" value="true" required; " I agree to the " a href="/privacy-policy" target="_blank" { "privacy policy" } }
                button type="submit" { "Register" }
            }
        },
    )
}

pub fn register(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let form = std::mem::take(&mut ctx.form);
    let text = |name| form.text(name).unwrap_or("");
    let fields = Fields { username: text("username").to_string(), email: text("email").to_string() };
    let registration = Registration {
        username: &fields.username,
        email: &fields.email,
        password: text("password"),
        accepted_policy: text("accepted_policy") == "true",
        language: None,
        timezone: None,
    };
    let from = text("from");
    match accounts::register(&mut ctx.db, &ctx.app.hasher, &registration, ctx.now) {
        Ok(()) => Ok(see_other(&format!("/login?registered=1&from={}", urlencode(from)))),
        Err(RegisterError::Store(e)) => Err(e.into()),
        Err(e) => {
            let status = if matches!(e, RegisterError::Disabled) { 403 } else { 400 };
            Ok(html_response(status, register_markup(ctx, from, &fields, Some(&e.to_string()))))
        }
    }
}

pub fn logout_page(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let markup = page(
        ctx,
        "Sign out",
        html! {
            h1 { "Sign out" }
            form method="post" action="/logout" {
                (csrf_field(ctx))
                button type="submit" { "Sign out of this browser" }
            }
        },
    );
    Ok(html_response(200, markup))
}

pub fn logout(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    if let Via::Browser { session_id } = ctx.caller.via {
        ctx.db.write(|tx| sessions::delete(tx, session_id))?;
    }
    ctx.set_session_cookie(crate::crypto::random_secret());
    Ok(super::done("/login", "signed-out"))
}

pub fn urlencode(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}
