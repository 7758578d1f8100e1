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
