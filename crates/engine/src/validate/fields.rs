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

/// The rules of one sort of name, as checked and as an error states them.
struct NameRules {
    /// Whose names: "Ocean CD", "Kubernetes".
    sort: &'static str,
    max: usize,
    /// Which characters may stand anywhere, and which may start and end it.
    any: fn(char) -> bool,
    edge: fn(char) -> bool,
    /// The allowed characters, and any rule on the ends, as the error states them.
    chars: &'static str,
    ends: &'static str,
}

/// Ocean CD entity names: letters (capitals too), digits, '-', '_' and '.', at most 63,
/// starting and ending with a letter or digit.
const OCEAN_CD_NAME: NameRules = NameRules {
    sort: "Ocean CD",
    max: 63,
    any: |c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'),
    edge: |c| c.is_ascii_alphanumeric(),
    chars: "letters, digits, '-', '_' and '.'",
    ends: ", starting and ending with a letter or digit",
};

/// Kubernetes names: lowercase letters, digits, '-' and '.', within [`limits::MAX_NAME_LEN`],
/// not starting or ending with '-'.
const KUBERNETES_NAME: NameRules = NameRules {
    sort: "Kubernetes",
    max: limits::MAX_NAME_LEN,
    any: |c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.',
    edge: |c| c != '-',
    chars: "lowercase letters, digits, '-' and '.'",
    ends: "",
};

/// An Ocean CD entity's name ([`OCEAN_CD_NAME`]); `key` is its field, at `path`.
pub(super) fn check_entity_name(
    text: &str,
    key: &str,
    path: &[Seg],
    name: &str,
) -> Result<(), DocError> {
    check_name(text, (key, path, name), &OCEAN_CD_NAME)
}

/// A Kubernetes name ([`KUBERNETES_NAME`]); `key` is its field, at `path`.
pub(super) fn check_dns_name(
    text: &str,
    key: &str,
    path: &[Seg],
    name: &str,
) -> Result<(), DocError> {
    check_name(text, (key, path, name), &KUBERNETES_NAME)
}

/// `name`, the value of `key` written at `path`, by `rules`.
fn check_name(
    text: &str,
    (key, path, name): (&str, &[Seg], &str),
    rules: &NameRules,
) -> Result<(), DocError> {
    let ok = !name.is_empty()
        && name.len() <= rules.max
        && name.chars().all(rules.any)
        && name.starts_with(rules.edge)
        && name.ends_with(rules.edge);
    if ok {
        return Ok(());
    }
    let NameRules {
        sort,
        max,
        chars,
        ends,
        ..
    } = rules;
    Err(DocError::at(
        format!(
            "{key}: `{}` is not a valid {sort} name ({chars}, at most {max}{ends})",
            shorten(name)
        ),
        field_at(text, path),
    ))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wrong_name_says_the_rules_of_its_kind() {
        let text = "metadata:\n  name: Web\n";
        let path = [Seg::Key("metadata"), Seg::Key("name")];
        assert_eq!(check_entity_name(text, "name", &path, "Web"), Ok(()));
        let err = check_dns_name(text, "name", &path, "Web").unwrap_err();
        assert_eq!(
            err.message,
            format!(
                "name: `Web` is not a valid Kubernetes name (lowercase letters, digits, '-' and \
                 '.', at most {})",
                limits::MAX_NAME_LEN
            )
        );
        assert_eq!((err.line, err.column), (2, 3));
        let err = check_entity_name(text, "metadata.name", &path, "-web").unwrap_err();
        assert_eq!(
            err.message,
            "metadata.name: `-web` is not a valid Ocean CD name (letters, digits, '-', '_' and '.', \
             at most 63, starting and ending with a letter or digit)"
        );
        for (name, kubernetes, ocean_cd) in [
            ("web-1.a", true, true),
            (".web", true, false),
            ("-web", false, false),
            ("web-", false, false),
            ("web_1", false, true),
            ("", false, false),
        ] {
            assert_eq!(
                check_dns_name(text, "name", &path, name).is_ok(),
                kubernetes,
                "{name}"
            );
            assert_eq!(
                check_entity_name(text, "name", &path, name).is_ok(),
                ocean_cd,
                "{name}"
            );
        }
        let long = "a".repeat(limits::MAX_NAME_LEN + 1);
        let err = check_dns_name(text, "name", &path, &long).unwrap_err();
        assert!(err
            .message
            .starts_with(&format!("name: `{}…` is not", "a".repeat(64))));
    }
}
