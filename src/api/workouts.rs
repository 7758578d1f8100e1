//! Workouts (`workouts:*`): lists with filters, single workouts, uploads,
//! manual workouts, changes, charts and file downloads. Serialization
//! follows FitTrackee: RFC 1123 dates, `H:MM:SS` durations, short ids, and
//! values hidden by sport (pace or speed, elevation, cadence, power) and by
//! the owner's visibility choices (analysis, map, heart rate, calories).

use std::collections::HashMap;

use rouille::Response;
use serde_json::{Map, Value, json};

use super::users::light_json;
use super::{json_object, ok, page_param, pagination};
use crate::dates::{http_date, timedelta};
use crate::equipments::{equipment_json, public_equipment_json, round};
use crate::http::{self, Form, HttpError, readable_size};
use crate::server::Ctx;
use crate::sports::{UserSport, supports_pace};
use crate::store::equipments::{self as equipment_store, Equipment};
use crate::store::users::{self, AuthUser, User};
use crate::store::workouts::{self as store, Measures, Record, Workout, WorkoutFilter, WorkoutOrder};
use crate::store::{app_config, points as store_points, sports};
use crate::workouts::analysis;
use crate::workouts::{self as domain, POWER_SPORTS, RPM_CADENCE_SPORTS, SPM_CADENCE_SPORTS, Upload, has_elevation};

/// Who looks, whose workouts, and how the owner displays each sport.
pub struct View<'a> {
    pub viewer: Option<&'a AuthUser>,
    pub owner: &'a User,
    pub sports: HashMap<i64, UserSport>,
}

impl<'a> View<'a> {
    pub fn load(ctx: &Ctx<'_>, viewer: Option<&'a AuthUser>, owner: &'a User) -> Result<View<'a>, HttpError> {
        let sports = sports::all(&ctx.db, Some(owner.id))?
            .into_iter()
            .map(|(sport, prefs)| (sport.id, UserSport::new(sport, prefs)))
            .collect();
        Ok(View { viewer, owner, sports })
    }

    fn is_owner(&self) -> bool {
        self.viewer.is_some_and(|v| v.id == self.owner.id)
    }

    fn sees(&self, visibility: &str) -> bool {
        self.is_owner() || visibility == "public"
    }

    /// `speed`, `pace` or `pace_and_speed` for a sport.
    fn display(&self, sport_id: i64) -> &str {
        match self.sports.get(&sport_id) {
            Some(sport) if supports_pace(sport_id) => &sport.prefs.pace_speed_display,
            _ => "speed",
        }
    }
}

pub fn can_see(workout: &Workout, viewer: Option<&AuthUser>) -> bool {
    viewer.is_some_and(|v| v.id == workout.user_id) || workout.workout_visibility == "public"
}

fn opt(value: Option<f64>, decimals: i32) -> Value {
    json!(value.map(|v| round(v, decimals)))
}

fn integer(value: Option<f64>) -> Value {
    json!(value.map(|v| v.round() as i64))
}

fn pace(speed: Option<f64>) -> Value {
    json!(speed.filter(|s| *s > 0.0).map(|s| timedelta((3600.0 / s).round())))
}

/// The measured values, hidden as the sport and the viewer require.
fn measures_json(m: &Measures, sport_id: i64, view: &View<'_>, force_speed: bool) -> Map<String, Value> {
    let display = view.display(sport_id);
    let speed_shown = force_speed || display != "pace";
    let pace_shown = display != "speed";
    let elevation = has_elevation(sport_id);
    let cadence_factor = if SPM_CADENCE_SPORTS.contains(&sport_id) {
        Some(2.0)
    } else if RPM_CADENCE_SPORTS.contains(&sport_id) {
        Some(1.0)
    } else {
        None
    };
    let power = POWER_SPORTS.contains(&sport_id);
    let hr_shown = view.sees(&view.owner.prefs.hr_visibility);
    let mut out = Map::new();
    let mut put = |key: &str, value: Value| {
        out.insert(key.to_string(), value);
    };
    put("duration", json!(timedelta(m.duration)));
    put("moving", json!(timedelta(m.moving)));
    put("distance", json!(round(m.distance, 3)));
    put("ave_speed", if speed_shown { opt(m.ave_speed, 2) } else { Value::Null });
    put("max_speed", if speed_shown { opt(m.max_speed, 2) } else { Value::Null });
    put("ave_pace", if pace_shown { pace(m.ave_speed) } else { Value::Null });
    put("best_pace", if pace_shown { pace(m.max_speed) } else { Value::Null });
    for (key, value, decimals) in
        [("min_alt", m.min_alt, 2), ("max_alt", m.max_alt, 2), ("ascent", m.ascent, 3), ("descent", m.descent, 3)]
    {
        put(key, if elevation { opt(value, decimals) } else { Value::Null });
    }
    let cadence = |v: Option<f64>| cadence_factor.map_or(Value::Null, |f| integer(v.map(|c| c * f)));
    put("ave_cadence", cadence(m.ave_cadence));
    put("max_cadence", cadence(m.max_cadence));
    put("ave_power", if power { integer(m.ave_power) } else { Value::Null });
    put("max_power", if power { integer(m.max_power) } else { Value::Null });
    put("ave_hr", if hr_shown { integer(m.ave_hr) } else { Value::Null });
    put("max_hr", if hr_shown { integer(m.max_hr) } else { Value::Null });
    out
}

/// FitTrackee's record object; `None` when the sport's display hides it.
pub fn record_json(record: &Record, username: &str, display: &str) -> Option<Value> {
    let hidden = match record.record_type.as_str() {
        "HA" => !has_elevation(record.sport_id),
        "AS" | "MS" => display == "pace",
        "AP" | "BP" => display == "speed",
        _ => false,
    };
    if hidden {
        return None;
    }
    let value = match record.record_type.as_str() {
        "LD" => json!(timedelta(record.value.round())),
        "AP" | "BP" => json!(timedelta(record.value.round())),
        "FD" => json!(round(record.value, 3)),
        _ => json!(round(record.value, 2)),
    };
    Some(json!({
        "id": record.id,
        "user": username,
        "sport_id": record.sport_id,
        "workout_id": record.workout_short_id,
        "record_type": record.record_type,
        "workout_date": http_date(record.workout_date),
        "value": value,
    }))
}

/// What a list item and a full object share.
fn base_json(w: &Workout, view: &View<'_>, records: &[Record], force_speed: bool) -> Map<String, Value> {
    let owner = view.is_owner();
    let analysis_shown = view.sees(&w.analysis_visibility);
    let display = view.display(w.sport_id);
    let mut out = measures_json(&w.measures, w.sport_id, view, force_speed);
    let records: Vec<Value> = records
        .iter()
        .filter(|r| r.workout_short_id == w.short_id)
        .filter_map(|r| record_json(r, &view.owner.username, display))
        .collect();
    let fields = json!({
        "id": w.short_id,
        "sport_id": w.sport_id,
        "workout_date": http_date(w.workout_date),
        "workout_visibility": w.workout_visibility,
        "analysis_visibility": w.analysis_visibility,
        "map_visibility": w.map_visibility,
        "title": w.title,
        "source": w.source,
        "records": records,
        "calories": if view.sees(&view.owner.prefs.calories_visibility) { integer(w.calories) } else { Value::Null },
        "creation_date": null,
        "modification_date": null,
        "pauses": null,
        "segments": [],
        "weather_start": null,
        "weather_end": null,
        "notes": if owner { json!(w.notes.clone().unwrap_or_default()) } else { json!("") },
        "description": w.description,
        "likes_count": 0,
        "liked": false,
        "equipments": [],
        "map": null,
        "with_file": w.file_name.is_some(),
        "with_analysis": w.file_name.is_some() && analysis_shown,
        "suspended": false,
        "user": light_json(view.owner, view.viewer),
        "next_workout": null,
        "previous_workout": null,
        "bounds": [],
    });
    if let Value::Object(fields) = fields {
        out.extend(fields);
    }
    if owner {
        out.insert("suspended_at".into(), Value::Null);
    }
    out
}

fn equipments_json(equipments: &[Equipment], owner: bool) -> Value {
    let items: Vec<Value> =
        equipments.iter().map(|e| if owner { equipment_json(e) } else { public_equipment_json(e) }).collect();
    json!(items)
}

/// The full object of a single workout.
pub fn full_json(ctx: &Ctx<'_>, w: &Workout, view: &View<'_>) -> Result<Value, HttpError> {
    let records = store::records_of_workouts(&ctx.db, &[w.id])?;
    let mut out = base_json(w, view, &records, false);
    let owner = view.is_owner();
    let segments: Vec<Value> = store::segments(&ctx.db, w.id)?
        .iter()
        .map(|s| {
            let mut segment = measures_json(&s.measures, w.sport_id, view, false);
            segment.insert("workout_id".into(), json!(w.short_id));
            segment.insert("segment_id".into(), json!(s.short_id));
            segment.insert("segment_number".into(), json!(s.number));
            segment.insert("pauses".into(), json!(timedelta((s.measures.duration - s.measures.moving).max(0.0))));
            Value::Object(segment)
        })
        .collect();
    let (previous, next) = if owner { store::neighbours(&ctx.db, w)? } else { (None, None) };
    let map_shown = view.sees(&w.map_visibility);
    let extra = json!({
        "equipments": equipments_json(&equipment_store::of_workout(&ctx.db, w.id)?, owner),
        "creation_date": http_date(w.created_at),
        "modification_date": w.modified_at.map(http_date),
        "pauses": timedelta((w.measures.duration - w.measures.moving).max(0.0)),
        "segments": if view.sees(&w.analysis_visibility) { json!(segments) } else { json!([]) },
        "with_geometry": false,
        "notes": if owner { json!(w.notes) } else { Value::Null },
        "next_workout": next,
        "previous_workout": previous,
        "bounds": match (map_shown, w.bounds) { (true, Some(b)) => json!(b), _ => json!([]) },
    });
    if let Value::Object(extra) = extra {
        out.extend(extra);
    }
    if owner {
        out.insert("original_file".into(), json!(w.file_name.as_deref().and_then(domain::extension)));
        out.insert("elevation_data_source".into(), json!(w.file_name.as_ref().map(|_| "file")));
    }
    Ok(Value::Object(out))
}

fn not_found_data(key: &str, empty: Value) -> HttpError {
    HttpError::new(404, json!({ "status": "not found", "data": { key: empty } }))
}

fn workout_not_found() -> HttpError {
    not_found_data("workouts", json!([]))
}

/// The workout of the path, if the caller may see it.
fn visible_workout(ctx: &Ctx<'_>) -> Result<Workout, HttpError> {
    let workout = store::by_short_id(&ctx.db, ctx.param(0))?.ok_or_else(workout_not_found)?;
    if !can_see(&workout, ctx.caller.user.as_ref()) {
        return Err(workout_not_found());
    }
    Ok(workout)
}

/// The caller's own workout: others who can see it get 403, the rest 404.
fn own_workout(ctx: &Ctx<'_>) -> Result<(Workout, User), HttpError> {
    let workout = visible_workout(ctx)?;
    let caller = ctx.caller.user()?;
    if workout.user_id != caller.id {
        return Err(HttpError::forbidden(crate::guard::NO_PERMISSION));
    }
    let user = users::by_id(&ctx.db, caller.id)?.ok_or_else(workout_not_found)?;
    Ok((workout, user))
}

/// One workout in FitTrackee's envelope; the owner is read afresh (a
/// change may have moved their totals).
fn one_workout(ctx: &Ctx<'_>, w: &Workout, status: u16, word: &str) -> Result<Response, HttpError> {
    let owner = users::by_id(&ctx.db, w.user_id)?.ok_or_else(workout_not_found)?;
    let view = View::load(ctx, ctx.caller.user.as_ref(), &owner)?;
    let body = json!({ "status": word, "data": { "workouts": [full_json(ctx, w, &view)?] } });
    Ok(http::json(status, &body))
}

pub fn show(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let workout = visible_workout(ctx)?;
    one_workout(ctx, &workout, 200, "success")
}

pub fn create(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let config = app_config::get(&ctx.db)?;
    let limit = config.max_zip_file_size.max(config.max_single_file_size) as u64;
    let form = read_upload(ctx, limit)?;
    let file = form.file("file").ok_or_else(|| HttpError::message(400, "fail", "no file part"))?;
    let file_name = file.filename.as_deref().unwrap_or("");
    domain::check_file_name(file_name)?;
    if file.data.len() as i64 > config.max_single_file_size {
        return Err(too_large(Some(file.data.len() as u64), config.max_single_file_size as u64));
    }
    let data = form
        .text("data")
        .and_then(domain::lenient_json)
        .and_then(|v| v.as_object().cloned())
        .ok_or_else(HttpError::invalid_payload)?;
    let user = users::by_id(&ctx.db, ctx.caller.user()?.id)?.ok_or_else(HttpError::invalid_payload)?;
    let upload = Upload { file_name, content: &file.data };
    let workout = domain::create_from_file(&mut ctx.db, &user, &data, &upload, ctx.now)?;
    one_workout(ctx, &workout, 201, "created")
}

fn too_large(size: Option<u64>, limit: u64) -> HttpError {
    let size = size.map(|s| format!("({}) ", readable_size(s))).unwrap_or_default();
    HttpError::message(
        413,
        "fail",
        format!("Error during workout upload, file size {size}exceeds {}.", readable_size(limit)),
    )
}

/// The multipart body of an upload, read with the upload limit.
fn read_upload(ctx: &Ctx<'_>, limit: u64) -> Result<Form, HttpError> {
    let body = ctx
        .body(limit)
        .map_err(|e| if e.status == 413 { too_large(http::declared_length(ctx.req), limit) } else { e })?;
    http::parse_form(ctx.req, &body)
}

pub fn create_manual(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let data = json_object(ctx)?;
    let user = users::by_id(&ctx.db, ctx.caller.user()?.id)?.ok_or_else(HttpError::invalid_payload)?;
    let workout = domain::create_manual(&mut ctx.db, &user, &data, ctx.now)?;
    one_workout(ctx, &workout, 201, "created")
}

pub fn update(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let (workout, user) = own_workout(ctx)?;
    let data = json_object(ctx)?;
    let workout = domain::update(&mut ctx.db, &user, &workout, &data, ctx.now)?;
    one_workout(ctx, &workout, 200, "success")
}

pub fn delete(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let (workout, _) = own_workout(ctx)?;
    domain::delete(&mut ctx.db, &workout)?;
    Ok(Response::empty_204())
}

pub fn refresh(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let (workout, user) = own_workout(ctx)?;
    let workout = domain::refresh(&mut ctx.db, &user, &workout, ctx.now)?;
    one_workout(ctx, &workout, 200, "success")
}

/// `GET …/gpx`: removed upstream.
pub fn gone(_ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    Ok(http::json(410, &json!({})))
}

pub fn chart_data(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let id = ctx.param(0).to_string();
    let not_found = |message: String| {
        HttpError::new(404, json!({ "status": "not found", "data": { "chart_data": "" }, "message": message }))
    };
    let workout = store::by_short_id(&ctx.db, &id)?
        .filter(|w| can_see(w, ctx.caller.user.as_ref()))
        .ok_or_else(|| not_found(format!("workout not found (id: {id})")))?;
    let owner = users::by_id(&ctx.db, workout.user_id)?.ok_or_else(workout_not_found)?;
    let view = View::load(ctx, ctx.caller.user.as_ref(), &owner)?;
    if !view.sees(&workout.analysis_visibility) {
        return Err(not_found(format!("workout not found (id: {id})")));
    }
    // Computed at upload: a chart never reads the file again.
    let Some(stored) = store_points::load(&ctx.db, workout.id)? else {
        return Err(not_found(format!("no file for this workout (id: {id})")));
    };
    let shown = ChartView {
        sport_id: workout.sport_id,
        display: view.display(workout.sport_id).to_string(),
        hr: view.sees(&owner.prefs.hr_visibility),
        // Coordinates never leave the server for who may not see the map.
        map: view.sees(&workout.map_visibility),
    };
    let points: Vec<Value> = stored.iter().map(|p| chart_point(p, &shown)).collect();
    Ok(ok(json!({ "status": "success", "message": "", "data": { "chart_data": points } })))
}

/// What a chart shows of its points, for this viewer.
struct ChartView {
    sport_id: i64,
    display: String,
    hr: bool,
    map: bool,
}

fn chart_point(p: &analysis::ChartPoint, shown: &ChartView) -> Value {
    let (sport_id, display) = (shown.sport_id, shown.display.as_str());
    let mut point = json!({
        "distance": round(p.distance, 2),
        "duration": p.duration.round() as i64,
        "time": jiff::Timestamp::from_second(p.time.floor() as i64)
            .map(|t| t.strftime("%Y-%m-%d %H:%M:%S+00:00").to_string())
            .unwrap_or_default(),
    });
    if shown.map && p.latitude.is_finite() && p.longitude.is_finite() {
        point["latitude"] = json!(p.latitude);
        point["longitude"] = json!(p.longitude);
    }
    let mut put = |key: &str, value: Option<Value>| {
        if let Some(value) = value {
            point[key] = value;
        }
    };
    put("elevation", p.elevation.filter(|_| has_elevation(sport_id)).map(|e| json!(round(e, 1))));
    put("speed", (display != "pace").then(|| json!(round(p.speed, 2))));
    put("pace", (display != "speed" && p.speed > 0.0).then(|| json!(timedelta((3600.0 / p.speed).round()))));
    put("hr", p.heart_rate.filter(|_| shown.hr).map(|v| json!(v.round() as i64)));
    let factor = if SPM_CADENCE_SPORTS.contains(&sport_id) {
        Some(2.0)
    } else {
        RPM_CADENCE_SPORTS.contains(&sport_id).then_some(1.0)
    };
    put("cadence", p.cadence.zip(factor).map(|(c, f)| json!((c * f).round() as i64)));
    put("power", p.power.filter(|_| POWER_SPORTS.contains(&sport_id)).map(|v| json!(v.round() as i64)));
    point
}

/// The owner's file, as an attachment.
fn download(ctx: &Ctx<'_>) -> Result<(String, Vec<u8>), HttpError> {
    let id = ctx.param(0);
    let workout = store::by_short_id(&ctx.db, id)?
        .filter(|w| ctx.caller.user.as_ref().is_some_and(|u| u.id == w.user_id))
        .ok_or_else(|| {
            HttpError::new(404, json!({ "status": "not found", "data": { "workout": [] }, "message": format!("workout not found (id: {id})") }))
        })?;
    store::file(&ctx.db, workout.id)?.ok_or_else(|| {
        HttpError::new(
            404,
            json!({ "status": "not found", "data": { "original_file": [] }, "message": format!("no original file for workout (id: {id})") }),
        )
    })
}

fn attachment(name: &str, content: Vec<u8>) -> Response {
    let mime = match domain::extension(name).as_deref() {
        Some("fit") => "application/vnd.ant.fit",
        Some("kml") => "application/vnd.google-earth.kml+xml",
        Some("kmz") => "application/vnd.google-earth.kmz",
        Some("tcx") => "application/vnd.garmin.tcx+xml",
        _ => "application/gpx+xml",
    };
    Response::from_data(mime, content)
        .with_content_disposition_attachment(&crate::http::headers::attachment_name(name, "workout.gpx"))
}

pub fn gpx_download(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let (name, content) = download(ctx)?;
    Ok(attachment(&name, content))
}

pub fn original_download(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let (name, content) = download(ctx)?;
    Ok(attachment(&name, content))
}

/// A page of list items for one owner.
fn list_items(
    ctx: &Ctx<'_>,
    workouts: &[Workout],
    view: &View<'_>,
    equipments: bool,
    force_speed: bool,
) -> Result<Vec<Value>, HttpError> {
    let ids: Vec<i64> = workouts.iter().map(|w| w.id).collect();
    let records = store::records_of_workouts(&ctx.db, &ids)?;
    workouts
        .iter()
        .map(|w| {
            let mut item = base_json(w, view, &records, force_speed);
            if equipments {
                item.insert(
                    "equipments".into(),
                    equipments_json(&equipment_store::of_workout(&ctx.db, w.id)?, view.is_owner()),
                );
            }
            Ok(Value::Object(item))
        })
        .collect()
}

pub fn user_workouts(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let owner = users::by_username(&ctx.db, ctx.param(0))?
        .filter(|u| u.is_active)
        .ok_or_else(|| HttpError::not_found(crate::accounts::admin::NOT_FOUND))?;
    let viewer = ctx.caller.user.clone();
    let own = viewer.as_ref().is_some_and(|v| v.id == owner.id);
    let workouts = store::latest(&ctx.db, owner.id, own, 5)?;
    let view = View::load(ctx, viewer.as_ref(), &owner)?;
    let items = list_items(ctx, &workouts, &view, false, false)?;
    Ok(ok(json!({ "status": "success", "data": { "workouts": items } })))
}

const MAX_PER_PAGE: i64 = 100;

pub fn list(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let caller = ctx.caller.user()?.clone();
    let owner = users::by_id(&ctx.db, caller.id)?.ok_or_else(workout_not_found)?;
    let query = http::query(ctx.req);
    let filter = parse_filter(ctx, &query, &owner)?;
    let per_page =
        query.text("per_page").and_then(|p| p.parse().ok()).filter(|p| *p >= 1).unwrap_or(5).min(MAX_PER_PAGE);
    let page = page_param(&query);
    let order = match query.text("order_by") {
        None => WorkoutOrder::WorkoutDate,
        Some(name) => WorkoutOrder::parse(name).ok_or_else(|| HttpError::bad_request("invalid order_by"))?,
    };
    let ascending = query.text("order") == Some("asc");
    let total = store::count(&ctx.db, &filter)?;
    let workouts = store::page(&ctx.db, &filter, order, ascending, per_page, (page - 1) * per_page)?;
    let view = View::load(ctx, Some(&caller), &owner)?;
    let force_speed =
        total > 1 && filter.sport_id.is_none() && workouts.iter().any(|w| view.display(w.sport_id) != "pace");
    let items = list_items(ctx, &workouts, &view, query.text("return_equipments") == Some("true"), force_speed)?;
    let mut data = json!({ "workouts": items });
    if query.text("with_statistics") == Some("true") {
        let limit = app_config::get(&ctx.db)?.stats_workouts_limit;
        let all = store::aggregate(&ctx.db, &filter, limit)?;
        data["statistics"] = json!({ "current_page": page_statistics(&workouts), "all": statistics_json(&all) });
    }
    Ok(ok(json!({ "status": "success", "data": data, "pagination": pagination(page, per_page, total) })))
}

fn page_statistics(workouts: &[Workout]) -> Value {
    let mut sports: Vec<i64> = workouts.iter().map(|w| w.sport_id).collect();
    sports.sort_unstable();
    sports.dedup();
    let sum = |f: fn(&Measures) -> Option<f64>| workouts.iter().filter_map(|w| f(&w.measures)).sum::<f64>();
    statistics_json(&store::Aggregate {
        count: workouts.len() as i64,
        sports: sports.len() as i64,
        distance: sum(|m| Some(m.distance)),
        moving: sum(|m| Some(m.moving)),
        ascent: sum(|m| m.ascent),
        descent: sum(|m| m.descent),
        max_speed: workouts.iter().filter_map(|w| w.measures.max_speed).reduce(f64::max),
    })
}

fn statistics_json(a: &store::Aggregate) -> Value {
    let count = a.count.max(1) as f64;
    let single_sport = a.sports == 1;
    let average_speed = (a.moving > 0.0).then(|| a.distance / (a.moving / 3600.0));
    json!({
        "average_ascent": round(a.ascent / count, 2),
        "average_descent": round(a.descent / count, 2),
        "average_distance": round(a.distance / count, 3),
        "average_duration": timedelta((a.moving / count).round()),
        "average_pace": if single_sport { pace(average_speed) } else { Value::Null },
        "average_speed": if single_sport { opt(average_speed, 2) } else { Value::Null },
        "best_pace": if single_sport { pace(a.max_speed) } else { Value::Null },
        "count": a.count,
        "max_speed": if single_sport { opt(a.max_speed, 2) } else { Value::Null },
        "total_ascent": round(a.ascent, 2),
        "total_descent": round(a.descent, 2),
        "total_distance": round(a.distance, 3),
        "total_duration": timedelta(a.moving.round()),
        "total_sports": a.sports,
    })
}

/// `H:MM`, `HH:MM` or `HH:MM:SS` (hours 0–23) as seconds.
fn parse_duration(text: &str) -> Option<f64> {
    let parts: Vec<&str> = text.split(':').collect();
    if !(2..=3).contains(&parts.len())
        || parts.iter().any(|p| p.is_empty() || p.len() > 2 || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let numbers: Vec<i64> = parts.iter().filter_map(|p| p.parse().ok()).collect();
    let (h, m, s) = (numbers[0], numbers[1], numbers.get(2).copied().unwrap_or(0));
    (h < 24 && m < 60 && s < 60).then(|| (h * 3600 + m * 60 + s) as f64)
}

/// `M:SS` per km as seconds.
fn parse_pace(text: &str) -> Option<f64> {
    let (m, s) = text.split_once(':')?;
    let (m, s): (i64, i64) = (m.parse().ok()?, s.parse().ok()?);
    (m >= 0 && (0..60).contains(&s) && s.to_string().len() <= 2 && (m > 0 || s > 0)).then(|| (m * 60 + s) as f64)
}

/// A `YYYY-MM-DD` day in the user's time zone, as the Unix second it starts.
fn day_start(text: &str, timezone: &str, days_after: i64) -> Result<i64, HttpError> {
    let refuse = || HttpError::bad_request("invalid date format, expected YYYY-MM-DD");
    let date: jiff::civil::Date = text.parse().map_err(|_| refuse())?;
    let date = date.checked_add(jiff::Span::new().days(days_after)).map_err(|_| refuse())?;
    let zone = jiff::tz::TimeZone::get(timezone).map_err(|_| refuse())?;
    Ok(zone.to_timestamp(date.to_datetime(jiff::civil::Time::midnight())).map_err(|_| refuse())?.as_second())
}

fn parse_filter(ctx: &Ctx<'_>, query: &Form, owner: &User) -> Result<WorkoutFilter, HttpError> {
    let mut filter = WorkoutFilter::of_user(owner.id);
    let text = |key: &str| query.text(key).filter(|v| !v.is_empty());
    let number = |key: &str| -> Result<Option<f64>, HttpError> {
        text(key)
            .map(|v| {
                v.parse::<f64>()
                    .ok()
                    .filter(|n| n.is_finite())
                    .ok_or_else(|| HttpError::bad_request(format!("invalid value for '{key}'")))
            })
            .transpose()
    };
    let duration = |key: &str| -> Result<Option<f64>, HttpError> {
        text(key).map(|v| parse_duration(v).ok_or_else(|| HttpError::bad_request("invalid duration"))).transpose()
    };
    let pace_bound = |key: &str| -> Result<Option<f64>, HttpError> {
        text(key).map(|v| parse_pace(v).ok_or_else(|| HttpError::bad_request("invalid duration"))).transpose()
    };
    filter.sport_id = number("sport_id")?.map(|n| n as i64);
    filter.title = text("title").map(str::to_owned);
    filter.notes = text("notes").map(str::to_owned);
    filter.description = text("description").map(str::to_owned);
    let timezone = &owner.prefs.timezone;
    filter.from = text("from").map(|d| day_start(d, timezone, 0)).transpose()?;
    filter.to = text("to").map(|d| day_start(d, timezone, 1)).transpose()?;
    filter.distance = (number("distance_from")?, number("distance_to")?);
    filter.moving = (duration("duration_from")?, duration("duration_to")?);
    // Paces (seconds per km) bound speeds the other way round.
    let speed_of = |pace: Option<f64>| pace.map(|p| 3600.0 / p);
    let (ave_pace_from, ave_pace_to) = (pace_bound("ave_pace_from")?, pace_bound("ave_pace_to")?);
    let (max_pace_from, max_pace_to) = (pace_bound("max_pace_from")?, pace_bound("max_pace_to")?);
    filter.ave_speed =
        (number("ave_speed_from")?.or(speed_of(ave_pace_to)), number("ave_speed_to")?.or(speed_of(ave_pace_from)));
    filter.max_speed =
        (number("max_speed_from")?.or(speed_of(max_pace_to)), number("max_speed_to")?.or(speed_of(max_pace_from)));
    filter.equipment = match text("equipment_id") {
        None => None,
        Some("none") => Some(None),
        // An unknown id matches nothing.
        Some(id) => Some(Some(
            equipment_store::by_short_id(&ctx.db, id)?.filter(|e| e.user_id == owner.id).map_or(-1, |e| e.id),
        )),
    };
    filter.visibility = match text("workout_visibility") {
        None => None,
        Some(v) if crate::accounts::profile::VISIBILITIES.contains(&v) => Some(v.to_string()),
        Some(_) => return Err(HttpError::bad_request("invalid value for visibility")),
    };
    if let Some(coordinates) = text("coordinates") {
        let radius = match text("radius") {
            None => 10.0,
            Some(r) => r
                .parse::<f64>()
                .ok()
                .filter(|r| *r > 0.0 && r.is_finite())
                .ok_or_else(|| HttpError::bad_request("invalid radius, must be an float greater than zero"))?,
        };
        let parsed = coordinates
            .split_once(',')
            .and_then(|(lat, lon)| Some((lat.trim().parse::<f64>().ok()?, lon.trim().parse::<f64>().ok()?)));
        let (lat, lon) = parsed
            .filter(|(lat, lon)| lat.abs() <= 90.0 && lon.abs() <= 180.0)
            .ok_or_else(|| HttpError::bad_request("invalid coordinates"))?;
        filter.near = Some((lat, lon, radius));
    }
    Ok(filter)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_paces_in_filters() {
        assert_eq!(parse_duration("1:30"), Some(5400.0));
        assert_eq!(parse_duration("01:30:15"), Some(5415.0));
        for bad in ["24:00", "1:60", "1", "a:b", "1:2:3:4", "", "1:"] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
        assert_eq!(parse_pace("5:30"), Some(330.0));
        assert_eq!(parse_pace("5:75"), None);
        assert_eq!(parse_pace("0:00"), None);
    }
}
