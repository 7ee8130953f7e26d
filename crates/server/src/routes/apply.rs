//! `POST /apply`: a multi-document YAML stream, as `kubectl apply -f`.

use super::Body;
use crate::{ApiError, AppState};
use axum::extract::State;
use axum::Json;
use rollout_api as api;

pub async fn apply(
    State(state): State<AppState>,
    Body(bytes): Body,
) -> Result<Json<api::ApplyResponse>, ApiError> {
    let yaml = String::from_utf8(bytes.to_vec())
        .map_err(|e| ApiError::BadRequest(format!("the YAML is not UTF-8: {e}")))?;
    match state.source().engine()?.apply(yaml).await? {
        Ok(resp) => Ok(Json(resp)),
        Err(e) => Err(ApiError::Unprocessable(api::ErrorBody {
            message: e.message,
            document: Some(e.document),
            line: Some(e.line),
            column: Some(e.column),
        })),
    }
}
