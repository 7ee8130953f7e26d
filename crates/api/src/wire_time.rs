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
mod tests {
    use super::*;
    use crate::{HeartbeatCondition, Phase};
    use chrono::NaiveDateTime;

    /// The time in a JSON string, read as a field with `deserialize_with` reads it.
    fn read(json: &str) -> Result<DateTime<Utc>, serde_json::Error> {
        deserialize(&mut serde_json::Deserializer::from_str(json))
    }

    fn utc(s: &str) -> DateTime<Utc> {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f")
            .unwrap()
            .and_utc()
    }

    #[test]
    fn reads_back_what_chrono_writes() {
        let leap_second = NaiveDate::from_ymd_opt(2016, 12, 31)
            .and_then(|d| d.and_hms_nano_opt(23, 59, 59, 1_500_000_000))
            .unwrap()
            .and_utc();
        for t in [
            utc("2026-01-05 10:00:00"),
            utc("2026-01-05 10:00:00.123456789"),
            utc("2026-01-05 10:00:00.5"),
            utc("2026-01-05 10:00:00.000001"),
            utc("2028-02-29 12:30:45"),
            utc("2026-04-30 23:59:59.999"),
            utc("2026-12-31 23:59:59.999999999"),
            utc("0000-01-01 00:00:00"),
            utc("9999-12-31 23:59:59"),
            utc("+10000-01-01 00:00:00"),
            utc("-0001-12-31 00:00:00"),
            leap_second,
        ] {
            let json = serde_json::to_string(&t).unwrap();
            assert_eq!(read(&json).unwrap(), t, "{json}");
            // An owned string (serde_json::Value gives one) is read the same.
            let value = serde_json::Value::String(json.trim_matches('"').into());
            assert_eq!(deserialize(value).unwrap(), t, "{json}");
        }
        // Kubernetes writes whole seconds and Z.
        assert_eq!(
            read(r#""2026-01-05T10:00:00Z""#).unwrap(),
            utc("2026-01-05 10:00:00")
        );
    }

    #[test]
    fn offsets_are_subtracted_as_chrono_does() {
        for s in [
            "2026-01-05T12:00:00+02:00",
            "2026-01-05T04:30:00-05:30",
            "2026-01-01T01:00:00.25+02:00",
            "2025-12-31T23:00:00-05:30",
            "2028-02-29T23:59:59-00:00",
        ] {
            assert_eq!(parse(s), Some(s.parse::<DateTime<Utc>>().unwrap()), "{s}");
        }
        assert_eq!(
            parse("2026-01-05T12:00:00+02:00"),
            Some(utc("2026-01-05 10:00:00"))
        );
        assert_eq!(
            parse("2026-01-01T01:00:00.25+02:00"),
            Some(utc("2025-12-31 23:00:00.25"))
        );
    }

    #[test]
    fn the_separator_and_zone_may_be_lower_case_and_the_separator_a_space() {
        let t = utc("2026-01-05 10:00:00.5");
        for s in [
            "2026-01-05t10:00:00.5z",
            "2026-01-05T10:00:00.5z",
            "2026-01-05 10:00:00.5Z",
        ] {
            assert_eq!(parse(s), Some(t), "{s}");
        }
        // Digits past the ninth are dropped, not rounded.
        assert_eq!(
            parse("2026-01-05T10:00:00.1234567899Z"),
            Some(utc("2026-01-05 10:00:00.123456789"))
        );
    }

    #[test]
    fn anything_else_is_refused_and_the_error_says_what_was_expected() {
        for s in [
            "",
            "garbage",
            "2026-13-01T10:00:00Z",
            "2026-00-01T10:00:00Z",
            "2026-02-30T10:00:00Z",
            "2027-02-29T10:00:00Z",
            "2026-01-05T24:00:00Z",
            "2026-01-05T10:60:00Z",
            "2026-01-05T10:00:00",
            "2026-01-05T10:00:00.Z",
            "2026-01-05T10:00:00Zx",
            "2026-01-05T10:00:00+0200",
            "2026-01-05T10:00:00+02",
            "2026-01-05T10:00:00+24:00",
            "2026-01-05T10:00:00+01:60",
            "2026-01-05T10:00:00 UTC",
            "2026-01-05",
            "2026-1-05T10:00:00Z",
            "26-01-05T10:00:00Z",
            "2026-01-05X10:00:00Z",
            " 2026-01-05T10:00:00Z",
        ] {
            assert_eq!(parse(s), None, "{s:?}");
        }
        let err = read(r#""2026-02-30T10:00:00Z""#).unwrap_err().to_string();
        assert!(err.contains("2026-02-30T10:00:00Z"), "{err}");
        assert!(err.contains("expected an RFC 3339 time"), "{err}");
        assert!(read("12").is_err());
    }

    #[test]
    fn agrees_with_chrono_on_every_string_of_the_form() {
        for date in [
            "2024-02-", "2026-02-", "2026-04-", "2026-12-", "2026-13-", "0000-01-",
        ] {
            for day in ["00", "01", "28", "29", "30", "31", "32"] {
                for time in [
                    "00:00:00", "23:59:59", "23:59:60", "10:07:60", "24:00:00", "12:60:00",
                ] {
                    for fraction in ["", ".5", ".000000001", ".123456789", ".9999999999"] {
                        for zone in [
                            "Z", "z", "+02:00", "-05:30", "+23:59", "-00:00", "+24:00", "+02:60",
                        ] {
                            for sep in ["T", "t", " "] {
                                let s = format!("{date}{day}{sep}{time}{fraction}{zone}");
                                assert_eq!(parse(&s), s.parse::<DateTime<Utc>>().ok(), "{s}");
                            }
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn a_missing_or_null_optional_time_is_none() {
        let phase = |extra: &str| -> Phase {
            serde_json::from_str(&format!(
                r#"{{"index": 0, "name": "p", "status": "pending", "trafficPercentage": 0,
                    "pause": null, "verifications": [], "failure": null{extra}}}"#
            ))
            .unwrap()
        };
        assert_eq!(phase("").start_time, None);
        assert_eq!(phase(r#", "startTime": null"#).start_time, None);
        assert_eq!(
            phase(r#", "startTime": "2026-01-05T10:00:00Z""#).start_time,
            Some(utc("2026-01-05 10:00:00"))
        );
        let lost: HeartbeatCondition = serde_json::from_str(r#"{"duringRollout": true}"#).unwrap();
        assert_eq!(lost.last_heartbeat_time, None);
    }
}
