//! A user's data export, as FitTrackee describes it.

#[derive(Debug, Clone, PartialEq)]
pub struct DataExport {
    pub id: i64,
    pub user_id: i64,
    pub created_at: i64,
    pub completed: bool,
    /// Set once the archive is built; a completed export without one failed.
    pub file_name: Option<String>,
    pub file_size: Option<i64>,
}

impl DataExport {
    /// FitTrackee's `status`: `in_progress`, `successful` or `errored`.
    pub fn status(&self) -> &'static str {
        match (self.completed, &self.file_name) {
            (false, _) => "in_progress",
            (true, Some(_)) => "successful",
            (true, None) => "errored",
        }
    }
}
