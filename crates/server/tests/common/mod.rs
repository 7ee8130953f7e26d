//! Shared helpers: a server over a memory or temporary store, requests with `oneshot`, and the
//! example application.
#![allow(dead_code)]

pub mod process;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use rollout_server::{boot, AppState, ClockMode, Config};
use serde_json::Value;
use std::path::{Path, PathBuf};
use tower::ServiceExt;

pub const EXAMPLES: &[&str] = &[
    include_str!("../../../../examples/01-services.yaml"),
    include_str!("../../../../examples/02-verification-provider.yaml"),
    include_str!("../../../../examples/03-verification-template.yaml"),
    include_str!("../../../../examples/04-strategy.yaml"),
    include_str!("../../../../examples/05-rolloutspec.yaml"),
    include_str!("../../../../examples/06-spotdeployment-v1.yaml"),
];
pub const V2: &str = include_str!("../../../../examples/07-spotdeployment-v2.yaml");

/// The example app up to v1, as one YAML stream.
pub fn app_v1() -> String {
    EXAMPLES.join("\n---\n")
}

pub struct TestServer {
    pub app: Router,
    pub state: AppState,
    pub token: Option<String>,
}

pub struct Setup {
    pub data_dir: Option<PathBuf>,
    pub dist: PathBuf,
    pub token: Option<String>,
    pub read_only: bool,
    pub require_reason: bool,
    pub mode: ClockMode,
    pub demo: bool,
    pub public_reads: bool,
    pub allowed_hosts: Vec<String>,
    pub bound: Option<std::net::SocketAddr>,
}

impl Default for Setup {
    fn default() -> Setup {
        Setup {
            data_dir: None,
            dist: PathBuf::from("/nonexistent-dist"),
            token: None,
            read_only: false,
            require_reason: false,
            mode: ClockMode::Manual,
            demo: false,
            public_reads: false,
            allowed_hosts: Vec::new(),
            bound: None,
        }
    }
}

pub async fn start(setup: Setup) -> TestServer {
    let opened = boot::open(&boot::Options {
        data_dir: setup.data_dir.clone(),
        demo: setup.demo,
        mode: setup.mode,
    })
    .await
    .expect("server opens");
    let state = AppState::new(
        Config {
            dist: setup.dist,
            token: setup.token.clone(),
            read_only: setup.read_only,
            require_reason: setup.require_reason,
            public_reads: setup.public_reads,
            allowed_hosts: setup.allowed_hosts.clone(),
            bound: setup.bound,
        },
        opened.core,
    );
    TestServer {
        app: rollout_server::app(state.clone()),
        state,
        token: setup.token,
    }
}

impl TestServer {
    /// The engine behind an engine-backed test server.
    pub fn core(&self) -> &std::sync::Arc<rollout_server::Core> {
        self.state
            .source()
            .engine()
            .expect("an engine-backed server")
    }
}

pub async fn manual() -> TestServer {
    start(Setup::default()).await
}

pub struct Answer {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    /// The `{message}` of an error answer, checking the shape.
    pub fn message(&self) -> String {
        let v = self.json();
        v["message"]
            .as_str()
            .unwrap_or_else(|| panic!("no message in {v}"))
            .to_string()
    }
    pub fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default()
    }
}

impl TestServer {
    pub async fn send(&self, req: Request<Body>) -> Answer {
        let res = self.app.clone().oneshot(req).await.expect("infallible");
        let status = res.status();
        let headers = res.headers().clone();
        let body = res
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes()
            .to_vec();
        Answer {
            status,
            headers,
            body,
        }
    }

    /// A GET, carrying the server's token when it has one.
    pub async fn get(&self, path: &str) -> Answer {
        let mut req = Request::get(path);
        if let Some(t) = &self.token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        self.send(req.body(Body::empty()).unwrap()).await
    }

    /// A POST with the given content type, carrying the server's token when it has one.
    pub async fn post(&self, path: &str, content_type: &str, body: impl Into<Body>) -> Answer {
        let mut req = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::CONTENT_TYPE, content_type);
        if let Some(t) = &self.token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        self.send(req.body(body.into()).unwrap()).await
    }

    pub async fn post_json(&self, path: &str, body: Value) -> Answer {
        self.post(path, "application/json", body.to_string()).await
    }

    pub async fn apply(&self, yaml: &str) -> Answer {
        self.post("/api/v1/apply", "application/yaml", yaml.to_string())
            .await
    }

    /// Applies and insists it worked.
    pub async fn apply_ok(&self, yaml: &str) -> Value {
        let a = self.apply(yaml).await;
        assert_eq!(a.status, StatusCode::OK, "apply failed: {}", a.text());
        a.json()
    }

    pub async fn advance(&self, seconds: u64) -> Answer {
        self.post_json(
            "/api/v1/sim/advance",
            serde_json::json!({ "seconds": seconds }),
        )
        .await
    }

    pub async fn rollouts(&self, query: &str) -> Value {
        let a = self.get(&format!("/api/v1/rollouts{query}")).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text());
        a.json()
    }

    /// The newest rollout of a SpotDeployment.
    pub async fn rollout_of(&self, name: &str) -> Value {
        let list = self
            .rollouts(&format!(
                "?spotDeployment={name}&limit=10000&from=2000-01-01T00:00:00Z"
            ))
            .await;
        list["items"][0].clone()
    }

    /// The example app at v1, then v2 applied: answers the started rollout id.
    pub async fn start_example_rollout(&self) -> String {
        self.apply_ok(&app_v1()).await;
        self.advance(60).await;
        let resp = self.apply_ok(V2).await;
        resp["rolloutsStarted"][0]
            .as_str()
            .unwrap_or_else(|| panic!("v2 started no rollout: {resp}"))
            .to_string()
    }
}

/// A temporary dist folder with an index.html holding one inline script.
/// The content of the fake dist's `.br` file.
pub const BROTLI_STAND_IN: &[u8] = b"brotli bytes of app-0123456789abcdef.js";

pub fn fake_dist() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("index.html"),
        "<!doctype html><html><head><script type=\"module\">import init from '/app.js'; init();</script></head><body></body></html>",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("app.js"),
        "export default function init() {}",
    )
    .unwrap();
    // A hashed asset with the gzip file the build's post-build hook writes beside it.
    let hashed = "export default function hashed() {}";
    std::fs::write(dir.path().join("app-0123456789abcdef.js"), hashed).unwrap();
    let gz = std::process::Command::new("gzip")
        .args(["-c", "-9"])
        .arg(dir.path().join("app-0123456789abcdef.js"))
        .output()
        .expect("gzip");
    std::fs::write(dir.path().join("app-0123456789abcdef.js.gz"), gz.stdout).unwrap();
    // And the brotli file (its bytes are sent as they are, so any bytes tell which file went).
    std::fs::write(
        dir.path().join("app-0123456789abcdef.js.br"),
        BROTLI_STAND_IN,
    )
    .unwrap();
    dir
}

pub fn path_of(dir: &tempfile::TempDir) -> &Path {
    dir.path()
}
