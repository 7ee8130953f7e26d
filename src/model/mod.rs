//! Pure logic, no DOM: status visuals, durations, list filtering and stats, diff, export.

pub mod status;
pub mod time;
