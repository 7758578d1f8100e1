//! FitTrackee features this server does not have: following, comments and
//! likes, notifications, moderation (reports, sanctions, appeals),
//! geocoding and email. Clients call them on every page, so they answer what
//! FitTrackee answers for a user with none of them: reads succeed empty
//! (with pagination), an object named by id does not exist (FitTrackee's
//! 404 for it), and writes that would create something are refused with a
//! 400 naming the feature (docs/decisions.md, "Social features").

use rouille::Response;
use serde_json::{Value, json};

use super::workouts::visible_workout;
use super::{Paging, USER_NOT_FOUND, ok, pagination};
use crate::accounts::user::{Role, User};
use crate::http::{self, Ctx, HttpError, guard::NO_PERMISSION};
use crate::store::users;

/// The 400 of a write to a feature this server does not have.
fn unavailable(feature: &str) -> HttpError {
    HttpError::bad_request(format!("{feature} are not available on this server"))
}

/// An empty page, numbered as the query asks (FitTrackee's paginate of nothing).
fn empty_pagination(ctx: &Ctx<'_>) -> Value {
    pagination(&Paging::fixed(&http::query(ctx.req), 1), 0)
}

/// The user named by the path, or FitTrackee's 404.
fn named_user(ctx: &Ctx<'_>) -> Result<User, HttpError> {
    users::by_username(&ctx.db, ctx.param(0))?.ok_or_else(|| HttpError::not_found(USER_NOT_FOUND))
}

fn not_found(what: &str, ctx: &Ctx<'_>) -> HttpError {
    HttpError::not_found(format!("{what} not found (id: {})", ctx.param(0)))
}

// Notifications (`notifications:*`): there are never any.

pub fn notifications(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    Ok(ok(json!({ "status": "success", "notifications": [], "pagination": empty_pagination(ctx) })))
}

pub fn unread_notifications(_ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    Ok(ok(json!({ "status": "success", "unread": false })))
}

pub fn notification_types(_ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    Ok(ok(json!({ "status": "success", "notification_types": [] })))
}

/// Marking nothing as read succeeds, as FitTrackee's does.
pub fn mark_all_notifications_read(_ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    Ok(ok(json!({ "status": "success" })))
}

pub fn update_notification(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    Err(not_found("notification", ctx))
}

pub fn notification_preferences(_ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    Err(unavailable("notifications"))
}

pub fn message_preferences(_ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    Err(unavailable("messages"))
}

// Following (`follow:*`) and blocking: nobody follows or blocks anyone.

pub fn follow_requests(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    Ok(ok(json!({ "status": "success", "data": { "follow_requests": [] }, "pagination": empty_pagination(ctx) })))
}

/// Accepting or rejecting: there is no request to act on.
pub fn answer_follow_request(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    named_user(ctx)?;
    Err(HttpError::not_found("Follow request does not exist."))
}

pub fn followers(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    relations(ctx, "followers")
}

pub fn following(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    relations(ctx, "following")
}

fn relations(ctx: &Ctx<'_>, key: &str) -> Result<Response, HttpError> {
    named_user(ctx)?;
    Ok(ok(json!({ "status": "success", "data": { key: [] }, "pagination": empty_pagination(ctx) })))
}

/// Follow, unfollow, block, unblock.
pub fn change_relation(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    named_user(ctx)?;
    Err(unavailable("followers and blocked users"))
}

pub fn blocked_users(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    Ok(ok(json!({ "status": "success", "blocked_users": [], "pagination": empty_pagination(ctx) })))
}

// Comments and likes on workouts (`workouts:*`).

pub fn workout_comments(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    comment_workout(ctx)?;
    Ok(ok(json!({ "status": "success", "data": { "comments": [] } })))
}

pub fn post_workout_comment(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    comment_workout(ctx)?;
    Err(unavailable("comments"))
}

/// FitTrackee's comment routes name a missing workout in the message.
fn comment_workout(ctx: &Ctx<'_>) -> Result<(), HttpError> {
    match visible_workout(ctx) {
        Ok(_) => Ok(()),
        Err(e) if e.status == 404 => Err(not_found("workout", ctx)),
        Err(e) => Err(e),
    }
}

/// Every route of one comment: there is no comment.
pub fn comment(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    Err(not_found("workout comment", ctx))
}

pub fn workout_likes(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    visible_workout(ctx)?;
    Ok(ok(json!({ "status": "success", "data": { "likes": [] }, "pagination": empty_pagination(ctx) })))
}

/// Like and undo.
pub fn like_workout(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    visible_workout(ctx)?;
    Err(unavailable("likes"))
}

/// Only a suspended workout can be appealed, and none is.
pub fn appeal_workout_suspension(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let workout = visible_workout(ctx)?;
    if workout.user_id != ctx.caller.user()?.id {
        return Err(HttpError::forbidden(NO_PERMISSION));
    }
    Err(HttpError::bad_request("workout is not suspended"))
}

// Moderation: reports (`reports:*`), sanctions and appeals.

pub fn reports(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    Ok(ok(json!({ "status": "success", "reports": [], "pagination": empty_pagination(ctx) })))
}

pub fn unresolved_reports(_ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    Ok(ok(json!({ "status": "success", "unresolved": false })))
}

pub fn create_report(_ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    Err(unavailable("reports"))
}

/// Showing, changing or acting on a report: there is none.
pub fn report(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    Err(not_found("report", ctx))
}

pub fn appeal(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    Err(not_found("appeal", ctx))
}

/// A user's sanctions: their own, or anyone's for a moderator.
pub fn user_sanctions(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let user = named_user(ctx)?;
    let caller = ctx.caller.user()?;
    if caller.id != user.id && caller.role < Role::Moderator {
        return Err(HttpError::forbidden(NO_PERMISSION));
    }
    Ok(ok(json!({ "status": "success", "data": { "sanctions": [] }, "pagination": empty_pagination(ctx) })))
}

/// A sanction of the caller's, or an appeal of it: there is none.
pub fn own_sanction(_ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    Err(HttpError::not_found("no sanction found"))
}

/// The suspension of the caller's account, or an appeal of it: accounts
/// are suspended here without a sanction to show or appeal.
pub fn own_suspension(_ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    Err(HttpError::not_found("user account is not suspended"))
}

// Geocoding (`geocode:read`): no geocoding service is configured.

pub fn geocode_search(_ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    Ok(ok(json!({ "status": "success", "locations": [] })))
}

pub fn geocode_lookup(_ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    Ok(ok(json!({ "status": "success", "location": {} })))
}

// Email: this server sends none, so FitTrackee's answers without email
// sending (`is_email_sending_enabled: false` in /api/config).

/// Password reset and confirmation requests: FitTrackee without email
/// sending has no such route.
pub fn email_request(_ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    Err(HttpError::not_found("the requested URL was not found on the server"))
}

/// A new password for a reset token: no token was ever sent.
pub fn password_update(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    has_fields(ctx, &["password", "token"])?;
    Err(HttpError::unauthorized("invalid token, please request a new token"))
}

/// Confirming an account or an email address by a token: none was sent.
pub fn confirm_by_token(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    has_fields(ctx, &["token"])?;
    Err(HttpError::invalid_payload())
}

fn has_fields(ctx: &Ctx<'_>, keys: &[&str]) -> Result<(), HttpError> {
    let body = ctx.json_body()?;
    if keys.iter().all(|k| body.get(k).is_some_and(|v| !v.is_null())) {
        Ok(())
    } else {
        Err(HttpError::invalid_payload())
    }
}
