//! Map tiles kept from the tile server (a cache with a size cap) and the
//! workouts' map thumbnails.

use rusqlite::{Connection, OptionalExtension, params};

use super::Error;
use crate::maps::model::{Thumbnail, Tile};

pub fn tile(conn: &Connection, key: &str) -> Result<Option<Tile>, Error> {
    conn.prepare_cached("SELECT content_type, data, fetched_at FROM map_tiles WHERE key = ?1")?
        .query_row([key], |row| Ok(columns!(row => Tile { content_type, data, fetched_at })))
        .optional()
}

/// Keeps a tile, then drops the oldest ones beyond `cap` bytes in all
/// (a tile kept again is a new row: the newest).
pub fn keep_tile(conn: &Connection, key: &str, tile: &Tile, cap: u64) -> Result<(), Error> {
    conn.prepare_cached(
        "INSERT OR REPLACE INTO map_tiles (key, content_type, data, fetched_at) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![key, tile.content_type, tile.data, tile.fetched_at])?;
    conn.prepare_cached(
        "DELETE FROM map_tiles WHERE key IN (SELECT key FROM (SELECT key, \
         sum(length(data)) OVER (ORDER BY fetched_at DESC, rowid DESC) AS kept FROM map_tiles) WHERE kept > ?1)",
    )?
    .execute([i64::try_from(cap).unwrap_or(i64::MAX)])?;
    Ok(())
}

/// Bytes of tiles kept.
pub fn tiles_size(conn: &Connection) -> Result<i64, Error> {
    conn.prepare_cached("SELECT coalesce(sum(length(data)), 0) FROM map_tiles")?.query_row([], |r| r.get(0))
}

pub fn thumbnail(conn: &Connection, workout_id: i64) -> Result<Option<Thumbnail>, Error> {
    conn.prepare_cached("SELECT svg, with_tiles FROM map_images WHERE workout_id = ?1")?
        .query_row([workout_id], |row| Ok(columns!(row => Thumbnail { svg, with_tiles })))
        .optional()
}

pub fn keep_thumbnail(conn: &Connection, workout_id: i64, thumbnail: &Thumbnail, now: i64) -> Result<(), Error> {
    conn.prepare_cached(
        "INSERT OR REPLACE INTO map_images (workout_id, svg, with_tiles, rendered_at) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![workout_id, thumbnail.svg, thumbnail.with_tiles, now])?;
    Ok(())
}

/// Forgets the thumbnail of a workout whose points changed (a deleted
/// workout's goes with it).
pub fn forget_thumbnail(conn: &Connection, workout_id: i64) -> Result<(), Error> {
    conn.prepare_cached("DELETE FROM map_images WHERE workout_id = ?1")?.execute([workout_id])?;
    Ok(())
}
