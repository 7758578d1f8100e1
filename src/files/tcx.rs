//! Reading TCX files (Garmin's Training Center format, which Garmin
//! Connect, Polar Flow, Strava and most sync tools export), as FitTrackee
//! reads them: each `Activity` is one segment of the points of all its
//! laps and tracks; a point without a position is skipped; heart rate,
//! cadence, and power and run cadence from the `TPX` extension. Names are
//! matched without their namespace prefix, whatever prefix an exporter
//! chose; a byte-order mark or blanks before the XML declaration are fine.

use super::gpx::parse_time;
use super::{Format, ReadError, position, reading, xml_document};
use crate::workouts::track::{Point, Track};
use crate::xml::{self, Node};

const TCX: Format = Format::Tcx;

pub fn parse(bytes: &[u8]) -> Result<Track, ReadError> {
    let text = xml::decode(bytes).map_err(|_| ReadError::Unreadable(TCX))?;
    let document = xml_document(&text, TCX, "TrainingCenterDatabase")?;
    let root = document.root();
    let activities: Vec<Node<'_, '_>> =
        root.child("Activities").map(|a| a.children_named("Activity").collect()).unwrap_or_default();
    if activities.is_empty() {
        return Err(ReadError::Missing("no activities in tcx file"));
    }
    let mut has_tracks = false;
    let mut segments = Vec::new();
    for activity in &activities {
        let mut points = Vec::new();
        for track in activity.children_named("Lap").flat_map(|lap| lap.children_named("Track")) {
            has_tracks = true;
            for trackpoint in track.children_named("Trackpoint") {
                points.extend(point(trackpoint)?);
            }
        }
        if !points.is_empty() {
            segments.push(points);
        }
    }
    if !has_tracks {
        return Err(ReadError::Missing("no laps or no tracks in tcx file"));
    }
    if segments.is_empty() {
        return Err(ReadError::Missing("no coordinates in tcx file"));
    }
    let name_of = |node: Option<Node<'_, '_>>| node.and_then(|n| n.child_text("Name")).map(str::to_owned);
    let creator = activities.iter().find_map(|a| name_of(a.child("Creator")));
    let first_lap = activities[0].child("Lap");
    Ok(Track {
        creator: creator.or_else(|| name_of(root.child("Author"))),
        name: None,
        description: activities[0].child_text("Notes").map(str::to_owned),
        calories: reading(first_lap.and_then(|lap| lap.child_text("Calories"))),
        segments,
        totals: None,
    })
}

/// A trackpoint with a position, or `None` (FitTrackee skips the others).
fn point(node: Node<'_, '_>) -> Result<Option<Point>, ReadError> {
    let Some(at) = node.child("Position") else { return Ok(None) };
    let degrees = |name| at.child_text(name).and_then(|t| t.parse::<f64>().ok());
    let (latitude, longitude) = degrees("LatitudeDegrees")
        .zip(degrees("LongitudeDegrees"))
        .and_then(|(lat, lon)| position(lat, lon))
        .ok_or(ReadError::Invalid(TCX, "a point has no valid latitude or longitude"))?;
    let time = node.child_text("Time").map(|t| parse_time(t, TCX)).transpose()?;
    // Some devices write -10000 or more for "no altitude" (FitTrackee's bound).
    let elevation = node
        .child_text("AltitudeMeters")
        .and_then(|t| t.parse::<f64>().ok())
        .filter(|e| e.is_finite() && (-9999.99..9999.99).contains(e));
    let tpx = node.child("Extensions").and_then(|e| e.child("TPX"));
    let cadence = reading(node.child_text("Cadence")).or_else(|| reading(tpx.and_then(|t| t.child_text("RunCadence"))));
    Ok(Some(Point {
        latitude,
        longitude,
        elevation,
        time,
        heart_rate: reading(node.child("HeartRateBpm").and_then(|h| h.child_text("Value"))),
        cadence,
        power: reading(tpx.and_then(|t| t.child_text("Watts"))),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    const GARMIN: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"
  xmlns:ns3="http://www.garmin.com/xmlschemas/ActivityExtension/v2">
 <Activities><Activity Sport="Biking"><Id>2024-06-04T06:00:01Z</Id>
  <Lap StartTime="2024-06-04T06:00:01Z"><Calories>321</Calories><Track>
   <Trackpoint><Time>2024-06-04T06:00:01Z</Time><Position><LatitudeDegrees>50.85</LatitudeDegrees><LongitudeDegrees>4.35</LongitudeDegrees></Position>
    <AltitudeMeters>59.7</AltitudeMeters><HeartRateBpm><Value>109</Value></HeartRateBpm><Cadence>90</Cadence>
    <Extensions><ns3:TPX><ns3:Speed>8.1</ns3:Speed><ns3:Watts>155</ns3:Watts></ns3:TPX></Extensions></Trackpoint>
   <Trackpoint><Time>2024-06-04T06:00:02Z</Time></Trackpoint>
   <Trackpoint><Time>2024-06-04T06:00:03Z</Time><Position><LatitudeDegrees>50.851</LatitudeDegrees><LongitudeDegrees>4.35</LongitudeDegrees></Position>
    <AltitudeMeters>-10000</AltitudeMeters><Extensions><TPX xmlns="http://www.garmin.com/xmlschemas/ActivityExtension/v2"><RunCadence>84</RunCadence></TPX></Extensions></Trackpoint>
  </Track></Lap>
  <Lap StartTime="2024-06-04T06:10:00Z"><Track>
   <Trackpoint><Time>2024-06-04T06:10:00Z</Time><Position><LatitudeDegrees>50.86</LatitudeDegrees><LongitudeDegrees>4.35</LongitudeDegrees></Position></Trackpoint>
  </Track></Lap>
  <Creator><Name>Edge 530</Name></Creator></Activity></Activities>
 <Author><Name>Garmin Connect</Name></Author>
</TrainingCenterDatabase>"#;

    #[test]
    fn reads_activities_laps_tracks_and_extensions() {
        let track = parse(GARMIN.as_bytes()).unwrap();
        assert_eq!(track.segments.len(), 1, "one segment per activity");
        let points = &track.segments[0];
        assert_eq!(points.len(), 3, "laps are joined, points without position skipped");
        assert_eq!((points[0].heart_rate, points[0].cadence, points[0].power), (Some(109.0), Some(90.0), Some(155.0)));
        assert_eq!(points[0].elevation, Some(59.7));
        assert_eq!((points[1].elevation, points[1].cadence), (None, Some(84.0)), "bogus altitude, run cadence");
        assert_eq!(points[2].time, Some(1_717_481_400.0));
        assert_eq!((track.creator.as_deref(), track.calories), (Some("Edge 530"), Some(321.0)));
    }

    #[test]
    fn exporters_quirks_are_read() {
        let strava = format!("\u{feff}  \n{GARMIN}").replace("<Creator><Name>Edge 530</Name></Creator>", "");
        let track = parse(strava.as_bytes()).unwrap();
        assert_eq!(track.creator.as_deref(), Some("Garmin Connect"), "the author when there is no creator");
        let prefixed = r#"<tcx:TrainingCenterDatabase xmlns:tcx="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">
            <tcx:Activities><tcx:Activity><tcx:Lap><tcx:Track><tcx:Trackpoint><tcx:Time>2024-06-04T06:00:01Z</tcx:Time>
            <tcx:Position><tcx:LatitudeDegrees>1</tcx:LatitudeDegrees><tcx:LongitudeDegrees>2</tcx:LongitudeDegrees></tcx:Position>
            </tcx:Trackpoint></tcx:Track></tcx:Lap></tcx:Activity></tcx:Activities></tcx:TrainingCenterDatabase>"#;
        assert_eq!(parse(prefixed.as_bytes()).unwrap().segments[0][0].longitude, 2.0, "any prefix");
    }

    #[test]
    fn errors_are_fittrackees() {
        let error = |text: &str| parse(text.as_bytes()).unwrap_err().to_string();
        assert_eq!(error("<gpx/>"), "error when parsing tcx file");
        assert_eq!(error("<TrainingCenterDatabase/>"), "no activities in tcx file");
        assert_eq!(
            error(
                "<TrainingCenterDatabase><Activities><Activity><Lap/></Activity></Activities></TrainingCenterDatabase>"
            ),
            "no laps or no tracks in tcx file"
        );
        assert_eq!(
            error(
                "<TrainingCenterDatabase><Activities><Activity><Lap><Track><Trackpoint><Time>2024-06-04T06:00:01Z</Time>\
                 </Trackpoint></Track></Lap></Activity></Activities></TrainingCenterDatabase>"
            ),
            "no coordinates in tcx file"
        );
    }
}
