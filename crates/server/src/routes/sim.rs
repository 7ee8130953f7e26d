//! Health and the simulation clock.

use super::JsonBody;
use crate::{ApiError, AppState, ClockMode};
use axum::extract::State;
use axum::Json;
use rollout_api as api;
use serde::Deserialize;

/// The most one `/sim/advance` may move the clock (30 days).
pub const MAX_ADVANCE_SECONDS: u64 = 30 * 24 * 3600;

pub fn health_of(state: &AppState) -> api::Health {
    let core = state.core();
    api::Health {
        status: "ok".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        read_only: state.config().read_only,
        auth_required: state.config().token.is_some(),
        manual_clock: core.mode() == ClockMode::Manual,
        now: core.now(),
        speed: match core.mode() {
            ClockMode::Manual => 0.0,
            ClockMode::Real { speed } => speed,
        },
        rollouts: core.rollouts().len(),
        clusters: core.clusters().len(),
    }
}

pub async fn health(State(state): State<AppState>) -> Json<api::Health> {
    Json(health_of(&state))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdvanceRequest {
    seconds: u64,
}

pub async fn advance(
    State(state): State<AppState>,
    JsonBody(req): JsonBody<AdvanceRequest>,
) -> Result<Json<api::Health>, ApiError> {
    if state.core().mode() != ClockMode::Manual {
        return Err(ApiError::Conflict(
            "the clock runs in real time; start the server with --manual-clock to move it by hand"
                .into(),
        ));
    }
    if req.seconds > MAX_ADVANCE_SECONDS {
        return Err(ApiError::BadRequest(format!(
            "`seconds` may be at most {MAX_ADVANCE_SECONDS} (30 days)"
        )));
    }
    state.core().advance(req.seconds).await?;
    Ok(Json(health_of(&state)))
}
