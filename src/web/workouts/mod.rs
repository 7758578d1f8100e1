//! Workouts pages: the list with FitTrackee's filters, a workout's page,
//! adding one (upload or by hand), editing and deleting it.

pub mod add;
pub mod charts;
pub mod edit;
pub mod show;

use maud::{Markup, html};
use rouille::Response;

use super::me::Me;
use super::units::duration;
use super::{dot, html_response, page, plural};
use crate::api::workouts::list::{Page, page_of};
use crate::http::{self, Ctx, Form, HttpError, Part};
use crate::workouts::Workout;

/// Workouts as rows on a wide screen, as cards on a phone (`table.stack`).
pub fn workout_table(me: &Me, workouts: &[Workout]) -> Markup {
    let r = &me.reader;
    html! {
        table.stack.workouts {
            thead {
                tr { th { "Workout" } th { "Date" } th { "Distance" } th { "Duration" } th { "Speed" } th { "Ascent" } }
            }
            tbody {
                @for w in workouts {
                    tr {
                        th scope="row" {
                            a href={ "/workouts/" (w.short_id) } { (w.title) }
                            span.sport { (dot(&me.sport_color(w.sport_id))) (me.sport_label(w.sport_id)) }
                        }
                        td data-label="Date" { (r.date_time(w.workout_date)) }
                        td data-label="Distance" { (r.distance(w.measures.distance)) }
                        td data-label="Duration" { (duration(w.measures.moving)) }
                        td data-label="Speed" { (me.average_speed(w)) }
                        td data-label="Ascent" { (w.measures.ascent.map_or("–".into(), |a| r.elevation(a))) }
                    }
                }
            }
        }
    }
}

const PER_PAGE: &str = "20";
/// Filters given in the user's distance unit, converted for the list.
const DISTANCE_FILTERS: &[&str] =
    &["distance_from", "distance_to", "ave_speed_from", "ave_speed_to", "max_speed_from", "max_speed_to"];

/// The page's query as the API's list reads it: kilometres, 20 a page.
fn list_query(query: &Form, reader: &super::units::Reader) -> Form {
    let mut form = query.clone();
    for part in form.parts.iter_mut().filter(|p| DISTANCE_FILTERS.contains(&p.name.as_str())) {
        if let Some(typed) = std::str::from_utf8(&part.data).ok().and_then(|t| t.trim().parse::<f64>().ok()) {
            part.data = reader.km_of(typed).to_string().into_bytes();
        }
    }
    if form.text("per_page").is_none() {
        form.parts.push(Part { name: "per_page".into(), data: PER_PAGE.into(), ..Part::default() });
    }
    form
}

pub fn list(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let me = Me::load(ctx)?;
    let query = http::query(ctx.req);
    let (status, listed, error) = match page_of(ctx, &list_query(&query, &me.reader), &me.user) {
        Ok(listed) => (200, Some(listed), None),
        Err(e) if e.status < 500 => (400, None, Some(format!("These filters cannot be used: {}.", e.text()))),
        Err(e) => return Err(e),
    };
    let markup = html! {
        h1 { "Workouts" }
        p.actions { a.button href="/workouts/add" { "Add a workout" } }
        @if let Some(error) = error { p.error role="alert" { (error) } }
        (filters(&me, &query))
        @if let Some(Page { workouts, paging, total, .. }) = listed {
            h2 { (plural(total, "workout")) }
            @if workouts.is_empty() {
                p { "No workout matches." }
            } @else {
                (workout_table(&me, &workouts))
                (pages(&query, paging.page, (total + paging.per_page - 1) / paging.per_page))
            }
        }
    };
    Ok(html_response(status, page(ctx, "Workouts", markup)))
}

fn filters(me: &Me, query: &Form) -> Markup {
    let value = |key: &str| query.text(key).unwrap_or("").to_string();
    let unit = me.reader.distance_unit();
    let chosen = |key: &str, option: &str| query.text(key) == Some(option);
    html! {
        details.card open[query.parts.iter().any(|p| p.name != "page")] {
            summary { "Filter and sort" }
            form.filters method="get" action="/workouts" {
                label { "Sport" select name="sport_id" {
                    option value="" { "All sports" }
                    @for s in me.active_sports() {
                        option value=(s.sport.id) selected[chosen("sport_id", &s.sport.id.to_string())] { (s.sport.label) }
                    }
                } }
                label { "From" input type="date" name="from" value=(value("from")); }
                label { "To" input type="date" name="to" value=(value("to")); }
                label { "Title contains" input name="title" value=(value("title")); }
                label { "Notes contain" input name="notes" value=(value("notes")); }
                label { "Distance from (" (unit) ")" input type="number" step="any" min="0" name="distance_from" value=(value("distance_from")); }
                label { "Distance to (" (unit) ")" input type="number" step="any" min="0" name="distance_to" value=(value("distance_to")); }
                label { "Duration from (h:mm)" input name="duration_from" pattern="[0-9]{1,2}:[0-5][0-9]" placeholder="0:30" value=(value("duration_from")); }
                label { "Duration to (h:mm)" input name="duration_to" pattern="[0-9]{1,2}:[0-5][0-9]" placeholder="2:00" value=(value("duration_to")); }
                label { "Average speed from (" (unit) "/h)" input type="number" step="any" min="0" name="ave_speed_from" value=(value("ave_speed_from")); }
                label { "Average speed to (" (unit) "/h)" input type="number" step="any" min="0" name="ave_speed_to" value=(value("ave_speed_to")); }
                label { "Sort by" select name="order_by" {
                    @for (key, name) in [("workout_date", "Date"), ("distance", "Distance"), ("duration", "Duration"), ("ave_speed", "Average speed")] {
                        option value=(key) selected[chosen("order_by", key)] { (name) }
                    }
                } }
                label { "Order" select name="order" {
                    option value="desc" selected[!chosen("order", "asc")] { "Newest or largest first" }
                    option value="asc" selected[chosen("order", "asc")] { "Oldest or smallest first" }
                } }
                p.actions { button type="submit" { "Show" } a href="/workouts" { "Clear" } }
            }
        }
    }
}

/// Links to the pages before and after, keeping the filters.
fn pages(query: &Form, page: i64, count: i64) -> Markup {
    let link = |to: i64| {
        let kept = query
            .parts
            .iter()
            .filter(|p| p.name != "page")
            .filter_map(|p| Some((p.name.as_str(), std::str::from_utf8(&p.data).ok()?)));
        let mut encoded = form_urlencoded::Serializer::new(String::new());
        encoded.extend_pairs(kept).append_pair("page", &to.to_string());
        format!("/workouts?{}", encoded.finish())
    };
    html! {
        @if count > 1 {
            nav.pages aria-label="Pages" {
                @if page > 1 { a href=(link(page - 1)) rel="prev" { "← Newer" } }
                span { "Page " (page) " of " (count) }
                @if page < count { a href=(link(page + 1)) rel="next" { "Older →" } }
            }
        }
    }
}
