//! OAuth scopes. Nine guard our endpoints; eight more are accepted at
//! registration and authorization because apps built for newer FitTrackee
//! request them (and abort when the granted set differs), but open nothing.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    ApplicationWrite,
    EquipmentsRead,
    EquipmentsWrite,
    ProfileRead,
    ProfileWrite,
    UsersRead,
    UsersWrite,
    WorkoutsRead,
    WorkoutsWrite,
    FollowRead,
    FollowWrite,
    GeocodeRead,
    MediaWrite,
    NotificationsRead,
    NotificationsWrite,
    ReportsRead,
    ReportsWrite,
}

use Scope::*;

impl Scope {
    pub const ALL: [Scope; 17] = [
        ApplicationWrite,
        EquipmentsRead,
        EquipmentsWrite,
        FollowRead,
        FollowWrite,
        GeocodeRead,
        MediaWrite,
        NotificationsRead,
        NotificationsWrite,
        ProfileRead,
        ProfileWrite,
        ReportsRead,
        ReportsWrite,
        UsersRead,
        UsersWrite,
        WorkoutsRead,
        WorkoutsWrite,
    ];

    /// The scopes our endpoints check.
    pub const ENFORCED: [Scope; 9] = [
        ApplicationWrite,
        EquipmentsRead,
        EquipmentsWrite,
        ProfileRead,
        ProfileWrite,
        UsersRead,
        UsersWrite,
        WorkoutsRead,
        WorkoutsWrite,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ApplicationWrite => "application:write",
            EquipmentsRead => "equipments:read",
            EquipmentsWrite => "equipments:write",
            ProfileRead => "profile:read",
            ProfileWrite => "profile:write",
            UsersRead => "users:read",
            UsersWrite => "users:write",
            WorkoutsRead => "workouts:read",
            WorkoutsWrite => "workouts:write",
            FollowRead => "follow:read",
            FollowWrite => "follow:write",
            GeocodeRead => "geocode:read",
            MediaWrite => "media:write",
            NotificationsRead => "notifications:read",
            NotificationsWrite => "notifications:write",
            ReportsRead => "reports:read",
            ReportsWrite => "reports:write",
        }
    }

    pub fn parse(name: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|s| s.name() == name)
    }

    /// What the scope lets an app do, in plain words for the consent page.
    pub fn description(self) -> &'static str {
        match self {
            ApplicationWrite => "change the server configuration (administrators only)",
            EquipmentsRead => "see your equipment",
            EquipmentsWrite => "add, change and delete your equipment",
            ProfileRead => "see your profile, preferences and email address",
            ProfileWrite => "change your profile and preferences (and, with your password, your email and password)",
            UsersRead => "see other users' public profiles",
            UsersWrite => "delete your account (and manage users if you are an administrator)",
            WorkoutsRead => "see your workouts, records, statistics and sports",
            WorkoutsWrite => "add, change and delete your workouts",
            FollowRead | FollowWrite | GeocodeRead | MediaWrite | NotificationsRead | NotificationsWrite
            | ReportsRead | ReportsWrite => "nothing on this server (feature not available here)",
        }
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Known scope names of a space-separated list, in order, unknown ones dropped.
pub fn parse_list(list: &str) -> Vec<Scope> {
    list.split_whitespace().filter_map(Scope::parse).collect()
}

/// Every name of a space-separated list, or `None` if one is unknown.
pub fn parse_known(list: &str) -> Option<Vec<Scope>> {
    list.split_whitespace().map(Scope::parse).collect()
}

pub fn join(scopes: &[Scope]) -> String {
    scopes.iter().map(|s| s.name()).collect::<Vec<_>>().join(" ")
}

/// Whether a space-separated granted scope contains `scope` (guard hot path:
/// no allocation).
pub fn grants(granted: &str, scope: Scope) -> bool {
    granted.split(' ').any(|name| name == scope.name())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_parses_back() {
        for scope in Scope::ALL {
            assert_eq!(Scope::parse(scope.name()), Some(scope));
        }
        assert_eq!(Scope::parse("admin:all"), None);
        assert!(Scope::ENFORCED.iter().all(|s| Scope::ALL.contains(s)));
    }

    #[test]
    fn lists_keep_order_and_drop_unknown_names() {
        assert_eq!(parse_list("profile:write invalid profile:read"), vec![ProfileWrite, ProfileRead]);
        assert_eq!(join(&[WorkoutsRead, MediaWrite]), "workouts:read media:write");
        assert_eq!(parse_known("workouts:read profile:read"), Some(vec![WorkoutsRead, ProfileRead]));
        assert_eq!(parse_known("workouts:read admin:all"), None);
        assert!(grants("profile:read workouts:read", WorkoutsRead));
        assert!(!grants("profile:read workouts:readx", WorkoutsRead));
        assert!(!grants("", WorkoutsRead));
    }
}
