//! Running something once input has settled (typing in a search box).

use leptos::prelude::*;
use std::time::Duration;

/// Runs the last function given to [`call`](Debounce::call) once `delay` passed without
/// another call. `Copy`.
#[derive(Clone, Copy)]
pub struct Debounce {
    delay: Duration,
    pending: StoredValue<Option<TimeoutHandle>>,
}

impl Debounce {
    pub fn new(delay: Duration) -> Debounce {
        Debounce {
            delay,
            pending: StoredValue::new(None),
        }
    }

    /// Schedules `run`, dropping whatever was scheduled before.
    pub fn call(self, run: impl FnOnce() + 'static) {
        self.cancel();
        let handle = set_timeout_with_handle(run, self.delay);
        self.pending.set_value(handle.ok());
    }

    /// Drops what was scheduled.
    pub fn cancel(self) {
        if let Some(h) = self.pending.get_value() {
            h.clear();
        }
    }
}
