//! Fetching one tile from the tile server: bounded in time and size, no
//! redirects (the tile server's answer or nothing), and a `User-Agent`
//! naming this server, as the OSM tile usage policy requires.

use std::time::Duration;

use super::model::Tile;

/// A tile is a few tens of kilobytes; anything much bigger is not a tile.
const MAX_TILE_BYTES: u64 = 1 << 20;
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// The whole exchange, connection included.
const FETCH_TIMEOUT: Duration = Duration::from_secs(10);

/// Why a tile did not come.
#[derive(Debug, Clone, PartialEq)]
pub enum FetchError {
    /// The tile server has no such tile (4xx).
    NoSuchTile(u16),
    /// The tile server could not be reached, failed (5xx), was too slow, or
    /// sent something that is not an image.
    Unreachable(String),
}

pub struct Fetcher {
    agent: ureq::Agent,
}

impl Fetcher {
    pub fn new(user_agent: &str) -> Fetcher {
        let config = ureq::Agent::config_builder()
            .timeout_connect(Some(CONNECT_TIMEOUT))
            .timeout_global(Some(FETCH_TIMEOUT))
            .max_redirects(0)
            .http_status_as_error(false)
            .user_agent(user_agent)
            .build();
        Fetcher { agent: config.into() }
    }

    pub fn fetch(&self, url: &str, now: i64) -> Result<Tile, FetchError> {
        let unreachable = |e: ureq::Error| FetchError::Unreachable(e.to_string());
        let mut response = self.agent.get(url).header("Accept", "image/png,image/*").call().map_err(unreachable)?;
        let status = response.status().as_u16();
        if (400..500).contains(&status) {
            return Err(FetchError::NoSuchTile(status));
        }
        if status != 200 {
            return Err(FetchError::Unreachable(format!("the tile server answered {status}")));
        }
        let content_type = response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("");
        let content_type = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        if !matches!(content_type.as_str(), "image/png" | "image/jpeg" | "image/webp") {
            return Err(FetchError::Unreachable(format!("the tile server sent {content_type:?}, not an image")));
        }
        let data = response.body_mut().with_config().limit(MAX_TILE_BYTES).read_to_vec().map_err(unreachable)?;
        Ok(Tile { content_type, data, fetched_at: now })
    }
}
