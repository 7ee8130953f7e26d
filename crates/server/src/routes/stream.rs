//! `GET /stream`: Server-Sent Events with `id:` sequence numbers, replay on reconnect.

use crate::stream::{Numbered, Replay};
use crate::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::stream::{self, Stream, StreamExt};
use serde::Deserialize;
use std::convert::Infallible;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct StreamParams {
    /// For clients that cannot set `Last-Event-ID` (the header wins).
    last_event_id: Option<String>,
}

fn sse(n: &Numbered) -> Event {
    Event::default()
        .id(n.seq.to_string())
        .event(n.kind)
        .data(&*n.data)
}

fn resync() -> Event {
    Event::default()
        .event("resync")
        .data(r#"{"kind":"resync"}"#)
}

pub async fn stream(
    State(state): State<AppState>,
    headers: HeaderMap,
    params: Result<Query<StreamParams>, QueryRejection>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let header_id = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let query_id = params.ok().and_then(|Query(p)| p.last_event_id);
    let last_id = header_id
        .or(query_id)
        .map(|s| s.trim().parse::<u64>().unwrap_or(u64::MAX));
    let (replay, rx) = state.source().hub().subscribe(last_id);
    let (first, last_sent): (Vec<Event>, u64) = match replay {
        None => (Vec::new(), state.source().hub().last_seq()),
        Some(Replay::Missed(items)) => {
            let last = items.last().map(|n| n.seq).or(last_id).unwrap_or(0);
            (items.iter().map(sse).collect(), last)
        }
        Some(Replay::Resync(n)) => (vec![sse(&n)], n.seq),
    };
    // The broadcast may hold messages the replay already covered: skip them by number.
    let live = stream::unfold((rx, last_sent), |(mut rx, last_sent)| async move {
        loop {
            match rx.recv().await {
                Ok(n) if n.seq <= last_sent => continue,
                Ok(n) => return Some((sse(&n), (rx, n.seq))),
                // Too slow a reader: it missed messages, so it must re-list.
                Err(RecvError::Lagged(_)) => return Some((resync(), (rx, last_sent))),
                Err(RecvError::Closed) => return None,
            }
        }
    });
    let events = stream::iter(first).chain(live).map(Ok);
    Sse::new(events).keep_alive(
        KeepAlive::new()
            .interval(Duration::from_secs(15))
            .text("keep-alive"),
    )
}
