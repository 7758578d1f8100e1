//! `fittrackee import`: workouts into an account from a FitTrackee export
//! archive, a folder or zip of workout files, or a live FitTrackee server
//! (this one too: it speaks the same API). Each workout is created in its
//! own transaction through the same functions as an upload, so an import
//! stopped half-way leaves every workout it reported complete; duplicates
//! (same sport and start, or the same file) are skipped, so running it
//! again carries on where it stopped.

mod archive;
mod files;
mod server;

use std::path::Path;

use crate::accounts::user::User;
use crate::application::AppConfig;
use crate::store::{self, Db, workouts as stored};
use crate::workouts::{FileUpload, ManualWorkout, Uploaded, WorkoutFields, create_manual, upload};

pub use server::Credentials;

/// One workout to import, as its source describes it.
pub struct Item {
    /// How the summary names it (a file name, a title).
    pub name: String,
    pub sport_id: i64,
    /// Start, when the source says it (Unix seconds): a duplicate check.
    pub start: Option<i64>,
    pub what: What,
}

pub enum What {
    File {
        file_name: String,
        content: Vec<u8>,
        fields: WorkoutFields,
    },
    Manual(ManualWorkout),
    /// A file still on a server, fetched when its turn comes.
    Remote {
        workout_id: String,
        fields: WorkoutFields,
    },
}

#[derive(Debug, Default, PartialEq)]
pub struct Summary {
    pub created: usize,
    pub duplicates: usize,
    /// What failed, and why.
    pub failed: Vec<(String, String)>,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} created, {} skipped as duplicates, {} failed", self.created, self.duplicates, self.failed.len())?;
        for (name, why) in &self.failed {
            write!(f, "; {name}: {why}")?;
        }
        Ok(())
    }
}

/// Where workouts come from.
pub enum Source<'a> {
    /// A file or folder: a FitTrackee export, a zip of workout files, a
    /// folder of them.
    Path {
        path: &'a Path,
        sport: Option<&'a str>,
    },
    Server(&'a Credentials),
}

/// The items of a source, for `user`.
pub fn items(db: &mut Db<'_>, user: &User, source: &Source<'_>) -> Result<(Vec<Item>, Option<server::Client>), String> {
    match source {
        Source::Path { path, sport } => {
            if archive::is_export(path) {
                return Ok((archive::items(db, user, path)?, None));
            }
            let sport = sport.ok_or("workout files need --sport (a sport's label or id)")?;
            let sport_id = sport_id(db, sport)?.ok_or_else(|| format!("no sport is called '{sport}'"))?;
            Ok((files::items(path, sport_id)?, None))
        }
        Source::Server(credentials) => {
            let client = server::Client::sign_in(credentials)?;
            let items = client.items(db, user)?;
            Ok((items, Some(client)))
        }
    }
}

/// A sport by its label (any case) or id.
pub fn sport_id(db: &Db<'_>, name: &str) -> Result<Option<i64>, String> {
    let sports = store::sports::all(db, None).map_err(|e| e.to_string())?;
    Ok(sports
        .iter()
        .find(|(s, _)| s.label.eq_ignore_ascii_case(name.trim()) || s.id.to_string() == name.trim())
        .map(|(s, _)| s.id))
}

/// Imports one item; `Ok(false)` for a duplicate.
pub fn import_one(
    db: &mut Db<'_>,
    user: &User,
    item: Item,
    client: Option<&server::Client>,
    config: &AppConfig,
    now: i64,
) -> Result<bool, String> {
    if let Some(start) = item.start
        && stored::exists_at(db, user.id, item.sport_id, start).map_err(|e| e.to_string())?
    {
        return Ok(false);
    }
    let (file_name, content, fields) = match item.what {
        What::Manual(manual) => {
            create_manual(db, user, &manual, now).map_err(|e| e.to_string())?;
            return Ok(true);
        }
        What::File { file_name, content, fields } => (file_name, content, fields),
        What::Remote { workout_id, fields } => {
            let (file_name, content) = client.ok_or("no server to fetch from")?.download(&workout_id)?;
            (file_name, content, fields)
        }
    };
    if stored::has_file(db, user.id, &content).map_err(|e| e.to_string())? {
        return Ok(false);
    }
    let upload_of = FileUpload { sport_id: item.sport_id, file_name: &file_name, content: &content, fields };
    match upload(db, user, &upload_of, config, now).map_err(|e| e.to_string())? {
        Uploaded::Created(_) => Ok(true),
        Uploaded::Partly { errors, .. } => {
            Err(errors.into_iter().map(|(f, why)| format!("{f}: {why}")).collect::<Vec<_>>().join("; "))
        }
        Uploaded::Queued(_) => Err("an archive inside the import: import it on its own".into()),
    }
}

/// The limits of an import the operator runs: files as large as the
/// source has (an export of another server may hold larger ones), archives
/// processed at once.
pub fn limits(config: &AppConfig) -> AppConfig {
    AppConfig {
        max_single_file_size: i64::MAX / 2,
        max_zip_file_size: i64::MAX / 2,
        file_limit_import: i64::MAX / 2,
        file_sync_limit_import: i64::MAX / 2,
        ..config.clone()
    }
}
