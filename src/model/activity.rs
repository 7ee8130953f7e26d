//! The rollout page's Activity list: who acted, how, and why, newest first.

use crate::model::rollout_view::action_text;
use rollout_api::ActionRecord;

/// "Roll back by alice: canary error rate 4 %" (no colon part without a reason).
pub fn activity_line(r: &ActionRecord) -> String {
    let verb = action_text(r.action).label;
    match r.reason.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(reason) => format!("{verb} by {}: {reason}", r.actor),
        None => format!("{verb} by {}", r.actor),
    }
}

/// The records newest first (ties keep their order).
pub fn newest_first(records: &[ActionRecord]) -> Vec<ActionRecord> {
    let mut out = records.to_vec();
    out.sort_by_key(|r| std::cmp::Reverse(r.at));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};
    use rollout_api::ActionKind;

    fn record(action: ActionKind, actor: &str, minute: u32, reason: Option<&str>) -> ActionRecord {
        ActionRecord {
            rollout_id: "rol-1".into(),
            action,
            actor: actor.into(),
            at: Utc.with_ymd_and_hms(2026, 11, 29, 10, minute, 0).unwrap(),
            reason: reason.map(String::from),
        }
    }

    #[test]
    fn a_line_says_the_action_who_and_why_and_the_newest_comes_first() {
        let a = record(ActionKind::Promote, "anonymous", 1, None);
        let b = record(
            ActionKind::Rollback,
            "alice",
            5,
            Some(" canary error rate 4 % "),
        );
        assert_eq!(
            activity_line(&b),
            "Roll back by alice: canary error rate 4 %"
        );
        assert_eq!(activity_line(&a), "Promote by anonymous");
        assert_eq!(newest_first(&[a.clone(), b.clone()]), vec![b, a]);
    }
}
