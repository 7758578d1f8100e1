//! The application's state, shared by every request and the command line:
//! configuration, the store, the password hasher, the server's keys, the
//! throttle, kept documents and the upload slots.

use crate::accounts::passwords::Hasher;
use crate::config::Config;
use crate::documents::Documents;
use crate::http::Slots;
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
            config,
        })
    }
}
