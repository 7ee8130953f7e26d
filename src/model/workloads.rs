//! Workloads as people read them: one status per workload, the list's rows, filters and sort
//! (kept in the URL), and the revision history's words.

use crate::model::list::SortDir;
use crate::model::list_rows::short_image;
use crate::url;
use rollout_api::{
    search_matches, search_words, Revision, RolloutStatus, StatusTone, Timestamp, Workload,
    WorkloadLabel,
};

/// What a workload is doing, most pressing first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum WorkloadStatus {
    InvalidSpec,
    Degraded,
    Paused,
    RollingOut,
    Healthy,
}

impl WorkloadStatus {
    pub const ALL: [WorkloadStatus; 5] = [
        WorkloadStatus::Healthy,
        WorkloadStatus::RollingOut,
        WorkloadStatus::Paused,
        WorkloadStatus::Degraded,
        WorkloadStatus::InvalidSpec,
    ];

    pub fn label(self) -> &'static str {
        match self {
            WorkloadStatus::Healthy => "Healthy",
            WorkloadStatus::RollingOut => "Rolling out",
            WorkloadStatus::Paused => "Paused",
            WorkloadStatus::Degraded => "Degraded",
            WorkloadStatus::InvalidSpec => "Invalid spec",
        }
    }

    /// The query-string value (`status=degraded`).
    pub fn key(self) -> &'static str {
        match self {
            WorkloadStatus::Healthy => "healthy",
            WorkloadStatus::RollingOut => "rollingOut",
            WorkloadStatus::Paused => "paused",
            WorkloadStatus::Degraded => "degraded",
            WorkloadStatus::InvalidSpec => "invalidSpec",
        }
    }

    pub fn from_key(key: &str) -> Option<WorkloadStatus> {
        WorkloadStatus::ALL.into_iter().find(|s| s.key() == key)
    }

    pub fn tone(self) -> StatusTone {
        match self {
            WorkloadStatus::Healthy => StatusTone::Success,
            WorkloadStatus::RollingOut => StatusTone::Running,
            WorkloadStatus::Paused | WorkloadStatus::InvalidSpec => StatusTone::Attention,
            WorkloadStatus::Degraded => StatusTone::Danger,
        }
    }
}

/// The revision whose rollout has not completed (pending and invalidSpec included), if any.
pub fn active_revision(w: &Workload) -> Option<&Revision> {
    w.revisions
        .iter()
        .find(|r| r.status.is_some_and(|s| !s.is_completed()))
}

/// The revision running as stable.
pub fn live_revision(w: &Workload) -> Option<&Revision> {
    w.revisions.iter().find(|r| r.revision == w.live_revision)
}

/// The two revisions of a Degraded workload: the desired one (rolled back) and the live one;
/// None when the workload is not Degraded.
pub fn degraded_revisions(w: &Workload) -> Option<(&Revision, &Revision)> {
    if !w.degraded || w.desired_revision == w.live_revision {
        return None;
    }
    let desired = w
        .revisions
        .iter()
        .find(|r| r.revision == w.desired_revision)?;
    Some((desired, live_revision(w)?))
}

/// The workload's one status: an invalid spec or Degraded before a rollout's own state.
pub fn workload_status(w: &Workload) -> WorkloadStatus {
    let active = active_revision(w).and_then(|r| r.status);
    match active {
        Some(RolloutStatus::InvalidSpec) => WorkloadStatus::InvalidSpec,
        _ if w.degraded => WorkloadStatus::Degraded,
        Some(s) if s.is_paused() => WorkloadStatus::Paused,
        Some(_) => WorkloadStatus::RollingOut,
        None => WorkloadStatus::Healthy,
    }
}

/// One row of the workloads table, everything it shows and sorts by.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct WorkloadRow {
    pub cluster_id: String,
    pub namespace: String,
    pub name: String,
    pub kind: String,
    /// The live (stable) image.
    pub image: String,
    /// The desired image when it differs from the live one (a rollout, or Degraded).
    pub desired_image: Option<String>,
    /// When the live version was applied.
    pub live_since: Option<Timestamp>,
    pub ready: u32,
    pub desired: u32,
    pub revisions: usize,
    pub status: WorkloadStatus,
    pub href: String,
}

impl WorkloadRow {
    pub fn new(w: &Workload) -> WorkloadRow {
        let live = live_revision(w);
        let desired = w
            .revisions
            .iter()
            .find(|r| r.revision == w.desired_revision);
        let image = live.map(|r| r.image.clone()).unwrap_or_default();
        WorkloadRow {
            cluster_id: w.cluster_id.clone(),
            namespace: w.namespace.clone(),
            name: w.name.clone(),
            kind: w.kind.clone(),
            desired_image: desired.map(|r| r.image.clone()).filter(|d| *d != image),
            image,
            live_since: live.map(|r| r.applied_at),
            ready: w.replicas.ready,
            desired: w.replicas.desired,
            revisions: w.revisions.len(),
            status: workload_status(w),
            href: url::workload(&w.cluster_id, &w.namespace, &w.name),
        }
    }

    /// Identity: a workload is its cluster, namespace and name.
    pub fn key(&self) -> (String, String, String) {
        (
            self.cluster_id.clone(),
            self.namespace.clone(),
            self.name.clone(),
        )
    }

    /// "3/3".
    pub fn ready_text(&self) -> String {
        format!("{}/{}", self.ready, self.desired)
    }

    fn matches(&self, words: &[String]) -> bool {
        let text = format!(
            "{} {} {} {} {} {}",
            self.name,
            self.cluster_id,
            self.namespace,
            self.kind,
            self.image,
            self.desired_image.as_deref().unwrap_or("")
        )
        .to_lowercase();
        search_matches(&text, words)
    }
}

/// The columns the workloads table sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WorkloadSort {
    Name,
    Kind,
    Cluster,
    Namespace,
    Image,
    Age,
    Ready,
    Revisions,
    Status,
}

impl WorkloadSort {
    pub const ALL: [WorkloadSort; 9] = [
        WorkloadSort::Name,
        WorkloadSort::Status,
        WorkloadSort::Kind,
        WorkloadSort::Cluster,
        WorkloadSort::Namespace,
        WorkloadSort::Image,
        WorkloadSort::Age,
        WorkloadSort::Ready,
        WorkloadSort::Revisions,
    ];

    pub fn key(self) -> &'static str {
        match self {
            WorkloadSort::Name => "name",
            WorkloadSort::Kind => "type",
            WorkloadSort::Cluster => "cluster",
            WorkloadSort::Namespace => "namespace",
            WorkloadSort::Image => "image",
            WorkloadSort::Age => "age",
            WorkloadSort::Ready => "ready",
            WorkloadSort::Revisions => "revisions",
            WorkloadSort::Status => "status",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            WorkloadSort::Name => "Name",
            WorkloadSort::Kind => "Type",
            WorkloadSort::Cluster => "Cluster",
            WorkloadSort::Namespace => "Namespace",
            WorkloadSort::Image => "Live image",
            WorkloadSort::Age => "Version age",
            WorkloadSort::Ready => "Ready pods",
            WorkloadSort::Revisions => "Revisions",
            WorkloadSort::Status => "Status",
        }
    }

    pub fn from_key(key: &str) -> Option<WorkloadSort> {
        WorkloadSort::ALL.into_iter().find(|k| k.key() == key)
    }

    /// Oldest versions and most revisions first; names A→Z; statuses most pressing first.
    pub fn default_dir(self) -> SortDir {
        match self {
            WorkloadSort::Revisions => SortDir::Desc,
            _ => SortDir::Asc,
        }
    }

    fn compare(self, a: &WorkloadRow, b: &WorkloadRow) -> std::cmp::Ordering {
        match self {
            WorkloadSort::Name => a.name.cmp(&b.name),
            WorkloadSort::Kind => a.kind.cmp(&b.kind),
            WorkloadSort::Cluster => a.cluster_id.cmp(&b.cluster_id),
            WorkloadSort::Namespace => a.namespace.cmp(&b.namespace),
            WorkloadSort::Image => short_image(&a.image).cmp(short_image(&b.image)),
            // Ascending age = the oldest version first.
            WorkloadSort::Age => a.live_since.cmp(&b.live_since),
            // Fewest ready (relative to desired) first: the ones to look at.
            WorkloadSort::Ready => (a.ready as u64 * b.desired.max(1) as u64)
                .cmp(&(b.ready as u64 * a.desired.max(1) as u64)),
            WorkloadSort::Revisions => a.revisions.cmp(&b.revisions),
            WorkloadSort::Status => a.status.cmp(&b.status),
        }
    }
}

/// The workloads view: filters, search and sort. `Default` is the plain `/workloads`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkloadQuery {
    pub cluster: Option<String>,
    pub namespace: Option<String>,
    pub status: Option<WorkloadStatus>,
    pub q: String,
    pub sort: WorkloadSort,
    pub dir: SortDir,
}

impl Default for WorkloadQuery {
    fn default() -> Self {
        WorkloadQuery {
            cluster: None,
            namespace: None,
            status: None,
            q: String::new(),
            sort: WorkloadSort::Name,
            dir: SortDir::Asc,
        }
    }
}

fn text(v: Option<String>) -> Option<String> {
    v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

impl WorkloadQuery {
    /// Reads the view from decoded URL query values; unknown values fall back to defaults.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> WorkloadQuery {
        let sort = get("sort")
            .and_then(|k| WorkloadSort::from_key(&k))
            .unwrap_or(WorkloadSort::Name);
        let dir = match get("dir").as_deref() {
            Some("asc") => SortDir::Asc,
            Some("desc") => SortDir::Desc,
            _ => sort.default_dir(),
        };
        WorkloadQuery {
            cluster: text(get("clusterId")),
            namespace: text(get("namespace")),
            status: get("status").and_then(|k| WorkloadStatus::from_key(&k)),
            q: get("q").unwrap_or_default(),
            sort,
            dir,
        }
    }

    /// The URL query's pairs, only what differs from the default view.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if let Some(c) = &self.cluster {
            out.push(("clusterId", c.clone()));
        }
        if let Some(n) = &self.namespace {
            out.push(("namespace", n.clone()));
        }
        if let Some(s) = self.status {
            out.push(("status", s.key().to_string()));
        }
        if !self.q.trim().is_empty() {
            out.push(("q", self.q.clone()));
        }
        if self.sort != WorkloadSort::Name {
            out.push(("sort", self.sort.key().to_string()));
        }
        if self.dir != self.sort.default_dir() {
            out.push(("dir", self.dir.key().to_string()));
        }
        out
    }

    pub fn has_filters(&self) -> bool {
        self.cluster.is_some()
            || self.namespace.is_some()
            || self.status.is_some()
            || !self.q.trim().is_empty()
    }

    /// The same view without filters or search (sort kept).
    pub fn cleared(&self) -> WorkloadQuery {
        WorkloadQuery {
            sort: self.sort,
            dir: self.dir,
            ..WorkloadQuery::default()
        }
    }

    /// Sorted by `key`: a second click on the sorted column reverses the order.
    pub fn sorted_by(&self, key: WorkloadSort) -> WorkloadQuery {
        let dir = match (self.sort == key, self.dir) {
            (true, SortDir::Asc) => SortDir::Desc,
            (true, SortDir::Desc) => SortDir::Asc,
            (false, _) => key.default_dir(),
        };
        WorkloadQuery {
            sort: key,
            dir,
            ..self.clone()
        }
    }

    /// `aria-sort` of a column header.
    pub fn aria_sort(&self, key: WorkloadSort) -> &'static str {
        if self.sort == key {
            self.dir.aria()
        } else {
            "none"
        }
    }

    /// The rows this view shows, in order.
    pub fn apply(&self, rows: &[WorkloadRow]) -> Vec<WorkloadRow> {
        let words = search_words(&self.q);
        let mut out: Vec<WorkloadRow> = rows
            .iter()
            .filter(|r| self.cluster.as_ref().is_none_or(|c| *c == r.cluster_id))
            .filter(|r| self.namespace.as_ref().is_none_or(|n| *n == r.namespace))
            .filter(|r| self.status.is_none_or(|s| s == r.status))
            .filter(|r| r.matches(&words))
            .cloned()
            .collect();
        out.sort_by(|a, b| {
            let o = self.sort.compare(a, b);
            let o = if self.dir == SortDir::Desc {
                o.reverse()
            } else {
                o
            };
            o.then_with(|| a.key().cmp(&b.key()))
        });
        out
    }
}

/// The clusters and namespaces present, for the filter menus (sorted, unique).
pub fn facets(rows: &[WorkloadRow]) -> (Vec<String>, Vec<String>) {
    let mut clusters: Vec<String> = rows.iter().map(|r| r.cluster_id.clone()).collect();
    let mut namespaces: Vec<String> = rows.iter().map(|r| r.namespace.clone()).collect();
    clusters.sort();
    clusters.dedup();
    namespaces.sort();
    namespaces.dedup();
    (clusters, namespaces)
}

/// A revision's rollout outcome in words: successful, rolled back, canceled, paused, in
/// progress, invalid spec; a failed rollout was rolled back automatically; a first version
/// went live without a rollout.
pub fn outcome_label(r: &Revision) -> &'static str {
    match r.status {
        None => "Live without a rollout",
        Some(RolloutStatus::Pending) => "Waiting to start",
        Some(RolloutStatus::Failed) => "Failed, rolled back",
        Some(s) => s.group().label(),
    }
}

/// A label's word and what it means (its tooltip).
pub fn label_text(label: WorkloadLabel) -> (&'static str, &'static str) {
    match label {
        WorkloadLabel::Desired => ("Desired", "The latest applied version"),
        WorkloadLabel::Live => ("Live", "The version running as stable"),
        WorkloadLabel::Degraded => (
            "Degraded",
            "Its rollout was rolled back: the desired version is not the live one",
        ),
    }
}

/// BEM modifier of a label chip: `revision-label--{modifier}`.
pub fn label_modifier(label: WorkloadLabel) -> &'static str {
    match label {
        WorkloadLabel::Desired => "desired",
        WorkloadLabel::Live => "live",
        WorkloadLabel::Degraded => "degraded",
    }
}

#[cfg(test)]
pub mod fixtures {
    use chrono::{Duration, TimeZone, Utc};
    use rollout_api::{ReplicaCounts, Revision, RolloutStatus, Timestamp, Workload, WorkloadLabel};

    pub fn now() -> Timestamp {
        Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0).unwrap()
    }

    /// A revision applied `hours_ago`.
    pub fn rev(
        revision: u32,
        image: &str,
        hours_ago: i64,
        status: Option<RolloutStatus>,
        labels: &[WorkloadLabel],
    ) -> Revision {
        Revision {
            revision,
            image: image.into(),
            applied_at: now() - Duration::hours(hours_ago),
            rollout_id: status.map(|_| format!("rol-{revision}")),
            status,
            labels: labels.to_vec(),
        }
    }

    pub fn workload(name: &str, cluster: &str, revisions: Vec<Revision>) -> Workload {
        let desired = revisions
            .iter()
            .find(|r| r.labels.contains(&WorkloadLabel::Desired))
            .map(|r| r.revision)
            .unwrap_or(1);
        let live = revisions
            .iter()
            .find(|r| r.labels.contains(&WorkloadLabel::Live))
            .map(|r| r.revision)
            .unwrap_or(1);
        Workload {
            cluster_id: cluster.into(),
            namespace: "payments".into(),
            name: name.into(),
            kind: "SpotDeployment".into(),
            container: "app".into(),
            replicas: ReplicaCounts {
                desired: 3,
                ready: 3,
                ..Default::default()
            },
            desired_revision: desired,
            live_revision: live,
            degraded: revisions
                .iter()
                .any(|r| r.labels.contains(&WorkloadLabel::Degraded)),
            revisions,
        }
    }

    /// payments-api: revision 3 rolled back, revision 2 live: Degraded.
    pub fn degraded() -> Workload {
        use WorkloadLabel::*;
        workload(
            "payments-api",
            "prod-us-east",
            vec![
                rev(
                    3,
                    "registry.example.com/payments/api:4.3.0",
                    1,
                    Some(RolloutStatus::Aborted),
                    &[Desired, Degraded],
                ),
                rev(
                    2,
                    "registry.example.com/payments/api:4.2.0",
                    30,
                    Some(RolloutStatus::Finished),
                    &[Live],
                ),
                rev(1, "registry.example.com/payments/api:4.1.0", 100, None, &[]),
            ],
        )
    }

    /// search: revision 2 paused mid-rollout, revision 1 live.
    pub fn paused() -> Workload {
        use WorkloadLabel::*;
        workload(
            "search",
            "staging-eu",
            vec![
                rev(
                    2,
                    "registry.example.com/search:3.5.0",
                    0,
                    Some(RolloutStatus::Paused),
                    &[Desired],
                ),
                rev(1, "registry.example.com/search:3.4.0", 50, None, &[Live]),
            ],
        )
    }

    /// cart: healthy, one version.
    pub fn healthy() -> Workload {
        use WorkloadLabel::*;
        workload(
            "cart",
            "prod-us-east",
            vec![rev(
                1,
                "registry.example.com/cart:2.9.0",
                200,
                None,
                &[Desired, Live],
            )],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::*;
    use super::*;

    #[test]
    fn status_reads_the_active_rollout_and_degraded() {
        assert_eq!(workload_status(&degraded()), WorkloadStatus::Degraded);
        assert_eq!(workload_status(&paused()), WorkloadStatus::Paused);
        assert_eq!(workload_status(&healthy()), WorkloadStatus::Healthy);
        let mut w = paused();
        w.revisions[0].status = Some(RolloutStatus::Verifying);
        assert_eq!(workload_status(&w), WorkloadStatus::RollingOut);
        w.revisions[0].status = Some(RolloutStatus::InvalidSpec);
        assert_eq!(workload_status(&w), WorkloadStatus::InvalidSpec);
        w.revisions[0].status = Some(RolloutStatus::Finished);
        assert_eq!(workload_status(&w), WorkloadStatus::Healthy);
        assert!(active_revision(&w).is_none());
    }

    #[test]
    fn a_row_shows_the_live_image_and_the_desired_one_when_they_differ() {
        let row = WorkloadRow::new(&degraded());
        assert_eq!(row.image, "registry.example.com/payments/api:4.2.0");
        assert_eq!(
            row.desired_image.as_deref(),
            Some("registry.example.com/payments/api:4.3.0")
        );
        assert_eq!(row.live_since, Some(now() - chrono::Duration::hours(30)));
        assert_eq!(row.revisions, 3);
        assert_eq!(row.ready_text(), "3/3");
        assert_eq!(row.href, "/workloads/prod-us-east/payments/payments-api");
        assert_eq!(WorkloadRow::new(&healthy()).desired_image, None);
    }

    #[test]
    fn filters_search_and_sort() {
        let rows: Vec<WorkloadRow> = [degraded(), paused(), healthy()]
            .iter()
            .map(WorkloadRow::new)
            .collect();
        let names = |q: &WorkloadQuery| -> Vec<String> {
            q.apply(&rows).into_iter().map(|r| r.name).collect()
        };
        assert_eq!(
            names(&WorkloadQuery::default()),
            ["cart", "payments-api", "search"]
        );
        let q = WorkloadQuery {
            cluster: Some("prod-us-east".into()),
            ..Default::default()
        };
        assert_eq!(names(&q), ["cart", "payments-api"]);
        let q = WorkloadQuery {
            q: "API 4.3".into(),
            ..Default::default()
        };
        assert_eq!(names(&q), ["payments-api"]);
        let q = WorkloadQuery::default().sorted_by(WorkloadSort::Status);
        assert_eq!(names(&q), ["payments-api", "search", "cart"]);
        assert_eq!(
            names(&q.sorted_by(WorkloadSort::Status)),
            ["cart", "search", "payments-api"]
        );
        let q = WorkloadQuery::default().sorted_by(WorkloadSort::Revisions);
        assert_eq!(names(&q), ["payments-api", "search", "cart"]);
        let q = WorkloadQuery {
            status: Some(WorkloadStatus::Paused),
            ..Default::default()
        };
        assert_eq!(names(&q), ["search"]);
        let (clusters, namespaces) = facets(&rows);
        assert_eq!(clusters, ["prod-us-east", "staging-eu"]);
        assert_eq!(namespaces, ["payments"]);
    }

    #[test]
    fn the_view_round_trips_through_the_url() {
        let q = WorkloadQuery {
            cluster: Some("prod-us-east".into()),
            status: Some(WorkloadStatus::Degraded),
            q: "api".into(),
            ..Default::default()
        }
        .sorted_by(WorkloadSort::Age)
        .sorted_by(WorkloadSort::Age);
        let pairs = q.pairs();
        assert_eq!(
            pairs,
            [
                ("clusterId", "prod-us-east".to_string()),
                ("status", "degraded".to_string()),
                ("q", "api".to_string()),
                ("sort", "age".to_string()),
                ("dir", "desc".to_string()),
            ]
        );
        let back = WorkloadQuery::from_lookup(|k| {
            pairs.iter().find(|(p, _)| *p == k).map(|(_, v)| v.clone())
        });
        assert_eq!(back, q);
        assert!(WorkloadQuery::default().pairs().is_empty());
        assert_eq!(
            WorkloadQuery::from_lookup(|k| (k == "status").then(|| "nope".to_string())),
            WorkloadQuery::default()
        );
    }

    #[test]
    fn outcomes_and_labels_in_words() {
        let w = degraded();
        let words: Vec<&str> = w.revisions.iter().map(outcome_label).collect();
        assert_eq!(
            words,
            ["Rolled back", "Successful", "Live without a rollout"]
        );
        let mut r = w.revisions[0].clone();
        r.status = Some(RolloutStatus::Canceled);
        assert_eq!(outcome_label(&r), "Canceled");
        r.status = Some(RolloutStatus::Failed);
        assert_eq!(outcome_label(&r), "Failed, rolled back");
        r.status = Some(RolloutStatus::FailurePolicyPaused);
        assert_eq!(outcome_label(&r), "Paused");
        r.status = Some(RolloutStatus::Verifying);
        assert_eq!(outcome_label(&r), "In progress");
        assert_eq!(label_text(WorkloadLabel::Live).0, "Live");
        assert_eq!(label_modifier(WorkloadLabel::Degraded), "degraded");
    }
}
