//! `fittrackee backup`: a verified copy of the database, into a file or,
//! for a cron job or a systemd timer, into a folder of dated copies of which
//! the newest `keep` stay.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::store::{self, Db, backup as copy};

/// Names of the dated copies in a folder: `fittrackee-YYYYMMDDTHHMMSSZ.db`,
/// which sort by date.
const PREFIX: &str = "fittrackee-";
const SUFFIX: &str = ".db";

#[derive(Debug)]
pub enum BackupError {
    /// `--keep` without a folder to rotate in.
    KeepNeedsFolder(PathBuf),
    TargetExists(PathBuf),
    Copy(store::Error),
    /// The copy did not pass `PRAGMA integrity_check` (and was removed).
    Corrupt(String),
    Rename(std::io::Error),
    Rotate(std::io::Error),
}

impl fmt::Display for BackupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BackupError::KeepNeedsFolder(path) => {
                write!(f, "--keep rotates dated copies in a folder: {} is not a folder", path.display())
            }
            BackupError::TargetExists(path) => write!(f, "{} already exists: choose another file", path.display()),
            BackupError::Copy(e) => write!(f, "the copy failed (is the disk full?): {e}"),
            BackupError::Corrupt(problems) => write!(f, "the copy failed its integrity check: {problems}"),
            BackupError::Rename(e) => write!(f, "the checked copy could not be put in place: {e}"),
            BackupError::Rotate(e) => write!(f, "the copy is made, but older copies could not be removed: {e}"),
        }
    }
}

pub struct Backup {
    pub path: PathBuf,
    pub bytes: u64,
    pub workouts: i64,
    /// Older copies removed by the rotation.
    pub removed: Vec<PathBuf>,
}

/// Where a copy goes: `target` itself, or a dated file in the folder `target`.
pub fn destination(target: &Path, keep: Option<usize>, now: i64) -> Result<PathBuf, BackupError> {
    if !target.is_dir() {
        return match keep {
            Some(_) => Err(BackupError::KeepNeedsFolder(target.to_path_buf())),
            None if target.exists() => Err(BackupError::TargetExists(target.to_path_buf())),
            None => Ok(target.to_path_buf()),
        };
    }
    let stamp = jiff::Timestamp::from_second(now).unwrap_or(jiff::Timestamp::UNIX_EPOCH).strftime("%Y%m%dT%H%M%SZ");
    Ok(target.join(format!("{PREFIX}{stamp}{SUFFIX}")))
}

/// Copies the database to `target`, checks the copy, and rotates.
pub fn run(db: &Db<'_>, target: &Path, keep: Option<usize>, now: i64) -> Result<Backup, BackupError> {
    let path = destination(target, keep, now)?;
    // Written beside its name, renamed once checked: a copy under the final
    // name is always a whole, good one.
    let partial = path.with_extension("db.partial");
    let _ = std::fs::remove_file(&partial);
    let checked = copy::copy_to(db, &partial).map_err(BackupError::Copy).and_then(|()| {
        match copy::integrity(&partial).map_err(BackupError::Copy)?.as_str() {
            "ok" => Ok(()),
            problems => Err(BackupError::Corrupt(problems.to_string())),
        }
    });
    if let Err(e) = checked {
        let _ = std::fs::remove_file(&partial);
        return Err(e);
    }
    std::fs::rename(&partial, &path).map_err(BackupError::Rename)?;
    let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    let workouts = copy::workouts_in(&path).map_err(BackupError::Copy)?;
    let removed = match keep {
        Some(keep) => rotate(target, keep).map_err(BackupError::Rotate)?,
        None => Vec::new(),
    };
    Ok(Backup { path, bytes, workouts, removed })
}

/// Removes the oldest dated copies in `folder` beyond the newest `keep`.
fn rotate(folder: &Path, keep: usize) -> std::io::Result<Vec<PathBuf>> {
    let mut copies: Vec<PathBuf> = std::fs::read_dir(folder)?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| is_dated_copy(path))
        .collect();
    copies.sort();
    let excess = copies.len().saturating_sub(keep.max(1));
    let removed: Vec<PathBuf> = copies.into_iter().take(excess).collect();
    for path in &removed {
        std::fs::remove_file(path)?;
    }
    Ok(removed)
}

fn is_dated_copy(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let stamp = name.strip_prefix(PREFIX).and_then(|rest| rest.strip_suffix(SUFFIX)).unwrap_or("");
    stamp.len() == 16
        && stamp.bytes().enumerate().all(|(i, b)| matches!((i, b), (8, b'T') | (15, b'Z')) || b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dated_copies_are_recognised_and_sort_by_date() {
        assert!(is_dated_copy(Path::new("/b/fittrackee-20261201T030000Z.db")));
        for other in [
            "fittrackee.db",
            "fittrackee-2026.db",
            "fittrackee-20261201T030000Z.db.partial",
            "notes-20261201T030000Z.db",
        ] {
            assert!(!is_dated_copy(Path::new(other)), "{other}");
        }
        let dir = tempfile::tempdir().unwrap();
        let at = |n: i64| destination(dir.path(), Some(2), 1_764_558_000 + n).unwrap();
        assert_eq!(at(0).file_name().unwrap(), "fittrackee-20251201T030000Z.db");
        for n in 0..4 {
            std::fs::write(at(n * 86_400), b"").unwrap();
        }
        std::fs::write(dir.path().join("keep-me.db"), b"").unwrap();
        let removed = rotate(dir.path(), 2).unwrap();
        assert_eq!(removed, vec![at(0), at(86_400)], "the oldest go");
        assert!(dir.path().join("keep-me.db").exists(), "other files stay");
    }

    #[test]
    fn a_file_target_is_never_overwritten_and_keep_needs_a_folder() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("copy.db");
        assert_eq!(destination(&file, None, 0).unwrap(), file);
        std::fs::write(&file, b"").unwrap();
        assert!(matches!(destination(&file, None, 0), Err(BackupError::TargetExists(_))));
        assert!(matches!(destination(&dir.path().join("new.db"), Some(3), 0), Err(BackupError::KeepNeedsFolder(_))));
    }
}
