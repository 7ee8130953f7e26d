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
    let source = state.source();
    // A snapshot's time stands still at the moment it was taken.
    let mode = source.engine().ok().map(|c| c.mode());
    api::Health {
        status: "ok".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        read_only: state.read_only(),
        auth_required: state.config().token.is_some(),
        manual_clock: mode == Some(ClockMode::Manual),
        require_reason: state.config().require_reason,
        now: source.now(),
        speed: match mode {
            Some(ClockMode::Real { speed }) => speed,
            Some(ClockMode::Manual) | None => 0.0,
        },
        rollouts: source.rollouts().len(),
        clusters: source.clusters().len(),
        snapshot: source.snapshot().cloned(),
        tick: source.engine().ok().map(|c| c.tick_health()),
        live: source.live_health(),
    }
}

pub async fn health(State(state): State<AppState>) -> Json<api::Health> {
    Json(health_of(&state))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdvanceRequest {
    /// Whole seconds; `60.0` is as good as `60` (JSON has one number type).
    seconds: serde_json::Number,
}

pub async fn advance(
    State(state): State<AppState>,
    JsonBody(req): JsonBody<AdvanceRequest>,
) -> Result<Json<api::Health>, ApiError> {
    let core = state.source().engine()?;
    if core.mode() != ClockMode::Manual {
        return Err(ApiError::Conflict(
            "the clock runs in real time; start the server with --manual-clock to move it by hand"
                .into(),
        ));
    }
    let seconds = req
        .seconds
        .as_u64()
        .or_else(|| {
            req.seconds
                .as_f64()
                .filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f <= MAX_ADVANCE_SECONDS as f64)
                .map(|f| f as u64)
        })
        .ok_or_else(|| {
            ApiError::BadRequest(format!(
                "`seconds` must be a whole number from 0 to {MAX_ADVANCE_SECONDS}"
            ))
        })?;
    if seconds > MAX_ADVANCE_SECONDS {
        return Err(ApiError::BadRequest(format!(
            "`seconds` may be at most {MAX_ADVANCE_SECONDS} (30 days)"
        )));
    }
    core.advance(seconds).await?;
    Ok(Json(health_of(&state)))
}
