//! The client commands: `apply -f FILE` and `set-image`, over a small blocking HTTP client.

use rollout_api as api;
use serde::de::DeserializeOwned;
use std::time::Duration;

/// A server to talk to: its base URL (`http://127.0.0.1:8080`) and token, if any.
pub struct Client {
    base: String,
    token: Option<String>,
    agent: ureq::Agent,
}

/// A failed call: what to print.
#[derive(Debug)]
pub struct ClientError(pub String);

impl std::fmt::Display for ClientError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl Client {
    pub fn new(server: &str, token: Option<String>) -> Client {
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .build();
        Client {
            base: server.trim_end_matches('/').to_string(),
            token: token.filter(|t| !t.is_empty()),
            agent: ureq::Agent::new_with_config(config),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.base)
    }

    fn answer<T: DeserializeOwned>(
        &self,
        what: &str,
        res: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    ) -> Result<T, ClientError> {
        let res =
            res.map_err(|e| ClientError(format!("{what}: cannot reach {}: {e}", self.base)))?;
        let status = res.status();
        let text = res
            .into_body()
            .read_to_string()
            .map_err(|e| ClientError(format!("{what}: cannot read the answer: {e}")))?;
        if status.is_success() {
            return serde_json::from_str(&text)
                .map_err(|e| ClientError(format!("{what}: unexpected answer ({e}): {text}")));
        }
        let message = serde_json::from_str::<api::ErrorBody>(&text)
            .map(|b| b.message)
            .unwrap_or(text);
        Err(ClientError(format!(
            "{what}: {} {message}",
            status.as_u16()
        )))
    }

    pub fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, ClientError> {
        let mut req = self.agent.get(&self.url(path));
        if let Some(t) = &self.token {
            req = req.header("Authorization", &format!("Bearer {t}"));
        }
        self.answer(&format!("GET {path}"), req.call())
    }
}

/// Posts `yaml` to `/apply` (`?dryRun=true` for a plan): the status and the body's text.
fn post_yaml(client: &Client, yaml: &str, dry_run: bool) -> Result<(u16, String), ClientError> {
    let path = if dry_run {
        "/apply?dryRun=true"
    } else {
        "/apply"
    };
    let mut req = client
        .agent
        .post(&client.url(path))
        .header("Content-Type", "application/yaml");
    if let Some(t) = &client.token {
        req = req.header("Authorization", format!("Bearer {t}"));
    }
    let res = req
        .send(yaml.as_bytes())
        .map_err(|e| ClientError(format!("cannot reach {}: {e}", client.base)))?;
    let status = res.status().as_u16();
    let text = res
        .into_body()
        .read_to_string()
        .map_err(|e| ClientError(format!("cannot read the answer: {e}")))?;
    Ok((status, text))
}

/// Posts `yaml` and describes the outcome for a person (`Err` text names document and line).
pub fn apply_text(client: &Client, yaml: &str, source: &str) -> Result<String, ClientError> {
    let (status, text) = post_yaml(client, yaml, false)?;
    if (200..300).contains(&status) {
        let resp: api::ApplyResponse = serde_json::from_str(&text)
            .map_err(|e| ClientError(format!("unexpected answer ({e}): {text}")))?;
        return Ok(describe(&resp));
    }
    Err(refusal(&text, status, source))
}

/// What a dry run of `yaml` says, for a person; `valid` is false when a document is invalid.
pub struct PlanText {
    pub text: String,
    pub valid: bool,
    pub invalid: usize,
}

/// `apply --dry-run`: asks the server for the plan of `yaml` and describes it (nothing changes).
pub fn plan_text(client: &Client, yaml: &str, source: &str) -> Result<PlanText, ClientError> {
    let (status, text) = post_yaml(client, yaml, true)?;
    if !(200..300).contains(&status) {
        return Err(refusal(&text, status, source));
    }
    let plan: api::ApplyPlan = serde_json::from_str(&text)
        .map_err(|e| ClientError(format!("unexpected answer ({e}): {text}")))?;
    Ok(PlanText {
        text: describe_plan(&plan, source),
        valid: plan.valid(),
        invalid: plan
            .documents
            .iter()
            .filter(|d| d.outcome == api::PlannedOutcome::Invalid)
            .count(),
    })
}

/// A plan for a person: one line per document (where and why for an invalid one), what would
/// happen to rollouts, then the unified diff of each changed document against what is stored.
pub fn describe_plan(plan: &api::ApplyPlan, source: &str) -> String {
    let mut out = Vec::new();
    for d in &plan.documents {
        let what = match (&d.namespace, d.kind.is_empty()) {
            (_, true) => "(unreadable)".to_string(),
            (Some(ns), false) => format!("{} {ns}/{}", d.kind, d.name),
            (None, false) => format!("{} {}", d.kind, d.name).trim_end().to_string(),
        };
        let line = match d.outcome {
            api::PlannedOutcome::Created => format!("{what} would be created"),
            api::PlannedOutcome::Configured => format!("{what} would be configured"),
            api::PlannedOutcome::Unchanged => format!("{what} unchanged"),
            api::PlannedOutcome::Invalid => format!(
                "{what} invalid: {source}: document {}, line {}, column {}: {}",
                d.index,
                d.line.unwrap_or(1),
                d.column.unwrap_or(1),
                d.message.as_deref().unwrap_or("")
            ),
        };
        out.push(format!("document {}: {line}", d.index));
    }
    // The messages say which rollouts would start, be canceled or resume, and why.
    out.extend(plan.messages.iter().cloned());
    for d in &plan.documents {
        if d.outcome != api::PlannedOutcome::Configured {
            continue;
        }
        let (Some(before), Some(after)) = (&d.before, &d.after) else {
            continue;
        };
        let name = match &d.namespace {
            Some(ns) => format!("{}/{ns}/{}", d.kind, d.name),
            None => format!("{}/{}", d.kind, d.name),
        };
        out.push(String::new());
        out.push(
            similar::TextDiff::from_lines(before.as_str(), after.as_str())
                .unified_diff()
                .context_radius(3)
                .header(&format!("{name} (stored)"), &format!("{name} ({source})"))
                .to_string()
                .trim_end()
                .to_string(),
        );
    }
    out.push(String::new());
    out.push("Dry run: nothing was applied.".into());
    out.join("\n")
}

/// A refused apply, naming the document and line when the server says.
fn refusal(text: &str, status: u16, source: &str) -> ClientError {
    let body: api::ErrorBody = serde_json::from_str(text).unwrap_or(api::ErrorBody {
        message: text.to_string(),
        ..Default::default()
    });
    let place = match (body.document, body.line, body.column) {
        (Some(d), Some(l), Some(c)) => format!("{source}: document {d}, line {l}, column {c}: "),
        (Some(d), Some(l), None) => format!("{source}: document {d}, line {l}: "),
        _ => format!("{source}: "),
    };
    ClientError(format!("{place}{} ({status})", body.message))
}

/// One line per applied entity and per rollout started / canceled / resumed.
pub fn describe(resp: &api::ApplyResponse) -> String {
    let mut out = Vec::new();
    for a in &resp.applied {
        let outcome = match a.outcome {
            api::ApplyOutcome::Created => "created",
            api::ApplyOutcome::Configured => "configured",
            api::ApplyOutcome::Unchanged => "unchanged",
        };
        match &a.namespace {
            Some(ns) => out.push(format!("{} {ns}/{} {outcome}", a.kind, a.name)),
            None => out.push(format!("{} {} {outcome}", a.kind, a.name)),
        }
    }
    out.extend(
        resp.rollouts_started
            .iter()
            .map(|id| format!("rollout {id} started")),
    );
    out.extend(
        resp.rollouts_canceled
            .iter()
            .map(|id| format!("rollout {id} canceled")),
    );
    out.extend(
        resp.rollouts_resumed
            .iter()
            .map(|id| format!("rollout {id} resumed")),
    );
    out.extend(resp.messages.iter().cloned());
    if out.is_empty() {
        out.push("nothing to apply".into());
    }
    out.join("\n")
}

/// `set-image NAMESPACE/NAME CONTAINER=IMAGE`: fetches the workload's desired manifest,
/// changes the container's image and applies it.
pub fn set_image(
    client: &Client,
    cluster: Option<&str>,
    target: &str,
    assignment: &str,
) -> Result<String, ClientError> {
    let (namespace, name) = target
        .split_once('/')
        .filter(|(n, m)| !n.is_empty() && !m.is_empty())
        .ok_or_else(|| ClientError(format!("`{target}`: write the workload as NAMESPACE/NAME")))?;
    let (container, image) = assignment
        .split_once('=')
        .filter(|(c, i)| !c.is_empty() && !i.is_empty())
        .ok_or_else(|| {
            ClientError(format!(
                "`{assignment}`: write the image as CONTAINER=IMAGE"
            ))
        })?;
    let workloads: Vec<api::Workload> = client.get("/workloads")?;
    let candidates: Vec<&api::Workload> = workloads
        .iter()
        .filter(|w| w.namespace == namespace && w.name == name)
        .filter(|w| cluster.is_none_or(|c| w.cluster_id == c))
        .collect();
    let workload = match candidates.as_slice() {
        [] => {
            return Err(ClientError(format!(
                "no SpotDeployment {namespace}/{name}{}",
                cluster
                    .map(|c| format!(" in cluster {c}"))
                    .unwrap_or_default()
            )))
        }
        [one] => *one,
        many => {
            let ids: Vec<&str> = many.iter().map(|w| w.cluster_id.as_str()).collect();
            return Err(ClientError(format!(
                "{namespace}/{name} exists in several clusters ({}): choose one with --cluster",
                ids.join(", ")
            )));
        }
    };
    let manifest = desired_manifest(client, workload)?;
    let changed = replace_image(&manifest, container, image).map_err(ClientError)?;
    apply_text(client, &changed, &format!("{namespace}/{name}"))
}

/// The desired revision's manifest, as the server stored it when it was applied.
fn desired_manifest(client: &Client, w: &api::Workload) -> Result<String, ClientError> {
    #[derive(serde::Deserialize)]
    struct Manifest {
        yaml: String,
    }
    let m: Manifest = client.get(&format!(
        "/workloads/{}/{}/{}/manifest",
        w.cluster_id, w.namespace, w.name
    ))?;
    Ok(m.yaml)
}

/// Sets the image of one container of a SpotDeployment manifest (YAML in, YAML out).
pub fn replace_image(manifest: &str, container: &str, image: &str) -> Result<String, String> {
    let mut doc: serde_norway::Value = serde_norway::from_str(manifest)
        .map_err(|e| format!("the stored manifest is not YAML: {e}"))?;
    let containers = doc
        .get_mut("spec")
        .and_then(|s| s.get_mut("template"))
        .and_then(|t| t.get_mut("spec"))
        .and_then(|s| s.get_mut("containers"))
        .and_then(|c| c.as_sequence_mut())
        .ok_or("the manifest has no spec.template.spec.containers")?;
    let mut names = Vec::new();
    let mut found = false;
    for c in containers.iter_mut() {
        let n = c
            .get("name")
            .and_then(|n| n.as_str())
            .unwrap_or("")
            .to_string();
        if n == container {
            if let Some(m) = c.as_mapping_mut() {
                m.insert("image".into(), image.into());
                found = true;
            }
        }
        names.push(n);
    }
    if !found {
        return Err(format!(
            "no container `{container}` (the containers are: {})",
            names.join(", ")
        ));
    }
    serde_norway::to_string(&doc).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_one_containers_image() {
        let m = "apiVersion: spot.io/v1beta1\nkind: SpotDeployment\nmetadata:\n  name: checkout\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        image: a:1\n      - name: sidecar\n        image: s:1\n";
        let out = replace_image(m, "app", "a:2").unwrap();
        assert!(out.contains("image: a:2"));
        assert!(out.contains("image: s:1"));
        assert!(replace_image(m, "nope", "x")
            .unwrap_err()
            .contains("app, sidecar"));
    }
}
