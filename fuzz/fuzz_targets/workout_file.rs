//! Workout files: the bounded XML tree and the readers on it, then the
//! analysis of whatever they accept.
#![no_main]

use fittrackee::workouts::analysis::{analyze, chart};
use fittrackee::{gpx, xml};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = xml::decode(data) {
        let _ = xml::parse(&text, xml::WORKOUT_FILE);
    }
    if let Ok(track) = gpx::parse(data) {
        let analysis = analyze(&track, 1.0, false);
        assert!(analysis.workout.distance_km >= 0.0);
        let _ = chart(&track);
    }
});
