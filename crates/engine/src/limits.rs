//! What one applied YAML stream may ask of the engine: the caps every value derived from input is
//! checked against before anything is stored or simulated, the YAML alias budget, and checked
//! time arithmetic. A value past a cap is refused (422 naming document, field and line), never
//! clamped in silence and never left to overflow later inside a tick.

use crate::api::Timestamp;
use chrono::Duration;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use std::cell::Cell;
use std::fmt;

/// Longest duration anywhere (pause windows, metric interval and initial delay, progress
/// deadline): 30 days.
pub const MAX_DURATION_SECONDS: u64 = 30 * 24 * 3600;
/// Most replicas of one SpotDeployment (each is a simulated pod).
pub const MAX_REPLICAS: u32 = 1_000;
/// Most measurements a metric may ask for (`count`).
pub const MAX_COUNT: u32 = 10_000;
/// Most steps in one Strategy.
pub const MAX_STEPS: usize = 100;
/// Most metrics in one VerificationTemplate, and template names in one step.
pub const MAX_METRICS: usize = 50;
/// Most documents in one applied stream.
pub const MAX_DOCUMENTS: usize = 2_000;
/// Largest single document, in bytes.
pub const MAX_DOCUMENT_BYTES: usize = 256 * 1024;
/// Longest name (Ocean CD entities and Kubernetes names alike are far shorter).
pub const MAX_NAME_LEN: usize = 253;
/// Longest free text (an image, a query, a condition, an annotation value).
pub const MAX_TEXT_LEN: usize = 16 * 1024;
/// Most YAML nodes a document may expand to once its aliases are followed, per byte of text,
/// plus a floor: a plain document has far fewer nodes than bytes, an alias bomb far more.
const NODES_PER_BYTE: usize = 4;
const NODES_FLOOR: usize = 10_000;

/// `now + seconds`, or None when it would leave the calendar.
pub fn add_seconds(now: Timestamp, seconds: u64) -> Option<Timestamp> {
    let s = i64::try_from(seconds).ok()?;
    now.checked_add_signed(Duration::try_seconds(s)?)
}

/// `now + seconds`, saturating at a far-future instant: for values stored by an older version
/// that skipped the caps. A tick never panics on time arithmetic.
pub fn later(now: Timestamp, seconds: u64) -> Timestamp {
    add_seconds(now, seconds.min(MAX_DURATION_SECONDS * 12)).unwrap_or(now)
}

/// Why a document breaks the node budget or another structural limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exceeded(pub String);

/// Checks a document's size and that following its aliases stays within the node budget. Walks
/// the YAML events without building anything, so a "billion laughs" document is refused after
/// at most the budget's worth of cheap steps and no allocation.
pub fn check_document(text: &str) -> Result<(), Exceeded> {
    if text.len() > MAX_DOCUMENT_BYTES {
        return Err(Exceeded(format!(
            "the document has {} bytes; at most {MAX_DOCUMENT_BYTES} are accepted",
            text.len()
        )));
    }
    let budget = NODES_FLOOR + NODES_PER_BYTE * text.len();
    let left = Cell::new(budget);
    let de = serde_norway::Deserializer::from_str(text);
    // Only the first document: the caller has split the stream.
    match de.into_iter().next() {
        None => Ok(()),
        Some(doc) => match (Counter { left: &left }).deserialize(doc) {
            Ok(()) => Ok(()),
            Err(_) if left.get() == 0 => Err(Exceeded(format!(
                "the document expands to more than {budget} YAML nodes once its aliases are \
                 followed (an alias bomb?); write the values out or use fewer aliases"
            ))),
            // A syntax error: reported with its line by the parse that follows.
            Err(_) => Ok(()),
        },
    }
}

/// Counts nodes, failing once the budget is spent.
#[derive(Clone, Copy)]
struct Counter<'a> {
    left: &'a Cell<usize>,
}

impl Counter<'_> {
    fn spend<E: de::Error>(&self) -> Result<(), E> {
        match self.left.get() {
            0 => Err(E::custom("node budget exceeded")),
            n => {
                self.left.set(n - 1);
                Ok(())
            }
        }
    }
}

impl<'de> DeserializeSeed<'de> for Counter<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Counter<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        self.spend()
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        self.spend()
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        self.spend()
    }
    fn visit_i128<E: de::Error>(self, _: i128) -> Result<(), E> {
        self.spend()
    }
    fn visit_u128<E: de::Error>(self, _: u128) -> Result<(), E> {
        self.spend()
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        self.spend()
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        self.spend()
    }
    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<(), E> {
        self.spend()
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.spend()
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.spend()
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        self.spend()?;
        d.deserialize_any(self)
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        self.spend()?;
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.spend()?;
        while seq.next_element_seed(self)?.is_some() {}
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.spend()?;
        while map.next_key_seed(self)?.is_some() {
            map.next_value_seed(self)?;
        }
        Ok(())
    }
    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<(), A::Error> {
        use de::VariantAccess;
        self.spend()?;
        let ((), variant) = data.variant_seed(self)?;
        variant.newtype_variant_seed(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn bomb(levels: usize) -> String {
        let mut s = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        let mut prev = 'a';
        for i in 1..levels {
            let name = (b'a' + i as u8) as char;
            let refs = vec![format!("*{prev}"); 9].join(",");
            s.push_str(&format!("{name}: &{name} [{refs}]\n"));
            prev = name;
        }
        s
    }

    #[test]
    fn an_alias_bomb_is_refused_quickly() {
        let text = bomb(9);
        let started = std::time::Instant::now();
        let err = check_document(&text).expect_err("refused");
        assert!(err.0.contains("aliases"), "{}", err.0);
        assert!(started.elapsed() < std::time::Duration::from_millis(500));
    }

    #[test]
    fn modest_aliases_pass() {
        let text = "base: &b {replicas: 2, image: x}\nfirst: *b\nsecond: *b\n";
        assert_eq!(check_document(text), Ok(()));
    }

    #[test]
    fn oversized_documents_are_refused() {
        let text = format!("a: \"{}\"\n", "x".repeat(MAX_DOCUMENT_BYTES));
        assert!(check_document(&text).is_err());
    }

    #[test]
    fn time_arithmetic_never_overflows() {
        let now = Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap();
        assert_eq!(add_seconds(now, u64::MAX), None);
        assert_eq!(add_seconds(now, 9_000_000_000_000), None);
        assert!(later(now, u64::MAX) > now);
        assert_eq!(add_seconds(now, 60), Some(now + Duration::seconds(60)));
    }
}
