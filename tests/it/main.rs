//! Integration tests: one binary (fast to link), one module per family.
//! Every test starts the real server on an ephemeral port with a fresh
//! database file and speaks HTTP to it.

mod support;

mod accounts;
mod architecture;
mod backup;
mod cli;
mod config;
mod coverage;
mod deletion;
mod docs;
mod errors;
mod export;
mod fittrackee_client;
mod guard;
mod import;
mod load;
mod oauth;
mod openapi;
mod pages;
mod pages_browser;
mod pictures;
mod profile;
mod schemas;
mod security;
mod shutdown;
mod sports;
mod throttle;
mod tls;
mod users;
mod web_client;
mod web_pages;
mod workouts;
