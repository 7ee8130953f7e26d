//! Timestamps read from the wire by a small RFC 3339 reader of our own, for serde's
//! `deserialize_with`: chrono's `Deserialize` goes through its generic format parser, which the
//! console's wasm carried for this alone (about 13.5 KB). Writing stays chrono's.
//!
//! It reads what chrono writes (`2026-01-05T10:00:00Z`, `2026-01-05T10:00:00.123456789Z`, a
//! signed year outside 0000–9999, `:60` for a leap second) and what Kubernetes writes, plus
//! offsets (`+02:00`, `-05:30`): `YYYY-MM-DD`, `T`/`t`/space, `HH:MM:SS`, an optional fraction
//! (digits past the ninth ignored, as chrono does), then `Z`/`z` or `±HH:MM`. Nothing else: no
//! spaces around the parts, no `UTC`, no `+0200`, which chrono's relaxed reader also takes but
//! nobody sends.

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone, Utc};
use serde::de::{self, Deserialize, Deserializer, Unexpected, Visitor};
use std::fmt;

/// For `#[serde(deserialize_with = "wire_time::deserialize")]` on a `Timestamp`.
pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
    Rfc3339::deserialize(d).map(|t| t.0)
}

pub mod option {
    use super::Rfc3339;
    use chrono::{DateTime, Utc};
    use serde::{Deserialize, Deserializer};

    /// For `#[serde(default, deserialize_with = "wire_time::option::deserialize")]` on an
    /// `Option<Timestamp>` (`default`: `deserialize_with` alone would make the field required).
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
        Option::<Rfc3339>::deserialize(d).map(|t| t.map(|t| t.0))
    }
}

/// A timestamp decoded by [`parse`]; lets `Option`'s own decoding (null, absent) wrap it.
struct Rfc3339(DateTime<Utc>);

impl<'de> Deserialize<'de> for Rfc3339 {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(Rfc3339Visitor).map(Rfc3339)
    }
}

struct Rfc3339Visitor;

impl Visitor<'_> for Rfc3339Visitor {
    type Value = DateTime<Utc>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an RFC 3339 time such as 2026-01-05T10:00:00Z or 2026-01-05T12:00:00.5+02:00")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<DateTime<Utc>, E> {
        parse(v).ok_or_else(|| E::invalid_value(Unexpected::Str(v), &self))
    }
}

/// The time `s` names, or `None` when it is not in the form above or names no real time
/// (month 13, Feb 30, 25:00).
fn parse(s: &str) -> Option<DateTime<Utc>> {
    let mut r = Reader(s.as_bytes());
    let year = r.year()?;
    r.expect(b"-")?;
    let month = r.number(2)?;
    r.expect(b"-")?;
    let day = r.number(2)?;
    r.expect(b"Tt ")?;
    let hour = r.number(2)?;
    r.expect(b":")?;
    let minute = r.number(2)?;
    r.expect(b":")?;
    let second = r.number(2)?;
    let nano = match r.expect(b".") {
        Some(_) => r.fraction()?,
        None => 0,
    };
    let offset = match r.expect(b"Zz+-")? {
        b'Z' | b'z' => 0,
        sign => {
            let hours = r.number(2)?;
            r.expect(b":")?;
            let minutes = r.number(2).filter(|m| *m < 60)?;
            let seconds = i32::try_from(hours * 3600 + minutes * 60).ok()?;
            if sign == b'-' {
                -seconds
            } else {
                seconds
            }
        }
    };
    if !r.0.is_empty() {
        return None;
    }
    // chrono writes a leap second as :60 and keeps it as the 59th second's second billion
    // nanoseconds.
    let (second, nano) = match second {
        60 => (59, nano + 1_000_000_000),
        _ => (second, nano),
    };
    let local = NaiveDate::from_ymd_opt(year, month, day)
        .and_then(|d| d.and_hms_nano_opt(hour, minute, second, nano))?;
    // The offset is subtracted as chrono's own reader does, a leap second included.
    let t = FixedOffset::east_opt(offset)?.from_local_datetime(&local);
    t.single().map(|t| t.to_utc())
}

/// What is left of the text being read.
struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    /// The next byte, when it is one of `allowed`.
    fn expect(&mut self, allowed: &[u8]) -> Option<u8> {
        let (&b, rest) = self.0.split_first()?;
        allowed.contains(&b).then(|| {
            self.0 = rest;
            b
        })
    }

    /// The next `len` bytes as a decimal number, when they are all digits.
    fn number(&mut self, len: usize) -> Option<u32> {
        self.digits(len, len).map(|(n, _)| n)
    }

    /// Four digits, or a sign and four to six (chrono's form for years outside 0000–9999).
    fn year(&mut self) -> Option<i32> {
        let sign = self.expect(b"+-");
        let (n, _) = self.digits(4, if sign.is_some() { 6 } else { 4 })?;
        let n = i32::try_from(n).ok()?;
        Some(if sign == Some(b'-') { -n } else { n })
    }

    /// The digits after a decimal point, in nanoseconds: one to nine count, more are read and
    /// dropped (as chrono does).
    fn fraction(&mut self) -> Option<u32> {
        let (n, len) = self.digits(1, 9)?;
        let dropped = self.0.iter().take_while(|b| b.is_ascii_digit()).count();
        self.0 = &self.0[dropped..];
        Some(n * 10u32.pow(9 - len))
    }

    /// `min` to `max` leading digits (as many as there are) as a number, and how many there
    /// were.
    fn digits(&mut self, min: usize, max: usize) -> Option<(u32, u32)> {
        let len = self
            .0
            .iter()
            .take(max)
            .take_while(|b| b.is_ascii_digit())
            .count();
        if len < min {
            return None;
        }
        let (digits, rest) = self.0.split_at(len);
        self.0 = rest;
        let n = digits.iter().fold(0, |n, &d| n * 10 + u32::from(d - b'0'));
        Some((n, len as u32))
    }
}

#[cfg(test)]
#[path = "wire_time_tests.rs"]
mod tests;
