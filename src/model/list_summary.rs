//! The rollouts page summary line as words and numbers people read.

use crate::model::time::format_duration;
use rollout_api::ListSummary;

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_read_as_the_summary_line() {
        let s = ListSummary {
            total: 52,
            successful: 40,
            success_rate: 40.0 * 100.0 / 52.0,
            median_duration_seconds: Some(750),
            mean_duration_seconds: Some(840),
            attention_needed: 3,
            incidents_prevented: 0,
        };
        let f = figures(&s);
        let values: Vec<_> = f.iter().map(|f| f.value.as_str()).collect();
        assert_eq!(values, ["12m 30s", "14m 00s", "3", "0", "40/52 · 77%"]);
        assert_eq!(f[2].tone, Some("attention"));
        assert_eq!(f[3].tone, None);
    }

    #[test]
    fn an_empty_summary_shows_dashes_not_zero_durations() {
        let f = figures(&ListSummary::default());
        assert_eq!(f[0].value, "–");
        assert_eq!(f[4].value, "–");
    }
}
