//! OAuth scopes. Nine open this server's data (the core); eight more are
//! accepted at registration and authorization because apps built for newer
//! FitTrackee request them (and abort when the granted set differs). Those
//! guard only the neutral answers of features not built here (no
//! notifications, no followers, no reports: API.md Part 1), so they open
//! nothing; `media:write` guards no route at all.

use std::fmt;

/// One table of the scopes: variant, name, whether it opens data here (a
/// core scope), and what it lets an app do (the consent page's words).
macro_rules! scopes {
    ($($variant:ident $name:literal $core:literal $description:expr,)*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Scope {
            $($variant,)*
        }

        impl Scope {
            /// Every scope, in the table's order (the core ones first).
            pub const ALL: &[Scope] = &[$(Scope::$variant,)*];

            pub fn name(self) -> &'static str {
                match self {
                    $(Scope::$variant => $name,)*
                }
            }

            /// Whether it opens data here (the others open nothing).
            pub const fn is_core(self) -> bool {
                match self {
                    $(Scope::$variant => $core,)*
                }
            }

            pub fn description(self) -> &'static str {
                match self {
                    $(Scope::$variant => $description,)*
                }
            }
        }
    };
}

const UNAVAILABLE: &str = "nothing on this server (feature not available here)";

scopes! {
    ApplicationWrite "application:write" true "change the server configuration (administrators only)",
    EquipmentsRead "equipments:read" true "see your equipment",
    EquipmentsWrite "equipments:write" true "add, change and delete your equipment",
    ProfileRead "profile:read" true "see your profile, preferences and email address",
    ProfileWrite "profile:write" true
        "change your profile and preferences (and, with your password, your email and password)",
    UsersRead "users:read" true "see other users' public profiles",
    UsersWrite "users:write" true "delete your account (and manage users if you are an administrator)",
    WorkoutsRead "workouts:read" true "see your workouts, records, statistics and sports",
    WorkoutsWrite "workouts:write" true "add, change and delete your workouts",
    FollowRead "follow:read" false UNAVAILABLE,
    FollowWrite "follow:write" false UNAVAILABLE,
    GeocodeRead "geocode:read" false UNAVAILABLE,
    MediaWrite "media:write" false UNAVAILABLE,
    NotificationsRead "notifications:read" false UNAVAILABLE,
    NotificationsWrite "notifications:write" false UNAVAILABLE,
    ReportsRead "reports:read" false UNAVAILABLE,
    ReportsWrite "reports:write" false UNAVAILABLE,
}

impl Scope {
    /// The scopes that open data: the first rows of the table.
    pub const CORE: &[Scope] = Scope::ALL.split_at(Scope::core_count()).0;

    const fn core_count() -> usize {
        let mut count = 0;
        while count < Scope::ALL.len() && Scope::ALL[count].is_core() {
            count += 1;
        }
        count
    }

    pub fn parse(name: &str) -> Option<Scope> {
        Scope::ALL.iter().copied().find(|s| s.name() == name)
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
    use super::Scope::*;
    use super::*;

    #[test]
    fn every_name_parses_back() {
        for &scope in Scope::ALL {
            assert_eq!(Scope::parse(scope.name()), Some(scope));
        }
        assert_eq!(Scope::parse("admin:all"), None);
        assert_eq!(Scope::CORE.len(), 9);
        assert!(Scope::ALL.iter().all(|s| s.is_core() == Scope::CORE.contains(s)), "core rows come first");
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
