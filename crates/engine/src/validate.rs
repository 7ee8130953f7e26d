//! Reading an applied YAML stream: splitting it into documents (to know each one's first line),
//! deserialising each into its kind and checking what serde cannot (rising weights, durations,
//! conditions, one provider block, annotations). Errors carry the line and column in the stream.

use crate::entities::{self as e, Kind};
use crate::limits;
use crate::model::{MetricFaults, PodFault};
use crate::position::{locate_nearest, locate_path, Seg};
use crate::verification::{parse_duration, Condition};
use serde::de::DeserializeOwned;
use serde_norway::Value;
use std::collections::BTreeMap;

pub const ANN_STRATEGY: &str = "oceancd.spot.io/strategy";
pub const ANN_CLUSTER: &str = "oceancd.spot.io/cluster-id";
const SIM: &str = "sim.rollout.dev/";

/// One document of a stream.
#[derive(Debug, Clone)]
pub struct SplitDoc {
    /// 1-based, counting non-empty documents.
    pub index: usize,
    /// 1-based line of the document's first line in the stream.
    pub start_line: usize,
    pub text: String,
}

/// A problem in one document; `line` is 1-based within the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocError {
    pub message: String,
    pub line: usize,
    pub column: usize,
}

impl DocError {
    fn at(message: impl Into<String>, (line, column): (usize, usize)) -> DocError {
        DocError {
            message: message.into(),
            line,
            column,
        }
    }
}

/// Splits on `---` lines; documents with nothing but comments and blanks are skipped.
pub fn split_stream(yaml: &str) -> Vec<SplitDoc> {
    let mut docs = Vec::new();
    let mut current = String::new();
    let mut start = 1;
    let flush = |text: &mut String, start: usize, docs: &mut Vec<SplitDoc>| {
        let meaningful = text.lines().any(|l| {
            let t = l.trim();
            !t.is_empty() && !t.starts_with('#') && t != "..."
        });
        if meaningful {
            docs.push(SplitDoc {
                index: docs.len() + 1,
                start_line: start,
                text: std::mem::take(text),
            });
        }
        text.clear();
    };
    for (i, line) in yaml.lines().enumerate() {
        let is_separator = line == "---"
            || line.starts_with("--- ")
            || line.starts_with("---\t")
            || line.trim_end() == "---";
        if is_separator {
            flush(&mut current, start, &mut docs);
            start = i + 2;
        } else {
            current.push_str(line);
            current.push('\n');
        }
    }
    flush(&mut current, start, &mut docs);
    docs
}

/// Where the field at `path` is written, else its nearest written parent (see
/// [`locate_nearest`]): a missing field is pointed at the mapping that lacks it.
fn field_at(text: &str, path: &[Seg]) -> (usize, usize) {
    locate_nearest(text, path)
}

/// Where the field at `path` of an entity is written in its whole document `text` (as the
/// engine's checks see it), as [`field_at`] finds it: under the CLI's wrapper key when the
/// entity is wrapped (`rolloutSpec: {spotDeployment: {clusterId: …}}`), flow style too.
pub(crate) fn entity_field_at(text: &str, path: &[Seg]) -> (usize, usize) {
    let value: Option<Value> = serde_norway::from_str(text).ok();
    match value.as_ref().and_then(wrapped) {
        Some((_, key, _)) => field_at(text, &[&[Seg::Key(key)], path].concat()),
        None => field_at(text, path),
    }
}

/// The CLI's wrapped form: a mapping whose one key names an Ocean CD kind (`strategy:`,
/// `rolloutSpec:`, ...): that kind, the key as written and the entity under it.
fn wrapped(value: &Value) -> Option<(Kind, &str, &Value)> {
    let (key, inner) = value.as_mapping().filter(|m| m.len() == 1)?.iter().next()?;
    let key = key.as_str()?;
    let kind = Kind::parse(key).filter(|k| WRAPPED.contains(k))?;
    Some((kind, key, inner))
}

/// A SpotDeployment, checked.
#[derive(Debug, Clone)]
pub struct SpotDeploymentInfo {
    pub name: String,
    pub namespace: String,
    pub replicas: u32,
    pub image: String,
    pub container: String,
    pub labels: BTreeMap<String, String>,
    pub progress_deadline_seconds: u64,
    pub template_hash: String,
    /// Normalised YAML of the whole object (the CRD diff shows it).
    pub manifest: String,
    pub strategy_override: Option<String>,
    pub cluster_annotation: Option<String>,
    pub pod_fault: PodFault,
    pub start_seconds: u32,
    pub metric_faults: MetricFaults,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PhaseSpec {
    pub name: String,
    pub weight: u32,
    pub pause: Option<Option<u64>>,
    pub templates: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct StrategyInfo {
    pub name: String,
    pub kind: rollout_api::StrategyType,
    pub phases: Vec<PhaseSpec>,
    pub background: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct RolloutSpecInfo {
    pub name: String,
    pub cluster_id: String,
    pub namespace: String,
    pub spot_deployment: String,
    pub strategy: String,
    pub stable_service: Option<String>,
    pub canary_service: Option<String>,
    pub failure_policy: e::FailureAction,
}

#[derive(Debug, Clone)]
pub struct MetricSpec {
    pub name: String,
    pub interval_seconds: u64,
    pub initial_delay_seconds: u64,
    pub count: Option<u32>,
    pub success_condition: Option<String>,
    pub failure_condition: Option<String>,
    pub failure_limit: u32,
    pub inconclusive_limit: u32,
    pub consecutive_error_limit: u32,
    pub dry_run: bool,
    pub provider_kind: String,
    pub query: String,
}

#[derive(Debug, Clone)]
pub struct TemplateInfo {
    pub name: String,
    pub metrics: Vec<MetricSpec>,
}

#[derive(Debug, Clone)]
pub struct ProviderInfo {
    pub name: String,
    pub cluster_ids: Vec<String>,
    pub kinds: Vec<&'static str>,
}

#[derive(Debug, Clone)]
pub struct ServiceInfo {
    pub name: String,
    pub namespace: String,
    pub selector: Vec<(String, String)>,
    pub ports: Vec<u16>,
    pub cluster_annotation: Option<String>,
}

#[derive(Debug, Clone)]
pub enum Parsed {
    SpotDeployment(SpotDeploymentInfo),
    Strategy(StrategyInfo),
    RolloutSpec(RolloutSpecInfo),
    VerificationTemplate(TemplateInfo),
    VerificationProvider(ProviderInfo),
    Service(ServiceInfo),
}

impl Parsed {
    pub fn kind(&self) -> Kind {
        match self {
            Parsed::SpotDeployment(_) => Kind::SpotDeployment,
            Parsed::Strategy(_) => Kind::Strategy,
            Parsed::RolloutSpec(_) => Kind::RolloutSpec,
            Parsed::VerificationTemplate(_) => Kind::VerificationTemplate,
            Parsed::VerificationProvider(_) => Kind::VerificationProvider,
            Parsed::Service(_) => Kind::Service,
        }
    }

    pub fn name(&self) -> &str {
        match self {
            Parsed::SpotDeployment(d) => &d.name,
            Parsed::Strategy(d) => &d.name,
            Parsed::RolloutSpec(d) => &d.name,
            Parsed::VerificationTemplate(d) => &d.name,
            Parsed::VerificationProvider(d) => &d.name,
            Parsed::Service(d) => &d.name,
        }
    }

    pub fn namespace(&self) -> Option<&str> {
        match self {
            Parsed::SpotDeployment(d) => Some(&d.namespace),
            Parsed::Service(d) => Some(&d.namespace),
            _ => None,
        }
    }
}

fn serde_error(err: serde_norway::Error) -> DocError {
    let (line, column) = err
        .location()
        .map(|l| (l.line(), l.column()))
        .unwrap_or((1, 1));
    // serde_norway appends " at line L column C"; the caller reports the location itself.
    let message = err.to_string();
    let message = match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message,
    };
    DocError {
        message,
        line,
        column,
    }
}

fn typed<T: DeserializeOwned>(text: &str) -> Result<T, DocError> {
    serde_norway::from_str(text).map_err(serde_error)
}

/// A YAML stream read and checked whole: each document with what it holds.
#[derive(Debug, Clone)]
pub struct ParsedStream {
    pub docs: Vec<SplitDoc>,
    pub parsed: Vec<Parsed>,
}

impl ParsedStream {
    /// The error of document `d`, with its line in the stream.
    pub fn error_at(d: &SplitDoc, e: DocError) -> crate::ApplyError {
        // A parser at the end of the text names the line after the last: point at the last.
        let lines = d.text.lines().count().max(1);
        let (line, column) = if e.line > lines {
            let last = d.text.lines().last().unwrap_or("");
            (lines, last.chars().count() + 1)
        } else {
            (e.line.max(1), e.column.max(1))
        };
        crate::ApplyError {
            message: e.message,
            document: d.index,
            line: d.start_line.saturating_add(line - 1),
            column,
        }
    }
}

/// A YAML stream read for a dry run: every document with what it holds or what is wrong with
/// it (not only the first problem).
#[derive(Debug, Clone)]
pub struct CheckedStream {
    pub docs: Vec<SplitDoc>,
    pub results: Vec<Result<Parsed, crate::ApplyError>>,
}

/// [`parse_stream`] that goes on past a wrong document: each document's own result. Errors of
/// the stream as a whole (no document, too many) are still errors.
pub fn check_stream(yaml: &str) -> Result<CheckedStream, crate::ApplyError> {
    let docs = stream_docs(yaml)?;
    let results = docs
        .iter()
        .map(|d| parse_document(&d.text).map_err(|e| ParsedStream::error_at(d, e)))
        .collect();
    Ok(CheckedStream { docs, results })
}

/// What a document says it is, read loosely (for a document too wrong to parse):
/// `(kind, name, namespace)`, empty when it does not say.
pub fn identity(text: &str) -> (String, String, Option<String>) {
    if limits::check_document(text).is_err() {
        return (String::new(), String::new(), None);
    }
    let Ok(value) = serde_norway::from_str::<Value>(text) else {
        return (String::new(), String::new(), None);
    };
    let string = |v: Option<&Value>| match v {
        Some(Value::String(s)) => Some(s.clone()),
        _ => None,
    };
    let metadata = value.get("metadata");
    let mut kind = string(value.get("kind"));
    let mut name = string(metadata.and_then(|m| m.get("name")));
    if kind.is_none() {
        // The CLI's form: `strategy: {name: …}`.
        if let Some((Value::String(key), inner)) = value.as_mapping().and_then(|m| m.iter().next())
        {
            if let Some(k) = Kind::parse(key).filter(|k| WRAPPED.contains(k)) {
                kind = Some(k.name().to_string());
                name = name.or_else(|| string(inner.get("name")));
            }
        }
    }
    let name = name
        .or_else(|| string(value.get("name")))
        .unwrap_or_default();
    let kind = kind
        .map(|k| Kind::parse(&k).map(|k| k.name().to_string()).unwrap_or(k))
        .unwrap_or_default();
    let namespace = string(metadata.and_then(|m| m.get("namespace")));
    (kind, name, namespace)
}

/// The documents of a stream, within [`limits::MAX_DOCUMENTS`].
fn stream_docs(yaml: &str) -> Result<Vec<SplitDoc>, crate::ApplyError> {
    let docs = split_stream(yaml);
    if docs.is_empty() {
        return Err(crate::ApplyError {
            message: "the YAML stream holds no document".into(),
            document: 1,
            line: 1,
            column: 1,
        });
    }
    if docs.len() > limits::MAX_DOCUMENTS {
        let d = &docs[limits::MAX_DOCUMENTS];
        return Err(ParsedStream::error_at(
            d,
            DocError::at(
                format!(
                    "the stream holds {} documents; at most {} are applied at once (split it)",
                    docs.len(),
                    limits::MAX_DOCUMENTS
                ),
                (1, 1),
            ),
        ));
    }
    Ok(docs)
}

/// Reads a whole stream without touching the engine: splitting, the caps of [`limits`], the
/// alias budget and every per-document check. Pure and possibly slow on a large stream, so the
/// server runs it off the async workers and before taking the engine's lock.
pub fn parse_stream(yaml: &str) -> Result<ParsedStream, crate::ApplyError> {
    let docs = stream_docs(yaml)?;
    let mut parsed = Vec::with_capacity(docs.len());
    for d in &docs {
        parsed.push(parse_document(&d.text).map_err(|e| ParsedStream::error_at(d, e))?);
    }
    Ok(ParsedStream { docs, parsed })
}

/// The kinds the Ocean CD CLI writes wrapped (`strategy: {name: …, canary: …}`).
const WRAPPED: [Kind; 4] = [
    Kind::Strategy,
    Kind::RolloutSpec,
    Kind::VerificationTemplate,
    Kind::VerificationProvider,
];

/// Parses and checks one document.
pub fn parse_document(text: &str) -> Result<Parsed, DocError> {
    limits::check_document(text).map_err(|e| DocError::at(e.0, (1, 1)))?;
    let value: Value = serde_norway::from_str(text).map_err(serde_error)?;
    if !value.is_mapping() {
        return Err(DocError::at(
            "a document must be a mapping with a kind (and apiVersion for Kubernetes objects)",
            field_at(text, &[]),
        ));
    }
    check_strings(text, &value, "", &mut Vec::new())?;
    if value.get("kind").is_none() {
        if let Some((kind, inner, line_offset, indent)) = unwrap_cli_form(text, &value) {
            return parse_kind(kind, &inner.text, &inner.value).map_err(|e| DocError {
                message: e.message,
                line: e.line + line_offset,
                column: e.column + indent,
            });
        }
    }
    let kind_text =
        match value.get("kind") {
            Some(Value::String(k)) => k.clone(),
            Some(_) => {
                return Err(DocError::at(
                    "kind must be a string",
                    field_at(text, &[Seg::Key("kind")]),
                ))
            }
            None => return Err(DocError::at(
                "kind is missing (SpotDeployment, Strategy, RolloutSpec, VerificationTemplate, \
                 VerificationProvider or Service; or the CLI's form `strategy: {name: …}`)",
                field_at(text, &[]),
            )),
        };
    let kind = Kind::parse(&kind_text).ok_or_else(|| {
        DocError::at(
            format!(
                "kind: unknown kind `{kind_text}` (expected SpotDeployment, Strategy, RolloutSpec, VerificationTemplate, VerificationProvider or Service)"
            ),
            field_at(text, &[Seg::Key("kind")]),
        )
    })?;
    let ocean_entity = WRAPPED.contains(&kind);
    match value.get("apiVersion") {
        Some(Value::String(v)) if v == kind.api_version() => {}
        None if ocean_entity => {}
        Some(v) => {
            let shown = v
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| "a non-string".into());
            let expected = if ocean_entity {
                format!(
                    "{} takes no apiVersion, or apiVersion {}",
                    kind.name(),
                    kind.api_version()
                )
            } else {
                format!("{} needs apiVersion {}", kind.name(), kind.api_version())
            };
            return Err(DocError::at(
                format!("apiVersion: {expected}, not {shown}"),
                field_at(text, &[Seg::Key("apiVersion")]),
            ));
        }
        None => {
            return Err(DocError::at(
                format!(
                    "apiVersion is missing ({} needs {})",
                    kind.name(),
                    kind.api_version()
                ),
                field_at(text, &[]),
            ))
        }
    }
    parse_kind(kind, text, &value)
}

fn parse_kind(kind: Kind, text: &str, value: &Value) -> Result<Parsed, DocError> {
    match kind {
        Kind::SpotDeployment => spot_deployment(text, value).map(Parsed::SpotDeployment),
        Kind::Strategy => strategy(text).map(Parsed::Strategy),
        Kind::RolloutSpec => rollout_spec(text).map(Parsed::RolloutSpec),
        Kind::VerificationTemplate => template(text).map(Parsed::VerificationTemplate),
        Kind::VerificationProvider => provider(text).map(Parsed::VerificationProvider),
        Kind::Service => service(text).map(Parsed::Service),
    }
}

struct Inner {
    text: String,
    value: Value,
}

/// `body` as the inner document, when it reads as exactly the wrapped entity.
fn same_entity(body: String, inner: &Value) -> Option<Inner> {
    let value = serde_norway::from_str::<Value>(&body).ok()?;
    (&value == inner).then_some(Inner { text: body, value })
}

/// The CLI's wrapped form: one top-level key naming an Ocean CD kind (`strategy:`,
/// `rolloutSpec:`, ...) holding the entity. Answers the kind, the entity as its own document,
/// and the line and column offsets that map the inner document's positions back to the
/// stream's.
fn unwrap_cli_form(text: &str, value: &Value) -> Option<(Kind, Inner, usize, usize)> {
    let (kind, key, inner) = wrapped(value)?;
    if !inner.is_mapping() {
        return None;
    }
    // Block style: the lines under the key, dedented, keep their line numbers (shifted).
    let lines: Vec<&str> = text.lines().collect();
    let key_line = lines.iter().position(|l| {
        let t = l.trim();
        !t.is_empty() && !t.starts_with('#')
    })?;
    let header = lines[key_line].trim_end();
    let rest = &lines[key_line + 1..];
    let indent = rest
        .iter()
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    if header.ends_with(':') && indent > 0 {
        let body: String = rest
            .iter()
            .map(|l| {
                if l.len() >= indent {
                    &l[indent..]
                } else {
                    l.trim_start()
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        if let Some(found) = same_entity(body, inner) {
            return Some((kind, found, key_line + 1, indent));
        }
    }
    // Flow style (`strategy: {name: …}`): the wrapper key blanked out, so the entity is the
    // document's only node and keeps its own lines and columns.
    if let Some(found) = blank_key(text, key).and_then(|body| same_entity(body, inner)) {
        return Some((kind, found, 0, 0));
    }
    // Anything else: the entity re-written, errors at the wrapper's line.
    let body = serde_norway::to_string(inner).ok()?;
    Some((
        kind,
        Inner {
            text: body,
            value: inner.clone(),
        },
        key_line,
        0,
    ))
}

/// `text` with its top-level `key:` (as the parser places it, quoted or not) turned into
/// spaces, every other character where it was.
fn blank_key(text: &str, key: &str) -> Option<String> {
    let (line, column) = locate_path(text, &[Seg::Key(key)])?;
    let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
    let l = lines.get_mut(line - 1)?;
    let start = l.char_indices().nth(column - 1)?.0;
    let colon = start + l[start..].find(':')?;
    l.replace_range(start..=colon, &" ".repeat(l[start..=colon].chars().count()));
    Some(lines.join("\n"))
}

/// Every string in the document within [`limits::MAX_TEXT_LEN`], and nesting within reason.
/// `path` is where `v` is (`key` its last key), to point at the line of a value too long.
fn check_strings<'v>(
    text: &str,
    v: &'v Value,
    key: &'v str,
    path: &mut Vec<Seg<'v>>,
) -> Result<(), DocError> {
    if path.len() > 64 {
        return Err(DocError::at(
            format!("{key}: nested more than 64 levels deep"),
            field_at(text, &path[..64]),
        ));
    }
    match v {
        Value::String(s) if s.len() > limits::MAX_TEXT_LEN => Err(DocError::at(
            format!(
                "{key}: the value has {} characters; at most {} are accepted",
                s.len(),
                limits::MAX_TEXT_LEN
            ),
            field_at(text, path),
        )),
        Value::Sequence(items) => items.iter().enumerate().try_for_each(|(i, item)| {
            path.push(Seg::Index(i));
            let checked = check_strings(text, item, key, path);
            path.pop();
            checked
        }),
        Value::Mapping(m) => m.iter().try_for_each(|(k, v)| {
            let name = k.as_str().unwrap_or(key);
            // A key too long is pointed at as the entry it names.
            path.push(Seg::Key(name));
            let checked =
                check_strings(text, k, key, path).and_then(|()| check_strings(text, v, name, path));
            path.pop();
            checked
        }),
        Value::Tagged(t) => check_strings(text, &t.value, key, path),
        _ => Ok(()),
    }
}

/// An Ocean CD entity's name. Without one, the error points at the empty `name:` or
/// `metadata.name:` when written, else at the entity's first key (its start).
fn ocean_name(
    text: &str,
    kind: Kind,
    name: &Option<String>,
    meta: &Option<e::NameOnly>,
) -> Result<String, DocError> {
    // The top-level `name` wins over `metadata.name` (as in `e::ocean_name`).
    let (key, path) = match (name, meta) {
        (None, Some(_)) => (
            "metadata.name",
            &[Seg::Key("metadata"), Seg::Key("name")][..],
        ),
        _ => ("name", &[Seg::Key("name")][..]),
    };
    let n = e::ocean_name(name, meta).ok_or_else(|| {
        DocError::at(
            format!("{key}: a {} needs a name", kind.name()),
            field_at(text, path),
        )
    })?;
    check_entity_name(text, key, path, &n)?;
    Ok(n)
}

/// Ocean CD entity names: letters (capitals too), digits, '-', '_' and '.', at most 63,
/// starting and ending with a letter or digit. `key` is its field, at `path`.
fn check_entity_name(text: &str, key: &str, path: &[Seg], name: &str) -> Result<(), DocError> {
    let ok = !name.is_empty()
        && name.len() <= 63
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name.ends_with(|c: char| c.is_ascii_alphanumeric());
    if ok {
        Ok(())
    } else {
        Err(DocError::at(
            format!(
                "{key}: `{}` is not a valid Ocean CD name (letters, digits, '-', '_' and '.', \
                 at most 63, starting and ending with a letter or digit)",
                shorten(name)
            ),
            field_at(text, path),
        ))
    }
}

/// A Kubernetes name, within [`limits::MAX_NAME_LEN`]; `key` is its field, at `path`.
fn check_dns_name(text: &str, key: &str, path: &[Seg], name: &str) -> Result<(), DocError> {
    let ok = !name.is_empty()
        && name.len() <= limits::MAX_NAME_LEN
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.')
        && !name.starts_with('-')
        && !name.ends_with('-');
    if ok {
        Ok(())
    } else {
        Err(DocError::at(
            format!(
                "{key}: `{}` is not a valid Kubernetes name (lowercase letters, digits, '-' and \
                 '.', at most {})",
                shorten(name),
                limits::MAX_NAME_LEN
            ),
            field_at(text, path),
        ))
    }
}

/// A value quoted in an error message, cut to a readable length.
fn shorten(s: &str) -> String {
    match s.char_indices().nth(64) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

/// A cap on a number, as a DocError at the field written at `path`.
fn at_most(
    text: &str,
    field: &str,
    path: &[Seg],
    value: u64,
    max: u64,
    unit: &str,
) -> Result<(), DocError> {
    if value <= max {
        return Ok(());
    }
    Err(DocError::at(
        format!("{field}: {value}{unit} is more than the {max}{unit} accepted"),
        field_at(text, path),
    ))
}

/// A duration's seconds, within [`limits::MAX_DURATION_SECONDS`].
fn duration_within(seconds: u64, field: &str, at: (usize, usize)) -> Result<u64, DocError> {
    if seconds <= limits::MAX_DURATION_SECONDS {
        return Ok(seconds);
    }
    Err(DocError::at(
        format!(
            "{field}: {} is longer than the 30 days (2592000 s) accepted",
            if seconds == u64::MAX {
                "the duration".to_string()
            } else {
                format!("{seconds} s")
            }
        ),
        at,
    ))
}

/// Where a SpotDeployment's containers are written.
const CONTAINERS: [Seg; 4] = [
    Seg::Key("spec"),
    Seg::Key("template"),
    Seg::Key("spec"),
    Seg::Key("containers"),
];

fn spot_deployment(text: &str, value: &Value) -> Result<SpotDeploymentInfo, DocError> {
    let d: e::SpotDeployment = typed(text)?;
    check_dns_name(
        text,
        "name",
        &[Seg::Key("metadata"), Seg::Key("name")],
        &d.metadata.name,
    )?;
    if let Some(ns) = &d.metadata.namespace {
        check_dns_name(
            text,
            "namespace",
            &[Seg::Key("metadata"), Seg::Key("namespace")],
            ns,
        )?;
    }
    at_most(
        text,
        "spec.replicas",
        &[Seg::Key("spec"), Seg::Key("replicas")],
        u64::from(d.spec.replicas),
        u64::from(limits::MAX_REPLICAS),
        "",
    )?;
    if let Some(p) = d.spec.progress_deadline_seconds {
        duration_within(
            p,
            "spec.progressDeadlineSeconds",
            field_at(
                text,
                &[Seg::Key("spec"), Seg::Key("progressDeadlineSeconds")],
            ),
        )?;
    }
    let container = d.spec.template.spec.containers.first().ok_or_else(|| {
        DocError::at(
            "spec.template.spec.containers: at least one container is needed",
            field_at(text, &CONTAINERS),
        )
    })?;
    if container.image.trim().is_empty() {
        return Err(DocError::at(
            "spec.template.spec.containers[0].image: the image is empty",
            field_at(
                text,
                &[&CONTAINERS[..], &[Seg::Index(0), Seg::Key("image")]].concat(),
            ),
        ));
    }
    let template = value
        .get("spec")
        .and_then(|s| s.get("template"))
        .cloned()
        .unwrap_or(Value::Null);
    let template_text = serde_norway::to_string(&template).unwrap_or_default();
    let ann = &d.metadata.annotations;
    let ann_err = |key: &str, message: String| {
        let key = format!("{SIM}{key}");
        let path = [
            Seg::Key("metadata"),
            Seg::Key("annotations"),
            Seg::Key(&key),
        ];
        DocError::at(
            format!("metadata.annotations.{key}: {message}"),
            field_at(text, &path),
        )
    };
    let mut pod_fault = PodFault::None;
    if let Some(v) = ann.get(&format!("{SIM}crash-loop")) {
        match v.as_str() {
            "true" => pod_fault = PodFault::CrashLoop,
            "false" => {}
            _ => {
                return Err(ann_err(
                    "crash-loop",
                    format!("expected \"true\" or \"false\", got `{v}`"),
                ))
            }
        }
    }
    if let Some(v) = ann.get(&format!("{SIM}image-pull")) {
        match v.as_str() {
            "fail" => pod_fault = PodFault::ImagePull,
            "ok" | "" => {}
            _ => {
                return Err(ann_err(
                    "image-pull",
                    format!("expected \"fail\", got `{v}`"),
                ))
            }
        }
    }
    if let Some(v) = ann.get(&format!("{SIM}liveness")) {
        match v.as_str() {
            "fail" => pod_fault = PodFault::Liveness,
            "ok" | "" => {}
            _ => return Err(ann_err("liveness", format!("expected \"fail\", got `{v}`"))),
        }
    }
    let mut start_seconds = 6;
    if let Some(v) = ann.get(&format!("{SIM}pod-start-seconds")) {
        start_seconds = v
            .parse::<u32>()
            .ok()
            .filter(|s| (1..=3600).contains(s))
            .ok_or_else(|| {
                ann_err(
                    "pod-start-seconds",
                    format!("expected whole seconds 1..3600, got `{v}`"),
                )
            })?;
    }
    let mut metric_faults = MetricFaults::default();
    for (key, v) in ann {
        let Some(rest) = key.strip_prefix(SIM) else {
            continue;
        };
        let number = |v: &str| {
            v.parse::<f64>()
                .ok()
                .filter(|n| n.is_finite())
                .ok_or_else(|| ann_err(rest, format!("expected a number, got `{}`", shorten(v))))
        };
        if rest == "metric-value" {
            metric_faults.value = Some(number(v)?);
        } else if let Some(metric) = rest.strip_prefix("metric-value.") {
            let n = number(v)?;
            metric_faults.per_metric.insert(metric.to_string(), n);
        } else if rest == "metric-error" {
            if !matches!(v.as_str(), "unreachable" | "credentials" | "query") {
                return Err(ann_err(
                    rest,
                    format!("expected unreachable, credentials or query, got `{v}`"),
                ));
            }
            metric_faults.error = Some(v.clone());
        }
    }
    let labels = d
        .spec
        .template
        .metadata
        .as_ref()
        .map(|m| m.labels.clone())
        .filter(|l| !l.is_empty())
        .unwrap_or_else(|| BTreeMap::from([("app".to_string(), d.metadata.name.clone())]));
    Ok(SpotDeploymentInfo {
        name: d.metadata.name.clone(),
        namespace: d
            .metadata
            .namespace
            .clone()
            .unwrap_or_else(|| "default".into()),
        replicas: d.spec.replicas,
        image: container.image.clone(),
        container: container.name.clone(),
        labels,
        progress_deadline_seconds: d.spec.progress_deadline_seconds.unwrap_or(600),
        template_hash: crate::ids::template_hash(&template_text),
        manifest: serde_norway::to_string(value).unwrap_or_else(|_| text.to_string()),
        strategy_override: ann.get(ANN_STRATEGY).cloned(),
        cluster_annotation: ann.get(ANN_CLUSTER).cloned(),
        pod_fault,
        start_seconds,
        metric_faults,
    })
}

/// The template names of a step or of the background verification, written at `path`.
/// The step's parts a phase is made of, canary and rolling alike: its index, name, pause and
/// verification.
type StepParts<'a> = (
    usize,
    &'a Option<String>,
    &'a Option<e::Pause>,
    &'a Option<e::TemplateNames>,
);

/// One phase of a strategy from its step at `at_step` (named `phase-N` when it has no name).
fn phase_spec(
    text: &str,
    (i, name, pause, verification): StepParts,
    weight: u32,
    at_step: &[Seg],
) -> Result<PhaseSpec, DocError> {
    Ok(PhaseSpec {
        name: name.clone().unwrap_or_else(|| format!("phase-{}", i + 1)),
        weight,
        pause: pause_of(text, pause, at_step)?,
        templates: templates_of(
            text,
            verification,
            &[at_step, &[Seg::Key("verification")]].concat(),
        )?,
    })
}

fn templates_of(
    text: &str,
    t: &Option<e::TemplateNames>,
    path: &[Seg],
) -> Result<Vec<String>, DocError> {
    let names = t
        .as_ref()
        .map(|t| t.template_names.clone())
        .unwrap_or_default();
    let path = [path, &[Seg::Key("templateNames")]].concat();
    at_most(
        text,
        "templateNames",
        &path,
        names.len() as u64,
        limits::MAX_METRICS as u64,
        " templates",
    )?;
    Ok(names)
}

/// The pause of a step, written at `step` (`canary.steps[i]`).
fn pause_of(
    text: &str,
    p: &Option<e::Pause>,
    step: &[Seg],
) -> Result<Option<Option<u64>>, DocError> {
    let Some(p) = p else {
        return Ok(None);
    };
    match &p.duration {
        None => Ok(Some(None)),
        Some(d) => {
            let at = field_at(
                text,
                &[step, &[Seg::Key("pause"), Seg::Key("duration")]].concat(),
            );
            let s = parse_duration(&d.text())
                .map_err(|m| DocError::at(format!("pause.duration: {m}"), at))?;
            Ok(Some(Some(duration_within(s, "pause.duration", at)?)))
        }
    }
}

fn strategy(text: &str) -> Result<StrategyInfo, DocError> {
    let s: e::Strategy = typed(text)?;
    let name = ocean_name(text, Kind::Strategy, &s.name, &s.metadata)?;
    let (steps, block) = match (&s.canary, &s.rolling) {
        (Some(c), _) => (c.steps.len(), "canary"),
        (None, Some(r)) => (r.steps.len(), "rolling"),
        (None, None) => (0, "canary"),
    };
    at_most(
        text,
        &format!("{block}.steps"),
        &[Seg::Key(block), Seg::Key("steps")],
        steps as u64,
        limits::MAX_STEPS as u64,
        " steps",
    )?;
    // Ocean CD's own rolling-update examples write `canary:` steps without any setWeight.
    let rolling_as_canary = s
        .canary
        .as_ref()
        .filter(|c| !c.steps.is_empty() && c.steps.iter().all(|step| step.set_weight.is_none()));
    let converted;
    let (canary, rolling) = match rolling_as_canary {
        Some(c) => {
            converted = e::RollingStrategy {
                background_verification: c.background_verification.clone(),
                steps: c
                    .steps
                    .iter()
                    .map(|step| e::RollingStep {
                        name: step.name.clone(),
                        verification: step.verification.clone(),
                        pause: step.pause.clone(),
                    })
                    .collect(),
            };
            (None, Some(&converted))
        }
        None => (s.canary.as_ref(), s.rolling.as_ref()),
    };
    match (canary, rolling) {
        (Some(_), Some(_)) => Err(DocError::at(
            "rolling: a Strategy has either canary or rolling, not both",
            field_at(text, &[Seg::Key("rolling")]),
        )),
        (None, None) => Err(DocError::at(
            "a Strategy needs a canary or a rolling block",
            field_at(text, &[]),
        )),
        (Some(c), None) => {
            if c.steps.is_empty() {
                return Err(DocError::at(
                    "canary.steps: at least one step is needed",
                    field_at(text, &[Seg::Key(block), Seg::Key("steps")]),
                ));
            }
            let mut phases = Vec::new();
            let mut previous = 0;
            for (i, step) in c.steps.iter().enumerate() {
                let at_step = [Seg::Key(block), Seg::Key("steps"), Seg::Index(i)];
                let weight = step.set_weight.ok_or_else(|| {
                    DocError::at(
                        format!("canary.steps[{i}].setWeight is missing (a canary step sets the canary weight; a rolling strategy has none)"),
                        field_at(text, &at_step),
                    )
                })?;
                let at = field_at(text, &[&at_step[..], &[Seg::Key("setWeight")]].concat());
                if weight == 0 || weight > 100 {
                    return Err(DocError::at(
                        format!("canary.steps[{i}].setWeight: {weight} is out of range (1 to 100)"),
                        at,
                    ));
                }
                if weight <= previous {
                    return Err(DocError::at(
                        format!("canary.steps[{i}].setWeight: {weight} must be greater than the previous step's {previous} (weights rise strictly)"),
                        at,
                    ));
                }
                previous = weight;
                phases.push(phase_spec(
                    text,
                    (i, &step.name, &step.pause, &step.verification),
                    weight,
                    &at_step,
                )?);
            }
            Ok(StrategyInfo {
                name,
                kind: rollout_api::StrategyType::Canary,
                phases,
                background: templates_of(
                    text,
                    &c.background_verification,
                    &[Seg::Key(block), Seg::Key("backgroundVerification")],
                )?,
            })
        }
        (None, Some(r)) => {
            if r.steps.is_empty() {
                return Err(DocError::at(
                    "rolling.steps: at least one step is needed",
                    field_at(text, &[Seg::Key(block), Seg::Key("steps")]),
                ));
            }
            let n = r.steps.len() as u32;
            let mut phases = Vec::new();
            for (i, step) in r.steps.iter().enumerate() {
                let at_step = [Seg::Key(block), Seg::Key("steps"), Seg::Index(i)];
                let weight = (100 * (i as u32 + 1)).div_ceil(n);
                phases.push(phase_spec(
                    text,
                    (i, &step.name, &step.pause, &step.verification),
                    weight,
                    &at_step,
                )?);
            }
            Ok(StrategyInfo {
                name,
                kind: rollout_api::StrategyType::Rolling,
                phases,
                background: templates_of(
                    text,
                    &r.background_verification,
                    &[Seg::Key(block), Seg::Key("backgroundVerification")],
                )?,
            })
        }
    }
}

fn rollout_spec(text: &str) -> Result<RolloutSpecInfo, DocError> {
    let r: e::RolloutSpec = typed(text)?;
    let name = ocean_name(text, Kind::RolloutSpec, &r.name, &r.metadata)?;
    let traffic = r.traffic.clone();
    Ok(RolloutSpecInfo {
        name,
        cluster_id: r.spot_deployment.cluster_id.clone(),
        namespace: r.spot_deployment.namespace.clone(),
        spot_deployment: r.spot_deployment.name.clone(),
        strategy: r.strategy.name.clone(),
        stable_service: traffic.as_ref().and_then(|t| t.stable_service.clone()),
        canary_service: traffic.as_ref().and_then(|t| t.canary_service.clone()),
        failure_policy: r
            .failure_policy
            .map(|f| f.action)
            .unwrap_or(e::FailureAction::Abort),
    })
}

fn template(text: &str) -> Result<TemplateInfo, DocError> {
    let t: e::VerificationTemplate = typed(text)?;
    let name = ocean_name(text, Kind::VerificationTemplate, &t.name, &t.metadata)?;
    if t.metrics.is_empty() {
        return Err(DocError::at(
            "metrics: at least one metric is needed",
            field_at(text, &[Seg::Key("metrics")]),
        ));
    }
    at_most(
        text,
        "metrics",
        &[Seg::Key("metrics")],
        t.metrics.len() as u64,
        limits::MAX_METRICS as u64,
        " metrics",
    )?;
    let mut metrics = Vec::new();
    for (i, m) in t.metrics.iter().enumerate() {
        let nth = |key: &str| field_at(text, &[Seg::Key("metrics"), Seg::Index(i), Seg::Key(key)]);
        let dur = |d: &Option<e::DurationText>, key: &str, default: u64| {
            let Some(d) = d else {
                return Ok(default);
            };
            let (field, at) = (format!("metrics[{i}].{key}"), nth(key));
            parse_duration(&d.text())
                .map_err(|msg| DocError::at(format!("{field}: {msg}"), at))
                .and_then(|s| duration_within(s, &field, at))
        };
        let interval = dur(&m.interval, "interval", 60)?;
        let initial_delay = dur(&m.initial_delay, "initialDelay", 0)?;
        if let Some(count) = m.count {
            let at = nth("count");
            if count > limits::MAX_COUNT {
                return Err(DocError::at(
                    format!(
                        "metrics[{i}].count: {count} is more than the {} measurements accepted",
                        limits::MAX_COUNT
                    ),
                    at,
                ));
            }
        }
        for (key, cond) in [
            ("successCondition", &m.success_condition),
            ("failureCondition", &m.failure_condition),
        ] {
            if let Some(c) = cond {
                let at = nth(key);
                Condition::parse(c)
                    .map_err(|msg| DocError::at(format!("metrics[{i}].{key}: {msg}"), at))?;
            }
        }
        let provider_at = nth("provider");
        let blocks = m.provider.blocks();
        if blocks.len() != 1 {
            return Err(DocError::at(
                format!(
                    "metrics[{i}].provider: exactly one of prometheus, datadog, newRelic, cloudWatch, web, job is needed (found {})",
                    blocks.len()
                ),
                provider_at,
            ));
        }
        let (kind, block) = blocks[0];
        metrics.push(MetricSpec {
            name: m.name.clone(),
            interval_seconds: interval.max(1),
            initial_delay_seconds: initial_delay,
            count: m.count,
            success_condition: m.success_condition.clone(),
            failure_condition: m.failure_condition.clone(),
            failure_limit: m.failure_limit.unwrap_or(0),
            inconclusive_limit: m.inconclusive_limit.unwrap_or(0),
            consecutive_error_limit: m.consecutive_error_limit.unwrap_or(4),
            dry_run: m.dry_run.unwrap_or(false),
            provider_kind: kind.to_string(),
            query: e::query_text(kind, block),
        });
    }
    Ok(TemplateInfo { name, metrics })
}

fn provider(text: &str) -> Result<ProviderInfo, DocError> {
    let p: e::VerificationProvider = typed(text)?;
    let name = ocean_name(text, Kind::VerificationProvider, &p.name, &p.metadata)?;
    if p.cluster_ids.is_empty() {
        return Err(DocError::at(
            "clusterIds: at least one cluster id is needed",
            // `clusters:` is its alias.
            locate_path(text, &[Seg::Key("clusterIds")])
                .unwrap_or_else(|| field_at(text, &[Seg::Key("clusters")])),
        ));
    }
    let kinds = p.kinds();
    if kinds.len() != 1 {
        return Err(DocError::at(
            format!(
                "a VerificationProvider has exactly one of prometheus, datadog, newRelic, cloudWatch (found {})",
                kinds.len()
            ),
            // The second block found, or (none) the entity's first key.
            field_at(text, &kinds.get(1).map(|k| vec![Seg::Key(k)]).unwrap_or_default()),
        ));
    }
    Ok(ProviderInfo {
        name,
        cluster_ids: p.cluster_ids.clone(),
        kinds,
    })
}

fn service(text: &str) -> Result<ServiceInfo, DocError> {
    let s: e::Service = typed(text)?;
    check_dns_name(
        text,
        "name",
        &[Seg::Key("metadata"), Seg::Key("name")],
        &s.metadata.name,
    )?;
    Ok(ServiceInfo {
        name: s.metadata.name.clone(),
        namespace: s
            .metadata
            .namespace
            .clone()
            .unwrap_or_else(|| "default".into()),
        selector: s.spec.selector.into_iter().collect(),
        ports: s.spec.ports.iter().map(|p| p.port).collect(),
        cluster_annotation: s.metadata.annotations.get(ANN_CLUSTER).cloned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_counts_lines() {
        let docs = split_stream("---\n# c\n---\na: 1\n---\nb: 2\nc: 3\n");
        assert_eq!(docs.len(), 2);
        assert_eq!((docs[0].index, docs[0].start_line), (1, 4));
        assert_eq!((docs[1].index, docs[1].start_line), (2, 6));
    }
}
