//! The profile page and its tab bar.

use maud::{Markup, html};
use rouille::Response;

use super::{html_response, page};
use crate::dates::http_date;
use crate::http::HttpError;
use crate::server::Ctx;
use crate::store;

#[derive(Clone, Copy, PartialEq)]
pub enum Tab {
    Profile,
    Apps,
}

pub fn tabs(active: Tab) -> Markup {
    let class = |tab: Tab| if tab == active { "tab active" } else { "tab" };
    html! {
        nav.tabs {
            a class=(class(Tab::Profile)) href="/profile" { "Profile" }
            a class=(class(Tab::Apps)) href="/profile/apps" { "Apps" }
        }
    }
}

pub fn show(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let auth = ctx.caller.user()?.clone();
    let user = store::users::by_id(&ctx.db, auth.id)?.ok_or_else(|| HttpError::redirect("/login"))?;
    let markup = page(
        "Profile",
        Some(&auth),
        html! {
            (tabs(Tab::Profile))
            h1 { (user.username) }
            dl.facts {
                dt { "Email" } dd { (user.email) }
                dt { "Role" } dd { (user.role.name()) }
                dt { "Member since" } dd { (http_date(user.created_at)) }
                dt { "Time zone" } dd { (user.prefs.timezone) }
                dt { "Language" } dd { (user.prefs.language) }
            }
        },
    );
    Ok(html_response(200, markup))
}
