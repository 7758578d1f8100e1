//! Reading FIT activity files, as FitTrackee reads them: the records (in
//! time order, with the timer events) give the points: semicircle
//! positions, `enhanced_altitude` (else `altitude`), heart rate, cadence
//! and power; laps are not segments, but a timer `stop_all` starts a new
//! segment when the user's preference says so (manual stops only, by
//! default). The file's sport is not read: the upload's `sport_id` decides.
//! The session gives the calories and, for a file without positions (an
//! indoor workout, which FitTrackee refuses), the device's own totals.
//!
//! A file cut short after some records (a watch that lost power) keeps
//! what was read before the break.

use fitparser::de::{FitObject, FitStreamProcessor};
use fitparser::profile::MesgNum;
use fitparser::{FitDataRecord, Value};

use super::{Format, ReadError, SegmentsOn, position};
use crate::workouts::model::Measures;
use crate::workouts::track::{DeviceTotals, Point, Track};

const FIT: Format = Format::Fit;
const NO_GPS: &str = "no valid segments with GPS found in fit file";

/// What the reader keeps of a message, with its time (FIT seconds, or -1
/// for messages without one, which sort first, as in FitTrackee).
enum Message {
    Record(Option<Point>),
    Stop { manual: bool },
}

#[derive(Default)]
struct Decoded {
    timed: Vec<(f64, Message)>,
    session: Option<FitDataRecord>,
    creator: Option<String>,
}

pub fn parse(bytes: &[u8], segments_on: SegmentsOn) -> Result<Track, ReadError> {
    let mut decoded = decode(bytes)?;
    // A stable sort: devices write events and records in separate runs.
    decoded.timed.sort_by(|a, b| a.0.total_cmp(&b.0));
    let segments = segments(decoded.timed, segments_on);
    let session = decoded.session.as_ref();
    let totals = match (segments.is_empty(), session) {
        (true, Some(session)) => Some(session_totals(session).ok_or(ReadError::Missing(NO_GPS))?),
        (true, None) => return Err(ReadError::Missing(NO_GPS)),
        (false, _) => None,
    };
    Ok(Track {
        creator: decoded.creator,
        name: None,
        description: None,
        calories: session.and_then(|s| number(s, "total_calories")).filter(|c| *c > 0.0),
        segments,
        totals,
    })
}

/// The FIT header: 12 or 14 bytes, `.FIT` at offset 8, within the file.
/// Checked here because the decoder's own check panics on some short input.
fn has_header(bytes: &[u8]) -> bool {
    matches!(bytes.first(), Some(12 | 14))
        && bytes.len() >= usize::from(bytes[0])
        && bytes.get(8..12) == Some(b".FIT".as_slice())
}

fn decode(bytes: &[u8]) -> Result<Decoded, ReadError> {
    if !has_header(bytes) {
        return Err(ReadError::Unreadable(FIT));
    }
    // The decoder is third-party parsing of hostile input: should it panic
    // on some file, that file is unreadable, the server goes on.
    std::panic::catch_unwind(|| decode_all(bytes)).unwrap_or(Err(ReadError::Unreadable(FIT)))
}

fn decode_all(mut bytes: &[u8]) -> Result<Decoded, ReadError> {
    let mut processor = FitStreamProcessor::new();
    let mut decoded = Decoded::default();
    while !bytes.is_empty() {
        // Every message is decoded (compressed timestamps depend on those
        // before them); only four kinds are kept.
        let step = processor.deserialize_next(bytes).and_then(|(rest, object)| match object {
            FitObject::DataMessage(message) => processor.decode_message(message).map(|r| (rest, Some(r))),
            FitObject::Crc(_) => {
                processor.reset();
                Ok((rest, None))
            }
            _ => Ok((rest, None)),
        });
        match step {
            Ok((rest, record)) => {
                bytes = rest;
                if let Some(record) = record {
                    keep(&mut decoded, record);
                }
            }
            Err(_) if decoded.timed.is_empty() => return Err(ReadError::Unreadable(FIT)),
            Err(_) => break,
        }
    }
    Ok(decoded)
}

fn keep(decoded: &mut Decoded, record: FitDataRecord) {
    let time = timestamp(&record, "timestamp").unwrap_or(-1.0);
    match record.kind() {
        MesgNum::Record => decoded.timed.push((time, Message::Record(point(&record)))),
        MesgNum::Event
            if text(&record, "event") == Some("timer") && text(&record, "event_type") == Some("stop_all") =>
        {
            let manual = text(&record, "timer_trigger").is_none_or(|t| t == "manual");
            decoded.timed.push((time, Message::Stop { manual }));
        }
        MesgNum::Session if decoded.session.is_none() => decoded.session = Some(record),
        MesgNum::FileId if decoded.creator.is_none() => decoded.creator = creator(&record),
        _ => {}
    }
}

fn segments(timed: Vec<(f64, Message)>, segments_on: SegmentsOn) -> Vec<Vec<Point>> {
    let mut segments = Vec::new();
    let mut current = Vec::new();
    for (_, message) in timed {
        match message {
            Message::Record(Some(point)) => current.push(point),
            Message::Record(None) => {}
            Message::Stop { manual } => {
                let splits = match segments_on {
                    SegmentsOn::AllStops => true,
                    SegmentsOn::ManualStops => manual,
                    SegmentsOn::Never => false,
                };
                if splits && !current.is_empty() {
                    segments.push(std::mem::take(&mut current));
                }
            }
        }
    }
    if !current.is_empty() {
        segments.push(current);
    }
    segments
}

/// A record with a position and a time (FitTrackee skips the others; a
/// zero is no value to it).
fn point(record: &FitDataRecord) -> Option<Point> {
    let semicircles = |name| number(record, name).filter(|v| *v != 0.0).map(|v| v * (180.0 / 2f64.powi(31)));
    let (latitude, longitude) = position(semicircles("position_lat")?, semicircles("position_long")?)?;
    let time = timestamp(record, "timestamp").filter(|t| *t != 0.0)?;
    let elevation = number(record, "enhanced_altitude")
        .or_else(|| number(record, "altitude"))
        .filter(|e| *e != 0.0 && (-12_000.0..=12_000.0).contains(e));
    let reading = |name| number(record, name).filter(|v| *v >= 0.0);
    Some(Point {
        latitude,
        longitude,
        elevation,
        time: Some(time),
        heart_rate: reading("heart_rate"),
        cadence: reading("cadence"),
        power: reading("power"),
    })
}

/// The device's own totals, when it recorded a time: durations to the
/// second, km and km/h.
fn session_totals(session: &FitDataRecord) -> Option<DeviceTotals> {
    let get = |name| number(session, name).filter(|v| *v >= 0.0);
    let kmh = |a, b| get(a).or_else(|| get(b)).map(|speed| speed * 3.6);
    let elapsed = get("total_elapsed_time").filter(|t| *t > 0.0)?;
    let moving = get("total_timer_time").unwrap_or(elapsed).min(elapsed);
    let distance = get("total_distance").unwrap_or(0.0) / 1000.0;
    let ave_speed = kmh("enhanced_avg_speed", "avg_speed").or((moving > 0.0).then(|| distance / moving * 3600.0));
    let measures = Measures {
        duration: elapsed.floor(),
        moving: moving.floor(),
        pauses: (elapsed - moving).floor(),
        distance,
        ascent: get("total_ascent"),
        descent: get("total_descent"),
        ave_speed,
        max_speed: kmh("enhanced_max_speed", "max_speed").or(ave_speed),
        ave_hr: get("avg_heart_rate"),
        max_hr: get("max_heart_rate"),
        ave_cadence: get("avg_cadence").filter(|c| *c > 0.0),
        max_cadence: get("max_cadence").filter(|c| *c > 0.0),
        ave_power: get("avg_power"),
        max_power: get("max_power"),
        ..Measures::default()
    };
    Some(DeviceTotals {
        start: timestamp(session, "start_time").or_else(|| timestamp(session, "timestamp"))?,
        measures,
    })
}

/// The device, as FitTrackee names it: its product name, else its maker and
/// product (Garmin's by model name, as `garmin Edge 530`).
fn creator(file_id: &FitDataRecord) -> Option<String> {
    if let Some(name) = text(file_id, "product_name") {
        return Some(capitalized(name));
    }
    let maker = text(file_id, "manufacturer")?;
    let model = text(file_id, "garmin_product").map(|m| m.split('_').map(capitalized).collect::<Vec<_>>().join(" "));
    let product = model.or_else(|| number(file_id, "product").map(|p| (p as i64).to_string()));
    Some(match product {
        Some(product) => format!("{maker} {product}"),
        None => maker.to_string(),
    })
}

/// Python's `str.capitalize`: the first letter upper case, the rest lower.
fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars.flat_map(char::to_lowercase)).collect())
        .unwrap_or_default()
}

fn value<'r>(record: &'r FitDataRecord, name: &str) -> Option<&'r Value> {
    record.fields().iter().find(|f| f.name() == name).map(|f| f.value())
}

fn number(record: &FitDataRecord, name: &str) -> Option<f64> {
    value(record, name).and_then(scalar)
}

fn scalar(value: &Value) -> Option<f64> {
    let number = match value {
        Value::Byte(v) | Value::Enum(v) | Value::UInt8(v) | Value::UInt8z(v) => f64::from(*v),
        Value::SInt8(v) => f64::from(*v),
        Value::SInt16(v) => f64::from(*v),
        Value::UInt16(v) | Value::UInt16z(v) => f64::from(*v),
        Value::SInt32(v) => f64::from(*v),
        Value::UInt32(v) | Value::UInt32z(v) => f64::from(*v),
        Value::SInt64(v) => *v as f64,
        Value::UInt64(v) | Value::UInt64z(v) => *v as f64,
        Value::Float32(v) => f64::from(*v),
        Value::Float64(v) => *v,
        // Some devices write an altitude as a one-value array (FitTrackee
        // takes the first).
        Value::Array(values) => return values.first().and_then(scalar),
        _ => return None,
    };
    number.is_finite().then_some(number)
}

fn text<'r>(record: &'r FitDataRecord, name: &str) -> Option<&'r str> {
    match value(record, name)? {
        Value::String(text) => Some(text.as_str()),
        _ => None,
    }
}

/// Unix seconds, with milliseconds.
fn timestamp(record: &FitDataRecord, name: &str) -> Option<f64> {
    match value(record, name)? {
        Value::Timestamp(at) => Some(at.timestamp_millis() as f64 / 1000.0),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_not_fit_is_refused_with_fittrackees_message() {
        for bytes in [&b""[..], b"not a fit file at all", &[0x0e, 0x10, 0, 0, 0, 0, 0, 0, b'.', b'F', b'I', b'T', 0, 0]]
        {
            let error = parse(bytes, SegmentsOn::ManualStops).unwrap_err().to_string();
            assert!(error == "error when parsing fit file" || error == NO_GPS, "{bytes:?}: {error}");
        }
    }
}
