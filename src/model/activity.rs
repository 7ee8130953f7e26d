//! The rollout page's Activity list: who acted, how, and why, newest first.

use crate::model::list::group_digits;
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

/// The records newest first. The wire has no sequence number but sends a rollout's actions
/// oldest first (in the order they were taken), so records with the same time (common with the
/// server's manual clock: pause, resume, pause in one second) come in reverse arrival order.
pub fn newest_first(records: &[ActionRecord]) -> Vec<ActionRecord> {
    let mut out: Vec<ActionRecord> = records.iter().rev().cloned().collect();
    out.sort_by_key(|r| std::cmp::Reverse(r.at));
    out
}

/// Under the list, when retention dropped older actions (`activity_pruned`): how many, in
/// plain words, and how many are still there. The server does not send its limit, so none is
/// named.
pub fn pruned_notice(pruned: u64, kept: usize) -> Option<String> {
    if pruned == 0 {
        return None;
    }
    let n = usize::try_from(pruned).unwrap_or(usize::MAX);
    let older = if n == 1 {
        "1 older action is".to_string()
    } else {
        format!("{} older actions are", group_digits(n))
    };
    let shown = match kept {
        0 => String::new(),
        k => format!(" ({} shown above)", group_digits(k)),
    };
    Some(format!(
        "{older} no longer kept: the server keeps only the newest actions of a rollout{shown}."
    ))
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

    #[test]
    fn actions_at_the_same_time_come_newest_first_too() {
        // As the server sends them: oldest first, the last three in the same second.
        let early = record(ActionKind::Promote, "alice", 1, None);
        let pause = record(ActionKind::Pause, "bob", 7, None);
        let resume = record(ActionKind::Resume, "bob", 7, Some("checked"));
        let pause_again = record(ActionKind::Pause, "carol", 7, None);
        let later = record(ActionKind::Rollback, "dave", 9, None);
        let lines: Vec<String> = newest_first(&[
            early.clone(),
            pause.clone(),
            resume.clone(),
            pause_again.clone(),
            later.clone(),
        ])
        .iter()
        .map(activity_line)
        .collect();
        assert_eq!(
            lines,
            [
                "Roll back by dave",
                "Pause by carol",
                "Resume by bob: checked",
                "Pause by bob",
                "Promote by alice",
            ]
        );
        // Out-of-order input is still sorted by time first.
        assert_eq!(
            newest_first(&[later.clone(), early.clone(), pause.clone()]),
            vec![later, pause, early]
        );
    }

    #[test]
    fn pruned_actions_are_counted_in_plain_words_and_none_says_nothing() {
        assert_eq!(pruned_notice(0, 3), None);
        assert_eq!(
            pruned_notice(12, 3).as_deref(),
            Some("12 older actions are no longer kept: the server keeps only the newest actions of a rollout (3 shown above).")
        );
        assert_eq!(
            pruned_notice(1, 1_000).as_deref(),
            Some("1 older action is no longer kept: the server keeps only the newest actions of a rollout (1,000 shown above).")
        );
        assert_eq!(
            pruned_notice(12_345, 0).as_deref(),
            Some("12,345 older actions are no longer kept: the server keeps only the newest actions of a rollout.")
        );
    }
}
