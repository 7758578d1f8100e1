//! Server-rendered pages (maud, no JavaScript). User data is always
//! interpolated escaped (`(expr)`); nothing here uses `PreEscaped`.

pub mod apps;
pub mod auth;
pub mod consent;
pub mod profile;
pub mod svg;
pub mod workouts;

use maud::{DOCTYPE, Markup, html};
use rouille::Response;

use crate::accounts::user::AuthUser;
use crate::http::{Ctx, HttpError};

const STYLESHEET: &str = include_str!("../../static/style.css");

pub fn stylesheet(_ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    Ok(Response::from_data("text/css; charset=utf-8", STYLESHEET).with_public_cache(86_400))
}

/// `/` leads to the profile (or to the login page for visitors).
pub fn home(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    Ok(see_other(if ctx.caller.user.is_some() { "/profile" } else { "/login" }))
}

pub fn see_other(location: &str) -> Response {
    Response::redirect_303(location.to_string())
}

/// A whole page around `content`.
pub fn page(title: &str, user: Option<&AuthUser>, content: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · FitTrackee" }
                link rel="stylesheet" href="/static/style.css";
            }
            body {
                header.top {
                    a.brand href="/" { "FitTrackee" }
                    nav {
                        @if let Some(user) = user {
                            a href="/profile" { (user.username) }
                            a href="/logout" { "Sign out" }
                        } @else {
                            a href="/login" { "Sign in" }
                            a href="/register" { "Register" }
                        }
                    }
                }
                main { (content) }
            }
        }
    }
}

pub fn html_response(status: u16, markup: Markup) -> Response {
    Response::html(markup.into_string()).with_status_code(status)
}

/// The CSRF field every form carries.
pub fn csrf_field(ctx: &Ctx<'_>) -> Markup {
    html! { input type="hidden" name=(crate::http::CSRF_FIELD) value=(ctx.csrf_token()); }
}

/// Errors on pages: redirects pass through, the rest become a small page.
pub fn error_response(error: HttpError) -> Response {
    if error.is_redirect() {
        let mut response = Response::empty_204().with_status_code(error.status);
        for (name, value) in error.headers {
            response = response.with_additional_header(name, value);
        }
        return response;
    }
    if let Some(html) = error.page {
        return Response::html(html).with_status_code(error.status);
    }
    let message = error.text();
    let markup = page(
        "Error",
        None,
        html! {
            h1 { "Something went wrong" }
            p.error { (message) }
            p { a href="/" { "Back to FitTrackee" } }
        },
    );
    html_response(error.status, markup)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_data_is_escaped() {
        let markup = page("<t>", None, html! { p { ("<script>alert(1)</script>") } }).into_string();
        assert!(!markup.contains("<script>"));
        assert!(markup.contains("&lt;script&gt;"));
    }
}
