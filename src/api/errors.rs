//! Domain refusals as FitTrackee answers them: one mapping per domain
//! module from its error to a status and an envelope (the message is the
//! error's own text). Pages show the same refusals as text.

use serde_json::json;

use crate::accounts::RegisterError;
use crate::accounts::admin::AdminError;
use crate::accounts::picture::PictureError;
use crate::accounts::profile::{AccountError, InvalidPreference};
use crate::application::PatchError;
use crate::equipments::EquipmentError;
use crate::exports::ExportError;
use crate::files::FileError;
use crate::files::archive::ArchiveError;
use crate::http::HttpError;
use crate::maps::MapError;
use crate::oauth::{self, OAuthError};
use crate::sports::SportError;
use crate::throttle::Limited;
use crate::workouts::WorkoutError;
use crate::workouts::tasks::TaskError;

impl From<RegisterError> for HttpError {
    fn from(e: RegisterError) -> HttpError {
        match e {
            RegisterError::Store(e) => e.into(),
            RegisterError::Disabled => HttpError::forbidden(e.to_string()),
            _ => HttpError::bad_request(e.to_string()),
        }
    }
}

impl From<AccountError> for HttpError {
    fn from(e: AccountError) -> HttpError {
        match e {
            AccountError::Store(e) => e.into(),
            AccountError::WrongPassword => HttpError::unauthorized(e.to_string()),
            _ => HttpError::bad_request(e.to_string()),
        }
    }
}

impl From<InvalidPreference> for HttpError {
    fn from(e: InvalidPreference) -> HttpError {
        HttpError::bad_request(e.to_string())
    }
}

impl From<AdminError> for HttpError {
    fn from(e: AdminError) -> HttpError {
        match e {
            AdminError::Store(e) => e.into(),
            AdminError::NotFound => HttpError::not_found(e.to_string()),
            AdminError::NoPermission | AdminError::CannotDeleteOwner | AdminError::LastAdmin => {
                HttpError::forbidden(e.to_string())
            }
            _ => HttpError::bad_request(e.to_string()),
        }
    }
}

impl From<PatchError> for HttpError {
    fn from(e: PatchError) -> HttpError {
        match e {
            PatchError::Payload => HttpError::invalid_payload(),
            PatchError::Exceeding { key, max_value } => HttpError::new(
                400,
                json!({
                    "status": "config_value_exceeding_limit",
                    "key": key,
                    "max_value": max_value,
                    "message": format!("'{key}' must be less than {max_value}"),
                }),
            ),
            PatchError::Messages(messages) => HttpError::new(400, json!({ "status": "error", "message": messages })),
            PatchError::Message(message) => HttpError::bad_request(message),
        }
    }
}

impl From<SportError> for HttpError {
    fn from(e: SportError) -> HttpError {
        match e {
            SportError::NotFound => HttpError::not_found(e.to_string()),
            _ => HttpError::bad_request(e.to_string()),
        }
    }
}

impl From<EquipmentError> for HttpError {
    fn from(e: EquipmentError) -> HttpError {
        let e = match e {
            EquipmentError::Store(e) => return e.into(),
            other => other,
        };
        let message = e.to_string();
        let about = |status: &str, id: &str| {
            HttpError::new(400, json!({ "status": status, "equipment_id": id, "message": message }))
        };
        match &e {
            EquipmentError::NotFound(id) => about("not_found", id),
            EquipmentError::Inactive(id) => about("inactive", id),
            EquipmentError::DoesNotFit(id, _) => about("invalid", id),
            EquipmentError::MiscLimit(sport_ids) => {
                HttpError::new(400, json!({ "status": "limit_exceeded", "sport_ids": sport_ids, "message": message }))
            }
            EquipmentError::HasWorkouts { .. } => HttpError::forbidden(message),
            _ => HttpError::bad_request(message),
        }
    }
}

impl From<ExportError> for HttpError {
    fn from(e: ExportError) -> HttpError {
        match e {
            ExportError::Store(e) => e.into(),
            other => HttpError::bad_request(other.to_string()),
        }
    }
}

impl From<FileError> for HttpError {
    fn from(e: FileError) -> HttpError {
        match e {
            FileError::Read(_) => HttpError::bad_request(e.to_string()),
            _ => HttpError::message(400, "fail", e.to_string()),
        }
    }
}

impl From<PictureError> for HttpError {
    fn from(e: PictureError) -> HttpError {
        match e {
            PictureError::Store(e) => e.into(),
            PictureError::TooLarge { .. } => HttpError::message(413, "fail", e.to_string()),
            PictureError::NoSelectedFile | PictureError::ExtensionNotAllowed => {
                HttpError::message(400, "fail", e.to_string())
            }
            PictureError::Invalid => HttpError::bad_request(e.to_string()),
        }
    }
}

impl From<MapError> for HttpError {
    fn from(e: MapError) -> HttpError {
        match e {
            MapError::Store(e) => e.into(),
            MapError::TilesOff | MapError::NoSuchTile | MapError::NoSuchMap => HttpError::not_found(e.to_string()),
            MapError::Busy => HttpError::message(503, "error", e.to_string()).with_header("Retry-After", "1"),
            MapError::Unreachable => HttpError::message(502, "error", e.to_string()),
        }
    }
}

impl From<ArchiveError> for HttpError {
    fn from(e: ArchiveError) -> HttpError {
        match e {
            ArchiveError::Invalid => HttpError::bad_request(e.to_string()),
            _ => HttpError::message(400, "fail", e.to_string()),
        }
    }
}

impl From<TaskError> for HttpError {
    fn from(e: TaskError) -> HttpError {
        match e {
            TaskError::Store(e) => e.into(),
            TaskError::NotFound => HttpError::not_found(e.to_string()),
            TaskError::NotOngoing | TaskError::Ongoing => HttpError::bad_request(e.to_string()),
        }
    }
}

impl From<WorkoutError> for HttpError {
    fn from(e: WorkoutError) -> HttpError {
        let message = e.to_string();
        match e {
            WorkoutError::Store(e) => e.into(),
            WorkoutError::Equipment(e) => e.into(),
            WorkoutError::File(e) => e.into(),
            WorkoutError::Archive(e) => e.into(),
            WorkoutError::OngoingTask => HttpError::message(400, "invalid", message),
            WorkoutError::FileTooLarge { .. } => HttpError::message(413, "fail", message),
            WorkoutError::UnknownSport { .. }
            | WorkoutError::InvalidClimb
            | WorkoutError::WrongKeys { .. }
            | WorkoutError::ElevationSourceWithoutFile => HttpError::message(400, "invalid", message),
            _ => HttpError::bad_request(message),
        }
    }
}

impl From<OAuthError> for HttpError {
    fn from(e: OAuthError) -> HttpError {
        let error = HttpError::oauth(e.status, e.code, e.description.as_deref());
        if e.basic_challenge { error.with_header("WWW-Authenticate", "Basic realm=\"fittrackee\"") } else { error }
    }
}

impl From<oauth::Error> for HttpError {
    fn from(e: oauth::Error) -> HttpError {
        match e {
            oauth::Error::OAuth(e) => e.into(),
            oauth::Error::Store(e) => e.into(),
        }
    }
}

impl From<Limited> for HttpError {
    fn from(l: Limited) -> HttpError {
        HttpError::message(429, "error", format!("rate limit exceeded ({})", l.limit.describe()))
            .with_header("Retry-After", (l.reset_at - l.now).max(1).to_string())
            .with_header("X-RateLimit-Limit", l.limit.failures.to_string())
            .with_header("X-RateLimit-Remaining", "0")
            .with_header("X-RateLimit-Reset", l.reset_at.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::throttle::PER_ACCOUNT;

    #[test]
    fn a_throttled_attempt_is_a_429_that_says_when_to_come_back() {
        let error = HttpError::from(Limited { limit: PER_ACCOUNT, reset_at: 1_000_090, now: 1_000_000 });
        assert_eq!((error.status, error.text()), (429, "rate limit exceeded (10 per 5 minute)".to_string()));
        let header = |name: &str| error.headers.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str());
        assert_eq!(header("Retry-After"), Some("90"));
        assert_eq!(header("X-RateLimit-Limit"), Some("10"));
        assert_eq!(header("X-RateLimit-Remaining"), Some("0"));
        assert_eq!(header("X-RateLimit-Reset"), Some("1000090"));
        let now = HttpError::from(Limited { limit: PER_ACCOUNT, reset_at: 5, now: 5 });
        assert_eq!(now.headers[0], ("Retry-After", "1".to_string()), "never 0: clients would retry at once");
    }

    #[test]
    fn domain_errors_keep_fittrackees_statuses() {
        assert_eq!(HttpError::from(RegisterError::Disabled).status, 403);
        assert_eq!(HttpError::from(AccountError::WrongPassword).status, 401);
        assert_eq!(HttpError::from(AdminError::NotFound).status, 404);
        let too_large = HttpError::from(WorkoutError::FileTooLarge { size: 2048, limit: 1024 });
        assert_eq!(too_large.status, 413);
        assert_eq!(too_large.text(), "Error during workout upload, file size (2.0KB) exceeds 1.0KB.");
    }
}
