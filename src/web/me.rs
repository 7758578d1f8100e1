//! What every signed-in page starts from: the user, how they read
//! measures, and their sports (labels, colours, speed or pace).

use std::collections::HashMap;

use crate::accounts::user::{AuthUser, User};
use crate::http::{Ctx, HttpError};
use crate::sports::{SpeedDisplay, UserSport};
use crate::store::{sports, users};
use crate::web::units::Reader;
use crate::workouts::{Record, RecordType, Workout};

/// Colours for sports without one of the user's choosing: distinct, and
/// dark enough on white for WCAG AA (3:1 for graphics).
pub const PALETTE: &[&str] = &["#2c6fbb", "#c0392b", "#1e8449", "#8e44ad", "#b9770e", "#117a8b", "#7b5e57", "#c2185b"];

pub struct Me {
    pub auth: AuthUser,
    pub user: User,
    pub reader: Reader,
    pub sports: HashMap<i64, UserSport>,
}

impl Me {
    pub fn load(ctx: &Ctx<'_>) -> Result<Me, HttpError> {
        let auth = ctx.caller.user()?.clone();
        let user = users::by_id(&ctx.db, auth.id)?.ok_or_else(|| HttpError::redirect("/login"))?;
        let sports = sports::all(&ctx.db, Some(user.id))?
            .into_iter()
            .map(|(sport, prefs)| (sport.id, UserSport::new(sport, prefs)))
            .collect();
        Ok(Me { reader: Reader::of(&user.prefs), auth, user, sports })
    }

    pub fn sport_label(&self, sport_id: i64) -> &str {
        self.sports.get(&sport_id).map_or("Sport", |s| s.sport.label.as_str())
    }

    pub fn sport_color(&self, sport_id: i64) -> String {
        self.sports
            .get(&sport_id)
            .and_then(|s| s.prefs.color.clone())
            .unwrap_or_else(|| PALETTE[sport_id.unsigned_abs() as usize % PALETTE.len()].to_string())
    }

    pub fn display(&self, sport_id: i64) -> SpeedDisplay {
        self.sports.get(&sport_id).map_or(SpeedDisplay::Speed, UserSport::display)
    }

    /// Active sports, by label, for forms.
    pub fn active_sports(&self) -> Vec<&UserSport> {
        let mut active: Vec<&UserSport> = self.sports.values().filter(|s| s.is_active_for_user()).collect();
        active.sort_by(|a, b| a.sport.label.cmp(&b.sport.label));
        active
    }

    /// A workout's average speed as its sport shows it.
    pub fn average_speed(&self, workout: &Workout) -> String {
        workout.measures.ave_speed.map_or("–".into(), |s| self.reader.speed_as(self.display(workout.sport_id), s))
    }

    /// A record's name and its value in the user's units.
    pub fn record(&self, record: &Record) -> (&'static str, String) {
        let r = &self.reader;
        let value = match record.record_type {
            RecordType::AS | RecordType::MS => r.speed(record.value),
            RecordType::FD => r.distance(record.value),
            RecordType::HA => r.elevation(record.value),
            RecordType::LD => super::units::duration(record.value),
            RecordType::AP | RecordType::BP => r.pace(3600.0 / record.value),
        };
        (record_name(record.record_type), value)
    }
}

/// What a record is called on the pages.
pub fn record_name(kind: RecordType) -> &'static str {
    match kind {
        RecordType::AS => "Best average speed",
        RecordType::MS => "Top speed",
        RecordType::FD => "Farthest distance",
        RecordType::HA => "Highest ascent",
        RecordType::LD => "Longest duration",
        RecordType::AP => "Best average pace",
        RecordType::BP => "Best pace",
    }
}
