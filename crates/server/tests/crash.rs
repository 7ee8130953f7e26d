//! `kill -9` while applies are in flight loses nothing that was acknowledged: the real binary
//! takes applies from several clients at once, is killed (SIGKILL) at a moment that differs from
//! round to round (right after an acknowledgement, or anywhere), and every apply it answered 2xx
//! is in the database (which passes SQLite's integrity check) and served again after a restart
//! on the same data dir, which then takes the next round.

mod common;

use common::process::{serve, Served};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

const CLIENTS: usize = 4;
/// Per client and round: bounds the test when the kill comes late.
const MAX_REQUESTS: usize = 400;
const ROUNDS: usize = 4;

const STRATEGY: &str = "kind: Strategy
name: crash-test
canary:
  steps:
    - setWeight: 50
      pause:
        duration: 1m
    - setWeight: 100
";

/// A RolloutSpec and the SpotDeployment it names, in one stream (one transaction).
fn app(name: &str, version: &str) -> String {
    format!(
        "kind: RolloutSpec
name: {name}
spotDeployment:
  clusterId: prod-us-east
  namespace: crash
  name: {name}
strategy:
  name: crash-test
---
apiVersion: spot.io/v1beta1
kind: SpotDeployment
metadata:
  name: {name}
  namespace: crash
spec:
  replicas: 2
  selector:
    matchLabels:
      app: {name}
  template:
    metadata:
      labels:
        app: {name}
    spec:
      containers:
        - name: app
          image: registry.example.com/{name}:{version}
"
    )
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into()
}

/// The status of an apply, or None when the connection failed (the server is gone).
fn apply(agent: &ureq::Agent, base: &str, yaml: &str) -> Option<u16> {
    agent
        .post(&format!("{base}/api/v1/apply"))
        .header("Content-Type", "application/yaml")
        .send(yaml)
        .ok()
        .map(|r| r.status().as_u16())
}

/// Milliseconds in `0..n` that differ from run to run.
fn jitter(n: u64) -> u64 {
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos() as u64;
    (nanos / 1000) % n
}

/// What the clients were told was applied: workload name → the newest acknowledged version.
type Acked = Arc<Mutex<BTreeMap<String, String>>>;

/// The server under test; whoever kills it takes it.
type Victim = Arc<Mutex<Option<Served>>>;

/// Several clients apply new workloads and new versions of the ones acknowledged, until the
/// server stops answering. With `kill_on_ack`, the first client acknowledged after `kill_at`
/// kills the server at once (the moment an acknowledged commit is most at risk). Returns the
/// number of requests each client sent.
fn load(
    base: &str,
    round: usize,
    acked: Acked,
    count: Arc<AtomicUsize>,
    victim: Victim,
    kill_on_ack: Option<Instant>,
) -> Vec<std::thread::JoinHandle<usize>> {
    (0..CLIENTS)
        .map(|c| {
            let (base, acked, count, victim) = (
                base.to_string(),
                acked.clone(),
                count.clone(),
                victim.clone(),
            );
            std::thread::spawn(move || {
                let agent = agent();
                let mut sent = 0;
                let mut mine: Vec<String> = Vec::new();
                for i in 0..MAX_REQUESTS {
                    // Every third request is a new version of one of this client's workloads.
                    let (name, version) = match mine.get(i / 3).filter(|_| i % 3 == 2) {
                        Some(name) => (name.clone(), format!("2.{round}.{i}")),
                        None => (format!("app-r{round}-c{c}-{i}"), "1.0.0".to_string()),
                    };
                    sent += 1;
                    match apply(&agent, &base, &app(&name, &version)) {
                        Some(status) if (200..300).contains(&status) => {
                            acked.lock().unwrap().insert(name.clone(), version);
                            if !mine.contains(&name) {
                                mine.push(name);
                            }
                            count.fetch_add(1, Ordering::SeqCst);
                            if kill_on_ack.is_some_and(|at| Instant::now() >= at) {
                                if let Some(s) = victim.lock().unwrap().take() {
                                    s.kill_9();
                                }
                            }
                        }
                        Some(status) => panic!("apply of {name} answered {status}"),
                        None => break,
                    }
                }
                sent
            })
        })
        .collect()
}

fn db_check(dir: &std::path::Path, acked: &BTreeMap<String, String>) {
    // Opening the database recovers its WAL, as the next server will.
    let conn = rusqlite::Connection::open(dir.join("rollouts.db")).expect("the database opens");
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    let mut stmt = conn
        .prepare(
            "SELECT name, yaml FROM entities WHERE kind = 'SpotDeployment' AND namespace = 'crash'",
        )
        .unwrap();
    let stored: BTreeMap<String, String> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for (name, version) in acked {
        let yaml = stored
            .get(name)
            .unwrap_or_else(|| panic!("{name} was acknowledged but is not in the database"));
        // A later, unacknowledged version may have been committed before the kill.
        let image = format!("registry.example.com/{name}:");
        let at = yaml.find(&image).unwrap() + image.len();
        let on_disk = yaml[at..].lines().next().unwrap().trim();
        assert!(
            on_disk == version || newer(on_disk, version),
            "{name}: acknowledged {version}, stored {on_disk}"
        );
    }
}

/// Versions are `1.0.0` then `2.ROUND.I`, growing.
fn newer(a: &str, b: &str) -> bool {
    let parse = |v: &str| -> Vec<u64> { v.split('.').map(|x| x.parse().unwrap()).collect() };
    parse(a) > parse(b)
}

#[test]
fn kill_9_while_applies_are_in_flight_loses_nothing_acknowledged() {
    let dir = tempfile::tempdir().unwrap();
    let acked: Acked = Arc::default();
    let started = Instant::now();
    let mut total_sent = 0;
    let mut total_acked = 0;
    for round in 0..ROUNDS {
        let s = serve(dir.path(), &[]);
        let base = s.base();
        if round == 0 {
            assert_eq!(apply(&agent(), &base, STRATEGY), Some(200));
        }
        let before = acked.lock().unwrap().len();
        let count = Arc::new(AtomicUsize::new(0));
        let victim: Victim = Arc::new(Mutex::new(Some(s)));
        // Even rounds: killed right after an acknowledgement; odd ones: at any moment.
        let kill_at = Instant::now() + Duration::from_millis(100 + jitter(400));
        let on_ack = (round % 2 == 0).then_some(kill_at);
        let clients = load(
            &base,
            round,
            acked.clone(),
            count.clone(),
            victim.clone(),
            on_ack,
        );
        // The kill waits for one acknowledgement of this round at least (a slow, loaded machine
        // may take longer than `kill_at` to answer the first), within a bound.
        let grace = Duration::from_secs(if on_ack.is_some() { 20 } else { 0 });
        let give_up = kill_at + Duration::from_secs(30);
        while (Instant::now() < kill_at + grace || count.load(Ordering::SeqCst) == 0)
            && Instant::now() < give_up
            && victim.lock().unwrap().is_some()
        {
            std::thread::sleep(Duration::from_millis(1));
        }
        if let Some(s) = victim.lock().unwrap().take() {
            s.kill_9();
        }
        let sent: usize = clients.into_iter().map(|h| h.join().unwrap()).sum();
        total_sent += sent;
        total_acked += count.load(Ordering::SeqCst);
        let acked_now = acked.lock().unwrap().clone();
        assert!(
            count.load(Ordering::SeqCst) < sent,
            "round {round}: the kill came after every request ({sent}); it must land mid-stream"
        );
        assert!(acked_now.len() > before);
        db_check(dir.path(), &acked_now);

        // The restarted server serves every acknowledged workload at (at least) its version.
        let s = serve(dir.path(), &[]);
        let workloads: serde_json::Value = serde_json::from_str(
            &agent()
                .get(&format!("{}/api/v1/workloads", s.base()))
                .call()
                .unwrap()
                .into_body()
                .read_to_string()
                .unwrap(),
        )
        .unwrap();
        let served: BTreeMap<String, String> = workloads
            .as_array()
            .unwrap()
            .iter()
            .filter(|w| w["namespace"] == "crash")
            .map(|w| {
                let desired = w["desiredRevision"].as_u64().unwrap();
                let image = w["revisions"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|r| r["revision"].as_u64() == Some(desired))
                    .and_then(|r| r["image"].as_str())
                    .unwrap_or_default();
                let version = image.rsplit(':').next().unwrap_or_default();
                (w["name"].as_str().unwrap().to_string(), version.to_string())
            })
            .collect();
        for (name, version) in &acked_now {
            let got = served.get(name).unwrap_or_else(|| {
                panic!("{name} was acknowledged but is not served after the restart")
            });
            assert!(
                got == version || newer(got, version),
                "{name}: acknowledged {version}, served {got}"
            );
        }
        s.kill_9();
    }
    eprintln!(
        "crash: {ROUNDS} kills, {total_sent} applies sent, {total_acked} acknowledged ({} workloads), {:.1} s",
        acked.lock().unwrap().len(),
        started.elapsed().as_secs_f64()
    );
}
