//! Reusable widgets: one public component per file.

pub mod banner;
pub mod clipboard_button;
pub mod collapsible;
pub mod confirm_modal;
pub mod copy_button;
pub mod download;
pub mod drawer;
pub mod export_menu;
pub mod focus;
pub mod icon;
pub mod live_indicator;
pub mod menu;
pub mod replica_icon;
pub mod status_icon;
pub mod summary_bar;
pub mod tabs;
pub mod virtual_list;
pub mod yaml_view;
