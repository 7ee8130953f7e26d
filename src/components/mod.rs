//! Reusable widgets: one public component per file.

pub mod copy_button;
pub mod download;
pub mod icon;
pub mod live_indicator;
pub mod status_icon;
pub mod summary_bar;
pub mod banner;
pub mod collapsible;
pub mod confirm_modal;
pub mod drawer;
pub mod focus;
pub mod menu;
pub mod replica_icon;
pub mod yaml_view;
pub mod clipboard_button;
pub mod export_menu;
pub mod tabs;
pub mod virtual_list;
