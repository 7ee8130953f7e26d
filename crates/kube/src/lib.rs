//! Argo Rollouts and Kubernetes objects → the console's wire types (`rollout-api`).
//!
//! Pure: text or typed objects in, typed views out; no I/O, no clock. [`load`] reads what
//! `kubectl get … -o yaml|json` writes; [`info`] computes the figures the `kubectl argo rollouts`
//! plugin prints; [`map`] builds everything the console reads. The status table is in README.md.

pub mod info;
pub mod load;
pub mod map;
pub mod objects;

pub use load::{LoadError, Loaded};
pub use map::{build, newest_timestamp, rollout_id, ClusterRef, Mapped, View};
pub use objects::Objects;
