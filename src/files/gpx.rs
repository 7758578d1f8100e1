//! Reading GPX files: the first track, its segments and points (position,
//! elevation, time, and heart rate, cadence and power from Garmin's
//! TrackPointExtension or the power extension), the track name, description
//! and calories, and the file's creator. Element names are matched without
//! their namespace, so GPX 1.0 and 1.1 and every extension prefix work.
//! A point without a time is kept (gpxpy keeps it; the analysis decides).
//!
//! Anything malformed is an error with a message for the uploader, never a
//! panic: the input comes from anyone with `workouts:write`.

use std::fmt;

use crate::workouts::track::{Point, Track};
use crate::xml::{self, Node, XmlError};

#[derive(Debug, Clone, PartialEq)]
pub enum GpxError {
    /// Not well-formed XML, or not a GPX document.
    Unreadable,
    /// Beyond what a workout file can hold (see `xml::Limits`).
    TooLarge(&'static str),
    NoTracks,
    /// A coordinate, elevation or time that cannot be real.
    Invalid(&'static str),
}

impl fmt::Display for GpxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GpxError::Unreadable => f.write_str("error when parsing gpx file"),
            GpxError::TooLarge(what) => write!(f, "error when parsing gpx file: too many {what}"),
            GpxError::NoTracks => f.write_str("no tracks in gpx file"),
            GpxError::Invalid(what) => write!(f, "gpx file is invalid: {what}"),
        }
    }
}

pub fn parse(bytes: &[u8]) -> Result<Track, GpxError> {
    let text = xml::decode(bytes).map_err(read_error)?;
    let document = xml::parse(&text, xml::WORKOUT_FILE).map_err(read_error)?;
    let root = document.root();
    if root.name() != "gpx" {
        return Err(GpxError::Unreadable);
    }
    let track = root.child("trk").ok_or(GpxError::NoTracks)?;
    let segments = track
        .children_named("trkseg")
        .map(|segment| segment.children_named("trkpt").map(point).collect::<Result<Vec<_>, _>>())
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Track {
        creator: root.attribute("creator").map(str::to_owned).filter(|c| !c.is_empty()),
        name: track.child_text("name").map(str::to_owned),
        description: track.child_text("desc").map(str::to_owned),
        calories: track.child("extensions").and_then(|e| descendant_number(e, &["Calories", "calories"])),
        segments,
    })
}

fn read_error(error: XmlError) -> GpxError {
    match error {
        XmlError::TooLarge(what) => GpxError::TooLarge(what),
        XmlError::Malformed | XmlError::Doctype => GpxError::Unreadable,
    }
}

fn point(node: Node<'_, '_>) -> Result<Point, GpxError> {
    let coordinate = |name: &str, limit: f64| {
        node.attribute(name)
            .and_then(|v| v.trim().parse::<f64>().ok())
            .filter(|v| v.is_finite() && v.abs() <= limit)
            .ok_or(GpxError::Invalid("a point has no valid latitude or longitude"))
    };
    let latitude = coordinate("lat", 90.0)?;
    let longitude = coordinate("lon", 180.0)?;
    let elevation = match node.child_text("ele") {
        None => None,
        Some(text) => Some(
            text.parse::<f64>()
                .ok()
                .filter(|e| e.is_finite() && (-12_000.0..=12_000.0).contains(e))
                .ok_or(GpxError::Invalid("an elevation is not a number of meters"))?,
        ),
    };
    let time = node.child_text("time").map(parse_time).transpose()?;
    let extensions = node.child("extensions");
    let reading = |names: &[&str]| extensions.and_then(|e| descendant_number(e, names)).filter(|v| *v >= 0.0);
    Ok(Point {
        latitude,
        longitude,
        elevation,
        time,
        heart_rate: reading(&["hr"]),
        cadence: reading(&["cad"]),
        power: reading(&["power", "PowerInWatts"]),
    })
}

/// RFC 3339 (`2018-03-13T12:44:45Z`, with fractions or an offset); a time
/// without offset is taken as UTC, as GPX requires.
pub fn parse_time(text: &str) -> Result<f64, GpxError> {
    let invalid = GpxError::Invalid("a time is not an ISO 8601 date and time");
    let timestamp = match text.parse::<jiff::Timestamp>() {
        Ok(timestamp) => timestamp,
        Err(_) => {
            let civil: jiff::civil::DateTime = text.parse().map_err(|_| invalid.clone())?;
            jiff::tz::TimeZone::UTC.to_timestamp(civil).map_err(|_| invalid.clone())?
        }
    };
    Ok(timestamp.as_millisecond() as f64 / 1000.0)
}

fn descendant_number(node: Node<'_, '_>, names: &[&str]) -> Option<f64> {
    node.descendants()
        .find(|d| names.contains(&d.name()))
        .and_then(|d| d.text().parse::<f64>().ok())
        .filter(|v| v.is_finite())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// (lat, lon, elevation, seconds after 2018-03-13T12:00:00Z).
    pub type TestPoint = (f64, f64, Option<f64>, i64);

    /// A GPX document with one track of `segments`.
    pub fn document(segments: &[Vec<TestPoint>]) -> String {
        let mut gpx = String::from(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="Test device" xmlns="http://www.topografix.com/GPX/1/1"
     xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">
<trk><name>Morning run</name><desc>easy</desc>"#,
        );
        for segment in segments {
            gpx.push_str("<trkseg>");
            for (lat, lon, ele, seconds) in segment {
                let time = jiff::Timestamp::from_second(1_520_942_400 + seconds).unwrap();
                gpx.push_str(&format!(r#"<trkpt lat="{lat}" lon="{lon}">"#));
                if let Some(ele) = ele {
                    gpx.push_str(&format!("<ele>{ele}</ele>"));
                }
                gpx.push_str(&format!("<time>{time}</time></trkpt>"));
            }
            gpx.push_str("</trkseg>");
        }
        gpx.push_str("</trk></gpx>");
        gpx
    }

    #[test]
    fn reads_the_first_track_with_extensions() {
        let gpx = r#"<?xml version="1.0"?>
<gpx xmlns="http://www.topografix.com/GPX/1/1" creator="Garmin Connect"
     xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1"
     xmlns:gpxtrkx="http://www.garmin.com/xmlschemas/TrackStatsExtension/v1">
 <trk><name> Lunch ride </name>
  <extensions><gpxtrkx:TrackStatsExtension><gpxtrkx:Calories>512</gpxtrkx:Calories></gpxtrkx:TrackStatsExtension></extensions>
  <trkseg>
   <trkpt lat="44.68" lon="6.07"><ele>998.5</ele><time>2018-03-13T12:44:45Z</time>
     <extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>92</gpxtpx:hr><gpxtpx:cad>80</gpxtpx:cad></gpxtpx:TrackPointExtension><power>210</power></extensions></trkpt>
   <trkpt lat="44.681" lon="6.071"><time>2018-03-13T14:44:50.500+02:00</time></trkpt>
  </trkseg>
  <trkseg><trkpt lat="1" lon="1"><time>2018-03-13T12:45:00Z</time></trkpt></trkseg>
 </trk>
 <trk><name>second track is ignored</name></trk>
</gpx>"#;
        let track = parse(gpx.as_bytes()).unwrap();
        assert_eq!(track.creator.as_deref(), Some("Garmin Connect"));
        assert_eq!(track.name.as_deref(), Some("Lunch ride"));
        assert_eq!(track.calories, Some(512.0));
        assert_eq!(track.segments.len(), 2, "one-point segments are kept (the analysis skips them)");
        let [first, second] = &track.segments[0][..] else { panic!() };
        assert_eq!((first.heart_rate, first.cadence, first.power), (Some(92.0), Some(80.0), Some(210.0)));
        assert_eq!(first.elevation, Some(998.5));
        assert_eq!(first.time, Some(1_520_945_085.0));
        assert_eq!(second.time, Some(1_520_945_090.5), "offsets are applied");
        assert_eq!(second.elevation, None);
    }

    #[test]
    fn gpx_1_0_and_times_without_offset() {
        let gpx = r#"<gpx version="1.0" xmlns="http://www.topografix.com/GPX/1/0"><trk><trkseg>
            <trkpt lat="1" lon="2"><time>2018-03-13T12:44:45</time></trkpt>
            <trkpt lat="1.001" lon="2"><time>2018-03-13T12:44:55</time></trkpt></trkseg></trk></gpx>"#;
        let track = parse(gpx.as_bytes()).unwrap();
        assert_eq!(track.segments[0][0].time, Some(1_520_945_085.0));
        assert_eq!(track.creator, None);
    }

    #[test]
    fn errors_name_the_problem() {
        let cases: [(&str, GpxError); 6] = [
            ("not xml at all", GpxError::Unreadable),
            ("<kml></kml>", GpxError::Unreadable),
            ("<gpx></gpx>", GpxError::NoTracks),
            (
                "<gpx><trk><trkseg><trkpt lat='91' lon='1'><time>2018-03-13T12:44:45Z</time></trkpt></trkseg></trk></gpx>",
                GpxError::Invalid("a point has no valid latitude or longitude"),
            ),
            (
                "<gpx><trk><trkseg><trkpt lat='1' lon='1'><time>yesterday</time></trkpt></trkseg></trk></gpx>",
                GpxError::Invalid("a time is not an ISO 8601 date and time"),
            ),
            (
                "<gpx><trk><trkseg><trkpt lat='1' lon='1'><ele>NaN</ele><time>2018-03-13T12:44:45Z</time></trkpt></trkseg></trk></gpx>",
                GpxError::Invalid("an elevation is not a number of meters"),
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(parse(text.as_bytes()), Err(expected), "{text}");
        }
        assert_eq!(parse(&[0xff, 0xfe, 0x00]), Err(GpxError::Unreadable));
        assert_eq!(parse(b"\xef\xbb\xbf\x00"), Err(GpxError::Unreadable));
        let with_dtd = r#"<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY a "aaaa">]><gpx>&a;</gpx>"#;
        assert_eq!(parse(with_dtd.as_bytes()), Err(GpxError::Unreadable), "no DTDs, no entity expansion");
        let flood = format!("<gpx {}/>", (0..200).map(|i| format!("a{i}='1'")).collect::<Vec<_>>().join(" "));
        assert_eq!(parse(flood.as_bytes()), Err(GpxError::TooLarge("attributes on one element")));
    }

    mod properties {
        use super::*;
        use crate::workouts::analysis::analyze;
        use proptest::prelude::*;

        fn sample() -> Vec<u8> {
            let points: Vec<_> =
                (0..40).map(|i| (45.0 + i as f64 * 0.0002, 6.0, Some(100.0 + i as f64), i as i64 * 5)).collect();
            document(&[points.clone(), points]).into_bytes()
        }

        /// Whatever parses must analyze without panicking either.
        fn parse_and_analyze(bytes: &[u8]) {
            if let Ok(Ok(analysis)) = parse(bytes).map(|track| analyze(&track, 1.0, false)) {
                let distance = analysis.workout.measures.distance;
                assert!(distance >= 0.0 && distance.is_finite(), "{distance}");
            }
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(512))]

            #[test]
            fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
                parse_and_analyze(&bytes);
            }

            #[test]
            fn mutated_gpx_never_panics(
                edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
                cut in any::<prop::sample::Index>(),
            ) {
                let mut bytes = sample();
                for (at, byte) in edits {
                    let i = at.index(bytes.len());
                    bytes[i] = byte;
                }
                parse_and_analyze(&bytes);
                parse_and_analyze(&bytes[..cut.index(bytes.len())]);
            }

            #[test]
            fn extreme_numbers_never_panic(
                lat in prop::num::f64::ANY, lon in prop::num::f64::ANY, ele in prop::num::f64::ANY, t in any::<i32>(),
            ) {
                let text = format!(
                    "<gpx><trk><trkseg><trkpt lat='{lat}' lon='{lon}'><ele>{ele}</ele><time>2018-03-13T12:44:45Z</time></trkpt>\
                     <trkpt lat='1' lon='1'><time>{}</time></trkpt></trkseg></trk></gpx>",
                    jiff::Timestamp::from_second(i64::from(t)).unwrap_or(jiff::Timestamp::UNIX_EPOCH)
                );
                parse_and_analyze(text.as_bytes());
            }
        }
    }

    #[test]
    fn documents_built_by_the_helper_parse() {
        let gpx = document(&[vec![(1.0, 1.0, Some(10.0), 0), (1.001, 1.0, None, 10)]]);
        let track = parse(gpx.as_bytes()).unwrap();
        assert_eq!(track.segments[0].len(), 2);
        assert_eq!(track.segments[0][1].time.unwrap() - track.segments[0][0].time.unwrap(), 10.0);
    }
}
