//! Numbers as FitTrackee writes them.

/// Rounded to `decimals`; never `-0.0` (an empty float sum is -0.0).
pub fn round(value: f64, decimals: i32) -> f64 {
    let factor = 10f64.powi(decimals);
    (value * factor).round() / factor + 0.0
}

/// FitTrackee's size format: one decimal and a unit (`1.2KB`, `1.0MB`).
pub fn readable_size(bytes: u64) -> String {
    if bytes < 1024 {
        return format!("{bytes} bytes");
    }
    let mut size = bytes as f64 / 1024.0;
    for unit in ["KB", "MB", "GB"] {
        if size < 1024.0 {
            return format!("{size:.1}{unit}");
        }
        size /= 1024.0;
    }
    format!("{size:.1}TB")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_like_fittrackee() {
        assert_eq!(readable_size(500), "500 bytes");
        assert_eq!(readable_size(1229), "1.2KB");
        assert_eq!(readable_size(1024 * 1024), "1.0MB");
        assert_eq!(readable_size(3 * 1024 * 1024 * 1024), "3.0GB");
    }

    #[test]
    fn rounding_never_gives_negative_zero() {
        assert_eq!(round(1.23456, 2), 1.23);
        assert!(round(-0.0001, 2).is_sign_positive());
    }
}
