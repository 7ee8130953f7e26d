//! The HTTP side of the rollout engine: routes, errors, static console.

mod error;
mod web;

pub use error::ApiError;

use axum::{routing::get, Json, Router};
use rollout_api as api;
use std::path::PathBuf;
use std::sync::Arc;

pub struct Config {
    /// Trunk's output folder with index.html.
    pub dist: PathBuf,
}

#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    config: Config,
    console: web::Console,
}

impl AppState {
    pub fn new(config: Config) -> AppState {
        let console = web::Console::load(&config.dist);
        AppState {
            inner: Arc::new(Inner { config, console }),
        }
    }
}

/// The whole HTTP surface: `/api/v1/...` and the console with SPA fallback.
pub fn app(state: AppState) -> Router {
    let api = Router::new()
        .route("/health", get(health))
        .fallback(|| async { ApiError::NotFound("no such API route".into()) });
    Router::new()
        .nest("/api/v1", api)
        .merge(web::routes(&state.inner.config.dist))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            web::security_headers,
        ))
        .with_state(state)
}

async fn health() -> Json<api::Health> {
    Json(api::Health {
        status: "ok".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        read_only: false,
        auth_required: false,
        manual_clock: false,
        now: chrono::Utc::now(),
        rollouts: 0,
        clusters: 0,
    })
}
