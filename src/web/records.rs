//! Records: the best of each kind per sport, each linking to its workout.

use std::collections::BTreeMap;

use maud::{Markup, html};
use rouille::Response;

use super::me::Me;
use super::{dot, html_response, page};
use crate::api::workouts::record_shown;
use crate::http::{Ctx, HttpError};
use crate::store::records;
use crate::workouts::Record;

pub fn show(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let me = Me::load(ctx)?;
    let mut all = records::records_of_user(&ctx.db, me.user.id)?;
    all.retain(|r| record_shown(r, me.display(r.sport_id)));
    let markup = html! { h1 { "Records" } (records_list(&me, &all, false)) };
    Ok(html_response(200, page(ctx, "Records", markup)))
}

/// Records grouped by sport, under a heading of their own (`nested`: an h3
/// under the page's h2, else an h2).
pub fn records_list(me: &Me, records: &[Record], nested: bool) -> Markup {
    let mut by_sport: BTreeMap<&str, (i64, Vec<&Record>)> = BTreeMap::new();
    for record in records {
        by_sport.entry(me.sport_label(record.sport_id)).or_insert((record.sport_id, Vec::new())).1.push(record);
    }
    html! {
        @if by_sport.is_empty() {
            p.muted { "No record yet: they come with your workouts." }
        }
        div.cards {
            @for (label, (sport_id, records)) in &by_sport {
                section.card {
                    @let title = html! { (dot(&me.sport_color(*sport_id))) " " (label) };
                    @if nested { h3 { (title) } } @else { h2 { (title) } }
                    dl.facts {
                        @for record in records {
                            @let (name, value) = me.record(record);
                            dt { (name) }
                            dd {
                                a href={ "/workouts/" (record.workout_short_id) } { (value) }
                                small.muted { (me.reader.date(record.workout_date)) }
                            }
                        }
                    }
                }
            }
        }
    }
}
