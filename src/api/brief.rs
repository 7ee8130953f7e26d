//! What the attention inbox reads of a rollout: the few fields of `GET /api/v1/rollouts/:id`
//! it speaks from (state, place, conditions, and when each metric last had data). The same
//! answer as the rollout page's [`RolloutDetail`](rollout_api::RolloutDetail), decoded into
//! less: the rest (pods, versions, actions, activity, Kubernetes facts…) is skipped unread, so
//! the code that decodes all of it stays in the rollout page's lazy part and out of the wasm
//! every page loads first.

use rollout_api::{wire_time, DataPointStatus, RolloutConditions, RolloutStatus, Timestamp};
use serde::Deserialize;

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RolloutBrief {
    pub id: String,
    pub status: RolloutStatus,
    pub spot_deployment: SpotDeploymentName,
    #[serde(deserialize_with = "wire_time::deserialize")]
    pub start_time: Timestamp,
    #[serde(default, deserialize_with = "wire_time::option::deserialize")]
    pub end_time: Option<Timestamp>,
    pub cluster_id: String,
    pub namespace: String,
    pub phases: Vec<PhaseBrief>,
    pub background_verifications: Vec<VerificationBrief>,
    pub conditions: RolloutConditions,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct SpotDeploymentName {
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PhaseBrief {
    #[serde(default, deserialize_with = "wire_time::option::deserialize")]
    pub start_time: Option<Timestamp>,
    #[serde(default, deserialize_with = "wire_time::option::deserialize")]
    pub end_time: Option<Timestamp>,
    pub verifications: Vec<VerificationBrief>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VerificationBrief {
    pub metric_name: String,
    pub data_points: Vec<MeasurementBrief>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct MeasurementBrief {
    #[serde(deserialize_with = "wire_time::deserialize")]
    pub timestamp: Timestamp,
    pub status: DataPointStatus,
}
