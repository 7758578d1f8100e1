//! A self-hosted, FitTrackee-compatible server: an OAuth 2.0 authorization
//! server and the scope-guarded REST API it protects, in one binary that
//! keeps all its state in one SQLite file.

pub mod accounts;
pub mod api;
pub mod app;
pub mod application;
pub mod backup;
pub mod clock;
pub mod config;
pub mod crypto;
pub mod dates;
pub mod documents;
pub mod equipments;
pub mod exports;
pub mod files;
pub mod http;
pub mod import;
pub mod log;
pub mod maps;
pub mod memory;
pub mod numbers;
pub mod oauth;
pub mod shortid;
pub mod slots;
pub mod sports;
pub mod store;
pub mod throttle;
pub mod visibility;
pub mod web;
pub mod workouts;
pub mod xml;
