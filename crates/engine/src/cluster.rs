//! The Kubernetes side, behind `ClusterBackend`: ReplicaSets scaled by the controller and pods
//! that go Pending → ContainerCreating → Running → Ready over simulated seconds (or fail as the
//! injected fault says), emitting Kubernetes-style events. `SimCluster` is the simulation; a real
//! backend would implement the same trait against the Kubernetes API.

use crate::ids;
use crate::model::{PodFault, PodRecord, PodStage, ReplicaSetRecord};
use rollout_api as api;

use crate::Keyed;
use api::{EventType, Timestamp};
use chrono::Duration;
use std::collections::{BTreeMap, HashMap, HashSet};

/// An event the cluster reports; the engine attaches ids and the rollout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct K8sEvent {
    pub cluster_id: String,
    pub namespace: String,
    pub workload: String,
    pub kind: EventType,
    pub reason: String,
    pub object: String,
    pub message: String,
}

/// What a new ReplicaSet runs.
#[derive(Debug, Clone)]
pub struct ReplicaSetSpec {
    pub cluster_id: String,
    pub namespace: String,
    pub workload: String,
    pub template_hash: String,
    pub revision: u32,
    pub image: String,
    pub container: String,
    pub labels: BTreeMap<String, String>,
    pub fault: PodFault,
    pub start_seconds: u32,
}

/// Per call: the time, the generator for names, and where events go.
pub struct Ctx<'a> {
    pub now: Timestamp,
    pub rng: &'a mut u64,
    pub events: &'a mut Vec<K8sEvent>,
}

/// What the controller needs from a cluster.
pub trait ClusterBackend {
    /// Creates the ReplicaSet (with 0 replicas) unless it exists; updates what its future pods
    /// run (fault, start time). Returns its name.
    fn ensure_replica_set(&mut self, spec: &ReplicaSetSpec) -> String;
    /// Sets the desired replicas and creates / terminates pods to match.
    fn scale(&mut self, cluster_id: &str, namespace: &str, rs: &str, replicas: u32, ctx: &mut Ctx);
    fn replica_set(&self, cluster_id: &str, namespace: &str, rs: &str)
        -> Option<&ReplicaSetRecord>;
    fn counts(&self, cluster_id: &str, namespace: &str, rs: &str) -> api::ReplicaCounts;
    fn pods(&self, cluster_id: &str, namespace: &str, rs: &str) -> Vec<&PodRecord>;
    /// The first failing pod's state, e.g. "pod web-1-x: CrashLoopBackOff (3 restarts)".
    fn failing(&self, cluster_id: &str, namespace: &str, rs: &str) -> Option<String>;
    /// Moves pods on up to `ctx.now`.
    fn tick(&mut self, ctx: &mut Ctx);
    /// The next time `tick` has something to do.
    fn next_wake(&self) -> Option<Timestamp>;
}

/// The simulated cluster (every cluster of the engine: records carry their cluster id).
#[derive(Debug, Clone, Default)]
pub struct SimCluster {
    pub replica_sets: Vec<ReplicaSetRecord>,
    pub pods: Vec<PodRecord>,
    nodes: HashMap<String, Vec<String>>,
    wake: Option<Timestamp>,
    /// ReplicaSet name → indices into `pods` (derived; rebuilt whenever `pods` shrinks).
    pods_by_rs: HashMap<String, Vec<usize>>,
    /// ReplicaSet name → indices into `replica_sets` (derived).
    rs_by_name: HashMap<String, Vec<usize>>,
    /// Keys of the pods / ReplicaSets changed, added or removed since the engine's last state
    /// delta.
    pub(crate) touched_pods: HashSet<String>,
    pub(crate) touched_replica_sets: HashSet<String>,
}

const DEFAULT_NODES: [&str; 1] = ["node-1"];

impl SimCluster {
    pub fn new(
        replica_sets: Vec<ReplicaSetRecord>,
        pods: Vec<PodRecord>,
        clusters: &[(String, String)],
    ) -> SimCluster {
        let nodes = clusters
            .iter()
            .map(|(id, cloud)| (id.clone(), ids::node_names(id, cloud)))
            .collect();
        let mut sim = SimCluster {
            replica_sets,
            pods,
            nodes,
            wake: None,
            pods_by_rs: HashMap::new(),
            rs_by_name: HashMap::new(),
            touched_pods: HashSet::new(),
            touched_replica_sets: HashSet::new(),
        };
        sim.reindex_pods();
        for (i, r) in sim.replica_sets.iter().enumerate() {
            sim.rs_by_name.entry(r.name.clone()).or_default().push(i);
        }
        sim.recompute_wake();
        sim
    }

    fn reindex_pods(&mut self) {
        self.pods_by_rs.clear();
        for (i, p) in self.pods.iter().enumerate() {
            self.pods_by_rs
                .entry(p.replica_set.clone())
                .or_default()
                .push(i);
        }
    }

    /// Indices of the pods of a ReplicaSet.
    fn pod_indices<'a>(
        &'a self,
        cluster_id: &'a str,
        namespace: &'a str,
        rs: &str,
    ) -> impl Iterator<Item = usize> + 'a {
        self.pods_by_rs
            .get(rs)
            .map(Vec::as_slice)
            .unwrap_or(&[])
            .iter()
            .copied()
            .filter(move |&i| {
                let p = &self.pods[i];
                p.namespace == namespace && p.cluster_id == cluster_id
            })
    }

    fn recompute_wake(&mut self) {
        self.wake = self.pods.iter().filter_map(|p| p.next_at).min();
    }

    fn rs_index(&self, cluster_id: &str, namespace: &str, rs: &str) -> Option<usize> {
        self.rs_by_name.get(rs)?.iter().copied().find(|&i| {
            let r = &self.replica_sets[i];
            r.namespace == namespace && r.cluster_id == cluster_id
        })
    }
}

pub fn health(p: &PodRecord) -> api::PodHealth {
    if p.stage == PodStage::Terminating {
        api::PodHealth::Terminating
    } else if p.ready {
        api::PodHealth::Ready
    } else if is_failing(p) {
        api::PodHealth::Failing
    } else {
        api::PodHealth::Starting
    }
}

fn is_failing(p: &PodRecord) -> bool {
    p.restarts > 0
        || matches!(
            p.status.as_str(),
            "CrashLoopBackOff" | "ErrImagePull" | "ImagePullBackOff" | "Error"
        )
}

pub fn to_api_pod(p: &PodRecord, version: api::PodVersion) -> api::Pod {
    api::Pod {
        name: p.name.clone(),
        replica_set: p.replica_set.clone(),
        version,
        status: p.status.clone(),
        health: health(p),
        containers_readiness: format!("{}/1", u8::from(p.ready)),
        ready: p.ready,
        restarts: p.restarts,
        node: p.node.clone(),
        created_at: p.created_at,
    }
}

fn secs(n: u64) -> Duration {
    Duration::seconds(n as i64)
}

struct Emit<'a, 'b> {
    ctx: &'a mut Ctx<'b>,
}

impl Emit<'_, '_> {
    fn pod(&mut self, p: &PodRecord, kind: EventType, reason: &str, message: String) {
        self.ctx.events.push(K8sEvent {
            cluster_id: p.cluster_id.clone(),
            namespace: p.namespace.clone(),
            workload: p.workload.clone(),
            kind,
            reason: reason.into(),
            object: format!("Pod/{}", p.name),
            message,
        });
    }
}

fn next_backoff(current: u32) -> u32 {
    if current == 0 {
        10
    } else {
        (current * 2).min(300)
    }
}

/// Moves one pod to its next state. Returns false when the pod is gone.
fn advance(p: &mut PodRecord, emit: &mut Emit) -> bool {
    let now = emit.ctx.now;
    let s = u64::from(p.start_seconds.max(1));
    let pulled_after = (s / 2).max(2);
    let ready_after = s.max(pulled_after + 1);
    match p.stage {
        PodStage::Pending => {
            emit.pod(
                p,
                EventType::Normal,
                "Scheduled",
                format!(
                    "Successfully assigned {}/{} to {}",
                    p.namespace, p.name, p.node
                ),
            );
            emit.pod(
                p,
                EventType::Normal,
                "Pulling",
                format!("Pulling image \"{}\"", p.image),
            );
            p.status = "ContainerCreating".into();
            p.stage = PodStage::Pulling;
            p.next_at = Some(p.created_at + secs(pulled_after));
        }
        PodStage::Pulling => {
            if p.fault == PodFault::ImagePull {
                emit.pod(
                    p,
                    EventType::Warning,
                    "Failed",
                    format!(
                        "Failed to pull image \"{0}\": rpc error: code = NotFound desc = failed to pull and unpack image \"{0}\": not found",
                        p.image
                    ),
                );
                emit.pod(
                    p,
                    EventType::Warning,
                    "Failed",
                    "Error: ErrImagePull".into(),
                );
                p.status = "ErrImagePull".into();
                p.stage = PodStage::BackOff;
                p.backoff_seconds = next_backoff(p.backoff_seconds);
                p.next_at = Some(now + secs(1));
            } else {
                let took = pulled_after.saturating_sub(1) as f64 + 0.4;
                emit.pod(
                    p,
                    EventType::Normal,
                    "Pulled",
                    format!("Successfully pulled image \"{}\" in {took:.1}s", p.image),
                );
                start_container(p, emit);
                p.next_at = Some(match p.fault {
                    PodFault::CrashLoop => now + secs(2),
                    _ => p.created_at + secs(ready_after),
                });
            }
        }
        PodStage::Starting => {
            emit.pod(
                p,
                EventType::Normal,
                "Pulled",
                format!("Container image \"{}\" already present on machine", p.image),
            );
            start_container(p, emit);
            p.next_at = Some(match p.fault {
                PodFault::CrashLoop => now + secs(2),
                _ => now + secs(ready_after - pulled_after),
            });
        }
        PodStage::Running => match p.fault {
            PodFault::CrashLoop => {
                p.restarts += 1;
                p.status = "Error".into();
                p.stage = PodStage::BackOff;
                p.backoff_seconds = next_backoff(p.backoff_seconds);
                p.next_at = Some(now + secs(1));
            }
            PodFault::Liveness => {
                // The health endpoint fails: never ready, killed after three liveness failures.
                p.probe_failures += 1;
                emit.pod(
                    p,
                    EventType::Warning,
                    "Unhealthy",
                    "Readiness probe failed: HTTP probe failed with statuscode: 500".into(),
                );
                emit.pod(
                    p,
                    EventType::Warning,
                    "Unhealthy",
                    "Liveness probe failed: HTTP probe failed with statuscode: 500".into(),
                );
                if p.probe_failures >= 3 {
                    emit.pod(
                        p,
                        EventType::Normal,
                        "Killing",
                        format!(
                            "Container {} failed liveness probe, will be restarted",
                            p.container
                        ),
                    );
                    p.probe_failures = 0;
                    p.restarts += 1;
                    p.stage = PodStage::BackOff;
                    if p.restarts >= 2 {
                        p.status = "CrashLoopBackOff".into();
                        p.backoff_seconds = next_backoff(p.backoff_seconds);
                        emit.pod(
                            p,
                            EventType::Warning,
                            "BackOff",
                            format!(
                                "Back-off restarting failed container {} in pod {}",
                                p.container, p.name
                            ),
                        );
                        p.next_at = Some(now + secs(u64::from(p.backoff_seconds)));
                    } else {
                        p.next_at = Some(now + secs(1));
                    }
                } else {
                    p.next_at = Some(now + secs(5));
                }
            }
            _ => {
                p.ready = true;
                p.status = "Running".into();
                p.stage = PodStage::Ready;
                p.next_at = None;
            }
        },
        PodStage::Ready => {
            p.next_at = None;
        }
        PodStage::BackOff => match p.status.as_str() {
            "ErrImagePull" => {
                p.status = "ImagePullBackOff".into();
                emit.pod(
                    p,
                    EventType::Normal,
                    "BackOff",
                    format!("Back-off pulling image \"{}\"", p.image),
                );
                emit.pod(
                    p,
                    EventType::Warning,
                    "Failed",
                    "Error: ImagePullBackOff".into(),
                );
                p.next_at = Some(now + secs(u64::from(p.backoff_seconds)));
            }
            "ImagePullBackOff" => {
                emit.pod(
                    p,
                    EventType::Normal,
                    "Pulling",
                    format!("Pulling image \"{}\"", p.image),
                );
                p.stage = PodStage::Pulling;
                p.next_at = Some(now + secs(1));
            }
            "Error" => {
                p.status = "CrashLoopBackOff".into();
                emit.pod(
                    p,
                    EventType::Warning,
                    "BackOff",
                    format!(
                        "Back-off restarting failed container {} in pod {}",
                        p.container, p.name
                    ),
                );
                p.next_at = Some(now + secs(u64::from(p.backoff_seconds)));
            }
            _ => {
                p.stage = PodStage::Starting;
                p.next_at = Some(now);
                return advance(p, emit);
            }
        },
        PodStage::Terminating => return false,
    }
    true
}

fn start_container(p: &mut PodRecord, emit: &mut Emit) {
    emit.pod(
        p,
        EventType::Normal,
        "Created",
        format!("Created container {}", p.container),
    );
    emit.pod(
        p,
        EventType::Normal,
        "Started",
        format!("Started container {}", p.container),
    );
    p.status = "Running".into();
    p.stage = PodStage::Running;
}

impl ClusterBackend for SimCluster {
    fn ensure_replica_set(&mut self, spec: &ReplicaSetSpec) -> String {
        let name = format!("{}-{}", spec.workload, spec.template_hash);
        match self.rs_index(&spec.cluster_id, &spec.namespace, &name) {
            Some(i) => {
                let rs = &mut self.replica_sets[i];
                // The key holds the revision: a changed one is a new row.
                self.touched_replica_sets.insert(rs.key());
                rs.fault = spec.fault;
                rs.start_seconds = spec.start_seconds;
                rs.revision = spec.revision;
                self.touched_replica_sets.insert(rs.key());
            }
            None => {
                self.rs_by_name
                    .entry(name.clone())
                    .or_default()
                    .push(self.replica_sets.len());
                self.replica_sets.push(ReplicaSetRecord {
                    name: name.clone(),
                    cluster_id: spec.cluster_id.clone(),
                    namespace: spec.namespace.clone(),
                    workload: spec.workload.clone(),
                    revision: spec.revision,
                    image: spec.image.clone(),
                    container: spec.container.clone(),
                    labels: spec.labels.clone(),
                    desired: 0,
                    fault: spec.fault,
                    start_seconds: spec.start_seconds,
                });
                if let Some(rs) = self.replica_sets.last() {
                    self.touched_replica_sets.insert(rs.key());
                }
            }
        }
        name
    }

    fn scale(&mut self, cluster_id: &str, namespace: &str, rs: &str, replicas: u32, ctx: &mut Ctx) {
        let Some(i) = self.rs_index(cluster_id, namespace, rs) else {
            return;
        };
        let now = ctx.now;
        let set = self.replica_sets[i].clone();
        if set.desired != replicas {
            let direction = if replicas > set.desired { "up" } else { "down" };
            ctx.events.push(K8sEvent {
                cluster_id: cluster_id.into(),
                namespace: namespace.into(),
                workload: set.workload.clone(),
                kind: EventType::Normal,
                reason: "ScalingReplicaSet".into(),
                object: format!("SpotDeployment/{}", set.workload),
                message: format!("Scaled {direction} replica set {rs} to {replicas}"),
            });
            self.replica_sets[i].desired = replicas;
            self.touched_replica_sets.insert(self.replica_sets[i].key());
        }
        let alive: Vec<usize> = self
            .pod_indices(cluster_id, namespace, rs)
            .filter(|&i| self.pods[i].stage != PodStage::Terminating)
            .collect();
        let rs_event = |ctx: &mut Ctx, reason: &str, message: String| {
            ctx.events.push(K8sEvent {
                cluster_id: cluster_id.into(),
                namespace: namespace.into(),
                workload: set.workload.clone(),
                kind: EventType::Normal,
                reason: reason.into(),
                object: format!("ReplicaSet/{rs}"),
                message,
            });
        };
        let have = alive.len() as u32;
        if have < replicas {
            let nodes = self
                .nodes
                .get(cluster_id)
                .cloned()
                .unwrap_or_else(|| DEFAULT_NODES.iter().map(|s| s.to_string()).collect());
            for _ in have..replicas {
                let name = format!("{rs}-{}", ids::pod_suffix(ctx.rng));
                let node = nodes[ids::below(ctx.rng, nodes.len())].clone();
                self.pods_by_rs
                    .entry(rs.to_string())
                    .or_default()
                    .push(self.pods.len());
                rs_event(ctx, "SuccessfulCreate", format!("Created pod: {name}"));
                self.pods.push(PodRecord {
                    name,
                    cluster_id: cluster_id.into(),
                    namespace: namespace.into(),
                    workload: set.workload.clone(),
                    replica_set: rs.into(),
                    image: set.image.clone(),
                    container: set.container.clone(),
                    node,
                    created_at: now,
                    status: "Pending".into(),
                    ready: false,
                    restarts: 0,
                    stage: PodStage::Pending,
                    next_at: Some(now + secs(1)),
                    fault: set.fault,
                    start_seconds: set.start_seconds,
                    backoff_seconds: 0,
                    probe_failures: 0,
                });
                if let Some(p) = self.pods.last() {
                    self.touched_pods.insert(p.key());
                }
            }
        } else if have > replicas {
            // Not-ready pods go first, then the newest.
            let mut victims = alive;
            victims.sort_by_key(|&i| {
                (
                    self.pods[i].ready,
                    std::cmp::Reverse(self.pods[i].created_at),
                )
            });
            for &i in victims.iter().take((have - replicas) as usize) {
                let p = &mut self.pods[i];
                self.touched_pods.insert(p.key());
                p.stage = PodStage::Terminating;
                p.status = "Terminating".into();
                p.ready = false;
                p.next_at = Some(now + secs(2));
                let (name, container) = (p.name.clone(), p.container.clone());
                let event = K8sEvent {
                    cluster_id: cluster_id.into(),
                    namespace: namespace.into(),
                    workload: set.workload.clone(),
                    kind: EventType::Normal,
                    reason: "Killing".into(),
                    object: format!("Pod/{name}"),
                    message: format!("Stopping container {container}"),
                };
                ctx.events.push(event);
                rs_event(ctx, "SuccessfulDelete", format!("Deleted pod: {name}"));
            }
        }
        self.recompute_wake();
    }

    fn replica_set(
        &self,
        cluster_id: &str,
        namespace: &str,
        rs: &str,
    ) -> Option<&ReplicaSetRecord> {
        self.rs_index(cluster_id, namespace, rs)
            .map(|i| &self.replica_sets[i])
    }

    fn counts(&self, cluster_id: &str, namespace: &str, rs: &str) -> api::ReplicaCounts {
        let desired = self
            .replica_set(cluster_id, namespace, rs)
            .map(|r| r.desired)
            .unwrap_or(0);
        let mut c = api::ReplicaCounts {
            desired,
            ..Default::default()
        };
        for p in self.pods(cluster_id, namespace, rs) {
            match health(p) {
                api::PodHealth::Ready => c.ready += 1,
                api::PodHealth::Failing => c.failed += 1,
                api::PodHealth::Starting => c.in_progress += 1,
                api::PodHealth::Terminating => {}
            }
        }
        c
    }

    fn pods(&self, cluster_id: &str, namespace: &str, rs: &str) -> Vec<&PodRecord> {
        self.pod_indices(cluster_id, namespace, rs)
            .map(|i| &self.pods[i])
            .collect()
    }

    fn failing(&self, cluster_id: &str, namespace: &str, rs: &str) -> Option<String> {
        self.pods(cluster_id, namespace, rs)
            .into_iter()
            .filter(|p| p.stage != PodStage::Terminating && is_failing(p))
            .max_by_key(|p| p.restarts)
            .map(|p| {
                let status = if p.fault == PodFault::Liveness && p.status == "Running" {
                    "liveness probe failing".to_string()
                } else {
                    p.status.clone()
                };
                format!("pod {} is {} ({} restarts)", p.name, status, p.restarts)
            })
    }

    fn tick(&mut self, ctx: &mut Ctx) {
        if self.wake.is_none_or(|w| w > ctx.now) {
            return;
        }
        let now = ctx.now;
        let mut emit = Emit { ctx };
        let before = self.pods.len();
        let touched = &mut self.touched_pods;
        self.pods.retain_mut(|p| match p.next_at {
            Some(t) if t <= now => {
                // Moved on, or removed: either way its row changes.
                touched.insert(p.key());
                advance(p, &mut emit)
            }
            _ => true,
        });
        if self.pods.len() != before {
            self.reindex_pods();
        }
        self.recompute_wake();
    }

    fn next_wake(&self) -> Option<Timestamp> {
        self.wake
    }
}
