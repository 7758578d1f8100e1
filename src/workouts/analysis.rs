//! What a GPX track says about a workout, per segment and in total:
//! distance, elapsed and moving time (pauses are what moves slower than the
//! sport's stopped-speed threshold), speeds, elevation, heart rate, cadence
//! and power, and the points of the charts. Same method as FitTrackee
//! (gpxpy): 3D distances where both points have an elevation, a max speed
//! that ignores GPS spikes, ascent on lightly smoothed elevations.

use crate::gpx::{Point, Track};

/// Mean Earth radius (IUGG), in meters.
const EARTH_RADIUS_M: f64 = 6_371_008.8;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Stats {
    /// Seconds since the Unix epoch of the first point.
    pub start: f64,
    /// Elapsed seconds, first point to last (pauses and gaps included).
    pub duration: f64,
    pub moving: f64,
    pub distance_km: f64,
    pub ave_speed: f64,
    pub max_speed: f64,
    pub min_alt: Option<f64>,
    pub max_alt: Option<f64>,
    pub ascent: Option<f64>,
    pub descent: Option<f64>,
    pub ave_hr: Option<f64>,
    pub max_hr: Option<f64>,
    pub ave_cadence: Option<f64>,
    pub max_cadence: Option<f64>,
    pub ave_power: Option<f64>,
    pub max_power: Option<f64>,
    /// `[min_lat, min_lon, max_lat, max_lon]`.
    pub bounds: [f64; 4],
}

impl Stats {
    pub fn pauses(&self) -> f64 {
        (self.duration - self.moving).max(0.0)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    pub workout: Stats,
    pub segments: Vec<Stats>,
}

/// Distance in meters between two points: haversine, then 3D when both
/// have an elevation.
pub fn distance_m(a: &Point, b: &Point) -> f64 {
    let (lat1, lat2) = (a.latitude.to_radians(), b.latitude.to_radians());
    let d_lat = lat2 - lat1;
    let d_lon = (b.longitude - a.longitude).to_radians();
    let h = (d_lat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (d_lon / 2.0).sin().powi(2);
    let flat = 2.0 * EARTH_RADIUS_M * h.sqrt().min(1.0).asin();
    match (a.elevation, b.elevation) {
        (Some(e1), Some(e2)) => (flat * flat + (e2 - e1).powi(2)).sqrt(),
        _ => flat,
    }
}

/// Analyzes a track; `threshold_kmh` is the stopped-speed threshold, and
/// `raw_speed` keeps the true maximum instead of ignoring spikes.
pub fn analyze(track: &Track, threshold_kmh: f64, raw_speed: bool) -> Analysis {
    let segments: Vec<Stats> = track.segments.iter().map(|s| segment(s, threshold_kmh, raw_speed)).collect();
    let all_points = || track.segments.iter().flatten();
    let first = all_points().next().map_or(0.0, |p| p.time);
    let last = all_points().last().map_or(first, |p| p.time);
    let sum = |f: fn(&Stats) -> f64| segments.iter().map(f).sum::<f64>();
    let (distance_km, moving) = (sum(|s| s.distance_km), sum(|s| s.moving));
    let elevation_sum = |f: fn(&Stats) -> Option<f64>| segments.iter().filter_map(f).reduce(|a, b| a + b);
    let (hr, cadence, power) = readings(all_points());
    let workout = Stats {
        start: first,
        duration: (last - first).max(0.0),
        moving,
        distance_km,
        ave_speed: speed_kmh(distance_km * 1000.0, moving),
        max_speed: segments.iter().map(|s| s.max_speed).fold(0.0, f64::max),
        min_alt: segments.iter().filter_map(|s| s.min_alt).reduce(f64::min),
        max_alt: segments.iter().filter_map(|s| s.max_alt).reduce(f64::max),
        ascent: elevation_sum(|s| s.ascent),
        descent: elevation_sum(|s| s.descent),
        ave_hr: hr.0,
        max_hr: hr.1,
        ave_cadence: cadence.0,
        max_cadence: cadence.1,
        ave_power: power.0,
        max_power: power.1,
        bounds: bounds(all_points()),
    };
    Analysis { workout, segments }
}

fn speed_kmh(meters: f64, seconds: f64) -> f64 {
    if seconds > 0.0 { meters / seconds * 3.6 } else { 0.0 }
}

fn segment(points: &[Point], threshold_kmh: f64, raw_speed: bool) -> Stats {
    let mut distance = 0.0;
    let mut moving = 0.0;
    // (speed in m/s, distance in m) of each moving step, for the max speed.
    let mut steps = Vec::with_capacity(points.len());
    for pair in points.windows(2) {
        let step = distance_m(&pair[0], &pair[1]);
        let seconds = pair[1].time - pair[0].time;
        distance += step;
        if seconds > 0.0 && speed_kmh(step, seconds) > threshold_kmh {
            moving += seconds;
            steps.push((step / seconds, step));
        }
    }
    let elevations: Vec<f64> = points.iter().filter_map(|p| p.elevation).collect();
    let (ascent, descent) = climb(&elevations);
    let (hr, cadence, power) = readings(points.iter());
    let (first, last) = (points[0].time, points[points.len() - 1].time);
    Stats {
        start: first,
        duration: (last - first).max(0.0),
        moving,
        distance_km: distance / 1000.0,
        ave_speed: speed_kmh(distance, moving),
        max_speed: max_speed(steps, raw_speed) * 3.6,
        min_alt: elevations.iter().copied().reduce(f64::min),
        max_alt: elevations.iter().copied().reduce(f64::max),
        ascent,
        descent,
        ave_hr: hr.0,
        max_hr: hr.1,
        ave_cadence: cadence.0,
        max_cadence: cadence.1,
        ave_power: power.0,
        max_power: power.1,
        bounds: bounds(points.iter()),
    }
}

/// The 95th percentile of step speeds, after dropping steps whose length is
/// far from the usual one (GPS jumps), unless the raw maximum is wanted.
fn max_speed(mut steps: Vec<(f64, f64)>, raw: bool) -> f64 {
    if steps.is_empty() {
        return 0.0;
    }
    if raw {
        return steps.iter().map(|s| s.0).fold(0.0, f64::max);
    }
    let n = steps.len() as f64;
    let mean = steps.iter().map(|s| s.1).sum::<f64>() / n;
    let deviation = (steps.iter().map(|s| (s.1 - mean).powi(2)).sum::<f64>() / n).sqrt();
    steps.retain(|s| (s.1 - mean).abs() <= deviation * 1.5);
    let mut speeds: Vec<f64> = steps.iter().map(|s| s.0).collect();
    speeds.sort_by(f64::total_cmp);
    let index = ((speeds.len() as f64) * 0.95) as usize;
    speeds.get(index).or(speeds.last()).copied().unwrap_or(0.0)
}

/// Ascent and descent on elevations smoothed with weights 0.3/0.4/0.3.
fn climb(elevations: &[f64]) -> (Option<f64>, Option<f64>) {
    if elevations.is_empty() {
        return (None, None);
    }
    let smoothed: Vec<f64> = (0..elevations.len())
        .map(|i| match (i.checked_sub(1).map(|p| elevations[p]), elevations.get(i + 1)) {
            (Some(previous), Some(next)) => previous * 0.3 + elevations[i] * 0.4 + next * 0.3,
            _ => elevations[i],
        })
        .collect();
    let (mut up, mut down) = (0.0, 0.0);
    for pair in smoothed.windows(2) {
        let delta = pair[1] - pair[0];
        if delta > 0.0 { up += delta } else { down -= delta }
    }
    (Some(up), Some(down))
}

type Reading = (Option<f64>, Option<f64>);

/// (average, maximum) of heart rate, cadence and power where present.
fn readings<'p>(points: impl Iterator<Item = &'p Point>) -> (Reading, Reading, Reading) {
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
    (reading(totals[0]), reading(totals[1]), reading(totals[2]))
}

fn bounds<'p>(points: impl Iterator<Item = &'p Point>) -> [f64; 4] {
    points.fold([f64::MAX, f64::MAX, f64::MIN, f64::MIN], |b, p| {
        [b[0].min(p.latitude), b[1].min(p.longitude), b[2].max(p.latitude), b[3].max(p.longitude)]
    })
}

/// One point of the workout charts (and maps), as stored at upload.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartPoint {
    /// Index of its segment, from 0.
    pub segment: usize,
    /// Kilometers from the start, across segments.
    pub distance: f64,
    /// Seconds from the start.
    pub duration: f64,
    pub latitude: f64,
    pub longitude: f64,
    pub time: f64,
    pub elevation: Option<f64>,
    /// km/h over the step that ends here.
    pub speed: f64,
    pub heart_rate: Option<f64>,
    pub cadence: Option<f64>,
    pub power: Option<f64>,
}

pub fn chart(track: &Track) -> Vec<ChartPoint> {
    let start = track.segments.first().and_then(|s| s.first()).map_or(0.0, |p| p.time);
    let mut distance_m_total = 0.0;
    let mut out = Vec::new();
    for (index, segment) in track.segments.iter().enumerate() {
        let mut previous: Option<&Point> = None;
        for point in segment {
            let (step, seconds) = previous.map_or((0.0, 0.0), |p| (distance_m(p, point), point.time - p.time));
            distance_m_total += step;
            out.push(ChartPoint {
                segment: index,
                distance: distance_m_total / 1000.0,
                duration: point.time - start,
                latitude: point.latitude,
                longitude: point.longitude,
                time: point.time,
                elevation: point.elevation,
                speed: speed_kmh(step, seconds),
                heart_rate: point.heart_rate,
                cadence: point.cadence,
                power: point.power,
            });
            previous = Some(point);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gpx::{self, tests::TestPoint, tests::document};

    /// Haversine written independently of the code under test.
    fn reference_km(points: &[(f64, f64)]) -> f64 {
        points
            .windows(2)
            .map(|w| {
                let (p1, p2) = (w[0].0.to_radians(), w[1].0.to_radians());
                let dp = p2 - p1;
                let dl = (w[1].1 - w[0].1).to_radians();
                let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
                2.0 * 6371.0 * a.sqrt().atan2((1.0 - a).sqrt())
            })
            .sum()
    }

    fn track(segments: &[Vec<TestPoint>]) -> Track {
        gpx::parse(document(segments).as_bytes()).unwrap()
    }

    #[test]
    fn distances_agree_with_an_independent_haversine() {
        // A 10 000-point wander at ~3 m/s over varied latitudes.
        let points: Vec<TestPoint> = (0..10_000)
            .map(|i| {
                let t = i as f64;
                (45.0 + (t * 0.00002) + (t / 50.0).sin() * 0.0001, 6.0 + t * 0.00003, None, i as i64 * 2)
            })
            .collect();
        let reference = reference_km(&points.iter().map(|p| (p.0, p.1)).collect::<Vec<_>>());
        let analysis = analyze(&track(&[points]), 1.0, false);
        let relative = (analysis.workout.distance_km - reference).abs() / reference;
        assert!(relative < 0.001, "{} km vs {} km", analysis.workout.distance_km, reference);
        assert!(analysis.workout.distance_km > 10.0);
    }

    #[test]
    fn pauses_are_slower_than_the_threshold_and_gaps_count_in_duration() {
        // 100 m every 10 s (36 km/h), then 60 s standing, then 100 m in 10 s.
        let first =
            vec![(45.0, 6.0, None, 0), (45.0009, 6.0, None, 10), (45.0009, 6.0, None, 70), (45.0018, 6.0, None, 80)];
        // A second segment after a 120 s gap.
        let second = vec![(45.0018, 6.0, None, 200), (45.0027, 6.0, None, 210)];
        let a = analyze(&track(&[first, second]), 1.0, false);
        assert_eq!(a.segments.len(), 2);
        assert_eq!((a.segments[0].duration, a.segments[0].moving), (80.0, 20.0));
        assert_eq!(a.workout.duration, 210.0, "first point to last, gaps included");
        assert_eq!(a.workout.moving, 30.0);
        assert_eq!(a.workout.pauses(), 180.0);
        assert!((a.workout.distance_km - 0.3).abs() < 0.001, "{}", a.workout.distance_km);
        assert!((a.workout.ave_speed - 36.0).abs() < 0.2, "{}", a.workout.ave_speed);
        assert!((a.workout.max_speed - 36.0).abs() < 0.2, "{}", a.workout.max_speed);
        // A higher threshold makes everything a pause.
        assert_eq!(
            analyze(&track(&[vec![(45.0, 6.0, None, 0), (45.0009, 6.0, None, 10)]]), 40.0, false).workout.moving,
            0.0
        );
    }

    #[test]
    fn a_gps_spike_does_not_become_the_max_speed_unless_raw() {
        let mut points: Vec<TestPoint> = (0..100).map(|i| (45.0 + i as f64 * 0.00009, 6.0, None, i as i64)).collect();
        // One jump of ~1 km in a second.
        points[50].0 += 0.009;
        let smooth = analyze(&track(&[points.clone()]), 1.0, false).workout.max_speed;
        let raw = analyze(&track(&[points]), 1.0, true).workout.max_speed;
        assert!(smooth < 40.0, "{smooth}");
        assert!(raw > 1000.0, "{raw}");
    }

    #[test]
    fn elevation_extremes_and_smoothed_climb() {
        let points = vec![
            (45.0, 6.0, Some(100.0), 0),
            (45.0005, 6.0, Some(110.0), 10),
            (45.0010, 6.0, Some(120.0), 20),
            (45.0015, 6.0, Some(110.0), 30),
            (45.0020, 6.0, Some(100.0), 40),
        ];
        let a = analyze(&track(&[points]), 1.0, false).workout;
        assert_eq!((a.min_alt, a.max_alt), (Some(100.0), Some(120.0)));
        // Smoothed: 100, 110, 114, 110, 100 → up 14, down 14.
        assert!((a.ascent.unwrap() - 14.0).abs() < 1e-9 && (a.descent.unwrap() - 14.0).abs() < 1e-9);
        let flat = analyze(&track(&[vec![(45.0, 6.0, None, 0), (45.001, 6.0, None, 10)]]), 1.0, false).workout;
        assert_eq!((flat.min_alt, flat.ascent), (None, None));
    }

    #[test]
    fn heart_rate_cadence_power_and_bounds() {
        let mut t = track(&[vec![(45.0, 6.0, None, 0), (45.001, 6.002, None, 10), (45.002, 5.999, None, 20)]]);
        for (point, hr) in t.segments[0].iter_mut().zip([100.0, 140.0, 150.0]) {
            point.heart_rate = Some(hr);
        }
        t.segments[0][1].power = Some(200.0);
        let a = analyze(&t, 1.0, false).workout;
        assert_eq!((a.ave_hr, a.max_hr), (Some(130.0), Some(150.0)));
        assert_eq!((a.ave_power, a.max_power, a.ave_cadence), (Some(200.0), Some(200.0), None));
        assert_eq!(a.bounds, [45.0, 5.999, 45.002, 6.002]);
    }

    #[test]
    fn chart_points_accumulate_across_segments() {
        let t = track(&[
            vec![(45.0, 6.0, Some(10.0), 0), (45.0009, 6.0, Some(12.0), 10)],
            vec![(45.0018, 6.0, None, 100), (45.0027, 6.0, None, 110)],
        ]);
        let points = chart(&t);
        assert_eq!(points.len(), 4);
        assert_eq!(points[0].speed, 0.0);
        assert!((points[1].speed - 36.0).abs() < 0.5);
        assert_eq!(points[3].duration, 110.0);
        assert!(points[3].distance > points[1].distance);
    }
}
