//! Words and numbers people read, written the same way by the console and by the server's
//! first screen (the HTML it sends before the console's wasm has loaded): times, durations,
//! counts, image names, date-range phrases and the rollouts summary line.

mod list_view;
mod rollout;
mod summary;
mod time;
mod web;
mod words;

pub use list_view::*;
pub use rollout::*;
pub use summary::*;
pub use time::*;
pub use web::*;
pub use words::*;

#[cfg(test)]
mod tests;
