//! The stream as a whole: splitting it on `---` (keeping each document's first line), the cap on
//! documents, parsing every document (stopping at the first wrong one, or not for a dry run) and
//! placing a document's error at its line in the stream. Also what a document too wrong to parse
//! says it is.

use super::cli_form::WRAPPED;
use super::document::{parse_document, Parsed};
use super::DocError;
use crate::entities::Kind;
use crate::limits;
use serde_norway::Value;

/// One document of a stream.
#[derive(Debug, Clone)]
pub struct SplitDoc {
    /// 1-based, counting non-empty documents.
    pub index: usize,
    /// 1-based line of the document's first line in the stream.
    pub start_line: usize,
    pub text: String,
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
