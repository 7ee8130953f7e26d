//! One module per route.

pub mod apply;
pub mod attention;
pub mod audit;
pub mod clusters;
pub mod not_found;
pub mod rollout;
pub mod rollouts;
pub mod workload;
pub mod workloads;
