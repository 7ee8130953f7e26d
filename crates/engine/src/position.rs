//! Where a field is written in a YAML document, found by its path (`canary.steps[1].pause.duration`)
//! rather than by searching the text: the document is walked with the YAML parser, following
//! only the path, and the parser's own mark gives the key's line and column. Block and flow
//! style, quoted keys, comments and anchors are all the parser's business, so a value past a
//! cap is reported where it is written.

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// One step of a path: a mapping key or a sequence index (0-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

/// Raised, and recognised, when the walk reaches the end of the path.
const FOUND: &str = "\u{0}found";

/// The 1-based line and column of the field at `path` in a single-document `text`: of its key
/// for a mapping entry, of the item for a sequence index, of the document's node (its first
/// key, past any comments) for the empty path. None when the path is not written out (a
/// default) or the text does not parse up to it.
pub fn locate_path(text: &str, path: &[Seg]) -> Option<(usize, usize)> {
    let de = serde_norway::Deserializer::from_str(text);
    let doc = de.into_iter().next()?;
    match (Walk { path }).deserialize(doc) {
        Ok(()) => None,
        // The message reads "path: FOUND at line L column C".
        Err(err) if err.to_string().contains(FOUND) => err
            .location()
            .map(|l| (l.line(), l.column()))
            .filter(|&(line, column)| line > 0 && column > 0),
        Err(_) => None,
    }
}

/// Where the field at `path` is written, else its nearest written parent (a missing field is
/// pointed at the mapping that lacks it: `metadata:`, or the document's first key); (1, 1)
/// only when the text does not parse.
pub fn locate_nearest(text: &str, path: &[Seg]) -> (usize, usize) {
    (0..=path.len())
        .rev()
        .find_map(|n| locate_path(text, &path[..n]))
        .unwrap_or((1, 1))
}

/// Follows `path` through the node it is given; any other node is skipped unread.
#[derive(Clone, Copy)]
struct Walk<'p, 'a> {
    path: &'p [Seg<'a>],
}

impl<'de> DeserializeSeed<'de> for Walk<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        match self.path {
            // The end of the path as a sequence item: fail on the item itself, at its mark.
            [] => d.deserialize_any(Here),
            _ => d.deserialize_any(self),
        }
    }
}

impl<'de> Visitor<'de> for Walk<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a mapping or a sequence")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let Some((Seg::Key(want), rest)) = self.path.split_first() else {
            return skip_map(map);
        };
        while let Some(matched) = map.next_key_seed(KeyIs {
            want,
            last: rest.is_empty(),
        })? {
            if matched {
                return map.next_value_seed(Walk { path: rest });
            }
            map.next_value::<IgnoredAny>()?;
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let Some((Seg::Index(want), rest)) = self.path.split_first() else {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            return Ok(());
        };
        for _ in 0..*want {
            if seq.next_element::<IgnoredAny>()?.is_none() {
                return Ok(());
            }
        }
        seq.next_element_seed(Walk { path: rest }).map(|_| ())
    }

    // Scalars: the path goes no further.
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

fn skip_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<(), A::Error> {
    while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
    Ok(())
}

/// A mapping key: whether it is the one wanted; at the path's end, the wanted key fails at
/// its own mark.
struct KeyIs<'w> {
    want: &'w str,
    last: bool,
}

impl<'de> DeserializeSeed<'de> for KeyIs<'_> {
    type Value = bool;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for KeyIs<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<bool, E> {
        match (key == self.want, self.last) {
            (true, true) => Err(E::custom(FOUND)),
            (matched, _) => Ok(matched),
        }
    }

    // Any other key (a number, a mapping...) is not the one wanted.
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_unit<E: de::Error>(self) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<bool, A::Error> {
        skip_map(map).map(|()| false)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(false)
    }
}

/// Fails on whatever node it is given: the end of a path that names a sequence item.
struct Here;

impl<'de> Visitor<'de> for Here {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(FOUND)
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Err(E::custom(FOUND))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Err(E::custom(FOUND))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Err(E::custom(FOUND))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Err(E::custom(FOUND))
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Err(E::custom(FOUND))
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Err(E::custom(FOUND))
    }
    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(de::Error::custom(FOUND))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(de::Error::custom(FOUND))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Seg::{Index as I, Key as K};

    const STRATEGY: &str = "kind: Strategy
name: s # duration: not here
canary:
  backgroundVerification: {templateNames: [a]}
  steps:
    - setWeight: 10
      pause: {}
    - {setWeight: 50, pause: {duration: 99999d}}
    - setWeight: 60
      pause:
        \"duration\": 1h
";

    #[test]
    fn finds_keys_in_block_and_flow_style() {
        let at = |p: &[Seg]| locate_path(STRATEGY, p);
        assert_eq!(at(&[K("canary"), K("steps")]), Some((5, 3)));
        assert_eq!(
            at(&[K("canary"), K("steps"), I(1), K("pause"), K("duration")]),
            Some((8, 31))
        );
        assert_eq!(
            at(&[K("canary"), K("steps"), I(2), K("pause"), K("duration")]),
            Some((11, 9))
        );
        assert_eq!(at(&[K("canary"), K("steps"), I(2)]), Some((9, 7)));
        assert_eq!(
            at(&[K("canary"), K("backgroundVerification"), K("templateNames")]),
            Some((4, 28))
        );
    }

    #[test]
    fn a_path_not_written_is_none() {
        let at = |p: &[Seg]| locate_path(STRATEGY, p);
        assert_eq!(
            at(&[K("canary"), K("steps"), I(0), K("pause"), K("duration")]),
            None
        );
        assert_eq!(at(&[K("canary"), K("steps"), I(7)]), None);
        assert_eq!(at(&[K("rolling")]), None);
        assert_eq!(at(&[K("name"), K("x")]), None);
    }

    #[test]
    fn a_missing_field_is_pointed_at_its_nearest_written_parent() {
        let at = |p: &[Seg]| locate_nearest(STRATEGY, p);
        assert_eq!(at(&[K("canary"), K("rolling")]), (3, 1));
        assert_eq!(
            at(&[K("canary"), K("steps"), I(0), K("pause"), K("duration")]),
            (7, 7)
        );
        assert_eq!(at(&[K("canary"), K("steps"), I(7)]), (5, 3));
        // The document itself: its first key, past comments; a flow mapping at its brace.
        assert_eq!(at(&[K("metadata"), K("name")]), (1, 1));
        assert_eq!(locate_nearest("# c\n\n  kind: x\n", &[K("name")]), (3, 3));
        assert_eq!(locate_nearest("# c\n{kind: x}\n", &[]), (2, 1));
    }

    #[test]
    fn follows_aliases_to_where_they_are_written() {
        let text = "base: &b {duration: 1h}\nsteps:\n  - pause: *b\n";
        assert_eq!(
            locate_path(text, &[K("steps"), I(0), K("pause"), K("duration")]),
            Some((1, 11))
        );
    }
}
