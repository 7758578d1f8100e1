//! FitTrackee's short ids: a random UUID written in base 57 (shortuuid 1.x:
//! most significant digit first, padded to 22 characters).

const ALPHABET: &[u8; 57] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
const LENGTH: usize = 22;

/// A new random short id (a version 4 UUID).
pub fn new() -> String {
    let mut bytes = crate::crypto::random_bytes::<16>();
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    encode(u128::from_be_bytes(bytes))
}

pub fn encode(mut number: u128) -> String {
    let mut digits = [ALPHABET[0]; LENGTH];
    for slot in digits.iter_mut().rev() {
        if number == 0 {
            break;
        }
        *slot = ALPHABET[(number % 57) as usize];
        number /= 57;
    }
    String::from_utf8_lossy(&digits).into_owned()
}

/// Whether `text` could be a short id (cheap check before a lookup).
pub fn is_plausible(text: &str) -> bool {
    text.len() == LENGTH && text.bytes().all(|b| ALPHABET.contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_like_shortuuid() {
        // shortuuid.encode(uuid.UUID(int=0)) and of the largest UUID.
        assert_eq!(encode(0), "2222222222222222222222");
        assert_eq!(encode(1), "2222222222222222222223");
        assert_eq!(encode(57), "2222222222222222222232");
        assert_eq!(encode(u128::MAX), "oZEq7ovRbLq6UnGMPwc8B5");
    }

    #[test]
    fn new_ids_are_plausible_and_distinct() {
        let (a, b) = (new(), new());
        assert!(is_plausible(&a) && is_plausible(&b));
        assert_ne!(a, b);
        assert!(!is_plausible("nobody_here"));
    }
}
