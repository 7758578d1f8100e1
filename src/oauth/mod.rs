//! The OAuth 2.0 authorization server.

pub mod scopes;
