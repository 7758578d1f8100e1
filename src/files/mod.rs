//! Workout files: which ones the server takes (FitTrackee's: GPX, TCX, FIT,
//! KML, KMZ, and zip archives of them), and reading each into a
//! [`Track`](crate::workouts::track::Track), so that the analysis never
//! knows where a track came from.

pub mod archive;
pub mod fit;
pub mod gpx;
pub mod kml;
pub mod tcx;

use std::fmt;

use crate::workouts::track::Track;
use crate::xml::{self, XmlError};

/// A workout file format, by its extension (as FitTrackee tells them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Gpx,
    Tcx,
    Fit,
    Kml,
    Kmz,
}

impl Format {
    pub const ALL: [Format; 5] = [Format::Gpx, Format::Tcx, Format::Fit, Format::Kml, Format::Kmz];

    pub fn extension(self) -> &'static str {
        match self {
            Format::Gpx => "gpx",
            Format::Tcx => "tcx",
            Format::Fit => "fit",
            Format::Kml => "kml",
            Format::Kmz => "kmz",
        }
    }

    /// FitTrackee's content type for downloads of the original file.
    pub fn mime_type(self) -> &'static str {
        match self {
            Format::Gpx => "application/gpx+xml",
            Format::Tcx => "application/vnd.garmin.tcx+xml",
            Format::Fit => "application/vnd.ant.fit",
            Format::Kml => "application/vnd.google-earth.kml+xml",
            Format::Kmz => "application/vnd.google-earth.kmz",
        }
    }

    /// The format of a file name, by its extension (any case).
    pub fn of(file_name: &str) -> Option<Format> {
        let extension = extension(file_name)?;
        Format::ALL.into_iter().find(|f| f.extension() == extension)
    }
}

/// The extension of a file name, lower case.
pub fn extension(file_name: &str) -> Option<String> {
    file_name.rsplit_once('.').map(|(_, ext)| ext.to_ascii_lowercase())
}

/// What an upload holds: one workout file, or a zip archive of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upload {
    Workout(Format),
    Archive,
}

/// Checks an uploaded file's name before anything is read from it.
pub fn kind_of(file_name: &str) -> Result<Upload, FileError> {
    if file_name.trim().is_empty() {
        return Err(FileError::NoSelectedFile);
    }
    match Format::of(file_name) {
        Some(format) => Ok(Upload::Workout(format)),
        None if extension(file_name).as_deref() == Some("zip") => Ok(Upload::Archive),
        None => Err(FileError::ExtensionNotAllowed),
    }
}

/// When a FIT file's timer stops start a new segment (the user's
/// `segments_creation_event` preference; FitTrackee's default is manual
/// stops only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SegmentsOn {
    AllStops,
    #[default]
    ManualStops,
    Never,
}

impl SegmentsOn {
    pub fn of_preference(name: &str) -> SegmentsOn {
        match name {
            "all" => SegmentsOn::AllStops,
            "none" => SegmentsOn::Never,
            _ => SegmentsOn::ManualStops,
        }
    }
}

/// Reads a workout file.
pub fn read(format: Format, content: &[u8], segments: SegmentsOn) -> Result<Track, FileError> {
    let track = match format {
        Format::Gpx => gpx::parse(content),
        Format::Tcx => tcx::parse(content),
        Format::Fit => fit::parse(content, segments),
        Format::Kml => kml::parse(content),
        Format::Kmz => kml::parse_kmz(content),
    };
    track.map_err(FileError::Read)
}

#[derive(Debug, Clone, PartialEq)]
pub enum FileError {
    NoSelectedFile,
    ExtensionNotAllowed,
    Read(ReadError),
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FileError::NoSelectedFile => f.write_str("no selected file"),
            FileError::ExtensionNotAllowed => f.write_str("file extension not allowed"),
            FileError::Read(e) => e.fmt(f),
        }
    }
}

/// Why a file of a known format gives no track, in FitTrackee's words.
#[derive(Debug, Clone, PartialEq)]
pub enum ReadError {
    /// Not a file of its format (not XML, not FIT, a zip without a KML).
    Unreadable(Format),
    /// Beyond what a workout file can hold (see `xml::Limits`).
    TooLarge(Format, &'static str),
    /// Well formed, but without what a workout needs (FitTrackee's message).
    Missing(&'static str),
    /// A coordinate, elevation or time that cannot be real.
    Invalid(Format, &'static str),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Unreadable(format) => write!(f, "error when parsing {} file", format.extension()),
            ReadError::TooLarge(format, what) => {
                write!(f, "error when parsing {} file: too many {what}", format.extension())
            }
            ReadError::Missing(message) => f.write_str(message),
            ReadError::Invalid(format, what) => write!(f, "{} file is invalid: {what}", format.extension()),
        }
    }
}

/// The XML document of a file of `format` whose root is `root`.
fn xml_document<'a>(text: &'a str, format: Format, root: &str) -> Result<xml::Document<'a>, ReadError> {
    let document = xml::parse(text, xml::WORKOUT_FILE).map_err(|e| xml_error(e, format))?;
    if document.root().name() != root {
        return Err(ReadError::Unreadable(format));
    }
    Ok(document)
}

fn xml_error(error: XmlError, format: Format) -> ReadError {
    match error {
        XmlError::TooLarge(what) => ReadError::TooLarge(format, what),
        XmlError::Malformed | XmlError::Doctype => ReadError::Unreadable(format),
    }
}

/// A number that can be a reading (heart rate, cadence, power): finite and
/// not negative.
fn reading(text: Option<&str>) -> Option<f64> {
    text.and_then(|t| t.trim().parse::<f64>().ok()).filter(|v| v.is_finite() && *v >= 0.0)
}

/// A latitude and longitude that exist.
fn position(latitude: f64, longitude: f64) -> Option<(f64, f64)> {
    let valid = |v: f64, limit: f64| v.is_finite() && v.abs() <= limit;
    (valid(latitude, 90.0) && valid(longitude, 180.0)).then_some((latitude, longitude))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_checked_like_fittrackee() {
        assert_eq!(kind_of("ride.GPX"), Ok(Upload::Workout(Format::Gpx)));
        assert_eq!(kind_of("watch.Fit"), Ok(Upload::Workout(Format::Fit)));
        assert_eq!(kind_of("export.zip"), Ok(Upload::Archive));
        assert_eq!(kind_of("").unwrap_err().to_string(), "no selected file");
        assert_eq!(kind_of("ride.exe").unwrap_err().to_string(), "file extension not allowed");
        assert_eq!(kind_of("gpx").unwrap_err(), FileError::ExtensionNotAllowed, "a name without extension");
    }

    #[test]
    fn messages_are_fittrackees() {
        assert_eq!(ReadError::Unreadable(Format::Tcx).to_string(), "error when parsing tcx file");
        assert_eq!(ReadError::Missing("no tracks in kml file").to_string(), "no tracks in kml file");
        assert_eq!(SegmentsOn::of_preference("all"), SegmentsOn::AllStops);
        assert_eq!(SegmentsOn::of_preference("only_manual"), SegmentsOn::ManualStops);
    }

    mod properties {
        use std::time::{Duration, Instant};

        use proptest::prelude::*;

        use super::super::*;
        use crate::workouts::analysis::analyze;

        /// The test files of every format (`tests/data`).
        fn samples() -> Vec<(Format, Vec<u8>)> {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
            let names = ["formats/ride.fit", "formats/indoor.fit", "formats/garmin_connect.tcx", "formats/ride.kmz"];
            let mut found: Vec<(Format, Vec<u8>)> =
                names.iter().map(|n| (Format::of(n).unwrap(), std::fs::read(dir.join(n)).unwrap())).collect();
            let kml = std::fs::read(dir.join("formats/ride.kml")).unwrap();
            found.push((Format::Kml, kml[..kml.len().min(40_000)].to_vec()));
            found
        }

        /// Whatever reads must analyze without panicking, quickly.
        fn read_and_analyze(format: Format, bytes: &[u8]) {
            let started = Instant::now();
            for segments in [SegmentsOn::AllStops, SegmentsOn::ManualStops] {
                if let Ok(track) = read(format, bytes, segments)
                    && let Ok(analysis) = analyze(&track, 1.0, false)
                {
                    assert!(analysis.workout.measures.distance >= 0.0);
                }
            }
            assert!(started.elapsed() < Duration::from_secs(2), "{format:?}: {:?}", started.elapsed());
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(256))]

            #[test]
            fn mutated_or_truncated_files_of_any_format_never_panic(
                which in 0usize..5,
                edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..12),
                cut in any::<prop::sample::Index>(),
            ) {
                let (format, mut bytes) = samples().swap_remove(which);
                for (at, byte) in edits {
                    let i = at.index(bytes.len());
                    bytes[i] = byte;
                }
                read_and_analyze(format, &bytes);
                read_and_analyze(format, &bytes[..cut.index(bytes.len())]);
            }

            #[test]
            fn random_bytes_in_any_format_never_panic(
                which in 0usize..5,
                bytes in proptest::collection::vec(any::<u8>(), 0..2048),
            ) {
                read_and_analyze(Format::ALL[which], &bytes);
            }
        }
    }
}
