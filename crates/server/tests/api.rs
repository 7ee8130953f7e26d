//! The API through `oneshot`: every endpoint, every error status, filters and paging, the
//! console's CSP and SPA fallback.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::*;
use rollout_server::ClockMode;
use serde_json::json;

const TOKEN: &str = "0123456789abcdef0123456789abcdef";

#[tokio::test]
async fn health_reports_the_real_settings() {
    let s = start(Setup {
        token: Some(TOKEN.into()),
        ..Default::default()
    })
    .await;
    let h = s.get("/api/v1/health").await.json();
    assert_eq!(h["status"], "ok");
    assert_eq!(h["authRequired"], true);
    assert_eq!(h["readOnly"], false);
    assert_eq!(h["manualClock"], true);
    assert_eq!(h["clusters"], 2);
    assert_eq!(h["rollouts"], 0);

    let ro = start(Setup {
        read_only: true,
        mode: ClockMode::Real { speed: 1.0 },
        ..Default::default()
    })
    .await;
    let h = ro.get("/api/v1/health").await.json();
    assert_eq!(h["readOnly"], true);
    assert_eq!(h["authRequired"], false);
    assert_eq!(h["manualClock"], false);
}

#[tokio::test]
async fn unknown_api_routes_are_json_404s() {
    let s = manual().await;
    for path in [
        "/api/v1/nope",
        "/api/v2/rollouts",
        "/api/v1/rollouts/x/y/z",
        "/api",
    ] {
        let a = s.get(path).await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{path}");
        assert!(
            a.header("content-type").starts_with("application/json"),
            "{path}"
        );
        assert!(!a.message().is_empty());
    }
    // A known route with the wrong method.
    let a = s.post("/api/v1/health", "application/json", "{}").await;
    assert_eq!(a.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(!a.message().is_empty());
}

#[tokio::test]
async fn unknown_ids_are_404() {
    let s = manual().await;
    for path in [
        "/api/v1/rollouts/rol-nope",
        "/api/v1/rollouts/rol-nope/events",
        "/api/v1/rollouts/rol-nope/resources",
        "/api/v1/rollouts/rol-nope/definition",
        "/api/v1/rollouts/rol-nope/manifests",
        "/api/v1/workloads/prod-us-east/payments/nope",
    ] {
        let a = s.get(path).await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{path}");
        assert!(a.message().contains("no "), "{path}: {}", a.message());
    }
    let a = s
        .post_json(
            "/api/v1/rollouts/rol-nope/actions",
            json!({"action": "promote"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    let a = s
        .post_json("/api/v1/clusters/nope/operator", json!({"running": false}))
        .await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn malformed_bodies_and_queries_are_400() {
    let s = manual().await;
    let id = s.start_example_rollout().await;
    let url = format!("/api/v1/rollouts/{id}/actions");
    for body in [
        "",
        "{",
        "[]",
        r#"{"action": "explode"}"#,
        r#"{"action": 3}"#,
        "\u{0}",
    ] {
        let a = s.post(&url, "application/json", body).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{body:?}");
        assert!(a.message().contains("invalid JSON body"), "{}", a.message());
    }
    let a = s
        .post(&url, "application/json", r#"{"action": "explode"}"#)
        .await;
    assert!(a.message().contains("unknown variant"), "{}", a.message());
    for q in [
        "?status=nope",
        "?limit=0",
        "?limit=10001",
        "?limit=x",
        "?from=yesterday",
        "?cursor=%%%",
        "?cursor=bm9wZQ",
    ] {
        let a = s.get(&format!("/api/v1/rollouts{q}")).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{q}");
        assert!(!a.message().is_empty());
    }
    // A `to` before `from` is an empty range, not an error.
    let empty = s
        .rollouts("?to=2020-01-01T00:00:00Z&from=2021-01-01T00:00:00Z")
        .await;
    assert_eq!(empty["total"], 0);
    let a = s
        .post_json("/api/v1/sim/advance", json!({"seconds": -5}))
        .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    for seconds in [json!(1.5), json!(1e300), json!("1")] {
        let a = s
            .post_json("/api/v1/sim/advance", json!({ "seconds": seconds }))
            .await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{seconds}");
    }
    let a = s
        .post_json("/api/v1/sim/advance", json!({"seconds": 60.0}))
        .await;
    assert_eq!(a.status, StatusCode::OK, "60.0 is a whole number");
    let a = s
        .post_json("/api/v1/sim/advance", json!({"seconds": 99_999_999}))
        .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    let a = s
        .post_json(
            "/api/v1/clusters/prod-us-east/operator",
            json!({"running": "yes"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    let a = s
        .post(
            "/api/v1/apply",
            "application/yaml",
            vec![0xff_u8, 0xfe, 0x00],
        )
        .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn mutations_need_the_token_when_one_is_set() {
    let s = start(Setup {
        token: Some(TOKEN.into()),
        ..Default::default()
    })
    .await;
    let mutations = [
        (
            "/api/v1/apply",
            "application/yaml",
            "kind: Nothing".to_string(),
        ),
        (
            "/api/v1/rollouts/rol-x/actions",
            "application/json",
            json!({"action": "pause"}).to_string(),
        ),
        (
            "/api/v1/sim/advance",
            "application/json",
            json!({"seconds": 1}).to_string(),
        ),
        (
            "/api/v1/clusters/staging-eu/operator",
            "application/json",
            json!({"running": true}).to_string(),
        ),
    ];
    for (path, ct, body) in &mutations {
        for auth in [
            None,
            Some("Bearer wrong"),
            Some(TOKEN),
            Some("Basic czNjcmV0"),
        ] {
            let mut req = Request::post(*path).header(header::CONTENT_TYPE, *ct);
            if let Some(a) = auth {
                req = req.header(header::AUTHORIZATION, a);
            }
            let a = s.send(req.body(Body::from(body.clone())).unwrap()).await;
            assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{path} {auth:?}");
            assert!(!a.message().is_empty());
        }
    }
    // The scheme is case-insensitive.
    let a = s
        .send(
            Request::post("/api/v1/sim/advance")
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::AUTHORIZATION, format!("bearer {TOKEN}"))
                .body(Body::from(r#"{"seconds":1}"#))
                .unwrap(),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK);
    // Reads need it too (the helper sends it); health does not.
    assert_eq!(s.get("/api/v1/rollouts").await.status, StatusCode::OK);
    let bare = s
        .send(
            Request::get("/api/v1/rollouts")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(bare.status, StatusCode::UNAUTHORIZED);
    let bare = s
        .send(Request::get("/api/v1/health").body(Body::empty()).unwrap())
        .await;
    assert_eq!(bare.status, StatusCode::OK);
    let a = s.advance(1).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let a = s
        .post_json(
            "/api/v1/clusters/staging-eu/operator",
            json!({"running": true}),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
}

#[tokio::test]
async fn read_only_refuses_every_mutation() {
    let s = start(Setup {
        read_only: true,
        token: Some(TOKEN.into()),
        ..Default::default()
    })
    .await;
    for (path, ct, body) in [
        ("/api/v1/apply", "application/yaml", app_v1()),
        (
            "/api/v1/rollouts/rol-x/actions",
            "application/json",
            json!({"action": "pause"}).to_string(),
        ),
        (
            "/api/v1/sim/advance",
            "application/json",
            json!({"seconds": 1}).to_string(),
        ),
        (
            "/api/v1/clusters/staging-eu/operator",
            "application/json",
            json!({"running": false}).to_string(),
        ),
    ] {
        let a = s.post(path, ct, body).await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{path}");
        assert!(a.message().contains("read-only"));
    }
    assert_eq!(s.get("/api/v1/health").await.json()["readOnly"], true);
}

#[tokio::test]
async fn wrong_content_types_are_415_and_cross_site_is_403() {
    let s = manual().await;
    // A plain HTML form can send text/plain and form encodings: /apply takes neither.
    for ct in ["text/plain", "text/plain; charset=utf-8", "text/yaml"] {
        let a = s.post("/api/v1/apply", ct, app_v1()).await;
        assert_eq!(a.status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{ct}");
    }
    let a = s
        .post("/api/v1/apply", "application/x-www-form-urlencoded", "a=b")
        .await;
    assert_eq!(a.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let a = s
        .send(
            Request::post("/api/v1/sim/advance")
                .body(Body::from(r#"{"seconds":1}"#))
                .unwrap(),
        )
        .await;
    assert_eq!(
        a.status,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "no content type"
    );
    for ct in [
        "text/plain",
        "multipart/form-data; boundary=x",
        "application/yaml",
    ] {
        let a = s.post("/api/v1/sim/advance", ct, r#"{"seconds":1}"#).await;
        assert_eq!(a.status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{ct}");
        assert!(!a.message().is_empty());
    }
    // Parameters and case do not matter.
    let a = s
        .post(
            "/api/v1/sim/advance",
            "Application/JSON; charset=utf-8",
            r#"{"seconds":1}"#,
        )
        .await;
    assert_eq!(a.status, StatusCode::OK);
    for ct in ["application/yaml; charset=utf-8", "application/json"] {
        let a = s.post("/api/v1/apply", ct, app_v1()).await;
        assert_eq!(a.status, StatusCode::OK, "{ct}: {}", a.text());
    }
    let a = s
        .send(
            Request::post("/api/v1/sim/advance")
                .header(header::CONTENT_TYPE, "application/json")
                .header("sec-fetch-site", "cross-site")
                .body(Body::from(r#"{"seconds":1}"#))
                .unwrap(),
        )
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn huge_bodies_are_413() {
    let s = manual().await;
    let big = format!("# {}\n", "x".repeat(3 * 1024 * 1024));
    let a = s.post("/api/v1/apply", "application/yaml", big).await;
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(a.message().contains("larger"));
    let big_json = format!(
        r#"{{"action":"pause","actor":"{}"}}"#,
        "a".repeat(3 * 1024 * 1024)
    );
    let a = s
        .post(
            "/api/v1/rollouts/rol-x/actions",
            "application/json",
            big_json,
        )
        .await;
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn apply_errors_are_422_with_the_place() {
    let s = manual().await;
    let bad = "apiVersion: spot.io/v1beta1\nkind: Strategy\nname: s\ncanary:\n  steps:\n    - setWeight: 20\n      colour: blue\n";
    let a = s.apply(&format!("{}\n---\n{bad}", EXAMPLES[0])).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.text());
    let e = a.json();
    assert!(!e["message"].as_str().unwrap().is_empty());
    // The first example file holds two Services, so the bad Strategy is the third document.
    assert_eq!(e["document"], 3, "{e}");
    assert!(e["line"].as_u64().unwrap() >= 1, "{e}");
    assert!(e["column"].as_u64().is_some(), "{e}");
    // Not YAML at all.
    let a = s.apply("kind: [unclosed").await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    // All or nothing: the valid first document was not applied.
    assert_eq!(s.get("/api/v1/workloads").await.json(), json!([]));
}

#[tokio::test]
async fn a_422_names_the_line_of_the_unknown_cluster_not_an_earlier_key_of_that_name() {
    let s = manual().await;
    let strategy = "kind: Strategy\nname: plain\ncanary:\n  steps:\n    - setWeight: 100\n";
    // Line 11 of the stream is the labels' `clusterId`, line 13 the real one.
    let spec = "kind: RolloutSpec\nmetadata:\n  name: checkout-rollout\n  labels:\n    clusterId: prod-us-east\nspotDeployment:\n  clusterId: mars\n  namespace: payments\n  name: checkout\nstrategy:\n  name: plain\n";
    let a = s.apply(&format!("{strategy}---\n{spec}")).await;
    assert_422_at(
        a,
        "spotDeployment.clusterId: unknown cluster `mars`",
        [2, 13, 3],
    );
}

/// A 422 whose message starts with `says`, at `[document, line, column]`.
fn assert_422_at(a: Answer, says: &str, at: [u64; 3]) {
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.text());
    let e = a.json();
    assert!(e["message"].as_str().unwrap().starts_with(says), "{e}");
    assert_eq!([&e["document"], &e["line"], &e["column"]], at, "{e}");
}

#[tokio::test]
async fn a_422_names_the_containers_image_not_an_earlier_init_containers() {
    let s = manual().await;
    let strategy = "kind: Strategy\nname: plain\ncanary:\n  steps:\n    - setWeight: 100\n";
    // Line 18 of the stream is the init container's `image`, line 21 the empty one.
    let sd = "apiVersion: spot.io/v1beta1\nkind: SpotDeployment\nmetadata:\n  name: checkout\n  namespace: payments\nspec:\n  replicas: 1\n  template:\n    spec:\n      initContainers:\n        - name: migrate\n          image: busybox:1\n      containers:\n        - name: app\n          image: \"\"\n";
    let yaml = format!("{strategy}---\n{sd}");
    let says = "spec.template.spec.containers[0].image: the image is empty";
    assert_422_at(s.apply(&yaml).await, says, [2, 21, 11]);
    // The dry run's plan names the same place.
    let a = s
        .post("/api/v1/apply?dryRun=true", "application/yaml", yaml)
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let bad = &a.json()["documents"][1];
    assert_eq!([&bad["line"], &bad["column"]], [21, 11], "{bad}");
}

#[tokio::test]
async fn a_rollout_from_apply_to_promotion() {
    let s = manual().await;
    let first = s.apply_ok(&app_v1()).await;
    let kinds: Vec<&str> = first["applied"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"SpotDeployment") && kinds.contains(&"Strategy"),
        "{first}"
    );
    s.advance(60).await;
    let resp = s.apply_ok(V2).await;
    let id = resp["rolloutsStarted"][0]
        .as_str()
        .expect("a rollout started")
        .to_string();
    assert!(id.starts_with("rol-"));

    let d = s.get(&format!("/api/v1/rollouts/{id}")).await;
    assert_eq!(d.status, StatusCode::OK);
    let d = d.json();
    assert_eq!(d["spotDeployment"]["name"], "checkout");
    assert_eq!(d["clusterId"], "prod-us-east");
    assert_eq!(d["strategyName"], "canary-20-50-100");
    assert!(d["phases"].as_array().unwrap().len() >= 3);
    assert!(d["actions"].as_array().unwrap().len() == 6);

    s.advance(30).await;
    let events = s.get(&format!("/api/v1/rollouts/{id}/events")).await.json();
    let events = events["events"].as_array().unwrap();
    assert!(!events.is_empty());
    let times: Vec<&str> = events
        .iter()
        .map(|e| e["lastTimestamp"].as_str().unwrap())
        .collect();
    let mut sorted = times.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(times, sorted, "events are newest first");

    let r = s
        .get(&format!("/api/v1/rollouts/{id}/resources"))
        .await
        .json();
    assert!(!r["pods"].as_array().unwrap().is_empty(), "{r}");
    let def = s
        .get(&format!("/api/v1/rollouts/{id}/definition"))
        .await
        .json();
    assert!(
        def["strategy"].as_str().unwrap().contains("setWeight"),
        "{def}"
    );
    let m = s
        .get(&format!("/api/v1/rollouts/{id}/manifests"))
        .await
        .json();
    assert!(
        m["newManifest"]
            .as_str()
            .unwrap()
            .contains("checkout:1.42.0"),
        "{m}"
    );
    assert!(
        m["oldManifest"]
            .as_str()
            .unwrap()
            .contains("checkout:1.41.0"),
        "{m}"
    );

    // Retry is only for completed rollouts: refused with 409 and a reason.
    let a = s
        .post_json(
            &format!("/api/v1/rollouts/{id}/actions"),
            json!({"action": "retry"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::CONFLICT, "{}", a.text());
    assert!(!a.message().is_empty());

    let a = s
        .post_json(
            &format!("/api/v1/rollouts/{id}/actions"),
            json!({"action": "promoteFull", "actor": "alice"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    assert_eq!(a.json()["id"], id.as_str());
    s.advance(600).await;
    let d = s.get(&format!("/api/v1/rollouts/{id}")).await.json();
    assert_eq!(d["status"], "finished", "{}", d["status"]);

    let w = s
        .get("/api/v1/workloads/prod-us-east/payments/checkout")
        .await;
    assert_eq!(w.status, StatusCode::OK);
    let w = w.json();
    assert_eq!(w["desiredRevision"], w["liveRevision"]);
    assert!(w["revisions"].as_array().unwrap().len() >= 2);
    assert_eq!(w["kind"], "SpotDeployment");
    assert!(!w["container"].as_str().unwrap().is_empty(), "{w}");
    assert!(w["replicas"]["desired"].as_u64().unwrap() > 0, "{w}");
    assert_eq!(w["replicas"]["ready"], w["replicas"]["desired"], "{w}");
    let m = s
        .get("/api/v1/workloads/prod-us-east/payments/checkout/manifest")
        .await
        .json();
    assert_eq!(m["revision"], w["desiredRevision"]);
    assert!(
        m["yaml"].as_str().unwrap().contains("checkout:1.42.0"),
        "{m}"
    );
    assert_eq!(
        s.get("/api/v1/workloads/prod-us-east/payments/nope/manifest")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let all = s.get("/api/v1/workloads").await.json();
    assert_eq!(all.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn clusters_and_the_operator_switch() {
    let s = manual().await;
    let list = s.get("/api/v1/clusters").await.json();
    let ids: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["prod-us-east", "staging-eu"]);
    let a = s
        .post_json(
            "/api/v1/clusters/staging-eu/operator",
            json!({"running": false}),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.json()["operator"]["running"], false);
    let list = s.get("/api/v1/clusters").await.json();
    assert_eq!(list[1]["operator"]["running"], false);
}

#[tokio::test]
async fn sim_advance_needs_the_manual_clock() {
    let real = start(Setup {
        mode: ClockMode::Real { speed: 1.0 },
        ..Default::default()
    })
    .await;
    let a = real.advance(10).await;
    assert_eq!(a.status, StatusCode::CONFLICT);
    assert!(a.message().contains("--manual-clock"));

    let s = manual().await;
    let before = s.get("/api/v1/health").await.json()["now"]
        .as_str()
        .unwrap()
        .to_string();
    let h = s.advance(90).await.json();
    let parse = |t: &str| chrono::DateTime::parse_from_rfc3339(t).unwrap();
    assert_eq!(
        (parse(h["now"].as_str().unwrap()) - parse(&before)).num_seconds(),
        90
    );
    // The clock stays put without an advance.
    assert_eq!(s.get("/api/v1/health").await.json()["now"], h["now"]);
}

#[tokio::test]
async fn list_filters_search_and_pages() {
    let s = manual().await;
    s.start_example_rollout().await;
    s.advance(3600).await;
    // Two more rollouts: a new image each.
    for v in ["1.43.0", "1.44.0"] {
        s.apply_ok(&V2.replace("1.42.0", v)).await;
        s.advance(3600).await;
    }
    let all = s.rollouts("").await;
    assert_eq!(all["total"], 3, "{all}");
    assert_eq!(all["summary"]["total"], 3);
    let items = all["items"].as_array().unwrap();
    assert!(
        items[0]["image"].as_str().unwrap().ends_with("1.44.0"),
        "newest first"
    );
    assert!(all["nextCursor"].is_null());

    let p1 = s.rollouts("?limit=2").await;
    assert_eq!(p1["items"].as_array().unwrap().len(), 2);
    assert_eq!(p1["total"], 3);
    assert_eq!(p1["summary"]["total"], 3, "the summary covers every match");
    let cursor = p1["nextCursor"].as_str().expect("a next page");
    let p2 = s.rollouts(&format!("?limit=2&cursor={cursor}")).await;
    assert_eq!(p2["items"].as_array().unwrap().len(), 1);
    assert!(p2["nextCursor"].is_null());
    assert!(p2["items"][0]["image"]
        .as_str()
        .unwrap()
        .ends_with("1.42.0"));

    assert_eq!(s.rollouts("?q=CHECKOUT:1.43").await["total"], 1);
    assert_eq!(s.rollouts("?q=canary-20-50").await["total"], 3);
    assert_eq!(s.rollouts("?q=checkout-rollout").await["total"], 3);
    assert_eq!(s.rollouts("?q=nothing-like-this").await["total"], 0);
    assert_eq!(s.rollouts("?clusterId=prod-us-east").await["total"], 3);
    assert_eq!(s.rollouts("?clusterId=staging-eu").await["total"], 0);
    assert_eq!(s.rollouts("?namespace=payments").await["total"], 3);
    assert_eq!(s.rollouts("?spotDeployment=checkout").await["total"], 3);
    assert_eq!(s.rollouts("?spotDeployment=cart").await["total"], 0);
    let ok = s.rollouts("?status=successful").await;
    assert_eq!(ok["total"], 3, "{ok}");
    assert_eq!(ok["summary"]["successRate"], 100.0);
    assert_eq!(s.rollouts("?status=failed").await["total"], 0);
    assert_eq!(s.rollouts("?status=successful,failed").await["total"], 3);
    assert_eq!(
        s.rollouts("?to=2000-01-01T00:00:00Z&from=1999-01-01T00:00:00Z")
            .await["total"],
        0
    );
}

#[tokio::test]
async fn openapi_describes_every_route() {
    let s = manual().await;
    let doc = s.get("/api/v1/openapi.json").await.json();
    assert_eq!(doc["openapi"], "3.1.0");
    for path in [
        "/health",
        "/rollouts",
        "/rollouts/{id}",
        "/rollouts/{id}/events",
        "/rollouts/{id}/resources",
        "/rollouts/{id}/definition",
        "/rollouts/{id}/manifests",
        "/rollouts/{id}/actions",
        "/workloads",
        "/workloads/{clusterId}/{namespace}/{name}",
        "/workloads/{clusterId}/{namespace}/{name}/manifest",
        "/clusters",
        "/clusters/{id}/events",
        "/clusters/{id}/operator",
        "/apply",
        "/stream",
        "/openapi.json",
        "/audit",
        "/sim/advance",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} missing");
    }
    for status in ["400", "401", "403", "404", "409", "413", "415"] {
        assert!(
            doc["paths"]["/rollouts/{id}/actions"]["post"]["responses"][status].is_object(),
            "{status}"
        );
    }
    assert!(doc["paths"]["/apply"]["post"]["responses"]["422"].is_object());
}

#[tokio::test]
async fn the_console_has_a_csp_and_deep_links_fall_back_to_index() {
    let dist = fake_dist();
    let s = start(Setup {
        dist: dist.path().to_path_buf(),
        ..Default::default()
    })
    .await;
    let a = s.get("/rollouts/rol-abc123").await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(a.text().contains("<!doctype html>"));
    let csp = a.header("content-security-policy");
    assert!(csp.contains("'wasm-unsafe-eval'"), "{csp}");
    assert!(
        csp.contains("'sha256-"),
        "the inline script is allowed by hash: {csp}"
    );
    assert!(!csp.contains("unsafe-inline"));
    assert_eq!(a.header("x-content-type-options"), "nosniff");
    assert_eq!(a.header("x-frame-options"), "DENY");
    let root = s.get("/").await;
    assert_eq!(root.status, StatusCode::OK);
    assert!(root.text().contains("init()"));
    let js = s.get("/app.js").await;
    assert_eq!(js.status, StatusCode::OK);
    assert!(js.text().contains("export default"));
    // The page is revalidated; hashed assets are cached for good and sent compressed.
    assert_eq!(root.header("cache-control"), "no-cache");
    let asset = s
        .send(
            Request::get("/app-0123456789abcdef.js")
                .header("accept-encoding", "gzip")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(asset.status, StatusCode::OK);
    assert_eq!(asset.header("content-encoding"), "gzip");
    assert_eq!(
        asset.header("cache-control"),
        "public, max-age=31536000, immutable"
    );
    // Brotli when accepted (the file the build wrote), gzip for a browser without it.
    let br = s
        .send(
            Request::get("/app-0123456789abcdef.js")
                .header("accept-encoding", "gzip, deflate, br, zstd")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(br.header("content-encoding"), "br");
    assert_eq!(br.body, BROTLI_STAND_IN);
    assert!(
        br.header("vary").contains("accept-encoding"),
        "{}",
        br.header("vary")
    );
    // The page itself is compressed too (per request: it is small and not a file).
    let page = s
        .send(
            Request::get("/rollouts")
                .header("accept-encoding", "br")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(page.header("content-encoding"), "br");
    assert_eq!(page.header("cache-control"), "no-cache");
    let plain = s.get("/app-0123456789abcdef.js").await;
    assert_eq!(plain.header("content-encoding"), "");
    assert!(plain.text().contains("export default"));
    // A missing asset is a real 404, not the page.
    assert_eq!(s.get("/missing.js").await.status, StatusCode::NOT_FOUND);
    // The API answers carry the headers too, and never fall back to the page.
    let h = s.get("/api/v1/health").await;
    assert!(h
        .header("content-security-policy")
        .contains("default-src 'self'"));
    assert_eq!(
        s.get("/api/v1/rollouts/rol-abc123").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_route_gets_the_page_the_build_compressed_when_brotli_is_accepted() {
    let dist = fake_dist();
    let page_br = b"brotli bytes of index.html";
    std::fs::write(dist.path().join("index.html.br"), page_br).unwrap();
    // A second dist whose index.html.br is older than its page (left by an earlier build).
    let stale = fake_dist();
    let old = stale.path().join("index.html.br");
    std::fs::write(&old, page_br).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&old)
        .unwrap()
        .set_modified(std::time::SystemTime::UNIX_EPOCH)
        .unwrap();
    let page = |encoding: &str| {
        Request::get("/workloads")
            .header("accept-encoding", encoding)
            .body(Body::empty())
            .unwrap()
    };
    let s = start(Setup {
        dist: dist.path().to_path_buf(),
        ..Default::default()
    })
    .await;
    let br = s.send(page("gzip, deflate, br, zstd")).await;
    assert_eq!(br.status, StatusCode::OK);
    assert_eq!(br.header("content-encoding"), "br");
    assert_eq!(br.body, page_br, "the build's file, not compressed again");
    assert!(br.header("vary").contains("accept-encoding"));
    assert!(br.header("content-type").starts_with("text/html"));
    assert!(br.header("content-security-policy").contains("'sha256-"));
    // Without brotli: the page, compressed per request or not at all.
    for encoding in ["gzip", "gzip, br;q=0"] {
        let gz = s.send(page(encoding)).await;
        assert_eq!(gz.header("content-encoding"), "gzip", "{encoding}");
    }
    assert!(s.get("/workloads").await.text().contains("<!doctype html>"));
    let s = start(Setup {
        dist: stale.path().to_path_buf(),
        ..Default::default()
    })
    .await;
    let fresh = s.send(page("br")).await;
    assert_eq!(fresh.header("content-encoding"), "br");
    assert_ne!(fresh.body, page_br, "a stale file is not sent");
}

#[tokio::test]
async fn without_a_console_pages_say_so() {
    let s = manual().await;
    let a = s.get("/rollouts").await;
    assert_eq!(a.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(a.text().contains("Console not built"));
}
