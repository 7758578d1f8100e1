//! The application's state, shared by every request and the command line:
//! configuration, the store, the password hasher, the server's keys, the
//! throttle, kept documents and the upload slots.

use std::sync::{Condvar, Mutex};
use std::time::Duration;

use crate::accounts::passwords::Hasher;
use crate::config::Config;
use crate::documents::Documents;
use crate::http::Slots;
use crate::maps::Maps;
use crate::store::{self, Store};
use crate::throttle::Throttle;

pub struct App {
    pub config: Config,
    pub store: Store,
    pub hasher: Hasher,
    pub keys: Keys,
    pub throttle: Throttle,
    /// Own-profile documents, by user id.
    pub profiles: Documents,
    /// Workers that may be streaming a large body at once (see `Ctx::body`).
    pub uploads: Slots,
    /// Wakes the worker of upload tasks.
    pub tasks: TaskSignal,
    /// The tile proxy and the map thumbnails.
    pub maps: Maps,
}

/// Keys generated on first start and kept in the database.
pub struct Keys {
    pub jwt: [u8; 32],
    pub csrf: [u8; 32],
    /// Signs device cookies (`accounts::devices`).
    pub device: [u8; 32],
}

impl App {
    pub fn open(config: Config) -> Result<App, store::OpenError> {
        let store = Store::open(&config.database, config.max_database_size)?;
        let keys = {
            let mut db = store.conn()?;
            crate::workouts::store_missing_points(&mut db)?;
            db.write(|tx| {
                Ok::<_, store::Error>(Keys {
                    jwt: store::settings::key(tx, "jwt_key")?,
                    csrf: store::settings::key(tx, "csrf_key")?,
                    device: store::settings::key(tx, "device_key")?,
                })
            })?
        };
        Ok(App {
            store,
            hasher: Hasher::default(),
            keys,
            throttle: Throttle::default(),
            profiles: Documents::default(),
            uploads: Slots::new(config.workers / 2),
            tasks: TaskSignal::default(),
            maps: Maps::new(&config.maps, &user_agent(&config)),
            config,
        })
    }
}

/// How this server names itself to the tile server (the OSM tile policy
/// asks for an application name and a way to reach its operator).
fn user_agent(config: &Config) -> String {
    let contact = config.public_url.as_deref().unwrap_or("self-hosted");
    format!("fittrackee-rs/{} (FitTrackee-compatible server; +{contact})", env!("CARGO_PKG_VERSION"))
}

/// Tells the worker of upload tasks that one was queued.
#[derive(Default)]
pub struct TaskSignal {
    queued: Mutex<bool>,
    ready: Condvar,
}

impl TaskSignal {
    pub fn wake(&self) {
        *self.queued.lock().unwrap_or_else(|p| p.into_inner()) = true;
        self.ready.notify_one();
    }

    /// Waits for a wake-up, at most `timeout`.
    pub fn wait(&self, timeout: Duration) {
        let queued = self.queued.lock().unwrap_or_else(|p| p.into_inner());
        let (mut queued, _) =
            self.ready.wait_timeout_while(queued, timeout, |queued| !*queued).unwrap_or_else(|p| p.into_inner());
        *queued = false;
    }
}
