//! Fixtures shared by the scenario tests: two clusters, a SpotDeployment with its services,
//! strategy, RolloutSpec and verification templates, and helpers to move the clock.
#![allow(dead_code)]

use chrono::{Duration, TimeZone, Utc};
use rollout_api::{self as api, RolloutDetail, RolloutStatus};
use rollout_engine::Engine;

pub type Ts = api::Timestamp;

pub fn t0() -> Ts {
    Utc.with_ymd_and_hms(2026, 11, 1, 10, 0, 0).unwrap()
}

pub fn engine() -> Engine {
    Engine::new(
        t0(),
        &[
            ("prod-us-east", "Production US East", "AWS"),
            ("staging-eu", "Staging EU West", "GCP"),
        ],
    )
}

/// Moves the clock on by `seconds`.
pub fn run(e: &mut Engine, seconds: i64) {
    let to = e.now() + Duration::seconds(seconds);
    e.advance_to(to);
    // Debug builds check, at each take, that the delta holds every change made.
    e.take_state_delta();
}

pub fn apply(e: &mut Engine, yaml: &str) -> api::ApplyResponse {
    let now = e.now();
    let resp = e
        .apply(yaml, now)
        .unwrap_or_else(|err| panic!("apply failed: {err:?}"));
    e.take_state_delta();
    resp
}

pub fn services(ns: &str, name: &str) -> String {
    format!(
        r#"apiVersion: v1
kind: Service
metadata:
  name: {name}-stable
  namespace: {ns}
spec:
  selector:
    app: {name}
  ports:
    - port: 80
---
apiVersion: v1
kind: Service
metadata:
  name: {name}-canary
  namespace: {ns}
spec:
  selector:
    app: {name}
  ports:
    - port: 80
"#
    )
}

/// A RolloutSpec for `name` in `ns` on prod-us-east.
pub fn rollout_spec(ns: &str, name: &str, strategy: &str, policy: &str) -> String {
    format!(
        r#"apiVersion: spot.io/v1beta1
kind: RolloutSpec
name: {name}-rollout
spotDeployment:
  clusterId: prod-us-east
  namespace: {ns}
  name: {name}
strategy:
  name: {strategy}
traffic:
  stableService: {name}-stable
  canaryService: {name}-canary
failurePolicy:
  action: {policy}
"#
    )
}

/// Three phases 20 → 50 → 100, no pause, no verification.
pub const STRATEGY_PLAIN: &str = r#"apiVersion: spot.io/v1beta1
kind: Strategy
name: plain
canary:
  steps:
    - name: phase-1
      setWeight: 20
    - name: phase-2
      setWeight: 50
    - name: phase-3
      setWeight: 100
"#;

/// A phase verification (success rate) on the first phase.
pub const STRATEGY_VERIFIED: &str = r#"apiVersion: spot.io/v1beta1
kind: Strategy
name: verified
canary:
  steps:
    - name: phase-1
      setWeight: 25
      verification:
        templateNames:
          - success-rate
    - name: phase-2
      setWeight: 100
"#;

pub const TEMPLATE_SUCCESS_RATE: &str = r#"apiVersion: spot.io/v1beta1
kind: VerificationTemplate
name: success-rate
metrics:
  - name: success-rate
    interval: 30s
    count: 3
    successCondition: result[0] >= 0.95
    failureLimit: 1
    provider:
      prometheus:
        query: sum(rate(http_requests_total{status!~"5.."}[1m])) / sum(rate(http_requests_total[1m]))
"#;

pub const PROVIDER_PROMETHEUS: &str = r#"apiVersion: spot.io/v1beta1
kind: VerificationProvider
name: prom-main
clusterIds:
  - prod-us-east
  - staging-eu
prometheus:
  address: http://prometheus.monitoring:9090
"#;

/// A SpotDeployment; `annotations` are extra `key: "value"` lines.
pub fn spot_deployment(
    ns: &str,
    name: &str,
    image: &str,
    replicas: u32,
    annotations: &[(&str, &str)],
) -> String {
    let mut ann = String::new();
    if !annotations.is_empty() {
        ann.push_str("  annotations:\n");
        for (k, v) in annotations {
            ann.push_str(&format!("    {k}: \"{v}\"\n"));
        }
    }
    format!(
        r#"apiVersion: spot.io/v1beta1
kind: SpotDeployment
metadata:
  name: {name}
  namespace: {ns}
  labels:
    app: {name}
{ann}spec:
  replicas: {replicas}
  selector:
    matchLabels:
      app: {name}
  template:
    metadata:
      labels:
        app: {name}
    spec:
      containers:
        - name: {name}
          image: {image}
          ports:
            - containerPort: 8080
"#
    )
}

/// Everything for `checkout` in `payments` with `strategy` (its YAML) and `policy`, and the
/// first version live and ready. Returns the engine.
pub fn setup(strategy_yaml: &str, strategy_name: &str, policy: &str, replicas: u32) -> Engine {
    let mut e = engine();
    let yaml = [
        services("payments", "checkout"),
        strategy_yaml.to_string(),
        TEMPLATE_SUCCESS_RATE.to_string(),
        PROVIDER_PROMETHEUS.to_string(),
        rollout_spec("payments", "checkout", strategy_name, policy),
        spot_deployment(
            "payments",
            "checkout",
            "registry.example.com/checkout:1.0.0",
            replicas,
            &[],
        ),
    ]
    .join("---\n");
    let resp = apply(&mut e, &yaml);
    assert!(
        resp.rollouts_started.is_empty(),
        "the first version goes live without a rollout"
    );
    run(&mut e, 30);
    e
}

/// Applies a new image of checkout and returns the new rollout's id.
pub fn deploy(e: &mut Engine, image: &str, annotations: &[(&str, &str)]) -> String {
    let resp = apply(
        e,
        &spot_deployment("payments", "checkout", image, 5, annotations),
    );
    assert_eq!(resp.rollouts_started.len(), 1, "{resp:?}");
    resp.rollouts_started[0].clone()
}

pub fn detail(e: &Engine, id: &str) -> RolloutDetail {
    e.rollout(id).expect("rollout exists")
}

/// Runs until the rollout has `status` (at most `limit` seconds); returns the seconds it took.
pub fn run_until_status(e: &mut Engine, id: &str, status: RolloutStatus, limit: i64) -> i64 {
    for s in 0..=limit {
        if detail(e, id).status == status {
            return s;
        }
        run(e, 1);
    }
    panic!(
        "rollout never reached {status:?} within {limit}s; it is {:?}",
        detail(e, id).status
    );
}

pub fn event_reasons(e: &Engine, id: &str) -> Vec<String> {
    e.events(id)
        .unwrap()
        .into_iter()
        .map(|ev| ev.reason)
        .collect()
}

/// checkout with everything but the canary Service, its first version live.
pub fn without_canary_service() -> Engine {
    let mut e = engine();
    let stable_only = services("payments", "checkout")
        .split("---\n")
        .next()
        .unwrap()
        .to_string();
    let yaml = [
        stable_only,
        STRATEGY_PLAIN.to_string(),
        rollout_spec("payments", "checkout", "plain", "abort"),
        spot_deployment(
            "payments",
            "checkout",
            "registry.example.com/checkout:1.0.0",
            5,
            &[],
        ),
    ]
    .join("---\n");
    apply(&mut e, &yaml);
    run(&mut e, 20);
    e
}

/// A strategy whose first step waits an hour at 10 %: rollouts that stay live (scale tests).
pub const STRATEGY_SLOW: &str = "kind: Strategy
name: slow
canary:
  steps:
    - setWeight: 10
      pause:
        duration: 1h
    - setWeight: 100
";

/// `n` SpotDeployments `svc-0..n` in namespace shop (2 replicas), all at `version`, as one
/// stream.
pub fn spot_deployments(n: usize, version: &str) -> String {
    (0..n)
        .map(|i| {
            spot_deployment(
                "shop",
                &format!("svc-{i}"),
                &format!("registry.example.com/svc-{i}:{version}"),
                2,
                &[],
            )
        })
        .collect::<Vec<_>>()
        .join("---\n")
}
