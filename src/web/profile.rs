//! Settings › Profile, and the tab bar of the settings pages. Edits go
//! through the same functions as `POST /api/auth/profile/edit`.

use maud::{Markup, html};
use rouille::Response;

use super::{csrf_field, done, html_response, page};
use crate::accounts::profile::{check_profile, update_profile};
use crate::accounts::user::{ProfileFields, User};
use crate::http::{Ctx, Form, HttpError};
use crate::web::me::Me;

#[derive(Clone, Copy, PartialEq)]
pub enum Tab {
    Profile,
    Preferences,
    Sports,
    Account,
    Apps,
}

const TABS: [(Tab, &str, &str); 5] = [
    (Tab::Profile, "/profile", "Profile"),
    (Tab::Preferences, "/profile/preferences", "Preferences"),
    (Tab::Sports, "/profile/sports", "Sports"),
    (Tab::Account, "/profile/account", "Account"),
    (Tab::Apps, "/profile/apps", "Apps"),
];

pub fn tabs(active: Tab) -> Markup {
    html! {
        nav.tabs aria-label="Settings" {
            @for (tab, href, label) in TABS {
                a class=(if tab == active { "tab active" } else { "tab" }) href=(href) aria-current=[(tab == active).then_some("page")] { (label) }
            }
        }
    }
}

pub fn show(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let me = Me::load(ctx)?;
    let markup = profile_markup(ctx, &me.user, &me.user.profile, None);
    Ok(html_response(200, page(ctx, "Profile", markup)))
}

fn submitted(form: &Form) -> ProfileFields {
    let text = |key: &str| form.text(key).map(str::to_owned);
    ProfileFields {
        first_name: text("first_name"),
        last_name: text("last_name"),
        bio: text("bio"),
        location: text("location"),
        birth_date: text("birth_date"),
    }
}

fn profile_markup(ctx: &Ctx<'_>, user: &User, f: &ProfileFields, error: Option<&str>) -> Markup {
    let shown = |value: &Option<String>| value.clone().unwrap_or_default();
    html! {
        (tabs(Tab::Profile))
        h1 { (user.username) }
        @if let Some(error) = error { ul.error role="alert" { @for line in error.lines() { li { (line) } } } }
        dl.facts {
            dt { "Email" } dd { (user.email) }
            dt { "Role" } dd { (user.role.name()) }
            dt { "Member since" } dd { (crate::web::units::Reader::of(&user.prefs).date(user.created_at)) }
        }
        h2 { "Edit your profile" }
        form method="post" action="/profile" {
            (csrf_field(ctx))
            label { "First name" input name="first_name" maxlength="80" value=(shown(&f.first_name)); }
            label { "Last name" input name="last_name" maxlength="80" value=(shown(&f.last_name)); }
            label { "Location" input name="location" maxlength="80" value=(shown(&f.location)); }
            label { "Birth date" input type="date" name="birth_date" value=(shown(&f.birth_date)); }
            label { "Bio" textarea name="bio" maxlength="200" { (shown(&f.bio)) } }
            button type="submit" { "Save" }
        }
    }
}

pub fn save(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let me = Me::load(ctx)?;
    let fields = submitted(&ctx.form);
    match check_profile(fields.clone()) {
        Ok(valid) => {
            update_profile(&mut ctx.db, me.user.id, &valid)?;
            Ok(done("/profile", "saved"))
        }
        Err(problems) => {
            let markup = profile_markup(ctx, &me.user, &fields, Some(&problems.to_string()));
            Ok(html_response(400, page(ctx, "Profile", markup)))
        }
    }
}
