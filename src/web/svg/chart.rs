//! A line chart: one measure over distance or time, with its axes.

use maud::{Markup, html};

use super::scale::Scale;
use super::simplify::lttb;
use super::{Ticks, frame, num, path_data, y_grid};

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 220.0;
const LEFT: f64 = 80.0;
const RIGHT: f64 = 14.0;
const TOP: f64 = 36.0;
const BOTTOM: f64 = 40.0;
/// Points drawn per chart at most, whatever the workout has.
const MOST_POINTS: usize = 1000;

pub struct Axis<'a> {
    /// What is measured, with its unit: "Elevation (m)".
    pub label: &'a str,
    pub ticks: Ticks,
    /// Larger values drawn lower (a pace: faster is higher).
    pub reversed: bool,
}

pub struct LineChart<'a> {
    pub id: &'a str,
    pub title: &'a str,
    /// A sentence for those who cannot see the picture.
    pub summary: &'a str,
    pub x: Axis<'a>,
    pub y: Axis<'a>,
    /// Runs of (x, y), x ascending; a gap between runs is not bridged.
    pub runs: Vec<Vec<(f64, f64)>>,
    pub color: &'a str,
    /// Points drawn at most (at most `MOST_POINTS`).
    pub most_points: usize,
}

fn bounds(runs: &[Vec<(f64, f64)>], pick: fn(&(f64, f64)) -> f64) -> (f64, f64) {
    runs.iter().flatten().map(pick).fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)))
}

/// The runs cut down to about `most` points in all, each in proportion.
fn simplified(runs: &[Vec<(f64, f64)>], most: usize) -> Vec<Vec<(f64, f64)>> {
    let most = most.min(MOST_POINTS);
    let total: usize = runs.iter().map(Vec::len).sum();
    runs.iter().map(|run| lttb(run, (most * run.len()).div_ceil(total.max(1)).max(3))).collect()
}

pub fn line_chart(chart: &LineChart<'_>) -> Markup {
    let (x0, x1) = bounds(&chart.runs, |p| p.0);
    let (y0, y1) = bounds(&chart.runs, |p| p.1);
    let x_ticks = chart.x.ticks.over(x0, x1, 6);
    let y_ticks = chart.y.ticks.over(y0, y1, 4);
    let domain = |ticks: &[(f64, String)], lo: f64, hi: f64| {
        (ticks.first().map_or(lo, |t| t.0.min(lo)), ticks.last().map_or(hi, |t| t.0.max(hi)))
    };
    let x = Scale::new(domain(&x_ticks, x0, x1), (LEFT, WIDTH - RIGHT));
    let y_range = if chart.y.reversed { (TOP, HEIGHT - BOTTOM) } else { (HEIGHT - BOTTOM, TOP) };
    let y = Scale::new(domain(&y_ticks, y0, y1), y_range);
    let drawn: Vec<Vec<(f64, f64)>> = simplified(&chart.runs, chart.most_points)
        .iter()
        .map(|run| run.iter().map(|&(a, b)| (x.at(a), y.at(b))).collect())
        .collect();
    let body = html! {
        g.grid {
            (y_grid(&y_ticks, &y, LEFT, WIDTH - RIGHT))
            @for (value, label) in &x_ticks {
                text x=(num(x.at(*value))) y=(HEIGHT - BOTTOM + 16.0) text-anchor="middle" { (label) }
            }
        }
        path.line d=(path_data(&drawn)) stroke=(chart.color) {}
        text.axis x=(num((LEFT + WIDTH - RIGHT) / 2.0)) y=(HEIGHT - 6.0) text-anchor="middle" { (chart.x.label) }
        text.axis x="4" y="20" text-anchor="start" { (chart.y.label) }
    };
    frame("chart", chart.id, (WIDTH, HEIGHT), chart.title, chart.summary, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart(runs: Vec<Vec<(f64, f64)>>, reversed: bool) -> String {
        line_chart(&LineChart {
            id: "elevation",
            title: "Elevation over distance",
            summary: "From 100 m to 300 m.",
            x: Axis { label: "Distance (km)", ticks: Ticks::Number, reversed: false },
            y: Axis { label: "Elevation (m)", ticks: Ticks::Number, reversed },
            runs,
            color: "#2c6fbb",
            most_points: MOST_POINTS,
        })
        .into_string()
    }

    #[test]
    fn a_chart_has_axes_labels_and_a_text_summary() {
        let svg = chart(vec![(0..=100).map(|i| (i as f64 / 10.0, 100.0 + 2.0 * i as f64)).collect()], false);
        assert!(svg.starts_with("<svg") && svg.contains("role=\"img\""));
        assert!(svg.contains("<title id=\"elevation-title\">Elevation over distance</title>"));
        assert!(svg.contains("<desc id=\"elevation-desc\">From 100 m to 300 m.</desc>"));
        for label in [">0<", ">10<", ">100<", ">300<", "Distance (km)", "Elevation (m)"] {
            assert!(svg.contains(label), "{label} in {svg}");
        }
        assert!(!svg.contains("NaN") && !svg.contains("inf"));
    }

    #[test]
    fn ten_thousand_points_make_a_small_picture() {
        let runs = vec![(0..10_000).map(|i| (i as f64 / 1000.0, (i as f64 / 300.0).sin() * 50.0)).collect()];
        let svg = chart(runs, false);
        assert!(svg.matches('L').count() <= 1000, "{} points", svg.matches('L').count());
        assert!(svg.len() < 20_000, "{} bytes", svg.len());
    }

    #[test]
    fn a_reversed_axis_draws_larger_values_lower() {
        let svg = chart(vec![vec![(0.0, 300.0), (1.0, 600.0)]], true);
        let d = svg.split(" d=\"").nth(1).unwrap().split('"').next().unwrap();
        let ys: Vec<f64> = d
            .split(['M', 'L'])
            .filter(|s| !s.is_empty())
            .map(|p| p.split(' ').nth(1).unwrap().parse().unwrap())
            .collect();
        assert!(ys[1] > ys[0], "600 s/km is drawn below 300 s/km: {d}");
        assert!(!chart(vec![], false).contains("NaN"), "an empty chart still draws");
    }
}
