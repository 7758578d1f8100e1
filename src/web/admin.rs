//! Administration (admins only): application settings, users, sports. The
//! same domain functions as `PATCH /api/config`, `PATCH /api/users/<name>`
//! and `PATCH /api/sports/<id>`.

use maud::{Markup, html};
use rouille::Response;

use super::me::Me;
use super::{csrf_field, done, html_response, page, plural};
use crate::accounts::admin::{Actor, UserChange, update_user};
use crate::accounts::user::{Role, User};
use crate::application::{self, AppConfig, ConfigPatch, PatchError};
use crate::http::{self, Ctx, Form, HttpError};
use crate::numbers::readable_size;
use crate::store::{app_config, sports as stored_sports, users};

const MIB: f64 = 1_048_576.0;

fn admin_tabs(active: &str) -> Markup {
    html! {
        nav.tabs aria-label="Administration" {
            @for (href, label) in [("/admin", "Settings"), ("/admin/users", "Users"), ("/admin/sports", "Sports")] {
                a class=(if href == active { "tab active" } else { "tab" }) href=(href) aria-current=[(href == active).then_some("page")] { (label) }
            }
        }
    }
}

pub fn settings(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let config = app_config::get(&ctx.db)?;
    render_settings(ctx, &config, None, 200)
}

fn render_settings(ctx: &Ctx<'_>, c: &AppConfig, error: Option<&str>, status: u16) -> Result<Response, HttpError> {
    let users = users::count(&ctx.db)?;
    let mib = |bytes: i64| format!("{:.2}", bytes as f64 / MIB);
    let markup = html! {
        (admin_tabs("/admin"))
        h1 { "Application settings" }
        @if let Some(error) = error { p.error role="alert" { (error) } }
        form method="post" action="/admin" {
            (csrf_field(ctx))
            label { "Most users (0: no limit). Registration closes when they are reached: to close it now, set "
                (users) ", the number of users." input type="number" name="max_users" min="0" step="1" value=(c.max_users); }
            label { "Largest workout file (MiB; now " (readable_size(c.max_single_file_size.max(0) as u64)) ")"
                input type="number" name="max_single_file_size" min="0.01" step="0.01" value=(mib(c.max_single_file_size)); }
            label { "Largest zip archive (MiB; now " (readable_size(c.max_zip_file_size.max(0) as u64)) ")"
                input type="number" name="max_zip_file_size" min="0.01" step="0.01" value=(mib(c.max_zip_file_size)); }
            label { "Most files in an archive" input type="number" name="file_limit_import" min="1" step="1" value=(c.file_limit_import); }
            label { "Archives of more files than this are processed in the background" input type="number" name="file_sync_limit_import" min="1" step="1" value=(c.file_sync_limit_import); }
            label { "Workouts on the global map at most" input type="number" name="global_map_workouts_limit" min="1" step="1" value=(c.global_map_workouts_limit); }
            label { "Administrator's contact email (optional)" input type="email" name="admin_contact" value=(c.admin_contact.clone().unwrap_or_default()); }
            label { "About this server (shown on the About page)" textarea name="about" { (c.about.clone().unwrap_or_default()) } }
            label { "Privacy policy (empty: FitTrackee's default; users accept a new one at next sign-in)" textarea name="privacy_policy" { (c.privacy_policy.clone().unwrap_or_default()) } }
            button type="submit" { "Save" }
        }
    };
    Ok(html_response(status, page(ctx, "Administration", markup)))
}

fn patch_of(form: &Form) -> Result<ConfigPatch, String> {
    let mut patch = ConfigPatch::default();
    for key in ["max_users", "file_limit_import", "file_sync_limit_import", "global_map_workouts_limit"] {
        let text = form.text(key).map(str::trim).unwrap_or("");
        let value = text.parse::<i64>().map_err(|_| format!("{key}: a whole number is needed."))?;
        patch.integers.push((key, value));
    }
    for key in ["max_single_file_size", "max_zip_file_size"] {
        let text = form.text(key).map(str::trim).unwrap_or("");
        let mib = text.parse::<f64>().ok().filter(|v| v.is_finite() && *v > 0.0 && *v < 1e6);
        let bytes = mib.ok_or_else(|| format!("{key}: a size in MiB above 0 is needed."))? * MIB;
        patch.integers.push((key, bytes.round() as i64));
    }
    let text = |key: &str| Some(form.text(key).map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned));
    (patch.about, patch.admin_contact, patch.privacy_policy) =
        (text("about"), text("admin_contact"), text("privacy_policy"));
    Ok(patch)
}

fn refusal(e: &PatchError) -> String {
    match e {
        PatchError::Payload => "Some values are missing.".into(),
        PatchError::Exceeding { key, max_value } => format!("{key} must be less than {max_value}."),
        PatchError::Messages(messages) => messages.join("; "),
        PatchError::Message(message) => message.to_string(),
    }
}

pub fn save_settings(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let current = app_config::get(&ctx.db)?;
    let patch = match patch_of(&ctx.form) {
        Ok(patch) => patch,
        Err(why) => return render_settings(ctx, &current, Some(&why), 400),
    };
    match application::apply(&current, &patch, ctx.now) {
        Ok(config) => {
            ctx.db.write(|tx| app_config::save(tx, &config))?;
            Ok(done("/admin", "settings-saved"))
        }
        Err(e) => render_settings(ctx, &current, Some(&refusal(&e)), 400),
    }
}

const USERS_PER_PAGE: i64 = 20;

pub fn users_list(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let me = Me::load(ctx)?;
    let query = http::query(ctx.req);
    let q = query.text("q").map(str::trim).filter(|q| !q.is_empty());
    let page_number = query.text("page").and_then(|p| p.parse::<i64>().ok()).filter(|p| *p >= 1).unwrap_or(1);
    let (found, total) = users::directory(
        &ctx.db,
        &users::UserQuery {
            q,
            with_inactive: true,
            with_hidden: true,
            with_suspended: true,
            order: users::UserOrder::Username,
            ascending: true,
            limit: USERS_PER_PAGE,
            offset: (page_number - 1) * USERS_PER_PAGE,
        },
    )?;
    let markup = html! {
        (admin_tabs("/admin/users"))
        h1 { "Users" }
        form.filters method="get" action="/admin/users" role="search" {
            label { "Username contains" input type="search" name="q" value=(q.unwrap_or("")); }
            p.actions { button type="submit" { "Search" } }
        }
        h2 { (plural(total, "user")) }
        table.stack {
            thead { tr { th { "Username" } th { "Email" } th { "Role" } th { "State" } th { "Since" } } }
            tbody { @for u in &found { tr {
                th scope="row" { a href={ "/admin/users/" (u.username) } { (u.username) } }
                td data-label="Email" { (u.email) }
                td data-label="Role" { (u.role.name()) }
                td data-label="State" { @if u.is_active { "active" } @else { "inactive" } }
                td data-label="Since" { (me.reader.date(u.created_at)) }
            } } }
        }
        @if total > USERS_PER_PAGE {
            nav.pages aria-label="Pages" {
                @if page_number > 1 { a href={ "/admin/users?page=" (page_number - 1) "&q=" (q.unwrap_or("")) } { "← Previous" } }
                span { "Page " (page_number) " of " ((total + USERS_PER_PAGE - 1) / USERS_PER_PAGE) }
                @if page_number * USERS_PER_PAGE < total { a href={ "/admin/users?page=" (page_number + 1) "&q=" (q.unwrap_or("")) } { "Next →" } }
            }
        }
    };
    Ok(html_response(200, page(ctx, "Users", markup)))
}

fn target(ctx: &Ctx<'_>) -> Result<User, HttpError> {
    users::by_username(&ctx.db, ctx.param(0))?.ok_or_else(|| HttpError::not_found("There is no such user."))
}

pub fn user(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let user = target(ctx)?;
    render_user(ctx, &user, None, None, 200)
}

fn render_user(
    ctx: &Ctx<'_>,
    u: &User,
    new_password: Option<&str>,
    error: Option<&str>,
    status: u16,
) -> Result<Response, HttpError> {
    let roles = [Role::User, Role::Moderator, Role::Admin];
    let markup = html! {
        (admin_tabs("/admin/users"))
        p.crumbs { a href="/admin/users" { "Users" } " › " (u.username) }
        h1 { (u.username) }
        @if let Some(error) = error { p.error role="alert" { (error) } }
        @if let Some(password) = new_password {
            div.warning role="status" {
                p { "The new password of " (u.username) ", shown this once: give it to them; they change it in Settings › Account." }
                p.secret #new-password { (password) }
            }
        }
        dl.facts { dt { "Email" } dd { (u.email) } dt { "Role" } dd { (u.role.name()) } dt { "State" } dd { @if u.is_active { "active" } @else { "inactive: cannot sign in" } } }
        @if u.role == Role::Owner {
            p.muted { "The owner's account is changed from the command line only." }
        } @else {
            form method="post" action={ "/admin/users/" (u.username) } {
                (csrf_field(ctx))
                label { "Role" select name="role" {
                    @for role in roles { option value=(role.name()) selected[role == u.role] { (role.name()) } }
                } }
                label.check { input type="checkbox" name="is_active" value="true" checked[u.is_active]; span { "Active (may sign in)" } }
                button type="submit" { "Save" }
            }
            form method="post" action={ "/admin/users/" (u.username) "/password" } {
                (csrf_field(ctx))
                p { "A new password ends every session and app access of " (u.username) "." }
                button.secondary type="submit" { "Reset the password" }
            }
        }
    };
    Ok(html_response(status, page(ctx, &u.username, markup)))
}

fn change_user(ctx: &mut Ctx<'_>, change: &UserChange<'_>) -> Result<Response, HttpError> {
    let me = Me::load(ctx)?;
    let user = target(ctx)?;
    match update_user(&mut ctx.db, &ctx.app.hasher, Actor::Admin(&me.auth), &user.username, change, ctx.now)
        .map_err(HttpError::from)
    {
        Ok(updated) if updated.new_password.is_some() => {
            render_user(ctx, &updated.user, updated.new_password.as_deref(), None, 200)
        }
        Ok(updated) => Ok(done(&format!("/admin/users/{}", updated.user.username), "user-saved")),
        Err(e) if e.status < 500 => render_user(ctx, &user, None, Some(&e.text()), e.status),
        Err(e) => Err(e),
    }
}

pub fn save_user(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let role = ctx.form.text("role").and_then(Role::parse);
    let active = Some(ctx.form.text("is_active") == Some("true"));
    change_user(ctx, &UserChange { role, active, ..UserChange::default() })
}

pub fn reset_password(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    change_user(ctx, &UserChange { reset_password: true, ..UserChange::default() })
}

pub fn sports(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let all = stored_sports::all(&ctx.db, None)?;
    let markup = html! {
        (admin_tabs("/admin/sports"))
        h1 { "Sports" }
        p.muted { "A disabled sport is offered to no one; its workouts stay." }
        table.stack {
            thead { tr { th { "Sport" } th { "State" } th { "Change" } } }
            tbody { @for (sport, _) in &all { tr {
                th scope="row" { (sport.label) }
                td data-label="State" { @if sport.is_active { "enabled" } @else { "disabled" } }
                td data-label="Change" {
                    form.inline method="post" action={ "/admin/sports/" (sport.id) } {
                        (csrf_field(ctx))
                        input type="hidden" name="is_active" value=(if sport.is_active { "false" } else { "true" });
                        button.secondary type="submit" { @if sport.is_active { "Disable " } @else { "Enable " } (sport.label) }
                    }
                }
            } } }
        }
    };
    Ok(html_response(200, page(ctx, "Sports", markup)))
}

pub fn save_sport(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let sport_id = ctx.int_param(0);
    stored_sports::one(&ctx.db, sport_id, None)?.ok_or_else(|| HttpError::not_found("There is no such sport."))?;
    let active = ctx.form.text("is_active") == Some("true");
    ctx.db.write(|tx| stored_sports::set_active(tx, sport_id, active))?;
    Ok(done("/admin/sports", "saved"))
}
