//! `/about` and `/privacy-policy`: what the administrator wrote, else what
//! this server does with a user's data, said plainly.

use maud::html;
use rouille::Response;

use super::{html_response, page};
use crate::http::{Ctx, HttpError};
use crate::store::app_config;

/// The policy when the administrator has written none: what this server
/// stores and where it goes.
const DEFAULT_POLICY: &[&str] = &[
    "This server keeps what you give it, in one database file on the machine it runs on: your account \
     (username, email, a hash of your password), your profile and preferences, your workouts with the \
     files you upload, your equipment, and the apps you allow.",
    "It sends nothing to anyone. Map tiles are fetched by this server from its tile server, so your \
     browser never contacts it; the tile server sees which areas are drawn, not who asked.",
    "What others see follows the visibilities you choose: by default only you see your workouts.",
    "You can download your workouts at any time and delete your account, which deletes everything in it.",
];

pub fn privacy_policy(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let config = app_config::get(&ctx.db)?;
    let updated = config.privacy_policy_date.map(crate::dates::http_date);
    let markup = html! {
        h1 { "Privacy policy" }
        @if let Some(policy) = &config.privacy_policy {
            @if let Some(date) = updated { p.muted { "Last updated: " (date) } }
            p.prose { (policy) }
        } @else {
            @for paragraph in DEFAULT_POLICY { p { (paragraph) } }
        }
        @if let Some(contact) = &config.admin_contact { p { "Questions: " a href={ "mailto:" (contact) } { (contact) } } }
    };
    Ok(html_response(200, page(ctx, "Privacy policy", markup)))
}

pub fn about(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let config = app_config::get(&ctx.db)?;
    let markup = html! {
        h1 { "About" }
        @if let Some(about) = &config.about { p.prose { (about) } }
        p {
            "A self-hosted workout tracker, compatible with FitTrackee's apps and API, version "
            (env!("CARGO_PKG_VERSION")) "."
        }
        @if let Some(contact) = &config.admin_contact { p { "Administrator: " a href={ "mailto:" (contact) } { (contact) } } }
        p { a href="/privacy-policy" { "Privacy policy" } }
    };
    Ok(html_response(200, page(ctx, "About", markup)))
}
