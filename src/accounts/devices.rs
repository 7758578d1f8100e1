//! Device cookies (OWASP, "Slow Down Online Guessing Attacks with Device
//! Cookies"): a browser or client that signed in to an account gets a
//! signed token naming that account. Shown again at sign-in, it lets the
//! device through while the account is locked out by someone else's
//! guessing (see `throttle`). It grants nothing else: the password is still
//! checked, and a device that fails too often is locked out on its own.

use crate::crypto::{base64url, base64url_decode, ct_eq, hmac_sha256, random_bytes};

pub const COOKIE: &str = "ft_device";
/// How long a device stays known without signing in again.
pub const LIFETIME: i64 = 365 * 86_400;

/// `<issued_at>.<nonce>.<mac>`: the nonce names the device, the MAC binds it
/// to the account's email and the issue time.
pub fn issue(key: &[u8; 32], email: &str, now: i64) -> String {
    let nonce = base64url(&random_bytes::<16>());
    let mac = base64url(&mac(key, email, now, &nonce));
    format!("{now}.{nonce}.{mac}")
}

/// The device id in `cookie` when it was issued for `email` by this server
/// and has not expired.
pub fn verify<'c>(key: &[u8; 32], cookie: &'c str, email: &str, now: i64) -> Option<&'c str> {
    let mut parts = cookie.split('.');
    let (issued_at, nonce, sent) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let issued_at: i64 = issued_at.parse().ok()?;
    if !(now - LIFETIME..=now).contains(&issued_at) {
        return None;
    }
    let expected = mac(key, email, issued_at, nonce);
    ct_eq(&base64url_decode(sent)?, &expected).then_some(nonce)
}

fn mac(key: &[u8; 32], email: &str, issued_at: i64, nonce: &str) -> [u8; 32] {
    let message = format!("device|{}|{issued_at}|{nonce}", email.trim().to_lowercase());
    hmac_sha256(key, message.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: [u8; 32] = [7; 32];
    const NOW: i64 = 1_700_000_000;

    #[test]
    fn a_device_cookie_is_bound_to_its_account_key_and_lifetime() {
        let cookie = issue(&KEY, "Sam@Example.com", NOW);
        let device = verify(&KEY, &cookie, "sam@example.com ", NOW + 10).expect("valid for the same email");
        assert_eq!(device, cookie.split('.').nth(1).unwrap());
        assert_eq!(verify(&KEY, &cookie, "other@example.com", NOW), None, "another account");
        assert_eq!(verify(&[8; 32], &cookie, "sam@example.com", NOW), None, "another server");
        assert_eq!(verify(&KEY, &cookie, "sam@example.com", NOW + LIFETIME + 1), None, "expired");
        assert_eq!(verify(&KEY, &cookie, "sam@example.com", NOW - 1), None, "from the future");
        let forged = cookie.replacen(&NOW.to_string(), &(NOW + 1).to_string(), 1);
        assert_eq!(verify(&KEY, &forged, "sam@example.com", NOW + 5), None, "tampered");
        for garbage in ["", "a.b.c", "1.2.3.4", "...", &format!("{cookie}.x")] {
            assert_eq!(verify(&KEY, garbage, "sam@example.com", NOW), None, "{garbage}");
        }
    }
}
