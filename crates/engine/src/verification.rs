//! Verifications: durations, `result[0] <= 0.95`-style conditions, the simulated providers and
//! the measurement loop (interval, count, limits).

use crate::model::{MetricFaults, VerificationRecord};
use rollout_api as api;

pub use api::condition::Condition;
use api::{DataPointStatus, Timestamp, VerificationStatus};

/// Data points kept per verification (a background verification can run for hours).
const MAX_DATA_POINTS: usize = 200;

/// `30s`, `5m`, `1h30m`, `2d`, `500ms` (rounded up to a second) or a bare number of seconds.
pub fn parse_duration(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let invalid = || format!("`{t}` is not a duration (use 30s, 5m, 1h)");
    if t.is_empty() {
        return Err("empty duration".into());
    }
    if t.bytes().all(|b| b.is_ascii_digit()) {
        // Too many digits for u64 is still "too long", not "not a duration".
        return Ok(t.parse::<u64>().unwrap_or(u64::MAX));
    }
    let mut total_ms: f64 = 0.0;
    let mut number = String::new();
    let mut chars = t.chars().peekable();
    let mut any = false;
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() || c == '.' {
            number.push(c);
            continue;
        }
        let mut unit = c.to_string();
        if c == 'm' && chars.peek() == Some(&'s') {
            unit.push(chars.next().unwrap_or('s'));
        }
        let value: f64 = number.parse().map_err(|_| invalid())?;
        let ms = match unit.as_str() {
            "ms" => 1.0,
            "s" => 1000.0,
            "m" => 60_000.0,
            "h" => 3_600_000.0,
            "d" => 86_400_000.0,
            _ => return Err(invalid()),
        };
        total_ms += value * ms;
        number.clear();
        any = true;
    }
    if !number.is_empty() || !any || !total_ms.is_finite() {
        return Err(invalid());
    }
    // `as` saturates: an absurd duration becomes u64::MAX, which the caps refuse.
    Ok((total_ms / 1000.0).ceil() as u64)
}

/// The status of one measurement, Argo-style: the failure condition wins; a success condition
/// not met is a failure, or inconclusive when a failure condition exists and is not met either.
pub fn judge(success: Option<&str>, failure: Option<&str>, value: f64) -> DataPointStatus {
    let s = success.and_then(|c| Condition::parse(c).ok());
    let f = failure.and_then(|c| Condition::parse(c).ok());
    if f.as_ref().is_some_and(|f| f.eval(value)) {
        return DataPointStatus::Failed;
    }
    match (&s, &f) {
        (Some(s), _) if s.eval(value) => DataPointStatus::Successful,
        (Some(_), Some(_)) => DataPointStatus::Inconclusive,
        (Some(_), None) => DataPointStatus::Failed,
        (None, _) => DataPointStatus::Successful,
    }
}

/// What the simulated provider returns for a healthy canary: 1.0, else 0.0, else a value next
/// to a threshold, whichever the conditions judge successful.
pub fn healthy_value(success: Option<&str>, failure: Option<&str>) -> f64 {
    let mut candidates = vec![1.0, 0.0];
    for c in [success, failure].into_iter().flatten() {
        if let Ok(cond) = Condition::parse(c) {
            for t in cond.thresholds() {
                candidates.extend([t, t * 0.9, t * 1.1, t - 1.0, t + 1.0]);
            }
        }
    }
    candidates
        .into_iter()
        .find(|v| judge(success, failure, *v) == DataPointStatus::Successful)
        .unwrap_or(1.0)
}

fn error_message(kind: &str, provider: &str, cluster_id: &str) -> String {
    match kind {
        "unreachable" => format!("{provider}: no data points: the provider is unreachable (connection timed out)"),
        "credentials" => format!("{provider}: no data points: authentication failed (check the credentials)"),
        "query" => format!("{provider}: no data points: the query returned no series (run it in the monitoring tool)"),
        _ => format!("{provider}: no data points for cluster {cluster_id}"),
    }
}

impl VerificationRecord {
    /// "prometheus (prom-main)".
    pub fn provider_label(&self) -> String {
        match &self.provider_name {
            Some(n) => format!("{} ({n})", self.provider_kind),
            None => self.provider_kind.clone(),
        }
    }

    pub fn is_done(&self) -> bool {
        matches!(
            self.status,
            VerificationStatus::Successful | VerificationStatus::Failed | VerificationStatus::Error
        )
    }

    /// A failure the rollout must react to (dry-run failures are only shown).
    pub fn failed_for_real(&self) -> bool {
        !self.dry_run
            && matches!(
                self.status,
                VerificationStatus::Failed | VerificationStatus::Error
            )
    }

    pub fn start(&mut self, now: Timestamp) {
        self.started_at = Some(now);
        self.status = VerificationStatus::Running;
        self.next_at = Some(crate::limits::later(now, self.initial_delay_seconds));
    }

    /// Takes the measurements due by `now`. Returns true when the verification just finished.
    pub fn step(&mut self, now: Timestamp, faults: &MetricFaults, cluster_id: &str) -> bool {
        if self.is_done() {
            return false;
        }
        let Some(next) = self.next_at else {
            return false;
        };
        if now < next {
            return false;
        }
        self.measure(now, faults, cluster_id);
        self.next_at = Some(crate::limits::later(now, self.interval_seconds.max(1)));
        self.is_done()
    }

    fn measure(&mut self, now: Timestamp, faults: &MetricFaults, cluster_id: &str) {
        self.measurements += 1;
        let success = self.success_condition.as_deref();
        let failure = self.failure_condition.as_deref();
        let missing_provider = crate::entities::needs_provider_entity(&self.provider_kind)
            && self.provider_name.is_none();
        let point = if missing_provider {
            api::DataPoint {
                timestamp: now,
                value: None,
                status: DataPointStatus::Error,
                message: Some(format!(
                    "no {} VerificationProvider lists cluster {cluster_id} in its clusterIds",
                    self.provider_kind
                )),
            }
        } else if let Some(kind) = &faults.error {
            api::DataPoint {
                timestamp: now,
                value: None,
                status: DataPointStatus::Error,
                message: Some(error_message(kind, &self.provider_label(), cluster_id)),
            }
        } else {
            let value = faults
                .per_metric
                .get(&self.metric_name)
                .copied()
                .or(faults.value)
                .unwrap_or_else(|| healthy_value(success, failure));
            let status = judge(success, failure, value);
            api::DataPoint {
                timestamp: now,
                value: Some(value),
                status,
                message: None,
            }
        };
        match point.status {
            DataPointStatus::Error => {
                self.consecutive_errors += 1;
                self.errors += 1;
            }
            DataPointStatus::Failed => {
                self.failed += 1;
                self.consecutive_errors = 0;
            }
            DataPointStatus::Inconclusive => {
                self.inconclusive += 1;
                self.consecutive_errors = 0;
            }
            DataPointStatus::Successful => self.consecutive_errors = 0,
        }
        let last_value = point.value;
        let last_message = point.message.clone();
        self.data_points.push(point);
        if self.data_points.len() > MAX_DATA_POINTS {
            self.data_points.remove(0);
        }
        self.status = VerificationStatus::InProgress;
        let condition = self
            .failure_condition
            .as_ref()
            .map(|c| format!("failureCondition {c}"))
            .or_else(|| {
                self.success_condition
                    .as_ref()
                    .map(|c| format!("successCondition {c}"))
            })
            .unwrap_or_default();
        let shown = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_else(|| "none".into());
        if self.failed > self.failure_limit {
            self.status = VerificationStatus::Failed;
            self.failure = Some(format!(
                "{}/{}: {} of {} measurements failed (failureLimit {}); last value {} ({condition})",
                self.template_name,
                self.metric_name,
                self.failed,
                self.measurements,
                self.failure_limit,
                shown(last_value)
            ));
        } else if self.inconclusive > self.inconclusive_limit {
            self.status = VerificationStatus::Failed;
            self.failure = Some(format!(
                "{}/{}: {} measurements inconclusive (inconclusiveLimit {}); last value {}",
                self.template_name,
                self.metric_name,
                self.inconclusive,
                self.inconclusive_limit,
                shown(last_value)
            ));
        } else if self.consecutive_errors > self.consecutive_error_limit {
            self.status = VerificationStatus::Error;
            self.failure = Some(format!(
                "{}/{}: {} consecutive measurements returned no data: {}",
                self.template_name,
                self.metric_name,
                self.consecutive_errors,
                last_message.unwrap_or_default()
            ));
        } else if self
            .count
            .is_some_and(|c| self.measurements - self.errors >= c)
        {
            self.status = VerificationStatus::Successful;
        }
        if self.is_done() {
            self.next_at = None;
        }
    }

    /// Ends a verification that is still running (the rollout or its phase ended).
    pub fn stop(&mut self) {
        if !self.is_done() && self.started_at.is_some() {
            self.status = VerificationStatus::Successful;
        }
        self.next_at = None;
    }

    pub fn to_api(&self) -> api::Verification {
        api::Verification {
            template_name: self.template_name.clone(),
            metric_name: self.metric_name.clone(),
            query: self.query.clone(),
            conditions: api::Conditions {
                success: self.success_condition.clone(),
                failure: self.failure_condition.clone(),
            },
            provider: self.provider_label(),
            step: self.step.clone(),
            status: self.status,
            interval_seconds: self.interval_seconds,
            count: self.count.unwrap_or(0),
            failure_limit: self.failure_limit,
            data_points: self.data_points.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("5m"), Ok(300));
        assert_eq!(parse_duration("1h30m"), Ok(5400));
        assert_eq!(parse_duration("45"), Ok(45));
        assert_eq!(parse_duration("500ms"), Ok(1));
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("5x").is_err());
    }

    #[test]
    fn judging_and_healthy_values() {
        assert_eq!(
            judge(Some("result[0] >= 0.95"), None, 0.9),
            DataPointStatus::Failed
        );
        assert_eq!(
            judge(Some("result[0] >= 0.95"), Some("result[0] < 0.5"), 0.9),
            DataPointStatus::Inconclusive
        );
        assert_eq!(healthy_value(Some("result[0] <= 0.01"), None), 0.0);
        assert_eq!(healthy_value(None, Some("result[0] > 500")), 1.0);
        assert_eq!(healthy_value(Some("result[0] >= 0.95"), None), 1.0);
    }
}
