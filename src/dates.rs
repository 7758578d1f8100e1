//! Dates and durations in FitTrackee's wire formats: RFC 1123 GMT dates
//! (`Tue, 13 Mar 2018 12:44:45 GMT`) and Python `str(timedelta)` durations.

use jiff::Timestamp;

fn format(seconds: i64, pattern: &str) -> String {
    Timestamp::from_second(seconds).unwrap_or(Timestamp::UNIX_EPOCH).strftime(pattern).to_string()
}

/// `Tue, 13 Mar 2018 12:44:45 GMT`.
pub fn http_date(seconds: i64) -> String {
    format(seconds, "%a, %d %b %Y %H:%M:%S GMT")
}

/// `Thu, 14 July 2022 06:27:53 GMT`: the OAuth client's `issued_at` uses the full month name.
pub fn http_date_long_month(seconds: i64) -> String {
    format(seconds, "%a, %d %B %Y %H:%M:%S GMT")
}

/// A `YYYY-MM-DD` date as FitTrackee serializes a date column (midnight GMT).
pub fn http_date_of_day(day: &str) -> Option<String> {
    let date: jiff::civil::Date = day.parse().ok()?;
    Some(date.strftime("%a, %d %b %Y 00:00:00 GMT").to_string())
}

/// Python's `str(timedelta)`: `0:04:10`, `1 day, 2:03:04`, `0:10:11.630000`.
pub fn timedelta(seconds: f64) -> String {
    let micros_total = (seconds * 1_000_000.0).round() as i64;
    let (whole, micros) = (micros_total.div_euclid(1_000_000), micros_total.rem_euclid(1_000_000));
    let (days, rest) = (whole.div_euclid(86_400), whole.rem_euclid(86_400));
    let clock = format!("{}:{:02}:{:02}", rest / 3600, rest % 3600 / 60, rest % 60);
    let clock = if micros == 0 { clock } else { format!("{clock}.{micros:06}") };
    match days {
        0 => clock,
        1 | -1 => format!("{days} day, {clock}"),
        _ => format!("{days} days, {clock}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_dates_match_flask() {
        assert_eq!(http_date(1_520_945_085), "Tue, 13 Mar 2018 12:44:45 GMT");
        assert_eq!(http_date_long_month(1_653_738_796), "Sat, 28 May 2022 11:53:16 GMT");
        assert_eq!(http_date_of_day("2018-03-13").as_deref(), Some("Tue, 13 Mar 2018 00:00:00 GMT"));
        assert_eq!(http_date_of_day("2018-13-45"), None);
    }

    #[test]
    fn durations_match_python_timedelta() {
        assert_eq!(timedelta(0.0), "0:00:00");
        assert_eq!(timedelta(250.0), "0:04:10");
        assert_eq!(timedelta(3600.0), "1:00:00");
        assert_eq!(timedelta(93_784.0), "1 day, 2:03:04");
        assert_eq!(timedelta(2.0 * 86_400.0 + 5.0), "2 days, 0:00:05");
        assert_eq!(timedelta(611.63), "0:10:11.630000");
    }
}
