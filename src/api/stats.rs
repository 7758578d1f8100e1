//! Records and statistics (`workouts:read`).

use std::collections::BTreeMap;

use rouille::Response;
use serde_json::{Map, Value, json};

use super::ok;
use super::workouts::record_json;
use crate::dates::timedelta;
use crate::equipments::round;
use crate::http::{self, HttpError};
use crate::server::Ctx;
use crate::sports::{UserSport, supports_pace};
use crate::store::users::{self, User};
use crate::store::workouts::{self as store, StatRow};
use crate::store::{app_config, sports};
use crate::workouts::has_elevation;
use crate::workouts::stats::{self, Period, Sums};

/// Each sport's `pace_speed_display` for the user.
pub fn displays(conn: &rusqlite::Connection, user_id: i64) -> Result<BTreeMap<i64, String>, HttpError> {
    Ok(sports::all(conn, Some(user_id))?
        .into_iter()
        .map(|(sport, prefs)| {
            let user_sport = UserSport::new(sport, prefs);
            let display =
                if supports_pace(user_sport.sport.id) { user_sport.prefs.pace_speed_display } else { "speed".into() };
            (user_sport.sport.id, display)
        })
        .collect())
}

/// A user's records as FitTrackee lists them (sport, then type).
pub fn records_json(conn: &rusqlite::Connection, user: &User) -> Result<Vec<Value>, HttpError> {
    let records = store::records_of_user(conn, user.id)?;
    if records.is_empty() {
        return Ok(Vec::new());
    }
    let displays = displays(conn, user.id)?;
    Ok(records
        .iter()
        .filter_map(|r| record_json(r, &user.username, displays.get(&r.sport_id).map_or("speed", String::as_str)))
        .collect())
}

pub fn records(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let user =
        users::by_id(&ctx.db, ctx.caller.user()?.id)?.ok_or_else(|| HttpError::unauthorized(crate::guard::NO_AUTH))?;
    let records = records_json(&ctx.db, &user)?;
    Ok(ok(json!({ "status": "success", "data": { "records": records } })))
}

/// The user of the path, who must be the caller.
fn own_stats_user(ctx: &Ctx<'_>) -> Result<User, HttpError> {
    let user = users::by_username(&ctx.db, ctx.param(0))?
        .filter(|u| u.username == ctx.param(0))
        .ok_or_else(|| HttpError::not_found(crate::accounts::admin::NOT_FOUND))?;
    if user.id != ctx.caller.user()?.id {
        return Err(HttpError::forbidden(crate::guard::NO_PERMISSION));
    }
    Ok(user)
}

fn date_bound(query: &http::Form, key: &str, timezone: &str, days_after: i64) -> Result<Option<i64>, HttpError> {
    let Some(text) = query.text(key).filter(|t| !t.is_empty()) else { return Ok(None) };
    let refuse = || HttpError::message(400, "fail", format!("invalid value for '{key}', expected YYYY-MM-DD"));
    let date: jiff::civil::Date = text.parse().map_err(|_| refuse())?;
    let date = date.checked_add(jiff::Span::new().days(days_after)).map_err(|_| refuse())?;
    let zone = jiff::tz::TimeZone::get(timezone).map_err(|_| refuse())?;
    Ok(Some(zone.to_timestamp(date.to_datetime(jiff::civil::Time::midnight())).map_err(|_| refuse())?.as_second()))
}

fn rows(ctx: &Ctx<'_>, user: &User, sport_id: Option<i64>) -> Result<Vec<StatRow>, HttpError> {
    let query = http::query(ctx.req);
    let timezone = &user.prefs.timezone;
    let from = date_bound(&query, "from", timezone, 0)?;
    let to = date_bound(&query, "to", timezone, 1)?;
    let limit = app_config::get(&ctx.db)?.stats_workouts_limit;
    Ok(store::stat_rows(&ctx.db, user.id, sport_id, from, to, limit)?)
}

fn elevation(value: Option<f64>, sport_id: i64) -> Value {
    json!(value.filter(|_| has_elevation(sport_id)).map(|v| round(v, 2)))
}

fn period_json(sums: &Sums, sport_id: i64, average: bool, display: &str) -> Value {
    let mut out = Map::new();
    out.insert("total_workouts".into(), json!(sums.workouts));
    let prefix = if average { "average" } else { "total" };
    let value = |total: f64| if average { sums.average(total) } else { total };
    out.insert(format!("{prefix}_distance"), json!(round(value(sums.distance), 2)));
    out.insert(format!("{prefix}_duration"), json!(value(sums.moving).round() as i64));
    out.insert(format!("{prefix}_ascent"), elevation(sums.ascent.map(value), sport_id));
    out.insert(format!("{prefix}_descent"), elevation(sums.descent.map(value), sport_id));
    if average {
        if display != "pace"
            && let Some(speed) = sums.average_speed()
        {
            out.insert("average_speed".into(), json!(round(speed, 2)));
        }
        if display != "speed"
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
                    let display = displays.get(sport_id).map_or("speed", String::as_str);
                    (sport_id.to_string(), period_json(sums, *sport_id, average, display))
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
            let display = displays.get(sport_id).map_or("speed", String::as_str);
            let speed = sums.average_speed().filter(|_| display != "pace");
            let pace = sums.average_pace().filter(|_| display != "speed");
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
    let (workouts, sports, users, files) = store::instance_counts(&ctx.db)?;
    Ok(ok(json!({
        "status": "success",
        "data": { "workouts": workouts, "sports": sports, "users": users, "uploads_dir_size": files },
    })))
}
