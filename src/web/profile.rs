//! The profile page and its tab bar. Edits go through the same functions as
//! `POST /api/auth/profile/edit` and `/edit/preferences`.

use maud::{Markup, html};
use rouille::Response;
use serde_json::{Map, Value, json};

use super::{csrf_field, html_response, page, see_other};
use crate::accounts::LANGUAGES;
use crate::accounts::profile::{apply_preferences, profile_fields, update_profile_and_preferences};
use crate::dates::http_date;
use crate::http::{self, HttpError};
use crate::server::Ctx;
use crate::store::users::{self, AuthUser, User};

#[derive(Clone, Copy, PartialEq)]
pub enum Tab {
    Profile,
    Workouts,
    Apps,
}

pub fn tabs(active: Tab) -> Markup {
    let class = |tab: Tab| if tab == active { "tab active" } else { "tab" };
    html! {
        nav.tabs {
            a class=(class(Tab::Profile)) href="/profile" { "Profile" }
            a class=(class(Tab::Workouts)) href="/profile/workouts" { "Workouts" }
            a class=(class(Tab::Apps)) href="/profile/apps" { "Apps" }
        }
    }
}

fn current_user(ctx: &Ctx<'_>) -> Result<(AuthUser, User), HttpError> {
    let auth = ctx.caller.user()?.clone();
    let user = users::by_id(&ctx.db, auth.id)?.ok_or_else(|| HttpError::redirect("/login"))?;
    Ok((auth, user))
}

pub fn show(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let (auth, user) = current_user(ctx)?;
    let saved = http::query(ctx.req).text("saved").is_some();
    Ok(html_response(200, page("Profile", Some(&auth), profile_markup(ctx, &user, &Map::new(), saved, None))))
}

/// The form's values: what was just submitted, else what is stored.
fn value<'v>(submitted: &'v Map<String, Value>, key: &str, stored: Option<&'v str>) -> &'v str {
    submitted.get(key).and_then(Value::as_str).or(stored).unwrap_or("")
}

fn profile_markup(
    ctx: &Ctx<'_>,
    user: &User,
    submitted: &Map<String, Value>,
    saved: bool,
    error: Option<&str>,
) -> Markup {
    let p = &user.prefs;
    let zone = value(submitted, "timezone", Some(&p.timezone));
    let language = value(submitted, "language", Some(&p.language));
    let imperial = submitted.get("imperial_units").and_then(Value::as_bool).unwrap_or(p.imperial_units);
    let field = |key: &str, stored: &Option<String>| value(submitted, key, stored.as_deref()).to_string();
    html! {
        (tabs(Tab::Profile))
        h1 { (user.username) }
        @if saved { p.notice { "Profile saved." } }
        @if let Some(error) = error { ul.error role="alert" { @for line in error.lines() { li { (line) } } } }
        dl.facts {
            dt { "Email" } dd { (user.email) }
            dt { "Role" } dd { (user.role.name()) }
            dt { "Member since" } dd { (http_date(user.created_at)) }
        }
        h2 { "Edit your profile" }
        form method="post" action="/profile" {
            (csrf_field(ctx))
            label { "First name" input name="first_name" maxlength="80" value=(field("first_name", &user.first_name)); }
            label { "Last name" input name="last_name" maxlength="80" value=(field("last_name", &user.last_name)); }
            label { "Location" input name="location" maxlength="80" value=(field("location", &user.location)); }
            label { "Birth date" input type="date" name="birth_date" value=(field("birth_date", &user.birth_date)); }
            label { "Bio" textarea name="bio" maxlength="200" { (field("bio", &user.bio)) } }
            label {
                "Time zone"
                select name="timezone" {
                    @for name in jiff::tz::db().available() {
                        option value=(name.as_str()) selected[name.as_str() == zone] { (name.as_str()) }
                    }
                }
            }
            label {
                "Language"
                select name="language" {
                    @for code in LANGUAGES { option value=(code) selected[*code == language] { (code) } }
                }
            }
            label.check {
                input type="checkbox" name="imperial_units" value="true" checked[imperial];
                span { "Imperial units (miles, feet)" }
            }
            button type="submit" { "Save" }
        }
    }
}

pub fn save(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let (auth, user) = current_user(ctx)?;
    let text = |key: &str| json!(ctx.form.text(key).unwrap_or(""));
    let submitted: Map<String, Value> = [
        ("first_name", text("first_name")),
        ("last_name", text("last_name")),
        ("location", text("location")),
        ("birth_date", text("birth_date")),
        ("bio", text("bio")),
        ("timezone", text("timezone")),
        ("language", text("language")),
        ("imperial_units", json!(ctx.form.text("imperial_units") == Some("true"))),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let checked =
        profile_fields(&submitted).and_then(|fields| Ok((fields, apply_preferences(&user.prefs, &submitted)?)));
    let (fields, preferences) = match checked {
        Ok(valid) => valid,
        Err(error) => {
            let markup = profile_markup(ctx, &user, &submitted, false, Some(&error));
            return Ok(html_response(400, page("Profile", Some(&auth), markup)));
        }
    };
    update_profile_and_preferences(&mut ctx.db, auth.id, &fields, &preferences)?;
    Ok(see_other("/profile?saved=1"))
}
