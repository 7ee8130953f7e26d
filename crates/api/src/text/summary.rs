//! The rollouts page summary line as words and numbers people read.

use super::format_duration;
use crate::ListSummary;

/// One figure of the summary line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figure {
    pub label: &'static str,
    pub value: String,
    /// A longer explanation (tooltip).
    pub hint: String,
    /// BEM modifier when the figure asks for attention: `attention`, `success`, `danger`.
    pub tone: Option<&'static str>,
}

/// "40/52 · 77%".
pub fn success_text(s: &ListSummary) -> String {
    if s.total == 0 {
        return "–".into();
    }
    format!("{}/{} · {:.0}%", s.successful, s.total, s.success_rate)
}

/// Median, average, attention needed, incidents prevented and success, in that order.
pub fn figures(s: &ListSummary) -> Vec<Figure> {
    let duration = |d: Option<i64>| d.map(format_duration).unwrap_or_else(|| "–".into());
    vec![
        Figure {
            label: "Median duration",
            value: duration(s.median_duration_seconds),
            hint: "Middle duration of the completed rollouts shown".into(),
            tone: None,
        },
        Figure {
            label: "Average duration",
            value: duration(s.mean_duration_seconds),
            hint: "Mean duration of the completed rollouts shown".into(),
            tone: None,
        },
        Figure {
            label: "Attention needed",
            value: s.attention_needed.to_string(),
            hint: "Paused rollouts waiting for someone to promote, resume or roll back".into(),
            tone: (s.attention_needed > 0).then_some("attention"),
        },
        Figure {
            label: "Incidents prevented",
            value: s.incidents_prevented.to_string(),
            hint: "Rollouts rolled back because a verification or Kubernetes check failed".into(),
            tone: (s.incidents_prevented > 0).then_some("danger"),
        },
        Figure {
            label: "Successful",
            value: success_text(s),
            hint: format!(
                "{} of {} rollouts shown finished successfully",
                s.successful, s.total
            ),
            tone: (s.total > 0).then_some("success"),
        },
    ]
}
