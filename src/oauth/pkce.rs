//! PKCE (RFC 7636): `S256` and `plain`; challenges and verifiers are
//! 43–128 characters of `[A-Za-z0-9-._~]`.

use crate::crypto::{base64url, ct_eq, sha256};

pub const S256: &str = "S256";
pub const PLAIN: &str = "plain";

pub fn is_well_formed(value: &str) -> bool {
    (43..=128).contains(&value.len())
        && value.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
}

pub fn is_supported_method(method: &str) -> bool {
    method == S256 || method == PLAIN
}

/// Whether `verifier` answers `challenge` under `method`.
pub fn verify(method: &str, challenge: &str, verifier: &str) -> bool {
    let computed = match method {
        S256 => base64url(&sha256(verifier.as_bytes())),
        PLAIN => verifier.to_string(),
        _ => return false,
    };
    ct_eq(computed.as_bytes(), challenge.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_7636_appendix_b_vector() {
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
        assert!(verify(S256, challenge, verifier));
        assert!(!verify(S256, challenge, "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXx"));
        assert!(verify(PLAIN, verifier, verifier));
        assert!(!verify(PLAIN, challenge, verifier));
        assert!(!verify("S512", challenge, verifier));
    }

    #[test]
    fn length_and_alphabet_limits() {
        assert!(is_well_formed(&"a".repeat(43)));
        assert!(is_well_formed(&"a".repeat(128)));
        assert!(!is_well_formed(&"a".repeat(42)));
        assert!(!is_well_formed(&"a".repeat(129)));
        assert!(is_well_formed(&format!("{}-._~", "a".repeat(40))));
        assert!(!is_well_formed(&format!("{}+/=", "a".repeat(40))));
    }
}
