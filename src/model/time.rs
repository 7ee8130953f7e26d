//! Durations and times as people read them.
//!
//! Times are written field by field rather than with chrono's `format` (a strftime
//! interpreter the wasm would otherwise carry for six fixed patterns).

use chrono::{DateTime, Datelike, Timelike, Utc};

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// "14:03:07".
pub fn clock(t: DateTime<Utc>) -> String {
    format!("{:02}:{:02}:{:02}", t.hour(), t.minute(), t.second())
}

/// "14:03".
pub fn clock_minutes(t: DateTime<Utc>) -> String {
    format!("{:02}:{:02}", t.hour(), t.minute())
}

/// "2026-11-22".
pub fn date(t: DateTime<Utc>) -> String {
    format!("{:04}-{:02}-{:02}", t.year(), t.month(), t.day())
}

/// "42s", "3m 05s", "2h 14m", "3d 4h".
pub fn format_duration(seconds: i64) -> String {
    let s = seconds.max(0);
    match s {
        0..=59 => format!("{s}s"),
        60..=3599 => format!("{}m {:02}s", s / 60, s % 60),
        3600..=86_399 => format!("{}h {:02}m", s / 3600, (s % 3600) / 60),
        _ => format!("{}d {}h", s / 86_400, (s % 86_400) / 3600),
    }
}

/// "just now", "5m ago", "3h ago", "2d ago"; "in 4m" for the future.
pub fn format_relative(t: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let secs = (now - t).num_seconds();
    let (ago, s) = (secs >= 0, secs.abs());
    let amount = match s {
        0..=9 => return "just now".into(),
        10..=59 => format!("{s}s"),
        60..=3599 => format!("{}m", s / 60),
        3600..=86_399 => format!("{}h", s / 3600),
        _ => format!("{}d", s / 86_400),
    };
    if ago {
        format!("{amount} ago")
    } else {
        format!("in {amount}")
    }
}

/// "2026-11-22 14:03:07 UTC": exact, for tooltips and exports.
pub fn format_exact(t: DateTime<Utc>) -> String {
    format!("{} {} UTC", date(t), clock(t))
}

/// "Nov 22, 14:03": compact start time for tables.
pub fn format_short(t: DateTime<Utc>) -> String {
    format!(
        "{} {:02}, {}",
        MONTHS[t.month0() as usize],
        t.day(),
        clock_minutes(t)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    #[test]
    fn times_are_written_like_strftime_would() {
        for t in [
            Utc.with_ymd_and_hms(2026, 11, 22, 14, 3, 7).unwrap(),
            Utc.with_ymd_and_hms(2027, 1, 2, 0, 0, 9).unwrap(),
            Utc.with_ymd_and_hms(999, 12, 31, 23, 59, 59).unwrap(),
        ] {
            assert_eq!(clock(t), t.format("%H:%M:%S").to_string());
            assert_eq!(clock_minutes(t), t.format("%H:%M").to_string());
            assert_eq!(
                format_exact(t),
                t.format("%Y-%m-%d %H:%M:%S UTC").to_string()
            );
            assert_eq!(format_short(t), t.format("%b %d, %H:%M").to_string());
        }
        let t = Utc.with_ymd_and_hms(2026, 11, 22, 14, 3, 7).unwrap();
        assert_eq!(format_short(t), "Nov 22, 14:03");
        assert_eq!(format_exact(t), "2026-11-22 14:03:07 UTC");
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(format_duration(42), "42s");
        assert_eq!(format_duration(185), "3m 05s");
        assert_eq!(format_duration(2 * 3600 + 14 * 60), "2h 14m");
        assert_eq!(format_duration(3 * 86_400 + 4 * 3600), "3d 4h");
        assert_eq!(format_duration(-5), "0s");
    }

    #[test]
    fn relative_times_say_ago_or_in() {
        let now = Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0).unwrap();
        assert_eq!(format_relative(now, now), "just now");
        assert_eq!(format_relative(now - Duration::minutes(5), now), "5m ago");
        assert_eq!(format_relative(now + Duration::minutes(4), now), "in 4m");
        assert_eq!(format_relative(now - Duration::days(2), now), "2d ago");
    }
}
