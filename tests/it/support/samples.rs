//! Files shared by the tests and the benchmarks (`examples/benchkit.rs`).

/// The XML shapes that cost a naive reader quadratic time or unbounded
/// memory, each about `size` bytes: (what it is, the file).
pub fn pathological_xml(size: usize) -> Vec<(&'static str, String)> {
    let attributes: String = (0..size / 8).map(|i| format!(" a{i}=\"\"")).collect();
    let namespaced: String = (0..size / 12).map(|i| format!(" xmlns:n{i}=\"u\"")).collect();
    let deep = "<a>".repeat(size / 7) + &"</a>".repeat(size / 7);
    let point_attributes: String = (0..12).map(|j| format!(" x{j}=\"0\"")).collect();
    let points: String = (0..size / 120).map(|_| format!("<trkpt lat=\"1\" lon=\"1\"{point_attributes}/>")).collect();
    let empty_elements = "<e/>".repeat(size / 4);
    let entities = "&amp;".repeat(size / 5);
    vec![
        ("one element with many attributes", format!("<gpx{attributes}/>")),
        ("namespace declarations", format!("<gpx{namespaced}/>")),
        ("deep nesting", format!("<gpx>{deep}</gpx>")),
        ("attributes spread over points", format!("<gpx><trk><trkseg>{points}</trkseg></trk></gpx>")),
        ("empty elements", format!("<gpx>{empty_elements}</gpx>")),
        ("entities", format!("<gpx><trk><name>{entities}</name></trk></gpx>")),
    ]
}

/// A run: `points` points 5 s apart, ~2.5 m/s north-east, climbing 1 m per
/// point, with heart rate and cadence.
pub fn gpx_run(start: i64, points: usize) -> String {
    gpx_track(start, points, 0.0001, "Morning run")
}

/// A track moving `step` degrees of latitude every 5 s, climbing 1 m per
/// point for 1000 points, then down again (long tracks stay under the
/// altitude limit).
pub fn gpx_track(start: i64, points: usize, step: f64, name: &str) -> String {
    let mut body = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="Test watch" xmlns="http://www.topografix.com/GPX/1/1"
 xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1"><trk><name>{name}</name><trkseg>"#
    );
    for i in 0..points {
        let time = jiff::Timestamp::from_second(start + 5 * i as i64).unwrap();
        body.push_str(&format!(
            r#"<trkpt lat="{:.6}" lon="{:.6}"><ele>{}</ele><time>{time}</time><extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>{}</gpxtpx:hr><gpxtpx:cad>80</gpxtpx:cad></gpxtpx:TrackPointExtension></extensions></trkpt>"#,
            45.0 + i as f64 * step,
            6.0 + i as f64 * step / 2.0,
            100 + (i % 2000).min(2000 - i % 2000),
            120 + i % 20
        ));
    }
    body.push_str("</trkseg></trk></gpx>");
    body
}
