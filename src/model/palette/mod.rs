//! The command palette's entries and matching: pages, workloads, their rollouts, and the
//! actions of the rollout on screen. Pure: the fleet in, ranked entries out.

use crate::url;
use rollout_api::{ActionKind, Workload};

/// What choosing an entry does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaletteTarget {
    /// Opens this console path.
    Go(String),
    /// Asks to confirm this action on the rollout on screen.
    Act(ActionKind),
}

/// One entry: its visible text and what it does. `key` identifies it (for recents).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaletteEntry {
    pub key: String,
    /// "Page", "Workload", "Rollout", "Action".
    pub group: &'static str,
    pub label: String,
    pub detail: String,
    pub target: PaletteTarget,
}

/// The console's pages, in navigation order.
pub const PAGES: [(&str, &str); 6] = [
    ("Rollouts", url::ROLLOUTS),
    ("Workloads", url::WORKLOADS),
    ("Clusters", "/clusters"),
    ("Attention", "/attention"),
    ("Audit", "/audit"),
    ("Apply", "/apply"),
];

fn go(group: &'static str, label: String, detail: String, href: String) -> PaletteEntry {
    PaletteEntry {
        key: href.clone(),
        group,
        label,
        detail,
        target: PaletteTarget::Go(href),
    }
}

/// Every page, every workload and each rollout of its revisions (newest first).
pub fn fleet_entries(workloads: &[Workload]) -> Vec<PaletteEntry> {
    let pages = PAGES
        .iter()
        .map(|(l, h)| go("Page", l.to_string(), String::new(), h.to_string()));
    let mut out: Vec<PaletteEntry> = pages.collect();
    for w in workloads {
        let place = format!("{} / {}", w.cluster_id, w.namespace);
        let href = url::workload(&w.cluster_id, &w.namespace, &w.name);
        out.push(go(
            "Workload",
            w.name.clone(),
            format!("{} · {place}", w.kind),
            href,
        ));
        for r in &w.revisions {
            let Some(id) = &r.rollout_id else { continue };
            let status = r.status.map(|s| s.label()).unwrap_or("");
            let label = format!("{} revision {}", w.name, r.revision);
            let detail = format!("{status} · {place} · {}", r.image);
            out.push(go("Rollout", label, detail, url::rollout(id)));
        }
    }
    out
}

/// The entry of an action on the rollout named `name`.
pub fn action_entry(kind: ActionKind, label: &str, name: &str) -> PaletteEntry {
    PaletteEntry {
        key: format!("action:{label}"),
        group: "Action",
        label: label.to_string(),
        detail: format!("on {name}"),
        target: PaletteTarget::Act(kind),
    }
}

/// How well `query` matches `entry` (higher is better), None when it does not: every word
/// must be in the label or detail, or (for one word) spelled in order within the label.
pub fn score(entry: &PaletteEntry, query: &str) -> Option<u32> {
    let label = entry.label.to_lowercase();
    let hay = format!(
        "{label} {} {}",
        entry.detail.to_lowercase(),
        entry.group.to_lowercase()
    );
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    let mut total = 0;
    for w in &words {
        total += if label.starts_with(w.as_str()) {
            40
        } else if label
            .split(['-', ' ', '/'])
            .any(|part| part.starts_with(w.as_str()))
        {
            30
        } else if label.contains(w.as_str()) {
            20
        } else if hay.contains(w.as_str()) {
            10
        } else if words.len() == 1 && in_order(&label, w) {
            5
        } else {
            return None;
        };
    }
    Some(total)
}

fn in_order(text: &str, letters: &str) -> bool {
    let mut rest = text.chars();
    letters.chars().all(|c| rest.any(|t| t == c))
}

/// The entries to show for `query`, best first, at most `limit`: actions first when the query
/// is empty, then what was chosen recently (`recent`, newest first), then the rest in order.
pub fn ranked(
    entries: &[PaletteEntry],
    query: &str,
    recent: &[String],
    limit: usize,
) -> Vec<PaletteEntry> {
    let recency = |e: &PaletteEntry| {
        recent
            .iter()
            .position(|k| *k == e.key)
            .map_or(0, |i| 20 - i.min(19) as u32)
    };
    let action_bonus = |e: &PaletteEntry| {
        if matches!(e.target, PaletteTarget::Act(_)) {
            50
        } else {
            0
        }
    };
    let mut scored: Vec<(u32, usize, &PaletteEntry)> = entries
        .iter()
        .enumerate()
        .filter_map(|(i, e)| score(e, query).map(|s| (s * 2 + recency(e) + action_bonus(e), i, e)))
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    scored
        .into_iter()
        .take(limit)
        .map(|(_, _, e)| e.clone())
        .collect()
}

/// `recent` with `key` moved to the front, at most 8 kept.
pub fn remember(recent: &[String], key: &str) -> Vec<String> {
    let mut out = vec![key.to_string()];
    out.extend(recent.iter().filter(|k| *k != key).take(7).cloned());
    out
}

#[cfg(test)]
mod tests;
