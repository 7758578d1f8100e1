//! A track as every workout-file reader produces it (GPX, TCX, FIT, KML):
//! segments of points, as they are in the file, and what the file says
//! about itself.

use super::model::Measures;

#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    pub latitude: f64,
    pub longitude: f64,
    /// Meters.
    pub elevation: Option<f64>,
    /// Seconds since the Unix epoch (UTC), with fractions.
    pub time: Option<f64>,
    pub heart_rate: Option<f64>,
    pub cadence: Option<f64>,
    pub power: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Track {
    /// The device or app that wrote the file.
    pub creator: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub calories: Option<f64>,
    /// Every segment of the (first) track, even those of one point.
    pub segments: Vec<Vec<Point>>,
    /// What the device computed itself (FIT sessions), for files without
    /// positions (indoor workouts), which have no track to analyze.
    pub totals: Option<DeviceTotals>,
}

/// A FIT session's own figures, in FitTrackee's units (the device measured
/// them; nothing is computed again).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DeviceTotals {
    /// Unix seconds.
    pub start: f64,
    pub measures: Measures,
}
