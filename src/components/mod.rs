//! Reusable widgets: one public component per file.

pub mod icon;
pub mod live_indicator;
pub mod status_icon;
