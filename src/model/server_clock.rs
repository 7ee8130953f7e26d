//! The server's clock as seen from the browser. Durations, countdowns and date windows follow
//! the engine's time, not the browser's: they differ when the server runs a manual clock (tests,
//! demos) or a hurried one (`serve --speed`), or when the two machines' clocks disagree.

use rollout_api::{Health, Timestamp};

/// The server's `now` at a browser instant, and how fast it runs from there.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ServerClock {
    server: Timestamp,
    browser: Timestamp,
    /// Server seconds per browser second: 1 in real time, 0 for a manual clock.
    rate: f64,
}

impl ServerClock {
    /// Before the server has answered: the browser's own clock.
    pub fn browser(now: Timestamp) -> ServerClock {
        ServerClock {
            server: now,
            browser: now,
            rate: 1.0,
        }
    }

    /// What `/api/v1/health` said, read at `browser_now`.
    pub fn from_health(health: &Health, browser_now: Timestamp) -> ServerClock {
        ServerClock {
            server: health.now,
            browser: browser_now,
            rate: if health.manual_clock {
                0.0
            } else {
                health.speed
            },
        }
    }

    /// True when time only moves when someone advances it.
    pub fn is_manual(&self) -> bool {
        self.rate == 0.0
    }

    /// The server's time at `browser_now`.
    pub fn now(&self, browser_now: Timestamp) -> Timestamp {
        let elapsed_ms = (browser_now - self.browser).num_milliseconds() as f64 * self.rate;
        self.server + chrono::Duration::milliseconds(elapsed_ms as i64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone, Utc};

    fn health(now: Timestamp, manual: bool, speed: f64) -> Health {
        Health {
            status: "ok".into(),
            version: "0".into(),
            read_only: false,
            auth_required: false,
            manual_clock: manual,
            require_reason: false,
            now,
            speed,
            rollouts: 0,
            clusters: 0,
            snapshot: None,
            tick: None,
            live: Vec::new(),
        }
    }

    #[test]
    fn a_real_time_server_runs_with_the_browser_from_its_own_now() {
        let browser = Utc.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).unwrap();
        let server = browser - Duration::seconds(90); // the server's clock is 90 s behind
        let c = ServerClock::from_health(&health(server, false, 1.0), browser);
        assert_eq!(
            c.now(browser + Duration::seconds(10)),
            server + Duration::seconds(10)
        );
    }

    #[test]
    fn a_hurried_server_runs_faster_than_the_browser() {
        let t = Utc.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).unwrap();
        let c = ServerClock::from_health(&health(t, false, 10.0), t);
        assert_eq!(c.now(t + Duration::seconds(3)), t + Duration::seconds(30));
    }

    #[test]
    fn a_manual_clock_stands_still_until_the_server_says_otherwise() {
        let t = Utc.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).unwrap();
        let c = ServerClock::from_health(&health(t, true, 0.0), t);
        assert_eq!(c.now(t + Duration::minutes(5)), t);
        assert!(c.is_manual());
    }

    #[test]
    fn before_the_server_answers_the_browser_clock_is_used() {
        let t = Utc.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).unwrap();
        let c = ServerClock::browser(t);
        assert_eq!(c.now(t + Duration::seconds(7)), t + Duration::seconds(7));
    }
}
