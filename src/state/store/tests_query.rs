//! Query services in the state: their values reach the history the sparkline draws,
//! `warn` makes them DEGRADED, `crit` DOWN after `failure_threshold`, and an answer
//! without a usable value UNKNOWN at once, with its reason kept.

use crate::contract::ServiceState;
use crate::event::Event;
use crate::kinds::Outcome;
use crate::kinds::ValueLimits;
use crate::kinds::query::Answer;
use crate::state::State;
use crate::test_support::judged_check;
use crate::test_support::{at, config, query_service};

const LIMITS: ValueLimits = ValueLimits {
    warn: Some(80.0),
    crit: Some(95.0),
    below: false,
};

#[test]
fn readings_move_a_query_service_through_every_state() {
    use Answer::*;
    use ServiceState::*;
    let cpu = query_service("cpu", LIMITS, Some("%"));
    let mut state = State::new(&config(vec![cpu.clone()]));
    let steps: &[(Answer, ServiceState)] = &[
        (Value(10.0), Up),
        (Value(85.0), Degraded),
        (Value(96.0), Degraded),
        (Value(99.0), Down),
        (NoSeries, Unknown),
        (Value(f64::NAN), Unknown),
        (Value(12.0), Up),
        (Series(2), Unknown),
        (Value(97.0), Unknown),
        (Value(97.0), Down),
    ];
    for (secs, (answer, want)) in (0u64..).zip(steps) {
        state.apply(
            Event::Checked(judged_check(0, secs * 10, &cpu, *answer)),
            secs,
        );
        let snapshot = state.snapshot(at(secs * 10));
        assert_eq!(snapshot.services[0].state, *want, "after {answer:?}");
    }
    let snapshot = state.snapshot(at(100));
    let view = &snapshot.services[0];
    let values: Vec<Option<f64>> = view.samples.iter().map(|s| s.value()).collect();
    assert_eq!(
        values,
        [
            Some(10.0),
            Some(85.0),
            Some(96.0),
            Some(99.0),
            None,
            None,
            Some(12.0),
            None,
            Some(97.0),
            Some(97.0)
        ]
    );
    assert!(view.samples[1].passed(), "a warning is a passing check");
    assert!(!view.samples[2].passed(), "crit fails");
}

#[test]
fn unknown_keeps_its_reason_and_no_since() {
    let q = query_service("q", LIMITS, None);
    let mut state = State::new(&config(vec![q.clone()]));
    state.apply(
        Event::Checked(judged_check(0, 1, &q, Answer::Value(1.0))),
        1,
    );
    let transition = state.apply(Event::Checked(judged_check(0, 2, &q, Answer::NoSeries)), 2);
    let transition = transition.expect("UP to UNKNOWN is a change");
    assert_eq!(transition.to, ServiceState::Unknown);
    assert_eq!(
        transition.reason.as_deref(),
        Some("query returned no series")
    );
    let snapshot = state.snapshot(at(3));
    let view = &snapshot.services[0];
    assert_eq!(view.since, None);
    assert!(matches!(
        view.last().map(|c| &c.outcome),
        Some(Outcome::Fail { reason, .. }) if reason == "query returned no series"
    ));
}
