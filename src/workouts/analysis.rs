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

use super::model::Measures;
use super::track::{Point, Track};

/// gpxpy's Earth (WGS-84 equatorial radius) and degree length.
const EARTH_RADIUS: f64 = 6_378_137.0;
const ONE_DEGREE: f64 = 2.0 * std::f64::consts::PI * EARTH_RADIUS / 360.0;
/// gpxpy ignores the top 5 % of speeds.
const TOP_SPEEDS_IGNORED: f64 = 0.05;

/// A workout or segment: when it starts, what it measured, where it lies.
#[derive(Debug, Clone, PartialEq)]
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

/// One point of the workout charts (and maps), as stored at upload.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartPoint {
    /// Index of its segment in the file, from 0.
    pub segment: usize,
    /// Kilometers from the start, across segments.
    pub distance: f64,
    /// Seconds from the start.
    pub duration: f64,
    pub latitude: f64,
    pub longitude: f64,
    pub time: f64,
    pub elevation: Option<f64>,
    /// km/h, the mean of the speeds to the previous and next points.
    pub speed: f64,
    pub heart_rate: Option<f64>,
    pub cadence: Option<f64>,
    pub power: Option<f64>,
}

/// gpxpy's `distance`: from `a` to `b`, 3D when `with_elevation` and both
/// have a different elevation.
pub fn distance(a: &Point, b: &Point, with_elevation: bool) -> f64 {
    if (a.latitude - b.latitude).abs() > 0.2 || (a.longitude - b.longitude).abs() > 0.2 {
        return haversine(a, b);
    }
    let coef = a.latitude.to_radians().cos();
    let (x, y) = (a.latitude - b.latitude, (a.longitude - b.longitude) * coef);
    let flat = (x * x + y * y).sqrt() * ONE_DEGREE;
    match (a.elevation, b.elevation) {
        (Some(e1), Some(e2)) if with_elevation && e1 != e2 => (flat * flat + (e1 - e2).powi(2)).sqrt(),
        _ => flat,
    }
}

fn haversine(a: &Point, b: &Point) -> f64 {
    let (lat1, lat2) = (a.latitude.to_radians(), b.latitude.to_radians());
    let d_lon = (a.longitude - b.longitude).to_radians();
    let d_lat = lat1 - lat2;
    let h = (d_lat / 2.0).sin().powi(2) + (d_lon / 2.0).sin().powi(2) * lat1.cos() * lat2.cos();
    2.0 * EARTH_RADIUS * h.sqrt().min(1.0).asin()
}

/// An elevation gpxpy counts (it tests elevations for truth: 0 m is none).
fn elevated(p: &Point) -> bool {
    p.elevation.is_some_and(|e| e != 0.0)
}

/// The distance of a step as gpxpy's moving data and FitTrackee's charts take it.
fn step(previous: &Point, point: &Point) -> f64 {
    distance(point, previous, elevated(point) && elevated(previous))
}

#[derive(Debug, Clone, Default, PartialEq)]
struct MovingData {
    moving_time: f64,
    stopped_time: f64,
    moving_distance: f64,
    stopped_distance: f64,
    /// m/s.
    max_speed: Option<f64>,
}

fn moving_data(points: &[Point], threshold_kmh: f64, raw: bool) -> MovingData {
    let threshold = if threshold_kmh == 0.0 { 1.0 } else { threshold_kmh };
    let mut data = MovingData::default();
    let mut speeds_and_distances = Vec::new();
    for pair in points.windows(2) {
        let (Some(t0), Some(t1)) = (pair[0].time, pair[1].time) else { continue };
        let (seconds, distance) = (t1 - t0, step(&pair[0], &pair[1]));
        if seconds <= 0.0 || distance == 0.0 {
            continue;
        }
        if distance / 1000.0 / (seconds / 3600.0) <= threshold {
            data.stopped_time += seconds;
            data.stopped_distance += distance;
        } else {
            data.moving_time += seconds;
            data.moving_distance += distance;
        }
        if data.moving_time > 0.0 {
            speeds_and_distances.push((distance / seconds, distance));
        }
    }
    if !speeds_and_distances.is_empty() {
        data.max_speed = max_speed(&speeds_and_distances, raw);
    }
    data
}

/// gpxpy's `calculate_max_speed`: the raw maximum, or, dropping steps whose
/// length is far from the usual one, the 95th percentile.
fn max_speed(speeds_and_distances: &[(f64, f64)], raw: bool) -> Option<f64> {
    if raw {
        return Some(speeds_and_distances.iter().map(|s| s.0).fold(0.0, f64::max));
    }
    let size = speeds_and_distances.len() as f64;
    if size < 2.0 {
        return None;
    }
    let average = speeds_and_distances.iter().map(|s| s.1).sum::<f64>() / size;
    let deviation = (speeds_and_distances.iter().map(|s| (s.1 - average).powi(2)).sum::<f64>() / size).sqrt();
    let mut speeds: Vec<f64> =
        speeds_and_distances.iter().filter(|s| (s.1 - average).abs() <= deviation * 1.5).map(|s| s.0).collect();
    if speeds.is_empty() {
        return None;
    }
    speeds.sort_by(f64::total_cmp);
    let index = (speeds.len() as f64 * (1.0 - TOP_SPEEDS_IGNORED)) as usize;
    Some(if index >= speeds.len() { speeds[speeds.len() - 1] } else { speeds[index] })
}

/// gpxpy's segment duration: first to last point with a time (looking one
/// point in), `None` when it cannot tell.
fn duration(points: &[Point]) -> Option<f64> {
    if points.len() < 2 {
        return Some(0.0);
    }
    let first = points[0].time.or(points[1].time)?;
    let last = points[points.len() - 1].time.or(points[points.len() - 2].time)?;
    (last >= first).then_some(last - first)
}

/// Ascent and descent on elevations smoothed with weights 0.3/0.4/0.3.
fn hills(points: &[Point]) -> (f64, f64) {
    let elevations: Vec<f64> = points.iter().filter_map(|p| p.elevation).collect();
    let smoothed: Vec<f64> = (0..elevations.len())
        .map(|i| match (i.checked_sub(1).map(|p| elevations[p]), elevations.get(i + 1)) {
            (Some(previous), Some(next)) => previous * 0.3 + elevations[i] * 0.4 + next * 0.3,
            _ => elevations[i],
        })
        .collect();
    smoothed.windows(2).fold((0.0, 0.0), |(up, down), pair| {
        let delta = pair[1] - pair[0];
        if delta > 0.0 { (up + delta, down) } else { (up, down - delta) }
    })
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

/// Speed at point `i` of a segment (m/s), gpxpy's `get_speed`: the mean of
/// the speeds to its neighbours, or the one there is.
fn speed_at(points: &[Point], i: usize) -> Option<f64> {
    let between = |a: &Point, b: &Point| {
        let seconds = (a.time? - b.time?).abs();
        let length = match distance(a, b, true) {
            0.0 => distance(a, b, false),
            length => length,
        };
        (seconds > 0.0).then(|| length / seconds).filter(|s| *s != 0.0)
    };
    let before = i.checked_sub(1).and_then(|p| between(&points[i], &points[p]));
    let after = points.get(i + 1).and_then(|next| between(&points[i], next));
    match (before, after) {
        (Some(a), Some(b)) => Some((a + b) / 2.0),
        (a, b) => a.or(b),
    }
}

/// Seconds without fractions (FitTrackee drops microseconds).
fn whole(seconds: f64) -> f64 {
    seconds.trunc()
}

fn summary(points: &[Point], threshold_kmh: f64, raw: bool) -> Summary {
    let moving = moving_data(points, threshold_kmh, raw);
    let duration = duration(points).unwrap_or(0.0);
    let distance = moving.moving_distance + moving.stopped_distance;
    let max_speed = if raw { chart_speeds(points).fold(0.0, f64::max) } else { moving.max_speed.unwrap_or(0.0) * 3.6 };
    let (min_alt, max_alt) = extremes(points.iter());
    let (ascent, descent) = climb(max_alt, hills(points));
    let [hr, cadence, power] = readings(points.iter());
    Summary {
        start: points.first().and_then(|p| p.time).unwrap_or(0.0),
        measures: Measures {
            duration: whole(duration),
            moving: whole(moving.moving_time),
            distance: distance / 1000.0,
            min_alt,
            max_alt,
            ascent,
            descent,
            ave_speed: Some(speed_kmh(distance, moving.moving_time)),
            max_speed: Some(max_speed),
            ave_hr: hr.0,
            max_hr: hr.1,
            ave_cadence: cadence.0,
            max_cadence: cadence.1,
            ave_power: power.0,
            max_power: power.1,
        },
        bounds: bounds(points.iter()),
    }
}

/// FitTrackee keeps ascent and descent only when the highest point is
/// above 0 m (a maximum of 0 reads as none).
fn climb(max_alt: Option<f64>, (up, down): (f64, f64)) -> (Option<f64>, Option<f64>) {
    if max_alt.is_some_and(|m| m != 0.0) { (Some(up), Some(down)) } else { (None, None) }
}

fn speed_kmh(meters: f64, seconds: f64) -> f64 {
    if seconds > 0.0 { meters / seconds * 3.6 } else { 0.0 }
}

/// The chart's speeds of a segment, km/h to two decimals.
fn chart_speeds(points: &[Point]) -> impl Iterator<Item = f64> + '_ {
    (0..points.len()).map(|i| speed_at(points, i).map_or(0.0, |s| (s * 3.6 * 100.0).round() / 100.0))
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

fn workout_summary(track: &Track, segments: &[Summary], start: f64, threshold_kmh: f64, raw: bool) -> Summary {
    let all = || track.segments.iter().flatten();
    let moving: Vec<MovingData> = track.segments.iter().map(|s| moving_data(s, threshold_kmh, raw)).collect();
    let moving_time: f64 = moving.iter().map(|m| m.moving_time).sum();
    let distance: f64 = moving.iter().map(|m| m.moving_distance + m.stopped_distance).sum();
    let durations: Option<f64> = track.segments.iter().map(|s| duration(s)).sum();
    let (min_alt, max_alt) = extremes(all());
    let hills = track.segments.iter().map(|s| hills(s)).fold((0.0, 0.0), |a, h| (a.0 + h.0, a.1 + h.1));
    let (ascent, descent) = climb(max_alt, hills);
    let with_points = || track.segments.iter().filter(|s| s.len() >= 2).flatten();
    let [hr, cadence, power] = readings(with_points());
    let max_speed = segments.iter().filter_map(|s| s.measures.max_speed).fold(0.0, f64::max);
    Summary {
        start,
        measures: Measures {
            duration: whole(durations.unwrap_or(0.0) + gaps(track)),
            moving: whole(moving_time),
            distance: distance / 1000.0,
            min_alt,
            max_alt,
            ascent,
            descent,
            ave_speed: Some(speed_kmh(distance, moving_time)),
            max_speed: Some(max_speed),
            ave_hr: hr.0,
            max_hr: hr.1,
            ave_cadence: cadence.0,
            max_cadence: cadence.1,
            ave_power: power.0,
            max_power: power.1,
        },
        bounds: bounds(all()),
    }
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

/// The points of the charts, as FitTrackee's `chart_data` gives them:
/// distances accumulate across segments (the step between two segments
/// included), durations from the first point.
pub fn chart(track: &Track) -> Vec<ChartPoint> {
    let first_time = track.segments.iter().flatten().next().and_then(|p| p.time);
    let mut previous: Option<&Point> = None;
    let mut meters = 0.0;
    let mut out = Vec::new();
    for (index, segment) in track.segments.iter().enumerate() {
        for (i, (point, speed)) in segment.iter().zip(chart_speeds(segment)).enumerate() {
            meters += previous.map_or(0.0, |p| step(p, point));
            let time = point.time.unwrap_or_else(|| out.last().map_or(0.0, |p: &ChartPoint| p.time));
            out.push(ChartPoint {
                segment: index,
                distance: meters / 1000.0,
                duration: first_time.map_or(0.0, |t| whole((time - t).abs())),
                latitude: point.latitude,
                longitude: point.longitude,
                time,
                elevation: point.elevation,
                speed,
                heart_rate: point.heart_rate,
                cadence: point.cadence,
                power: point.power,
            });
            previous = Some(&segment[i]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(lat: f64, lon: f64, ele: Option<f64>, t: Option<f64>) -> Point {
        Point { latitude: lat, longitude: lon, elevation: ele, time: t, heart_rate: None, cadence: None, power: None }
    }

    fn track(segments: Vec<Vec<Point>>) -> Track {
        Track { segments, ..Track::default() }
    }

    /// A straight line north, `step` degrees every `seconds`.
    fn line(n: usize, step: f64, seconds: f64, t0: f64) -> Vec<Point> {
        (0..n).map(|i| at(45.0 + i as f64 * step, 6.0, None, Some(t0 + i as f64 * seconds))).collect()
    }

    #[test]
    fn distances_follow_gpxpy() {
        let (a, b) = (at(45.0, 6.0, Some(100.0), None), at(45.001, 6.0, Some(103.0), None));
        let flat = 0.001 * ONE_DEGREE;
        assert!((distance(&b, &a, false) - flat).abs() < 1e-9);
        assert!((distance(&b, &a, true) - (flat * flat + 9.0).sqrt()).abs() < 1e-9);
        // Far apart: haversine on the equatorial radius.
        let (c, d) = (at(45.0, 6.0, None, None), at(46.0, 6.0, None, None));
        assert!((distance(&d, &c, false) - 1.0f64.to_radians() * EARTH_RADIUS).abs() < 1e-6);
        // Zero elevation is none to gpxpy.
        let (e, f) = (at(45.0, 6.0, Some(0.0), None), at(45.001, 6.0, Some(50.0), None));
        assert_eq!(step(&e, &f), distance(&f, &e, false));
    }

    #[test]
    fn moving_stopped_and_steps_that_do_not_count() {
        // 100 m every 10 s, 60 s standing, 100 m in 10 s, a point without time.
        let mut points = line(2, 0.0009, 10.0, 0.0);
        points.push(at(45.0009, 6.0, None, Some(70.0)));
        points.push(at(45.0018, 6.0, None, Some(80.0)));
        points.push(at(45.0027, 6.0, None, None));
        let data = moving_data(&points, 1.0, false);
        assert_eq!((data.moving_time, data.stopped_time), (20.0, 0.0), "the standing step covers no distance");
        assert!((data.moving_distance - 2.0 * 0.0009 * ONE_DEGREE).abs() < 1e-6, "untimed steps do not count");
        assert_eq!(duration(&points), Some(80.0), "the last point without time: the one before it");
        assert_eq!(moving_data(&points, 40.0, false).moving_time, 0.0, "a higher threshold: stopped");
    }

    #[test]
    fn the_max_speed_drops_spikes_unless_raw() {
        let mut points = line(100, 0.00009, 1.0, 0.0);
        points[50].latitude += 0.009;
        let smooth = moving_data(&points, 1.0, false).max_speed.unwrap() * 3.6;
        let raw = moving_data(&points, 1.0, true).max_speed.unwrap() * 3.6;
        assert!(smooth < 40.0, "{smooth}");
        assert!(raw > 1000.0, "{raw}");
        assert_eq!(max_speed(&[(3.0, 10.0)], false), None, "too few steps");
    }

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
        assert_eq!(w.pauses(), 120.0);
        assert!((w.ave_speed.unwrap() - 36.0).abs() < 0.5);
        assert_eq!(a.workout.start, 0.0);
        assert_eq!(a.chart.len(), 13, "the chart has every point of the file");
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

    #[test]
    fn chart_speeds_are_the_mean_of_both_neighbours() {
        let points = line(3, 0.0009, 10.0, 0.0);
        let speeds: Vec<f64> = chart_speeds(&points).collect();
        let expected = 0.0009 * ONE_DEGREE / 10.0 * 3.6;
        assert!(speeds.iter().all(|s| (s - (expected * 100.0).round() / 100.0).abs() < 1e-9), "{speeds:?}");
        let chart = chart(&track(vec![points.clone(), line(2, 0.0009, 10.0, 100.0)]));
        assert!(chart[3].distance > chart[2].distance, "the step between segments counts");
        assert_eq!(chart[4].duration, 110.0);
    }
}
