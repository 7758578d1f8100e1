//! Data exports: one request per user at a time, a new one at most once per
//! `RETENTION`, built in the background, and deleted (archive and request)
//! once `RETENTION` has passed.

pub mod model;

use std::fmt;

pub use model::DataExport;

use crate::store::{self, Db, exports as stored};

/// FitTrackee's `DATA_EXPORT_EXPIRATION` (24 hours): how long an archive is
/// kept, and how long before another may be requested.
pub const RETENTION: i64 = 24 * 3600;

#[derive(Debug)]
pub enum ExportError {
    Ongoing,
    CompletedRecently,
    Store(store::Error),
}

impl fmt::Display for ExportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExportError::Ongoing => f.write_str("ongoing request exists"),
            ExportError::CompletedRecently => f.write_str("completed request already exists"),
            ExportError::Store(e) => e.fmt(f),
        }
    }
}

impl From<store::Error> for ExportError {
    fn from(e: store::Error) -> Self {
        ExportError::Store(e)
    }
}

/// A new request, replacing an export older than `RETENTION`.
pub fn request(db: &mut Db<'_>, user_id: i64, now: i64) -> Result<DataExport, ExportError> {
    db.write(|tx| {
        match stored::of_user(tx, user_id)? {
            Some(current) if !current.completed => return Err(ExportError::Ongoing),
            Some(current) if now - current.created_at < RETENTION => return Err(ExportError::CompletedRecently),
            _ => {}
        }
        Ok(stored::replace(tx, user_id, now)?)
    })
}

/// Exports whose retention has passed go, archive and all (a read first:
/// the worker asks every time it wakes, and mostly there is none).
pub fn forget_expired(db: &mut Db<'_>, now: i64) -> Result<usize, store::Error> {
    if !stored::any_before(db, now - RETENTION)? {
        return Ok(0);
    }
    db.write(|tx| stored::delete_before(tx, now - RETENTION))
}
