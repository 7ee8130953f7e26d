//! The rollouts page summary line as words and numbers people read: written in
//! `rollout_api::text`, shared with the server's first screen.

pub use rollout_api::text::figures;
