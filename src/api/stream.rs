//! The live stream (`/api/v1/stream`, Server-Sent Events): one connection for the app.
//!
//! Messages go into a bounded buffer with a sequence number; a page follows it with
//! [`super::follow::follow`], which keeps the page's own cursor and reads what is new whenever
//! `version` changes, so no message is lost between two renders.
//! The browser's EventSource reconnects by itself and sends `Last-Event-ID`; the server then
//! replays what was missed or sends `resync`.

use leptos::prelude::*;
use rollout_api::{Cluster, Event, RolloutSummary, StreamMessage, Workload};
use serde::Deserialize;
use std::collections::VecDeque;
use std::sync::Arc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{EventSource, MessageEvent};

const KEEP: usize = 5_000;

/// A stream message as the console keeps it: an event stays the JSON it came as until a page
/// that shows events decodes it ([`RawEvent::decode`]), so the decoder of events is in those
/// pages' lazy parts, not in the wasm every page loads first.
pub type LiveMessage = StreamMessage<RawEvent>;

/// An event message's JSON (`{"kind":"event","event":{…}}`).
#[derive(Debug, Clone, PartialEq)]
pub struct RawEvent(Arc<str>);

impl RawEvent {
    /// The event; None when the server sent something else under its name.
    pub fn decode(&self) -> Option<Event> {
        #[derive(Deserialize)]
        struct OfEvent {
            event: Event,
        }
        serde_json::from_str::<OfEvent>(&self.0)
            .ok()
            .map(|m| m.event)
    }
}
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
    buffer: StoredValue<Buffer, LocalStorage>,
}

impl LiveStream {
    pub fn start() -> LiveStream {
        let live = LiveStream {
            status: RwSignal::new(LiveStatus::Connecting),
            version: RwSignal::new(0),
            reconnects: RwSignal::new(0),
            buffer: StoredValue::new_local(Buffer::default()),
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
            if let Some(msg) = decode(&ev.type_(), &text) {
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

    fn push(self, msg: LiveMessage) {
        let seq = self.version.get_untracked() + 1;
        self.buffer.update_value(|b| b.push(seq, msg));
        self.version.set(seq);
    }

    /// Messages after `cursor`, and the new cursor. Returns `None` when messages were dropped
    /// from the buffer since (the caller should re-list).
    pub(super) fn since(&self, cursor: u64) -> Option<(Vec<LiveMessage>, u64)> {
        self.buffer.with_value(|b| b.since(cursor))
    }

    pub(super) fn cursor(&self) -> u64 {
        self.version.get_untracked()
    }
}

/// A message read by its SSE `event:` name (the same as its JSON `kind`): each payload is
/// decoded as its own type, not through `StreamMessage`'s tagged-enum decoding, which buffers
/// the object first and carried a second compiled decoder of every payload type in the wasm.
fn decode(kind: &str, data: &str) -> Option<LiveMessage> {
    #[derive(Deserialize)]
    struct OfRollout {
        rollout: RolloutSummary,
    }
    #[derive(Deserialize)]
    struct OfCluster {
        cluster: Cluster,
    }
    #[derive(Deserialize)]
    struct OfWorkload {
        workload: Workload,
    }
    Some(match kind {
        "rollout" => StreamMessage::Rollout {
            rollout: serde_json::from_str::<OfRollout>(data).ok()?.rollout,
        },
        "event" => StreamMessage::Event {
            event: RawEvent(data.into()),
        },
        "cluster" => StreamMessage::Cluster {
            cluster: serde_json::from_str::<OfCluster>(data).ok()?.cluster,
        },
        "workload" => StreamMessage::Workload {
            workload: serde_json::from_str::<OfWorkload>(data).ok()?.workload,
        },
        "resync" => StreamMessage::Resync,
        _ => return None,
    })
}

/// The last [`KEEP`] messages, each with its sequence number (1, 2, 3, … in arrival order).
#[derive(Debug, Default)]
struct Buffer {
    items: VecDeque<(u64, LiveMessage)>,
}

impl Buffer {
    fn push(&mut self, seq: u64, msg: LiveMessage) {
        self.items.push_back((seq, msg));
        if self.items.len() > KEEP {
            self.items.pop_front();
        }
    }

    /// Messages after `cursor`, and the new cursor; `None` when some of them were dropped
    /// already (the reader must re-read instead).
    fn since(&self, cursor: u64) -> Option<(Vec<LiveMessage>, u64)> {
        let first = self.items.front().map_or(cursor + 1, |(s, _)| *s);
        if first > cursor + 1 {
            return None;
        }
        let new = self
            .items
            .iter()
            .filter(|(s, _)| *s > cursor)
            .map(|(_, m)| m.clone())
            .collect();
        let last = self.items.back().map_or(cursor, |(s, _)| *s);
        Some((new, last.max(cursor)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filled(n: u64) -> Buffer {
        let mut b = Buffer::default();
        for seq in 1..=n {
            b.push(seq, StreamMessage::Resync);
        }
        b
    }

    #[test]
    fn messages_decode_by_their_event_name_as_the_server_encodes_them() {
        use crate::model::{clusters::fixtures::cluster, list_rows::tests::row};
        use rollout_api::{EventType, RolloutStatus};
        let rollout = row(1, "web", RolloutStatus::InProgress, 5);
        let event = Event {
            id: 7,
            rollout_id: Some(rollout.id.clone()),
            cluster_id: "prod".into(),
            namespace: "shop".into(),
            last_timestamp: rollout.start_time,
            kind: EventType::Normal,
            reason: "Pulled".into(),
            object: "Pod/web-1".into(),
            message: "image pulled".into(),
            actor: None,
            action_reason: None,
        };
        let workload = crate::model::workloads::fixtures::healthy();
        let sent = [
            StreamMessage::Rollout { rollout },
            StreamMessage::Event { event },
            StreamMessage::Cluster {
                cluster: cluster("prod", false, None),
            },
            StreamMessage::Workload { workload },
            StreamMessage::Resync,
        ];
        for msg in sent {
            // What the server writes: `event: <kind>`, `data: <the message as JSON>`.
            let data = serde_json::to_string(&msg).unwrap();
            let read = decode(msg.kind(), &data).expect(&data);
            use StreamMessage as M;
            match (read, msg) {
                // An event is kept as it came, and reads back as the event sent.
                (M::Event { event: raw }, M::Event { event }) => {
                    assert_eq!(raw.decode(), Some(event))
                }
                (M::Rollout { rollout: a }, M::Rollout { rollout: b }) => assert_eq!(a, b),
                (M::Cluster { cluster: a }, M::Cluster { cluster: b }) => assert_eq!(a, b),
                (M::Workload { workload: a }, M::Workload { workload: b }) => assert_eq!(a, b),
                (M::Resync, M::Resync) => {}
                (read, msg) => panic!("{} read as {}", msg.kind(), read.kind()),
            }
        }
        assert_eq!(decode("rollout", "{\"kind\":\"rollout\"}"), None);
        assert_eq!(decode("surprise", "{}"), None);
    }

    #[test]
    fn a_reader_gets_what_came_after_its_cursor() {
        let b = filled(3);
        assert_eq!(b.since(1).map(|(m, c)| (m.len(), c)), Some((2, 3)));
        assert_eq!(b.since(3).map(|(m, c)| (m.len(), c)), Some((0, 3)));
        assert_eq!(b.since(0).map(|(m, c)| (m.len(), c)), Some((3, 3)));
        let empty = Buffer::default();
        assert_eq!(empty.since(0).map(|(m, c)| (m.len(), c)), Some((0, 0)));
    }

    #[test]
    fn a_reader_behind_what_was_dropped_must_re_read() {
        let b = filled(KEEP as u64 + 10);
        assert!(b.since(5).is_none());
        // Also from the very start: the first ten messages are gone.
        assert!(b.since(0).is_none());
        assert_eq!(b.since(10).map(|(m, _)| m.len()), Some(KEEP));
    }
}
