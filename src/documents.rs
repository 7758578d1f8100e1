//! Serialized answers kept until the next write.
//!
//! Some documents are read far more often than anything changes (the own
//! profile that apps poll: user, totals, records, sport preferences), and
//! building them costs several queries and a JSON tree. A kept copy serves
//! until this process commits any write (`Store::generation`), and for one
//! second at most, so that a change made by the command line (another
//! process) shows within a second.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const MAX_AGE: Duration = Duration::from_secs(1);
/// Beyond this many keys everything is dropped (a home server has few users).
const MAX_ENTRIES: usize = 256;

struct Entry {
    generation: u64,
    built: Instant,
    body: Arc<str>,
}

#[derive(Default)]
pub struct Documents {
    entries: Mutex<HashMap<i64, Entry>>,
}

impl Documents {
    /// The document for `key`, built by `build` unless a copy built at this
    /// `generation`, less than a second ago, is kept. `generation` must be
    /// read before `build` reads the database.
    pub fn get_or_build<E>(
        &self,
        key: i64,
        generation: u64,
        build: impl FnOnce() -> Result<String, E>,
    ) -> Result<Arc<str>, E> {
        if let Some(body) = self.fresh(key, generation) {
            return Ok(body);
        }
        let body: Arc<str> = build()?.into();
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert(key, Entry { generation, built: Instant::now(), body: Arc::clone(&body) });
        Ok(body)
    }

    fn fresh(&self, key: i64, generation: u64) -> Option<Arc<str>> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        let entry = entries.get(&key)?;
        (entry.generation == generation && entry.built.elapsed() < MAX_AGE).then(|| Arc::clone(&entry.body))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[test]
    fn a_copy_serves_until_the_generation_changes_or_it_ages() {
        let documents = Documents::default();
        let builds = Cell::new(0);
        let build = || -> Result<String, ()> {
            builds.set(builds.get() + 1);
            Ok(format!("doc {}", builds.get()))
        };
        assert_eq!(&*documents.get_or_build(1, 7, build).unwrap(), "doc 1");
        assert_eq!(&*documents.get_or_build(1, 7, build).unwrap(), "doc 1", "kept");
        assert_eq!(&*documents.get_or_build(2, 7, build).unwrap(), "doc 2", "per key");
        assert_eq!(&*documents.get_or_build(1, 8, build).unwrap(), "doc 3", "a write happened");
        documents.entries.lock().unwrap().get_mut(&1).unwrap().built -= MAX_AGE;
        assert_eq!(&*documents.get_or_build(1, 8, build).unwrap(), "doc 4", "too old");
    }

    #[test]
    fn a_failed_build_keeps_nothing() {
        let documents = Documents::default();
        assert!(documents.get_or_build(1, 0, || Err::<String, _>("no")).is_err());
        assert!(documents.entries.lock().unwrap().is_empty());
    }
}
