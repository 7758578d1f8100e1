//! Password hashing: argon2id, at most two hashes at a time.
//!
//! Parameters (OWASP's m=9 MiB, t=4, p=1 row): on a Raspberry Pi memory is
//! scarcer than CPU, so we take the low-memory row of OWASP's equivalent
//! settings. One hash takes about 9 MiB for well under a second on a Pi 4;
//! with two at a time, parallel logins can never hold more than ~18 MiB.
//! Verification reads the parameters from the stored PHC string, so hashes
//! made with other parameters keep working.

use std::sync::{Condvar, Mutex, OnceLock};

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};
use argon2::{Algorithm, Argon2, Params, Version};

pub const MEMORY_KIB: u32 = 9 * 1024;
pub const ITERATIONS: u32 = 4;
pub const PARALLELISM: u32 = 1;
const MAX_CONCURRENT_HASHES: usize = 2;

fn argon2() -> Argon2<'static> {
    let params = Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Bounds how many argon2 computations run at once.
pub struct Hasher {
    running: Mutex<usize>,
    freed: Condvar,
}

impl Default for Hasher {
    fn default() -> Self {
        Hasher { running: Mutex::new(0), freed: Condvar::new() }
    }
}

impl Hasher {
    pub fn hash(&self, password: &str) -> String {
        self.with_slot(|| {
            argon2()
                .hash_password(password.as_bytes())
                .expect("argon2 hashing with valid parameters and a generated salt")
                .to_string()
        })
    }

    /// False for a wrong password and for a malformed stored hash.
    pub fn verify(&self, password: &str, stored: &str) -> bool {
        let Ok(parsed) = PasswordHash::new(stored) else {
            return false;
        };
        self.with_slot(|| argon2().verify_password(password.as_bytes(), &parsed).is_ok())
    }

    /// Spends the same time as a real verification, for unknown accounts, so
    /// that response time does not reveal which emails exist.
    pub fn verify_nothing(&self, password: &str) {
        static DUMMY: OnceLock<String> = OnceLock::new();
        let dummy = DUMMY.get_or_init(|| self.hash("a password nobody has"));
        self.verify(password, dummy);
    }

    fn with_slot<T>(&self, work: impl FnOnce() -> T) -> T {
        let mut running = self.running.lock().unwrap_or_else(|p| p.into_inner());
        while *running >= MAX_CONCURRENT_HASHES {
            running = self.freed.wait(running).unwrap_or_else(|p| p.into_inner());
        }
        *running += 1;
        drop(running);
        let _release = Release(self);
        work()
    }
}

/// Gives the slot back even if the work panics.
struct Release<'a>(&'a Hasher);

impl Drop for Release<'_> {
    fn drop(&mut self) {
        let mut running = self.0.running.lock().unwrap_or_else(|p| p.into_inner());
        *running -= 1;
        self.0.freed.notify_one();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn hashes_verify_and_record_their_parameters() {
        let hasher = Hasher::default();
        let stored = hasher.hash("correct horse");
        assert!(stored.starts_with("$argon2id$v=19$m=9216,t=4,p=1$"), "{stored}");
        assert!(hasher.verify("correct horse", &stored));
        assert!(!hasher.verify("wrong horse", &stored));
        assert!(!hasher.verify("correct horse", "not a phc string"));
    }

    #[test]
    fn never_more_than_two_hashes_at_once() {
        let hasher = Arc::new(Hasher::default());
        let (now, peak) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let threads: Vec<_> = (0..6)
            .map(|_| {
                let (hasher, now, peak) = (hasher.clone(), now.clone(), peak.clone());
                std::thread::spawn(move || {
                    hasher.with_slot(|| {
                        let inside = now.fetch_add(1, Ordering::SeqCst) + 1;
                        peak.fetch_max(inside, Ordering::SeqCst);
                        std::thread::sleep(std::time::Duration::from_millis(20));
                        now.fetch_sub(1, Ordering::SeqCst);
                    })
                })
            })
            .collect();
        threads.into_iter().for_each(|t| t.join().unwrap());
        assert_eq!(peak.load(Ordering::SeqCst), MAX_CONCURRENT_HASHES);
    }
}
