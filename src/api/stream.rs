//! The live stream (`/api/v1/stream`, Server-Sent Events): one connection for the app.
//!
//! Messages go into a bounded buffer with a sequence number; a page follows it with
//! [`super::follow::follow`], which keeps the page's own cursor and reads what is new whenever
//! `version` changes, so no message is lost between two renders.
//! The browser's EventSource reconnects by itself and sends `Last-Event-ID`; the server then
//! replays what was missed or sends `resync`.

use leptos::prelude::*;
use rollout_api::StreamMessage;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{EventSource, MessageEvent};

const KEEP: usize = 5_000;
const KINDS: [&str; 5] = ["rollout", "event", "cluster", "workload", "resync"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiveStatus {
    Connecting,
    Live,
    Reconnecting,
    Offline,
}

impl LiveStatus {
    pub fn label(self) -> &'static str {
        match self {
            LiveStatus::Connecting => "Connecting",
            LiveStatus::Live => "Live",
            LiveStatus::Reconnecting => "Reconnecting",
            LiveStatus::Offline => "Offline",
        }
    }
}

#[derive(Clone, Copy)]
pub struct LiveStream {
    pub status: RwSignal<LiveStatus>,
    /// Bumped on every message; read it to be woken up.
    pub(super) version: RwSignal<u64>,
    /// Bumped each time the connection is (re)established: pages re-list to catch up.
    pub(super) reconnects: RwSignal<u64>,
    buffer: StoredValue<Vec<(u64, StreamMessage)>, LocalStorage>,
}

impl LiveStream {
    pub fn start() -> LiveStream {
        let live = LiveStream {
            status: RwSignal::new(LiveStatus::Connecting),
            version: RwSignal::new(0),
            reconnects: RwSignal::new(0),
            buffer: StoredValue::new_local(Vec::new()),
        };
        live.connect();
        live
    }

    fn connect(self) {
        let Ok(source) = EventSource::new("/api/v1/stream") else {
            self.status.set(LiveStatus::Offline);
            return;
        };
        let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |ev: MessageEvent| {
            let Some(text) = ev.data().as_string() else {
                return;
            };
            if let Ok(msg) = serde_json::from_str::<StreamMessage>(&text) {
                self.push(msg);
            }
        });
        for kind in KINDS {
            let _ =
                source.add_event_listener_with_callback(kind, on_message.as_ref().unchecked_ref());
        }
        on_message.forget();

        let on_open = Closure::<dyn Fn()>::new(move || {
            let was = self.status.get_untracked();
            self.status.set(LiveStatus::Live);
            if was != LiveStatus::Connecting {
                self.reconnects.update(|n| *n += 1);
            }
        });
        source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        on_open.forget();

        let src = source.clone();
        let on_error = Closure::<dyn Fn()>::new(move || {
            if src.ready_state() == EventSource::CLOSED {
                // The browser gave up (e.g. the server answered with an error): retry later.
                self.status.set(LiveStatus::Offline);
                let retry = Closure::once_into_js(move || self.connect());
                if let Some(w) = web_sys::window() {
                    let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(
                        retry.unchecked_ref(),
                        5_000,
                    );
                }
            } else {
                self.status.set(LiveStatus::Reconnecting);
            }
        });
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        on_error.forget();
    }

    fn push(self, msg: StreamMessage) {
        let seq = self.version.get_untracked() + 1;
        self.buffer.update_value(|b| {
            b.push((seq, msg));
            if b.len() > KEEP {
                b.drain(..b.len() - KEEP);
            }
        });
        self.version.set(seq);
    }

    /// Messages after `cursor`, and the new cursor. Returns `None` when messages were dropped
    /// from the buffer since (the caller should re-list).
    pub(super) fn since(&self, cursor: u64) -> Option<(Vec<StreamMessage>, u64)> {
        self.buffer.with_value(|b| {
            let first = b.first().map(|(s, _)| *s).unwrap_or(cursor + 1);
            if first > cursor + 1 && cursor != 0 {
                return None;
            }
            let new: Vec<_> = b
                .iter()
                .filter(|(s, _)| *s > cursor)
                .map(|(_, m)| m.clone())
                .collect();
            let last = b.last().map(|(s, _)| *s).unwrap_or(cursor);
            Some((new, last.max(cursor)))
        })
    }

    pub(super) fn cursor(&self) -> u64 {
        self.version.get_untracked()
    }
}
