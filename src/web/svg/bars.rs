//! A stacked bar chart: one bar per period, one colour per sport.

use maud::{Markup, html};

use super::scale::Scale;
use super::{Ticks, frame, num, y_grid};

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 240.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 10.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 32.0;
/// Period labels shown at most, so that they never overlap.
const MOST_LABELS: usize = 7;

pub struct Stack<'a> {
    pub name: &'a str,
    pub color: &'a str,
    /// One value per period.
    pub values: Vec<f64>,
}

pub struct Bars<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub summary: &'a str,
    pub periods: &'a [String],
    pub stacks: Vec<Stack<'a>>,
    pub ticks: Ticks,
    /// How a value reads in a bar's tooltip ("12.3 km").
    pub value: &'a dyn Fn(f64) -> String,
}

pub fn bar_chart(bars: &Bars<'_>) -> Markup {
    let totals: Vec<f64> = (0..bars.periods.len())
        .map(|i| bars.stacks.iter().map(|s| s.values.get(i).copied().unwrap_or(0.0)).sum())
        .collect();
    let most = totals.iter().copied().fold(0.0, f64::max);
    let ticks = bars.ticks.over(0.0, if most > 0.0 { most } else { 1.0 }, 4);
    let top = ticks.last().map_or(1.0, |t| t.0);
    let y = Scale::new((0.0, top), (HEIGHT - BOTTOM, TOP));
    let slot = (WIDTH - LEFT - RIGHT) / bars.periods.len().max(1) as f64;
    let every = bars.periods.len().div_ceil(MOST_LABELS).max(1);
    let body = html! {
        g.grid {
            (y_grid(&ticks, &y, LEFT, WIDTH - RIGHT))
            @for (i, period) in bars.periods.iter().enumerate().filter(|(i, _)| i % every == 0) {
                text x=(num(LEFT + slot * (i as f64 + 0.5))) y=(HEIGHT - BOTTOM + 16.0) text-anchor="middle" { (period) }
            }
        }
        @for (i, period) in bars.periods.iter().enumerate() {
            (column(bars, i, period, &y, LEFT + slot * i as f64 + slot * 0.15, slot * 0.7))
        }
    };
    frame("chart bars", bars.id, (WIDTH, HEIGHT), bars.title, bars.summary, body)
}

/// One period's bar: its sports stacked from the bottom, each with a tooltip.
fn column(bars: &Bars<'_>, i: usize, period: &str, y: &Scale, x: f64, width: f64) -> Markup {
    let mut base = 0.0;
    let mut pieces = Vec::new();
    for stack in &bars.stacks {
        let value = stack.values.get(i).copied().unwrap_or(0.0);
        if value > 0.0 {
            pieces.push((stack, value, y.at(base), y.at(base + value)));
            base += value;
        }
    }
    html! {
        @for (stack, value, bottom, top) in pieces {
            rect x=(num(x)) y=(num(top)) width=(num(width)) height=(num(bottom - top)) fill=(stack.color) {
                title { (period) " · " (stack.name) ": " ((bars.value)(value)) }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_stack_per_period_with_tooltips_and_a_summary() {
        let periods: Vec<String> = ["2024-01", "2024-02", "2024-03"].map(String::from).to_vec();
        let svg = bar_chart(&Bars {
            id: "distance",
            title: "Distance by month",
            summary: "36 km in all.",
            periods: &periods,
            stacks: vec![
                Stack { name: "Running", color: "#aa0000", values: vec![10.0, 0.0, 5.0] },
                Stack { name: "Cycling", color: "#0000aa", values: vec![20.0, 0.0, 1.0] },
            ],
            ticks: Ticks::Number,
            value: &|v| format!("{v} km"),
        })
        .into_string();
        assert_eq!(svg.matches("<rect").count(), 4, "no empty bars: {svg}");
        assert!(svg.contains("<title>2024-01 · Cycling: 20 km</title>"));
        assert!(svg.contains("<desc id=\"distance-desc\">36 km in all.</desc>"));
        assert!(svg.contains(">30<"), "the axis reaches the tallest bar");
        let rect = |n: usize| svg.split("<rect").nth(n).unwrap().to_string();
        let attr = |r: &str, a: &str| -> f64 {
            r.split(&format!(" {a}=\"")).nth(1).unwrap().split('"').next().unwrap().parse().unwrap()
        };
        let (running, cycling) = (rect(1), rect(2));
        assert!((attr(&running, "y") - (attr(&cycling, "y") + attr(&cycling, "height"))).abs() < 0.2, "stacked");
    }

    #[test]
    fn many_periods_keep_their_labels_apart() {
        let periods: Vec<String> = (0..520).map(|w| format!("w{w}")).collect();
        let svg = bar_chart(&Bars {
            id: "weeks",
            title: "t",
            summary: "s",
            periods: &periods,
            stacks: vec![],
            ticks: Ticks::Number,
            value: &|v| v.to_string(),
        })
        .into_string();
        assert!(svg.matches(">w").count() <= MOST_LABELS, "labels: {}", svg.matches(">w").count());
        assert!(!svg.contains("NaN"));
    }
}
