//! The kinds a live cluster is watched for, as kube-rs dynamic resources.

use kube::discovery::ApiResource;

/// One watched kind.
#[derive(Debug, Clone)]
pub struct Kind {
    pub resource: ApiResource,
    /// Cluster-scoped kinds are watched across the cluster even when namespaces are given.
    pub namespaced: bool,
    /// Only objects with these labels (Pods and ReplicaSets of Rollouts carry
    /// `rollouts-pod-template-hash`, so the rest of the cluster's pods are never listed).
    pub label_selector: Option<&'static str>,
}

fn res(group: &str, version: &str, kind: &str, plural: &str) -> ApiResource {
    ApiResource {
        group: group.into(),
        version: version.into(),
        api_version: if group.is_empty() {
            version.into()
        } else {
            format!("{group}/{version}")
        },
        kind: kind.into(),
        plural: plural.into(),
    }
}

/// The label of the Argo Rollouts controller's Deployment (install.yaml and the Helm chart).
pub const CONTROLLER_SELECTOR: &str = "app.kubernetes.io/component=rollouts-controller";

/// What the mapping reads.
pub fn watched() -> Vec<Kind> {
    let k = |resource, namespaced, label_selector| Kind {
        resource,
        namespaced,
        label_selector,
    };
    vec![
        k(
            res("argoproj.io", "v1alpha1", "Rollout", "rollouts"),
            true,
            None,
        ),
        k(
            res("argoproj.io", "v1alpha1", "AnalysisRun", "analysisruns"),
            true,
            None,
        ),
        k(
            res("argoproj.io", "v1alpha1", "Experiment", "experiments"),
            true,
            None,
        ),
        k(
            res(
                "argoproj.io",
                "v1alpha1",
                "AnalysisTemplate",
                "analysistemplates",
            ),
            true,
            None,
        ),
        k(
            res(
                "argoproj.io",
                "v1alpha1",
                "ClusterAnalysisTemplate",
                "clusteranalysistemplates",
            ),
            false,
            None,
        ),
        k(
            res("apps", "v1", "ReplicaSet", "replicasets"),
            true,
            Some("rollouts-pod-template-hash"),
        ),
        k(
            res("", "v1", "Pod", "pods"),
            true,
            Some("rollouts-pod-template-hash"),
        ),
        k(res("", "v1", "Service", "services"), true, None),
        k(res("", "v1", "Event", "events"), true, None),
    ]
}

/// The controller's Deployment (its availability is the cluster's operator heartbeat).
pub fn controller() -> Kind {
    Kind {
        resource: res("apps", "v1", "Deployment", "deployments"),
        namespaced: false,
        label_selector: Some(CONTROLLER_SELECTOR),
    }
}

/// The Rollout resource (actions patch it).
pub fn rollout() -> ApiResource {
    res("argoproj.io", "v1alpha1", "Rollout", "rollouts")
}
