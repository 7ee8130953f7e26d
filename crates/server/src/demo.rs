//! `serve --demo`: the two clusters and the catalogue of docs/contract.md, made by driving the
//! real engine through a week of simulated time. Every rollout, event and pod comes from the
//! engine: the demo only applies YAML, acts and stops an operator at chosen moments.
//!
//! A week of history (about fifty completed rollouts of every outcome) is followed by the live
//! scenarios, each started so that at `now` it is in the state the contract names.

use crate::CLUSTERS;
use chrono::Duration;
use rollout_api::{self as api, ActionKind, PauseKind, RolloutStatus, Timestamp};
use rollout_engine::Engine;

const EX_SERVICES: &str = include_str!("../../../examples/01-services.yaml");
const EX_PROVIDER: &str = include_str!("../../../examples/02-verification-provider.yaml");
const EX_TEMPLATE: &str = include_str!("../../../examples/03-verification-template.yaml");
const EX_STRATEGY: &str = include_str!("../../../examples/04-strategy.yaml");
const EX_ROLLOUT_SPEC: &str = include_str!("../../../examples/05-rolloutspec.yaml");
const EX_V1: &str = include_str!("../../../examples/06-spotdeployment-v1.yaml");
const EX_V2: &str = include_str!("../../../examples/07-spotdeployment-v2.yaml");
const EX_BAD_METRICS: &str = include_str!("../../../examples/09-failure-bad-metrics.yaml");
/// The image of examples/06 (v1) and 07 (v2).
const EX_V1_IMAGE: &str = "registry.example.com/payments/checkout:1.41.0";
const EX_V2_IMAGE: &str = "registry.example.com/payments/checkout:1.42.0";
const EX_BAD_IMAGE: &str = "registry.example.com/payments/checkout:1.43.0";

const PROD: &str = "prod-us-east";
const STAGING: &str = "staging-eu";

/// Shared entities beside the example ones: a Datadog provider, templates and strategies.
const SHARED: &str = r#"apiVersion: spot.io/v1beta1
kind: VerificationProvider
name: datadog-main
clusterIds:
  - prod-us-east
datadog:
  address: https://api.datadoghq.com
  apiKey:
    secretRef: datadog-api-key
---
apiVersion: spot.io/v1beta1
kind: VerificationTemplate
name: success-rate
metrics:
  - name: success-rate
    interval: 30s
    count: 3
    failureLimit: 0
    successCondition: result[0] >= 0.95
    provider:
      prometheus:
        query: |
          sum(rate(http_requests_total{code!~"5.."}[2m])) / sum(rate(http_requests_total[2m]))
---
apiVersion: spot.io/v1beta1
kind: VerificationTemplate
name: latency-p99
metrics:
  - name: latency-p99
    interval: 30s
    count: 3
    failureLimit: 0
    successCondition: result[0] <= 0.5
    provider:
      prometheus:
        query: |
          histogram_quantile(0.99, sum(rate(http_request_duration_seconds_bucket[2m])) by (le))
---
apiVersion: spot.io/v1beta1
kind: VerificationTemplate
name: error-rate-background
metrics:
  - name: error-rate
    interval: 1m
    failureLimit: 0
    successCondition: result[0] <= 0.02
    provider:
      prometheus:
        query: |
          sum(rate(http_requests_total{code=~"5.."}[5m])) / sum(rate(http_requests_total[5m]))
---
apiVersion: spot.io/v1beta1
kind: VerificationTemplate
name: click-through-rate
metrics:
  - name: click-through-rate
    interval: 1m
    count: 4
    failureLimit: 1
    successCondition: result[0] >= 0.03
    provider:
      prometheus:
        query: |
          sum(rate(recommendation_clicks_total[5m])) / sum(rate(recommendation_impressions_total[5m]))
---
apiVersion: spot.io/v1beta1
kind: VerificationTemplate
name: profile-latency
metrics:
  - name: profile-read-latency
    interval: 1m
    count: 5
    failureLimit: 0
    consecutiveErrorLimit: 6
    successCondition: result[0] <= 0.25
    provider:
      datadog:
        query: avg:trace.http.request.duration{service:user-profile,env:prod}
---
apiVersion: spot.io/v1beta1
kind: Strategy
name: canary-quick
canary:
  steps:
    - name: canary
      setWeight: 25
      verification:
        templateNames:
          - success-rate
    - name: everyone
      setWeight: 100
---
apiVersion: spot.io/v1beta1
kind: Strategy
name: canary-verified
canary:
  steps:
    - name: canary-20
      setWeight: 20
      verification:
        templateNames:
          - success-rate
    - name: canary-50
      setWeight: 50
      verification:
        templateNames:
          - latency-p99
    - name: everyone
      setWeight: 100
---
apiVersion: spot.io/v1beta1
kind: Strategy
name: canary-window-15m
canary:
  steps:
    - name: soak
      setWeight: 25
      pause:
        duration: 15m
    - name: everyone
      setWeight: 100
---
apiVersion: spot.io/v1beta1
kind: Strategy
name: canary-manual-gate
canary:
  steps:
    - name: canary
      setWeight: 30
      pause: {}
    - name: everyone
      setWeight: 100
---
apiVersion: spot.io/v1beta1
kind: Strategy
name: canary-background
canary:
  backgroundVerification:
    templateNames:
      - error-rate-background
  steps:
    - name: canary-20
      setWeight: 20
      verification:
        templateNames:
          - click-through-rate
    - name: canary-60
      setWeight: 60
    - name: everyone
      setWeight: 100
---
apiVersion: spot.io/v1beta1
kind: Strategy
name: canary-profile
canary:
  steps:
    - name: canary-20
      setWeight: 20
      verification:
        templateNames:
          - profile-latency
    - name: everyone
      setWeight: 100
---
apiVersion: spot.io/v1beta1
kind: Strategy
name: canary-slow
canary:
  steps:
    - name: canary-10
      setWeight: 10
    - name: canary-50
      setWeight: 50
      pause:
        duration: 1m
    - name: everyone
      setWeight: 100
---
apiVersion: spot.io/v1beta1
kind: Strategy
name: rolling-thirds
rolling:
  steps:
    - name: first-third
      pause:
        duration: 1m
    - name: second-third
      pause:
        duration: 1m
    - name: last-third
"#;

/// A workload of the demo.
struct App {
    cluster: &'static str,
    namespace: &'static str,
    name: &'static str,
    strategy: &'static str,
    policy: &'static str,
    replicas: u32,
    /// The first version, live without a rollout a week ago.
    first: &'static str,
}

const APPS: &[App] = &[
    app(
        PROD,
        "payments",
        "checkout",
        "canary-20-50-100",
        "abort",
        5,
        "1.36.0",
    ),
    app(
        PROD,
        "payments",
        "cart",
        "canary-window-15m",
        "abort",
        4,
        "2.6.0",
    ),
    app(
        PROD,
        "storefront",
        "search",
        "canary-manual-gate",
        "abort",
        4,
        "3.2.0",
    ),
    app(
        PROD,
        "storefront",
        "recommendations",
        "canary-background",
        "abort",
        5,
        "0.17.0",
    ),
    app(
        PROD,
        "warehouse",
        "inventory",
        "canary-verified",
        "pause",
        4,
        "5.0.0",
    ),
    app(
        PROD,
        "payments",
        "payments-api",
        "canary-quick",
        "abort",
        6,
        "3.9.0",
    ),
    app(
        PROD,
        "storefront",
        "pricing",
        "canary-verified",
        "abort",
        3,
        "1.7.0",
    ),
    app(
        PROD,
        "messaging",
        "notifications",
        "canary-quick",
        "abort",
        3,
        "2.1.0",
    ),
    app(
        PROD,
        "storefront",
        "catalog",
        "canary-slow",
        "abort",
        4,
        "6.9.0",
    ),
    app(
        PROD,
        "identity",
        "user-profile",
        "canary-profile",
        "abort",
        3,
        "1.3.0",
    ),
    app(
        STAGING,
        "analytics",
        "reporting",
        "canary-quick",
        "abort",
        2,
        "0.8.0",
    ),
    app(
        STAGING,
        "analytics",
        "ingest",
        "canary-quick",
        "abort",
        3,
        "1.9.0",
    ),
    app(
        STAGING,
        "web",
        "frontend",
        "rolling-thirds",
        "abort",
        3,
        "2.9.0",
    ),
];

#[allow(clippy::too_many_arguments)]
const fn app(
    cluster: &'static str,
    namespace: &'static str,
    name: &'static str,
    strategy: &'static str,
    policy: &'static str,
    replicas: u32,
    first: &'static str,
) -> App {
    App {
        cluster,
        namespace,
        name,
        strategy,
        policy,
        replicas,
        first,
    }
}

fn find(name: &str) -> &'static App {
    APPS.iter().find(|a| a.name == name).expect("a demo app")
}

fn image(a: &App, version: &str) -> String {
    format!("registry.example.com/{}/{}:{version}", a.namespace, a.name)
}

fn services(a: &App) -> String {
    if a.name == "checkout" {
        return EX_SERVICES.to_string();
    }
    let port = 8080;
    ["stable", "canary"]
        .iter()
        .map(|role| {
            format!(
                "apiVersion: v1\nkind: Service\nmetadata:\n  name: {n}-{role}\n  namespace: {ns}\nspec:\n  selector:\n    app: {n}\n  ports:\n    - port: {port}\n",
                n = a.name,
                ns = a.namespace,
            )
        })
        .collect::<Vec<_>>()
        .join("---\n")
}

fn rollout_spec(a: &App, canary_service: &str) -> String {
    if a.name == "checkout" {
        return EX_ROLLOUT_SPEC.to_string();
    }
    format!(
        "apiVersion: spot.io/v1beta1\nkind: RolloutSpec\nname: {n}-rollout\nspotDeployment:\n  clusterId: {c}\n  namespace: {ns}\n  name: {n}\nstrategy:\n  name: {s}\ntraffic:\n  stableService: {n}-stable\n  canaryService: {canary_service}\nfailurePolicy:\n  action: {p}\n",
        n = a.name,
        c = a.cluster,
        ns = a.namespace,
        s = a.strategy,
        p = a.policy,
    )
}

/// A SpotDeployment manifest of `a` at `version`, with failure-injection annotations.
fn spot_deployment(a: &App, version: &str, annotations: &[(&str, &str)], deadline: u64) -> String {
    let mut ann = String::new();
    if !annotations.is_empty() {
        ann.push_str("  annotations:\n");
        for (k, v) in annotations {
            ann.push_str(&format!("    {k}: \"{v}\"\n"));
        }
    }
    format!(
        "apiVersion: spot.io/v1beta1\nkind: SpotDeployment\nmetadata:\n  name: {n}\n  namespace: {ns}\n  labels:\n    app: {n}\n    team: {ns}\n{ann}spec:\n  replicas: {r}\n  progressDeadlineSeconds: {deadline}\n  selector:\n    matchLabels:\n      app: {n}\n  template:\n    metadata:\n      labels:\n        app: {n}\n    spec:\n      containers:\n        - name: {n}\n          image: {img}\n",
        n = a.name,
        ns = a.namespace,
        r = a.replicas,
        img = image(a, version),
    )
}

/// What happens to one history rollout.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Outcome {
    Success,
    /// The canary's metrics are bad: the verification fails, the policy rolls back.
    BadMetrics,
    CrashLoop,
    ImagePull,
    Liveness,
    /// Someone rolls it back a few minutes in.
    ManualRollback,
    /// Re-applied with the next patch version while it runs.
    Canceled,
}

/// The week of history: (app, version, outcome), in the order they happen.
const HISTORY: &[(&str, &str, Outcome)] = {
    use Outcome::*;
    &[
        ("checkout", "1.37.0", Success),
        ("cart", "2.7.0", Success),
        ("frontend", "3.0.0", Success),
        ("inventory", "5.1.0", Success),
        ("pricing", "1.8.0", Success),
        ("search", "3.3.0", Success),
        ("recommendations", "0.18.0", Success),
        ("payments-api", "4.0.0", Success),
        ("reporting", "0.9.0", Success),
        ("checkout", "1.38.0", Success),
        ("notifications", "2.2.0", Success),
        ("catalog", "7.0.0", Success),
        ("user-profile", "1.4.0", Success),
        ("ingest", "2.0.0", Success),
        ("cart", "2.8.0", CrashLoop),
        ("cart", "2.8.1", Success),
        ("checkout", "1.39.0", BadMetrics),
        ("inventory", "5.2.0", Success),
        ("pricing", "1.9.0", BadMetrics),
        ("search", "3.4.0", ManualRollback),
        ("frontend", "3.1.0", Success),
        ("payments-api", "4.1.0", Success),
        ("recommendations", "0.19.0", BadMetrics),
        ("checkout", "1.39.1", Success),
        ("pricing", "1.9.1", Success),
        ("notifications", "2.3.0", Success),
        ("user-profile", "1.5.0", Success),
        ("catalog", "7.1.0", Success),
        ("reporting", "0.10.0", Success),
        ("inventory", "5.3.0", ImagePull),
        ("search", "3.4.1", Success),
        ("ingest", "2.1.0", BadMetrics),
        ("recommendations", "0.19.1", Success),
        ("payments-api", "4.2.0", Liveness),
        ("checkout", "1.40.0", ManualRollback),
        ("user-profile", "1.6.0", CrashLoop),
        ("notifications", "2.4.0", Canceled),
        ("inventory", "5.3.1", Success),
        ("catalog", "7.2.0", ManualRollback),
        ("ingest", "2.1.1", Success),
        ("pricing", "1.10.0", Success),
        ("payments-api", "4.2.1", Success),
        ("recommendations", "0.20.0", Canceled),
        ("frontend", "3.2.0", Success),
        ("user-profile", "1.6.1", Success),
        ("catalog", "7.2.1", Success),
        ("reporting", "0.11.0", Success),
        ("cart", "2.9.0", Success),
        ("checkout", "1.41.0", Success),
    ]
};

/// The engine being seeded, with the error context of each step.
struct Seeder {
    e: Engine,
}

impl Seeder {
    fn at(&mut self, t: Timestamp) {
        if t > self.e.now() {
            self.e.advance_to(t);
        }
        // The first write stores everything; these are only for live clients.
        self.e.drain_changes();
    }

    fn run(&mut self, seconds: i64) {
        let to = self.e.now() + Duration::seconds(seconds);
        self.at(to);
    }

    /// Applies as the demo's deploy pipeline does (recorded in the audit as `ci-pipeline`).
    fn apply(&mut self, what: &str, yaml: &str) -> Result<api::ApplyResponse, String> {
        let now = self.e.now();
        rollout_engine::validate::parse_stream(yaml)
            .and_then(|stream| self.e.apply_as(stream, now, "ci-pipeline"))
            .map_err(|err| format!("demo: applying {what} failed: {err}"))
    }

    /// Applies a SpotDeployment version and answers the rollout it started.
    fn deploy(&mut self, what: &str, yaml: &str) -> Result<String, String> {
        let resp = self.apply(what, yaml)?;
        resp.rollouts_started
            .first()
            .cloned()
            .ok_or_else(|| format!("demo: {what} started no rollout ({resp:?})"))
    }

    fn act(
        &mut self,
        id: &str,
        action: ActionKind,
        actor: &str,
        reason: &str,
    ) -> Result<(), String> {
        let now = self.e.now();
        self.e
            .act_with_reason(id, action, actor, Some(reason), now)
            .map(|_| ())
            .map_err(|err| format!("demo: {action:?} on {id} refused: {err}"))
    }

    fn status(&self, id: &str) -> RolloutStatus {
        self.e
            .rollout_summary(id)
            .map(|r| r.status)
            .unwrap_or(RolloutStatus::Canceled)
    }

    /// Runs a rollout to its end (at most `limit`), resuming a pause that waits for someone
    /// after a few minutes, as a person would; rolls back what is still running at the limit.
    fn finish(&mut self, id: &str, limit: Duration) -> Result<(), String> {
        let until = self.e.now() + limit;
        let mut waited = 0;
        while self.e.now() < until {
            let Some(d) = self.e.rollout(id) else {
                return Ok(());
            };
            if d.status.is_completed() {
                return Ok(());
            }
            if let Some(p) = &d.conditions.paused {
                if matches!(p.kind, PauseKind::Indefinite | PauseKind::Manual) {
                    waited += 1;
                    if waited > 12 {
                        self.act(
                            id,
                            ActionKind::Resume,
                            "maria.lopez",
                            "dashboards look normal at this weight",
                        )?;
                        waited = 0;
                    }
                }
                if p.kind == PauseKind::FailurePolicy {
                    self.act(
                        id,
                        ActionKind::Rollback,
                        "on-call",
                        "verification failed: not worth the risk",
                    )?;
                }
            }
            self.run(20);
        }
        if !self.status(id).is_completed() {
            self.act(
                id,
                ActionKind::Rollback,
                "on-call",
                "still not done at the end of the change window",
            )?;
            self.run(120);
        }
        Ok(())
    }

    fn history(&mut self, app: &App, version: &str, outcome: Outcome) -> Result<(), String> {
        let what = format!("{} {version}", app.name);
        let yaml = match outcome {
            _ if app.name == "checkout" && version == "1.41.0" => EX_V1.to_string(),
            Outcome::BadMetrics if app.name == "checkout" => {
                EX_BAD_METRICS.replace(EX_BAD_IMAGE, &image(app, version))
            }
            Outcome::Success | Outcome::ManualRollback | Outcome::Canceled => {
                spot_deployment(app, version, &[], 300)
            }
            Outcome::BadMetrics => spot_deployment(
                app,
                version,
                &[("sim.rollout.dev/metric-value", "0.71")],
                300,
            ),
            Outcome::CrashLoop => {
                spot_deployment(app, version, &[("sim.rollout.dev/crash-loop", "true")], 180)
            }
            Outcome::ImagePull => {
                spot_deployment(app, version, &[("sim.rollout.dev/image-pull", "fail")], 180)
            }
            Outcome::Liveness => {
                spot_deployment(app, version, &[("sim.rollout.dev/liveness", "fail")], 240)
            }
        };
        let id = self.deploy(&what, &yaml)?;
        match outcome {
            Outcome::ManualRollback => {
                self.run(150);
                if !self.status(&id).is_completed() {
                    self.act(
                        &id,
                        ActionKind::Rollback,
                        "dan.kim",
                        "p99 latency up 40 % on the canary",
                    )?;
                }
                self.run(120);
            }
            Outcome::Canceled => {
                self.run(40);
                let next = format!("{version}-1").replace(".0-1", ".1");
                let yaml = spot_deployment(app, &next, &[], 300);
                let new_id = self.deploy(&format!("{} {next}", app.name), &yaml)?;
                self.finish(&new_id, Duration::hours(2))?;
            }
            _ => self.finish(&id, Duration::hours(2))?,
        }
        Ok(())
    }
}

/// Builds the demo engine whose "now" is `now`.
pub fn seed(now: Timestamp) -> Result<Engine, String> {
    let start = now - Duration::days(7);
    let mut s = Seeder {
        e: Engine::new(start, CLUSTERS),
    };

    // A week ago: every entity, and each workload's first version (live without a rollout).
    let mut setup = vec![
        EX_PROVIDER.to_string(),
        EX_TEMPLATE.to_string(),
        EX_STRATEGY.to_string(),
        SHARED.to_string(),
    ];
    for a in APPS {
        setup.push(services(a));
        setup.push(rollout_spec(a, &format!("{}-canary", a.name)));
    }
    s.apply("the shared entities", &setup.join("---\n"))?;
    s.run(60);
    for a in APPS {
        let first = if a.name == "checkout" {
            EX_V1.replace(EX_V1_IMAGE, &image(a, a.first))
        } else {
            spot_deployment(a, a.first, &[], 300)
        };
        s.apply(&format!("{} {}", a.name, a.first), &first)?;
    }
    s.run(300);

    // The week: spread evenly between a week ago and three hours ago.
    let span = Duration::days(7) - Duration::hours(5);
    let step = span / HISTORY.len() as i32;
    for (i, (name, version, outcome)) in HISTORY.iter().enumerate() {
        s.at(start + Duration::hours(1) + step * i as i32);
        s.history(find(name), version, *outcome)?;
    }

    live(&mut s, now)?;
    s.at(now);
    Ok(s.e)
}

/// The live scenarios, started so that at `now` each is in its named state.
fn live(s: &mut Seeder, now: Timestamp) -> Result<(), String> {
    let ago = |secs: i64| now - Duration::seconds(secs);

    // frontend: a Rolling rollout that finished a while ago.
    s.at(ago(2 * 3600));
    let a = find("frontend");
    let id = s.deploy("frontend 3.3.0", &spot_deployment(a, "3.3.0", &[], 300))?;
    s.finish(&id, Duration::minutes(30))?;

    // pricing: verification failed, failure policy abort: rolled back.
    s.at(ago(50 * 60));
    let a = find("pricing");
    let id = s.deploy(
        "pricing 1.11.0",
        &spot_deployment(
            a,
            "1.11.0",
            &[("sim.rollout.dev/metric-value", "0.62")],
            300,
        ),
    )?;
    s.finish(&id, Duration::minutes(20))?;

    // payments-api: crash loop, rolled back after progressDeadlineSeconds: Degraded.
    s.at(ago(40 * 60));
    let a = find("payments-api");
    let id = s.deploy(
        "payments-api 4.3.0",
        &spot_deployment(a, "4.3.0", &[("sim.rollout.dev/crash-loop", "true")], 120),
    )?;
    s.finish(&id, Duration::minutes(20))?;

    // notifications: the RolloutSpec now names a canary Service nobody applied.
    s.at(ago(20 * 60));
    let a = find("notifications");
    s.apply(
        "notifications-rollout",
        &rollout_spec(a, "notifications-preview"),
    )?;
    s.run(5 * 60);
    s.deploy(
        "notifications 2.5.0",
        &spot_deployment(a, "2.5.0", &[], 300),
    )?;

    // search: paused without a window, since a quarter of an hour.
    s.at(ago(15 * 60));
    let a = find("search");
    s.deploy("search 3.5.0", &spot_deployment(a, "3.5.0", &[], 300))?;

    // inventory: its verification failed; the policy (pause) holds it.
    s.at(ago(12 * 60));
    let a = find("inventory");
    s.deploy(
        "inventory 5.4.0",
        &spot_deployment(a, "5.4.0", &[("sim.rollout.dev/metric-value", "0.78")], 300),
    )?;

    // catalog: a rollout canceled by a re-apply, and the new one running (slow pods).
    s.at(ago(9 * 60));
    let a = find("catalog");
    s.deploy(
        "catalog 7.3.0",
        &spot_deployment(
            a,
            "7.3.0",
            &[("sim.rollout.dev/pod-start-seconds", "600")],
            1800,
        ),
    )?;
    s.at(ago(4 * 60));
    s.deploy(
        "catalog 7.3.1",
        &spot_deployment(
            a,
            "7.3.1",
            &[("sim.rollout.dev/pod-start-seconds", "900")],
            1800,
        ),
    )?;

    // reporting: running (slow pods) when staging's operator stops reporting.
    s.at(ago(7 * 60));
    let a = find("reporting");
    s.deploy(
        "reporting 0.12.0",
        &spot_deployment(
            a,
            "0.12.0",
            &[("sim.rollout.dev/pod-start-seconds", "1800")],
            3600,
        ),
    )?;
    s.at(ago(6 * 60));
    let t = s.e.now();
    s.e.set_operator_running(STAGING, false, t)
        .ok_or("demo: no staging cluster")?;

    // recommendations: verifying its first phase, with a background verification.
    s.at(ago(150));
    let a = find("recommendations");
    s.deploy(
        "recommendations 0.21.0",
        &spot_deployment(a, "0.21.0", &[], 300),
    )?;

    // user-profile: verifying, but the provider answers nothing.
    s.at(ago(140));
    let a = find("user-profile");
    s.deploy(
        "user-profile 1.7.0",
        &spot_deployment(
            a,
            "1.7.0",
            &[("sim.rollout.dev/metric-error", "unreachable")],
            300,
        ),
    )?;

    // cart: paused in a 15m window that began about two minutes ago.
    s.at(ago(130));
    let a = find("cart");
    s.deploy("cart 2.10.0", &spot_deployment(a, "2.10.0", &[], 300))?;

    // ingest: applied after the operator stopped: pending, no rollout starts.
    s.at(ago(60));
    let a = find("ingest");
    s.deploy("ingest 2.2.0", &spot_deployment(a, "2.2.0", &[], 300))?;

    // checkout: examples/07, moving through its first phase (20 %) right now.
    s.at(ago(3));
    let _ = EX_V2_IMAGE;
    s.deploy("checkout 1.42.0 (examples/07)", EX_V2)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_versions_rise_per_app() {
        for a in APPS {
            let versions: Vec<&str> = HISTORY
                .iter()
                .filter(|(n, _, _)| *n == a.name)
                .map(|(_, v, _)| *v)
                .collect();
            assert!(!versions.is_empty(), "{} has history", a.name);
            let parse =
                |v: &str| -> Vec<u32> { v.split('.').map(|p| p.parse().unwrap()).collect() };
            let mut all = vec![parse(a.first)];
            all.extend(versions.iter().map(|v| parse(v)));
            assert!(all.windows(2).all(|w| w[0] < w[1]), "{}: {all:?}", a.name);
        }
        assert!(HISTORY.len() >= 45);
    }
}
