//! Lists of workouts: the caller's (with FitTrackee's filters, order,
//! pages and statistics) and another user's latest.

use rouille::Response;
use serde_json::{Value, json};

use super::json::{View, base_json, equipments_json, pace};
use super::{request, workout_not_found};
use crate::accounts::user::User;
use crate::api::{Paging, ok, pagination};
use crate::dates::timedelta;
use crate::http::{self, Ctx, Form, HttpError};
use crate::numbers::round;
use crate::sports::SpeedDisplay;
use crate::store::{app_config, equipments as stored_equipments, lists, records, users, workouts as store};
use crate::workouts::{Aggregate, Measures, Workout, WorkoutFilter, WorkoutOrder};

/// A page of list items for one owner.
fn list_items(
    ctx: &Ctx<'_>,
    workouts: &[Workout],
    view: &View<'_>,
    equipments: bool,
    force_speed: bool,
) -> Result<Vec<Value>, HttpError> {
    let ids: Vec<i64> = workouts.iter().map(|w| w.id).collect();
    let records = records::records_of_workouts(&ctx.db, &ids)?;
    workouts
        .iter()
        .map(|w| {
            let mut item = base_json(w, view, &records, force_speed);
            if equipments {
                let attached = stored_equipments::of_workout(&ctx.db, w.id)?;
                item.insert("equipments".into(), equipments_json(&attached, view.is_owner()));
            }
            Ok(Value::Object(item))
        })
        .collect()
}

pub fn user_workouts(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let owner = users::by_username(&ctx.db, ctx.param(0))?
        .filter(|u| u.is_active)
        .ok_or_else(|| HttpError::not_found(crate::accounts::admin::AdminError::NotFound.to_string()))?;
    let viewer = ctx.caller.user.clone();
    let own = viewer.as_ref().is_some_and(|v| v.id == owner.id);
    let workouts = store::latest(&ctx.db, owner.id, own, 5)?;
    let view = View::load(&ctx.db, viewer.as_ref(), &owner)?;
    let items = list_items(ctx, &workouts, &view, false, false)?;
    Ok(ok(json!({ "status": "success", "data": { "workouts": items } })))
}

/// A page of the owner's workouts with the list's filters, order and paging.
pub fn page_of(ctx: &Ctx<'_>, query: &Form, owner: &User) -> Result<Page, HttpError> {
    let filter = request::filter(&ctx.db, query, owner)?;
    let paging = Paging::of(query, 5, 100);
    let order = match query.text("order_by") {
        None => WorkoutOrder::WorkoutDate,
        Some(name) => WorkoutOrder::parse(name).ok_or_else(|| HttpError::bad_request("invalid order_by"))?,
    };
    let ascending = query.text("order") == Some("asc");
    let total = lists::count(&ctx.db, &filter)?;
    let workouts = lists::page(&ctx.db, &filter, order, ascending, paging.per_page, paging.offset())?;
    Ok(Page { workouts, paging, total, filter })
}

pub struct Page {
    pub workouts: Vec<Workout>,
    pub paging: Paging,
    /// Workouts on every page.
    pub total: i64,
    pub filter: WorkoutFilter,
}

/// `GET /api/timeline`: the caller's workouts, newest first (FitTrackee adds
/// those of followed users; there are none here).
pub fn timeline(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let caller = ctx.caller.user()?.clone();
    let owner = users::by_id(&ctx.db, caller.id)?.ok_or_else(workout_not_found)?;
    let paging = Paging::fixed(&http::query(ctx.req), 5);
    let filter = WorkoutFilter::of_user(owner.id);
    let total = lists::count(&ctx.db, &filter)?;
    let workouts = lists::page(&ctx.db, &filter, WorkoutOrder::WorkoutDate, false, paging.per_page, paging.offset())?;
    let view = View::load(&ctx.db, Some(&caller), &owner)?;
    let items = list_items(ctx, &workouts, &view, false, false)?;
    Ok(ok(json!({ "status": "success", "data": { "workouts": items }, "pagination": pagination(&paging, total) })))
}

pub fn list(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let caller = ctx.caller.user()?.clone();
    let owner = users::by_id(&ctx.db, caller.id)?.ok_or_else(workout_not_found)?;
    let query = http::query(ctx.req);
    let Page { workouts, paging, total, filter } = page_of(ctx, &query, &owner)?;
    let view = View::load(&ctx.db, Some(&caller), &owner)?;
    let force_speed = total > 1
        && filter.sport_id.is_none()
        && workouts.iter().any(|w| view.display(w.sport_id) != SpeedDisplay::Pace);
    let with_equipment = query.text("return_equipments") == Some("true");
    let items = list_items(ctx, &workouts, &view, with_equipment, force_speed)?;
    let mut data = json!({ "workouts": items });
    if query.text("with_statistics") == Some("true") {
        let limit = app_config::get(&ctx.db)?.stats_workouts_limit;
        let all = lists::aggregate(&ctx.db, &filter, limit)?;
        data["statistics"] = json!({ "current_page": page_statistics(&workouts), "all": statistics_json(&all) });
    }
    Ok(ok(json!({ "status": "success", "data": data, "pagination": pagination(&paging, total) })))
}

fn page_statistics(workouts: &[Workout]) -> Value {
    let mut sports: Vec<i64> = workouts.iter().map(|w| w.sport_id).collect();
    sports.sort_unstable();
    sports.dedup();
    let sum = |f: fn(&Measures) -> Option<f64>| workouts.iter().filter_map(|w| f(&w.measures)).sum::<f64>();
    statistics_json(&Aggregate {
        count: workouts.len() as i64,
        sports: sports.len() as i64,
        distance: sum(|m| Some(m.distance)),
        moving: sum(|m| Some(m.moving)),
        ascent: sum(|m| m.ascent),
        descent: sum(|m| m.descent),
        max_speed: workouts.iter().filter_map(|w| w.measures.max_speed).reduce(f64::max),
    })
}

fn statistics_json(a: &Aggregate) -> Value {
    let count = a.count.max(1) as f64;
    let single_sport = a.sports == 1;
    let average_speed = (a.moving > 0.0).then(|| a.distance / (a.moving / 3600.0));
    let if_single = |v: Value| if single_sport { v } else { Value::Null };
    json!({
        "average_ascent": round(a.ascent / count, 2),
        "average_descent": round(a.descent / count, 2),
        "average_distance": round(a.distance / count, 3),
        "average_duration": timedelta((a.moving / count).round()),
        "average_pace": if_single(pace(average_speed)),
        "average_speed": if_single(json!(average_speed.map(|s| round(s, 2)))),
        "best_pace": if_single(pace(a.max_speed)),
        "count": a.count,
        "max_speed": if_single(json!(a.max_speed.map(|s| round(s, 2)))),
        "total_ascent": round(a.ascent, 2),
        "total_descent": round(a.descent, 2),
        "total_distance": round(a.distance, 3),
        "total_duration": timedelta(a.moving.round()),
        "total_sports": a.sports,
    })
}
