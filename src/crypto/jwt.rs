//! First-party tokens: HS256 JWTs (`sub` = user id as a string, `iat`,
//! `exp`, and `sid`, the session row that logout deletes).
//! We only ever verify tokens we signed, so the header must be ours exactly:
//! no algorithm negotiation to confuse.

use serde::{Deserialize, Serialize};

use super::{base64url, base64url_decode, ct_eq, hmac_sha256};

/// base64url of `{"alg":"HS256","typ":"JWT"}`.
const HEADER: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Payload {
    exp: i64,
    iat: i64,
    sid: i64,
    sub: String,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Claims {
    pub user_id: i64,
    pub session_id: i64,
    pub issued_at: i64,
    pub expires_at: i64,
}

pub fn encode(key: &[u8], claims: &Claims) -> String {
    let payload = Payload {
        exp: claims.expires_at,
        iat: claims.issued_at,
        sid: claims.session_id,
        sub: claims.user_id.to_string(),
    };
    let json = serde_json::to_vec(&payload).expect("a plain struct serializes");
    let signed = format!("{HEADER}.{}", base64url(&json));
    let signature = hmac_sha256(key, signed.as_bytes());
    format!("{signed}.{}", base64url(&signature))
}

/// The claims of a token we signed that has not expired at `now`.
pub fn decode(key: &[u8], token: &str, now: i64) -> Option<Claims> {
    let (signed, signature) = token.rsplit_once('.')?;
    let (header, payload) = signed.split_once('.')?;
    if header != HEADER {
        return None;
    }
    let expected = hmac_sha256(key, signed.as_bytes());
    if !ct_eq(&base64url_decode(signature)?, &expected) {
        return None;
    }
    let payload: Payload = serde_json::from_slice(&base64url_decode(payload)?).ok()?;
    let claims = Claims {
        user_id: payload.sub.parse().ok()?,
        session_id: payload.sid,
        issued_at: payload.iat,
        expires_at: payload.exp,
    };
    (claims.expires_at > now).then_some(claims)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &[u8] = b"0123456789abcdef0123456789abcdef";
    const CLAIMS: Claims = Claims { user_id: 42, session_id: 7, issued_at: 1000, expires_at: 2000 };

    #[test]
    fn round_trip_with_sub_as_a_string() {
        let token = encode(KEY, &CLAIMS);
        assert_eq!(decode(KEY, &token, 1500), Some(CLAIMS));
        let payload = base64url_decode(token.split('.').nth(1).unwrap()).unwrap();
        let json: serde_json::Value = serde_json::from_slice(&payload).unwrap();
        assert_eq!(json["sub"], "42");
        assert_eq!(json["exp"], 2000);
    }

    #[test]
    fn expired_tampered_or_foreign_tokens_fail() {
        let token = encode(KEY, &CLAIMS);
        assert_eq!(decode(KEY, &token, 2000), None);
        assert_eq!(decode(b"another key", &token, 1500), None);
        let forged_payload = base64url(br#"{"exp":9999,"iat":1,"sid":7,"sub":"1"}"#);
        let parts: Vec<&str> = token.split('.').collect();
        let forged = format!("{}.{}.{}", parts[0], forged_payload, parts[2]);
        assert_eq!(decode(KEY, &forged, 1500), None);
        let none_alg = format!("{}.{}.", base64url(br#"{"alg":"none"}"#), parts[1]);
        assert_eq!(decode(KEY, &none_alg, 1500), None);
        assert_eq!(decode(KEY, "garbage", 1500), None);
        assert_eq!(decode(KEY, "a.b.c", 1500), None);
    }
}
