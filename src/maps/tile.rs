//! The address of a map tile, as a browser asks for it
//! (`/api/workouts/map_tile/{s}/{z}/{x}/{y}.png`), and the one URL of the
//! configured tile server it may become: numbers within the zoom's grid and
//! a short subdomain label, so that no request can make the server fetch
//! anything else.

/// The deepest zoom any tile server offers.
pub const MAX_ZOOM: u8 = 22;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TileAddress {
    /// A subdomain label (Leaflet's `a`, `b`, `c`); only used where the
    /// pattern has `{s}`.
    pub s: String,
    pub z: u8,
    pub x: u32,
    pub y: u32,
}

impl TileAddress {
    /// The address of the path's parts, or `None` when it names no tile.
    pub fn parse(s: &str, z: &str, x: &str, y_png: &str) -> Option<TileAddress> {
        let y = y_png.strip_suffix(".png")?;
        let label_ok = (1..=3).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
        let z: u8 = number(z).filter(|&z| z <= u32::from(MAX_ZOOM))?.try_into().ok()?;
        let (x, y) = (number(x)?, number(y)?);
        let grid = 1u32 << z;
        (label_ok && x < grid && y < grid).then(|| TileAddress { s: s.to_string(), z, x, y })
    }

    /// The tile's URL on the server of `pattern`.
    pub fn url(&self, pattern: &str) -> String {
        pattern
            .replace("{s}", &self.s)
            .replace("{z}", &self.z.to_string())
            .replace("{x}", &self.x.to_string())
            .replace("{y}", &self.y.to_string())
    }

    /// Where the tile is kept: the same tile from any subdomain is one,
    /// and another tile server's tiles are others.
    pub fn cache_key(&self, pattern: &str) -> String {
        format!("{}/{}/{} {pattern}", self.z, self.x, self.y)
    }
}

/// Plain decimal digits only (no sign, no spaces), at most 7 of them.
fn number(text: &str) -> Option<u32> {
    let plain = (1..=7).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit());
    plain.then(|| text.parse().ok()).flatten()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const OSM: &str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";

    #[test]
    fn a_tile_of_the_grid_becomes_the_servers_url() {
        let tile = TileAddress::parse("a", "3", "4", "5.png").unwrap();
        assert_eq!(tile.url(OSM), "https://tile.openstreetmap.org/3/4/5.png");
        assert_eq!(tile.url("https://{s}.tile.example.org/{z}/{x}/{y}.png"), "https://a.tile.example.org/3/4/5.png");
        let other = TileAddress { s: "b".into(), ..tile.clone() };
        assert_eq!(tile.cache_key(OSM), other.cache_key(OSM), "subdomains serve the same tile");
        assert_ne!(tile.cache_key(OSM), tile.cache_key("https://other.example/{z}/{x}/{y}.png"));
    }

    #[test]
    fn anything_else_is_no_tile() {
        for (s, z, x, y) in [
            ("a", "3", "8", "0.png"),
            ("a", "3", "0", "8.png"),
            ("a", "23", "0", "0.png"),
            ("a", "-1", "0", "0.png"),
            ("a", "+3", "0", "0.png"),
            ("a", "3", "0", "0"),
            ("a", "3", "0", "0.jpg"),
            ("a", "3", " 1", "0.png"),
            ("A", "3", "0", "0.png"),
            ("abcd", "3", "0", "0.png"),
            ("", "3", "0", "0.png"),
            ("a.b", "3", "0", "0.png"),
            ("evil.example", "3", "0", "0.png"),
            ("a", "3", "0x1", "0.png"),
            ("a", "99999999999", "0", "0.png"),
        ] {
            assert_eq!(TileAddress::parse(s, z, x, y), None, "{s}/{z}/{x}/{y}");
        }
        assert!(TileAddress::parse("a", "22", "4194303", "4194303.png").is_some());
    }

    proptest! {
        /// Whatever a client sends, the URL stays on the configured server:
        /// its scheme, host and path shape, with digits where the numbers go.
        #[test]
        fn no_address_leaves_the_tile_server(s in "\\PC{0,6}", z in "\\PC{0,4}", x in "\\PC{0,9}", y in "\\PC{0,12}") {
            let pattern = "https://{s}.tile.example.org/{z}/{x}/{y}.png";
            if let Some(tile) = TileAddress::parse(&s, &z, &x, &y) {
                let url = tile.url(pattern);
                let rest = url.strip_prefix("https://").unwrap();
                let (host, path) = rest.split_once('/').unwrap();
                prop_assert_eq!(host, format!("{}.tile.example.org", tile.s));
                prop_assert!(tile.s.bytes().all(|b| b.is_ascii_alphanumeric()));
                let parts: Vec<&str> = path.trim_end_matches(".png").split('/').collect();
                prop_assert_eq!(parts.len(), 3);
                prop_assert!(parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit())));
            }
        }
    }
}
