//! Reading applied YAML: the shapes accepted and errors that name the document, the field and
//! the line.

mod common;
use common::*;
use rollout_api::ApplyOutcome;

fn error(yaml: &str) -> rollout_engine::ApplyError {
    let mut e = engine();
    let now = e.now();
    e.apply(yaml, now).expect_err("should be refused")
}

#[test]
fn a_full_stream_is_applied_and_reports_each_entity() {
    let mut e = engine();
    let yaml = [
        services("payments", "checkout"),
        STRATEGY_VERIFIED.to_string(),
        TEMPLATE_SUCCESS_RATE.to_string(),
        PROVIDER_PROMETHEUS.to_string(),
        rollout_spec("payments", "checkout", "verified", "pause"),
        spot_deployment(
            "payments",
            "checkout",
            "registry.example.com/checkout:1.0.0",
            3,
            &[],
        ),
    ]
    .join("---\n");
    let resp = apply(&mut e, &yaml);
    let kinds: Vec<&str> = resp.applied.iter().map(|a| a.kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "Service",
            "Service",
            "Strategy",
            "VerificationTemplate",
            "VerificationProvider",
            "RolloutSpec",
            "SpotDeployment"
        ]
    );
    assert!(resp
        .applied
        .iter()
        .all(|a| a.outcome == ApplyOutcome::Created));
    assert!(
        resp.rollouts_started.is_empty(),
        "revision 1 goes live directly"
    );
    let again = apply(&mut e, &yaml);
    assert!(again
        .applied
        .iter()
        .all(|a| a.outcome == ApplyOutcome::Unchanged));
    let w = e.workload("prod-us-east", "payments", "checkout").unwrap();
    assert_eq!((w.desired_revision, w.live_revision), (1, 1));
    assert!(e.entity("Strategy", "verified").is_some());
}

#[test]
fn set_weight_must_rise_strictly_and_the_error_points_at_it() {
    let yaml = format!(
        "{}---\n{}",
        STRATEGY_PLAIN,
        r#"apiVersion: spot.io/v1beta1
kind: Strategy
name: bad
canary:
  steps:
    - setWeight: 30
    - setWeight: 30
"#
    );
    let err = error(&yaml);
    assert_eq!(err.document, 2);
    let doc2_start = STRATEGY_PLAIN.lines().count() + 2;
    assert_eq!(err.line, doc2_start + 6, "{err:?}");
    assert_eq!(err.column, 7);
    assert!(err.message.contains("setWeight"), "{}", err.message);
    assert!(err.message.contains("steps[1]"));
}

#[test]
fn set_weight_above_100_is_refused() {
    let err = error(&STRATEGY_PLAIN.replace("setWeight: 100", "setWeight: 120"));
    assert!(err.message.contains("out of range"), "{}", err.message);
    assert_eq!(err.line, 11);
}

#[test]
fn an_unknown_field_is_reported_with_its_line_in_the_stream() {
    let yaml = format!(
        "# leading comment\n---\n{}---\n{}",
        STRATEGY_PLAIN,
        TEMPLATE_SUCCESS_RATE.replace("failureLimit: 1", "failureLimmit: 1")
    );
    let err = error(&yaml);
    assert_eq!(err.document, 2, "the comment-only document does not count");
    let start = 2 + STRATEGY_PLAIN.lines().count() + 2;
    let offset = TEMPLATE_SUCCESS_RATE
        .lines()
        .position(|l| l.contains("failureLimit"))
        .unwrap();
    assert_eq!(err.line, start + offset, "{err:?}");
    assert!(err.message.contains("failureLimmit"), "{}", err.message);
}

#[test]
fn yaml_syntax_errors_give_a_location() {
    let err = error("apiVersion: v1\nkind: Service\nmetadata:\n  name: [oops\n");
    assert_eq!(err.document, 1);
    assert!(err.line >= 4, "{err:?}");
}

#[test]
fn unknown_kind_and_wrong_api_version_are_refused() {
    let err = error("apiVersion: spot.io/v1beta1\nkind: Rollout\nname: x\n");
    assert!(err.message.contains("unknown kind"));
    assert_eq!(err.line, 2);
    let err = error(&STRATEGY_PLAIN.replace("spot.io/v1beta1", "argoproj.io/v1alpha1"));
    assert!(err.message.contains("apiVersion"));
    assert_eq!(err.line, 1);
}

#[test]
fn conditions_durations_and_providers_are_checked() {
    let bad_condition = TEMPLATE_SUCCESS_RATE.replace("result[0] >= 0.95", "result[0] ~ 0.95");
    assert!(error(&bad_condition).message.contains("successCondition"));
    let bad_interval = TEMPLATE_SUCCESS_RATE.replace("interval: 30s", "interval: soon");
    let err = error(&bad_interval);
    assert!(err.message.contains("interval"), "{}", err.message);
    assert_eq!(err.line, 6);
    let two_providers = TEMPLATE_SUCCESS_RATE.replace(
        "      prometheus:",
        "      web:\n        url: http://x\n      prometheus:",
    );
    assert!(error(&two_providers).message.contains("exactly one"));
    let bad_pause = STRATEGY_PLAIN.replace(
        "      setWeight: 50\n",
        "      setWeight: 50\n      pause:\n        duration: 5 minutes\n",
    );
    assert!(error(&bad_pause).message.contains("pause.duration"));
}

#[test]
fn failure_injection_annotations_are_checked() {
    let yaml = format!(
        "{}---\n{}",
        rollout_spec("payments", "checkout", "plain", "abort"),
        spot_deployment(
            "payments",
            "checkout",
            "x:1",
            1,
            &[("sim.rollout.dev/metric-error", "timeout")]
        )
    );
    let err = error(&yaml);
    assert_eq!(err.document, 2);
    assert!(err.message.contains("metric-error"), "{}", err.message);
}

#[test]
fn a_rollout_spec_naming_an_unknown_cluster_is_refused() {
    let yaml = rollout_spec("payments", "checkout", "plain", "abort")
        .replace("clusterId: prod-us-east", "clusterId: mars");
    let err = error(&yaml);
    assert!(err.message.contains("mars"));
    assert_eq!((err.line, err.column), (5, 3));
}

#[test]
fn a_spot_deployment_without_a_known_cluster_is_refused_and_the_annotation_names_one() {
    let sd = spot_deployment("payments", "orphan", "x:1", 1, &[]);
    let err = error(&sd);
    assert!(
        err.message.contains("oceancd.spot.io/cluster-id"),
        "{}",
        err.message
    );
    let mut e = engine();
    let sd = spot_deployment(
        "payments",
        "orphan",
        "x:1",
        1,
        &[("oceancd.spot.io/cluster-id", "staging-eu")],
    );
    apply(&mut e, &sd);
    assert!(e.workload("staging-eu", "payments", "orphan").is_some());
}

#[test]
fn nothing_is_applied_when_one_document_is_wrong() {
    let mut e = engine();
    let yaml = format!(
        "{}---\napiVersion: spot.io/v1beta1\nkind: Strategy\nname: broken\n",
        STRATEGY_PLAIN
    );
    let now = e.now();
    assert!(e.apply(&yaml, now).is_err());
    assert!(e.entity("Strategy", "plain").is_none());
}

#[test]
fn metadata_name_is_accepted_for_ocean_cd_kinds() {
    let mut e = engine();
    let yaml = STRATEGY_PLAIN.replace("name: plain\n", "metadata:\n  name: plain\n");
    apply(&mut e, &yaml);
    assert!(e.entity("Strategy", "plain").is_some());
}

/// A RolloutSpec whose labels say `clusterId:` before the real one, which names no cluster.
const SPEC_LABELLED_MARS: &str = r#"apiVersion: spot.io/v1beta1
kind: RolloutSpec
metadata:
  name: checkout-rollout
  labels:
    clusterId: prod-us-east
spotDeployment:
  clusterId: mars
  namespace: payments
  name: checkout
strategy:
  name: plain
"#;

#[test]
fn an_unknown_cluster_is_reported_at_its_own_field_not_an_earlier_key_of_that_name() {
    // The RolloutSpec is the stream's second document; its line 8 is the bad `clusterId`.
    let yaml = format!("{STRATEGY_PLAIN}---\n{SPEC_LABELLED_MARS}");
    let err = error(&yaml);
    assert!(
        err.message
            .starts_with("spotDeployment.clusterId: unknown cluster `mars`"),
        "{}",
        err.message
    );
    let start = STRATEGY_PLAIN.lines().count() + 2;
    assert_eq!((err.document, err.line, err.column), (2, start + 7, 3));
    assert_eq!(yaml.lines().nth(err.line - 1), Some("  clusterId: mars"));

    // The annotation on a Service, after a label with the same key.
    let service = r#"apiVersion: v1
kind: Service
metadata:
  name: checkout-stable
  namespace: payments
  labels:
    oceancd.spot.io/cluster-id: prod-us-east
  annotations:
    oceancd.spot.io/cluster-id: mars
spec:
  selector: {app: checkout}
  ports: [{port: 80}]
"#;
    let err = error(service);
    assert!(err.message.contains("`mars`"), "{}", err.message);
    assert_eq!((err.line, err.column), (9, 5));

    // The CLI's wrapped form, block and flow style: the field under the wrapper.
    let block = "# wrapped\nrolloutSpec:\n  name: r\n  strategy: {name: plain}\n  spotDeployment:\n    namespace: payments\n    name: checkout\n    clusterId: mars\n";
    assert_eq!((error(block).line, error(block).column), (8, 5));
    let flow = "rolloutSpec: {name: r, strategy: {name: plain},\n  spotDeployment: {name: checkout, namespace: payments, clusterId: mars}}\n";
    let err = error(flow);
    assert!(err.message.contains("`mars`"), "{}", err.message);
    assert_eq!((err.line, err.column), (2, 57));
}

#[test]
fn a_spot_deployment_without_a_cluster_is_reported_at_its_metadata_not_the_pod_templates() {
    // Written spec first: the pod template's `metadata:` comes before the object's.
    let sd = r#"apiVersion: spot.io/v1beta1
kind: SpotDeployment
spec:
  replicas: 1
  selector:
    matchLabels: {app: orphan}
  template:
    metadata:
      labels: {app: orphan}
    spec:
      containers:
        - name: orphan
          image: x:1
metadata:
  name: orphan
  namespace: payments
"#;
    let err = error(sd);
    assert!(
        err.message
            .starts_with("metadata: cannot tell which cluster SpotDeployment payments/orphan"),
        "{}",
        err.message
    );
    assert_eq!((err.line, err.column), (14, 1));
}

#[test]
fn a_bad_metadata_name_is_reported_at_it_not_at_an_earlier_name_key() {
    let spec = r#"apiVersion: spot.io/v1beta1
kind: RolloutSpec
spotDeployment:
  clusterId: prod-us-east
  namespace: payments
  name: checkout
strategy:
  name: plain
metadata:
  name: -bad
"#;
    let err = error(spec);
    assert!(
        err.message
            .starts_with("metadata.name: `-bad` is not a valid Ocean CD name"),
        "{}",
        err.message
    );
    assert_eq!((err.line, err.column), (10, 3));

    // A top-level `name` is the one checked (and pointed at), after `strategy.name`.
    let strategy = "kind: Strategy\ncanary:\n  steps:\n    - name: phase-1\n      setWeight: 100\nname: bad!\n";
    let err = error(strategy);
    assert!(err.message.starts_with("name: `bad!`"), "{}", err.message);
    assert_eq!((err.line, err.column), (6, 1));

    // The CLI's wrapped form (block style): under the wrapper, its columns shifted back.
    let wrapped = "strategy:\n  canary:\n    steps:\n      - name: phase-1\n        setWeight: 100\n  metadata:\n    name: bad!\n";
    let err = error(wrapped);
    assert!(
        err.message.starts_with("metadata.name: `bad!`"),
        "{}",
        err.message
    );
    assert_eq!((err.line, err.column), (7, 5));
}

#[test]
fn an_error_inside_the_wrapped_form_in_flow_style_names_its_own_line_and_column() {
    // Weights must rise: the second `setWeight` (line 3) is the one at fault.
    let strategy = "# the CLI's form, flow style\nstrategy: {name: s, canary: {steps: [\n  {setWeight: 50}, {setWeight: 20}]}}\n";
    let err = error(strategy);
    assert!(err.message.contains("setWeight"), "{}", err.message);
    assert_eq!((err.line, err.column), (3, 21), "{}", err.message);
    // A bad name after `strategy.name` and `spotDeployment.name`.
    let spec = "rolloutSpec: {spotDeployment: {clusterId: prod-us-east, namespace: payments, name: checkout},\n  strategy: {name: plain}, metadata: {name: -bad}}\n";
    let err = error(spec);
    assert!(
        err.message.starts_with("metadata.name: `-bad`"),
        "{}",
        err.message
    );
    assert_eq!((err.line, err.column), (2, 39));
    // A quoted wrapper key.
    let quoted = "\"strategy\": {name: s, canary: {steps: [{setWeight: 50}, {setWeight: 20}]}}\n";
    assert_eq!((error(quoted).line, error(quoted).column), (1, 58));
}

/// Where `yaml` is refused, its message starting with `says`: (line, column).
fn refused_at(yaml: &str, says: &str) -> (usize, usize) {
    let err = error(yaml);
    assert!(err.message.starts_with(says), "{}", err.message);
    (err.line, err.column)
}

#[test]
fn kind_and_api_version_are_reported_at_the_documents_own_not_a_labels() {
    let service = "metadata:
  name: checkout-stable
  labels:
    kind: frontend
    apiVersion: v9
kind: Service
apiVersion: v2
spec:
  selector: {app: checkout}
  ports: [{port: 80}]
";
    assert_eq!(refused_at(service, "apiVersion: Service needs"), (7, 1));
    let unknown = service.replace("kind: Service", "kind: Servise");
    assert_eq!(refused_at(&unknown, "kind: unknown kind `Servise`"), (6, 1));
    let not_a_string = service.replace("kind: Service", "kind: [Service]");
    assert_eq!(refused_at(&not_a_string, "kind must be a string"), (6, 1));
    // Missing: the document's first key, past its comments.
    let no_api_version = format!("# a Service\n{}", service.replace("apiVersion: v2\n", ""));
    assert_eq!(refused_at(&no_api_version, "apiVersion is missing"), (2, 1));
    let no_kind = service
        .replace("kind: Service\n", "")
        .replace("metadata", "# c\nmetadata");
    assert_eq!(refused_at(&no_kind, "kind is missing"), (2, 1));
}

#[test]
fn strategy_blocks_are_reported_at_their_own_keys_not_a_labels() {
    let both = "kind: Strategy
metadata:
  name: s
  labels: {rolling: \"yes\", steps: \"2\"}
canary:
  steps:
    - setWeight: 100
rolling:
  steps:
    - pause: {}
";
    assert_eq!(refused_at(both, "rolling: a Strategy has either"), (8, 1));
    let no_steps =
        "kind: Strategy\nmetadata:\n  name: s\n  labels:\n    steps: \"2\"\ncanary:\n  steps: []\n";
    assert_eq!(refused_at(no_steps, "canary.steps: at least one"), (7, 3));
    let rolling = no_steps.replace("canary:", "rolling:");
    assert_eq!(refused_at(&rolling, "rolling.steps: at least one"), (7, 3));
    // Neither block: the Strategy's first key.
    let neither = "# nothing to do\nkind: Strategy\nname: s\n";
    assert_eq!(
        refused_at(neither, "a Strategy needs a canary or a rolling"),
        (2, 1)
    );
}

#[test]
fn empty_metrics_and_cluster_ids_are_reported_at_their_own_keys() {
    let template = "kind: VerificationTemplate
metadata:
  name: t
  labels: {metrics: \"1\", clusterIds: \"a\"}
metrics: []
";
    assert_eq!(refused_at(template, "metrics: at least one"), (5, 1));
    let provider = template
        .replace("VerificationTemplate", "VerificationProvider")
        .replace(
            "metrics: []",
            "prometheus: {address: http://p}\nclusterIds: []",
        );
    assert_eq!(refused_at(&provider, "clusterIds: at least one"), (6, 1));
    // Its alias `clusters`.
    let alias = provider.replace("clusterIds: []", "clusters: []");
    assert_eq!(refused_at(&alias, "clusterIds: at least one"), (6, 1));
    // Two provider blocks: the second.
    let two = provider.replace("clusterIds: []", "clusterIds: [c]\ndatadog: {}");
    assert_eq!(
        refused_at(&two, "a VerificationProvider has exactly one of"),
        (7, 1)
    );
}

/// A SpotDeployment whose pod template has an init container and an annotation first.
const SD_INIT_FIRST: &str = r#"apiVersion: spot.io/v1beta1
kind: SpotDeployment
spec:
  replicas: 1
  template:
    metadata:
      annotations:
        sim.rollout.dev/crash-loop: "false"
    spec:
      initContainers:
        - name: migrate
          image: busybox:1
      containers:
        - name: app
          image: ""
metadata:
  name: checkout
  namespace: payments
  annotations:
    sim.rollout.dev/crash-loop: "maybe"
"#;

#[test]
fn containers_and_images_are_reported_at_the_containers_not_the_init_containers() {
    assert_eq!(
        refused_at(SD_INIT_FIRST, "spec.template.spec.containers[0].image: the"),
        (15, 11)
    );
    let no_image = SD_INIT_FIRST.replace("          image: \"\"\n", "");
    assert!(error(&no_image).message.contains("image"));
    let none = SD_INIT_FIRST.replace(
        "      containers:\n        - name: app\n          image: \"\"\n",
        "      containers: []\n",
    );
    assert_eq!(
        refused_at(&none, "spec.template.spec.containers: at least one"),
        (13, 7)
    );
}

#[test]
fn simulator_annotations_are_reported_at_the_spot_deployments_own_not_the_pod_templates() {
    let yaml = SD_INIT_FIRST.replace("image: \"\"", "image: x:1");
    let (line, column) = refused_at(
        &yaml,
        "metadata.annotations.sim.rollout.dev/crash-loop: expected",
    );
    assert_eq!((line, column), (20, 5));
    assert_eq!(
        yaml.lines().nth(line - 1),
        Some("    sim.rollout.dev/crash-loop: \"maybe\"")
    );
}

#[test]
fn a_missing_name_is_reported_at_the_entity_start_or_the_empty_name() {
    // Nothing written: the entity's first key.
    let nameless = "# no name\nkind: Strategy\ncanary:\n  steps:\n    - setWeight: 100\n";
    assert_eq!(
        refused_at(nameless, "name: a Strategy needs a name"),
        (2, 1)
    );
    // Wrapped: the first key under the wrapper.
    let wrapped = "strategy:\n  canary:\n    steps:\n      - setWeight: 100\n";
    assert_eq!(refused_at(wrapped, "name: a Strategy needs a name"), (2, 3));
    // An empty `metadata.name`, after a step's `name`: that field.
    let empty = "kind: Strategy\ncanary:\n  steps:\n    - name: p\n      setWeight: 100\nmetadata:\n  name: \"\"\n";
    let says = "metadata.name: a Strategy needs a name";
    assert_eq!(refused_at(empty, says), (7, 3));
}
