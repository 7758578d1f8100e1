//! Every route of the server, declared once, with who may call it.
//!
//! Reading guide: `Public` needs nothing; `first_party()` takes only a
//! first-party JWT (OAuth tokens never pass); `scope(S)` takes a first-party
//! JWT or an OAuth token holding S, refined by `.anonymous_ok()` and
//! `.min_role(..)`; pages are browser-session routes whose forms are
//! CSRF-checked. Suspended users are refused unless `.suspended_ok()`.
//! Path parameters: `{name}` is any segment, `{name:int}` an integer.

use super::Handler;
use super::access::Access;
use super::access::Access::Public;
use crate::accounts::user::Role::{Admin, Moderator};
use crate::api::neutral as not_built;
use crate::api::workouts::geo;
use crate::oauth::scopes::Scope::*;
use crate::{api, web};

pub struct Route {
    pub method: &'static str,
    pub path: &'static str,
    pub access: Access,
    pub handler: Handler,
}

const fn route(method: &'static str, path: &'static str, access: Access, handler: Handler) -> Route {
    Route { method, path, access, handler }
}

const GET: &str = "GET";
const POST: &str = "POST";
const PATCH: &str = "PATCH";
const DELETE: &str = "DELETE";

pub static ROUTES: &[Route] = &[
    // Application
    route(GET, "/api/config", Public, api::app_config::show),
    route(PATCH, "/api/config", Access::scope(ApplicationWrite).min_role(Admin), api::app_config::update),
    route(GET, "/api/ping", Public, api::health::ping),
    route(GET, "/api/check-db", Public, api::health::check_db),
    // First-party accounts
    route(POST, "/api/auth/register", Public, api::auth::register),
    route(POST, "/api/auth/login", Public, api::auth::login),
    route(POST, "/api/auth/logout", Access::first_party().suspended_ok(), api::auth::logout),
    route(GET, "/api/auth/timezones", Public, api::auth::timezones),
    // Email flows: no email is ever sent here.
    route(POST, "/api/auth/password/reset-request", Public, not_built::email_request),
    route(POST, "/api/auth/account/resend-confirmation", Public, not_built::email_request),
    route(POST, "/api/auth/password/update", Public, not_built::password_update),
    route(POST, "/api/auth/account/confirm", Public, not_built::confirm_by_token),
    route(POST, "/api/auth/email/update", Public, not_built::confirm_by_token),
    route(
        POST,
        "/api/auth/account/privacy-policy",
        Access::first_party().suspended_ok(),
        api::auth::accept_privacy_policy,
    ),
    route(POST, "/api/auth/picture", Access::scope(ProfileWrite).suspended_ok(), api::pictures::upload),
    route(DELETE, "/api/auth/picture", Access::scope(ProfileWrite).suspended_ok(), api::pictures::delete),
    route(GET, "/api/users/{username}/picture", Public, api::pictures::show),
    route(GET, "/api/auth/account/export", Access::first_party().suspended_ok(), api::export::show),
    route(POST, "/api/auth/account/export/request", Access::first_party().suspended_ok(), api::export::request),
    route(GET, "/api/auth/account/export/{file_name}", Access::first_party().suspended_ok(), api::export::download),
    // Profile
    route(GET, "/api/auth/profile", Access::scope(ProfileRead).suspended_ok(), api::profile::show),
    route(POST, "/api/auth/profile/edit", Access::scope(ProfileWrite).suspended_ok(), api::profile::edit),
    route(
        PATCH,
        "/api/auth/profile/edit/account",
        Access::scope(ProfileWrite).suspended_ok(),
        api::profile::edit_account,
    ),
    route(
        POST,
        "/api/auth/profile/edit/preferences",
        Access::scope(ProfileWrite).suspended_ok(),
        api::profile::edit_preferences,
    ),
    route(PATCH, "/api/auth/profile/edit/sports", Access::scope(ProfileWrite), api::profile::edit_sport),
    route(POST, "/api/auth/profile/edit/sports", Access::scope(ProfileWrite), api::profile::edit_sport),
    route(
        DELETE,
        "/api/auth/profile/reset/sports/{sport_id:int}",
        Access::scope(ProfileWrite),
        api::profile::reset_sport,
    ),
    route(
        POST,
        "/api/auth/profile/edit/notifications",
        Access::scope(ProfileWrite),
        not_built::notification_preferences,
    ),
    route(POST, "/api/auth/profile/edit/messages", Access::scope(ProfileWrite), not_built::message_preferences),
    route(GET, "/api/auth/blocked-users", Access::scope(ProfileRead), not_built::blocked_users),
    route(GET, "/api/auth/account/suspension", Access::scope(ProfileRead).suspended_ok(), not_built::own_suspension),
    route(
        POST,
        "/api/auth/account/suspension/appeal",
        Access::scope(ProfileWrite).suspended_ok(),
        not_built::own_suspension,
    ),
    route(
        GET,
        "/api/auth/account/sanctions/{sanction_id}",
        Access::scope(ProfileRead).suspended_ok(),
        not_built::own_sanction,
    ),
    route(
        POST,
        "/api/auth/account/sanctions/{sanction_id}/appeal",
        Access::scope(ProfileWrite),
        not_built::own_sanction,
    ),
    // Users
    route(GET, "/api/users", Access::scope(UsersRead), api::users::list),
    // Admin task queues (before `/api/users/{username}`).
    route(
        GET,
        "/api/users/tasks/queued",
        Access::scope(UsersRead).min_role(Admin),
        api::workouts::tasks::queued_counts,
    ),
    route(
        GET,
        "/api/users/tasks/queued/{task_type}",
        Access::scope(UsersRead).min_role(Admin),
        api::workouts::tasks::queued_list,
    ),
    route(GET, "/api/users/{username}", Access::scope(UsersRead).anonymous_ok(), api::users::show),
    route(PATCH, "/api/users/{username}", Access::scope(UsersWrite).min_role(Admin), api::users::update),
    route(DELETE, "/api/users/{username}", Access::scope(UsersWrite).suspended_ok(), api::users::delete),
    route(GET, "/api/users/{username}/sanctions", Access::scope(UsersRead).suspended_ok(), not_built::user_sanctions),
    route(POST, "/api/users/{username}/block", Access::scope(UsersWrite), not_built::change_relation),
    route(POST, "/api/users/{username}/unblock", Access::scope(UsersWrite), not_built::change_relation),
    // Following, notifications, moderation, geocoding: features not built here.
    route(GET, "/api/users/{username}/followers", Access::scope(FollowRead), not_built::followers),
    route(GET, "/api/users/{username}/following", Access::scope(FollowRead), not_built::following),
    route(POST, "/api/users/{username}/follow", Access::scope(FollowWrite), not_built::change_relation),
    route(POST, "/api/users/{username}/unfollow", Access::scope(FollowWrite), not_built::change_relation),
    route(GET, "/api/follow-requests", Access::scope(FollowRead), not_built::follow_requests),
    route(POST, "/api/follow-requests/{username}/accept", Access::scope(FollowWrite), not_built::answer_follow_request),
    route(POST, "/api/follow-requests/{username}/reject", Access::scope(FollowWrite), not_built::answer_follow_request),
    route(GET, "/api/notifications", Access::scope(NotificationsRead), not_built::notifications),
    route(GET, "/api/notifications/unread", Access::scope(NotificationsRead), not_built::unread_notifications),
    route(GET, "/api/notifications/types", Access::scope(NotificationsRead), not_built::notification_types),
    route(
        POST,
        "/api/notifications/mark-all-as-read",
        Access::scope(NotificationsWrite),
        not_built::mark_all_notifications_read,
    ),
    route(
        PATCH,
        "/api/notifications/{notification_id}",
        Access::scope(NotificationsWrite),
        not_built::update_notification,
    ),
    route(GET, "/api/reports", Access::scope(ReportsRead).min_role(Moderator), not_built::reports),
    route(POST, "/api/reports", Access::scope(ReportsWrite), not_built::create_report),
    route(
        GET,
        "/api/reports/unresolved",
        Access::scope(ReportsRead).min_role(Moderator),
        not_built::unresolved_reports,
    ),
    route(GET, "/api/reports/{report_id:int}", Access::scope(ReportsRead).min_role(Moderator), not_built::report),
    route(PATCH, "/api/reports/{report_id:int}", Access::scope(ReportsWrite).min_role(Moderator), not_built::report),
    route(
        POST,
        "/api/reports/{report_id:int}/actions",
        Access::scope(ReportsWrite).min_role(Moderator),
        not_built::report,
    ),
    route(PATCH, "/api/appeals/{appeal_id}", Access::scope(UsersWrite).min_role(Moderator), not_built::appeal),
    route(GET, "/api/geocode/search", Access::scope(GeocodeRead), not_built::geocode_search),
    route(GET, "/api/geocode/lookup", Access::scope(GeocodeRead), not_built::geocode_lookup),
    // Sports
    route(GET, "/api/sports", Access::scope(WorkoutsRead).suspended_ok().anonymous_ok(), api::sports::list),
    route(GET, "/api/sports/{sport_id:int}", Access::scope(WorkoutsRead), api::sports::show),
    route(PATCH, "/api/sports/{sport_id:int}", Access::scope(WorkoutsWrite).min_role(Admin), api::sports::update),
    // Workouts
    route(GET, "/api/workouts", Access::scope(WorkoutsRead), api::workouts::list),
    route(POST, "/api/workouts", Access::scope(WorkoutsWrite), api::workouts::create),
    route(POST, "/api/workouts/no_gpx", Access::scope(WorkoutsWrite), api::workouts::create_manual),
    route(GET, "/api/workouts/global-map", Access::scope(WorkoutsRead), geo::global_map),
    route(GET, "/api/workouts/collection", Access::scope(WorkoutsRead), geo::collection),
    route(GET, "/api/timeline", Access::scope(WorkoutsRead), api::workouts::timeline),
    // Maps: tiles and thumbnails are images for <img> tags (no credentials).
    route(GET, "/api/workouts/map_tile/{s}/{z}/{x}/{y_png}", Public, geo::map_tile),
    route(GET, "/api/workouts/map/{map_id}", Public, geo::map_thumbnail),
    // Upload tasks (before `/api/workouts/{workout_id}`, which would take the path).
    route(GET, "/api/workouts/upload-tasks", Access::scope(WorkoutsRead), api::workouts::tasks::list),
    route(GET, "/api/workouts/upload-tasks/{task_id}", Access::scope(WorkoutsRead), api::workouts::tasks::show),
    // FitTrackee asks only workouts:read to delete a task.
    route(DELETE, "/api/workouts/upload-tasks/{task_id}", Access::scope(WorkoutsRead), api::workouts::tasks::delete),
    route(
        POST,
        "/api/workouts/upload-tasks/{task_id}/abort",
        Access::scope(WorkoutsWrite),
        api::workouts::tasks::abort,
    ),
    route(GET, "/api/workouts/{workout_id}", Access::scope(WorkoutsRead).anonymous_ok(), api::workouts::show),
    route(PATCH, "/api/workouts/{workout_id}", Access::scope(WorkoutsWrite), api::workouts::update),
    route(DELETE, "/api/workouts/{workout_id}", Access::scope(WorkoutsWrite), api::workouts::delete),
    route(POST, "/api/workouts/{workout_id}/refresh", Access::scope(WorkoutsWrite), api::workouts::refresh),
    route(GET, "/api/workouts/{workout_id}/chart_data", Access::scope(WorkoutsRead).anonymous_ok(), geo::chart_data),
    route(
        GET,
        "/api/workouts/{workout_id}/chart_data/segment/{segment_id}",
        Access::scope(WorkoutsRead).anonymous_ok(),
        geo::segment_chart_data,
    ),
    route(GET, "/api/workouts/{workout_id}/geojson", Access::scope(WorkoutsRead).anonymous_ok(), geo::geojson),
    route(
        GET,
        "/api/workouts/{workout_id}/geojson/segment/{segment_id}",
        Access::scope(WorkoutsRead).anonymous_ok(),
        geo::segment_geojson,
    ),
    route(GET, "/api/workouts/{workout_id}/gpx", Access::scope(WorkoutsRead).anonymous_ok(), api::workouts::gone),
    // Comments and likes: not built here.
    route(
        GET,
        "/api/workouts/{workout_id}/comments",
        Access::scope(WorkoutsRead).anonymous_ok(),
        not_built::workout_comments,
    ),
    route(POST, "/api/workouts/{workout_id}/comments", Access::scope(WorkoutsWrite), not_built::post_workout_comment),
    route(
        GET,
        "/api/workouts/{workout_id}/likes",
        Access::scope(WorkoutsRead).anonymous_ok(),
        not_built::workout_likes,
    ),
    route(POST, "/api/workouts/{workout_id}/like", Access::scope(WorkoutsWrite), not_built::like_workout),
    route(POST, "/api/workouts/{workout_id}/like/undo", Access::scope(WorkoutsWrite), not_built::like_workout),
    route(
        POST,
        "/api/workouts/{workout_id}/suspension/appeal",
        Access::scope(WorkoutsWrite),
        not_built::appeal_workout_suspension,
    ),
    route(GET, "/api/comments/{comment_id}", Access::scope(WorkoutsRead).anonymous_ok(), not_built::comment),
    route(PATCH, "/api/comments/{comment_id}", Access::scope(WorkoutsWrite), not_built::comment),
    route(DELETE, "/api/comments/{comment_id}", Access::scope(WorkoutsWrite), not_built::comment),
    route(GET, "/api/comments/{comment_id}/likes", Access::scope(WorkoutsRead).anonymous_ok(), not_built::comment),
    route(POST, "/api/comments/{comment_id}/like", Access::scope(WorkoutsWrite), not_built::comment),
    route(POST, "/api/comments/{comment_id}/like/undo", Access::scope(WorkoutsWrite), not_built::comment),
    route(POST, "/api/comments/{comment_id}/suspension/appeal", Access::scope(WorkoutsWrite), not_built::comment),
    route(
        GET,
        "/api/workouts/{workout_id}/gpx/segment/{segment_number:int}",
        Access::scope(WorkoutsRead).anonymous_ok(),
        api::workouts::gone,
    ),
    route(GET, "/api/workouts/{workout_id}/gpx/download", Access::scope(WorkoutsRead), api::workouts::gpx_download),
    route(
        GET,
        "/api/workouts/{workout_id}/original/download",
        Access::scope(WorkoutsRead),
        api::workouts::original_download,
    ),
    route(
        GET,
        "/api/users/{username}/workouts",
        Access::scope(WorkoutsRead).anonymous_ok(),
        api::workouts::user_workouts,
    ),
    // Records and statistics
    route(GET, "/api/records", Access::scope(WorkoutsRead), api::stats::records),
    route(GET, "/api/stats/{username}/by_time", Access::scope(WorkoutsRead), api::stats::by_time),
    route(GET, "/api/stats/{username}/by_sport", Access::scope(WorkoutsRead), api::stats::by_sport),
    route(GET, "/api/stats/all", Access::scope(WorkoutsRead).min_role(Moderator), api::stats::all),
    // Equipment
    route(GET, "/api/equipment-types", Access::scope(EquipmentsRead).suspended_ok(), api::equipments::types),
    route(GET, "/api/equipment-types/{type_id:int}", Access::scope(EquipmentsRead), api::equipments::show_type),
    route(
        PATCH,
        "/api/equipment-types/{type_id:int}",
        Access::scope(EquipmentsWrite).min_role(Admin),
        api::equipments::update_type,
    ),
    route(GET, "/api/equipments", Access::scope(EquipmentsRead).suspended_ok(), api::equipments::list),
    route(POST, "/api/equipments", Access::scope(EquipmentsWrite), api::equipments::create),
    route(GET, "/api/equipments/{equipment_id}", Access::scope(EquipmentsRead).suspended_ok(), api::equipments::show),
    route(PATCH, "/api/equipments/{equipment_id}", Access::scope(EquipmentsWrite), api::equipments::update),
    route(DELETE, "/api/equipments/{equipment_id}", Access::scope(EquipmentsWrite), api::equipments::delete),
    route(POST, "/api/equipments/{equipment_id}/refresh", Access::scope(EquipmentsWrite), api::equipments::refresh),
    // OAuth: apps and authorization are first-party only; token and revoke authenticate the app.
    route(GET, "/api/oauth/apps", Access::first_party().suspended_ok(), api::oauth::list_apps),
    route(POST, "/api/oauth/apps", Access::first_party(), api::oauth::create_app),
    route(GET, "/api/oauth/apps/{client_id}", Access::first_party().suspended_ok(), api::oauth::show_app),
    route(GET, "/api/oauth/apps/{id:int}/by_id", Access::first_party().suspended_ok(), api::oauth::show_app_by_id),
    route(DELETE, "/api/oauth/apps/{id:int}", Access::first_party().suspended_ok(), api::oauth::delete_app),
    route(POST, "/api/oauth/apps/{id:int}/revoke", Access::first_party().suspended_ok(), api::oauth::revoke_app_tokens),
    route(POST, "/api/oauth/authorize", Access::first_party(), api::oauth::authorize),
    route(POST, "/api/oauth/token", Public, api::oauth::token),
    route(POST, "/api/oauth/revoke", Public, api::oauth::revoke_token),
    route(GET, "/.well-known/oauth-authorization-server", Public, api::oauth::metadata),
    route(GET, "/api/openapi.json", Public, api::openapi::document),
    // Browser pages
    route(GET, "/static/style.css", Public, web::stylesheet),
    route(GET, "/", Access::open_page(), web::home),
    route(GET, "/login", Access::open_page(), web::auth::login_page),
    route(POST, "/login", Access::open_page(), web::auth::login),
    route(GET, "/register", Access::open_page(), web::auth::register_page),
    route(POST, "/register", Access::open_page(), web::auth::register),
    route(GET, "/logout", Access::signed_in_page().suspended_ok(), web::auth::logout_page),
    route(POST, "/logout", Access::signed_in_page().suspended_ok(), web::auth::logout),
    route(GET, "/profile", Access::signed_in_page().suspended_ok(), web::profile::show),
    route(POST, "/profile", Access::signed_in_page().suspended_ok(), web::profile::save),
    route(GET, "/profile/preferences", Access::signed_in_page().suspended_ok(), web::settings::preferences),
    route(POST, "/profile/preferences", Access::signed_in_page().suspended_ok(), web::settings::save_preferences),
    route(GET, "/profile/sports", Access::signed_in_page().suspended_ok(), web::settings::sports),
    route(POST, "/profile/sports", Access::signed_in_page(), web::settings::save_sport),
    route(GET, "/profile/account", Access::signed_in_page().suspended_ok(), web::settings::account),
    route(POST, "/profile/account", Access::signed_in_page().suspended_ok(), web::settings::save_account),
    route(POST, "/profile/account/delete", Access::signed_in_page().suspended_ok(), web::settings::delete_account),
    route(POST, "/profile/account/export", Access::signed_in_page().suspended_ok(), web::settings::request_export),
    route(GET, "/profile/account/export/{file_name}", Access::signed_in_page().suspended_ok(), api::export::download),
    route(GET, "/records", Access::signed_in_page().suspended_ok(), web::records::show),
    route(GET, "/about", Access::open_page(), web::about::about),
    route(GET, "/privacy-policy", Access::open_page(), web::about::privacy_policy),
    route(GET, "/admin", Access::signed_in_page().min_role(Admin), web::admin::settings),
    route(POST, "/admin", Access::signed_in_page().min_role(Admin), web::admin::save_settings),
    route(GET, "/admin/users", Access::signed_in_page().min_role(Admin), web::admin::users_list),
    route(GET, "/admin/users/{username}", Access::signed_in_page().min_role(Admin), web::admin::user),
    route(POST, "/admin/users/{username}", Access::signed_in_page().min_role(Admin), web::admin::save_user),
    route(
        POST,
        "/admin/users/{username}/password",
        Access::signed_in_page().min_role(Admin),
        web::admin::reset_password,
    ),
    route(GET, "/admin/sports", Access::signed_in_page().min_role(Admin), web::admin::sports),
    route(POST, "/admin/sports/{sport_id:int}", Access::signed_in_page().min_role(Admin), web::admin::save_sport),
    route(GET, "/equipment", Access::signed_in_page().suspended_ok(), web::equipment::list),
    route(POST, "/equipment", Access::signed_in_page(), web::equipment::create),
    route(GET, "/equipment/{equipment_id}", Access::signed_in_page().suspended_ok(), web::equipment::show),
    route(POST, "/equipment/{equipment_id}", Access::signed_in_page(), web::equipment::save),
    route(GET, "/equipment/{equipment_id}/delete", Access::signed_in_page(), web::equipment::confirm_delete),
    route(POST, "/equipment/{equipment_id}/delete", Access::signed_in_page(), web::equipment::delete),
    route(GET, "/statistics", Access::signed_in_page().suspended_ok(), web::statistics::show),
    route(GET, "/workouts", Access::signed_in_page().suspended_ok(), web::workouts::list),
    route(GET, "/workouts/add", Access::signed_in_page(), web::workouts::add::form_page),
    route(POST, "/workouts/add/file", Access::signed_in_page(), web::workouts::add::upload),
    route(POST, "/workouts/add/manual", Access::signed_in_page(), web::workouts::add::manual),
    route(GET, "/workouts/{workout_id}", Access::open_page(), web::workouts::show::show),
    route(GET, "/workouts/{workout_id}/edit", Access::signed_in_page(), web::workouts::edit::form_page),
    route(POST, "/workouts/{workout_id}/edit", Access::signed_in_page(), web::workouts::edit::save),
    route(GET, "/workouts/{workout_id}/delete", Access::signed_in_page(), web::workouts::edit::confirm_delete),
    route(POST, "/workouts/{workout_id}/delete", Access::signed_in_page(), web::workouts::edit::delete),
    route(POST, "/workouts/{workout_id}/refresh", Access::signed_in_page(), web::workouts::edit::refresh),
    route(GET, "/workouts/{workout_id}/download/gpx", Access::signed_in_page(), api::workouts::gpx_download),
    route(GET, "/workouts/{workout_id}/download/original", Access::signed_in_page(), api::workouts::original_download),
    route(GET, "/profile/apps", Access::signed_in_page().suspended_ok(), web::apps::list),
    route(GET, "/profile/apps/new", Access::signed_in_page(), web::apps::new_form),
    route(POST, "/profile/apps/new", Access::signed_in_page(), web::apps::create),
    route(GET, "/profile/apps/{id:int}", Access::signed_in_page().suspended_ok(), web::apps::show),
    route(GET, "/profile/apps/{id:int}/revoke", Access::signed_in_page().suspended_ok(), web::apps::confirm_revoke),
    route(POST, "/profile/apps/{id:int}/revoke", Access::signed_in_page().suspended_ok(), web::apps::revoke),
    route(GET, "/profile/apps/{id:int}/delete", Access::signed_in_page().suspended_ok(), web::apps::confirm_delete),
    route(POST, "/profile/apps/{id:int}/delete", Access::signed_in_page().suspended_ok(), web::apps::delete),
    route(
        POST,
        "/profile/apps/grants/{id:int}/revoke",
        Access::signed_in_page().suspended_ok(),
        web::apps::revoke_grant,
    ),
    // The consent page: a bad request is refused before sign-in (and never redirected).
    route(
        GET,
        "/profile/apps/authorize",
        Access::signed_in_page().checked_before_sign_in(web::consent::check_request),
        web::consent::show,
    ),
    route(POST, "/profile/apps/authorize", Access::signed_in_page(), web::consent::decide),
];

pub enum Match {
    Found(&'static Route, Vec<String>),
    /// The path exists with these methods only.
    WrongMethod(Vec<&'static str>),
    NotFound,
}

pub fn find(method: &str, path: &str) -> Match {
    // HEAD is answered as GET without the body (the HTTP layer drops it).
    let method = if method == "HEAD" { GET } else { method };
    let mut allowed = Vec::new();
    for route in ROUTES {
        let Some(params) = match_path(route.path, path) else { continue };
        if route.method == method {
            return Match::Found(route, params);
        }
        allowed.push(route.method);
    }
    if allowed.is_empty() { Match::NotFound } else { Match::WrongMethod(allowed) }
}

fn match_path(pattern: &str, path: &str) -> Option<Vec<String>> {
    let mut params = Vec::new();
    let mut segments = path.split('/');
    for expected in pattern.split('/') {
        let segment = segments.next()?;
        match expected.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
            None if expected == segment => {}
            None => return None,
            Some(param) => {
                let value = percent_encoding::percent_decode_str(segment).decode_utf8().ok()?;
                let is_int = param.ends_with(":int");
                if value.is_empty() || (is_int && value.parse::<i64>().is_err()) {
                    return None;
                }
                params.push(value.into_owned());
            }
        }
    }
    segments.next().is_none().then_some(params)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_match_literally_or_by_parameter() {
        assert_eq!(match_path("/api/auth/profile", "/api/auth/profile"), Some(vec![]));
        assert_eq!(match_path("/api/auth/profile", "/api/auth/profile/"), None);
        assert_eq!(match_path("/a/{id}/b", "/a/x%20y/b"), Some(vec!["x y".to_string()]));
        assert_eq!(match_path("/a/{id:int}", "/a/12"), Some(vec!["12".to_string()]));
        assert_eq!(match_path("/a/{id:int}", "/a/x"), None);
        assert_eq!(match_path("/a/{id}", "/a/"), None);
        assert_eq!(match_path("/a/{id}", "/a/b/c"), None);
    }

    #[test]
    fn unknown_methods_and_paths_are_told_apart() {
        assert!(matches!(find("GET", "/api/config"), Match::Found(..)));
        assert!(matches!(find("HEAD", "/api/config"), Match::Found(..)));
        assert!(matches!(find("DELETE", "/api/config"), Match::WrongMethod(m) if m == vec!["GET", "PATCH"]));
        assert!(matches!(find("GET", "/api/nothing"), Match::NotFound));
    }

    #[test]
    fn every_route_is_declared_once() {
        for (i, a) in ROUTES.iter().enumerate() {
            for b in &ROUTES[i + 1..] {
                assert!(!(a.method == b.method && a.path == b.path), "{} {} declared twice", a.method, a.path);
            }
        }
    }

    #[test]
    fn json_routes_never_use_browser_sessions_and_pages_never_take_tokens() {
        for route in ROUTES {
            if crate::http::is_api_path(route.path) {
                assert!(!route.access.is_page(), "{} {} is an API route guarded like a page", route.method, route.path);
            } else {
                let (method, path) = (route.method, route.path);
                assert!(
                    route.access.is_page() || route.access.is_public(),
                    "{method} {path} is a page that takes tokens"
                );
            }
        }
    }
}
