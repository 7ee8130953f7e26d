//! Actions on a rollout. `guard` is the one place that decides whether an action is allowed:
//! `act` refuses with its reason, and `RolloutDetail.actions` shows the same answer.

use crate::model::*;
use crate::{api, ActionError, Engine};

use api::{ActionKind, EventType, FailureReason, FailureReasonType, PauseKind, RolloutStatus};

/// Whether `action` is allowed on `r` now (`w` is its workload); the reason when it is not.
pub fn guard(
    r: &RolloutRecord,
    w: Option<&WorkloadRecord>,
    action: ActionKind,
) -> Result<(), String> {
    let status = r.status;
    let label = status.label().to_lowercase();
    let stage = r.phases.get(r.current_phase).map(|p| p.stage);
    let running = || -> Result<(), String> {
        match status {
            s if s.is_completed() => Err(format!("The rollout is already {label}")),
            RolloutStatus::Pending => {
                Err("The rollout has not started: it waits for the operator".into())
            }
            RolloutStatus::InvalidSpec => {
                Err("The rollout has an invalid spec: fix the YAML first".into())
            }
            RolloutStatus::Aborting => Err("The rollout is rolling back".into()),
            _ => Ok(()),
        }
    };
    match action {
        ActionKind::Promote | ActionKind::PromoteFull => running(),
        ActionKind::Pause => {
            running()?;
            if r.hold.is_some() {
                return Err("The rollout is already paused".into());
            }
            let current = r.phases.get(r.current_phase);
            if stage == Some(PhaseStage::Paused) && current.is_some_and(|p| p.pause_until.is_none())
            {
                return Err("The rollout is already paused until someone acts".into());
            }
            Ok(())
        }
        ActionKind::Resume => {
            running()?;
            if r.hold.is_some() || stage == Some(PhaseStage::Paused) {
                Ok(())
            } else {
                Err("The rollout is not paused".into())
            }
        }
        ActionKind::Rollback => match status {
            s if s.is_completed() => Err(format!(
                "The rollout is already {label}: there is nothing to roll back"
            )),
            RolloutStatus::Aborting => Err("The rollout is already rolling back".into()),
            _ => Ok(()),
        },
        ActionKind::Retry => {
            if !status.is_completed() {
                return Err("Retry is available once the rollout has completed".into());
            }
            if status == RolloutStatus::Finished {
                return Err("The rollout finished: its version is already live".into());
            }
            match w {
                None => Err("The SpotDeployment is gone".into()),
                Some(w) if w.active_rollout.is_some() => Err(format!(
                    "Another rollout of {} is running ({})",
                    w.name,
                    w.active_rollout.clone().unwrap_or_default()
                )),
                Some(w) if w.last_rollout.as_deref() != Some(r.id.as_str()) => Err(format!(
                    "Only the latest rollout of {} can be retried ({})",
                    w.name,
                    w.last_rollout.clone().unwrap_or_default()
                )),
                Some(_) => Ok(()),
            }
        }
    }
}

fn verb(action: ActionKind) -> &'static str {
    action.verb()
}

/// "Roll back by alice: canary error rate 4 %" (without a reason: "Roll back by alice").
pub fn action_message(action: ActionKind, actor: &str, reason: Option<&str>) -> String {
    match reason {
        Some(why) => format!("{} by {actor}: {why}", verb(action)),
        None => format!("{} by {actor}", verb(action)),
    }
}

impl Engine {
    pub(crate) fn workload_of(&self, r: &RolloutRecord) -> Option<&WorkloadRecord> {
        self.workload_index(&r.cluster_id, &r.namespace, &r.spot_deployment)
            .map(|i| &self.workloads[i])
    }

    pub(crate) fn availability(&self, r: &RolloutRecord) -> Vec<api::ActionAvailability> {
        let w = self.workload_of(r);
        ActionKind::ALL
            .into_iter()
            .map(|action| {
                let verdict = guard(r, w, action);
                api::ActionAvailability {
                    action,
                    enabled: verdict.is_ok(),
                    reason: verdict.err(),
                }
            })
            .collect()
    }

    /// Performs an allowed action. Returns the id of the rollout to show (a retry shows the new
    /// rollout).
    pub(crate) fn perform(
        &mut self,
        id: &str,
        action: ActionKind,
        actor: &str,
        reason: Option<&str>,
    ) -> Result<String, ActionError> {
        let ri = *self.rollout_index.get(id).ok_or(ActionError::NotFound)?;
        guard(
            &self.rollouts[ri],
            self.workload_of(&self.rollouts[ri]),
            action,
        )
        .map_err(ActionError::Refused)?;
        let now = self.now;
        let record = api::ActionRecord {
            rollout_id: id.to_string(),
            action,
            actor: actor.to_string(),
            at: now,
            reason: reason.map(str::to_string),
        };
        self.actions.push(record.clone());
        self.touched
            .actions
            .insert(crate::action_key(self.actions.len() - 1));
        self.changes.push(crate::Change::Action(record));
        self.prune_actions(id);
        let phase = {
            let r = &self.rollouts[ri];
            r.phases
                .get(r.current_phase)
                .map(|p| p.name.clone())
                .unwrap_or_default()
        };
        self.action_event(
            ri,
            &format!("Action{}", verb(action).replace(' ', "")),
            action_message(action, actor, reason),
            actor,
            reason,
        );
        let mut shown = id.to_string();
        match action {
            ActionKind::Promote => {
                self.rollouts[ri].hold = None;
                self.complete_phase(ri);
            }
            ActionKind::PromoteFull => {
                let r = &mut self.rollouts[ri];
                r.hold = None;
                let cur = r.current_phase;
                for (i, p) in r.phases.iter_mut().enumerate() {
                    if i == cur {
                        p.status = api::PhaseStatus::FullPromoted;
                        p.end_time = Some(now);
                    } else if i > cur {
                        p.status = api::PhaseStatus::Dropped;
                    }
                    p.stage = PhaseStage::Done;
                    for v in &mut p.verifications {
                        v.next_at = None;
                    }
                }
                self.finish(ri);
            }
            ActionKind::Pause => {
                self.rollouts[ri].hold = Some(Hold {
                    kind: PauseKind::Manual,
                    at: now,
                    phase,
                });
                self.update_status(ri);
            }
            ActionKind::Resume => {
                let r = &mut self.rollouts[ri];
                r.unhealthy_since = None;
                match r.hold.take() {
                    Some(h) if h.kind == PauseKind::FailurePolicy => {
                        // The failed verification stays failed; the phase carries on.
                        let cur = r.current_phase;
                        if r.phases.get(cur).is_some_and(|p| {
                            p.stage == PhaseStage::Verifying && p.failure.is_some()
                        }) {
                            r.phases[cur].verified_at = Some(now);
                            self.after_verification(ri);
                        }
                    }
                    Some(_) => {}
                    None => {
                        // Ends a strategy pause.
                        self.complete_phase(ri);
                    }
                }
                self.update_status(ri);
            }
            ActionKind::Rollback => {
                self.abort(
                    ri,
                    FailureReason {
                        kind: FailureReasonType::ManualRollback,
                        message: match reason {
                            Some(why) => format!("Rolled back by {actor}: {why}"),
                            None => format!("Rolled back by {actor}"),
                        },
                    },
                );
            }
            ActionKind::Retry => {
                let r = self.rollouts[ri].clone();
                let wi = self
                    .workload_index(&r.cluster_id, &r.namespace, &r.spot_deployment)
                    .ok_or(ActionError::NotFound)?;
                if self.workloads[wi].degraded {
                    self.workloads[wi].degraded = false;
                    let (ns, name) = (r.namespace.clone(), r.spot_deployment.clone());
                    self.record_event(
                        Some(r.id.clone()),
                        &r.cluster_id,
                        &ns,
                        Some(&name),
                        EventType::Normal,
                        "DegradedRemoved",
                        format!("SpotDeployment/{name}"),
                        format!("Degraded removed from {ns}/{name}: the rollout is retried"),
                    );
                }
                let new_id = self.create_rollout(wi, r.revision, Some(r.id.clone()));
                shown = new_id;
            }
        }
        let id = id.to_string();
        self.mark(&id);
        Ok(shown)
    }
}
