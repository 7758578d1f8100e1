//! Zip archives: uploads that hold several workout files, and KMZ files.
//! Archives come from anyone who may upload, so nothing in one is trusted:
//! an entry is read only up to the size it may have (a zip bomb stops
//! there), and an archive with an encrypted entry, an archive inside it or
//! a name that leads out of it is refused whole, with the entry named.

use std::fmt;
use std::io::{Cursor, Read};

use zip::ZipArchive;

use super::Format;

#[derive(Debug, Clone, PartialEq)]
pub enum ArchiveError {
    Invalid,
    /// An entry larger than a single workout file may be (declared or real).
    TooLarge,
    TooMany,
    NoWorkoutFiles,
    Encrypted(String),
    Nested(String),
    UnsafeName(String),
}

impl fmt::Display for ArchiveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ArchiveError::Invalid => f.write_str("invalid zip file"),
            ArchiveError::TooLarge => {
                f.write_str("at least one file in zip archive exceeds size limit, please check the archive")
            }
            ArchiveError::TooMany => f.write_str("the number of files in the archive exceeds the limit"),
            ArchiveError::NoWorkoutFiles => f.write_str("archive does not contain valid workout files"),
            ArchiveError::Encrypted(name) => {
                write!(f, "'{name}' in the archive is encrypted: encrypted archives are not supported")
            }
            ArchiveError::Nested(name) => {
                write!(f, "'{name}' is an archive inside the archive: nested archives are not supported")
            }
            ArchiveError::UnsafeName(name) => write!(f, "'{name}' in the archive is not a plain relative file name"),
        }
    }
}

/// A workout file inside an archive.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub index: usize,
    pub name: String,
    pub format: Format,
}

pub struct Archive<'a> {
    zip: ZipArchive<Cursor<&'a [u8]>>,
}

impl<'a> Archive<'a> {
    pub fn open(bytes: &'a [u8]) -> Result<Archive<'a>, ArchiveError> {
        let zip = ZipArchive::new(Cursor::new(bytes)).map_err(|_| ArchiveError::Invalid)?;
        Ok(Archive { zip })
    }

    /// The workout files inside, in archive order, at most `max_files`, each
    /// declared within `max_size` bytes; other files are skipped (FitTrackee
    /// skips them too), folders included.
    pub fn workout_files(&mut self, max_size: u64, max_files: usize) -> Result<Vec<Entry>, ArchiveError> {
        let mut entries = Vec::new();
        for index in 0..self.zip.len() {
            let file = self.zip.by_index_raw(index).map_err(|_| ArchiveError::Invalid)?;
            let name = file.name().map_err(|_| ArchiveError::Invalid)?.into_owned();
            if file.is_dir() {
                continue;
            }
            if file.encrypted() {
                return Err(ArchiveError::Encrypted(name));
            }
            if !is_plain_name(&name) || file.enclosed_name().is_none() || file.is_symlink() {
                return Err(ArchiveError::UnsafeName(name));
            }
            if super::extension(&name).as_deref() == Some("zip") {
                return Err(ArchiveError::Nested(name));
            }
            let Some(format) = Format::of(&name) else { continue };
            if file.size() > max_size {
                return Err(ArchiveError::TooLarge);
            }
            entries.push(Entry { index, name, format });
            if entries.len() > max_files {
                return Err(ArchiveError::TooMany);
            }
        }
        if entries.is_empty() {
            return Err(ArchiveError::NoWorkoutFiles);
        }
        Ok(entries)
    }

    /// The index of the first entry whose name ends with `.suffix`.
    pub fn first_with_extension(&self, suffix: &str) -> Option<usize> {
        (0..self.zip.len()).find(|&i| {
            self.zip.name_for_index(i).and_then(Result::ok).and_then(|n| super::extension(&n)).as_deref()
                == Some(suffix)
        })
    }

    /// The bytes of entry `index`, refused beyond `max_size` whatever its
    /// header says (the header of a bomb lies).
    pub fn read(&mut self, index: usize, max_size: u64) -> Result<Vec<u8>, ArchiveError> {
        let mut file = self.zip.by_index(index).map_err(|_| ArchiveError::Invalid)?;
        let mut bytes = Vec::with_capacity(file.size().min(max_size) as usize);
        file.by_ref().take(max_size + 1).read_to_end(&mut bytes).map_err(|_| ArchiveError::Invalid)?;
        if bytes.len() as u64 > max_size {
            return Err(ArchiveError::TooLarge);
        }
        Ok(bytes)
    }
}

/// A relative name that stays inside the archive whoever reads it: no root,
/// no drive, no `..`, no backslash (a separator on Windows).
fn is_plain_name(name: &str) -> bool {
    !name.starts_with('/')
        && !name.contains(['\\', '\0'])
        && !name.split('/').next().is_some_and(|first| first.ends_with(':'))
        && name.split('/').all(|part| part != "..")
}

#[cfg(test)]
pub(crate) mod tests {
    use std::io::Write;

    use zip::write::SimpleFileOptions;

    use super::*;

    /// A zip of `(name, content)`, deflated.
    pub fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, content) in files {
            writer.start_file(*name, SimpleFileOptions::default()).unwrap();
            writer.write_all(content).unwrap();
        }
        writer.finish().unwrap().into_inner()
    }

    fn list(bytes: &[u8]) -> Result<Vec<String>, ArchiveError> {
        let entries = Archive::open(bytes)?.workout_files(1024, 3)?;
        Ok(entries.into_iter().map(|e| e.name).collect())
    }

    #[test]
    fn workout_files_are_listed_and_others_skipped() {
        let zip = zip_of(&[("a.gpx", b"x"), ("notes.txt", b"y"), ("dir/b.FIT", b"z"), ("c.kmz", b"w")]);
        assert_eq!(list(&zip).unwrap(), ["a.gpx", "dir/b.FIT", "c.kmz"]);
        assert_eq!(Archive::open(&zip).unwrap().read(0, 1024).unwrap(), b"x");
    }

    #[test]
    fn hostile_archives_are_refused_with_the_entry_named() {
        assert_eq!(list(b"not a zip").unwrap_err(), ArchiveError::Invalid);
        assert_eq!(list(&zip_of(&[("readme.md", b"")])).unwrap_err(), ArchiveError::NoWorkoutFiles);
        assert_eq!(list(&zip_of(&[("../up.gpx", b"x")])).unwrap_err(), ArchiveError::UnsafeName("../up.gpx".into()));
        for name in ["/etc/a.gpx", "a/../../b.gpx", "c:/x.gpx", "a\\..\\b.gpx"] {
            assert_eq!(list(&zip_of(&[(name, b"x")])).unwrap_err(), ArchiveError::UnsafeName(name.into()), "{name}");
        }
        assert_eq!(list(&zip_of(&[("inner.zip", b"x")])).unwrap_err(), ArchiveError::Nested("inner.zip".into()));
        assert_eq!(list(&zip_of(&[("big.gpx", &[0; 2048])])).unwrap_err(), ArchiveError::TooLarge);
        let many: Vec<(String, &[u8])> = (0..4).map(|i| (format!("{i}.gpx"), &b"x"[..])).collect();
        let many: Vec<(&str, &[u8])> = many.iter().map(|(n, c)| (n.as_str(), *c)).collect();
        assert_eq!(list(&zip_of(&many)).unwrap_err(), ArchiveError::TooMany);
    }

    #[test]
    fn an_entry_is_read_no_further_than_it_may_be() {
        let zip = zip_of(&[("a.gpx", &[b'a'; 100_000])]);
        assert_eq!(Archive::open(&zip).unwrap().read(0, 1000).unwrap_err(), ArchiveError::TooLarge);
        // A header that understates the size (as a bomb's does) changes nothing.
        let mut lying = zip.clone();
        let size = 100_000u32.to_le_bytes();
        let places: Vec<usize> = (0..lying.len() - 4).filter(|&i| lying[i..i + 4] == size).collect();
        assert!(!places.is_empty(), "the sizes are in the headers");
        for at in places {
            lying[at..at + 4].copy_from_slice(&10u32.to_le_bytes());
        }
        if let Ok(mut archive) = Archive::open(&lying) {
            assert!(archive.read(0, 1000).is_err());
        }
    }

    #[test]
    fn encrypted_entries_are_refused() {
        let mut zip = zip_of(&[("a.gpx", b"x")]);
        // The "encrypted" flag (bit 0 of the general purpose flags) in the
        // local header (offset 6) and the central directory entry (offset 8).
        zip[6] |= 1;
        let central = zip.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
        zip[central + 8] |= 1;
        assert_eq!(list(&zip).unwrap_err(), ArchiveError::Encrypted("a.gpx".into()));
    }
}
