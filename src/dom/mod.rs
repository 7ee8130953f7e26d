//! Browser glue with no component in it: focus handling, outside clicks, keyboard shortcuts,
//! saving and copying text, the hand-over from index.html's shell. Widgets and pages call these
//! from their event handlers.

pub mod debounce;
pub mod download;
pub mod focus;
pub mod keys;
pub mod outside_click;
pub mod popup;
pub mod shell;
pub mod theme;
