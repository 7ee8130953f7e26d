//! Reusable widgets: one public component per file.

pub mod banner;
pub mod chart_figure;
pub mod collapsible;
pub mod command_palette;
pub mod confirm_modal;
pub mod controller_banner;
pub mod copy_button;
pub mod diff_view;
pub mod drawer;
pub mod facet_select;
pub mod icon;
pub mod live_indicator;
pub mod menu;
pub mod replica_icon;
pub mod snapshot_banner;
pub mod status_icon;
pub mod summary_bar;
pub mod tabs;
pub mod theme_select;
pub mod top_bar;
pub mod traffic_timeline;
pub mod trend_chart;
pub mod verification_chart;
pub mod virtual_list;
pub mod workload_status_icon;
pub mod yaml_view;
