//! Settings › Preferences, Sports and Account: the same rules as the
//! API's `/api/auth/profile/edit/preferences`, `/edit/sports`,
//! `/edit/account` and `DELETE /api/users/<username>`.

use maud::html;
use rouille::Response;

use super::me::Me;
use super::profile::{Tab, tabs};
use super::units::DATE_FORMATS;
use super::workouts::edit::visibility_select;
use super::{csrf_field, done, html_response, page, see_other};
use crate::accounts::admin::delete_user;
use crate::accounts::profile::{
    AccountChange, PreferencesChange, apply_preferences, change_account, update_preferences,
};
use crate::accounts::rules::LANGUAGES;
use crate::http::{Ctx, HttpError, Via};
use crate::sports::{SpeedDisplay, SportChange, apply_change};
use crate::store::sports as stored_sports;
use crate::visibility::Visibility;

pub fn preferences(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let me = Me::load(ctx)?;
    render_preferences(ctx, &me, None, 200)
}

fn render_preferences(ctx: &Ctx<'_>, me: &Me, error: Option<&str>, status: u16) -> Result<Response, HttpError> {
    let p = &me.user.prefs;
    let markup = html! {
        (tabs(Tab::Preferences))
        h1 { "Preferences" }
        @if let Some(error) = error { p.error role="alert" { (error) } }
        form method="post" action="/profile/preferences" {
            (csrf_field(ctx))
            fieldset {
                legend { "Units" }
                label.check { input type="radio" name="imperial_units" value="false" checked[!p.imperial_units]; span { "Metric (km, m)" } }
                label.check { input type="radio" name="imperial_units" value="true" checked[p.imperial_units]; span { "Imperial (miles, feet)" } }
            }
            label { "Time zone" select name="timezone" {
                @for name in jiff::tz::db().available() {
                    option value=(name.as_str()) selected[name.as_str() == p.timezone] { (name.as_str()) }
                }
            } }
            label { "Date format" select name="date_format" {
                @for (name, _) in DATE_FORMATS {
                    option value=(name) selected[*name == p.date_format] { (example(name)) }
                }
            } }
            fieldset {
                legend { "First day of the week" }
                label.check { input type="radio" name="weekm" value="false" checked[!p.weekm]; span { "Sunday" } }
                label.check { input type="radio" name="weekm" value="true" checked[p.weekm]; span { "Monday" } }
            }
            label { "Language (for apps; these pages are in English)" select name="language" {
                @for (code, native) in LANGUAGES { option value=(code) lang=(code.replace('_', "-")) selected[*code == p.language] { (native) } }
            } }
            h2 { "Who sees new workouts" }
            (visibility_select("workouts_visibility", "The workout", p.workouts_visibility))
            (visibility_select("analysis_visibility", "Its analysis (charts, segments)", p.analysis_visibility))
            (visibility_select("map_visibility", "Its map", p.map_visibility))
            (visibility_select("hr_visibility", "Your heart rate", p.hr_visibility))
            button type="submit" { "Save" }
        }
    };
    Ok(html_response(status, page(ctx, "Preferences", markup)))
}

/// A date format as it looks: 2024-05-01 written in it.
fn example(format: &str) -> String {
    let pattern = DATE_FORMATS.iter().find(|(name, _)| *name == format).map_or("%Y-%m-%d", |f| f.1);
    jiff::civil::date(2024, 5, 31).strftime(pattern).to_string()
}

pub fn save_preferences(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let me = Me::load(ctx)?;
    let form = &ctx.form;
    let text = |key: &str| form.text(key).map(str::to_owned);
    let flag = |key: &str| form.text(key).map(|v| v == "true");
    let visibility = |key: &str| form.text(key).and_then(Visibility::parse);
    let change = PreferencesChange {
        timezone: text("timezone"),
        language: text("language"),
        date_format: text("date_format"),
        weekm: flag("weekm"),
        imperial_units: flag("imperial_units"),
        workouts_visibility: visibility("workouts_visibility"),
        analysis_visibility: visibility("analysis_visibility"),
        map_visibility: visibility("map_visibility"),
        hr_visibility: visibility("hr_visibility"),
        ..PreferencesChange::default()
    };
    match apply_preferences(&me.user.prefs, &change) {
        Ok(preferences) => {
            update_preferences(&mut ctx.db, me.user.id, &preferences)?;
            Ok(done("/profile/preferences", "saved"))
        }
        Err(e) => render_preferences(ctx, &me, Some(&format!("{}: choose one of the values offered.", e.0)), 400),
    }
}

pub fn sports(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let me = Me::load(ctx)?;
    render_sports(ctx, &me, None, 200)
}

fn render_sports(ctx: &Ctx<'_>, me: &Me, error: Option<&str>, status: u16) -> Result<Response, HttpError> {
    let mut all: Vec<_> = me.sports.values().filter(|s| s.sport.is_active).collect();
    all.sort_by(|a, b| a.sport.label.cmp(&b.sport.label));
    let unit = me.reader.distance_unit();
    let markup = html! {
        (tabs(Tab::Sports))
        h1 { "Sports" }
        p.muted { "Below its pause speed (the stopped-speed threshold), time counts as a pause. Each sport is saved on its own." }
        @if let Some(error) = error { p.error role="alert" { (error) } }
        div.cards {
            @for s in all {
                form.card.sport method="post" action="/profile/sports" aria-label=(s.sport.label) {
                    (csrf_field(ctx))
                    input type="hidden" name="sport_id" value=(s.sport.id);
                    h2 { (s.sport.label) }
                    label.check { input type="checkbox" name="is_active" value="true" checked[s.prefs.is_active]; span { "Offered in my forms" } }
                    label { "Colour" input type="color" name="color" value=(me.sport_color(s.sport.id)); }
                    label { "Pause below (km/h)" input type="number" name="stopped_speed_threshold" step="0.1" min="0.1" value=(s.prefs.stopped_speed_threshold); }
                    @if s.sport.info().pace {
                        label { "Show" select name="pace_speed_display" {
                            @for (d, words) in [(SpeedDisplay::Pace, format!("pace (min/{unit})")), (SpeedDisplay::Speed, format!("speed ({unit}/h)")), (SpeedDisplay::PaceAndSpeed, "both".to_string())] {
                                option value=(d.name()) selected[d == s.prefs.pace_speed_display] { (words) }
                            }
                        } }
                    }
                    button type="submit" { "Save " (s.sport.label) }
                }
            }
        }
    };
    Ok(html_response(status, page(ctx, "Sports", markup)))
}

pub fn save_sport(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let me = Me::load(ctx)?;
    let form = &ctx.form;
    let sport_id: i64 = form.text("sport_id").and_then(|s| s.parse().ok()).unwrap_or(0);
    let Some(current) = me.sports.get(&sport_id) else {
        return render_sports(ctx, &me, Some("There is no such sport."), 400);
    };
    let threshold = form.text("stopped_speed_threshold").and_then(|t| t.trim().parse::<f64>().ok());
    let change = SportChange {
        color: Some(form.text("color").map(str::to_owned)),
        is_active: Some(form.text("is_active") == Some("true")),
        stopped_speed_threshold: Some(threshold.unwrap_or(-1.0)),
        pace_speed_display: form.text("pace_speed_display").and_then(SpeedDisplay::parse),
    };
    match apply_change(current, &change) {
        Ok(prefs) => {
            ctx.db.write(|tx| stored_sports::save_preferences(tx, me.user.id, sport_id, &prefs))?;
            Ok(done("/profile/sports", "sports-saved"))
        }
        Err(e) => render_sports(ctx, &me, Some(&format!("{}: {e}.", current.sport.label)), 400),
    }
}

pub fn account(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let me = Me::load(ctx)?;
    render_account(ctx, &me, None, None, 200)
}

/// The data export: its state, the archive to download, a button to ask
/// for one (FitTrackee's format, built in the background).
fn export_section(ctx: &Ctx<'_>, me: &Me) -> Result<maud::Markup, HttpError> {
    let export = crate::store::exports::of_user(&ctx.db, me.user.id)?;
    let r = &me.reader;
    Ok(html! {
        section.card aria-labelledby="export-heading" {
            h2 #export-heading { "Your data" }
            p { "An archive of your account, workouts (with their GPX files) and equipment, in FitTrackee's export format. It is kept for a day." }
            @match &export {
                Some(e) if e.status() == "in_progress" => {
                    p.notice role="status" { "Your archive is being made (asked " (r.date_time(e.created_at)) "): reload this page in a moment." }
                }
                Some(e) if e.status() == "successful" => {
                    @let name = e.file_name.clone().unwrap_or_default();
                    p { a.button href={ "/profile/account/export/" (name) } download { "Download the archive" }
                        " " span.muted { (crate::numbers::readable_size(e.file_size.unwrap_or(0).max(0) as u64)) ", made " (r.date_time(e.created_at)) } }
                }
                Some(e) => { p.error { "The archive asked " (r.date_time(e.created_at)) " could not be made: ask again tomorrow, or tell the administrator." } }
                None => {}
            }
            @if export.as_ref().is_none_or(|e| e.completed && ctx.now - e.created_at >= crate::exports::RETENTION) {
                form method="post" action="/profile/account/export" {
                    (csrf_field(ctx))
                    button.secondary type="submit" { "Ask for an archive" }
                }
            }
        }
    })
}

pub fn request_export(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let me = Me::load(ctx)?;
    match crate::exports::request(&mut ctx.db, me.user.id, ctx.now).map_err(HttpError::from) {
        Ok(_) => {
            ctx.app.tasks.wake();
            Ok(done("/profile/account", "export-requested"))
        }
        // Already asked (a second click, a stale page): the page shows where it is.
        Err(e) if e.status < 500 => Ok(see_other("/profile/account")),
        Err(e) => Err(e),
    }
}

fn render_account(
    ctx: &Ctx<'_>,
    me: &Me,
    error: Option<&str>,
    delete_error: Option<&str>,
    status: u16,
) -> Result<Response, HttpError> {
    let markup = html! {
        (tabs(Tab::Account))
        h1 { "Account" }
        section.card aria-labelledby="credentials" {
            h2 #credentials { "Email and password" }
            p.muted { "A new password signs out every other browser and app (their tokens and grants end)." }
            @if let Some(error) = error { p.error role="alert" { (error) } }
            form method="post" action="/profile/account" {
                (csrf_field(ctx))
                label { "Email" input type="email" name="email" required value=(me.user.email) autocomplete="email"; }
                label { "New password (leave empty to keep yours)" input type="password" name="new_password" minlength="8" autocomplete="new-password"; }
                label { "Current password" input type="password" name="password" required autocomplete="current-password"; }
                button type="submit" { "Save" }
            }
        }
        (export_section(ctx, me)?)
        section.card aria-labelledby="delete-heading" {
            h2 #delete-heading { "Delete the account" }
            p { "Your workouts, their files, your equipment, your apps and every app's access go for good." }
            @if let Some(error) = delete_error { p.error role="alert" { (error) } }
            form method="post" action="/profile/account/delete" {
                (csrf_field(ctx))
                label { "Type your username (" (me.user.username) ") to confirm" input name="username" required autocomplete="off"; }
                button.danger type="submit" { "Delete my account" }
            }
        }
    };
    Ok(html_response(status, page(ctx, "Account", markup)))
}

pub fn save_account(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let me = Me::load(ctx)?;
    let form = std::mem::take(&mut ctx.form);
    let field = |key: &str| form.text(key).filter(|v| !v.is_empty());
    let change =
        AccountChange { email: field("email"), password: field("password"), new_password: field("new_password") };
    let keep = match ctx.caller.via {
        Via::Browser { session_id } => Some(session_id),
        _ => None,
    };
    match change_account(&mut ctx.db, &ctx.app.hasher, me.user.id, keep, &change, ctx.now).map_err(HttpError::from) {
        Ok(()) if change.new_password.is_some() => Ok(done("/profile/account", "password-changed")),
        Ok(()) => Ok(done("/profile/account", "saved")),
        Err(e) if e.status == 401 => render_account(ctx, &me, Some("The current password is wrong."), None, 400),
        Err(e) if e.status < 500 => render_account(ctx, &me, Some(&e.text()), None, 400),
        Err(e) => Err(e),
    }
}

pub fn delete_account(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let me = Me::load(ctx)?;
    if ctx.form.text("username").map(str::trim) != Some(me.user.username.as_str()) {
        let why = format!("Type {} exactly to delete the account.", me.user.username);
        return render_account(ctx, &me, None, Some(&why), 400);
    }
    match delete_user(&mut ctx.db, &me.auth, &me.user.username).map_err(HttpError::from) {
        Ok(()) => {
            ctx.set_session_cookie(crate::crypto::random_secret());
            Ok(see_other("/login?done=account-deleted"))
        }
        Err(e) if e.status < 500 => render_account(ctx, &me, None, Some(&e.text()), 400),
        Err(e) => Err(e),
    }
}
