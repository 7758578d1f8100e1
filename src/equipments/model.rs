//! Equipment types and users' equipment.

use crate::visibility::Visibility;

#[derive(Debug, Clone, PartialEq)]
pub struct EquipmentType {
    pub id: i64,
    pub label: String,
    pub is_active: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Equipment {
    pub id: i64,
    pub short_id: String,
    pub user_id: i64,
    pub equipment_type: EquipmentType,
    pub label: String,
    pub description: Option<String>,
    pub is_active: bool,
    pub visibility: Visibility,
    pub created_at: i64,
    pub total_distance: f64,
    pub total_duration: f64,
    pub total_moving: f64,
    pub workouts_count: i64,
    /// Sports whose new workouts get this equipment by default.
    pub default_for_sport_ids: Vec<i64>,
}

impl Equipment {
    /// A new piece of equipment of `user_id`, before its fields are set.
    pub fn blank(short_id: String, user_id: i64, now: i64) -> Equipment {
        Equipment {
            id: 0,
            short_id,
            user_id,
            equipment_type: EquipmentType { id: 0, label: String::new(), is_active: true },
            label: String::new(),
            description: None,
            is_active: true,
            visibility: Visibility::Private,
            created_at: now,
            total_distance: 0.0,
            total_duration: 0.0,
            total_moving: 0.0,
            workouts_count: 0,
            default_for_sport_ids: Vec::new(),
        }
    }
}
