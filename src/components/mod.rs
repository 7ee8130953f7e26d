//! Reusable widgets: one public component per file.

pub mod copy_button;
pub mod download;
pub mod icon;
pub mod live_indicator;
pub mod status_icon;
