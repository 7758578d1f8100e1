//! Maps: the tile proxy (browsers get tiles from this server, which fetches
//! them from the one configured tile server and keeps them) and the
//! workouts' map thumbnails drawn over those tiles.
//!
//! A slow or dead tile server costs little: at most `tile_fetches` workers
//! wait on it at once, twice as many more wait their turn (a map in a
//! browser asks six tiles at once) while fetches keep finishing, never
//! `FETCH_PATIENCE` without one finishing, the rest
//! answer from the cache or refuse at once; every fetch is bounded in time
//! and size, and kept tiles are served, however old, when the tile server
//! cannot be reached.

mod fetch;
pub mod model;
pub mod thumbnail;
pub mod tile;

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::config::MapsConfig;
use crate::slots::Slots;
use crate::store::{self, Db, maps as kept, points, workouts};
use crate::workouts::analysis::ChartPoint;
use fetch::{FetchError, Fetcher};
use model::{Thumbnail, Tile};
use thumbnail::{PlacedTile, View};
use tile::TileAddress;

/// The longest a thumbnail waits for its tiles before it is drawn without
/// the missing ones (and not kept, so that the next request tries again).
/// How long a tile request waits without any fetch finishing: a healthy
/// tile server finishes one in a fraction of this, a slow one is not waited
/// for.
const FETCH_PATIENCE: Duration = Duration::from_millis(1500);
const THUMBNAIL_DEADLINE: Duration = Duration::from_secs(15);

#[derive(Debug)]
pub enum MapError {
    /// `tile_server_url = ""`.
    TilesOff,
    /// The tile server has no such tile.
    NoSuchTile,
    /// Every fetch slot is taken and the tile is not kept.
    Busy,
    /// The tile server failed and the tile is not kept.
    Unreachable,
    /// No workout has this map id (or it has no route).
    NoSuchMap,
    Store(store::Error),
}

impl std::fmt::Display for MapError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            MapError::TilesOff => "map tiles are turned off on this server",
            MapError::NoSuchTile => "the tile server has no such tile",
            MapError::Busy => "the tile server is busy, please try again",
            MapError::Unreachable => "the tile server cannot be reached",
            MapError::NoSuchMap => "Map does not exist.",
            MapError::Store(e) => return e.fmt(f),
        })
    }
}

impl From<store::Error> for MapError {
    fn from(e: store::Error) -> Self {
        MapError::Store(e)
    }
}

pub struct Maps {
    pattern: Option<String>,
    cache_size: u64,
    lifetime: i64,
    fetcher: Fetcher,
    fetches: Slots,
    /// Tile requests that may wait for a fetch slot at once.
    most_waiting: usize,
    /// Whether the last fetch worked: a failure is logged once, not per tile.
    reachable: AtomicBool,
}

impl Maps {
    pub fn new(config: &MapsConfig, user_agent: &str) -> Maps {
        Maps {
            pattern: config.tile_server_url.clone(),
            cache_size: config.tile_cache_size,
            lifetime: config.tile_cache_lifetime,
            fetcher: Fetcher::new(user_agent),
            fetches: Slots::new(config.tile_fetches),
            most_waiting: 2 * config.tile_fetches,
            reachable: AtomicBool::new(true),
        }
    }

    pub fn tiles_on(&self) -> bool {
        self.pattern.is_some()
    }

    /// A tile: kept and fresh, else fetched (and kept), else kept however
    /// old when the tile server cannot give it.
    pub fn tile(&self, db: &mut Db<'_>, address: &TileAddress, now: i64) -> Result<Tile, MapError> {
        let pattern = self.pattern.as_deref().ok_or(MapError::TilesOff)?;
        let key = address.cache_key(pattern);
        let old = kept::tile(db, &key)?;
        if let Some(tile) = old.as_ref().filter(|t| now - t.fetched_at < self.lifetime) {
            return Ok(tile.clone());
        }
        let turn = self.fetches.take_waiting(self.most_waiting, FETCH_PATIENCE);
        let Some(_slot) = turn else { return old.ok_or(MapError::Busy) };
        match self.fetcher.fetch(&address.url(pattern), now) {
            Ok(tile) => {
                self.reachable.store(true, Ordering::Relaxed);
                self.keep(db, &key, &tile);
                Ok(tile)
            }
            Err(FetchError::NoSuchTile(_)) => Err(MapError::NoSuchTile),
            Err(FetchError::Unreachable(why)) => {
                if self.reachable.swap(false, Ordering::Relaxed) {
                    crate::log::error("map tiles", &format!("the tile server cannot be reached: {why}"));
                }
                old.ok_or(MapError::Unreachable)
            }
        }
    }

    /// Keeping is a favour: a full disk still lets the tile through.
    fn keep(&self, db: &mut Db<'_>, key: &str, tile: &Tile) {
        if self.cache_size == 0 {
            return;
        }
        if let Err(e) = db.write(|tx| kept::keep_tile(tx, key, tile, self.cache_size))
            && !store::is_storage_full(&e)
        {
            crate::log::error("map tiles", &format!("a tile could not be kept: {e}"));
        }
    }

    /// The SVG thumbnail of the workout with this map id: kept, else drawn
    /// (over tiles when they are on) and kept once it is complete.
    pub fn thumbnail(&self, db: &mut Db<'_>, map_id: &str, now: i64) -> Result<Vec<u8>, MapError> {
        let workout = workouts::by_map_id(db, map_id)?.ok_or(MapError::NoSuchMap)?;
        if let Some(done) = kept::thumbnail(db, workout.id)?.filter(|t| t.with_tiles == self.tiles_on()) {
            return Ok(done.svg);
        }
        let lines = route_lines(&points::load(db, workout.id)?.unwrap_or_default());
        let view = View::fit(&lines).ok_or(MapError::NoSuchMap)?;
        let (tiles, complete) = self.tiles_of(db, &view, now);
        let svg = thumbnail::render(&view, &lines, &tiles).into_bytes();
        if complete {
            let done = Thumbnail { svg, with_tiles: self.tiles_on() };
            // Not kept on a full disk: it is drawn again next time.
            let _ = db.write(|tx| kept::keep_thumbnail(tx, workout.id, &done, now));
            return Ok(done.svg);
        }
        Ok(svg)
    }

    /// The view's tiles that came in time, and whether all did.
    fn tiles_of(&self, db: &mut Db<'_>, view: &View, now: i64) -> (Vec<(PlacedTile, Tile)>, bool) {
        if !self.tiles_on() {
            return (Vec::new(), true);
        }
        let started = Instant::now();
        let mut got = Vec::new();
        let mut complete = true;
        for placed in view.tiles() {
            if started.elapsed() > THUMBNAIL_DEADLINE {
                complete = false;
                break;
            }
            match self.tile(db, &placed.address, now) {
                Ok(tile) => got.push((placed, tile)),
                // The sea beyond a coast may have no tile: nothing to wait for.
                Err(MapError::NoSuchTile) => {}
                Err(_) => complete = false,
            }
        }
        (got, complete)
    }
}

/// The route as `[lon, lat]` lines, one per segment by index (a segment
/// without positions gives an empty line).
pub fn route_lines(points: &[ChartPoint]) -> Vec<Vec<[f64; 2]>> {
    let mut lines: Vec<Vec<[f64; 2]>> = Vec::new();
    for p in points {
        if lines.len() <= p.segment {
            lines.resize_with(p.segment + 1, Vec::new);
        }
        if p.latitude.is_finite() && p.longitude.is_finite() {
            lines[p.segment].push([p.longitude, p.latitude]);
        }
    }
    lines
}
