//! The points of the workout charts (and maps), computed once at upload.

use super::gpxpy::{speed_at, step, whole};
use crate::workouts::track::{Point, Track};

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

/// The chart's speeds of a segment, km/h to two decimals.
pub(super) fn chart_speeds(points: &[Point]) -> impl Iterator<Item = f64> + '_ {
    (0..points.len()).map(|i| speed_at(points, i).map_or(0.0, |s| (s * 3.6 * 100.0).round() / 100.0))
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
            time: Some(p.time),
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
