//! gpxpy's formulas (FitTrackee's GPX library), quirks included: its
//! flat-earth distance, its moving data, its max speed and its speeds.

use crate::workouts::track::Point;

/// gpxpy's Earth (WGS-84 equatorial radius) and degree length.
pub(super) const EARTH_RADIUS: f64 = 6_378_137.0;
pub(super) const ONE_DEGREE: f64 = 2.0 * std::f64::consts::PI * EARTH_RADIUS / 360.0;

/// gpxpy ignores the top 5 % of speeds.
const TOP_SPEEDS_IGNORED: f64 = 0.05;

/// gpxpy's `distance`: from `a` to `b`, 3D when `with_elevation` and both
/// have a different elevation.
pub(super) fn distance(a: &Point, b: &Point, with_elevation: bool) -> f64 {
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
pub(super) fn step(previous: &Point, point: &Point) -> f64 {
    distance(point, previous, elevated(point) && elevated(previous))
}

#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct MovingData {
    pub(super) moving_time: f64,
    pub(super) stopped_time: f64,
    pub(super) moving_distance: f64,
    pub(super) stopped_distance: f64,
    /// m/s.
    pub(super) max_speed: Option<f64>,
}

pub(super) fn moving_data(points: &[Point], threshold_kmh: f64, raw: bool) -> MovingData {
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
pub(super) fn duration(points: &[Point]) -> Option<f64> {
    if points.len() < 2 {
        return Some(0.0);
    }
    let first = points[0].time.or(points[1].time)?;
    let last = points[points.len() - 1].time.or(points[points.len() - 2].time)?;
    (last >= first).then_some(last - first)
}

/// Ascent and descent on elevations smoothed with weights 0.3/0.4/0.3.
pub(super) fn hills(points: &[Point]) -> (f64, f64) {
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

/// Speed at point `i` of a segment (m/s), gpxpy's `get_speed`: the mean of
/// the speeds to its neighbours, or the one there is.
pub(super) fn speed_at(points: &[Point], i: usize) -> Option<f64> {
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

/// Seconds without fractions, as FitTrackee drops a `timedelta`'s
/// microseconds (which rounds down, below zero too).
pub(super) fn whole(seconds: f64) -> f64 {
    seconds.floor()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workouts::analysis::fixtures::{at, line};

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
}
