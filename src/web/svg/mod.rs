//! Pictures as SVG, drawn on the server: line charts, stacked bar charts
//! and routes. No script, no fonts, no external reference: each picture is
//! a few kilobytes of markup with its own `<title>` and `<desc>`.

mod bars;
mod chart;
mod route;
pub mod scale;
pub mod simplify;

pub use bars::{Bars, Stack, bar_chart};
pub use chart::{Axis, LineChart, line_chart};
pub use route::route_map;

use std::fmt::Write;

use maud::{Markup, html};

use scale::Scale;

/// How an axis writes its values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Ticks {
    /// Plain numbers.
    Number,
    /// Counts: whole numbers only.
    Whole,
    /// Seconds, written `h:mm` or `m:ss`, on steps of round minutes.
    Clock,
}

impl Ticks {
    /// Round values covering the domain, and the label of each.
    pub fn over(self, lo: f64, hi: f64, count: usize) -> Vec<(f64, String)> {
        match self {
            Ticks::Number => {
                let ticks = scale::ticks(lo, hi, count);
                let step = ticks.get(1).map_or(1.0, |t| t - ticks[0]);
                ticks.into_iter().map(|t| (t, scale::label(t, step))).collect()
            }
            Ticks::Whole => {
                let ticks = scale::ticks(lo, hi.max(lo + 1.0), count);
                let step = ticks.get(1).map_or(1.0, |t| t - ticks[0]);
                if step >= 1.0 {
                    return ticks.into_iter().map(|t| (t, scale::label(t, step))).collect();
                }
                let top = hi.max(lo + 1.0).ceil() as i64;
                (lo.floor() as i64..=top).map(|t| (t as f64, t.to_string())).collect()
            }
            Ticks::Clock => {
                let unit = if hi - lo > 2.0 * 3600.0 { 3600.0 } else { 60.0 };
                let ticks = scale::ticks(lo / unit, hi / unit, count);
                ticks.into_iter().map(|t| (t * unit, clock(t * unit))).collect()
            }
        }
    }
}

/// Seconds as `h:mm:ss`, or `m:ss` under an hour.
pub fn clock(seconds: f64) -> String {
    let total = seconds.max(0.0).round() as i64;
    let (h, m, s) = (total / 3600, total / 60 % 60, total % 60);
    if h > 0 { format!("{h}:{m:02}:{s:02}") } else { format!("{m}:{s:02}") }
}

/// A picture: the `<svg>` of `width` × `height` units with its title and
/// its description (what a screen reader says of it), around `body`.
fn frame(class: &str, id: &str, (width, height): (f64, f64), title: &str, summary: &str, body: Markup) -> Markup {
    let (title_id, desc_id) = (format!("{id}-title"), format!("{id}-desc"));
    html! {
        svg class=(class) id=(id) viewBox={ "0 0 " (num(width)) " " (num(height)) } role="img"
            aria-labelledby={ (title_id) " " (desc_id) } xmlns="http://www.w3.org/2000/svg" {
            title id=(title_id) { (title) }
            desc id=(desc_id) { (summary) }
            (body)
        }
    }
}

/// Horizontal grid lines from `left` to `right`, each labelled at its left.
fn y_grid(ticks: &[(f64, String)], y: &Scale, left: f64, right: f64) -> Markup {
    html! {
        @for (value, label) in ticks {
            line x1=(left) x2=(right) y1=(num(y.at(*value))) y2=(num(y.at(*value))) {}
            text x=(left - 6.0) y=(num(y.at(*value) + 4.0)) text-anchor="end" { (label) }
        }
    }
}

/// A coordinate, to one decimal (enough on a 640-unit picture).
fn num(v: f64) -> String {
    let text = format!("{v:.1}");
    text.strip_suffix(".0").map_or(text.clone(), str::to_owned)
}

/// An SVG path through runs of points (one `M` per run), one decimal each.
pub fn path_data(runs: &[Vec<(f64, f64)>]) -> String {
    let mut d = String::new();
    for run in runs.iter().filter(|r| !r.is_empty()) {
        for (i, (x, y)) in run.iter().enumerate() {
            let _ = write!(d, "{}{:.1} {:.1}", if i == 0 { "M" } else { "L" }, x, y);
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clocks_and_paths() {
        assert_eq!((clock(59.6), clock(330.0), clock(3725.0)), ("1:00".into(), "5:30".into(), "1:02:05".into()));
        assert_eq!(path_data(&[vec![(0.0, 1.25), (2.0, 3.0)], vec![], vec![(5.0, 5.0)]]), "M0.0 1.2L2.0 3.0M5.0 5.0");
        let hours = Ticks::Clock.over(0.0, 5.0 * 3600.0, 5);
        assert_eq!(
            hours.iter().map(|(_, l)| l.as_str()).collect::<Vec<_>>(),
            ["0:00", "1:00:00", "2:00:00", "3:00:00", "4:00:00", "5:00:00"]
        );
        let counts = Ticks::Whole.over(0.0, 1.0, 4);
        assert_eq!(counts, vec![(0.0, "0".to_string()), (1.0, "1".to_string())], "no half workouts");
        assert_eq!(Ticks::Whole.over(0.0, 40.0, 4).len(), 5);
        let minutes = Ticks::Clock.over(0.0, 1500.0, 5);
        assert_eq!(minutes[1], (300.0, "5:00".to_string()));
    }
}
