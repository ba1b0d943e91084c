//! `lookout check` on Prometheus queries: judged by the value, not the speed, with the
//! limit or the missing value as the reason.

use std::time::{Duration, SystemTime};

use super::{Report, verdict};
use crate::contract::ServiceState::{Degraded, Down, Unknown, Up};

#[test]
fn a_query_is_judged_by_its_value_not_its_speed() {
    use crate::kinds::query::Answer;
    use crate::test_support::judged_check;
    use crate::test_support::query_service;
    let limits = crate::kinds::ValueLimits {
        warn: Some(80.0),
        crit: Some(95.0),
        below: false,
    };
    let cpu = query_service("cpu", limits, Some("%"));
    let cases = [
        (Answer::Value(10.0), Up, None),
        (
            Answer::Value(85.0),
            Degraded,
            Some("85% at or above warn 80%"),
        ),
        (Answer::Value(99.0), Down, Some("99% at or above crit 95%")),
        (Answer::NoSeries, Unknown, Some("query returned no series")),
    ];
    for (answer, want, reason) in cases {
        let mut result = judged_check(0, 0, &cpu, answer);
        result.latency = Duration::from_secs(3);
        assert_eq!(verdict(&cpu, &result), want, "{answer:?}");
        let report = Report::new(
            std::slice::from_ref(&cpu),
            &[result],
            SystemTime::UNIX_EPOCH,
        );
        assert_eq!(report.lines[0].reason.as_deref(), reason, "{answer:?}");
    }
}
