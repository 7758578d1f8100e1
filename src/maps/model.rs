//! What the store keeps for maps.

/// A map tile as the tile server sent it.
#[derive(Debug, Clone, PartialEq)]
pub struct Tile {
    pub content_type: String,
    pub data: Vec<u8>,
    /// Unix seconds.
    pub fetched_at: i64,
}

/// A workout's map thumbnail.
#[derive(Debug, Clone, PartialEq)]
pub struct Thumbnail {
    pub svg: Vec<u8>,
    /// Drawn over map tiles (else the route alone).
    pub with_tiles: bool,
}
