//! Words and numbers people read, written the same way by the console and by the server's
//! first screen (the HTML it sends before the console's wasm has loaded): times, durations,
//! counts, image names, date-range phrases and the rollouts summary line.
//!
//! Times are UTC, written field by field rather than with chrono's `format` (a strftime
//! interpreter the wasm would otherwise carry for six fixed patterns).

use crate::{ListSummary, PodHealth, RolloutDetail, VersionStatus};
use chrono::{DateTime, Datelike, Duration, Timelike, Utc};

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

/// An image split where it may be shortened: the registry and path (which may be cut with an
/// ellipsis) and the name with its tag or digest (which is always shown whole).
/// `registry.example.com/payments/checkout:1.42.0` -> (`registry.example.com/payments/`, `checkout:1.42.0`).
pub fn image_parts(image: &str) -> (&str, &str) {
    // The path ends at the last '/' before any '@' digest.
    let before_digest = image.split('@').next().unwrap_or(image);
    match before_digest.rfind('/') {
        Some(i) => image.split_at(i + 1),
        None => ("", image),
    }
}

/// "checkout:1.4.2" from "registry.example.com/payments/checkout:1.4.2": the part people read.
pub fn short_image(image: &str) -> &str {
    image_parts(image).1
}

/// "10,000".
pub fn group_digits(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "12 of 52 rollouts in the last 7 days" (or "52 rollouts …" when nothing is filtered out);
/// `phrase` is the date range's, e.g. [`Preset::phrase`].
pub fn count_text(shown: usize, loaded: usize, phrase: &str) -> String {
    let noun = |n: usize| if n == 1 { "rollout" } else { "rollouts" };
    if shown == loaded {
        format!("{} {} {phrase}", group_digits(loaded), noun(loaded))
    } else {
        format!(
            "{} of {} {} {phrase}",
            group_digits(shown),
            group_digits(loaded),
            noun(loaded),
        )
    }
}

/// Percent-encodes a path segment or a query key or value (RFC 3986 unreserved characters
/// stay as they are).
pub fn percent_encode(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for b in v.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The page of one rollout: `/rollouts/{id}`.
pub fn rollout_href(id: &str) -> String {
    format!("/rollouts/{}", percent_encode(id))
}

/// Appends `s` to HTML being written, safe as text and inside a double- or single-quoted
/// attribute value.
pub fn escape_html(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// The date windows the rollouts list offers (its `range` URL value is [`Preset::key`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Preset {
    Day,
    Week,
    Month,
    Quarter,
}

impl Preset {
    pub const ALL: [Preset; 4] = [Preset::Day, Preset::Week, Preset::Month, Preset::Quarter];

    pub fn key(self) -> &'static str {
        match self {
            Preset::Day => "24h",
            Preset::Week => "7d",
            Preset::Month => "30d",
            Preset::Quarter => "90d",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Preset::Day => "Last 24 hours",
            Preset::Week => "Last 7 days",
            Preset::Month => "Last 30 days",
            Preset::Quarter => "Last 90 days",
        }
    }

    /// "in the last 7 days", for sentences.
    pub fn phrase(self) -> &'static str {
        match self {
            Preset::Day => "in the last 24 hours",
            Preset::Week => "in the last 7 days",
            Preset::Month => "in the last 30 days",
            Preset::Quarter => "in the last 90 days",
        }
    }

    pub fn from_key(key: &str) -> Option<Preset> {
        Preset::ALL.into_iter().find(|p| p.key() == key)
    }

    pub fn length(self) -> Duration {
        match self {
            Preset::Day => Duration::hours(24),
            Preset::Week => Duration::days(7),
            Preset::Month => Duration::days(30),
            Preset::Quarter => Duration::days(90),
        }
    }

    /// The next larger window, if any: what "widen the date range" offers.
    pub fn wider(self) -> Option<Preset> {
        match self {
            Preset::Day => Some(Preset::Week),
            Preset::Week => Some(Preset::Month),
            Preset::Month => Some(Preset::Quarter),
            Preset::Quarter => None,
        }
    }
}

/// The columns the rollouts list can be sorted by (its `sort` URL value is [`SortKey::key`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SortKey {
    SpotDeployment,
    Status,
    Image,
    Strategy,
    Start,
    Duration,
    Cluster,
    Namespace,
    RolloutSpec,
    Id,
}

impl SortKey {
    pub const ALL: [SortKey; 10] = [
        SortKey::SpotDeployment,
        SortKey::Status,
        SortKey::Image,
        SortKey::Strategy,
        SortKey::Start,
        SortKey::Duration,
        SortKey::Cluster,
        SortKey::Namespace,
        SortKey::RolloutSpec,
        SortKey::Id,
    ];

    pub fn key(self) -> &'static str {
        match self {
            SortKey::SpotDeployment => "spotDeployment",
            SortKey::Status => "status",
            SortKey::Image => "image",
            SortKey::Strategy => "strategy",
            SortKey::Start => "start",
            SortKey::Duration => "duration",
            SortKey::Cluster => "cluster",
            SortKey::Namespace => "namespace",
            SortKey::RolloutSpec => "rolloutSpec",
            SortKey::Id => "id",
        }
    }

    /// The column header.
    pub fn label(self) -> &'static str {
        match self {
            SortKey::SpotDeployment => "SpotDeployment",
            SortKey::Status => "Status",
            SortKey::Image => "Image",
            SortKey::Strategy => "Strategy",
            SortKey::Start => "Start",
            SortKey::Duration => "Duration",
            SortKey::Cluster => "Cluster",
            SortKey::Namespace => "Namespace",
            SortKey::RolloutSpec => "RolloutSpec",
            SortKey::Id => "Rollout ID",
        }
    }

    pub fn from_key(key: &str) -> Option<SortKey> {
        SortKey::ALL.into_iter().find(|k| k.key() == key)
    }

    /// Newest and longest first; names A→Z.
    pub fn default_dir(self) -> SortDir {
        match self {
            SortKey::Start | SortKey::Duration => SortDir::Desc,
            _ => SortDir::Asc,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SortDir {
    Asc,
    Desc,
}

impl SortDir {
    /// The `aria-sort` value of a sorted column header.
    pub fn aria(self) -> &'static str {
        match self {
            SortDir::Asc => "ascending",
            SortDir::Desc => "descending",
        }
    }

    /// The query-string value (`dir=desc`).
    /// The arrow drawn next to the sorted column's header: ▲ ascending, ▼ descending.
    pub fn arrow(self) -> &'static str {
        match self {
            SortDir::Asc => "▲",
            SortDir::Desc => "▼",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            SortDir::Asc => "asc",
            SortDir::Desc => "desc",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplicaView {
    pub health: &'static str,
    pub label: String,
}

pub fn health_word(h: PodHealth) -> &'static str {
    match h {
        PodHealth::Ready => "ready",
        PodHealth::Starting => "starting",
        PodHealth::Failing => "failing",
        PodHealth::Terminating => "terminating",
    }
}

/// The icons of one version's replicas: one per pod ("Pod web-x2, canary version, failing
/// (CrashLoopBackOff, 4 restarts)"), or from the counts when the server lists no pods.
pub fn replica_views(v: &VersionStatus, version: &str) -> Vec<ReplicaView> {
    if !v.pods.is_empty() {
        return v
            .pods
            .iter()
            .map(|p| {
                let word = health_word(p.health);
                let mut detail = vec![];
                if !p.status.eq_ignore_ascii_case(word) && !p.status.is_empty() {
                    detail.push(p.status.clone());
                }
                if p.restarts > 0 {
                    detail.push(format!("{} restarts", p.restarts));
                }
                let detail = if detail.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", detail.join(", "))
                };
                ReplicaView {
                    health: word,
                    label: format!("Pod {}, {version} version, {word}{detail}", p.name),
                }
            })
            .collect();
    }
    let r = v.replicas;
    let counted = [
        (r.ready, "ready"),
        (r.in_progress, "starting"),
        (r.failed, "failing"),
    ];
    counted
        .into_iter()
        .flat_map(|(n, word)| {
            (0..n).map(move |i| ReplicaView {
                health: word,
                label: format!("Replica {} of the {version} version, {word}", i + 1),
            })
        })
        .collect()
}

/// The duration shown on the top line: ticking while running, fixed once ended.
pub fn rollout_duration(d: &RolloutDetail, now: DateTime<Utc>) -> String {
    let end = d.end_time.unwrap_or(now);
    format_duration((end - d.start_time).num_seconds())
}

/// The Kubernetes services of a rollout's stable and new versions, "a, b", or "—" for none.
pub fn services_text(d: &RolloutDetail) -> String {
    let stable = d
        .stable_version_status
        .as_ref()
        .and_then(|s| s.k8s_service.clone());
    let mut all: Vec<String> = [stable, d.new_version_status.k8s_service.clone()]
        .into_iter()
        .flatten()
        .collect();
    all.dedup();
    if all.is_empty() {
        "—".to_string()
    } else {
        all.join(", ")
    }
}

/// The rollouts page summary line as words and numbers people read.
/// One figure of the summary line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figure {
    pub label: &'static str,
    pub value: String,
    /// A longer explanation (tooltip).
    pub hint: String,
    /// BEM modifier when the figure asks for attention: `attention`, `success`, `danger`.
    pub tone: Option<&'static str>,
}

/// "40/52 · 77%".
pub fn success_text(s: &ListSummary) -> String {
    if s.total == 0 {
        return "–".into();
    }
    format!("{}/{} · {:.0}%", s.successful, s.total, s.success_rate)
}

/// Median, average, attention needed, incidents prevented and success, in that order.
pub fn figures(s: &ListSummary) -> Vec<Figure> {
    let duration = |d: Option<i64>| d.map(format_duration).unwrap_or_else(|| "–".into());
    vec![
        Figure {
            label: "Median duration",
            value: duration(s.median_duration_seconds),
            hint: "Middle duration of the completed rollouts shown".into(),
            tone: None,
        },
        Figure {
            label: "Average duration",
            value: duration(s.mean_duration_seconds),
            hint: "Mean duration of the completed rollouts shown".into(),
            tone: None,
        },
        Figure {
            label: "Attention needed",
            value: s.attention_needed.to_string(),
            hint: "Paused rollouts waiting for someone to promote, resume or roll back".into(),
            tone: (s.attention_needed > 0).then_some("attention"),
        },
        Figure {
            label: "Incidents prevented",
            value: s.incidents_prevented.to_string(),
            hint: "Rollouts rolled back because a verification or Kubernetes check failed".into(),
            tone: (s.incidents_prevented > 0).then_some("danger"),
        },
        Figure {
            label: "Successful",
            value: success_text(s),
            hint: format!(
                "{} of {} rollouts shown finished successfully",
                s.successful, s.total
            ),
            tone: (s.total > 0).then_some("success"),
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

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
}
