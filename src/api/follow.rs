//! Following the live stream: the one way a page keeps up with it.
//!
//! A follower keeps its own cursor into the stream's buffer. New messages are handed to
//! `on_messages` in order; whenever they cannot tell the whole story — messages were dropped
//! from the buffer, the server sent `resync`, or the connection was re-established — `on_gap`
//! is called instead, and the page re-reads what it shows.

use super::stream::LiveMessage;
use super::stream::LiveStream;
use leptos::prelude::*;
use rollout_api::StreamMessage;

/// A position in the stream: everything after it is still to be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mark(u64);

/// A page's place in the live stream (`Copy`; dropped with the component that made it).
#[derive(Clone, Copy)]
pub struct Follow {
    live: LiveStream,
    cursor: StoredValue<u64>,
    handlers: StoredValue<Option<Handlers>>,
}

type Handlers = (Callback<Vec<LiveMessage>>, Callback<()>);

/// Follows `live` from now on, for as long as the calling component lives: `on_messages`
/// gets each batch of new messages, `on_gap` is called when the page must re-read instead (a
/// gap in the buffer, a `resync`, a reconnect). Both run untracked.
pub fn follow(
    live: LiveStream,
    on_messages: impl Fn(Vec<LiveMessage>) + Send + Sync + 'static,
    on_gap: impl Fn() + Send + Sync + 'static,
) -> Follow {
    let f = Follow::new(live);
    f.start(on_messages, on_gap);
    f
}

impl Follow {
    /// A follower at the stream's present position that delivers nothing until
    /// [`start`](Self::start)ed: for pages whose handlers need the follower itself.
    pub fn new(live: LiveStream) -> Follow {
        Follow {
            live,
            cursor: StoredValue::new(live.cursor()),
            handlers: StoredValue::new(None),
        }
    }

    /// Starts delivering (see [`follow`]).
    pub fn start(
        self,
        on_messages: impl Fn(Vec<LiveMessage>) + Send + Sync + 'static,
        on_gap: impl Fn() + Send + Sync + 'static,
    ) {
        let on_gap = Callback::new(move |()| on_gap());
        self.handlers
            .set_value(Some((Callback::new(on_messages), on_gap)));
        let live = self.live;
        Effect::new(move |_| {
            live.version.track();
            self.catch_up();
        });
        Effect::new(move |prev: Option<u64>| {
            let n = live.reconnects.get();
            if prev.is_some_and(|p| p != n) {
                untrack(|| on_gap.run(()));
            }
            n
        });
    }

    /// Where the stream is now: take it before a re-read starts, and [`resume`](Self::resume)
    /// from it once the answer arrived, so nothing sent meanwhile is missed.
    pub fn mark(&self) -> Mark {
        Mark(self.live.cursor())
    }

    /// Goes back to `mark` and delivers everything since (or calls `on_gap` if the buffer no
    /// longer holds it).
    pub fn resume(self, mark: Mark) {
        if self.cursor.try_set_value(mark.0).is_none() {
            self.catch_up();
        }
    }

    /// Delivers what arrived since the last look.
    fn catch_up(self) {
        let (Some(cursor), Some(Some((on_messages, on_gap)))) =
            (self.cursor.try_get_value(), self.handlers.try_get_value())
        else {
            return;
        };
        untrack(|| match self.live.since(cursor) {
            None => {
                self.cursor.set_value(self.live.cursor());
                on_gap.run(());
            }
            Some((messages, next)) => {
                self.cursor.set_value(next);
                if messages.iter().any(|m| matches!(m, StreamMessage::Resync)) {
                    on_gap.run(());
                } else if !messages.is_empty() {
                    on_messages.run(messages);
                }
            }
        });
    }
}
