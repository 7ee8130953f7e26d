//! Durations and times as people read them: written in `rollout_api::text`, shared with the
//! server's first screen.

pub use rollout_api::text::{
    clock, clock_minutes, date, format_duration, format_exact, format_relative, format_short,
};
