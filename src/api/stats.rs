//! Records and statistics (`workouts:read`).

use std::collections::BTreeMap;

use rouille::Response;
use serde_json::{Map, Value, json};

use super::workouts::record_json;
use super::workouts::request::day_start;
use super::{USER_NOT_FOUND, ok};
use crate::accounts::user::User;
use crate::dates::timedelta;
use crate::http::{self, Ctx, HttpError};
use crate::numbers::round;
use crate::sports::{SpeedDisplay, UserSport, info};
use crate::store::{app_config, records, sports, users, workouts as stored_workouts};
use crate::workouts::StatRow;
use crate::workouts::stats::{self, Period, Sums};

/// How the user shows each sport's speed.
pub fn displays(conn: &rusqlite::Connection, user_id: i64) -> Result<BTreeMap<i64, SpeedDisplay>, HttpError> {
    Ok(sports::all(conn, Some(user_id))?
        .into_iter()
        .map(|(sport, prefs)| (sport.id, UserSport::new(sport, prefs).display()))
        .collect())
}

fn display_of(displays: &BTreeMap<i64, SpeedDisplay>, sport_id: i64) -> SpeedDisplay {
    displays.get(&sport_id).copied().unwrap_or(SpeedDisplay::Speed)
}

/// A user's records as FitTrackee lists them (sport, then type).
pub fn records_json(conn: &rusqlite::Connection, user: &User) -> Result<Vec<Value>, HttpError> {
    let records = records::records_of_user(conn, user.id)?;
    if records.is_empty() {
        return Ok(Vec::new());
    }
    let displays = displays(conn, user.id)?;
    Ok(records.iter().filter_map(|r| record_json(r, &user.username, display_of(&displays, r.sport_id))).collect())
}

pub fn records(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let user =
        users::by_id(&ctx.db, ctx.caller.user()?.id)?.ok_or_else(|| HttpError::unauthorized(crate::http::NO_AUTH))?;
    let records = records_json(&ctx.db, &user)?;
    Ok(ok(json!({ "status": "success", "data": { "records": records } })))
}

/// The user of the path, who must be the caller.
fn own_stats_user(ctx: &Ctx<'_>) -> Result<User, HttpError> {
    let user = users::by_username(&ctx.db, ctx.param(0))?
        .filter(|u| u.username == ctx.param(0))
        .ok_or_else(|| HttpError::not_found(USER_NOT_FOUND))?;
    if user.id != ctx.caller.user()?.id {
        return Err(HttpError::forbidden(crate::http::guard::NO_PERMISSION));
    }
    Ok(user)
}

fn date_bound(query: &http::Form, key: &str, timezone: &str, days_after: i64) -> Result<Option<i64>, HttpError> {
    let Some(text) = query.text(key).filter(|t| !t.is_empty()) else { return Ok(None) };
    let refusal = HttpError::message(400, "fail", format!("invalid value for '{key}', expected YYYY-MM-DD"));
    day_start(text, timezone, days_after, refusal).map(Some)
}

fn rows(ctx: &Ctx<'_>, user: &User, sport_id: Option<i64>) -> Result<Vec<StatRow>, HttpError> {
    let query = http::query(ctx.req);
    let timezone = &user.prefs.timezone;
    let from = date_bound(&query, "from", timezone, 0)?;
    let to = date_bound(&query, "to", timezone, 1)?;
    let limit = app_config::get(&ctx.db)?.stats_workouts_limit;
    Ok(records::stat_rows(&ctx.db, user.id, sport_id, from, to, limit)?)
}

fn elevation(value: Option<f64>, sport_id: i64) -> Value {
    json!(value.filter(|_| info(sport_id).elevation).map(|v| round(v, 2)))
}

fn period_json(sums: &Sums, sport_id: i64, average: bool, display: SpeedDisplay) -> Value {
    let mut out = Map::new();
    out.insert("total_workouts".into(), json!(sums.workouts));
    let prefix = if average { "average" } else { "total" };
    let value = |total: f64| if average { sums.average(total) } else { total };
    out.insert(format!("{prefix}_distance"), json!(round(value(sums.distance), 2)));
    out.insert(format!("{prefix}_duration"), json!(value(sums.moving).round() as i64));
    out.insert(format!("{prefix}_ascent"), elevation(sums.ascent.map(value), sport_id));
    out.insert(format!("{prefix}_descent"), elevation(sums.descent.map(value), sport_id));
    if average {
        if display.shows_speed()
            && let Some(speed) = sums.average_speed()
        {
            out.insert("average_speed".into(), json!(round(speed, 2)));
        }
        if display.shows_pace()
            && let Some(pace) = sums.average_pace()
        {
            out.insert("average_pace".into(), json!(pace.round() as i64));
        }
    } else {
        out.insert("total_calories".into(), json!(sums.calories.map(|c| c.round() as i64)));
    }
    Value::Object(out)
}

pub fn by_time(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let user = own_stats_user(ctx)?;
    let query = http::query(ctx.req);
    let period = match query.text("time") {
        None => Period::Year,
        Some(name) => Period::parse(name).ok_or_else(|| HttpError::message(400, "fail", "invalid time period"))?,
    };
    let average = match query.text("type") {
        None | Some("total") => false,
        Some("average") => true,
        Some(_) => return Err(HttpError::message(400, "fail", "invalid stats type")),
    };
    let rows = rows(ctx, &user, None)?;
    let zone = jiff::tz::TimeZone::get(&user.prefs.timezone).unwrap_or(jiff::tz::TimeZone::UTC);
    let displays = displays(&ctx.db, user.id)?;
    let statistics: Map<String, Value> = stats::by_time(&rows, period, &zone)
        .into_iter()
        .map(|(key, per_sport)| {
            let sports: Map<String, Value> = per_sport
                .iter()
                .map(|(sport_id, sums)| {
                    (sport_id.to_string(), period_json(sums, *sport_id, average, display_of(&displays, *sport_id)))
                })
                .collect();
            (key, Value::Object(sports))
        })
        .collect();
    Ok(ok(json!({ "status": "success", "data": { "statistics": statistics } })))
}

pub fn by_sport(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let user = own_stats_user(ctx)?;
    let sport_id = match http::query(ctx.req).text("sport_id") {
        None => None,
        Some(id) => {
            let id = id.parse::<i64>().ok().filter(|id| sports::one(&ctx.db, *id, None).ok().flatten().is_some());
            Some(id.ok_or_else(|| HttpError::not_found("sport does not exist"))?)
        }
    };
    let rows = rows(ctx, &user, sport_id)?;
    let displays = displays(&ctx.db, user.id)?;
    let per_sport = stats::by_sport(&rows);
    let statistics: Map<String, Value> = per_sport
        .iter()
        .map(|(sport_id, sums)| {
            let display = display_of(&displays, *sport_id);
            let speed = sums.average_speed().filter(|_| display.shows_speed());
            let pace = sums.average_pace().filter(|_| display.shows_pace());
            let value = json!({
                "average_speed": speed.map(|s| round(s, 2)),
                "average_ascent": elevation(sums.ascent.map(|a| sums.average(a)), *sport_id),
                "average_descent": elevation(sums.descent.map(|d| sums.average(d)), *sport_id),
                "average_distance": round(sums.average(sums.distance), 2),
                "average_duration": timedelta(sums.average(sums.moving).round()),
                "total_ascent": elevation(sums.ascent, *sport_id),
                "total_descent": elevation(sums.descent, *sport_id),
                "total_distance": round(sums.distance, 2),
                "total_duration": timedelta(sums.moving.round()),
                "average_pace": pace.map(|p| timedelta(p.round())),
                "total_calories": sums.calories.map(|c| c.round() as i64),
                "total_workouts": sums.workouts,
            });
            (sport_id.to_string(), value)
        })
        .collect();
    Ok(ok(json!({
        "status": "success",
        "data": { "statistics": statistics, "total_workouts": rows.len() },
    })))
}

pub fn all(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let (workouts, sports, users, files) = stored_workouts::instance_counts(&ctx.db)?;
    Ok(ok(json!({
        "status": "success",
        "data": { "workouts": workouts, "sports": sports, "users": users, "uploads_dir_size": files },
    })))
}
