//! The points of the workout charts (and maps), computed once at upload.

use super::gpxpy::{speed_at, step, whole};
use crate::workouts::track::{Point, Track};

/// One point of the workout charts (and maps), as stored at upload.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartPoint {
    /// Index of its segment among the workout's segments, from 0.
    pub segment: usize,
    /// Kilometers from the start of its segment (FitTrackee adds the
    /// segments before it when it serves a workout's chart).
    pub distance: f64,
    /// Whole seconds from the workout's first point.
    pub duration: f64,
    pub latitude: f64,
    pub longitude: f64,
    /// Unix seconds; `None` for a point without a time.
    pub time: Option<f64>,
    pub elevation: Option<f64>,
    /// km/h, the mean of the speeds to the previous and next points (0 for
    /// a segment's first point).
    pub speed: f64,
    pub heart_rate: Option<f64>,
    pub cadence: Option<f64>,
    pub power: Option<f64>,
}

/// The points of the charts, as FitTrackee 1.x stores them with each
/// segment (of two points or more): distances within the segment,
/// durations from the workout's first point.
pub fn chart(track: &Track) -> Vec<ChartPoint> {
    let segments: Vec<&Vec<Point>> = track.segments.iter().filter(|s| s.len() >= 2).collect();
    let first_time = segments.first().and_then(|s| s[0].time);
    let mut out = Vec::new();
    for (index, segment) in segments.into_iter().enumerate() {
        let mut meters = 0.0;
        for (i, (point, speed)) in segment.iter().zip(chart_speeds(segment)).enumerate() {
            if i > 0 {
                meters += step(&segment[i - 1], point);
            }
            let duration = point.time.zip(first_time).map_or(0.0, |(t, first)| whole((t - first).abs()));
            out.push(ChartPoint {
                segment: index,
                distance: meters / 1000.0,
                duration,
                latitude: point.latitude,
                longitude: point.longitude,
                time: point.time,
                elevation: point.elevation,
                speed,
                heart_rate: point.heart_rate,
                cadence: point.cadence,
                power: point.power,
            });
        }
    }
    out
}

/// The chart's speeds of a segment, km/h to two decimals; FitTrackee gives
/// a segment's first point no speed.
pub(super) fn chart_speeds(points: &[Point]) -> impl Iterator<Item = f64> + '_ {
    (0..points.len())
        .map(|i| if i == 0 { 0.0 } else { speed_at(points, i).map_or(0.0, |s| (s * 3.6 * 100.0).round() / 100.0) })
}

/// The track of stored points again (a GPX download of a workout from any
/// format): one segment per segment index, the readings as they were.
pub fn track_of(name: &str, points: &[ChartPoint]) -> Track {
    let mut segments: Vec<Vec<Point>> = Vec::new();
    for p in points {
        if segments.len() <= p.segment {
            segments.resize_with(p.segment + 1, Vec::new);
        }
        segments[p.segment].push(Point {
            latitude: p.latitude,
            longitude: p.longitude,
            elevation: p.elevation,
            time: p.time,
            heart_rate: p.heart_rate,
            cadence: p.cadence,
            power: p.power,
        });
    }
    segments.retain(|s| !s.is_empty());
    Track { name: Some(name.to_string()), segments, ..Track::default() }
}

#[cfg(test)]
mod tests {
    use super::super::gpxpy::ONE_DEGREE;
    use super::*;
    use crate::workouts::analysis::fixtures::{line, track};
    use crate::workouts::track::Point;

    #[test]
    fn chart_speeds_are_the_mean_of_both_neighbours() {
        let points = line(3, 0.0009, 10.0, 0.0);
        let speeds: Vec<f64> = chart_speeds(&points).collect();
        let expected = ((0.0009 * ONE_DEGREE / 10.0 * 3.6) * 100.0).round() / 100.0;
        assert_eq!(speeds[0], 0.0, "FitTrackee gives a segment's first point no speed");
        assert!(speeds[1..].iter().all(|s| (s - expected).abs() < 1e-9), "{speeds:?}");
    }

    #[test]
    fn each_segment_has_its_own_distances_and_one_point_segments_none() {
        let lonely = vec![line(1, 0.0, 1.0, 50.0).remove(0)];
        let points = chart(&track(vec![line(3, 0.0009, 10.0, 0.0), lonely, line(2, 0.0009, 10.0, 100.0)]));
        assert_eq!(points.len(), 5, "the one-point segment is no segment");
        assert_eq!((points[3].segment, points[3].distance), (1, 0.0), "distances start again");
        assert!(points[4].distance > 0.0);
        assert_eq!((points[3].duration, points[4].duration), (100.0, 110.0), "durations from the workout's start");
        let untimed = Point { time: None, ..line(1, 0.0, 1.0, 0.0).remove(0) };
        let with_gap = chart(&track(vec![vec![line(1, 0.0, 1.0, 0.0).remove(0), untimed]]));
        assert_eq!((with_gap[1].time, with_gap[1].duration), (None, 0.0));
    }
}
