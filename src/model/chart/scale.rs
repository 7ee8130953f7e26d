//! Scales and ticks shared by every chart: a linear value scale with "nice" ticks, and a time
//! scale with ticks on round seconds, minutes or hours.

use crate::model::time::{clock, clock_minutes};
use chrono::{DateTime, Duration, Utc};

/// Maps a domain `[d0, d1]` onto a range `[r0, r1]` (the range may run backwards: SVG's y grows
/// down, so a value axis maps `[lo, hi]` onto `[bottom, top]`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Linear {
    pub d0: f64,
    pub d1: f64,
    pub r0: f64,
    pub r1: f64,
}

impl Linear {
    pub fn new(domain: (f64, f64), range: (f64, f64)) -> Linear {
        Linear {
            d0: domain.0,
            d1: domain.1,
            r0: range.0,
            r1: range.1,
        }
    }

    pub fn map(&self, v: f64) -> f64 {
        let span = self.d1 - self.d0;
        if span.abs() < f64::EPSILON {
            return (self.r0 + self.r1) / 2.0;
        }
        self.r0 + (v - self.d0) / span * (self.r1 - self.r0)
    }

    /// `map`, held inside the range (a value off the domain sits on its edge).
    pub fn clamped(&self, v: f64) -> f64 {
        let (lo, hi) = if self.r0 <= self.r1 {
            (self.r0, self.r1)
        } else {
            (self.r1, self.r0)
        };
        self.map(v).clamp(lo, hi)
    }
}

/// A step of 1, 2 or 5 × 10^k close to `span / count`.
pub fn nice_step(span: f64, count: usize) -> f64 {
    let raw = span.abs() / count.max(1) as f64;
    if raw <= 0.0 || !raw.is_finite() {
        return 1.0;
    }
    let magnitude = 10f64.powf(raw.log10().floor());
    let fraction = raw / magnitude;
    let nice = if fraction <= 1.0 {
        1.0
    } else if fraction <= 2.0 {
        2.0
    } else if fraction <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * magnitude
}

/// The domain widened to whole steps around `lo..hi`, with its ticks: (0.78, 0.99) →
/// (0.75, 1.0) and ticks 0.75, 0.8, … 1.0. An empty or single-value domain is widened first.
pub fn nice_domain(lo: f64, hi: f64, count: usize) -> ((f64, f64), Vec<f64>) {
    let (mut lo, mut hi) = if lo.is_finite() && hi.is_finite() && lo <= hi {
        (lo, hi)
    } else {
        (0.0, 1.0)
    };
    if (hi - lo).abs() < 1e-12 {
        let pad = if lo.abs() < 1e-12 {
            1.0
        } else {
            lo.abs() * 0.1
        };
        lo -= pad;
        hi += pad;
    }
    let step = nice_step(hi - lo, count);
    let start = (lo / step).floor() * step;
    let end = (hi / step).ceil() * step;
    let n = ((end - start) / step).round() as usize;
    let ticks = (0..=n)
        .map(|i| round_to_step(start + i as f64 * step, step))
        .collect();
    ((start, end), ticks)
}

/// Drops float noise: 0.30000000000000004 → 0.3 for a step of 0.05.
fn round_to_step(v: f64, step: f64) -> f64 {
    let decimals = (-step.log10().floor()).max(0.0) as i32 + 1;
    let f = 10f64.powi(decimals);
    (v * f).round() / f
}

/// A tick label without trailing zeros: 0.95, 1, 1200, 0.005.
pub fn format_value(v: f64) -> String {
    if v == 0.0 {
        return "0".into();
    }
    if v.fract() == 0.0 && v.abs() < 1e15 {
        return format!("{}", v as i64);
    }
    let s = format!("{v:.4}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Maps time onto a range, like [`Linear`] over seconds since `start`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TimeScale {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    linear: Linear,
}

impl TimeScale {
    /// `end` before or at `start` is moved to a minute after it.
    pub fn new(start: DateTime<Utc>, end: DateTime<Utc>, range: (f64, f64)) -> TimeScale {
        let end = if end <= start {
            start + Duration::minutes(1)
        } else {
            end
        };
        let secs = (end - start).num_milliseconds() as f64 / 1000.0;
        TimeScale {
            start,
            end,
            linear: Linear::new((0.0, secs), range),
        }
    }

    pub fn map(&self, t: DateTime<Utc>) -> f64 {
        self.linear
            .clamped((t - self.start).num_milliseconds() as f64 / 1000.0)
    }

    /// Ticks on round times (every 10 s, 1 m, 5 m, 1 h, …), about `count` of them, each with
    /// its label ("14:05", or "14:05:30" when the step is under a minute).
    pub fn ticks(&self, count: usize) -> Vec<(DateTime<Utc>, String)> {
        const STEPS: [i64; 15] = [
            1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600,
        ];
        let span = (self.end - self.start).num_seconds().max(1);
        let want = span / count.max(1) as i64;
        let step = STEPS
            .iter()
            .copied()
            .find(|s| *s >= want)
            .unwrap_or_else(|| ((want + 86_399) / 86_400) * 86_400);
        let first = self.start.timestamp().div_euclid(step) * step + step;
        let label = if step < 60 { clock } else { clock_minutes };
        (0..)
            .map(|i| first + i * step)
            .take_while(|s| *s <= self.end.timestamp())
            .take(count * 3)
            .filter_map(|s| DateTime::<Utc>::from_timestamp(s, 0))
            .map(|t| (t, label(t)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn linear_maps_and_clamps() {
        let s = Linear::new((0.0, 1.0), (100.0, 0.0));
        assert_eq!(s.map(0.25), 75.0);
        assert_eq!(s.clamped(2.0), 0.0);
        assert_eq!(Linear::new((1.0, 1.0), (0.0, 10.0)).map(1.0), 5.0);
    }

    #[test]
    fn nice_domains_and_ticks() {
        let ((lo, hi), ticks) = nice_domain(0.78, 0.99, 5);
        assert_eq!((lo, hi), (0.75, 1.0));
        assert_eq!(ticks, vec![0.75, 0.8, 0.85, 0.9, 0.95, 1.0]);
        let ((lo, hi), ticks) = nice_domain(0.0, 1200.0, 4);
        assert_eq!((lo, hi), (0.0, 1500.0));
        assert_eq!(ticks, vec![0.0, 500.0, 1000.0, 1500.0]);
        // One value: widened around it, never an empty axis.
        let ((lo, hi), _) = nice_domain(3.0, 3.0, 4);
        assert!(lo < 3.0 && hi > 3.0);
        // No values at all: 0..1.
        let ((lo, hi), _) = nice_domain(f64::INFINITY, f64::NEG_INFINITY, 4);
        assert_eq!((lo, hi), (0.0, 1.0));
    }

    #[test]
    fn formats_values_without_noise() {
        assert_eq!(format_value(0.95), "0.95");
        assert_eq!(format_value(1.0), "1");
        assert_eq!(format_value(0.30000000000000004), "0.3");
        assert_eq!(format_value(-2.5), "-2.5");
    }

    #[test]
    fn time_ticks_fall_on_round_times() {
        let start = Utc.with_ymd_and_hms(2026, 1, 5, 14, 3, 7).unwrap();
        let end = start + Duration::minutes(10);
        let s = TimeScale::new(start, end, (0.0, 600.0));
        let ticks = s.ticks(5);
        let labels: Vec<&str> = ticks.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(labels, vec!["14:04", "14:06", "14:08", "14:10", "14:12"]);
        assert!((s.map(start + Duration::minutes(5)) - 300.0).abs() < 1e-9);
        // Off the axis: held at its edge.
        assert_eq!(s.map(end + Duration::hours(1)), 600.0);
        // Short spans tick in seconds.
        let s = TimeScale::new(start, start + Duration::seconds(40), (0.0, 1.0));
        assert_eq!(s.ticks(4)[0].1, "14:03:10");
    }
}
