//! The HTTP side: reading requests (bodies with limits, forms, multipart,
//! where a request comes from), the request context, the route table and
//! its guard, the dispatcher, and error envelopes. Handlers live in `api/`
//! (JSON) and `web/` (pages); they get a [`Ctx`] and answer or refuse with
//! an [`HttpError`].

pub mod access;
mod context;
mod dispatch;
mod error;
pub mod guard;
pub mod headers;
mod input;
pub mod multipart;
pub mod routes;
pub mod serve;
pub mod stop;
mod tls;

pub use crate::slots::{Slot, Slots};
pub use context::{CSRF_FIELD, Caller, Ctx, Handler, NO_AUTH, SESSION_COOKIE, Via};
pub use dispatch::handle;
pub use error::{HttpError, json};
pub use input::{
    Form, Part, READ_AHEAD_LIMIT, Repeated, Streaming, client_ip, cookie, declared_length, is_api_path, is_multipart,
    parse_form, parse_json, public_url, query, read_body, request_is_https,
};
