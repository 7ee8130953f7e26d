//! Checks shared by every kind: where a field is written (to place an error), entity and
//! Kubernetes names, caps on numbers and durations, and values quoted short in messages.

use super::DocError;
use crate::entities::{self as e, Kind};
use crate::limits;
use crate::position::{locate_nearest, Seg};

/// Where the field at `path` is written, else its nearest written parent (see
/// [`locate_nearest`]): a missing field is pointed at the mapping that lacks it.
pub(super) fn field_at(text: &str, path: &[Seg]) -> (usize, usize) {
    locate_nearest(text, path)
}

/// An Ocean CD entity's name. Without one, the error points at the empty `name:` or
/// `metadata.name:` when written, else at the entity's first key (its start).
pub(super) fn ocean_name(
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
pub(super) fn check_entity_name(
    text: &str,
    key: &str,
    path: &[Seg],
    name: &str,
) -> Result<(), DocError> {
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
pub(super) fn check_dns_name(
    text: &str,
    key: &str,
    path: &[Seg],
    name: &str,
) -> Result<(), DocError> {
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
pub(super) fn shorten(s: &str) -> String {
    match s.char_indices().nth(64) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

/// A cap on a number, as a DocError at the field written at `path`.
pub(super) fn at_most(
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
pub(super) fn duration_within(
    seconds: u64,
    field: &str,
    at: (usize, usize),
) -> Result<u64, DocError> {
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
