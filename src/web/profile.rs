//! The profile page and its tab bar. Edits go through the same functions as
//! `POST /api/auth/profile/edit` and `/edit/preferences`.

use maud::{Markup, html};
use rouille::Response;

use super::{csrf_field, html_response, page, see_other};
use crate::accounts::profile::{PreferencesChange, apply_preferences, check_profile, update_profile_and_preferences};
use crate::accounts::rules::LANGUAGES;
use crate::accounts::user::{AuthUser, ProfileFields, User};
use crate::dates::http_date;
use crate::http::{self, Ctx, Form, HttpError};
use crate::store::users;

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

fn current_user(ctx: &Ctx<'_>) -> Result<(AuthUser, User), HttpError> {
    let auth = ctx.caller.user()?.clone();
    let user = users::by_id(&ctx.db, auth.id)?.ok_or_else(|| HttpError::redirect("/login"))?;
    Ok((auth, user))
}

pub fn show(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let (_, user) = current_user(ctx)?;
    let saved = http::query(ctx.req).text("saved").is_some();
    let form = ProfileForm::stored(&user);
    Ok(html_response(200, page(ctx, "Profile", profile_markup(ctx, &user, &form, saved, None))))
}

/// What the form shows: what was just submitted, else what is stored.
struct ProfileForm {
    fields: ProfileFields,
    timezone: String,
    language: String,
    imperial_units: bool,
}

impl ProfileForm {
    fn stored(user: &User) -> ProfileForm {
        ProfileForm {
            fields: user.profile.clone(),
            timezone: user.prefs.timezone.clone(),
            language: user.prefs.language.clone(),
            imperial_units: user.prefs.imperial_units,
        }
    }

    fn submitted(form: &Form) -> ProfileForm {
        let text = |key: &str| form.text(key).map(str::to_owned);
        ProfileForm {
            fields: ProfileFields {
                first_name: text("first_name"),
                last_name: text("last_name"),
                bio: text("bio"),
                location: text("location"),
                birth_date: text("birth_date"),
            },
            timezone: text("timezone").unwrap_or_default(),
            language: text("language").unwrap_or_default(),
            imperial_units: form.text("imperial_units") == Some("true"),
        }
    }

    fn preferences_change(&self) -> PreferencesChange {
        PreferencesChange {
            timezone: Some(self.timezone.clone()),
            language: Some(self.language.clone()),
            imperial_units: Some(self.imperial_units),
            ..PreferencesChange::default()
        }
    }
}

fn profile_markup(ctx: &Ctx<'_>, user: &User, form: &ProfileForm, saved: bool, error: Option<&str>) -> Markup {
    let shown = |value: &Option<String>| value.clone().unwrap_or_default();
    let f = &form.fields;
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
            label { "First name" input name="first_name" maxlength="80" value=(shown(&f.first_name)); }
            label { "Last name" input name="last_name" maxlength="80" value=(shown(&f.last_name)); }
            label { "Location" input name="location" maxlength="80" value=(shown(&f.location)); }
            label { "Birth date" input type="date" name="birth_date" value=(shown(&f.birth_date)); }
            label { "Bio" textarea name="bio" maxlength="200" { (shown(&f.bio)) } }
            label {
                "Time zone"
                select name="timezone" {
                    @for name in jiff::tz::db().available() {
                        option value=(name.as_str()) selected[name.as_str() == form.timezone] { (name.as_str()) }
                    }
                }
            }
            label {
                "Language"
                select name="language" {
                    @for (code, native) in LANGUAGES { option value=(code) selected[*code == form.language] { (native) } }
                }
            }
            label.check {
                input type="checkbox" name="imperial_units" value="true" checked[form.imperial_units];
                span { "Imperial units (miles, feet)" }
            }
            button type="submit" { "Save" }
        }
    }
}

pub fn save(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let (auth, user) = current_user(ctx)?;
    let form = ProfileForm::submitted(&ctx.form);
    let checked = check_profile(form.fields.clone()).map_err(|problems| problems.to_string()).and_then(|fields| {
        let preferences = apply_preferences(&user.prefs, &form.preferences_change()).map_err(|e| e.to_string())?;
        Ok((fields, preferences))
    });
    let (fields, preferences) = match checked {
        Ok(valid) => valid,
        Err(error) => {
            let markup = profile_markup(ctx, &user, &form, false, Some(&error));
            return Ok(html_response(400, page(ctx, "Profile", markup)));
        }
    };
    update_profile_and_preferences(&mut ctx.db, auth.id, &fields, &preferences)?;
    Ok(see_other("/profile?saved=1"))
}
