//! The YAML users already have: Ocean CD's own example entities, as its documentation and CLI
//! write them (top-level `name`, no `apiVersion`, kinds in any case, capitals in names, the
//! CLI's wrapped form), apply as written.
//!
//! The documents below are copied as data from the public examples of Spot's Ocean CD
//! (github.com/spotinst/spot-oceancd-releases, "Quick Start & Examples": Entities/yaml,
//! Verification Template/*, Verification Providers/*, Rolling Update Rollout Entities) and from
//! the Ocean CD CLI's sample file. The only change: placeholder cluster ids (`string`,
//! `cli-cluster`) are replaced by a cluster this engine knows, where the engine checks them.

mod common;
use common::*;
use rollout_api::{ApplyOutcome, RolloutStatus, StrategyType};

const DOCS_STRATEGY: &str = "kind: Strategy
name: Strategy-OceanCD
canary:
  backgroundVerification:
    templateNames:
    - My-first-verification
  steps:
  - name: My-first-phase
    setWeight: 20
    verification:
      templateNames:
      - My-first-verification
    pause:
      duration: 5m
  - name: My-second-phase
    setWeight: 80
    verification:
      templateNames:
      - My-first-verification
    pause: {}
";

const DOCS_ROLLOUT_SPEC: &str = "kind: RolloutSpec
name: service-rolloutspec
spotDeployment:
  clusterId: string
  namespace: string
  name: string
strategy:
  name: service-rolloutspec
  args:
  - name: app
    value: service
    valueFrom:
      secretRef:
        name: app-name
        key: app
      fieldRef:
        fieldPath: metadata.labels['app']
traffic:
  canaryService: canary
  stableService: stable
failurePolicy:
  action: abort
";

const DOCS_PROVIDER: &str = "kind: verificationProvider
name: My-verification-provider
clusterIds:
- cluster-name
datadog:
  address: address-name
  apiKey: apiKey-Credentials
  appKey: appKey-Credentials";

const DOCS_PROVIDER_CLUSTERS: &str = "kind: \"VerificationProvider\"
name: \"prometheus-vp\"
clusters:
  - \"test\"
prometheus:
  address: \"http://ip:port\"
";

const DOCS_TEMPLATE_PROMETHEUS: &str = "kind: \"VerificationTemplate\"
name: \"prometheus-vt\"
metrics:
  - name: \"verification-background\"
    interval: \"10s\"
    count: 6
    failureCondition: \"result[0] >= 90\"
    failureLimit: 3
    provider:
      prometheus:
        query: \"sum(container_cpu_usage_seconds_total{namespace=\\\"test\\\"}\"";

const DOCS_TEMPLATE_WEB: &str = "kind: \"VerificationTemplate\"
name: \"web-vt\"
args:
  - name: \"service-name\"
  - name: \"api-token\"
metrics:
  - name: \"Webhook automation test trigger\"
    interval: \"4s\"
    count: 6
    successCondition: \"result.ok && result.successPercent > 0.94\"
    failureLimit: 3
    provider:
      web:
        method: \"GET\"
        url: \"http://my-server.com/api/v1/measurement?service={{ args.service-name }}\"
        headers:
          - key: Authorization
            value: \"Bearer {{ args.api-token }}\"
        jsonPath: \"{$.data}\"
        insecure: false";

const DOCS_ROLLING: &str = "kind: Strategy
name: rolling-update-simple
canary:
  steps:
  - name: My-first-phase
    verification:
      templateNames:
      - My-first-verification
    pause:
      duration: 5m
  - name: My-second-phase
    verification:
      templateNames:
      - My-first-verification
    pause: {}
";

/// The Ocean CD CLI's sample: each entity wrapped under its kind, no `kind:` at all.
const CLI_SAMPLE: &str = "strategy:
  name: \"cli-strategy\"
  canary:
    steps:
      - name: \"first-phase\"
        setWeight: 20
        pause:
          duration: \"2m\"
      - name: \"second-phase\"
        setWeight: 40
        pause: { }
      - name: \"third-phase\"
        setWeight: 80
        pause:
          duration: \"1m\"
---
rolloutSpec:
  name: \"cli-rolloutSpec\"
  spotDeployment:
    clusterId: \"cli-cluster\"
    namespace: \"cli\"
    name: \"cli-service\"
  strategy:
    name: \"cli-strategy\"
  traffic:
    canaryService: \"cli-canary\"
    stableService: \"cli-stable\"
  failurePolicy:
    action: \"abort\"
---
kind: \"Strategy\"
name: \"cli-strategy-kind\"
canary:
  steps:
    - name: \"first-phase\"
      setWeight: 20
";

#[test]
fn the_documentation_entities_apply_as_written() {
    let mut e = engine();
    let stream = [
        DOCS_STRATEGY.to_string(),
        DOCS_ROLLOUT_SPEC.replace("clusterId: string", "clusterId: prod-us-east"),
        DOCS_PROVIDER.to_string(),
        DOCS_PROVIDER_CLUSTERS.to_string(),
        DOCS_TEMPLATE_PROMETHEUS.to_string(),
        DOCS_TEMPLATE_WEB.to_string(),
        DOCS_ROLLING.to_string(),
    ]
    .join("\n---\n");
    let resp = apply(&mut e, &stream);
    let applied: Vec<(&str, &str)> = resp
        .applied
        .iter()
        .map(|a| (a.kind.as_str(), a.name.as_str()))
        .collect();
    assert_eq!(
        applied,
        [
            ("Strategy", "Strategy-OceanCD"),
            ("RolloutSpec", "service-rolloutspec"),
            ("VerificationProvider", "My-verification-provider"),
            ("VerificationProvider", "prometheus-vp"),
            ("VerificationTemplate", "prometheus-vt"),
            ("VerificationTemplate", "web-vt"),
            ("Strategy", "rolling-update-simple"),
        ]
    );
    assert!(resp
        .applied
        .iter()
        .all(|a| a.outcome == ApplyOutcome::Created));
    // The same stream again changes nothing.
    let again = apply(&mut e, &stream);
    assert!(again
        .applied
        .iter()
        .all(|a| a.outcome == ApplyOutcome::Unchanged));
}

#[test]
fn the_cli_sample_applies_unwrapped() {
    let mut e = engine();
    let resp = apply(
        &mut e,
        &CLI_SAMPLE.replace("\"cli-cluster\"", "\"prod-us-east\""),
    );
    let applied: Vec<(&str, &str)> = resp
        .applied
        .iter()
        .map(|a| (a.kind.as_str(), a.name.as_str()))
        .collect();
    assert_eq!(
        applied,
        [
            ("Strategy", "cli-strategy"),
            ("RolloutSpec", "cli-rolloutSpec"),
            ("Strategy", "cli-strategy-kind"),
        ]
    );
}

#[test]
fn an_error_inside_the_wrapped_form_names_its_line_and_column() {
    let mut e = engine();
    let yaml = CLI_SAMPLE.replace("setWeight: 40", "setWeight: 10");
    let err = e.apply(&yaml, e.now()).expect_err("weights must rise");
    assert_eq!(err.document, 1);
    assert!(err.message.contains("setWeight: 10"), "{err}");
    // `setWeight: 10` is on line 10 of the stream, indented 8.
    assert_eq!((err.line, err.column), (10, 9), "{err}");
    let err = e
        .apply(&CLI_SAMPLE.replace("    namespace: \"cli\"\n", ""), e.now())
        .expect_err("namespace missing");
    assert_eq!(err.document, 2);
    assert!(err.message.contains("namespace"), "{err}");
    assert_eq!(err.line, 20, "{err}");
}

#[test]
fn docs_shaped_entities_drive_a_real_rollout() {
    // A strategy with a capitalised name, written the documentation's way, and the RolloutSpec
    // in the CLI's wrapped form.
    let mut e = engine();
    let strategy = "kind: strategy\nname: Canary-Docs\ncanary:\n  steps:\n  - name: First\n    setWeight: 20\n  - name: Everyone\n    setWeight: 100\n";
    let spec = "rolloutSpec:\n  name: Checkout-Docs\n  spotDeployment:\n    clusterId: prod-us-east\n    namespace: payments\n    name: checkout\n  strategy:\n    name: Canary-Docs\n  traffic:\n    canaryService: checkout-canary\n    stableService: checkout-stable\n  failurePolicy:\n    action: abort\n";
    let yaml = [
        services("payments", "checkout"),
        strategy.to_string(),
        spec.to_string(),
        spot_deployment("payments", "checkout", "registry.example.com/c:1", 3, &[]),
    ]
    .join("---\n");
    apply(&mut e, &yaml);
    run(&mut e, 30);
    let resp = apply(
        &mut e,
        &spot_deployment("payments", "checkout", "registry.example.com/c:2", 3, &[]),
    );
    let id = resp.rollouts_started[0].clone();
    let d = detail(&e, &id);
    assert_eq!(d.strategy_name, "Canary-Docs");
    assert_eq!(d.rollout_spec, "Checkout-Docs");
    run_until_status(&mut e, &id, RolloutStatus::Finished, 600);
}

#[test]
fn a_canary_without_weights_is_the_rolling_update_of_the_docs() {
    let mut e = engine();
    let yaml = DOCS_ROLLING.replace("    pause: {}\n", "");
    apply(&mut e, &yaml);
    let stored = e.entity("Strategy", "rolling-update-simple").unwrap();
    let parsed = rollout_engine::validate::parse_document(&stored.yaml).unwrap();
    let rollout_engine::validate::Parsed::Strategy(s) = parsed else {
        panic!("a strategy")
    };
    assert_eq!(s.kind, StrategyType::Rolling);
    assert_eq!(
        s.phases.iter().map(|p| p.weight).collect::<Vec<_>>(),
        [50, 100]
    );
    // Mixing steps with and without a weight is still an error that says what is expected.
    let mixed =
        "kind: Strategy\nname: mixed\ncanary:\n  steps:\n  - setWeight: 20\n  - name: no-weight\n";
    let err = e.apply(mixed, e.now()).expect_err("mixed");
    assert!(err.message.contains("setWeight is missing"), "{err}");
}

#[test]
fn api_version_and_names_follow_ocean_cd() {
    let mut e = engine();
    apply(
        &mut e,
        "apiVersion: spot.io/v1beta1\nkind: STRATEGY\nname: Upper_Case.Name-1\ncanary:\n  steps:\n  - setWeight: 50\n",
    );
    let err = e
        .apply(
            "apiVersion: apps/v1\nkind: Strategy\nname: s\ncanary:\n  steps:\n  - setWeight: 50\n",
            e.now(),
        )
        .expect_err("wrong apiVersion");
    assert!(
        err.message
            .contains("Strategy takes no apiVersion, or apiVersion spot.io/v1beta1"),
        "{err}"
    );
    assert_eq!(err.line, 1);
    let long = format!(
        "kind: Strategy\nname: {}\ncanary:\n  steps:\n  - setWeight: 50\n",
        "a".repeat(64)
    );
    let err = e.apply(&long, e.now()).expect_err("64 characters");
    assert!(err.message.contains("at most 63"), "{err}");
    assert_eq!(err.line, 2);
    // The SpotDeployment, a Kubernetes object, keeps Kubernetes naming and its apiVersion.
    let sd = spot_deployment("payments", "Checkout", "img:1", 1, &[]);
    let err = e.apply(&sd, e.now()).expect_err("capital letters");
    assert!(err.message.contains("Kubernetes name"), "{err}");
    let sd = spot_deployment("payments", "checkout", "img:1", 1, &[])
        .replace("apiVersion: spot.io/v1beta1\n", "");
    let err = e.apply(&sd, e.now()).expect_err("no apiVersion");
    assert!(err.message.contains("apiVersion is missing"), "{err}");
}
