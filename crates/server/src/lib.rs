//! The HTTP side of the rollout engine: routes, errors, store, live stream, static console.

pub mod audit;
pub mod boot;
pub mod client;
pub mod core;
pub mod demo;
mod error;
mod first_screen;
pub mod history;
pub mod listing;
pub mod live;
pub mod migrate;
mod routes;
pub mod security;
pub mod snapshot;
pub mod source;
pub mod store;
pub mod stream;
mod web;

pub use crate::core::{ClockMode, Core};
pub use boot::{open, Options};
pub use error::ApiError;
pub use source::{Source, SourceError};

use axum::response::IntoResponse;
use axum::Router;
use std::path::PathBuf;
use std::sync::Arc;

/// Largest request body accepted (larger: 413).
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

/// The clusters every server knows: `(id, name, cloud provider)`.
pub const CLUSTERS: &[(&str, &str, &str)] = &[
    ("prod-us-east", "Production US East", "AWS"),
    ("staging-eu", "Staging EU West", "GCP"),
];

#[derive(Default)]
pub struct Config {
    /// Trunk's output folder with index.html.
    pub dist: PathBuf,
    /// When set, requests need it: `Authorization: Bearer <token>` or the session cookie
    /// (see [`security`]).
    pub token: Option<String>,
    /// Refuse every mutation with 403.
    pub read_only: bool,
    /// Every action needs a reason (422 without one).
    pub require_reason: bool,
    /// With a token, let reads through without it.
    pub public_reads: bool,
    /// Host names (optionally `name:port`) the server answers to besides loopback names.
    pub allowed_hosts: Vec<String>,
    /// The address the server listens on (its port is the one loopback names must use).
    pub bound: Option<std::net::SocketAddr>,
}

#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    config: Config,
    console: web::Console,
    source: Source,
}

impl AppState {
    /// A server over the embedded engine.
    pub fn new(config: Config, core: Arc<Core>) -> AppState {
        AppState::with_source(config, Source::Engine(core))
    }

    /// A server over any source of rollouts.
    pub fn with_source(config: Config, source: Source) -> AppState {
        let console = web::Console::load(&config.dist);
        AppState {
            inner: Arc::new(Inner {
                config,
                console,
                source,
            }),
        }
    }

    /// Where the rollouts come from; handlers read only through this.
    pub fn source(&self) -> &Source {
        &self.inner.source
    }

    /// True when no change is accepted: `--read-only`, or a source that cannot change.
    pub fn read_only(&self) -> bool {
        self.inner.config.read_only || self.inner.source.snapshot().is_some()
    }

    pub fn config(&self) -> &Config {
        &self.inner.config
    }
}

/// The whole HTTP surface: `/api/v1/...` and the console with SPA fallback.
pub fn app(state: AppState) -> Router {
    Router::new()
        .nest("/api/v1", routes::api(state.clone()))
        .merge(web::routes(&state.inner.config.dist))
        .layer(axum::middleware::from_fn(routes::json_errors))
        // A bug must not take a connection down silently: answer 500 `{message}`.
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            |_: Box<dyn std::any::Any + Send>| {
                ApiError::Internal("the server hit a bug handling this request".into())
                    .into_response()
            },
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security::host_guard,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            web::security_headers,
        ))
        // Outermost, so it sees the final answer (index.html included): JSON and the page are
        // compressed per request (brotli at quality 4, or gzip); files the build precompressed
        // already carry their encoding and pass through; the event stream never is (the
        // default predicate skips SSE, each event must reach the browser at once).
        .layer(tower_http::compression::CompressionLayer::new())
        .with_state(state)
}
