//! The dashboard: this week and month per sport, the latest workouts, the
//! records, and the ways to add a workout.

use std::collections::BTreeMap;

use maud::{Markup, html};
use rouille::Response;

use super::me::Me;
use super::units::duration;
use super::workouts::workout_table;
use super::{dot, html_response, page};
use crate::api::workouts::record_shown;
use crate::api::workouts::request::day_start;
use crate::http::{Ctx, HttpError};
use crate::store::{lists, records};
use crate::workouts::stats::{Period, Sums, by_sport};
use crate::workouts::{WorkoutFilter, WorkoutOrder};

pub fn show(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let me = Me::load(ctx)?;
    let week = if me.user.prefs.weekm { Period::WeekMonday } else { Period::Week };
    let this_week = sums_since(ctx, &me, week)?;
    let this_month = sums_since(ctx, &me, Period::Month)?;
    let latest = lists::page(&ctx.db, &WorkoutFilter::of_user(me.user.id), WorkoutOrder::WorkoutDate, false, 5, 0)?;
    let mut records = records::records_of_user(&ctx.db, me.user.id)?;
    records.retain(|r| record_shown(r, me.display(r.sport_id)));
    let markup = html! {
        h1 { "Dashboard" }
        p.actions {
            a.button href="/workouts/add" { "Upload a workout" }
            a.button.secondary href="/workouts/add#manual" { "Add one by hand" }
        }
        div.cards {
            section.card aria-labelledby="week" { h2 #week { "This week" } (sums_table(&me, &this_week)) }
            section.card aria-labelledby="month" { h2 #month { "This month" } (sums_table(&me, &this_month)) }
        }
        section aria-labelledby="latest" {
            h2 #latest { "Latest workouts" }
            @if latest.is_empty() {
                p { "No workout yet: upload a file from your watch or app, or connect an app in Settings › Apps." }
            } @else {
                (workout_table(&me, &latest))
                p { a href="/workouts" { "All workouts" } }
            }
        }
        section aria-labelledby="records" {
            h2 #records { "Records" }
            (super::records::records_list(&me, &records, true))
        }
    };
    Ok(html_response(200, page(ctx, "Dashboard", markup)))
}

/// The user's sums per sport since the start of the current `period`.
fn sums_since(ctx: &Ctx<'_>, me: &Me, period: Period) -> Result<BTreeMap<i64, Sums>, HttpError> {
    let key = period.key(ctx.now, me.reader.zone());
    let first_day = if key.len() == 7 { format!("{key}-01") } else { key };
    let from = day_start(&first_day, &me.user.prefs.timezone, 0, HttpError::invalid_payload())?;
    let rows = records::stat_rows(&ctx.db, me.user.id, None, Some(from), None, 0)?;
    Ok(by_sport(&rows))
}

pub fn sums_table(me: &Me, sums: &BTreeMap<i64, Sums>) -> Markup {
    let r = &me.reader;
    html! {
        @if sums.is_empty() {
            p.muted { "No workout." }
        } @else {
            table.stack {
                thead { tr { th { "Sport" } th { "Workouts" } th { "Distance" } th { "Duration" } th { "Ascent" } } }
                tbody {
                    @for (sport_id, s) in sums {
                        tr {
                            th scope="row" { (dot(&me.sport_color(*sport_id))) " " (me.sport_label(*sport_id)) }
                            td data-label="Workouts" { (s.workouts) }
                            td data-label="Distance" { (r.distance(s.distance)) }
                            td data-label="Duration" { (duration(s.moving)) }
                            td data-label="Ascent" { (s.ascent.map_or("–".into(), |a| r.elevation(a))) }
                        }
                    }
                }
            }
        }
    }
}
