//! Reading GPX files: the first track, its segments and points (position,
//! elevation, time, and heart rate, cadence and power from Garmin's
//! TrackPointExtension or the power extension), the track name, description
//! and calories, and the file's creator. Element names are matched without
//! their namespace, so GPX 1.0 and 1.1 and every extension prefix work.
//! A point without a time is kept (gpxpy keeps it; the analysis decides).
//! [`write`] makes a GPX file of any track (downloads of FIT, TCX or KML
//! workouts).
//!
//! Anything malformed is an error with a message for the uploader, never a
//! panic: the input comes from anyone with `workouts:write`.

use std::fmt::Write as _;

use super::{Format, ReadError, xml_document};
use crate::workouts::track::{Point, Track};
use crate::xml::{self, Node};

const GPX: Format = Format::Gpx;

pub fn parse(bytes: &[u8]) -> Result<Track, ReadError> {
    let text = xml::decode(bytes).map_err(|_| ReadError::Unreadable(GPX))?;
    let document = xml_document(&text, GPX, "gpx")?;
    let root = document.root();
    let track = root.child("trk").ok_or(ReadError::Missing("no tracks in gpx file"))?;
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
        totals: None,
    })
}

fn point(node: Node<'_, '_>) -> Result<Point, ReadError> {
    let coordinate = |name: &str| node.attribute(name).and_then(|v| v.trim().parse::<f64>().ok());
    let (latitude, longitude) = coordinate("lat")
        .zip(coordinate("lon"))
        .and_then(|(lat, lon)| super::position(lat, lon))
        .ok_or(ReadError::Invalid(GPX, "a point has no valid latitude or longitude"))?;
    let elevation = match node.child_text("ele") {
        None => None,
        Some(text) => Some(
            text.parse::<f64>()
                .ok()
                .filter(|e| e.is_finite() && (-12_000.0..=12_000.0).contains(e))
                .ok_or(ReadError::Invalid(GPX, "an elevation is not a number of meters"))?,
        ),
    };
    let time = node.child_text("time").map(|t| parse_time(t, GPX)).transpose()?;
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
/// without offset is taken as UTC, as GPX (and TCX, and KML) require.
pub fn parse_time(text: &str, format: Format) -> Result<f64, ReadError> {
    let invalid = ReadError::Invalid(format, "a time is not an ISO 8601 date and time");
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

/// A GPX document of `track` (a download of a workout from any format):
/// one track, its segments, and the readings in Garmin's extension.
pub fn write(track: &Track) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<gpx version=\"1.1\" creator=\"FitTrackee\" \
         xmlns=\"http://www.topografix.com/GPX/1/1\" \
         xmlns:gpxtpx=\"http://www.garmin.com/xmlschemas/TrackPointExtension/v1\">\n<trk>",
    );
    if let Some(name) = &track.name {
        let _ = write!(out, "<name>{}</name>", escape(name));
    }
    for segment in &track.segments {
        out.push_str("<trkseg>");
        for point in segment {
            write_point(&mut out, point);
        }
        out.push_str("</trkseg>\n");
    }
    out.push_str("</trk>\n</gpx>\n");
    out
}

fn write_point(out: &mut String, p: &Point) {
    let _ = write!(out, "<trkpt lat=\"{}\" lon=\"{}\">", p.latitude, p.longitude);
    if let Some(elevation) = p.elevation {
        let _ = write!(out, "<ele>{elevation}</ele>");
    }
    if let Some(time) = p.time.and_then(|t| jiff::Timestamp::from_millisecond((t * 1000.0).round() as i64).ok()) {
        let _ = write!(out, "<time>{time}</time>");
    }
    let readings = [("hr", p.heart_rate), ("cad", p.cadence), ("power", p.power)];
    if readings.iter().any(|(_, v)| v.is_some()) {
        out.push_str("<extensions><gpxtpx:TrackPointExtension>");
        for (name, value) in readings {
            if let Some(value) = value {
                let _ = write!(out, "<gpxtpx:{name}>{}</gpxtpx:{name}>", value.round());
            }
        }
        out.push_str("</gpxtpx:TrackPointExtension></extensions>");
    }
    out.push_str("</trkpt>");
}

/// Text for an XML element.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
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
        let cases: [(&str, ReadError); 6] = [
            ("not xml at all", ReadError::Unreadable(GPX)),
            ("<kml></kml>", ReadError::Unreadable(GPX)),
            ("<gpx></gpx>", ReadError::Missing("no tracks in gpx file")),
            (
                "<gpx><trk><trkseg><trkpt lat='91' lon='1'><time>2018-03-13T12:44:45Z</time></trkpt></trkseg></trk></gpx>",
                ReadError::Invalid(GPX, "a point has no valid latitude or longitude"),
            ),
            (
                "<gpx><trk><trkseg><trkpt lat='1' lon='1'><time>yesterday</time></trkpt></trkseg></trk></gpx>",
                ReadError::Invalid(GPX, "a time is not an ISO 8601 date and time"),
            ),
            (
                "<gpx><trk><trkseg><trkpt lat='1' lon='1'><ele>NaN</ele><time>2018-03-13T12:44:45Z</time></trkpt></trkseg></trk></gpx>",
                ReadError::Invalid(GPX, "an elevation is not a number of meters"),
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(parse(text.as_bytes()), Err(expected), "{text}");
        }
        assert_eq!(parse(&[0xff, 0xfe, 0x00]), Err(ReadError::Unreadable(GPX)));
        assert_eq!(parse(b"\xef\xbb\xbf\x00"), Err(ReadError::Unreadable(GPX)));
        let with_dtd = r#"<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY a "aaaa">]><gpx>&a;</gpx>"#;
        assert_eq!(parse(with_dtd.as_bytes()), Err(ReadError::Unreadable(GPX)), "no DTDs, no entity expansion");
        let flood = format!("<gpx {}/>", (0..200).map(|i| format!("a{i}='1'")).collect::<Vec<_>>().join(" "));
        assert_eq!(parse(flood.as_bytes()), Err(ReadError::TooLarge(GPX, "attributes on one element")));
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
