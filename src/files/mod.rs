//! Workout files: which ones the server takes, and reading each into a
//! [`Track`](crate::workouts::track::Track).

pub mod gpx;

use std::fmt;

use crate::workouts::track::Track;

/// The extensions FitTrackee takes.
pub const KNOWN_EXTENSIONS: [&str; 6] = ["gpx", "kml", "kmz", "fit", "tcx", "zip"];

/// The extension of a file name, lower case.
pub fn extension(file_name: &str) -> Option<String> {
    file_name.rsplit_once('.').map(|(_, ext)| ext.to_ascii_lowercase())
}

#[derive(Debug, Clone, PartialEq)]
pub enum FileError {
    NoSelectedFile,
    ExtensionNotAllowed,
    /// A format FitTrackee takes that is not read here yet.
    NotSupportedYet(String),
    Gpx(gpx::GpxError),
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FileError::NoSelectedFile => f.write_str("no selected file"),
            FileError::ExtensionNotAllowed => f.write_str("file extension not allowed"),
            FileError::NotSupportedYet(ext) => {
                write!(f, "'.{ext}' files are not supported yet: upload a GPX file (.gpx)")
            }
            FileError::Gpx(e) => e.fmt(f),
        }
    }
}

/// Checks an uploaded file's name before anything is read from it.
pub fn check_name(file_name: &str) -> Result<(), FileError> {
    if file_name.trim().is_empty() {
        return Err(FileError::NoSelectedFile);
    }
    match extension(file_name).as_deref() {
        Some("gpx") => Ok(()),
        Some(ext) if KNOWN_EXTENSIONS.contains(&ext) => Err(FileError::NotSupportedYet(ext.to_string())),
        _ => Err(FileError::ExtensionNotAllowed),
    }
}

/// Reads a workout file by its extension.
pub fn read(file_name: &str, content: &[u8]) -> Result<Track, FileError> {
    check_name(file_name)?;
    gpx::parse(content).map_err(FileError::Gpx)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_checked_like_fittrackee() {
        assert!(check_name("ride.GPX").is_ok());
        assert_eq!(check_name("").unwrap_err().to_string(), "no selected file");
        assert_eq!(check_name("ride.exe").unwrap_err().to_string(), "file extension not allowed");
        assert!(check_name("ride.fit").unwrap_err().to_string().contains("upload a GPX file"));
    }
}
