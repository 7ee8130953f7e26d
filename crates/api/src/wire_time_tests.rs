//! The tests of the RFC 3339 reader (wire_time.rs): what chrono writes reads back, offsets,
//! rejections, and a grid of generated strings against chrono's own reader.

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
