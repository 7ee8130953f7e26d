//! Rollouts: the list, one rollout's views, and actions on it.

use super::JsonBody;
use crate::listing::{list_rollouts, EventParams, Filter, ListParams};
use crate::{security, ApiError, AppState};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::Json;
use rollout_api as api;

fn not_found(id: &str) -> ApiError {
    ApiError::NotFound(format!("no rollout `{id}`"))
}

pub async fn list(
    State(state): State<AppState>,
    query: Result<Query<ListParams>, QueryRejection>,
) -> Result<Json<api::RolloutList>, ApiError> {
    let Query(params) =
        query.map_err(|e| ApiError::BadRequest(format!("invalid query: {}", e.body_text())))?;
    let source = state.source();
    let filter = Filter::parse(&params, source.now()).map_err(ApiError::BadRequest)?;
    Ok(Json(list_rollouts(&source.rollouts(), &filter)))
}

pub async fn detail(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<api::RolloutDetail>, ApiError> {
    let found = state.source().rollout(&id).await;
    found.map(Json).ok_or_else(|| not_found(&id))
}

pub async fn events(
    State(state): State<AppState>,
    Path(id): Path<String>,
    query: Result<Query<EventParams>, QueryRejection>,
) -> Result<Json<api::EventPage>, ApiError> {
    let source = state.source();
    super::event_page(query, source.events(&id), not_found(&id)).await
}

pub async fn resources(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<api::Resources>, ApiError> {
    let found = state.source().resources(&id).await;
    found.map(Json).ok_or_else(|| not_found(&id))
}

pub async fn definition(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<api::Definition>, ApiError> {
    let found = state.source().definition(&id).await;
    found.map(Json).ok_or_else(|| not_found(&id))
}

pub async fn manifests(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<api::Manifests>, ApiError> {
    let found = state.source().manifests(&id).await;
    found.map(Json).ok_or_else(|| not_found(&id))
}

pub async fn audit(
    State(state): State<AppState>,
    query: Result<Query<crate::audit::AuditParams>, QueryRejection>,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse;
    let Query(params) =
        query.map_err(|e| ApiError::BadRequest(format!("invalid query: {}", e.body_text())))?;
    let filter = crate::audit::AuditFilter::parse(&params).map_err(ApiError::BadRequest)?;
    let page = crate::audit::page(state.source().audit().await, &filter);
    if filter.csv {
        let mut res = crate::audit::csv(&page.entries).into_response();
        let headers = res.headers_mut();
        headers.insert(
            axum::http::header::CONTENT_TYPE,
            axum::http::HeaderValue::from_static("text/csv; charset=utf-8"),
        );
        headers.insert(
            axum::http::header::CONTENT_DISPOSITION,
            axum::http::HeaderValue::from_static("attachment; filename=\"audit.csv\""),
        );
        if let Some(next) = page
            .next_cursor
            .as_deref()
            .and_then(|c| axum::http::HeaderValue::from_str(c).ok())
        {
            // The CSV has no room for it: the next page's cursor rides in a header.
            headers.insert("x-next-cursor", next);
        }
        return Ok(res);
    }
    Ok(Json(page).into_response())
}

pub async fn act(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    JsonBody(req): JsonBody<api::ActionRequest>,
) -> Result<Json<api::RolloutDetail>, ApiError> {
    // Who acted is who authenticated, never what the body says.
    let actor = security::authenticate(&state, &headers)?.actor();
    let reason = action_reason(req.reason.as_deref(), state.config().require_reason)?;
    Ok(Json(
        state
            .source()
            .act(&id, req.action, actor, reason.as_deref())
            .await?,
    ))
}

/// The reason as kept: at most [`api::MAX_REASON_CHARS`] characters as sent (422 past it),
/// trimmed, empty is none, and present when the server requires one (422 without).
pub fn action_reason(reason: Option<&str>, required: bool) -> Result<Option<String>, ApiError> {
    let unprocessable = |message: String| {
        ApiError::Unprocessable(api::ErrorBody {
            message,
            ..Default::default()
        })
    };
    // The cap counts what was sent (as the API document's maxLength does).
    if let Some(r) = reason.filter(|r| r.chars().count() > api::MAX_REASON_CHARS) {
        return Err(unprocessable(format!(
            "the reason has {} characters; at most {} are kept",
            r.chars().count(),
            api::MAX_REASON_CHARS
        )));
    }
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    match reason {
        None if required => Err(unprocessable(
            "this server requires a reason for every action: say why in `reason`".into(),
        )),
        None => Ok(None),
        // A control character (but a line break) would garble a log line or a CSV cell.
        Some(r) => Ok(Some(
            r.chars()
                .map(|c| if c.is_control() && c != '\n' { ' ' } else { c })
                .collect(),
        )),
    }
}
