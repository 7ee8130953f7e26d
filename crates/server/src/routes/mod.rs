//! `/api/v1`: the route table, the guard on mutations, and the small extractors every handler
//! shares. Handlers are thin: they parse, call the engine (through [`crate::Core`]) and answer.

mod apply;
mod clusters;
mod openapi;
mod rollouts;
mod sim;
mod stream;

use crate::listing::{page_events, EventParams};
use crate::{security, ApiError, AppState, MAX_BODY_BYTES};
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{DefaultBodyLimit, FromRequest, Query, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::{from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::de::DeserializeOwned;

pub fn api(state: AppState) -> Router<AppState> {
    let json_mutations = Router::new()
        .route("/rollouts/{id}/actions", post(rollouts::act))
        .route("/sim/advance", post(sim::advance))
        .route("/clusters/{id}/operator", post(clusters::set_operator))
        .route_layer(from_fn_with_state(state.clone(), guard_json));
    let yaml_mutations = Router::new()
        .route("/apply", post(apply::apply))
        .route_layer(from_fn_with_state(state.clone(), guard_yaml));
    let reads = Router::new()
        .route("/rollouts", get(rollouts::list))
        .route("/rollouts/{id}", get(rollouts::detail))
        .route("/rollouts/{id}/events", get(rollouts::events))
        .route("/rollouts/{id}/resources", get(rollouts::resources))
        .route("/rollouts/{id}/definition", get(rollouts::definition))
        .route("/rollouts/{id}/manifests", get(rollouts::manifests))
        .route("/workloads", get(clusters::workloads))
        .route(
            "/workloads/{cluster_id}/{namespace}/{name}",
            get(clusters::workload),
        )
        .route(
            "/workloads/{cluster_id}/{namespace}/{name}/manifest",
            get(clusters::workload_manifest),
        )
        .route("/clusters", get(clusters::clusters))
        .route("/clusters/{id}/events", get(clusters::events))
        .route("/audit", get(rollouts::audit))
        .route("/stream", get(stream::stream))
        .route_layer(from_fn_with_state(state, security::guard_read));
    Router::new()
        .route("/health", get(sim::health))
        .route("/openapi.json", get(openapi::openapi))
        .route("/session", post(security::create_session))
        .merge(reads)
        .merge(json_mutations)
        .merge(yaml_mutations)
        .fallback(|| async { ApiError::NotFound("no such API route".into()) })
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
}

/// The media type of a request without parameters, lower-cased.
fn media_type(headers: &HeaderMap) -> Option<String> {
    let v = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    Some(
        v.split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase(),
    )
}

async fn guard_json(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if let Err(e) = security::check_mutation(&state, req.headers()) {
        return e.into_response();
    }
    match media_type(req.headers()).as_deref() {
        Some("application/json") => next.run(req).await,
        _ => ApiError::UnsupportedMediaType(
            "send the body as `Content-Type: application/json`".into(),
        )
        .into_response(),
    }
}

async fn guard_yaml(State(state): State<AppState>, req: Request, next: Next) -> Response {
    // A dry run changes nothing: a read-only server answers it too (with the token, when the
    // server has one, and from the same origin, as any POST).
    let checked = match apply::ApplyParams::dry_run(req.uri().query()) {
        Ok(true) => security::authenticate(&state, req.headers())
            .and_then(|p| security::check_same_origin(req.headers()).map(|()| p)),
        Ok(false) => security::check_mutation(&state, req.headers()),
        Err(e) => Err(e),
    };
    if let Err(e) = checked {
        return e.into_response();
    }
    match media_type(req.headers()).as_deref() {
        // Never a type a plain HTML form can send (text/plain, form encodings).
        Some("application/yaml" | "application/json") => next.run(req).await,
        _ => ApiError::UnsupportedMediaType(
            "send the YAML as `Content-Type: application/yaml` (or JSON as application/json)"
                .into(),
        )
        .into_response(),
    }
}

/// `GET …/events`: one page of an owner's events (a rollout's, or a cluster's of no rollout).
/// The query is checked first (400), then `history` is read: `None` answers `missing`.
async fn event_page(
    query: Result<Query<EventParams>, QueryRejection>,
    history: impl std::future::Future<Output = Option<rollout_engine::EventHistory>>,
    missing: ApiError,
) -> Result<Json<rollout_api::EventPage>, ApiError> {
    let Query(params) =
        query.map_err(|e| ApiError::BadRequest(format!("invalid query: {}", e.body_text())))?;
    let history = history.await.ok_or(missing)?;
    Ok(Json(
        page_events(history, &params).map_err(ApiError::BadRequest)?,
    ))
}

/// The request body, within [`MAX_BODY_BYTES`] (413 past it).
pub struct Body(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for Body {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Bytes::from_request(req, state).await {
            Ok(b) => Ok(Body(b)),
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                Err(ApiError::PayloadTooLarge(format!(
                    "the body is larger than {} bytes",
                    MAX_BODY_BYTES
                )))
            }
            Err(e) => Err(ApiError::BadRequest(format!(
                "cannot read the body: {}",
                e.body_text()
            ))),
        }
    }
}

/// A JSON body (400 when it does not parse into `T`, naming the problem).
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let Body(bytes) = Body::from_request(req, state).await?;
        serde_json::from_slice(&bytes)
            .map(JsonBody)
            .map_err(|e| ApiError::BadRequest(format!("invalid JSON body: {e}")))
    }
}

/// Under `/api`, every error answer is JSON `{message}`, including the ones the router makes
/// itself (405, unknown paths outside `/api/v1`).
pub async fn json_errors(req: Request, next: Next) -> Response {
    let is_api = req.uri().path() == "/api" || req.uri().path().starts_with("/api/");
    let res = next.run(req).await;
    let status = res.status();
    if !is_api || !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if is_json {
        return res;
    }
    let message = match status {
        StatusCode::NOT_FOUND => "no such API route".to_string(),
        StatusCode::METHOD_NOT_ALLOWED => "method not allowed on this route".to_string(),
        s => s.canonical_reason().unwrap_or("error").to_string(),
    };
    let mut out = (
        status,
        Json(rollout_api::ErrorBody {
            message,
            ..Default::default()
        }),
    )
        .into_response();
    if let Some(allow) = res.headers().get(header::ALLOW) {
        out.headers_mut().insert(header::ALLOW, allow.clone());
    }
    out
}
