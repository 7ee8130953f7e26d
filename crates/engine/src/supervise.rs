//! Supervision of the tick: a bug met while moving one rollout (a panic) stops that rollout —
//! failed, with the reason, its canary scaled away — instead of freezing the clock for every
//! other rollout. The rollout is then completed, so no later tick (and no restart, which
//! restores it completed) runs into the same panic again.

use crate::api::{self, EventType, FailureReason, FailureReasonType, PhaseStatus, RolloutStatus};
use crate::model::PhaseStage;
use crate::Engine;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// A rollout the supervisor stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TickFault {
    pub rollout_id: String,
    pub at: api::Timestamp,
    pub message: String,
}

/// The text of a panic's payload.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".into())
}

impl Engine {
    /// Moves one rollout by a tick; a panic stops that rollout only.
    pub(crate) fn tick_rollout_supervised(&mut self, ri: usize) {
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            if self.rollouts[ri].id.as_str() == self.panic_on.as_deref().unwrap_or("") {
                panic!("injected controller fault");
            }
            self.tick_rollout(ri)
        }));
        if let Err(payload) = outcome {
            // The panic may have cut a mutation short: the next delta rewrites everything.
            self.touch_all();
            let message = panic_message(payload.as_ref());
            self.stop_after_fault(ri, message);
        }
    }

    /// Fails the rollout for a controller fault: completed (never ticked again), phases closed,
    /// canary traffic and replicas back to the stable version as far as that still works.
    fn stop_after_fault(&mut self, ri: usize, fault: String) {
        let now = self.now;
        let message = format!(
            "The rollout controller hit an internal error on this rollout and stopped it \
             ({fault}); the stable version keeps serving. Apply the SpotDeployment again to retry."
        );
        let r = &mut self.rollouts[ri];
        let id = r.id.clone();
        let had_canary = r.canary_weight > 0;
        r.status = RolloutStatus::Failed;
        r.end_time = Some(now);
        r.hold = None;
        r.unhealthy_since = None;
        r.failure_reason = Some(FailureReason {
            kind: FailureReasonType::ControllerError,
            message: message.clone(),
        });
        for p in &mut r.phases {
            if p.stage != PhaseStage::Done {
                p.status = if p.stage == PhaseStage::NotStarted {
                    PhaseStatus::Dropped
                } else {
                    p.end_time = Some(now);
                    PhaseStatus::Aborted
                };
                p.stage = PhaseStage::Done;
            }
            for v in &mut p.verifications {
                v.next_at = None;
            }
        }
        for v in &mut r.background {
            v.next_at = None;
        }
        let (c, ns, name) = (
            r.cluster_id.clone(),
            r.namespace.clone(),
            r.spot_deployment.clone(),
        );
        // Best effort: the state that panicked may panic again.
        let _ = catch_unwind(AssertUnwindSafe(|| self.set_weight(ri, 0)));
        self.rollouts[ri].canary_weight = 0;
        if let Some(wi) = self.workload_index(&c, &ns, &name) {
            let w = &mut self.workloads[wi];
            if w.active_rollout.as_deref() == Some(id.as_str()) {
                w.active_rollout = None;
            }
            if had_canary {
                w.degraded = true;
            }
            self.workload_changed(wi);
        }
        let _ = catch_unwind(AssertUnwindSafe(|| {
            self.rollout_event(ri, EventType::Warning, "RolloutFailed", message.clone())
        }));
        self.mark(&id);
        self.faults.push(TickFault {
            rollout_id: id,
            at: now,
            message: fault,
        });
    }

    /// The rollouts the supervisor stopped since the last call.
    pub fn take_faults(&mut self) -> Vec<TickFault> {
        std::mem::take(&mut self.faults)
    }

    /// A panic the caller caught around `advance_to`, outside any rollout: kept for
    /// `take_outside_fault` (the caller reports it).
    pub fn note_outside_fault(&mut self, message: String) {
        self.touch_all();
        self.outside_fault = Some(message);
    }

    pub fn take_outside_fault(&mut self) -> Option<String> {
        self.outside_fault.take()
    }

    /// Test hook: every tick panics before it moves anything (a bug outside any rollout, which
    /// stops the whole controller until it is fixed).
    #[doc(hidden)]
    pub fn inject_outside_panic(&mut self, on: bool) {
        self.panic_outside = on;
    }

    pub(crate) fn injected_outside_fault(&self) {
        if self.panic_outside {
            panic!("injected controller fault outside any rollout");
        }
    }

    /// Test hook: the next ticks of this rollout panic, as a controller bug would.
    #[doc(hidden)]
    pub fn inject_panic(&mut self, rollout_id: Option<&str>) {
        self.panic_on = rollout_id.map(str::to_string);
    }
}
