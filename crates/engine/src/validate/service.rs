//! Services: a Kubernetes name, the selector, ports and the cluster annotation.

use super::document::typed;
use super::fields::check_dns_name;
use super::{DocError, ANN_CLUSTER};
use crate::entities as e;
use crate::position::Seg;

#[derive(Debug, Clone)]
pub struct ServiceInfo {
    pub name: String,
    pub namespace: String,
    pub selector: Vec<(String, String)>,
    pub ports: Vec<u16>,
    pub cluster_annotation: Option<String>,
}

pub(super) fn service(text: &str) -> Result<ServiceInfo, DocError> {
    let s: e::Service = typed(text)?;
    check_dns_name(
        text,
        "name",
        &[Seg::Key("metadata"), Seg::Key("name")],
        &s.metadata.name,
    )?;
    Ok(ServiceInfo {
        name: s.metadata.name.clone(),
        namespace: s
            .metadata
            .namespace
            .clone()
            .unwrap_or_else(|| "default".into()),
        selector: s.spec.selector.into_iter().collect(),
        ports: s.spec.ports.iter().map(|p| p.port).collect(),
        cluster_annotation: s.metadata.annotations.get(ANN_CLUSTER).cloned(),
    })
}
