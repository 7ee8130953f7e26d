//! RolloutSpecs: a valid name; what it refers to (SpotDeployment, Strategy, services) is read as
//! written and resolved later, and the failure policy defaults to abort.

use super::document::typed;
use super::fields::ocean_name;
use super::DocError;
use crate::entities::{self as e, Kind};

#[derive(Debug, Clone)]
pub struct RolloutSpecInfo {
    pub name: String,
    pub cluster_id: String,
    pub namespace: String,
    pub spot_deployment: String,
    pub strategy: String,
    pub stable_service: Option<String>,
    pub canary_service: Option<String>,
    pub failure_policy: e::FailureAction,
}

pub(super) fn rollout_spec(text: &str) -> Result<RolloutSpecInfo, DocError> {
    let r: e::RolloutSpec = typed(text)?;
    let name = ocean_name(text, Kind::RolloutSpec, &r.name, &r.metadata)?;
    let traffic = r.traffic.clone();
    Ok(RolloutSpecInfo {
        name,
        cluster_id: r.spot_deployment.cluster_id.clone(),
        namespace: r.spot_deployment.namespace.clone(),
        spot_deployment: r.spot_deployment.name.clone(),
        strategy: r.strategy.name.clone(),
        stable_service: traffic.as_ref().and_then(|t| t.stable_service.clone()),
        canary_service: traffic.as_ref().and_then(|t| t.canary_service.clone()),
        failure_policy: r
            .failure_policy
            .map(|f| f.action)
            .unwrap_or(e::FailureAction::Abort),
    })
}
