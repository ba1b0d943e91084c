//! The compact rows of the view stream: a history sample `[at_ms, latency_us, passed,
//! value]` (`passed` null for a check that said nothing) and a check `[service, at_ms, latency_us, status, reason, failures_in_row,
//! reading]`, whose trailing empty fields are left out.

use std::time::Duration;

use serde_json::{Value, json};

use crate::kinds::{Level, Outcome, Reading};
use crate::view::check::CheckResult;
use crate::view::service::HistorySample;

/// A history sample as a row; `value` only when the check read one.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub(super) struct SampleRow(u64, u32, Option<bool>, #[serde(default)] Option<f64>);

impl SampleRow {
    pub(super) fn of(sample: &HistorySample) -> Self {
        Self(
            sample.at_ms,
            sample.latency_us(),
            // `null`: the check said nothing about its service.
            (!sample.said_nothing()).then_some(sample.passed()),
            sample.value(),
        )
    }

    pub(super) fn sample(&self) -> HistorySample {
        let latency = Duration::from_micros(u64::from(self.1));
        let sample = HistorySample::new(self.0, latency, self.2 == Some(true), self.3);
        match self.2 {
            Some(_) => sample,
            None => sample.saying_nothing(),
        }
    }
}

/// One check as a row of a `checks` event.
pub(super) fn check_row(service: &str, check: &CheckResult, failures_in_row: u32) -> Value {
    let (status, reason) = match &check.outcome {
        Outcome::Pass { status } => (*status, None),
        Outcome::Fail { status, reason } => (*status, Some(reason.as_str())),
    };
    let reading = check.reading.map(|r| json!([r.value, r.level]));
    let mut row = vec![
        json!(service),
        json!(millis(check)),
        json!(u64::try_from(check.latency.as_micros()).unwrap_or(u64::MAX)),
        json!(status),
        json!(reason),
        json!(failures_in_row),
        json!(reading),
    ];
    while row.len() > 3 && is_empty(row.last()) {
        row.pop();
    }
    Value::Array(row)
}

fn is_empty(field: Option<&Value>) -> bool {
    match field {
        Some(Value::Null) => true,
        Some(Value::Number(n)) => n.as_u64() == Some(0),
        _ => false,
    }
}

fn millis(check: &CheckResult) -> u64 {
    crate::view::service::epoch_millis(check.at)
}

/// A check read back from its row: the service's name, the check (its start lag is not
/// sent, and reads as zero) and the failures in a row after it.
pub(super) fn read_check_row(row: &Value) -> Option<(String, CheckResult, u32)> {
    let fields = row.as_array()?;
    let field = |i: usize| fields.get(i).unwrap_or(&Value::Null);
    let name = field(0).as_str()?.to_string();
    let at = std::time::UNIX_EPOCH + Duration::from_millis(field(1).as_u64()?);
    let latency = Duration::from_micros(field(2).as_u64()?);
    let status = field(3).as_u64().and_then(|s| u16::try_from(s).ok());
    let outcome = match field(4).as_str() {
        Some(reason) => Outcome::Fail {
            status,
            reason: reason.to_string(),
        },
        None => Outcome::Pass { status },
    };
    let failures = field(5)
        .as_u64()
        .map_or(0, |n| u32::try_from(n).unwrap_or(u32::MAX));
    let reading = match field(6) {
        Value::Array(pair) => Some(Reading {
            value: pair.first().and_then(Value::as_f64),
            level: serde_json::from_value::<Level>(pair.get(1)?.clone()).ok()?,
        }),
        _ => None,
    };
    let check = CheckResult {
        service: 0,
        at,
        latency,
        lag: Duration::ZERO,
        outcome,
        reading,
        certificate: None,
    };
    Some((name, check, failures))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::at;

    fn check(outcome: Outcome, reading: Option<Reading>) -> CheckResult {
        CheckResult {
            service: 3,
            at: at(1000),
            latency: Duration::from_micros(12_345),
            lag: Duration::ZERO,
            outcome,
            reading,
            certificate: None,
        }
    }

    #[test]
    fn a_passing_check_is_a_short_row_and_every_kind_reads_back_as_it_was() {
        let pass = check(Outcome::Pass { status: Some(200) }, None);
        let row = check_row("api", &pass, 0);
        assert_eq!(row, json!(["api", 1_700_001_000_000_u64, 12345, 200]));
        let fail = check(
            Outcome::Fail {
                status: None,
                reason: "timeout after 5s".into(),
            },
            None,
        );
        let read = check(
            Outcome::Pass { status: None },
            Some(Reading {
                value: Some(0.25),
                level: Level::Warning,
            }),
        );
        for (check, failures) in [(pass, 0), (fail, 2), (read, 0)] {
            let row = check_row("api", &check, failures);
            let text = row.to_string();
            let (name, back, in_row) = read_check_row(&row).expect(&text);
            assert_eq!(name, "api");
            assert_eq!(in_row, failures, "{text}");
            assert_eq!(back.outcome, check.outcome, "{text}");
            assert_eq!(back.reading, check.reading, "{text}");
            assert_eq!((back.at, back.latency), (check.at, check.latency), "{text}");
        }
    }

    #[test]
    fn a_sample_row_keeps_every_field() {
        for value in [None, Some(3.5)] {
            let sample = HistorySample::new(5, Duration::from_micros(77), false, value);
            let row = SampleRow::of(&sample);
            let text = serde_json::to_string(&row).expect("JSON");
            let back: SampleRow = serde_json::from_str(&text).expect(&text);
            assert_eq!(back.sample(), sample, "{text}");
        }
    }
}
