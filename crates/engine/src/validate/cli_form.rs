//! The Ocean CD CLI's wrapped form (`strategy: {name: …, canary: …}`): recognising it, reading the
//! entity under the wrapper key as its own document (block or flow style) with the offsets that
//! map its positions back, and pointing at an entity's field under the wrapper.

use super::fields::field_at;
use crate::entities::Kind;
use crate::position::{locate_path, Seg};
use serde_norway::Value;

/// The kinds the Ocean CD CLI writes wrapped (`strategy: {name: …, canary: …}`).
pub(super) const WRAPPED: [Kind; 4] = [
    Kind::Strategy,
    Kind::RolloutSpec,
    Kind::VerificationTemplate,
    Kind::VerificationProvider,
];

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

pub(super) struct Inner {
    pub(super) text: String,
    pub(super) value: Value,
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
pub(super) fn unwrap_cli_form(text: &str, value: &Value) -> Option<(Kind, Inner, usize, usize)> {
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
