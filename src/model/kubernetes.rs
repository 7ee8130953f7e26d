//! The figures of `kubectl argo rollouts get rollout` as the rollout page shows them, and what
//! the console says about a snapshot. Pure: the views only lay these out.

use crate::model::time::format_exact;
use rollout_api::{Health, ImageRoles, KubernetesInfo, SnapshotInfo};

/// Tone of the Rollout's status word (the plugin's icons: ✔ ◌ ॥ ✖ ⚠).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhaseTone {
    Healthy,
    Progressing,
    Paused,
    Degraded,
    Other,
}

impl PhaseTone {
    pub fn of(phase: &str) -> PhaseTone {
        match phase {
            "Healthy" => PhaseTone::Healthy,
            "Progressing" => PhaseTone::Progressing,
            "Paused" => PhaseTone::Paused,
            "Degraded" | "Error" | "InvalidSpec" => PhaseTone::Degraded,
            _ => PhaseTone::Other,
        }
    }

    /// BEM modifier of the status word.
    pub fn modifier(self) -> &'static str {
        match self {
            PhaseTone::Healthy => "healthy",
            PhaseTone::Progressing => "progressing",
            PhaseTone::Paused => "paused",
            PhaseTone::Degraded => "degraded",
            PhaseTone::Other => "other",
        }
    }
}

/// One line of the block: a label and its value, in the plugin's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figure {
    pub label: &'static str,
    pub value: String,
}

/// The plugin's header lines after Status/Message: Strategy, then (canary) Step, SetWeight and
/// ActualWeight — "Step" is blank when the controller recorded no step, as the plugin prints it.
pub fn strategy_figures(k: &KubernetesInfo) -> Vec<Figure> {
    let mut out = vec![Figure {
        label: "Strategy",
        value: k.strategy.clone(),
    }];
    if k.strategy == "Canary" {
        out.push(Figure {
            label: "Step",
            value: k
                .step
                .map(|s| format!("{}/{}", s.index, s.count))
                .unwrap_or_default(),
        });
        let weight = |w: Option<u32>| w.map(|w| w.to_string()).unwrap_or_default();
        out.push(Figure {
            label: "SetWeight",
            value: weight(k.set_weight),
        });
        out.push(Figure {
            label: "ActualWeight",
            value: weight(k.actual_weight),
        });
    }
    out
}

/// `Desired / Current / Updated / Ready / Available`.
pub fn replica_figures(k: &KubernetesInfo) -> Vec<Figure> {
    let r = k.replicas;
    [
        ("Desired", r.desired),
        ("Current", r.current),
        ("Updated", r.updated),
        ("Ready", r.ready),
        ("Available", r.available),
    ]
    .into_iter()
    .map(|(label, v)| Figure {
        label,
        value: v.to_string(),
    })
    .collect()
}

/// "argoproj/rollouts-demo:green (stable, active)", as the plugin prints an image line.
pub fn image_line(i: &ImageRoles) -> String {
    if i.roles.is_empty() {
        i.image.clone()
    } else {
        format!("{} ({})", i.image, i.roles.join(", "))
    }
}

/// The same figures as text the way `kubectl argo rollouts get rollout` prints its header, for
/// copying into a ticket.
pub fn as_plugin_text(k: &KubernetesInfo) -> String {
    let mut lines = vec![
        format!("{:<17}{}", "Name:", k.name),
        format!("{:<17}{}", "Namespace:", k.namespace),
        format!("{:<17}{}", "Status:", k.phase),
    ];
    if let Some(m) = &k.message {
        lines.push(format!("{:<17}{m}", "Message:"));
    }
    for (i, f) in strategy_figures(k).into_iter().enumerate() {
        let label = if i == 0 {
            format!("{}:", f.label)
        } else {
            format!("  {}:", f.label)
        };
        lines.push(format!("{label:<17}{}", f.value).trim_end().to_string());
    }
    for (i, img) in k.images.iter().enumerate() {
        let label = if i == 0 { "Images:" } else { "" };
        lines.push(format!("{label:<17}{}", image_line(img)));
    }
    lines.push("Replicas:".into());
    for f in replica_figures(k) {
        lines.push(format!("{:<17}{}", format!("  {}:", f.label), f.value));
    }
    lines.join("\n") + "\n"
}

/// "Snapshot taken at 2019-10-28 04:54:40 UTC · read-only" and what it holds.
pub fn snapshot_notice(s: &SnapshotInfo) -> (String, String) {
    let title = format!("Snapshot taken at {} · read-only", format_exact(s.taken_at));
    let skipped: usize = s.skipped.iter().map(|k| k.count).sum();
    let mut detail = format!(
        "Kubernetes objects read from files ({} objects): nothing here changes and no action can be taken.",
        s.objects
    );
    if skipped > 0 {
        let kinds: Vec<String> = s
            .skipped
            .iter()
            .map(|k| format!("{} {}", k.count, k.kind))
            .collect();
        detail.push_str(&format!(" Skipped: {}.", kinds.join(", ")));
    }
    (title, detail)
}

/// The top bar's word on what serves the console: "engine 0.1.0 · 52 rollouts", or
/// "snapshot · 28 rollouts · read-only".
pub fn source_badge(h: &Health) -> String {
    let mode = if h.read_only { " · read-only" } else { "" };
    match &h.snapshot {
        Some(_) => format!("snapshot · {} rollouts{mode}", h.rollouts),
        None => format!("engine {} · {} rollouts{mode}", h.version, h.rollouts),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rollout_api::{KubernetesReplicas, SkippedKind, StepPosition};

    fn canary() -> KubernetesInfo {
        KubernetesInfo {
            kind: "Rollout".into(),
            name: "canary-demo".into(),
            namespace: "jesse-test".into(),
            phase: "Degraded".into(),
            message: Some(
                "ProgressDeadlineExceeded: ReplicaSet \"canary-demo-65fb5ffc84\" has timed out progressing."
                    .into(),
            ),
            strategy: "Canary".into(),
            step: Some(StepPosition { index: 0, count: 8 }),
            set_weight: Some(20),
            actual_weight: Some(0),
            images: vec![
                ImageRoles {
                    image: "argoproj/rollouts-demo:does-not-exist".into(),
                    roles: vec!["canary".into()],
                },
                ImageRoles {
                    image: "argoproj/rollouts-demo:green".into(),
                    roles: vec!["stable".into()],
                },
            ],
            replicas: KubernetesReplicas {
                desired: 5,
                current: 6,
                updated: 1,
                ready: 5,
                available: 5,
            },
        }
    }

    #[test]
    fn prints_the_header_as_the_plugin_does() {
        // The plugin's golden output for the same objects (cmd/get/get_test.go), icons aside.
        let expected = "\
Name:            canary-demo
Namespace:       jesse-test
Status:          Degraded
Message:         ProgressDeadlineExceeded: ReplicaSet \"canary-demo-65fb5ffc84\" has timed out progressing.
Strategy:        Canary
  Step:          0/8
  SetWeight:     20
  ActualWeight:  0
Images:          argoproj/rollouts-demo:does-not-exist (canary)
                 argoproj/rollouts-demo:green (stable)
Replicas:
  Desired:       5
  Current:       6
  Updated:       1
  Ready:         5
  Available:     5
";
        assert_eq!(as_plugin_text(&canary()), expected);
    }

    #[test]
    fn blue_green_has_no_step_or_weights_and_a_blank_step_stays_blank() {
        let mut k = canary();
        k.strategy = "BlueGreen".into();
        let labels: Vec<&str> = strategy_figures(&k).iter().map(|f| f.label).collect();
        assert_eq!(labels, ["Strategy"]);
        let mut k = canary();
        k.step = None;
        assert_eq!(strategy_figures(&k)[1].value, "");
        assert!(as_plugin_text(&k).contains("\n  Step:\n"));
    }

    #[test]
    fn tones_follow_the_status_word() {
        assert_eq!(PhaseTone::of("Healthy").modifier(), "healthy");
        assert_eq!(PhaseTone::of("Degraded"), PhaseTone::Degraded);
        assert_eq!(PhaseTone::of("ScaledDown"), PhaseTone::Other);
    }

    #[test]
    fn the_snapshot_notice_says_when_and_what_was_skipped() {
        let s = SnapshotInfo {
            taken_at: "2019-10-28T04:54:40Z".parse().unwrap(),
            objects: 41,
            skipped: vec![SkippedKind {
                kind: "v1/ConfigMap".into(),
                count: 2,
            }],
        };
        let (title, detail) = snapshot_notice(&s);
        assert_eq!(
            title,
            "Snapshot taken at 2019-10-28 04:54:40 UTC · read-only"
        );
        assert!(detail.contains("41 objects"));
        assert!(detail.ends_with("Skipped: 2 v1/ConfigMap."));
    }

    #[test]
    fn the_badge_names_the_source() {
        let mut h: Health = serde_json::from_value(serde_json::json!({
            "status": "ok", "version": "0.1.0", "readOnly": false, "authRequired": false,
            "manualClock": false, "now": "2019-10-28T04:54:40Z", "speed": 1.0,
            "rollouts": 52, "clusters": 2
        }))
        .unwrap();
        assert_eq!(source_badge(&h), "engine 0.1.0 · 52 rollouts");
        h.read_only = true;
        h.snapshot = Some(SnapshotInfo {
            taken_at: h.now,
            objects: 3,
            skipped: vec![],
        });
        assert_eq!(source_badge(&h), "snapshot · 52 rollouts · read-only");
    }
}
