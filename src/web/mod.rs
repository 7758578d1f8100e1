//! Server-rendered pages (maud, no JavaScript). User data is always
//! interpolated escaped (`(expr)`); nothing here uses `PreEscaped`.

pub mod about;
pub mod admin;
pub mod apps;
pub mod auth;
pub mod consent;
pub mod dashboard;
pub mod equipment;
pub mod me;
pub mod notices;
pub mod profile;
pub mod records;
pub mod settings;
pub mod statistics;
pub mod svg;
pub mod units;
pub mod workouts;

use maud::{DOCTYPE, Markup, html};
use rouille::Response;

use crate::accounts::user::{AuthUser, Role};
use crate::http::{self, Ctx, HttpError};

const STYLESHEET: &str = include_str!("../../static/style.css");

pub fn stylesheet(_ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    Ok(Response::from_data("text/css; charset=utf-8", STYLESHEET).with_public_cache(86_400))
}

/// `/`: the dashboard, or the sign-in page for visitors.
pub fn home(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    if ctx.caller.user.is_some() { dashboard::show(ctx) } else { Ok(see_other("/login")) }
}

pub fn see_other(location: &str) -> Response {
    Response::redirect_303(location.to_string())
}

/// `location` with a notice of what was just done (see `notices`).
pub fn done(location: &str, what: &str) -> Response {
    let joiner = if location.contains('?') { '&' } else { '?' };
    see_other(&format!("{location}{joiner}done={what}"))
}

/// Who the header is for: the signed-in user (with the token of the
/// sign-out form), else a visitor.
pub struct Header {
    user: Option<AuthUser>,
    csrf: String,
    path: String,
    notice: Option<&'static str>,
}

impl Header {
    pub fn of(ctx: &Ctx<'_>) -> Header {
        let path = ctx.req.url();
        let notice = http::query(ctx.req).text("done").and_then(notices::message);
        Header { user: ctx.caller.user.clone(), csrf: ctx.csrf_token(), path, notice }
    }

    pub fn visitor() -> Header {
        Header { user: None, csrf: String::new(), path: String::new(), notice: None }
    }
}

/// A whole page around `content`, for the caller of `ctx`.
pub fn page(ctx: &Ctx<'_>, title: &str, content: Markup) -> Markup {
    layout(&Header::of(ctx), title, content)
}

/// The sections of the header, for signed-in users.
const SECTIONS: &[(&str, &str)] = &[
    ("/", "Dashboard"),
    ("/workouts", "Workouts"),
    ("/statistics", "Statistics"),
    ("/records", "Records"),
    ("/equipment", "Equipment"),
    ("/profile", "Settings"),
];

fn nav_link(header: &Header, href: &str, label: &str) -> Markup {
    let current = if href == "/" { header.path == "/" } else { header.path.starts_with(href) };
    html! { a href=(href) aria-current=[current.then_some("page")] { (label) } }
}

pub fn layout(header: &Header, title: &str, content: Markup) -> Markup {
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
                    nav aria-label="Main" {
                        @if let Some(user) = &header.user {
                            @for (href, label) in SECTIONS { (nav_link(header, href, label)) }
                            @if user.role >= Role::Admin { (nav_link(header, "/admin", "Admin")) }
                            span.who { "Signed in as " strong { (user.username) } }
                            form.inline method="post" action="/logout" {
                                input type="hidden" name=(crate::http::CSRF_FIELD) value=(header.csrf);
                                button.link type="submit" { "Sign out" }
                            }
                        } @else {
                            a href="/login" { "Sign in" }
                            a href="/register" { "Register" }
                        }
                    }
                }
                main {
                    @if let Some(notice) = header.notice { p.notice role="status" { (notice) } }
                    (content)
                }
                footer {
                    a href="/about" { "About" } " · " a href="/privacy-policy" { "Privacy policy" }
                }
            }
        }
    }
}

pub fn html_response(status: u16, markup: Markup) -> Response {
    Response::html(markup.into_string()).with_status_code(status)
}

/// A sport's colour as a small disc (an SVG attribute: the CSP allows no
/// inline style).
pub fn dot(color: &str) -> Markup {
    html! {
        svg.dot width="10" height="10" viewBox="0 0 10 10" aria-hidden="true" { circle cx="5" cy="5" r="5" fill=(color) {} }
    }
}

/// "1 workout", "3 workouts".
pub fn plural(count: i64, noun: &str) -> String {
    if count == 1 { format!("1 {noun}") } else { format!("{count} {noun}s") }
}

/// The CSRF field every form carries.
pub fn csrf_field(ctx: &Ctx<'_>) -> Markup {
    html! { input type="hidden" name=(crate::http::CSRF_FIELD) value=(ctx.csrf_token()); }
}

/// Errors on pages: redirects pass through, the rest become a small page
/// with the header of whoever asked.
pub fn error_response(error: HttpError, header: &Header) -> Response {
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
    let heading = match error.status {
        404 => "Not found",
        403 => "Not allowed",
        429 => "Too many attempts",
        s if s >= 500 => "Something went wrong here",
        _ => "This cannot be done",
    };
    let markup = layout(
        header,
        heading,
        html! {
            h1 { (heading) }
            p.error { (message) }
            p { a href="/" { "Back to FitTrackee" } }
        },
    );
    html_response(error.status, markup)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// WCAG's relative luminance of `#rrggbb`.
    fn luminance(hex: &str) -> f64 {
        let channel = |i: usize| {
            let c = f64::from(u8::from_str_radix(&hex[1 + 2 * i..3 + 2 * i], 16).unwrap()) / 255.0;
            if c <= 0.03928 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
        };
        0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2)
    }

    fn contrast(a: &str, b: &str) -> f64 {
        let (x, y) = (luminance(a), luminance(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }

    /// The stylesheet's `--name: #rrggbb` colours.
    fn variable(name: &str) -> String {
        let start = STYLESHEET.find(&format!("--{name}: ")).unwrap() + name.len() + 4;
        STYLESHEET[start..start + 7].to_string()
    }

    #[test]
    fn text_and_pictures_pass_wcag_aa_contrast() {
        let v = |name: &str| variable(name);
        let (secondary, notice, warning, route) = ("#e4e7ec", "#e8f1fb", "#fdf3e1", "#eef2ec");
        let text = [
            (v("fg"), v("bg")),
            (v("fg"), v("card")),
            (v("muted"), v("bg")),
            (v("muted"), v("card")),
            (v("accent"), v("bg")),
            (v("accent"), v("card")),
            (v("danger"), v("bg")),
            (v("danger"), v("card")),
            ("#ffffff".into(), v("accent")),
            ("#ffffff".into(), v("danger")),
            (v("fg"), secondary.into()),
            (v("fg"), notice.into()),
            (v("accent"), notice.into()),
            (v("fg"), warning.into()),
        ];
        for (fg, bg) in &text {
            assert!(contrast(fg, bg) >= 4.5, "text {fg} on {bg}: {:.2}", contrast(fg, bg));
        }
        // Lines and bars: 3:1 against what they are drawn on.
        let charts = ["#4a6b3a", "#2c6fbb", "#b3261e", "#8e44ad", "#b9770e"];
        for colour in me::PALETTE.iter().chain(&charts) {
            assert!(
                contrast(colour, "#ffffff") >= 3.0,
                "graphic {colour} on white: {:.2}",
                contrast(colour, "#ffffff")
            );
        }
        for mark in ["#c0392b", "#1e8449", "#1d2530"] {
            assert!(contrast(mark, route) >= 3.0, "{mark} on the route's ground: {:.2}", contrast(mark, route));
        }
    }

    #[test]
    fn user_data_is_escaped() {
        let markup = layout(&Header::visitor(), "<t>", html! { p { ("<script>alert(1)</script>") } }).into_string();
        assert!(!markup.contains("<script>"));
        assert!(markup.contains("&lt;script&gt;"));
    }
}
