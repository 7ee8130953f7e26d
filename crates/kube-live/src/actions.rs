//! The console's actions as the `kubectl argo rollouts` plugin performs them: the same JSON
//! merge patches, on the status subresource first where the plugin does that, falling back to
//! the Rollout itself when the API server has no status subresource for it (404), as the
//! plugin does for Argo Rollouts before v0.10.
//!
//! | console       | plugin command   | patches                                                    |
//! |---------------|------------------|------------------------------------------------------------|
//! | Promote       | `promote`        | see [`plan`]: unpause, clear pause conditions or next step |
//! | Promote all   | `promote --full` | status `{"status":{"promoteFull":true}}` (none when the stable RS already is the current one) |
//! | Pause         | `pause`          | `{"spec":{"paused":true}}`                                 |
//! | Resume        | `resume`         | `{"spec":{"paused":false}}`                                |
//! | Roll back     | `abort`          | status `{"status":{"abort":true}}`                         |
//! | Retry         | `retry rollout`  | status `{"status":{"abort":false}}`                        |

use crate::kinds;
use kube::api::{Api, DynamicObject, Patch, PatchParams};
use rollout_api::ActionKind;
use rollout_kube::objects::Rollout;
use rollout_kube::Loaded;
use serde_json::{json, Value};

/// What to send for one action. `status` goes to the status subresource first; when that
/// answers 404, `unified` replaces `spec` and goes to the Rollout itself.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Plan {
    pub status: Option<Value>,
    pub spec: Option<Value>,
    pub unified: Option<Value>,
}

/// One patch as sent: to `rollouts/status` or to the Rollout.
#[derive(Debug, Clone, PartialEq)]
pub struct SentPatch {
    pub status_subresource: bool,
    pub body: Value,
}

#[derive(Debug, thiserror::Error)]
pub enum ActError {
    /// The API server refused: its status code and message (403: the server's RBAC).
    #[error("the API server answered {code}: {message}")]
    Api { code: u16, message: String },
    #[error("the API server could not be reached: {0}")]
    Transport(String),
    #[error("{0}")]
    Invalid(String),
}

/// The canary step index the plugin starts from: `status.currentStepIndex`, 0 when unset;
/// none for a blue-green rollout or a canary without steps.
fn step_index(ro: &Rollout) -> Option<i64> {
    let canary = ro.spec.strategy.canary.as_ref()?;
    if canary.steps.is_empty() {
        return None;
    }
    Some(ro.status.current_step_index.unwrap_or(0))
}

/// The patches of `action` for this Rollout, as the plugin computes them.
pub fn plan(action: ActionKind, ro: &Rollout) -> Plan {
    match action {
        ActionKind::Promote => {
            let mut p = Plan {
                unified: Some(
                    json!({"spec": {"paused": false}, "status": {"pauseConditions": null}}),
                ),
                ..Plan::default()
            };
            if ro.spec.paused {
                p.spec = Some(json!({"spec": {"paused": false}}));
            }
            if !ro.status.pause_conditions.is_empty() {
                p.status = Some(json!({"status": {"pauseConditions": null}}));
            } else if ro.spec.strategy.canary.is_some() {
                // Not paused by a step: move past the step running now (analysis, experiment).
                if let Some(mut index) = step_index(ro) {
                    let steps = ro
                        .spec
                        .strategy
                        .canary
                        .as_ref()
                        .map(|c| c.steps.len() as i64)
                        .unwrap_or(0);
                    if index < steps {
                        index += 1;
                    }
                    p.status = Some(
                        json!({"status": {"pauseConditions": null, "currentStepIndex": index}}),
                    );
                    p.unified = Some(json!({
                        "spec": {"paused": false},
                        "status": {"pauseConditions": null, "currentStepIndex": index}
                    }));
                }
            }
            p
        }
        ActionKind::PromoteFull => {
            let mut p = Plan::default();
            if ro.status.current_pod_hash != ro.status.stable_rs {
                p.status = Some(json!({"status": {"promoteFull": true}}));
            }
            p
        }
        ActionKind::Pause => Plan {
            spec: Some(json!({"spec": {"paused": true}})),
            ..Plan::default()
        },
        ActionKind::Resume => Plan {
            spec: Some(json!({"spec": {"paused": false}})),
            ..Plan::default()
        },
        ActionKind::Rollback => status_first(json!({"status": {"abort": true}})),
        ActionKind::Retry => status_first(json!({"status": {"abort": false}})),
    }
}

/// A patch for the status subresource, sent to the Rollout itself when there is none.
fn status_first(body: Value) -> Plan {
    Plan {
        status: Some(body.clone()),
        unified: Some(body),
        spec: None,
    }
}

fn api_error(e: kube::Error) -> ActError {
    match e {
        kube::Error::Api(s) => ActError::Api {
            code: s.code,
            message: if s.message.is_empty() {
                s.reason.clone()
            } else {
                s.message.clone()
            },
        },
        other => {
            let mut msg = other.to_string();
            let mut src = std::error::Error::source(&other);
            while let Some(s) = src {
                msg = s.to_string();
                src = s.source();
            }
            ActError::Transport(msg)
        }
    }
}

/// Performs `action` on the Rollout `namespace/name`, as the identity of `client`. Reads the
/// Rollout first (promote decides from its current state, as the plugin does). Answers the
/// patches sent, in order.
pub async fn act(
    client: &kube::Client,
    namespace: &str,
    name: &str,
    action: ActionKind,
) -> Result<Vec<SentPatch>, ActError> {
    let api: Api<DynamicObject> =
        Api::namespaced_with(client.clone(), namespace, &kinds::rollout());
    let plan = match action {
        ActionKind::Promote | ActionKind::PromoteFull => {
            let obj = api.get(name).await.map_err(api_error)?;
            let mut v = serde_json::to_value(obj).map_err(|e| ActError::Invalid(e.to_string()))?;
            if let Value::Object(m) = &mut v {
                m.insert("apiVersion".into(), json!("argoproj.io/v1alpha1"));
                m.insert("kind".into(), json!("Rollout"));
            }
            let mut loaded = Loaded::default();
            loaded.add_value(&v).map_err(ActError::Invalid)?;
            let ro =
                loaded.objects.rollouts.pop().ok_or_else(|| {
                    ActError::Invalid(format!("{namespace}/{name} is not a Rollout"))
                })?;
            plan(action, &ro)
        }
        other => plan(other, &Rollout::default()),
    };
    let params = PatchParams::default();
    let mut sent = Vec::new();
    let mut spec = plan.spec.clone();
    if let Some(body) = &plan.status {
        sent.push(SentPatch {
            status_subresource: true,
            body: body.clone(),
        });
        match api.patch_status(name, &params, &Patch::Merge(body)).await {
            Ok(_) => {}
            Err(kube::Error::Api(s)) if s.is_not_found() => {
                // No status subresource (Argo Rollouts before v0.10): one patch of both.
                spec = plan.unified.clone();
            }
            Err(e) => return Err(api_error(e)),
        }
    }
    if let Some(body) = spec {
        sent.push(SentPatch {
            status_subresource: false,
            body: body.clone(),
        });
        api.patch(name, &params, &Patch::Merge(&body))
            .await
            .map_err(api_error)?;
    }
    Ok(sent)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rollout(yaml: &str) -> Rollout {
        let v: Value = serde_norway_free(yaml);
        let mut l = Loaded::default();
        assert!(l.add_value(&v).unwrap());
        l.objects.rollouts.pop().unwrap()
    }

    /// Test objects are written as JSON here (this crate reads no YAML).
    fn serde_norway_free(json_text: &str) -> Value {
        serde_json::from_str(json_text).unwrap()
    }

    const CANARY: &str = r#"{"apiVersion":"argoproj.io/v1alpha1","kind":"Rollout","metadata":{"name":"r"},
      "spec":{"strategy":{"canary":{"steps":[{"setWeight":20},{"pause":{}},{"setWeight":50},{"pause":{"duration":"1h"}}]}}},
      "status":{"currentStepIndex":1,"pauseConditions":[{"reason":"CanaryPauseStep","startTime":"2024-01-01T00:00:00Z"}],
                "currentPodHash":"b","stableRS":"a"}}"#;

    #[test]
    fn promote_clears_the_pause_conditions_of_a_step_pause() {
        let p = plan(ActionKind::Promote, &rollout(CANARY));
        assert_eq!(p.status, Some(json!({"status": {"pauseConditions": null}})));
        assert_eq!(p.spec, None);
        assert_eq!(
            p.unified,
            Some(json!({"spec": {"paused": false}, "status": {"pauseConditions": null}}))
        );
    }

    #[test]
    fn promote_of_a_running_step_moves_to_the_next_one_and_unpauses_a_paused_spec() {
        let ro = rollout(
            &CANARY
                .replace(r#""pauseConditions":[{"reason":"CanaryPauseStep","startTime":"2024-01-01T00:00:00Z"}],"#, "")
                .replace(r#""spec":{"strategy""#, r#""spec":{"paused":true,"strategy""#),
        );
        let p = plan(ActionKind::Promote, &ro);
        assert_eq!(
            p.status,
            Some(json!({"status": {"pauseConditions": null, "currentStepIndex": 2}}))
        );
        assert_eq!(p.spec, Some(json!({"spec": {"paused": false}})));
        assert_eq!(
            p.unified,
            Some(
                json!({"spec": {"paused": false}, "status": {"pauseConditions": null, "currentStepIndex": 2}})
            )
        );
    }

    #[test]
    fn promote_full_does_nothing_when_the_current_revision_is_stable() {
        let ro = rollout(&CANARY.replace(r#""stableRS":"a""#, r#""stableRS":"b""#));
        assert_eq!(plan(ActionKind::PromoteFull, &ro), Plan::default());
        assert_eq!(
            plan(ActionKind::PromoteFull, &rollout(CANARY)).status,
            Some(json!({"status": {"promoteFull": true}}))
        );
    }

    #[test]
    fn abort_and_retry_go_to_the_status_subresource_pause_and_resume_to_the_spec() {
        let ro = rollout(CANARY);
        let abort = plan(ActionKind::Rollback, &ro);
        assert_eq!(abort.status, Some(json!({"status": {"abort": true}})));
        assert_eq!(abort.unified, abort.status);
        assert_eq!(
            plan(ActionKind::Retry, &ro).status,
            Some(json!({"status": {"abort": false}}))
        );
        assert_eq!(
            plan(ActionKind::Pause, &ro),
            Plan {
                spec: Some(json!({"spec": {"paused": true}})),
                ..Plan::default()
            }
        );
        assert_eq!(
            plan(ActionKind::Resume, &ro).spec,
            Some(json!({"spec": {"paused": false}}))
        );
    }
}
