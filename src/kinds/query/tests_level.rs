//! Value → level → outcome, as tables: both directions, each limit alone, the UNKNOWN
//! answers with their reasons, and how values are written with units.

use reqwest::Url;

use super::{Answer, judge, level, show};
use crate::kinds::{Level, Outcome};
use crate::kinds::{QueryCheck, ValueLimits};

fn limits(warn: Option<f64>, crit: Option<f64>, below: bool) -> ValueLimits {
    ValueLimits { warn, crit, below }
}

fn check(limits: ValueLimits, unit: Option<&str>) -> QueryCheck {
    QueryCheck {
        prometheus: "p".to_string(),
        url: Url::parse("http://127.0.0.1:9090").expect("url"),
        query: "x".to_string(),
        limits,
        unit: unit.map(str::to_string),
    }
}

#[test]
fn levels_table() {
    use Level::*;
    let above = limits(Some(80.0), Some(95.0), false);
    let below = limits(Some(20.0), Some(5.0), true);
    let warn_only = limits(Some(1.0), None, false);
    let crit_only = limits(None, Some(0.0), true);
    let none = limits(None, None, false);
    let cases: &[(&ValueLimits, f64, Level)] = &[
        (&above, 10.0, Normal),
        (&above, 79.99, Normal),
        (&above, 80.0, Warning),
        (&above, 94.0, Warning),
        (&above, 95.0, Critical),
        (&above, 1e9, Critical),
        (&below, 50.0, Normal),
        (&below, 20.0, Warning),
        (&below, 5.0, Critical),
        (&below, -1.0, Critical),
        (&warn_only, 2.0, Warning),
        (&warn_only, 0.5, Normal),
        (&crit_only, 0.0, Critical),
        (&crit_only, 1.0, Normal),
        (&none, -1e300, Normal),
    ];
    for (limits, value, want) in cases {
        assert_eq!(level(limits, *value), *want, "{value} against {limits:?}");
    }
}

#[test]
fn judging_gives_the_outcome_the_state_machine_needs() {
    let query = check(limits(Some(80.0), Some(95.0), false), Some("%"));
    let (outcome, reading) = judge(&query, 200, Answer::Value(50.0));
    assert_eq!(outcome, Outcome::Pass { status: Some(200) });
    assert_eq!((reading.value, reading.level), (Some(50.0), Level::Normal));

    let (outcome, reading) = judge(&query, 200, Answer::Value(85.0));
    assert!(outcome.is_pass(), "a warning passes: DEGRADED, not failing");
    assert_eq!(reading.level, Level::Warning);

    let (outcome, reading) = judge(&query, 200, Answer::Value(97.25));
    assert_eq!(
        outcome,
        Outcome::Fail {
            status: Some(200),
            reason: "97.25% at or above crit 95%".to_string()
        }
    );
    assert_eq!(reading.level, Level::Critical);
}

#[test]
fn answers_without_a_usable_value_are_unknown_with_a_reason() {
    let query = check(limits(None, Some(1.0), false), None);
    let cases = [
        (Answer::NoSeries, None, "query returned no series"),
        (
            Answer::Series(3),
            None,
            "query returned 3 series, not one; aggregate them, like sum(…) or max(…)",
        ),
        (Answer::Value(f64::NAN), Some("NaN"), "value is NaN"),
        (Answer::Value(f64::INFINITY), Some("+Inf"), "value is +Inf"),
        (
            Answer::Value(f64::NEG_INFINITY),
            Some("-Inf"),
            "value is -Inf",
        ),
    ];
    for (answer, kept, want) in cases {
        let (outcome, reading) = judge(&query, 200, answer);
        assert_eq!(reading.level, Level::Unknown, "{answer:?}");
        assert_eq!(reading.value.map(|v| show(v, None)).as_deref(), kept);
        match outcome {
            Outcome::Fail { reason, .. } => assert_eq!(reason, want),
            pass => panic!("{answer:?} passed: {pass:?}"),
        }
    }
}

#[test]
fn below_reasons_say_below() {
    let query = check(limits(Some(10e9), Some(2e9), true), Some("B"));
    let (outcome, _) = judge(&query, 200, Answer::Value(1.5 * 1024.0 * 1024.0 * 1024.0));
    let Outcome::Fail { reason, .. } = outcome else {
        panic!("critical fails: {outcome:?}");
    };
    assert_eq!(reason, "1.5 GiB at or below crit 1.863 GiB");
}

#[test]
fn values_are_written_with_their_unit() {
    let cases: &[(f64, Option<&str>, &str)] = &[
        (42.0, None, "42"),
        (97.3, Some("%"), "97.3%"),
        (0.25, Some("s"), "250ms"),
        (0.0123, Some("s"), "12.3ms"),
        (12.5, Some("s"), "12.5s"),
        (0.0, Some("s"), "0s"),
        (1536.0, Some("B"), "1.5 KiB"),
        (512.0, Some("B"), "512 B"),
        (12.345_678, Some("req/s"), "12.35 req/s"),
        (1234.6, None, "1235"),
        (0.000_012, None, "1.20e-5"),
        (-3.5, None, "-3.5"),
        (f64::NAN, Some("%"), "NaN"),
        (f64::INFINITY, Some("%"), "+Inf"),
    ];
    for (value, unit, want) in cases {
        assert_eq!(show(*value, *unit), *want, "{value} {unit:?}");
    }
}
