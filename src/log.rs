//! The operator's log (standard error): one line per request (written in
//! batches), per storage failure and per security event (written at
//! once), each `level=… event=… key=value…` (or a JSON object with
//! `log_format = "json"`), with the request's id when there is one. Every
//! value is escaped, so a client cannot write control bytes (terminal
//! escapes, fake lines) into it; no line ever holds a token, code, secret
//! or password.

use std::cell::RefCell;
use std::fmt::Write as _;
use std::io::Write as _;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, Once};
use std::time::Duration;

/// Whether lines are JSON objects (`log_format = "json"`).
static JSON: AtomicBool = AtomicBool::new(false);

pub fn use_json(json: bool) {
    JSON.store(json, Ordering::Relaxed);
}

thread_local! {
    /// The id of the request this thread is answering.
    static REQUEST_ID: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Lines written on this thread carry `id` until the next call.
pub fn set_request_id(id: Option<&str>) {
    REQUEST_ID.with(|current| *current.borrow_mut() = id.map(str::to_owned));
}

/// One line: `level`, `event`, the request's id, then `pairs`.
pub fn line(level: &str, event: &str, pairs: &[(&str, &str)]) -> String {
    let id = REQUEST_ID.with(|current| current.borrow().clone());
    let mut all: Vec<(&str, &str)> = vec![("level", level), ("event", event)];
    if let Some(id) = id.as_deref() {
        all.push(("request_id", id));
    }
    all.extend_from_slice(pairs);
    if JSON.load(Ordering::Relaxed) { json_fields(&all) } else { fields(&all) }
}

/// The pairs as a JSON object (strings escaped as JSON escapes them).
fn json_fields(pairs: &[(&str, &str)]) -> String {
    let object: serde_json::Map<String, serde_json::Value> =
        pairs.iter().map(|(k, v)| (k.to_string(), serde_json::Value::String(v.to_string()))).collect();
    serde_json::Value::Object(object).to_string()
}

/// `value` with everything but printable ASCII escaped (`\n`, `\x1b`,
/// `\u{202e}`), and backslashes and quotes doubled up so that the escaped
/// form reads back unambiguously.
pub fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            ' '..='~' => out.push(c),
            c if (c as u32) < 0x100 => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
        }
    }
    out
}

/// `key=value` pairs, values quoted when they are empty or hold spaces or
/// quotes, everything escaped.
pub fn fields(pairs: &[(&str, &str)]) -> String {
    let mut out = String::new();
    for (i, (key, value)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let escaped = escape(value);
        if escaped.is_empty() || escaped.contains([' ', '"', '=']) {
            let _ = write!(out, "{key}=\"{escaped}\"");
        } else {
            let _ = write!(out, "{key}={escaped}");
        }
    }
    out
}

/// Access lines wait here, in order, and go out together: one write per
/// request was a tenth of the cost of a small GET.
static PENDING: Mutex<Vec<u8>> = Mutex::new(Vec::new());

/// Pending lines are written once they fill this much…
const BATCH_BYTES: usize = 8 * 1024;
/// …or after this long, by the flusher thread.
const BATCH_DELAY: Duration = Duration::from_millis(50);

/// A request's line, already escaped: written with others at most
/// [`BATCH_DELAY`] later (the whole batch in one write, so lines of
/// concurrent requests never interleave).
pub fn access(line: &str) {
    static FLUSHER: Once = Once::new();
    FLUSHER.call_once(|| {
        let _ = std::thread::Builder::new().name("log".into()).spawn(|| {
            loop {
                std::thread::sleep(BATCH_DELAY);
                flush();
            }
        });
    });
    let mut pending = PENDING.lock().unwrap_or_else(|p| p.into_inner());
    pending.extend_from_slice(line.as_bytes());
    pending.push(b'\n');
    if pending.len() >= BATCH_BYTES {
        write_out(&mut pending);
    }
}

/// Writes one line at once, after the access lines before it.
pub fn write_line(line: &str) {
    let mut pending = PENDING.lock().unwrap_or_else(|p| p.into_inner());
    pending.extend_from_slice(line.as_bytes());
    pending.push(b'\n');
    write_out(&mut pending);
}

/// Writes the pending lines now.
pub fn flush() {
    write_out(&mut PENDING.lock().unwrap_or_else(|p| p.into_inner()));
}

fn write_out(pending: &mut Vec<u8>) {
    if !pending.is_empty() {
        // A full disk or a closed stderr must not fail requests.
        let _ = std::io::stderr().write_all(pending);
        pending.clear();
    }
}

/// A security event (a refusal an operator may have to explain).
pub fn security(event: &str, pairs: &[(&str, &str)]) {
    write_line(&line("warn", event, pairs));
}

/// What the server is doing, for the operator (start, stop).
pub fn info(what: &str, detail: &str) {
    write_line(&line("info", what, &[("detail", detail)]));
}

/// A failure the operator should know about, with its detail.
pub fn error(what: &str, detail: &str) {
    write_line(&line("error", what, &[("detail", detail)]));
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn control_bytes_and_lookalikes_are_escaped() {
        assert_eq!(escape("GET"), "GET");
        assert_eq!(escape("G\x1b[31mET\r\nX"), "G\\x1b[31mET\\r\\nX");
        assert_eq!(escape("a\\b\"c"), "a\\\\b\\\"c");
        assert_eq!(escape("\u{202e}evil\u{7f}é"), "\\u{202e}evil\\x7f\\xe9");
        assert_eq!(fields(&[("client_id", "a b"), ("n", "1"), ("empty", "")]), "client_id=\"a b\" n=1 empty=\"\"");
    }

    proptest! {
        #[test]
        fn an_escaped_value_is_printable_ascii(value in "\\PC*|[\\x00-\\x1f\\x7f]*") {
            let line = fields(&[("v", &value)]);
            prop_assert!(line.bytes().all(|b| (b' '..=b'~').contains(&b)));
        }
    }
}
