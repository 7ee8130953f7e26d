//! `GET /audit`: every action on a rollout and every apply, newest first, with who, when and
//! why; filters, cursor paging and a CSV form. Pure functions over the two logs, tested on
//! their own.
//!
//! An entry's id is its position `MILLIS-SEQ`: the time in Unix milliseconds, and a number
//! that orders the entries of one millisecond (`2k` for the k-th action of that millisecond,
//! `2k + 1` for the k-th apply). Logs only grow at their end, so an id never changes.

use crate::listing::{decode_cursor, encode_cursor, limit, list, time};
use rollout_api::{self as api, ActionKind, AuditEntry, AuditPage, Timestamp};
use rollout_engine::ApplyRecord;
use serde::Deserialize;
use std::collections::HashMap;

pub const DEFAULT_LIMIT: usize = 100;
pub const MAX_LIMIT: usize = 10_000;

/// The query string of `GET /audit`, as received.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditParams {
    pub from: Option<String>,
    pub to: Option<String>,
    pub actor: Option<String>,
    pub action: Option<String>,
    pub rollout_id: Option<String>,
    pub limit: Option<String>,
    pub cursor: Option<String>,
    pub format: Option<String>,
}

/// A parsed, validated audit query.
#[derive(Debug, Default)]
pub struct AuditFilter {
    pub from: Option<Timestamp>,
    pub to: Option<Timestamp>,
    /// Lower-cased; an entry matches one of them (ignoring case).
    pub actors: Vec<String>,
    /// Action wire names (`rollback`, ...) or `apply`.
    pub actions: Vec<String>,
    pub rollout_ids: Vec<String>,
    pub limit: usize,
    /// Entries strictly older than this position.
    pub before: Option<(i64, usize)>,
    pub csv: bool,
}

impl AuditFilter {
    pub fn parse(p: &AuditParams) -> Result<AuditFilter, String> {
        let bound = |name: &str, v: &Option<String>| match v.as_deref().filter(|s| !s.is_empty()) {
            Some(v) => time(name, v).map(Some),
            None => Ok(None),
        };
        let actions = list(&p.action);
        for a in &actions {
            if a != api::AUDIT_APPLY && ActionKind::from_wire_name(a).is_none() {
                let known: Vec<&str> = ActionKind::ALL.iter().map(|a| a.wire_name()).collect();
                return Err(format!(
                    "unknown `action` `{a}`; use one of {}, {}",
                    known.join(", "),
                    api::AUDIT_APPLY
                ));
            }
        }
        let limit = limit(&p.limit, DEFAULT_LIMIT, MAX_LIMIT)?;
        let before = match p.cursor.as_deref().filter(|s| !s.is_empty()) {
            Some(c) => {
                let (t, seq) = decode_cursor(c)?;
                Some((t.timestamp_millis(), seq))
            }
            None => None,
        };
        let csv = match p.format.as_deref().unwrap_or("") {
            "" | "json" => false,
            "csv" => true,
            other => {
                return Err(format!(
                    "`format` is json or csv, not `{}`",
                    other.chars().take(40).collect::<String>()
                ))
            }
        };
        Ok(AuditFilter {
            from: bound("from", &p.from)?,
            to: bound("to", &p.to)?,
            actors: list(&p.actor).iter().map(|a| a.to_lowercase()).collect(),
            actions,
            rollout_ids: list(&p.rollout_id),
            limit,
            before,
            csv,
        })
    }

    fn matches(&self, e: &AuditEntry) -> bool {
        self.from.is_none_or(|f| e.at >= f)
            && self.to.is_none_or(|t| e.at <= t)
            && (self.actors.is_empty() || self.actors.contains(&e.actor.to_lowercase()))
            && (self.actions.is_empty() || self.actions.contains(&e.action))
            && (self.rollout_ids.is_empty()
                || e.rollout_id
                    .as_ref()
                    .is_some_and(|id| self.rollout_ids.contains(id)))
    }
}

/// The audit entries of an action log and an apply log (each oldest first), newest first.
pub fn entries<'a>(
    actions: impl IntoIterator<Item = &'a api::ActionRecord>,
    applies: impl IntoIterator<Item = &'a ApplyRecord>,
) -> Vec<AuditEntry> {
    let mut out: Vec<(i64, usize, AuditEntry)> = Vec::new();
    let mut seen: HashMap<(i64, usize), usize> = HashMap::new();
    let mut position = |at: Timestamp, log: usize| {
        let ms = at.timestamp_millis();
        let k = seen.entry((ms, log)).or_insert(0);
        let seq = 2 * *k + log;
        *k += 1;
        (ms, seq)
    };
    for a in actions {
        let (ms, seq) = position(a.at, 0);
        out.push((
            ms,
            seq,
            AuditEntry {
                id: encode_cursor(a.at, seq),
                at: a.at,
                actor: a.actor.clone(),
                action: a.action.wire_name().to_string(),
                rollout_id: Some(a.rollout_id.clone()),
                reason: a.reason.clone(),
                summary: format!("{} {} by {}", a.action.verb(), a.rollout_id, a.actor),
                applied: Vec::new(),
                rollouts_started: Vec::new(),
            },
        ));
    }
    for a in applies {
        let (ms, seq) = position(a.at, 1);
        out.push((
            ms,
            seq,
            AuditEntry {
                id: encode_cursor(a.at, seq),
                at: a.at,
                actor: a.actor.clone(),
                action: api::AUDIT_APPLY.to_string(),
                rollout_id: None,
                reason: None,
                summary: a.summary(),
                applied: a.applied.clone(),
                rollouts_started: a.rollouts_started.clone(),
            },
        ));
    }
    out.sort_by_key(|e| std::cmp::Reverse((e.0, e.1)));
    out.into_iter().map(|(_, _, e)| e).collect()
}

/// One page of `entries` (newest first) under `filter`.
pub fn page(entries: Vec<AuditEntry>, filter: &AuditFilter) -> AuditPage {
    let position = |e: &AuditEntry| -> (i64, usize) {
        decode_cursor(&e.id)
            .map(|(t, seq)| (t.timestamp_millis(), seq))
            .unwrap_or((i64::MAX, usize::MAX))
    };
    let mut matching = entries
        .into_iter()
        .filter(|e| filter.before.is_none_or(|c| position(e) < c))
        .filter(|e| filter.matches(e));
    let items: Vec<AuditEntry> = matching.by_ref().take(filter.limit).collect();
    let next_cursor = if matching.next().is_some() {
        items.last().map(|e| e.id.clone())
    } else {
        None
    };
    AuditPage {
        entries: items,
        next_cursor,
    }
}

/// The columns of the CSV form, in order.
pub const CSV_COLUMNS: [&str; 8] = [
    "id",
    "at",
    "actor",
    "action",
    "rolloutId",
    "reason",
    "summary",
    "applied",
];

/// The entries as CSV (RFC 4180, CRLF, a header row). A cell a spreadsheet would run as a
/// formula (starting with = + - @ or a tab) is prefixed with `'`.
pub fn csv(entries: &[AuditEntry]) -> String {
    let mut out = String::new();
    let mut row = |cells: Vec<String>| {
        let line: Vec<String> = cells.iter().map(|c| csv_field(c)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    };
    row(CSV_COLUMNS.iter().map(|c| c.to_string()).collect());
    for e in entries {
        let applied: Vec<String> = e
            .applied
            .iter()
            .map(|a| {
                let outcome = match a.outcome {
                    api::ApplyOutcome::Created => "created",
                    api::ApplyOutcome::Configured => "configured",
                    api::ApplyOutcome::Unchanged => "unchanged",
                };
                match &a.namespace {
                    Some(ns) => format!("{} {ns}/{} {outcome}", a.kind, a.name),
                    None => format!("{} {} {outcome}", a.kind, a.name),
                }
            })
            .collect();
        row(vec![
            e.id.clone(),
            e.at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            e.actor.clone(),
            e.action.clone(),
            e.rollout_id.clone().unwrap_or_default(),
            e.reason.clone().unwrap_or_default(),
            e.summary.clone(),
            applied.join("; "),
        ]);
    }
    out
}

fn csv_field(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone, Utc};

    fn t(s: i64) -> Timestamp {
        Utc.with_ymd_and_hms(2026, 11, 29, 10, 0, 0).unwrap() + Duration::seconds(s)
    }

    fn action(s: i64, actor: &str, action: ActionKind) -> api::ActionRecord {
        api::ActionRecord {
            rollout_id: format!("rol-{s}"),
            action,
            actor: actor.into(),
            at: t(s),
            reason: Some(format!("why {s}")),
        }
    }

    fn apply(s: i64, actor: &str) -> ApplyRecord {
        ApplyRecord {
            at: t(s),
            actor: actor.into(),
            documents: 2,
            applied: vec![api::AppliedEntity {
                kind: "SpotDeployment".into(),
                name: "checkout".into(),
                namespace: Some("payments".into()),
                outcome: api::ApplyOutcome::Configured,
            }],
            rollouts_started: vec!["rol-new".into()],
            rollouts_canceled: Vec::new(),
            rollouts_resumed: Vec::new(),
        }
    }

    fn filter(q: &[(&str, &str)]) -> AuditFilter {
        let mut p = AuditParams::default();
        for (k, v) in q {
            let v = Some(v.to_string());
            match *k {
                "from" => p.from = v,
                "to" => p.to = v,
                "actor" => p.actor = v,
                "action" => p.action = v,
                "limit" => p.limit = v,
                "cursor" => p.cursor = v,
                "format" => p.format = v,
                _ => unreachable!(),
            }
        }
        AuditFilter::parse(&p).unwrap()
    }

    #[test]
    fn entries_are_newest_first_with_stable_ids() {
        let actions = vec![
            action(0, "alice", ActionKind::Pause),
            action(10, "bob", ActionKind::Rollback),
            action(10, "alice", ActionKind::Resume),
        ];
        let applies = vec![apply(10, "ci"), apply(5, "ci")];
        let all = entries(&actions, &applies);
        let ids: Vec<&str> = all.iter().map(|e| e.id.as_str()).collect();
        let ms = t(10).timestamp_millis();
        assert_eq!(
            ids[..3],
            [
                format!("{ms}-2").as_str(),
                format!("{ms}-1").as_str(),
                format!("{ms}-0").as_str()
            ]
        );
        assert_eq!(all[1].action, "apply");
        assert_eq!(
            all[1].summary,
            "Applied 2 documents (1 configured, 1 unchanged); started rol-new"
        );
        assert_eq!(all[0].summary, "Resume rol-10 by alice");
        assert_eq!(all.len(), 5);
        assert_eq!(all[4].action, "pause");
        // Appending keeps every id.
        let mut more = actions.clone();
        more.push(action(10, "carol", ActionKind::Promote));
        let again = entries(&more, &applies);
        for e in &all {
            assert!(again.iter().any(|x| x == e), "{e:?} changed");
        }
    }

    #[test]
    fn filters_and_pages() {
        let actions: Vec<_> = (0..7)
            .map(|i| {
                action(
                    i * 60,
                    if i % 2 == 0 { "alice" } else { "Bob" },
                    ActionKind::Pause,
                )
            })
            .collect();
        let applies = vec![apply(30, "alice")];
        let all = entries(&actions, &applies);
        let p = page(all.clone(), &filter(&[("actor", "bob")]));
        assert_eq!(p.entries.len(), 3);
        assert!(p.entries.iter().all(|e| e.actor == "Bob"));
        let p = page(all.clone(), &filter(&[("action", "apply")]));
        assert_eq!(p.entries.len(), 1);
        let p = page(
            all.clone(),
            &filter(&[("from", &t(60).to_rfc3339()), ("to", &t(180).to_rfc3339())]),
        );
        assert_eq!(p.entries.len(), 3);
        // Pages of 3 walk everything once, in order.
        let mut seen = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let mut q = vec![("limit", "3")];
            if let Some(c) = &cursor {
                q.push(("cursor", c));
            }
            let p = page(all.clone(), &filter(&q));
            seen.extend(p.entries.iter().map(|e| e.id.clone()));
            match p.next_cursor {
                Some(c) => cursor = Some(c),
                None => break,
            }
        }
        let every: Vec<String> = all.iter().map(|e| e.id.clone()).collect();
        assert_eq!(seen, every);
    }

    #[test]
    fn bad_queries_say_what_is_wrong() {
        let bad = |p: AuditParams| AuditFilter::parse(&p).unwrap_err();
        assert!(bad(AuditParams {
            action: Some("explode".into()),
            ..Default::default()
        })
        .contains("rollback"));
        assert!(bad(AuditParams {
            limit: Some("0".into()),
            ..Default::default()
        })
        .contains("limit"));
        assert!(bad(AuditParams {
            format: Some("xml".into()),
            ..Default::default()
        })
        .contains("csv"));
    }

    #[test]
    fn csv_has_a_header_and_neutralises_formulas() {
        let mut a = action(0, "=cmd", ActionKind::Rollback);
        a.reason = Some("error rate \"4 %\", rising".into());
        let doc = csv(&entries(&[a], &[apply(5, "ci")]));
        let lines: Vec<&str> = doc.split("\r\n").collect();
        assert_eq!(lines[0], CSV_COLUMNS.join(","));
        assert!(lines[1].contains("SpotDeployment payments/checkout configured"));
        assert!(lines[2].contains(",'=cmd,rollback,rol-0,"), "{}", lines[2]);
        assert!(lines[2].contains("\"error rate \"\"4 %\"\", rising\""));
    }
}
