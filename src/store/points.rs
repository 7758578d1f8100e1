//! The stored points of a workout: one blob per workout, in a fixed-size
//! binary record per point (46 bytes; a GPX point takes about 150), so that
//! reading a 10,000-point chart is one row and one pass.
//!
//! Format `FTP2`: the magic, then per point, little-endian: segment (u16),
//! time (f64, Unix seconds, NaN when absent), duration since the start
//! (f64), latitude and longitude (i32, 10⁻⁷ degrees, `i32::MIN` when
//! absent), distance from the start of the segment (f32, km), speed (f32,
//! km/h), elevation, heart rate, cadence and power (f32, NaN when absent).
//! (`FTP1` counted distances from the workout's start: such blobs are
//! computed again at start, as missing ones are.)

use rusqlite::{Connection, OptionalExtension, params};

use super::Error;
use crate::workouts::analysis::ChartPoint;

const MAGIC: &[u8; 4] = b"FTP2";
/// The `format` column of blobs written with `MAGIC`.
const FORMAT: i64 = 2;
const RECORD: usize = 2 + 8 + 8 + 4 + 4 + 4 + 4 + 4 * 4;
const NO_POSITION: i32 = i32::MIN;

/// Stores a workout's points; its thumbnail, drawn from them, is redrawn.
pub fn save(conn: &Connection, workout_id: i64, points: &[ChartPoint]) -> Result<(), Error> {
    super::maps::forget_thumbnail(conn, workout_id)?;
    conn.prepare_cached("INSERT OR REPLACE INTO workout_points (workout_id, points, format) VALUES (?1, ?2, ?3)")?
        .execute(params![workout_id, encode(points), FORMAT])?;
    Ok(())
}

/// The workout's points; `None` when it has none stored (no file).
pub fn load(conn: &Connection, workout_id: i64) -> Result<Option<Vec<ChartPoint>>, Error> {
    let blob: Option<Vec<u8>> = conn
        .prepare_cached("SELECT points FROM workout_points WHERE workout_id = ?1")?
        .query_row([workout_id], |row| row.get(0))
        .optional()?;
    Ok(blob.map(|b| decode(&b)))
}

/// Workouts that have a file but no stored points in the current format
/// (written before points were stored, or in an earlier format). Read from
/// the index: the `format` column comes after the blob in each row, and
/// reading it from the table would read every blob (the planner prefers the
/// primary key, hence `INDEXED BY`).
pub fn missing(conn: &Connection) -> Result<Vec<i64>, Error> {
    conn.prepare(
        "SELECT f.workout_id FROM workout_files f \
         LEFT JOIN workout_points p INDEXED BY workout_points_format ON p.workout_id = f.workout_id \
         WHERE p.workout_id IS NULL OR p.format != ?1",
    )?
    .query_map([FORMAT], |row| row.get(0))?
    .collect()
}

fn degrees_to_fixed(value: f64) -> i32 {
    if value.is_finite() { (value * 1e7).round() as i32 } else { NO_POSITION }
}

fn optional(value: Option<f64>) -> f32 {
    value.map_or(f32::NAN, |v| v as f32)
}

pub fn encode(points: &[ChartPoint]) -> Vec<u8> {
    let mut out = Vec::with_capacity(MAGIC.len() + points.len() * RECORD);
    out.extend_from_slice(MAGIC);
    for p in points {
        out.extend_from_slice(&(p.segment.min(usize::from(u16::MAX)) as u16).to_le_bytes());
        out.extend_from_slice(&p.time.unwrap_or(f64::NAN).to_le_bytes());
        out.extend_from_slice(&p.duration.to_le_bytes());
        out.extend_from_slice(&degrees_to_fixed(p.latitude).to_le_bytes());
        out.extend_from_slice(&degrees_to_fixed(p.longitude).to_le_bytes());
        for value in [p.distance as f32, p.speed as f32] {
            out.extend_from_slice(&value.to_le_bytes());
        }
        for value in [p.elevation, p.heart_rate, p.cadence, p.power] {
            out.extend_from_slice(&optional(value).to_le_bytes());
        }
    }
    out
}

/// Reads what [`encode`] wrote; anything else (another version, a cut
/// blob) yields the complete records it holds.
pub fn decode(blob: &[u8]) -> Vec<ChartPoint> {
    let Some(records) = blob.strip_prefix(MAGIC) else {
        return Vec::new();
    };
    records.chunks_exact(RECORD).map(record).collect()
}

fn record(bytes: &[u8]) -> ChartPoint {
    let mut at = 0;
    let mut take = |n: usize| {
        let slice = &bytes[at..at + n];
        at += n;
        slice
    };
    let u16_at = |b: &[u8]| u16::from_le_bytes([b[0], b[1]]);
    let f64_at = |b: &[u8]| f64::from_le_bytes(b.try_into().unwrap_or_default());
    let i32_at = |b: &[u8]| i32::from_le_bytes(b.try_into().unwrap_or_default());
    let f32_at = |b: &[u8]| f32::from_le_bytes(b.try_into().unwrap_or_default());
    let present = |v: f32| (!v.is_nan()).then_some(f64::from(v));
    let segment = usize::from(u16_at(take(2)));
    let time = Some(f64_at(take(8))).filter(|t| !t.is_nan());
    let duration = f64_at(take(8));
    let (latitude, longitude) = (i32_at(take(4)), i32_at(take(4)));
    let (distance, speed) = (f32_at(take(4)), f32_at(take(4)));
    let (elevation, heart_rate, cadence, power) =
        (present(f32_at(take(4))), present(f32_at(take(4))), present(f32_at(take(4))), present(f32_at(take(4))));
    let degrees = |fixed: i32| if fixed == NO_POSITION { f64::NAN } else { f64::from(fixed) / 1e7 };
    ChartPoint {
        segment,
        distance: f64::from(distance),
        duration,
        latitude: degrees(latitude),
        longitude: degrees(longitude),
        time,
        elevation,
        speed: f64::from(speed),
        heart_rate,
        cadence,
        power,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(segment: usize, i: f64) -> ChartPoint {
        ChartPoint {
            segment,
            distance: i * 0.01,
            duration: i * 5.0,
            latitude: 45.123_456_7 + i * 1e-5,
            longitude: -6.000_000_1,
            time: (i as i64 % 7 != 3).then_some(1_520_942_400.5 + i * 5.0),
            elevation: (i as i64 % 2 == 0).then_some(998.5),
            speed: 7.25,
            heart_rate: Some(140.0),
            cadence: None,
            power: Some(210.0),
        }
    }

    #[test]
    fn points_round_trip_within_a_centimetre() {
        let points: Vec<ChartPoint> = (0..100).map(|i| point(i / 50, i as f64)).collect();
        let blob = encode(&points);
        assert_eq!(blob.len(), 4 + 100 * RECORD);
        let back = decode(&blob);
        assert_eq!(back.len(), points.len());
        for (a, b) in points.iter().zip(&back) {
            assert_eq!(
                (a.segment, a.time, a.duration, a.elevation, a.heart_rate, a.cadence, a.power),
                (b.segment, b.time, b.duration, b.elevation, b.heart_rate, b.cadence, b.power)
            );
            assert!((a.latitude - b.latitude).abs() < 1e-7 && (a.longitude - b.longitude).abs() < 1e-7);
            assert!((a.distance - b.distance).abs() < 1e-6 && (a.speed - b.speed).abs() < 1e-6);
        }
    }

    #[test]
    fn a_foreign_or_cut_blob_yields_what_it_holds() {
        assert!(decode(b"").is_empty());
        assert!(decode(b"FTP9xxxx").is_empty());
        let blob = encode(&[point(0, 1.0), point(0, 2.0)]);
        assert_eq!(decode(&blob[..blob.len() - 3]).len(), 1);
    }
}
