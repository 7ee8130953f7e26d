//! Workloads and clusters (with the operator switch and the events of no rollout).

use super::JsonBody;
use crate::listing::EventParams;
use crate::{ApiError, AppState};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::Json;
use rollout_api as api;
use serde::Deserialize;

pub async fn workloads(State(state): State<AppState>) -> Json<Vec<api::Workload>> {
    Json(state.source().workloads().await)
}

pub async fn workload(
    State(state): State<AppState>,
    Path((cluster_id, namespace, name)): Path<(String, String, String)>,
) -> Result<Json<api::Workload>, ApiError> {
    let found = state
        .source()
        .workload(&cluster_id, &namespace, &name)
        .await;
    found
        .map(Json)
        .ok_or_else(|| ApiError::NotFound(format!("no workload {cluster_id}/{namespace}/{name}")))
}

/// The desired revision's SpotDeployment manifest, as applied: `{revision, yaml}` (what
/// `set-image` edits).
pub async fn workload_manifest(
    State(state): State<AppState>,
    Path((cluster_id, namespace, name)): Path<(String, String, String)>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let found = state
        .source()
        .workload_manifest(&cluster_id, &namespace, &name)
        .await
        .map(|(revision, yaml)| serde_json::json!({ "revision": revision, "yaml": yaml }));
    found
        .map(Json)
        .ok_or_else(|| ApiError::NotFound(format!("no workload {cluster_id}/{namespace}/{name}")))
}

pub async fn clusters(State(state): State<AppState>) -> Json<Vec<api::Cluster>> {
    Json(state.source().clusters().to_vec())
}

/// The cluster's Kubernetes events that belong to no rollout (a workload going live at its
/// first revision), paged and bounded like a rollout's.
pub async fn events(
    State(state): State<AppState>,
    Path(id): Path<String>,
    query: Result<Query<EventParams>, QueryRejection>,
) -> Result<Json<api::EventPage>, ApiError> {
    let source = state.source();
    let missing = ApiError::NotFound(format!("no cluster `{id}`"));
    super::event_page(query, source.cluster_events(&id), missing).await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperatorRequest {
    running: bool,
}

pub async fn set_operator(
    State(state): State<AppState>,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<OperatorRequest>,
) -> Result<Json<api::Cluster>, ApiError> {
    state
        .source()
        .engine()?
        .set_operator(&id, req.running)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::NotFound(format!("no cluster `{id}`")))
}
