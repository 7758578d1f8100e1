//! Reading KML files (what Google's apps and phone trackers such as
//! OpenTracks export) and KMZ files (a zip holding one). The track is the
//! first `Placemark` that has `gx:Track`s, directly or in a
//! `gx:MultiTrack`, wherever it sits (FitTrackee reads only a placemark at
//! the top of the document; exporters also put it in a `Folder`): one
//! segment per track, its points from `when` and `gx:coord` ("lon lat
//! [alt]"), and heart rate, cadence and power from its `ExtendedData`
//! arrays.

use super::archive::Archive;
use super::gpx::parse_time;
use super::{Format, ReadError, position, reading, xml_document};
use crate::workouts::track::{Point, Track};
use crate::xml::{self, Node};

const KML: Format = Format::Kml;

/// How much larger than its KMZ a KML may be once unzipped: XML compresses
/// about tenfold, a zip bomb a millionfold.
const KMZ_EXPANSION: u64 = 64;

pub fn parse(bytes: &[u8]) -> Result<Track, ReadError> {
    let text = xml::decode(bytes).map_err(|_| ReadError::Unreadable(KML))?;
    let document = xml_document(&text, KML, "kml")?;
    let root = document.root();
    let placemarks: Vec<Node<'_, '_>> = root.descendants().filter(|n| n.name() == "Placemark").collect();
    if placemarks.is_empty() {
        return Err(ReadError::Missing("unsupported kml file"));
    }
    let (placemark, tracks) = placemarks
        .iter()
        .map(|p| (*p, tracks_of(*p)))
        .find(|(_, tracks)| !tracks.is_empty())
        .ok_or(ReadError::Missing("no tracks in kml file"))?;
    let segments = tracks.into_iter().map(segment).collect::<Result<Vec<_>, _>>()?;
    Ok(Track {
        creator: None,
        name: placemark.child_text("name").map(str::to_owned),
        description: placemark.child_text("description").map(str::to_owned),
        calories: None,
        segments: segments.into_iter().filter(|s| !s.is_empty()).collect(),
        totals: None,
    })
}

/// The KML inside a KMZ: `doc.kml` (the name the format gives it), else the
/// first `.kml` entry.
pub fn parse_kmz(bytes: &[u8]) -> Result<Track, ReadError> {
    let unreadable = || ReadError::Unreadable(Format::Kmz);
    let mut archive = Archive::open(bytes).map_err(|_| unreadable())?;
    let index = archive.first_with_extension("kml").ok_or_else(unreadable)?;
    let limit = (bytes.len() as u64).saturating_mul(KMZ_EXPANSION).max(1 << 20);
    let kml = archive.read(index, limit).map_err(|_| unreadable())?;
    parse(&kml)
}

fn tracks_of<'d, 'a>(placemark: Node<'d, 'a>) -> Vec<Node<'d, 'a>> {
    let direct = placemark.children_named("Track");
    let in_multitrack = placemark.children_named("MultiTrack").flat_map(|m| m.children_named("Track"));
    direct.chain(in_multitrack).collect()
}

fn segment(track: Node<'_, '_>) -> Result<Vec<Point>, ReadError> {
    let times: Vec<&str> = track.children_named("when").map(|w| w.text()).collect();
    let coordinates: Vec<&str> = track.children_named("coord").map(|c| c.text()).collect();
    let arrays = track.child("ExtendedData").and_then(|e| e.child("SchemaData"));
    let values = |name: &str| -> Vec<Option<f64>> {
        let array =
            arrays.and_then(|a| a.children_named("SimpleArrayData").find(|d| d.attribute("name") == Some(name)));
        array.map(|a| a.children_named("value").map(|v| reading(Some(v.text()))).collect()).unwrap_or_default()
    };
    let (heart_rates, cadences, powers) = (values("heartrate"), values("cadence"), values("power"));
    let at = |list: &[Option<f64>], i: usize| list.get(i).copied().flatten();
    let mut points = Vec::with_capacity(times.len());
    for (i, (time, coordinate)) in times.iter().zip(&coordinates).enumerate() {
        if coordinate.is_empty() {
            continue;
        }
        let (latitude, longitude, elevation) = coordinates_of(coordinate)?;
        points.push(Point {
            latitude,
            longitude,
            elevation,
            time: Some(parse_time(time, KML)?),
            heart_rate: at(&heart_rates, i),
            cadence: at(&cadences, i),
            power: at(&powers, i),
        });
    }
    Ok(points)
}

/// `"lon lat"` or `"lon lat alt"`.
fn coordinates_of(text: &str) -> Result<(f64, f64, Option<f64>), ReadError> {
    let invalid = ReadError::Invalid(KML, "a point has no valid latitude or longitude");
    let numbers: Vec<f64> =
        text.split_whitespace().map(str::parse).collect::<Result<_, _>>().map_err(|_| invalid.clone())?;
    let (latitude, longitude) = match numbers[..] {
        [lon, lat] | [lon, lat, _] => position(lat, lon).ok_or(invalid)?,
        _ => return Err(invalid),
    };
    let elevation = numbers.get(2).copied().filter(|e| e.is_finite() && (-12_000.0..=12_000.0).contains(e));
    Ok((latitude, longitude, elevation))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::files::archive::tests::zip_of;

    const TRACK: &str = r##"<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2" xmlns:gx="http://www.google.com/kml/ext/2.2">
<Document><Folder><Placemark><name>Start</name><Point><coordinates>4.35,50.85</coordinates></Point></Placemark>
<Placemark><name>Saturday ride</name><description>with the club</description><gx:MultiTrack>
 <gx:Track><when>2024-06-04T06:00:01Z</when><when>2024-06-04T06:00:02Z</when><when>2024-06-04T06:00:03Z</when>
  <gx:coord>4.351819 50.850308 59.70</gx:coord><gx:coord>4.351966 50.850341</gx:coord><gx:coord></gx:coord>
  <ExtendedData><SchemaData schemaUrl="#schema"><gx:SimpleArrayData name="heartrate"><gx:value>109</gx:value><gx:value>110</gx:value></gx:SimpleArrayData>
  <gx:SimpleArrayData name="power"><gx:value>150</gx:value></gx:SimpleArrayData></SchemaData></ExtendedData></gx:Track>
 <gx:Track><when>2024-06-04T07:00:00Z</when><gx:coord>4.36 50.86 61</gx:coord></gx:Track>
</gx:MultiTrack></Placemark></Folder></Document></kml>"##;

    #[test]
    fn reads_tracks_of_the_first_placemark_that_has_some() {
        let track = parse(TRACK.as_bytes()).unwrap();
        assert_eq!(track.name.as_deref(), Some("Saturday ride"));
        assert_eq!(track.description.as_deref(), Some("with the club"));
        assert_eq!(track.segments.len(), 2, "one segment per track");
        let first = &track.segments[0];
        assert_eq!(first.len(), 2, "an empty coordinate is skipped");
        assert_eq!((first[0].latitude, first[0].longitude, first[0].elevation), (50.850308, 4.351819, Some(59.7)));
        assert_eq!(
            (first[0].heart_rate, first[0].power, first[1].heart_rate, first[1].power),
            (Some(109.0), Some(150.0), Some(110.0), None)
        );
        assert_eq!(first[1].elevation, None);
        assert_eq!(first[1].time, Some(1_717_480_802.0));
    }

    #[test]
    fn a_kmz_is_the_kml_inside() {
        let kmz = zip_of(&[("images/a.png", b"png"), ("doc.kml", TRACK.as_bytes())]);
        assert_eq!(parse_kmz(&kmz).unwrap().segments.len(), 2);
        assert_eq!(parse_kmz(b"nope").unwrap_err().to_string(), "error when parsing kmz file");
        assert_eq!(parse_kmz(&zip_of(&[("a.txt", b"x")])).unwrap_err().to_string(), "error when parsing kmz file");
    }

    #[test]
    fn errors_are_fittrackees() {
        let error = |text: &str| parse(text.as_bytes()).unwrap_err().to_string();
        assert_eq!(error("<gpx/>"), "error when parsing kml file");
        assert_eq!(error("<kml><Document/></kml>"), "unsupported kml file");
        assert_eq!(error("<kml><Document><Placemark><Point/></Placemark></Document></kml>"), "no tracks in kml file");
        assert!(
            error(
                "<kml><Placemark><Track><when>2024-06-04T07:00:00Z</when><coord>x y</coord></Track></Placemark></kml>"
            )
            .contains("latitude")
        );
    }
}
