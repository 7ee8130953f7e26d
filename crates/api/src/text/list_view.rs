//! The rollouts list's views: its date windows and its sort.

use chrono::Duration;

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
