//! What a track says about a workout, per segment and in total, computed as
//! FitTrackee computes it with gpxpy (its GPX library), quirks included, so
//! that the same file gives the same numbers on both servers (golden tests
//! against gpxpy in `tests/data/golden`):
//! - distances with gpxpy's flat-earth formula (haversine beyond 0.2°), 3D
//!   only where both points have a non-zero elevation;
//! - a step counts as moving above the sport's stopped-speed threshold,
//!   stopped below it, and not at all when it covers no distance or has no
//!   time; the max speed ignores steps of unusual length and the top 5 %;
//! - ascent and descent on lightly smoothed elevations, per segment;
//! - durations in whole seconds; pauses include the gaps between segments.

mod chart;
mod gpxpy;

pub use chart::{ChartPoint, chart, track_of};

use super::model::Measures;
use super::track::{DeviceTotals, Point, Track};
use chart::chart_speeds;
use gpxpy::{MovingData, duration, hills, moving_data, whole};

/// A workout or segment: when it starts, what it measured, where it lies.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Summary {
    /// Unix seconds of the first point.
    pub start: f64,
    pub measures: Measures,
    /// `[min_lat, min_lon, max_lat, max_lon]`.
    pub bounds: [f64; 4],
}

#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    pub workout: Summary,
    /// The segments of two points or more.
    pub segments: Vec<Summary>,
    pub chart: Vec<ChartPoint>,
}

/// Why a track cannot be a workout (FitTrackee's messages).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TrackError {
    NoValidSegments,
    NoStartTime,
    SegmentWithoutStartTime,
}

impl std::fmt::Display for TrackError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            TrackError::NoValidSegments => "no valid segments in file",
            TrackError::NoStartTime => "<time> is missing in gpx file",
            TrackError::SegmentWithoutStartTime => "<time> is missing in segment",
        })
    }
}

/// Analyzes a track; `threshold_kmh` is the sport's stopped-speed
/// threshold, `raw_speed` the user's choice of the true maximum speed.
pub fn analyze(track: &Track, threshold_kmh: f64, raw_speed: bool) -> Result<Analysis, TrackError> {
    let valid: Vec<&Vec<Point>> = track.segments.iter().filter(|s| s.len() >= 2).collect();
    let first = valid.first().ok_or(TrackError::NoValidSegments)?;
    let start = first[0].time.ok_or(TrackError::NoStartTime)?;
    if valid.iter().any(|s| s[0].time.is_none()) {
        return Err(TrackError::SegmentWithoutStartTime);
    }
    let segments: Vec<Summary> = valid.iter().map(|s| summary(s, threshold_kmh, raw_speed)).collect();
    Ok(Analysis {
        workout: workout_summary(track, &segments, start, threshold_kmh, raw_speed),
        segments,
        chart: chart(track),
    })
}

/// What a summary measures, in meters and seconds, before FitTrackee's units.
struct Totals {
    duration: f64,
    moving: f64,
    pauses: f64,
    meters: f64,
    /// km/h.
    max_speed: f64,
    elevations: (Option<f64>, Option<f64>),
    hills: (f64, f64),
    readings: [Reading; 3],
}

impl Totals {
    fn measures(self) -> Measures {
        let (min_alt, max_alt) = self.elevations;
        let (ascent, descent) = climb(max_alt, self.hills);
        let [hr, cadence, power] = self.readings;
        Measures {
            duration: whole(self.duration),
            moving: whole(self.moving),
            pauses: whole(self.pauses),
            distance: self.meters / 1000.0,
            min_alt,
            max_alt,
            ascent,
            descent,
            ave_speed: Some(speed_kmh(self.meters, self.moving)),
            max_speed: Some(self.max_speed),
            ave_hr: hr.0,
            max_hr: hr.1,
            ave_cadence: cadence.0,
            max_cadence: cadence.1,
            ave_power: power.0,
            max_power: power.1,
        }
    }
}

fn summary(points: &[Point], threshold_kmh: f64, raw: bool) -> Summary {
    let moving = moving_data(points, threshold_kmh, raw);
    let max_speed = if raw { chart_speeds(points).fold(0.0, f64::max) } else { moving.max_speed.unwrap_or(0.0) * 3.6 };
    let duration = duration(points).unwrap_or(0.0);
    let totals = Totals {
        duration,
        moving: moving.moving_time,
        pauses: stopped(duration, moving.moving_time),
        meters: moving.moving_distance + moving.stopped_distance,
        max_speed,
        elevations: extremes(points.iter()),
        hills: hills(points),
        readings: readings(points.iter()),
    };
    Summary {
        start: points.first().and_then(|p| p.time).unwrap_or(0.0),
        measures: totals.measures(),
        bounds: bounds(points.iter()),
    }
}

/// The whole workout: FitTrackee sums the segments' moving data and
/// durations, adds the gaps, and takes the largest segment max speed.
fn workout_summary(track: &Track, segments: &[Summary], start: f64, threshold_kmh: f64, raw: bool) -> Summary {
    let all = || track.segments.iter().flatten();
    let moving: Vec<MovingData> = track.segments.iter().map(|s| moving_data(s, threshold_kmh, raw)).collect();
    let durations = track.segments.iter().map(|s| duration(s)).sum::<Option<f64>>().unwrap_or(0.0);
    let moving_time = moving.iter().map(|m| m.moving_time).sum();
    let with_points = || track.segments.iter().filter(|s| s.len() >= 2).flatten();
    let totals = Totals {
        duration: durations + gaps(track),
        moving: moving_time,
        pauses: stopped(durations, moving_time) + gaps(track),
        meters: moving.iter().map(|m| m.moving_distance + m.stopped_distance).sum(),
        max_speed: segments.iter().filter_map(|s| s.measures.max_speed).fold(0.0, f64::max),
        elevations: extremes(all()),
        hills: track.segments.iter().map(|s| hills(s)).fold((0.0, 0.0), |a, h| (a.0 + h.0, a.1 + h.1)),
        readings: readings(with_points()),
    };
    Summary { start, measures: totals.measures(), bounds: bounds(all()) }
}

/// A workout from a device's own totals (a file without positions).
pub fn summary_of_totals(t: &DeviceTotals) -> Summary {
    Summary { start: t.start, measures: t.measures.clone(), bounds: [0.0; 4] }
}

/// FitTrackee's stopped time: the duration not spent moving, none when the
/// duration is unknown or zero.
fn stopped(duration: f64, moving: f64) -> f64 {
    if duration != 0.0 { duration - moving } else { 0.0 }
}

/// The time between one segment's last point and the next one's first
/// (segments of two points or more, as FitTrackee walks them).
fn gaps(track: &Track) -> f64 {
    let mut total = 0.0;
    let mut previous_end: Option<f64> = None;
    for segment in track.segments.iter().filter(|s| s.len() >= 2) {
        if let (Some(end), Some(start)) = (previous_end, segment[0].time) {
            total += start - end;
        }
        previous_end = segment[segment.len() - 1].time;
    }
    total
}

/// FitTrackee keeps ascent and descent only when the highest point is
/// above 0 m (a maximum of 0 reads as none).
fn climb(max_alt: Option<f64>, (up, down): (f64, f64)) -> (Option<f64>, Option<f64>) {
    if max_alt.is_some_and(|m| m != 0.0) { (Some(up), Some(down)) } else { (None, None) }
}

fn speed_kmh(meters: f64, seconds: f64) -> f64 {
    if seconds > 0.0 { meters / seconds * 3.6 } else { 0.0 }
}

fn extremes<'p>(points: impl Iterator<Item = &'p Point>) -> (Option<f64>, Option<f64>) {
    points.filter_map(|p| p.elevation).fold((None, None), |(lo, hi), e| {
        (Some(lo.map_or(e, |l: f64| l.min(e))), Some(hi.map_or(e, |h: f64| h.max(e))))
    })
}

fn bounds<'p>(points: impl Iterator<Item = &'p Point>) -> [f64; 4] {
    points.fold([f64::MAX, f64::MAX, f64::MIN, f64::MIN], |b, p| {
        [b[0].min(p.latitude), b[1].min(p.longitude), b[2].max(p.latitude), b[3].max(p.longitude)]
    })
}

type Reading = (Option<f64>, Option<f64>);

/// (average, maximum) of heart rate, cadence and power where present; a
/// cadence that is zero throughout is none (FitTrackee: some devices write 0).
fn readings<'p>(points: impl Iterator<Item = &'p Point>) -> [Reading; 3] {
    let mut totals = [(0.0, 0usize, f64::MIN); 3];
    for point in points {
        for (slot, value) in totals.iter_mut().zip([point.heart_rate, point.cadence, point.power]) {
            if let Some(value) = value {
                *slot = (slot.0 + value, slot.1 + 1, slot.2.max(value));
            }
        }
    }
    let reading = |(sum, count, max): (f64, usize, f64)| {
        if count == 0 { (None, None) } else { (Some(sum / count as f64), Some(max)) }
    };
    let cadence = reading(totals[1]);
    let cadence = if cadence.0 == Some(0.0) { (None, None) } else { cadence };
    [reading(totals[0]), cadence, reading(totals[2])]
}

#[cfg(test)]
mod fixtures {
    use crate::workouts::track::{Point, Track};

    pub fn at(lat: f64, lon: f64, ele: Option<f64>, t: Option<f64>) -> Point {
        Point { latitude: lat, longitude: lon, elevation: ele, time: t, heart_rate: None, cadence: None, power: None }
    }

    pub fn track(segments: Vec<Vec<Point>>) -> Track {
        Track { segments, ..Track::default() }
    }

    /// A straight line north, `step` degrees every `seconds`.
    pub fn line(n: usize, step: f64, seconds: f64, t0: f64) -> Vec<Point> {
        (0..n).map(|i| at(45.0 + i as f64 * step, 6.0, None, Some(t0 + i as f64 * seconds))).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::{at, line, track};
    use super::*;

    #[test]
    fn a_workout_sums_its_segments_and_counts_the_gaps_as_pauses() {
        let t =
            track(vec![line(9, 0.0009, 10.0, 0.0), vec![at(1.0, 1.0, None, Some(90.0))], line(3, 0.0009, 10.0, 200.0)]);
        let a = analyze(&t, 1.0, false).unwrap();
        assert_eq!(a.segments.len(), 2, "a one-point segment is no segment");
        assert_eq!((a.segments[0].measures.duration, a.segments[0].measures.moving), (80.0, 80.0));
        let w = &a.workout.measures;
        assert_eq!(w.duration, 80.0 + 20.0 + 120.0, "segment durations and the gap between them");
        assert_eq!(w.moving, 100.0);
        assert_eq!(w.pauses, 120.0);
        assert!((w.ave_speed.unwrap() - 36.0).abs() < 0.5);
        assert_eq!(a.workout.start, 0.0);
        assert_eq!(a.chart.len(), 12, "the chart has every point of its segments");
    }

    #[test]
    fn refusals_name_the_problem() {
        assert_eq!(analyze(&track(vec![line(1, 0.001, 1.0, 0.0)]), 1.0, false), Err(TrackError::NoValidSegments));
        let mut untimed = line(3, 0.001, 1.0, 0.0);
        untimed[0].time = None;
        assert_eq!(analyze(&track(vec![untimed.clone()]), 1.0, false), Err(TrackError::NoStartTime));
        let second = track(vec![line(3, 0.001, 1.0, 0.0), untimed]);
        assert_eq!(analyze(&second, 1.0, false), Err(TrackError::SegmentWithoutStartTime));
    }

    #[test]
    fn elevation_climb_and_readings() {
        let mut points: Vec<Point> = [100.0, 110.0, 120.0, 110.0, 100.0]
            .iter()
            .enumerate()
            .map(|(i, e)| at(45.0 + i as f64 * 0.0005, 6.0, Some(*e), Some(i as f64 * 10.0)))
            .collect();
        for (p, hr) in points.iter_mut().zip([100.0, 140.0, 150.0, 150.0, 160.0]) {
            p.heart_rate = Some(hr);
            p.cadence = Some(0.0);
        }
        let a = analyze(&track(vec![points]), 1.0, false).unwrap().workout.measures;
        assert_eq!((a.min_alt, a.max_alt), (Some(100.0), Some(120.0)));
        assert!((a.ascent.unwrap() - 14.0).abs() < 1e-9 && (a.descent.unwrap() - 14.0).abs() < 1e-9);
        assert_eq!((a.ave_hr, a.max_hr), (Some(140.0), Some(160.0)));
        assert_eq!((a.ave_cadence, a.max_cadence), (None, None), "all-zero cadence is none");
    }
}
