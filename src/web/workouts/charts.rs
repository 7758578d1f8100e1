//! A workout's charts from its stored points: elevation, speed or pace,
//! heart rate, cadence and power, over distance or over time, each drawn
//! only when the file has it and the viewer may see it.

use maud::{Markup, html};

use crate::web::svg::{Axis, LineChart, Ticks, line_chart};
use crate::web::units::Reader;
use crate::workouts::analysis::ChartPoint;

/// Points per chart at most: the picture is 640 units wide.
pub const CHART_POINTS: usize = 500;

#[derive(Clone, Copy, PartialEq)]
pub enum Over {
    Distance,
    Time,
}

/// What the viewer may see on the charts.
pub struct Shown {
    pub elevation: bool,
    pub pace: bool,
    pub speed: bool,
    pub heart_rate: bool,
    /// Steps per minute count both feet: FitTrackee doubles the file's value.
    pub cadence_factor: Option<f64>,
}

/// A measure read from a point, in the unit shown.
type Measure = Box<dyn Fn(&ChartPoint) -> Option<f64>>;

struct Series {
    id: &'static str,
    name: &'static str,
    unit: String,
    color: &'static str,
    reversed: bool,
    ticks: Ticks,
    value: Measure,
    describe: Box<dyn Fn(f64) -> String>,
}

fn series(reader: &Reader, shown: &Shown) -> Vec<Series> {
    let (r1, r2, r3) = (reader.clone(), reader.clone(), reader.clone());
    let (r4, r5) = (reader.clone(), reader.clone());
    let mut all = Vec::new();
    if shown.elevation {
        all.push(Series {
            id: "elevation",
            name: "Elevation",
            unit: reader.elevation_unit().into(),
            color: "#4a6b3a",
            reversed: false,
            ticks: Ticks::Number,
            value: Box::new(move |p| p.elevation.map(|e| r1.elevation_value(e))),
            describe: Box::new(move |v| format!("{v:.0} {}", r2.elevation_unit())),
        });
    }
    if shown.pace {
        all.push(Series {
            id: "pace",
            name: "Pace",
            unit: format!("min/{}", reader.distance_unit()),
            color: "#2c6fbb",
            reversed: true,
            ticks: Ticks::Clock,
            value: Box::new(move |p| (p.speed > 1.0).then(|| r3.pace_value(p.speed)).flatten()),
            describe: Box::new(crate::web::svg::clock),
        });
    } else if shown.speed {
        all.push(Series {
            id: "speed",
            name: "Speed",
            unit: format!("{}/h", reader.distance_unit()),
            color: "#2c6fbb",
            reversed: false,
            ticks: Ticks::Number,
            value: Box::new(move |p| Some(r4.distance_value(p.speed))),
            describe: Box::new(move |v| format!("{v:.1} {}/h", r5.distance_unit())),
        });
    }
    if shown.heart_rate {
        all.push(plain("heart-rate", "Heart rate", "bpm", "#b3261e", Box::new(|p| p.heart_rate)));
    }
    if let Some(factor) = shown.cadence_factor {
        let unit = if factor == 2.0 { "spm" } else { "rpm" };
        all.push(plain("cadence", "Cadence", unit, "#8e44ad", Box::new(move |p| p.cadence.map(|c| c * factor))));
    }
    all.push(plain("power", "Power", "W", "#b9770e", Box::new(|p| p.power)));
    all
}

fn plain(id: &'static str, name: &'static str, unit: &'static str, color: &'static str, value: Measure) -> Series {
    Series {
        id,
        name,
        unit: unit.into(),
        color,
        reversed: false,
        ticks: Ticks::Number,
        value,
        describe: Box::new(move |v| format!("{v:.0} {unit}")),
    }
}

/// Each point's x: distance along the whole workout (segments one after
/// the other, in the user's unit) or seconds since the start.
fn xs(points: &[ChartPoint], over: Over, reader: &Reader) -> Vec<f64> {
    let mut offset = 0.0;
    let mut last = (0usize, 0.0);
    points
        .iter()
        .map(|p| {
            if p.segment != last.0 {
                offset += last.1;
            }
            last = (p.segment, p.distance);
            match over {
                Over::Distance => reader.distance_value(offset + p.distance),
                Over::Time => p.duration,
            }
        })
        .collect()
}

/// Runs of (x, y): broken at each new segment and where a value is missing.
fn runs(points: &[ChartPoint], xs: &[f64], value: &dyn Fn(&ChartPoint) -> Option<f64>) -> Vec<Vec<(f64, f64)>> {
    let mut runs: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut segment = usize::MAX;
    for (p, &x) in points.iter().zip(xs) {
        match value(p).filter(|v| v.is_finite()) {
            Some(y) => match runs.last_mut() {
                Some(run) if p.segment == segment && !run.is_empty() => run.push((x, y)),
                _ => runs.push(vec![(x, y)]),
            },
            None => runs.push(Vec::new()),
        }
        segment = p.segment;
    }
    runs.retain(|r| !r.is_empty());
    runs
}

/// The 2nd and 98th percentiles: a pace computed while standing still
/// would otherwise flatten the whole chart.
fn without_outliers(runs: Vec<Vec<(f64, f64)>>) -> Vec<Vec<(f64, f64)>> {
    let mut ys: Vec<f64> = runs.iter().flatten().map(|p| p.1).collect();
    if ys.len() < 50 {
        return runs;
    }
    ys.sort_by(f64::total_cmp);
    let (lo, hi) = (ys[ys.len() / 50], ys[ys.len() * 49 / 50]);
    runs.into_iter()
        .flat_map(|run| run.split(|p| p.1 < lo || p.1 > hi).map(<[(f64, f64)]>::to_vec).collect::<Vec<_>>())
        .filter(|r| !r.is_empty())
        .collect()
}

pub fn charts(points: &[ChartPoint], over: Over, reader: &Reader, shown: &Shown) -> Markup {
    let xs = xs(points, over, reader);
    let x_label = match over {
        Over::Distance => format!("Distance ({})", reader.distance_unit()),
        Over::Time => "Time (h:mm or m:ss)".to_string(),
    };
    let x_ticks = if over == Over::Time { Ticks::Clock } else { Ticks::Number };
    html! {
        @for s in series(reader, shown) {
            @let runs = runs(points, &xs, &*s.value);
            // A file that writes zeros for what its device did not measure.
            @if runs.iter().flatten().any(|p| p.1 != 0.0) {
                @let runs = if s.reversed { without_outliers(runs) } else { runs };
                @let summary = summary(&s, &runs);
                @let title = format!("{} over {}", s.name, if over == Over::Time { "time" } else { "distance" });
                @let y_label = format!("{} ({})", s.name, s.unit);
                figure.chart {
                    (line_chart(&LineChart {
                        id: s.id,
                        title: &title,
                        summary: &summary,
                        x: Axis { label: &x_label, ticks: x_ticks, reversed: false },
                        y: Axis { label: &y_label, ticks: s.ticks, reversed: s.reversed },
                        runs,
                        color: s.color,
                        most_points: CHART_POINTS,
                    }))
                    figcaption { (summary) }
                }
            }
        }
    }
}

fn summary(s: &Series, runs: &[Vec<(f64, f64)>]) -> String {
    let values = || runs.iter().flatten().map(|p| p.1);
    let n = values().count().max(1) as f64;
    let (lo, hi) = values().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)));
    let mean = values().sum::<f64>() / n;
    let (least, most) =
        if s.reversed { ((s.describe)(hi), (s.describe)(lo)) } else { ((s.describe)(lo), (s.describe)(hi)) };
    format!("{}: from {least} to {most}, {} on average.", s.name, (s.describe)(mean))
}
