//! Who may see a workout, its analysis and its map, a user's heart rate or
//! calories, a piece of equipment. Ordered from the narrowest, so that "the
//! map is never shown wider than the analysis" is a comparison.

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Visibility {
    Private,
    /// There are no followers here: it behaves as `Private` (API.md Part 1).
    FollowersOnly,
    Public,
}

impl Visibility {
    pub const ALL: [Visibility; 3] = [Visibility::Private, Visibility::FollowersOnly, Visibility::Public];

    /// FitTrackee's name, on the wire and in the database.
    pub fn name(self) -> &'static str {
        match self {
            Visibility::Private => "private",
            Visibility::FollowersOnly => "followers_only",
            Visibility::Public => "public",
        }
    }

    pub fn parse(name: &str) -> Option<Visibility> {
        Visibility::ALL.into_iter().find(|v| v.name() == name)
    }

    /// Whether someone other than the owner sees what has this visibility.
    pub fn is_public(self) -> bool {
        self == Visibility::Public
    }

    /// This visibility, never wider than `limit`.
    pub fn within(self, limit: Visibility) -> Visibility {
        self.min(limit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_order_runs_from_the_narrowest() {
        for v in Visibility::ALL {
            assert_eq!(Visibility::parse(v.name()), Some(v));
        }
        assert_eq!(Visibility::parse("everyone"), None);
        assert!(Visibility::Private < Visibility::FollowersOnly && Visibility::FollowersOnly < Visibility::Public);
        assert_eq!(Visibility::Public.within(Visibility::Private), Visibility::Private);
        assert_eq!(Visibility::FollowersOnly.within(Visibility::Public), Visibility::FollowersOnly);
    }
}
