//! The Audit page's logic: its filters (kept in the URL), the API query they make, how pages
//! read later join the ones shown, the words for each action, and the CSV export.

use crate::model::export::{csv, timestamp};
use crate::url::query;
use chrono::NaiveDate;
use rollout_api::text::parse_date;
use rollout_api::{ActionKind, AuditEntry, AUDIT_APPLY};
use std::collections::HashSet;

/// Filters of the audit log: days (inclusive, UTC), who, which action (wire name).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub actor: String,
    pub action: String,
}

/// Entries asked for per page.
pub const PAGE: usize = 100;

impl AuditFilter {
    /// From the page URL's query pairs (`from`, `to` as YYYY-MM-DD, `actor`, `action`).
    pub fn from_pairs(pairs: &[(String, String)]) -> AuditFilter {
        let get = |k: &str| {
            pairs
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.as_str())
        };
        let day = |k: &str| get(k).and_then(parse_date);
        AuditFilter {
            from: day("from"),
            to: day("to"),
            actor: get("actor").unwrap_or_default().trim().to_string(),
            action: get("action").unwrap_or_default().to_string(),
        }
    }

    /// The page URL's query for these filters (empty ones left out).
    pub fn page_query(&self) -> String {
        let (from, to) = (
            self.from.map(|d| d.to_string()),
            self.to.map(|d| d.to_string()),
        );
        let pairs = [
            ("from", from.as_deref().unwrap_or("")),
            ("to", to.as_deref().unwrap_or("")),
            ("actor", self.actor.as_str()),
            ("action", self.action.as_str()),
        ];
        query(pairs.into_iter().filter(|(_, v)| !v.is_empty()))
    }

    /// `GET /api/v1/audit`'s query: the days as RFC 3339 (to = the end of its day), a page.
    pub fn api_query(&self, cursor: Option<&str>) -> String {
        let from = self.from.map(|d| format!("{d}T00:00:00Z"));
        let to = self
            .to
            .and_then(|d| d.succ_opt())
            .map(|d| format!("{d}T00:00:00Z"));
        let limit = PAGE.to_string();
        let pairs = [
            ("from", from.as_deref().unwrap_or("")),
            ("to", to.as_deref().unwrap_or("")),
            ("actor", self.actor.as_str()),
            ("action", self.action.as_str()),
            ("limit", limit.as_str()),
            ("cursor", cursor.unwrap_or("")),
        ];
        query(pairs.into_iter().filter(|(_, v)| !v.is_empty()))
    }
}

/// The entries shown (newest first, older pages below) after a fresh read of the newest page
/// (`fresh`, newest first): the fresh page in the server's order on top, then the entries shown
/// that are older than its oldest one, each id once. The entries it replaces were either in it
/// or are no longer kept. `None` when the fresh page does not reach down to the entries shown
/// (more than a page of news, or nothing shown): then it replaces them, with its own cursor.
pub fn merge_newest(shown: &[AuditEntry], fresh: &[AuditEntry]) -> Option<Vec<AuditEntry>> {
    let oldest = fresh.last()?;
    let at = shown.iter().position(|e| e.id == oldest.id)?;
    let mut out = fresh.to_vec();
    append_older(&mut out, shown[at + 1..].iter().cloned());
    Some(out)
}

/// Appends an older page below the entries shown, leaving out any id already there.
pub fn append_older(shown: &mut Vec<AuditEntry>, older: impl IntoIterator<Item = AuditEntry>) {
    let mut ids: HashSet<String> = shown.iter().map(|e| e.id.clone()).collect();
    shown.extend(older.into_iter().filter(|e| ids.insert(e.id.clone())));
}

/// The action filter's choices: every action, then Apply (wire name, label).
pub fn action_choices() -> Vec<(&'static str, &'static str)> {
    let mut out: Vec<_> = ActionKind::ALL
        .iter()
        .map(|a| (a.wire_name(), action_label(a.wire_name())))
        .collect();
    out.push((AUDIT_APPLY, "Apply"));
    out
}

/// "Roll back", "Promote all", "Apply"; an unknown action as the server wrote it.
pub fn action_label(action: &str) -> &str {
    match ActionKind::from_wire_name(action) {
        Some(kind) => crate::model::rollout_view::action_text(kind).label,
        None if action == AUDIT_APPLY => "Apply",
        None => action,
    }
}

pub const AUDIT_COLUMNS: [&str; 7] = [
    "at",
    "actor",
    "action",
    "rolloutId",
    "reason",
    "summary",
    "id",
];

/// The entries as CSV, in the table's order (newest first).
pub fn audit_csv(entries: &[AuditEntry]) -> String {
    csv(
        &AUDIT_COLUMNS,
        entries.iter().map(|e| {
            [
                timestamp(e.at),
                e.actor.clone(),
                e.action.clone(),
                e.rollout_id.clone().unwrap_or_default(),
                e.reason.clone().unwrap_or_default(),
                e.summary.clone(),
                e.id.clone(),
            ]
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn filters_come_from_the_url_and_make_the_api_query() {
        let f = AuditFilter::from_pairs(&pairs(&[
            ("from", "2026-11-28"),
            ("to", "2026-11-29"),
            ("actor", " alice "),
            ("action", "rollback"),
            ("x", "1"),
        ]));
        assert_eq!(f.actor, "alice");
        assert_eq!(
            f.page_query(),
            "from=2026-11-28&to=2026-11-29&actor=alice&action=rollback"
        );
        assert_eq!(
            f.api_query(Some("17-3")),
            "from=2026-11-28T00%3A00%3A00Z&to=2026-11-30T00%3A00%3A00Z&actor=alice&action=rollback&limit=100&cursor=17-3"
        );
        let none = AuditFilter::from_pairs(&pairs(&[("from", "yesterday")]));
        assert_eq!(none, AuditFilter::default());
        assert_eq!(none.api_query(None), "limit=100");
    }

    fn entry(id: &str) -> AuditEntry {
        AuditEntry {
            id: id.into(),
            at: Utc.with_ymd_and_hms(2026, 11, 29, 10, 0, 0).unwrap(),
            actor: "alice".into(),
            action: "pause".into(),
            rollout_id: Some("rol-1".into()),
            reason: None,
            summary: String::new(),
            applied: vec![],
            rollouts_started: vec![],
        }
    }

    fn list(ids: &[&str]) -> Vec<AuditEntry> {
        ids.iter().map(|id| entry(id)).collect()
    }

    fn ids(entries: &[AuditEntry]) -> Vec<&str> {
        entries.iter().map(|e| e.id.as_str()).collect()
    }

    #[test]
    fn news_joins_on_top_once_and_the_older_pages_stay() {
        // Two pages shown (f..d, then c..a); the newest page now starts with two new entries.
        let shown = list(&["f", "e", "d", "c", "b", "a"]);
        let merged = merge_newest(&shown, &list(&["h", "g", "f"])).unwrap();
        assert_eq!(ids(&merged), ["h", "g", "f", "e", "d", "c", "b", "a"]);
        // Nothing new: the same list.
        assert_eq!(
            merge_newest(&shown, &list(&["f", "e", "d"])),
            Some(shown.clone())
        );
        // A new entry the server orders below one already shown (same millisecond) takes its
        // place; one no longer kept leaves.
        let merged = merge_newest(&shown, &list(&["f", "n", "d"])).unwrap();
        assert_eq!(ids(&merged), ["f", "n", "d", "c", "b", "a"]);
    }

    #[test]
    fn news_beyond_a_page_or_nothing_shown_starts_over_from_the_newest_page() {
        let shown = list(&["c", "b", "a"]);
        assert_eq!(merge_newest(&shown, &list(&["z", "y", "x"])), None);
        assert_eq!(merge_newest(&[], &list(&["a"])), None);
        assert_eq!(merge_newest(&shown, &[]), None);
    }

    #[test]
    fn an_older_page_adds_only_entries_not_shown() {
        let mut shown = list(&["d", "c"]);
        append_older(&mut shown, list(&["c", "b", "a", "b"]));
        assert_eq!(ids(&shown), ["d", "c", "b", "a"]);
    }

    #[test]
    fn actions_have_their_menu_words_and_the_csv_has_every_column() {
        assert_eq!(action_label("rollback"), "Roll back");
        assert_eq!(action_label("promoteFull"), "Promote all");
        assert_eq!(action_label("apply"), "Apply");
        assert_eq!(action_choices().last(), Some(&("apply", "Apply")));
        let e = AuditEntry {
            id: "1764410000000-1".into(),
            at: Utc.with_ymd_and_hms(2026, 11, 29, 10, 0, 0).unwrap(),
            actor: "alice".into(),
            action: "rollback".into(),
            rollout_id: Some("rol-1".into()),
            reason: Some("error rate, 4 %".into()),
            summary: "Roll back of rol-1 by alice".into(),
            applied: vec![],
            rollouts_started: vec![],
        };
        let doc = audit_csv(&[e]);
        assert_eq!(
            doc,
            "at,actor,action,rolloutId,reason,summary,id\r\n2026-11-29T10:00:00Z,alice,rollback,rol-1,\"error rate, 4 %\",Roll back of rol-1 by alice,1764410000000-1\r\n"
        );
    }
}
