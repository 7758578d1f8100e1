//! HTTP plumbing shared by every handler: error envelopes, bounded body
//! reading, form and multipart decoding, and what a request says about where
//! it came from (scheme, public URL, cookies).

mod error;
pub mod headers;
mod input;
pub mod multipart;
mod slots;

pub use error::{HttpError, json, readable_size};
pub use input::{
    Form, Part, READ_AHEAD_LIMIT, Repeated, Streaming, client_ip, cookie, declared_length, is_api_path, is_multipart,
    parse_form, parse_json, public_url, query, read_body, request_is_https,
};
pub use slots::{Slot, Slots};
