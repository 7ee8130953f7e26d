//! Pure logic, no DOM and no widgets: durations, list filtering and stats, diff, export.

pub mod attention;
pub mod chart;
pub mod clusters;
pub mod controller_health;
pub mod degraded;
pub mod diff;
pub mod events;
pub mod export;
pub mod kubernetes;
pub mod list;
pub mod list_rows;
pub mod list_summary;
pub mod palette;
pub mod phase_view;
pub mod resources;
pub mod rollout_view;
pub mod server_clock;
pub mod theme;
pub mod time;
pub mod trend;
pub mod virtual_window;
pub mod workloads;
pub mod yaml;
