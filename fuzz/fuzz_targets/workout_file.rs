//! Workout files: the bounded XML tree and the readers on it, then the
//! analysis of whatever they accept.
#![no_main]

use fittrackee::files::gpx;
use fittrackee::workouts::analysis::analyze;
use fittrackee::xml;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = xml::decode(data) {
        let _ = xml::parse(&text, xml::WORKOUT_FILE);
    }
    if let Ok(track) = gpx::parse(data) {
        if let Ok(analysis) = analyze(&track, 1.0, false) {
            let measures = &analysis.workout.measures;
            assert!(measures.distance >= 0.0, "distance {}", measures.distance);
        }
    }
});
