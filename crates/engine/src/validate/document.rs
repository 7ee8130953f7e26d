//! One document: what every document must be (a mapping within the caps of [`limits`], every
//! string within [`limits::MAX_TEXT_LEN`], a known kind with its apiVersion, or the CLI's wrapped
//! form), serde's errors placed, and the dispatch to each kind's checks.

use super::cli_form::{unwrap_cli_form, WRAPPED};
use super::fields::field_at;
use super::rollout_spec::{rollout_spec, RolloutSpecInfo};
use super::service::{service, ServiceInfo};
use super::spot_deployment::{spot_deployment, SpotDeploymentInfo};
use super::strategy::{strategy, StrategyInfo};
use super::verification::{provider, template, ProviderInfo, TemplateInfo};
use super::DocError;
use crate::entities::Kind;
use crate::limits;
use crate::position::Seg;
use serde::de::DeserializeOwned;
use serde_norway::Value;

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

pub(super) fn typed<T: DeserializeOwned>(text: &str) -> Result<T, DocError> {
    serde_norway::from_str(text).map_err(serde_error)
}

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
