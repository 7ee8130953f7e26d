//! JSON calls to `/api/v1`. Every call returns `Result<T, ApiError>`; nothing is swallowed.

use crate::api::brief::RolloutBrief;
use crate::url::encode;
use gloo_net::http::{Request, Response};
use rollout_api::{
    ActionKind, ActionRequest, Definition, ErrorBody, EventPage, Health, Manifests, Resources,
    RolloutDetail, RolloutList,
};
use serde::de::DeserializeOwned;
use std::fmt;

const BASE: &str = "/api/v1";

#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The server could not be reached at all.
    Network(String),
    /// The server answered with an error status and its `{message}`.
    Http { status: u16, message: String },
    /// The answer was not what the console expected.
    Decode(String),
}

impl ApiError {
    pub fn is_not_found(&self) -> bool {
        matches!(self, ApiError::Http { status: 404, .. })
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::Network(m) => write!(f, "the server could not be reached ({m})"),
            ApiError::Http { status, message } => write!(f, "{message} (HTTP {status})"),
            ApiError::Decode(m) => write!(f, "unexpected answer from the server ({m})"),
        }
    }
}

impl std::error::Error for ApiError {}

async fn read<T: DeserializeOwned>(resp: Response) -> Result<T, ApiError> {
    if !resp.ok() {
        let status = resp.status();
        let message = match resp.json::<ErrorBody>().await {
            Ok(body) => body.message,
            Err(_) => resp.status_text(),
        };
        return Err(ApiError::Http { status, message });
    }
    resp.json::<T>()
        .await
        .map_err(|e| ApiError::Decode(e.to_string()))
}

pub async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    let resp = Request::get(&format!("{BASE}{path}"))
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    read(resp).await
}

async fn post_json<B: serde::Serialize, T: DeserializeOwned>(
    path: &str,
    body: &B,
) -> Result<T, ApiError> {
    // Authenticated by the session cookie (see `session`), when the server has a token.
    let resp = Request::post(&format!("{BASE}{path}"))
        .json(body)
        .map_err(|e| ApiError::Decode(e.to_string()))?
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    read(resp).await
}

/// POSTs a YAML stream as `application/yaml` (what `/apply` takes).
async fn post_yaml<T: DeserializeOwned>(path: &str, yaml: &str) -> Result<T, ApiError> {
    let resp = Request::post(&format!("{BASE}{path}"))
        .header("content-type", "application/yaml")
        .body(yaml)
        .map_err(|e| ApiError::Decode(e.to_string()))?
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    read(resp).await
}

/// What applying `yaml` would do; nothing changes.
pub async fn apply_dry_run(yaml: &str) -> Result<rollout_api::ApplyPlan, ApiError> {
    post_yaml("/apply?dryRun=true", yaml).await
}

/// Applies `yaml` (a 422 says which document and line is wrong).
pub async fn apply(yaml: &str) -> Result<rollout_api::ApplyResponse, ApiError> {
    post_yaml("/apply", yaml).await
}

pub async fn health() -> Result<Health, ApiError> {
    get("/health").await
}

/// `query` is the URL query without `?` (filters, cursor, limit).
pub async fn rollouts(query: &str) -> Result<RolloutList, ApiError> {
    get(&format!("/rollouts?{query}")).await
}

pub async fn rollout(id: &str) -> Result<RolloutDetail, ApiError> {
    get(&rollout_path(id)).await
}

/// The same answer as [`rollout`], read for the attention inbox: see [`RolloutBrief`].
pub async fn rollout_brief(id: &str) -> Result<RolloutBrief, ApiError> {
    get(&rollout_path(id)).await
}

fn rollout_path(id: &str) -> String {
    format!("/rollouts/{}", encode(id))
}

/// A page of the rollout's events, newest first: the newest `limit`, or with `cursor` (a
/// page's `nextCursor`) the `limit` older ones after that page.
pub async fn events(id: &str, cursor: Option<&str>, limit: usize) -> Result<EventPage, ApiError> {
    event_page(&format!("/rollouts/{}", encode(id)), cursor, limit).await
}

/// A page of the cluster's events that belong to no rollout, newest first (paged like a
/// rollout's: see [`events`]); 404 for an unknown cluster.
pub async fn cluster_events(
    id: &str,
    cursor: Option<&str>,
    limit: usize,
) -> Result<EventPage, ApiError> {
    event_page(&format!("/clusters/{}", encode(id)), cursor, limit).await
}

/// `{owner}/events?limit&cursor`.
async fn event_page(
    owner: &str,
    cursor: Option<&str>,
    limit: usize,
) -> Result<EventPage, ApiError> {
    let mut path = format!("{owner}/events?limit={limit}");
    if let Some(c) = cursor {
        path.push_str(&format!("&cursor={}", encode(c)));
    }
    get(&path).await
}

pub async fn resources(id: &str) -> Result<Resources, ApiError> {
    get(&format!("/rollouts/{}/resources", encode(id))).await
}

pub async fn definition(id: &str) -> Result<Definition, ApiError> {
    get(&format!("/rollouts/{}/definition", encode(id))).await
}

pub async fn manifests(id: &str) -> Result<Manifests, ApiError> {
    get(&format!("/rollouts/{}/manifests", encode(id))).await
}

/// Runs `action` on a rollout, with the user's reason (None when they gave none).
pub async fn act(
    id: &str,
    action: ActionKind,
    reason: Option<String>,
) -> Result<RolloutDetail, ApiError> {
    let body = ActionRequest { action, reason };
    post_json(&format!("/rollouts/{}/actions", encode(id)), &body).await
}

/// Rows asked for per page when loading a whole date window.
const LIST_PAGE: usize = 2_000;

/// Every rollout matching `query` (filters only, no `limit`/`cursor`), following `nextCursor`
/// 2,000 at a time. `progress(loaded, total)` is called after each page.
pub async fn all_rollouts(
    query: &str,
    progress: impl Fn(usize, usize),
) -> Result<Vec<rollout_api::RolloutSummary>, ApiError> {
    let mut items = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut q = format!("{query}&limit={LIST_PAGE}");
        if let Some(c) = &cursor {
            q.push_str(&format!("&cursor={}", encode(c)));
        }
        let page = rollouts(&q).await?;
        items.extend(page.items);
        progress(items.len(), page.total);
        match page.next_cursor {
            Some(c) if !c.is_empty() => cursor = Some(c),
            _ => return Ok(items),
        }
    }
}

pub async fn workloads() -> Result<Vec<rollout_api::Workload>, ApiError> {
    get("/workloads").await
}

pub async fn clusters() -> Result<Vec<rollout_api::Cluster>, ApiError> {
    get("/clusters").await
}

/// The newest rollouts of one workload (any age), newest first.
pub async fn workload_rollouts(
    cluster_id: &str,
    namespace: &str,
    name: &str,
    limit: usize,
) -> Result<RolloutList, ApiError> {
    rollouts(&format!(
        "from=1970-01-01T00:00:00Z&clusterId={}&namespace={}&spotDeployment={}&limit={limit}",
        encode(cluster_id),
        encode(namespace),
        encode(name)
    ))
    .await
}

/// One page of the audit log; `query` is the URL query without `?` (filters, limit, cursor).
pub async fn audit(query: &str) -> Result<rollout_api::AuditPage, ApiError> {
    get(&format!("/audit?{query}")).await
}
