//! `serve --demo`: the catalogue of docs/contract.md, exactly, from the real engine.

mod common;

use common::*;
use serde_json::Value;
use std::collections::HashMap;

async fn demo() -> TestServer {
    start(Setup {
        demo: true,
        ..Default::default()
    })
    .await
}

async fn detail(s: &TestServer, name: &str) -> Value {
    let r = s.rollout_of(name).await;
    let id = r["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no rollout of {name}"));
    s.get(&format!("/api/v1/rollouts/{id}")).await.json()
}

#[tokio::test]
async fn the_demo_catalogue_is_in_the_named_states() {
    let started = std::time::Instant::now();
    let s = demo().await;
    eprintln!("demo seeded in {:.1?}", started.elapsed());

    let clusters = s.get("/api/v1/clusters").await.json();
    let names: Vec<(&str, &str, &str)> = clusters
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap(),
                c["name"].as_str().unwrap(),
                c["cloudProvider"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        names,
        [
            ("prod-us-east", "Production US East", "AWS"),
            ("staging-eu", "Staging EU West", "GCP")
        ]
    );

    let expect: &[(&str, &str, &str, &[&str])] = &[
        ("checkout", "prod-us-east", "payments", &["inProgress"]),
        ("cart", "prod-us-east", "payments", &["paused"]),
        ("search", "prod-us-east", "storefront", &["paused"]),
        (
            "recommendations",
            "prod-us-east",
            "storefront",
            &["verifying", "backgroundVerifying"],
        ),
        (
            "inventory",
            "prod-us-east",
            "warehouse",
            &["failurePolicyPaused"],
        ),
        ("payments-api", "prod-us-east", "payments", &["failed"]),
        ("pricing", "prod-us-east", "storefront", &["aborted"]),
        (
            "notifications",
            "prod-us-east",
            "messaging",
            &["invalidSpec"],
        ),
        ("catalog", "prod-us-east", "storefront", &["inProgress"]),
        ("user-profile", "prod-us-east", "identity", &["verifying"]),
        ("reporting", "staging-eu", "analytics", &["inProgress"]),
        ("ingest", "staging-eu", "analytics", &["pending"]),
        ("frontend", "staging-eu", "web", &["finished"]),
    ];
    let mut problems = Vec::new();
    for (name, cluster, ns, statuses) in expect {
        let d = detail(&s, name).await;
        let status = d["status"].as_str().unwrap_or("?");
        if !statuses.contains(&status) || d["clusterId"] != *cluster || d["namespace"] != *ns {
            problems.push(format!(
                "{name}: {status} in {}/{}",
                d["clusterId"], d["namespace"]
            ));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");

    let checkout = detail(&s, "checkout").await;
    assert_eq!(
        checkout["newVersionStatus"]["trafficPercentage"], 20,
        "{}",
        checkout["newVersionStatus"]
    );
    assert_eq!(
        checkout["newVersionStatus"]["version"],
        "registry.example.com/payments/checkout:1.42.0"
    );

    let cart = detail(&s, "cart").await;
    let paused = &cart["conditions"]["paused"];
    assert_eq!(paused["kind"], "window", "{paused}");
    let t = |v: &Value| chrono::DateTime::parse_from_rfc3339(v.as_str().unwrap()).unwrap();
    let now = t(&s.get("/api/v1/health").await.json()["now"]);
    let since = (now - t(&paused["pausedAt"])).num_seconds();
    assert!((60..=180).contains(&since), "paused {since}s ago");
    assert_eq!(
        (t(&paused["until"]) - t(&paused["pausedAt"])).num_minutes(),
        15
    );

    assert_eq!(
        detail(&s, "search").await["conditions"]["paused"]["kind"],
        "indefinite"
    );
    assert!(detail(&s, "recommendations").await["hasBackgroundVerification"] == true);
    assert!(detail(&s, "payments-api").await["conditions"]["degraded"].is_string());
    let pricing = detail(&s, "pricing").await;
    assert_eq!(
        pricing["failureReason"]["type"], "phaseVerification",
        "{}",
        pricing["failureReason"]
    );
    let notifications = detail(&s, "notifications").await;
    assert!(
        notifications["conditions"]["invalidSpec"]
            .as_str()
            .unwrap_or("")
            .contains("notifications-preview"),
        "{}",
        notifications["conditions"]
    );
    let profile = detail(&s, "user-profile").await;
    assert!(
        profile["conditions"]["verificationDataMissing"].is_object(),
        "{}",
        profile["conditions"]
    );
    let reporting = detail(&s, "reporting").await;
    assert_eq!(
        reporting["conditions"]["heartbeatLost"]["duringRollout"], true,
        "{}",
        reporting["conditions"]
    );
    let ingest = detail(&s, "ingest").await;
    assert!(ingest["conditions"]["pendingReason"].is_string());
    assert_eq!(detail(&s, "frontend").await["strategyType"], "rolling");

    // catalog: the newest is running, the one before it was canceled by the re-apply.
    let list = s
        .rollouts("?spotDeployment=catalog&from=2000-01-01T00:00:00Z&limit=10")
        .await;
    let (new, old) = (&list["items"][0], &list["items"][1]);
    assert_eq!(old["status"], "canceled");
    let old_detail = s
        .get(&format!("/api/v1/rollouts/{}", old["id"].as_str().unwrap()))
        .await
        .json();
    assert_eq!(old_detail["newRolloutId"], new["id"]);

    // The week of history: about fifty completed rollouts of every outcome.
    let all = s.rollouts("?limit=10000").await;
    let items = all["items"].as_array().unwrap();
    let completed: Vec<&Value> = items
        .iter()
        .filter(|r| {
            ["finished", "failed", "aborted", "canceled"].contains(&r["status"].as_str().unwrap())
        })
        .collect();
    assert!(completed.len() >= 45, "{} completed", completed.len());
    let mut outcomes: HashMap<String, usize> = HashMap::new();
    for r in &completed {
        let reason = r["failureReason"]["type"].as_str().unwrap_or("none");
        *outcomes
            .entry(format!("{}/{reason}", r["status"].as_str().unwrap()))
            .or_default() += 1;
    }
    for key in [
        "finished/none",
        "aborted/phaseVerification",
        "failed/kubernetes",
        "aborted/manualRollback",
        "canceled/none",
    ] {
        assert!(outcomes.contains_key(key), "no {key} in {outcomes:?}");
    }
    let s7 = &all["summary"];
    assert!(s7["incidentsPrevented"].as_u64().unwrap() >= 5, "{s7}");
    assert!(s7["attentionNeeded"].as_u64().unwrap() >= 3, "{s7}");
}

#[tokio::test]
async fn with_the_manual_clock_the_demo_stays_put_until_advanced() {
    let s = demo().await;
    let before = detail(&s, "cart").await;
    let h1 = s.get("/api/v1/health").await.json();
    // No task moves a manual clock.
    assert!(s.core().spawn_ticker().is_none());
    assert_eq!(s.get("/api/v1/health").await.json()["now"], h1["now"]);
    assert_eq!(detail(&s, "cart").await, before);
    // Past the window, cart moves on by itself.
    s.advance(15 * 60).await;
    assert_ne!(detail(&s, "cart").await["status"], "paused");
}

#[tokio::test]
async fn the_demo_is_stored_whole_and_restored_instead_of_seeded_again() {
    let dir = tempfile::tempdir().unwrap();
    let setup = || Setup {
        demo: true,
        data_dir: Some(dir.path().to_path_buf()),
        ..Default::default()
    };
    let s = start(setup()).await;
    let list = s.rollouts("?limit=10000&from=2000-01-01T00:00:00Z").await;
    let workloads = s.get("/api/v1/workloads").await.json();
    let counts = s.core().store().unwrap().counts().await.unwrap();
    assert_eq!(counts.rollouts, list["total"].as_u64().unwrap() as usize);
    assert!(counts.events > 300, "{counts:?}");
    assert!(counts.actions >= 4, "{counts:?}");
    assert!(counts.entities > 20, "{counts:?}");
    drop(s);

    let s = start(setup()).await;
    assert_eq!(
        s.rollouts("?limit=10000&from=2000-01-01T00:00:00Z").await,
        list
    );
    assert_eq!(s.get("/api/v1/workloads").await.json(), workloads);
}
