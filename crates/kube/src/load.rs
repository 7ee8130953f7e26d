//! Reading what `kubectl get … -o yaml` / `-o json` writes: a `List`, multi-document YAML, one
//! object per file, JSON objects or lists. Text in, typed objects out; the caller reads files.

use crate::objects::*;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// A file that cannot be read as Kubernetes objects: where and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: line {line}: {message}")]
pub struct LoadError {
    pub file: String,
    /// 1-based line of the problem (of the document holding it when the YAML itself is fine).
    pub line: usize,
    pub message: String,
}

/// Everything read so far, with the kinds that were skipped.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    pub objects: Objects,
    /// `apiVersion/kind` of objects this reader does not use, with how many were seen.
    pub skipped: BTreeMap<String, usize>,
}

impl Loaded {
    /// Reads one file's text (`file` names it in errors). Nothing is added when it fails.
    pub fn add(&mut self, file: &str, text: &str) -> Result<(), LoadError> {
        let docs = documents(file, text)?;
        let mut objects = Objects::default();
        let mut skipped: BTreeMap<String, usize> = BTreeMap::new();
        for (line, doc) in docs {
            for item in flatten(doc) {
                match decode(&item, &mut objects) {
                    Ok(true) => {}
                    Ok(false) => {
                        let api = item.get("apiVersion").and_then(Value::as_str).unwrap_or("");
                        let kind = item.get("kind").and_then(Value::as_str).unwrap_or("");
                        let key = match (api, kind) {
                            ("", "") => "(no apiVersion/kind)".to_string(),
                            (a, k) => format!("{a}/{k}"),
                        };
                        *skipped.entry(key).or_default() += 1;
                    }
                    Err(message) => {
                        return Err(LoadError {
                            file: file.to_string(),
                            line,
                            message,
                        })
                    }
                }
            }
        }
        self.objects.extend(objects);
        for (k, n) in skipped {
            *self.skipped.entry(k).or_default() += n;
        }
        Ok(())
    }

    /// Adds one object as the API server sends it (a watch event's object). `Ok(false)`: a
    /// kind this reader does not use; `Err`: a field of the wrong type, named by its path.
    pub fn add_value(&mut self, v: &Value) -> Result<bool, String> {
        decode(v, &mut self.objects)
    }

    pub fn skipped_total(&self) -> usize {
        self.skipped.values().sum()
    }
}

/// The documents of a file with the line each starts on. JSON when the text starts with `{`
/// or `[`, YAML otherwise.
fn documents(file: &str, text: &str) -> Result<Vec<(usize, Value)>, LoadError> {
    let trimmed = text.trim_start();
    let err = |line: usize, message: String| LoadError {
        file: file.to_string(),
        line: line.max(1),
        message,
    };
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        let mut out = Vec::new();
        let mut stream = serde_json::Deserializer::from_str(text).into_iter::<Value>();
        loop {
            let start = stream.byte_offset();
            match stream.next() {
                None => break,
                Some(Ok(Value::Array(items))) => {
                    let line = line_at(text, start);
                    out.extend(items.into_iter().map(|v| (line, v)));
                }
                Some(Ok(v)) => out.push((line_at(text, start), v)),
                Some(Err(e)) => return Err(err(e.line(), format!("invalid JSON: {e}"))),
            }
        }
        return Ok(out);
    }
    let mut out = Vec::new();
    for (first_line, segment) in yaml_segments(text) {
        match serde_norway::from_str::<Value>(&segment) {
            Ok(Value::Null) => {}
            Ok(v) => out.push((first_line, v)),
            Err(e) => {
                let line = first_line + e.location().map(|l| l.line()).unwrap_or(1) - 1;
                let msg = e.to_string();
                // The location is in our prefix; keep the reason only.
                let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
                return Err(err(line, format!("invalid YAML: {msg}")));
            }
        }
    }
    Ok(out)
}

/// 1-based line of the first non-blank character at or after a byte offset.
fn line_at(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    let before = text[..offset].matches('\n').count();
    let blank = text[offset..]
        .chars()
        .take_while(|c| c.is_whitespace())
        .filter(|c| *c == '\n')
        .count();
    before + blank + 1
}

/// The documents of a YAML stream, split at `---` lines, with the line each segment starts on.
fn yaml_segments(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut start = 1;
    for (i, line) in text.lines().enumerate() {
        let t = line.trim_end();
        if t == "---" || t.starts_with("--- ") {
            out.push((start, std::mem::take(&mut cur)));
            start = i + 2;
            // `--- value` keeps the value as the document's first line.
            if let Some(rest) = t.strip_prefix("--- ") {
                cur.push_str(rest);
                cur.push('\n');
                start = i + 1;
            }
            continue;
        }
        cur.push_str(line);
        cur.push('\n');
    }
    out.push((start, cur));
    out
}

/// A `List` (or `RolloutList`, `PodList`, …) becomes its items.
fn flatten(doc: Value) -> Vec<Value> {
    let is_list = doc
        .get("kind")
        .and_then(Value::as_str)
        .is_some_and(|k| k == "List" || k.ends_with("List"))
        && doc.get("items").is_some_and(Value::is_array);
    if !is_list {
        return vec![doc];
    }
    match doc {
        Value::Object(mut m) => match m.remove("items") {
            Some(Value::Array(items)) => items.into_iter().flat_map(flatten).collect(),
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// Decodes `v` (a part of `whole`, or `whole` itself) into its typed record.
fn typed<T: DeserializeOwned>(v: &Value, whole: &Value, what: &str) -> Result<T, String> {
    serde_path_to_error::deserialize(v).map_err(|e| {
        let name = whole
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("(unnamed)");
        // The path is relative to `v`; `whole` is the object.
        let prefix = if std::ptr::eq(v, whole) {
            String::new()
        } else {
            part_of(whole, v)
        };
        let path = e.path().to_string();
        let at = match (prefix.as_str(), path.as_str()) {
            ("", ".") => String::new(),
            ("", p) => format!("{p}: "),
            (pre, ".") => format!("{pre}: "),
            (pre, p) => format!("{pre}.{p}: "),
        };
        format!("{what} `{name}`: {at}{}", e.inner())
    })
}

/// The top-level key of `whole` whose value is `part`.
fn part_of(whole: &Value, part: &Value) -> String {
    whole
        .as_object()
        .and_then(|m| m.iter().find(|(_, v)| std::ptr::eq(*v, part)))
        .map(|(k, _)| k.clone())
        .unwrap_or_default()
}

/// Adds a known object to `into`; `Ok(false)` for a kind this reader does not use.
fn decode(v: &Value, into: &mut Objects) -> Result<bool, String> {
    let api = v.get("apiVersion").and_then(Value::as_str).unwrap_or("");
    let kind = v.get("kind").and_then(Value::as_str).unwrap_or("");
    let group = api.split('/').next().unwrap_or("");
    match (group, kind) {
        ("argoproj.io", "Rollout") => {
            let metadata: Meta = typed(v.get("metadata").unwrap_or(&Value::Null), v, "Rollout")?;
            let raw_spec = v.get("spec").cloned().unwrap_or(Value::Null);
            let spec: RolloutSpec = typed(v.get("spec").unwrap_or(&Value::Null), v, "Rollout")?;
            let status: RolloutStatus = match v.get("status") {
                Some(s) => typed(s, v, "Rollout")?,
                None => RolloutStatus::default(),
            };
            into.rollouts.push(Rollout {
                metadata,
                spec,
                status,
                raw_spec,
            });
        }
        ("argoproj.io", "AnalysisRun") => into.analysis_runs.push(typed(v, v, kind)?),
        ("argoproj.io", "AnalysisTemplate" | "ClusterAnalysisTemplate") => {
            into.analysis_templates.push(AnalysisTemplate {
                metadata: typed(v.get("metadata").unwrap_or(&Value::Null), v, kind)?,
                cluster_scoped: kind == "ClusterAnalysisTemplate",
                raw: v.clone(),
            })
        }
        ("argoproj.io", "Experiment") => into.experiments.push(typed(v, v, kind)?),
        ("apps" | "extensions", "ReplicaSet") => {
            #[derive(Deserialize, Default)]
            #[serde(default)]
            struct Rs {
                metadata: Meta,
                spec: ReplicaSetSpec,
                status: ReplicaSetStatus,
            }
            let rs: Rs = typed(v, v, kind)?;
            into.replica_sets.push(ReplicaSet {
                metadata: rs.metadata,
                spec: rs.spec,
                status: rs.status,
                raw_template: v.pointer("/spec/template").cloned().unwrap_or(Value::Null),
            });
        }
        ("v1", "Pod") => into.pods.push(typed(v, v, kind)?),
        ("v1", "Service") => into.services.push(typed(v, v, kind)?),
        ("v1", "Event") => into.events.push(typed::<CoreEvent>(v, v, kind)?.into()),
        ("events.k8s.io", "Event") => into.events.push(typed::<NewEvent>(v, v, kind)?.into()),
        _ => return Ok(false),
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_lists_and_multi_document_yaml_and_counts_unknown_kinds() {
        let mut l = Loaded::default();
        l.add(
            "a.yaml",
            "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: p1}\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: c}\n---\n# comment\n---\napiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: rs}\n",
        )
        .unwrap();
        assert_eq!(l.objects.pods.len(), 1);
        assert_eq!(l.objects.replica_sets.len(), 1);
        assert_eq!(l.skipped.get("v1/ConfigMap"), Some(&1));
        l.add(
            "b.json",
            r#"{"apiVersion":"v1","kind":"PodList","items":[{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p2"}}]}"#,
        )
        .unwrap();
        assert_eq!(l.objects.pods.len(), 2);
    }

    #[test]
    fn a_malformed_file_names_file_and_line() {
        let mut l = Loaded::default();
        let e = l
            .add(
                "bad.yaml",
                "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n---\napiVersion: v1\nkind: Pod\nmetadata: [\n",
            )
            .unwrap_err();
        assert_eq!(e.file, "bad.yaml");
        assert!(e.line >= 8, "{e}");
        assert!(
            l.objects.pods.is_empty(),
            "nothing is added from a broken file"
        );
        // A known kind with a field of the wrong type names the object and its document.
        let e = l
            .add(
                "rs.yaml",
                "apiVersion: v1\nkind: Pod\nmetadata: {name: ok}\n---\napiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: web}\nspec:\n  replicas: many\n",
            )
            .unwrap_err();
        assert_eq!(e.line, 5, "{e}");
        assert!(e.message.contains("ReplicaSet `web`"), "{e}");
        let e = l.add("x.json", "{\n  \"kind\": \n}").unwrap_err();
        assert_eq!((e.file.as_str(), e.line), ("x.json", 3), "{e}");
    }
}
