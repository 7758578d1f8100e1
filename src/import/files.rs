//! A folder of workout files, or a zip of them: every file of a format the
//! upload takes (GPX, TCX, FIT, KML, KMZ) is one item.

use std::io::Read;
use std::path::{Path, PathBuf};

use super::{Item, What};
use crate::files::{Format, SegmentsOn};
use crate::workouts::WorkoutFields;

const MOST_BYTES: u64 = 256 << 20;

pub fn items(path: &Path, sport_id: i64) -> Result<Vec<Item>, String> {
    let found = if path.is_dir() { in_folder(path)? } else { in_zip(path)? };
    Ok(found
        .into_iter()
        .map(|(name, content)| {
            let file_name = name.rsplit('/').next().unwrap_or(&name).to_string();
            Item {
                start: start_of(&file_name, &content),
                name,
                sport_id,
                what: What::File { file_name, content, fields: WorkoutFields::default() },
            }
        })
        .collect())
}

/// When the file's workout starts (its first timed point of a segment the
/// analysis keeps), so that the same ride in another format is a duplicate.
fn start_of(file_name: &str, content: &[u8]) -> Option<i64> {
    let track = crate::files::read(Format::of(file_name)?, content, SegmentsOn::default()).ok()?;
    let first = track.segments.iter().filter(|s| s.len() >= 2).flat_map(|s| s.iter()).find_map(|p| p.time)?;
    Some(first.floor() as i64)
}

fn in_folder(folder: &Path) -> Result<Vec<(String, Vec<u8>)>, String> {
    let mut paths: Vec<PathBuf> = Vec::new();
    let mut pending = vec![folder.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))? {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.is_dir() {
                pending.push(path);
            } else if Format::of(&path.to_string_lossy()).is_some() {
                paths.push(path);
            }
        }
    }
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let content = std::fs::read(&p).map_err(|e| format!("{}: {e}", p.display()))?;
            Ok((p.strip_prefix(folder).unwrap_or(&p).display().to_string(), content))
        })
        .collect()
}

fn in_zip(path: &Path) -> Result<Vec<(String, Vec<u8>)>, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut zip = zip::ZipArchive::new(file)
        .map_err(|e| format!("{}: not a folder or a zip of workout files ({e})", path.display()))?;
    let mut found = Vec::new();
    for i in 0..zip.len() {
        let entry = zip.by_index(i).map_err(|e| e.to_string())?;
        let name = entry.name().map_err(|e| e.to_string())?.to_string();
        if entry.is_dir() || Format::of(&name).is_none() {
            continue;
        }
        let mut content = Vec::new();
        entry.take(MOST_BYTES).read_to_end(&mut content).map_err(|e| format!("{name}: {e}"))?;
        found.push((name, content));
    }
    Ok(found)
}
