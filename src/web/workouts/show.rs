//! A workout's page: its measures in the reader's units, the route drawn
//! from its points, its charts, segments, records and equipment; for its
//! owner, downloads and changes. What a visitor sees follows the same
//! visibilities as the API: no map, no route and no coordinates for who
//! may not see the map.

use maud::{Markup, html};
use rouille::Response;

use super::charts::{Over, Shown, charts};
use crate::api::workouts::{View, cadence_factor, can_see, record_shown};
use crate::http::{self, Ctx, HttpError};
use crate::sports::info;
use crate::store::{equipments, points, records, users, workouts as store};
use crate::web::me::record_name;
use crate::web::svg::route_map;
use crate::web::units::{Reader, duration};
use crate::web::{csrf_field, html_response, page};
use crate::workouts::Workout;
use crate::workouts::analysis::ChartPoint;

/// The workout of the path, if the caller may see it (else the same 404
/// for "missing" and "not yours").
pub fn visible(ctx: &Ctx<'_>) -> Result<Workout, HttpError> {
    store::by_short_id(&ctx.db, ctx.param(0))?
        .filter(|w| can_see(w, ctx.caller.user.as_ref()))
        .ok_or_else(|| HttpError::not_found("There is no such workout, or it is not shown to you."))
}

pub fn show(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let workout = visible(ctx)?;
    let owner = users::by_id(&ctx.db, workout.user_id)?.ok_or_else(|| HttpError::not_found("no such workout"))?;
    let viewer = ctx.caller.user.clone();
    let view = View::load(&ctx.db, viewer.as_ref(), &owner)?;
    let reader = match &viewer {
        Some(v) => users::by_id(&ctx.db, v.id)?.map_or_else(Reader::visitor, |u| Reader::of(&u.prefs)),
        None => Reader::visitor(),
    };
    let over = if http::query(ctx.req).text("x") == Some("time") { Over::Time } else { Over::Distance };
    let map_shown = view.sees(workout.visibility.map);
    let analysis_shown = view.sees(workout.visibility.analysis);
    let stored = if map_shown || analysis_shown { points::load(&ctx.db, workout.id)? } else { None };
    let stored = stored.unwrap_or_default();
    let label = view.sports.get(&workout.sport_id).map_or("Sport", |s| s.sport.label.as_str());
    let markup = html! {
        p.crumbs { a href=(if view.is_owner() { "/workouts" } else { "/" }) { "Workouts" } " › " (label) }
        h1 { (workout.title) }
        p.subtitle { (label) " · " (reader.date_time(workout.workout_date)) }
        @if view.is_owner() { (owner_actions(ctx, &workout)) }
        (facts(&workout, &view, &reader))
        @if map_shown { (route(&workout, &stored)) }
        @if analysis_shown && !stored.is_empty() { (chart_section(&workout, &view, &reader, &stored, over)) }
        (details(ctx, &workout, &view, &reader, analysis_shown)?)
    };
    Ok(html_response(200, page(ctx, &workout.title, markup)))
}

fn owner_actions(ctx: &Ctx<'_>, w: &Workout) -> Markup {
    html! {
        div.actions {
            a.button href={ "/workouts/" (w.short_id) "/edit" } { "Edit" }
            @if w.file_name.is_some() {
                a.button.secondary href={ "/workouts/" (w.short_id) "/download/gpx" } { "Download GPX" }
                a.button.secondary href={ "/workouts/" (w.short_id) "/download/original" } { "Download original file" }
                form.inline method="post" action={ "/workouts/" (w.short_id) "/refresh" } {
                    (csrf_field(ctx))
                    button.secondary type="submit" { "Compute again" }
                }
            }
            a.button.danger href={ "/workouts/" (w.short_id) "/delete" } { "Delete" }
        }
    }
}

fn facts(w: &Workout, view: &View<'_>, r: &Reader) -> Markup {
    let m = &w.measures;
    let sport = info(w.sport_id);
    let display = view.display(w.sport_id);
    let hr_shown = view.sees(view.owner.prefs.hr_visibility);
    let opt = |v: Option<f64>, show: &dyn Fn(f64) -> String| v.map(show);
    let cadence = cadence_factor(w.sport_id);
    let cadence_unit = if cadence == Some(2.0) { "spm" } else { "rpm" };
    let rows: Vec<(&str, Option<String>)> = vec![
        ("Distance", Some(r.distance(m.distance))),
        ("Duration", Some(duration(m.duration))),
        ("Moving time", Some(duration(m.moving))),
        ("Pauses", (m.pauses > 0.0).then(|| duration(m.pauses))),
        ("Average", opt(m.ave_speed, &|s| r.speed_as(display, s))),
        ("Best", opt(m.max_speed, &|s| r.speed_as(display, s))),
        ("Ascent", opt(m.ascent.filter(|_| sport.elevation), &|a| r.elevation(a))),
        ("Descent", opt(m.descent.filter(|_| sport.elevation), &|a| r.elevation(a))),
        ("Lowest point", opt(m.min_alt.filter(|_| sport.elevation), &|a| r.elevation(a))),
        ("Highest point", opt(m.max_alt.filter(|_| sport.elevation), &|a| r.elevation(a))),
        (
            "Heart rate",
            opt(m.ave_hr.filter(|_| hr_shown), &|h| {
                format!("{h:.0} bpm on average, {:.0} at most", m.max_hr.unwrap_or(h))
            }),
        ),
        ("Cadence", cadence.and_then(|f| m.ave_cadence.map(|c| format!("{:.0} {cadence_unit} on average", c * f)))),
        ("Power", opt(m.ave_power, &|p| format!("{p:.0} W on average, {:.0} W at most", m.max_power.unwrap_or(p)))),
        (
            "Calories",
            w.calories.filter(|_| view.sees(view.owner.prefs.calories_visibility)).map(|c| format!("{c:.0} kcal")),
        ),
        ("Recorded with", w.source.clone()),
    ];
    html! {
        dl.facts.measures {
            @for (name, value) in rows.into_iter().filter_map(|(n, v)| Some((n, v?))) {
                dt { (name) } dd { (value) }
            }
        }
    }
}

fn route(w: &Workout, stored: &[ChartPoint]) -> Markup {
    let mut segments: Vec<Vec<(f64, f64)>> = Vec::new();
    for p in stored {
        if segments.len() <= p.segment {
            segments.resize(p.segment + 1, Vec::new());
        }
        segments[p.segment].push((p.latitude, p.longitude));
    }
    let summary = format!("The route of {}, from the round start mark to the square end mark.", w.title);
    html! {
        @if let Some(svg) = route_map("route", &format!("Route of {}", w.title), &summary, &segments) {
            section.card.map aria-labelledby="route-heading" { h2 #route-heading { "Route" } (svg) }
        }
    }
}

fn chart_section(w: &Workout, view: &View<'_>, r: &Reader, stored: &[ChartPoint], over: Over) -> Markup {
    let display = view.display(w.sport_id);
    let shown = Shown {
        elevation: info(w.sport_id).elevation,
        pace: display.shows_pace(),
        speed: display.shows_speed(),
        heart_rate: view.sees(view.owner.prefs.hr_visibility),
        cadence_factor: cadence_factor(w.sport_id),
    };
    let base = format!("/workouts/{}", w.short_id);
    html! {
        section.card aria-labelledby="charts-heading" {
            h2 #charts-heading { "Charts" }
            p.toggle {
                @if over == Over::Distance { strong { "Over distance" } " · " a href={ (base) "?x=time#charts-heading" } { "over time" } }
                @else { a href={ (base) "#charts-heading" } { "Over distance" } " · " strong { "over time" } }
            }
            (charts(stored, over, r, &shown))
        }
    }
}

fn details(ctx: &Ctx<'_>, w: &Workout, view: &View<'_>, r: &Reader, analysis_shown: bool) -> Result<Markup, HttpError> {
    let segments = if analysis_shown { store::segments(&ctx.db, w.id)? } else { Vec::new() };
    let mut set = records::records_of_workouts(&ctx.db, &[w.id])?;
    set.retain(|record| record_shown(record, view.display(w.sport_id)));
    let attached = equipments::of_workout(&ctx.db, w.id)?;
    let attached: Vec<_> = attached.iter().filter(|e| view.is_owner() || view.sees(e.visibility)).collect();
    let display = view.display(w.sport_id);
    Ok(html! {
        @if let Some(description) = &w.description { section { h2 { "Description" } p.prose { (description) } } }
        @if view.is_owner() { @if let Some(notes) = w.notes.as_ref().filter(|n| !n.is_empty()) {
            section { h2 { "Notes" } p.prose { (notes) } }
        } }
        @if !attached.is_empty() {
            section { h2 { "Equipment" } ul { @for e in attached { li {
                @if view.is_owner() { a href={ "/equipment/" (e.short_id) } { (e.label) } } @else { (e.label) }
            } } } }
        }
        @if !set.is_empty() {
            section { h2 { "Records set" } ul { @for record in &set { li { (record_name(record.record_type)) } } } }
        }
        @if segments.len() > 1 {
            section {
                h2 { "Segments" }
                table.stack {
                    thead { tr { th { "Segment" } th { "Distance" } th { "Duration" } th { "Average" } } }
                    tbody { @for s in &segments { tr {
                        th scope="row" { "Segment " (s.number) }
                        td data-label="Distance" { (r.distance(s.measures.distance)) }
                        td data-label="Duration" { (duration(s.measures.duration)) }
                        td data-label="Average" { (s.measures.ave_speed.map_or("–".into(), |v| r.speed_as(display, v))) }
                    } } }
                }
            }
        }
    })
}
