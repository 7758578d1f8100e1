//! Statistics: distance, duration, workouts and ascent per week, month or
//! year, stacked by sport (SVG bars), and the totals of every sport.

use std::collections::BTreeMap;

use jiff::civil::Date;
use jiff::{Span, ToSpan};
use maud::{Markup, html};
use rouille::Response;

use super::me::Me;
use super::svg::{Bars, Stack, Ticks, bar_chart};
use super::units::duration;
use super::{dot, html_response, page};
use crate::api::workouts::request::day_start;
use crate::http::{self, Ctx, HttpError};
use crate::store::records;
use crate::workouts::stats::{Period, Sums, by_time};

/// Bars per chart for weeks and months; years go back to the first workout.
const BARS: i64 = 12;

#[derive(Clone, Copy, PartialEq)]
enum Grouping {
    Week,
    Month,
    Year,
}

impl Grouping {
    fn parse(text: Option<&str>) -> Grouping {
        match text {
            Some("week") => Grouping::Week,
            Some("year") => Grouping::Year,
            _ => Grouping::Month,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Grouping::Week => "week",
            Grouping::Month => "month",
            Grouping::Year => "year",
        }
    }

    fn step(self) -> Span {
        match self {
            Grouping::Week => 7.days(),
            Grouping::Month => 1.month(),
            Grouping::Year => 1.year(),
        }
    }

    /// The first day of the period holding `day`.
    fn start_of(self, day: Date, monday: bool) -> Date {
        match self {
            Grouping::Week => {
                let first = if monday { jiff::civil::Weekday::Monday } else { jiff::civil::Weekday::Sunday };
                day.checked_sub(i64::from(day.weekday().since(first)).days()).unwrap_or(day)
            }
            Grouping::Month => day.first_of_month(),
            Grouping::Year => day.first_of_year(),
        }
    }

    fn label(self, first_day: Date) -> String {
        let pattern = match self {
            Grouping::Week => "%b %-d",
            Grouping::Month => "%b %y",
            Grouping::Year => "%Y",
        };
        first_day.strftime(pattern).to_string()
    }
}

/// The periods shown: their first days, oldest first.
fn periods(span: Grouping, today: Date, first_workout: Option<Date>, monday: bool) -> Vec<Date> {
    let last = span.start_of(today, monday);
    let count = match (span, first_workout) {
        (Grouping::Year, Some(first)) => i64::from(last.year() - first.year()) + 1,
        (Grouping::Year, None) => 1,
        _ => BARS,
    };
    let mut days: Vec<Date> = (0..count.clamp(1, 100))
        .filter_map(|back| last.checked_sub(span.step().checked_mul(back).ok()?).ok())
        .map(|d| span.start_of(d, monday))
        .collect();
    days.reverse();
    days
}

pub fn show(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let me = Me::load(ctx)?;
    let span = Grouping::parse(http::query(ctx.req).text("period"));
    let zone = me.reader.zone().clone();
    let today = jiff::Timestamp::from_second(ctx.now)
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
        .to_zoned_datetime(zone.clone())
        .date();
    let totals = records::totals(&ctx.db, me.user.id)?;
    let oldest = records::first_workout_date(&ctx.db, me.user.id)?;
    let oldest_day =
        oldest.and_then(|at| jiff::Timestamp::from_second(at).ok()).map(|t| t.to_zoned_datetime(zone.clone()).date());
    let monday = me.user.prefs.weekm;
    let days = periods(span, today, oldest_day, monday);
    let timezone = &me.user.prefs.timezone;
    let from =
        days.first().map(|d| day_start(&d.to_string(), timezone, 0, HttpError::invalid_payload())).transpose()?;
    let rows = records::stat_rows(&ctx.db, me.user.id, None, from, None, 0)?;
    let period = match span {
        Grouping::Week if monday => Period::WeekMonday,
        Grouping::Week => Period::Week,
        Grouping::Month => Period::Month,
        Grouping::Year => Period::Year,
    };
    let sums = by_time(&rows, period, &zone);
    let keys: Vec<String> = days.iter().map(|d| key_of(period, *d)).collect();
    let labels: Vec<String> = days.iter().map(|d| span.label(*d)).collect();
    let sports: Vec<i64> = {
        let mut ids: Vec<i64> = sums.values().flat_map(|by_sport| by_sport.keys().copied()).collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    };
    let markup = html! {
        h1 { "Statistics" }
        nav.toggle aria-label="Period" {
            @for option in [Grouping::Week, Grouping::Month, Grouping::Year] {
                @if option == span { strong { "By " (option.name()) } } @else { a href={ "/statistics?period=" (option.name()) } { "By " (option.name()) } }
                " "
            }
        }
        @if sports.is_empty() {
            p.muted { "No workout in these " (span.name()) "s." }
        } @else {
            ul.legend { @for id in &sports { li { (dot(&me.sport_color(*id))) (me.sport_label(*id)) } } }
            div.charts {
                @for measure in MEASURES {
                    (chart(&me, measure, span, &keys, &labels, &sums, &sports))
                }
            }
        }
        h2 { "Totals by sport" }
        @if totals.is_empty() { p.muted { "No workout yet." } } @else {
            table.stack {
                thead { tr { th { "Sport" } th { "Workouts" } th { "Distance" } th { "Duration" } th { "Ascent" } } }
                tbody { @for t in &totals { tr {
                    th scope="row" { (dot(&me.sport_color(t.sport_id))) (me.sport_label(t.sport_id)) }
                    td data-label="Workouts" { (t.workouts) }
                    td data-label="Distance" { (me.reader.distance(t.distance)) }
                    td data-label="Duration" { (duration(t.duration)) }
                    td data-label="Ascent" { (me.reader.elevation(t.ascent)) }
                } } }
            }
        }
    };
    Ok(html_response(200, page(ctx, "Statistics", markup)))
}

/// The key `by_time` files a period under.
fn key_of(period: Period, first_day: Date) -> String {
    match period {
        Period::Year => first_day.strftime("%Y").to_string(),
        Period::Month => first_day.strftime("%Y-%m").to_string(),
        _ => first_day.strftime("%Y-%m-%d").to_string(),
    }
}

#[derive(Clone, Copy)]
enum Measure {
    Distance,
    Duration,
    Workouts,
    Ascent,
}

const MEASURES: [Measure; 4] = [Measure::Distance, Measure::Duration, Measure::Workouts, Measure::Ascent];

fn chart(
    me: &Me,
    measure: Measure,
    span: Grouping,
    keys: &[String],
    labels: &[String],
    sums: &BTreeMap<String, BTreeMap<i64, Sums>>,
    sports: &[i64],
) -> Markup {
    let r = me.reader.clone();
    let (id, name, ticks): (&str, &str, Ticks) = match measure {
        Measure::Distance => ("distance", "Distance", Ticks::Number),
        Measure::Duration => ("duration", "Moving time", Ticks::Number),
        Measure::Workouts => ("workouts", "Workouts", Ticks::Whole),
        Measure::Ascent => ("ascent", "Ascent", Ticks::Number),
    };
    let value = |s: &Sums| match measure {
        Measure::Distance => r.distance_value(s.distance),
        Measure::Duration => s.moving / 3600.0,
        Measure::Workouts => s.workouts as f64,
        Measure::Ascent => r.elevation_value(s.ascent.unwrap_or(0.0)),
    };
    let colors: Vec<String> = sports.iter().map(|id| me.sport_color(*id)).collect();
    let stacks: Vec<Stack<'_>> = sports
        .iter()
        .zip(&colors)
        .map(|(sport, color)| Stack {
            name: me.sport_label(*sport),
            color,
            values: keys.iter().map(|k| sums.get(k).and_then(|s| s.get(sport)).map_or(0.0, value)).collect(),
        })
        .collect();
    let (unit, elevation_unit) = (r.distance_unit(), r.elevation_unit());
    let say = move |v: f64| match measure {
        Measure::Distance => format!("{v:.1} {unit}"),
        Measure::Duration => duration(v * 3600.0),
        Measure::Workouts => format!("{v:.0}"),
        Measure::Ascent => format!("{v:.0} {elevation_unit}"),
    };
    let total: f64 = stacks.iter().flat_map(|s| &s.values).sum();
    let title = format!("{name} by {}", span.name());
    let summary = format!(
        "{title}, {} to {}: {} in all.",
        labels.first().map_or("", String::as_str),
        labels.last().map_or("", String::as_str),
        say(total)
    );
    let heading = match measure {
        Measure::Distance => format!("Distance ({unit})"),
        Measure::Ascent => format!("Ascent ({elevation_unit})"),
        Measure::Duration => "Moving time (hours)".to_string(),
        _ => name.to_string(),
    };
    html! {
        section.card {
            h2 { (heading) }
            (bar_chart(&Bars { id, title: &title, summary: &summary, periods: labels, stacks, ticks, value: &say }))
            p.muted { (summary) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn periods_end_with_the_current_one() {
        let today = date(2024, 5, 15); // a Wednesday
        let weeks = periods(Grouping::Week, today, None, true);
        assert_eq!((weeks.len(), weeks[11], weeks[0]), (12, date(2024, 5, 13), date(2024, 2, 26)));
        let sunday_weeks = periods(Grouping::Week, today, None, false);
        assert_eq!(sunday_weeks[11], date(2024, 5, 12));
        let months = periods(Grouping::Month, today, None, false);
        assert_eq!((months[0], months[11]), (date(2023, 6, 1), date(2024, 5, 1)));
        let years = periods(Grouping::Year, today, Some(date(2015, 8, 1)), false);
        assert_eq!((years.len(), years[0], years[9]), (10, date(2015, 1, 1), date(2024, 1, 1)));
        assert_eq!(Grouping::Month.label(date(2024, 5, 1)), "May 24");
        assert_eq!(key_of(Period::Month, date(2024, 5, 1)), "2024-05");
    }
}
