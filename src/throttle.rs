//! Brute-force throttling of credential checks (password logins, client
//! authentication at the token and revocation endpoints).
//!
//! Only failures count: honest traffic never waits, and a caller over a
//! limit gets FitTrackee's 429 before any password hash is computed.
//! - Every check counts per client address.
//! - A password sign-in also counts per account, except from a device that
//!   signed in to that account before (it shows a device cookie, OWASP's
//!   "device cookies"): such a device counts on its own, so that a guesser
//!   who locks the account out does not lock its owner out.
//! - A client authentication counts per address only: a client secret of
//!   256 random bits cannot be guessed, and a per-client lock would let
//!   anyone who knows a public client id lock the app out.
//!
//! Counters live in memory (a restart forgets them) in maps of bounded size.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limit {
    pub failures: u32,
    /// Seconds.
    pub window: i64,
}

impl Limit {
    /// Flask-Limiter's wording, as FitTrackee shows it: "20 per 1 minute".
    pub fn describe(&self) -> String {
        if self.window % 60 == 0 {
            format!("{} per {} minute", self.failures, self.window / 60)
        } else {
            format!("{} per {} second", self.failures, self.window)
        }
    }
}

/// Failures allowed from one client address (a whole IPv6 /64).
pub const PER_ADDRESS: Limit = Limit { failures: 20, window: 60 };
/// Failures allowed against one account (an email), and from one device
/// that signed in to it before.
pub const PER_ACCOUNT: Limit = Limit { failures: 10, window: 300 };

/// Keys tracked per map; beyond it the oldest window is forgotten first.
const MAX_TRACKED: usize = 4096;

struct Window {
    start: i64,
    failures: u32,
}

struct Failures {
    limit: Limit,
    windows: Mutex<HashMap<String, Window>>,
}

impl Failures {
    fn new(limit: Limit) -> Self {
        Failures { limit, windows: Mutex::new(HashMap::new()) }
    }

    fn check(&self, key: &str, now: i64) -> Result<(), Limited> {
        let windows = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        match windows.get(key) {
            Some(w) if w.failures >= self.limit.failures && now < w.start + self.limit.window => {
                Err(Limited { limit: self.limit, reset_at: w.start + self.limit.window, now })
            }
            _ => Ok(()),
        }
    }

    /// Counts a failure; true when it is the one that reaches the limit.
    fn record(&self, key: &str, now: i64) -> bool {
        let mut windows = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        if !windows.contains_key(key) && windows.len() >= MAX_TRACKED {
            self.make_room(&mut windows, now);
        }
        let window = windows.entry(key.to_string()).or_insert(Window { start: now, failures: 0 });
        if now >= window.start + self.limit.window {
            *window = Window { start: now, failures: 0 };
        }
        window.failures += 1;
        window.failures == self.limit.failures
    }

    fn make_room(&self, windows: &mut HashMap<String, Window>, now: i64) {
        windows.retain(|_, w| now < w.start + self.limit.window);
        if windows.len() >= MAX_TRACKED
            && let Some(oldest) = windows.iter().min_by_key(|(_, w)| w.start).map(|(k, _)| k.clone())
        {
            windows.remove(&oldest);
        }
    }

    fn clear(&self, key: &str) {
        self.windows.lock().unwrap_or_else(|p| p.into_inner()).remove(key);
    }
}

/// A caller over a limit.
#[derive(Debug, PartialEq)]
pub struct Limited {
    pub limit: Limit,
    pub reset_at: i64,
    pub now: i64,
}

pub struct Throttle {
    by_address: Failures,
    by_account: Failures,
    by_device: Failures,
}

impl Default for Throttle {
    fn default() -> Self {
        Throttle {
            by_address: Failures::new(PER_ADDRESS),
            by_account: Failures::new(PER_ACCOUNT),
            by_device: Failures::new(PER_ACCOUNT),
        }
    }
}

/// Whose credentials are being checked.
pub enum Subject<'a> {
    /// A password sign-in. `device` names the device cookie this browser or
    /// client showed, when it is valid for this account.
    Password { email: &'a str, device: Option<&'a str> },
    /// An app authenticating with its client secret.
    Client,
}

impl Throttle {
    /// Starts a credential check, or refuses it when the address, the
    /// account or the device is over its limit.
    pub fn begin(&self, address: IpAddr, subject: Subject<'_>, now: i64) -> Result<Attempt<'_>, Limited> {
        let address = address_key(address);
        self.by_address.check(&address, now)?;
        let counted = match subject {
            Subject::Client => None,
            Subject::Password { device: Some(device), .. } if self.by_device.check(device, now).is_ok() => {
                Some(Counted::Device(device.to_string()))
            }
            Subject::Password { email, .. } => {
                let account = email.trim().to_lowercase();
                self.by_account.check(&account, now)?;
                Some(Counted::Account(account))
            }
        };
        Ok(Attempt { throttle: self, address, counted, now })
    }
}

/// Where a failed password check counts besides the address.
enum Counted {
    Account(String),
    Device(String),
}

/// A credential check in progress: its outcome must be reported.
#[must_use = "report the outcome with failed() or succeeded()"]
pub struct Attempt<'t> {
    throttle: &'t Throttle,
    address: String,
    counted: Option<Counted>,
    now: i64,
}

impl Attempt<'_> {
    pub fn failed(self) {
        let throttle = self.throttle;
        if throttle.by_address.record(&self.address, self.now) {
            engaged("address", &self.address);
        }
        match &self.counted {
            Some(Counted::Account(account)) if throttle.by_account.record(account, self.now) => {
                engaged("account", account);
            }
            Some(Counted::Device(device)) if throttle.by_device.record(device, self.now) => {
                engaged("device", device);
            }
            _ => {}
        }
    }

    /// The owner got in: earlier failures against the account (or of this
    /// device) are forgiven.
    pub fn succeeded(self) {
        match &self.counted {
            Some(Counted::Account(account)) => self.throttle.by_account.clear(account),
            Some(Counted::Device(device)) => self.throttle.by_device.clear(device),
            None => {}
        }
    }
}

fn engaged(kind: &str, key: &str) {
    crate::log::security("throttle_engaged", &[("kind", kind), ("key", key)]);
}

/// IPv6 clients usually hold a whole /64: counting per address would let one
/// of them rotate forever.
fn address_key(address: IpAddr) -> String {
    match address {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: i64 = 1_700_000_000;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn password(email: &str) -> Subject<'_> {
        Subject::Password { email, device: None }
    }

    fn fail(t: &Throttle, address: &str, email: &str, now: i64) -> Result<(), Limited> {
        t.begin(ip(address), password(email), now).map(Attempt::failed)
    }

    #[test]
    fn an_account_is_refused_after_its_failures_until_the_window_ends() {
        let t = Throttle::default();
        for n in 0..PER_ACCOUNT.failures {
            // Each failure from another address: only the account limit applies.
            fail(&t, &format!("192.0.2.{n}"), "Sam@Example.com", T0 + 1).unwrap();
        }
        let refused = t.begin(ip("198.51.100.1"), password("sam@example.com "), T0 + 2).err().unwrap();
        assert_eq!(refused, Limited { limit: PER_ACCOUNT, reset_at: T0 + 1 + 300, now: T0 + 2 });
        // Other accounts are unaffected, and the window ends.
        assert!(t.begin(ip("198.51.100.1"), password("other@example.com"), T0 + 2).is_ok());
        assert!(t.begin(ip("198.51.100.1"), password("sam@example.com"), T0 + 301).is_ok());
    }

    #[test]
    fn an_address_is_refused_after_its_failures_across_accounts() {
        let t = Throttle::default();
        for n in 0..PER_ADDRESS.failures {
            fail(&t, "2001:db8:1:2::7", &format!("user{n}@example.com"), T0).unwrap();
        }
        // The same /64 is the same client; an app's authentication is refused too.
        let refused = t.begin(ip("2001:db8:1:2::99"), Subject::Client, T0 + 10).err().unwrap();
        assert_eq!(refused.limit, PER_ADDRESS);
        assert!(t.begin(ip("2001:db8:1:3::7"), Subject::Client, T0 + 10).is_ok());
        assert!(t.begin(ip("2001:db8:1:2::7"), Subject::Client, T0 + 60).is_ok());
    }

    #[test]
    fn client_authentication_failures_count_per_address_only() {
        let t = Throttle::default();
        for n in 0..100 {
            t.begin(ip(&format!("192.0.2.{n}")), Subject::Client, T0).unwrap().failed();
        }
        assert!(t.begin(ip("198.51.100.1"), Subject::Client, T0).is_ok(), "another address is never refused");
    }

    #[test]
    fn a_device_that_signed_in_before_is_not_locked_out_with_the_account() {
        let t = Throttle::default();
        for n in 0..PER_ACCOUNT.failures {
            fail(&t, &format!("192.0.2.{n}"), "sam@example.com", T0).unwrap();
        }
        assert!(t.begin(ip("198.51.100.1"), password("sam@example.com"), T0).is_err(), "the account is locked");
        let device = Subject::Password { email: "sam@example.com", device: Some("D1") };
        t.begin(ip("198.51.100.1"), device, T0).expect("the owner's device still gets in").succeeded();
        // A stolen device cookie guessing on its own is stopped by its own limit.
        for _ in 0..PER_ACCOUNT.failures {
            let device = Subject::Password { email: "sam@example.com", device: Some("D2") };
            t.begin(ip("203.0.113.9"), device, T0).unwrap().failed();
        }
        let device = Subject::Password { email: "sam@example.com", device: Some("D2") };
        assert!(t.begin(ip("203.0.113.9"), device, T0).is_err(), "over its own limit it counts as untrusted");
        let device = Subject::Password { email: "sam@example.com", device: Some("D1") };
        assert!(t.begin(ip("198.51.100.1"), device, T0).is_ok(), "other devices are unaffected");
    }

    #[test]
    fn success_forgives_the_account_and_unreported_attempts_count_nothing() {
        let t = Throttle::default();
        for _ in 0..PER_ACCOUNT.failures - 1 {
            fail(&t, "192.0.2.1", "sam@example.com", T0).unwrap();
        }
        t.begin(ip("192.0.2.1"), password("sam@example.com"), T0).unwrap().succeeded();
        fail(&t, "192.0.2.1", "sam@example.com", T0).unwrap();
        for _ in 0..50 {
            let _ = t.begin(ip("192.0.2.1"), password("sam@example.com"), T0).unwrap();
        }
        assert!(t.begin(ip("192.0.2.1"), password("sam@example.com"), T0).is_ok());
    }

    #[test]
    fn tracking_stays_bounded() {
        let f = Failures::new(PER_ACCOUNT);
        for n in 0..MAX_TRACKED * 2 {
            f.record(&n.to_string(), T0);
        }
        let windows = f.windows.lock().unwrap();
        assert_eq!(windows.len(), MAX_TRACKED);
        assert!(windows.contains_key(&(MAX_TRACKED * 2 - 1).to_string()));
    }
}
