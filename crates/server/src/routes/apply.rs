//! `POST /apply`: a multi-document YAML stream, as `kubectl apply -f`; `?dryRun=true` answers
//! what it would do and changes nothing.

use super::Body;
use crate::source::Source;
use crate::{security, ApiError, AppState};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Json;
use rollout_api as api;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct ApplyParams {
    #[serde(rename = "dryRun", default)]
    dry_run: Option<String>,
}

impl ApplyParams {
    /// `dryRun=true` (or `1`, or bare `dryRun`): plan only.
    pub fn dry_run(query: Option<&str>) -> Result<bool, ApiError> {
        let Some(query) = query else {
            return Ok(false);
        };
        let Query(p) = Query::<ApplyParams>::try_from_uri(
            &format!("/?{query}").parse().map_err(|_| bad_query())?,
        )
        .map_err(|e: QueryRejection| {
            ApiError::BadRequest(format!("invalid query: {}", e.body_text()))
        })?;
        match p.dry_run.as_deref() {
            None | Some("false") | Some("0") => Ok(false),
            Some("true") | Some("1") | Some("") => Ok(true),
            Some(other) => Err(ApiError::BadRequest(format!(
                "dryRun: expected true or false, not `{}`",
                other.chars().take(40).collect::<String>()
            ))),
        }
    }
}

fn bad_query() -> ApiError {
    ApiError::BadRequest("invalid query".into())
}

pub async fn apply(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: axum::http::Uri,
    Body(bytes): Body,
) -> Result<Response, ApiError> {
    let dry_run = ApplyParams::dry_run(uri.query())?;
    let yaml = String::from_utf8(bytes.to_vec())
        .map_err(|e| ApiError::BadRequest(format!("the YAML is not UTF-8: {e}")))?;
    if dry_run {
        return Ok(Json(plan(&state, yaml).await?).into_response());
    }
    let actor = security::authenticate(&state, &headers)?.actor();
    match state.source().engine()?.apply(yaml, actor).await? {
        Ok(resp) => Ok(Json(resp).into_response()),
        Err(e) => Err(unprocessable(e)),
    }
}

fn unprocessable(e: rollout_engine::ApplyError) -> ApiError {
    ApiError::Unprocessable(api::ErrorBody {
        message: e.message,
        document: Some(e.document),
        line: Some(e.line),
        column: Some(e.column),
    })
}

/// The dry run. A source without the simulator (a snapshot, live clusters) holds no applied
/// documents: each is checked, planned against nothing stored, and the plan says nothing is
/// applied there.
async fn plan(state: &AppState, yaml: String) -> Result<api::ApplyPlan, ApiError> {
    match state.source() {
        Source::Engine(core) => core.plan(yaml).await.map_err(unprocessable),
        Source::Kube(k) => {
            let clusters: Vec<(String, String, String)> = state
                .source()
                .clusters()
                .iter()
                .map(|c| (c.id.clone(), c.name.clone(), c.cloud_provider.clone()))
                .collect();
            let checked =
                tokio::task::spawn_blocking(move || rollout_engine::validate::check_stream(&yaml))
                    .await
                    .map_err(|e| ApiError::Internal(format!("reading the YAML failed: {e}")))?
                    .map_err(unprocessable)?;
            let refs: Vec<(&str, &str, &str)> = clusters
                .iter()
                .map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str()))
                .collect();
            let empty = rollout_engine::Engine::new(k.now(), &refs);
            let mut plan = empty.plan_apply(checked);
            plan.rollouts_started.clear();
            plan.rollouts_canceled.clear();
            plan.rollouts_resumed.clear();
            plan.messages = vec![crate::source::CHECKED_ONLY.to_string()];
            Ok(plan)
        }
    }
}
