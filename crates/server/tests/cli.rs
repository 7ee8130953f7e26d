//! The binary itself: `serve` prints its URL with the real port, `apply` and `set-image` talk to
//! it, and a `kill -9` in the middle of a rollout loses nothing.

mod common;

use common::process::{serve, BIN};
use std::process::Command;
use std::time::{Duration, Instant};

const TOK: &str = "cli-test-token-0123456789abcdef0123";

fn run(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(BIN)
        .args(args)
        .env_remove("ROLLOUT_TOKEN")
        .env_remove("ROLLOUT_SERVER")
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn get(url: &str) -> serde_json::Value {
    get_with(url, None)
}

fn get_with(url: &str, token: Option<&str>) -> serde_json::Value {
    let mut req = ureq::get(url);
    if let Some(t) = token {
        req = req.header("Authorization", &format!("Bearer {t}"));
    }
    let body = req.call().unwrap().into_body().read_to_string().unwrap();
    serde_json::from_str(&body).unwrap()
}

fn post_json(url: &str, body: &str) -> u16 {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    agent
        .post(url)
        .header("Content-Type", "application/json")
        .send(body)
        .unwrap()
        .status()
        .as_u16()
}

fn examples(names: &[&str]) -> Vec<String> {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/");
    names.iter().map(|n| format!("{root}{n}")).collect()
}

#[test]
fn apply_and_set_image_drive_a_running_server() {
    let dir = tempfile::tempdir().unwrap();
    let s = serve(dir.path(), &["--token", TOK]);
    assert!(s.url.ends_with(&format!("/#token={TOK}")), "{}", s.url);
    let base = s.url.split_once("/#").unwrap().0.to_string();

    for file in examples(&[
        "01-services.yaml",
        "02-verification-provider.yaml",
        "03-verification-template.yaml",
        "04-strategy.yaml",
        "05-rolloutspec.yaml",
        "06-spotdeployment-v1.yaml",
    ]) {
        let (ok, out, err) = run(&["apply", "-f", &file, "--server", &base, "--token", TOK]);
        assert!(ok, "{file}: {err}");
        assert!(out.contains("created"), "{out}");
    }
    // set-image right after the first version (no rollout yet): a rollout.
    let (ok, out, err) = run(&[
        "set-image",
        "payments/checkout",
        "checkout=registry.example.com/payments/checkout:1.41.1",
        "--server",
        &base,
        "--token",
        TOK,
    ]);
    assert!(ok, "{err}");
    assert!(out.contains("started"), "{out}");
    // Without the token: refused, and said so.
    let v2 = &examples(&["07-spotdeployment-v2.yaml"])[0];
    let (ok, _, err) = run(&["apply", "-f", v2, "--server", &base]);
    assert!(!ok);
    assert!(err.contains("401"), "{err}");
    let (ok, out, err) = run(&["apply", "-f", v2, "--server", &base, "--token", TOK]);
    assert!(ok, "{err}");
    assert!(
        out.contains("SpotDeployment payments/checkout configured"),
        "{out}"
    );
    assert!(
        out.contains("rollout rol-") && out.contains("started"),
        "{out}"
    );

    // An invalid file names the document and line.
    let bad = dir.path().join("bad.yaml");
    std::fs::write(&bad, "apiVersion: spot.io/v1beta1\nkind: Strategy\nname: x\ncanary:\n  steps:\n    - setWeight: 200\n").unwrap();
    let (ok, _, err) = run(&[
        "apply",
        "-f",
        bad.to_str().unwrap(),
        "--server",
        &base,
        "--token",
        TOK,
    ]);
    assert!(!ok);
    assert!(err.contains("document 1, line"), "{err}");

    // set-image: a new rollout with the new image, which cancels the running one.
    let (ok, out, err) = run(&[
        "set-image",
        "payments/checkout",
        "checkout=registry.example.com/payments/checkout:1.44.0",
        "--server",
        &base,
        "--token",
        TOK,
    ]);
    assert!(ok, "{err}");
    assert!(out.contains("started") && out.contains("canceled"), "{out}");
    let list = get_with(
        &format!("{base}/api/v1/rollouts?spotDeployment=checkout"),
        Some(TOK),
    );
    assert_eq!(
        list["items"][0]["image"],
        "registry.example.com/payments/checkout:1.44.0"
    );
    let (ok, _, err) = run(&[
        "set-image",
        "payments/checkout",
        "nope=x:1",
        "--server",
        &base,
        "--token",
        TOK,
    ]);
    assert!(!ok && err.contains("no container `nope`"), "{err}");
    let (ok, _, err) = run(&[
        "set-image",
        "payments/nothing",
        "a=b:1",
        "--server",
        &base,
        "--token",
        TOK,
    ]);
    assert!(!ok && err.contains("no SpotDeployment"), "{err}");
}

#[test]
fn apply_dry_run_prints_the_plan_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let s = serve(dir.path(), &[]);
    let base = s.url.trim_end_matches('/').to_string();
    let v1 = examples(&[
        "01-services.yaml",
        "02-verification-provider.yaml",
        "03-verification-template.yaml",
        "04-strategy.yaml",
        "05-rolloutspec.yaml",
        "06-spotdeployment-v1.yaml",
    ]);
    // A dry run of everything on an empty server: all created, nothing applied.
    let all = dir.path().join("all.yaml");
    let text: Vec<String> = v1
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap())
        .collect();
    std::fs::write(&all, text.join("\n---\n")).unwrap();
    let (ok, out, err) = run(&[
        "apply",
        "--dry-run",
        "-f",
        all.to_str().unwrap(),
        "--server",
        &base,
    ]);
    assert!(ok, "{err}");
    assert!(
        out.contains("document 7: SpotDeployment payments/checkout would be created"),
        "{out}"
    );
    assert!(
        out.trim_end().ends_with("Dry run: nothing was applied."),
        "{out}"
    );
    assert_eq!(
        get(&format!("{base}/api/v1/workloads")),
        serde_json::json!([])
    );

    let (ok, _, err) = run(&["apply", "-f", all.to_str().unwrap(), "--server", &base]);
    assert!(ok, "{err}");
    let v2 = &examples(&["07-spotdeployment-v2.yaml"])[0];
    let (ok, out, err) = run(&["apply", "--dry-run", "-f", v2, "--server", &base]);
    assert!(ok, "{err}");
    assert!(
        out.contains("document 1: SpotDeployment payments/checkout would be configured"),
        "{out}"
    );
    assert!(
        out.contains("A rollout of payments/checkout revision 2 would start"),
        "{out}"
    );
    // The unified diff of the document against what is stored.
    assert!(
        out.contains("--- SpotDeployment/payments/checkout (stored)"),
        "{out}"
    );
    assert!(out.contains("@@ "), "{out}");
    assert!(
        out.lines()
            .any(|l| l.starts_with('-') && l.contains("checkout:1.41.0")),
        "{out}"
    );
    assert!(
        out.lines()
            .any(|l| l.starts_with('+') && l.contains("checkout:1.42.0")),
        "{out}"
    );
    let list = get(&format!(
        "{base}/api/v1/rollouts?spotDeployment=checkout&from=2000-01-01T00:00:00Z"
    ));
    assert_eq!(list["total"], 0, "the dry run started nothing: {list}");

    // Every invalid document, each with its line; the command fails.
    let bad = dir.path().join("bad.yaml");
    std::fs::write(
        &bad,
        "apiVersion: spot.io/v1beta1\nkind: Strategy\nname: x\ncanary:\n  steps:\n    - setWeight: 200\n---\nkind: Gadget\nname: y\n",
    )
    .unwrap();
    let (ok, out, err) = run(&[
        "apply",
        "--dry-run",
        "-f",
        bad.to_str().unwrap(),
        "--server",
        &base,
    ]);
    assert!(!ok);
    assert!(out.contains("document 1: Strategy x invalid:"), "{out}");
    assert!(out.contains("document 1, line 6"), "{out}");
    assert!(out.contains("document 2, line 8"), "{out}");
    assert!(err.contains("2 invalid documents"), "{err}");
}

#[test]
fn kill_9_in_the_middle_of_a_rollout_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let s = serve(dir.path(), &[]);
    let base = s.url.trim_end_matches('/').to_string();
    let files = examples(&[
        "01-services.yaml",
        "02-verification-provider.yaml",
        "03-verification-template.yaml",
        "04-strategy.yaml",
        "05-rolloutspec.yaml",
        "06-spotdeployment-v1.yaml",
        "07-spotdeployment-v2.yaml",
    ]);
    for f in &files {
        let (ok, _, err) = run(&["apply", "-f", f, "--server", &base]);
        assert!(ok, "{err}");
    }
    assert_eq!(
        post_json(&format!("{base}/api/v1/sim/advance"), r#"{"seconds":200}"#),
        200
    );
    let id = get(&format!("{base}/api/v1/rollouts"))["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let before = get(&format!("{base}/api/v1/rollouts/{id}"));
    let events = get(&format!("{base}/api/v1/rollouts/{id}/events"));
    drop(s); // SIGKILL

    let started = Instant::now();
    let s = serve(dir.path(), &[]);
    assert!(started.elapsed() < Duration::from_secs(10));
    let base = s.url.trim_end_matches('/').to_string();
    assert_eq!(get(&format!("{base}/api/v1/rollouts/{id}")), before);
    assert_eq!(get(&format!("{base}/api/v1/rollouts/{id}/events")), events);
    assert_eq!(
        post_json(&format!("{base}/api/v1/sim/advance"), r#"{"seconds":900}"#),
        200
    );
    assert_eq!(
        get(&format!("{base}/api/v1/rollouts/{id}"))["status"],
        "finished"
    );
}

#[test]
fn help_describes_every_flag() {
    let (ok, out, _) = run(&["serve", "--help"]);
    assert!(ok);
    for flag in [
        "--addr",
        "--data-dir",
        "--dist",
        "--demo",
        "--speed",
        "--manual-clock",
        "--token",
        "--read-only",
    ] {
        assert!(out.contains(flag), "{flag} in {out}");
    }
    let (ok, _, err) = run(&["serve", "--speed", "0"]);
    assert!(!ok && err.contains("--speed"), "{err}");
}

#[test]
fn serve_snapshot_refuses_a_malformed_file_naming_it_and_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("rollout.yaml");
    std::fs::write(
        &bad,
        "apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata:\n  name: web\nspec:\n  replicas: three\n",
    )
    .unwrap();
    let (ok, _, err) = run(&[
        "serve",
        "--addr",
        "127.0.0.1:0",
        "--snapshot",
        bad.to_str().unwrap(),
    ]);
    assert!(!ok);
    assert!(
        err.contains("rollout.yaml: line 1: Rollout `web`: spec.replicas: invalid type"),
        "{err}"
    );
    let (ok, _, err) = run(&["serve", "--snapshot", "/nonexistent/snap.yaml"]);
    assert!(!ok);
    assert!(err.contains("/nonexistent/snap.yaml"), "{err}");
}

#[test]
fn unsafe_settings_refuse_to_start() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let (ok, _, err) = run(&[
        "serve",
        "--addr",
        "127.0.0.1:0",
        "--data-dir",
        data,
        "--token",
        "short",
    ]);
    assert!(!ok && err.contains("at least 32"), "{err}");
    let (ok, _, err) = run(&["serve", "--addr", "0.0.0.0:0", "--data-dir", data]);
    assert!(!ok && err.contains("--insecure-no-auth"), "{err}");
}
