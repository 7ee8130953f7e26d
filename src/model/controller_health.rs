//! What the console says when the server's controller has stopped (`/health` →
//! `tick.controllerError`): every page shows it until a tick succeeds again.

use rollout_api::Health;

/// The banner's title and text while the controller is stopped; None when it runs (or the
/// server has no controller: a snapshot, live clusters).
pub fn controller_notice(h: &Health) -> Option<(String, String)> {
    let stopped = h.tick.as_ref()?.controller_error.as_ref()?;
    let title = format!(
        "The controller stopped on an error at {} UTC — rollouts are not advancing",
        crate::model::time::clock(stopped.since)
    );
    let message = stopped.message.trim().trim_end_matches('.');
    let detail = format!(
        "{message}. Nothing moves (phases, verifications, pauses, actions' effects) until a tick \
         succeeds again; this notice goes away when it does. The server's log has the details."
    );
    Some((title, detail))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};
    use rollout_api::{ControllerError, TickHealth};

    fn health(controller_error: Option<ControllerError>) -> Health {
        let now = Utc.with_ymd_and_hms(2026, 11, 20, 10, 42, 7).unwrap();
        Health {
            status: "ok".into(),
            version: "0.1.0".into(),
            read_only: false,
            auth_required: false,
            require_reason: false,
            manual_clock: false,
            now,
            speed: 1.0,
            rollouts: 3,
            clusters: 2,
            snapshot: None,
            tick: Some(TickHealth {
                last_tick: now,
                last_error: Some("index out of bounds".into()),
                last_error_at: Some(now),
                errors: 4,
                controller_error,
            }),
            live: Vec::new(),
        }
    }

    #[test]
    fn a_stopped_controller_is_said_with_the_time_and_the_error() {
        let since = Utc.with_ymd_and_hms(2026, 11, 20, 10, 41, 59).unwrap();
        let h = health(Some(ControllerError {
            message: "index out of bounds: the len is 3 but the index is 7".into(),
            since,
        }));
        let (title, detail) = controller_notice(&h).unwrap();
        assert_eq!(
            title,
            "The controller stopped on an error at 10:41:59 UTC — rollouts are not advancing"
        );
        assert!(detail
            .starts_with("index out of bounds: the len is 3 but the index is 7. Nothing moves"));
    }

    #[test]
    fn past_errors_alone_show_nothing() {
        // A rollout the supervisor failed is on that rollout's page; the controller runs on.
        assert_eq!(controller_notice(&health(None)), None);
        let mut h = health(None);
        h.tick = None;
        assert_eq!(controller_notice(&h), None);
    }
}
