//! The live stream as an app-wide context: one connection shared by every page.

use crate::api::stream::LiveStream;
use leptos::prelude::*;

/// Opens the stream and makes it available below (call once, in the app).
pub fn provide_live() -> LiveStream {
    let live = LiveStream::start();
    provide_context(live);
    live
}

/// The app's live stream (follow it with [`crate::api::follow::follow`]).
pub fn expect_live() -> LiveStream {
    expect_context::<LiveStream>()
}
