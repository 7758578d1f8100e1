//! HTTP plumbing shared by every handler: error envelopes, bounded body
//! reading, form and multipart decoding, and what a request says about where
//! it came from (scheme, public URL, cookies).

mod error;
mod input;
pub mod multipart;

pub use error::{HttpError, json, readable_size};
pub use input::{
    Form, Part, Repeated, client_ip, cookie, is_api_path, is_multipart, public_url, query, read_body, read_form,
    read_json, request_is_https,
};
