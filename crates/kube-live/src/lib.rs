//! A live cluster through kube-rs: the objects `rollout-kube` maps, kept current by watches
//! (never polling), the cluster's heartbeat (the API server connection and the Argo Rollouts
//! controller's Deployment), and the actions of the `kubectl argo rollouts` plugin.
//!
//! - [`connect`]: clients from a kubeconfig (one per context) or the pod's service account;
//! - [`watch`]: one kube-rs watcher per kind, resuming from resourceVersion and relisting on
//!   410 Gone; every change becomes a new [`rollout_kube::View`] of the cluster;
//! - [`actions`]: the plugin's merge patches (status subresource first, as it does).

pub mod actions;
pub mod connect;
#[cfg(feature = "fake-apiserver")]
pub mod fake;
pub mod kinds;
pub mod watch;

pub use actions::{act, plan, ActError, Plan, SentPatch};
pub use connect::{connect, ConnectError, Target};
pub use watch::{spawn, ClusterStatus, ClusterUpdate, ControllerState};
