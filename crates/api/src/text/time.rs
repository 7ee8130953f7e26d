//! Times and durations: UTC, written field by field rather than with chrono's `format` (a
//! strftime interpreter the wasm would otherwise carry for six fixed patterns).

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};

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

/// A day as [`date`] writes it and a date input or a URL gives it ("2026-11-22"; month and day
/// may have one digit), read field by field: chrono's `parse_from_str` would bring its strftime
/// parser into the wasm for this one pattern. `None` for anything else or a day that does not
/// exist.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let mut parts = s.split('-');
    let mut field = |digits: std::ops::RangeInclusive<usize>| {
        let f = parts.next()?;
        (digits.contains(&f.len()) && f.bytes().all(|b| b.is_ascii_digit()))
            .then(|| f.parse::<u32>().ok())
            .flatten()
    };
    let (year, month, day) = (field(4..=4)?, field(1..=2)?, field(1..=2)?);
    if parts.next().is_some() {
        return None;
    }
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
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
