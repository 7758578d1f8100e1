//! What a workout's points give: chart data and GeoJSON, for the workout
//! and for each segment, served from the points stored at upload.

use rouille::Response;
use serde_json::{Value, json};

use super::can_see;
use super::json::{ChartView, View, chart_point};
use crate::api::ok;
use crate::http::{Ctx, HttpError};
use crate::maps::route_lines as lines;
use crate::maps::tile::TileAddress;
use crate::numbers::round;
use crate::store::{points as stored_points, users, workouts as store};
use crate::workouts::Workout;
use crate::workouts::analysis::ChartPoint;

/// Chart data needs the analysis, GeoJSON the map.
#[derive(Clone, Copy, PartialEq)]
enum Data {
    Chart,
    GeoJson,
}

impl Data {
    fn key(self) -> &'static str {
        match self {
            Data::Chart => "chart_data",
            Data::GeoJson => "geojson",
        }
    }

    /// FitTrackee's empty value of the data in a 404.
    fn empty(self) -> Value {
        match self {
            Data::Chart => json!(""),
            Data::GeoJson => Value::Null,
        }
    }
}

/// The workout of the path and its viewer, or FitTrackee's 404 for `data`.
fn workout_for(ctx: &Ctx<'_>, data: Data) -> Result<(Workout, ChartView), HttpError> {
    let id = ctx.param(0);
    let not_found = || {
        let message = format!("workout not found (id: {id})");
        HttpError::new(404, json!({ "status": "not found", "data": { data.key(): data.empty() }, "message": message }))
    };
    let workout =
        store::by_short_id(&ctx.db, id)?.filter(|w| can_see(w, ctx.caller.user.as_ref())).ok_or_else(not_found)?;
    let owner = users::by_id(&ctx.db, workout.user_id)?.ok_or_else(not_found)?;
    let view = View::load(&ctx.db, ctx.caller.user.as_ref(), &owner)?;
    let visibility = if data == Data::Chart { workout.visibility.analysis } else { workout.visibility.map };
    if !view.sees(visibility) {
        return Err(not_found());
    }
    let shown = ChartView {
        sport_id: workout.sport_id,
        display: view.display(workout.sport_id),
        hr: view.sees(owner.prefs.hr_visibility),
        map: view.sees(workout.visibility.map),
    };
    Ok((workout, shown))
}

/// The stored points, or FitTrackee's 404 for a workout without a file.
fn points_of(ctx: &Ctx<'_>, workout: &Workout) -> Result<Vec<ChartPoint>, HttpError> {
    let points = if workout.file_name.is_some() { stored_points::load(&ctx.db, workout.id)? } else { None };
    points.ok_or_else(|| HttpError::not_found(format!("no file for this workout (id: {})", workout.short_id)))
}

/// The index of the path's segment (`…/segment/<segment_short_id>`).
fn segment_index(ctx: &Ctx<'_>, workout: &Workout) -> Result<Option<usize>, HttpError> {
    let short_id = ctx.param(1);
    let segments = store::segments(&ctx.db, workout.id)?;
    Ok(segments.iter().find(|s| s.short_id == short_id).map(|s| (s.number - 1).max(0) as usize))
}

pub fn chart_data(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let (workout, shown) = workout_for(ctx, Data::Chart)?;
    let points = points_of(ctx, &workout)?;
    Ok(chart_response(&points, None, &shown))
}

pub fn segment_chart_data(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let (workout, shown) = workout_for(ctx, Data::Chart)?;
    let points = points_of(ctx, &workout)?;
    let index = segment_index(ctx, &workout)?
        .ok_or_else(|| HttpError::not_found(format!("No segment with id '{}'", ctx.param(1))))?;
    Ok(chart_response(&points, Some(index), &shown))
}

/// FitTrackee's chart: each segment's distances after the rounded distance
/// of the segments before it; a single segment's durations from its start.
fn chart_response(points: &[ChartPoint], segment: Option<usize>, shown: &ChartView) -> Response {
    let chosen: Vec<&ChartPoint> = points.iter().filter(|p| segment.is_none_or(|s| p.segment == s)).collect();
    let first_duration = if segment.is_some() { chosen.first().map_or(0.0, |p| p.duration) } else { 0.0 };
    let mut before = 0.0;
    let mut out = Vec::with_capacity(chosen.len());
    for (i, p) in chosen.iter().enumerate() {
        let distance = round(p.distance + before, 2);
        out.push(chart_point(p, distance, p.duration - first_duration, shown));
        if chosen.get(i + 1).is_none_or(|next| next.segment != p.segment) {
            before = distance;
        }
    }
    ok(json!({ "status": "success", "message": "", "data": { "chart_data": out } }))
}

pub fn geojson(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let (workout, _) = workout_for(ctx, Data::GeoJson)?;
    let points = points_of(ctx, &workout)?;
    let lines: Vec<Vec<[f64; 2]>> = lines(&points).into_iter().filter(|l| l.len() >= 2).collect();
    if lines.is_empty() {
        return Err(HttpError::not_found("geojson not found"));
    }
    Ok(geojson_response(json!({ "type": "MultiLineString", "coordinates": lines })))
}

pub fn segment_geojson(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let (workout, _) = workout_for(ctx, Data::GeoJson)?;
    let points = points_of(ctx, &workout)?;
    let index = segment_index(ctx, &workout)?.ok_or_else(|| HttpError::not_found("geojson not found"))?;
    let line = lines(&points).into_iter().nth(index).filter(|l| l.len() >= 2);
    let line = line.ok_or_else(|| HttpError::not_found("geojson not found"))?;
    Ok(geojson_response(json!({ "type": "LineString", "coordinates": line })))
}

fn geojson_response(geojson: Value) -> Response {
    ok(json!({ "status": "success", "message": "", "data": { "geojson": geojson } }))
}

/// FitTrackee's feature of a workout on a map.
fn feature(w: &Workout, geometry: Value) -> Value {
    json!({
        "type": "Feature",
        "geometry": geometry,
        "properties": {
            "bounds": w.bounds.map_or(json!([]), |b| json!(b)),
            "id": w.short_id,
            "sport_id": w.sport_id,
            "title": w.title,
            "workout_visibility": w.visibility.workout.name(),
        },
    })
}

/// `[min lon, min lat, max lon, max lat]` of every coordinate, or `[]`.
fn bbox<'c>(coordinates: impl Iterator<Item = &'c [f64; 2]>) -> Value {
    let b = coordinates.fold([f64::MAX, f64::MAX, f64::MIN, f64::MIN], |b, [lon, lat]| {
        [b[0].min(*lon), b[1].min(*lat), b[2].max(*lon), b[3].max(*lat)]
    });
    if b[0] == f64::MAX { json!([]) } else { json!(b) }
}

/// `GET /api/workouts/global-map`: the start of each of the caller's
/// workouts, at most `global_map_workouts_limit` of them.
pub fn global_map(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let owner = users::by_id(&ctx.db, ctx.caller.user()?.id)?.ok_or_else(HttpError::invalid_payload)?;
    let query = crate::http::query(ctx.req);
    let filter = super::request::filter(&ctx.db, &query, &owner)?;
    let sport_ids = match query.text("sport_ids").filter(|s| !s.is_empty()) {
        None => Vec::new(),
        Some(list) => list
            .split(',')
            .map(|id| id.trim().parse::<i64>())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| HttpError::bad_request("invalid sport_ids"))?,
    };
    let limit = crate::store::app_config::get(&ctx.db)?.global_map_workouts_limit;
    let (workouts, total) = crate::store::lists::with_start_points(&ctx.db, &filter, &sport_ids, limit)?;
    let starts: Vec<(&Workout, [f64; 2])> =
        workouts.iter().filter_map(|w| w.start.map(|(lat, lon)| (w, [lon, lat]))).collect();
    let features: Vec<Value> =
        starts.iter().map(|(w, at)| feature(w, json!({ "type": "Point", "coordinates": at }))).collect();
    let data = json!({
        "bbox": bbox(starts.iter().map(|(_, at)| at)),
        "features": features,
        "limit_exceeded": total > workouts.len() as i64,
        "type": "FeatureCollection",
    });
    Ok(ok(json!({ "status": "success", "data": data })))
}

/// `GET /api/workouts/collection`: a page of the list (same filters) as
/// features with each workout's segments.
pub fn collection(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let owner = users::by_id(&ctx.db, ctx.caller.user()?.id)?.ok_or_else(HttpError::invalid_payload)?;
    let query = crate::http::query(ctx.req);
    let super::list::Page { workouts, paging, total, .. } = super::list::page_of(ctx, &query, &owner)?;
    let mut features = Vec::new();
    let mut all: Vec<[f64; 2]> = Vec::new();
    for w in workouts.iter().filter(|w| w.map_id.is_some()) {
        let lines: Vec<Vec<[f64; 2]>> = lines(&stored_points::load(&ctx.db, w.id)?.unwrap_or_default())
            .into_iter()
            .filter(|l| l.len() >= 2)
            .collect();
        if lines.is_empty() {
            continue;
        }
        all.extend(lines.iter().flatten());
        features.push(feature(w, json!({ "type": "MultiLineString", "coordinates": lines })));
    }
    let data = json!({ "bbox": bbox(all.iter()), "features": features, "type": "FeatureCollection" });
    Ok(ok(json!({ "status": "success", "data": data, "pagination": crate::api::pagination(&paging, total) })))
}

/// `GET /api/workouts/map_tile/{s}/{z}/{x}/{y}.png`: a tile of the
/// configured tile server, through this server. Tiles are public: browsers
/// may keep them for a day.
pub fn map_tile(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let address = TileAddress::parse(ctx.param(0), ctx.param(1), ctx.param(2), ctx.param(3))
        .ok_or_else(|| HttpError::not_found("the requested URL was not found on the server"))?;
    let now = ctx.now;
    let tile = ctx.app.maps.tile(&mut ctx.db, &address, now)?;
    Ok(Response::from_data(tile.content_type, tile.data)
        .with_additional_header("Cache-Control", "public, max-age=86400"))
}

/// `GET /api/workouts/map/{map_id}`: the workout's thumbnail. The map id is
/// its only key (FitTrackee's too), so browsers keep it for themselves only.
pub fn map_thumbnail(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let map_id = ctx.param(0).to_string();
    let now = ctx.now;
    let svg = ctx.app.maps.thumbnail(&mut ctx.db, &map_id, now)?;
    Ok(Response::from_data("image/svg+xml", svg).with_additional_header("Cache-Control", "private, max-age=3600"))
}
