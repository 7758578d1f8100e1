//! Workout files of every format: the bounded XML tree, each reader, and
//! the analysis of whatever they accept. The first byte picks the format.
#![no_main]

use fittrackee::files::{self, Format, SegmentsOn};
use fittrackee::workouts::analysis::analyze;
use fittrackee::xml;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, content)) = data.split_first() else { return };
    let format = Format::ALL[usize::from(selector) % Format::ALL.len()];
    if let Ok(text) = xml::decode(content) {
        let _ = xml::parse(&text, xml::WORKOUT_FILE);
    }
    let segments = if selector & 0x80 == 0 { SegmentsOn::ManualStops } else { SegmentsOn::AllStops };
    if let Ok(track) = files::read(format, content, segments) {
        if let Ok(analysis) = analyze(&track, 1.0, false) {
            let measures = &analysis.workout.measures;
            assert!(measures.distance >= 0.0, "distance {}", measures.distance);
        }
    }
});
