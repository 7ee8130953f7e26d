//! One module per route.

pub mod attention;
pub mod clusters;
pub mod not_found;
pub mod rollout;
pub mod rollouts;
pub mod workload;
pub mod workloads;
