use super::*;
use crate::ListSummary;
use chrono::{Duration, TimeZone, Utc};

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

#[test]
fn figures_read_as_the_summary_line() {
    let s = ListSummary {
        total: 52,
        successful: 40,
        success_rate: 40.0 * 100.0 / 52.0,
        median_duration_seconds: Some(750),
        mean_duration_seconds: Some(840),
        attention_needed: 3,
        incidents_prevented: 0,
    };
    let f = figures(&s);
    let values: Vec<_> = f.iter().map(|f| f.value.as_str()).collect();
    assert_eq!(values, ["12m 30s", "14m 00s", "3", "0", "40/52 · 77%"]);
    assert_eq!(f[2].tone, Some("attention"));
    assert_eq!(f[3].tone, None);
}

#[test]
fn an_empty_summary_shows_dashes_not_zero_durations() {
    let f = figures(&ListSummary::default());
    assert_eq!(f[0].value, "–");
    assert_eq!(f[4].value, "–");
}

#[test]
fn images_keep_their_name_and_tag_whole() {
    assert_eq!(
        image_parts("registry.example.com/payments/checkout:1.42.0"),
        ("registry.example.com/payments/", "checkout:1.42.0")
    );
    assert_eq!(short_image("nginx:1.27"), "nginx:1.27");
}

#[test]
fn counts_read_as_sentences() {
    let week = Preset::Week.phrase();
    assert_eq!(count_text(65, 65, week), "65 rollouts in the last 7 days");
    assert_eq!(count_text(1, 1, week), "1 rollout in the last 7 days");
    assert_eq!(
        count_text(12, 10_000, week),
        "12 of 10,000 rollouts in the last 7 days"
    );
    assert_eq!(Preset::from_key("7d"), Some(Preset::Week));
}

#[test]
fn html_and_urls_are_escaped() {
    let mut out = String::new();
    escape_html(&mut out, "<a href=\"x\" title='y'>&</a>");
    assert_eq!(
        out,
        "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;"
    );
    assert_eq!(percent_encode("rol-1 /?é"), "rol-1%20%2F%3F%C3%A9");
}

#[test]
fn dates_are_read_as_chrono_reads_the_same_pattern() {
    use chrono::NaiveDate;
    for s in [
        "2026-11-22",
        "2026-1-5",
        "2026-01-05",
        "1999-12-31",
        "2024-02-29",
        "2026-02-29",
        "2026-13-01",
        "2026-00-10",
        "2026-04-31",
        "2026-04-00",
        "",
        "2026",
        "2026-11",
        "2026-11-22-01",
        "2026-11-22x",
        "x2026-11-22",
        "2026/11/22",
        "2026--22",
        "2026-111-2",
        "abcd-01-01",
    ] {
        assert_eq!(
            parse_date(s),
            NaiveDate::parse_from_str(s, "%Y-%m-%d").ok(),
            "{s:?}"
        );
        if let Some(d) = parse_date(s) {
            assert_eq!(
                date(d.and_hms_opt(0, 0, 0).unwrap().and_utc()),
                format!("{d}")
            );
        }
    }
    // One deliberate difference: chrono reads "26" as the year 26; a date filter wants four
    // digits (a date input always gives them), and anything else falls back to the default.
    assert_eq!(parse_date("26-11-22"), None);
}
