//! Pure logic, no DOM: status visuals, durations, list filtering and stats, diff, export.

pub mod status;
pub mod time;
pub mod phase_view;
pub mod rollout_view;
pub mod url_query;
pub mod yaml;
