//! Fuzzing the HTTP surface (proptest): whatever the body of `/apply` or an action, whatever the
//! query of `/rollouts` or an id in a path, the answer is a 2xx or a 4xx with a JSON `{message}`
//! — never a 5xx, a panic or a stall — and the server keeps serving.

mod common;
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use common::*;
use proptest::prelude::*;
use std::time::{Duration, Instant};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

/// A server with the example application applied and a rollout running.
fn server(rt: &tokio::runtime::Runtime) -> TestServer {
    rt.block_on(async {
        let s = manual().await;
        s.start_example_rollout().await;
        s
    })
}

fn check(a: &Answer, what: &str, took: Duration) {
    assert!(
        a.status.is_success() || a.status.is_client_error(),
        "{what}: {} {}",
        a.status,
        a.text()
    );
    if !a.status.is_success() {
        let v: serde_json::Value = serde_json::from_slice(&a.body)
            .unwrap_or_else(|e| panic!("{what}: not JSON ({e}): {}", a.text()));
        assert!(v["message"].is_string(), "{what}: {v}");
    }
    assert!(took < Duration::from_secs(2), "{what}: took {took:?}");
}

fn send(rt: &tokio::runtime::Runtime, s: &TestServer, req: Request<Body>, what: &str) -> Answer {
    let started = Instant::now();
    let a = rt.block_on(s.send(req));
    check(&a, what, started.elapsed());
    a
}

/// YAML-ish text: the example documents with values swapped for hostile ones.
fn mutated_yaml() -> impl Strategy<Value = String> {
    let values = prop_oneof![
        Just("9000000000000".to_string()),
        Just("-1".to_string()),
        Just("1e400".to_string()),
        Just("~".to_string()),
        Just("[]".to_string()),
        Just("{}".to_string()),
        Just("*undefined".to_string()),
        Just("&a [*a]".to_string()),
        Just("\"\\u0000\"".to_string()),
        Just("!!binary aGVsbG8=".to_string()),
        Just("NaN".to_string()),
        Just("99999999999999999999999h".to_string()),
        "[a-zA-Z0-9 ./:_-]{0,40}",
        any::<i64>().prop_map(|n| n.to_string()),
    ];
    (
        0..EXAMPLES.len() + 1,
        proptest::collection::vec((any::<prop::sample::Index>(), values), 1..4),
    )
        .prop_map(|(doc, swaps)| {
            let text = if doc == EXAMPLES.len() {
                V2.to_string()
            } else {
                EXAMPLES[doc].to_string()
            };
            let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
            for (at, value) in swaps {
                let i = at.index(lines.len());
                if let Some((key, _)) = lines[i].split_once(": ") {
                    lines[i] = format!("{key}: {value}");
                } else {
                    lines[i] = format!("{}{value}", lines[i]);
                }
            }
            lines.join("\n")
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn apply_answers_every_body_with_a_2xx_or_4xx(
        yaml in prop_oneof![
            mutated_yaml(),
            proptest::collection::vec(any::<u8>(), 0..600)
                .prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
            "(kind: |name: |  - |---\n|&x |\\*x |\\{|\\[|: |[a-z]{1,6}|\n){0,60}",
        ],
        content_type in prop_oneof![
            Just("application/yaml"),
            Just("application/json"),
            Just("text/plain"),
            Just("application/x-www-form-urlencoded"),
        ],
    ) {
        thread_local! {
            static RT: tokio::runtime::Runtime = runtime();
        }
        RT.with(|rt| {
            let s = server(rt);
            let post = |uri: &str| {
                Request::builder()
                    .method(Method::POST)
                    .uri(uri)
                    .header(header::CONTENT_TYPE, content_type)
                    .body(Body::from(yaml.clone()))
                    .unwrap()
            };
            // The dry run first: it must agree with the apply that follows.
            let plan = send(rt, &s, post("/api/v1/apply?dryRun=true"), "dry run");
            let a = send(rt, &s, post("/api/v1/apply"), "apply");
            if a.status == StatusCode::UNPROCESSABLE_ENTITY {
                let v = a.json();
                prop_assert!(v["document"].as_u64().unwrap_or(0) >= 1, "{}", v);
                prop_assert!(v["line"].as_u64().unwrap_or(0) >= 1, "{}", v);
            }
            if plan.status == StatusCode::OK {
                let p: rollout_api::ApplyPlan = serde_json::from_slice(&plan.body)
                    .unwrap_or_else(|e| panic!("not a plan ({e}): {}", plan.text()));
                let lines = yaml.lines().count().max(1);
                for d in &p.documents {
                    if d.outcome == rollout_api::PlannedOutcome::Invalid {
                        let line = d.line.unwrap_or(0);
                        prop_assert!(line >= 1 && line <= lines, "{:?} in {} lines", d, lines);
                    }
                }
                // Valid plan ⇔ the apply succeeded; else the document the apply names is one
                // the plan marks invalid, at the same line.
                prop_assert_eq!(p.valid(), a.status == StatusCode::OK, "{:?} / {}", p, a.text());
                if !p.valid() {
                    let v = a.json();
                    let named = p
                        .documents
                        .iter()
                        .find(|d| Some(d.index as u64) == v["document"].as_u64());
                    prop_assert!(
                        named.is_some_and(|d| d.outcome == rollout_api::PlannedOutcome::Invalid
                            && d.line.map(|l| l as u64) == v["line"].as_u64()),
                        "{:?} / {}", p, v
                    );
                }
            } else {
                prop_assert_eq!(plan.status, a.status, "{} / {}", plan.text(), a.text());
            }
            // The server still moves and answers.
            let a = send(rt, &s, Request::post("/api/v1/sim/advance")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(r#"{"seconds":30}"#)).unwrap(), "advance");
            prop_assert_eq!(a.status, StatusCode::OK);
            Ok(())
        })?;
    }

    #[test]
    fn every_query_parameter_and_path_answers_with_a_2xx_or_4xx(
        params in proptest::collection::vec(
            (
                prop_oneof![
                    Just("from"), Just("to"), Just("clusterId"), Just("namespace"),
                    Just("spotDeployment"), Just("status"), Just("q"), Just("limit"),
                    Just("cursor"), Just("lastEventId"), Just("unknown"), Just("actor"),
                    Just("action"), Just("format"), Just("rolloutId"), Just("dryRun"),
                ],
                prop_oneof![
                    "[ -~]{0,30}",
                    any::<i64>().prop_map(|n| n.to_string()),
                    Just("9999-12-31T23:59:59Z".to_string()),
                    Just("-262144-01-01T00:00:00Z".to_string()),
                    Just("18446744073709551616".to_string()),
                    Just("%ZZ".to_string()),
                ],
            ),
            0..5,
        ),
        id in "[ -~]{0,24}",
        body in "[ -~]{0,80}",
    ) {
        thread_local! {
            static RT: tokio::runtime::Runtime = runtime();
            static S: std::cell::OnceCell<TestServer> = const { std::cell::OnceCell::new() };
        }
        RT.with(|rt| S.with(|cell| {
            let s = cell.get_or_init(|| server(rt));
            let enc = |v: &str| -> String {
                v.bytes()
                    .map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") })
                    .collect()
            };
            let query: Vec<String> = params.iter().map(|(k, v)| format!("{k}={}", enc(v))).collect();
            let uri = format!("/api/v1/rollouts?{}", query.join("&"));
            send(rt, s, Request::get(uri.as_str()).body(Body::empty()).unwrap(), &uri);
            let uri = format!("/api/v1/audit?{}", query.join("&"));
            send(rt, s, Request::get(uri.as_str()).body(Body::empty()).unwrap(), &uri);
            let uri = format!("/api/v1/apply?{}", query.join("&"));
            let req = Request::post(uri.as_str())
                .header(header::CONTENT_TYPE, "application/yaml")
                .body(Body::from(body.clone()))
                .unwrap();
            send(rt, s, req, &uri);
            let id = enc(&id);
            for path in [
                format!("/api/v1/rollouts/{id}"),
                format!("/api/v1/rollouts/{id}/events"),
                format!("/api/v1/rollouts/{id}/resources"),
                format!("/api/v1/rollouts/{id}/definition"),
                format!("/api/v1/rollouts/{id}/manifests"),
                format!("/api/v1/workloads/{id}/{id}/{id}"),
                format!("/api/v1/workloads/{id}/{id}/{id}/manifest"),
            ] {
                send(rt, s, Request::get(path.as_str()).body(Body::empty()).unwrap(), &path);
            }
            for (path, content) in [
                (format!("/api/v1/rollouts/{id}/actions"), body.clone()),
                ("/api/v1/sim/advance".to_string(), body.clone()),
                (format!("/api/v1/clusters/{id}/operator"), body.clone()),
                ("/api/v1/sim/advance".to_string(), format!("{{\"seconds\":{}}}", body.len() * 1_000_000_000)),
            ] {
                let req = Request::post(path.as_str())
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(Body::from(content))
                    .unwrap();
                send(rt, s, req, &path);
            }
            Ok::<(), TestCaseError>(())
        }))?;
    }
}
