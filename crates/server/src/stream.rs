//! The live stream: numbered messages, a bounded replay ring and a broadcast to every client.
//!
//! Sequence numbers start at the boot time in microseconds, so they keep rising across
//! restarts: an id from before a restart is older than the ring and gets a `resync`.

use rollout_api::StreamMessage;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use tokio::sync::broadcast;

/// One message as sent: its sequence number and the JSON of the [`StreamMessage`].
#[derive(Debug, Clone)]
pub struct Numbered {
    pub seq: u64,
    pub kind: &'static str,
    pub data: Arc<str>,
}

impl Numbered {
    fn new(seq: u64, msg: &StreamMessage) -> Numbered {
        Numbered {
            seq,
            kind: msg.kind(),
            data: serde_json::to_string(msg)
                .unwrap_or_else(|_| r#"{"kind":"resync"}"#.into())
                .into(),
        }
    }
}

/// What a (re)connecting client gets first.
#[derive(Debug)]
pub enum Replay {
    /// Everything after the client's last id, in order.
    Missed(Vec<Numbered>),
    /// The client is too far behind (or from another boot): it must re-list.
    Resync(Numbered),
}

pub struct Hub {
    inner: Mutex<Ring>,
    tx: broadcast::Sender<Numbered>,
}

struct Ring {
    next_seq: u64,
    capacity: usize,
    buf: VecDeque<Numbered>,
}

impl Hub {
    pub fn new(capacity: usize) -> Hub {
        let boot = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_micros() as u64)
            .unwrap_or(1);
        Hub::starting_at(capacity, boot)
    }

    pub fn starting_at(capacity: usize, first_seq: u64) -> Hub {
        let (tx, _) = broadcast::channel(capacity.max(16));
        Hub {
            inner: Mutex::new(Ring {
                next_seq: first_seq.max(1),
                capacity: capacity.max(1),
                buf: VecDeque::new(),
            }),
            tx,
        }
    }

    /// Numbers, remembers and sends messages, in order.
    pub fn publish(&self, msgs: impl IntoIterator<Item = StreamMessage>) {
        let mut ring = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        for msg in msgs {
            let n = Numbered::new(ring.next_seq, &msg);
            ring.next_seq += 1;
            if ring.buf.len() == ring.capacity {
                ring.buf.pop_front();
            }
            ring.buf.push_back(n.clone());
            // No receiver is fine.
            let _ = self.tx.send(n);
        }
    }

    /// The last sequence number handed out (0 before any message).
    pub fn last_seq(&self) -> u64 {
        let ring = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        ring.next_seq - 1
    }

    /// Subscribes and computes the replay atomically, so nothing is lost or sent twice.
    pub fn subscribe(
        &self,
        last_event_id: Option<u64>,
    ) -> (Option<Replay>, broadcast::Receiver<Numbered>) {
        let ring = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let rx = self.tx.subscribe();
        let Some(last) = last_event_id else {
            return (None, rx);
        };
        let latest = ring.next_seq - 1;
        let oldest_known = ring.buf.front().map(|n| n.seq).unwrap_or(ring.next_seq);
        let replay = if last > latest || last + 1 < oldest_known {
            Replay::Resync(Numbered::new(latest, &StreamMessage::Resync))
        } else {
            Replay::Missed(ring.buf.iter().filter(|n| n.seq > last).cloned().collect())
        };
        (Some(replay), rx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replays_what_was_missed_and_resyncs_when_too_old() {
        let hub = Hub::starting_at(3, 10);
        hub.publish((0..5).map(|_| StreamMessage::Resync));
        assert_eq!(hub.last_seq(), 14);
        // Ring holds 12, 13, 14.
        match hub.subscribe(Some(12)).0 {
            Some(Replay::Missed(v)) => {
                assert_eq!(v.iter().map(|n| n.seq).collect::<Vec<_>>(), [13, 14])
            }
            other => panic!("{other:?}"),
        }
        match hub.subscribe(Some(11)).0 {
            Some(Replay::Missed(v)) => assert_eq!(v.len(), 3),
            other => panic!("{other:?}"),
        }
        assert!(matches!(hub.subscribe(Some(10)).0, Some(Replay::Resync(_))));
        assert!(matches!(hub.subscribe(Some(99)).0, Some(Replay::Resync(_))));
        assert!(hub.subscribe(None).0.is_none());
    }
}
